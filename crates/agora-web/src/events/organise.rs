//! Organising, signed in: the events where one sits on the committee (and the
//! invitations to join one), creating and editing an event, sending it to moderation,
//! the committee's members and invitations.

use super::{errors_of, from_paris, to_paris};
use crate::WebState;
use crate::fields::{Choice, ChoiceGroup, Errors, Input, escape};
use crate::form::FormData;
use crate::layout::Layout;
use crate::session::{self, Visitor, redirect};
use actix_web::http::StatusCode;
use actix_web::web;
use actix_web::{HttpRequest, HttpResponse};
use agora_domain::events::{EventKind, EventMode, EventRole};
use agora_service::ServiceError;
use agora_service::events::{
    self, CommitteeInvite, CommitteeSeatView, EventInput, EventView, SpeedSettings,
};
use askama::Template;
use chrono::{NaiveDate, NaiveTime};
use uuid::Uuid;

pub struct Line {
    pub event: EventView,
    pub when: String,
}

#[derive(Template)]
#[template(path = "events/mine.html")]
pub struct MinePage {
    pub layout: Layout,
    pub csrf: String,
    pub flash: Option<String>,
    pub may_organise: bool,
    pub invitations: Vec<Line>,
    pub seats: Vec<Line>,
}

fn flash_words(done: Option<String>) -> Option<String> {
    Some(
        match done?.as_str() {
            "cree" => "L'événement est enregistré comme brouillon. Complétez-le, invitez le comité, puis envoyez-le à l'équipe de modération.",
            "enregistre" => "Vos changements sont enregistrés.",
            "soumis" => "L'événement est envoyé à l'équipe de modération. Vous recevrez un courriel quand il sera publié.",
            "invite" => "Si cette adresse est celle d'un compte Agora, la personne reçoit une invitation par courriel ; elle apparaîtra ici quand elle l'aura acceptée.",
            "retire" => "La personne ne fait plus partie du comité.",
            "rejoint" => "Vous faites maintenant partie du comité d'organisation.",
            "decline" => "L'invitation est déclinée.",
            _ => return None,
        }
        .to_owned(),
    )
}

pub async fn mine(state: web::Data<WebState>, req: HttpRequest) -> HttpResponse {
    let visitor = match session::signed_in(&state, &req).await {
        Ok(v) => v,
        Err(response) => return response,
    };
    let (all, may) = match (
        events::mine(&state.ctx, visitor.actor()).await,
        events::may_organise(&state.ctx, visitor.actor()).await,
    ) {
        (Ok(all), Ok(may)) => (all, may),
        (Err(e), _) | (_, Err(e)) => return crate::error::from_service(e),
    };
    let (invitations, seats): (Vec<Line>, Vec<Line>) = all
        .into_iter()
        .map(|event| Line {
            when: super::when_words(&event),
            event,
        })
        .partition(|l| l.event.my_role == Some(EventRole::Invited));
    let page = MinePage {
        layout: visitor
            .menu(Layout::new(
                "Mes événements — Agora",
                "Les événements que vous organisez.",
            ))
            .section("espace")
            .crumb("Mon espace", Some("/espace".into()))
            .crumb("Mes événements", None),
        csrf: visitor.csrf().to_owned(),
        flash: flash_words(session::done(&req)),
        may_organise: may,
        invitations,
        seats,
    };
    session::page(StatusCode::OK, &page)
}

pub struct CommitteeBlock {
    pub chair: bool,
    pub seats: Vec<CommitteeSeatView>,
    pub invite: String,
}

#[derive(Template)]
#[template(path = "events/form.html")]
pub struct EventFormPage {
    pub layout: Layout,
    pub csrf: String,
    pub heading: String,
    pub flash: Option<String>,
    pub action: String,
    pub parts: Vec<String>,
    pub elsewhere: Vec<String>,
    pub has_errors: bool,
    pub submit_label: &'static str,
    pub event: Option<EventView>,
    pub committee: Option<CommitteeBlock>,
}

fn date_of(form: &FormData, name: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(&form.text(name), "%Y-%m-%d").ok()
}

fn time_of(form: &FormData, name: &str, default: &str) -> Option<NaiveTime> {
    let t = form.text(name);
    let t = if t.is_empty() { default.to_owned() } else { t };
    NaiveTime::parse_from_str(&t, "%H:%M").ok()
}

