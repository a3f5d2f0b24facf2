//! One round as a matching problem, solved exactly by Edmonds' blossom algorithm
//! (crate `mwmatching`), with the number of pairs capped by dummy vertices.
//!
//! The cap: with `n` vertices and at most `cap` pairs, add `d = n − 2·cap` dummy vertices
//! joined to every real vertex (never to each other). A matching with `k ≤ cap` real pairs
//! leaves `n − 2k ≥ d` real vertices free, so the dummies can all be matched beside it;
//! conversely, once all dummies are matched, only `n − d = 2·cap` real vertices remain, so
//! at most `cap` real pairs.
//! - Cardinality first: dummy edges weigh 0 and the solver maximises cardinality. The
//!   matched count `2k + 2·min(d, n − 2k)` grows with `k` up to `min(ν, cap)` (ν: the
//!   largest matching of real pairs) and falls after, so the solver returns `min(ν, cap)`
//!   real pairs, the heaviest among those.
//! - Weight only: dummy edges weigh `M` = 1 + the weight of the heaviest conceivable real
//!   matching, so leaving a dummy free always loses more than any real pairs can bring:
//!   every dummy is matched, and among those matchings the real weight is maximal.

use crate::ScheduleError;
use mwmatching::{Matching, SENTINEL};

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Goal {
    /// The most pairs (up to the cap), then the heaviest.
    CardinalityFirst,
    /// The heaviest, whatever the number of pairs (up to the cap).
    WeightOnly,
}

/// The best matching of at most `cap` pairs over `edges` (weights ≥ 0) between vertices
/// `0..n`; pairs returned with the smaller vertex first.
pub(crate) fn best(
    n: usize,
    edges: &[(usize, usize, i64)],
    cap: usize,
    goal: Goal,
) -> Result<Vec<(usize, usize)>, ScheduleError> {
    if cap == 0 || edges.is_empty() {
        return Ok(Vec::new());
    }
    // The solver doubles weights and adds duals: keep well inside i32.
    let limit = i64::from(i32::MAX / 8);
    let weight = |w: i64| i32::try_from(w).ok().filter(|&w| i64::from(w) <= limit);
    let mut input = Vec::with_capacity(edges.len() + n);
    let mut heaviest = 0;
    for &(a, b, w) in edges {
        if a == b || a >= n || b >= n || w < 0 {
            return Err(ScheduleError::Solver(format!("bad edge ({a}, {b}, {w})")));
        }
        heaviest = heaviest.max(w);
        input.push((a, b, weight(w).ok_or(ScheduleError::TooLarge)?));
    }
    if 2 * cap < n {
        let dummy_weight = match goal {
            Goal::CardinalityFirst => 0,
            Goal::WeightOnly => (n as i64 / 2)
                .checked_mul(heaviest)
                .and_then(|m| m.checked_add(1))
                .ok_or(ScheduleError::TooLarge)?,
        };
        let dummies = n - 2 * cap;
        // The total weight of the dummies' edges must fit as well.
        let total = dummy_weight.checked_mul(dummies as i64 + 1);
        if total.is_none_or(|t| t > limit) {
            return Err(ScheduleError::TooLarge);
        }
        let w = weight(dummy_weight).ok_or(ScheduleError::TooLarge)?;
        for d in n..n + dummies {
            input.extend((0..n).map(|v| (v, d, w)));
        }
    }
    let mates = std::panic::catch_unwind(move || {
        let mut m = Matching::new(input);
        if goal == Goal::CardinalityFirst {
            m.max_cardinality();
        }
        m.solve()
    })
    .map_err(|_| ScheduleError::Solver("the blossom algorithm stopped".into()))?;
    let pairs: Vec<(usize, usize)> = mates
        .iter()
        .enumerate()
        .take(n)
        .filter(|&(v, &m)| m != SENTINEL && m < n && v < m)
        .map(|(v, &m)| (v, m))
        .collect();
    if pairs.len() > cap {
        return Err(ScheduleError::Solver("more pairs than the cap".into()));
    }
    Ok(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weight(edges: &[(usize, usize, i64)], pairs: &[(usize, usize)]) -> i64 {
        pairs
            .iter()
            .map(|&(a, b)| {
                edges
                    .iter()
                    .find(|e| (e.0, e.1) == (a, b) || (e.1, e.0) == (a, b))
                    .map_or(-1_000_000, |e| e.2)
            })
            .sum()
    }

    #[test]
    fn cardinality_first_prefers_more_pairs() {
        // A path a-b-c-d: the middle edge is heavier than both ends together.
        let edges = [(0, 1, 1), (1, 2, 10), (2, 3, 1)];
        let card = best(4, &edges, 2, Goal::CardinalityFirst).unwrap_or_default();
        assert_eq!(card, [(0, 1), (2, 3)]);
        let heavy = best(4, &edges, 2, Goal::WeightOnly).unwrap_or_default();
        assert_eq!(heavy, [(1, 2)]);
    }

    #[test]
    fn the_cap_is_exact_not_a_trim() {
        // Two disjoint pairs (5 and 5) or one pair of 8 straddling them: with one table,
        // the best single pair is 8; with two, 5 + 5 (cardinality first) beats 8.
        let edges = [(0, 1, 5), (2, 3, 5), (1, 2, 8)];
        for goal in [Goal::CardinalityFirst, Goal::WeightOnly] {
            let one = best(4, &edges, 1, goal).unwrap_or_default();
            assert_eq!(one, [(1, 2)]);
        }
        let two = best(4, &edges, 2, Goal::CardinalityFirst).unwrap_or_default();
        assert_eq!(weight(&edges, &two), 10);
        // Six vertices, a triangle of heavy edges and light ones: cap 2 of 3 possible.
        let edges = [(0, 1, 9), (2, 3, 7), (4, 5, 1), (1, 2, 3)];
        let two = best(6, &edges, 2, Goal::CardinalityFirst).unwrap_or_default();
        assert_eq!(two, [(0, 1), (2, 3)]);
        let none = best(6, &edges, 0, Goal::CardinalityFirst).unwrap_or_default();
        assert!(none.is_empty());
    }

    #[test]
    fn bad_edges_are_refused_not_panicked_on() {
        assert!(best(2, &[(0, 0, 1)], 1, Goal::WeightOnly).is_err());
        assert!(best(2, &[(0, 5, 1)], 1, Goal::WeightOnly).is_err());
        assert!(best(2, &[(0, 1, -1)], 1, Goal::WeightOnly).is_err());
        assert_eq!(
            best(2, &[(0, 1, i64::MAX)], 1, Goal::WeightOnly),
            Err(ScheduleError::TooLarge)
        );
    }
}
