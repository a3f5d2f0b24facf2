//! Search through the API: what is published is found within a second and only that;
//! filters, places and pages; hostile queries; the index survives restarts.

use crate::both_backends;
use crate::common::{Backend, TestApp, fixtures, pointers, problem};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;

const SECOND: Duration = Duration::from_secs(1);

fn service(name: &str, summary: &str, coverage: Value) -> Value {
    let mut s = fixtures::service();
    s["name"] = json!(name);
    s["summary"] = json!(summary);
    s["coverage"] = coverage;
    s
}

async fn published_changes_are_found_within_a_second(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("owner").await;
    let moderator = app.moderator().await;
    let sid = app.published_structure(&owner, &moderator).await;
    let created = app
        .create(
            &format!("/api/v1/structures/{sid}/services"),
            &owner,
            &service(
                "Atelier zygomatique",
                "Rire ensemble.",
                json!({"kind": "national"}),
            ),
        )
        .await;
    let id = created["id"].as_str().unwrap();
    let item = app.submit("services", id, &owner).await;
    assert!(
        app.found("q=zygomatique").await.is_empty(),
        "nothing is found before approval"
    );
    app.decide(&item, "approve", &moderator, None).await;
    let took = app
        .eventually("q=zygomatique", &["Atelier zygomatique"], SECOND)
        .await;
    println!("published → searchable in {took:?}");

    // An edit shows once approved, and the old words go.
    let path = format!("/api/v1/services/{id}");
    let etag = app.etag(&path, &owner).await;
    app.patch(&path, Some(&owner))
        .header("If-Match", etag)
        .json(&json!({"name": "Atelier hilarant"}))
        .send()
        .await
        .unwrap();
    let item = app.submit("services", id, &owner).await;
    app.eventually("q=zygomatique", &["Atelier zygomatique"], SECOND)
        .await;
    app.decide(&item, "approve", &moderator, None).await;
    app.eventually("q=hilarant", &["Atelier hilarant"], SECOND)
        .await;
    app.eventually("q=zygomatique", &[], SECOND).await;

    // A project withdrawn from public view leaves the results.
    let mut p = fixtures::project();
    p["title"] = json!("Podcast xylophone");
    let project = app
        .publish(
            &format!("/api/v1/structures/{sid}/projects"),
            "projects",
            &owner,
            &moderator,
            &p,
        )
        .await;
    app.eventually("q=xylophone", &["Podcast xylophone"], SECOND)
        .await;
    app.post(
        &format!(
            "/api/v1/projects/{}/archive",
            project["id"].as_str().unwrap()
        ),
        Some(&owner),
    )
    .send()
    .await
    .unwrap();
    app.eventually("q=xylophone", &[], SECOND).await;
}

