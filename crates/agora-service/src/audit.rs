//! Reading the audit trail (moderators only).

use crate::pagination::{Page, decode_opt, next_cursor};
use crate::views::{AuditView, UserRef};
use crate::{Actor, Context, Result};
use agora_domain::SubjectType;
use agora_store::{accounts, audit};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
struct AuditCursor {
    id: i64,
}

pub async fn list(
    ctx: &Context,
    actor: &Actor,
    subject_type: Option<SubjectType>,
    subject_id: Option<Uuid>,
    cursor: Option<&str>,
    limit: u64,
) -> Result<Page<AuditView>> {
    actor.require_moderator()?;
    let after = decode_opt::<AuditCursor>(cursor)?;
    let mut rows = audit::list(
        &ctx.db,
        subject_type,
        subject_id,
        after.map(|c| c.id),
        limit + 1,
    )
    .await?;
    let next_cursor = next_cursor(&mut rows, limit, |r| AuditCursor { id: r.id });
    let names: HashMap<Uuid, String> = accounts::users_by_ids(
        &ctx.db,
        rows.iter().filter_map(|r| r.entry.actor_id).collect(),
    )
    .await?
    .into_iter()
    .map(|u| (u.id, u.display_name))
    .collect();
    let items = rows
        .into_iter()
        .map(|r| AuditView {
            id: r.id,
            at: r.entry.at,
            actor: r.entry.actor_id.map(|id| UserRef {
                id,
                display_name: names.get(&id).cloned().unwrap_or_default(),
            }),
            action: r.entry.action,
            subject_type: r.entry.subject_type,
            subject_id: r.entry.subject_id,
            revision_id: r.entry.revision_id,
            reason: r.entry.reason,
            details: r.entry.details,
        })
        .collect();
    Ok(Page { items, next_cursor })
}
