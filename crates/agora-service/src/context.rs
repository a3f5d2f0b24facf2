//! What every use case needs: the database, the clock, token keys, the vocabularies, the
//! settings; and who is calling.

use crate::Result;
use crate::tokens::TokenKeys;
use agora_domain::{Clock, PlatformRole, RefreshSchedule, Vocabularies};
use agora_geo::CommunePoints;
use agora_search::SearchIndex;
use agora_store::db::{SqliteTransactionMode, TransactionOptions};
use agora_store::{DatabaseConnection, DatabaseTransaction, TransactionTrait};
use std::sync::Arc;
use tokio::sync::Notify;
use uuid::Uuid;

/// Tunables of the use cases, from configuration.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Lifetime of a refresh token, hence of an idle session.
    pub refresh_ttl: chrono::Duration,
    /// When listings fall due for confirmation, then stale, then hidden.
    pub refresh: RefreshSchedule,
    pub mail: crate::mail::MailSettings,
    /// Error reports a client may send per hour.
    pub reports_per_client_per_hour: u64,
    /// The label's decision rule, rubric and validity.
    pub label: agora_domain::label::LabelRules,
    pub help: crate::help::HelpSettings,
    /// Threads and queue of password hashing.
    pub passwords: crate::passwords::PoolSize,
    /// Verification and reset links, invitations, sign-in throttling.
    pub accounts: crate::accounts::AccountSettings,
    /// Partners' default quotas, the changes feed's retention.
    pub partners: crate::partners::PartnerSettings,
    pub webhooks: crate::webhooks::WebhookSettings,
    /// The evaluations' plausibility check and display rule.
    pub evaluations: crate::evaluations::EvaluationSettings,
    /// Speed meetings: when the six-month feedback is asked for.
    pub meetings: crate::meetings::MeetingSettings,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            refresh_ttl: chrono::Duration::days(30),
            refresh: RefreshSchedule::default(),
            mail: crate::mail::MailSettings::default(),
            reports_per_client_per_hour: 5,
            label: agora_domain::label::LabelRules::default(),
            help: crate::help::HelpSettings::default(),
            passwords: crate::passwords::PoolSize::default(),
            accounts: crate::accounts::AccountSettings::default(),
            partners: crate::partners::PartnerSettings::default(),
            webhooks: crate::webhooks::WebhookSettings::default(),
            evaluations: crate::evaluations::EvaluationSettings::default(),
            meetings: crate::meetings::MeetingSettings::default(),
        }
    }
}

/// Where communes are (once centroids are imported), and which import that was.
#[derive(Debug, Clone, Default)]
pub struct Geography {
    pub points: Arc<CommunePoints>,
    /// Identifies the imported centroids; the search index records the one it used.
    pub version: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Context {
    pub db: DatabaseConnection,
    pub clock: Arc<dyn Clock>,
    pub tokens: Arc<TokenKeys>,
    /// Where passwords are hashed and checked: a bounded pool, shared by the instance.
    pub passwords: Arc<crate::passwords::PasswordPool>,
    pub vocab: Arc<Vocabularies>,
    pub settings: Settings,
    pub geography: Arc<Geography>,
    /// This instance's search index, once opened.
    pub search: Option<Arc<SearchIndex>>,
    /// Woken after each write that appends to the change log, so that followers (the
    /// search index) apply it at once rather than at their next poll.
    pub changed: Arc<Notify>,
    /// Woken after a mail is queued, so that the dispatcher sends it at once.
    pub mail_queued: Arc<Notify>,
}

impl Context {
    /// Starts a write transaction. On SQLite it takes the write lock at once (`BEGIN
    /// IMMEDIATE`), so concurrent writers queue on the busy timeout instead of failing
    /// when a read transaction tries to upgrade.
    pub async fn begin(&self) -> Result<DatabaseTransaction> {
        let options = TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        };
        Ok(self.db.begin_with_options(options).await?)
    }

    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }
}

/// An authenticated user, as established from a valid access token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserActor {
    pub id: Uuid,
    pub role: Option<PlatformRole>,
    pub session_id: Uuid,
}

/// Who is calling a use case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    Anonymous,
    User(UserActor),
    /// A partner site with a valid API key: it reads what the public may read, within its
    /// scopes and quotas.
    Partner(crate::partners::PartnerActor),
}

impl Actor {
    pub fn user(&self) -> Option<&UserActor> {
        match self {
            Self::User(u) => Some(u),
            Self::Anonymous | Self::Partner(_) => None,
        }
    }

    pub fn partner(&self) -> Option<&crate::partners::PartnerActor> {
        match self {
            Self::Partner(p) => Some(p),
            Self::Anonymous | Self::User(_) => None,
        }
    }

    pub fn require_user(&self) -> Result<&UserActor> {
        self.user()
            .ok_or(crate::ServiceError::Unauthenticated("sign in to do this"))
    }

    pub fn is_moderator(&self) -> bool {
        self.user()
            .and_then(|u| u.role)
            .is_some_and(PlatformRole::moderates)
    }

    pub fn is_admin(&self) -> bool {
        self.user()
            .and_then(|u| u.role)
            .is_some_and(|r| r == PlatformRole::Admin)
    }

    pub fn require_moderator(&self) -> Result<&UserActor> {
        let user = self.require_user()?;
        if self.is_moderator() {
            Ok(user)
        } else {
            Err(crate::ServiceError::Forbidden("this is for moderators"))
        }
    }
}
