//! The committee's pins and bans, the scheduler's run checked on the stored rows (through
//! the API), re-runs, publication with each participant's own mail, and the freeze.

use super::{Event, Setup, event, meetings_of, plan, run};
use crate::both_backends;
use crate::common::{Backend, TestApp, User};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};

async fn constrain(app: &TestApp, e: &Event, who: &User, body: Value) -> (StatusCode, Value) {
    app.call(app.post(&e.path("/constraints"), Some(who)).json(&body))
        .await
}

fn pair(a: &str, b: &str) -> (String, String) {
    if a <= b {
        (a.to_owned(), b.to_owned())
    } else {
        (b.to_owned(), a.to_owned())
    }
}

/// The rules every stored schedule keeps.
fn check_rules(
    e: &Event,
    plan: &Value,
    tables: u64,
    unavailable: &BTreeMap<String, u64>,
    pins: &[(String, String)],
    bans: &[(String, String)],
) -> BTreeSet<(String, String)> {
    let meetings = meetings_of(plan);
    assert!(!meetings.is_empty(), "{plan}");
    let mut pairs = BTreeSet::new();
    let mut seats = BTreeSet::new();
    let mut busy = BTreeSet::new();
    let ids: BTreeSet<&str> = e
        .participants
        .iter()
        .map(|p| p.application.as_str())
        .collect();
    for (round, table, a, b) in &meetings {
        assert!(ids.contains(a.as_str()) && ids.contains(b.as_str()));
        assert_ne!(a, b, "nobody meets themself");
        assert!(pairs.insert(pair(a, b)), "no pair twice: {a} {b}");
        assert!((1..=tables).contains(table), "table {table} exists");
        assert!(seats.insert((*round, *table)), "one pair per table");
        for p in [a, b] {
            assert!(busy.insert((*round, p.clone())), "nobody in two places");
            assert_ne!(unavailable.get(p), Some(round), "unavailability kept");
        }
    }
    for pin in pins {
        assert!(pairs.contains(pin), "pinned pair met: {pin:?}");
    }
    for ban in bans {
        assert!(!pairs.contains(ban), "banned pair never met: {ban:?}");
    }
    // Whoever is available and not meeting is reported idle, and only them.
    let report = &plan["report"];
    let idle: BTreeSet<(u64, String)> = report["idle"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["round"].as_u64().unwrap(),
                s["participant"]["application_id"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
            )
        })
        .collect();
    for r in 0..plan["rounds"].as_u64().unwrap() {
        for p in &ids {
            let away = unavailable.get(*p) == Some(&r);
            let meets = busy.contains(&(r, (*p).to_owned()));
            assert_eq!(idle.contains(&(r, (*p).to_owned())), !away && !meets);
        }
    }
    pairs
}

