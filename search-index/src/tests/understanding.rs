//! Questions as people ask them: words missing from every listing, places in the words,
//! the field's vocabulary, wider areas, spelling.

use super::{fixture, hit_id, listing};
use crate::*;
use agora_domain::Coverage;

fn ask(index: &SearchIndex, q: &str) -> SearchResults {
    index
        .search(&SearchRequest {
            q: Some(q.into()),
            limit: 20,
            ..Default::default()
        })
        .unwrap()
}

fn ids(results: &SearchResults) -> Vec<u128> {
    results.hits.iter().map(hit_id).collect()
}

fn sorted(mut ids: Vec<u128>) -> Vec<u128> {
    ids.sort();
    ids
}

fn index_of(docs: &[ListingDoc]) -> SearchIndex {
    let index = SearchIndex::in_memory().unwrap();
    index.upsert(docs).unwrap();
    index.commit(&IndexState::default()).unwrap();
    index
}

#[test]
fn a_word_no_listing_holds_never_empties_the_page() {
    let f = fixture();
    let r = ask(&f.index, "emploi astrophysique");
    assert_eq!(
        sorted(ids(&r)),
        [1, 2],
        "emploi, and travail through the lexicon"
    );
    assert_eq!(r.relaxed, ["astrophysique"]);
    assert!(r.hits.iter().all(|h| h.missing_words == ["astrophysique"]));
    // Asked for exact words, the same question finds nothing.
    let exact = f
        .index
        .search(&SearchRequest {
            q: Some("emploi astrophysique".into()),
            exact_words: true,
            limit: 20,
            ..Default::default()
        })
        .unwrap();
    assert!(exact.hits.is_empty());
    assert!(exact.relaxed.is_empty());
}

