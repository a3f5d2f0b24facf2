//! Loading the controlled vocabularies.

use crate::Result;
use crate::entities::vocabularies;
use crate::error::parse_stored;
use agora_domain::{Term, Vocabularies, VocabularyKind};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

/// The terms in force (not retired), with the reference data's version.
pub async fn load(db: &impl ConnectionTrait) -> Result<Vocabularies> {
    let rows = vocabularies::Entity::find()
        .filter(vocabularies::Column::RetiredIn.is_null())
        .all(db)
        .await?;
    let version = rows.iter().map(|r| r.introduced_in).max().unwrap_or(0);
    let terms = rows
        .into_iter()
        .map(|r| {
            Ok(Term {
                kind: parse_stored("vocabularies.kind", &r.kind, VocabularyKind::parse)?,
                slug: r.slug,
                label: r.label,
                family: r.family,
                colour: r.colour,
                position: r.position,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Vocabularies::new(version, terms))
}
