//! Pair scores: wishes, complementarity of offers and needs, the balance of régions.

use crate::{Instance, ScheduleError, ordered};
use std::collections::{BTreeMap, BTreeSet};

/// Tunable scoring weights (all non-negative).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Weights {
    /// One side's first wish.
    pub wish_first: i64,
    /// Less for each rank after the first…
    pub wish_step: i64,
    /// …but never below this.
    pub wish_floor: i64,
    /// Added when both sides wished each other.
    pub mutual: i64,
    /// For each code one side offers that the other needs (both ways counted).
    pub complement: i64,
    /// Each side's bonus for meeting someone of another région, divided by 1 + the number
    /// of people of that région it met in earlier rounds.
    pub region: i64,
}

impl Default for Weights {
    /// A first wish (60) is worth four complementary codes (15 each); a mutual first wish
    /// (60 + 60 + 40) outweighs any one-sided wish plus a few codes; the région bonus (12 a
    /// side) breaks ties between comparable pairs rather than overriding wishes.
    fn default() -> Self {
        Weights {
            wish_first: 60,
            wish_step: 5,
            wish_floor: 20,
            mutual: 40,
            complement: 15,
            region: 12,
        }
    }
}

impl Weights {
    pub(crate) fn check(&self) -> Result<(), ScheduleError> {
        for (name, value) in [
            ("wish_first", self.wish_first),
            ("wish_step", self.wish_step),
            ("wish_floor", self.wish_floor),
            ("mutual", self.mutual),
            ("complement", self.complement),
            ("region", self.region),
        ] {
            if value < 0 {
                return Err(ScheduleError::NegativeWeight { name });
            }
        }
        Ok(())
    }

    /// The value of a wish of rank `rank` (0 = first).
    pub fn wish(&self, rank: usize) -> i64 {
        let rank = i64::try_from(rank).unwrap_or(i64::MAX);
        self.wish_first
            .saturating_sub(rank.saturating_mul(self.wish_step))
            .max(self.wish_floor)
    }

    /// A side's région bonus when it already met `k` people of the other's région.
    pub fn region_share(&self, k: usize) -> i64 {
        self.region / i64::try_from(k).unwrap_or(i64::MAX).saturating_add(1)
    }
}

/// Why two participants are paired: the parts of their pair score.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScoreParts {
    /// Rank of b in a's wishes (0 = first), and its value.
    pub a_wishes_b: Option<usize>,
    pub wish_a: i64,
    pub b_wishes_a: Option<usize>,
    pub wish_b: i64,
    pub mutual: i64,
    /// Codes a offers that b needs, and the other way round.
    pub a_offers_b: Vec<String>,
    pub b_offers_a: Vec<String>,
    pub complement: i64,
    /// Both sides' région bonus at its full value (their first meeting with that région).
    pub region: i64,
    pub total: i64,
}

/// The parts of the pair score of `a` and `b`; all zero for an index out of range or a == b.
pub fn explain(instance: &Instance, a: usize, b: usize) -> ScoreParts {
    let (Some(pa), Some(pb)) = (instance.participants.get(a), instance.participants.get(b)) else {
        return ScoreParts::default();
    };
    if a == b {
        return ScoreParts::default();
    }
    let w = &instance.weights;
    let a_wishes_b = wish_rank(&pa.wishes, a, b);
    let b_wishes_a = wish_rank(&pb.wishes, b, a);
    let wish_a = a_wishes_b.map_or(0, |r| w.wish(r));
    let wish_b = b_wishes_a.map_or(0, |r| w.wish(r));
    let mutual = if a_wishes_b.is_some() && b_wishes_a.is_some() {
        w.mutual
    } else {
        0
    };
    let a_offers_b: Vec<String> = pa.offers.intersection(&pb.needs).cloned().collect();
    let b_offers_a: Vec<String> = pb.offers.intersection(&pa.needs).cloned().collect();
    let codes = i64::try_from(a_offers_b.len() + b_offers_a.len()).unwrap_or(i64::MAX);
    let complement = w.complement.saturating_mul(codes);
    let region = if different_regions(&pa.region, &pb.region) {
        2 * w.region_share(0)
    } else {
        0
    };
    let total = [wish_a, wish_b, mutual, complement, region]
        .iter()
        .fold(0i64, |s, &x| s.saturating_add(x));
    ScoreParts {
        a_wishes_b,
        wish_a,
        b_wishes_a,
        wish_b,
        mutual,
        a_offers_b,
        b_offers_a,
        complement,
        region,
        total,
    }
}

