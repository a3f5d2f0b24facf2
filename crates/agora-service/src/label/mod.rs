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

mod apply;
mod decide;
mod review;
mod screening;
mod sweep;

pub use apply::{create, get, of_structure, submit, update};
pub use decide::{DecideInput, LabelDecision, decide};
pub use review::{ReviewInput, assigned_to_me, review, reviews};
pub use screening::{
    AssignInput, CommitteeMember, PiecesInput, assign, committee, list, request_pieces,
};
pub use sweep::{set_seat, sweep};

use crate::access::standing;
use crate::mail;
use crate::registry::entry;
use crate::views::StructureRef;
use crate::{Actor, Context, Result, ServiceError};
use agora_domain::label::{
    ApplicationContent, ApplicationState, CATEGORIES, CHARTER, Criterion, Proposal, Seat,
};
use agora_domain::{ListingKind, SubjectType};
use agora_store::audit::AuditEntry;
use agora_store::label::{self as store, ApplicationRecord, ReviewRecord, ReviewState};
use agora_store::{ConnectionTrait, accounts, listings};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
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

async fn tell_members(
    ctx: &Context,
    db: &impl ConnectionTrait,
    structure_id: Uuid,
    message: &agora_mail::Composed,
) -> Result<()> {
    let to = mail::member_addressees(db, structure_id).await?;
    mail::enqueue_all(db, ctx, &to, message).await
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