async fn only_public_words_are_ever_found(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("owner").await;
    let moderator = app.moderator().await;
    let mut structure = fixtures::structure();
    structure["name"] = json!("Canariproprietaire Anonyme");
    let sid = app
        .publish(
            "/api/v1/structures",
            "structures",
            &owner,
            &moderator,
            &structure,
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut draft = service(
        "Canaribrouillon service",
        "Jamais publié.",
        json!({"kind": "national"}),
    );
    draft["description"] = json!("canaribrouillon");
    app.create(
        &format!("/api/v1/structures/{sid}/services"),
        &owner,
        &draft,
    )
    .await;
    let mut project = fixtures::project();
    project["title"] = json!("Projet anonyme témoin");
    project["anonymous"] = json!(true);
    project["description"] = json!("canariconfidentiel");
    project["contact"] = json!({"email": "canari.prive@asso.example.org"});
    project["visibility"] = json!({"description": "confidential"});
    app.publish(
        &format!("/api/v1/structures/{sid}/projects"),
        "projects",
        &owner,
        &moderator,
        &project,
    )
    .await;
    app.eventually(
        "q=anonyme témoin&match=exact",
        &["Projet anonyme témoin"],
        SECOND,
    )
    .await;

    for q in [
        "canaribrouillon",
        "canariconfidentiel",
        "canari.prive",
        "email:canari.prive@asso.example.org",
        "status:draft",
        "canariproprietaire projet",
    ] {
        let page = app.search(&format!("q={}", urlencode(q))).await;
        let text = page.to_string();
        assert!(
            !text.contains("canaribrouillon")
                && !text.contains("canariconfidentiel")
                && !text.contains("canari.prive"),
            "{q}: {text}"
        );
        // Relaxed, a question may find listings by its other words ("asso" finds
        // associations), never the draft nor the project by their private words.
        for item in page["items"].as_array().unwrap() {
            assert_ne!(item["name"], "Canaribrouillon service", "{q}: {text}");
            if q.starts_with("canari") && q != "canariproprietaire projet" {
                assert_ne!(item["name"], "Projet anonyme témoin", "{q}: {text}");
            }
        }
        if q != "canariproprietaire projet" {
            let exact = app.search(&format!("q={}&match=exact", urlencode(q))).await;
            assert_eq!(exact["total"], 0, "{q} found something: {exact}");
        }
    }
    // The anonymous project is found by its own words but never with its structure, even
    // when words are relaxed and the structure comes next by its own name.
    let page = app.search("q=anonyme%20t%C3%A9moin").await;
    let project = &page["items"][0];
    assert_eq!(project["name"], "Projet anonyme témoin", "{page}");
    assert!(project.get("structure").is_none(), "{page}");
    assert!(!project.to_string().contains("Canariproprietaire"));
    let relaxed = app
        .search("q=canariproprietaire%20anonyme%20t%C3%A9moin")
        .await;
    for item in relaxed["items"].as_array().unwrap() {
        if item["kind"] == "project" {
            assert!(item.get("structure").is_none(), "{relaxed}");
            assert!(
                !item.to_string().contains("Canariproprietaire"),
                "{relaxed}"
            );
        }
    }
    let by_owner = app.search("q=canariproprietaire").await;
    assert!(
        by_owner["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["kind"] == "structure"),
        "{by_owner}"
    );
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

async fn filters_places_facets_and_pages(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("owner").await;
    let moderator = app.moderator().await;
    let sid = app.published_structure(&owner, &moderator).await;
    let publish = |s: Value| {
        let (app, owner, moderator, sid) = (&app, &owner, &moderator, sid.clone());
        async move {
            app.publish(
                &format!("/api/v1/structures/{sid}/services"),
                "services",
                owner,
                moderator,
                &s,
            )
            .await
        }
    };
    publish(service(
        "Emploi Doubs",
        "Retour à l'emploi.",
        json!({"kind": "departements", "codes": ["25"]}),
    ))
    .await;
    publish(service(
        "Emploi partout",
        "Retour à l'emploi.",
        json!({"kind": "national"}),
    ))
    .await;
    let mut bretagne = service(
        "Aidants Bretagne",
        "Groupes de parole.",
        json!({"kind": "regions", "codes": ["53"]}),
    );
    bretagne["themes"] = json!(["aidants"]);
    bretagne["cost"] = json!("paid");
    publish(bretagne).await;
    publish(service(
        "Emploi Besançon",
        "Retour à l'emploi.",
        json!({"kind": "communes", "codes": ["25056"]}),
    ))
    .await;
    app.eventually(
        "kind=service",
        &[
            "Emploi Doubs",
            "Emploi partout",
            "Aidants Bretagne",
            "Emploi Besançon",
        ],
        SECOND,
    )
    .await;

    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    assert_eq!(
        sorted(app.found("code_commune=25056&kind=service").await),
        ["Emploi Besançon", "Emploi Doubs", "Emploi partout"]
    );
    assert_eq!(
        app.found("code_commune=25056&kind=structure").await.len(),
        1,
        "the structure located there"
    );
    assert_eq!(
        sorted(app.found("postcode=25300&kind=service").await),
        ["Emploi Doubs", "Emploi partout"]
    );
    assert_eq!(
        sorted(app.found("code_departement=25&kind=service").await),
        ["Emploi Besançon", "Emploi Doubs", "Emploi partout"]
    );
    assert_eq!(
        sorted(app.found("code_region=53").await),
        ["Aidants Bretagne", "Emploi partout"]
    );
    assert_eq!(app.found("theme=aidants").await, ["Aidants Bretagne"]);
    assert_eq!(app.found("free=false").await, ["Aidants Bretagne"]);
    assert_eq!(
        sorted(
            app.found("q=emplois&kind=service&code_departement=25")
                .await
        ),
        ["Emploi Besançon", "Emploi Doubs", "Emploi partout"]
    );

    let page = app.search("kind=service").await;
    assert_eq!(page["total"], 4);
    let themes = &page["facets"]["theme"];
    assert!(
        themes
            .as_array()
            .unwrap()
            .contains(&json!({"value": "travail-emploi", "count": 3})),
        "{themes}"
    );
    assert!(page["items"][0]["freshness"] == "fresh" && page["items"][0]["status"] == "published");

    // Pages follow each other, with a Link header while more remain.
    let mut names = Vec::new();
    let mut next = Some("/api/v1/search?kind=service&limit=3".to_owned());
    while let Some(path) = next {
        let res = app.get(&path, None).send().await.unwrap();
        let link = res.headers().get("link").is_some();
        let page: Value = res.json().await.unwrap();
        names.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["name"].as_str().unwrap().to_owned()),
        );
        next = page["next_cursor"]
            .as_str()
            .map(|c| format!("/api/v1/search?kind=service&limit=3&cursor={c}"));
        assert_eq!(link, next.is_some());
    }
    assert_eq!(
        sorted(names.clone()),
        sorted(app.found("kind=service&limit=100").await)
    );
    assert_eq!(names.len(), 4);

    // Parameters out of their limits are named.
    for (query, status, pointer) in [
        (
            "theme=astrologie",
            StatusCode::UNPROCESSABLE_ENTITY,
            "/theme",
        ),
        ("kind=planet", StatusCode::BAD_REQUEST, "/kind"),
        ("lat=47.2", StatusCode::BAD_REQUEST, "/lat"),
        (
            "lat=47.2&lon=6.0&radius_km=500",
            StatusCode::BAD_REQUEST,
            "/radius_km",
        ),
        (
            "code_region=27&code_departement=25",
            StatusCode::BAD_REQUEST,
            "/code_region",
        ),
        (
            "code_commune=25000",
            StatusCode::BAD_REQUEST,
            "/code_commune",
        ),
        ("cursor=garbage", StatusCode::BAD_REQUEST, "/cursor"),
        ("limit=0", StatusCode::BAD_REQUEST, "/limit"),
    ] {
        let body = problem(
            app.get(&format!("/api/v1/search?{query}"), None)
                .send()
                .await
                .unwrap(),
            status,
        )
        .await;
        assert_eq!(pointers(&body), [pointer], "{query}");
    }
    let capped = app.search("limit=1000000").await;
    assert!(capped["items"].as_array().unwrap().len() <= 100);
}

async fn hostile_queries_never_fail_the_server(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let deep = format!("{}emploi{}", "(".repeat(30), ")".repeat(30));
    let many = "a ".repeat(10_000);
    let mut queries = vec![
        deep,
        many.clone(),
        "field:".into(),
        "-emploi".into(),
        "((emploi".into(),
        "emploi))))".into(),
        "\"".into(),
        "*:*".into(),
        "AND OR NOT".into(),
    ];
    let mut seed: u32 = 7;
    for _ in 0..60 {
        let s: String = (0..(seed % 40))
            .map(|_| {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                char::from_u32(32 + (seed >> 8) % 0x2500).unwrap_or('?')
            })
            .collect();
        queries.push(s);
    }
    for q in &queries {
        let res = app
            .get(&format!("/api/v1/search?q={}", urlencode(q)), None)
            .send()
            .await
            .unwrap();
        let status = res.status();
        assert!(
            status == StatusCode::OK || status == StatusCode::BAD_REQUEST,
            "{status} for {:?}",
            &q[..q.len().min(40)]
        );
    }
    let body = problem(
        app.get(&format!("/api/v1/search?q={}", urlencode(&many)), None)
            .send()
            .await
            .unwrap(),
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert!(body["detail"].is_string());
    // 100 KB of query: refused before anything reads it (no client library sends such a URL).
    let status = raw_get(
        &app,
        &format!("/api/v1/search?q={}", "a".repeat(100 * 1024)),
    )
    .await;
    assert!(status.is_empty() || status.contains(" 4"), "{status}");
    assert_eq!(
        app.get("/health", None).send().await.unwrap().status(),
        StatusCode::OK
    );
}

/// Sends a request line by hand; returns the status line (empty if the server hung up).
async fn raw_get(app: &TestApp, target: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(app.base.trim_start_matches("http://"))
        .await
        .unwrap();
    let _ = stream
        .write_all(format!("GET {target} HTTP/1.1\r\nHost: localhost\r\n\r\n").as_bytes())
        .await;
    let mut buf = vec![0u8; 512];
    let n = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut buf))
        .await
        .ok()
        .and_then(Result::ok)
        .unwrap_or(0);
    String::from_utf8_lossy(&buf[..n])
        .lines()
        .next()
        .unwrap_or_default()
        .chars()
        .take(60)
        .collect()
}

