//! What the role matrix (tests/e2e/roles.rs) needs of speed meetings: events where the
//! world's structure is an accepted participant and the world's committee member sits on
//! the organising committee, each in the state its operations start from.

use super::{Member, Setup, event_with, structures};
use crate::common::{TestApp, User};
use serde_json::json;
use std::collections::HashMap;

async fn ok(app: &TestApp, rb: reqwest::RequestBuilder) -> serde_json::Value {
    let (status, body) = app.call(rb).await;
    assert!(status.is_success(), "{status}: {body}");
    body
}

/// Adds the events and the ids the speed meetings' operations act on: an open event
/// (preferences, pins and bans, runs, the plan), one computed but not published (its
/// publication), one past and published with a meeting both sides followed up (follow-up
/// and feedback).
pub async fn add(
    app: &TestApp,
    ids: &mut HashMap<&'static str, String>,
    structure: &str,
    owner: &User,
    committee: &User,
) {
    let world = Member {
        user: owner.clone(),
        name: String::new(),
        structure: structure.to_owned(),
    };
    let mut members = vec![world];
    members.extend(structures(app, 3).await);
    let setup = Setup {
        participants: 4,
        rounds: 3,
        tables: 2,
        ..Setup::default()
    };
    let open = event_with(app, &setup, committee, &members).await;
    let p = &open.participants;
    ok(
        app,
        app.post(&open.path("/constraints"), Some(committee))
            .json(&json!({
                "first": p[1].application, "second": p[2].application, "kind": "ban"
            })),
    )
    .await;
    for op in [
        "my_meeting_preferences",
        "put_meeting_preferences",
        "list_meeting_constraints",
        "add_meeting_constraint",
        "remove_meeting_constraint",
        "schedule_meetings",
        "meeting_plan",
        "meeting_indicators",
        "my_meetings",
    ] {
        ids.insert(op, open.id.clone());
    }
    ids.insert("@first", p[1].application.clone());
    ids.insert("@second", p[2].application.clone());
    ids.insert("@pin_first", p[1].application.clone());
    ids.insert("@pin_second", p[3].application.clone());

    let computed = event_with(app, &setup, committee, &members).await;
    ok(app, app.post(&computed.path("/schedule"), Some(committee))).await;
    ids.insert("publish_meetings", computed.id.clone());

    let past = event_with(
        app,
        &Setup {
            starts_in_days: -300,
            ..setup
        },
        committee,
        &members,
    )
    .await;
    ok(app, app.post(&past.path("/schedule"), Some(committee))).await;
    ok(app, app.post(&past.path("/publish"), Some(committee))).await;
    let mine = ok(app, app.get(&past.path("/mine"), Some(owner))).await;
    let m = &mine[0]["meetings"][0];
    let meeting = m["id"].as_str().unwrap().to_owned();
    let other = past
        .participants
        .iter()
        .find(|x| m["with"]["application_id"] == x.application.as_str())
        .unwrap();
    for who in [owner, &other.user] {
        ok(
            app,
            app.post(&past.path(&format!("/{meeting}/follow-up")), Some(who))
                .json(&json!({"follow_up": true})),
        )
        .await;
    }
    ids.insert("follow_up_meeting", past.id.clone());
    ids.insert("answer_meeting_feedback", past.id.clone());
    ids.insert("@meeting", meeting);
}
