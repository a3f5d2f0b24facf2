//! The persistent mail queue. A mail is written in the transaction of the action that
//! causes it, then delivered by the dispatcher. A mail is claimed (`sending`) before it is
//! handed to the transport, so two dispatchers never send it both, and a claim that was
//! never completed (a crash mid-send) ends as `uncertain` rather than being sent again:
//! delivery is at most once per queued mail.

use crate::Result;
use crate::entities::mail_queue;
use crate::error::parse_stored;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailState {
    /// Waiting for its next attempt.
    Queued,
    /// Claimed by a dispatcher, being handed to the transport.
    Sending,
    Sent,
    /// Refused for good by the server, or out of attempts.
    Failed,
    /// Not sent: its recipient had already had their share of mail that day.
    Capped,
    /// Its sender stopped mid-send: it may or may not have left, and is not sent again.
    Uncertain,
}

impl MailState {
    pub const ALL: [Self; 6] = [
        Self::Queued,
        Self::Sending,
        Self::Sent,
        Self::Failed,
        Self::Capped,
        Self::Uncertain,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Sending => "sending",
            Self::Sent => "sent",
            Self::Failed => "failed",
            Self::Capped => "capped",
            Self::Uncertain => "uncertain",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedMail {
    pub id: Uuid,
    /// Which message it is (`refresh_reminder`, `approved`, …).
    pub kind: String,
    pub recipient: String,
    /// Shown beside the address; user-written, so cut to one line when the mail is built.
    pub recipient_name: Option<String>,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub state: MailState,
    pub attempts: i32,
    pub created_at: DateTime<Utc>,
    pub next_attempt_at: DateTime<Utc>,
    pub claimed_until: Option<DateTime<Utc>>,
    pub sent_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
}

fn record(m: mail_queue::Model) -> Result<QueuedMail> {
    Ok(QueuedMail {
        id: m.id,
        kind: m.kind,
        recipient: m.recipient,
        recipient_name: m.recipient_name,
        subject: m.subject,
        body_text: m.body_text,
        body_html: m.body_html,
        state: parse_stored("mail_queue.state", &m.state, MailState::parse)?,
        attempts: m.attempts,
        created_at: m.created_at,
        next_attempt_at: m.next_attempt_at,
        claimed_until: m.claimed_until,
        sent_at: m.sent_at,
        last_error: m.last_error,
    })
}

pub async fn insert(db: &impl ConnectionTrait, mail: &QueuedMail) -> Result<()> {
    mail_queue::ActiveModel {
        id: Set(mail.id),
        kind: Set(mail.kind.clone()),
        recipient: Set(mail.recipient.clone()),
        recipient_name: Set(mail.recipient_name.clone()),
        subject: Set(mail.subject.clone()),
        body_text: Set(mail.body_text.clone()),
        body_html: Set(mail.body_html.clone()),
        state: Set(mail.state.as_str().to_owned()),
        attempts: Set(mail.attempts),
        created_at: Set(mail.created_at),
        next_attempt_at: Set(mail.next_attempt_at),
        claimed_until: Set(mail.claimed_until),
        sent_at: Set(mail.sent_at),
        last_error: Set(mail.last_error.clone()),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Mails delivered since `since` (the daily cap counts them).
pub async fn sent_since(db: &impl ConnectionTrait, since: DateTime<Utc>) -> Result<u64> {
    Ok(mail_queue::Entity::find()
        .filter(mail_queue::Column::SentAt.gte(since))
        .count(db)
        .await?)
}

/// Whether `recipient` was queued at least `cap` mails (not held back) since `since`. The
/// count stops at `cap`, and reads an index by recipient and state: a recipient with
/// thousands of held-back mails costs no more than one with none.
pub async fn share_used_since(
    db: &impl ConnectionTrait,
    recipient: &str,
    since: DateTime<Utc>,
    cap: u64,
) -> Result<bool> {
    let counted: Vec<&str> = MailState::ALL
        .iter()
        .filter(|s| **s != MailState::Capped)
        .map(|s| s.as_str())
        .collect();
    let found = mail_queue::Entity::find()
        .select_only()
        .column(mail_queue::Column::Id)
        .filter(mail_queue::Column::Recipient.eq(recipient))
        .filter(mail_queue::Column::State.is_in(counted))
        .filter(mail_queue::Column::CreatedAt.gte(since))
        .limit(cap)
        .into_tuple::<Uuid>()
        .all(db)
        .await?;
    Ok(found.len() as u64 >= cap)
}

/// Queued mails whose next attempt is due, oldest first.
pub async fn due(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<QueuedMail>> {
    mail_queue::Entity::find()
        .filter(mail_queue::Column::State.eq(MailState::Queued.as_str()))
        .filter(mail_queue::Column::NextAttemptAt.lte(now))
        .order_by_asc(mail_queue::Column::NextAttemptAt)
        .order_by_asc(mail_queue::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(record)
        .collect()
}

/// Takes a queued mail for sending until `lease_until`; false when another dispatcher
/// took it first.
pub async fn claim(
    db: &impl ConnectionTrait,
    id: Uuid,
    lease_until: DateTime<Utc>,
) -> Result<bool> {
    let res = mail_queue::Entity::update_many()
        .col_expr(
            mail_queue::Column::State,
            Expr::value(MailState::Sending.as_str()),
        )
        .col_expr(mail_queue::Column::ClaimedUntil, Expr::value(lease_until))
        .col_expr(
            mail_queue::Column::Attempts,
            Expr::col(mail_queue::Column::Attempts).add(1),
        )
        .filter(mail_queue::Column::Id.eq(id))
        .filter(mail_queue::Column::State.eq(MailState::Queued.as_str()))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

async fn finish_claim(
    db: &impl ConnectionTrait,
    id: Uuid,
    state: MailState,
    sent_at: Option<DateTime<Utc>>,
    next_attempt_at: Option<DateTime<Utc>>,
    error: Option<String>,
) -> Result<()> {
    let mut q = mail_queue::Entity::update_many()
        .col_expr(mail_queue::Column::State, Expr::value(state.as_str()))
        .col_expr(
            mail_queue::Column::ClaimedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(mail_queue::Column::LastError, Expr::value(error));
    if let Some(at) = sent_at {
        q = q.col_expr(mail_queue::Column::SentAt, Expr::value(at));
    }
    if let Some(at) = next_attempt_at {
        q = q.col_expr(mail_queue::Column::NextAttemptAt, Expr::value(at));
    }
    q.filter(mail_queue::Column::Id.eq(id))
        .filter(mail_queue::Column::State.eq(MailState::Sending.as_str()))
        .exec(db)
        .await?;
    Ok(())
}

/// Puts back a mail claimed but not handed to the transport (its dispatcher is stopping):
/// `queued` again, the claim's attempt not counted.
pub async fn release(db: &impl ConnectionTrait, id: Uuid) -> Result<()> {
    mail_queue::Entity::update_many()
        .col_expr(
            mail_queue::Column::State,
            Expr::value(MailState::Queued.as_str()),
        )
        .col_expr(
            mail_queue::Column::ClaimedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(
            mail_queue::Column::Attempts,
            Expr::col(mail_queue::Column::Attempts).sub(1),
        )
        .filter(mail_queue::Column::Id.eq(id))
        .filter(mail_queue::Column::State.eq(MailState::Sending.as_str()))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn mark_sent(db: &impl ConnectionTrait, id: Uuid, at: DateTime<Utc>) -> Result<()> {
    finish_claim(db, id, MailState::Sent, Some(at), None, None).await
}

/// Puts a claimed mail back in the queue for another attempt at `at`.
pub async fn retry_at(
    db: &impl ConnectionTrait,
    id: Uuid,
    at: DateTime<Utc>,
    error: String,
) -> Result<()> {
    finish_claim(db, id, MailState::Queued, None, Some(at), Some(error)).await
}

pub async fn mark_failed(db: &impl ConnectionTrait, id: Uuid, error: String) -> Result<()> {
    finish_claim(db, id, MailState::Failed, None, None, Some(error)).await
}

/// Claims whose lease ran out (their dispatcher stopped mid-send) become `uncertain`.
pub async fn expire_claims(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<u64> {
    let res = mail_queue::Entity::update_many()
        .col_expr(
            mail_queue::Column::State,
            Expr::value(MailState::Uncertain.as_str()),
        )
        .col_expr(
            mail_queue::Column::LastError,
            Expr::value("the dispatcher stopped while sending; not sent again"),
        )
        .filter(mail_queue::Column::State.eq(MailState::Sending.as_str()))
        .filter(mail_queue::Column::ClaimedUntil.lt(now))
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}

/// Forgets every mail to `recipient`, sent or not (erasure of their account).
pub async fn forget_recipient(db: &impl ConnectionTrait, recipient: &str) -> Result<u64> {
    let res = mail_queue::Entity::delete_many()
        .filter(mail_queue::Column::Recipient.eq(recipient))
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}

/// Every mail to `recipient`, oldest first (operators, tests).
pub async fn to_recipient(db: &impl ConnectionTrait, recipient: &str) -> Result<Vec<QueuedMail>> {
    mail_queue::Entity::find()
        .filter(mail_queue::Column::Recipient.eq(recipient))
        .order_by_asc(mail_queue::Column::CreatedAt)
        .order_by_asc(mail_queue::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(record)
        .collect()
}

/// How many mails are in each state, read at one instant (one query), so that a mail
/// moving between states meanwhile is counted once.
pub async fn count_by_state(db: &impl ConnectionTrait) -> Result<Vec<(MailState, u64)>> {
    let rows: Vec<(String, i64)> = mail_queue::Entity::find()
        .select_only()
        .column(mail_queue::Column::State)
        .column_as(mail_queue::Column::Id.count(), "n")
        .group_by(mail_queue::Column::State)
        .into_tuple()
        .all(db)
        .await?;
    Ok(MailState::ALL
        .into_iter()
        .map(|state| {
            let n = rows
                .iter()
                .find(|(s, _)| s == state.as_str())
                .map_or(0, |(_, n)| u64::try_from(*n).unwrap_or(0));
            (state, n)
        })
        .collect())
}