fn number_of(form: &FormData, name: &str, errors: &mut Errors, pointer: &str) -> i32 {
    let t = form.text(name);
    if t.is_empty() {
        return 0;
    }
    t.parse().unwrap_or_else(|_| {
        errors
            .0
            .push((pointer.into(), "Écrivez un nombre entier.".into()));
        0
    })
}

/// Reads the event form; what cannot be read at all is reported by field.
fn read(form: &FormData) -> Result<EventInput, Errors> {
    let mut errors = Errors::default();
    let mut when = |date: &str, time: &str, default: &str, pointer: &str| match (
        date_of(form, date),
        time_of(form, time, default),
    ) {
        (Some(d), Some(t)) => Some(from_paris(d, t)),
        _ => {
            errors.0.push((
                pointer.into(),
                "Choisissez une date (jour, mois, année) et une heure.".into(),
            ));
            None
        }
    };
    let starts = when("start_date", "start_time", "09:00", "/starts_at");
    let ends = when("end_date", "end_time", "18:00", "/ends_at");
    let close = if form.text("close_date").is_empty() {
        None
    } else {
        when(
            "close_date",
            "close_time",
            "23:59",
            "/applications_close_at",
        )
    };
    let rounds = number_of(form, "speed_rounds", &mut errors, "/speed_meetings/rounds");
    let minutes = number_of(
        form,
        "round_minutes",
        &mut errors,
        "/speed_meetings/round_minutes",
    );
    let tables = number_of(form, "tables", &mut errors, "/speed_meetings/tables");
    let speed_start = match (starts, form.text("speed_time").is_empty()) {
        (Some(s), false) => match time_of(form, "speed_time", "") {
            Some(t) => Some(from_paris(to_paris(s).date(), t)),
            None => {
                errors.0.push((
                    "/speed_meetings/starts_at".into(),
                    "Écrivez une heure, par exemple 14:00.".into(),
                ));
                None
            }
        },
        _ => None,
    };
    let kind = EventKind::parse(&form.text("kind"));
    let mode = EventMode::parse(&form.text("mode"));
    if kind.is_none() {
        errors
            .0
            .push(("/kind".into(), "Choisissez le type d'événement.".into()));
    }
    if mode.is_none() {
        errors
            .0
            .push(("/mode".into(), "Choisissez comment on y participe.".into()));
    }
    let (Some(starts), Some(ends), Some(kind), Some(mode), true) =
        (starts, ends, kind, mode, errors.0.is_empty())
    else {
        return Err(errors);
    };
    let opt = |name: &str| Some(form.text(name)).filter(|v| !v.is_empty());
    Ok(EventInput {
        kind,
        title: form.text("title"),
        summary: form.raw("summary"),
        charter_version: form.text("charter_version"),
        starts_at: starts,
        ends_at: ends,
        region: opt("region"),
        mode,
        venue: opt("venue"),
        commune_code: opt("commune_code"),
        orientations: form
            .raw("orientations")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect(),
        applications_close_at: close,
        speed_meetings: (rounds > 0 || tables > 0).then_some(SpeedSettings {
            rounds,
            round_minutes: if minutes == 0 { 7 } else { minutes },
            tables,
            starts_at: speed_start,
        }),
    })
}

