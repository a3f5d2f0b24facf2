//! The label: a structure's owners apply (charter signed, governance, solution,
//! contributors, category, documents); moderators check completeness and assign a
//! balanced panel of committee members who are not members of the structure; reviewers
//! declare conflicts or score the rubric; the decision rule proposes, a moderator decides;
//! a granted label expires and invites a re-evaluation.
//!
//! Who sees what: the applicant sees the application, its state and the decision with
//! reasons, never who reviewed nor their scores; a reviewer sees the application and their
//! own review, and the others' scores (without names) only once theirs is in; moderators
//! see everything.

use crate::access::standing;
use crate::mail::{self, Addressee, api_url};
use crate::pagination::{Page, decode_opt, next_cursor};
use crate::registry::entry;
use crate::render::read_content;
use crate::views::StructureRef;
use crate::{Actor, Context, Result, ServiceError, UserActor};
use agora_domain::label::{
    ApplicationContent, ApplicationState, CATEGORIES, CHARTER, Criterion, Proposal,
    ProposalOutcome, Seat,
};
use agora_domain::validation::Validator;
use agora_domain::{ListingContent, ListingKind, PlatformRole, SubjectType};
use agora_mail::messages::label as messages;
use agora_store::audit::{self, AuditEntry};
use agora_store::changes::{self, Change};
use agora_store::label::{self as store, ApplicationRecord, ReviewRecord, ReviewState};
use agora_store::{ConnectionTrait, accounts, listings, memberships, revisions};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryView {
    pub slug: String,
    pub label: String,
}

/// The charter, the categories, the rubric and the decision rule, as published.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CharterView {
    pub version: String,
    pub title: String,
    pub commitments: Vec<String>,
    pub categories: Vec<CategoryView>,
    /// Each criterion is scored from 0 (absent) to 4 (exemplary).
    pub rubric: Vec<Criterion>,
    /// Complete reviews needed before a proposal.
    pub min_reviews: usize,
    /// Mean score (0–4) at or above which the committee's proposal is to grant.
    pub threshold: f64,
    /// No criterion's mean may be below this.
    pub floor: f64,
    pub validity_days: i64,
}

pub fn charter(ctx: &Context) -> CharterView {
    let rules = &ctx.settings.label;
    CharterView {
        version: CHARTER.version.into(),
        title: CHARTER.title.into(),
        commitments: CHARTER
            .commitments
            .iter()
            .map(|c| (*c).to_owned())
            .collect(),
        categories: CATEGORIES
            .iter()
            .map(|(slug, label)| CategoryView {
                slug: (*slug).into(),
                label: (*label).into(),
            })
            .collect(),
        rubric: rules.rubric(),
        min_reviews: rules.min_reviews,
        threshold: rules.threshold,
        floor: rules.floor,
        validity_days: rules.validity_days,
    }
}

/// A reviewer, as moderators see them.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewerRef {
    pub id: Uuid,
    pub display_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seat: Option<Seat>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Recommendation {
    Grant,
    Refuse,
}

/// One review. Reviewers' identities are for moderators only.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LabelReviewView {
    /// "Relecteur 1", "Relecteur 2"… in order of assignment.
    pub label: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reviewer: Option<ReviewerRef>,
    /// `assigned`, `withdrawn` (conflict of interest) or `submitted`.
    pub state: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conflict_reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scores: Option<BTreeMap<String, u8>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recommendation: Option<Recommendation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub submitted_at: Option<DateTime<Utc>>,
}

/// An application as one reader may see it.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApplicationView {
    pub id: Uuid,
    pub structure: StructureRef,
    pub state: ApplicationState,
    /// What the structure wrote (the fields a PATCH changes).
    pub content: ApplicationContent,
    /// The application this one re-evaluates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub submitted_at: Option<DateTime<Utc>>,
    /// What moderators asked for, when it was found incomplete.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<DateTime<Utc>>,
    /// The reasons of the decision, sent to the applicant.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reasons: Option<String>,
    /// Until when a granted label holds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<DateTime<Utc>>,
    /// Moderators: the panel and what the rule proposes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reviews: Option<Vec<LabelReviewView>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proposal: Option<Proposal>,
    /// An assigned reviewer: their own review.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub my_review: Option<LabelReviewView>,
}

/// How the caller stands towards an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Moderator,
    /// An owner of the applying structure (may edit and submit).
    Owner,
    /// Another member of the applying structure (reads).
    Member,
    Reviewer,
}

async fn role_of(
    db: &impl ConnectionTrait,
    actor: &Actor,
    app: &ApplicationRecord,
    reviews: &[ReviewRecord],
) -> Result<Option<Role>> {
    let Some(user) = actor.user() else {
        return Ok(None);
    };
    if actor.is_moderator() {
        return Ok(Some(Role::Moderator));
    }
    let st = standing(db, actor, app.structure_id).await?;
    if st.is_owner() {
        return Ok(Some(Role::Owner));
    }
    if st.is_member() {
        return Ok(Some(Role::Member));
    }
    let assigned = reviews
        .iter()
        .any(|r| r.reviewer_id == user.id && r.state != ReviewState::Withdrawn);
    Ok(assigned.then_some(Role::Reviewer))
}

