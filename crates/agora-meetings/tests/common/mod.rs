//! Random instances, an independent checker of schedules, and an independent scorer.
#![allow(dead_code)]

use agora_meetings::{Instance, Meeting, Participant, PinObstacle, Schedule, Weights, explain};
use std::collections::{BTreeMap, BTreeSet};

/// A small deterministic generator (xorshift), so that a proptest case is its seed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const REGIONS: [&str; 5] = ["11", "84", "76", "53", "94"];
const CODES: [&str; 8] = [
    "juridique",
    "redaction",
    "graphisme",
    "financement",
    "animation",
    "formation",
    "aidants",
    "nutrition",
];

/// A random valid instance: wishes (with some repeats and self-wishes, which are ignored),
/// offers and needs, régions (some unknown), unavailability, pins and bans.
pub fn random_instance(n: usize, rounds: u32, tables: u32, seed: u64) -> Instance {
    let mut rng = Rng::new(seed);
    let mut participants = Vec::new();
    for _ in 0..n {
        let region = (!rng.chance(10)).then(|| REGIONS[rng.below(REGIONS.len())].to_string());
        let wishes = (0..rng.below(9)).map(|_| rng.below(n)).collect();
        let mut codes = |k: usize| -> BTreeSet<String> {
            (0..rng.below(k))
                .map(|_| CODES[rng.below(CODES.len())].to_string())
                .collect()
        };
        let offers = codes(4);
        let needs = codes(4);
        let unavailable = (0..rounds + 1).filter(|_| rng.chance(15)).collect();
        participants.push(Participant {
            region,
            wishes,
            offers,
            needs,
            unavailable,
        });
    }
    let mut pins = BTreeSet::new();
    let mut pinned = vec![0u32; n];
    for _ in 0..rng.below(n / 3 + 1) {
        let (a, b) = (rng.below(n), rng.below(n));
        let p = (a.min(b), a.max(b));
        if a != b && pinned[a] < rounds && pinned[b] < rounds && pins.insert(p) {
            pinned[a] += 1;
            pinned[b] += 1;
        }
    }
    let mut bans = Vec::new();
    for _ in 0..rng.below(n / 2 + 1) {
        let (a, b) = (rng.below(n), rng.below(n));
        if a != b && !pins.contains(&(a.min(b), a.max(b))) {
            // Either order: the solver must not care.
            bans.push((a, b));
        }
    }
    // Pins in either order too.
    let pins = pins
        .into_iter()
        .map(|(a, b)| if rng.chance(50) { (a, b) } else { (b, a) })
        .collect();
    Instance {
        participants,
        rounds,
        tables,
        pins,
        bans,
        weights: Weights::default(),
    }
}

fn ordered(a: usize, b: usize) -> (usize, usize) {
    (a.min(b), a.max(b))
}

fn available(i: &Instance, r: u32, a: usize) -> bool {
    !i.participants[a].unavailable.contains(&r)
}

/// The scores of meetings given in round order, computed from the definition: the pair
/// score less its région part, plus each side's région share given whom it met earlier.
pub fn scores(i: &Instance, meetings: &[(u32, usize, usize)]) -> Vec<i64> {
    let mut met: BTreeMap<(usize, String), usize> = BTreeMap::new();
    let mut out = Vec::new();
    let mut sorted: Vec<(u32, usize, usize)> = meetings.to_vec();
    sorted.sort_by_key(|m| m.0);
    let mut round = None;
    let mut pending: Vec<(usize, String)> = Vec::new();
    for &(r, a, b) in &sorted {
        if round != Some(r) {
            for key in pending.drain(..) {
                *met.entry(key).or_default() += 1;
            }
            round = Some(r);
        }
        let parts = explain(i, a, b);
        let mut s = parts.total - parts.region;
        let (ra, rb) = (&i.participants[a].region, &i.participants[b].region);
        if let (Some(ra), Some(rb)) = (ra, rb)
            && ra != rb
        {
            let ka = met.get(&(a, rb.clone())).copied().unwrap_or(0);
            let kb = met.get(&(b, ra.clone())).copied().unwrap_or(0);
            s += i.weights.region_share(ka) + i.weights.region_share(kb);
            pending.push((a, rb.clone()));
            pending.push((b, ra.clone()));
        }
        out.push(s);
    }
    out
}

