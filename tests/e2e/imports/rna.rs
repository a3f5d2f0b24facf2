//! `agora import rna` as a use case: a Latin-1 sample in the register's real layout, with
//! dissolved, duplicate and broken rows, then an update in UTF-8.

use super::sample::{self, CANARIES, ENTRAIDE, PEDIATRIE};
use crate::both_backends;
use crate::common::{Backend, TestApp, fixtures};
use agora_service::imports::{ImportReport, Mode, rna};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::io::Write;

both_backends!(
    rna_rows_wait_for_moderation_and_reimports_update_them,
    filters_are_checked_and_a_dry_run_writes_nothing,
);

async fn import(app: &TestApp, bytes: &[u8], filters: rna::RnaFilters) -> ImportReport {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(bytes).unwrap();
    let opened = std::fs::File::open(file.path()).unwrap();
    rna::import(&app.ctx, opened, filters, Mode::Write, &|_| {})
        .await
        .unwrap()
}

fn doubs_cancer() -> rna::RnaFilters {
    rna::RnaFilters {
        departements: vec!["25".into()],
        words: vec!["Cancer".into()],
    }
}

fn skipped(report: &ImportReport, reason_part: &str) -> u64 {
    report
        .skipped
        .iter()
        .filter(|(reason, _)| reason.contains(reason_part))
        .map(|(_, s)| s.count)
        .sum()
}

async fn queue_names(app: &TestApp, moderator: &crate::common::User) -> Vec<(String, Value)> {
    let (status, page) = app
        .call(app.get(
            "/api/v1/moderation/queue?kind=structure&limit=100",
            Some(moderator),
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["name"].as_str().unwrap().to_owned(), i.clone()))
        .collect()
}

