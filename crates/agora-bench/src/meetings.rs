//! `agora-bench meetings`: the speed-meeting scheduler (crate agora-meetings) on a
//! realistic random event, beside a baseline measured in the same run on the same instance:
//! a greedy that takes the best remaining pair first, in the first round both are free.
//! Both schedules are scored the same way and set against the same proven upper bound.

use agora_meetings::{Instance, Participant, Schedule, Weights, greedy, solve, upper_bounds};
use anyhow::Context as _;
use clap::Args;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::BTreeSet;
use std::time::{Duration, Instant};

#[derive(Args, Clone)]
pub struct MeetingsArgs {
    /// Participants, comma-separated for several sizes.
    #[arg(long, value_delimiter = ',', default_values_t = [200usize])]
    participants: Vec<usize>,
    #[arg(long, default_value_t = 8)]
    rounds: u32,
    /// Tables per round (by default, enough for everyone: participants / 2).
    #[arg(long)]
    tables: Option<u32>,
    #[arg(long, default_value_t = 20_261_215)]
    seed: u64,
}

/// The 18 régions (INSEE codes) and a rough weight (population, millions).
const REGIONS: [(&str, u32); 18] = [
    ("01", 1),
    ("02", 1),
    ("03", 1),
    ("04", 1),
    ("06", 1),
    ("11", 12),
    ("24", 3),
    ("27", 3),
    ("28", 3),
    ("32", 6),
    ("44", 6),
    ("52", 4),
    ("53", 3),
    ("75", 6),
    ("76", 6),
    ("84", 8),
    ("93", 5),
    ("94", 1),
];

/// The skills vocabulary (version 1).
const SKILLS: [&str; 16] = [
    "experience-patient",
    "experience-aidant",
    "juridique",
    "gestion",
    "communication-digitale",
    "graphisme",
    "developpement-web",
    "recherche-evaluation",
    "animation",
    "redaction",
    "traduction",
    "financement",
    "expertise-medicale",
    "accompagnement-psychologique",
    "formation",
    "ressources-humaines",
];

/// Themes of the vocabulary a project may bring or look for.
const THEMES: [&str; 8] = [
    "travail-emploi",
    "apres-cancer",
    "soins-de-support",
    "aide-sociale",
    "droits",
    "rencontres-pair-aidance",
    "aidants",
    "activite-physique-adaptee",
];

fn pick(rng: &mut StdRng, codes: &[&str], k: usize) -> BTreeSet<String> {
    (0..k)
        .map(|_| codes[rng.random_range(0..codes.len())].to_string())
        .collect()
}

/// A Cancerthon-like event: régions weighted by population; each participant offers one to
/// three skills and maybe a theme, looks for one to three skills and maybe a theme; wishes 3
/// to 10 each, drawn towards popular and complementary participants; one in five misses one
/// or two rounds; a few pins and bans.
pub fn instance(n: usize, rounds: u32, tables: u32, seed: u64) -> Instance {
    let mut rng = StdRng::seed_from_u64(seed);
    let total: u32 = REGIONS.iter().map(|r| r.1).sum();
    let mut participants: Vec<Participant> = (0..n)
        .map(|_| {
            let mut x = rng.random_range(0..total);
            let region = REGIONS
                .iter()
                .find(|r| {
                    let hit = x < r.1;
                    x = x.saturating_sub(r.1);
                    hit
                })
                .map(|r| r.0.to_string());
            let (k_offers, k_needs) = (rng.random_range(1..=3), rng.random_range(1..=3));
            let mut offers = pick(&mut rng, &SKILLS, k_offers);
            let mut needs = pick(&mut rng, &SKILLS, k_needs);
            if rng.random_bool(0.5) {
                offers.extend(pick(&mut rng, &THEMES, 1));
            }
            if rng.random_bool(0.5) {
                needs.extend(pick(&mut rng, &THEMES, 1));
            }
            let mut unavailable = BTreeSet::new();
            if rounds > 0 && rng.random_bool(0.2) {
                for _ in 0..rng.random_range(1..=2) {
                    unavailable.insert(rng.random_range(0..rounds));
                }
            }
            Participant {
                region,
                wishes: Vec::new(),
                offers,
                needs,
                unavailable,
            }
        })
        .collect();
    // Popularity: a few participants are wished by many.
    let popularity: Vec<f64> = (0..n).map(|_| rng.random::<f64>().powi(3)).collect();
    for a in 0..n {
        if n < 2 {
            break;
        }
        let mut candidates: Vec<(f64, usize)> = Vec::new();
        for _ in 0..30 {
            let b = rng.random_range(0..n);
            if b != a {
                let fit = participants[a]
                    .needs
                    .intersection(&participants[b].offers)
                    .count() as f64;
                candidates.push((popularity[b] + fit + rng.random::<f64>(), b));
            }
        }
        candidates.sort_by(|x, y| y.0.total_cmp(&x.0));
        let mut seen = BTreeSet::new();
        let k = rng.random_range(3..=10);
        participants[a].wishes = candidates
            .into_iter()
            .map(|c| c.1)
            .filter(|&b| seen.insert(b))
            .take(k)
            .collect();
    }
    let mut pairs = BTreeSet::new();
    let mut pins = Vec::new();
    let mut bans = Vec::new();
    for i in 0..n / 10 {
        let (a, b) = (rng.random_range(0..n), rng.random_range(0..n));
        if a != b && pairs.insert((a.min(b), a.max(b))) {
            if i % 2 == 0 { &mut pins } else { &mut bans }.push((a, b));
        }
    }
    Instance {
        participants,
        rounds,
        tables,
        pins,
        bans,
        weights: Weights::default(),
    }
}

