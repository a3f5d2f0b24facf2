//! The demo holds a published Cancerthon with its committee and about fifteen
//! applications in every state, and a regional edition in Bourgogne-Franche-Comté.

use crate::both_backends;
use crate::common::{Backend, TestApp};
use reqwest::StatusCode;

async fn the_demo_holds_a_cancerthon_with_its_participants(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    agora::demo::seed(&app.ctx).await.expect("demo data");
    let (status, page) = app.call(app.get("/api/v1/events", None)).await;
    assert_eq!(status, StatusCode::OK);
    let items = page["items"].as_array().unwrap();
    let titles: Vec<&str> = items.iter().map(|e| e["title"].as_str().unwrap()).collect();
    assert!(
        titles.iter().any(|t| t.starts_with("Cancerthon 20")),
        "{titles:?}"
    );
    assert!(titles.contains(&"Cancerthon régional Bourgogne-Franche-Comté"));
    let cancerthon = items.iter().find(|e| e["kind"] == "cancerthon").unwrap();
    assert_eq!(cancerthon["charter_version"], "2024");
    assert!(cancerthon.get("region").is_none(), "national");
    let id = cancerthon["id"].as_str().unwrap();
    let (_, participants) = app
        .call(app.get(&format!("/api/v1/events/{id}/participants"), None))
        .await;
    assert_eq!(participants["accepted"], 12, "{participants}");
    assert_eq!(participants["unnamed"], 2);
    let text = participants.to_string();
    for hidden in ["Rebond", "Val de Loire", "Grand Est", "Pays de la Loire"] {
        assert!(!text.contains(hidden), "{hidden} is not named");
    }
    assert!(text.contains("IRFC"));
    let counts = agora_store::events::count_by_state(&app.ctx.db, id.parse().unwrap())
        .await
        .unwrap();
    let n = |s: &str| {
        counts
            .iter()
            .find(|(state, _)| state.as_str() == s)
            .map_or(0, |(_, n)| *n)
    };
    assert_eq!((n("accepted"), n("declined"), n("pending")), (12, 1, 1));
    let html = app
        .get(&format!("/evenements/{id}"), None)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Centre de conférences ministériel, Paris"));
    assert!(html.contains("Et 2 autres participants"));
}

both_backends!(the_demo_holds_a_cancerthon_with_its_participants);
