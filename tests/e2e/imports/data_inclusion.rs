//! `agora import data-inclusion` as a use case: structures and services of the schema's
//! v1, services before their structures, a broken item, then an update as JSON lines.

use super::sample;
use crate::both_backends;
use crate::common::{Backend, TestApp};
use agora_service::imports::{ImportReport, Mode, data_inclusion};
use reqwest::StatusCode;
use serde_json::{Value, json};

both_backends!(data_inclusion_items_wait_for_moderation_mapped_back);

fn skipped(report: &ImportReport, reason_part: &str) -> u64 {
    report
        .skipped
        .iter()
        .filter(|(reason, _)| reason.contains(reason_part))
        .map(|(_, s)| s.count)
        .sum()
}

async fn import(app: &TestApp, path: &std::path::Path) -> ImportReport {
    data_inclusion::import(&app.ctx, vec![path.to_path_buf()], Mode::Write, &|_| {})
        .await
        .unwrap()
}

async fn queue(app: &TestApp, moderator: &crate::common::User, kind: &str) -> Vec<Value> {
    let (status, page) = app
        .call(app.get(
            &format!("/api/v1/moderation/queue?kind={kind}&limit=100"),
            Some(moderator),
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["items"].as_array().unwrap().clone()
}

async fn data_inclusion_items_wait_for_moderation_mapped_back(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let moderator = app.moderator().await;
    let dir = tempfile::tempdir().unwrap();

    // A pretty-printed array: services first, a broken item, then the structures.
    let mut items: Vec<String> = sample::di_services()
        .iter()
        .map(|v| serde_json::to_string_pretty(v).unwrap())
        .collect();
    items.push(r#"{"source": "dora", "id": "dora--casse", "nom": "Nom jamais fermé}"#.into());
    items.extend(
        sample::di_structures()
            .iter()
            .map(|v| serde_json::to_string_pretty(v).unwrap()),
    );
    let text = format!("[\n{}\n]\n", items.join(",\n"));
    let broken_line = text
        .lines()
        .position(|l| l.contains("dora--casse"))
        .unwrap() as u64
        + 1;
    let first = dir.path().join("structures-et-services.json");
    std::fs::write(&first, &text).unwrap();

    let report = import(&app, &first).await;
    assert_eq!(report.read, 6, "{report:#?}");
    assert_eq!((report.created, report.invalid), (2, 1), "{report:#?}");
    assert_eq!(report.invalid_rows[0].line, broken_line, "{report:#?}");
    assert!(
        report.invalid_rows[0].reason.contains("never closed"),
        "{report:#?}"
    );
    assert_eq!(skipped(&report, "SIRET"), 1, "{report:#?}");
    assert_eq!(skipped(&report, "no Agora theme"), 1, "{report:#?}");
    assert_eq!(
        skipped(&report, "structure is not imported"),
        1,
        "{report:#?}"
    );
    assert_eq!(
        report
            .unmapped
            .get("thematique: mobilite--preparer-un-permis"),
        Some(&2),
        "{report:#?}"
    );
    assert_eq!(
        report.unmapped.get("publics: femmes"),
        Some(&1),
        "{report:#?}"
    );

    // Both wait in the queue, the service under its structure.
    let structures = queue(&app, &moderator, "structure").await;
    let structure = structures
        .iter()
        .find(|i| i["name"] == "Centre social Les Tilleuls")
        .unwrap_or_else(|| panic!("{structures:?}"));
    let services = queue(&app, &moderator, "service").await;
    assert_eq!(services.len(), 1, "{services:?}");
    let service = &services[0];
    assert_eq!(service["name"], "Écoute et soutien psychologique");
    assert_eq!(service["structure"]["name"], "Centre social Les Tilleuls");
    let (_, detail) = app
        .call(app.get(
            &format!(
                "/api/v1/moderation/items/{}",
                service["id"].as_str().unwrap()
            ),
            Some(&moderator),
        ))
        .await;
    let content = &detail["content"];
    assert_eq!(
        content["themes"],
        json!(["soutien-psychologique", "aidants"])
    );
    assert_eq!(content["modes"], json!(["presentiel", "telephone"]));
    assert_eq!(content["audiences"], json!(["seniors"]));
    assert_eq!(content["cost"], "free");
    assert_eq!(
        content["coverage"],
        json!({"kind": "departements", "codes": ["25", "39"]})
    );
    assert_eq!(content["locations"][0]["address"]["commune_code"], "25056");
    assert_eq!(content["contact"]["phone"], "03 81 00 00 01");
    let (_, detail) = app
        .call(app.get(
            &format!(
                "/api/v1/moderation/items/{}",
                structure["id"].as_str().unwrap()
            ),
            Some(&moderator),
        ))
        .await;
    assert_eq!(detail["content"]["structure_kind"], "collectivite");
    assert_eq!(detail["content"]["siret"], "73282932000074");
    assert_eq!(
        detail["content"]["address"]["street"],
        "3 rue Battant, Bâtiment B"
    );
    let service_id = service["subject_id"].as_str().unwrap();
    let (status, _) = app
        .call(app.get(&format!("/api/v1/services/{service_id}"), None))
        .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "not public before moderation"
    );

    // An update as JSON lines: the structure's description changed, the service did not.
    let mut tilleuls = sample::di_structures()[0].clone();
    tilleuls["description"] = json!(
        "Le centre social accueille les habitants de Planoise et de Battant : accès aux droits, soutien aux aidants."
    );
    let ecoute = sample::di_services()[0].clone();
    let second = dir.path().join("mise-a-jour.jsonl");
    std::fs::write(&second, format!("{ecoute}\n{tilleuls}\n")).unwrap();
    let again = import(&app, &second).await;
    assert_eq!(
        (again.read, again.created, again.updated, again.unchanged),
        (2, 0, 1, 1),
        "{again:#?}"
    );
    assert_eq!(
        queue(&app, &moderator, "structure").await.len(),
        structures.len()
    );

    // Approved by a moderator, structure first, the service goes public as imported.
    for item in [structure, service] {
        let (status, decided) = app
            .decide(item["id"].as_str().unwrap(), "approve", &moderator, None)
            .await;
        assert_eq!(status, StatusCode::OK, "{decided}");
    }
    let (status, public) = app
        .call(app.get(&format!("/api/v1/services/{service_id}"), None))
        .await;
    assert_eq!(status, StatusCode::OK, "{public}");
    assert_eq!(public["name"], "Écoute et soutien psychologique");
}
