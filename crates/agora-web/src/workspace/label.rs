//! The label in a structure's workspace: the charter to sign, what the committee needs
//! (category, governance, solution, contributors, supporting pieces), where the
//! application stands, what the moderators asked for, the decision and its reasons. The
//! application goes through `label::create`, `update` and `submit`, as on the API.

use crate::WebState;
use crate::fields::{Choice, ChoiceGroup, Errors, Input};
use crate::form::FormData;
use crate::format::date;
use crate::session::{self, redirect};
use actix_web::web;
use actix_web::{HttpRequest, HttpResponse};
use agora_domain::ListingKind;
use agora_domain::label::{ApplicationContent, ApplicationState};
use agora_service::label::{self, ApplicationView, CharterView};
use agora_service::{Actor, Context, Result, ServiceError};
use serde_json::{Map, Value, json};
use uuid::Uuid;

/// Supporting pieces one form shows at least, and at most.
const PIECES: usize = 3;
const MAX_PIECES: usize = 20;

pub struct LabelSection {
    pub state: &'static str,
    pub notes: Vec<String>,
    pub editable: bool,
    pub commitments: Vec<String>,
    pub charter_version: String,
    pub parts: Vec<String>,
    /// A draft exists (or the form came back with errors): shown unfolded.
    pub open: bool,
    pub started: bool,
}

/// A category of the charter by its words (its slug when unknown).
pub fn category_words(charter: &CharterView, slug: Option<&str>) -> String {
    let slug = slug.unwrap_or_default();
    charter
        .categories
        .iter()
        .find(|c| c.slug == slug)
        .map_or_else(|| slug.to_owned(), |c| c.label.clone())
}

fn state_words(s: ApplicationState) -> &'static str {
    match s {
        ApplicationState::Draft => "brouillon, pas encore envoyé",
        ApplicationState::Submitted => "envoyé : l'équipe de modération vérifie qu'il est complet",
        ApplicationState::Incomplete => "incomplet : des pièces sont demandées",
        ApplicationState::InReview => "entre les mains du comité",
        ApplicationState::Granted => "label accordé",
        ApplicationState::Refused => "label refusé",
        _ => "clos",
    }
}

fn fields_of(app: Option<&ApplicationView>) -> FormData {
    let mut out = Vec::new();
    let Some(app) = app else {
        return FormData::default();
    };
    let c = serde_json::to_value(&app.content).unwrap_or(Value::Null);
    for key in [
        "category",
        "registration_number",
        "governance",
        "solution",
        "contributors",
    ] {
        if let Some(v) = c.get(key).and_then(Value::as_str) {
            out.push((key.to_owned(), v.to_owned()));
        }
    }
    if let Some(sig) = &app.content.charter {
        out.push(("charter".into(), "oui".into()));
        out.push(("signed_by".into(), sig.signed_by.clone()));
    }
    for (i, d) in app.content.documents.iter().enumerate().take(MAX_PIECES) {
        out.push((format!("doc{i}.title"), d.title.clone()));
        out.push((format!("doc{i}.url"), d.url.clone().unwrap_or_default()));
    }
    FormData::from_pairs(out)
}

/// The section of a structure's workspace page (`None` for someone who may not see it).
pub async fn section(
    ctx: &Context,
    actor: &Actor,
    structure: Uuid,
    failed: Option<(&FormData, &Errors)>,
    owner: bool,
) -> Result<LabelSection> {
    let apps = label::of_structure(ctx, actor, structure).await?;
    let latest = apps.first();
    let charter = label::charter(ctx);
    // Only owners apply (the service says so too); other members see where it stands.
    let editable = owner
        && latest.is_none_or(|a| {
            a.state.is_editable()
                || matches!(
                    a.state,
                    ApplicationState::Granted | ApplicationState::Refused
                )
        });
    let mut notes = Vec::new();
    if let Some(a) = latest {
        if let Some(m) = &a.missing {
            notes.push(format!("Pièces demandées par la modération : {m}"));
        }
        if let Some(r) = &a.reasons {
            notes.push(format!("Motifs de la décision : {r}"));
        }
        if let Some(e) = &a.expires_at {
            notes.push(format!("Le label vaut jusqu'au {}.", date(e)));
        }
    }
    let stored = fields_of(latest.filter(|a| a.state.is_editable()));
    let (values, errors) = match failed {
        Some((f, e)) => (f.clone(), e.clone()),
        None => (stored, Errors::default()),
    };
    let text = |name: &str, label: &str, hint: &str| {
        Input::new(name, label, "textarea")
            .hint(hint)
            .value(values.raw(name))
            .max(5000)
            .error(errors.at(&format!("/{name}")))
            .render_html()
    };
    let mut parts = vec![
        ChoiceGroup {
            name: "category".into(),
            legend: "Catégorie".into(),
            groups: vec![(
                String::new(),
                charter
                    .categories
                    .iter()
                    .map(|c| Choice {
                        value: c.slug.clone(),
                        label: c.label.clone(),
                        checked: values.text("category") == c.slug,
                    })
                    .collect(),
            )],
            radio: true,
            error: errors.at("/category"),
            ..ChoiceGroup::default()
        }
        .render_html(),
        Input::new("registration_number", "Numéro RNA ou SIREN", "text")
            .value(values.text("registration_number"))
            .error(errors.at("/registration_number"))
            .render_html(),
        text(
            "governance",
            "Gouvernance",
            "Vos instances, comment les décisions sont prises (20 caractères au moins).",
        ),
        text(
            "solution",
            "La solution proposée",
            "Ce que vous faites pour les personnes, où, pour qui.",
        ),
        text(
            "contributors",
            "Qui y contribue",
            "Bénévoles, salariés, personnes concernées.",
        ),
    ];
    let filled = (0..MAX_PIECES)
        .filter(|i| !values.text(&format!("doc{i}.title")).is_empty())
        .count();
    for i in 0..(filled + 1).clamp(PIECES, MAX_PIECES) {
        parts.push(format!("<h4 class=\"fr-h6\">Pièce {}</h4>", i + 1));
        parts.push(
            Input::new(&format!("doc{i}.title"), "Titre de la pièce", "text")
                .value(values.text(&format!("doc{i}.title")))
                .error(errors.at(&format!("/documents/{i}")))
                .render_html(),
        );
        parts.push(
            Input::new(&format!("doc{i}.url"), "Adresse web de la pièce", "url")
                .hint("Statuts, rapport d'activité… en ligne, commençant par https://")
                .value(values.text(&format!("doc{i}.url")))
                .render_html(),
        );
    }
    parts.push(
        ChoiceGroup {
            name: "charter".into(),
            legend: format!("Charte (version {})", charter.version),
            groups: vec![(
                String::new(),
                vec![Choice {
                    value: "oui".into(),
                    label: "Nous nous engageons à respecter la charte ci-dessus.".into(),
                    checked: values.text("charter") == "oui",
                }],
            )],
            error: errors.at("/charter"),
            ..ChoiceGroup::default()
        }
        .render_html(),
    );
    parts.push(
        Input::new("signed_by", "Signée par (nom et fonction)", "text")
            .hint("Par exemple : Claire Martin, présidente.")
            .value(values.text("signed_by"))
            .render_html(),
    );
    Ok(LabelSection {
        state: latest.map_or("aucune demande pour l'instant", |a| state_words(a.state)),
        notes,
        editable,
        commitments: charter.commitments.clone(),
        charter_version: charter.version.clone(),
        parts,
        open: failed.is_some() || latest.is_some_and(|a| a.state.is_editable()),
        started: latest.is_some_and(|a| a.state.is_editable()),
    })
}

