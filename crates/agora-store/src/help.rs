//! Contributor profiles and help offers. Offers are plain records here; who may read
//! which of their fields is decided in agora-service.

use crate::Result;
use crate::entities::{contributor_profiles, help_offers};
use crate::error::parse_stored;
use agora_domain::help::{OfferState, Outcome, Wants};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq)]
pub struct ProfileRecord {
    pub user_id: Uuid,
    pub skills: Vec<String>,
    /// `patient` or `caregiver`, with consent.
    pub experience_kind: Option<String>,
    /// What they choose to tell of it (health data: consented, never public).
    pub experience: Option<String>,
    pub consent_at: Option<DateTime<Utc>>,
    pub region: Option<String>,
    pub availability: Option<String>,
    /// `email` or `phone`.
    pub contact_channel: String,
    pub phone: Option<String>,
    pub updated_at: DateTime<Utc>,
}

pub async fn profile(db: &impl ConnectionTrait, user_id: Uuid) -> Result<Option<ProfileRecord>> {
    contributor_profiles::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .map(|m| {
            Ok(ProfileRecord {
                user_id: m.user_id,
                skills: serde_json::from_value(m.skills).unwrap_or_default(),
                experience_kind: m.experience_kind,
                experience: m.experience,
                consent_at: m.consent_at,
                region: m.region,
                availability: m.availability,
                contact_channel: m.contact_channel,
                phone: m.phone,
                updated_at: m.updated_at,
            })
        })
        .transpose()
}

pub async fn save_profile(db: &impl ConnectionTrait, p: &ProfileRecord) -> Result<()> {
    contributor_profiles::Entity::delete_by_id(p.user_id)
        .exec(db)
        .await?;
    contributor_profiles::ActiveModel {
        user_id: Set(p.user_id),
        skills: Set(serde_json::json!(p.skills)),
        experience_kind: Set(p.experience_kind.clone()),
        experience: Set(p.experience.clone()),
        consent_at: Set(p.consent_at),
        region: Set(p.region.clone()),
        availability: Set(p.availability.clone()),
        contact_channel: Set(p.contact_channel.clone()),
        phone: Set(p.phone.clone()),
        updated_at: Set(p.updated_at),
    }
    .insert(db)
    .await?;
    Ok(())
}

pub async fn delete_profile(db: &impl ConnectionTrait, user_id: Uuid) -> Result<()> {
    contributor_profiles::Entity::delete_by_id(user_id)
        .exec(db)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq)]
pub struct OfferRecord {
    pub id: Uuid,
    pub project_id: Uuid,
    pub structure_id: Uuid,
    pub contributor_id: Uuid,
    /// The contributor's région when they offered (indicators).
    pub region: Option<String>,
    pub message: String,
    pub skills: Vec<String>,
    pub wants: Wants,
    pub contact_email: String,
    pub contact_phone: Option<String>,
    pub health_info: Option<String>,
    pub health_consent_at: Option<DateTime<Utc>>,
    pub state: OfferState,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub screened_at: Option<DateTime<Utc>>,
    pub screened_by: Option<Uuid>,
    pub decline_reason: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
    pub answered_by: Option<Uuid>,
    pub connected_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub outcome: Option<Outcome>,
    pub outcome_note: Option<String>,
    pub moderator_notes: Option<String>,
    pub reminders_sent: i32,
    pub health_purged_at: Option<DateTime<Utc>>,
}

fn offer(m: help_offers::Model) -> Result<OfferRecord> {
    Ok(OfferRecord {
        id: m.id,
        project_id: m.project_id,
        structure_id: m.structure_id,
        contributor_id: m.contributor_id,
        region: m.region,
        message: m.message,
        skills: serde_json::from_value(m.skills).unwrap_or_default(),
        wants: parse_stored("help_offers.wants", &m.wants, Wants::parse)?,
        contact_email: m.contact_email,
        contact_phone: m.contact_phone,
        health_info: m.health_info,
        health_consent_at: m.health_consent_at,
        state: parse_stored("help_offers.state", &m.state, OfferState::parse)?,
        created_at: m.created_at,
        updated_at: m.updated_at,
        screened_at: m.screened_at,
        screened_by: m.screened_by,
        decline_reason: m.decline_reason,
        answered_at: m.answered_at,
        answered_by: m.answered_by,
        connected_at: m.connected_at,
        closed_at: m.closed_at,
        outcome: m
            .outcome
            .map(|o| parse_stored("help_offers.outcome", &o, Outcome::parse))
            .transpose()?,
        outcome_note: m.outcome_note,
        moderator_notes: m.moderator_notes,
        reminders_sent: m.reminders_sent,
        health_purged_at: m.health_purged_at,
    })
}

