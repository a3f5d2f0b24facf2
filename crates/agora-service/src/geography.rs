//! The commune reference at run time: centroids imported from the official file, and
//! commune autocomplete.

use crate::context::Geography;
use crate::{Context, Result, ServiceError};
use agora_geo::{CommunePoints, ImportReport};
use agora_store::{ConnectionTrait, geography};
use serde::Serialize;
use std::sync::Arc;

pub(crate) async fn load(db: &impl ConnectionTrait) -> Result<Geography> {
    let points = geography::centroids(db).await?;
    let version = geography::centroids_imported_at(db)
        .await?
        .map(|t| t.to_rfc3339());
    Ok(Geography {
        points: Arc::new(CommunePoints::new(points)),
        version,
    })
}

/// Replaces the commune centroids with those of `file` (the official
/// "communes-departement-region" open-data file or a file of the same layout).
pub async fn import_centroids(ctx: &Context, file: std::fs::File) -> Result<ImportReport> {
    let (centroids, report) = tokio::task::spawn_blocking(move || {
        agora_geo::parse_centroids(std::io::BufReader::new(file))
    })
    .await
    .map_err(|e| ServiceError::Internal(e.to_string()))?
    .map_err(|e| {
        ServiceError::Validation(agora_domain::ValidationErrors::single(
            "/file",
            "unreadable_file",
            e,
        ))
    })?;
    let points: Vec<(String, f64, f64)> = centroids
        .into_iter()
        .map(|c| (c.code, c.lat, c.lon))
        .collect();
    let txn = ctx.begin().await?;
    geography::replace_centroids(&txn, &points, ctx.now()).await?;
    txn.commit().await?;
    Ok(report)
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommuneView {
    /// INSEE code.
    pub code: String,
    pub name: String,
    pub postcodes: Vec<String>,
    pub departement_code: String,
    pub region_code: String,
    pub population: u32,
    /// The former commune's name that was typed, when it merged into this one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub former_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lon: Option<f64>,
}

/// Communes for what someone is typing: a name (accents and case ignored) or a postcode.
pub fn communes(ctx: &Context, query: &str, limit: usize) -> Vec<CommuneView> {
    agora_geo::autocomplete(query, limit)
        .into_iter()
        .map(|m| {
            let point = ctx.geography.points.point(m.commune.code);
            CommuneView {
                code: m.commune.code.into(),
                name: m.commune.name.into(),
                postcodes: m
                    .commune
                    .postcodes
                    .iter()
                    .map(|p| (*p).to_owned())
                    .collect(),
                departement_code: m.commune.departement_code.into(),
                region_code: m.commune.region_code.into(),
                population: m.commune.population,
                former_name: m.former_name.map(str::to_owned),
                lat: point.map(|p| p.0),
                lon: point.map(|p| p.1),
            }
        })
        .collect()
}
