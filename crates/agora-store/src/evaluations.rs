//! Evaluations of services, the structures' public responses, and the waves of "contact
//! wrong" answers. Plain records here; who may read what is decided in agora-service.

use crate::Result;
use crate::entities::{evaluation_responses, evaluation_waves, evaluations};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

pub const COUNTED: &str = "counted";
pub const HELD: &str = "held";

/// The questionnaire's answers; `None` where the person did not answer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Answers {
    pub contact_correct: Option<bool>,
    /// Days before an answer came (0–60).
    pub answer_days: Option<i32>,
    /// No answer came at all (then `answer_days` is `None`).
    pub no_answer: bool,
    pub free_as_listed: Option<bool>,
    pub accessible: Option<bool>,
    /// 1 (not clear) to 4 (very clear).
    pub information_clear: Option<i32>,
    pub would_recommend: Option<bool>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EvaluationRecord {
    pub id: Uuid,
    pub service_id: Uuid,
    /// `None` once the account was erased.
    pub account_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub answers: Answers,
    /// For the structure and moderators only.
    pub comment: Option<String>,
    pub weight: f64,
    pub new_account: bool,
    /// [`COUNTED`] or [`HELD`].
    pub state: String,
    pub hold_reason: Option<String>,
    pub held_until: Option<DateTime<Utc>>,
    pub counted_at: Option<DateTime<Utc>>,
}

fn record(m: evaluations::Model) -> EvaluationRecord {
    EvaluationRecord {
        id: m.id,
        service_id: m.service_id,
        account_id: m.account_id,
        created_at: m.created_at,
        answers: Answers {
            contact_correct: m.contact_correct,
            answer_days: m.answer_days,
            no_answer: m.no_answer,
            free_as_listed: m.free_as_listed,
            accessible: m.accessible,
            information_clear: m.information_clear,
            would_recommend: m.would_recommend,
        },
        comment: m.comment,
        weight: m.weight,
        new_account: m.new_account,
        state: m.state,
        hold_reason: m.hold_reason,
        held_until: m.held_until,
        counted_at: m.counted_at,
    }
}

