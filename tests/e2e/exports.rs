//! Open-data exports (data·inclusion, HSDS, CSV): the published listings' public view and
//! nothing else (security row 3: drafts, pending revisions, confidential and private
//! sections, an anonymous project's owner), formulas neutralised in the CSV (row 32),
//! HSDS items valid for the specification's schemas. With AGORA_EXPORTS_VALIDATOR (a Python
//! with the pinned validators, as `scripts/validate-exports` sets it), the same files also
//! go through data·inclusion's pydantic models and LibreOffice.

use crate::both_backends;
use crate::common::served::agora;
use crate::common::{Backend, TestApp, User, fixtures};
use agora_service::exports::{Encoding, Exporter, Format};
use futures_util::TryStreamExt;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

const DRAFT_CANARY: &str = "Canari Brouillon 5e1d";
const DRAFT_SERVICE_CANARY: &str = "Canari Service Brouillon 0b7e";
const PENDING_CANARY: &str = "Canari Revision En Attente 33aa";
const CONFIDENTIAL_CANARY: &str = "canari-confidentiel-export-8c1f";
const PRIVATE_CANARY: &str = "canari-prive-export@asso.example.org";
const OWNER_CANARY: &str = "Canari Porteur Anonyme 4d2c";
const FORMULA_NAME: &str = "=HYPERLINK(\"http://evil.example\";\"clic\")";

struct Listings {
    structures: Vec<String>,
    services: Vec<String>,
    projects: Vec<String>,
    owner_of_anonymous: String,
    anonymous_project: String,
}

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_owned()
}

/// Published listings around every kind of canary.
async fn world(app: &TestApp, owner: &User, moderator: &User) -> Listings {
    // The owner of an anonymous project, whose contact is private.
    let mut s = fixtures::structure();
    s["name"] = json!(OWNER_CANARY);
    s["contact"] = json!({"email": PRIVATE_CANARY});
    s["visibility"] = json!({"contact": "private"});
    let hidden_owner = id(&app
        .publish("/api/v1/structures", "structures", owner, moderator, &s)
        .await);
    let anonymous = id(&app
        .publish(
            &format!("/api/v1/structures/{hidden_owner}/projects"),
            "projects",
            owner,
            moderator,
            &fixtures::project_with_secrets(CONFIDENTIAL_CANARY, PRIVATE_CANARY),
        )
        .await);

    // A structure whose name a spreadsheet would run, with a service full of formulas, one
    // with a confidential description, and one with an edit waiting for moderation.
    let mut s = fixtures::structure();
    s["name"] = json!(FORMULA_NAME);
    s["siren"] = json!("732829320");
    s["address"] = json!({"street": "3 rue de l'Église", "postcode": "01000", "commune_code": "01053", "commune_name": "Bourg-en-Bresse"});
    let formula = id(&app
        .publish("/api/v1/structures", "structures", owner, moderator, &s)
        .await);
    let in_s = format!("/api/v1/structures/{formula}/services");
    let mut svc = fixtures::service();
    svc["name"] = json!("Café des aidants à Besançon");
    svc["summary"] = json!("-1+2 séances ; \"gratuites\"");
    svc["themes"] = json!(["aidants", "nutrition", "soutien-psychologique"]);
    svc["audiences"] = json!(["aidants", "seniors"]);
    svc["modes"] = json!(["presentiel", "visio"]);
    svc["locations"] = json!([{"name": "Maison des associations", "address": {"street": "12 rue Mégevand", "postcode": "25000", "commune_code": "25056", "commune_name": "Besançon", "lat": 47.2378, "lon": 6.0241}}]);
    svc["contact"] =
        json!({"name": "@SUM(1+1)", "email": "cafe@asso.example.org", "phone": "03 81 00 00 01"});
    svc["opening_hours"] = json!("+ le mardi, 14 h – 17 h");
    let formulas = id(&app.publish(&in_s, "services", owner, moderator, &svc).await);
    let mut secret = fixtures::service();
    secret["description"] = json!(format!("Partenaires : {CONFIDENTIAL_CANARY}"));
    secret["visibility"] = json!({"description": "confidential"});
    secret["coverage"] = json!({"kind": "national"});
    let confidential = id(&app
        .publish(&in_s, "services", owner, moderator, &secret)
        .await);
    let edited = id(&app
        .publish(&in_s, "services", owner, moderator, &fixtures::service())
        .await);
    let etag = app.etag(&format!("/api/v1/services/{edited}"), owner).await;
    let res = app
        .patch(&format!("/api/v1/services/{edited}"), Some(owner))
        .header("If-Match", etag)
        .json(&json!({"name": PENDING_CANARY, "summary": PENDING_CANARY}))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{}", res.status());
    app.submit("services", &edited, owner).await;

    // Drafts: a structure, and a service of a published structure.
    let mut d = fixtures::structure();
    d["name"] = json!(DRAFT_CANARY);
    app.create("/api/v1/structures", owner, &d).await;
    let mut ds = fixtures::service();
    ds["name"] = json!(DRAFT_SERVICE_CANARY);
    app.create(&in_s, owner, &ds).await;

    Listings {
        structures: vec![hidden_owner.clone(), formula],
        services: vec![formulas, confidential, edited],
        projects: vec![anonymous.clone()],
        owner_of_anonymous: hidden_owner,
        anonymous_project: anonymous,
    }
}

