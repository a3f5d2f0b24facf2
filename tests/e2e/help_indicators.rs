//! "Je propose mon aide" at scale and in numbers: the sweep reaches every waiting offer
//! however many; only projects seeking help are suggested; indicators are counted by the
//! database.

use super::help::{offer_body, world};
use crate::both_backends;
use crate::common::{Backend, TestApp, fixtures};
use reqwest::StatusCode;
use serde_json::json;

/// The sweep reaches every waiting offer, however many: past ten thousand (where it used
/// to stop reading), each one expires.
async fn the_sweep_reaches_every_waiting_offer(backend: Backend) {
    use agora_domain::help::{OfferState, Wants};
    use agora_store::help::OfferRecord;
    let app = TestApp::spawn(backend).await;
    let w = world(&app).await;
    let project = agora_store::listings::get(
        &app.ctx.db,
        agora_domain::ListingKind::Project,
        w.project.parse().unwrap(),
    )
    .await
    .unwrap()
    .unwrap();
    let contributor: uuid::Uuid = w.contributor.id.parse().unwrap();
    let long_ago = agora_domain::Clock::now(app.clock.as_ref()) - chrono::Duration::days(31);
    const N: usize = 10_050;
    let txn = agora_store::TransactionTrait::begin(&app.ctx.db)
        .await
        .unwrap();
    for _ in 0..N {
        let offer = OfferRecord {
            id: uuid::Uuid::now_v7(),
            project_id: project.id,
            structure_id: project.structure_id,
            contributor_id: contributor,
            region: None,
            message: "Je peux aider.".into(),
            skills: Vec::new(),
            wants: Wants::Details,
            contact_email: w.email_canary.clone(),
            contact_phone: None,
            health_info: None,
            health_consent_at: None,
            state: OfferState::Submitted,
            created_at: long_ago,
            updated_at: long_ago,
            screened_at: None,
            screened_by: None,
            decline_reason: None,
            answered_at: None,
            answered_by: None,
            connected_at: None,
            closed_at: None,
            outcome: None,
            outcome_note: None,
            moderator_notes: None,
            reminders_sent: 1,
            health_purged_at: None,
        };
        agora_store::help::insert(&txn, &offer).await.unwrap();
    }
    txn.commit().await.unwrap();
    let report = app.sweep().await;
    assert_eq!(report.help_expired, N as u64, "{report:?}");
    let (_, stats) = app.call(app.get("/api/v1/stats", None)).await;
    assert_eq!(stats["offers_by_state"]["expired"], N);
    assert_eq!(stats["offers_by_state"]["submitted"], 0);
}

/// Only projects seeking contributors now are suggested: not a paused one, not a
/// completed one (offering help to them is refused).
async fn suggestions_are_projects_open_to_help(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("owner").await;
    let moderator = app.moderator().await;
    let contributor = app.user("contributor").await;
    let structure = app.published_structure(&owner, &moderator).await;
    let mut ids = Vec::new();
    for title in ["Projet ouvert", "Projet en pause", "Projet terminé"] {
        let mut p = fixtures::project();
        p["title"] = json!(title);
        let created = app
            .publish(
                &format!("/api/v1/structures/{structure}/projects"),
                "projects",
                &owner,
                &moderator,
                &p,
            )
            .await;
        ids.push(created["id"].as_str().unwrap().to_owned());
    }
    for (id, action) in [(&ids[1], "pause"), (&ids[2], "complete")] {
        let (status, body) = app
            .call(app.post(&format!("/api/v1/projects/{id}/{action}"), Some(&owner)))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let (status, _) = app
        .call(
            app.request(
                reqwest::Method::PUT,
                "/api/v1/me/contributor-profile",
                Some(&contributor),
            )
            .json(&fixtures::contributor_profile()),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    app.index_caught_up().await;
    let (status, page) = app
        .call(app.get("/api/v1/me/suggested-projects", Some(&contributor)))
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let titles: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Projet ouvert"], "{page}");
    // The public still finds all three: paused and completed projects stay listed.
    assert_eq!(app.search("kind=project").await["total"], 3);
}

/// Indicators counted by the database: offers by state, the median time to a first
/// answer (of an even number of answers), projects that found contributors, per région.
async fn indicators_are_counted_by_the_database(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let w = world(&app).await;
    let offers = format!("/api/v1/projects/{}/help-offers", w.project);
    let mut ids = Vec::new();
    for n in 0..4 {
        let c = app.user(&format!("c{n}")).await;
        let (status, _) = app
            .call(
                app.request(reqwest::Method::PUT, "/api/v1/me/contributor-profile", Some(&c))
                    .json(&json!({"skills": [], "region": if n < 2 { "27" } else { "11" }, "contact_channel": "email"})),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let (status, o) = app
            .call(app.post(&offers, Some(&c)).json(&offer_body(&w)))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{o}");
        ids.push(o["id"].as_str().unwrap().to_owned());
    }
    // Answers after 1, 2 and 4 hours; the fourth offer waits.
    for (id, hours) in ids.iter().zip([1, 1, 2]) {
        app.clock.advance(chrono::Duration::hours(hours));
        let moderator = app.relogin(&w.moderator).await;
        let (status, _) = app
            .call(
                app.post(
                    &format!("/api/v1/help-offers/{id}/forward"),
                    Some(&moderator),
                )
                .json(&json!({})),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
    }
    let owner = app.relogin(&w.owner).await;
    let (status, _) = app
        .call(app.post(
            &format!("/api/v1/help-offers/{}/accept", ids[0]),
            Some(&owner),
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, all) = app.call(app.get("/api/v1/stats", None)).await;
    assert_eq!(status, StatusCode::OK, "{all}");
    assert_eq!(all["offers_by_state"]["submitted"], 1);
    assert_eq!(all["offers_by_state"]["forwarded"], 2);
    assert_eq!(all["offers_by_state"]["connected"], 1);
    assert_eq!(all["offers_by_state"]["declined"], 0);
    // Waits of 1, 2 and 4 hours: the median is 2.
    assert_eq!(all["median_hours_to_first_answer"], 2.0);
    assert_eq!(all["projects_with_contributors"], 1);
    let (_, idf) = app
        .call(app.get("/api/v1/stats?code_region=11", None))
        .await;
    assert_eq!(idf["offers_by_state"]["forwarded"], 1, "{idf}");
    assert_eq!(idf["offers_by_state"]["submitted"], 1);
    assert_eq!(idf["projects_with_contributors"], 0);
    assert_eq!(idf["median_hours_to_first_answer"], 4.0);
    let (_, bfc) = app
        .call(app.get("/api/v1/stats?code_region=27", None))
        .await;
    // The région's two answered offers: 1 and 2 hours, median 1.5.
    assert_eq!(bfc["median_hours_to_first_answer"], 1.5, "{bfc}");
    assert_eq!(bfc["projects_with_contributors"], 1);
    assert!(!all.to_string().contains("canari"), "no health information");
}

both_backends!(
    the_sweep_reaches_every_waiting_offer,
    suggestions_are_projects_open_to_help,
    indicators_are_counted_by_the_database,
);
