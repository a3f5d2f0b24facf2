//! Applying to take part: an owner or editor of a published structure applies for it, with
//! the structure's own published projects it brings, the skills it offers and looks for,
//! its themes, and the event's charter signed. One application per structure and event:
//! sending again updates a pending one. The structure's members read it and may withdraw it.

use super::{
    EventApplicationView, Party, addressees, application_view, applications_open, audit_entry,
    committee_addressees, load, load_application,
};
use crate::access::standing;
use crate::mail;
use crate::{Actor, Context, Result, ServiceError};
use agora_domain::events::ParticipationState;
use agora_domain::validation::Validator;
use agora_domain::{ListingKind, VocabularyKind};
use agora_mail::messages::events as messages;
use agora_store::audit;
use agora_store::events::{self as store, ApplicationRecord};
use agora_store::{listings, memberships};
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EventApplicationInput {
    /// The published structure applying (the caller is one of its owners or editors).
    pub structure_id: Uuid,
    /// The structure's own published projects it brings (at most 10).
    #[serde(default)]
    pub project_ids: Vec<Uuid>,
    /// Skills it offers, from the `skill` vocabulary (at most 15).
    #[serde(default)]
    pub offers: Vec<String>,
    /// Skills it looks for, from the `skill` vocabulary (at most 15).
    #[serde(default)]
    pub needs: Vec<String>,
    /// Its themes, from the `theme` vocabulary (at most 10).
    #[serde(default)]
    pub themes: Vec<String>,
    /// The INSEE code of the région it acts in; absent when national.
    #[serde(default)]
    pub region: Option<String>,
    /// A word for the committee (10–2000 characters).
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub message: String,
    /// The charter signed: must be the event's version.
    #[cfg_attr(feature = "openapi", schema(max_length = 20))]
    pub charter_version: String,
    /// Whether the structure may be named in the public list of participants.
    #[serde(default)]
    pub public_consent: bool,
}

fn terms(
    ctx: &Context,
    kind: VocabularyKind,
    list: &mut Vec<String>,
    pointer: &str,
    max: usize,
    v: &mut Validator,
) {
    let mut seen = std::collections::HashSet::new();
    list.retain(|t| seen.insert(t.clone()));
    v.check(
        list.len() <= max,
        pointer,
        "too_many",
        format!("at most {max}"),
    );
    for (i, t) in list.iter().enumerate() {
        v.check(
            ctx.vocab.contains(kind, t),
            &format!("{pointer}/{i}"),
            "unknown_term",
            format!(
                "not in the {} vocabulary (see /api/v1/vocabularies)",
                kind.as_str()
            ),
        );
    }
}

/// Checks what does not need the database.
fn validate(ctx: &Context, input: &mut EventApplicationInput, v: &mut Validator) {
    let mut seen = std::collections::HashSet::new();
    input.project_ids.retain(|p| seen.insert(*p));
    v.check(
        input.project_ids.len() <= 10,
        "/project_ids",
        "too_many",
        "at most 10",
    );
    terms(
        ctx,
        VocabularyKind::Skill,
        &mut input.offers,
        "/offers",
        15,
        v,
    );
    terms(
        ctx,
        VocabularyKind::Skill,
        &mut input.needs,
        "/needs",
        15,
        v,
    );
    terms(
        ctx,
        VocabularyKind::Theme,
        &mut input.themes,
        "/themes",
        10,
        v,
    );
    if let Some(r) = &input.region {
        v.check(
            agora_geo::region(r).is_some(),
            "/region",
            "unknown_code",
            "not an INSEE région code (see /api/v1/geo/regions)",
        );
    }
    v.text("/message", &mut input.message, 10, 2000);
    v.text("/charter_version", &mut input.charter_version, 1, 20);
}

