//! The index on a small corpus: words, filters, places, ranking, pages, facets, limits.

use crate::*;
use agora_domain::{Coverage, Freshness, ListingKind};
use agora_geo::CommunePoints;
use chrono::{TimeZone, Utc};
use serde_json::json;
use std::sync::Arc;
use uuid::Uuid;

mod limits;
mod properties;
mod understanding;

struct Fixture {
    index: SearchIndex,
}

fn listing(n: u128, name: &str, text: &str, coverage: Option<Coverage>) -> ListingDoc {
    ListingDoc {
        id: Uuid::from_u128(n),
        kind: ListingKind::Service,
        name: name.into(),
        text: vec![text.into()],
        keywords: vec![],
        themes: vec!["travail-emploi".into()],
        // What the service layer gives for a service that names no cancer: all of them.
        cancer_types: vec!["sein".into(), "poumon".into(), "colon".into()],
        audiences: vec!["patients".into()],
        stages: vec![],
        modes: vec!["visio".into()],
        skills: vec![],
        free: Some(true),
        labelled: false,
        format: None,
        open_to_help: false,
        coverage,
        communes: vec![],
        locations: vec![],
        freshness: Freshness::Fresh,
        updated_at: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap()
            + chrono::Duration::days(n as i64),
        card: json!({ "id": Uuid::from_u128(n), "name": name }),
    }
}

/// The number a test listing was made with.
fn hit_id(hit: &SearchHit) -> u128 {
    hit.card["id"]
        .as_str()
        .and_then(|id| id.parse::<Uuid>().ok())
        .map_or(0, |id| id.as_u128())
}

fn points() -> Arc<CommunePoints> {
    Arc::new(CommunePoints::new([
        ("25056".to_owned(), 47.2380, 6.0243), // Besançon
        ("25462".to_owned(), 46.9046, 6.3552), // Pontarlier
        ("39300".to_owned(), 46.6744, 5.5547), // Lons-le-Saunier
        ("75056".to_owned(), 48.8566, 2.3522), // Paris
        ("31555".to_owned(), 43.6045, 1.4440), // Toulouse
        ("78646".to_owned(), 48.8049, 2.1204), // Versailles
    ]))
}

fn fixture() -> Fixture {
    let index = SearchIndex::in_memory().unwrap();
    index.set_points(points());
    let mut docs = vec![
        listing(
            1,
            "ONCONNECTE À L'EMPLOI",
            "Retour à l'emploi en visioconférence après un cancer.",
            Some(Coverage::Departements {
                codes: vec!["25".into(), "39".into()],
            }),
        ),
        listing(
            2,
            "Alex, pour 1000 patients",
            "Plateforme en ligne gratuite : droits, travail, méditation.",
            Some(Coverage::National),
        ),
        listing(
            3,
            "Groupes de parole pour les aidants",
            "Un soir par mois entre proches aidants.",
            Some(Coverage::Regions {
                codes: vec!["53".into()],
            }),
        ),
        listing(
            4,
            "Socio-esthétique",
            "Soins esthétiques pendant les traitements.",
            Some(Coverage::Radius {
                lat: 43.6045,
                lon: 1.4440,
                radius_km: 30.0,
            }),
        ),
        listing(
            5,
            "Consultation psychologue",
            "Soutien psychologique individuel.",
            Some(Coverage::Communes {
                codes: vec!["75056".into()],
            }),
        ),
    ];
    docs[1].themes = vec!["travail-emploi".into(), "droits".into()];
    docs[1].labelled = true;
    docs[2].themes = vec!["aidants".into()];
    docs[2].audiences = vec!["aidants".into()];
    docs[2].modes = vec!["presentiel".into()];
    docs[2].free = Some(false);
    docs[3].themes = vec!["soins-de-support".into()];
    docs[3].cancer_types = vec!["sein".into()];
    docs[3].modes = vec!["presentiel".into()];
    docs[3].locations = vec![(43.6045, 1.4440)];
    docs[4].themes = vec!["soutien-psychologique".into()];
    docs[4].modes = vec!["presentiel".into()];
    docs[4].locations = vec![(48.8400, 2.3600)];
    let mut structure = listing(
        6,
        "Entraide Cancer Doubs",
        "Association de patients à Pontarlier.",
        None,
    );
    structure.kind = ListingKind::Structure;
    structure.free = None;
    structure.cancer_types = Vec::new();
    structure.communes = vec!["25462".into()];
    docs.push(structure);
    index.upsert(&docs).unwrap();
    index
        .commit(&IndexState {
            seq: 7,
            geography: None,
            format: INDEX_FORMAT,
        })
        .unwrap();
    Fixture { index }
}

