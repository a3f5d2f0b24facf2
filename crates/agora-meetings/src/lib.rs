//! The speed-meeting scheduler of an event: pure computation, no database, no I/O.
//!
//! # The problem
//! `participants` meet two by two during `rounds` rounds of fixed length, at most `tables`
//! meetings per round. A schedule is feasible when no pair meets twice, nobody is in two
//! places in one round, nobody meets in a round they said they could not attend, no banned
//! pair meets, and every pinned pair meets once (when it can: see below).
//!
//! # What is optimised, in this order
//! 1. the pins honoured (they are placed first, before any other meeting);
//! 2. the number of meetings — nobody idle when it can be avoided;
//! 3. the score: the sum of the meetings' scores ([`Schedule::objective`]).
//!
//! The order of 2 then 3 is lexicographic: the matching solver is asked for a
//! maximum-cardinality matching first and, among those, the heaviest. This is the same as
//! giving each meeting a constant larger than any schedule's total score, without the
//! constant.
//!
//! # The score of a meeting (module `score`, weights in [`Weights`])
//! - each side's wish: the first wish is worth `wish_first`, each rank after it
//!   `wish_step` less, never below `wish_floor`; wishing the other is counted for each side;
//! - `mutual` more when both wished each other;
//! - complementarity: `complement` for every code one side offers that the other needs,
//!   both ways;
//! - the balance of régions: each side whose région differs from the other's earns
//!   `region / (k + 1)` (integer division), `k` being how many people of that other région
//!   it met in earlier rounds: the first meeting with a région is worth the full bonus, the
//!   second half of it, and so on. Over a whole schedule a participant's région bonus is
//!   `Σ_R Σ_{i=1..count(R)} region / i`, which does not depend on the order of the rounds:
//!   that is what lets one round be re-solved exactly with the others fixed (a participant
//!   meets at most one person per round, so the marginal value of a meeting is known).
//!
//! [`pair_score`] is the static score of a pair: the région bonus at its full value. A
//! meeting's [`Meeting::score`] is at most its pair score (less when the région bonus
//! decayed).
//!
//! # The method (module `solve`): what is exact, what is not
//! - **Pins** (module `pins`): a depth-first search places every pin in a round where both
//!   are available and neither has another pin, within the tables (exact: it finds a
//!   placement whenever one exists, up to a budget of search nodes); if none exists, rounds
//!   are filled one by one with a maximum-cardinality matching of the remaining pins, the
//!   most constrained first (a heuristic). A pin that cannot be placed is reported in
//!   [`Schedule::unmet_pins`] with its [`PinObstacle`].
//! - **One round**, its pins placed, is solved **exactly**: a maximum-weight matching among maximum-
//!   cardinality matchings (Edmonds' blossom algorithm, crate `mwmatching`), over the pairs
//!   that are allowed and not already met in another round, capped at the free tables by
//!   dummy vertices (module `matching`: the cap is exact, not a trim of a larger matching).
//! - **All rounds together** are not solved exactly (the "no pair twice" constraint couples
//!   them; the problem is NP-hard in general): rounds are built one after the other, then
//!   improved by a local search whose every step is an exact matching (module `improve`):
//!   re-solve one round with the others fixed, re-solve two rounds in turn, move a pin to
//!   another round. Each accepted move strictly improves (meetings, score), so this
//!   terminates; the search stops earlier when its work budget ([`Effort`]) is spent, which
//!   happens from about a hundred participants on. Every round stays maximal whatever the
//!   budget: two idle people who may still meet are seated if a table is free.
//! - **The upper bound** (module `bound`) is proven valid for every feasible schedule, not
//!   just the one found; [`Schedule::ratio`] reports objective / bound. The tests compare
//!   with the optimum found by brute force on tiny instances.
//!
//! # Measured
//! - Brute force (tests/brute.rs, 600 instances of 2 to 6 people over 1 to 3 rounds): the
//!   optimum (pins, meetings, score) is reached in 593; the bound is never below it.
//! - `agora-bench meetings --participants 200 --rounds 8 --tables 100` (release, 2 cores):
//!   770 meetings, every seat that can be filled; about 1.3 s; objective / bound ≈ 0.96,
//!   against ≈ 0.92 for a greedy taking the best pair first.

mod bound;
mod greedy;
mod improve;
mod matching;
mod pins;
mod score;
mod solve;

pub use bound::{Bounds, upper_bounds};
pub use greedy::greedy;
pub use score::{ScoreParts, Weights, explain, pair_score};
pub use solve::{solve, solve_with};

use std::collections::BTreeSet;