#[test]
fn listings_holding_every_word_come_first_then_fewer() {
    let f = fixture();
    let r = ask(&f.index, "retour emploi visioconférence");
    // ONCONNECTE says all three; Alex says "travail" and "en ligne", which the lexicon
    // knows, but nothing of a return.
    assert_eq!(ids(&r), [1, 2]);
    assert!(r.hits[0].missing_words.is_empty());
    assert_eq!(r.hits[1].missing_words, ["retour"]);
    assert_eq!(r.relaxed, ["retour"]);
    // When listings holding every word fill the page, nothing is relaxed.
    let page_of_one = f
        .index
        .search(&SearchRequest {
            q: Some("retour emploi visioconférence".into()),
            limit: 1,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(ids(&page_of_one), [1]);
    assert_eq!(page_of_one.total, 1);
    assert!(page_of_one.relaxed.is_empty());
}

#[test]
fn among_listings_holding_as_many_words_the_rarer_words_win() {
    let mut docs = vec![listing(1, "Sophrologie", "Séances individuelles.", None)];
    for n in 2..8 {
        docs.push(listing(
            n,
            &format!("Permanence {n}"),
            "Un atelier chaque semaine.",
            None,
        ));
    }
    let index = index_of(&docs);
    let r = ask(&index, "atelier sophrologie");
    assert_eq!(
        ids(&r).first(),
        Some(&1),
        "sophrologie is rarer than atelier"
    );
    assert_eq!(r.total, 7);
}

#[test]
fn relaxed_pages_follow_each_other_without_gaps_or_repeats() {
    let mut docs = Vec::new();
    for n in 1..40 {
        let text = match n % 3 {
            0 => "Atelier de sophrologie.",
            1 => "Atelier du jeudi.",
            _ => "Sophrologie au téléphone.",
        };
        docs.push(listing(n, &format!("Lieu {n}"), text, None));
    }
    let index = index_of(&docs);
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let r = index
            .search(&SearchRequest {
                q: Some("atelier sophrologie astrophysique".into()),
                limit: 7,
                after,
                ..Default::default()
            })
            .unwrap();
        seen.extend(ids(&r));
        match r.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    assert_eq!(sorted(seen.clone()), (1..40).collect::<Vec<_>>());
    // Those holding both words first.
    assert!(seen[..13].iter().all(|n| n % 3 == 0), "{seen:?}");
}

#[test]
fn a_place_in_the_words_is_the_place_searched() {
    let f = fixture();
    let r = ask(&f.index, "psychologue à Paris");
    assert_eq!(ids(&r), [5]);
    let place = r.place.expect("a place read");
    assert_eq!(
        (place.place.kind, place.place.code.as_str()),
        (PlaceKind::Commune, "75056")
    );
    for (q, expected) in [
        ("retour à l'emploi dans le Doubs", vec![1, 2]),
        ("emploi dans le 25", vec![1, 2]),
        ("emploi Jura", vec![1, 2]),
        ("aidants en Bretagne", vec![3]),
        ("groupes de parole Rennes", vec![3]),
        ("esthétique près de Toulouse", vec![4]),
        ("esthétique 31000", vec![4]),
    ] {
        let r = ask(&f.index, q);
        assert!(r.place.is_some(), "{q}: a place");
        assert_eq!(sorted(ids(&r)), expected, "{q}");
        assert!(r.widened_to.is_none(), "{q}");
    }
    // Nothing of the place's name is left to match as a word.
    assert!(ask(&f.index, "emploi dans le Doubs").relaxed.is_empty());
}

#[test]
fn a_place_given_as_a_parameter_wins_over_words() {
    let f = fixture();
    let r = f
        .index
        .search(&SearchRequest {
            q: Some("emploi Paris".into()),
            place: Some(Place::Departement("25".into())),
            limit: 20,
            ..Default::default()
        })
        .unwrap();
    assert!(r.place.is_none());
    // In the Doubs: ONCONNECTE (emploi) and Alex (national), not Paris's psychologist.
    assert!(ids(&r).contains(&1));
    assert!(!ids(&r).contains(&5));
}

#[test]
fn a_listing_named_after_a_place_is_found_by_its_name() {
    let f = fixture();
    let r = ask(&f.index, "entraide Doubs");
    assert_eq!(ids(&r).first(), Some(&6), "Entraide Cancer Doubs");
}

#[test]
fn an_ambiguous_name_takes_the_most_populous_and_says_the_others() {
    let f = fixture();
    let r = ask(&f.index, "emploi à Saint-Denis");
    let place = r.place.expect("a place");
    assert_eq!(place.place.code, "93066");
    assert!(place.alternatives.iter().any(|a| a.code == "97411"));
}

#[test]
fn nothing_in_the_place_widens_the_area_and_says_so() {
    let f = fixture();
    // The psychologist is in Paris: none in Versailles nor the Yvelines, one in the région.
    let r = ask(&f.index, "psychologue à Versailles");
    assert_eq!(ids(&r), [5]);
    assert_eq!(r.widened_to, Some(Widened::Region("11".into())));
    // Socio-esthetics only around Toulouse: from Besançon, only the whole country has it.
    let r = ask(&f.index, "socio-esthétique à Besançon");
    assert_eq!(ids(&r), [4]);
    assert_eq!(r.widened_to, Some(Widened::National));
    // Found where asked: not widened.
    assert!(ask(&f.index, "psychologue à Paris").widened_to.is_none());
    // Exact words do not widen.
    let exact = f
        .index
        .search(&SearchRequest {
            q: Some("psychologue".into()),
            place: Some(Place::Commune("78646".into())),
            exact_words: true,
            limit: 20,
            ..Default::default()
        })
        .unwrap();
    assert!(exact.hits.is_empty() && exact.widened_to.is_none());
}

#[test]
fn the_lexicon_meets_patients_words() {
    let index = index_of(&[
        listing(
            1,
            "Activité physique adaptée",
            "Séances encadrées par un enseignant APA.",
            None,
        ),
        listing(
            2,
            "Permanence juridique",
            "Assurance emprunteur, convention AERAS.",
            None,
        ),
        listing(
            3,
            "Socio-esthétique",
            "Soins esthétiques et image de soi.",
            None,
        ),
        listing(
            4,
            "Garde d'enfants",
            "Une garde d'enfants à domicile pendant les traitements.",
            None,
        ),
        listing(
            5,
            "Soutien psychologique",
            "Entretiens avec une psychologue.",
            None,
        ),
    ]);
    for (q, expected) in [
        ("sport", 1),
        ("faire du sport", 1),
        ("prêt immobilier", 2),
        ("maquillage", 3),
        ("nounou pendant la chimio", 4),
        ("psy", 5),
        ("je cherche un psy", 5),
    ] {
        let r = ask(&index, q);
        assert_eq!(ids(&r).first(), Some(&expected), "{q}: {:?}", ids(&r));
    }
    // The word typed scores above the same meaning found through the lexicon.
    let index = index_of(&[
        listing(1, "Ateliers", "Sport santé en salle.", None),
        listing(2, "Ateliers", "Activité physique adaptée en salle.", None),
    ]);
    assert_eq!(ids(&ask(&index, "sport")), [1, 2]);
}

#[test]
fn a_word_no_listing_holds_gets_a_spelling_suggestion() {
    let index = index_of(&[
        listing(
            1,
            "Sophrologie",
            "Séances de sophrologie et de relaxation.",
            None,
        ),
        listing(2, "Accompagnement", "Accompagnement social.", None),
    ]);
    let r = ask(&index, "sophrolgie");
    assert_eq!(r.did_you_mean.as_deref(), Some("sophrologie"));
    assert_eq!(ids(&r), [1], "found all the same, with the typo");
    assert_eq!(
        ask(&index, "acompagnemnt social").did_you_mean.as_deref(),
        Some("accompagnement social")
    );
    assert!(ask(&index, "sophrologie").did_you_mean.is_none());
    assert!(
        ask(&index, "astrophysique").did_you_mean.is_none(),
        "nothing near"
    );
}

#[test]
fn coverage_still_holds_for_places_read_from_words() {
    // A service for the Doubs is not found from Toulouse, even widened to the Occitanie.
    let index = index_of(&[
        listing(
            1,
            "Sophrologie",
            "Séances.",
            Some(Coverage::Departements {
                codes: vec!["25".into()],
            }),
        ),
        listing(
            2,
            "Sophrologie nationale",
            "Séances en visio.",
            Some(Coverage::National),
        ),
    ]);
    let r = ask(&index, "sophrologie à Toulouse");
    assert_eq!(ids(&r), [2]);
    assert!(r.widened_to.is_none());
}

#[test]
fn a_word_being_typed_before_a_place_is_still_a_prefix() {
    let index = index_of(&[
        listing(
            1,
            "Soins de support à Ajaccio",
            "Socio-esthétique et sophrologie.",
            Some(Coverage::Departements {
                codes: vec!["2A".into()],
            }),
        ),
        listing(
            2,
            "Sophrologie en visio",
            "Séances.",
            Some(Coverage::National),
        ),
    ]);
    let r = ask(&index, "sophro en 2A");
    let place = r.place.as_ref().expect("a place");
    assert_eq!(place.place.code, "2A");
    assert_eq!(sorted(ids(&r)), [1, 2]);
    // An unfinished word that is not the last one is still read as a beginning.
    assert_eq!(sorted(ids(&ask(&index, "sophro ajaccio"))), [1, 2]);
}

#[test]
fn in_a_place_listings_made_for_it_come_before_those_available_everywhere() {
    let mut national = listing(
        1,
        "Groupe de parole",
        "Chaque mois, en visio.",
        Some(Coverage::National),
    );
    national.labelled = true;
    let index = index_of(&[
        national,
        listing(
            2,
            "Groupe de parole",
            "Chaque mois, à Bastia.",
            Some(Coverage::Departements {
                codes: vec!["2B".into()],
            }),
        ),
    ]);
    assert_eq!(ids(&ask(&index, "groupe de parole en Haute-Corse")), [2, 1]);
    // Without a place, nothing is local.
    assert_eq!(ids(&ask(&index, "groupe de parole")).first(), Some(&1));
}
