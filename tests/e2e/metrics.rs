//! `/metrics`: every family present in the Prometheus text format, refused to whoever is
//! neither an allowed client nor the token's bearer (through a proxy too), figures that
//! move with what happens, and labels that never carry personal data or ids.

use crate::both_backends;
use crate::common::{Backend, TestApp, fixtures, problem};
use reqwest::StatusCode;
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

const TOKEN: &str = "a-scraper-token-of-more-than-thirty-two-characters";

/// One sample of the text format.
#[derive(Debug, Clone)]
struct Sample {
    name: String,
    labels: BTreeMap<String, String>,
    value: f64,
}

/// The samples and the declared type of each family; panics on a line that is not in the
/// text format (so that the test checks the format too).
struct Scrape {
    text: String,
    samples: Vec<Sample>,
    types: BTreeMap<String, String>,
}

fn parse_labels(s: &str) -> BTreeMap<String, String> {
    let mut labels = BTreeMap::new();
    let mut rest = s;
    while !rest.is_empty() {
        let (name, after) = rest.split_once("=\"").expect("label=\"value\"");
        let mut value = String::new();
        let mut chars = after.char_indices();
        let end = loop {
            let (i, c) = chars.next().expect("a closing quote");
            match c {
                '\\' => {
                    let (_, escaped) = chars.next().expect("an escaped character");
                    value.push(if escaped == 'n' { '\n' } else { escaped });
                }
                '"' => break i,
                c => value.push(c),
            }
        };
        labels.insert(name.trim().to_owned(), value);
        rest = after[end + 1..].trim_start_matches(',');
    }
    labels
}

fn parse(text: String) -> Scrape {
    let mut samples = Vec::new();
    let mut types = BTreeMap::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let (name, kind) = rest.split_once(' ').expect("# TYPE name kind");
            assert!(
                ["counter", "gauge", "histogram", "summary", "untyped"].contains(&kind),
                "{line}"
            );
            types.insert(name.to_owned(), kind.to_owned());
            continue;
        }
        if line.starts_with("# HELP ") {
            continue;
        }
        assert!(!line.starts_with('#'), "unexpected comment: {line}");
        let (series, value) = line.rsplit_once(' ').expect("series value");
        let value: f64 = match value {
            "+Inf" => f64::INFINITY,
            "-Inf" => f64::NEG_INFINITY,
            v => v.parse().unwrap_or_else(|_| panic!("not a number: {line}")),
        };
        let (name, labels) = match series.split_once('{') {
            Some((name, labels)) => (
                name,
                parse_labels(labels.strip_suffix('}').expect("closing brace")),
            ),
            None => (series, BTreeMap::new()),
        };
        assert!(
            name.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':'),
            "{line}"
        );
        samples.push(Sample {
            name: name.to_owned(),
            labels,
            value,
        });
    }
    Scrape {
        text,
        samples,
        types,
    }
}

impl Scrape {
    /// The sum of `name`'s samples whose labels include `labels`; `None` when none.
    fn value(&self, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
        let matching: Vec<f64> = self
            .samples
            .iter()
            .filter(|s| s.name == name)
            .filter(|s| {
                labels
                    .iter()
                    .all(|(k, v)| s.labels.get(*k).map(String::as_str) == Some(*v))
            })
            .map(|s| s.value)
            .collect();
        (!matching.is_empty()).then(|| matching.iter().sum())
    }

    fn get(&self, name: &str, labels: &[(&str, &str)]) -> f64 {
        self.value(name, labels)
            .unwrap_or_else(|| panic!("no {name} {labels:?} in\n{}", self.text))
    }
}

async fn scrape(app: &TestApp) -> Scrape {
    let res = app.get("/metrics", None).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let content_type = res.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(
        content_type.starts_with("text/plain") && content_type.contains("version=0.0.4"),
        "{content_type}"
    );
    parse(res.text().await.unwrap())
}

