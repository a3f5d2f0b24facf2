//! Where communes are, once centroids have been imported: a commune's point, the commune
//! nearest to a point, the communes within a distance.

use crate::distance::{BoundingBox, distance_km};
use crate::{Commune, communes};
use std::collections::HashMap;

#[derive(Debug, Clone, Default)]
pub struct CommunePoints {
    points: HashMap<&'static str, (f64, f64)>,
}

impl CommunePoints {
    /// Keeps the points of communes that exist in the reference.
    pub fn new(points: impl IntoIterator<Item = (String, f64, f64)>) -> Self {
        let points = points
            .into_iter()
            .filter_map(|(code, lat, lon)| crate::commune(&code).map(|c| (c.code, (lat, lon))))
            .collect();
        Self { points }
    }

    pub fn len(&self) -> usize {
        self.points.len()
    }

    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// A commune's point; an arrondissement without its own takes its commune's.
    pub fn point(&self, code: &str) -> Option<(f64, f64)> {
        self.points.get(code).copied().or_else(|| {
            crate::commune(code)?
                .parent_code
                .and_then(|p| self.points.get(p).copied())
        })
    }

    /// The commune whose centroid is nearest to (lat, lon).
    pub fn nearest_commune(&self, lat: f64, lon: f64) -> Option<&'static Commune> {
        self.points
            .iter()
            .min_by(|a, b| distance_km((lat, lon), *a.1).total_cmp(&distance_km((lat, lon), *b.1)))
            .and_then(|(code, _)| crate::commune(code))
    }

    /// Communes whose centroid lies within `radius_km` of (lat, lon).
    pub fn communes_within(&self, lat: f64, lon: f64, radius_km: f64) -> Vec<&'static Commune> {
        let bbox = BoundingBox::around(lat, lon, radius_km);
        communes()
            .iter()
            .filter(|c| {
                self.points.get(c.code).is_some_and(|&(clat, clon)| {
                    bbox.contains(clat, clon) && distance_km((lat, lon), (clat, clon)) <= radius_km
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> CommunePoints {
        CommunePoints::new([
            ("25056".to_owned(), 47.2380, 6.0243),
            ("25462".to_owned(), 46.9046, 6.3552),
            ("39300".to_owned(), 46.6744, 5.5547),
            ("75056".to_owned(), 48.8566, 2.3522),
            ("99999".to_owned(), 1.0, 1.0),
        ])
    }

    #[test]
    fn points_and_nearest() {
        let p = sample();
        assert_eq!(p.len(), 4, "unknown codes are dropped");
        assert_eq!(
            p.point("75113"),
            Some((48.8566, 2.3522)),
            "an arrondissement falls back on Paris"
        );
        assert_eq!(p.nearest_commune(47.25, 6.0).map(|c| c.code), Some("25056"));
        let near: Vec<_> = p
            .communes_within(47.238, 6.024, 50.0)
            .iter()
            .map(|c| c.code)
            .collect();
        assert_eq!(near, ["25056", "25462"]);
        assert!(
            CommunePoints::default()
                .nearest_commune(47.0, 6.0)
                .is_none()
        );
    }
}
