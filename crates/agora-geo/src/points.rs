//! Where communes are, once centroids have been imported: a commune's point, the commune
//! nearest to a point, the communes within a distance.

use crate::distance::{BoundingBox, distance_km};
use crate::{Commune, commune};
use rstar::primitives::GeomWithData;
use rstar::{AABB, RTree};
use std::collections::HashMap;

/// A centroid in the tree, as [longitude, latitude] with its commune code.
type Located = GeomWithData<[f64; 2], &'static str>;

/// Radius of the first search for the nearest commune; doubled until one is found.
const FIRST_RING_KM: f64 = 8.0;
/// Beyond this, nothing French is near: the whole set is scanned.
const LAST_RING_KM: f64 = 1000.0;

#[derive(Debug, Clone, Default)]
pub struct CommunePoints {
    points: HashMap<&'static str, (f64, f64)>,
    /// The same points in an R-tree, so that "within" and "nearest" do not scan all
    /// 35 000 communes.
    tree: RTree<Located>,
}

impl CommunePoints {
    /// Keeps the points of communes that exist in the reference.
    pub fn new(points: impl IntoIterator<Item = (String, f64, f64)>) -> Self {
        let points: HashMap<&'static str, (f64, f64)> = points
            .into_iter()
            .filter_map(|(code, lat, lon)| commune(&code).map(|c| (c.code, (lat, lon))))
            .collect();
        let tree = RTree::bulk_load(
            points
                .iter()
                .map(|(code, &(lat, lon))| Located::new([lon, lat], code))
                .collect(),
        );
        Self { points, tree }
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
            commune(code)?
                .parent_code
                .and_then(|p| self.points.get(p).copied())
        })
    }

    /// Codes and distances of the centroids within `radius_km` of (lat, lon).
    fn within(&self, lat: f64, lon: f64, radius_km: f64) -> Vec<(&'static str, f64)> {
        let b = BoundingBox::around(lat, lon, radius_km);
        let envelope = AABB::from_corners([b.min_lon, b.min_lat], [b.max_lon, b.max_lat]);
        self.tree
            .locate_in_envelope(&envelope)
            .filter_map(|p| {
                let [plon, plat] = *p.geom();
                let d = distance_km((lat, lon), (plat, plon));
                (d <= radius_km).then_some((p.data, d))
            })
            .collect()
    }

    /// The commune whose centroid is nearest to (lat, lon).
    pub fn nearest_commune(&self, lat: f64, lon: f64) -> Option<&'static Commune> {
        let by_distance = |a: &(&'static str, f64), b: &(&'static str, f64)| {
            a.1.total_cmp(&b.1).then_with(|| a.0.cmp(b.0))
        };
        let mut radius = FIRST_RING_KM;
        // Any centroid nearer than `radius` lies in its box, so the nearest found is exact.
        let nearest = loop {
            if let Some(found) = self
                .within(lat, lon, radius)
                .into_iter()
                .min_by(by_distance)
            {
                break Some(found);
            }
            if radius >= LAST_RING_KM {
                break self
                    .points
                    .iter()
                    .map(|(code, &p)| (*code, distance_km((lat, lon), p)))
                    .min_by(by_distance);
            }
            radius *= 2.0;
        };
        nearest.and_then(|(code, _)| commune(code))
    }

    /// Communes whose centroid lies within `radius_km` of (lat, lon), in reference order.
    pub fn communes_within(&self, lat: f64, lon: f64, radius_km: f64) -> Vec<&'static Commune> {
        let mut found: Vec<&'static Commune> = self
            .within(lat, lon, radius_km)
            .into_iter()
            .filter_map(|(code, _)| commune(code))
            .collect();
        found.sort_by(|a, b| a.code.cmp(b.code));
        found
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
        assert_eq!(
            p.nearest_commune(-21.1, 55.5).map(|c| c.code),
            Some("25462"),
            "far from every point, the nearest is still found"
        );
        assert!(
            CommunePoints::default()
                .nearest_commune(47.0, 6.0)
                .is_none()
        );
    }

    #[test]
    fn the_tree_finds_what_a_full_scan_finds() {
        // Real codes at made-up places spread over metropolitan France and Réunion.
        let codes: Vec<&str> = crate::communes()
            .iter()
            .take(3000)
            .map(|c| c.code)
            .collect();
        let spot = |i: usize| {
            let f = i as f64;
            if i.is_multiple_of(10) {
                (-21.0 - (f * 0.37) % 0.4, 55.2 + (f * 0.53) % 0.6)
            } else {
                (42.5 + (f * 0.6180339) % 8.5, -4.5 + (f * 0.4142135) % 12.5)
            }
        };
        let p = CommunePoints::new(
            codes
                .iter()
                .enumerate()
                .map(|(i, c)| ((*c).to_owned(), spot(i).0, spot(i).1)),
        );
        for (lat, lon, r) in [
            (47.2, 6.0, 30.0),
            (43.3, 5.4, 120.0),
            (-21.1, 55.5, 15.0),
            (50.0, 1.0, 2.0),
        ] {
            let mut scan: Vec<&str> = codes
                .iter()
                .enumerate()
                .filter(|(i, _)| distance_km((lat, lon), spot(*i)) <= r)
                .map(|(_, c)| *c)
                .collect();
            scan.sort_unstable();
            let tree: Vec<&str> = p
                .communes_within(lat, lon, r)
                .iter()
                .map(|c| c.code)
                .collect();
            assert_eq!(tree, scan, "within {r} km of ({lat}, {lon})");
            let nearest = codes
                .iter()
                .enumerate()
                .min_by(|a, b| {
                    distance_km((lat, lon), spot(a.0))
                        .total_cmp(&distance_km((lat, lon), spot(b.0)))
                })
                .map(|(_, c)| *c);
            assert_eq!(p.nearest_commune(lat, lon).map(|c| c.code), nearest);
        }
    }
}