impl Fixture {
    fn ids(&self, r: SearchRequest) -> Vec<u128> {
        let r = SearchRequest {
            limit: if r.limit == 0 { 20 } else { r.limit },
            ..r
        };
        self.index
            .search(&r)
            .unwrap()
            .hits
            .iter()
            .map(hit_id)
            .collect()
    }

    fn search(&self, r: SearchRequest) -> SearchResults {
        self.index.search(&r).unwrap()
    }

    /// The listings holding every word as typed (how the index matches words, without
    /// the lexicon nor relaxing, which `understanding` tests).
    fn q(&self, q: &str) -> Vec<u128> {
        let mut ids = self.ids(SearchRequest {
            q: Some(q.into()),
            exact_words: true,
            ..Default::default()
        });
        ids.sort();
        ids
    }

    /// The listings a question finds, understood.
    fn understood(&self, q: &str) -> Vec<u128> {
        let mut ids = self.ids(SearchRequest {
            q: Some(q.into()),
            ..Default::default()
        });
        ids.sort();
        ids
    }
}

#[test]
fn french_words_meet_whatever_their_form() {
    let f = fixture();
    assert_eq!(f.q("emplois"), [1], "plural");
    assert_eq!(f.q("EMPLOÍ"), [1], "accents and case");
    assert_eq!(f.q("l'emploi"), [1], "elision");
    assert_eq!(f.q("retour a l emploi"), [1], "stop words");
    assert_eq!(f.q("emlpoi"), [1], "a typo (transposition)");
    assert_eq!(f.q("psycholgue"), [5], "a typo (missing letter)");
    assert_eq!(f.q("esthé"), [4], "a prefix, as people type");
    assert_eq!(f.q("psycho"), [5], "a prefix, as people type");
    assert_eq!(f.understood("boulot"), [1, 2], "a patient's word");
    assert_eq!(f.understood("psy"), [5], "a patient's abbreviation");
    assert!(f.q("astrophysique").is_empty());
}

#[test]
fn a_whole_word_is_not_taken_as_the_beginning_of_others() {
    let index = SearchIndex::in_memory().unwrap();
    index
        .upsert(&[
            listing(1, "Permanence", "Des bénévoles aident les familles.", None),
            listing(2, "Groupe", "Un groupe pour les aidants.", None),
        ])
        .unwrap();
    index.commit(&IndexState::default()).unwrap();
    let ids = |q: &str| -> Vec<String> {
        let mut ids: Vec<String> = index
            .search(&SearchRequest {
                q: Some(q.into()),
                limit: 10,
                exact_words: true,
                ..Default::default()
            })
            .unwrap()
            .hits
            .iter()
            .map(|h| h.card["id"].as_str().unwrap().to_owned())
            .collect();
        ids.sort();
        ids
    };
    let (one, two) = (
        Uuid::from_u128(1).to_string(),
        Uuid::from_u128(2).to_string(),
    );
    assert_eq!(ids("aidants"), std::slice::from_ref(&two));
    assert_eq!(ids("aid"), [one, two], "being typed, it begins both");
}

#[test]
fn exact_words_require_every_word() {
    let f = fixture();
    assert_eq!(f.q("emploi visioconférence"), [1]);
    assert!(f.q("emploi aidants").is_empty());
}

