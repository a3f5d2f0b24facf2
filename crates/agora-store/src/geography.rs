//! Imported commune centroids.

use crate::Result;
use crate::entities::commune_centroids;
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, EntityTrait, QueryOrder, QuerySelect, Set};

/// Replaces every centroid with `points` (code, lat, lon).
pub async fn replace_centroids(
    db: &impl ConnectionTrait,
    points: &[(String, f64, f64)],
    now: DateTime<Utc>,
) -> Result<()> {
    commune_centroids::Entity::delete_many().exec(db).await?;
    for chunk in points.chunks(500) {
        let rows = chunk
            .iter()
            .map(|(code, lat, lon)| commune_centroids::ActiveModel {
                code: Set(code.clone()),
                lat: Set(*lat),
                lon: Set(*lon),
                imported_at: Set(now),
            });
        commune_centroids::Entity::insert_many(rows)
            .exec(db)
            .await?;
    }
    Ok(())
}

pub async fn centroids(db: &impl ConnectionTrait) -> Result<Vec<(String, f64, f64)>> {
    Ok(commune_centroids::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.code, m.lat, m.lon))
        .collect())
}

/// When centroids were last imported: the version of the geography the index was built with.
pub async fn centroids_imported_at(db: &impl ConnectionTrait) -> Result<Option<DateTime<Utc>>> {
    Ok(commune_centroids::Entity::find()
        .order_by_desc(commune_centroids::Column::ImportedAt)
        .limit(1)
        .one(db)
        .await?
        .map(|m| m.imported_at))
}
