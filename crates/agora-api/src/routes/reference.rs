//! Reference data: vocabularies and the French administrative geography.

use crate::state::ApiState;
use actix_web::{HttpRequest, HttpResponse, get, web};
use agora_domain::{Term, VocabularyKind};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(vocabularies)
        .service(regions)
        .service(departements)
        .service(communes);
}

#[derive(Serialize, ToSchema)]
pub struct ThemeFamily {
    pub slug: String,
    pub label: String,
    pub colour: String,
}

/// The controlled vocabularies, by kind: stable slugs with French labels.
#[derive(Serialize, ToSchema)]
pub struct VocabulariesView {
    /// Version of the reference data.
    pub version: i32,
    pub theme_families: Vec<ThemeFamily>,
    pub themes: Vec<Term>,
    pub cancer_types: Vec<Term>,
    pub audiences: Vec<Term>,
    pub stages: Vec<Term>,
    pub skills: Vec<Term>,
    pub structure_kinds: Vec<Term>,
    pub modes: Vec<Term>,
}

const FAMILY_LABELS: [(&str, &str); 4] = [
    ("social", "Social"),
    ("travail", "Travail"),
    ("sante", "Santé"),
    ("institutionnel", "Institutionnel"),
];

/// Themes (with their colour-coded family), cancer types, audiences, pathway stages,
/// skills, structure kinds and modes.
#[utoipa::path(tag = "reference", responses((status = 200, body = VocabulariesView)), security(), extensions(("x-access" = json!("public"))))]
#[get("/vocabularies")]
pub async fn vocabularies(
    state: web::Data<ApiState>,
    req: HttpRequest,
) -> crate::problem::ApiResult<HttpResponse> {
    let vocab = &state.ctx.vocab;
    let of = |k: VocabularyKind| vocab.of_kind(k).cloned().collect::<Vec<_>>();
    let themes = of(VocabularyKind::Theme);
    let theme_families = FAMILY_LABELS
        .iter()
        .filter_map(|(slug, label)| {
            let colour = themes
                .iter()
                .find(|t| t.family.as_deref() == Some(slug))?
                .colour
                .clone()?;
            Some(ThemeFamily {
                slug: (*slug).into(),
                label: (*label).into(),
                colour,
            })
        })
        .collect();
    let view = VocabulariesView {
        version: vocab.version,
        theme_families,
        themes,
        cancer_types: of(VocabularyKind::CancerType),
        audiences: of(VocabularyKind::Audience),
        stages: of(VocabularyKind::Stage),
        skills: of(VocabularyKind::Skill),
        structure_kinds: of(VocabularyKind::StructureKind),
        modes: of(VocabularyKind::Mode),
    };
    crate::etag::json_with_etag(&req, &view)
}

#[derive(Serialize, ToSchema)]
pub struct RegionView {
    /// INSEE code.
    pub code: String,
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct DepartementView {
    /// INSEE code (`25`, `2A`, `974`).
    pub code: String,
    pub name: String,
    pub region_code: String,
}

/// The 18 régions, with their INSEE codes.
#[utoipa::path(tag = "geography", responses((status = 200, body = Vec<RegionView>)), security(), extensions(("x-access" = json!("public"))))]
#[get("/geo/regions")]
pub async fn regions() -> HttpResponse {
    let list: Vec<RegionView> = agora_geo::regions()
        .iter()
        .map(|r| RegionView {
            code: r.code.into(),
            name: r.name.into(),
        })
        .collect();
    HttpResponse::Ok().json(list)
}

/// The 101 départements, with their INSEE codes and régions.
#[utoipa::path(tag = "geography", responses((status = 200, body = Vec<DepartementView>)), security(), extensions(("x-access" = json!("public"))))]
#[get("/geo/departements")]
pub async fn departements() -> HttpResponse {
    let list: Vec<DepartementView> = agora_geo::departements()
        .iter()
        .map(|d| DepartementView {
            code: d.code.into(),
            name: d.name.into(),
            region_code: d.region_code.into(),
        })
        .collect();
    HttpResponse::Ok().json(list)
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CommuneQuery {
    /// A commune's name (accents and case ignored; a former commune's name too) or the
    /// start of a postcode.
    #[param(min_length = 1, max_length = 100)]
    pub q: String,
    /// At most this many communes (10 by default, 50 at most).
    #[param(minimum = 1)]
    pub limit: Option<i64>,
}

/// Commune autocomplete, by name or postcode; the largest communes first. Positions are
/// given once centroids are imported.
#[utoipa::path(
    tag = "geography",
    params(CommuneQuery),
    responses(
        (status = 200, body = Vec<agora_service::geography::CommuneView>),
        (status = 400, description = "Missing or out-of-range parameter", body = crate::problem::Problem, content_type = "application/problem+json"),
    ),
    security(),
    extensions(("x-access" = json!("public")))
)]
#[get("/geo/communes")]
pub async fn communes(
    state: web::Data<ApiState>,
    q: crate::extract::QueryParams<CommuneQuery>,
) -> crate::problem::ApiResult<HttpResponse> {
    let q = q.0;
    let text = q.q.trim();
    if text.is_empty() || q.q.chars().count() > 100 {
        return Err(crate::problem::ApiError::malformed(vec![
            agora_domain::FieldError {
                pointer: "/q".into(),
                code: "invalid".into(),
                detail: "1 to 100 characters".into(),
            },
        ]));
    }
    let limit = match q.limit {
        None => 10,
        Some(n) if n >= 1 => usize::try_from(n).unwrap_or(50).min(50),
        Some(_) => {
            return Err(crate::problem::ApiError::malformed(vec![
                agora_domain::FieldError {
                    pointer: "/limit".into(),
                    code: "out_of_range".into(),
                    detail: "must be at least 1".into(),
                },
            ]));
        }
    };
    Ok(HttpResponse::Ok().json(agora_service::geography::communes(&state.ctx, text, limit)))
}
