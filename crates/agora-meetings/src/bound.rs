//! Upper bounds on the objective of ANY feasible schedule (not only the one found).
//!
//! Common ground: a meeting of a and b scores at most their pair score `s(a, b)` (the
//! région bonus only decays), a feasible schedule meets each pair at most once, never a
//! banned pair, and only in a round where both are available. Pins only restrict the
//! feasible schedules further, so they are ignored here: a bound for the larger set holds
//! for the smaller one.
//!
//! 1. **Per participant.** A participant `a` available in `R_a` rounds meets at most `R_a`
//!    distinct partners, each of them sharing an available round with `a`. So the scores of
//!    `a`'s meetings add up to at most `S_a`, the sum of the `R_a` largest `s(a, ·)` over
//!    those candidates. Every meeting is counted by both its sides:
//!    `2 × objective ≤ Σ_a S_a`, hence `objective ≤ ⌊Σ_a S_a / 2⌋`.
//!    **Variant by sides**: split each pair score into the two sides' shares, a's share
//!    being a's own wish, a's own région bonus and half of the rest (mutual bonus,
//!    complementarity); the two shares add up to the pair score. Then the objective is the
//!    sum over participants of the shares of their meetings, at most the sum of each one's
//!    `R_a` largest shares. (Neither variant dominates the other: a participant many wish
//!    weighs more in the first.)
//!    **Variant with the best split**: any split of each pair score into two integer shares
//!    (`s + d` and `s − d`, doubled to stay in integers) gives a valid bound the same way,
//!    counting only positive shares (a participant may meet fewer than `R_a`). The split is
//!    tuned by subgradient steps (a Lagrangian relaxation of "a meeting counts for both
//!    sides"): where only one side would pick the pair, its share is lowered and the
//!    other's raised. The least bound met along the way is kept; it starts from the even
//!    split, so it is never above the first variant.
//! 2. **Per round.** Each round's meetings form a matching of at most `tables` pairs among
//!    the participants available that round. Its score is at most the maximum-weight
//!    matching of at most `tables` pairs with weights `s` (computed exactly by the blossom
//!    algorithm; see `matching` for the cap). Summed over the rounds. This drops only "no
//!    pair twice" across rounds.
//! 3. **Per pair.** A schedule holds at most `tables × rounds` meetings of distinct pairs:
//!    at most the sum of that many largest pair scores.
//!
//! The upper bound is the least of them (each valid, so their minimum is).

use crate::matching::{self, Goal};
use crate::score::Model;
use crate::{Instance, ScheduleError, validate};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Bounds {
    pub per_participant: i64,
    pub per_participant_sides: i64,
    pub per_participant_split: i64,
    /// None when the scores were too large for the matching solver's integers.
    pub per_round: Option<i64>,
    pub per_pair: i64,
}

impl Bounds {
    /// The least of the bounds.
    pub fn best(&self) -> i64 {
        let least = self
            .per_participant
            .min(self.per_participant_sides)
            .min(self.per_participant_split)
            .min(self.per_pair);
        self.per_round.map_or(least, |r| least.min(r))
    }
}

/// The bounds of an instance, without solving it.
pub fn upper_bounds(instance: &Instance) -> Result<Bounds, ScheduleError> {
    validate(instance)?;
    compute(&Model::new(instance))
}