/// The static score of a pair (région bonus at its full value): at least the score of any
/// meeting of these two. 0 for an index out of range.
pub fn pair_score(instance: &Instance, a: usize, b: usize) -> i64 {
    explain(instance, a, b).total
}

/// The rank of `other` in the wishes of `me`, oneself and repeats not counted.
fn wish_rank(wishes: &[usize], me: usize, other: usize) -> Option<usize> {
    let mut seen = BTreeSet::new();
    wishes
        .iter()
        .filter(|&&x| x != me && seen.insert(x))
        .position(|&x| x == other)
}

fn different_regions(a: &Option<String>, b: &Option<String>) -> bool {
    matches!((a, b), (Some(x), Some(y)) if x != y)
}

/// No pair can score more than this (saturating).
pub(crate) fn max_pair_score(instance: &Instance) -> i64 {
    let w = &instance.weights;
    let most_offers = instance
        .participants
        .iter()
        .map(|p| p.offers.len())
        .max()
        .unwrap_or(0);
    let codes = i64::try_from(2 * most_offers).unwrap_or(i64::MAX);
    [
        w.wish_first.max(w.wish_floor).saturating_mul(2),
        w.mutual,
        w.complement.saturating_mul(codes),
        w.region.saturating_mul(2),
    ]
    .iter()
    .fold(0i64, |s, &x| s.saturating_add(x))
}

/// The instance precomputed for the solvers: scores without the région bonus, which pairs
/// may meet, who is available when. Only built from a validated instance.
pub(crate) struct Model {
    pub n: usize,
    pub rounds: u32,
    pub tables: usize,
    /// Score without the région bonus, `n × n`, symmetric.
    base: Vec<i64>,
    /// The value of a's wish for b, `n × n`.
    wish: Vec<i64>,
    /// Not oneself, not banned, not pinned (pins are placed apart), `n × n`.
    allowed: Vec<bool>,
    /// Not oneself, not banned: may meet at all, `n × n`.
    meetable: Vec<bool>,
    /// Région of each participant, as a small id.
    pub region: Vec<Option<usize>>,
    pub regions: usize,
    /// `available[round][participant]`.
    pub available: Vec<Vec<bool>>,
    pub weights: crate::Weights,
    /// Pins, ordered and deduplicated.
    pub pins: Vec<(usize, usize)>,
}

impl Model {
    pub fn new(instance: &Instance) -> Model {
        let n = instance.participants.len();
        let w = &instance.weights;
        let mut wish = vec![0i64; n * n];
        let mut wished = vec![false; n * n];
        for (a, p) in instance.participants.iter().enumerate() {
            let mut rank = 0;
            for &b in &p.wishes {
                if b == a || wished[a * n + b] {
                    continue;
                }
                wished[a * n + b] = true;
                wish[a * n + b] = w.wish(rank);
                rank += 1;
            }
        }
        let mut base = vec![0i64; n * n];
        for a in 0..n {
            for b in a + 1..n {
                let (pa, pb) = (&instance.participants[a], &instance.participants[b]);
                let codes = pa.offers.intersection(&pb.needs).count()
                    + pb.offers.intersection(&pa.needs).count();
                let mut s = wish[a * n + b] + wish[b * n + a];
                if wished[a * n + b] && wished[b * n + a] {
                    s += w.mutual;
                }
                s += w.complement * codes as i64;
                base[a * n + b] = s;
                base[b * n + a] = s;
            }
        }
        let mut allowed = vec![true; n * n];
        for a in 0..n {
            allowed[a * n + a] = false;
        }
        for &(a, b) in &instance.bans {
            allowed[a * n + b] = false;
            allowed[b * n + a] = false;
        }
        let meetable = allowed.clone();
        let pins: BTreeSet<(usize, usize)> = instance.pins.iter().map(|&p| ordered(p)).collect();
        for &(a, b) in &pins {
            allowed[a * n + b] = false;
            allowed[b * n + a] = false;
        }
        let mut ids = BTreeMap::new();
        let region = instance
            .participants
            .iter()
            .map(|p| {
                p.region.as_ref().map(|r| {
                    let next = ids.len();
                    *ids.entry(r.clone()).or_insert(next)
                })
            })
            .collect();
        let available = (0..instance.rounds)
            .map(|r| {
                instance
                    .participants
                    .iter()
                    .map(|p| !p.unavailable.contains(&r))
                    .collect()
            })
            .collect();
        Model {
            n,
            rounds: instance.rounds,
            tables: instance.tables as usize,
            base,
            wish,
            allowed,
            meetable,
            region,
            regions: ids.len(),
            available,
            weights: *w,
            pins: pins.into_iter().collect(),
        }
    }