fn not_found() -> ServiceError {
    ServiceError::NotFound("label application")
}

fn content_of(app: &ApplicationRecord) -> Result<ApplicationContent> {
    serde_json::from_value(app.content.clone())
        .map_err(|e| ServiceError::Internal(format!("label application {}: {e}", app.id)))
}

fn scores_of(r: &ReviewRecord) -> Option<BTreeMap<String, u8>> {
    r.scores
        .as_ref()
        .and_then(|s| serde_json::from_value(s.clone()).ok())
}

fn review_view(r: &ReviewRecord, n: usize, reviewer: Option<ReviewerRef>) -> LabelReviewView {
    LabelReviewView {
        label: format!("Relecteur {n}"),
        state: r.state.as_str().to_owned(),
        conflict_reason: reviewer.as_ref().and(r.conflict_reason.clone()),
        reviewer,
        scores: scores_of(r),
        comment: r.comment.clone(),
        recommendation: match r.recommendation.as_deref() {
            Some("grant") => Some(Recommendation::Grant),
            Some("refuse") => Some(Recommendation::Refuse),
            _ => None,
        },
        submitted_at: r.submitted_at,
    }
}

async fn reviewer_refs(
    db: &impl ConnectionTrait,
    reviews: &[ReviewRecord],
) -> Result<BTreeMap<Uuid, ReviewerRef>> {
    let ids: Vec<Uuid> = reviews.iter().map(|r| r.reviewer_id).collect();
    let seats: BTreeMap<Uuid, Seat> = store::seats_of(db, ids.clone())
        .await?
        .into_iter()
        .collect();
    Ok(accounts::users_by_ids(db, ids)
        .await?
        .into_iter()
        .map(|u| {
            (
                u.id,
                ReviewerRef {
                    id: u.id,
                    display_name: u.display_name,
                    seat: seats.get(&u.id).copied(),
                },
            )
        })
        .collect())
}

/// Scores of complete reviews, in rubric order, for the decision rule.
fn complete_scores(ctx: &Context, reviews: &[ReviewRecord]) -> Vec<Vec<u8>> {
    let rubric = ctx.settings.label.rubric();
    reviews
        .iter()
        .filter(|r| r.state == ReviewState::Submitted)
        .filter_map(scores_of)
        .map(|s| {
            rubric
                .iter()
                .map(|c| s.get(&c.slug).copied().unwrap_or(0))
                .collect()
        })
        .collect()
}

async fn structure_ref(db: &impl ConnectionTrait, id: Uuid) -> Result<StructureRef> {
    let s = listings::get(db, ListingKind::Structure, id)
        .await?
        .ok_or(ServiceError::NotFound("structure"))?;
    Ok(StructureRef { id, name: s.name })
}

async fn view_for(
    ctx: &Context,
    app: &ApplicationRecord,
    role: Role,
    me: Uuid,
) -> Result<ApplicationView> {
    let reviews = store::reviews_of(&ctx.db, app.id).await?;
    let (reviews_view, proposal, my_review) = match role {
        Role::Moderator => {
            let refs = reviewer_refs(&ctx.db, &reviews).await?;
            let all = reviews
                .iter()
                .enumerate()
                .map(|(i, r)| review_view(r, i + 1, refs.get(&r.reviewer_id).cloned()))
                .collect();
            let proposal = ctx.settings.label.propose(&complete_scores(ctx, &reviews));
            (Some(all), Some(proposal), None)
        }
        Role::Reviewer => {
            let mine = reviews
                .iter()
                .enumerate()
                .find(|(_, r)| r.reviewer_id == me)
                .map(|(i, r)| review_view(r, i + 1, None));
            (None, None, mine)
        }
        Role::Owner | Role::Member => (None, None, None),
    };
    Ok(ApplicationView {
        id: app.id,
        structure: structure_ref(&ctx.db, app.structure_id).await?,
        state: app.state,
        content: content_of(app)?,
        previous_id: app.previous_id,
        created_at: app.created_at,
        updated_at: app.updated_at,
        submitted_at: app.submitted_at,
        missing: app.missing.clone(),
        decided_at: app.decided_at,
        reasons: app.reasons.clone(),
        expires_at: app.expires_at,
        reviews: reviews_view,
        proposal,
        my_review,
    })
}

/// Loads an application and the caller's standing; 404 to anyone not entitled to know it.
async fn load(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: Uuid,
) -> Result<(ApplicationRecord, Role, Uuid)> {
    let user = actor.require_user()?;
    let app = store::application_by_id(db, id)
        .await?
        .ok_or_else(not_found)?;
    let reviews = store::reviews_of(db, id).await?;
    let role = role_of(db, actor, &app, &reviews)
        .await?
        .ok_or_else(not_found)?;
    Ok((app, role, user.id))
}

