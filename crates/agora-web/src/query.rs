//! The search's query string, as the API reads it: the portal's addresses take exactly
//! the parameters of `GET /api/v1/search`. Forms send a checked box once per value
//! (`theme=a&theme=b`), the API a comma-separated list (`theme=a,b`): both are read.

use agora_domain::ValidationErrors;
use agora_service::ServiceError;
use agora_service::search::SearchQuery;

/// Parameters that hold a list of values.
const LISTS: [&str; 9] = [
    "kind", "theme", "cancer", "audience", "stage", "mode", "skill", "scope", "format",
];

/// Parameters kept in links between result pages, in the order they are written.
const KNOWN: [&str; 23] = [
    "q",
    "match",
    "kind",
    "theme",
    "cancer",
    "audience",
    "stage",
    "mode",
    "skill",
    "scope",
    "format",
    "free",
    "labelled",
    "code_region",
    "code_departement",
    "code_commune",
    "postcode",
    "lat",
    "lon",
    "radius_km",
    "sort",
    "cursor",
    "limit",
];

/// Parameters that name the place searched.
pub const PLACE: [&str; 7] = [
    "code_region",
    "code_departement",
    "code_commune",
    "postcode",
    "lat",
    "lon",
    "radius_km",
];

/// A search's parameters, merged and in a stable order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Params(Vec<(String, String)>);

impl Params {
    /// Reads a query string; unknown parameters are kept aside (`extra`) for the page.
    pub fn parse(query: &str) -> (Self, Vec<(String, String)>) {
        let mut merged: Vec<(String, String)> = Vec::new();
        let mut extra = Vec::new();
        for (key, value) in form_urlencoded::parse(query.as_bytes()) {
            let value = value.trim().to_owned();
            if value.is_empty() {
                continue;
            }
            if !KNOWN.contains(&key.as_ref()) {
                extra.push((key.into_owned(), value));
                continue;
            }
            match merged.iter_mut().find(|(k, _)| *k == key) {
                Some((_, existing)) if LISTS.contains(&key.as_ref()) => {
                    existing.push(',');
                    existing.push_str(&value);
                }
                Some((_, existing)) => *existing = value,
                None => merged.push((key.into_owned(), value)),
            }
        }
        merged.sort_by_key(|(k, _)| KNOWN.iter().position(|n| n == k));
        (Self(merged), extra)
    }

    /// The search these parameters ask for, as the API would read them.
    pub fn search_query(&self) -> Result<SearchQuery, ServiceError> {
        let encoded = self.encode();
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(encoded.as_bytes()));
        serde_path_to_error::deserialize(de).map_err(|e| {
            let field = e.path().to_string();
            let field = if field.is_empty() || field == "." {
                "query".to_owned()
            } else {
                field
            };
            ServiceError::Malformed(ValidationErrors::single(
                format!("/{field}"),
                "invalid",
                e.inner().to_string(),
            ))
        })
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The values of a list parameter.
    pub fn values(&self, key: &str) -> Vec<&str> {
        self.get(key)
            .map(|v| {
                v.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// These parameters with `key` set to `value` (or removed), back on the first page.
    pub fn with(&self, key: &str, value: Option<&str>) -> Self {
        let mut pairs: Vec<(String, String)> = self
            .0
            .iter()
            .filter(|(k, _)| k != key && k != "cursor")
            .cloned()
            .collect();
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            pairs.push((key.to_owned(), v.to_owned()));
        }
        pairs.sort_by_key(|(k, _)| KNOWN.iter().position(|n| n == k));
        Self(pairs)
    }

    /// With `value` added to the list `key`, or taken out of it when already there.
    pub fn toggled(&self, key: &str, value: &str) -> Self {
        let mut values: Vec<&str> = self.values(key);
        if let Some(i) = values.iter().position(|v| *v == value) {
            values.remove(i);
        } else {
            values.push(value);
        }
        let joined = values.join(",");
        self.with(key, Some(&joined))
    }

    /// With no place at all (before another is set), back on the first page.
    pub fn without_place(&self) -> Self {
        Self(
            self.0
                .iter()
                .filter(|(k, _)| k != "cursor" && !PLACE.contains(&k.as_str()))
                .cloned()
                .collect(),
        )
    }

    pub fn encode(&self) -> String {
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(self.0.iter())
            .finish()
    }

    /// The address of `path` with these parameters.
    pub fn href(&self, path: &str) -> String {
        let query = self.encode();
        if query.is_empty() {
            path.to_owned()
        } else {
            format!("{path}?{query}")
        }
    }

    pub fn pairs(&self) -> &[(String, String)] {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boxes_checked_in_a_form_read_as_the_api_list() {
        let (p, extra) = Params::parse("theme=aidants&q=aide&theme=droits&lieu=Dole&cursor=");
        assert_eq!(p.encode(), "q=aide&theme=aidants%2Cdroits");
        assert_eq!(extra, vec![("lieu".to_owned(), "Dole".to_owned())]);
        let q = p.search_query().ok();
        assert_eq!(q.and_then(|q| q.theme).as_deref(), Some("aidants,droits"));
    }

    #[test]
    fn a_filter_link_adds_or_removes_one_value_and_returns_to_the_first_page() {
        let (p, _) = Params::parse("q=sport&theme=aidants&cursor=abc");
        assert_eq!(
            p.toggled("theme", "droits").encode(),
            "q=sport&theme=aidants%2Cdroits"
        );
        assert_eq!(p.toggled("theme", "aidants").encode(), "q=sport");
    }

    #[test]
    fn a_value_of_the_wrong_type_names_its_field() {
        let (p, _) = Params::parse("q=x&radius_km=loin");
        match p.search_query() {
            Err(ServiceError::Malformed(e)) => assert_eq!(e.0[0].pointer, "/radius_km"),
            other => panic!("expected a malformed query, got {other:?}"),
        }
    }
}
