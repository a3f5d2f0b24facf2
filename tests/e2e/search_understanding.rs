//! Questions as patients ask them, through the API: words no listing holds, places in the
//! words, the field's vocabulary, wider areas, spelling, and exact words on demand.

use crate::both_backends;
use crate::common::{Backend, TestApp, fixtures, names, pointers, problem};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn service(name: &str, summary: &str, theme: &str, coverage: Value) -> Value {
    let mut s = fixtures::service();
    s["name"] = json!(name);
    s["summary"] = json!(summary);
    s["themes"] = json!([theme]);
    s["coverage"] = coverage;
    s
}

async fn questions_are_understood(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("owner").await;
    let moderator = app.moderator().await;
    let sid = app.published_structure(&owner, &moderator).await;
    let services = format!("/api/v1/structures/{sid}/services");
    for body in [
        service(
            "Reprise d'activité professionnelle",
            "Accompagnement vers l'emploi après les traitements.",
            "travail-emploi",
            json!({"kind": "departements", "codes": ["25"]}),
        ),
        service(
            "Activité physique adaptée",
            "Séances encadrées par un enseignant en APA.",
            "activite-physique-adaptee",
            json!({"kind": "communes", "codes": ["69123"]}),
        ),
        service(
            "Socio-esthétique",
            "Soins esthétiques pendant les traitements.",
            "soins-de-support",
            json!({"kind": "departements", "codes": ["31"]}),
        ),
    ] {
        app.publish(&services, "services", &owner, &moderator, &body)
            .await;
    }
    // A draft holding the same words must never appear, relaxed or not.
    app.create(
        &services,
        &owner,
        &service(
            "Brouillon reprise emploi",
            "Un brouillon sur la reprise de l'emploi.",
            "travail-emploi",
            json!({"kind": "national"}),
        ),
    )
    .await;
    app.index_caught_up().await;

    // A verb no listing uses does not empty the page; the page says it was left out.
    let page = app.search("q=reprendre+mon+emploi+astrophysique").await;
    assert_eq!(names(&page), ["Reprise d'activité professionnelle"]);
    assert_eq!(page["relaxed"], json!(["astrophysique"]));
    assert_eq!(page["items"][0]["missing_words"], json!(["astrophysique"]));
    // Asked as exact words, it finds nothing.
    let exact = app
        .search("q=reprendre+mon+emploi+astrophysique&match=exact")
        .await;
    assert!(names(&exact).is_empty());
    assert_eq!(exact["relaxed"], json!([]));

    // A place in the words is the place searched, and said.
    let page = app.search("q=sport+%C3%A0+Lyon").await;
    assert_eq!(names(&page), ["Activité physique adaptée"]);
    assert_eq!(page["place"]["kind"], "commune");
    assert_eq!(page["place"]["code"], "69123");
    assert_eq!(page["place"]["name"], "Lyon");
    let page = app.search("q=travail+dans+le+Doubs").await;
    assert_eq!(names(&page), ["Reprise d'activité professionnelle"]);
    assert_eq!(page["place"]["code"], "25");
    let page = app.search("q=travail+dans+le+25").await;
    assert_eq!(page["place"]["kind"], "departement");
    assert_eq!(names(&page), ["Reprise d'activité professionnelle"]);
    let page = app
        .search("q=travail+en+Bourgogne-Franche-Comt%C3%A9")
        .await;
    assert_eq!(page["place"]["kind"], "region");
    assert_eq!(page["place"]["code"], "27");
    assert_eq!(names(&page), ["Reprise d'activité professionnelle"]);
    // A postcode: Lyon 3e, which the zone "Lyon" holds.
    let page = app.search("q=sport+69003").await;
    assert_eq!(page["place"]["kind"], "postcode");
    assert_eq!(names(&page), ["Activité physique adaptée"]);
    // From Marseille, Lyon's sessions are found only once the search says it went
    // national.
    let page = app.search("q=sport+%C3%A0+Marseille").await;
    assert_eq!(page["place"]["code"], "13055");
    assert_eq!(page["widened_to"]["kind"], "national");
    // An ambiguous name: the most populous, and the others named.
    let page = app.search("q=maquillage+%C3%A0+Saint-Denis").await;
    assert_eq!(page["place"]["code"], "93066");
    let alternatives: Vec<&str> = page["place"]["alternatives"]
        .as_array()
        .expect("alternatives")
        .iter()
        .filter_map(|a| a["code"].as_str())
        .collect();
    assert!(alternatives.contains(&"97411"), "{alternatives:?}");
    // A place parameter wins over the words: they are then only words.
    let page = app
        .search("q=maquillage+%C3%A0+Lyon&code_departement=31")
        .await;
    assert!(page.get("place").is_none());
    assert_eq!(names(&page), ["Socio-esthétique"]);
    assert_eq!(page["relaxed"], json!(["Lyon"]));

    // Nothing near Besançon: the area widens until something is found, and says so.
    let page = app.search("q=maquillage&postcode=25000").await;
    assert_eq!(names(&page), ["Socio-esthétique"]);
    assert_eq!(page["widened_to"]["kind"], "national");
    let page = app.search("q=maquillage+%C3%A0+Toulouse").await;
    assert_eq!(names(&page), ["Socio-esthétique"]);
    assert!(page.get("widened_to").is_none());

    // A misspelt word: found all the same, and respelt.
    let page = app.search("q=soico-esth%C3%A9tique").await;
    assert_eq!(names(&page), ["Socio-esthétique"]);
    assert_eq!(page["did_you_mean"], "socio-esthétique");

    // Unknown matching modes are refused, naming the parameter.
    let res = app
        .get("/api/v1/search?q=emploi&match=fuzzy", None)
        .send()
        .await
        .expect("request");
    let body = problem(res, StatusCode::BAD_REQUEST).await;
    assert!(
        pointers(&body).iter().any(|p| p.contains("match"))
            || body["detail"]
                .as_str()
                .unwrap_or_default()
                .contains("match"),
        "{body}"
    );
}

both_backends!(questions_are_understood);
