//! The three listing tables (structures, services, projects) share their lifecycle columns;
//! this module reads and writes them through one record type.

use crate::entities::{projects, services, structures};
use crate::error::parse_stored;
use crate::{Result, StoreError};
use agora_domain::{Freshness, ListingKind, ListingStatus};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq)]
pub struct ListingRecord {
    pub kind: ListingKind,
    pub id: Uuid,
    /// The owning structure; a structure's own id for structures.
    pub structure_id: Uuid,
    pub status: ListingStatus,
    /// Name of the latest revision, for members' and moderators' lists.
    pub name: String,
    pub working_revision_id: Option<Uuid>,
    pub published_revision_id: Option<Uuid>,
    /// Incremented on every write; guards against lost updates.
    pub lock_version: i32,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub published_at: Option<DateTime<Utc>>,
    /// Last time a person confirmed the information (distinct from `updated_at`).
    pub verified_at: Option<DateTime<Utc>>,
    /// Set by the refresh sweep from `verified_at`; hidden listings are out of public reads.
    pub freshness: Freshness,
    /// Reminders of the refresh ladder already sent since `verified_at`.
    pub reminder_step: i32,
    /// Structures only: until when its label holds (cleared when it expires).
    pub labelled_until: Option<DateTime<Utc>>,
    /// Projects only: whether the published version hides its structure.
    pub anonymous: bool,
}

/// Runs `$body` with `$t` bound to the entity module of `$kind`'s table.
macro_rules! with_table {
    ($kind:expr, $t:ident => $body:expr) => {
        match $kind {
            ListingKind::Structure => {
                use structures as $t;
                $body
            }
            ListingKind::Service => {
                use services as $t;
                $body
            }
            ListingKind::Project => {
                use projects as $t;
                $body
            }
        }
    };
}

impl ListingRecord {
    /// Whether the public may see it: published (or paused, completed) and not hidden for
    /// want of confirmation.
    pub fn is_listed(&self) -> bool {
        self.status.is_public() && self.freshness != Freshness::Hidden
    }
}

/// Conversions between one table's rows and [`ListingRecord`].
trait ListingRow: Sized {
    type Active;
    fn into_record(self) -> Result<ListingRecord>;
    fn active(r: &ListingRecord) -> Self::Active;
}

fn status(value: &str) -> Result<ListingStatus> {
    parse_stored("listing.status", value, ListingStatus::parse)
}

macro_rules! common_active {
    ($t:ident, $r:expr, { $($extra:tt)* }) => {
        $t::ActiveModel {
            id: Set($r.id),
            status: Set($r.status.as_str().to_owned()),
            name: Set($r.name.clone()),
            working_revision_id: Set($r.working_revision_id),
            published_revision_id: Set($r.published_revision_id),
            lock_version: Set($r.lock_version),
            created_by: Set($r.created_by),
            created_at: Set($r.created_at),
            updated_at: Set($r.updated_at),
            submitted_at: Set($r.submitted_at),
            published_at: Set($r.published_at),
            verified_at: Set($r.verified_at),
            freshness: Set($r.freshness.as_str().to_owned()),
            reminder_step: Set($r.reminder_step),
            $($extra)*
        }
    };
}

macro_rules! common_record {
    ($kind:expr, $m:ident, structure_id: $sid:expr, anonymous: $anon:expr) => {
        ListingRecord {
            kind: $kind,
            id: $m.id,
            structure_id: $sid,
            status: status(&$m.status)?,
            name: $m.name,
            working_revision_id: $m.working_revision_id,
            published_revision_id: $m.published_revision_id,
            lock_version: $m.lock_version,
            created_by: $m.created_by,
            created_at: $m.created_at,
            updated_at: $m.updated_at,
            submitted_at: $m.submitted_at,
            published_at: $m.published_at,
            verified_at: $m.verified_at,
            freshness: parse_stored("listing.freshness", &$m.freshness, Freshness::parse)?,
            reminder_step: $m.reminder_step,
            labelled_until: None,
            anonymous: $anon,
        }
    };
}

impl ListingRow for structures::Model {
    type Active = structures::ActiveModel;
    fn into_record(self) -> Result<ListingRecord> {
        let m = self;
        let labelled_until = m.labelled_until;
        let mut r = common_record!(ListingKind::Structure, m, structure_id: m.id, anonymous: false);
        r.labelled_until = labelled_until;
        Ok(r)
    }
    fn active(r: &ListingRecord) -> Self::Active {
        common_active!(structures, r, { labelled_until: Set(r.labelled_until), })
    }
}