async fn export(app: &TestApp, format: Format, encoding: Encoding) -> String {
    // Pages of two listings: the paging is exercised on a small world.
    let mut out = Vec::new();
    Exporter::new(&app.ctx, format, encoding)
        .with_page_size(2)
        .write_to(&mut out)
        .await
        .unwrap();
    String::from_utf8(out).unwrap()
}

fn json_items(text: &str) -> Vec<Value> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Array(items)) => items,
        _ => text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect(),
    }
}

fn ids(items: &[Value], prefix: &str) -> Vec<String> {
    let mut ids: Vec<String> = items
        .iter()
        .map(|i| {
            i["id"]
                .as_str()
                .unwrap()
                .trim_start_matches(prefix)
                .to_owned()
        })
        .collect();
    ids.sort();
    ids
}

fn sorted(v: &[String]) -> Vec<String> {
    let mut v = v.to_vec();
    v.sort();
    v
}

fn schemas() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/schemas/hsds-3")
}

fn assert_valid_hsds(items: &[Value], schema: &str) {
    let text = std::fs::read_to_string(schemas().join(schema)).unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    for item in items {
        let errors: Vec<String> = validator
            .iter_errors(item)
            .map(|e| format!("{}: {e}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", item["id"]);
    }
}

/// The cells of a CSV written by the exporter (`;`, `"` quoted, CRLF).
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut rows = vec![Vec::new()];
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            ('"', _) => quoted = !quoted,
            (';', false) => rows.last_mut().unwrap().push(std::mem::take(&mut cell)),
            ('\r', false) => {}
            ('\n', false) => {
                rows.last_mut().unwrap().push(std::mem::take(&mut cell));
                rows.push(Vec::new());
            }
            _ => cell.push(c),
        }
    }
    rows.pop();
    rows
}

