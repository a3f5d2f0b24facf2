//! The real `agora` binary as a newcomer runs it: `agora serve --demo` with no
//! configuration, and `agora user create` for moderators.

use crate::common::served::{agora, serve};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::io::Write;
use std::process::{Command, Stdio};

#[tokio::test]
async fn serve_with_the_demo_tells_the_real_story() {
    let dir = tempfile::tempdir().unwrap();
    let served = serve(dir.path());
    assert!(
        dir.path().join("data/agora.db").exists(),
        "the SQLite file lives in ./data"
    );
    assert!(
        served
            .output
            .iter()
            .any(|l| l.contains("moderation@demo.example.org")),
        "demo accounts are printed: {:?}",
        served.output
    );
    // Loading the demo is quiet: no warning on the way (the mail caps are not for it).
    let warnings: Vec<&String> = served
        .output
        .iter()
        .filter(|l| l.contains("WARN"))
        .collect();
    assert!(warnings.is_empty(), "{warnings:?}");
    let client = reqwest::Client::new();
    let get = |path: &str| client.get(format!("{}{path}", served.base)).send();
    assert_eq!(get("/health").await.unwrap().status(), StatusCode::OK);
    let services: Value = get("/api/v1/services?limit=100")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let names: Vec<&str> = services["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    for programme in [
        "ONCONNECTE À L'EMPLOI",
        "Alex, pour 1000 patients",
        "Bilan de compétences sensible à l'expérience du cancer",
        "Livret I-KNOW-HOW : rester en emploi ou y revenir",
    ] {
        assert!(
            names.contains(&programme),
            "{programme} missing from {names:?}"
        );
    }
    let onconnecte = services["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "ONCONNECTE À L'EMPLOI")
        .unwrap();
    assert_eq!(onconnecte["contact"]["phone"], "03 81 47 99 99");
    assert!(
        onconnecte["description"]
            .as_str()
            .unwrap()
            .contains("Cancer et emploi 2021")
    );
    let regions: std::collections::BTreeSet<String> = services["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["coverage"]["codes"].as_array())
        .flatten()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect();
    assert!(
        regions.len() >= 6,
        "listings across several régions: {regions:?}"
    );
    assert_eq!(
        get("/docs/").await.unwrap().status(),
        StatusCode::OK,
        "Swagger UI is served"
    );
    assert_eq!(
        get("/api/v1/openapi.json").await.unwrap().status(),
        StatusCode::OK
    );

    // The moderator finds work waiting, with a likely duplicate beside it.
    let tokens: Value = client
        .post(format!("{}/api/v1/auth/login", served.base))
        .json(&json!({"email": "moderation@demo.example.org", "password": "moderatrice-demo-2026"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = tokens["access_token"].as_str().unwrap();
    let queue: Value = client
        .get(format!("{}/api/v1/moderation/queue", served.base))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let items = queue["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{queue}");
    let newcomer = items
        .iter()
        .find(|i| i["name"] == "Entr'aide Cancer Bretagne")
        .unwrap();
    let detail: Value = client
        .get(format!(
            "{}/api/v1/moderation/items/{}",
            served.base,
            newcomer["id"].as_str().unwrap()
        ))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(detail["duplicates"][0]["name"], "Entraide Cancer Bretagne");
    assert!(items.iter().any(|i| i["is_edit_of_published"] == true));

    // The label: one structure holds it (and search filters on it); the demo committee
    // member has an application to review.
    let labelled: Value = get("/api/v1/search?labelled=true&kind=structure")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        labelled["items"][0]["name"], "Soins de support Occitanie",
        "{labelled}"
    );
    let jury: Value = client
        .post(format!("{}/api/v1/auth/login", served.base))
        .json(&json!({"email": "comite@demo.example.org", "password": "jury-demo-2026"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mine: Value = client
        .get(format!("{}/api/v1/me/label-reviews", served.base))
        .bearer_auth(jury["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let waiting: Vec<&Value> = mine
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["state"] == "in_review")
        .collect();
    assert_eq!(waiting.len(), 1, "{mine}");
    assert_eq!(waiting[0]["structure"]["name"], "Entraide Cancer Bretagne");
    assert_eq!(waiting[0]["my_review"]["state"], "assigned");
    drop(served);

    // A second start finds the data in place.
    let again = serve(dir.path());
    assert!(
        again.output.iter().any(|l| l.contains("already loaded")),
        "{:?}",
        again.output
    );
}

#[tokio::test]
async fn moderators_are_created_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut create = agora(dir.path())
        .args([
            "user",
            "create",
            "--email",
            "nadia@test.example.org",
            "--role",
            "moderator",
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    create
        .stdin
        .take()
        .unwrap()
        .write_all(b"a moderator's long password\n")
        .unwrap();
    let out = create.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Without a role: a plain account, verified as the operator's are.
    let mut plain = agora(dir.path())
        .args([
            "user",
            "create",
            "--email",
            "lea@test.example.org",
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    plain
        .stdin
        .take()
        .unwrap()
        .write_all(b"a plain account's long password\n")
        .unwrap();
    let out = plain.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("plain account"));
    let refused = agora(dir.path())
        .args([
            "user",
            "create",
            "--email",
            "x@test.example.org",
            "--role",
            "moderator",
        ])
        .output()
        .unwrap();
    assert!(
        !refused.status.success(),
        "a password on the command line is refused"
    );

    let served = serve(dir.path());
    let client = reqwest::Client::new();
    let tokens: Value = client
        .post(format!("{}/api/v1/auth/login", served.base))
        .json(
            &json!({"email": "nadia@test.example.org", "password": "a moderator's long password"}),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let me: Value = client
        .get(format!("{}/api/v1/me", served.base))
        .bearer_auth(tokens["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["role"], "moderator");
    let plain: Value = client
        .post(format!("{}/api/v1/auth/login", served.base))
        .json(&json!({"email": "lea@test.example.org", "password": "a plain account's long password"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let me: Value = client
        .get(format!("{}/api/v1/me", served.base))
        .bearer_auth(plain["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(me["role"].is_null(), "{me}");
}

/// The README's curl session, run exactly as written against a fresh demo server.
#[tokio::test]
async fn the_readme_session_works_as_written() {
    let readme = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md"),
    )
    .unwrap();
    let block = readme
        .split("<!-- session:begin -->")
        .nth(1)
        .unwrap()
        .split("<!-- session:end -->")
        .next()
        .unwrap();
    let script = block
        .split_once("```sh")
        .unwrap()
        .1
        .rsplit_once("```")
        .unwrap()
        .0;
    let dir = tempfile::tempdir().unwrap();
    let served = serve(dir.path());
    let script = script.replace("http://localhost:8080", &served.base);
    let out = tokio::task::spawn_blocking(move || {
        Command::new("bash")
            .args(["-eo", "pipefail", "-c", &script])
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for expected in [
        "public read of the draft: 404",
        r#"{"name":"Rose Espoir","subject_type":"structure"}"#,
        r#"{"state":"approved"}"#,
        r#"{"name":"Rose Espoir","status":"published"}"#,
        r#"{"state":"draft","number":2}"#,
        r#"{"summary":null}"#,
        r#"[400,"read_only_field"]"#,
        r#"[422,"/siret","/contact/email"]"#,
    ] {
        assert!(
            stdout.lines().any(|l| l == expected),
            "`{expected}` missing from:\n{stdout}"
        );
    }
}

/// `agora sweep` on the demo data: a dry run changes nothing, `--at` looks ahead, a real
/// run writes the reminders as `.eml` files, and a second run has nothing left to do.
#[test]
fn sweeps_run_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let out = agora(dir.path()).args(args).output().unwrap();
        assert!(
            out.status.success(),
            "agora {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    run(&["seed-demo"]);
    let dry = run(&["sweep", "--dry-run"]);
    assert!(
        dry.contains("Les Ateliers du Rebond") && dry.contains("marked « à actualiser »"),
        "{dry}"
    );
    assert!(
        dry.contains("Activité physique adaptée après les traitements: reminder 1"),
        "{dry}"
    );
    assert!(
        dry.contains("2 listings would be reminded, 1 marked"),
        "{dry}"
    );
    let ahead = (chrono::Utc::now() + chrono::Duration::days(400)).to_rfc3339();
    let later = run(&["sweep", "--dry-run", "--at", &ahead]);
    assert!(later.contains("hidden from public results"), "{later}");
    assert!(
        !dir.path().join("data/mail").exists()
            || std::fs::read_dir(dir.path().join("data/mail"))
                .unwrap()
                .count()
                == 0,
        "a dry run sends nothing"
    );

    let real = run(&["sweep"]);
    assert!(
        real.contains("2 listings were reminded, 1 marked « à actualiser », 0 hidden"),
        "{real}"
    );
    let mails: Vec<String> = std::fs::read_dir(dir.path().join("data/mail"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    let has_link = |raw: &String| {
        mail_parser::MessageParser::default()
            .parse(raw.as_bytes())
            .and_then(|m| {
                m.body_text(0)
                    .map(|t| t.contains("/api/v1/refresh/confirm?token="))
            })
            .unwrap_or(false)
    };
    assert!(mails.iter().any(has_link), "a reminder with its link");
    let again = run(&["sweep"]);
    assert!(
        again.contains("0 listings were reminded, 0 marked"),
        "{again}"
    );
    let status = run(&["mail", "status"]);
    assert!(
        status
            .lines()
            .any(|l| l.starts_with("queued") && l.ends_with(" 0")),
        "{status}"
    );
    let bad = agora(dir.path())
        .args(["sweep", "--at", "tomorrow"])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("RFC 3339"));
}