/// The form's fields as an event fills them.
fn values_of(e: &EventView) -> FormData {
    let (start, end) = (to_paris(e.starts_at), to_paris(e.ends_at));
    let mut pairs = vec![
        ("kind", e.kind.as_str().to_owned()),
        ("title", e.title.clone()),
        ("summary", e.summary.clone()),
        ("charter_version", e.charter_version.clone()),
        ("start_date", start.format("%Y-%m-%d").to_string()),
        ("start_time", start.format("%H:%M").to_string()),
        ("end_date", end.format("%Y-%m-%d").to_string()),
        ("end_time", end.format("%H:%M").to_string()),
        ("region", e.region.clone().unwrap_or_default()),
        ("mode", e.mode.as_str().to_owned()),
        ("venue", e.venue.clone().unwrap_or_default()),
        ("commune_code", e.commune_code.clone().unwrap_or_default()),
        ("orientations", e.orientations.join("\n")),
    ];
    if let Some(c) = e.applications_close_at.map(to_paris) {
        pairs.push(("close_date", c.format("%Y-%m-%d").to_string()));
        pairs.push(("close_time", c.format("%H:%M").to_string()));
    }
    if let Some(s) = &e.speed_meetings {
        pairs.push(("speed_rounds", s.rounds.to_string()));
        pairs.push(("round_minutes", s.round_minutes.to_string()));
        pairs.push(("tables", s.tables.to_string()));
        if let Some(at) = s.starts_at.map(to_paris) {
            pairs.push(("speed_time", at.format("%H:%M").to_string()));
        }
    }
    FormData::from_pairs(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
}

fn radio(
    name: &str,
    legend: &str,
    options: Vec<(String, String)>,
    chosen: &str,
    error: Option<String>,
) -> String {
    ChoiceGroup {
        name: name.into(),
        legend: legend.into(),
        groups: vec![(
            String::new(),
            options
                .into_iter()
                .map(|(value, label)| Choice {
                    checked: value == chosen,
                    value,
                    label,
                })
                .collect(),
        )],
        radio: true,
        error,
        ..ChoiceGroup::default()
    }
    .render_html()
}

fn region_select(chosen: &str, error: Option<String>) -> String {
    let mut html = String::from(
        "<div class=\"fr-select-group\"><label class=\"fr-label\" for=\"f-region\">Région<span class=\"fr-hint-text\">Laissez « Toute la France » pour un événement national.</span></label><select class=\"fr-select\" id=\"f-region\" name=\"region\"><option value=\"\">Toute la France</option>",
    );
    for r in agora_geo::regions() {
        html.push_str(&format!(
            "<option value=\"{}\"{}>{}</option>",
            r.code,
            if r.code == chosen { " selected" } else { "" },
            escape(r.name)
        ));
    }
    html.push_str("</select>");
    if let Some(e) = error {
        html.push_str(&format!("<p class=\"fr-error-text\">{}</p>", escape(&e)));
    }
    html.push_str("</div>");
    html
}

const SHOWN: &[&str] = &[
    "/kind",
    "/title",
    "/summary",
    "/charter_version",
    "/starts_at",
    "/ends_at",
    "/region",
    "/mode",
    "/venue",
    "/commune_code",
    "/orientations",
    "/applications_close_at",
    "/speed_meetings",
];

fn parts(v: &FormData, errors: &Errors) -> Vec<String> {
    let text = |name: &str, label: &str, kind: &'static str, pointer: &str, max: usize| {
        Input::new(name, label, kind)
            .value(if kind == "textarea" {
                v.raw(name)
            } else {
                v.text(name)
            })
            .max(max)
            .error(errors.at(pointer))
    };
    vec![
        radio(
            "kind",
            "Type d'événement",
            EventKind::ALL
                .iter()
                .map(|k| (k.as_str().to_owned(), k.label().to_owned()))
                .collect(),
            &v.text("kind"),
            errors.at("/kind"),
        ),
        text("title", "Titre", "text", "/title", 200)
            .required()
            .render_html(),
        text("summary", "Présentation", "textarea", "/summary", 5000)
            .hint(
                "À quoi sert l'événement, pour qui, comment il se déroule (10 à 5 000 caractères).",
            )
            .required()
            .render_html(),
        text(
            "charter_version",
            "Version de la charte signée par les participants",
            "text",
            "/charter_version",
            20,
        )
        .hint("Par exemple 2024.")
        .required()
        .render_html(),
        text("start_date", "Jour du début", "date", "/starts_at", 0)
            .required()
            .render_html(),
        text("start_time", "Heure du début", "time", "/starts_at-time", 0)
            .hint("Heure de Paris.")
            .render_html(),
        text("end_date", "Jour de la fin", "date", "/ends_at", 0)
            .required()
            .render_html(),
        text("end_time", "Heure de la fin", "time", "/ends_at-time", 0)
            .hint("Heure de Paris.")
            .render_html(),
        region_select(&v.text("region"), errors.at("/region")),
        radio(
            "mode",
            "Comment y participer",
            EventMode::ALL
                .iter()
                .map(|m| (m.as_str().to_owned(), m.label().to_owned()))
                .collect(),
            &v.text("mode"),
            errors.at("/mode"),
        ),
        text("venue", "Lieu", "text", "/venue", 200)
            .hint("Le nom du lieu, obligatoire sur place.")
            .render_html(),
        text(
            "commune_code",
            "Code INSEE de la commune du lieu",
            "text",
            "/commune_code",
            5,
        )
        .hint("5 caractères, par exemple 75056 pour Paris, 25056 pour Besançon.")
        .render_html(),
        text(
            "orientations",
            "Orientations fixées par le collectif",
            "textarea",
            "/orientations",
            4000,
        )
        .hint("Une par ligne, 12 au plus.")
        .render_html(),
        text(
            "close_date",
            "Fin des candidatures (jour)",
            "date",
            "/applications_close_at",
            0,
        )
        .hint("Facultatif : sans date, les candidatures ferment au début de l'événement.")
        .render_html(),
        text(
            "speed_rounds",
            "Rencontres express : nombre de tours",
            "number",
            "/speed_meetings/rounds",
            2,
        )
        .hint("Laissez vide s'il n'y en a pas.")
        .render_html(),
        text(
            "round_minutes",
            "Minutes par tour",
            "number",
            "/speed_meetings/round_minutes",
            2,
        )
        .hint("7 par défaut.")
        .render_html(),
        text(
            "tables",
            "Nombre de tables",
            "number",
            "/speed_meetings/tables",
            3,
        )
        .render_html(),
        text(
            "speed_time",
            "Heure du premier tour",
            "time",
            "/speed_meetings/starts_at",
            0,
        )
        .hint("Le premier jour, heure de Paris.")
        .render_html(),
    ]
}

