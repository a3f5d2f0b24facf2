//! The decision: a moderator grants or refuses, with reasons, against the rule's proposal
//! if need be; the index is told the structure's label changed.

use super::{
    ApplicationView, audit_entry, complete_scores, load, require_moderator, structure_ref,
    tell_members, view_for,
};
use crate::{Actor, Context, Result, ServiceError};
use agora_domain::label::{ApplicationState, ProposalOutcome};
use agora_domain::validation::Validator;
use agora_domain::{ListingKind, SubjectType};
use agora_mail::messages::label as messages;
use agora_store::audit::{self, AuditEntry};
use agora_store::changes::{self, Change};
use agora_store::label as store;
use agora_store::{ConnectionTrait, listings};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

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
pub(super) async fn label_changed(
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