fn active(r: &OfferRecord) -> help_offers::ActiveModel {
    help_offers::ActiveModel {
        id: Set(r.id),
        project_id: Set(r.project_id),
        structure_id: Set(r.structure_id),
        contributor_id: Set(r.contributor_id),
        region: Set(r.region.clone()),
        message: Set(r.message.clone()),
        skills: Set(serde_json::json!(r.skills)),
        wants: Set(r.wants.as_str().to_owned()),
        contact_email: Set(r.contact_email.clone()),
        contact_phone: Set(r.contact_phone.clone()),
        health_info: Set(r.health_info.clone()),
        health_consent_at: Set(r.health_consent_at),
        state: Set(r.state.as_str().to_owned()),
        created_at: Set(r.created_at),
        updated_at: Set(r.updated_at),
        screened_at: Set(r.screened_at),
        screened_by: Set(r.screened_by),
        decline_reason: Set(r.decline_reason.clone()),
        answered_at: Set(r.answered_at),
        answered_by: Set(r.answered_by),
        connected_at: Set(r.connected_at),
        closed_at: Set(r.closed_at),
        outcome: Set(r.outcome.map(|o| o.as_str().to_owned())),
        outcome_note: Set(r.outcome_note.clone()),
        moderator_notes: Set(r.moderator_notes.clone()),
        reminders_sent: Set(r.reminders_sent),
        health_purged_at: Set(r.health_purged_at),
        // Kept apart so that indicators are computed by the database from this column
        // alone, never from rows that carry health information.
        first_answer_minutes: Set(r.screened_at.map(|s| (s - r.created_at).num_minutes())),
    }
}

pub async fn insert(db: &impl ConnectionTrait, r: &OfferRecord) -> Result<()> {
    active(r).insert(db).await?;
    Ok(())
}

