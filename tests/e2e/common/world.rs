//! A world where every operation of the API has something to act on: published
//! listings, submissions waiting for moderation, help offers and label applications in
//! every state an operation starts from, a report, invitations. The role matrix calls
//! every operation in it; the mail-scanner test opens every `GET` and every mailed link.

use super::{TestApp, User, fixtures, unique};
use agora_domain::PlatformRole;
use agora_domain::label::Seat;
use reqwest::Method;
use serde_json::{Value, json};
use std::collections::HashMap;

/// Everything the operations act on, by operation id.
pub struct World {
    pub ids: HashMap<&'static str, String>,
    pub spare_member: String,
    pub revocable_invitation: String,
    pub newcomer_email: String,
    pub report: String,
}

pub async fn committee(app: &TestApp, name: &str, seat: Seat) -> User {
    let user = app.with_role(name, PlatformRole::Committee).await;
    agora_service::label::set_seat(&app.ctx, &user.email, Some(seat))
        .await
        .unwrap();
    user
}

async fn ok(app: &TestApp, rb: reqwest::RequestBuilder) -> Value {
    let (status, body) = app.call(rb).await;
    assert!(status.is_success(), "{status}: {body}");
    body
}

fn id(v: &Value) -> String {
    v["id"].as_str().expect("an id").to_owned()
}