fn render_form(
    visitor: &Visitor,
    event: Option<EventView>,
    committee: Option<CommitteeBlock>,
    values: &FormData,
    errors: &Errors,
    flash: Option<String>,
    status: StatusCode,
) -> HttpResponse {
    let (heading, action, crumb) = match &event {
        Some(e) => (
            format!("Modifier « {} »", e.title),
            format!("/espace/evenements/{}/modifier", e.id),
            e.title.clone(),
        ),
        None => (
            "Créer un événement".to_owned(),
            "/espace/evenements/nouveau".to_owned(),
            "Créer un événement".to_owned(),
        ),
    };
    let page = EventFormPage {
        layout: visitor
            .menu(Layout::new(format!("{heading} — Agora"), heading.clone()))
            .section("espace")
            .crumb("Mon espace", Some("/espace".into()))
            .crumb("Mes événements", Some("/espace/evenements".into()))
            .crumb(crumb, None),
        csrf: visitor.csrf().to_owned(),
        heading,
        flash,
        action,
        parts: parts(values, errors),
        elsewhere: errors.elsewhere(SHOWN),
        has_errors: !errors.0.is_empty(),
        submit_label: if event.is_some() {
            "Enregistrer"
        } else {
            "Créer le brouillon"
        },
        event,
        committee,
    };
    session::page(status, &page)
}

pub async fn new_form(state: web::Data<WebState>, req: HttpRequest) -> HttpResponse {
    let visitor = match session::signed_in(&state, &req).await {
        Ok(v) => v,
        Err(response) => return response,
    };
    match events::may_organise(&state.ctx, visitor.actor()).await {
        Ok(true) => {}
        Ok(false) => return session::forbidden(),
        Err(e) => return crate::error::from_service(e),
    }
    let defaults = FormData::from_pairs(vec![
        ("kind".into(), "regional_edition".into()),
        ("mode".into(), "on_site".into()),
        ("charter_version".into(), "2024".into()),
    ]);
    render_form(
        &visitor,
        None,
        None,
        &defaults,
        &Errors::default(),
        None,
        StatusCode::OK,
    )
}

