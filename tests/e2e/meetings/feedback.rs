//! After the event: follow-ups, the feedback request six months later sent once however
//! many instances sweep, the answers, and the indicators they move.

use super::{Setup, event, meetings_of, plan, run};
use crate::both_backends;
use crate::common::{Backend, TestApp, User, pointers};
use chrono::Duration;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn follow(app: &TestApp, path: &str, who: &User, yes: bool) -> (StatusCode, Value) {
    app.call(app.post(path, Some(who)).json(&json!({ "follow_up": yes })))
        .await
}

async fn indicators(app: &TestApp, e: &super::Event) -> Value {
    let (status, i) = app.call(app.get(&e.path("/indicators"), None)).await;
    assert_eq!(status, StatusCode::OK, "{i}");
    i
}

async fn feedback_is_asked_once_six_months_later(backend: Backend) {
    let a = TestApp::spawn(backend).await;
    let e = event(
        &a,
        Setup {
            participants: 4,
            rounds: 3,
            tables: 2,
            starts_in_days: 10,
            ..Setup::default()
        },
    )
    .await;
    run(&a, &e).await;
    let (status, _) = a
        .call(a.post(&e.path("/publish"), Some(&e.committee)))
        .await;
    assert_eq!(status, StatusCode::OK);
    let i = indicators(&a, &e).await;
    let pairs = i["pairs_met"].as_u64().unwrap();
    assert!(pairs >= 4, "{i}");
    assert_eq!(i["follow_ups"], 0);

    let whole = plan(&a, &e).await;
    let stored = meetings_of(&whole);
    let who = |app: &str| {
        e.participants
            .iter()
            .find(|p| p.application == app)
            .unwrap()
            .clone()
    };
    let (_, _, first, second) = stored[0].clone();
    let meeting = whole["plan"][0]["meetings"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (x, y) = (who(&first), who(&second));
    let outsider = e
        .participants
        .iter()
        .find(|p| p.application != first && p.application != second)
        .unwrap();
    let follow_up = e.path(&format!("/{meeting}/follow-up"));
    let feedback = e.path(&format!("/{meeting}/feedback"));

    // Not before the event is over.
    assert_eq!(
        follow(&a, &follow_up, &x.user, true).await.0,
        StatusCode::CONFLICT
    );
    a.advance_days(11);
    let (x_user, y_user, o_user) = (
        a.relogin(&x.user).await,
        a.relogin(&y.user).await,
        a.relogin(&outsider.user).await,
    );
    assert_eq!(
        follow(&a, &follow_up, &o_user, true).await.0,
        StatusCode::NOT_FOUND
    );
    let (status, m) = follow(&a, &follow_up, &x_user, true).await;
    assert_eq!(status, StatusCode::OK, "{m}");
    assert_eq!(m["follow_up"], true);
    assert!(m.get("feedback_due_at").is_none(), "one side is not enough");
    let (status, m) = follow(&a, &follow_up, &y_user, true).await;
    assert_eq!(status, StatusCode::OK, "{m}");
    let due: chrono::DateTime<chrono::Utc> =
        serde_json::from_value(m["feedback_due_at"].clone()).unwrap();
    assert_eq!(due, e.ends_at + Duration::days(182));
    // Another meeting followed up by one side only is never asked about.
    let other_meeting = whole["plan"][1]["meetings"][0].clone();
    let one_side = who(other_meeting["first"]["application_id"].as_str().unwrap());
    let one_side_user = a.relogin(&one_side.user).await;
    let path = e.path(&format!(
        "/{}/follow-up",
        other_meeting["id"].as_str().unwrap()
    ));
    assert_eq!(
        follow(&a, &path, &one_side_user, true).await.0,
        StatusCode::OK
    );
    assert_eq!(indicators(&a, &e).await["follow_ups"], 1);

    // Too early to answer.
    let answer = json!({"collaboration": true, "project": false, "help_offer": true, "note": "Un atelier commun en janvier."});
    let (status, _) = a
        .call(
            a.request(Method::PUT, &feedback, Some(&x_user))
                .json(&answer),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);

    // Six months later, two instances over the same database sweep at once.
    let b = a.spawn_beside(|_| {}).await;
    for app in [&a, &b] {
        app.clock.set(due + Duration::days(1));
    }
    let (one, two) = tokio::join!(
        agora_service::meetings::sweep(&a.ctx),
        agora_service::meetings::sweep(&b.ctx)
    );
    assert_eq!(one.unwrap() + two.unwrap(), 1, "one request, claimed once");
    let (one, two) = tokio::join!(
        agora_service::schedule::run_sweeps(&a.ctx, false),
        agora_service::schedule::run_sweeps(&b.ctx, false)
    );
    assert!(one.is_ok() && two.is_ok());
    assert_eq!(agora_service::meetings::sweep(&b.ctx).await.unwrap(), 0);
    for p in [&x, &y] {
        a.smtp.wait_for(&p.user.email, "Six mois après", 1).await;
    }
    // Time for any duplicate to arrive before counting.
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;
    for p in &e.participants {
        let asked = a
            .smtp
            .to(&p.user.email)
            .iter()
            .filter(|m| m.subject().contains("Six mois après"))
            .count();
        let expected = usize::from(p.application == first || p.application == second);
        assert_eq!(asked, expected, "{}", p.name);
    }
    let mail = &a.smtp.wait_for(&x.user.email, "Six mois après", 1).await[0];
    assert!(mail.text().contains(&y.name));

    // Each side answers once, and may change its answer; others cannot.
    let (x_user, o_user) = (a.relogin(&x.user).await, a.relogin(&outsider.user).await);
    let (status, _) = a
        .call(
            a.request(Method::PUT, &feedback, Some(&o_user))
                .json(&answer),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let long = json!({"collaboration": true, "project": false, "help_offer": false, "note": "x".repeat(2001)});
    let (status, problem) = a
        .call(a.request(Method::PUT, &feedback, Some(&x_user)).json(&long))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{problem}");
    assert_eq!(pointers(&problem), ["/note"]);
    let (status, saved) = a
        .call(
            a.request(Method::PUT, &feedback, Some(&x_user))
                .json(&answer),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    let i = indicators(&a, &e).await;
    assert_eq!(
        (
            i["feedback_answered"].as_u64(),
            i["collaborations"].as_u64(),
            i["projects"].as_u64(),
            i["help_offers"].as_u64()
        ),
        (Some(1), Some(1), Some(0), Some(1)),
        "{i}"
    );
    let changed = json!({"collaboration": true, "project": true, "help_offer": true});
    let (status, _) = a
        .call(
            a.request(Method::PUT, &feedback, Some(&x_user))
                .json(&changed),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let i = indicators(&a, &e).await;
    assert_eq!(i["feedback_answered"], 1, "an update, not a second answer");
    assert_eq!(i["projects"], 1);
    assert_eq!(i["pairs_met"].as_u64().unwrap(), pairs);

    // The private note reaches the committee, never the public.
    let (status, all) = a.call(a.get("/api/v1/stats/meetings", None)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        all["events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["event_id"] == e.id)
    );
    let committee = a.relogin(&e.committee).await;
    let (status, whole) = a.call(a.get(&e.path(""), Some(&committee))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!i.to_string().contains("atelier") && !all.to_string().contains("atelier"));
    // (The second answer dropped the note: the first one's is gone too.)
    assert!(!whole.to_string().contains("atelier"));
    let (status, _) = a
        .call(
            a.request(Method::PUT, &feedback, Some(&x_user))
                .json(&answer),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, whole) = a.call(a.get(&e.path(""), Some(&committee))).await;
    assert!(whole.to_string().contains("atelier"));
    let page = a.call(a.get("/indicateurs", None)).await.1.to_string();
    assert!(page.contains("Rencontres express"));
}

both_backends!(feedback_is_asked_once_six_months_later);