/// The first gate of an operation on an application (see [`crate::authorize`]): who
/// cannot see it gets 404; who sees it but may not do this, 403.
pub(crate) async fn authorize(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: Uuid,
    need: crate::authorize::Need,
) -> Result<()> {
    use crate::authorize::Need;
    let (_, role, _) = load(db, actor, id).await?;
    let allowed = match need {
        Need::Owner => role == Role::Owner,
        Need::Reviewer => role == Role::Reviewer,
        Need::Moderator => role == Role::Moderator,
        Need::ReviewerOrModerator => matches!(role, Role::Reviewer | Role::Moderator),
        _ => true,
    };
    if allowed {
        Ok(())
    } else {
        Err(ServiceError::Forbidden(
            "this step of the label is not yours to take",
        ))
    }
}

fn audit_entry(
    now: DateTime<Utc>,
    actor: Option<Uuid>,
    action: &str,
    app: &ApplicationRecord,
) -> AuditEntry {
    AuditEntry {
        details: Some(serde_json::json!({ "label_application": app.id })),
        ..entry(now, actor, action, SubjectType::Structure, app.structure_id)
    }
}

fn application_url(ctx: &Context, id: Uuid) -> String {
    api_url(ctx, &format!("/label-applications/{id}"))
}

async fn tell_members(
    ctx: &Context,
    db: &impl ConnectionTrait,
    structure_id: Uuid,
    message: &agora_mail::Composed,
) -> Result<()> {
    let to = mail::member_addressees(db, structure_id).await?;
    mail::enqueue_all(db, ctx, &to, message).await
}

/// Starts an application for a published structure (its owners only). A structure has
/// one application on its way at a time; one made while a label holds is its re-evaluation.
pub async fn create(
    ctx: &Context,
    actor: &Actor,
    structure_id: Uuid,
    content: ApplicationContent,
) -> Result<ApplicationView> {
    let user = actor.require_user()?;
    let mut content = content;
    let mut v = Validator::new();
    content.validate(false, &mut v);
    v.finish()?;
    let now = ctx.now();
    let txn = ctx.begin().await?;
    let structure = listings::get(&txn, ListingKind::Structure, structure_id)
        .await?
        .ok_or(ServiceError::NotFound("structure"))?;
    let st = standing(&txn, actor, structure_id).await?;
    if !st.is_owner() {
        return Err(if st.is_member() || structure.is_listed() {
            ServiceError::Forbidden("only the structure's owners apply for the label")
        } else {
            ServiceError::NotFound("structure")
        });
    }
    if !structure.status.is_public() {
        return Err(ServiceError::Conflict(
            "the structure must be published before it applies for the label".into(),
        ));
    }
    let existing = store::applications_of(&txn, structure_id).await?;
    if existing.iter().any(|a| a.state.is_live()) {
        return Err(ServiceError::Conflict(
            "this structure already has an application on its way".into(),
        ));
    }
    let previous = existing
        .iter()
        .find(|a| a.state == ApplicationState::Granted)
        .map(|a| a.id);
    let app = ApplicationRecord {
        id: Uuid::now_v7(),
        structure_id,
        state: ApplicationState::Draft,
        content: serde_json::to_value(&content)
            .map_err(|e| ServiceError::Internal(e.to_string()))?,
        previous_id: previous,
        created_by: Some(user.id),
        created_at: now,
        updated_at: now,
        submitted_at: None,
        missing: None,
        decided_at: None,
        decided_by: None,
        reasons: None,
        expires_at: None,
        reminders_sent: 0,
    };
    store::insert_application(&txn, &app).await?;
    audit::append(
        &txn,
        audit_entry(now, Some(user.id), "label_application_created", &app),
    )
    .await?;
    txn.commit().await?;
    view_for(ctx, &app, Role::Owner, user.id).await
}

pub async fn get(ctx: &Context, actor: &Actor, id: Uuid) -> Result<ApplicationView> {
    let (app, role, me) = load(&ctx.db, actor, id).await?;
    view_for(ctx, &app, role, me).await
}

/// Changes the fields named in `patch` while the application is a draft or incomplete.
pub async fn update(
    ctx: &Context,
    actor: &Actor,
    id: Uuid,
    patch: Map<String, Value>,
) -> Result<ApplicationView> {
    let now = ctx.now();
    let txn = ctx.begin().await?;
    let (mut app, role, me) = load(&txn, actor, id).await?;
    require_owner(role)?;
    if !app.state.is_editable() {
        return Err(ServiceError::Conflict(
            "the application is with the moderators or the committee".into(),
        ));
    }
    let mut doc = app.content.as_object().cloned().unwrap_or_default();
    for (k, v) in patch {
        if v.is_null() {
            doc.remove(&k);
        } else {
            doc.insert(k, v);
        }
    }
    let mut content: ApplicationContent =
        serde_json::from_value(Value::Object(doc)).map_err(|e| {
            ServiceError::Validation(agora_domain::ValidationErrors::single(
                "",
                "invalid",
                e.to_string(),
            ))
        })?;
    let mut v = Validator::new();
    content.validate(false, &mut v);
    v.finish()?;
    let expected = app.state;
    app.content =
        serde_json::to_value(&content).map_err(|e| ServiceError::Internal(e.to_string()))?;
    app.updated_at = now;
    if !store::save_application_if(&txn, &app, expected).await? {
        return Err(ServiceError::StaleVersion);
    }
    audit::append(
        &txn,
        audit_entry(now, Some(me), "label_application_edited", &app),
    )
    .await?;
    txn.commit().await?;
    view_for(ctx, &app, role, me).await
}

