//! Reviewing: an assigned reviewer declares a conflict of interest or scores the rubric;
//! the review space as each reader may see it; a committee member's own assignments.

use super::{
    ApplicationView, LabelReviewView, Recommendation, Role, audit_entry, load, not_found,
    review_view, reviewer_refs, structure_ref, view_for,
};
use crate::mail;
use crate::{Actor, Context, Result, ServiceError};
use agora_domain::label::ApplicationState;
use agora_domain::validation::Validator;
use agora_mail::messages::label as messages;
use agora_store::audit;
use agora_store::label::{self as store, ReviewState};
use serde::Deserialize;
use std::collections::BTreeMap;
use uuid::Uuid;

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
            &messages::conflict_declared(&name, &mail::site_url(ctx, "/moderation/label")),
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