async fn exports_hold_published_listings_and_nothing_else(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("owner").await;
    let moderator = app.moderator().await;
    let w = world(&app, &owner, &moderator).await;

    let mut everything = String::new();
    for format in Format::ALL {
        for encoding in [Encoding::JsonArray, Encoding::JsonLines] {
            everything.push_str(&export(&app, format, encoding).await);
        }
    }
    for canary in [
        DRAFT_CANARY,
        DRAFT_SERVICE_CANARY,
        PENDING_CANARY,
        CONFIDENTIAL_CANARY,
        PRIVATE_CANARY,
    ] {
        assert!(!everything.contains(canary), "{canary} leaked");
    }

    // data·inclusion: the published structures and services, by their composed ids.
    let structures =
        json_items(&export(&app, Format::DataInclusionStructures, Encoding::JsonArray).await);
    assert_eq!(ids(&structures, "agora--"), sorted(&w.structures));
    let services =
        json_items(&export(&app, Format::DataInclusionServices, Encoding::JsonLines).await);
    assert_eq!(ids(&services, "agora--"), sorted(&w.services));
    let cafe = services
        .iter()
        .find(|s| s["nom"] == "Café des aidants à Besançon")
        .unwrap();
    assert_eq!(
        cafe["thematiques"],
        json!(["famille--soutien-aidants", "sante--sante-mentale"])
    );
    assert_eq!(
        cafe["agora_thematiques"],
        json!(["aidants", "nutrition", "soutien-psychologique"])
    );
    assert_eq!(
        cafe["modes_accueil"],
        json!(["a-distance", "en-presentiel"])
    );
    assert_eq!(
        cafe["zone_eligibilite"],
        json!(["21", "25", "39", "58", "70", "71", "89", "90"])
    );
    assert_eq!(cafe["code_insee"], "25056");
    let edited = services
        .iter()
        .find(|s| s["id"] == format!("agora--{}", w.services[2]))
        .unwrap();
    assert_eq!(
        edited["nom"], "Accompagnement au retour à l'emploi",
        "the published version"
    );

    // HSDS: the same listings, every item valid for the compiled schemas.
    let orgs = json_items(&export(&app, Format::HsdsOrganizations, Encoding::JsonArray).await);
    assert_eq!(ids(&orgs, ""), sorted(&w.structures));
    assert_valid_hsds(&orgs, "organization.json");
    let hsds = json_items(&export(&app, Format::HsdsServices, Encoding::JsonLines).await);
    assert_eq!(ids(&hsds, ""), sorted(&w.services));
    assert_valid_hsds(&hsds, "service.json");

    // CSV: a row per public listing; the anonymous project names no owner; no formula.
    let text = export(&app, Format::Csv, Encoding::JsonArray).await;
    assert!(text.starts_with('\u{feff}'), "a byte-order mark");
    assert!(text.ends_with("\r\n") && !text.replace("\r\n", "").contains('\r'));
    let rows = csv_rows(text.trim_start_matches('\u{feff}'));
    assert_eq!(rows[0][0], "Type");
    assert!(rows.iter().all(|r| r.len() == rows[0].len()), "{rows:?}");
    let mut listed: Vec<String> = rows[1..].iter().map(|r| r[1].clone()).collect();
    listed.sort();
    let mut public = [w.structures.clone(), w.services.clone(), w.projects.clone()].concat();
    public.sort();
    assert_eq!(listed, public);
    let project = rows
        .iter()
        .find(|r| r[1] == w.anonymous_project)
        .unwrap()
        .join("|");
    assert!(
        !project.contains(OWNER_CANARY) && !project.contains(&w.owner_of_anonymous),
        "{project}"
    );
    for row in &rows {
        for cell in row {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a cell a spreadsheet would run: {cell:?}"
            );
        }
    }
    assert!(rows.iter().any(|r| r[2] == format!("'{FORMULA_NAME}")));
    let bourg = rows
        .iter()
        .find(|r| r[2] == format!("'{FORMULA_NAME}"))
        .unwrap();
    assert_eq!(bourg[17], "3 rue de l'Église, 01000 Bourg-en-Bresse");
    assert_eq!(bourg[18], "01 Ain");
    assert_eq!(bourg[24], "RNA W251000123, SIREN 732 829 320");

    // The stream a route serves is the same bytes.
    let streamed: Vec<Vec<u8>> = Exporter::new(&app.ctx, Format::Csv, Encoding::JsonArray)
        .with_page_size(1)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(String::from_utf8(streamed.concat()).unwrap(), text);

    // Every Agora theme has a reviewed row in the mapping table.
    for term in app.ctx.vocab.of_kind(agora_domain::VocabularyKind::Theme) {
        assert!(
            agora_service::exports::thematiques::THEMES
                .iter()
                .any(|(slug, _)| *slug == term.slug),
            "theme {} has no row in exports/thematiques.rs",
            term.slug
        );
    }

    // The command line writes the same files for a data portal; the real validators read
    // them when they are installed.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("open-data");
    let status = agora(dir.path())
        .args(["--database-url", &app.database_url, "export", "--to"])
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    let written = std::fs::read_to_string(out.join("agora-fiches.csv")).unwrap();
    assert_eq!(
        csv_rows(written.trim_start_matches('\u{feff}')).len(),
        rows.len()
    );
    for name in [
        "data-inclusion-structures.json",
        "data-inclusion-services.json",
        "hsds-organizations.json",
        "hsds-services.json",
    ] {
        let text = std::fs::read_to_string(out.join(name)).unwrap();
        assert!(!text.contains(PENDING_CANARY) && !text.contains(CONFIDENTIAL_CANARY));
    }
    if let Ok(python) = std::env::var("AGORA_EXPORTS_VALIDATOR") {
        let script =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/exports/validate.py");
        let output = std::process::Command::new(python)
            .arg(script)
            .arg(&out)
            .arg("--schemas")
            .arg(schemas())
            .arg("--csv-check")
            .output()
            .unwrap();
        let report = String::from_utf8_lossy(&output.stdout);
        eprintln!("{report}");
        assert!(output.status.success(), "{report}");
    }
}

both_backends!(exports_hold_published_listings_and_nothing_else);