pub async fn get(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<OfferRecord>> {
    help_offers::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(offer)
        .transpose()
}

/// Writes `r` if its stored state is still `expected`: false when someone moved it first.
pub async fn save_if(
    db: &impl ConnectionTrait,
    r: &OfferRecord,
    expected: OfferState,
) -> Result<bool> {
    let res = help_offers::Entity::update_many()
        .set(active(r))
        .filter(help_offers::Column::Id.eq(r.id))
        .filter(help_offers::Column::State.eq(expected.as_str()))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

pub async fn of_contributor(
    db: &impl ConnectionTrait,
    contributor_id: Uuid,
) -> Result<Vec<OfferRecord>> {
    help_offers::Entity::find()
        .filter(help_offers::Column::ContributorId.eq(contributor_id))
        .order_by_desc(help_offers::Column::CreatedAt)
        .order_by_desc(help_offers::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(offer)
        .collect()
}

pub async fn of_project(db: &impl ConnectionTrait, project_id: Uuid) -> Result<Vec<OfferRecord>> {
    help_offers::Entity::find()
        .filter(help_offers::Column::ProjectId.eq(project_id))
        .order_by_asc(help_offers::Column::CreatedAt)
        .order_by_asc(help_offers::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(offer)
        .collect()
}

/// Offers in `states`, oldest first, after `after`.
pub async fn in_states(
    db: &impl ConnectionTrait,
    states: &[OfferState],
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<OfferRecord>> {
    let mut q = help_offers::Entity::find()
        .filter(help_offers::Column::State.is_in(states.iter().map(|s| s.as_str())));
    if let Some(after) = after {
        q = q.filter(help_offers::Column::Id.gt(after));
    }
    q.order_by_asc(help_offers::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(offer)
        .collect()
}

/// Offers made by a contributor since `since` (quota).
pub async fn count_by_contributor_since(
    db: &impl ConnectionTrait,
    contributor_id: Uuid,
    since: DateTime<Utc>,
) -> Result<u64> {
    Ok(help_offers::Entity::find()
        .filter(help_offers::Column::ContributorId.eq(contributor_id))
        .filter(help_offers::Column::CreatedAt.gte(since))
        .count(db)
        .await?)
}

/// Offers made to a project since `since` (quota).
pub async fn count_for_project_since(
    db: &impl ConnectionTrait,
    project_id: Uuid,
    since: DateTime<Utc>,
) -> Result<u64> {
    Ok(help_offers::Entity::find()
        .filter(help_offers::Column::ProjectId.eq(project_id))
        .filter(help_offers::Column::CreatedAt.gte(since))
        .count(db)
        .await?)
}

/// Finished offers whose health information is older than `before`: forgotten.
pub async fn purge_health_info(
    db: &impl ConnectionTrait,
    finished_before: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<u64> {
    let finished = [
        OfferState::Declined,
        OfferState::Refused,
        OfferState::Closed,
        OfferState::Expired,
    ];
    let res = help_offers::Entity::update_many()
        .col_expr(
            help_offers::Column::HealthInfo,
            Expr::value(Option::<String>::None),
        )
        .col_expr(help_offers::Column::HealthPurgedAt, Expr::value(now))
        .filter(help_offers::Column::HealthInfo.is_not_null())
        .filter(help_offers::Column::State.is_in(finished.iter().map(|s| s.as_str())))
        .filter(help_offers::Column::UpdatedAt.lt(finished_before))
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}

/// Indicators of help offers, counted by the database.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OfferStats {
    pub by_state: Vec<(String, u64)>,
    /// Projects with at least one connected (or closed) offer.
    pub projects_with_contributors: u64,
    /// Median minutes from an offer to a moderator's first answer.
    pub median_minutes_to_first_answer: Option<f64>,
}

/// Offers by state, projects that found contributors and the median time to a first
/// answer, optionally for contributors of one région: aggregates and one column, never
/// the offers themselves.
pub async fn stats(db: &impl ConnectionTrait, region: Option<&str>) -> Result<OfferStats> {
    let in_region = || {
        let mut c = sea_orm::Condition::all();
        if let Some(r) = region {
            c = c.add(help_offers::Column::Region.eq(r));
        }
        c
    };
    let by_state = help_offers::Entity::find()
        .select_only()
        .column(help_offers::Column::State)
        .column_as(Expr::col(help_offers::Column::Id).count(), "n")
        .filter(in_region())
        .group_by(help_offers::Column::State)
        .into_tuple::<(String, i64)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(s, n)| (s, u64::try_from(n).unwrap_or(0)))
        .collect();
    let connected = [OfferState::Connected, OfferState::Closed].map(|s| s.as_str());
    let projects = help_offers::Entity::find()
        .select_only()
        .column_as(
            Expr::col(help_offers::Column::ProjectId).count_distinct(),
            "n",
        )
        .filter(in_region())
        .filter(help_offers::Column::State.is_in(connected))
        .into_tuple::<i64>()
        .one(db)
        .await?
        .unwrap_or(0);
    let answered = || {
        help_offers::Entity::find()
            .filter(in_region())
            .filter(help_offers::Column::FirstAnswerMinutes.is_not_null())
    };
    let n = answered().count(db).await?;
    let median = if n == 0 {
        None
    } else {
        // The middle value, or the two middle ones.
        let middle: Vec<i64> = answered()
            .select_only()
            .column(help_offers::Column::FirstAnswerMinutes)
            .order_by_asc(help_offers::Column::FirstAnswerMinutes)
            .offset((n - 1) / 2)
            .limit(if n % 2 == 0 { 2 } else { 1 })
            .into_tuple::<i64>()
            .all(db)
            .await?;
        (!middle.is_empty()).then(|| middle.iter().sum::<i64>() as f64 / middle.len() as f64)
    };
    Ok(OfferStats {
        by_state,
        projects_with_contributors: u64::try_from(projects).unwrap_or(0),
        median_minutes_to_first_answer: median,
    })
}

/// Erasure: a contributor's offers lose their contact details and health information.
pub async fn forget_contributor(db: &impl ConnectionTrait, contributor_id: Uuid) -> Result<u64> {
    let res = help_offers::Entity::update_many()
        .col_expr(help_offers::Column::ContactEmail, Expr::value(""))
        .col_expr(
            help_offers::Column::ContactPhone,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            help_offers::Column::HealthInfo,
            Expr::value(Option::<String>::None),
        )
        .col_expr(help_offers::Column::Message, Expr::value("(effacé)"))
        .filter(help_offers::Column::ContributorId.eq(contributor_id))
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}
