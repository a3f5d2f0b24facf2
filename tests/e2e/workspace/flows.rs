//! A member's work in pages: declare a structure, write a service (errors beside their
//! fields, the form kept as typed, places typed in words), edit a published listing (the
//! published version stays until approved), confirm it in one click, pause and complete a
//! project; the workspace shows where each listing stands with the moderator's reason.

use super::{Browser, field_value, form_fields, pairs, set};
use crate::both_backends;
use crate::common::{Backend, TestApp, fixtures};
use reqwest::StatusCode;
use serde_json::json;

fn id_in(location: &str, segment: &str) -> String {
    location
        .split(&format!("/espace/{segment}/"))
        .nth(1)
        .and_then(|rest| rest.split(['?', '/']).next())
        .unwrap_or_else(|| panic!("{location} names a {segment}"))
        .to_owned()
}

/// The revision of a listing waiting in the moderation queue.
pub async fn in_review(
    app: &TestApp,
    member: &crate::common::User,
    collection: &str,
    id: &str,
) -> String {
    let (status, view) = app
        .call(app.get(&format!("/api/v1/{collection}/{id}"), Some(member)))
        .await;
    assert_eq!(status, StatusCode::OK, "{view}");
    assert_eq!(view["review"]["state"], "pending", "{view}");
    view["review"]["revision_id"].as_str().unwrap().to_owned()
}