fn require_owner(role: Role) -> Result<()> {
    match role {
        Role::Owner => Ok(()),
        _ => Err(ServiceError::Forbidden(
            "only the structure's owners change its application",
        )),
    }
}

fn require_moderator(role: Role) -> Result<()> {
    match role {
        Role::Moderator => Ok(()),
        _ => Err(ServiceError::Forbidden("this is for moderators")),
    }
}

/// The structure's registration numbers, from its published version.
async fn registered_numbers(db: &impl ConnectionTrait, structure_id: Uuid) -> Result<Vec<String>> {
    let Some(s) = listings::get(db, ListingKind::Structure, structure_id).await? else {
        return Ok(Vec::new());
    };
    let Some(rev) = s.published_revision_id else {
        return Ok(Vec::new());
    };
    let Some(revision) = revisions::get(db, rev).await? else {
        return Ok(Vec::new());
    };
    Ok(match read_content(&revision, ListingKind::Structure)? {
        ListingContent::Structure(c) => {
            let siren_of_siret = c.siret.as_ref().map(|s| s.chars().take(9).collect());
            [c.rna, c.siren, siren_of_siret]
                .into_iter()
                .flatten()
                .collect()
        }
        _ => Vec::new(),
    })
}

/// Sends a complete application to the moderators.
pub async fn submit(ctx: &Context, actor: &Actor, id: Uuid) -> Result<ApplicationView> {
    let now = ctx.now();
    let txn = ctx.begin().await?;
    let (mut app, role, me) = load(&txn, actor, id).await?;
    require_owner(role)?;
    if !app.state.is_editable() {
        return Err(ServiceError::Conflict("already submitted".into()));
    }
    let mut content = content_of(&app)?;
    let mut v = Validator::new();
    content.validate(true, &mut v);
    if let Some(n) = &content.registration_number {
        let known = registered_numbers(&txn, app.structure_id).await?;
        v.check(
            known.iter().any(|k| k.eq_ignore_ascii_case(n)),
            "/registration_number",
            "mismatch",
            "must be the structure's own RNA or SIREN, as published",
        );
    }
    v.finish()?;
    let expected = app.state;
    app.state = ApplicationState::Submitted;
    app.submitted_at = Some(now);
    app.updated_at = now;
    if !store::save_application_if(&txn, &app, expected).await? {
        return Err(ServiceError::StaleVersion);
    }
    audit::append(
        &txn,
        audit_entry(now, Some(me), "label_application_submitted", &app),
    )
    .await?;
    let name = structure_ref(&txn, app.structure_id).await?.name;
    mail::enqueue_to_moderators(
        &txn,
        ctx,
        &messages::submitted_to_moderators(&name, &application_url(ctx, id)),
    )
    .await?;
    txn.commit().await?;
    ctx.mail_queued.notify_one();
    view_for(ctx, &app, role, me).await
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PiecesInput {
    /// What is missing, for the applicant (3–2000 characters).
    #[cfg_attr(feature = "openapi", schema(min_length = 3, max_length = 2000))]
    pub missing: String,
}

/// Sends a submitted application back for missing pieces.
pub async fn request_pieces(
    ctx: &Context,
    actor: &Actor,
    id: Uuid,
    input: PiecesInput,
) -> Result<ApplicationView> {
    let mut missing = input.missing;
    let mut v = Validator::new();
    v.text("/missing", &mut missing, 3, 2000);
    v.finish()?;
    let now = ctx.now();
    let txn = ctx.begin().await?;
    let (mut app, role, me) = load(&txn, actor, id).await?;
    require_moderator(role)?;
    if app.state != ApplicationState::Submitted {
        return Err(ServiceError::Conflict(
            "only a submitted application is checked for completeness".into(),
        ));
    }
    app.state = ApplicationState::Incomplete;
    app.missing = Some(missing.clone());
    app.updated_at = now;
    if !store::save_application_if(&txn, &app, ApplicationState::Submitted).await? {
        return Err(ServiceError::StaleVersion);
    }
    audit::append(
        &txn,
        AuditEntry {
            reason: Some(missing.clone()),
            ..audit_entry(now, Some(me), "label_pieces_requested", &app)
        },
    )
    .await?;
    let name = structure_ref(&txn, app.structure_id).await?.name;
    tell_members(
        ctx,
        &txn,
        app.structure_id,
        &messages::pieces_requested(&name, &missing, &application_url(ctx, id)),
    )
    .await?;
    txn.commit().await?;
    ctx.mail_queued.notify_one();
    view_for(ctx, &app, role, me).await
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AssignInput {
    /// Committee members to add to the panel (1–10).
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 10))]
    pub reviewer_ids: Vec<Uuid>,
}

