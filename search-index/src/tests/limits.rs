//! Hostile words and limits, and an index another process holds.

use super::{fixture, listing};
use crate::*;
use agora_domain::Coverage;

#[test]
fn query_syntax_is_plain_text_and_limits_hold() {
    let f = fixture();
    for hostile in [
        "email:canari@x.fr",
        "status:draft",
        "-emploi",
        "(((emploi",
        "emploi)",
        "name:*",
        "\"",
        "\\",
        "*",
        "~",
        "^2",
        "[a TO z]",
    ] {
        assert!(
            f.index
                .search(&SearchRequest {
                    q: Some(hostile.into()),
                    limit: 5,
                    ..Default::default()
                })
                .is_ok(),
            "{hostile}"
        );
    }
    assert!(f.q("status:draft").is_empty(), "no field can be targeted");
    let long = "emploi ".repeat(40);
    assert!(matches!(
        f.index.search(&SearchRequest {
            q: Some(long),
            limit: 5,
            ..Default::default()
        }),
        Err(SearchError::Invalid { field: "q", .. })
    ));
    let many_words = (0..13)
        .map(|i| format!("w{i}"))
        .collect::<Vec<_>>()
        .join(" ");
    assert!(matches!(
        f.index.search(&SearchRequest {
            q: Some(many_words),
            limit: 5,
            ..Default::default()
        }),
        Err(SearchError::Invalid { field: "q", .. })
    ));
    // A patient's sentence is long in small words, not in words that search.
    assert!(
        f.index
            .search(&SearchRequest {
                q: Some(
                    "on me refuse l'assurance de mon prêt immobilier à cause de mon cancer".into()
                ),
                limit: 5,
                ..Default::default()
            })
            .is_ok()
    );
    assert!(matches!(
        f.index.search(&SearchRequest {
            place: Some(Place::Commune("25000".into())),
            limit: 5,
            ..Default::default()
        }),
        Err(SearchError::Invalid {
            field: "code_commune",
            ..
        })
    ));
}

#[test]
fn an_index_in_use_is_never_wiped() {
    let dir = tempfile::tempdir().unwrap();
    let (first, opened) = SearchIndex::open_or_create(dir.path()).unwrap();
    assert_eq!(opened, Opened::Created);
    first
        .upsert(&[listing(
            1,
            "Atelier emploi",
            "Atelier.",
            Some(Coverage::National),
        )])
        .unwrap();
    first
        .commit(&IndexState {
            seq: 3,
            geography: None,
            format: INDEX_FORMAT,
        })
        .unwrap();
    assert!(
        SearchIndex::open_or_create(dir.path()).is_err(),
        "the writer lock is held"
    );
    drop(first);
    let (again, opened) = SearchIndex::open_or_create(dir.path()).unwrap();
    assert_eq!(opened, Opened::Existing);
    assert_eq!(
        (again.num_docs(), again.state().map(|s| s.seq)),
        (1, Some(3))
    );
    std::fs::write(dir.path().join("meta.json"), b"not json").unwrap();
    drop(again);
    let (rebuilt, opened) = SearchIndex::open_or_create(dir.path()).unwrap();
    assert_eq!(
        (opened, rebuilt.num_docs()),
        (Opened::Created, 0),
        "an unreadable index is recreated"
    );
}
