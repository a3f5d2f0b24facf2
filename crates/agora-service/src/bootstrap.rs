//! Opening the service: database connection, schema migrations, reference data.

use crate::tokens::{TokenConfig, TokenKeys};
use crate::{Context, Result, ServiceError, Settings};
use agora_domain::Clock;
use std::sync::Arc;

/// Connects to `database_url`, brings the schema up to date and loads the vocabularies.
pub async fn open(
    database_url: &str,
    tokens: TokenConfig,
    settings: Settings,
    clock: Arc<dyn Clock>,
) -> Result<Context> {
    let db = agora_store::connect(database_url).await?;
    agora_store::migrate(&db).await?;
    let vocab = agora_store::vocabularies::load(&db).await?;
    let tokens = TokenKeys::new(tokens).map_err(ServiceError::Internal)?;
    let geography = crate::geography::load(&db).await?;
    let passwords = crate::passwords::PasswordPool::start(settings.passwords)
        .map_err(|e| ServiceError::Internal(format!("cannot start the password pool: {e}")))?;
    Ok(Context {
        db,
        clock,
        tokens: Arc::new(tokens),
        passwords: Arc::new(passwords),
        vocab: Arc::new(vocab),
        settings,
        geography: Arc::new(geography),
        search: None,
        changed: Arc::new(tokio::sync::Notify::new()),
        mail_queued: Arc::new(tokio::sync::Notify::new()),
    })
}
