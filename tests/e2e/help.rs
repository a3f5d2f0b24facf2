//! "Je propose mon aide" end to end: every transition, mediated by moderators; canaries
//! (a contributor's e-mail and phone, an anonymous project's structure) searched for in
//! every response and every mail (security rows 2 and 3); health information with consent,
//! audited reads and retention; quotas; expiry with a moved clock; suggestions; indicators.

use crate::both_backends;
use crate::common::{Backend, TestApp, User, fixtures};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;

const PHONE_CANARY: &str = "98 76 54 32";

pub(crate) struct World {
    pub(crate) owner: User,
    pub(crate) moderator: User,
    pub(crate) contributor: User,
    pub(crate) other: User,
    pub(crate) project: String,
    pub(crate) structure_canary: String,
    pub(crate) email_canary: String,
}

pub(crate) async fn world(app: &TestApp) -> World {
    let owner = app.user("owner").await;
    let moderator = app.moderator().await;
    let contributor = app.user("contributor").await;
    let other = app.user("other").await;
    let structure_canary = format!("StructureCanari{}", uuid::Uuid::new_v4().simple());
    let mut s = fixtures::structure();
    s["name"] = json!(structure_canary);
    let structure = app
        .publish("/api/v1/structures", "structures", &owner, &moderator, &s)
        .await;
    let mut p = fixtures::project();
    p["anonymous"] = json!(true);
    let project = app
        .publish(
            &format!(
                "/api/v1/structures/{}/projects",
                structure["id"].as_str().unwrap()
            ),
            "projects",
            &owner,
            &moderator,
            &p,
        )
        .await;
    World {
        owner,
        moderator,
        contributor,
        other,
        project: project["id"].as_str().unwrap().to_owned(),
        structure_canary,
        email_canary: format!(
            "canari-{}@contrib.example.org",
            uuid::Uuid::new_v4().simple()
        ),
    }
}

pub(crate) fn offer_body(w: &World) -> Value {
    json!({
        "message": "Je peux raconter mon retour au travail après un lymphome.",
        "skills": ["experience-patient"],
        "wants": "introduction",
        "contact": {"email": w.email_canary, "phone": "0698765432"},
        "health_info": "canari-sante : traitée en 2023, en rémission.",
        "health_consent": true
    })
}

async fn get(app: &TestApp, path: &str, user: Option<&User>) -> String {
    let res = app.get(path, user).send().await.unwrap();
    res.text().await.unwrap()
}

/// Everything the owner, another user and the public can read about the project.
async fn outside_views(app: &TestApp, w: &World) -> Vec<String> {
    let mut out = Vec::new();
    let project = format!("/api/v1/projects/{}", w.project);
    for user in [Some(&w.owner), Some(&w.other), None] {
        out.push(get(app, &project, user).await);
        out.push(
            get(
                app,
                &format!("/api/v1/projects/{}/updates", w.project),
                user,
            )
            .await,
        );
        out.push(get(app, "/api/v1/projects?limit=100", user).await);
        out.push(get(app, "/api/v1/search?q=temoignages", user).await);
        out.push(get(app, "/api/v1/stats", user).await);
        out.push(
            get(
                app,
                &format!("/api/v1/projects/{}/help-offers", w.project),
                user,
            )
            .await,
        );
        out.push(get(app, "/api/v1/me/help-offers", user).await);
        // Their own data export, and the errors they can provoke around the offers.
        out.push(get(app, "/api/v1/me/export", user).await);
        for offer in offers_of_project(app, w).await {
            // Refused without changing anything: only moderators forward, and only a
            // connected offer closes.
            let forward = app.post(&format!("/api/v1/help-offers/{offer}/forward"), user);
            let close = app
                .post(&format!("/api/v1/help-offers/{offer}/close"), user)
                .json(&json!({"outcome": "successful"}));
            for rb in [forward, close] {
                let res = rb.send().await.unwrap();
                assert!(res.status().is_client_error(), "{}", res.status());
                out.push(res.text().await.unwrap());
            }
        }
    }
    out
}

