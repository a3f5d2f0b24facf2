//! Distances on the Earth's surface (haversine), and the bounding box of a disc for cheap
//! prefiltering.

use geo::{Distance, Haversine, Point};

/// The mean Earth radius geo's haversine uses.
const EARTH_RADIUS_KM: f64 = 6371.0088;

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
        // On the sphere the haversine distance uses: the widest longitude of a disc of
        // angular radius d is asin(sin d / cos lat), a little wider than d / cos lat.
        let d = (radius_km / EARTH_RADIUS_KM).min(std::f64::consts::FRAC_PI_2);
        let dlat = d.to_degrees();
        let cos = lat.to_radians().cos().abs();
        let dlon = if cos <= d.sin() {
            180.0
        } else {
            (d.sin() / cos).asin().to_degrees()
        };
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