/// An event's speed meetings to schedule.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Instance {
    pub participants: Vec<Participant>,
    /// Rounds are numbered `0..rounds`.
    pub rounds: u32,
    /// At most this many meetings per round (one pair per table).
    pub tables: u32,
    /// Pairs that must meet (indices into `participants`).
    pub pins: Vec<(usize, usize)>,
    /// Pairs that must never meet.
    pub bans: Vec<(usize, usize)>,
    pub weights: Weights,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Participant {
    /// INSEE région code.
    pub region: Option<String>,
    /// Ranked: whom they want to meet, the first most wanted. Oneself and repeats after the
    /// first are ignored.
    pub wishes: Vec<usize>,
    /// Skill or theme codes they offer.
    pub offers: BTreeSet<String>,
    /// Skill or theme codes they look for.
    pub needs: BTreeSet<String>,
    /// Rounds they cannot attend (numbers past the last round are ignored).
    pub unavailable: BTreeSet<u32>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Schedule {
    /// Sorted by (round, table); `a < b`.
    pub meetings: Vec<Meeting>,
    /// The sum of the meetings' scores.
    pub objective: i64,
    /// A proven upper bound on the objective of any feasible schedule.
    pub upper_bound: i64,
    /// (round, participant): available that round but without a meeting; sorted.
    pub idle: Vec<(u32, usize)>,
    /// Pins that could not be honoured, `a < b`, sorted.
    pub unmet_pins: Vec<(usize, usize)>,
    /// Why, for each of `unmet_pins` (same order).
    pub unmet_reasons: Vec<PinObstacle>,
    /// The bounds whose minimum is `upper_bound`.
    pub bounds: Bounds,
    /// How the schedule was found.
    pub stats: SolveStats,
}

impl Schedule {
    /// objective / upper bound: 1.0 is proven optimal (an empty problem counts as 1.0).
    pub fn ratio(&self) -> f64 {
        if self.upper_bound <= 0 {
            1.0
        } else {
            self.objective as f64 / self.upper_bound as f64
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Meeting {
    pub round: u32,
    pub table: u32,
    pub a: usize,
    pub b: usize,
    pub score: i64,
}

/// Why a pin could not be honoured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinObstacle {
    /// No round where both are available.
    NoCommonRound,
    /// In every round where both are available, one of them meets another pinned partner,
    /// or the pinned meetings already take every table.
    Crowded,
}

/// How much local search: a budget of work, a round's re-solve costing the cube of the
/// people present in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Effort {
    pub work: u64,
}

impl Default for Effort {
    /// About 60 re-solves of a round of 200 people (around a second, release build);
    /// unlimited in practice below 50 people.
    fn default() -> Self {
        Effort {
            work: 60 * 200u64.pow(3),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SolveStats {
    /// Whether the pins were placed by the exhaustive search (else by the heuristic).
    pub pins_exact: bool,
    /// Rounds re-solved during the improvement.
    pub resolved_rounds: u32,
    /// Moves that improved the schedule.
    pub improvements: u32,
    /// One-round improvement passes over all rounds.
    pub passes: u32,
    /// Sweeps of two-round and pin moves.
    pub sweeps: u32,
    /// Pins moved to another round by the improvement.
    pub pin_moves: u32,
    /// (meetings, score) after the first construction, before the improvement passes.
    pub constructed: (usize, i64),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    #[error("{list}: participant {index} does not exist (there are {count})")]
    OutOfRange {
        list: &'static str,
        index: usize,
        count: usize,
    },
    #[error("{list}: participant {participant} paired with themself")]
    SelfPair {
        list: &'static str,
        participant: usize,
    },
    #[error("pins: the pair ({a}, {b}) is also banned")]
    PinBanned { a: usize, b: usize },
    #[error("pins: the pair ({a}, {b}) is pinned twice")]
    DuplicatePin { a: usize, b: usize },
    #[error("pins: participant {participant} is pinned to {pins} partners over {rounds} rounds")]
    PinnedTooOften {
        participant: usize,
        pins: usize,
        rounds: u32,
    },
    #[error("weights: {name} is negative")]
    NegativeWeight { name: &'static str },
    #[error("the scores are too large for the matching solver's integers")]
    TooLarge,
    #[error("the matching solver failed: {0}")]
    Solver(String),
}

/// Checks indices, pins and bans, weights and sizes; `solve` and `greedy` call it first.
pub fn validate(instance: &Instance) -> Result<(), ScheduleError> {
    let count = instance.participants.len();
    let in_range = |list, index: usize| {
        if index < count {
            Ok(())
        } else {
            Err(ScheduleError::OutOfRange { list, index, count })
        }
    };
    for p in &instance.participants {
        for &w in &p.wishes {
            in_range("wishes", w)?;
        }
    }
    for (list, pairs) in [("pins", &instance.pins), ("bans", &instance.bans)] {
        for &(a, b) in pairs {
            in_range(list, a)?;
            in_range(list, b)?;
            if a == b {
                return Err(ScheduleError::SelfPair {
                    list,
                    participant: a,
                });
            }
        }
    }
    let bans: BTreeSet<(usize, usize)> = instance.bans.iter().map(|&p| ordered(p)).collect();
    let mut pins = BTreeSet::new();
    let mut per_participant = vec![0usize; count];
    for &pin in &instance.pins {
        let (a, b) = ordered(pin);
        if bans.contains(&(a, b)) {
            return Err(ScheduleError::PinBanned { a, b });
        }
        if !pins.insert((a, b)) {
            return Err(ScheduleError::DuplicatePin { a, b });
        }
        per_participant[a] += 1;
        per_participant[b] += 1;
    }
    if let Some((participant, &pins)) = per_participant
        .iter()
        .enumerate()
        .find(|&(_, &n)| n > instance.rounds as usize)
    {
        return Err(ScheduleError::PinnedTooOften {
            participant,
            pins,
            rounds: instance.rounds,
        });
    }
    instance.weights.check()?;
    // The matching solver works in i32 and doubles the weights internally.
    if score::max_pair_score(instance) > i64::from(i32::MAX / 8) {
        return Err(ScheduleError::TooLarge);
    }
    Ok(())
}

/// A pair with its smaller index first.
pub(crate) fn ordered((a, b): (usize, usize)) -> (usize, usize) {
    if a <= b { (a, b) } else { (b, a) }
}
