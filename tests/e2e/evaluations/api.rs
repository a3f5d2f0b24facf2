//! The API of evaluations.

use super::{COMMENT, criterion, established, evaluate, evaluators, export, figures, path};
use crate::both_backends;
use crate::common::{Backend, TestApp, User, fixtures, pointers, problem};
use agora_service::exports::Format;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn one_evaluation_per_account_and_year(backend: Backend) {
    let app = TestApp::spawn_with(backend, established).await;
    let owner = app.user("owner").await;
    let moderator = app.moderator().await;
    let service = app.published_service(&owner, &moderator).await;
    let person = app.verified_user("usagere").await;

    let body = json!({"contact_correct": true, "information_clear": 4, "answer_days": "no_answer"});
    let (status, made) = evaluate(&app, &service, &person, body.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    assert_eq!(made["state"], "counted");
    assert_eq!(made["answer_days"], "no_answer");
    assert_eq!(made["service"]["id"], service.as_str());
    assert_eq!(
        made["service"]["name"],
        "Accompagnement au retour à l'emploi"
    );

    // A second one within the year is refused, and does not replace the first.
    let (status, again) =
        evaluate(&app, &service, &person, json!({"contact_correct": false})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{again}");
    assert!(
        again["detail"].as_str().unwrap().contains("again from"),
        "{again}"
    );
    let (_, mine) = app
        .call(app.get("/api/v1/me/evaluations", Some(&person)))
        .await;
    assert_eq!(mine.as_array().unwrap().len(), 1, "{mine}");
    assert_eq!(mine[0]["contact_correct"], true);

    // A year later, a new one is welcome.
    app.advance_days(366);
    let person = app.relogin(&person).await;
    let (status, made) = evaluate(&app, &service, &person, json!({"would_recommend": true})).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let (_, mine) = app
        .call(app.get("/api/v1/me/evaluations", Some(&person)))
        .await;
    assert_eq!(mine.as_array().unwrap().len(), 2);
    assert_eq!(mine[0]["would_recommend"], true, "newest first");

    // Signed-in accounts only; the structure's members cannot evaluate their service.
    let res = app
        .post(&path(&service), None)
        .json(&body)
        .send()
        .await
        .unwrap();
    problem(res, StatusCode::UNAUTHORIZED).await;
    let owner = app.relogin(&owner).await;
    let editor = app.verified_user("editor").await;
    let structure = app
        .call(app.get(&format!("/api/v1/services/{service}"), None))
        .await
        .1["structure"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.join(&structure, &owner, &editor, "editor").await;
    for member in [&owner, &editor] {
        let res = app
            .post(&path(&service), Some(member))
            .json(&body)
            .send()
            .await
            .unwrap();
        let p = problem(res, StatusCode::FORBIDDEN).await;
        assert!(p["detail"].as_str().unwrap().contains("members"), "{p}");
    }

    // Only published services: a draft is not found (nor learnt about).
    let draft = app
        .create(
            &format!("/api/v1/structures/{structure}/services"),
            &owner,
            &fixtures::service(),
        )
        .await;
    let draft = draft["id"].as_str().unwrap();
    let someone = app.verified_user("curieux").await;
    let res = app
        .post(&path(draft), Some(&someone))
        .json(&body)
        .send()
        .await
        .unwrap();
    problem(res, StatusCode::NOT_FOUND).await;
    problem(
        app.get(&path(draft), None).send().await.unwrap(),
        StatusCode::NOT_FOUND,
    )
    .await;
}

async fn figures_show_from_the_minimum_and_nothing_below(backend: Backend) {
    let app = TestApp::spawn_with(backend, established).await;
    let owner = app.user("owner").await;
    let moderator = app.moderator().await;
    let service = app.published_service(&owner, &moderator).await;
    let people = evaluators(&app, 5).await;
    let view_path = format!("/api/v1/services/{service}");

    let answer = |i: usize| {
        json!({
            "contact_correct": i != 2,
            "answer_days": i + 1,
            "information_clear": 3 + (i % 2),
            "would_recommend": true,
            // One person skips accessibility: it stays below the minimum.
            "accessible": if i == 0 { Value::Null } else { json!(true) },
        })
    };
    let (status, _) = evaluate(&app, &service, &people[0], answer(0)).await;
    assert_eq!(status, StatusCode::CREATED);
    let after_one = figures(&app, &service).await;
    let (_, view_after_one) = app.call(app.get(&view_path, None)).await;
    let etag_after_one = app.get(&view_path, None).send().await.unwrap().headers()["etag"].clone();
    for (i, p) in people.iter().enumerate().take(4).skip(1) {
        let (status, made) = evaluate(&app, &service, p, answer(i)).await;
        assert_eq!(status, StatusCode::CREATED, "{made}");
    }
    // Four answers: not a single figure, not even how many; nothing differs from one.
    let after_four = figures(&app, &service).await;
    assert_eq!(
        after_four, after_one,
        "nothing observable changes below the minimum"
    );
    assert!(after_four.get("evaluations").is_none(), "{after_four}");
    for c in after_four["criteria"].as_array().unwrap() {
        assert_eq!(c["status"], "not_enough_answers", "{c}");
        assert_eq!(c.as_object().unwrap().len(), 2, "no number at all: {c}");
    }
    assert_eq!(after_four["min_answers"], 5);
    let (_, view_after_four) = app.call(app.get(&view_path, None)).await;
    assert_eq!(view_after_four, view_after_one);
    assert_eq!(
        app.get(&view_path, None).send().await.unwrap().headers()["etag"],
        etag_after_one,
        "the public view's ETag does not move either"
    );
    let csv = export(&app, Format::Csv).await;
    let row = csv.lines().find(|l| l.contains(&service)).unwrap();
    assert!(row.contains(";moins de 5;"), "{row}");
    assert!(!row.contains(";4;"), "{row}");

    // The fifth: the criteria with five answers show, with the number of people.
    let (status, _) = evaluate(&app, &service, &people[4], answer(4)).await;
    assert_eq!(status, StatusCode::CREATED);
    let shown = figures(&app, &service).await;
    assert_eq!(shown["evaluations"], 5);
    let contact = criterion(&shown, "contact_correct");
    assert_eq!(contact["status"], "shown");
    assert_eq!(contact["answers"], 5);
    assert_eq!(contact["yes_share"], 0.8);
    let days = criterion(&shown, "answer_days");
    assert_eq!(days["median_days"], 3);
    assert_eq!(days["no_answer_share"], 0.0);
    assert_eq!(criterion(&shown, "information_clear")["mean"], 3.4);
    assert_eq!(criterion(&shown, "would_recommend")["yes_share"], 1.0);
    let accessible = criterion(&shown, "accessible");
    assert_eq!(accessible["status"], "not_enough_answers");
    assert!(accessible.get("answers").is_none());
    assert_eq!(
        criterion(&shown, "free_as_listed")["status"],
        "not_enough_answers"
    );

    // The service's public view carries the same figures; its members' view does not
    // (their ETag follows the version they edit).
    let (_, view) = app.call(app.get(&view_path, None)).await;
    assert_eq!(view["evaluations"]["evaluations"], 5);
    assert_eq!(view["evaluations"]["criteria"], shown["criteria"]);
    let (_, members_view) = app.call(app.get(&view_path, Some(&owner))).await;
    assert!(members_view.get("evaluations").is_none());

    // The exports: data·inclusion and HSDS in their own field, the CSV in its columns.
    for format in [Format::DataInclusionServices, Format::HsdsServices] {
        let items: Vec<Value> = serde_json::from_str(&export(&app, format).await).unwrap();
        let item = items
            .iter()
            .find(|i| i["id"].as_str().unwrap().ends_with(&service))
            .unwrap();
        assert_eq!(
            item["agora_evaluations"]["criteria"], shown["criteria"],
            "{format:?}"
        );
    }
    let csv = export(&app, Format::Csv).await;
    let header: Vec<&str> = csv
        .lines()
        .next()
        .unwrap()
        .trim_start_matches('\u{feff}')
        .split(';')
        .collect();
    let row: Vec<&str> = csv
        .lines()
        .find(|l| l.contains(&service))
        .unwrap()
        .split(';')
        .collect();
    let cell = |name: &str| row[header.iter().position(|h| *h == name).unwrap()];
    assert_eq!(cell("Avis : personnes"), "5");
    assert_eq!(cell("Avis : coordonnées exactes (%)"), "80");
    assert_eq!(cell("Avis : délai de réponse médian (jours)"), "3");
    assert_eq!(cell("Avis : information claire (sur 4)"), "3,4");
    assert_eq!(cell("Avis : lieu accessible (%)"), "");
}

async fn comments_are_for_the_structure_and_moderators_only(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| {
        established(c);
        c.evaluations.min_answers = 2;
    })
    .await;
    let owner = app.user("owner").await;
    let moderator = app.moderator().await;
    let service = app.published_service(&owner, &moderator).await;
    let other_owner = app.user("other").await;
    app.published_service(&other_owner, &moderator).await;
    let people = evaluators(&app, 2).await;
    for p in &people {
        let (status, made) = evaluate(
            &app,
            &service,
            p,
            json!({"would_recommend": true, "comment": COMMENT}),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{made}");
        assert_eq!(made["comment"], COMMENT, "its author reads it back");
    }
    let comments = format!("{}/comments", path(&service));

    // Anonymous: 401; another account, a member of another structure: 403.
    problem(
        app.get(&comments, None).send().await.unwrap(),
        StatusCode::UNAUTHORIZED,
    )
    .await;
    for outsider in [&people[0], &other_owner] {
        let res = app.get(&comments, Some(outsider)).send().await.unwrap();
        problem(res, StatusCode::FORBIDDEN).await;
    }
    // The structure's member and a moderator read them, without authors, by month.
    for reader in [&owner, &moderator] {
        let (status, page) = app.call(app.get(&comments, Some(reader))).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        let items = page["items"].as_array().unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(items[0]["comment"], COMMENT);
        assert_eq!(items[0].as_object().unwrap().len(), 3, "{page}");
        assert_eq!(items[0]["month"].as_str().unwrap().len(), 7);
        assert!(!page.to_string().contains(&people[0].id), "{page}");
    }
    let (_, paged) = app
        .call(app.get(&format!("{comments}?limit=1"), Some(&owner)))
        .await;
    assert_eq!(paged["items"].as_array().unwrap().len(), 1);
    let (_, rest) = app
        .call(app.get(
            &format!(
                "{comments}?limit=1&cursor={}",
                paged["next_cursor"].as_str().unwrap()
            ),
            Some(&owner),
        ))
        .await;
    assert_eq!(rest["items"].as_array().unwrap().len(), 1);
    assert!(rest["next_cursor"].is_null());

    // Never in anything public: the figures, the public view, the exports.
    let public = [
        figures(&app, &service).await.to_string(),
        app.call(app.get(&format!("/api/v1/services/{service}"), None))
            .await
            .1
            .to_string(),
        export(&app, Format::DataInclusionServices).await,
        export(&app, Format::HsdsServices).await,
        export(&app, Format::Csv).await,
    ];
    for text in public {
        assert!(!text.contains("Canari commentaire"), "{text}");
    }
    assert_eq!(figures(&app, &service).await["evaluations"], 2);

    // An erased account's comment goes; its answers stay in the figures, unattributed.
    let erased = &people[1];
    let res = app
        .request(Method::DELETE, "/api/v1/me", Some(erased))
        .json(&json!({"current_password": crate::common::PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let (_, page) = app.call(app.get(&comments, Some(&owner))).await;
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    assert_eq!(figures(&app, &service).await["evaluations"], 2);
}

async fn the_structure_answers_publicly(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("owner").await;
    let moderator = app.moderator().await;
    let service = app.published_service(&owner, &moderator).await;
    let response = format!("{}/response", path(&service));
    let outsider = app.verified_user("outsider").await;

    let say = |who: &User, body: &str| {
        app.request(Method::PUT, &response, Some(who))
            .json(&json!({ "body": body }))
    };
    let (status, written) = app
        .call(say(
            &owner,
            "Merci : nous rappelons désormais sous 48 heures.",
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{written}");
    assert_eq!(
        figures(&app, &service).await["response"]["body"],
        "Merci : nous rappelons désormais sous 48 heures."
    );
    // Editable, one per service.
    let (status, _) = app
        .call(say(&owner, "Nous rappelons sous 24 heures."))
        .await;
    assert_eq!(status, StatusCode::OK);
    let shown = figures(&app, &service).await;
    assert_eq!(shown["response"]["body"], "Nous rappelons sous 24 heures.");
    // Members only write it; bounded; others cannot remove it.
    problem(
        say(&outsider, "Je ne suis pas de la structure.")
            .send()
            .await
            .unwrap(),
        StatusCode::FORBIDDEN,
    )
    .await;
    problem(
        say(&moderator, "Mot de la modération.")
            .send()
            .await
            .unwrap(),
        StatusCode::FORBIDDEN,
    )
    .await;
    let res = say(&owner, &"x".repeat(1001)).send().await.unwrap();
    assert_eq!(
        pointers(&problem(res, StatusCode::BAD_REQUEST).await),
        ["/body"]
    );
    let res = say(&owner, "  ok  ").send().await.unwrap();
    assert_eq!(
        pointers(&problem(res, StatusCode::UNPROCESSABLE_ENTITY).await),
        ["/body"]
    );
    let res = app
        .request(Method::DELETE, &response, Some(&outsider))
        .send()
        .await
        .unwrap();
    problem(res, StatusCode::FORBIDDEN).await;
    // A moderator removes it.
    let res = app
        .request(
            Method::DELETE,
            &format!("{response}?reason=Propos%20hors%20sujet"),
            Some(&moderator),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert!(figures(&app, &service).await.get("response").is_none());
    let res = app
        .request(Method::DELETE, &response, Some(&owner))
        .send()
        .await
        .unwrap();
    problem(res, StatusCode::NOT_FOUND).await;
    // The trail says who removed it and why.
    let (_, trail) = app
        .call(app.get(
            &format!("/api/v1/audit?subject_id={service}"),
            Some(&moderator),
        ))
        .await;
    let removal = trail["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "evaluation_response_removed")
        .unwrap();
    assert_eq!(removal["reason"], "Propos hors sujet");
    assert_eq!(removal["details"]["by"], "moderator");
}

async fn each_account_evaluates_a_few_services_a_day(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| c.evaluations.per_account_per_day = 2).await;
    let owner = app.user("owner").await;
    let moderator = app.moderator().await;
    let mut services = Vec::new();
    for _ in 0..3 {
        services.push(app.published_service(&owner, &moderator).await);
    }
    let person = app.verified_user("pressee").await;
    for s in &services[..2] {
        let (status, _) = evaluate(&app, s, &person, json!({"accessible": true})).await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let res = app
        .post(&path(&services[2]), Some(&person))
        .json(&json!({"accessible": true}))
        .send()
        .await
        .unwrap();
    let retry: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry > 0 && retry <= 24 * 3600, "{retry}");
    problem(res, StatusCode::TOO_MANY_REQUESTS).await;
    // A day later, it may again.
    app.advance_days(1);
    let person = app.relogin(&person).await;
    let (status, _) = evaluate(&app, &services[2], &person, json!({"accessible": true})).await;
    assert_eq!(status, StatusCode::CREATED);
}

async fn new_accounts_weigh_less(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("owner").await;
    let moderator = app.moderator().await;
    let service = app.published_service(&owner, &moderator).await;
    // Three accounts made more than a week ago, two made today.
    let old = evaluators(&app, 3).await;
    app.advance_days(8);
    let mut voters = Vec::new();
    for p in &old {
        voters.push(app.relogin(p).await);
    }
    for p in &voters {
        let (status, _) = evaluate(&app, &service, p, json!({"would_recommend": true})).await;
        assert_eq!(status, StatusCode::CREATED);
    }
    for p in evaluators(&app, 2).await {
        let (status, _) = evaluate(&app, &service, &p, json!({"would_recommend": false})).await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let c = figures(&app, &service).await;
    let recommend = criterion(&c, "would_recommend");
    // Five people, but the two new accounts count half: 3 / (3 + 2 × 0.5).
    assert_eq!(recommend["answers"], 5);
    assert_eq!(recommend["yes_share"], 0.75, "{c}");
}

async fn bursts_are_held_back_then_counted_by_the_sweep(backend: Backend) {
    let burst = |c: &mut agora::config::Config| {
        established(c);
        c.evaluations.burst_per_hour = 2;
        c.evaluations.burst_hold_hours = 48;
    };
    let app = TestApp::spawn_with(backend, burst).await;
    let beside = app.spawn_beside(burst).await;
    let owner = app.user("owner").await;
    let moderator = app.moderator().await;
    let service = app.published_service(&owner, &moderator).await;
    let people = evaluators(&app, 5).await;
    let mut states = Vec::new();
    for p in &people {
        let (status, made) = evaluate(&app, &service, p, json!({"contact_correct": true})).await;
        assert_eq!(status, StatusCode::CREATED, "{made}");
        states.push(made["state"].as_str().unwrap().to_owned());
        if made["state"] == "held" {
            assert!(made["counted_from"].is_string(), "{made}");
        }
    }
    assert_eq!(states, ["counted", "counted", "held", "held", "held"]);
    // Held ones are not in the figures: two counted, below the minimum.
    assert_eq!(
        criterion(&figures(&app, &service).await, "contact_correct")["status"],
        "not_enough_answers"
    );
    // Not before their delay...
    app.advance_days(1);
    beside.advance_days(1);
    assert_eq!(app.sweep().await.evaluations_released, 0);
    assert_eq!(
        criterion(&figures(&app, &service).await, "contact_correct")["status"],
        "not_enough_answers"
    );
    // ...then once, whichever instance sweeps.
    app.advance_days(1);
    beside.advance_days(1);
    let (a, b) = tokio::join!(
        agora_service::schedule::run_sweeps(&app.ctx, false),
        agora_service::schedule::run_sweeps(&beside.ctx, false),
    );
    let released: u64 = [a.unwrap(), b.unwrap()]
        .into_iter()
        .flatten()
        .map(|r| r.evaluations_released)
        .sum();
    assert_eq!(released, 3, "each held evaluation is released once");
    assert_eq!(app.sweep().await.evaluations_released, 0);
    let c = figures(&app, &service).await;
    assert_eq!(criterion(&c, "contact_correct")["answers"], 5, "{c}");
    // Recorded with the reason it was held.
    let (_, trail) = app
        .call(app.get(
            &format!("/api/v1/audit?subject_id={service}&limit=100"),
            Some(&app.relogin(&moderator).await),
        ))
        .await;
    let released: Vec<&Value> = trail["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "evaluation_released")
        .collect();
    assert_eq!(released.len(), 3);
    assert!(
        released
            .iter()
            .all(|e| e["details"]["hold_reason"] == "burst")
    );
}

const DOUBTED: &str = "Des personnes signalent des coordonnées erronées";

async fn contact_wrong_from_several_people_sends_a_refresh_reminder_once(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| {
        established(c);
        c.evaluations.contact_wrong_accounts = 3;
    })
    .await;
    let owner = app.user("owner").await;
    let moderator = app.moderator().await;
    let service = app.published_service(&owner, &moderator).await;
    let service_id: uuid::Uuid = service.parse().unwrap();
    app.advance(chrono::Duration::minutes(1));
    let people = evaluators(&app, 7).await;
    let wrong = json!({"contact_correct": false});
    let waves = || agora_store::evaluations::count_waves(&app.ctx.db, service_id);

    // One, then two people: nothing yet.
    for p in &people[..2] {
        let (status, _) = evaluate(&app, &service, p, wrong.clone()).await;
        assert_eq!(status, StatusCode::CREATED);
    }
    // Someone saying it was right does not count towards it.
    evaluate(&app, &service, &people[6], json!({"contact_correct": true})).await;
    assert_eq!(waves().await.unwrap(), 0);
    // The third: the structure is reminded, with the one-click confirmation link.
    evaluate(&app, &service, &people[2], wrong.clone()).await;
    assert_eq!(waves().await.unwrap(), 1);
    let mails = app.smtp.wait_for(&owner.email, DOUBTED, 1).await;
    assert!(mails[0].confirm_token().is_some(), "{}", mails[0].text());
    assert!(mails[0].text().contains("coordonnées de contact"));
    // The moderators' freshness queue shows it as due.
    let (_, due) = app
        .call(app.get("/api/v1/moderation/refresh?state=due", Some(&moderator)))
        .await;
    assert!(due.to_string().contains(&service), "{due}");
    // A fourth in the same wave: no second reminder.
    app.advance(chrono::Duration::minutes(1));
    evaluate(&app, &service, &people[3], wrong.clone()).await;
    assert_eq!(waves().await.unwrap(), 1);

    // Once the structure confirms, a new wave needs three new people.
    let (status, _) = app
        .call(app.post(&format!("/api/v1/services/{service}/confirm"), Some(&owner)))
        .await;
    assert_eq!(status, StatusCode::OK);
    app.advance(chrono::Duration::minutes(1));
    for p in &people[4..6] {
        evaluate(&app, &service, p, wrong.clone()).await;
    }
    assert_eq!(waves().await.unwrap(), 1, "two are not a wave");
    let late = app.verified_user("late").await;
    evaluate(&app, &service, &late, wrong.clone()).await;
    assert_eq!(waves().await.unwrap(), 2);
    app.smtp.wait_for(&owner.email, DOUBTED, 2).await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let sent = app
        .smtp
        .to(&owner.email)
        .iter()
        .filter(|m| m.subject().contains(DOUBTED))
        .count();
    assert_eq!(sent, 2, "one reminder a wave");
}

async fn bad_input_is_refused_field_by_field(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("owner").await;
    let moderator = app.moderator().await;
    let service = app.published_service(&owner, &moderator).await;
    let person = app.verified_user("usager").await;
    let send = |body: Value| app.post(&path(&service), Some(&person)).json(&body).send();

    // What the published schema forbids is malformed input (400), named by its pointer.
    for (body, pointer) in [
        (json!({"information_clear": 5}), "/information_clear"),
        (json!({"information_clear": 0}), "/information_clear"),
        (json!({"answer_days": 61}), "/answer_days"),
        (json!({"answer_days": "bientôt"}), "/answer_days"),
        (json!({"contact_correct": "oui"}), "/contact_correct"),
        (
            json!({"accessible": true, "comment": "x".repeat(2001)}),
            "/comment",
        ),
    ] {
        let p = problem(send(body.clone()).await.unwrap(), StatusCode::BAD_REQUEST).await;
        assert_eq!(pointers(&p), [pointer], "{body}: {p}");
    }
    let p = problem(
        send(json!({"accessible": true, "stars": 5})).await.unwrap(),
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert!(
        p.to_string().contains("stars"),
        "the unknown field is named: {p}"
    );
    // What only the rules forbid: 422, named too.
    let p = problem(
        send(json!({})).await.unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(p["errors"][0]["code"], "required", "{p}");
    let p = problem(
        send(json!({"comment": "Très bien, merci."})).await.unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(p["errors"][0]["code"], "required", "a comment alone: {p}");
    // Nothing was recorded.
    let (_, mine) = app
        .call(app.get("/api/v1/me/evaluations", Some(&person)))
        .await;
    assert_eq!(mine, json!([]));
}

both_backends!(
    one_evaluation_per_account_and_year,
    figures_show_from_the_minimum_and_nothing_below,
    comments_are_for_the_structure_and_moderators_only,
    the_structure_answers_publicly,
    each_account_evaluates_a_few_services_a_day,
    new_accounts_weigh_less,
    bursts_are_held_back_then_counted_by_the_sweep,
    contact_wrong_from_several_people_sends_a_refresh_reminder_once,
    bad_input_is_refused_field_by_field,
);
