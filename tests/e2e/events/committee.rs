//! The organising committee: the chair invites by address and gets the same answer
//! whether the address has an account or not; the invited person accepts to join; only
//! the chair manages the committee; its names and addresses stay within it.

use super::{draft, organiser, published};
use crate::both_backends;
use crate::common::{Backend, TestApp, problem};
use reqwest::StatusCode;
use serde_json::json;

async fn the_chair_invites_without_telling_who_has_an_account(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let chair = organiser(&app, "chair").await;
    let moderator = app.moderator().await;
    let invitee = app.verified_user("invitee").await;
    let stranger = app.verified_user("stranger").await;
    let event = draft(&app, &chair, "Édition régionale des tests").await;
    let committee = format!("/api/v1/events/{event}/committee");

    // The same answer for an account's address and for an unknown one.
    let mut answers = Vec::new();
    for email in [
        invitee.email.clone(),
        "personne-inconnue@test.example.org".to_owned(),
    ] {
        let (status, body) = app
            .call(
                app.post(&committee, Some(&chair))
                    .json(&json!({"email": email})),
            )
            .await;
        assert_eq!(status, StatusCode::ACCEPTED, "{body}");
        answers.push(body);
    }
    assert_eq!(answers[0], answers[1]);
    // The list shows nobody until they accept: it cannot tell either.
    let (status, list) = app.call(app.get(&committee, Some(&chair))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    assert_eq!(list[0]["role"], "chair");
    let res = app
        .post(&committee, Some(&chair))
        .json(&json!({"email": "pas une adresse"}))
        .send()
        .await
        .unwrap();
    problem(res, StatusCode::UNPROCESSABLE_ENTITY).await;

    // The invited person is told by mail, sees the draft and their invitation.
    app.smtp
        .wait_for(&invitee.email, "Invitation au comit", 1)
        .await;
    let (_, mine) = app.call(app.get("/api/v1/me/events", Some(&invitee))).await;
    assert_eq!(mine[0]["my_role"], "invited", "{mine}");
    let (status, _) = app
        .call(app.get(&format!("/api/v1/events/{event}"), Some(&invitee)))
        .await;
    assert_eq!(status, StatusCode::OK);
    // Invited is not seated: no rights on the committee yet.
    let res = app
        .get(
            &format!("/api/v1/events/{event}/applications"),
            Some(&invitee),
        )
        .send()
        .await
        .unwrap();
    problem(res, StatusCode::FORBIDDEN).await;
    // Nobody else may answer their invitation.
    for who in [&stranger, &chair] {
        let res = app
            .post(
                &format!("/api/v1/events/{event}/invitation/accept"),
                Some(who),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
    }
    let (status, view) = app
        .call(app.post(
            &format!("/api/v1/events/{event}/invitation/accept"),
            Some(&invitee),
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{view}");
    assert_eq!(view["my_role"], "member");
    let (_, list) = app.call(app.get(&committee, Some(&invitee))).await;
    let emails: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["email"].as_str().unwrap())
        .collect();
    assert_eq!(emails, [chair.email.as_str(), invitee.email.as_str()]);

    // Only the chair manages the committee.
    let res = app
        .post(&committee, Some(&invitee))
        .json(&json!({"email": stranger.email}))
        .send()
        .await
        .unwrap();
    problem(res, StatusCode::FORBIDDEN).await;
    let res = app
        .delete_as(&format!("{committee}/{}", chair.id), &invitee)
        .await;
    assert_eq!(res, StatusCode::FORBIDDEN);
    assert_eq!(
        app.delete_as(&format!("{committee}/{}", chair.id), &chair)
            .await,
        StatusCode::CONFLICT,
        "the chair stays"
    );

    // Names and addresses stay within the committee, even once the event is public.
    let public = published(&app, &chair, &moderator, "Cancerthon public").await;
    let public_committee = format!("/api/v1/events/{public}/committee");
    let res = app.get(&public_committee, None).send().await.unwrap();
    problem(res, StatusCode::UNAUTHORIZED).await;
    for who in [&stranger, &moderator, &invitee] {
        let res = app.get(&public_committee, Some(who)).send().await.unwrap();
        problem(res, StatusCode::FORBIDDEN).await;
    }
    let (_, page) = app
        .call(app.get(&format!("/api/v1/events/{public}"), None))
        .await;
    assert!(!page.to_string().contains(&chair.email));
    let html = app
        .get(&format!("/evenements/{public}"), None)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Cancerthon public"));
    assert!(!html.contains(&chair.email));

    // Removed, the member loses the draft.
    assert_eq!(
        app.delete_as(&format!("{committee}/{}", invitee.id), &chair)
            .await,
        StatusCode::NO_CONTENT
    );
    let (status, _) = app
        .call(app.get(&format!("/api/v1/events/{event}"), Some(&invitee)))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // A stranger learns nothing about a draft's committee.
    let res = app.get(&committee, Some(&stranger)).send().await.unwrap();
    problem(res, StatusCode::NOT_FOUND).await;
}

impl TestApp {
    async fn delete_as(&self, path: &str, user: &crate::common::User) -> StatusCode {
        self.request(reqwest::Method::DELETE, path, Some(user))
            .send()
            .await
            .unwrap()
            .status()
    }
}

both_backends!(the_chair_invites_without_telling_who_has_an_account);