/// Adds reviewers to the panel of a complete application. Each must sit on the committee
/// and not belong to the applying structure; the panel must stay balanced.
pub async fn assign(
    ctx: &Context,
    actor: &Actor,
    id: Uuid,
    input: AssignInput,
) -> Result<ApplicationView> {
    let mut v = Validator::new();
    v.check(
        (1..=10).contains(&input.reviewer_ids.len()),
        "/reviewer_ids",
        "count",
        "between 1 and 10 reviewers",
    );
    v.finish()?;
    let now = ctx.now();
    let txn = ctx.begin().await?;
    let (mut app, role, me) = load(&txn, actor, id).await?;
    require_moderator(role)?;
    if !matches!(
        app.state,
        ApplicationState::Submitted | ApplicationState::InReview
    ) {
        return Err(ServiceError::Conflict(
            "reviewers are assigned to a complete application".into(),
        ));
    }
    let reviews = store::reviews_of(&txn, id).await?;
    let users = accounts::users_by_ids(&txn, input.reviewer_ids.clone()).await?;
    let seats: BTreeMap<Uuid, Seat> = store::seats_of(&txn, input.reviewer_ids.clone())
        .await?
        .into_iter()
        .collect();
    let mut v = Validator::new();
    for (i, rid) in input.reviewer_ids.iter().enumerate() {
        let pointer = format!("/reviewer_ids/{i}");
        let user = users
            .iter()
            .find(|u| u.id == *rid && u.disabled_at.is_none());
        let on_committee = user.is_some_and(|u| u.role == Some(PlatformRole::Committee))
            && seats.contains_key(rid);
        v.check(
            on_committee,
            &pointer,
            "not_committee",
            "not a seated member of the label committee",
        );
        let member = memberships::role_of(&txn, app.structure_id, *rid)
            .await?
            .is_some();
        v.check(
            !member,
            &pointer,
            "conflict",
            "a member of the applying structure cannot review it",
        );
        v.check(
            !reviews.iter().any(|r| r.reviewer_id == *rid),
            &pointer,
            "already_assigned",
            "already on this panel (or withdrawn from it)",
        );
    }
    v.finish()?;
    // The panel as it will be: those still on it, and the newcomers.
    let current: Vec<Uuid> = reviews
        .iter()
        .filter(|r| r.state != ReviewState::Withdrawn)
        .map(|r| r.reviewer_id)
        .collect();
    let mut panel: Vec<Seat> = store::seats_of(&txn, current)
        .await?
        .into_iter()
        .map(|(_, s)| s)
        .collect();
    panel.extend(
        input
            .reviewer_ids
            .iter()
            .filter_map(|r| seats.get(r).copied()),
    );
    if !ctx.settings.label.panel_is_balanced(&panel) {
        return Err(ServiceError::Validation(
            agora_domain::ValidationErrors::single(
                "/reviewer_ids",
                "unbalanced",
                "the panel needs at least one patient or caregiver and one professional",
            ),
        ));
    }
    for rid in &input.reviewer_ids {
        store::insert_review(
            &txn,
            &ReviewRecord {
                application_id: id,
                reviewer_id: *rid,
                state: ReviewState::Assigned,
                assigned_at: now,
                assigned_by: Some(me),
                conflict_reason: None,
                scores: None,
                comment: None,
                recommendation: None,
                submitted_at: None,
            },
        )
        .await?;
    }
    let expected = app.state;
    app.state = ApplicationState::InReview;
    app.updated_at = now;
    if !store::save_application_if(&txn, &app, expected).await? {
        return Err(ServiceError::StaleVersion);
    }
    audit::append(
        &txn,
        AuditEntry {
            details: Some(
                serde_json::json!({ "label_application": id, "reviewers": input.reviewer_ids }),
            ),
            ..entry(
                now,
                Some(me),
                "label_reviewers_assigned",
                SubjectType::Structure,
                app.structure_id,
            )
        },
    )
    .await?;
    let name = structure_ref(&txn, app.structure_id).await?.name;
    let message = messages::assigned(&name, &application_url(ctx, id));
    for u in users {
        mail::enqueue(
            &txn,
            ctx,
            &Addressee {
                email: u.email,
                name: u.display_name,
            },
            &message,
        )
        .await?;
    }
    txn.commit().await?;
    ctx.mail_queued.notify_one();
    view_for(ctx, &app, role, me).await
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReviewInput {
    /// Declares a conflict of interest (with a reason): the reviewer withdraws and a
    /// replacement is asked for. Nothing else may be sent with it.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub conflict_of_interest: Option<String>,
    /// A score from 0 to 4 for every criterion of the rubric, by slug.
    #[serde(default)]
    pub scores: Option<BTreeMap<String, u8>>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 5000))]
    pub comment: Option<String>,
    #[serde(default)]
    pub recommendation: Option<Recommendation>,
}