/// Scrapes until `check` holds (figures that a background task moves), at most 10 s.
async fn scrape_until(app: &TestApp, what: &str, check: impl Fn(&Scrape) -> bool) -> Scrape {
    let started = Instant::now();
    loop {
        let s = scrape(app).await;
        if check(&s) {
            return s;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{what}: never seen in\n{}",
            s.text
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn every_family_is_there_and_parses(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    // Histograms exist once something was measured.
    app.search("q=cancer").await;
    let s = scrape(&app).await;
    for (family, kind) in [
        ("agora_http_requests_total", "counter"),
        ("agora_http_request_duration_seconds", "histogram"),
        ("agora_search_duration_seconds", "histogram"),
        ("agora_search_results", "histogram"),
        ("agora_sign_in_failures_total", "counter"),
        ("agora_sign_in_throttled_total", "counter"),
        ("agora_mail_queue", "gauge"),
        ("agora_mail_oldest_queued_age_seconds", "gauge"),
        ("agora_moderation_queue", "gauge"),
        ("agora_moderation_oldest_age_seconds", "gauge"),
        ("agora_listings_refresh", "gauge"),
        ("agora_search_index_lag_changes", "gauge"),
        ("agora_search_index_lag_seconds", "gauge"),
        ("agora_db_pool_connections", "gauge"),
        ("agora_process_start_time_seconds", "gauge"),
        ("agora_build_info", "gauge"),
    ] {
        assert_eq!(
            s.types.get(family).map(String::as_str),
            Some(kind),
            "{family} in\n{}",
            s.text
        );
        let sample = if kind == "histogram" {
            format!("{family}_count")
        } else {
            family.to_owned()
        };
        assert!(
            s.samples.iter().any(|x| x.name == sample),
            "no sample of {family}"
        );
    }
    // Each family once: the process's and the instance's parts never overlap.
    let declared: Vec<&str> = s
        .text
        .lines()
        .filter_map(|l| l.strip_prefix("# TYPE "))
        .collect();
    let distinct: BTreeSet<&&str> = declared.iter().collect();
    assert_eq!(declared.len(), distinct.len(), "a family declared twice");
    for state in ["fresh", "due", "stale", "hidden"] {
        assert_eq!(s.get("agora_listings_refresh", &[("state", state)]), 0.0);
    }
    for state in ["queued", "sending", "sent", "failed", "capped", "uncertain"] {
        assert!(s.value("agora_mail_queue", &[("state", state)]).is_some());
    }
    let max = s.get("agora_db_pool_connections", &[("state", "max")]);
    assert!(max >= 1.0, "{max}");
    assert!(s.get("agora_db_pool_connections", &[("state", "in_use")]) <= max);
    assert!(s.get("agora_process_start_time_seconds", &[]) > 1.7e9);
    // The search was timed and counted, under its route's template.
    assert!(s.get("agora_search_duration_seconds_count", &[]) >= 1.0);
    assert!(
        s.get(
            "agora_http_requests_total",
            &[
                ("route", "/api/v1/search"),
                ("method", "GET"),
                ("status", "200")
            ]
        ) >= 1.0
    );
    assert!(
        s.get(
            "agora_http_request_duration_seconds_bucket",
            &[("route", "/api/v1/search"), ("le", "+Inf")]
        ) >= 1.0
    );
    // A path that matches no route is one series, whatever the path.
    let res = app.get("/no/such/page-4711", None).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let s = scrape(&app).await;
    assert!(
        s.get(
            "agora_http_requests_total",
            &[("route", "unmatched"), ("status", "404")]
        ) >= 1.0
    );
    assert!(!s.text.contains("4711"));
}

async fn refused_to_addresses_not_allowed(backend: Backend) {
    // The test client comes from 127.0.0.1, outside this network.
    let app = TestApp::spawn_with(backend, |c| {
        c.metrics.allow = vec!["192.0.2.0/24".into()];
    })
    .await;
    let res = app.get("/metrics", None).send().await.unwrap();
    let content_type = res.headers()["content-type"].to_str().unwrap().to_owned();
    assert_eq!(content_type, "application/problem+json");
    let body = problem(res, StatusCode::FORBIDDEN).await;
    assert!(!body.to_string().contains("agora_"), "{body}");
    // No token is configured: a bearer opens nothing, not even a signed-in user's.
    let user = app.verified_user("curious").await;
    problem(
        app.get("/metrics", Some(&user)).send().await.unwrap(),
        StatusCode::FORBIDDEN,
    )
    .await;
    problem(
        app.get("/metrics", None)
            .bearer_auth(TOKEN)
            .send()
            .await
            .unwrap(),
        StatusCode::FORBIDDEN,
    )
    .await;
}

async fn the_token_opens_and_only_the_right_one(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| {
        c.metrics.allow = vec!["192.0.2.0/24".into()];
        c.metrics.token = Some(TOKEN.into());
    })
    .await;
    let res = app
        .get("/metrics", None)
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let s = parse(res.text().await.unwrap());
    assert!(s.value("agora_moderation_queue", &[]).is_some());
    for wrong in [
        &TOKEN[..TOKEN.len() - 1],
        &format!("{TOKEN}x"),
        "a-scraper-token-of-more-than-thirty-two-characterZ",
        "",
    ] {
        problem(
            app.get("/metrics", None)
                .bearer_auth(wrong)
                .send()
                .await
                .unwrap(),
            StatusCode::FORBIDDEN,
        )
        .await;
    }
    // The token in another scheme, or without one, is not a bearer token.
    for header in [format!("Basic {TOKEN}"), TOKEN.to_owned()] {
        problem(
            app.get("/metrics", None)
                .header("Authorization", header)
                .send()
                .await
                .unwrap(),
            StatusCode::FORBIDDEN,
        )
        .await;
    }
}

async fn a_proxy_never_lends_its_loopback_address(backend: Backend) {
    // A reverse proxy on this machine, trusted: the client is the one it names.
    let app = TestApp::spawn_with(backend, |c| {
        c.trusted_proxies = vec!["127.0.0.1".into()];
        c.metrics.token = Some(TOKEN.into());
    })
    .await;
    for (header, value) in [
        ("X-Forwarded-For", "203.0.113.9"),
        ("Forwarded", "for=203.0.113.9"),
        // A client's forged entry before the proxy's own changes nothing.
        ("X-Forwarded-For", "127.0.0.1, 203.0.113.9"),
        // Nor does a header the proxy left unreadable.
        ("X-Forwarded-For", "unknown"),
    ] {
        let res = app
            .get("/metrics", None)
            .header(header, value)
            .send()
            .await
            .unwrap();
        let body = problem(res, StatusCode::FORBIDDEN).await;
        assert!(!body.to_string().contains("agora_"));
    }
    // The token's bearer is let in through the proxy.
    let res = app
        .get("/metrics", None)
        .header("X-Forwarded-For", "203.0.113.9")
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    // A scraper on this machine, straight to the port, is.
    scrape(&app).await;

    // A proxy nobody declared trusted: its header cannot be believed, and its own
    // loopback address does not count either.
    let untrusted = TestApp::spawn(backend).await;
    for (header, value) in [
        ("X-Forwarded-For", "203.0.113.9"),
        ("Forwarded", "for=\"[2001:db8::1]:4711\""),
        ("X-Forwarded-For", "127.0.0.1"),
    ] {
        problem(
            untrusted
                .get("/metrics", None)
                .header(header, value)
                .send()
                .await
                .unwrap(),
            StatusCode::FORBIDDEN,
        )
        .await;
    }
    scrape(&untrusted).await;
}

async fn a_short_token_or_a_bad_network_is_refused_at_start(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mut config = app.config.clone();
    config.bind = "127.0.0.1:0".into();
    config.metrics.token = Some("thirty-one-characters-is-short!".into());
    let Err(e) = agora::app::Application::build(&config, app.ctx.clone()) else {
        panic!("a short token was accepted");
    };
    assert!(e.to_string().contains("metrics.token"), "{e}");
    config.metrics.token = None;
    config.metrics.allow = vec!["10.0.0.0/33".into()];
    let Err(e) = agora::app::Application::build(&config, app.ctx.clone()) else {
        panic!("a bad network was accepted");
    };
    assert!(e.to_string().contains("metrics.allow"), "{e}");
}

async fn figures_move_with_activity(backend: Backend) {
    // Mail cannot leave (nobody listens on this port): it stays in the queue.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let app = TestApp::spawn_with(backend, |c| c.mail.smtp.port = closed).await;
    let owner = app.verified_user("owner").await;
    let before = scrape(&app).await;

    // A search: counted, timed, its results measured.
    app.search("q=cancer").await;
    let s = scrape(&app).await;
    let search = [
        ("route", "/api/v1/search"),
        ("method", "GET"),
        ("status", "200"),
    ];
    assert!(
        s.get("agora_http_requests_total", &search)
            >= before
                .value("agora_http_requests_total", &search)
                .unwrap_or(0.0)
                + 1.0
    );
    assert!(
        s.get("agora_search_duration_seconds_count", &[])
            >= before
                .value("agora_search_duration_seconds_count", &[])
                .unwrap_or(0.0)
                + 1.0
    );
    assert!(s.get("agora_search_results_count", &[]) >= 1.0);

    // A submission: one more in the moderation queue, and its age grows with time.
    assert_eq!(before.get("agora_moderation_queue", &[]), 0.0);
    assert_eq!(before.get("agora_moderation_oldest_age_seconds", &[]), 0.0);
    let created = app
        .create("/api/v1/structures", &owner, &fixtures::structure())
        .await;
    let id = created["id"].as_str().unwrap().to_owned();
    app.submit("structures", &id, &owner).await;
    app.advance(chrono::Duration::seconds(120));
    let s = scrape(&app).await;
    assert_eq!(s.get("agora_moderation_queue", &[]), 1.0);
    assert!(s.get("agora_moderation_oldest_age_seconds", &[]) >= 120.0);

    // A queued mail (a registration's verification link).
    let email = format!("{}@test.example.org", crate::common::unique("newcomer"));
    let queued = scrape(&app)
        .await
        .get("agora_mail_queue", &[("state", "queued")]);
    app.register(&email, "Newcomer").await;
    scrape_until(&app, "one more queued mail", |s| {
        s.value("agora_mail_queue", &[("state", "queued")]) == Some(queued + 1.0)
    })
    .await;
    app.advance(chrono::Duration::seconds(600));
    scrape_until(&app, "the queued mail's age", |s| {
        s.value("agora_mail_oldest_queued_age_seconds", &[])
            .is_some_and(|age| age >= 600.0)
    })
    .await;

    // A failed sign-in.
    let res = app
        .post("/api/v1/auth/login", None)
        .json(&json!({"email": email, "password": "not the password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let s = scrape(&app).await;
    assert!(
        s.get("agora_sign_in_failures_total", &[])
            >= before.get("agora_sign_in_failures_total", &[]) + 1.0
    );

    // The index follows the change log: once caught up, no lag.
    app.index_caught_up().await;
    let s = scrape(&app).await;
    assert_eq!(s.get("agora_search_index_lag_changes", &[]), 0.0);
    assert_eq!(s.get("agora_search_index_lag_seconds", &[]), 0.0);
}

async fn the_index_lag_shows_when_the_index_stops_following(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.verified_user("owner").await;
    let moderator = app.moderator().await;
    app.stop_following();
    app.published_structure(&owner, &moderator).await;
    app.advance(chrono::Duration::seconds(90));
    let s = scrape(&app).await;
    assert!(s.get("agora_search_index_lag_changes", &[]) >= 1.0);
    assert!(s.get("agora_search_index_lag_seconds", &[]) >= 90.0);
    // The published listing counts as fresh.
    assert_eq!(s.get("agora_listings_refresh", &[("state", "fresh")]), 1.0);
}

async fn labels_carry_no_personal_data_or_ids(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| {
        c.trusted_proxies = vec!["127.0.0.1".into()];
    })
    .await;
    let owner = app.user("owner").await;
    let moderator = app.moderator().await;
    let id = app.published_structure(&owner, &moderator).await;
    // Requests that name the listing, the account, a query and a client address.
    let (status, _) = app
        .call(app.get(&format!("/api/v1/structures/{id}"), None))
        .await;
    assert_eq!(status, StatusCode::OK);
    app.get(&format!("/structures/{id}"), None)
        .header("X-Forwarded-For", "198.51.100.77")
        .send()
        .await
        .unwrap();
    app.search("q=motsecretdelarequete").await;
    app.get("/recherche?q=motsecretduportail", None)
        .send()
        .await
        .unwrap();
    app.post("/api/v1/auth/login", None)
        .header("X-Forwarded-For", "198.51.100.77")
        .json(&json!({"email": owner.email, "password": "wrong"}))
        .send()
        .await
        .unwrap();
    let s = scrape(&app).await;
    for secret in [
        owner.email.as_str(),
        owner.id.as_str(),
        moderator.email.as_str(),
        moderator.id.as_str(),
        id.as_str(),
        "motsecretdelarequete",
        "motsecretduportail",
        "198.51.100.77",
        "@",
    ] {
        assert!(!s.text.contains(secret), "{secret} in\n{}", s.text);
    }
    // Routes are their templates.
    assert!(
        s.get(
            "agora_http_requests_total",
            &[("route", "/api/v1/structures/{id}"), ("method", "GET")]
        ) >= 1.0
    );
    let routes: BTreeSet<&str> = s
        .samples
        .iter()
        .filter_map(|x| x.labels.get("route").map(String::as_str))
        .collect();
    assert!(
        routes
            .iter()
            .all(|r| *r == "unmatched" || r.starts_with('/')),
        "{routes:?}"
    );
    // Only these labels exist.
    let names: BTreeSet<&str> = s
        .samples
        .iter()
        .flat_map(|x| x.labels.keys().map(String::as_str))
        .collect();
    let known: BTreeSet<&str> = [
        "route", "method", "status", "le", "state", "scope", "version",
    ]
    .into_iter()
    .collect();
    assert!(names.is_subset(&known), "{names:?}");
}

both_backends!(
    every_family_is_there_and_parses,
    refused_to_addresses_not_allowed,
    the_token_opens_and_only_the_right_one,
    a_proxy_never_lends_its_loopback_address,
    a_short_token_or_a_bad_network_is_refused_at_start,
    figures_move_with_activity,
    the_index_lag_shows_when_the_index_stops_following,
    labels_carry_no_personal_data_or_ids,
);