/// Applies for a structure, or changes its pending application (`true` when new).
pub async fn apply(
    ctx: &Context,
    actor: &Actor,
    event_id: Uuid,
    input: EventApplicationInput,
) -> Result<(EventApplicationView, bool)> {
    let user = actor.require_user()?;
    let mut input = input;
    let mut v = Validator::new();
    validate(ctx, &mut input, &mut v);
    let now = ctx.now();
    let txn = ctx.begin().await?;
    let (event, _) = load(&txn, actor, event_id).await?;
    let structure = listings::get(&txn, ListingKind::Structure, input.structure_id)
        .await?
        .ok_or(ServiceError::NotFound("structure"))?;
    let st = standing(&txn, actor, input.structure_id).await?;
    if !st.is_member() {
        return Err(if structure.is_listed() {
            ServiceError::Forbidden("only the structure's owners and editors apply for it")
        } else {
            ServiceError::NotFound("structure")
        });
    }
    if !structure.is_listed() {
        return Err(ServiceError::Conflict(
            "the structure must be published before it applies".into(),
        ));
    }
    if !applications_open(&event, now) {
        return Err(ServiceError::Conflict(
            "this event does not take applications now".into(),
        ));
    }
    v.check(
        input.charter_version == event.charter_version,
        "/charter_version",
        "charter_mismatch",
        format!(
            "sign the event's charter, version {}",
            event.charter_version
        ),
    );
    let projects = listings::by_ids(&txn, ListingKind::Project, input.project_ids.clone()).await?;
    for (i, id) in input.project_ids.iter().enumerate() {
        let own = projects
            .iter()
            .any(|p| p.id == *id && p.structure_id == input.structure_id && p.is_listed());
        v.check(
            own,
            &format!("/project_ids/{i}"),
            "not_your_project",
            "one of the structure's own published projects",
        );
    }
    v.finish()?;
    let existing = store::application_of_structure(&txn, event_id, input.structure_id).await?;
    let (record, created) = match existing {
        Some(a) if a.state != ParticipationState::Pending => {
            return Err(ServiceError::Conflict(format!(
                "this structure's application is {} already",
                a.state.as_str()
            )));
        }
        Some(mut a) => {
            fill(&mut a, input, user.id, now);
            if !store::save_application_if(&txn, &a, ParticipationState::Pending).await? {
                return Err(ServiceError::StaleVersion);
            }
            (a, false)
        }
        None => {
            let mut a = ApplicationRecord {
                id: Uuid::now_v7(),
                event_id,
                structure_id: input.structure_id,
                applicant_id: user.id,
                project_ids: Vec::new(),
                offers: Vec::new(),
                needs: Vec::new(),
                themes: Vec::new(),
                region: None,
                message: String::new(),
                charter_version: String::new(),
                charter_signed_at: now,
                public_consent: false,
                state: ParticipationState::Pending,
                decision_reason: None,
                decided_by: None,
                decided_at: None,
                unavailable_rounds: Vec::new(),
                created_at: now,
                updated_at: now,
            };
            fill(&mut a, input, user.id, now);
            store::insert_application(&txn, &a).await?;
            (a, true)
        }
    };
    audit::append(
        &txn,
        audit_entry(
            now,
            Some(user.id),
            if created {
                "event_application_created"
            } else {
                "event_application_updated"
            },
            event_id,
            json!({"application": record.id, "structure": record.structure_id}),
        ),
    )
    .await?;
    if created {
        let mine = mail::site_url(ctx, "/espace/candidatures");
        mail::enqueue_all(
            &txn,
            ctx,
            &addressees(&txn, vec![user.id]).await?,
            &messages::application_received(&event.title, &structure.name, &mine),
        )
        .await?;
        let review = mail::site_url(ctx, &format!("/espace/evenements/{event_id}/candidatures"));
        mail::enqueue_all(
            &txn,
            ctx,
            &committee_addressees(&txn, event_id).await?,
            &messages::application_to_committee(&event.title, &structure.name, &review),
        )
        .await?;
    }
    txn.commit().await?;
    ctx.mail_queued.notify_one();
    Ok((
        application_view(&ctx.db, &event, &record, false).await?,
        created,
    ))
}

fn fill(
    a: &mut ApplicationRecord,
    input: EventApplicationInput,
    user: Uuid,
    now: chrono::DateTime<chrono::Utc>,
) {
    a.applicant_id = user;
    a.project_ids = input.project_ids;
    a.offers = input.offers;
    a.needs = input.needs;
    a.themes = input.themes;
    a.region = input.region;
    a.message = input.message;
    a.charter_version = input.charter_version;
    a.charter_signed_at = now;
    a.public_consent = input.public_consent;
    a.updated_at = now;
}

