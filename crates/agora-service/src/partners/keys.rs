//! Creating, listing, rotating and revoking keys (the command line's administrators), and
//! recognising the key a request presents.

use super::{PartnerActor, Scope};
use crate::{Actor, Context, Result, ServiceError};
use agora_domain::ValidationErrors;
use agora_store::partners::{self as store, PartnerRecord};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, NaiveDate, Utc};
use rand::RngCore;
use serde::Serialize;
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// Every key starts so, which lets secret scanners recognise a leaked one.
const KEY_PREFIX: &str = "agora_pk_";

/// What an administrator, or the partner itself, sees of a key: never the key.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnerView {
    pub id: Uuid,
    pub name: String,
    pub contact_email: Option<String>,
    /// The key's first characters, to recognise it.
    pub key_prefix: String,
    pub scopes: Vec<Scope>,
    pub quota_per_minute: u32,
    pub quota_per_day: u32,
    pub created_at: DateTime<Utc>,
    pub rotated_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl From<PartnerRecord> for PartnerView {
    fn from(r: PartnerRecord) -> Self {
        Self {
            id: r.id,
            name: r.name,
            contact_email: r.contact_email,
            key_prefix: r.key_prefix,
            scopes: Scope::parse_list(&r.scopes),
            quota_per_minute: r.quota_per_minute,
            quota_per_day: r.quota_per_day,
            created_at: r.created_at,
            rotated_at: r.rotated_at,
            revoked_at: r.revoked_at,
        }
    }
}

#[derive(Debug, Clone)]
pub struct NewPartner {
    pub name: String,
    pub contact_email: Option<String>,
    /// Empty: every scope.
    pub scopes: Vec<Scope>,
    pub quota_per_minute: Option<u32>,
    pub quota_per_day: Option<u32>,
}