async fn a_member_writes_and_keeps_listings_in_pages(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let member = app.verified_user("membre").await;
    let moderator = app.moderator().await;
    let mut b = Browser::signed_in(&app, &member).await;

    // No structure yet: the workspace says how to start.
    let home = b.get("/espace").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("Déclarer ma structure"));

    // A structure, sent to moderation from its form.
    let form = b.get("/espace/structures/nouvelle").await;
    assert_eq!(form.status, StatusCode::OK);
    let created = b
        .submit(
            "/espace/structures/nouvelle",
            &[
                ("name", "Entraide Pages Doubs"),
                ("structure_kind", "association"),
                ("rna", "W251000123"),
                ("summary", "Patients et proches s'entraident."),
                ("address.street", "2 place Saint-Pierre"),
                ("address.postcode", "25000"),
                ("address.commune", "besancon"),
                ("contact.phone", "03 81 00 00 00"),
                ("vis.contact", "private"),
                ("then", "submit"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let location = created.location.unwrap();
    assert!(location.ends_with("?fait=envoye"), "{location}");
    let structure = id_in(&location, "structures");
    let (status, stored) = app
        .call(app.get(&format!("/api/v1/structures/{structure}"), Some(&member)))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(stored["status"], "pending");
    assert_eq!(
        stored["address"]["commune_code"], "25056",
        "the commune typed in words"
    );
    assert_eq!(stored["visibility"]["contact"], "private");
    let pending = b.get("/espace").await;
    assert!(pending.body.contains("En attente de relecture"));

    // Sent back with a reason: the workspace shows it.
    let item = in_review(&app, &member, "structures", &structure).await;
    app.decide(
        &item,
        "request-changes",
        &moderator,
        Some("Ajoutez votre numéro RNA complet, s'il vous plaît."),
    )
    .await;
    let asked = b.get("/espace").await;
    assert!(asked.body.contains("Modifications demandées"));
    assert!(asked.body.contains("Ajoutez votre numéro RNA complet"));
    let edit = b
        .get(&format!("/espace/structures/{structure}/modifier"))
        .await;
    assert!(
        edit.body
            .contains("Ce que l'équipe de modération vous demande")
    );
    let mut fields = form_fields(
        &edit.body,
        &format!("/espace/structures/{structure}/modifier"),
    );
    set(&mut fields, "then", "submit");
    let resent = b
        .submit(
            &format!("/espace/structures/{structure}/modifier"),
            &pairs(&fields),
        )
        .await;
    assert_eq!(resent.status, StatusCode::SEE_OTHER, "{}", resent.body);
    let item = in_review(&app, &member, "structures", &structure).await;
    let (status, body) = app.decide(&item, "approve", &moderator, None).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // A service whose form has mistakes: nothing saved, each error beside its field, the
    // text kept as typed.
    let before = super::stored(&app).await;
    let path = format!("/espace/structures/{structure}/services/nouveau");
    let typed_description = "Deux fois par mois,\nentre personnes touchées.";
    let wrong = b
        .submit(
            &path,
            &[
                ("name", "Groupe de parole du jeudi"),
                ("summary", ""),
                ("description", typed_description),
                ("themes", "soutien-psychologique"),
                ("modes", "presentiel"),
                ("cost", "free"),
                ("coverage.kind", "departements"),
                ("coverage.departements_typed", "Doubs, 39"),
                ("contact.phone", "12"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong.body.contains("Rien n&#39;est enregistré")
            || wrong.body.contains("Rien n'est enregistré")
    );
    assert!(
        wrong.body.contains("id=\"f-summary-error\""),
        "summary error beside its field"
    );
    assert!(
        wrong.body.contains("id=\"f-contact-phone-error\""),
        "phone error beside its field"
    );
    assert!(
        wrong.body.contains("10 chiffres"),
        "the phone rule in French"
    );
    assert!(
        wrong.body.contains("au moins un lieu") || wrong.body.contains("locations-error"),
        "on-site needs a place"
    );
    assert_eq!(
        field_value(&wrong.body, "contact.phone").as_deref(),
        Some("12")
    );
    assert_eq!(
        field_value(&wrong.body, "description").as_deref(),
        Some(typed_description)
    );
    assert_eq!(super::stored(&app).await, before, "nothing stored");

    // Corrected: saved, the départements typed in words become codes.
    let mut fields = form_fields(&wrong.body, &path);
    set(
        &mut fields,
        "summary",
        "Un groupe de parole, un jeudi sur deux.",
    );
    set(&mut fields, "contact.phone", "03 81 47 12 34");
    set(&mut fields, "loc0.commune", "Besançon");
    set(&mut fields, "loc0.postcode", "25000");
    set(&mut fields, "then", "submit");
    let saved = b.submit(&path, &pairs(&fields)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let service = id_in(&saved.location.unwrap(), "services");
    let (_, stored) = app
        .call(app.get(&format!("/api/v1/services/{service}"), Some(&member)))
        .await;
    assert_eq!(
        stored["coverage"],
        json!({"kind": "departements", "codes": ["25", "39"]})
    );
    assert_eq!(stored["description"], typed_description);
    assert_eq!(stored["locations"][0]["address"]["commune_code"], "25056");
    let item = in_review(&app, &member, "services", &service).await;
    let (status, body) = app.decide(&item, "approve", &moderator, None).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // Editing the published service: the page says the published version stays, and it
    // does until approved.
    let edit_path = format!("/espace/services/{service}/modifier");
    let edit = b.get(&edit_path).await;
    assert!(edit.body.contains("la version publiée reste en ligne"));
    let mut fields = form_fields(&edit.body, &edit_path);
    set(&mut fields, "name", "Groupe de parole du vendredi");
    let edited = b.submit(&edit_path, &pairs(&fields)).await;
    assert_eq!(edited.status, StatusCode::SEE_OTHER, "{}", edited.body);
    let (_, public) = app
        .call(app.get(&format!("/api/v1/services/{service}"), None))
        .await;
    assert_eq!(
        public["name"], "Groupe de parole du jeudi",
        "published version unchanged"
    );
    let (_, mine) = app
        .call(app.get(&format!("/api/v1/services/{service}"), Some(&member)))
        .await;
    assert_eq!(mine["name"], "Groupe de parole du vendredi");

    // "Mes informations sont à jour": one click, the listing is confirmed now.
    app.advance_days(100);
    assert_eq!(
        b.get("/espace").await.status,
        StatusCode::SEE_OTHER,
        "signed out meanwhile"
    );
    let mut b = Browser::signed_in(&app, &member).await;
    let page = b.get("/espace").await;
    assert!(
        page.body
            .contains(&format!("/espace/structures/{structure}/a-jour"))
    );
    let confirmed = b
        .submit(&format!("/espace/structures/{structure}/a-jour"), &[])
        .await;
    assert_eq!(confirmed.status, StatusCode::SEE_OTHER);
    assert!(confirmed.location.unwrap().ends_with("?fait=confirme"));
    let (_, s) = app
        .call(app.get(&format!("/api/v1/structures/{structure}"), None))
        .await;
    let verified =
        chrono::DateTime::parse_from_rfc3339(s["verified_at"].as_str().unwrap()).unwrap();
    assert!(
        verified.timestamp() >= app.clock_start().timestamp() + 100 * 86_400 - 5,
        "{verified}"
    );
}

async fn a_project_is_paused_completed_and_answers_offers_in_pages(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let member = app.verified_user("porteur").await;
    let moderator = app.moderator().await;
    let structure = app.published_structure(&member, &moderator).await;
    let project = app
        .publish(
            &format!("/api/v1/structures/{structure}/projects"),
            "projects",
            &member,
            &moderator,
            &fixtures::project(),
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // A contributor offers help; moderators pass it on.
    let contributor = app.verified_user("contributrice").await;
    // From the project's public page, signed in through the sign-in page.
    let mut c = Browser::new(&app);
    let public = c.get(&format!("/projets/{project}")).await;
    assert!(public.body.contains(&format!("/projets/{project}/aider")));
    let ask = c.get(&format!("/projets/{project}/aider")).await;
    assert_eq!(ask.status, StatusCode::SEE_OTHER);
    assert!(
        ask.location
            .unwrap()
            .starts_with("/connexion?retour=%2Fprojets%2F")
    );
    let mut c = Browser::signed_in(&app, &contributor).await;
    let form = c.get(&format!("/projets/{project}/aider")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert_eq!(
        field_value(&form.body, "email").as_deref(),
        Some(contributor.email.as_str())
    );
    let action = format!("/projets/{project}/aider");
    let health = "Traitée en 2023, en rémission.";
    let short = c
        .submit(
            &action,
            &[
                ("message", "Moi"),
                ("email", &contributor.email),
                ("health_info", health),
            ],
        )
        .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_value(&short.body, "health_info").as_deref(),
        Some(health),
        "kept"
    );
    let sent = c
        .submit(
            &action,
            &[
                (
                    "message",
                    "Je peux raconter mon retour au travail après un lymphome.",
                ),
                ("skills", "experience-patient"),
                ("wants", "introduction"),
                ("email", &contributor.email),
                ("phone", "06 98 76 54 32"),
                ("health_info", health),
                ("health_consent", "oui"),
            ],
        )
        .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    assert!(sent.body.contains("Merci, votre proposition est partie"));
    let mine = c.get("/espace").await;
    assert!(
        mine.body.contains("relue par l&#39;équipe d&#39;Agora")
            || mine.body.contains("relue par l'équipe d'Agora")
    );
    let (_, offers) = app
        .call(app.get("/api/v1/me/help-offers", Some(&contributor)))
        .await;
    let offer = offers[0]["id"]
        .as_str()
        .or(offers["items"][0]["id"].as_str())
        .unwrap()
        .to_owned();
    let mut m = Browser::signed_in(&app, &moderator).await;
    let screening = m.get("/moderation/offres").await;
    assert!(
        screening.body.contains(&contributor.email),
        "moderators see who offers"
    );
    let forwarded = m
        .submit(
            &format!("/moderation/offres/{offer}/transmettre"),
            &[("reason", ""), ("note", "")],
        )
        .await;
    assert_eq!(
        forwarded.status,
        StatusCode::SEE_OTHER,
        "{}",
        forwarded.body
    );

    let mut b = Browser::signed_in(&app, &member).await;
    let page = b.get(&format!("/espace/projets/{project}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("à vous de répondre"));
    assert!(
        !page.body.contains(&contributor.email),
        "no contact before accepting"
    );
    let accepted = b
        .submit(&format!("/espace/offres/{offer}/accepter"), &[])
        .await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER);
    let page = b.get(&format!("/espace/projets/{project}")).await;
    assert!(
        page.body.contains(&contributor.email),
        "contacts cross once accepted"
    );

    for (action, status) in [
        ("pause", "paused"),
        ("reprise", "published"),
        ("termine", "completed"),
    ] {
        let done = b
            .submit(&format!("/espace/projets/{project}/{action}"), &[])
            .await;
        assert_eq!(
            done.status,
            StatusCode::SEE_OTHER,
            "{action}: {}",
            done.body
        );
        let (_, p) = app
            .call(app.get(&format!("/api/v1/projects/{project}"), None))
            .await;
        assert_eq!(p["status"], status, "{action}");
    }
    // News are kept as typed when refused (too long), then sent.
    let long = "x".repeat(5001);
    let refused = b
        .submit(
            &format!("/espace/projets/{project}/nouvelle"),
            &[("body", &long)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Trop long"));
    let sent = b
        .submit(
            &format!("/espace/projets/{project}/nouvelle"),
            &[("body", "Deux témoignages enregistrés.")],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
}

async fn members_invite_and_accept_in_pages(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.verified_user("responsable").await;
    let moderator = app.moderator().await;
    let structure = app.published_structure(&owner, &moderator).await;
    let newcomer = app.verified_user("nouvelle").await;
    let mut b = Browser::signed_in(&app, &owner).await;
    let page = b.get(&format!("/espace/structures/{structure}")).await;
    assert!(page.body.contains("Inviter quelqu"));
    let bad = b
        .submit(
            &format!("/espace/structures/{structure}/invitations"),
            &[("email", "pas-une-adresse"), ("role", "editor")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_value(&bad.body, "email").as_deref(),
        Some("pas-une-adresse")
    );
    let sent = b
        .submit(
            &format!("/espace/structures/{structure}/invitations"),
            &[("email", &newcomer.email), ("role", "editor")],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let mut n = Browser::signed_in(&app, &newcomer).await;
    let home = n.get("/espace").await;
    assert!(home.body.contains("vous invite"));
    let (_, rest) = home.body.split_once("/espace/invitations/").unwrap();
    let invitation = rest.split('/').next().unwrap().to_owned();
    let accepted = n
        .submit(&format!("/espace/invitations/{invitation}/accepter"), &[])
        .await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER);
    let home = n.get("/espace").await;
    assert!(
        home.body
            .contains(&format!("/espace/structures/{structure}/modifier")),
        "now a member"
    );
    // An editor sees the members but not the invitation form (owners only).
    let page = n.get(&format!("/espace/structures/{structure}")).await;
    assert!(!page.body.contains("Inviter quelqu"));
    // Nor may they remove the owner; the owner removes them.
    let remove_owner = format!(
        "/espace/structures/{structure}/membres/{}/retirer",
        owner.id
    );
    assert!(
        !page.body.contains(&remove_owner),
        "no button to remove someone else"
    );
    let refused = n.submit(&remove_owner, &[]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let page = b.get(&format!("/espace/structures/{structure}")).await;
    let remove = format!(
        "/espace/structures/{structure}/membres/{}/retirer",
        newcomer.id
    );
    assert!(page.body.contains(&remove));
    let removed = b.submit(&remove, &[]).await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    let home = n.get("/espace").await;
    assert!(
        !home
            .body
            .contains(&format!("/espace/structures/{structure}/modifier")),
        "no longer a member"
    );
}

/// Two people edit the same listing: the second to save is shown both versions, keeps what
/// they wrote, and saves it deliberately.
async fn a_concurrent_edit_shows_both_versions(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let member = app.verified_user("membre").await;
    let moderator = app.moderator().await;
    let structure = app.published_structure(&member, &moderator).await;
    let colleague = app.verified_user("collegue").await;
    app.join(&structure, &member, &colleague, "editor").await;
    let path = format!("/espace/structures/{structure}/modifier");
    let mut b = Browser::signed_in(&app, &member).await;
    let opened = b.get(&path).await;
    let mut mine = form_fields(&opened.body, &path);
    // Meanwhile the colleague saves another summary (here through the API).
    let api = format!("/api/v1/structures/{structure}");
    let etag = app.etag(&api, &colleague).await;
    let (status, _) = app
        .call(
            app.patch(&api, Some(&colleague))
                .header("If-Match", etag)
                .json(&json!({"summary": "Le résumé de ma collègue."})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    set(&mut mine, "summary", "Mon résumé à moi.");
    let conflict = b.submit(&path, &pairs(&mine)).await;
    assert_eq!(conflict.status, StatusCode::CONFLICT);
    assert!(
        conflict.body.contains("Quelqu&#39;un a enregistré")
            || conflict.body.contains("Quelqu'un a enregistré")
    );
    assert!(
        conflict.body.contains("Le résumé de ma collègue."),
        "their version shown"
    );
    assert_eq!(
        field_value(&conflict.body, "summary").as_deref(),
        Some("Mon résumé à moi."),
        "mine kept"
    );
    let (_, view) = app.call(app.get(&api, Some(&member))).await;
    assert_eq!(
        view["summary"], "Le résumé de ma collègue.",
        "nothing overwritten yet"
    );
    // Saving again, from the conflict page, keeps mine deliberately.
    let again = form_fields(&conflict.body, &path);
    let saved = b.submit(&path, &pairs(&again)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let (_, view) = app.call(app.get(&api, Some(&member))).await;
    assert_eq!(view["summary"], "Mon résumé à moi.");
}

/// A structure's owner prepares the label application in pages: a draft kept, an
/// incomplete one refused with what is missing beside its field, then sent.
async fn a_structure_applies_for_the_label_in_pages(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.verified_user("responsable").await;
    let moderator = app.moderator().await;
    let structure = app.published_structure(&owner, &moderator).await;
    let mut b = Browser::signed_in(&app, &owner).await;
    let page = b.get(&format!("/espace/structures/{structure}")).await;
    assert!(
        page.body.contains("aucune demande pour l&#39;instant")
            || page.body.contains("aucune demande pour l'instant")
    );
    let action = format!("/espace/structures/{structure}/label");
    let governance = "Un conseil d'administration élu chaque année par les adhérents.";
    let draft = b
        .submit(
            &action,
            &[
                ("category", "soutien-psychologique"),
                ("governance", governance),
                ("then", "save"),
            ],
        )
        .await;
    assert_eq!(draft.status, StatusCode::SEE_OTHER, "{}", draft.body);
    let page = b.get(&format!("/espace/structures/{structure}")).await;
    assert!(page.body.contains("brouillon, pas encore envoyé"));
    assert_eq!(
        field_value(&page.body, "governance").as_deref(),
        Some(governance),
        "the draft kept"
    );
    // Sent incomplete: refused, what is missing said, the text kept.
    let mut fields = form_fields(&page.body, &action);
    set(&mut fields, "then", "submit");
    let incomplete = b.submit(&action, &pairs(&fields)).await;
    assert_eq!(
        incomplete.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        incomplete.body
    );
    assert!(incomplete.body.contains("fr-error-text"));
    assert_eq!(
        field_value(&incomplete.body, "governance").as_deref(),
        Some(governance)
    );
    // Completed and sent.
    let complete = fixtures::label_application();
    let mut fields = form_fields(&incomplete.body, &action);
    for key in ["registration_number", "solution", "contributors"] {
        set(&mut fields, key, complete[key].as_str().unwrap());
    }
    set(&mut fields, "doc0.title", "Statuts");
    set(
        &mut fields,
        "doc0.url",
        "https://association.example.org/statuts.pdf",
    );
    set(&mut fields, "charter", "oui");
    set(&mut fields, "signed_by", "Claire Martin, présidente");
    set(&mut fields, "then", "submit");
    let sent = b.submit(&action, &pairs(&fields)).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let page = b.get(&format!("/espace/structures/{structure}")).await;
    assert!(
        page.body.contains("vérifie qu&#39;il est complet")
            || page.body.contains("vérifie qu'il est complet")
    );
    // A member of another structure cannot apply for this one.
    let stranger = app.verified_user("voisin").await;
    let mut s = Browser::signed_in(&app, &stranger).await;
    let _ = s.get("/espace").await;
    let _ = s.get("/deconnexion").await;
    let refused = s
        .submit(&action, &[("category", "soutien-psychologique")])
        .await;
    assert!(
        matches!(
            refused.status,
            StatusCode::NOT_FOUND | StatusCode::FORBIDDEN
        ),
        "{}",
        refused.status
    );
}

/// A section the member set confidential is for moderators only: the member's form neither
/// shows it nor offers to change who sees it, and saving leaves it as it was.
async fn a_section_the_member_may_not_read_is_left_alone(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let member = app.verified_user("membre").await;
    let moderator = app.moderator().await;
    let structure = app.published_structure(&member, &moderator).await;
    let secret = "canari-confidentiel-formulaire-4e1a";
    let project = app
        .publish(
            &format!("/api/v1/structures/{structure}/projects"),
            "projects",
            &member,
            &moderator,
            &fixtures::project_with_secrets(secret, "prive@asso.example.org"),
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut b = Browser::signed_in(&app, &member).await;
    let path = format!("/espace/projets/{project}/modifier");
    let form = b.get(&path).await;
    assert!(!form.body.contains(secret));
    assert!(
        field_value(&form.body, "description").is_none(),
        "no field for it"
    );
    assert!(
        !form.body.contains("name=\"vis.description\""),
        "no way to make it public"
    );
    let mut fields = form_fields(&form.body, &path);
    set(&mut fields, "summary", "Un résumé revu.");
    // Even a forged field cannot make it public.
    fields.push(("vis.description".into(), "public".into()));
    let saved = b.submit(&path, &pairs(&fields)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let (status, mine) = app
        .call(app.get(&format!("/api/v1/projects/{project}"), Some(&member)))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(mine["summary"], "Un résumé revu.");
    assert_eq!(mine["visibility"]["description"], "confidential");
    let revision = mine["review"]["revision_id"].as_str().unwrap().to_owned();
    let (_, item) = app
        .call(app.get(
            &format!("/api/v1/moderation/items/{revision}"),
            Some(&moderator),
        ))
        .await;
    let kept = item["content"]["description"].as_str().unwrap_or_default();
    assert!(
        kept.contains(secret),
        "the confidential text is kept: {item}"
    );
}

both_backends!(
    a_section_the_member_may_not_read_is_left_alone,
    a_structure_applies_for_the_label_in_pages,
    a_concurrent_edit_shows_both_versions,
    a_member_writes_and_keeps_listings_in_pages,
    a_project_is_paused_completed_and_answers_offers_in_pages,
    members_invite_and_accept_in_pages,
);
