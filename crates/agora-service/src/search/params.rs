//! The search as callers ask it: the query string of `GET /api/v1/search` and of the
//! portal's `/recherche`, checked and turned into a request of the index.

use super::*;

/// How the words are matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MatchParam {
    /// As people ask: places in the words, the field's vocabulary, fewer words when every
    /// word finds too little, wider areas when the place has nothing.
    #[default]
    Understood,
    /// Every word as typed is required.
    Exact,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SortParam {
    #[default]
    Relevance,
    Distance,
    Recent,
}

/// A search as the query string of `GET /api/v1/search` (and of the portal's
/// `/recherche`) names it.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct SearchQuery {
    /// Words to find (at most 200 characters, and 12 words besides small ones such as
    /// "le", "de", "à"), as people ask: accents, case,
    /// plurals and small typos do not matter; the last word may be unfinished; the field's
    /// vocabulary is understood ("sport" finds activité physique adaptée); a place in the
    /// words ("près de Nantes", "dans le 25") is the place searched, unless a place
    /// parameter is given. Listings holding every word come first; when they fill less
    /// than a page, listings holding fewer follow (see `relaxed`). Never query syntax.
    #[cfg_attr(feature = "openapi", param(max_length = 200))]
    pub q: Option<String>,
    /// `understood` (default) or `exact`: every word as typed is required, no place is
    /// read from the words, no vocabulary, no wider area.
    #[serde(rename = "match")]
    #[cfg_attr(feature = "openapi", param(rename = "match", inline))]
    pub match_mode: Option<MatchParam>,
    /// Comma-separated kinds: `structure`, `service`, `project`.
    pub kind: Option<String>,
    /// Comma-separated theme slugs (any of them).
    pub theme: Option<String>,
    /// Comma-separated cancer-type slugs; services naming none are for every cancer.
    pub cancer: Option<String>,
    /// Comma-separated audience slugs.
    pub audience: Option<String>,
    /// Comma-separated pathway-stage slugs.
    pub stage: Option<String>,
    /// Comma-separated mode slugs (`presentiel`, `visio`, `telephone`, `en-ligne`).
    pub mode: Option<String>,
    /// Comma-separated skill slugs (projects).
    pub skill: Option<String>,
    /// Comma-separated: how wide the area of a service or project is: `national` (the
    /// whole country), `regional` (one or more régions), `local` (less than a région).
    pub scope: Option<String>,
    /// Comma-separated project formats: `long_project`, `mini_mission`.
    pub format: Option<String>,
    /// Free services only (`true`) or paid only (`false`).
    pub free: Option<bool>,
    /// Labelled structures' listings only.
    pub labelled: Option<bool>,
    /// A région (INSEE code): listings whose zone reaches it.
    pub code_region: Option<String>,
    /// A département (INSEE code): listings whose zone reaches it.
    pub code_departement: Option<String>,
    /// A commune (INSEE code): listings whose zone holds it.
    pub code_commune: Option<String>,
    /// A postcode: listings whose zone holds one of its communes.
    pub postcode: Option<String>,
    /// "Around me", with `lon`: listings whose zone holds the place, and on-site ones
    /// within `radius_km`.
    #[cfg_attr(feature = "openapi", param(minimum = -90, maximum = 90 ))]
    pub lat: Option<f64>,
    #[cfg_attr(feature = "openapi", param(minimum = -180, maximum = 180 ))]
    pub lon: Option<f64>,
    /// Distance for on-site listings, in km (20 by default with `lat`/`lon`).
    #[cfg_attr(feature = "openapi", param(exclusive_minimum = 0, maximum = 200))]
    pub radius_km: Option<f64>,
    /// `relevance` (default), `distance` (with a place), `recent`.
    #[cfg_attr(feature = "openapi", param(inline))]
    pub sort: Option<SortParam>,
    pub cursor: Option<String>,
    /// Page size: at least 1; values above 100 are capped; 20 by default.
    #[cfg_attr(feature = "openapi", param(minimum = 1))]
    pub limit: Option<i64>,
}

