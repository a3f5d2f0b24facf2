//! `/espace/evenements/{id}/rencontres`: for a member of a participating structure, whom
//! they want to meet (ranked, one list per choice), the rounds they cannot attend, their
//! own schedule once published, and after the event the follow-ups and the feedback.

use super::{event_id, participant_href, region_name, round_label};
use crate::WebState;
use crate::fields::Errors;
use crate::form::FormData;
use crate::layout::Layout;
use crate::session::{self, Visitor, redirect};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use agora_domain::VocabularyKind;
use agora_service::ServiceError;
use agora_service::meetings::{
    self, FeedbackInput, FeedbackView, FollowUpInput, MySchedule, PreferencesInput,
    PreferencesView, paris_time,
};
use askama::Template;
use uuid::Uuid;

pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub struct WishSelect {
    /// 1 to 15.
    pub rank: usize,
    pub options: Vec<Opt>,
    pub error: Option<String>,
}

pub struct Round {
    pub value: u32,
    pub label: String,
    pub checked: bool,
}

pub struct CandidateRow {
    pub name: String,
    pub href: String,
    pub region: String,
    pub offers: String,
    pub needs: String,
    pub themes: String,
}

pub struct MeetingRow {
    pub id: Uuid,
    pub round: String,
    pub time: String,
    pub table: u32,
    pub with: String,
    pub with_href: String,
    pub reasons: String,
    pub follow_up: Option<bool>,
    /// The follow-up can still be marked (event over, request not sent).
    pub can_follow: bool,
    pub due: Option<String>,
    /// The feedback is asked for now.
    pub feedback_open: bool,
    pub feedback: Option<FeedbackView>,
    /// The feedback's boxes: (field, label, checked).
    pub answers: Vec<(&'static str, &'static str, bool)>,
    pub note: String,
}

pub struct Part {
    pub app: Uuid,
    pub name: String,
    pub published: bool,
    pub ended: bool,
    pub frozen: bool,
    pub meetings: Vec<MeetingRow>,
    pub idle: String,
    pub unavailable: String,
    pub wishes: Vec<WishSelect>,
    pub rounds: Vec<Round>,
    pub rounds_error: Option<String>,
    pub other_errors: Vec<String>,
    pub candidates: Vec<CandidateRow>,
    pub max_wishes: u32,
}

#[derive(Template)]
#[template(path = "meetings/participant.html")]
pub struct ParticipantPage {
    pub layout: Layout,
    pub csrf: String,
    pub title: String,
    pub flash: Option<&'static str>,
    pub parts: Vec<Part>,
    pub event: Uuid,
}

fn flash_words(done: &str) -> Option<&'static str> {
    Some(match done {
        "souhaits" => {
            "Vos souhaits sont enregistrés. Vous pouvez les changer jusqu'à la publication du programme."
        }
        "suite" => {
            "C'est noté. Si l'autre structure souhaite aussi une suite, nous vous demanderons dans six mois ce qu'elle a donné."
        }
        "retour" => {
            "Merci pour votre réponse : elle compte dans les indicateurs de l'événement, sans vous nommer."
        }
        _ => return None,
    })
}

fn answers(f: Option<&FeedbackView>) -> Vec<(&'static str, &'static str, bool)> {
    vec![
        (
            "collaboration",
            "Une collaboration",
            f.is_some_and(|f| f.collaboration),
        ),
        ("projet", "Un projet commun", f.is_some_and(|f| f.project)),
        (
            "aide",
            "Une proposition d'aide",
            f.is_some_and(|f| f.help_offer),
        ),
    ]
}

/// What the person sent that was refused, for one participation.
struct Failed<'a> {
    app: Uuid,
    form: &'a FormData,
    errors: &'a Errors,
    /// The position of each sent wish among the choice lists (empty lists are skipped).
    positions: Vec<usize>,
}

