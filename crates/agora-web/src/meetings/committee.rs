//! `/espace/evenements/{id}/rencontres/organisation`, for the event's organising committee:
//! the pairs to pin or ban, running the scheduler and reading how good its schedule is
//! (objective against a proven bound, idle participants, unmet pins), publishing it, the
//! printable table plan, and how the meetings were followed up.

use super::{committee_href, event_id, plan_href};
use crate::WebState;
use crate::fields::Errors;
use crate::form::FormData;
use crate::layout::Layout;
use crate::session::{self, Visitor, redirect};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use agora_service::ServiceError;
use agora_service::meetings::{
    self, ConstraintInput, ConstraintKind, ConstraintView, EventIndicators, PlanView,
};
use askama::Template;
use uuid::Uuid;

#[derive(Template)]
#[template(path = "meetings/committee.html")]
pub struct CommitteePage {
    pub layout: Layout,
    pub csrf: String,
    pub flash: Option<String>,
    pub error: Option<String>,
    pub plan: PlanView,
    pub constraints: Vec<ConstraintView>,
    pub indicators: EventIndicators,
    pub computed: bool,
    pub published: bool,
    /// The ratio as a percentage, in French ("97,8 %").
    pub ratio: String,
    pub idle: Vec<(String, String)>,
    /// Whether any participant left a private note for the committee.
    pub has_notes: bool,
    pub unmet: Vec<String>,
    pub plan_href: String,
    pub event: Uuid,
    /// When the rounds start, Paris time ("14 h 00"), if set.
    pub start: Option<String>,
    /// The counts, as the event's public page shows them.
    pub public: Option<String>,
}

fn flash_words(done: &str) -> Option<&'static str> {
    Some(match done {
        "calcul" => {
            "Le programme est calculé. Relisez-le, ajustez les rencontres imposées ou interdites et recalculez si besoin, puis publiez-le."
        }
        "publie" => {
            "Le programme est publié : chaque structure participante reçoit ses rencontres par mail. Il ne peut plus changer."
        }
        "contrainte" => "C'est enregistré. Recalculez le programme pour en tenir compte.",
        _ => return None,
    })
}

/// The service's refusals, in the committee's words.
fn conflict_words(why: &str) -> String {
    let words = if why.contains("frozen") || why.contains("published already") {
        "le programme est publié : il ne peut plus changer."
    } else if why.contains("two accepted participants") {
        "il faut au moins deux structures retenues pour calculer un programme."
    } else if why.contains("before publishing") {
        "calculez le programme avant de le publier."
    } else if why.contains("remove it first") {
        "cette paire est déjà imposée ou interdite : retirez d'abord cette règle."
    } else if why.contains("every round") {
        "une structure de cette paire a déjà une rencontre imposée à chaque tour."
    } else if why.contains("no speed meetings") {
        "cet événement ne prévoit pas de rencontres express."
    } else {
        "les règles données ne permettent pas de calculer un programme (rencontres imposées trop nombreuses ?)."
    };
    format!("Impossible pour l'instant : {words}")
}

fn percent(ratio: f64) -> String {
    format!("{:.1} %", ratio * 100.0).replace('.', ",")
}

async fn render(
    state: &WebState,
    visitor: &Visitor,
    event: Uuid,
    flash: Option<String>,
    error: Option<String>,
) -> HttpResponse {
    let ctx = &state.ctx;
    let plan = match meetings::plan(ctx, visitor.actor(), event).await {
        Ok(p) => p,
        Err(e) => return crate::error::from_service(e),
    };
    let constraints = match meetings::constraints(ctx, visitor.actor(), event).await {
        Ok(c) => c,
        Err(e) => return crate::error::from_service(e),
    };
    let indicators = match meetings::indicators(ctx, visitor.actor(), event).await {
        Ok(i) => i,
        Err(e) => return crate::error::from_service(e),
    };
    let (ratio, idle, unmet, published) = match &plan.report {
        Some(r) => (
            percent(r.ratio),
            idle_by_participant(&r.idle),
            r.unmet_pins
                .iter()
                .map(|p| format!("{} et {}", p.first.name, p.second.name))
                .collect(),
            r.published_at.is_some(),
        ),
        None => (String::new(), Vec::new(), Vec::new(), false),
    };
    let title = plan.event_title.clone();
    let public = super::event_fragment(ctx, &agora_service::Actor::Anonymous, event).await;
    let page = CommitteePage {
        layout: visitor
            .menu(Layout::new(
                format!("Organisation des rencontres express — {title} — Agora"),
                "Rencontres imposées ou interdites, calcul et publication du programme, plan de table.",
            ))
            .section("espace")
            .crumb("Mon espace", Some("/espace".into()))
            .crumb(format!("Organisation des rencontres — {title}"), None)
            .not_indexable(),
        csrf: visitor.csrf().to_owned(),
        flash,
        error,
        computed: plan.report.is_some(),
        published,
        ratio,
        has_notes: plan
            .plan
            .iter()
            .flat_map(|r| &r.meetings)
            .flat_map(|m| &m.feedback)
            .any(|f| f.note.is_some()),
        idle,
        unmet,
        plan_href: plan_href(event),
        event,
        start: plan.speed_starts_at.map(meetings::paris_time),
        public,
        constraints,
        indicators,
        plan,
    };
    session::page(StatusCode::OK, &page)
}