#[test]
fn filters() {
    let f = fixture();
    let ids = |r: SearchRequest| {
        let mut v = f.ids(r);
        v.sort();
        v
    };
    assert_eq!(
        ids(SearchRequest {
            themes: vec!["aidants".into()],
            ..Default::default()
        }),
        [3]
    );
    assert_eq!(
        ids(SearchRequest {
            themes: vec!["aidants".into(), "droits".into()],
            ..Default::default()
        }),
        [2, 3],
        "values of one filter: any"
    );
    assert_eq!(
        ids(SearchRequest {
            audiences: vec!["aidants".into()],
            ..Default::default()
        }),
        [3]
    );
    assert_eq!(
        ids(SearchRequest {
            modes: vec!["presentiel".into()],
            ..Default::default()
        }),
        [3, 4, 5]
    );
    assert_eq!(
        ids(SearchRequest {
            free: Some(false),
            ..Default::default()
        }),
        [3]
    );
    assert_eq!(
        ids(SearchRequest {
            labelled: Some(true),
            ..Default::default()
        }),
        [2]
    );
    assert_eq!(
        ids(SearchRequest {
            kinds: vec![ListingKind::Structure],
            ..Default::default()
        }),
        [6]
    );
    // A service naming no cancer is listed under every cancer.
    assert_eq!(
        ids(SearchRequest {
            cancers: vec!["sein".into()],
            ..Default::default()
        }),
        [1, 2, 3, 4, 5]
    );
    assert_eq!(
        ids(SearchRequest {
            cancers: vec!["poumon".into()],
            ..Default::default()
        }),
        [1, 2, 3, 5]
    );
    assert_eq!(
        ids(SearchRequest {
            themes: vec!["aidants".into()],
            free: Some(true),
            ..Default::default()
        }),
        Vec::<u128>::new(),
        "filters combine"
    );
}

#[test]
fn places_match_the_zones_that_hold_them() {
    let f = fixture();
    let at = |place: Place| {
        let mut v = f.ids(SearchRequest {
            place: Some(place),
            ..Default::default()
        });
        v.sort();
        v
    };
    // Pontarlier (25, Bourgogne-Franche-Comté): the Doubs zone, the national one, the structure there.
    assert_eq!(at(Place::Commune("25462".into())), [1, 2, 6]);
    assert_eq!(at(Place::Postcode("25300".into())), [1, 2, 6]);
    assert_eq!(at(Place::Departement("39".into())), [1, 2]);
    assert_eq!(at(Place::Region("27".into())), [1, 2, 6]);
    assert_eq!(at(Place::Region("53".into())), [2, 3]);
    // Paris 13e: inside the Paris zone.
    assert_eq!(at(Place::Commune("75113".into())), [2, 5]);
    // Toulouse: inside the 30 km disc (with centroids loaded).
    assert_eq!(at(Place::Commune("31555".into())), [2, 4]);
    assert_eq!(at(Place::Departement("31".into())), [2, 4]);
    assert_eq!(
        at(Place::Departement("59".into())),
        [2],
        "only the national zone reaches Lille"
    );
}

