//! Revisions: each version of a listing's content, with its review state. A pending
//! revision is an item of the moderation queue.

use crate::entities::{revision_name_words, revisions};
use crate::error::parse_stored;
use crate::{Result, StoreError};
use agora_domain::names::name_tokens;
use agora_domain::{RevisionState, SubjectType};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Condition, Expr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq)]
pub struct RevisionRecord {
    pub id: Uuid,
    pub subject_type: SubjectType,
    pub subject_id: Uuid,
    pub structure_id: Uuid,
    pub number: i32,
    pub state: RevisionState,
    pub content: serde_json::Value,
    pub name: String,
    pub name_key: String,
    pub commune_code: Option<String>,
    pub rna: Option<String>,
    pub siren: Option<String>,
    pub siret: Option<String>,
    pub author_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decided_by: Option<Uuid>,
    pub reason: Option<String>,
}

impl TryFrom<revisions::Model> for RevisionRecord {
    type Error = StoreError;
    fn try_from(m: revisions::Model) -> Result<Self> {
        Ok(Self {
            id: m.id,
            subject_type: parse_stored(
                "revisions.subject_type",
                &m.subject_type,
                SubjectType::parse,
            )?,
            subject_id: m.subject_id,
            structure_id: m.structure_id,
            number: m.number,
            state: parse_stored("revisions.state", &m.state, RevisionState::parse)?,
            content: m.content,
            name: m.name,
            name_key: m.name_key,
            commune_code: m.commune_code,
            rna: m.rna,
            siren: m.siren,
            siret: m.siret,
            author_id: m.author_id,
            created_at: m.created_at,
            updated_at: m.updated_at,
            submitted_at: m.submitted_at,
            decided_at: m.decided_at,
            decided_by: m.decided_by,
            reason: m.reason,
        })
    }
}

fn active(r: &RevisionRecord) -> revisions::ActiveModel {
    revisions::ActiveModel {
        id: Set(r.id),
        subject_type: Set(r.subject_type.as_str().to_owned()),
        subject_id: Set(r.subject_id),
        structure_id: Set(r.structure_id),
        number: Set(r.number),
        state: Set(r.state.as_str().to_owned()),
        content: Set(r.content.clone()),
        name: Set(r.name.clone()),
        name_key: Set(r.name_key.clone()),
        commune_code: Set(r.commune_code.clone()),
        rna: Set(r.rna.clone()),
        siren: Set(r.siren.clone()),
        siret: Set(r.siret.clone()),
        author_id: Set(r.author_id),
        created_at: Set(r.created_at),
        updated_at: Set(r.updated_at),
        submitted_at: Set(r.submitted_at),
        decided_at: Set(r.decided_at),
        decided_by: Set(r.decided_by),
        reason: Set(r.reason.clone()),
    }
}

fn word_rows(r: &RevisionRecord) -> impl Iterator<Item = revision_name_words::ActiveModel> + '_ {
    name_tokens(&r.name_key)
        .into_iter()
        .map(|word| revision_name_words::ActiveModel {
            revision_id: Set(r.id),
            word: Set(word),
        })
}

/// Writes the words a revision's name is looked up by (duplicate detection).
async fn write_words(db: &impl ConnectionTrait, records: &[RevisionRecord]) -> Result<()> {
    let rows: Vec<_> = records.iter().flat_map(word_rows).collect();
    // Two columns a row: well under SQLite's bound on values per statement.
    for chunk in rows.chunks(5000) {
        revision_name_words::Entity::insert_many(chunk.to_vec())
            .exec(db)
            .await?;
    }
    Ok(())
}

pub async fn insert(db: &impl ConnectionTrait, record: &RevisionRecord) -> Result<()> {
    active(record).insert(db).await?;
    write_words(db, std::slice::from_ref(record)).await
}

/// Inserts many revisions in few statements (bulk loads).
pub async fn insert_many(db: &impl ConnectionTrait, records: &[RevisionRecord]) -> Result<()> {
    // 20 columns a row: 1 000 rows stay under SQLite's 32 766 bound values.
    for chunk in records.chunks(1000) {
        revisions::Entity::insert_many(chunk.iter().map(active))
            .exec(db)
            .await?;
    }
    write_words(db, records).await
}

