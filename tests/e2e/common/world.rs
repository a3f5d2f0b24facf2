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
    /// Applications to events, by operation id (`{application_id}` in paths).
    pub applications: HashMap<&'static str, String>,
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
    let applications = events(
        app,
        caller,
        owner,
        moderator,
        reviewers.0,
        &spare,
        &structure,
        &mut ids,
    )
    .await;
    ids.insert("@structure", structure);
    ids.insert("@service", service);
    ids.insert("@project", project);
    World {
        ids,
        spare_member: spare.id,
        revocable_invitation: revocable,
        newcomer_email: format!("{}@test.example.org", unique("newcomer")),
        report,
        applications,
    }
}

/// A published event (RFC 3339 dates from now) as `POST /events` takes it.
pub fn event_body(title: &str) -> Value {
    let at = |days| (chrono::Utc::now() + chrono::Duration::days(days)).to_rfc3339();
    json!({
        "kind": "regional_edition",
        "title": title,
        "summary": "Une journée pour se rencontrer entre associations.",
        "charter_version": "2024",
        "starts_at": at(60),
        "ends_at": at(61),
        "region": "27",
        "mode": "online",
    })
}

/// Events for every operation on them, chaired by the committee member (`chair`): one
/// published with the structure's application and `spare` on its committee, one where the
/// structure has not applied yet, a draft, a pending one, one to archive; and two events
/// of another organiser inviting the caller to their committee.
#[allow(clippy::too_many_arguments)]
async fn events(
    app: &TestApp,
    caller: Option<&User>,
    owner: &User,
    moderator: &User,
    chair: &User,
    spare: &User,
    structure: &str,
    ids: &mut HashMap<&'static str, String>,
) -> HashMap<&'static str, String> {
    let create = |who: &User, title: &str| {
        let rb = app
            .post("/api/v1/events", Some(who))
            .json(&event_body(title));
        async move { id(&ok(app, rb).await) }
    };
    let publish = |event: String| async move {
        ok(
            app,
            app.post(&format!("/api/v1/events/{event}/submit"), Some(chair)),
        )
        .await;
        ok(
            app,
            app.post(&format!("/api/v1/events/{event}/decision"), Some(moderator))
                .json(&json!({"decision": "publish"})),
        )
        .await;
        event
    };
    let main = publish(create(chair, "Édition principale").await).await;
    let to_apply = publish(create(chair, "Édition sans candidature").await).await;
    let to_archive = publish(create(chair, "Édition à archiver").await).await;
    let draft = create(chair, "Brouillon").await;
    let pending = create(chair, "En attente").await;
    ok(
        app,
        app.post(&format!("/api/v1/events/{pending}/submit"), Some(chair)),
    )
    .await;
    // The spare member sits on the main event's committee.
    ok(
        app,
        app.post(&format!("/api/v1/events/{main}/committee"), Some(chair))
            .json(&json!({"email": spare.email})),
    )
    .await;
    ok(
        app,
        app.post(
            &format!("/api/v1/events/{main}/invitation/accept"),
            Some(spare),
        ),
    )
    .await;
    let application = id(&ok(
        app,
        app.post(&format!("/api/v1/events/{main}/applications"), Some(owner))
            .json(&json!({
                "structure_id": structure,
                "message": "Nous venons présenter nos ateliers.",
                "charter_version": "2024",
                "public_consent": true
            })),
    )
    .await);
    let host = app.with_role("host", PlatformRole::Committee).await;
    let mut invited = Vec::new();
    for title in ["Invitation à accepter", "Invitation à refuser"] {
        let event = create(&host, title).await;
        if let Some(c) = caller {
            ok(
                app,
                app.post(&format!("/api/v1/events/{event}/committee"), Some(&host))
                    .json(&json!({"email": c.email})),
            )
            .await;
        }
        invited.push(event);
    }
    for op in [
        "get_event",
        "patch_event",
        "get_committee",
        "invite_to_committee",
        "remove_from_committee",
        "list_event_applications",
        "get_event_application",
        "decide_event_application",
        "withdraw_event_application",
        "event_participants",
    ] {
        ids.insert(op, main.clone());
    }
    ids.insert("apply_to_event", to_apply);
    ids.insert("archive_event", to_archive);
    ids.insert("submit_event", draft);
    ids.insert("decide_event", pending);
    ids.insert("accept_committee_invitation", invited[0].clone());
    ids.insert("decline_committee_invitation", invited[1].clone());
    [
        "get_event_application",
        "decide_event_application",
        "withdraw_event_application",
    ]
    .into_iter()
    .map(|op| (op, application.clone()))
    .collect()
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
            .replace(
                "{application_id}",
                self.applications
                    .get(operation_id)
                    .map_or("", String::as_str),
            )
    }
}