fn part(
    state: &WebState,
    p: &PreferencesView,
    s: Option<&MySchedule>,
    failed: Option<&Failed<'_>>,
    now: chrono::DateTime<chrono::Utc>,
) -> Part {
    let vocab = &state.ctx.vocab;
    let failed = failed.filter(|f| f.app == p.participant.application_id);
    // The choices as sent (after a refusal) or as stored.
    let chosen: Vec<String> = match failed {
        Some(f) => (1..=p.max_wishes as usize)
            .map(|i| f.form.text(&format!("wish{i}")))
            .collect(),
        None => p
            .wishes
            .iter()
            .map(|w| w.application_id.to_string())
            .collect(),
    };
    let error_at = |position: usize| {
        failed.and_then(|f| {
            f.positions
                .iter()
                .position(|&at| at == position)
                .and_then(|k| f.errors.at(&format!("/wishes/{k}")))
        })
    };
    let wishes = (0..p.max_wishes as usize)
        .map(|i| {
            let current = chosen.get(i).cloned().unwrap_or_default();
            let mut options = vec![Opt {
                value: String::new(),
                label: "— aucun —".into(),
                selected: current.is_empty(),
            }];
            options.extend(p.candidates.iter().map(|c| Opt {
                value: c.participant.application_id.to_string(),
                label: c.participant.name.clone(),
                selected: c.participant.application_id.to_string() == current,
            }));
            WishSelect {
                rank: i + 1,
                options,
                error: error_at(i),
            }
        })
        .collect();
    let absent: Vec<u32> = match failed {
        Some(f) => f
            .form
            .all("absent")
            .iter()
            .filter_map(|r| r.parse().ok())
            .collect(),
        None => p.unavailable_rounds.clone(),
    };
    let rounds = (0..p.rounds)
        .map(|r| Round {
            value: r,
            label: match p.round_starts.get(r as usize) {
                Some(t) => format!("{} ({})", round_label(r), paris_time(*t)),
                None => round_label(r),
            },
            checked: absent.contains(&r),
        })
        .collect();
    let other_errors = failed
        .map(|f| f.errors.elsewhere(&["/wishes", "/unavailable_rounds"]))
        .unwrap_or_default();
    let labels = |kind: VocabularyKind, codes: &[String]| {
        crate::format::labels(vocab, kind, codes).join(", ")
    };
    let meetings = s
        .map(|s| {
            s.meetings
                .iter()
                .map(|m| MeetingRow {
                    id: m.id,
                    round: round_label(m.round),
                    time: m.starts_at.map(paris_time).unwrap_or_default(),
                    table: m.table,
                    with: m.with.name.clone(),
                    with_href: format!("/structures/{}", m.with.structure_id),
                    reasons: m.reasons.join(" ; "),
                    follow_up: m.follow_up,
                    can_follow: s.event_ended && m.feedback_due_at.is_none_or(|d| d > now),
                    due: m.feedback_due_at.map(|d| crate::format::date(&d)),
                    feedback_open: m.feedback_due_at.is_some_and(|d| d <= now),
                    answers: answers(m.feedback.as_ref()),
                    note: m
                        .feedback
                        .as_ref()
                        .and_then(|f| f.note.clone())
                        .unwrap_or_default(),
                    feedback: m.feedback.clone(),
                })
                .collect()
        })
        .unwrap_or_default();
    let list = |rounds: &[u32]| {
        rounds
            .iter()
            .map(|r| round_label(*r))
            .collect::<Vec<_>>()
            .join(", ")
    };
    Part {
        app: p.participant.application_id,
        name: p.participant.name.clone(),
        published: s.is_some_and(|s| s.published),
        ended: s.is_some_and(|s| s.event_ended),
        frozen: p.frozen,
        meetings,
        idle: s.map(|s| list(&s.idle_rounds)).unwrap_or_default(),
        unavailable: list(&p.unavailable_rounds),
        wishes,
        rounds,
        rounds_error: failed.and_then(|f| f.errors.at("/unavailable_rounds")),
        other_errors,
        candidates: p
            .candidates
            .iter()
            .map(|c| CandidateRow {
                name: c.participant.name.clone(),
                href: format!("/structures/{}", c.participant.structure_id),
                region: region_name(c.participant.region.as_deref()),
                offers: labels(VocabularyKind::Skill, &c.offers),
                needs: labels(VocabularyKind::Skill, &c.needs),
                themes: labels(VocabularyKind::Theme, &c.themes),
            })
            .collect(),
        max_wishes: p.max_wishes,
    }
}