pub async fn insert(db: &impl ConnectionTrait, r: &EvaluationRecord) -> Result<()> {
    let a = &r.answers;
    evaluations::ActiveModel {
        id: Set(r.id),
        service_id: Set(r.service_id),
        account_id: Set(r.account_id),
        created_at: Set(r.created_at),
        contact_correct: Set(a.contact_correct),
        answer_days: Set(a.answer_days),
        no_answer: Set(a.no_answer),
        free_as_listed: Set(a.free_as_listed),
        accessible: Set(a.accessible),
        information_clear: Set(a.information_clear),
        would_recommend: Set(a.would_recommend),
        comment: Set(r.comment.clone()),
        weight: Set(r.weight),
        new_account: Set(r.new_account),
        state: Set(r.state.clone()),
        hold_reason: Set(r.hold_reason.clone()),
        held_until: Set(r.held_until),
        counted_at: Set(r.counted_at),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// When the account's evaluations after `since` were made, oldest first (the oldest tells
/// when the account may evaluate again).
pub async fn by_account_since(
    db: &impl ConnectionTrait,
    account_id: Uuid,
    since: DateTime<Utc>,
) -> Result<Vec<DateTime<Utc>>> {
    Ok(evaluations::Entity::find()
        .filter(evaluations::Column::AccountId.eq(account_id))
        .filter(evaluations::Column::CreatedAt.gt(since))
        .order_by_asc(evaluations::Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.created_at)
        .collect())
}

/// The account's latest evaluation of the service.
pub async fn latest_of(
    db: &impl ConnectionTrait,
    account_id: Uuid,
    service_id: Uuid,
) -> Result<Option<EvaluationRecord>> {
    Ok(evaluations::Entity::find()
        .filter(evaluations::Column::AccountId.eq(account_id))
        .filter(evaluations::Column::ServiceId.eq(service_id))
        .order_by_desc(evaluations::Column::CreatedAt)
        .one(db)
        .await?
        .map(record))
}

/// Evaluations of the service made since `since`, whatever their state (a burst).
pub async fn count_for_service_since(
    db: &impl ConnectionTrait,
    service_id: Uuid,
    since: DateTime<Utc>,
) -> Result<u64> {
    Ok(evaluations::Entity::find()
        .filter(evaluations::Column::ServiceId.eq(service_id))
        .filter(evaluations::Column::CreatedAt.gte(since))
        .count(db)
        .await?)
}

/// Counted evaluations of these services made since `since`.
pub async fn counted_for(
    db: &impl ConnectionTrait,
    service_ids: Vec<Uuid>,
    since: DateTime<Utc>,
) -> Result<Vec<EvaluationRecord>> {
    if service_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(evaluations::Entity::find()
        .filter(evaluations::Column::ServiceId.is_in(service_ids))
        .filter(evaluations::Column::State.eq(COUNTED))
        .filter(evaluations::Column::CreatedAt.gte(since))
        .order_by_asc(evaluations::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(record)
        .collect())
}

/// Counted evaluations of the service since `since` that said the contact was wrong.
pub async fn contact_wrong_since(
    db: &impl ConnectionTrait,
    service_id: Uuid,
    since: DateTime<Utc>,
) -> Result<Vec<EvaluationRecord>> {
    Ok(evaluations::Entity::find()
        .filter(evaluations::Column::ServiceId.eq(service_id))
        .filter(evaluations::Column::State.eq(COUNTED))
        .filter(evaluations::Column::ContactCorrect.eq(false))
        .filter(evaluations::Column::CreatedAt.gte(since))
        .all(db)
        .await?
        .into_iter()
        .map(record)
        .collect())
}

/// Held evaluations whose delay has run out, in id order.
pub async fn held_due(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<EvaluationRecord>> {
    let mut q = evaluations::Entity::find()
        .filter(evaluations::Column::State.eq(HELD))
        .filter(evaluations::Column::HeldUntil.lte(now));
    if let Some(after) = after {
        q = q.filter(evaluations::Column::Id.gt(after));
    }
    Ok(q.order_by_asc(evaluations::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(record)
        .collect())
}

/// Counts a held evaluation from `now`: true for the one caller that moved it.
pub async fn release(db: &impl ConnectionTrait, id: Uuid, now: DateTime<Utc>) -> Result<bool> {
    let res = evaluations::Entity::update_many()
        .col_expr(evaluations::Column::State, Expr::value(COUNTED))
        .col_expr(evaluations::Column::CountedAt, Expr::value(now))
        .filter(evaluations::Column::Id.eq(id))
        .filter(evaluations::Column::State.eq(HELD))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// The account's evaluations, newest first.
pub async fn of_account(
    db: &impl ConnectionTrait,
    account_id: Uuid,
) -> Result<Vec<EvaluationRecord>> {
    Ok(evaluations::Entity::find()
        .filter(evaluations::Column::AccountId.eq(account_id))
        .order_by_desc(evaluations::Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .map(record)
        .collect())
}

/// Evaluations of the service that carry a comment, newest first, a page at a time.
pub async fn with_comments(
    db: &impl ConnectionTrait,
    service_id: Uuid,
    offset: u64,
    limit: u64,
) -> Result<Vec<EvaluationRecord>> {
    Ok(evaluations::Entity::find()
        .filter(evaluations::Column::ServiceId.eq(service_id))
        .filter(evaluations::Column::Comment.is_not_null())
        .order_by_desc(evaluations::Column::Id)
        .offset(offset)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(record)
        .collect())
}

/// An erased account's evaluations stay in the figures, unattributed; their comments go.
pub async fn forget_account(db: &impl ConnectionTrait, account_id: Uuid) -> Result<u64> {
    let res = evaluations::Entity::update_many()
        .col_expr(
            evaluations::Column::AccountId,
            Expr::value(Option::<Uuid>::None),
        )
        .col_expr(
            evaluations::Column::Comment,
            Expr::value(Option::<String>::None),
        )
        .filter(evaluations::Column::AccountId.eq(account_id))
        .exec(db)
        .await?;
    evaluation_responses::Entity::update_many()
        .col_expr(
            evaluation_responses::Column::AuthorId,
            Expr::value(Option::<Uuid>::None),
        )
        .filter(evaluation_responses::Column::AuthorId.eq(account_id))
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}

/// A structure's public response under the evaluations of one of its services.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseRecord {
    pub service_id: Uuid,
    pub body: String,
    pub author_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn response(m: evaluation_responses::Model) -> ResponseRecord {
    ResponseRecord {
        service_id: m.service_id,
        body: m.body,
        author_id: m.author_id,
        created_at: m.created_at,
        updated_at: m.updated_at,
    }
}

pub async fn response_of(
    db: &impl ConnectionTrait,
    service_id: Uuid,
) -> Result<Option<ResponseRecord>> {
    Ok(evaluation_responses::Entity::find_by_id(service_id)
        .one(db)
        .await?
        .map(response))
}

/// Writes the response, replacing any (the caller holds the service's lock).
pub async fn put_response(db: &impl ConnectionTrait, r: &ResponseRecord) -> Result<()> {
    evaluation_responses::Entity::delete_by_id(r.service_id)
        .exec(db)
        .await?;
    evaluation_responses::ActiveModel {
        service_id: Set(r.service_id),
        body: Set(r.body.clone()),
        author_id: Set(r.author_id),
        created_at: Set(r.created_at),
        updated_at: Set(r.updated_at),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Removes the response; false when there was none.
pub async fn delete_response(db: &impl ConnectionTrait, service_id: Uuid) -> Result<bool> {
    let res = evaluation_responses::Entity::delete_by_id(service_id)
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// When the service last went back into the refresh workflow because of evaluations.
pub async fn last_wave(
    db: &impl ConnectionTrait,
    service_id: Uuid,
) -> Result<Option<DateTime<Utc>>> {
    Ok(evaluation_waves::Entity::find()
        .filter(evaluation_waves::Column::ServiceId.eq(service_id))
        .order_by_desc(evaluation_waves::Column::TriggeredAt)
        .one(db)
        .await?
        .map(|m| m.triggered_at))
}

pub async fn insert_wave(
    db: &impl ConnectionTrait,
    service_id: Uuid,
    at: DateTime<Utc>,
    accounts: i32,
) -> Result<()> {
    evaluation_waves::ActiveModel {
        id: Set(Uuid::now_v7()),
        service_id: Set(service_id),
        triggered_at: Set(at),
        accounts: Set(accounts),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// How many waves the service had (tests and indicators).
pub async fn count_waves(db: &impl ConnectionTrait, service_id: Uuid) -> Result<u64> {
    Ok(evaluation_waves::Entity::find()
        .filter(evaluation_waves::Column::ServiceId.eq(service_id))
        .count(db)
        .await?)
}