async fn rna_rows_wait_for_moderation_and_reimports_update_them(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let moderator = app.moderator().await;
    let owner = app.verified_user("ligue").await;
    // The Ligue of Montbéliard is already in Agora, published by its members.
    let mut ligue = fixtures::structure();
    ligue["rna"] = json!("W251000008");
    ligue["name"] = json!("Ligue contre le cancer – Montbéliard");
    let published = app
        .publish(
            "/api/v1/structures",
            "structures",
            &owner,
            &moderator,
            &ligue,
        )
        .await;

    let report = import(&app, &sample::rna_latin1(), doubs_cancer()).await;
    assert_eq!(report.encoding, Some("Latin-1"));
    assert_eq!(report.read, 12, "{report:#?}");
    assert_eq!(report.created, 2, "{report:#?}");
    assert_eq!(skipped(&report, "dissolved"), 1, "{report:#?}");
    assert_eq!(skipped(&report, "départements"), 1, "{report:#?}");
    assert_eq!(skipped(&report, "chosen words"), 1, "{report:#?}");
    assert_eq!(skipped(&report, "earlier in the file"), 1, "{report:#?}");
    assert_eq!(skipped(&report, "not active"), 1, "{report:#?}");
    assert_eq!(skipped(&report, "already published"), 1, "{report:#?}");
    assert_eq!(
        report
            .skipped
            .values()
            .flat_map(|s| &s.examples)
            .filter(|e| e.contains("W251000008"))
            .count(),
        1,
        "the published structure is named: {report:#?}"
    );
    let invalid: Vec<(u64, &str)> = report
        .invalid_rows
        .iter()
        .map(|r| (r.line, r.reason.as_str()))
        .collect();
    assert_eq!(
        invalid.iter().map(|(l, _)| *l).collect::<Vec<_>>(),
        [7, 8, 9, 13],
        "{invalid:?}"
    );
    assert!(
        invalid[0].1.contains("20 fields instead of 39"),
        "{invalid:?}"
    );
    assert!(invalid[1].1.contains("quote"), "{invalid:?}");
    assert!(invalid[2].1.starts_with("titre:"), "{invalid:?}");
    assert!(
        invalid[3].1.contains("/address/commune_code"),
        "{invalid:?}"
    );

    // Moderators find both in their queue, with no author, imported by the system.
    let queue = queue_names(&app, &moderator).await;
    let names: Vec<&str> = queue.iter().map(|(n, _)| n.as_str()).collect();
    assert!(names.contains(&ENTRAIDE), "{names:?}");
    assert!(names.contains(&PEDIATRIE), "{names:?}");
    let (_, entraide) = queue.iter().find(|(n, _)| n == ENTRAIDE).unwrap();
    assert!(entraide["author"].is_null(), "{entraide}");
    let (status, item) = app
        .call(app.get(
            &format!(
                "/api/v1/moderation/items/{}",
                entraide["id"].as_str().unwrap()
            ),
            Some(&moderator),
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{item}");
    let content = &item["content"];
    assert_eq!(content["rna"], "W251000001");
    assert_eq!(content["structure_kind"], "association");
    assert_eq!(
        content["address"],
        json!({"street": "12 RUE de la République", "postcode": "25000", "commune_code": "25056", "commune_name": "Besançon"})
    );
    assert!(
        content["summary"]
            .as_str()
            .unwrap()
            .contains("œuvrer pour l’accès"),
        "Windows-1252 characters read right: {content}"
    );
    assert_eq!(
        content["contact"]["website"],
        "http://www.entraide-doubs.example.org/"
    );
    let structure_id = entraide["subject_id"].as_str().unwrap();
    let (status, audit) = app
        .call(app.get(
            &format!("/api/v1/audit?subject_id={structure_id}"),
            Some(&moderator),
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{audit}");
    assert_eq!(audit["items"][0]["action"], "imported", "{audit}");
    assert!(audit["items"][0]["actor"].is_null(), "{audit}");
    assert_eq!(audit["items"][0]["details"]["line"], 2, "{audit}");

    // Nothing of it is public.
    let (status, _) = app
        .call(app.get(&format!("/api/v1/structures/{structure_id}"), None))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, public) = app
        .call(app.get("/api/v1/structures?limit=100", None))
        .await;
    let public = public.to_string();
    assert!(
        !public.contains("ÉCUREUILS") && !public.contains("PÉDIATRIQUE"),
        "{public}"
    );
    app.index_caught_up().await;
    assert!(app.found("q=ecureuils").await.is_empty());
    // The published structure kept its own name.
    let (_, ligue) = app
        .call(app.get(
            &format!("/api/v1/structures/{}", published["id"].as_str().unwrap()),
            None,
        ))
        .await;
    assert_eq!(ligue["name"], "Ligue contre le cancer – Montbéliard");

    // Personal fields are never stored.
    let everything = super::all_text(&app).await;
    for canary in CANARIES {
        assert!(!everything.contains(canary), "{canary} stored");
    }

    // A moderator approves the paediatric one; then an update arrives, in UTF-8.
    let (_, pediatrie) = queue.iter().find(|(n, _)| n == PEDIATRIE).unwrap();
    let (status, decided) = app
        .decide(
            pediatrie["id"].as_str().unwrap(),
            "approve",
            &moderator,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{decided}");
    let again = import(&app, &sample::rna_utf8_update(), doubs_cancer()).await;
    assert_eq!(again.encoding, Some("UTF-8"));
    assert_eq!(
        (
            again.read,
            again.created,
            again.updated,
            again.unchanged,
            again.invalid
        ),
        (5, 1, 1, 0, 1),
        "{again:#?}"
    );
    assert_eq!(again.invalid_rows[0].line, 6, "{again:#?}");
    assert!(
        again.invalid_rows[0]
            .reason
            .contains("titre: bytes that are not valid UTF-8"),
        "{again:#?}"
    );
    assert_eq!(skipped(&again, "already published"), 2, "{again:#?}");
    let queue = queue_names(&app, &moderator).await;
    let entraides: Vec<&Value> = queue
        .iter()
        .filter(|(n, _)| n == ENTRAIDE)
        .map(|(_, i)| i)
        .collect();
    assert_eq!(entraides.len(), 1, "updated, not duplicated");
    let (_, item) = app
        .call(app.get(
            &format!(
                "/api/v1/moderation/items/{}",
                entraides[0]["id"].as_str().unwrap()
            ),
            Some(&moderator),
        ))
        .await;
    assert!(
        item["content"]["summary"]
            .as_str()
            .unwrap()
            .contains("groupes de parole"),
        "{item}"
    );
    // What moderators approved stays as they approved it.
    let (_, pediatrie) = app
        .call(app.get(
            &format!(
                "/api/v1/structures/{}",
                pediatrie["subject_id"].as_str().unwrap()
            ),
            None,
        ))
        .await;
    assert!(
        !pediatrie.to_string().contains("nouvelle adresse"),
        "{pediatrie}"
    );

    // The same file once more changes nothing.
    let third = import(&app, &sample::rna_utf8_update(), doubs_cancer()).await;
    assert_eq!(
        (third.created, third.updated, third.unchanged),
        (0, 0, 2),
        "{third:#?}"
    );
}

async fn filters_are_checked_and_a_dry_run_writes_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let bad = rna::RnaFilters {
        departements: vec!["99".into()],
        words: Vec::new(),
    };
    let file = tempfile::NamedTempFile::new().unwrap();
    let err = rna::import(
        &app.ctx,
        std::fs::File::open(file.path()).unwrap(),
        bad,
        Mode::Write,
        &|_| {},
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("invalid"), "{err}");

    let before = app.fingerprint().await;
    let mut f = tempfile::NamedTempFile::new().unwrap();
    f.write_all(&sample::rna_latin1()).unwrap();
    // No filter: the Jura and the pétanque are kept too; a dry run writes nothing.
    let report = rna::import(
        &app.ctx,
        std::fs::File::open(f.path()).unwrap(),
        rna::RnaFilters::default(),
        Mode::DryRun,
        &|_| {},
    )
    .await
    .unwrap();
    assert_eq!(
        (report.read, report.kept, report.created),
        (12, 6, 0),
        "{report:#?}"
    );
    assert_eq!(app.fingerprint().await, before);

    // A file of another layout is refused as a whole, by name.
    let mut other = tempfile::NamedTempFile::new().unwrap();
    other.write_all(b"code;nom\n1;x\n").unwrap();
    let err = rna::import(
        &app.ctx,
        std::fs::File::open(other.path()).unwrap(),
        rna::RnaFilters::default(),
        Mode::Write,
        &|_| {},
    )
    .await
    .unwrap_err();
    assert!(format!("{err:?}").contains("titre"), "{err:?}");
}