    pub fn base(&self, a: usize, b: usize) -> i64 {
        self.base[a * self.n + b]
    }

    /// May meet through the matching (not banned, not a pin).
    pub fn allowed(&self, a: usize, b: usize) -> bool {
        self.allowed[a * self.n + b]
    }

    /// Twice a's share of the pair score: a's own wish and région bonus in full, half of
    /// the rest. `side2(a, b) + side2(b, a) == 2 × full(a, b)`.
    pub fn side2(&self, a: usize, b: usize) -> i64 {
        let n = self.n;
        let region = if self.cross(a, b) {
            2 * self.weights.region_share(0)
        } else {
            0
        };
        self.base(a, b) + self.wish[a * n + b] - self.wish[b * n + a] + region
    }

    /// Not oneself, not banned.
    pub fn meetable(&self, a: usize, b: usize) -> bool {
        self.meetable[a * self.n + b]
    }

    /// Score with the région bonus at its full value (the pair score).
    pub fn full(&self, a: usize, b: usize) -> i64 {
        let region = if self.cross(a, b) {
            2 * self.weights.region_share(0)
        } else {
            0
        };
        self.base(a, b) + region
    }

    /// Both régions known and different.
    pub fn cross(&self, a: usize, b: usize) -> bool {
        matches!((self.region[a], self.region[b]), (Some(x), Some(y)) if x != y)
    }

    /// Both available in round `r`.
    pub fn both(&self, r: u32, a: usize, b: usize) -> bool {
        self.available[r as usize][a] && self.available[r as usize][b]
    }
}

/// How many people of each région each participant met: the région bonus's memory.
#[derive(Clone)]
pub(crate) struct RegionCounts {
    regions: usize,
    counts: Vec<usize>,
}

impl RegionCounts {
    pub fn new(model: &Model) -> Self {
        RegionCounts {
            regions: model.regions,
            counts: vec![0; model.n * model.regions],
        }
    }

    fn slot(&self, model: &Model, a: usize, b: usize) -> Option<usize> {
        if !model.cross(a, b) {
            return None;
        }
        model.region[b].map(|r| a * self.regions + r)
    }

    /// The région bonus the meeting of a and b earns now (both sides).
    pub fn gain(&self, model: &Model, a: usize, b: usize) -> i64 {
        [(a, b), (b, a)]
            .iter()
            .filter_map(|&(x, y)| self.slot(model, x, y))
            .map(|s| model.weights.region_share(self.counts[s]))
            .sum()
    }

