//! Properties that hold whatever the input: random bytes never break a search; each facet
//! count is the total of its filter, on a random corpus.

use super::{fixture, listing, points};
use crate::*;
use agora_domain::{Coverage, ListingKind};
use uuid::Uuid;

#[test]
fn random_bytes_never_break_a_search() {
    let f = fixture();
    let corpus: Vec<String> = (1..=6u128)
        .map(|n| Uuid::from_u128(n).to_string())
        .collect();
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut answered = 0;
    for round in 0..300 {
        let len = (seed % 60) as usize;
        let noise: String = (0..len)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                char::from_u32((seed % 0x2FFF) as u32).unwrap_or('?')
            })
            .collect();
        // Noise alone, and noise around a word the corpus holds.
        let text = if round % 2 == 0 {
            noise
        } else {
            format!("{noise} visioconférence")
        };
        match f.index.search(&SearchRequest {
            q: Some(text.clone()),
            limit: 5,
            ..Default::default()
        }) {
            Ok(res) => {
                answered += 1;
                assert!(res.total <= 6 && res.hits.len() <= 5, "{text:?}");
                for hit in &res.hits {
                    let id = hit.card["id"].as_str().unwrap_or_default().to_owned();
                    assert!(corpus.contains(&id), "{text:?} found {id}");
                }
            }
            // Refused, it names the parameter; never an internal failure.
            Err(SearchError::Invalid { field, .. }) => assert_eq!(field, "q", "{text:?}"),
            Err(other) => panic!("{text:?}: {other}"),
        }
    }
    assert!(answered > 200, "only {answered} of 300 answered");
}

/// For every facet value of a search, its count is the total of the same search filtered
/// on it, on a random corpus (services that name no cancer among them).
#[test]
fn each_facet_count_is_the_total_of_its_filter() {
    let index = SearchIndex::in_memory().unwrap();
    index.set_points(points());
    let themes = ["travail-emploi", "droits", "aidants", "mieux-etre"];
    let cancers = ["sein", "poumon", "colon", "lymphome"];
    let audiences = ["patients", "aidants", "professionnels"];
    let modes = ["visio", "presentiel", "telephone"];
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    let mut docs = Vec::new();
    for n in 1..=300u128 {
        let coverage = match next(4) {
            0 => Coverage::National,
            1 => Coverage::Regions {
                codes: vec![["27", "53", "11"][next(3)].into()],
            },
            2 => Coverage::Departements {
                codes: vec![["25", "39", "75", "31"][next(4)].into()],
            },
            _ => Coverage::Communes {
                codes: vec![["25056", "75056", "31555"][next(3)].into()],
            },
        };
        let mut d = listing(
            n,
            "Service",
            "Accompagnement emploi et soutien.",
            Some(coverage),
        );
        let pick = |all: &[&str], k: usize, offset: usize| -> Vec<String> {
            (0..k)
                .map(|i| all[(offset + i) % all.len()].to_owned())
                .collect()
        };
        d.themes = pick(&themes, 1 + next(2), next(4));
        d.audiences = pick(&audiences, 1 + next(2), next(3));
        d.modes = pick(&modes, 1 + next(2), next(3));
        // A service that names no cancer serves them all, as the service layer says.
        d.cancer_types = match next(3) {
            0 => cancers.iter().map(|c| (*c).to_owned()).collect(),
            k => pick(&cancers, k, next(4)),
        };
        d.free = Some(next(2) == 0);
        d.labelled = next(5) == 0;
        if next(4) == 0 {
            d.kind = ListingKind::Project;
        }
        docs.push(d);
    }
    index.upsert(&docs).unwrap();
    index
        .commit(&IndexState {
            seq: 1,
            geography: None,
            format: INDEX_FORMAT,
        })
        .unwrap();
    let searches = [
        SearchRequest::default(),
        SearchRequest {
            q: Some("emploi".into()),
            ..Default::default()
        },
        SearchRequest {
            themes: vec!["droits".into()],
            ..Default::default()
        },
        SearchRequest {
            place: Some(Place::Departement("25".into())),
            ..Default::default()
        },
        SearchRequest {
            free: Some(true),
            modes: vec!["visio".into()],
            ..Default::default()
        },
    ];
    let mut checked = 0;
    for base in searches {
        let res = index
            .search(&SearchRequest {
                limit: 1,
                ..base.clone()
            })
            .unwrap();
        for (facet, values) in &res.facets {
            for (value, count) in values {
                assert_ne!(value, "*", "no marker among the values of {facet}");
                let mut filtered = SearchRequest {
                    limit: 1,
                    ..base.clone()
                };
                let already = match *facet {
                    "theme" => std::mem::replace(&mut filtered.themes, vec![value.clone()]),
                    "cancer" => std::mem::replace(&mut filtered.cancers, vec![value.clone()]),
                    "audience" => std::mem::replace(&mut filtered.audiences, vec![value.clone()]),
                    "mode" => std::mem::replace(&mut filtered.modes, vec![value.clone()]),
                    "kind" => {
                        filtered.kinds = vec![if value == "project" {
                            ListingKind::Project
                        } else {
                            ListingKind::Service
                        }];
                        Vec::new()
                    }
                    "free" => {
                        filtered.free = Some(value == "true");
                        Vec::new()
                    }
                    "labelled" => {
                        filtered.labelled = Some(value == "true");
                        Vec::new()
                    }
                    "region" if base.place.is_none() => {
                        filtered.place = Some(Place::Region(value.clone()));
                        Vec::new()
                    }
                    "departement" if base.place.is_none() => {
                        filtered.place = Some(Place::Departement(value.clone()));
                        Vec::new()
                    }
                    _ => continue,
                };
                // A facet of a field the search already filters on counts within that
                // filter: only compare where adding the value narrows the same results.
                if !already.is_empty() || (*facet == "free" && base.free.is_some()) {
                    continue;
                }
                let total = index.search(&filtered).unwrap().total;
                assert_eq!(
                    total, *count as usize,
                    "{facet}={value} counts {count}, its filter finds {total}"
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 60, "{checked} facet values checked");
}