impl ListingRow for services::Model {
    type Active = services::ActiveModel;
    fn into_record(self) -> Result<ListingRecord> {
        let m = self;
        Ok(common_record!(ListingKind::Service, m, structure_id: m.structure_id, anonymous: false))
    }
    fn active(r: &ListingRecord) -> Self::Active {
        common_active!(services, r, { structure_id: Set(r.structure_id), })
    }
}

impl ListingRow for projects::Model {
    type Active = projects::ActiveModel;
    fn into_record(self) -> Result<ListingRecord> {
        let m = self;
        Ok(
            common_record!(ListingKind::Project, m, structure_id: m.structure_id, anonymous: m.anonymous),
        )
    }
    fn active(r: &ListingRecord) -> Self::Active {
        common_active!(projects, r, { structure_id: Set(r.structure_id), anonymous: Set(r.anonymous), })
    }
}

pub async fn insert(db: &impl ConnectionTrait, record: &ListingRecord) -> Result<()> {
    with_table!(record.kind, t => {
        <t::Model as ListingRow>::active(record).insert(db).await?;
    });
    Ok(())
}

/// Inserts many listings in few statements (bulk loads); each goes to its kind's table.
pub async fn insert_many(db: &impl ConnectionTrait, records: &[ListingRecord]) -> Result<()> {
    for kind in ListingKind::ALL {
        // Bounded so that a statement stays under SQLite's limit on bound values.
        let of_kind: Vec<&ListingRecord> = records.iter().filter(|r| r.kind == kind).collect();
        for chunk in of_kind.chunks(INSERT_CHUNK) {
            with_table!(kind, t => {
                t::Entity::insert_many(chunk.iter().map(|r| <t::Model as ListingRow>::active(r)))
                    .exec(db)
                    .await?;
            });
        }
    }
    Ok(())
}

/// Rows per multi-row insert: 14 columns each, well under SQLite's 32 766 bound values.
const INSERT_CHUNK: usize = 1000;

pub async fn get(
    db: &impl ConnectionTrait,
    kind: ListingKind,
    id: Uuid,
) -> Result<Option<ListingRecord>> {
    with_table!(kind, t => t::Entity::find_by_id(id).one(db).await?.map(ListingRow::into_record).transpose())
}

/// Writes `record` if nobody changed the row since version `expected_lock` was read.
pub async fn update(
    db: &impl ConnectionTrait,
    record: &ListingRecord,
    expected_lock: i32,
) -> Result<()> {
    let affected = with_table!(record.kind, t => {
        t::Entity::update_many()
            .set(<t::Model as ListingRow>::active(record))
            .filter(t::Column::Id.eq(record.id))
            .filter(t::Column::LockVersion.eq(expected_lock))
            .exec(db)
            .await?
            .rows_affected
    });
    if affected == 1 {
        Ok(())
    } else {
        Err(StoreError::Conflict(format!(
            "{} {} changed concurrently",
            record.kind.as_str(),
            record.id
        )))
    }
}

fn public_statuses() -> Vec<String> {
    ListingStatus::ALL
        .into_iter()
        .filter(|s| s.is_public())
        .map(|s| s.as_str().to_owned())
        .collect()
}

