//! Pins are placed before any other meeting: each in a round where both are available, one
//! pin per participant and round, no more pins in a round than tables.
//!
//! Placing them all is an edge-colouring problem with forbidden colours (NP-complete in
//! general), but pins are few: a depth-first search, the most constrained pin first, finds
//! a placement of all of them whenever one exists, within a budget of search nodes. When it
//! finds none, rounds are filled one after the other by a maximum-cardinality matching of
//! the pins left (the most constrained weigh most): then a pin left out met, in each of its
//! common rounds, a participant already pinned or full tables (else the matching of that
//! round was not maximum), which is what [`PinObstacle::Crowded`] states. Which pins give
//! way is then a heuristic choice (the least urgent, then the lower pair score).

use crate::matching::{self, Goal};
use crate::score::Model;
use crate::{PinObstacle, ScheduleError};
use std::collections::BTreeMap;

/// Search nodes before giving up the exhaustive search.
const BUDGET: u64 = 200_000;

pub(crate) struct Placed {
    /// The pins met in each round.
    pub by_round: Vec<Vec<(usize, usize)>>,
    /// Sorted by pair.
    pub unmet: Vec<((usize, usize), PinObstacle)>,
    /// Every placeable pin placed by the exhaustive search.
    pub exact: bool,
}

struct Search<'a> {
    model: &'a Model,
    pins: Vec<((usize, usize), Vec<u32>)>,
    /// `busy[round][participant]`
    busy: Vec<Vec<bool>>,
    used: Vec<usize>,
    chosen: Vec<u32>,
    nodes: u64,
}

impl Search<'_> {
    fn fits(&self, r: u32, (a, b): (usize, usize)) -> bool {
        let r = r as usize;
        !self.busy[r][a] && !self.busy[r][b] && self.used[r] < self.model.tables
    }

    fn set(&mut self, r: u32, (a, b): (usize, usize), on: bool) {
        let r = r as usize;
        self.busy[r][a] = on;
        self.busy[r][b] = on;
        if on {
            self.used[r] += 1;
        } else {
            self.used[r] -= 1;
        }
    }

    /// Places pins `i..`; false when impossible or out of budget.
    fn place(&mut self, i: usize) -> bool {
        let Some((pair, rounds)) = self.pins.get(i).cloned() else {
            return true;
        };
        for r in rounds {
            self.nodes += 1;
            if self.nodes > BUDGET {
                return false;
            }
            if self.fits(r, pair) {
                self.set(r, pair, true);
                self.chosen.push(r);
                if self.place(i + 1) {
                    return true;
                }
                self.chosen.pop();
                self.set(r, pair, false);
            }
        }
        false
    }
}

pub(crate) fn place(model: &Model) -> Result<Placed, ScheduleError> {
    let rounds = model.rounds as usize;
    let mut unmet = BTreeMap::new();
    let mut pins = Vec::new();
    for &(a, b) in &model.pins {
        let common: Vec<u32> = (0..model.rounds).filter(|&r| model.both(r, a, b)).collect();
        if common.is_empty() {
            unmet.insert((a, b), PinObstacle::NoCommonRound);
        } else {
            pins.push(((a, b), common));
        }
    }
    // The most constrained first: fewest rounds, then the busiest participants.
    let mut degree = vec![0usize; model.n];
    for ((a, b), _) in &pins {
        degree[*a] += 1;
        degree[*b] += 1;
    }
    pins.sort_by_key(|((a, b), rounds)| (rounds.len(), usize::MAX - degree[*a] - degree[*b]));
    let mut search = Search {
        model,
        pins,
        busy: vec![vec![false; model.n]; rounds],
        used: vec![0; rounds],
        chosen: Vec::new(),
        nodes: 0,
    };
    let mut by_round = vec![Vec::new(); rounds];
    if search.place(0) {
        for ((pair, _), &r) in search.pins.iter().zip(&search.chosen) {
            by_round[r as usize].push(*pair);
        }
        return Ok(Placed {
            by_round,
            unmet: unmet.into_iter().collect(),
            exact: true,
        });
    }
    let mut left: Vec<((usize, usize), Vec<u32>)> = search.pins;
    let top = left
        .iter()
        .map(|&((a, b), _)| model.full(a, b))
        .max()
        .unwrap_or(0);
    for r in 0..model.rounds {
        let here: Vec<usize> = (0..left.len())
            .filter(|&i| left[i].1.contains(&r))
            .collect();
        // Local vertex numbers for the participants of this round's pins.
        let mut local = BTreeMap::new();
        let mut edges = Vec::new();
        for &i in &here {
            let ((a, b), ref common) = left[i];
            let next = local.len();
            let la = *local.entry(a).or_insert(next);
            let next = local.len();
            let lb = *local.entry(b).or_insert(next);
            // Fewer remaining rounds: more urgent; among equally urgent, the better pair.
            let later = common.iter().filter(|&&c| c > r).count() as i64;
            let urgency = i64::from(model.rounds) - later;
            edges.push((la, lb, urgency * (top + 1) + model.full(a, b)));
        }
        let chosen = matching::best(local.len(), &edges, model.tables, Goal::CardinalityFirst)?;
        let mut placed: Vec<usize> = Vec::new();
        for (x, y) in chosen {
            if let Some(&i) = here.iter().find(|&&i| {
                let (la, lb) = (local[&left[i].0.0], local[&left[i].0.1]);
                (la, lb) == (x, y) || (lb, la) == (x, y)
            }) {
                placed.push(i);
            }
        }
        placed.sort_unstable();
        for &i in placed.iter().rev() {
            by_round[r as usize].push(left.remove(i).0);
        }
    }
    for (pair, _) in left {
        unmet.insert(pair, PinObstacle::Crowded);
    }
    Ok(Placed {
        by_round,
        unmet: unmet.into_iter().collect(),
        exact: false,
    })
}
