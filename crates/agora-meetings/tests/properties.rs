//! The scheduler's promises as properties over random instances.

mod common;

use agora_meetings::{Instance, ScheduleError, greedy, solve, upper_bounds};
use common::{check, random_instance};
use proptest::prelude::*;

fn sizes() -> impl Strategy<Value = (usize, u32, u32, u64)> {
    (2usize..=40, 1u32..=6, any::<u64>()).prop_flat_map(|(n, rounds, seed)| {
        // From very few tables (most people idle) to more than enough.
        (Just(n), Just(rounds), 0u32..=(n as u32 / 2 + 2), Just(seed))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn every_schedule_keeps_every_promise((n, rounds, tables, seed) in sizes()) {
        let instance = random_instance(n, rounds, tables, seed);
        let schedule = solve(&instance).map_err(|e| TestCaseError::fail(e.to_string()))?;
        if let Err(e) = check(&instance, &schedule) {
            prop_assert!(false, "{e}\n{instance:?}\n{schedule:?}");
        }
        prop_assert!(schedule.ratio() <= 1.0);
        // The bound does not depend on the schedule.
        prop_assert_eq!(upper_bounds(&instance).ok(), Some(schedule.bounds));
        // The improvement passes never lose what the construction had.
        prop_assert!(
            (schedule.meetings.len(), schedule.objective) >= schedule.stats.constructed
        );
    }

    #[test]
    fn the_greedy_baseline_is_feasible_and_places_the_same_pins((n, rounds, tables, seed) in sizes()) {
        let instance = random_instance(n, rounds, tables, seed);
        let g = greedy(&instance).map_err(|e| TestCaseError::fail(e.to_string()))?;
        if let Err(e) = check(&instance, &g) {
            prop_assert!(false, "{e}\n{instance:?}\n{g:?}");
        }
        let s = solve(&instance).map_err(|e| TestCaseError::fail(e.to_string()))?;
        // Same pins placed; the solver's rounds are maximum matchings, the greedy's maximal.
        prop_assert_eq!(&g.unmet_pins, &s.unmet_pins);
    }

    #[test]
    fn solving_is_deterministic((n, rounds, tables, seed) in sizes()) {
        let instance = random_instance(n, rounds, tables, seed);
        prop_assert_eq!(solve(&instance).ok(), solve(&instance).ok());
    }
}

fn small() -> Instance {
    random_instance(6, 2, 3, 7)
}

#[test]
fn bad_instances_are_refused_with_a_reason() {
    let mut i = small();
    i.participants[0].wishes.push(6);
    assert!(matches!(
        solve(&i),
        Err(ScheduleError::OutOfRange {
            list: "wishes",
            index: 6,
            ..
        })
    ));

    let mut i = small();
    i.pins = vec![(0, 9)];
    assert!(matches!(
        solve(&i),
        Err(ScheduleError::OutOfRange { list: "pins", .. })
    ));

    let mut i = small();
    i.pins.clear();
    i.bans = vec![(2, 2)];
    assert!(matches!(
        solve(&i),
        Err(ScheduleError::SelfPair {
            list: "bans",
            participant: 2
        })
    ));

    let mut i = small();
    i.pins = vec![(1, 3)];
    i.bans = vec![(3, 1)];
    assert_eq!(solve(&i), Err(ScheduleError::PinBanned { a: 1, b: 3 }));

    let mut i = small();
    i.bans.clear();
    i.pins = vec![(1, 3), (3, 1)];
    assert_eq!(solve(&i), Err(ScheduleError::DuplicatePin { a: 1, b: 3 }));

    let mut i = small();
    i.bans.clear();
    i.pins = vec![(0, 1), (0, 2), (0, 3)];
    assert_eq!(
        solve(&i),
        Err(ScheduleError::PinnedTooOften {
            participant: 0,
            pins: 3,
            rounds: 2
        })
    );

    let mut i = small();
    i.weights.mutual = -1;
    assert_eq!(
        solve(&i),
        Err(ScheduleError::NegativeWeight { name: "mutual" })
    );

    let mut i = small();
    i.weights.wish_first = i64::MAX / 2;
    assert_eq!(solve(&i), Err(ScheduleError::TooLarge));
}

#[test]
fn empty_and_degenerate_instances() {
    let empty = solve(&Instance::default()).unwrap();
    assert!(empty.meetings.is_empty());
    assert_eq!((empty.objective, empty.upper_bound), (0, 0));
    assert_eq!(empty.ratio(), 1.0);

    // No tables: everybody idle, pins crowded out.
    let mut i = small();
    i.bans.clear();
    i.tables = 0;
    i.pins = vec![(0, 1)];
    for p in &mut i.participants {
        p.unavailable.clear();
    }
    let s = solve(&i).unwrap();
    assert!(s.meetings.is_empty());
    assert_eq!(s.idle.len(), 12);
    assert_eq!(s.unmet_pins, [(0, 1)]);
    assert_eq!(s.unmet_reasons, [agora_meetings::PinObstacle::Crowded]);
    assert_eq!(s.upper_bound, 0);
    check(&i, &s).unwrap();
}

#[test]
fn a_pin_is_met_in_a_common_round_or_said_impossible() {
    let mut i = small();
    i.bans.clear();
    for p in &mut i.participants {
        p.unavailable.clear();
    }
    i.participants[0].unavailable = [0].into();
    i.participants[1].unavailable = [1].into();
    i.participants[2].unavailable = [0].into();
    i.pins = vec![(1, 0), (2, 3)];
    let s = solve(&i).unwrap();
    check(&i, &s).unwrap();
    assert_eq!(s.unmet_pins, [(0, 1)]);
    assert_eq!(
        s.unmet_reasons,
        [agora_meetings::PinObstacle::NoCommonRound]
    );
    assert!(s.meetings.iter().any(|m| (m.round, m.a, m.b) == (1, 2, 3)));
}

#[test]
fn pins_that_need_a_search_are_all_placed() {
    // A triangle of pins over three rounds, where the greedy order would block itself:
    // 0 and 1 can only meet in round 2, 1 and 2 only in rounds 0 or 2.
    let mut i = random_instance(6, 3, 3, 11);
    i.bans.clear();
    for p in &mut i.participants {
        p.unavailable.clear();
    }
    i.pins = vec![(0, 1), (1, 2), (0, 2)];
    i.participants[0].unavailable = [0].into();
    i.participants[1].unavailable = [1].into();
    let s = solve(&i).unwrap();
    check(&i, &s).unwrap();
    assert!(s.unmet_pins.is_empty());
    assert!(s.stats.pins_exact);
}

/// The checker itself catches broken schedules (else the properties would prove nothing).
#[test]
fn the_checker_catches_broken_schedules() {
    let mut i = random_instance(12, 3, 6, 5);
    i.pins.clear();
    i.bans.clear();
    let s = solve(&i).unwrap();
    check(&i, &s).unwrap();
    let first = s.meetings[0];
    type Breaker = Box<dyn Fn(&mut agora_meetings::Schedule)>;
    let broken: Vec<(&str, Breaker)> = vec![
        (
            "a pair twice",
            Box::new(move |s| {
                let mut m = first;
                m.round = 2;
                m.table = 99;
                s.meetings.push(m);
            }),
        ),
        ("objective", Box::new(|s| s.objective += 1)),
        ("score", Box::new(|s| s.meetings[0].score += 1)),
        ("bound", Box::new(|s| s.upper_bound = s.objective - 1)),
        (
            "idle",
            Box::new(|s| {
                s.meetings.remove(0);
            }),
        ),
        ("unmet pin", Box::new(|s| s.unmet_pins.push((0, 1)))),
    ];
    for (what, breaks) in broken {
        let mut b = s.clone();
        breaks(&mut b);
        assert!(check(&i, &b).is_err(), "{what} not caught");
    }
    // A ban, an unavailability, a missing pin: caught against the instance.
    let mut banned = i.clone();
    banned.bans.push((first.a, first.b));
    assert!(check(&banned, &s).is_err());
    let mut away = i.clone();
    away.participants[first.a].unavailable.insert(first.round);
    assert!(check(&away, &s).is_err());
    let mut pinned = i.clone();
    let unmet = (0..12)
        .flat_map(|a| (a + 1..12).map(move |b| (a, b)))
        .find(|p| !s.meetings.iter().any(|m| (m.a, m.b) == *p))
        .unwrap();
    pinned.pins.push(unmet);
    assert!(check(&pinned, &s).is_err());
}