/// Public listings of a kind in id order (ids are time-ordered), after `after`.
pub async fn list_public(
    db: &impl ConnectionTrait,
    kind: ListingKind,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<ListingRecord>> {
    with_table!(kind, t => {
        let mut q = t::Entity::find()
            .filter(t::Column::Status.is_in(public_statuses()))
            .filter(t::Column::Freshness.ne(Freshness::Hidden.as_str()));
        if let Some(after) = after {
            q = q.filter(t::Column::Id.gt(after));
        }
        q.order_by_asc(t::Column::Id)
            .limit(limit)
            .all(db)
            .await?
            .into_iter()
            .map(ListingRow::into_record)
            .collect()
    })
}

/// The ids of public listings of `kind`, a page at a time (to reconcile the index).
pub async fn public_ids(
    db: &impl ConnectionTrait,
    kind: ListingKind,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<Uuid>> {
    with_table!(kind, t => {
        let mut q = t::Entity::find()
            .select_only()
            .column(t::Column::Id)
            .filter(t::Column::Status.is_in(public_statuses()))
            .filter(t::Column::Freshness.ne(Freshness::Hidden.as_str()));
        if let Some(after) = after {
            q = q.filter(t::Column::Id.gt(after));
        }
        Ok(q.order_by_asc(t::Column::Id)
            .limit(limit)
            .into_tuple::<Uuid>()
            .all(db)
            .await?)
    })
}

/// The services or projects of one structure, in creation order.
pub async fn of_structure(
    db: &impl ConnectionTrait,
    kind: ListingKind,
    structure_id: Uuid,
) -> Result<Vec<ListingRecord>> {
    let rows: Vec<ListingRecord> = match kind {
        ListingKind::Structure => get(db, kind, structure_id).await?.into_iter().collect(),
        ListingKind::Service => services::Entity::find()
            .filter(services::Column::StructureId.eq(structure_id))
            .order_by_asc(services::Column::Id)
            .all(db)
            .await?
            .into_iter()
            .map(ListingRow::into_record)
            .collect::<Result<_>>()?,
        ListingKind::Project => projects::Entity::find()
            .filter(projects::Column::StructureId.eq(structure_id))
            .order_by_asc(projects::Column::Id)
            .all(db)
            .await?
            .into_iter()
            .map(ListingRow::into_record)
            .collect::<Result<_>>()?,
    };
    Ok(rows)
}

pub async fn by_ids(
    db: &impl ConnectionTrait,
    kind: ListingKind,
    ids: Vec<Uuid>,
) -> Result<Vec<ListingRecord>> {
    with_table!(kind, t => {
        t::Entity::find()
            .filter(t::Column::Id.is_in(ids))
            .all(db)
            .await?
            .into_iter()
            .map(ListingRow::into_record)
            .collect()
    })
}

/// The confirmation dates at which each step of the refresh workflow falls due, as of one
/// moment: a listing confirmed at or before a cutoff has that step due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefreshCutoffs {
    /// For each reminder, its rung (1 = first) and cutoff.
    pub reminders: Vec<(i32, DateTime<Utc>)>,
    pub stale: DateTime<Utc>,
    pub hidden: DateTime<Utc>,
}

/// Public listings with a refresh step due and not yet taken (a reminder not sent, a
/// freshness not reached), in id order after `after`. Listings already where the schedule
/// puts them are not read, so a sweep over a large registry reads only what it changes.
pub async fn refresh_pending(
    db: &impl ConnectionTrait,
    kind: ListingKind,
    cutoffs: &RefreshCutoffs,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<ListingRecord>> {
    let fresh = Freshness::Fresh.as_str();
    let hidden = Freshness::Hidden.as_str();
    with_table!(kind, t => {
        // A reminder is not sent once the listing is due to be hidden.
        let mut reminder = Condition::any();
        for (rung, cutoff) in &cutoffs.reminders {
            reminder = reminder.add(
                Condition::all()
                    .add(t::Column::ReminderStep.lt(*rung))
                    .add(t::Column::VerifiedAt.lte(*cutoff)),
            );
        }
        let pending = Condition::any()
            .add(
                Condition::all()
                    .add(t::Column::VerifiedAt.gt(cutoffs.hidden))
                    .add(reminder),
            )
            .add(
                Condition::all()
                    .add(t::Column::VerifiedAt.lte(cutoffs.stale))
                    .add(t::Column::Freshness.eq(fresh)),
            )
            .add(
                Condition::all()
                    .add(t::Column::VerifiedAt.lte(cutoffs.hidden))
                    .add(t::Column::Freshness.ne(hidden)),
            );
        let mut q = t::Entity::find()
            .filter(t::Column::Status.is_in(public_statuses()))
            .filter(pending);
        if let Some(after) = after {
            q = q.filter(t::Column::Id.gt(after));
        }
        q.order_by_asc(t::Column::Id)
            .limit(limit)
            .all(db)
            .await?
            .into_iter()
            .map(ListingRow::into_record)
            .collect()
    })
}

/// Records that reminders up to `step` went out for the confirmation of `verified_at`,
/// unless they already had: true for the one caller that moved it.
pub async fn advance_reminder(
    db: &impl ConnectionTrait,
    kind: ListingKind,
    id: Uuid,
    verified_at: DateTime<Utc>,
    step: i32,
) -> Result<bool> {
    let affected = with_table!(kind, t => {
        t::Entity::update_many()
            .col_expr(t::Column::ReminderStep, Expr::value(step))
            .col_expr(t::Column::LockVersion, Expr::col(t::Column::LockVersion).add(1))
            .filter(t::Column::Id.eq(id))
            .filter(t::Column::VerifiedAt.eq(verified_at))
            .filter(t::Column::ReminderStep.lt(step))
            .exec(db)
            .await?
            .rows_affected
    });
    Ok(affected == 1)
}

/// Moves a listing from freshness `from` to `to`, if it is still in `from` for the
/// confirmation of `verified_at`: true for the one caller that moved it.
pub async fn change_freshness(
    db: &impl ConnectionTrait,
    kind: ListingKind,
    id: Uuid,
    verified_at: DateTime<Utc>,
    from: Freshness,
    to: Freshness,
) -> Result<bool> {
    let affected = with_table!(kind, t => {
        t::Entity::update_many()
            .col_expr(t::Column::Freshness, Expr::value(to.as_str()))
            .col_expr(t::Column::LockVersion, Expr::col(t::Column::LockVersion).add(1))
            .filter(t::Column::Id.eq(id))
            .filter(t::Column::VerifiedAt.eq(verified_at))
            .filter(t::Column::Freshness.eq(from.as_str()))
            .exec(db)
            .await?
            .rows_affected
    });
    Ok(affected == 1)
}

/// Sets or clears a structure's label (the change log tells the index).
pub async fn set_labelled_until(
    db: &impl ConnectionTrait,
    structure_id: Uuid,
    until: Option<DateTime<Utc>>,
) -> Result<()> {
    structures::Entity::update_many()
        .col_expr(structures::Column::LabelledUntil, Expr::value(until))
        .col_expr(
            structures::Column::LockVersion,
            Expr::col(structures::Column::LockVersion).add(1),
        )
        .filter(structures::Column::Id.eq(structure_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Where a public listing stands on the refresh ladder, as moderators filter it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefreshFilter {
    /// Confirmed, no reminder sent yet.
    Fresh,
    /// Reminded, not yet stale.
    Due,
    Stale,
    Hidden,
}

fn refresh_condition(kind: ListingKind, filter: RefreshFilter) -> sea_orm::Condition {
    use sea_orm::Condition;
    with_table!(kind, t => {
        let c = Condition::all().add(t::Column::Status.is_in(public_statuses()));
        match filter {
            RefreshFilter::Fresh => c
                .add(t::Column::Freshness.eq(Freshness::Fresh.as_str()))
                .add(t::Column::ReminderStep.eq(0)),
            RefreshFilter::Due => c
                .add(t::Column::Freshness.eq(Freshness::Fresh.as_str()))
                .add(t::Column::ReminderStep.gt(0)),
            RefreshFilter::Stale => c.add(t::Column::Freshness.eq(Freshness::Stale.as_str())),
            RefreshFilter::Hidden => c.add(t::Column::Freshness.eq(Freshness::Hidden.as_str())),
        }
    })
}

/// Public listings in one refresh state, least recently confirmed first, after the
/// cursor `(verified_at, id)`.
pub async fn by_refresh_state(
    db: &impl ConnectionTrait,
    kind: ListingKind,
    filter: RefreshFilter,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: u64,
) -> Result<Vec<ListingRecord>> {
    use sea_orm::Condition;
    with_table!(kind, t => {
        let mut q = t::Entity::find().filter(refresh_condition(kind, filter));
        if let Some((at, id)) = after {
            q = q.filter(
                Condition::any()
                    .add(t::Column::VerifiedAt.gt(at))
                    .add(
                        Condition::all()
                            .add(t::Column::VerifiedAt.eq(at))
                            .add(t::Column::Id.gt(id)),
                    ),
            );
        }
        q.order_by_asc(t::Column::VerifiedAt)
            .order_by_asc(t::Column::Id)
            .limit(limit)
            .all(db)
            .await?
            .into_iter()
            .map(ListingRow::into_record)
            .collect()
    })
}

pub async fn count_by_refresh_state(
    db: &impl ConnectionTrait,
    kind: ListingKind,
    filter: RefreshFilter,
) -> Result<u64> {
    use sea_orm::PaginatorTrait;
    with_table!(kind, t => Ok(t::Entity::find().filter(refresh_condition(kind, filter)).count(db).await?))
}

/// How many listings of a kind are public.
pub async fn count_public(db: &impl ConnectionTrait, kind: ListingKind) -> Result<u64> {
    use sea_orm::PaginatorTrait;
    with_table!(kind, t => Ok(t::Entity::find()
        .filter(t::Column::Status.is_in(public_statuses()))
        .filter(t::Column::Freshness.ne(Freshness::Hidden.as_str()))
        .count(db)
        .await?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn record(
        kind: ListingKind,
        id: Uuid,
        structure_id: Uuid,
        status: ListingStatus,
    ) -> ListingRecord {
        let at = Utc.with_ymd_and_hms(2026, 5, 1, 9, 0, 0).unwrap();
        ListingRecord {
            kind,
            id,
            structure_id,
            status,
            name: format!("{} {id}", kind.as_str()),
            working_revision_id: None,
            published_revision_id: None,
            lock_version: 1,
            created_by: None,
            created_at: at,
            updated_at: at,
            submitted_at: None,
            published_at: None,
            verified_at: None,
            freshness: Freshness::Fresh,
            reminder_step: 0,
            labelled_until: None,
            anonymous: false,
        }
    }

    #[tokio::test]
    async fn bulk_inserts_reach_each_kinds_table_beyond_one_statement() {
        let db = crate::connect("sqlite::memory:").await.unwrap();
        crate::migrate(&db).await.unwrap();
        let structure = Uuid::now_v7();
        let mut records = vec![record(
            ListingKind::Structure,
            structure,
            structure,
            ListingStatus::Published,
        )];
        // More services than one statement holds, some of them drafts.
        for i in 0..2_345 {
            let status = if i % 5 == 0 {
                ListingStatus::Draft
            } else {
                ListingStatus::Published
            };
            records.push(record(
                ListingKind::Service,
                Uuid::now_v7(),
                structure,
                status,
            ));
        }
        records.push(record(
            ListingKind::Project,
            Uuid::now_v7(),
            structure,
            ListingStatus::Published,
        ));
        insert_many(&db, &records).await.unwrap();
        assert_eq!(count_public(&db, ListingKind::Structure).await.unwrap(), 1);
        assert_eq!(
            count_public(&db, ListingKind::Service).await.unwrap(),
            2_345 - 469
        );
        assert_eq!(count_public(&db, ListingKind::Project).await.unwrap(), 1);
        let last = records[2_345].clone();
        assert_eq!(
            get(&db, ListingKind::Service, last.id).await.unwrap(),
            Some(last)
        );
    }

    #[tokio::test]
    async fn a_sweep_reads_only_listings_with_a_step_left_to_take() {
        let db = crate::connect("sqlite::memory:").await.unwrap();
        crate::migrate(&db).await.unwrap();
        let now = Utc::now();
        let schedule = agora_domain::RefreshSchedule::default();
        let cutoffs = RefreshCutoffs {
            reminders: (1..=3)
                .map(|rung| (rung as i32, schedule.reminder_cutoff(rung, now).unwrap()))
                .collect(),
            stale: schedule.stale_cutoff(now),
            hidden: schedule.hidden_cutoff(now),
        };
        let days = |n| Some(now - chrono::Duration::days(n));
        // (confirmed days ago, freshness, reminders sent, whether a step is left)
        let cases = [
            (10, Freshness::Fresh, 0, false),
            (170, Freshness::Fresh, 0, true),
            (170, Freshness::Fresh, 1, false),
            (185, Freshness::Fresh, 1, true),
            (200, Freshness::Fresh, 3, false),
            (215, Freshness::Fresh, 3, true),
            (215, Freshness::Stale, 3, false),
            (275, Freshness::Stale, 3, true),
            (275, Freshness::Hidden, 3, false),
            // Hidden before its last reminders: they are never sent.
            (275, Freshness::Hidden, 1, false),
        ];
        let structure = Uuid::now_v7();
        let mut records = Vec::new();
        for (ago, freshness, step, _) in cases {
            let mut r = record(
                ListingKind::Structure,
                Uuid::now_v7(),
                structure,
                ListingStatus::Published,
            );
            r.verified_at = days(ago);
            r.freshness = freshness;
            r.reminder_step = step;
            records.push(r);
        }
        let mut draft = record(
            ListingKind::Structure,
            Uuid::now_v7(),
            structure,
            ListingStatus::Draft,
        );
        draft.verified_at = days(400);
        records.push(draft);
        insert_many(&db, &records).await.unwrap();

        let found: Vec<Uuid> = refresh_pending(&db, ListingKind::Structure, &cutoffs, None, 100)
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.id)
            .collect();
        let expected: Vec<Uuid> = cases
            .iter()
            .zip(&records)
            .filter(|((.., pending), _)| *pending)
            .map(|(_, r)| r.id)
            .collect();
        assert_eq!(found, expected);
        // Pages follow one another by id.
        let first = refresh_pending(&db, ListingKind::Structure, &cutoffs, None, 2)
            .await
            .unwrap();
        let rest = refresh_pending(
            &db,
            ListingKind::Structure,
            &cutoffs,
            Some(first[1].id),
            100,
        )
        .await
        .unwrap();
        assert_eq!(first.len() + rest.len(), expected.len());
    }
}