fn row(what: &str, s: &Schedule, took: Duration) {
    println!(
        "| {what} | {:.3} | {} | {} | {} | {} | {:.4} |",
        took.as_secs_f64(),
        s.meetings.len(),
        s.idle.len(),
        s.objective,
        s.upper_bound,
        s.ratio(),
    );
}

pub fn run(args: MeetingsArgs) -> anyhow::Result<()> {
    let build = if cfg!(debug_assertions) {
        "debug build"
    } else {
        "release build"
    };
    for &n in &args.participants {
        let tables = args.tables.unwrap_or((n / 2) as u32);
        let instance = instance(n, args.rounds, tables, args.seed);
        let slots: usize = (0..args.rounds)
            .map(|r| {
                let present = instance
                    .participants
                    .iter()
                    .filter(|p| !p.unavailable.contains(&r))
                    .count();
                present / 2 * 2
            })
            .sum();
        let wishes: usize = instance.participants.iter().map(|p| p.wishes.len()).sum();
        println!(
            "\n## Speed meetings: {n} participants, {} candidate pairs, {} rounds, {tables} tables \
             (seed {}, {build})\n",
            n * n.saturating_sub(1) / 2,
            args.rounds,
            args.seed
        );
        println!(
            "{wishes} wishes, {} pins, {} bans, {slots} seats at most (people present, paired)\n",
            instance.pins.len(),
            instance.bans.len(),
        );
        let started = Instant::now();
        let bounds = upper_bounds(&instance).context("the bound")?;
        let bound_time = started.elapsed();
        let started = Instant::now();
        let s = solve(&instance).context("the scheduler")?;
        let solve_time = started.elapsed();
        let started = Instant::now();
        let g = greedy(&instance).context("the baseline")?;
        let greedy_time = started.elapsed();
        println!(
            "| method | time (s) | meetings | idle slots | objective | upper bound | objective / bound |"
        );
        println!("|---|---:|---:|---:|---:|---:|---:|");
        row(
            "agora-meetings: blossom matching per round + local search",
            &s,
            solve_time,
        );
        row("baseline: greedy, best pair first", &g, greedy_time);
        println!(
            "\nBounds (each proven; the least is used): per participant {} (by sides {}, best split {}), per round {}, \
             per pair {}; computing them alone took {:.3} s (included in both times).",
            bounds.per_participant,
            bounds.per_participant_sides,
            bounds.per_participant_split,
            bounds
                .per_round
                .map_or_else(|| "n/a".into(), |b| b.to_string()),
            bounds.per_pair,
            bound_time.as_secs_f64()
        );
        let st = &s.stats;
        println!(
            "Scheduler: before the local search {} meetings, objective {}; {} one-round passes, \
             {} sweeps, {} rounds re-solved, {} improving moves ({} pin moves); pins placed by \
             the exhaustive search: {}; unmet pins: {} (greedy: {}). Objective over greedy: {:+.2} %.",
            st.constructed.0,
            st.constructed.1,
            st.passes,
            st.sweeps,
            st.resolved_rounds,
            st.improvements,
            st.pin_moves,
            if st.pins_exact { "yes" } else { "no" },
            s.unmet_pins.len(),
            g.unmet_pins.len(),
            100.0 * (s.objective as f64 / g.objective.max(1) as f64 - 1.0),
        );
    }
    Ok(())
}
