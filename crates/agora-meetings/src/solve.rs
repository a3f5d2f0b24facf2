//! The schedule: pins first, then each round an exact matching (built in round order),
//! then the improvement moves of `improve` (see the crate's documentation).

use crate::improve;
use crate::matching::{self, Goal};
use crate::pins::{self, Placed};
use crate::score::{Model, RegionCounts};
use crate::{Effort, Instance, Meeting, Schedule, ScheduleError, SolveStats, bound, validate};

/// Computes the speed meetings of `instance`, with the default [`Effort`].
pub fn solve(instance: &Instance) -> Result<Schedule, ScheduleError> {
    solve_with(instance, &Effort::default())
}

/// Computes the speed meetings of `instance`, the local search bounded by `effort`.
pub fn solve_with(instance: &Instance, effort: &Effort) -> Result<Schedule, ScheduleError> {
    validate(instance)?;
    let model = Model::new(instance);
    let mut placed = pins::place(&model)?;
    let rounds = model.rounds as usize;
    let mut stats = SolveStats {
        pins_exact: placed.exact,
        ..SolveStats::default()
    };
    let mut matched: Vec<Vec<(usize, usize)>> = vec![Vec::new(); rounds];
    for r in 0..rounds {
        matched[r] = solve_round(&model, &placed, &matched, r)?.0;
    }
    stats.constructed = totals(&model, &placed, &matched);
    improve::run(&model, &mut placed, &mut matched, &mut stats, effort)?;
    // Only needed if the passes were cut short: keep every round maximal.
    fill_idle(&model, &placed, &mut matched);
    finish(&model, &placed, matched, stats)
}

/// The pairs met in one round.
pub(crate) type Pairs = Vec<(usize, usize)>;

/// What a round sees of the others.
pub(crate) struct Context {
    /// Pairs met in another round (or pinned in this one), `n × n`.
    used: Vec<bool>,
    counts: RegionCounts,
    /// Participants of this round's pins.
    busy: Vec<bool>,
    /// Tables left after this round's pins.
    free_tables: usize,
}

pub(crate) fn context(
    model: &Model,
    placed: &Placed,
    matched: &[Vec<(usize, usize)>],
    r: usize,
) -> Context {
    let n = model.n;
    let mut used = vec![false; n * n];
    let mut counts = RegionCounts::new(model);
    for (s, round) in placed.by_round.iter().enumerate() {
        for &(a, b) in round
            .iter()
            .chain(if s == r { &[][..] } else { &matched[s] })
        {
            used[a * n + b] = true;
            used[b * n + a] = true;
            counts.add(model, a, b);
        }
    }
    let mut busy = vec![false; n];
    for &(a, b) in &placed.by_round[r] {
        busy[a] = true;
        busy[b] = true;
    }
    Context {
        used,
        counts,
        busy,
        free_tables: model.tables.saturating_sub(placed.by_round[r].len()),
    }
}

/// The weight of a meeting in round `r` given the other rounds: its score, with the région
/// bonus it adds to the whole schedule.
fn weight(model: &Model, ctx: &Context, a: usize, b: usize) -> i64 {
    model.base(a, b) + ctx.counts.gain(model, a, b)
}

/// (meetings, weight) of a round's matched pairs, to compare lexicographically.
pub(crate) fn value(model: &Model, ctx: &Context, pairs: &[(usize, usize)]) -> (usize, i64) {
    let w = pairs.iter().map(|&(a, b)| weight(model, ctx, a, b)).sum();
    (pairs.len(), w)
}

/// The best matching of round `r` with the other rounds fixed, and its value.
pub(crate) fn solve_round(
    model: &Model,
    placed: &Placed,
    matched: &[Vec<(usize, usize)>],
    r: usize,
) -> Result<(Pairs, (usize, i64)), ScheduleError> {
    let ctx = context(model, placed, matched, r);
    let people: Vec<usize> = (0..model.n)
        .filter(|&a| model.available[r][a] && !ctx.busy[a])
        .collect();
    let mut edges = Vec::new();
    for (i, &a) in people.iter().enumerate() {
        for (j, &b) in people.iter().enumerate().skip(i + 1) {
            if model.allowed(a, b) && !ctx.used[a * model.n + b] {
                edges.push((i, j, weight(model, &ctx, a, b)));
            }
        }
    }
    let pairs: Vec<(usize, usize)> = matching::best(
        people.len(),
        &edges,
        ctx.free_tables,
        Goal::CardinalityFirst,
    )?
    .into_iter()
    .map(|(i, j)| (people[i], people[j]))
    .collect();
    let v = value(model, &ctx, &pairs);
    Ok((pairs, v))
}