fn hash_key(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

/// A new key, its displayable prefix and its hash.
fn new_key() -> (String, String, String) {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let key = format!("{KEY_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes));
    let prefix = key.chars().take(KEY_PREFIX.len() + 6).collect();
    let hash = hash_key(&key);
    (key, prefix, hash)
}

fn invalid(pointer: &str, code: &str, detail: &str) -> ServiceError {
    ServiceError::Validation(ValidationErrors::single(pointer, code, detail))
}

/// Creates a partner; the key is returned once and never stored.
pub async fn create(ctx: &Context, input: NewPartner) -> Result<(PartnerView, String)> {
    create_with(ctx, input, new_key()).await
}

/// Creates a partner with a key chosen in advance: the demo data set's, which its
/// documentation prints. Never for a real partner.
pub async fn create_with_known_key(
    ctx: &Context,
    input: NewPartner,
    key: &str,
) -> Result<(PartnerView, String)> {
    if !key.starts_with(KEY_PREFIX) {
        return Err(invalid("/key", "format", "a key starts with agora_pk_"));
    }
    let prefix = key.chars().take(KEY_PREFIX.len() + 6).collect();
    create_with(ctx, input, (key.to_owned(), prefix, hash_key(key))).await
}

async fn create_with(
    ctx: &Context,
    input: NewPartner,
    (key, key_prefix, key_hash): (String, String, String),
) -> Result<(PartnerView, String)> {
    let name = input.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(invalid("/name", "length", "a name of 1 to 200 characters"));
    }
    let contact_email = match &input.contact_email {
        None => None,
        Some(raw) => Some(
            agora_domain::contact::parse_email(raw)
                .ok_or_else(|| invalid("/contact_email", "format", "not an e-mail address"))?,
        ),
    };
    let defaults = &ctx.settings.partners;
    let per_minute = input
        .quota_per_minute
        .unwrap_or(defaults.default_per_minute);
    let per_day = input.quota_per_day.unwrap_or(defaults.default_per_day);
    if per_minute == 0 || per_day == 0 {
        return Err(invalid("/quota", "range", "quotas are at least 1"));
    }
    let scopes = if input.scopes.is_empty() {
        Scope::ALL.to_vec()
    } else {
        input.scopes
    };
    let record = PartnerRecord {
        id: Uuid::now_v7(),
        name,
        contact_email,
        key_prefix,
        key_hash,
        scopes: Scope::join(&scopes),
        quota_per_minute: per_minute,
        quota_per_day: per_day,
        created_at: ctx.now(),
        rotated_at: None,
        revoked_at: None,
    };
    store::insert(&ctx.db, &record).await?;
    tracing::info!(partner = %record.id, name = %record.name, "partner key created");
    Ok((record.into(), key))
}

pub async fn list(ctx: &Context) -> Result<Vec<PartnerView>> {
    Ok(store::list(&ctx.db)
        .await?
        .into_iter()
        .map(Into::into)
        .collect())
}

/// Gives the partner a new key; the old one is refused from now on.
pub async fn rotate(ctx: &Context, id: Uuid) -> Result<String> {
    let (key, prefix, hash) = new_key();
    if !store::replace_key(&ctx.db, id, &prefix, &hash, ctx.now()).await? {
        return Err(ServiceError::NotFound("active partner"));
    }
    tracing::info!(partner = %id, "partner key rotated");
    Ok(key)
}

pub async fn revoke(ctx: &Context, id: Uuid) -> Result<()> {
    let txn = ctx.begin().await?;
    if !store::revoke(&txn, id, ctx.now()).await? {
        return Err(ServiceError::NotFound("active partner"));
    }
    agora_store::webhooks::disable_all_of(&txn, id, ctx.now(), "the partner's key was revoked")
        .await?;
    txn.commit().await?;
    tracing::info!(partner = %id, "partner key revoked");
    Ok(())
}

/// The partner a key belongs to; an unknown, rotated or revoked key is refused alike.
pub async fn authenticate(ctx: &Context, key: &str) -> Result<PartnerActor> {
    let refused = ServiceError::Unauthenticated("unknown or revoked API key");
    if !key.starts_with(KEY_PREFIX) || key.len() > 200 {
        return Err(refused);
    }
    let record = store::by_key_hash(&ctx.db, &hash_key(key))
        .await?
        .filter(|p| p.revoked_at.is_none())
        .ok_or(refused)?;
    Ok(PartnerActor {
        id: record.id,
        name: record.name,
        scopes: Scope::parse_list(&record.scopes),
        quota_per_minute: record.quota_per_minute,
        quota_per_day: record.quota_per_day,
    })
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DayUsageView {
    /// The day (UTC).
    pub day: NaiveDate,
    /// Requests served.
    pub requests: u64,
    /// Requests refused for the quota (429).
    pub refused: u64,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UsageReport {
    pub partner: PartnerView,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The days with requests, in order.
    pub days: Vec<DayUsageView>,
}

/// A key's requests per day, for administrators and for the partner itself; another
/// partner learns nothing (not even that it exists).
pub async fn usage(
    ctx: &Context,
    actor: &Actor,
    id: Uuid,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<UsageReport> {
    let admin = actor.is_admin();
    let itself = actor.partner().is_some_and(|p| p.id == id);
    if !admin && !itself {
        return Err(ServiceError::NotFound("partner"));
    }
    let to = to.unwrap_or_else(|| ctx.now().date_naive());
    let from = from.unwrap_or(to - chrono::Days::new(29));
    if from > to || (to - from).num_days() > 366 {
        return Err(invalid(
            "/from",
            "range",
            "from is before to, at most 366 days apart",
        ));
    }
    let partner = store::get(&ctx.db, id)
        .await?
        .ok_or(ServiceError::NotFound("partner"))?;
    let days = store::usage(&ctx.db, id, &from.to_string(), &to.to_string())
        .await?
        .into_iter()
        .filter_map(|d| {
            Some(DayUsageView {
                day: d.day.parse().ok()?,
                requests: d.requests,
                refused: d.refused,
            })
        })
        .collect();
    Ok(UsageReport {
        partner: partner.into(),
        from,
        to,
        days,
    })
}