async fn render(
    state: &WebState,
    visitor: &Visitor,
    event: Uuid,
    flash: Option<&'static str>,
    failed: Option<Failed<'_>>,
) -> HttpResponse {
    let ctx = &state.ctx;
    let prefs = match meetings::preferences(ctx, visitor.actor(), event).await {
        Ok(p) => p,
        // The committee has its own page.
        Err(ServiceError::Forbidden(_))
            if meetings::plan(ctx, visitor.actor(), event).await.is_ok() =>
        {
            return redirect(&super::committee_href(event));
        }
        Err(e) => return crate::error::from_service(e),
    };
    let schedules = match meetings::mine(ctx, visitor.actor(), event).await {
        Ok(s) => s,
        Err(e) => return crate::error::from_service(e),
    };
    let title = schedules
        .first()
        .map(|s| s.event_title.clone())
        .unwrap_or_default();
    let now = ctx.now();
    let parts = prefs
        .iter()
        .map(|p| {
            let s = schedules
                .iter()
                .find(|s| s.participant.application_id == p.participant.application_id);
            part(state, p, s, failed.as_ref(), now)
        })
        .collect();
    let page = ParticipantPage {
        layout: visitor
            .menu(Layout::new(
                format!("Rencontres express — {title} — Agora"),
                "Vos souhaits de rencontre, votre programme et les suites données.",
            ))
            .section("espace")
            .crumb("Mon espace", Some("/espace".into()))
            .crumb(format!("Rencontres express — {title}"), None)
            .not_indexable(),
        csrf: visitor.csrf().to_owned(),
        title,
        flash,
        parts,
        event,
    };
    let status = if failed.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    session::page(status, &page)
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
    let flash = session::done(&req).and_then(|d| flash_words(&d));
    render(&state, &visitor, event, flash, None).await
}

/// The wishes (one list per rank) and the unavailable rounds.
pub async fn preferences(
    state: web::Data<WebState>,
    req: HttpRequest,
    path: web::Path<String>,
    form: FormData,
) -> HttpResponse {
    let (visitor, event) = match session::posting_about(&state, &req, &form, &path).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let app = Uuid::parse_str(&form.text("application_id")).ok();
    let mut positions = Vec::new();
    let mut wishes = Vec::new();
    let mut unreadable = false;
    for i in 1..=meetings::MAX_WISHES {
        let raw = form.text(&format!("wish{i}"));
        if raw.is_empty() {
            continue;
        }
        match Uuid::parse_str(&raw) {
            Ok(id) => {
                positions.push(i - 1);
                wishes.push(id);
            }
            Err(_) => unreadable = true,
        }
    }
    let rounds: Vec<i64> = form
        .all("absent")
        .iter()
        .filter_map(|r| r.parse().ok())
        .collect();
    if unreadable {
        return crate::error::from_service(ServiceError::Malformed(
            agora_domain::ValidationErrors::single("/wishes", "invalid_uuid", "not an id"),
        ));
    }
    let input = PreferencesInput {
        application_id: app,
        wishes,
        unavailable_rounds: rounds,
    };
    match meetings::set_preferences(&state.ctx, visitor.actor(), event, input).await {
        Ok(_) => redirect(&format!("{}?fait=souhaits", participant_href(event))),
        Err(ServiceError::Validation(e)) => {
            let errors = Errors::from_validation(&e);
            let failed = app.map(|app| Failed {
                app,
                form: &form,
                errors: &errors,
                positions,
            });
            render(&state, &visitor, event, None, failed).await
        }
        Err(e) => crate::error::from_service(e),
    }
}

/// A follow-up (`suite`) or the feedback (`retour`) on one meeting.
pub async fn answer(
    state: web::Data<WebState>,
    req: HttpRequest,
    path: web::Path<(String, String, String)>,
    form: FormData,
) -> HttpResponse {
    let (event, meeting, action) = path.into_inner();
    let Ok(meeting) = Uuid::parse_str(&meeting) else {
        return crate::error::not_found_page(&req);
    };
    let (visitor, event) = match session::posting_about(&state, &req, &form, &event).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let app = Uuid::parse_str(&form.text("application_id")).ok();
    let yes = |name: &str| form.text(name) == "oui";
    let result = if action == "suite" {
        let input = FollowUpInput {
            application_id: app,
            follow_up: yes("suite"),
        };
        meetings::follow_up(&state.ctx, visitor.actor(), event, meeting, input)
            .await
            .map(drop)
    } else {
        let note = form.raw("note");
        let input = FeedbackInput {
            application_id: app,
            collaboration: yes("collaboration"),
            project: yes("projet"),
            help_offer: yes("aide"),
            note: (!note.trim().is_empty()).then_some(note),
        };
        meetings::answer_feedback(&state.ctx, visitor.actor(), event, meeting, input)
            .await
            .map(drop)
    };
    match result {
        Ok(()) => redirect(&format!(
            "{}?fait={action}#rencontre-{meeting}",
            participant_href(event)
        )),
        Err(e) => crate::error::from_service(e),
    }
}