    pub fn add(&mut self, model: &Model, a: usize, b: usize) {
        for (x, y) in [(a, b), (b, a)] {
            if let Some(s) = self.slot(model, x, y) {
                self.counts[s] += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Participant;

    fn person(region: &str, wishes: &[usize], offers: &[&str], needs: &[&str]) -> Participant {
        Participant {
            region: Some(region.to_string()),
            wishes: wishes.to_vec(),
            offers: offers.iter().map(|s| s.to_string()).collect(),
            needs: needs.iter().map(|s| s.to_string()).collect(),
            unavailable: BTreeSet::new(),
        }
    }

    fn instance(participants: Vec<Participant>) -> Instance {
        Instance {
            participants,
            rounds: 2,
            tables: 10,
            ..Instance::default()
        }
    }

    #[test]
    fn a_mutual_wish_outweighs_a_one_sided_one() {
        let i = instance(vec![
            person("11", &[1, 2], &[], &[]),
            person("11", &[0], &[], &[]),
            person("11", &[], &[], &[]),
        ]);
        let w = Weights::default();
        assert_eq!(pair_score(&i, 0, 1), 2 * w.wish_first + w.mutual);
        // 2 is 0's second wish, and 2 wishes nobody.
        assert_eq!(pair_score(&i, 0, 2), w.wish_first - w.wish_step);
        assert!(pair_score(&i, 0, 1) > pair_score(&i, 0, 2));
        assert_eq!(pair_score(&i, 1, 2), 0);
        let parts = explain(&i, 1, 0);
        assert_eq!((parts.a_wishes_b, parts.b_wishes_a), (Some(0), Some(0)));
    }

    #[test]
    fn wishes_lose_weight_with_rank_down_to_the_floor() {
        let w = Weights::default();
        assert_eq!(w.wish(0), 60);
        assert_eq!(w.wish(1), 55);
        assert_eq!(w.wish(8), 20);
        assert_eq!(w.wish(100), 20);
        assert_eq!(w.wish(usize::MAX), 20);
    }

    #[test]
    fn complementarity_counts_each_code_both_ways() {
        let i = instance(vec![
            person("11", &[], &["juridique", "redaction"], &["graphisme"]),
            person(
                "11",
                &[],
                &["graphisme"],
                &["juridique", "redaction", "traduction"],
            ),
            person("11", &[], &["traduction"], &["juridique"]),
        ]);
        let c = Weights::default().complement;
        let parts = explain(&i, 0, 1);
        assert_eq!(parts.a_offers_b, ["juridique", "redaction"]);
        assert_eq!(parts.b_offers_a, ["graphisme"]);
        assert_eq!(parts.total, 3 * c);
        // 0 offers juridique to 2; 2's traduction is not what 0 needs.
        assert_eq!(pair_score(&i, 0, 2), c);
        assert_eq!(pair_score(&i, 2, 0), c);
    }

    #[test]
    fn another_region_earns_a_bonus_that_decays() {
        let i = instance(vec![
            person("11", &[], &[], &[]),
            person("84", &[], &[], &[]),
            person("11", &[], &[], &[]),
            person("84", &[], &[], &[]),
        ]);
        let w = Weights::default();
        assert_eq!(pair_score(&i, 0, 1), 2 * w.region);
        assert_eq!(pair_score(&i, 0, 2), 0);
        let mut unknown = i.clone();
        unknown.participants[1].region = None;
        assert_eq!(pair_score(&unknown, 0, 1), 0);

        let model = Model::new(&i);
        let mut counts = RegionCounts::new(&model);
        assert_eq!(counts.gain(&model, 0, 1), 2 * w.region);
        counts.add(&model, 0, 1);
        // 0 already met someone of 84: half for 0, full for 3 who never met 11.
        assert_eq!(counts.gain(&model, 0, 3), w.region / 2 + w.region);
        counts.add(&model, 0, 3);
        // Again: 0 met two people of 84, 3 one of 11.
        assert_eq!(counts.gain(&model, 0, 3), w.region / 3 + w.region / 2);
        assert_eq!(counts.gain(&model, 0, 2), 0);
    }

    #[test]
    fn the_model_agrees_with_explain() {
        let i = instance(vec![
            person("11", &[1, 0, 1, 2], &["a", "b"], &["c"]),
            person("84", &[0], &["c"], &["a"]),
            person("84", &[1], &["b"], &["b", "c"]),
        ]);
        let model = Model::new(&i);
        for a in 0..3 {
            for b in 0..3 {
                if a != b {
                    assert_eq!(model.full(a, b), pair_score(&i, a, b), "{a} {b}");
                    assert_eq!(model.side2(a, b) + model.side2(b, a), 2 * model.full(a, b));
                }
            }
        }
        // Oneself and repeats do not count as ranks: 2 is 0's second wish.
        assert_eq!(explain(&i, 0, 2).a_wishes_b, Some(1));
        assert_eq!(model.base(0, 2) - 15, Weights::default().wish(1));
    }

    #[test]
    fn out_of_range_scores_nothing() {
        let i = instance(vec![person("11", &[], &[], &[])]);
        assert_eq!(pair_score(&i, 0, 7), 0);
        assert_eq!(pair_score(&i, 0, 0), 0);
    }
}