fn content_of(
    form: &FormData,
    charter: &CharterView,
    today: chrono::NaiveDate,
    signed: Option<&agora_domain::label::CharterSignature>,
) -> Map<String, Value> {
    let opt = |name: &str| {
        let v = form.raw(name);
        if v.trim().is_empty() {
            Value::Null
        } else {
            Value::String(v.trim().to_owned())
        }
    };
    let documents: Vec<Value> = (0..MAX_PIECES)
        .filter(|i| {
            !form.text(&format!("doc{i}.title")).is_empty()
                || !form.text(&format!("doc{i}.url")).is_empty()
        })
        .map(|i| {
            let mut d = json!({ "title": form.text(&format!("doc{i}.title")) });
            if !form.text(&format!("doc{i}.url")).is_empty() {
                d["url"] = Value::String(form.text(&format!("doc{i}.url")));
            }
            d
        })
        .collect();
    let charter = if form.text("charter") == "oui" {
        // Signed again only when who signed, or the charter, changed.
        let signed_on = signed
            .filter(|s| s.version == charter.version && s.signed_by == form.text("signed_by"))
            .map_or(today, |s| s.signed_on);
        json!({"version": charter.version, "signed_by": form.text("signed_by"), "signed_on": signed_on.to_string()})
    } else {
        Value::Null
    };
    let doc = json!({
        "category": opt("category"),
        "registration_number": opt("registration_number"),
        "governance": opt("governance"),
        "solution": opt("solution"),
        "contributors": opt("contributors"),
        "documents": documents,
        "charter": charter,
    });
    doc.as_object().cloned().unwrap_or_default()
}

/// Saves the application (a new one, or the draft), and sends it when asked.
pub async fn apply(
    state: web::Data<WebState>,
    req: HttpRequest,
    path: web::Path<String>,
    form: FormData,
) -> HttpResponse {
    let Ok(structure) = Uuid::parse_str(&path) else {
        return crate::error::not_found_page(&req);
    };
    let visitor = match session::posting(&state, &req, &form).await {
        Ok(v) => v,
        Err(response) => return response,
    };
    let ctx = &state.ctx;
    let charter = label::charter(ctx);
    let saved = async {
        let apps = label::of_structure(ctx, visitor.actor(), structure).await?;
        let signed = apps
            .first()
            .filter(|a| a.state.is_editable())
            .and_then(|a| a.content.charter.as_ref());
        let patch = content_of(&form, &charter, ctx.now().date_naive(), signed);
        let app = match apps.first().filter(|a| a.state.is_editable()) {
            Some(a) => label::update(ctx, visitor.actor(), a.id, patch).await?,
            None => {
                let mut doc = patch;
                doc.retain(|_, v| !v.is_null());
                let content: ApplicationContent = serde_json::from_value(Value::Object(doc))
                    .map_err(|e| {
                        ServiceError::Malformed(agora_domain::ValidationErrors::single(
                            "/charter",
                            "invalid",
                            e.to_string(),
                        ))
                    })?;
                label::create(ctx, visitor.actor(), structure, content).await?
            }
        };
        if form.text("then") == "submit" {
            label::submit(ctx, visitor.actor(), app.id).await?;
        }
        Ok::<_, ServiceError>(())
    }
    .await;
    match saved {
        Ok(()) => redirect(&format!("/espace/structures/{structure}?fait=label#label")),
        Err(ServiceError::Validation(e) | ServiceError::Malformed(e)) => {
            let errors = Errors::from_validation(&e);
            super::listing_page::render(
                &state,
                &visitor,
                ListingKind::Structure,
                structure,
                None,
                Some(("label", &form, &errors)),
            )
            .await
        }
        Err(e) => crate::error::from_service(e),
    }
}
