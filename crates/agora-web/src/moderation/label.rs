//! Label applications for moderators: those sent (is the file complete? ask for pieces, or
//! choose a balanced panel among the committee), those with the committee (the panel and
//! its reviews, with names, the rule's proposal, the decision with its reasons).

use crate::WebState;
use crate::fields::{Choice, ChoiceGroup, Errors, Input};
use crate::form::FormData;
use crate::layout::Layout;
use crate::session::{self, Visitor, redirect};
use crate::workspace::label::category_words;
use actix_web::http::StatusCode;
use actix_web::web;
use actix_web::{HttpRequest, HttpResponse};
use agora_domain::label::{ApplicationState, ProposalOutcome, Seat};
use agora_service::label::{
    self, ApplicationView, AssignInput, DecideInput, LabelDecision, PiecesInput,
};
use agora_service::{Result, ServiceError};
use askama::Template;
use uuid::Uuid;

pub struct Item {
    pub app: ApplicationView,
    pub facts: Vec<(&'static str, String)>,
    pub documents: Vec<(String, Option<String>)>,
    pub panel: Vec<String>,
    pub proposal: Option<String>,
    pub pieces_form: String,
    pub assign_form: String,
    pub decide_form: Option<String>,
}

#[derive(Template)]
#[template(path = "moderation/label.html")]
pub struct LabelPage {
    pub layout: Layout,
    pub csrf: String,
    pub flash: bool,
    pub submitted: Vec<Item>,
    pub in_review: Vec<Item>,
}

fn seat_words(s: Seat) -> &'static str {
    match s {
        Seat::Patient => "patient",
        Seat::Caregiver => "aidant",
        Seat::Professional => "professionnel",
    }
}

type Failed<'a> = Option<(Uuid, &'a str, &'a FormData, &'a Errors)>;

fn item(
    app: ApplicationView,
    committee: &[label::CommitteeMember],
    charter: &label::CharterView,
    failed: Failed<'_>,
) -> Item {
    let mine = |which: &str| {
        failed
            .filter(|(id, w, _, _)| *id == app.id && *w == which)
            .map(|(_, _, f, e)| (f, e))
    };
    let c = &app.content;
    let facts = vec![
        ("Catégorie", category_words(charter, c.category.as_deref())),
        (
            "Numéro RNA ou SIREN",
            c.registration_number.clone().unwrap_or_default(),
        ),
        (
            "Charte",
            c.charter
                .as_ref()
                .map(|s| {
                    format!(
                        "version {}, signée par {} le {}",
                        s.version,
                        s.signed_by,
                        s.signed_on.format("%d/%m/%Y")
                    )
                })
                .unwrap_or_default(),
        ),
        ("Gouvernance", c.governance.clone().unwrap_or_default()),
        ("Solution", c.solution.clone().unwrap_or_default()),
        ("Contributeurs", c.contributors.clone().unwrap_or_default()),
    ];
    let reviews = app.reviews.clone().unwrap_or_default();
    let panel = reviews
        .iter()
        .map(|r| {
            let who = r
                .reviewer
                .as_ref()
                .map(|p| {
                    format!(
                        "{} ({})",
                        p.display_name,
                        p.seat.map(seat_words).unwrap_or("sans siège")
                    )
                })
                .unwrap_or_default();
            let state = match r.state.as_str() {
                "submitted" => "évaluation rendue",
                "withdrawn" => "retiré (conflit d'intérêts)",
                _ => "évaluation attendue",
            };
            format!("{} — {who} : {state}", r.label)
        })
        .collect();
    let proposal = app.proposal.as_ref().map(|p| {
        let outcome = match p.outcome {
            ProposalOutcome::Wait => "d'attendre d'autres évaluations",
            ProposalOutcome::Grant => "d'accorder le label",
            ProposalOutcome::Refuse => "de refuser le label",
        };
        format!(
            "{} évaluation(s) complète(s) ; moyenne {} ; critère le plus bas {} : la règle propose {outcome}.",
            p.complete_reviews,
            p.mean.map(|m| format!("{m:.2}/4")).unwrap_or_else(|| "—".into()),
            p.lowest_criterion.map(|m| format!("{m:.2}/4")).unwrap_or_else(|| "—".into()),
        )
    });
    let (pf, pe) = mine("pieces")
        .map(|(f, e)| (f.clone(), e.clone()))
        .unwrap_or_default();
    let pieces_form = Input::new("missing", "Pièces ou précisions manquantes", "textarea")
        .hint("Écrit pour la structure : repris tel quel dans le mail qu'elle reçoit.")
        .value(pf.raw("missing"))
        .max(2000)
        .error(pe.at("/missing"))
        .render_html()
        .replace("f-missing", &format!("f-missing-{}", app.id));
    let assigned: Vec<Uuid> = reviews
        .iter()
        .filter_map(|r| r.reviewer.as_ref().map(|p| p.id))
        .collect();
    let (af, ae) = mine("comite")
        .map(|(f, e)| (f.clone(), e.clone()))
        .unwrap_or_default();
    let chosen = af.all("reviewer");
    let available: Vec<&label::CommitteeMember> = committee
        .iter()
        .filter(|m| !assigned.contains(&m.id))
        .collect();
    let assign_form = if available.is_empty() {
        String::new()
    } else {
        ChoiceGroup {
        name: "reviewer".into(),
        legend: "Membres du comité à désigner".into(),
        hint: "Un comité équilibré compte au moins une personne concernée (patient ou aidant) et un professionnel.".into(),
        groups: vec![(
            String::new(),
            available
                .iter()
                .map(|m| Choice { value: m.id.to_string(), label: format!("{} ({})", m.display_name, seat_words(m.seat)), checked: chosen.contains(&m.id.to_string()) })
                .collect(),
        )],
        error: ae.at("/reviewer_ids"),
        ..ChoiceGroup::default()
    }
    .render_html()
    .replace("g-reviewer", &format!("g-reviewer-{}", app.id))
    };
    let decide_form = (app.state == ApplicationState::InReview).then(|| {
        let (df, de) = mine("decision").map(|(f, e)| (f.clone(), e.clone())).unwrap_or_default();
        ChoiceGroup {
            name: "decision".into(),
            legend: "Décision".into(),
            groups: vec![(
                String::new(),
                [("granted", "Accorder le label"), ("refused", "Refuser le label")]
                    .iter()
                    .map(|(v, l)| Choice { value: (*v).into(), label: (*l).into(), checked: df.text("decision") == *v })
                    .collect(),
            )],
            radio: true,
            error: de.at("/decision"),
            ..ChoiceGroup::default()
        }
        .render_html()
        .replace("g-decision", &format!("g-decision-{}", app.id))
            + &Input::new("reasons", "Motifs, pour la structure (obligatoires pour un refus ou une décision contraire à la proposition)", "textarea")
                .value(df.raw("reasons"))
                .max(5000)
                .error(de.at("/reasons"))
                .render_html()
                .replace("f-reasons", &format!("f-reasons-{}", app.id))
    });
    Item {
        facts,
        documents: c
            .documents
            .iter()
            .map(|d| (d.title.clone(), d.url.clone()))
            .collect(),
        panel,
        proposal,
        pieces_form,
        assign_form,
        decide_form,
        app,
    }
}