pub async fn page(
    state: web::Data<WebState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> HttpResponse {
    let Some(event) = event_id(&path) else {
        return crate::error::not_found_page(&req);
    };
    let visitor = match session::signed_in(&state, &req).await {
        Ok(v) => v,
        Err(response) => return response,
    };
    let flash = session::done(&req)
        .and_then(|d| flash_words(&d))
        .map(str::to_owned);
    render(&state, &visitor, event, flash, None).await
}

/// Runs the scheduler (`calculer`), publishes (`publier`), pins or bans a pair
/// (`contrainte`) or removes a constraint (`retirer`).
pub async fn act(
    state: web::Data<WebState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    form: FormData,
) -> HttpResponse {
    let (event, action) = path.into_inner();
    let (visitor, event) = match session::posting_about(&state, &req, &form, &event).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let ctx = &state.ctx;
    let actor = visitor.actor();
    let id = |name: &str| Uuid::parse_str(&form.text(name)).ok();
    let result = match action.as_str() {
        "calculer" => meetings::run(ctx, actor, event).await.map(|_| "calcul"),
        "publier" => meetings::publish(ctx, actor, event).await.map(|_| "publie"),
        "contrainte" => {
            let (Some(first), Some(second)) = (id("first"), id("second")) else {
                let msg = "Choisissez les deux structures de la paire.".to_owned();
                return render(&state, &visitor, event, None, Some(msg)).await;
            };
            let kind = if form.text("kind") == "ban" {
                ConstraintKind::Ban
            } else {
                ConstraintKind::Pin
            };
            let input = ConstraintInput {
                first,
                second,
                kind,
            };
            meetings::add_constraint(ctx, actor, event, input)
                .await
                .map(|_| "contrainte")
        }
        _ => match (id("first"), id("second")) {
            (Some(first), Some(second)) => {
                meetings::remove_constraint(ctx, actor, event, first, second)
                    .await
                    .map(|()| "contrainte")
            }
            _ => return crate::error::not_found_page(&req),
        },
    };
    match result {
        Ok(done) => redirect(&format!("{}?fait={done}", committee_href(event))),
        // The committee reads why, on its own page.
        Err(ServiceError::Conflict(why)) => {
            let msg = conflict_words(&why);
            render(&state, &visitor, event, None, Some(msg)).await
        }
        Err(ServiceError::Validation(e)) => {
            let errors = Errors::from_validation(&e);
            let msg = errors
                .0
                .iter()
                .map(|(_, m)| m.clone())
                .collect::<Vec<_>>()
                .join(" ");
            render(&state, &visitor, event, None, Some(msg)).await
        }
        Err(e) => crate::error::from_service(e),
    }
}

/// Who waits without a meeting, one line per participant with its rounds ("2, 3 et 5"),
/// in the order they first wait: a plan read per round repeats the same names.
fn idle_by_participant(idle: &[meetings::IdleSlot]) -> Vec<(String, String)> {
    let mut by_name: Vec<(String, Vec<u32>)> = Vec::new();
    for slot in idle {
        let round = slot.round + 1;
        match by_name
            .iter_mut()
            .find(|(n, _)| *n == slot.participant.name)
        {
            Some((_, rounds)) => rounds.push(round),
            None => by_name.push((slot.participant.name.clone(), vec![round])),
        }
    }
    by_name
        .into_iter()
        .map(|(name, rounds)| {
            let mut words: Vec<String> = rounds.iter().map(u32::to_string).collect();
            let list = match words.pop() {
                Some(last) if !words.is_empty() => format!("{} et {last}", words.join(", ")),
                Some(last) => last,
                None => String::new(),
            };
            let noun = if rounds.len() > 1 {
                "rencontres"
            } else {
                "rencontre"
            };
            (name, format!("{noun} {list}"))
        })
        .collect()
}