pub async fn build(
    app: &TestApp,
    caller: Option<&User>,
    owner: &User,
    editor: &User,
    moderator: &User,
    reviewers: (&User, &User),
) -> World {
    let mut ids = HashMap::new();
    let structure = app.published_structure(owner, moderator).await;
    let spare = app.user("spare").await;
    for (who, role) in [(editor, "editor"), (&spare, "editor")] {
        app.join(&structure, owner, who, role).await;
    }
    let in_s = |kind: &str| format!("/api/v1/structures/{structure}/{kind}");
    let service = id(&app
        .publish(
            &in_s("services"),
            "services",
            owner,
            moderator,
            &fixtures::service(),
        )
        .await);
    let mut projects = Vec::new();
    for _ in 0..4 {
        projects.push(id(&app
            .publish(
                &in_s("projects"),
                "projects",
                owner,
                moderator,
                &fixtures::project(),
            )
            .await));
    }
    let [project, to_archive, to_complete, done] = <[String; 4]>::try_from(projects).unwrap();
    // A project that found help through Agora and is completed: it has a story to tell.
    let helper = app.user("helper").await;
    let found = id(&ok(
        app,
        app.post(
            &format!("/api/v1/projects/{done}/help-offers"),
            Some(&helper),
        )
        .json(&fixtures::help_offer("helper@contrib.example.org")),
    )
    .await);
    for (who, step, body) in [
        (moderator, "forward", json!({})),
        (owner, "accept", Value::Null),
        (owner, "close", json!({"outcome": "successful"})),
    ] {
        let rb = app.post(&format!("/api/v1/help-offers/{found}/{step}"), Some(who));
        ok(app, if body.is_null() { rb } else { rb.json(&body) }).await;
    }
    ok(
        app,
        app.post(&format!("/api/v1/projects/{done}/complete"), Some(owner)),
    )
    .await;

    // Moderation: three submissions waiting.
    let mut items = Vec::new();
    for _ in 0..3 {
        let pending = app
            .create("/api/v1/structures", owner, &fixtures::structure())
            .await;
        items.push(app.submit("structures", &id(&pending), owner).await);
    }

    // Help offers on the project, each from its own contributor, in the states the
    // operations start from.
    let offers = format!("/api/v1/projects/{project}/help-offers");
    let offer = |n: usize| {
        let offers = offers.clone();
        async move {
            let contributor = app.user(&format!("contributor{n}")).await;
            let body = fixtures::help_offer(&format!("{}@contrib.example.org", unique("c")));
            id(&ok(app, app.post(&offers, Some(&contributor)).json(&body)).await)
        }
    };
    let (to_decline, to_forward) = (offer(1).await, offer(2).await);
    let mut forwarded = Vec::new();
    for n in 3..6 {
        let o = offer(n).await;
        ok(
            app,
            app.post(&format!("/api/v1/help-offers/{o}/forward"), Some(moderator))
                .json(&json!({})),
        )
        .await;
        forwarded.push(o);
    }
    let [to_accept, to_refuse, to_close] = <[String; 3]>::try_from(forwarded).unwrap();
    ok(
        app,
        app.post(
            &format!("/api/v1/help-offers/{to_close}/accept"),
            Some(owner),
        ),
    )
    .await;

    // Label applications, each of its own structure: a draft, two under review by the
    // committee member and a professional, two submitted.
    let mut applications = Vec::new();
    for n in 0..5 {
        let s = app.published_structure(owner, moderator).await;
        if n == 1 {
            app.join(&s, owner, editor, "editor").await;
        }
        let created = ok(
            app,
            app.post(
                &format!("/api/v1/structures/{s}/label-applications"),
                Some(owner),
            )
            .json(&fixtures::label_application()),
        )
        .await;
        let a = id(&created);
        if n > 0 {
            ok(
                app,
                app.post(
                    &format!("/api/v1/label-applications/{a}/submit"),
                    Some(owner),
                ),
            )
            .await;
        }
        if n == 1 || n == 2 {
            ok(
                app,
                app.post(
                    &format!("/api/v1/label-applications/{a}/assign"),
                    Some(moderator),
                )
                .json(&json!({"reviewer_ids": [reviewers.0.id, reviewers.1.id]})),
            )
            .await;
        }
        applications.push(a);
    }
    let [draft, in_review, to_decide, to_assign, to_complete_pieces] =
        <[String; 5]>::try_from(applications).unwrap();

    // A report, an invitation to withdraw; invitations for the caller to answer; a
    // contributor profile for the caller.
    let report = id(&ok(
        app,
        app.post("/api/v1/reports", Some(&spare)).json(
            &json!({"subject_type": "service", "subject_id": service, "reason": "wrong_hours"}),
        ),
    )
    .await);
    let revocable = id(&ok(
        app,
        app.post(&in_s("invitations"), Some(owner)).json(
            &json!({"email": format!("{}@test.example.org", unique("pending")), "role": "editor"}),
        ),
    )
    .await);
    let host = app.user("host").await;
    let mut for_caller = Vec::new();
    for _ in 0..2 {
        let elsewhere = id(&app
            .create("/api/v1/structures", &host, &fixtures::structure())
            .await);
        let email =
            caller.map_or_else(|| "nobody@test.example.org".to_owned(), |u| u.email.clone());
        for_caller.push(id(&ok(
            app,
            app.post(
                &format!("/api/v1/structures/{elsewhere}/invitations"),
                Some(&host),
            )
            .json(&json!({"email": email, "role": "editor"})),
        )
        .await));
    }
    if let Some(c) = caller {
        ok(
            app,
            app.request(Method::PUT, "/api/v1/me/contributor-profile", Some(c))
                .json(&fixtures::contributor_profile()),
        )
        .await;
    }

    for (op, value) in [
        ("item", &items[0]),
        ("approve", &items[0]),
        ("reject", &items[1]),
        ("request_changes", &items[2]),
        ("archive", &to_archive),
        ("complete", &to_complete),
        ("add_success_story", &done),
        ("decline_offer", &to_decline),
        ("forward_offer", &to_forward),
        ("accept_offer", &to_accept),
        ("refuse_offer", &to_refuse),
        ("close_offer", &to_close),
        ("get_label_application", &in_review),
        ("get_reviews", &in_review),
        ("post_review", &in_review),
        ("patch_label_application", &draft),
        ("submit_label_application", &draft),
        ("decide_label", &to_decide),
        ("assign_reviewers", &to_assign),
        ("request_pieces", &to_complete_pieces),
        ("accept_invitation", &for_caller[0]),
        ("decline_invitation", &for_caller[1]),
        ("resolve_report", &report),
    ] {
        ids.insert(op, value.clone());
    }
    crate::meetings::world::add(app, &mut ids, &structure, owner, reviewers.0).await;
    ids.insert("@structure", structure);
    ids.insert("@service", service);
    ids.insert("@project", project);
    World {
        ids,
        spare_member: spare.id,
        revocable_invitation: revocable,
        newcomer_email: format!("{}@test.example.org", unique("newcomer")),
        report,
    }
}

impl World {
    /// `template` with the ids this world has for `operation_id`.
    pub fn path(&self, template: &str, operation_id: &str) -> String {
        let by_collection = if template.starts_with("/api/v1/structures/") {
            "@structure"
        } else if template.starts_with("/api/v1/services/") {
            "@service"
        } else {
            "@project"
        };
        let id = self
            .ids
            .get(operation_id)
            .or_else(|| self.ids.get(by_collection))
            .cloned()
            .unwrap_or_default();
        template
            .replace("{id}", &id)
            .replace("{user_id}", &self.spare_member)
            .replace("{invitation_id}", &self.revocable_invitation)
            .replace(
                "{meeting}",
                self.ids.get("@meeting").map_or("", String::as_str),
            )
            .replace("{first}", self.ids.get("@first").map_or("", String::as_str))
            .replace(
                "{second}",
                self.ids.get("@second").map_or("", String::as_str),
            )
    }
}