/// An assigned reviewer declares a conflict of interest, or submits their review (once).
pub async fn review(
    ctx: &Context,
    actor: &Actor,
    id: Uuid,
    input: ReviewInput,
) -> Result<LabelReviewView> {
    let now = ctx.now();
    let txn = ctx.begin().await?;
    let (app, role, me) = load(&txn, actor, id).await?;
    if role != Role::Reviewer {
        return Err(ServiceError::Forbidden(
            "only the application's reviewers review it",
        ));
    }
    if app.state != ApplicationState::InReview {
        return Err(ServiceError::Conflict(
            "the application is not under review".into(),
        ));
    }
    let reviews = store::reviews_of(&txn, id).await?;
    let (n, mine) = reviews
        .iter()
        .enumerate()
        .find(|(_, r)| r.reviewer_id == me)
        .ok_or_else(not_found)?;
    if mine.state != ReviewState::Assigned {
        return Err(ServiceError::Conflict("your review is already in".into()));
    }
    let mut updated = mine.clone();
    let mut v = Validator::new();
    let action = if let Some(mut reason) = input.conflict_of_interest {
        v.text("/conflict_of_interest", &mut reason, 3, 2000);
        v.check(
            input.scores.is_none() && input.comment.is_none() && input.recommendation.is_none(),
            "/conflict_of_interest",
            "exclusive",
            "a reviewer with a conflict of interest does not score",
        );
        v.finish()?;
        updated.state = ReviewState::Withdrawn;
        updated.conflict_reason = Some(reason);
        "label_conflict_declared"
    } else {
        let rubric = ctx.settings.label.rubric();
        let scores = input.scores.unwrap_or_default();
        for c in &rubric {
            match scores.get(&c.slug) {
                Some(s) => v.check(
                    *s <= 4,
                    &format!("/scores/{}", c.slug),
                    "range",
                    "from 0 to 4",
                ),
                None => v.push(
                    format!("/scores/{}", c.slug),
                    "required",
                    "score every criterion",
                ),
            }
        }
        for k in scores.keys() {
            v.check(
                rubric.iter().any(|c| &c.slug == k),
                &format!("/scores/{k}"),
                "unknown",
                "not a criterion of the rubric",
            );
        }
        let mut comment = input.comment.unwrap_or_default();
        v.text("/comment", &mut comment, 3, 5000);
        v.check(
            input.recommendation.is_some(),
            "/recommendation",
            "required",
            "grant or refuse",
        );
        v.finish()?;
        updated.state = ReviewState::Submitted;
        updated.scores =
            Some(serde_json::to_value(&scores).map_err(|e| ServiceError::Internal(e.to_string()))?);
        updated.comment = Some(comment);
        updated.recommendation = input.recommendation.map(|r| match r {
            Recommendation::Grant => "grant".to_owned(),
            Recommendation::Refuse => "refuse".to_owned(),
        });
        "label_review_submitted"
    };
    updated.submitted_at = Some(now);
    if !store::save_review_if_assigned(&txn, &updated).await? {
        return Err(ServiceError::Conflict("your review is already in".into()));
    }
    audit::append(&txn, audit_entry(now, Some(me), action, &app)).await?;
    if updated.state == ReviewState::Withdrawn {
        let name = structure_ref(&txn, app.structure_id).await?.name;
        mail::enqueue_to_moderators(
            &txn,
            ctx,
            &messages::conflict_declared(&name, &application_url(ctx, id)),
        )
        .await?;
    }
    txn.commit().await?;
    ctx.mail_queued.notify_one();
    Ok(review_view(&updated, n + 1, None))
}