/// The ids of the project's offers (read directly: the test needs them all).
async fn offers_of_project(app: &TestApp, w: &World) -> Vec<uuid::Uuid> {
    let project = w.project.parse().unwrap();
    agora_store::help::of_project(&app.ctx.db, project)
        .await
        .unwrap()
        .into_iter()
        .map(|o| o.id)
        .collect()
}

fn count(texts: &[String], needle: &str) -> usize {
    texts.iter().map(|t| t.matches(needle).count()).sum()
}

fn mails_text(app: &TestApp) -> Vec<String> {
    app.smtp
        .all()
        .iter()
        .map(|m| format!("{}\n{}\n{}", m.subject(), m.text(), m.html()))
        .collect()
}

async fn drain(app: &TestApp) {
    for _ in 0..400 {
        let pending: u64 = agora_service::mail::queue_counts(&app.ctx)
            .await
            .unwrap()
            .iter()
            .filter(|(s, _)| s == "queued" || s == "sending")
            .map(|(_, n)| n)
            .sum();
        if pending == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("mail still queued");
}

async fn from_offer_to_success_without_leaks(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let w = world(&app).await;

    // A profile with lived experience needs consent; suggestions follow skills and région.
    let profile = json!({"skills": ["experience-patient"], "region": "27", "contact_channel": "email",
                         "experience": "Patiente, lymphome en 2023.", "consent": false});
    let (status, p) = app
        .call(
            app.request(
                reqwest::Method::PUT,
                "/api/v1/me/contributor-profile",
                Some(&w.contributor),
            )
            .json(&profile),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    let mut profile = profile;
    profile["consent"] = json!(true);
    let (status, _) = app
        .call(
            app.request(
                reqwest::Method::PUT,
                "/api/v1/me/contributor-profile",
                Some(&w.contributor),
            )
            .json(&profile),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let started = std::time::Instant::now();
    loop {
        let (_, s) = app
            .call(app.get("/api/v1/me/suggested-projects", Some(&w.contributor)))
            .await;
        if s["items"]
            .as_array()
            .is_some_and(|i| i.iter().any(|p| p["id"] == w.project.as_str()))
        {
            assert!(
                !s.to_string().contains(&w.structure_canary),
                "anonymous: {s}"
            );
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(5), "{s}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }

    // The offer; the same again is refused; the owners cannot offer to their own project.
    let offers = format!("/api/v1/projects/{}/help-offers", w.project);
    let (status, offer) = app
        .call(
            app.post(&offers, Some(&w.contributor))
                .json(&offer_body(&w)),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{offer}");
    assert_eq!(offer["state"], "submitted");
    let id = offer["id"].as_str().unwrap().to_owned();
    let (status, _) = app
        .call(
            app.post(&offers, Some(&w.contributor))
                .json(&offer_body(&w)),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "duplicate");
    let (status, _) = app
        .call(app.post(&offers, Some(&w.owner)).json(&offer_body(&w)))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "own project");

    // Screening: moderators see the contact and the health information (read audited).
    let (status, queue) = app
        .call(app.get("/api/v1/moderation/help-offers", Some(&w.moderator)))
        .await;
    assert_eq!(status, StatusCode::OK, "{queue}");
    let item = &queue["items"][0];
    assert_eq!(item["moderation"]["contact_email"], w.email_canary.as_str());
    assert!(
        item["moderation"]["health_info"]
            .as_str()
            .unwrap()
            .contains("canari-sante")
    );
    let (_, audit) = app
        .call(app.get(
            &format!(
                "/api/v1/audit?subject_type=user&subject_id={}",
                w.contributor.id
            ),
            Some(&w.moderator),
        ))
        .await;
    assert!(audit.to_string().contains("health_info_read"), "{audit}");
    let (status, _) = app
        .call(app.get("/api/v1/moderation/help-offers", Some(&w.owner)))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Before forwarding the owners see nothing; after, the offer without who or how.
    let (_, seen) = app.call(app.get(&offers, Some(&w.owner))).await;
    assert_eq!(seen.as_array().unwrap().len(), 0);
    let (status, f) = app
        .call(
            app.post(
                &format!("/api/v1/help-offers/{id}/forward"),
                Some(&w.moderator),
            )
            .json(&json!({"note": "Profil sérieux."})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{f}");
    app.smtp
        .wait_for(&w.owner.email, "propose son aide", 1)
        .await;
    let (_, seen) = app.call(app.get(&offers, Some(&w.owner))).await;
    assert_eq!(seen[0]["state"], "forwarded");
    assert!(seen[0]["contact"].is_null());
    drain(&app).await;

    // Row 2 and 3 before connection: no contributor contact anywhere outside, no
    // structure named to the contributor.
    let outside = outside_views(&app, &w).await;
    let mails = mails_text(&app);
    for canary in [
        w.email_canary.as_str(),
        PHONE_CANARY,
        "canari-sante",
        "Profil sérieux",
    ] {
        assert_eq!(
            count(&outside, canary),
            0,
            "{canary} leaked before connection"
        );
        assert_eq!(
            count(&mails, canary),
            0,
            "{canary} in a mail before connection"
        );
    }
    let contributor_side = vec![
        get(&app, "/api/v1/me/help-offers", Some(&w.contributor)).await,
        get(
            &app,
            &format!("/api/v1/projects/{}", w.project),
            Some(&w.contributor),
        )
        .await,
        get(&app, "/api/v1/search?q=temoignages", Some(&w.contributor)).await,
    ];
    let contributor_mails: Vec<String> = app
        .smtp
        .to(&w.contributor.email)
        .iter()
        .map(|m| m.data.clone() + &m.text())
        .collect();
    assert_eq!(count(&contributor_side, &w.structure_canary), 0);
    assert_eq!(count(&contributor_mails, &w.structure_canary), 0);

    // The owners accept: connected, contact details cross both ways, by mail and in views.
    let (status, other_try) = app
        .call(app.post(&format!("/api/v1/help-offers/{id}/accept"), Some(&w.other)))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{other_try}");
    let (status, a) = app
        .call(app.post(&format!("/api/v1/help-offers/{id}/accept"), Some(&w.owner)))
        .await;
    assert_eq!(status, StatusCode::OK, "{a}");
    assert_eq!(a["state"], "connected");
    assert_eq!(a["contact"]["email"], w.email_canary.as_str());
    let to_contributor = app
        .smtp
        .wait_for(&w.contributor.email, "Mise en relation", 1)
        .await;
    assert!(
        to_contributor[0].text().contains(&w.structure_canary),
        "the structure is named now"
    );
    assert!(to_contributor[0].text().contains(&w.owner.email));
    let to_owner = app
        .smtp
        .wait_for(&w.owner.email, "Mise en relation", 1)
        .await;
    assert!(to_owner[0].text().contains(&w.email_canary));
    assert!(to_owner[0].text().contains(PHONE_CANARY));
    assert!(
        !to_owner[0].text().contains("canari-sante"),
        "health information stays with moderators"
    );
    let (_, mine) = app
        .call(app.get("/api/v1/me/help-offers", Some(&w.contributor)))
        .await;
    assert_eq!(mine[0]["contact"]["structure"], w.structure_canary.as_str());
    drain(&app).await;

    // Exactly the intended mails carry the contact; the public and others still see none.
    let mails = mails_text(&app);
    assert_eq!(
        count(&mails, &w.email_canary),
        2,
        "the owner's mail (text and HTML)"
    );
    let mut outside = Vec::new();
    for user in [Some(&w.other), None] {
        outside.push(get(&app, &format!("/api/v1/projects/{}", w.project), user).await);
        outside.push(get(&app, "/api/v1/search?q=temoignages", user).await);
        outside.push(get(&app, "/api/v1/stats", user).await);
        outside.push(get(&app, &offers, user).await);
    }
    assert_eq!(count(&outside, &w.email_canary), 0);
    assert_eq!(count(&outside, &w.structure_canary), 0);

    // Closed with success; the indicators count it.
    let (status, c) = app
        .call(
            app.post(&format!("/api/v1/help-offers/{id}/close"), Some(&w.owner))
                .json(&json!({"outcome": "successful", "note": "Deux témoignages enregistrés."})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{c}");
    assert_eq!(c["state"], "closed");
    app.smtp.wait_for(&w.contributor.email, "terminée", 1).await;
    let (_, stats) = app.call(app.get("/api/v1/stats", None)).await;
    assert_eq!(stats["offers_by_state"]["closed"], 1, "{stats}");
    assert_eq!(stats["projects_with_contributors"], 1);
    let (_, regional) = app
        .call(app.get("/api/v1/stats?code_region=27", None))
        .await;
    assert_eq!(regional["offers_by_state"]["closed"], 1, "{regional}");
    let (_, elsewhere) = app
        .call(app.get("/api/v1/stats?code_region=11", None))
        .await;
    assert_eq!(elsewhere["offers_by_state"]["closed"], 0);

    // The completed project tells its success story; moderators approve it.
    let story = format!("/api/v1/projects/{}/success-story", w.project);
    let body = json!({"body": "Grâce à une contributrice, douze témoignages sont en ligne."});
    let (status, _) = app.call(app.post(&story, Some(&w.owner)).json(&body)).await;
    assert_eq!(status, StatusCode::CONFLICT, "not completed yet");
    let (status, _) = app
        .call(app.post(
            &format!("/api/v1/projects/{}/complete", w.project),
            Some(&w.owner),
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, told) = app.call(app.post(&story, Some(&w.owner)).json(&body)).await;
    assert_eq!(status, StatusCode::CREATED, "{told}");
    assert_eq!(told["kind"], "success_story");
    let (status, _) = app.call(app.post(&story, Some(&w.owner)).json(&body)).await;
    assert_eq!(status, StatusCode::CONFLICT, "one per project");
    let (_, queue) = app
        .call(app.get(
            "/api/v1/moderation/queue?kind=project_update",
            Some(&w.moderator),
        ))
        .await;
    let item = queue["items"][0]["id"].as_str().unwrap().to_owned();
    let (status, _) = app.decide(&item, "approve", &w.moderator, None).await;
    assert_eq!(status, StatusCode::OK);
    let (_, updates) = app
        .call(app.get(&format!("/api/v1/projects/{}/updates", w.project), None))
        .await;
    assert_eq!(updates[0]["kind"], "success_story", "{updates}");
    assert!(!updates.to_string().contains(&w.email_canary));
    // The portal's catalogue tells it above the projects, and so does the project's page.
    for path in ["/projets".to_owned(), format!("/projets/{}", w.project)] {
        let html = app
            .get(&path, None)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains("douze témoignages sont en ligne"), "{path}");
        assert!(!html.contains(&w.email_canary), "{path}");
    }

    // Health information is forgotten once the retention period after closing is over.
    app.advance_days(91);
    let r = app.sweep().await;
    assert_eq!(r.health_info_purged, 1, "{r:?}");
    let moderator = app.relogin(&w.moderator).await;
    let (_, closed) = app
        .call(app.get(
            "/api/v1/moderation/help-offers?state=closed",
            Some(&moderator),
        ))
        .await;
    assert!(
        closed["items"][0]["moderation"]["health_info"].is_null(),
        "{closed}"
    );
}

async fn declined_refused_and_expired(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| c.help.offers_per_contributor_per_day = 3).await;
    let w = world(&app).await;
    let offers = format!("/api/v1/projects/{}/help-offers", w.project);
    let offer = || {
        app.call(
            app.post(&offers, Some(&w.contributor))
                .json(&offer_body(&w)),
        )
    };

    // Declined by a moderator, with a reason; the owners never hear of it.
    let (_, a) = offer().await;
    let a = a["id"].as_str().unwrap().to_owned();
    let (status, _) = app
        .call(
            app.post(
                &format!("/api/v1/help-offers/{a}/decline"),
                Some(&w.moderator),
            )
            .json(&json!({})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a reason is needed"
    );
    let (status, d) = app
        .call(
            app.post(
                &format!("/api/v1/help-offers/{a}/decline"),
                Some(&w.moderator),
            )
            .json(&json!({"reason": "Le projet cherche une autre compétence."})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{d}");
    let mail = app
        .smtp
        .wait_for(&w.contributor.email, "Votre proposition d'aide", 1)
        .await;
    assert!(mail[0].text().contains("une autre compétence"));
    let (status, _) = app
        .call(app.post(
            &format!("/api/v1/help-offers/{a}/forward"),
            Some(&w.moderator),
        ))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "declined is final");

    // Forwarded, then refused by the owners: no contact and no structure cross.
    let (_, b) = offer().await;
    let b = b["id"].as_str().unwrap().to_owned();
    app.call(app.post(
        &format!("/api/v1/help-offers/{b}/forward"),
        Some(&w.moderator),
    ))
    .await;
    let (status, r) = app
        .call(app.post(&format!("/api/v1/help-offers/{b}/refuse"), Some(&w.owner)))
        .await;
    assert_eq!(status, StatusCode::OK, "{r}");
    assert!(r["contact"].is_null());
    let refused = app
        .smtp
        .wait_for(&w.contributor.email, "Réponse à votre proposition", 1)
        .await;
    assert!(
        !refused[0].data.contains(&w.structure_canary)
            && !refused[0].text().contains(&w.structure_canary)
    );
    let (status, _) = app
        .call(
            app.post(&format!("/api/v1/help-offers/{b}/close"), Some(&w.owner))
                .json(&json!({"outcome": "successful"})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "only a connected offer closes"
    );
    drain(&app).await;
    let mails = mails_text(&app);
    assert_eq!(count(&mails, &w.email_canary), 0, "none on refusal");

    // Unanswered: reminded, then expired.
    let (status, _) = offer().await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = offer().await;
    assert_eq!(status, StatusCode::CONFLICT, "one open offer per project");
    app.advance_days(8);
    assert_eq!(app.sweep().await.help_reminded, 1);
    assert_eq!(app.sweep().await.help_reminded, 0, "once");
    app.smtp.wait_for(&w.moderator.email, "attend", 1).await;
    app.advance_days(23);
    assert_eq!(app.sweep().await.help_expired, 1);
    let contributor = app.relogin(&w.contributor).await;
    let (_, mine) = app
        .call(app.get("/api/v1/me/help-offers", Some(&contributor)))
        .await;
    let states: Vec<&str> = mine
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["expired", "refused", "declined"], "{mine}");
    app.smtp.wait_for(&w.contributor.email, "a expiré", 1).await;

    // The quota: three a day.
    let (_, d) = app
        .call(app.post(&offers, Some(&contributor)).json(&offer_body(&w)))
        .await;
    assert!(d["id"].is_string(), "{d}");
    let owner = app.relogin(&w.owner).await;
    let (status, _) = app
        .call(app.post(
            &format!("/api/v1/projects/{}/pause", w.project),
            Some(&owner),
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    let other = app.relogin(&w.other).await;
    let (status, _) = app
        .call(app.post(&offers, Some(&other)).json(&offer_body(&w)))
        .await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "a paused project does not look for contributors"
    );
}

async fn the_quota_holds(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| c.help.offers_per_contributor_per_day = 2).await;
    let w = world(&app).await;
    let owner2 = app.user("owner2").await;
    let mut projects = vec![w.project.clone()];
    for _ in 0..2 {
        let structure = app.published_structure(&owner2, &w.moderator).await;
        let p = app
            .publish(
                &format!("/api/v1/structures/{structure}/projects"),
                "projects",
                &owner2,
                &w.moderator,
                &fixtures::project(),
            )
            .await;
        projects.push(p["id"].as_str().unwrap().to_owned());
    }
    let mut statuses = Vec::new();
    for p in &projects {
        let res = app
            .post(
                &format!("/api/v1/projects/{p}/help-offers"),
                Some(&w.contributor),
            )
            .json(&offer_body(&w))
            .send()
            .await
            .unwrap();
        statuses.push(res.status());
        if res.status() == StatusCode::TOO_MANY_REQUESTS {
            assert!(res.headers().contains_key("retry-after"));
        }
    }
    assert_eq!(
        statuses,
        [
            StatusCode::CREATED,
            StatusCode::CREATED,
            StatusCode::TOO_MANY_REQUESTS
        ]
    );
}

both_backends!(
    from_offer_to_success_without_leaks,
    declined_refused_and_expired,
    the_quota_holds,
);