async fn the_schedule_keeps_the_rules_and_is_mailed_once_published(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let e = event(
        &app,
        Setup {
            participants: 7,
            rounds: 4,
            tables: 3,
            ..Setup::default()
        },
    )
    .await;
    let other = event(
        &app,
        Setup {
            participants: 2,
            ..Setup::default()
        },
    )
    .await;
    let p = &e.participants;
    let app_id = |i: usize| p[i].application.clone();

    // Preferences: p0 away in round 0, p1 wishes p2 then p3.
    for (who, body) in [
        (0, json!({"unavailable_rounds": [0]})),
        (1, json!({"wishes": [app_id(2), app_id(3)]})),
    ] {
        let (status, body) = app
            .call(
                app.request(Method::PUT, &e.path("/preferences"), Some(&p[who].user))
                    .json(&body),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }

    // Pins and bans: the committee's; both participants of this event; never both kinds.
    let pin = json!({"first": app_id(2), "second": app_id(4), "kind": "pin"});
    let ban = json!({"first": app_id(0), "second": app_id(1), "kind": "ban"});
    for (who, status) in [
        (&p[0].user, StatusCode::FORBIDDEN),
        (&other.committee, StatusCode::FORBIDDEN),
    ] {
        assert_eq!(constrain(&app, &e, who, pin.clone()).await.0, status);
    }
    let (status, _) = app
        .call(app.post(&e.path("/constraints"), None).json(&pin))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, created) = constrain(&app, &e, &e.committee, pin.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["kind"], "pin");
    assert_eq!(
        constrain(&app, &e, &e.committee, pin.clone()).await.0,
        StatusCode::OK
    );
    let (status, _) = constrain(
        &app,
        &e,
        &e.committee,
        json!({"first": app_id(4), "second": app_id(2), "kind": "ban"}),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "a pair is pinned or banned, not both"
    );
    assert_eq!(
        constrain(&app, &e, &e.committee, ban).await.0,
        StatusCode::CREATED
    );
    for (body, pointer) in [
        (
            json!({"first": other.participants[0].application, "second": app_id(1), "kind": "pin"}),
            "/first",
        ),
        (
            json!({"first": app_id(1), "second": app_id(1), "kind": "pin"}),
            "/second",
        ),
    ] {
        let (status, problem) = constrain(&app, &e, &e.committee, body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
        assert!(crate::common::pointers(&problem).contains(&pointer.to_owned()));
    }
    let (status, list) = app
        .call(app.get(&e.path("/constraints"), Some(&e.committee)))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list.as_array().unwrap().len(), 2);

    // Only the committee runs, publishes and reads the whole plan.
    for who in [&p[0].user, &other.committee] {
        for (method, path) in [
            (Method::POST, "/schedule"),
            (Method::POST, "/publish"),
            (Method::GET, ""),
            (Method::GET, "/constraints"),
        ] {
            let (status, _) = app
                .call(app.request(method.clone(), &e.path(path), Some(who)))
                .await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{method} {path}");
        }
    }
    let (status, _) = app.call(app.post(&e.path("/schedule"), None)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = app.call(app.get(&e.path(""), None)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // Publishing needs a schedule.
    let (status, _) = app
        .call(app.post(&e.path("/publish"), Some(&e.committee)))
        .await;
    assert_eq!(status, StatusCode::CONFLICT);

    let report = run(&app, &e).await;
    let objective = report["objective"].as_i64().unwrap();
    let bound = report["upper_bound"].as_i64().unwrap();
    assert!(objective > 0 && objective <= bound, "{report}");
    assert!(report["ratio"].as_f64().unwrap() <= 1.0);
    assert_eq!(report["unmet_pins"], json!([]));
    let unavailable = BTreeMap::from([(app_id(0), 0)]);
    let pins = [pair(&app_id(2), &app_id(4))];
    let bans = [pair(&app_id(0), &app_id(1))];
    let first = plan(&app, &e).await;
    let met = check_rules(&e, &first, 3, &unavailable, &pins, &bans);
    assert_eq!(
        first["report"]["meetings"].as_u64().unwrap() as usize,
        met.len()
    );

    // Until published, participants see nothing of it.
    let (status, mine) = app.call(app.get(&e.path("/mine"), Some(&p[1].user))).await;
    assert_eq!(status, StatusCode::OK, "{mine}");
    assert_eq!(mine[0]["published"], false);
    assert_eq!(mine[0]["meetings"], json!([]));

    // A re-run replaces the schedule, with a new ban kept.
    let ban2 = pair(&app_id(3), &app_id(5));
    let (status, _) = constrain(
        &app,
        &e,
        &e.committee,
        json!({"first": ban2.0, "second": ban2.1, "kind": "ban"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    run(&app, &e).await;
    let second = plan(&app, &e).await;
    check_rules(
        &e,
        &second,
        3,
        &unavailable,
        &pins,
        &[bans[0].clone(), ban2],
    );
    let ids = |plan: &Value| -> BTreeSet<String> {
        plan["plan"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|r| r["meetings"].as_array().unwrap().iter())
            .map(|m| m["id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert!(
        ids(&first).is_disjoint(&ids(&second)),
        "the rows were replaced"
    );

    // Publication: each participant's member gets their own meetings, nobody else's.
    let (status, published) = app
        .call(app.post(&e.path("/publish"), Some(&e.committee)))
        .await;
    assert_eq!(status, StatusCode::OK, "{published}");
    assert_eq!(published["mails_queued"], 7);
    let plan_now = plan(&app, &e).await;
    let stored = meetings_of(&plan_now);
    for me in p {
        let mails = app
            .smtp
            .wait_for(&me.user.email, "Vos rencontres express", 1)
            .await;
        assert_eq!(mails.len(), 1);
        let text = mails[0].text();
        let partners: BTreeSet<&str> = stored
            .iter()
            .filter_map(|(_, _, a, b)| {
                if *a == me.application {
                    Some(b.as_str())
                } else if *b == me.application {
                    Some(a.as_str())
                } else {
                    None
                }
            })
            .collect();
        for q in p.iter().filter(|q| q.application != me.application) {
            assert_eq!(
                text.contains(&q.name),
                partners.contains(q.application.as_str()),
                "{}'s mail names {} only if they meet:\n{text}",
                me.name,
                q.name
            );
        }
        let (status, mine) = app.call(app.get(&e.path("/mine"), Some(&me.user))).await;
        assert_eq!(status, StatusCode::OK);
        let seen: BTreeSet<&str> = mine[0]["meetings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["with"]["application_id"].as_str().unwrap())
            .collect();
        assert_eq!(seen, partners, "the personal schedule is exactly one's own");
        for m in mine[0]["meetings"].as_array().unwrap() {
            let q = p
                .iter()
                .find(|q| m["with"]["application_id"] == q.application.as_str())
                .unwrap();
            let page = format!("/structures/{}", q.structure);
            assert!(m["with_url"].as_str().unwrap().ends_with(&page), "{m}");
            assert!(text.contains(&page), "the mail links to {}'s page", q.name);
        }
        assert!(!mine.to_string().contains("\"score\""));
    }
    assert!(app.smtp.to(&e.committee.email).is_empty());

    // Frozen from then on.
    for (method, path, body) in [
        (Method::POST, e.path("/schedule"), None),
        (Method::POST, e.path("/publish"), None),
        (
            Method::POST,
            e.path("/constraints"),
            Some(json!({"first": app_id(5), "second": app_id(6), "kind": "pin"})),
        ),
        (
            Method::DELETE,
            e.path(&format!("/constraints/{}/{}", app_id(2), app_id(4))),
            None,
        ),
    ] {
        let mut rb = app.request(method.clone(), &path, Some(&e.committee));
        if let Some(b) = body {
            rb = rb.json(&b);
        }
        let (status, body) = app.call(rb).await;
        assert_eq!(status, StatusCode::CONFLICT, "{method} {path}: {body}");
    }
    let (status, _) = app
        .call(
            app.request(Method::PUT, &e.path("/preferences"), Some(&p[1].user))
                .json(&json!({"wishes": []})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(meetings_of(&plan(&app, &e).await), stored);
}

async fn a_constraint_can_be_removed_before_publication(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let e = event(
        &app,
        Setup {
            participants: 3,
            ..Setup::default()
        },
    )
    .await;
    let (a, b) = (
        &e.participants[0].application,
        &e.participants[1].application,
    );
    let (status, _) = constrain(
        &app,
        &e,
        &e.committee,
        json!({"first": a, "second": b, "kind": "ban"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let gone = e.path(&format!("/constraints/{b}/{a}"));
    let (status, _) = app
        .call(app.request(Method::DELETE, &gone, Some(&e.participants[0].user)))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app
        .call(app.request(Method::DELETE, &gone, Some(&e.committee)))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = app
        .call(app.request(Method::DELETE, &gone, Some(&e.committee)))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

both_backends!(
    the_schedule_keeps_the_rules_and_is_mailed_once_published,
    a_constraint_can_be_removed_before_publication
);