pub async fn get(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<RevisionRecord>> {
    revisions::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(TryInto::try_into)
        .transpose()
}

pub async fn by_ids(db: &impl ConnectionTrait, ids: Vec<Uuid>) -> Result<Vec<RevisionRecord>> {
    revisions::Entity::find()
        .filter(revisions::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(TryInto::try_into)
        .collect()
}

/// Saves `record` if its stored state is still `expected`; `false` when someone else moved
/// it first (two moderators deciding at once, an edit racing a decision).
pub async fn save_if_state(
    db: &impl ConnectionTrait,
    record: &RevisionRecord,
    expected: RevisionState,
) -> Result<bool> {
    let res = revisions::Entity::update_many()
        .set(active(record))
        .filter(revisions::Column::Id.eq(record.id))
        .filter(revisions::Column::State.eq(expected.as_str()))
        .exec(db)
        .await?;
    if res.rows_affected != 1 {
        return Ok(false);
    }
    // The name may have changed with the content: its words follow.
    revision_name_words::Entity::delete_many()
        .filter(revision_name_words::Column::RevisionId.eq(record.id))
        .exec(db)
        .await?;
    write_words(db, std::slice::from_ref(record)).await?;
    Ok(true)
}

/// Marks a formerly published revision as replaced.
pub async fn supersede(db: &impl ConnectionTrait, id: Uuid, now: DateTime<Utc>) -> Result<()> {
    revisions::Entity::update_many()
        .col_expr(
            revisions::Column::State,
            Expr::value(RevisionState::Superseded.as_str()),
        )
        .col_expr(revisions::Column::UpdatedAt, Expr::value(now))
        .filter(revisions::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn last_number(
    db: &impl ConnectionTrait,
    subject_type: SubjectType,
    subject_id: Uuid,
) -> Result<i32> {
    let last = revisions::Entity::find()
        .filter(revisions::Column::SubjectType.eq(subject_type.as_str()))
        .filter(revisions::Column::SubjectId.eq(subject_id))
        .order_by_desc(revisions::Column::Number)
        .one(db)
        .await?;
    Ok(last.map_or(0, |m| m.number))
}

/// A position in the moderation queue: items are ordered oldest submission first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueKey {
    pub submitted_at: DateTime<Utc>,
    pub id: Uuid,
}

pub async fn queue(
    db: &impl ConnectionTrait,
    subject_type: Option<SubjectType>,
    state: RevisionState,
    after: Option<QueueKey>,
    limit: u64,
) -> Result<Vec<RevisionRecord>> {
    let mut q = revisions::Entity::find()
        .filter(revisions::Column::State.eq(state.as_str()))
        .filter(revisions::Column::SubmittedAt.is_not_null());
    if let Some(t) = subject_type {
        q = q.filter(revisions::Column::SubjectType.eq(t.as_str()));
    }
    if let Some(k) = after {
        q = q.filter(
            Condition::any()
                .add(revisions::Column::SubmittedAt.gt(k.submitted_at))
                .add(
                    Condition::all()
                        .add(revisions::Column::SubmittedAt.eq(k.submitted_at))
                        .add(revisions::Column::Id.gt(k.id)),
                ),
        );
    }
    q.order_by_asc(revisions::Column::SubmittedAt)
        .order_by_asc(revisions::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(TryInto::try_into)
        .collect()
}

/// What a new submission is compared with to spot duplicates.
#[derive(Debug, Clone, Default)]
pub struct DuplicateProbe {
    pub subject_type: Option<SubjectType>,
    pub exclude_subject: Option<Uuid>,
    pub rna: Option<String>,
    pub siren: Option<String>,
    pub siret: Option<String>,
    pub commune_code: Option<String>,
    pub structure_id: Option<Uuid>,
    /// The name's comparison key ([`agora_domain::names::name_key`]).
    pub name_key: String,
}

/// Live revisions (being written, in review, or published) of other subjects of the same
/// type that share a legal identifier, or share a word of their name (see
/// [`name_tokens`]) and the commune or the owning structure: candidates that the caller
/// then compares by name. Both are lookups in indexes (identifiers; name words), however
/// many listings a commune or a structure holds.
pub async fn duplicate_candidates(
    db: &impl ConnectionTrait,
    probe: &DuplicateProbe,
) -> Result<Vec<RevisionRecord>> {
    let mut identifiers = Condition::any();
    if let Some(v) = &probe.rna {
        identifiers = identifiers.add(revisions::Column::Rna.eq(v.clone()));
    }
    if let Some(v) = &probe.siren {
        identifiers = identifiers.add(revisions::Column::Siren.eq(v.clone()));
    }
    if let Some(v) = &probe.siret {
        identifiers = identifiers.add(revisions::Column::Siret.eq(v.clone()));
    }
    let mut place = Condition::any();
    if let Some(v) = &probe.commune_code {
        place = place.add(revisions::Column::CommuneCode.eq(v.clone()));
    }
    if let Some(v) = probe.structure_id {
        place = place.add(revisions::Column::StructureId.eq(v));
    }
    let tokens = name_tokens(&probe.name_key);
    let mut any = Condition::any();
    if !identifiers.is_empty() {
        any = any.add(identifiers);
    }
    if !place.is_empty() && !tokens.is_empty() {
        let sharing_a_word = Query::select()
            .column(revision_name_words::Column::RevisionId)
            .from(revision_name_words::Entity)
            .and_where(revision_name_words::Column::Word.is_in(tokens))
            .to_owned();
        any = any.add(
            Condition::all()
                .add(place)
                .add(revisions::Column::Id.in_subquery(sharing_a_word)),
        );
    }
    if any.is_empty() {
        return Ok(Vec::new());
    }
    let live = [
        RevisionState::Draft,
        RevisionState::Pending,
        RevisionState::ChangesRequested,
        RevisionState::Approved,
    ]
    .map(|s| s.as_str().to_owned());
    let mut q = revisions::Entity::find()
        .filter(any)
        .filter(revisions::Column::State.is_in(live));
    if let Some(t) = probe.subject_type {
        q = q.filter(revisions::Column::SubjectType.eq(t.as_str()));
    }
    if let Some(id) = probe.exclude_subject {
        q = q.filter(revisions::Column::SubjectId.ne(id));
    }
    q.order_by_asc(revisions::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(TryInto::try_into)
        .collect()
}

/// Revisions a person wrote, for their data export.
pub async fn by_author(db: &impl ConnectionTrait, author_id: Uuid) -> Result<Vec<RevisionRecord>> {
    revisions::Entity::find()
        .filter(revisions::Column::AuthorId.eq(author_id))
        .order_by_asc(revisions::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(TryInto::try_into)
        .collect()
}

/// Forgets who wrote revisions (the content belongs to the structure and stays).
pub async fn forget_author(db: &impl ConnectionTrait, author_id: Uuid) -> Result<()> {
    revisions::Entity::update_many()
        .col_expr(
            revisions::Column::AuthorId,
            Expr::value(Option::<Uuid>::None),
        )
        .filter(revisions::Column::AuthorId.eq(author_id))
        .exec(db)
        .await?;
    Ok(())
}
