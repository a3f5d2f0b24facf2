//! `agora import rna` run as an operator runs it, then read through the server.

use super::sample::{self, ENTRAIDE};
use crate::common::served::{agora, serve};
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn the_command_reports_and_the_queue_shows_the_import() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("rna_waldec_20261201_dpt_25.csv");
    std::fs::write(&file, sample::rna_latin1()).unwrap();
    let out = agora(dir.path())
        .args(["import", "rna"])
        .arg(&file)
        .args(["--dept", "25", "--objet", "cancer"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for expected in [
        "12 read in",
        "(Latin-1)",
        "3 created",
        "moderation queue",
        "line 7: 20 fields instead of 39",
        "line 9: titre:",
        "dissolved",
    ] {
        assert!(stdout.contains(expected), "`{expected}` missing:\n{stdout}");
    }
    let refused = agora(dir.path())
        .args(["import", "rna"])
        .arg(&file)
        .args(["--dept", "99"])
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("departements/0"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );

    let served = serve(dir.path());
    let client = reqwest::Client::new();
    let tokens: Value = client
        .post(format!("{}/api/v1/auth/login", served.base))
        .json(&json!({"email": "moderation@demo.example.org", "password": "moderatrice-demo-2026"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let queue: Value = client
        .get(format!(
            "{}/api/v1/moderation/queue?kind=structure&limit=100",
            served.base
        ))
        .bearer_auth(tokens["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let item = queue["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == ENTRAIDE)
        .unwrap_or_else(|| panic!("{queue}"));
    let public = client
        .get(format!(
            "{}/api/v1/structures/{}",
            served.base,
            item["subject_id"].as_str().unwrap()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(public.status(), StatusCode::NOT_FOUND);
}
