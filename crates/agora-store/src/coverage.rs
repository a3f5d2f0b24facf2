//! Coverage zones of published listings as rows, so that geographic questions ("what
//! covers département 25?") can be asked of the database as well as of the index.

use crate::Result;
use crate::entities::coverage_zones;
use agora_domain::{Coverage, SubjectType};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, NotSet, QueryFilter, Set};
use uuid::Uuid;

/// Replaces the zones of a subject with those of `coverage` (none when `None`).
pub async fn replace(
    db: &impl ConnectionTrait,
    subject_type: SubjectType,
    subject_id: Uuid,
    coverage: Option<&Coverage>,
) -> Result<()> {
    coverage_zones::Entity::delete_many()
        .filter(coverage_zones::Column::SubjectType.eq(subject_type.as_str()))
        .filter(coverage_zones::Column::SubjectId.eq(subject_id))
        .exec(db)
        .await?;
    let Some(coverage) = coverage else {
        return Ok(());
    };
    let row = |code: Option<String>, point: Option<(f64, f64, f64)>| coverage_zones::ActiveModel {
        id: NotSet,
        subject_type: Set(subject_type.as_str().to_owned()),
        subject_id: Set(subject_id),
        zone_kind: Set(coverage.kind_str().to_owned()),
        code: Set(code),
        lat: Set(point.map(|p| p.0)),
        lon: Set(point.map(|p| p.1)),
        radius_km: Set(point.map(|p| p.2)),
    };
    let rows: Vec<_> = match coverage {
        Coverage::National => vec![row(None, None)],
        Coverage::Regions { codes }
        | Coverage::Departements { codes }
        | Coverage::Communes { codes } => {
            codes.iter().map(|c| row(Some(c.clone()), None)).collect()
        }
        Coverage::Radius {
            lat,
            lon,
            radius_km,
        } => vec![row(None, Some((*lat, *lon, *radius_km)))],
    };
    coverage_zones::Entity::insert_many(rows).exec(db).await?;
    Ok(())
}

/// Number of zone rows of a subject (used by tests and diagnostics).
pub async fn count(
    db: &impl ConnectionTrait,
    subject_type: SubjectType,
    subject_id: Uuid,
) -> Result<usize> {
    Ok(coverage_zones::Entity::find()
        .filter(coverage_zones::Column::SubjectType.eq(subject_type.as_str()))
        .filter(coverage_zones::Column::SubjectId.eq(subject_id))
        .all(db)
        .await?
        .len())
}