pub fn list(values: Option<String>) -> Vec<String> {
    values
        .map(|v| {
            v.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

impl SearchQuery {
    /// The search these parameters ask for, `limit` results a page.
    pub fn into_params(self, limit: u64) -> SearchParams {
        SearchParams {
            q: self.q,
            kinds: list(self.kind),
            themes: list(self.theme),
            cancers: list(self.cancer),
            audiences: list(self.audience),
            stages: list(self.stage),
            modes: list(self.mode),
            skills: list(self.skill),
            scopes: list(self.scope),
            formats: list(self.format),
            free: self.free,
            labelled: self.labelled,
            open_to_help: false,
            code_region: self.code_region,
            code_departement: self.code_departement,
            code_commune: self.code_commune,
            postcode: self.postcode,
            lat: self.lat,
            lon: self.lon,
            radius_km: self.radius_km,
            sort: self.sort.unwrap_or_default(),
            match_mode: self.match_mode.unwrap_or_default(),
            cursor: self.cursor,
            limit,
        }
    }
}

/// A search as callers ask it.
#[derive(Debug, Clone, Default)]
pub struct SearchParams {
    pub q: Option<String>,
    pub kinds: Vec<String>,
    pub themes: Vec<String>,
    pub cancers: Vec<String>,
    pub audiences: Vec<String>,
    pub stages: Vec<String>,
    pub modes: Vec<String>,
    pub skills: Vec<String>,
    pub scopes: Vec<String>,
    pub formats: Vec<String>,
    pub free: Option<bool>,
    pub labelled: Option<bool>,
    /// Only projects seeking contributors now (suggestions to contributors).
    pub open_to_help: bool,
    pub code_region: Option<String>,
    pub code_departement: Option<String>,
    pub code_commune: Option<String>,
    pub postcode: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub radius_km: Option<f64>,
    pub sort: SortParam,
    pub match_mode: MatchParam,
    pub cursor: Option<String>,
    pub limit: u64,
}

#[derive(Serialize, Deserialize)]
pub(super) struct SearchCursor {
    /// The sort key of the last result (exact: JSON round-trips f64).
    pub(super) k: f64,
    /// Its id.
    pub(super) i: Uuid,
}

pub(super) fn malformed(field: &str, detail: &str) -> ServiceError {
    ServiceError::Malformed(ValidationErrors::single(
        format!("/{field}"),
        "invalid",
        detail,
    ))
}

impl SearchParams {
    pub(super) fn into_request(self, ctx: &Context) -> Result<SearchRequest> {
        for (name, values, known) in [
            (
                "scope",
                &self.scopes,
                &["national", "regional", "local"][..],
            ),
            (
                "format",
                &self.formats,
                &["long_project", "mini_mission"][..],
            ),
        ] {
            if let Some(unknown) = values.iter().find(|v| !known.contains(&v.as_str())) {
                return Err(ServiceError::Validation(ValidationErrors::single(
                    format!("/{name}"),
                    "unknown_value",
                    format!("`{unknown}` is not one of {}", known.join(", ")),
                )));
            }
        }
        let kinds = self
            .kinds
            .iter()
            .map(|k| {
                ListingKind::parse(k)
                    .ok_or_else(|| malformed("kind", "structure, service or project"))
            })
            .collect::<Result<Vec<_>>>()?;
        for (name, kind, values) in [
            ("theme", VocabularyKind::Theme, &self.themes),
            ("cancer", VocabularyKind::CancerType, &self.cancers),
            ("audience", VocabularyKind::Audience, &self.audiences),
            ("stage", VocabularyKind::Stage, &self.stages),
            ("mode", VocabularyKind::Mode, &self.modes),
            ("skill", VocabularyKind::Skill, &self.skills),
        ] {
            if let Some(unknown) = values.iter().find(|v| !ctx.vocab.contains(kind, v)) {
                return Err(ServiceError::Validation(ValidationErrors::single(
                    format!("/{name}"),
                    "unknown_term",
                    format!(
                        "`{unknown}` is not in the {} vocabulary (see /api/v1/vocabularies)",
                        kind.as_str()
                    ),
                )));
            }
        }
        let point = match (self.lat, self.lon) {
            (Some(lat), Some(lon))
                if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) =>
            {
                Some(Place::Point { lat, lon })
            }
            (Some(_), Some(_)) => {
                return Err(malformed("lat", "latitude and longitude out of range"));
            }
            (None, None) => None,
            _ => return Err(malformed("lat", "give both lat and lon")),
        };
        let places: Vec<Place> = [
            self.code_region.map(Place::Region),
            self.code_departement.map(Place::Departement),
            self.code_commune.map(Place::Commune),
            self.postcode.map(Place::Postcode),
            point,
        ]
        .into_iter()
        .flatten()
        .collect();
        if places.len() > 1 {
            return Err(malformed(
                "code_region",
                "give one place: a région, a département, a commune, a postcode or lat/lon",
            ));
        }
        if let Some(r) = self.radius_km
            && !(r > 0.0 && r <= 200.0)
        {
            return Err(malformed("radius_km", "between 0 and 200 km"));
        }
        let after = decode_opt::<SearchCursor>(self.cursor.as_deref())?.map(|c| Cursor {
            key: c.k,
            id: c.i.as_u128(),
        });
        Ok(SearchRequest {
            q: self.q,
            kinds,
            themes: self.themes,
            cancers: self.cancers,
            audiences: self.audiences,
            stages: self.stages,
            modes: self.modes,
            skills: self.skills,
            scopes: self.scopes,
            formats: self.formats,
            free: self.free,
            labelled: self.labelled,
            open_to_help: self.open_to_help,
            place: places.into_iter().next(),
            radius_km: self.radius_km,
            sort: match self.sort {
                SortParam::Relevance => Sort::Relevance,
                SortParam::Distance => Sort::Distance,
                SortParam::Recent => Sort::Recent,
            },
            after,
            limit: self.limit as usize,
            exact_words: self.match_mode == MatchParam::Exact,
        })
    }
}