async fn build(
    state: &WebState,
    visitor: &Visitor,
    flash: bool,
    failed: Failed<'_>,
) -> Result<LabelPage> {
    let ctx = &state.ctx;
    let charter = label::charter(ctx);
    let committee = label::committee(ctx, visitor.actor()).await?;
    let submitted = label::list(ctx, visitor.actor(), ApplicationState::Submitted, None, 50)
        .await?
        .items;
    let in_review = label::list(ctx, visitor.actor(), ApplicationState::InReview, None, 50)
        .await?
        .items;
    Ok(LabelPage {
        layout: visitor
            .menu(Layout::new(
                "Label — Modération — Agora",
                "Les demandes de label.",
            ))
            .section("moderation")
            .crumb("Modération", Some("/moderation".into()))
            .crumb("Label", None),
        csrf: visitor.csrf().to_owned(),
        flash,
        submitted: submitted
            .into_iter()
            .map(|a| item(a, &committee, &charter, failed))
            .collect(),
        in_review: in_review
            .into_iter()
            .map(|a| item(a, &committee, &charter, failed))
            .collect(),
    })
}

pub async fn page(state: web::Data<WebState>, req: HttpRequest) -> HttpResponse {
    let visitor = match session::moderator(&state, &req).await {
        Ok(v) => v,
        Err(response) => return response,
    };
    match build(&state, &visitor, session::done(&req).is_some(), None).await {
        Ok(p) => session::page(StatusCode::OK, &p),
        Err(e) => crate::error::from_service(e),
    }
}

/// `pieces` (ask for what is missing), `comite` (assign reviewers) or `decision`.
pub async fn act(
    state: web::Data<WebState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    form: FormData,
) -> HttpResponse {
    let (id, which) = path.into_inner();
    let (visitor, id) = match session::posting_about(&state, &req, &form, &id).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let ctx = &state.ctx;
    let actor = visitor.actor();
    let outcome = match which.as_str() {
        "pieces" => label::request_pieces(
            ctx,
            actor,
            id,
            PiecesInput {
                missing: form.raw("missing"),
            },
        )
        .await
        .map(|_| ()),
        "comite" => {
            let reviewer_ids = form
                .all("reviewer")
                .iter()
                .filter_map(|r| Uuid::parse_str(r).ok())
                .collect();
            label::assign(ctx, actor, id, AssignInput { reviewer_ids })
                .await
                .map(|_| ())
        }
        "decision" => {
            let decision = match form.text("decision").as_str() {
                "granted" => Some(LabelDecision::Granted),
                "refused" => Some(LabelDecision::Refused),
                _ => None,
            };
            match decision {
                Some(decision) => {
                    let reasons = Some(form.raw("reasons")).filter(|r| !r.trim().is_empty());
                    label::decide(ctx, actor, id, DecideInput { decision, reasons })
                        .await
                        .map(|_| ())
                }
                None => Err(ServiceError::Validation(
                    agora_domain::ValidationErrors::single("/decision", "required", "choose"),
                )),
            }
        }
        _ => return crate::error::not_found_page(&req),
    };
    match outcome {
        Ok(()) => redirect("/moderation/label?fait=1"),
        Err(ServiceError::Validation(e) | ServiceError::Malformed(e)) => {
            let errors = Errors::from_validation(&e);
            match build(&state, &visitor, false, Some((id, &which, &form, &errors))).await {
                Ok(p) => session::page(StatusCode::UNPROCESSABLE_ENTITY, &p),
                Err(e) => crate::error::from_service(e),
            }
        }
        Err(e) => crate::error::from_service(e),
    }
}