pub(crate) fn compute(model: &Model) -> Result<Bounds, ScheduleError> {
    let n = model.n;
    let rounds = model.rounds as usize;
    let mut shared = vec![false; n * n];
    for r in 0..rounds {
        let here: Vec<usize> = (0..n).filter(|&a| model.available[r][a]).collect();
        for &a in &here {
            for &b in &here {
                shared[a * n + b] = true;
            }
        }
    }
    let candidate = |a: usize, b: usize| a != b && model.meetable(a, b) && shared[a * n + b];

    let (mut twice, mut sides) = (0i64, 0i64);
    for a in 0..n {
        let r_a = (0..rounds).filter(|&r| model.available[r][a]).count();
        let best = |score: &dyn Fn(usize) -> i64| -> i64 {
            let mut scores: Vec<i64> = (0..n).filter(|&b| candidate(a, b)).map(score).collect();
            scores.sort_unstable_by(|x, y| y.cmp(x));
            scores.iter().take(r_a).sum()
        };
        twice += best(&|b| model.full(a, b));
        // Doubled shares, to stay in integers.
        sides += best(&|b| model.side2(a, b));
    }
    let per_participant = twice / 2;
    let per_participant_sides = sides / 2;
    let available_rounds: Vec<usize> = (0..n)
        .map(|a| (0..rounds).filter(|&r| model.available[r][a]).count())
        .collect();
    let edges: Vec<(usize, usize, i64)> = (0..n)
        .flat_map(|a| (a + 1..n).map(move |b| (a, b)))
        .filter(|&(a, b)| candidate(a, b))
        .map(|(a, b)| (a, b, model.full(a, b)))
        .collect();
    let per_participant_split = best_split(n, &edges, &available_rounds);

    let mut all: Vec<i64> = (0..n)
        .flat_map(|a| (a + 1..n).map(move |b| (a, b)))
        .filter(|&(a, b)| candidate(a, b))
        .map(|(a, b)| model.full(a, b))
        .collect();
    all.sort_unstable_by(|x, y| y.cmp(x));
    let per_pair = all.iter().take(model.tables.saturating_mul(rounds)).sum();

    let mut per_round = Some(0i64);
    for r in 0..rounds {
        let people: Vec<usize> = (0..n).filter(|&a| model.available[r][a]).collect();
        let mut edges = Vec::new();
        for (i, &a) in people.iter().enumerate() {
            for (j, &b) in people.iter().enumerate().skip(i + 1) {
                let s = model.full(a, b);
                // Pairs scoring 0 add nothing to a maximum weight.
                if model.meetable(a, b) && s > 0 {
                    edges.push((i, j, s));
                }
            }
        }
        match matching::best(people.len(), &edges, model.tables, Goal::WeightOnly) {
            Ok(pairs) => {
                let w: i64 = pairs
                    .iter()
                    .map(|&(i, j)| model.full(people[i], people[j]))
                    .sum();
                per_round = per_round.map(|t| t + w);
            }
            Err(ScheduleError::TooLarge) => per_round = None,
            Err(e) => return Err(e),
        }
    }
    Ok(Bounds {
        per_participant,
        per_participant_sides,
        per_participant_split,
        per_round,
        per_pair,
    })
}

/// Subgradient iterations at most, and without progress before stopping.
const SPLIT_ITERATIONS: usize = 300;
const SPLIT_PATIENCE: usize = 30;

/// The per-participant bound with the best split of each pair score found (see above).
fn best_split(n: usize, edges: &[(usize, usize, i64)], rounds_of: &[usize]) -> i64 {
    // Each participant's incident edges: (edge, whether it is the edge's first side).
    let mut incident: Vec<Vec<(usize, bool)>> = vec![Vec::new(); n];
    for (e, &(a, b, _)) in edges.iter().enumerate() {
        incident[a].push((e, true));
        incident[b].push((e, false));
    }
    let top = edges.iter().map(|e| e.2).max().unwrap_or(0);
    let mut d = vec![0i64; edges.len()];
    let mut picked = vec![[false; 2]; edges.len()];
    let mut best = i64::MAX;
    let (mut step, mut stale) = ((top / 2).max(1) as f64, 0);
    let mut shares: Vec<(i64, usize)> = Vec::new();
    for _ in 0..SPLIT_ITERATIONS {
        let mut total = 0i64;
        for p in picked.iter_mut() {
            *p = [false; 2];
        }
        for (v, list) in incident.iter().enumerate() {
            shares.clear();
            shares.extend(list.iter().map(|&(e, first)| {
                let s = if first {
                    edges[e].2 + d[e]
                } else {
                    edges[e].2 - d[e]
                };
                (s, 2 * e + usize::from(!first))
            }));
            let k = rounds_of[v].min(shares.len());
            if k == 0 {
                continue;
            }
            if k < shares.len() {
                shares.select_nth_unstable_by(k - 1, |x, y| y.0.cmp(&x.0));
            }
            for &(s, slot) in shares[..k].iter().filter(|x| x.0 > 0) {
                total += s;
                picked[slot / 2][slot % 2] = true;
            }
        }
        // Shares are doubled: the bound is half their total.
        let bound = total / 2;
        if bound < best {
            (best, stale) = (bound, 0);
        } else {
            stale += 1;
            if stale >= SPLIT_PATIENCE {
                break;
            }
        }
        let delta = step.round().max(1.0) as i64;
        for (e, p) in picked.iter().enumerate() {
            match *p {
                [true, false] => d[e] -= delta,
                [false, true] => d[e] += delta,
                _ => {}
            }
        }
        step *= 0.93;
    }
    if best == i64::MAX { 0 } else { best }
}
