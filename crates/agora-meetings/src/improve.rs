//! Local search over whole rounds, each step an exact matching. Three moves, every one
//! accepted only when it strictly improves (meetings, score) of the whole schedule, so the
//! search terminates:
//! - **one round**: re-solve round `r` with every other round fixed. The weights are the
//!   exact marginal values (région bonus included, see the crate's documentation), so the
//!   result is the best round `r` given the others;
//! - **two rounds**: forget round `s`, re-solve `r` (so it may take pairs `s` had), then
//!   re-solve `s` given the new `r`. This undoes the classic trap of a round taking the
//!   pair another round needed;
//! - **a pin to another round**: where both are available and the round has room for it,
//!   then the two rounds concerned re-solved as above.
//!
//! One-round passes run until they change nothing; then a sweep of two-round and pin
//! moves; the whole again while a sweep improves, at most [`MAX_SWEEPS`] times.
//!
//! The time is bounded by a deterministic work budget ([`crate::Effort`]): a re-solve costs
//! the cube of the people present in its round (the blossom algorithm is cubic). The first
//! one-round pass always runs; the rest stops when the budget is spent. On a few dozen
//! participants the budget is never reached; on 200 it allows a few dozen re-solves.

use crate::pins::Placed;
use crate::score::Model;
use crate::solve::{context, solve_round, totals, value};
use crate::{Effort, ScheduleError, SolveStats};

/// One-round passes at most per sweep; they stop as soon as a pass changes nothing.
const MAX_PASSES: u32 = 50;
/// Sweeps of two-round and pin moves at most.
pub(crate) const MAX_SWEEPS: u32 = 4;

type Rounds = Vec<Vec<(usize, usize)>>;

/// The work left, and what each round's re-solve costs.
struct Budget {
    left: u64,
    cost: Vec<u64>,
}

impl Budget {
    /// Spends the cost of re-solving `rounds`, or says there is not enough left.
    fn spend(&mut self, rounds: &[usize]) -> bool {
        let cost: u64 = rounds.iter().map(|&r| self.cost[r]).sum();
        if cost > self.left {
            self.left = 0;
            return false;
        }
        self.left -= cost;
        true
    }
}

pub(crate) fn run(
    model: &Model,
    placed: &mut Placed,
    matched: &mut Rounds,
    stats: &mut SolveStats,
    effort: &Effort,
) -> Result<(), ScheduleError> {
    let cost = model
        .available
        .iter()
        .map(|r| (r.iter().filter(|&&a| a).count() as u64).pow(3))
        .collect();
    let budget = &mut Budget {
        left: effort.work,
        cost,
    };
    loop {
        single_passes(model, placed, matched, stats, budget)?;
        if stats.sweeps >= MAX_SWEEPS {
            return Ok(());
        }
        stats.sweeps += 1;
        let pairs = pair_moves(model, placed, matched, stats, budget)?;
        let pins = pin_moves(model, placed, matched, stats, budget)?;
        if !pairs && !pins || budget.left == 0 {
            return Ok(());
        }
    }
}

fn single_passes(
    model: &Model,
    placed: &Placed,
    matched: &mut Rounds,
    stats: &mut SolveStats,
    budget: &mut Budget,
) -> Result<(), ScheduleError> {
    for _ in 0..MAX_PASSES {
        stats.passes += 1;
        let mut changed = false;
        for r in 0..matched.len() {
            // The very first pass is always complete.
            if !budget.spend(&[r]) && stats.passes > 1 {
                return Ok(());
            }
            let current = value(model, &context(model, placed, matched, r), &matched[r]);
            let (pairs, better) = solve_round(model, placed, matched, r)?;
            stats.resolved_rounds += 1;
            if better > current {
                matched[r] = pairs;
                stats.improvements += 1;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    Ok(())
}

/// Round `first` re-solved while round `then` is forgotten, then `then` re-solved.
fn two_rounds(
    model: &Model,
    placed: &Placed,
    matched: &Rounds,
    first: usize,
    then: usize,
    stats: &mut SolveStats,
) -> Result<Rounds, ScheduleError> {
    let mut m = matched.clone();
    m[then].clear();
    m[first] = solve_round(model, placed, &m, first)?.0;
    m[then] = solve_round(model, placed, &m, then)?.0;
    stats.resolved_rounds += 2;
    Ok(m)
}

fn pair_moves(
    model: &Model,
    placed: &Placed,
    matched: &mut Rounds,
    stats: &mut SolveStats,
    budget: &mut Budget,
) -> Result<bool, ScheduleError> {
    let mut improved = false;
    let mut best = totals(model, placed, matched);
    for first in 0..matched.len() {
        for then in 0..matched.len() {
            if first == then {
                continue;
            }
            if !budget.spend(&[first, then]) {
                return Ok(improved);
            }
            let m = two_rounds(model, placed, matched, first, then, stats)?;
            let t = totals(model, placed, &m);
            if t > best {
                (*matched, best, improved) = (m, t, true);
                stats.improvements += 1;
            }
        }
    }
    Ok(improved)
}

fn pin_moves(
    model: &Model,
    placed: &mut Placed,
    matched: &mut Rounds,
    stats: &mut SolveStats,
    budget: &mut Budget,
) -> Result<bool, ScheduleError> {
    let mut improved = false;
    let mut best = totals(model, placed, matched);
    let pins: Vec<(usize, usize)> = placed.by_round.iter().flatten().copied().collect();
    for (a, b) in pins {
        for to in 0..matched.len() {
            // The pin may have moved already in this sweep.
            let Some(at) = placed.by_round.iter().position(|p| p.contains(&(a, b))) else {
                continue;
            };
            let room = placed.by_round[to].len() < model.tables
                && !placed.by_round[to]
                    .iter()
                    .any(|&(x, y)| [x, y].contains(&a) || [x, y].contains(&b));
            if to == at || !model.both(to as u32, a, b) || !room {
                continue;
            }
            if !budget.spend(&[to, at]) {
                return Ok(improved);
            }
            let mut moved = Placed {
                by_round: placed.by_round.clone(),
                unmet: placed.unmet.clone(),
                exact: placed.exact,
            };
            moved.by_round[at].retain(|&p| p != (a, b));
            moved.by_round[to].push((a, b));
            // Round `to` first: it lost seats to the pin; `at` may use the freed pair.
            let m = two_rounds(model, &moved, matched, to, at, stats)?;
            let t = totals(model, &moved, &m);
            if t > best {
                (*placed, *matched, best, improved) = (moved, m, t, true);
                stats.pin_moves += 1;
                stats.improvements += 1;
            }
        }
    }
    Ok(improved)
}