/// One application: its committee, the applying structure's members and moderators.
pub async fn get_application(
    ctx: &Context,
    actor: &Actor,
    event_id: Uuid,
    application_id: Uuid,
) -> Result<EventApplicationView> {
    let (event, app, party) = load_application(&ctx.db, actor, event_id, application_id).await?;
    application_view(&ctx.db, &event, &app, party != Party::Applicant).await
}

/// The applying structure's members take the application back (pending or accepted).
pub async fn withdraw(
    ctx: &Context,
    actor: &Actor,
    event_id: Uuid,
    application_id: Uuid,
) -> Result<EventApplicationView> {
    let now = ctx.now();
    let txn = ctx.begin().await?;
    let (event, mut app, party) = load_application(&txn, actor, event_id, application_id).await?;
    if party != Party::Applicant {
        return Err(ServiceError::Forbidden(
            "only the applying structure's members withdraw it",
        ));
    }
    if !app.state.can_withdraw() {
        return Err(ServiceError::Conflict(format!(
            "this application is {} already",
            app.state.as_str()
        )));
    }
    let expected = app.state;
    app.state = ParticipationState::Withdrawn;
    app.updated_at = now;
    if !store::save_application_if(&txn, &app, expected).await? {
        return Err(ServiceError::StaleVersion);
    }
    let me = actor.require_user()?.id;
    audit::append(
        &txn,
        audit_entry(
            now,
            Some(me),
            "event_application_withdrawn",
            event_id,
            json!({"application": app.id, "structure": app.structure_id}),
        ),
    )
    .await?;
    let name = listings::get(&txn, ListingKind::Structure, app.structure_id)
        .await?
        .map(|s| s.name)
        .unwrap_or_default();
    mail::enqueue_all(
        &txn,
        ctx,
        &committee_addressees(&txn, event_id).await?,
        &messages::application_withdrawn(
            &event.title,
            &name,
            &mail::site_url(ctx, &format!("/espace/evenements/{event_id}/candidatures")),
        ),
    )
    .await?;
    txn.commit().await?;
    ctx.mail_queued.notify_one();
    application_view(&ctx.db, &event, &app, false).await
}

/// The applications of the structures the caller belongs to, newest first.
pub async fn my_applications(ctx: &Context, actor: &Actor) -> Result<Vec<EventApplicationView>> {
    let user = actor.require_user()?;
    let ids = memberships::of_user(&ctx.db, user.id)
        .await?
        .into_iter()
        .map(|m| m.structure_id)
        .collect();
    let mut out = Vec::new();
    for app in store::applications_of_structures(&ctx.db, ids).await? {
        if let Some(event) = store::get_event(&ctx.db, app.event_id).await? {
            out.push(application_view(&ctx.db, &event, &app, false).await?);
        }
    }
    Ok(out)
}

/// A structure the caller may apply for, with its published projects.
#[derive(Debug, Clone, PartialEq)]
pub struct ApplyingStructure {
    pub structure: crate::views::StructureRef,
    pub projects: Vec<crate::help::ProjectRef>,
}

/// The published structures the caller belongs to, with their published projects: what
/// an application form offers to choose from.
pub async fn structures_to_apply_for(
    ctx: &Context,
    actor: &Actor,
) -> Result<Vec<ApplyingStructure>> {
    let user = actor.require_user()?;
    let ids = memberships::of_user(&ctx.db, user.id)
        .await?
        .into_iter()
        .map(|m| m.structure_id)
        .collect();
    let mut out = Vec::new();
    for s in listings::by_ids(&ctx.db, ListingKind::Structure, ids).await? {
        if !s.is_listed() {
            continue;
        }
        let projects = listings::of_structure(&ctx.db, ListingKind::Project, s.id)
            .await?
            .into_iter()
            .filter(|p| p.is_listed())
            .map(|p| crate::help::ProjectRef {
                id: p.id,
                title: p.name,
            })
            .collect();
        out.push(ApplyingStructure {
            structure: crate::views::StructureRef {
                id: s.id,
                name: s.name,
            },
            projects,
        });
    }
    out.sort_by(|a, b| a.structure.name.cmp(&b.structure.name));
    Ok(out)
}
