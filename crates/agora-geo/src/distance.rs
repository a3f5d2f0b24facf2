//! Distances on the Earth's surface (haversine), and the bounding box of a disc for cheap
//! prefiltering.

use geo::{Distance, Haversine, Point};

/// Great-circle distance in kilometres between two (latitude, longitude) points.
pub fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    // geo's points are (x = longitude, y = latitude).
    Haversine.distance(Point::new(a.1, a.0), Point::new(b.1, b.0)) / 1000.0
}

/// The latitude/longitude box that contains a disc, for range prefilters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BoundingBox {
    pub min_lat: f64,
    pub max_lat: f64,
    pub min_lon: f64,
    pub max_lon: f64,
}

impl BoundingBox {
    pub fn around(lat: f64, lon: f64, radius_km: f64) -> Self {
        const KM_PER_DEGREE: f64 = 111.2;
        let dlat = radius_km / KM_PER_DEGREE;
        let cos = lat.to_radians().cos().abs().max(0.01);
        let dlon = (radius_km / (KM_PER_DEGREE * cos)).min(180.0);
        Self {
            min_lat: lat - dlat,
            max_lat: lat + dlat,
            min_lon: lon - dlon,
            max_lon: lon + dlon,
        }
    }

    pub fn contains(&self, lat: f64, lon: f64) -> bool {
        (self.min_lat..=self.max_lat).contains(&lat) && (self.min_lon..=self.max_lon).contains(&lon)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paris_to_besancon() {
        let d = distance_km((48.8566, 2.3522), (47.2380, 6.0243));
        assert!((d - 326.0).abs() < 5.0, "{d}");
    }

    #[test]
    fn the_box_holds_the_disc() {
        let b = BoundingBox::around(47.238, 6.024, 20.0);
        for bearing in 0..36 {
            let angle = f64::from(bearing) * 10f64.to_radians();
            let (lat, lon) = (47.238 + 0.179 * angle.cos(), 6.024 + 0.264 * angle.sin());
            if distance_km((47.238, 6.024), (lat, lon)) <= 20.0 {
                assert!(b.contains(lat, lon));
            }
        }
        assert!(!b.contains(47.238, 7.0));
    }
}
