//! The baseline the benchmark compares with: after the same pin placement, the best
//! remaining pair first, in the first round where both are free and a table is left. Not
//! optimal, and not presented as such.

use crate::score::Model;
use crate::solve::{fill_idle, finish};
use crate::{Instance, Schedule, ScheduleError, SolveStats, pins, validate};

pub fn greedy(instance: &Instance) -> Result<Schedule, ScheduleError> {
    validate(instance)?;
    let model = Model::new(instance);
    let placed = pins::place(&model)?;
    let n = model.n;
    let rounds = model.rounds as usize;
    let mut busy = vec![vec![false; n]; rounds];
    let mut used = vec![0usize; rounds];
    for (r, pins) in placed.by_round.iter().enumerate() {
        for &(a, b) in pins {
            busy[r][a] = true;
            busy[r][b] = true;
            used[r] += 1;
        }
    }
    let mut pairs: Vec<(i64, usize, usize)> = (0..n)
        .flat_map(|a| (a + 1..n).map(move |b| (a, b)))
        .filter(|&(a, b)| model.allowed(a, b))
        .map(|(a, b)| (model.full(a, b), a, b))
        .collect();
    pairs.sort_unstable_by(|x, y| y.0.cmp(&x.0).then((x.1, x.2).cmp(&(y.1, y.2))));
    let mut matched = vec![Vec::new(); rounds];
    for (_, a, b) in pairs {
        let free = |r: usize| {
            model.both(r as u32, a, b) && !busy[r][a] && !busy[r][b] && used[r] < model.tables
        };
        if let Some(r) = (0..rounds).find(|&r| free(r)) {
            busy[r][a] = true;
            busy[r][b] = true;
            used[r] += 1;
            matched[r].push((a, b));
        }
    }
    // Every pair was offered every round, so nothing is left to add; kept for symmetry.
    fill_idle(&model, &placed, &mut matched);
    finish(&model, &placed, matched, SolveStats::default())
}