pub(crate) fn totals(
    model: &Model,
    placed: &Placed,
    matched: &[Vec<(usize, usize)>],
) -> (usize, i64) {
    let (meetings, score) = scored(model, placed, matched);
    (meetings.len(), score)
}

/// Adds a meeting between two idle people of a round whenever allowed, unused and a table
/// is free (a no-op after converged passes: each round is then a maximum matching).
pub(crate) fn fill_idle(model: &Model, placed: &Placed, matched: &mut [Vec<(usize, usize)>]) {
    for r in 0..matched.len() {
        let mut ctx = context(model, placed, matched, r);
        let mut busy = ctx.busy.clone();
        for &(a, b) in &matched[r] {
            busy[a] = true;
            busy[b] = true;
        }
        for a in 0..model.n {
            for b in a + 1..model.n {
                if matched[r].len() >= ctx.free_tables {
                    break;
                }
                let free = |x: usize| model.available[r][x] && !busy[x];
                if free(a) && free(b) && model.allowed(a, b) && !ctx.used[a * model.n + b] {
                    matched[r].push((a, b));
                    busy[a] = true;
                    busy[b] = true;
                    ctx.used[a * model.n + b] = true;
                    ctx.used[b * model.n + a] = true;
                }
            }
        }
    }
}

/// Every round's meetings, pins on the first tables, with their scores (the région bonus
/// decaying in round order), and the total.
fn scored(model: &Model, placed: &Placed, matched: &[Vec<(usize, usize)>]) -> (Vec<Meeting>, i64) {
    let mut counts = RegionCounts::new(model);
    let mut meetings = Vec::new();
    for (r, pins) in placed.by_round.iter().enumerate() {
        let mut rest: Vec<(usize, usize)> = matched[r].iter().map(|&p| crate::ordered(p)).collect();
        rest.sort_unstable();
        let mut pins: Vec<(usize, usize)> = pins.iter().map(|&p| crate::ordered(p)).collect();
        pins.sort_unstable();
        let round: Vec<Meeting> = pins
            .iter()
            .chain(&rest)
            .enumerate()
            .map(|(t, &(a, b))| Meeting {
                round: r as u32,
                table: t as u32,
                a,
                b,
                score: model.base(a, b) + counts.gain(model, a, b),
            })
            .collect();
        // A participant meets once per round: adding after scoring the round is the same.
        for m in &round {
            counts.add(model, m.a, m.b);
        }
        meetings.extend(round);
    }
    let objective = meetings.iter().map(|m| m.score).sum();
    (meetings, objective)
}

/// The schedule of the given meetings: scores, idle slots, unmet pins and the bound.
pub(crate) fn finish(
    model: &Model,
    placed: &Placed,
    matched: Vec<Vec<(usize, usize)>>,
    stats: SolveStats,
) -> Result<Schedule, ScheduleError> {
    let (meetings, objective) = scored(model, placed, &matched);
    let mut idle = Vec::new();
    for r in 0..model.rounds {
        let mut seated = vec![false; model.n];
        for m in meetings.iter().filter(|m| m.round == r) {
            seated[m.a] = true;
            seated[m.b] = true;
        }
        idle.extend(
            (0..model.n)
                .filter(|&a| model.available[r as usize][a] && !seated[a])
                .map(|a| (r, a)),
        );
    }
    let bounds = bound::compute(model)?;
    Ok(Schedule {
        meetings,
        objective,
        upper_bound: bounds.best(),
        idle,
        unmet_pins: placed.unmet.iter().map(|&(p, _)| p).collect(),
        unmet_reasons: placed.unmet.iter().map(|&(_, o)| o).collect(),
        bounds,
        stats,
    })
}
