//! Operational checks.

use crate::{Context, Result};

/// Whether the service can serve requests: its database answers.
pub async fn ready(ctx: &Context) -> Result<()> {
    Ok(agora_store::db::ping(&ctx.db).await?)
}