/// Every promise of a schedule, checked from the instance alone.
pub fn check(i: &Instance, s: &Schedule) -> Result<(), String> {
    let n = i.participants.len();
    let bans: BTreeSet<(usize, usize)> = i.bans.iter().map(|&(a, b)| ordered(a, b)).collect();
    let pins: BTreeSet<(usize, usize)> = i.pins.iter().map(|&(a, b)| ordered(a, b)).collect();
    let mut pairs = BTreeSet::new();
    let mut seated: BTreeSet<(u32, usize)> = BTreeSet::new();
    let mut last: Option<(u32, u32)> = None;
    for m in &s.meetings {
        let Meeting {
            round, table, a, b, ..
        } = *m;
        if last.is_some_and(|l| l >= (round, table)) {
            return Err(format!("meetings not sorted by (round, table) at {m:?}"));
        }
        last = Some((round, table));
        if a >= b || b >= n || round >= i.rounds || table >= i.tables {
            return Err(format!("meeting out of range: {m:?}"));
        }
        if !pairs.insert((a, b)) {
            return Err(format!("pair ({a}, {b}) meets twice"));
        }
        for p in [a, b] {
            if !seated.insert((round, p)) {
                return Err(format!("participant {p} twice in round {round}"));
            }
            if !available(i, round, p) {
                return Err(format!("participant {p} unavailable in round {round}"));
            }
        }
        if bans.contains(&(a, b)) {
            return Err(format!("banned pair ({a}, {b}) meets"));
        }
    }
    // Pins: met, or unmet for a reason that holds.
    if s.unmet_pins.len() != s.unmet_reasons.len() {
        return Err("unmet pins and reasons differ in length".into());
    }
    let unmet: BTreeMap<(usize, usize), PinObstacle> = s
        .unmet_pins
        .iter()
        .copied()
        .zip(s.unmet_reasons.iter().copied())
        .collect();
    for &(a, b) in &pins {
        let met = pairs.contains(&(a, b));
        match (met, unmet.get(&(a, b))) {
            (true, None) => {}
            (true, Some(_)) => return Err(format!("pin ({a}, {b}) met and reported unmet")),
            (false, None) => return Err(format!("pin ({a}, {b}) neither met nor reported")),
            (false, Some(PinObstacle::NoCommonRound)) => {
                if let Some(r) = (0..i.rounds).find(|&r| available(i, r, a) && available(i, r, b)) {
                    return Err(format!("pin ({a}, {b}): both available in round {r}"));
                }
            }
            (false, Some(PinObstacle::Crowded)) => {
                for r in (0..i.rounds).filter(|&r| available(i, r, a) && available(i, r, b)) {
                    let pinned: Vec<&Meeting> = s
                        .meetings
                        .iter()
                        .filter(|m| m.round == r && pins.contains(&(m.a, m.b)))
                        .collect();
                    let taken = pinned.iter().any(|m| [m.a, m.b].contains(&a))
                        || pinned.iter().any(|m| [m.a, m.b].contains(&b))
                        || pinned.len() >= i.tables as usize;
                    if !taken {
                        return Err(format!(
                            "pin ({a}, {b}) crowded out, yet round {r} was free"
                        ));
                    }
                }
            }
        }
    }
    if unmet.keys().any(|p| !pins.contains(p)) {
        return Err("an unmet pin that is no pin".into());
    }
    // Scores and objective.
    let list: Vec<(u32, usize, usize)> = s.meetings.iter().map(|m| (m.round, m.a, m.b)).collect();
    let expected = scores(i, &list);
    for (m, e) in s.meetings.iter().zip(&expected) {
        if m.score != *e {
            return Err(format!("meeting {m:?} should score {e}"));
        }
    }
    let total: i64 = s.meetings.iter().map(|m| m.score).sum();
    if s.objective != total {
        return Err(format!(
            "objective {} != sum of scores {total}",
            s.objective
        ));
    }
    if s.objective > s.upper_bound {
        return Err(format!(
            "objective {} above the bound {}",
            s.objective, s.upper_bound
        ));
    }
    // Idle slots, and nobody idle who could meet someone idle too.
    let idle: Vec<(u32, usize)> = (0..i.rounds)
        .flat_map(|r| (0..n).map(move |p| (r, p)))
        .filter(|&(r, p)| available(i, r, p) && !seated.contains(&(r, p)))
        .collect();
    if idle != s.idle {
        return Err(format!("idle {:?}, expected {idle:?}", s.idle));
    }
    for r in 0..i.rounds {
        let in_round = s.meetings.iter().filter(|m| m.round == r).count();
        if in_round >= i.tables as usize {
            continue;
        }
        let here: Vec<usize> = idle.iter().filter(|x| x.0 == r).map(|x| x.1).collect();
        for (k, &a) in here.iter().enumerate() {
            for &b in &here[k + 1..] {
                if !bans.contains(&(a, b)) && !pairs.contains(&(a, b)) {
                    return Err(format!("{a} and {b} idle in round {r} with a table free"));
                }
            }
        }
    }
    Ok(())
}

/// (pins met, meetings, objective): what the solver optimises, in order.
pub fn value(i: &Instance, s: &Schedule) -> (usize, usize, i64) {
    (
        i.pins.len() - s.unmet_pins.len(),
        s.meetings.len(),
        s.objective,
    )
}