/// The review space. Moderators see every review with its reviewer; a reviewer sees
/// their own, and the others' (unnamed) once theirs is in; nobody else sees any.
pub async fn reviews(ctx: &Context, actor: &Actor, id: Uuid) -> Result<Vec<LabelReviewView>> {
    let (_, role, me) = load(&ctx.db, actor, id).await?;
    let reviews = store::reviews_of(&ctx.db, id).await?;
    match role {
        Role::Moderator => {
            let refs = reviewer_refs(&ctx.db, &reviews).await?;
            Ok(reviews
                .iter()
                .enumerate()
                .map(|(i, r)| review_view(r, i + 1, refs.get(&r.reviewer_id).cloned()))
                .collect())
        }
        Role::Reviewer => {
            let done = reviews
                .iter()
                .any(|r| r.reviewer_id == me && r.state == ReviewState::Submitted);
            Ok(reviews
                .iter()
                .enumerate()
                .filter(|(_, r)| r.reviewer_id == me || (done && r.state == ReviewState::Submitted))
                .map(|(i, r)| review_view(r, i + 1, None))
                .collect())
        }
        Role::Owner | Role::Member => Err(ServiceError::Forbidden(
            "applicants see the decision and its reasons, not the reviews",
        )),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LabelDecision {
    Granted,
    Refused,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DecideInput {
    pub decision: LabelDecision,
    /// Sent to the applicant; required for a refusal (3–5000 characters).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 5000))]
    pub reasons: Option<String>,
}

/// Index documents of a structure and its listings carry the label: have them re-read.
async fn label_changed(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    structure_id: Uuid,
) -> Result<()> {
    changes::append(
        db,
        now,
        SubjectType::Structure,
        structure_id,
        Some(structure_id),
        Change::Updated,
    )
    .await?;
    for kind in [ListingKind::Service, ListingKind::Project] {
        for child in listings::of_structure(db, kind, structure_id).await? {
            if child.is_listed() {
                changes::append(
                    db,
                    now,
                    kind.into(),
                    child.id,
                    Some(structure_id),
                    Change::Updated,
                )
                .await?;
            }
        }
    }
    Ok(())
}

/// Records the decision. A refusal (of a complete or an incomplete application) needs
/// reasons; a grant needs the committee's review: at least `label.min_reviews` complete
/// reviews. A decision against the rule's proposal needs written reasons and is recorded
/// as an override.
pub async fn decide(
    ctx: &Context,
    actor: &Actor,
    id: Uuid,
    input: DecideInput,
) -> Result<ApplicationView> {
    let now = ctx.now();
    let txn = ctx.begin().await?;
    let (mut app, role, me) = load(&txn, actor, id).await?;
    require_moderator(role)?;
    let mut reasons = input.reasons.filter(|r| !r.trim().is_empty());
    let reviews = store::reviews_of(&txn, app.id).await?;
    let proposal = ctx.settings.label.propose(&complete_scores(ctx, &reviews));
    let overrides = matches!(
        (input.decision, proposal.outcome),
        (LabelDecision::Granted, ProposalOutcome::Refuse)
            | (LabelDecision::Refused, ProposalOutcome::Grant)
    );
    let mut v = Validator::new();
    match &mut reasons {
        Some(r) => v.text("/reasons", r, 3, 5000),
        None if input.decision == LabelDecision::Refused => {
            v.push("/reasons", "required", "say why, for the applicant")
        }
        None if overrides => v.push(
            "/reasons",
            "required",
            "a decision against the committee's proposal says why",
        ),
        None => {}
    }
    v.finish()?;
    let expected = app.state;
    match input.decision {
        LabelDecision::Granted if app.state != ApplicationState::InReview => {
            return Err(ServiceError::Conflict(
                "a label is granted after the committee's review".into(),
            ));
        }
        LabelDecision::Granted if proposal.complete_reviews < ctx.settings.label.min_reviews => {
            return Err(ServiceError::Conflict(format!(
                "a label is granted on at least {} complete reviews; this application has {}",
                ctx.settings.label.min_reviews, proposal.complete_reviews
            )));
        }
        LabelDecision::Refused
            if !matches!(
                app.state,
                ApplicationState::Submitted
                    | ApplicationState::Incomplete
                    | ApplicationState::InReview
            ) =>
        {
            return Err(ServiceError::Conflict(
                "nothing to decide on this application".into(),
            ));
        }
        _ => {}
    }
    app.decided_at = Some(now);
    app.decided_by = Some(me);
    app.reasons = reasons.clone();
    app.updated_at = now;
    let granted = input.decision == LabelDecision::Granted;
    if granted {
        let until = now + Duration::days(ctx.settings.label.validity_days);
        app.state = ApplicationState::Granted;
        app.expires_at = Some(until);
        // A re-evaluation replaces the label it renews.
        if let Some(prev) = app.previous_id
            && let Some(mut p) = store::application_by_id(&txn, prev).await?
            && p.state == ApplicationState::Granted
        {
            p.state = ApplicationState::Expired;
            p.updated_at = now;
            store::save_application_if(&txn, &p, ApplicationState::Granted).await?;
        }
        listings::set_labelled_until(&txn, app.structure_id, Some(until)).await?;
        label_changed(&txn, now, app.structure_id).await?;
    } else {
        app.state = ApplicationState::Refused;
    }
    if !store::save_application_if(&txn, &app, expected).await? {
        return Err(ServiceError::Conflict(
            "the application changed meanwhile".into(),
        ));
    }
    let action = match (granted, overrides) {
        (true, false) => "label_granted",
        (true, true) => "label_granted_against_proposal",
        (false, false) => "label_refused",
        (false, true) => "label_refused_against_proposal",
    };
    audit::append(
        &txn,
        AuditEntry {
            reason: reasons.clone(),
            details: Some(serde_json::json!({
                "override": overrides,
                "proposal": proposal.outcome,
                "complete_reviews": proposal.complete_reviews,
                "mean": proposal.mean,
            })),
            ..audit_entry(now, Some(me), action, &app)
        },
    )
    .await?;
    let name = structure_ref(&txn, app.structure_id).await?.name;
    tell_members(
        ctx,
        &txn,
        app.structure_id,
        &messages::decided(&name, granted, reasons.as_deref(), app.expires_at),
    )
    .await?;
    txn.commit().await?;
    ctx.changed.notify_one();
    ctx.mail_queued.notify_one();
    view_for(ctx, &app, role, me).await
}

#[derive(Debug, Serialize, Deserialize)]
struct AppCursor {
    id: Uuid,
}

/// Applications in one state, oldest first (moderators).
pub async fn list(
    ctx: &Context,
    actor: &Actor,
    state: ApplicationState,
    cursor: Option<&str>,
    limit: u64,
) -> Result<Page<ApplicationView>> {
    let user: &UserActor = actor.require_moderator()?;
    let after = decode_opt::<AppCursor>(cursor)?.map(|c| c.id);
    let mut rows = store::applications_in(&ctx.db, state, after, limit + 1).await?;
    let next_cursor = next_cursor(&mut rows, limit, |r| AppCursor { id: r.id });
    let mut items = Vec::with_capacity(rows.len());
    for r in &rows {
        items.push(view_for(ctx, r, Role::Moderator, user.id).await?);
    }
    Ok(Page { items, next_cursor })
}

/// The applications a committee member reviews (or reviewed), newest first.
pub async fn assigned_to_me(ctx: &Context, actor: &Actor) -> Result<Vec<ApplicationView>> {
    let me = actor.require_user()?;
    let mut out = Vec::new();
    for r in store::reviews_by(&ctx.db, me.id).await? {
        if r.state == ReviewState::Withdrawn {
            continue;
        }
        if let Some(app) = store::application_by_id(&ctx.db, r.application_id).await? {
            out.push(view_for(ctx, &app, Role::Reviewer, me.id).await?);
        }
    }
    Ok(out)
}

/// Reminders before a label ends, and its end: run by the scheduled sweeps.
pub async fn sweep(ctx: &Context) -> Result<(u64, u64)> {
    let now = ctx.now();
    let rules = &ctx.settings.label;
    let furthest = rules
        .reminder_days_before
        .iter()
        .copied()
        .max()
        .unwrap_or(0);
    let (mut reminded, mut expired) = (0, 0);
    // A page at a time, however many labels end.
    let mut after = None;
    loop {
        let page =
            store::granted_ending_by(&ctx.db, now + Duration::days(furthest), after, 500).await?;
        let Some(last) = page.last().map(|a| a.id) else {
            break;
        };
        after = Some(last);
        for app in page {
            let Some(ends) = app.expires_at else { continue };
            let txn = ctx.begin().await?;
            let name = structure_ref(&txn, app.structure_id).await?.name;
            let mut next = app.clone();
            if ends <= now {
                next.state = ApplicationState::Expired;
                next.updated_at = now;
                if !store::save_application_if(&txn, &next, ApplicationState::Granted).await? {
                    continue;
                }
                listings::set_labelled_until(&txn, app.structure_id, None).await?;
                label_changed(&txn, now, app.structure_id).await?;
                audit::append(&txn, audit_entry(now, None, "label_expired", &app)).await?;
                tell_members(ctx, &txn, app.structure_id, &messages::expired(&name)).await?;
                expired += 1;
            } else {
                let due = i32::try_from(
                    rules
                        .reminder_days_before
                        .iter()
                        .filter(|d| ends - Duration::days(**d) <= now)
                        .count(),
                )
                .unwrap_or(0);
                if due <= app.reminders_sent {
                    continue;
                }
                next.reminders_sent = due;
                if !store::save_application_if_reminders(&txn, &next, app.reminders_sent).await? {
                    continue;
                }
                audit::append(&txn, audit_entry(now, None, "label_expiry_reminded", &app)).await?;
                let url = api_url(
                    ctx,
                    &format!("/structures/{}/label-applications", app.structure_id),
                );
                tell_members(
                    ctx,
                    &txn,
                    app.structure_id,
                    &messages::expiring(&name, ends, &url),
                )
                .await?;
                reminded += 1;
            }
            txn.commit().await?;
        }
    }
    if reminded + expired > 0 {
        ctx.changed.notify_one();
        ctx.mail_queued.notify_one();
    }
    Ok((reminded, expired))
}

/// Seats a committee member (command line).
pub async fn set_seat(ctx: &Context, email: &str, seat: Option<Seat>) -> Result<()> {
    let user = accounts::user_by_email(&ctx.db, &email.trim().to_lowercase())
        .await?
        .ok_or(ServiceError::NotFound("account"))?;
    store::set_seat(&ctx.db, user.id, seat).await?;
    Ok(())
}