async fn the_index_survives_restarts(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("owner").await;
    let moderator = app.moderator().await;
    let sid = app.published_structure(&owner, &moderator).await;
    app.publish(
        &format!("/api/v1/structures/{sid}/services"),
        "services",
        &owner,
        &moderator,
        &service("Atelier quenouille", "Tricot.", json!({"kind": "national"})),
    )
    .await;
    app.eventually("q=quenouille", &["Atelier quenouille"], SECOND)
        .await;
    // Changes made while the index does not follow are caught up at start.
    app.stop_following();
    app.publish(
        &format!("/api/v1/structures/{sid}/services"),
        "services",
        &owner,
        &moderator,
        &service("Atelier rouet", "Filage.", json!({"kind": "national"})),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        app.found("q=rouet").await.is_empty(),
        "not followed while stopped"
    );
    let app = app.restart(|_| {}).await;
    app.eventually("q=rouet", &["Atelier rouet"], SECOND).await;
    // A lost index is rebuilt from the database.
    let app = app
        .restart(|dir| std::fs::remove_dir_all(dir.join("search-index")).unwrap())
        .await;
    app.eventually("q=quenouille", &["Atelier quenouille"], SECOND)
        .await;
    app.eventually("q=rouet", &["Atelier rouet"], SECOND).await;
    // An unreadable one too.
    let app = app
        .restart(|dir| std::fs::write(dir.join("search-index/meta.json"), b"{broken").unwrap())
        .await;
    app.eventually(
        "q=atelier",
        &["Atelier quenouille", "Atelier rouet"],
        SECOND,
    )
    .await;
}