#[test]
fn around_me_finds_zones_and_on_site_places_within_the_radius() {
    let f = fixture();
    let around = |lat: f64, lon: f64, radius: f64| {
        let r = SearchRequest {
            place: Some(Place::Point { lat, lon }),
            radius_km: Some(radius),
            sort: Sort::Distance,
            ..Default::default()
        };
        f.index.search(&SearchRequest { limit: 20, ..r }).unwrap()
    };
    // Near Paris: the Paris psychologist 2 km away, then remote services covering Paris.
    let res = around(48.8566, 2.3522, 5.0);
    let ids: Vec<_> = res
        .hits
        .iter()
        .map(|h| h.card["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids[0], "Consultation psychologue");
    assert!(res.hits[0].distance_km.unwrap() < 3.0);
    assert!(ids.contains(&"Alex, pour 1000 patients".to_owned()));
    assert!(!ids.contains(&"Socio-esthétique".to_owned()));
    // At Versailles, 17 km: the Paris place is too far at 5 km, found at 20 km.
    let at_5 = around(48.8049, 2.1204, 5.0);
    assert!(
        !at_5
            .hits
            .iter()
            .any(|h| h.card["name"] == "Consultation psychologue")
    );
    let at_20 = around(48.8049, 2.1204, 20.0);
    assert!(
        at_20
            .hits
            .iter()
            .any(|h| h.card["name"] == "Consultation psychologue")
    );
}

#[test]
fn facets_count_the_results() {
    let f = fixture();
    let res = f
        .index
        .search(&SearchRequest {
            q: Some("boulot".into()),
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(res.total, 2);
    let theme: std::collections::HashMap<_, _> = res.facets["theme"].iter().cloned().collect();
    assert_eq!(theme.get("travail-emploi"), Some(&2));
    assert_eq!(theme.get("droits"), Some(&1));
    let everything = f.search(SearchRequest {
        limit: 1,
        ..Default::default()
    });
    assert_eq!(everything.total, 6);
    assert_eq!(
        everything.hits.len(),
        1,
        "facets and totals do not depend on the page size"
    );
    let kinds: std::collections::HashMap<_, _> =
        everything.facets["kind"].iter().cloned().collect();
    assert_eq!((kinds["service"], kinds["structure"]), (5, 1));
    // A national zone reaches every place; a régional one its départements.
    let count = |facet: &str, value: &str| {
        everything.facets[facet]
            .iter()
            .find(|(v, _)| v == value)
            .map(|(_, n)| *n)
    };
    assert_eq!(
        count("departement", "25"),
        Some(3),
        "1, 2 and 6 (Pontarlier)"
    );
    assert_eq!(count("departement", "75"), Some(2), "2 and 5 (Paris)");
    assert_eq!(count("departement", "35"), Some(2), "2 and 3 (Bretagne)");
    assert_eq!(count("departement", "2A"), Some(1), "2 only");
    assert_eq!(count("region", "27"), Some(3));
    assert_eq!(count("region", "53"), Some(2));
    assert_eq!(count("region", "76"), Some(2), "2 and 4 (Toulouse)");
}

#[test]
fn segments_written_apart_and_merged_give_the_same_results() {
    let f = fixture();
    let search = |q: Option<&str>| {
        f.search(SearchRequest {
            q: q.map(str::to_owned),
            limit: 3,
            exact_words: true,
            ..Default::default()
        })
    };
    // A second segment: one listing replaced, another one added.
    let mut changed = listing(
        5,
        "Consultation psychologue",
        "Soutien psychologique individuel, aussi pour les aidants.",
        Some(Coverage::Communes {
            codes: vec!["75056".into()],
        }),
    );
    changed.themes = vec!["soutien-psychologique".into()];
    let added = listing(
        7,
        "Psychologues de ville",
        "Consultations remboursées.",
        Some(Coverage::National),
    );
    f.index.upsert(&[changed, added]).unwrap();
    f.index
        .commit(&IndexState {
            seq: 8,
            geography: None,
            format: INDEX_FORMAT,
        })
        .unwrap();
    assert!(f.index.segments() > 1);
    let before = (
        search(None),
        search(Some("psychologue")),
        search(Some("individuel aidants")),
    );
    assert_eq!(before.0.total, 7);
    assert_eq!(
        before.2.total, 1,
        "the replaced listing is found by its new text"
    );
    f.index.compact().unwrap();
    assert_eq!(f.index.segments(), 1);
    let after = (
        search(None),
        search(Some("psychologue")),
        search(Some("individuel aidants")),
    );
    assert_eq!(before, after);
}

#[test]
fn pages_follow_each_other_without_gaps_or_repeats() {
    let f = fixture();
    for sort in [Sort::Relevance, Sort::Recent] {
        let all = f.ids(SearchRequest {
            sort,
            limit: 100,
            ..Default::default()
        });
        let mut paged = Vec::new();
        let mut after = None;
        loop {
            let res = f.search(SearchRequest {
                sort,
                after,
                limit: 2,
                ..Default::default()
            });
            paged.extend(res.hits.iter().map(hit_id));
            match res.next {
                Some(c) => after = Some(c),
                None => break,
            }
        }
        assert_eq!(paged, all, "{sort:?}");
    }
    let recent = f.ids(SearchRequest {
        sort: Sort::Recent,
        ..Default::default()
    });
    assert_eq!(recent, [6, 5, 4, 3, 2, 1]);
}

#[test]
fn labelled_and_fresh_rank_first() {
    let index = SearchIndex::in_memory().unwrap();
    let plain = listing(
        1,
        "Atelier emploi",
        "Atelier emploi.",
        Some(Coverage::National),
    );
    let mut labelled = listing(
        2,
        "Atelier emploi",
        "Atelier emploi.",
        Some(Coverage::National),
    );
    labelled.labelled = true;
    index.upsert(&[plain, labelled]).unwrap();
    index.commit(&IndexState::default()).unwrap();
    let first = index
        .search(&SearchRequest {
            q: Some("emploi".into()),
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        first.hits[0].card["id"],
        Uuid::from_u128(2).to_string(),
        "the labelled one first"
    );

    let index = SearchIndex::in_memory().unwrap();
    let mut fresh = listing(
        1,
        "Atelier emploi",
        "Atelier emploi.",
        Some(Coverage::National),
    );
    let mut stale = listing(
        2,
        "Atelier emploi",
        "Atelier emploi.",
        Some(Coverage::National),
    );
    stale.freshness = Freshness::Stale;
    fresh.freshness = Freshness::Fresh;
    let mut hidden = listing(
        3,
        "Atelier emploi",
        "Atelier emploi.",
        Some(Coverage::National),
    );
    hidden.freshness = Freshness::Hidden;
    index.upsert(&[stale, fresh, hidden]).unwrap();
    index.commit(&IndexState::default()).unwrap();
    let ids: Vec<_> = index
        .search(&SearchRequest {
            q: Some("emploi".into()),
            limit: 10,
            ..Default::default()
        })
        .unwrap()
        .hits
        .iter()
        .map(|h| h.card["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        ids,
        [
            Uuid::from_u128(1).to_string(),
            Uuid::from_u128(2).to_string()
        ],
        "stale after fresh, hidden not at all"
    );
}

#[test]
fn updates_replace_and_deletions_remove() {
    let f = fixture();
    let mut renamed = listing(
        1,
        "Retour au travail",
        "Ateliers collectifs.",
        Some(Coverage::National),
    );
    renamed.themes = vec!["apres-cancer".into()];
    f.index.upsert(&[renamed]).unwrap();
    f.index.delete(&[Uuid::from_u128(5)]);
    f.index
        .commit(&IndexState {
            seq: 9,
            geography: None,
            format: INDEX_FORMAT,
        })
        .unwrap();
    assert_eq!(f.q("visioconférence"), Vec::<u128>::new());
    assert_eq!(f.q("collectifs"), [1]);
    assert!(f.q("psychologue").is_empty());
    assert_eq!(f.index.num_docs(), 5);
    assert_eq!(
        f.index.state(),
        Some(IndexState {
            seq: 9,
            geography: None,
            format: INDEX_FORMAT,
        })
    );
}

#[test]
fn snippets_highlight_the_words() {
    let f = fixture();
    let res = f.search(SearchRequest {
        q: Some("visioconférence".into()),
        limit: 5,
        ..Default::default()
    });
    let snippet = res.hits[0].snippet.clone().unwrap();
    let (s, e) = snippet.highlights[0];
    assert_eq!(&snippet.text[s..e], "visioconférence");
}

/// Pages of a search ranked by weight alone, read one after the other.
fn pages_by_weight(index: &SearchIndex, themes: &[&str], size: usize) -> (Vec<u128>, usize) {
    let mut ids = Vec::new();
    let mut after = None;
    loop {
        let res = index
            .search(&SearchRequest {
                themes: themes.iter().map(|t| (*t).to_owned()).collect(),
                after,
                limit: size,
                ..Default::default()
            })
            .unwrap();
        let total = res.total;
        ids.extend(res.hits.iter().map(hit_id));
        match res.next {
            Some(c) => after = Some(c),
            None => return (ids, total),
        }
    }
}

#[test]
fn without_words_results_rank_by_label_and_freshness_whatever_their_number() {
    let index = SearchIndex::in_memory().unwrap();
    // Every seventh listing is labelled, every fifth stale; one in a hundred is about housing.
    let docs: Vec<ListingDoc> = (1..=1000u128)
        .map(|n| {
            let mut doc = listing(n, "Atelier", "Atelier.", Some(Coverage::National));
            doc.labelled = n.is_multiple_of(7);
            if n.is_multiple_of(5) {
                doc.freshness = Freshness::Stale;
            }
            if n.is_multiple_of(100) {
                doc.themes = vec!["logement".into()];
            }
            doc
        })
        .collect();
    index.upsert(&docs).unwrap();
    index.commit(&IndexState::default()).unwrap();
    // Being stale weighs more than the label.
    let class = |n: u128| match (n.is_multiple_of(7), n.is_multiple_of(5)) {
        (true, false) => 0,
        (false, false) => 1,
        (true, true) => 2,
        (false, true) => 3,
    };
    for (theme, of_theme) in [
        // Many matches: the page is read off the order of weights.
        (
            "travail-emploi",
            (1..=1000u128)
                .filter(|n| !n.is_multiple_of(100))
                .collect::<Vec<_>>(),
        ),
        // Few: they are ranked one by one.
        ("logement", (1..=10u128).map(|n| n * 100).collect()),
    ] {
        let mut expected = of_theme.clone();
        expected.sort_by_key(|&n| (class(n), n));
        for size in [1, 7, 100] {
            let (ids, total) = pages_by_weight(&index, &[theme], size);
            assert_eq!(total, of_theme.len(), "{theme}");
            assert_eq!(ids, expected, "{theme}, pages of {size}");
        }
    }
}
