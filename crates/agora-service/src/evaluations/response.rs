//! The structure answers publicly, once per service (editable); moderators may remove the
//! answer. And what the public reads: the figures with that answer.

use super::{EvaluationResponse, ServiceEvaluations, service_lock};
use crate::access::standing;
use crate::registry::entry;
use crate::render::can_read;
use crate::{Actor, Context, Result, ServiceError};
use agora_domain::validation::Validator;
use agora_domain::{Access, ListingKind, SubjectType};
use agora_store::audit::{self, AuditEntry};
use agora_store::db::transaction_lock;
use agora_store::evaluations::{self as store, ResponseRecord};
use agora_store::listings;
use serde::Deserialize;
use uuid::Uuid;

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EvaluationResponseInput {
    /// The structure's answer, shown under the figures (3 to 1000 characters).
    #[cfg_attr(feature = "openapi", schema(min_length = 3, max_length = 1000))]
    pub body: String,
}

fn response_view(r: ResponseRecord) -> EvaluationResponse {
    EvaluationResponse {
        body: r.body,
        updated_at: r.updated_at,
    }
}

/// The figures of a published service's evaluations and its structure's answer.
pub async fn public(ctx: &Context, service_id: Uuid) -> Result<ServiceEvaluations> {
    let record = listings::get(&ctx.db, ListingKind::Service, service_id)
        .await?
        .filter(|r| can_read(r, Access::Public))
        .ok_or(ServiceError::NotFound("service"))?;
    Ok(ServiceEvaluations {
        service_id: record.id,
        summary: super::summary_of(ctx, record.id).await?,
        response: store::response_of(&ctx.db, record.id)
            .await?
            .map(response_view),
    })
}

/// Writes (or rewrites) the structure's public answer; its members only.
pub async fn put_response(
    ctx: &Context,
    actor: &Actor,
    service_id: Uuid,
    input: EvaluationResponseInput,
) -> Result<EvaluationResponse> {
    let me = actor.require_user()?;
    let mut body = input.body;
    let mut v = Validator::new();
    v.text("/body", &mut body, 3, 1000);
    v.finish()?;
    let now = ctx.now();
    let txn = ctx.begin().await?;
    let record = listings::get(&txn, ListingKind::Service, service_id)
        .await?
        .ok_or(ServiceError::NotFound("service"))?;
    let st = standing(&txn, actor, record.structure_id).await?;
    if !st.is_member() {
        return Err(if can_read(&record, st.access) {
            ServiceError::Forbidden("this is for the structure's members (or owners)")
        } else {
            ServiceError::NotFound("service")
        });
    }
    transaction_lock(&txn, &service_lock(service_id)).await?;
    let previous = store::response_of(&txn, service_id).await?;
    let response = ResponseRecord {
        service_id,
        body,
        author_id: Some(me.id),
        created_at: previous.as_ref().map_or(now, |p| p.created_at),
        updated_at: now,
    };
    store::put_response(&txn, &response).await?;
    audit::append(
        &txn,
        AuditEntry {
            details: Some(serde_json::json!({ "rewritten": previous.is_some() })),
            ..entry(
                now,
                Some(me.id),
                "evaluation_response_written",
                SubjectType::Service,
                service_id,
            )
        },
    )
    .await?;
    txn.commit().await?;
    Ok(response_view(response))
}

/// Removes the structure's answer: its members, or a moderator (who says why).
pub async fn delete_response(
    ctx: &Context,
    actor: &Actor,
    service_id: Uuid,
    reason: Option<String>,
) -> Result<()> {
    let me = actor.require_user()?;
    let mut reason = reason;
    let mut v = Validator::new();
    v.opt_text("/reason", &mut reason, 2000);
    v.finish()?;
    let now = ctx.now();
    let txn = ctx.begin().await?;
    let record = listings::get(&txn, ListingKind::Service, service_id)
        .await?
        .ok_or(ServiceError::NotFound("service"))?;
    let st = standing(&txn, actor, record.structure_id).await?;
    if !(st.is_member() || actor.is_moderator()) {
        return Err(if can_read(&record, st.access) {
            ServiceError::Forbidden("this is for the structure's members (or owners)")
        } else {
            ServiceError::NotFound("service")
        });
    }
    transaction_lock(&txn, &service_lock(service_id)).await?;
    if !store::delete_response(&txn, service_id).await? {
        return Err(ServiceError::NotFound("evaluation response"));
    }
    audit::append(
        &txn,
        AuditEntry {
            reason,
            details: Some(serde_json::json!({
                "by": if st.is_member() { "member" } else { "moderator" },
            })),
            ..entry(
                now,
                Some(me.id),
                "evaluation_response_removed",
                SubjectType::Service,
                service_id,
            )
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