async fn communes_are_completed(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (status, found) = app
        .call(app.get("/api/v1/geo/communes?q=besancon", None))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(found[0]["code"], "25056");
    assert_eq!(found[0]["region_code"], "27");
    let (_, found) = app
        .call(app.get("/api/v1/geo/communes?q=25300&limit=3", None))
        .await;
    assert_eq!(found[0]["name"], "Pontarlier");
    problem(
        app.get("/api/v1/geo/communes?q=", None)
            .send()
            .await
            .unwrap(),
        StatusCode::BAD_REQUEST,
    )
    .await;
    problem(
        app.get("/api/v1/geo/communes", None).send().await.unwrap(),
        StatusCode::BAD_REQUEST,
    )
    .await;
}

/// On the demo data: for every facet value of a search, its count is the total of the
/// same search filtered on it; no marker value ever shows. (A service that names no cancer
/// is counted under each cancer, as filtering on any cancer finds it.)
async fn facet_counts_are_the_totals_of_their_filters(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    agora::demo::seed(&app.ctx).await.expect("demo data");
    app.index_caught_up().await;
    fn parameter(facet: &str) -> &str {
        match facet {
            "region" => "code_region",
            "departement" => "code_departement",
            other => other,
        }
    }
    let mut checked = 0;
    for base in [
        "",
        "q=emploi",
        "q=cancer",
        "kind=service",
        "code_region=27",
        "theme=travail-emploi",
    ] {
        let page = app.search(&format!("{base}&limit=1")).await;
        for (facet, values) in page["facets"].as_object().unwrap() {
            let param = parameter(facet);
            if base.starts_with(&format!("{param}="))
                || (param.starts_with("code_") && base.starts_with("code_"))
            {
                continue; // within a filter of its own field, a value is not a narrowing
            }
            for v in values.as_array().unwrap() {
                let value = v["value"].as_str().unwrap();
                assert_ne!(value, "*", "{facet} shows a marker");
                let filtered = app.search(&format!("{base}&{param}={value}&limit=1")).await;
                assert_eq!(
                    filtered["total"], v["count"],
                    "{base} {facet}={value}: the count and its filter disagree"
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 50, "{checked} values checked");
}

/// Publications approved at the same moment are all found: the change log is read in the
/// order its entries become visible, so none is skipped for having committed late.
async fn concurrent_publications_are_all_found(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("owner").await;
    let moderator = app.moderator().await;
    let mut items = Vec::new();
    let mut names = Vec::new();
    for n in 0..48 {
        let mut s = fixtures::structure();
        s["name"] = json!(format!("Structure simultanée {n}"));
        let created = app.create("/api/v1/structures", &owner, &s).await;
        items.push(
            app.submit("structures", created["id"].as_str().unwrap(), &owner)
                .await,
        );
        names.push(format!("Structure simultanée {n}"));
    }
    let mut approvals = Vec::new();
    for chunk in items.chunks(6) {
        let (client, base, token) = (
            app.client.clone(),
            app.base.clone(),
            moderator.token.clone(),
        );
        let chunk = chunk.to_vec();
        approvals.push(tokio::spawn(async move {
            for item in chunk {
                let res = client
                    .post(format!("{base}/api/v1/moderation/items/{item}/approve"))
                    .bearer_auth(&token)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(res.status(), StatusCode::OK);
            }
        }));
    }
    for a in approvals {
        a.await.unwrap();
    }
    app.index_caught_up().await;
    let found = app.search("kind=structure&q=simultanee&limit=100").await;
    let mut found: Vec<String> = found["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap().to_owned())
        .collect();
    found.sort();
    names.sort();
    assert_eq!(found, names);
}

both_backends!(
    concurrent_publications_are_all_found,
    facet_counts_are_the_totals_of_their_filters,
    published_changes_are_found_within_a_second,
    only_public_words_are_ever_found,
    filters_places_facets_and_pages,
    hostile_queries_never_fail_the_server,
    the_index_survives_restarts,
    communes_are_completed,
);
