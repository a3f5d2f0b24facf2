//! Tiny instances solved by brute force: every feasible schedule enumerated.

mod common;

use agora_meetings::{Instance, solve};
use common::{random_instance, scores, value};
use std::collections::BTreeSet;

/// Every matching of at most `cap` pairs among `people` over pairs `ok` allows.
fn matchings(
    people: &[usize],
    cap: usize,
    ok: &dyn Fn(usize, usize) -> bool,
) -> Vec<Vec<(usize, usize)>> {
    let Some((&first, rest)) = people.split_first() else {
        return vec![Vec::new()];
    };
    // `first` sits out…
    let mut out = matchings(rest, cap, ok);
    // …or meets one of the others.
    if cap > 0 {
        for (k, &other) in rest.iter().enumerate() {
            if ok(first, other) {
                let left: Vec<usize> = rest
                    .iter()
                    .enumerate()
                    .filter(|&(j, _)| j != k)
                    .map(|(_, &p)| p)
                    .collect();
                for mut m in matchings(&left, cap - 1, ok) {
                    m.push((first.min(other), first.max(other)));
                    out.push(m);
                }
            }
        }
    }
    out
}

struct Optimum {
    /// The highest score of any feasible schedule, pins or not.
    best_score: i64,
    /// The best (pins met, meetings, score), the solver's order.
    best_value: (usize, usize, i64),
}

fn brute_force(i: &Instance) -> Optimum {
    let n = i.participants.len();
    let bans: BTreeSet<(usize, usize)> =
        i.bans.iter().map(|&(a, b)| (a.min(b), a.max(b))).collect();
    let pins: BTreeSet<(usize, usize)> =
        i.pins.iter().map(|&(a, b)| (a.min(b), a.max(b))).collect();
    let ok = |a: usize, b: usize| !bans.contains(&(a.min(b), a.max(b)));
    let per_round: Vec<Vec<Vec<(usize, usize)>>> = (0..i.rounds)
        .map(|r| {
            let people: Vec<usize> = (0..n)
                .filter(|&p| !i.participants[p].unavailable.contains(&r))
                .collect();
            matchings(&people, i.tables as usize, &ok)
        })
        .collect();
    let mut best = Optimum {
        best_score: 0,
        best_value: (0, 0, 0),
    };
    let mut schedule: Vec<(u32, usize, usize)> = Vec::new();
    fn walk(
        i: &Instance,
        per_round: &[Vec<Vec<(usize, usize)>>],
        r: usize,
        schedule: &mut Vec<(u32, usize, usize)>,
        pins: &BTreeSet<(usize, usize)>,
        best: &mut Optimum,
    ) {
        if r == per_round.len() {
            let score: i64 = scores(i, schedule).iter().sum();
            let met = schedule
                .iter()
                .filter(|m| pins.contains(&(m.1, m.2)))
                .count();
            best.best_score = best.best_score.max(score);
            best.best_value = best.best_value.max((met, schedule.len(), score));
            return;
        }
        for m in &per_round[r] {
            if m.iter().any(|p| schedule.iter().any(|s| (s.1, s.2) == *p)) {
                continue;
            }
            let before = schedule.len();
            schedule.extend(m.iter().map(|&(a, b)| (r as u32, a, b)));
            walk(i, per_round, r + 1, schedule, pins, best);
            schedule.truncate(before);
        }
    }
    walk(i, &per_round, 0, &mut schedule, &pins, &mut best);
    best
}

/// Over many tiny instances: the bound is never below the true optimum; one round is
/// solved exactly; over two rounds the gap to the optimum is measured and kept small.
#[test]
fn against_brute_force() {
    let (mut cases, mut exact, mut worst) = (0, 0, 1.0f64);
    let mut total = (0i64, 0i64);
    for seed in 0..600u64 {
        let rounds = 1 + (seed % 3) as u32; // 1..=3
        // Up to 6 people over one or two rounds, 5 over three.
        let n = 2 + (seed / 3 % if rounds == 3 { 4 } else { 5 }) as usize;
        let tables = 1 + (seed / 15 % 3) as u32; // 1..=3
        let i = random_instance(n, rounds, tables, seed);
        let s = solve(&i).unwrap();
        common::check(&i, &s).unwrap();
        let opt = brute_force(&i);
        assert!(
            s.upper_bound >= opt.best_score,
            "seed {seed}: bound {} below the optimum {}",
            s.upper_bound,
            opt.best_score
        );
        let found = value(&i, &s);
        assert!(
            found <= opt.best_value,
            "seed {seed}: better than the optimum?"
        );
        // Exact: one round once the pins are placed (when some must give way, which ones
        // is a heuristic choice).
        if rounds == 1 && s.unmet_pins.is_empty() {
            assert_eq!(
                found, opt.best_value,
                "seed {seed}: one round must be exact"
            );
        }
        cases += 1;
        if found != opt.best_value {
            println!(
                "seed {seed}: {n} people, {rounds} rounds, {tables} tables: {found:?} < {:?}",
                opt.best_value
            );
        }
        if found == opt.best_value {
            exact += 1;
        } else if opt.best_value.2 > 0 {
            worst = worst.min(found.2 as f64 / opt.best_value.2 as f64);
        }
        total.0 += found.2;
        total.1 += opt.best_value.2;
    }
    println!(
        "{exact}/{cases} optimal; worst objective/optimum {worst:.3}; overall {:.4}",
        total.0 as f64 / total.1.max(1) as f64
    );
    // Measured on these seeds (see the crate's documentation): kept as a regression guard.
    assert!(exact * 100 >= cases * 90);
}

#[test]
fn the_brute_force_enumerates_matchings() {
    // 4 people, any pair: 1 empty + 6 single pairs + 3 perfect matchings.
    assert_eq!(matchings(&[0, 1, 2, 3], 2, &|_, _| true).len(), 10);
    assert_eq!(matchings(&[0, 1, 2, 3], 1, &|_, _| true).len(), 7);
    assert_eq!(matchings(&[0, 1, 2, 3], 0, &|_, _| true).len(), 1);
}