pub async fn create(state: web::Data<WebState>, req: HttpRequest, form: FormData) -> HttpResponse {
    let visitor = match session::posting(&state, &req, &form).await {
        Ok(v) => v,
        Err(response) => return response,
    };
    let input = match read(&form) {
        Ok(i) => i,
        Err(errors) => {
            return render_form(
                &visitor,
                None,
                None,
                &form,
                &errors,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    match events::create(&state.ctx, visitor.actor(), input).await {
        Ok(e) => redirect(&format!("/espace/evenements/{}/modifier?fait=cree", e.id)),
        Err(ServiceError::Validation(e) | ServiceError::Malformed(e)) => render_form(
            &visitor,
            None,
            None,
            &form,
            &errors_of(&e),
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(e) => crate::error::from_service(e),
    }
}

/// The event and its committee, for its committee's pages.
async fn for_committee(
    state: &WebState,
    visitor: &Visitor,
    id: Uuid,
) -> Result<(EventView, CommitteeBlock), HttpResponse> {
    let event = events::get(&state.ctx, visitor.actor(), id)
        .await
        .map_err(crate::error::from_service)?;
    let seats = events::committee(&state.ctx, visitor.actor(), id)
        .await
        .map_err(crate::error::from_service)?;
    let block = CommitteeBlock {
        chair: event.my_role == Some(EventRole::Chair),
        seats,
        invite: Input::new("email", "Adresse du compte à inviter", "email")
            .hint("La personne doit avoir un compte Agora ; elle rejoint le comité quand elle accepte.")
            .render_html(),
    };
    Ok((event, block))
}

pub async fn edit_form(
    state: web::Data<WebState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> HttpResponse {
    let Ok(id) = Uuid::parse_str(&path) else {
        return crate::error::not_found_page(&req);
    };
    let visitor = match session::signed_in(&state, &req).await {
        Ok(v) => v,
        Err(response) => return response,
    };
    let (event, block) = match for_committee(&state, &visitor, id).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let values = values_of(&event);
    render_form(
        &visitor,
        Some(event),
        Some(block),
        &values,
        &Errors::default(),
        flash_words(session::done(&req)),
        StatusCode::OK,
    )
}

pub async fn update(
    state: web::Data<WebState>,
    req: HttpRequest,
    path: web::Path<String>,
    form: FormData,
) -> HttpResponse {
    let (visitor, id) = match session::posting_about(&state, &req, &form, &path).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let (event, block) = match for_committee(&state, &visitor, id).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let failed = |errors: &Errors| {
        render_form(
            &visitor,
            Some(event.clone()),
            Some(CommitteeBlock {
                chair: block.chair,
                seats: block.seats.clone(),
                invite: block.invite.clone(),
            }),
            &form,
            errors,
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    let input = match read(&form) {
        Ok(i) => i,
        Err(errors) => return failed(&errors),
    };
    let patch = match serde_json::to_value(&input) {
        Ok(serde_json::Value::Object(m)) => m,
        _ => return crate::error::from_service(ServiceError::Internal("event form".into())),
    };
    match events::update(&state.ctx, visitor.actor(), id, patch).await {
        Ok(_) => redirect(&format!("/espace/evenements/{id}/modifier?fait=enregistre")),
        Err(ServiceError::Validation(e) | ServiceError::Malformed(e)) => failed(&errors_of(&e)),
        Err(e) => crate::error::from_service(e),
    }
}

pub async fn submit(
    state: web::Data<WebState>,
    req: HttpRequest,
    path: web::Path<String>,
    form: FormData,
) -> HttpResponse {
    let (visitor, id) = match session::posting_about(&state, &req, &form, &path).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    match events::submit(&state.ctx, visitor.actor(), id).await {
        Ok(_) => redirect(&format!("/espace/evenements/{id}/modifier?fait=soumis")),
        Err(e) => crate::error::from_service(e),
    }
}

pub async fn committee_invite(
    state: web::Data<WebState>,
    req: HttpRequest,
    path: web::Path<String>,
    form: FormData,
) -> HttpResponse {
    let (visitor, id) = match session::posting_about(&state, &req, &form, &path).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let input = CommitteeInvite {
        email: form.text("email"),
    };
    match events::invite(&state.ctx, visitor.actor(), id, input).await {
        Ok(_) => redirect(&format!("/espace/evenements/{id}/modifier?fait=invite#comite")),
        Err(ServiceError::Validation(_)) => crate::error::page(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Adresse à corriger",
            vec!["Écrivez une adresse e-mail complète, par exemple nom@exemple.fr, puis recommencez depuis la page de l'événement.".into()],
        ),
        Err(e) => crate::error::from_service(e),
    }
}

pub async fn committee_remove(
    state: web::Data<WebState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    form: FormData,
) -> HttpResponse {
    let (id, user) = path.into_inner();
    let (visitor, id) = match session::posting_about(&state, &req, &form, &id).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let Ok(user) = Uuid::parse_str(&user) else {
        return crate::error::not_found_page(&req);
    };
    match events::remove_member(&state.ctx, visitor.actor(), id, user).await {
        Ok(()) => redirect(&format!(
            "/espace/evenements/{id}/modifier?fait=retire#comite"
        )),
        Err(e) => crate::error::from_service(e),
    }
}

pub async fn answer_invitation(
    state: web::Data<WebState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    form: FormData,
) -> HttpResponse {
    let (id, word) = path.into_inner();
    let Some(accept) = session::accepts(&word) else {
        return crate::error::not_found_page(&req);
    };
    let (visitor, id) = match session::posting_about(&state, &req, &form, &id).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    match events::answer_invitation(&state.ctx, visitor.actor(), id, accept).await {
        Ok(_) if accept => redirect("/espace/evenements?fait=rejoint"),
        Ok(_) => redirect("/espace/evenements?fait=decline"),
        Err(e) => crate::error::from_service(e),
    }
}
