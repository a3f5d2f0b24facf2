//! The exports, streamed: the public directory in the formats the field uses, for a
//! partner's key with the `exports` scope (the same files `agora export` writes for an
//! open-data portal).

use crate::extract::{Caller, QueryParams};
use crate::problem::{ApiResult, Problem};
use crate::state::ApiState;
use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use agora_service::exports::{Encoding, Exporter, Format};
use agora_service::partners::Scope;
use agora_service::{ServiceError, authorize, feed};
use futures_util::StreamExt;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(export_data_inclusion_structures)
        .service(export_data_inclusion_services)
        .service(export_hsds_organizations)
        .service(export_hsds_services)
        .service(export_csv);
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ExportQuery {
    /// `json` (one array, by default) or `jsonl` (one item per line).
    #[param(pattern = "^(json|jsonl)$")]
    pub format: Option<String>,
}

/// The header giving the changes feed's cursor as of the start of the export: follow
/// `GET /changes?since=` from it to keep the copy up to date.
const CURSOR_HEADER: &str = "agora-changes-cursor";

async fn stream(
    state: &ApiState,
    caller: &Caller,
    format: Format,
    encoding: Option<&str>,
) -> ApiResult<HttpResponse> {
    authorize::authorize(
        &state.ctx,
        &caller.0,
        authorize::Need::Partner(Scope::Exports),
        authorize::Target::Nothing,
        None,
    )
    .await?;
    let encoding = match encoding {
        None => Encoding::JsonArray,
        Some(e) => Encoding::parse(e).ok_or_else(|| {
            ServiceError::Validation(agora_domain::ValidationErrors::single(
                "/format",
                "enum",
                "json or jsonl",
            ))
        })?,
    };
    // Taken before the first page is read: changes made during the export are read
    // again from the feed, never missed.
    let cursor = feed::current_cursor(&state.ctx).await?;
    let body = Exporter::new(&state.ctx, format, encoding)
        .into_stream()
        .map(|chunk| {
            chunk.map(web::Bytes::from).map_err(|e| {
                tracing::warn!(error = %e, "export interrupted");
                actix_web::error::ErrorServiceUnavailable("export interrupted")
            })
        });
    Ok(HttpResponse::Ok()
        .content_type(format.content_type(encoding))
        .insert_header((CURSOR_HEADER, cursor))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{}\"", format.file_name(encoding)),
        ))
        .streaming(body))
}

/// Agora's structures as data·inclusion schema v1 `Structure`s (the PyPI package
/// `data-inclusion-schema` 1.0), Agora's themes mapped to `thematiques` where they meet.
#[utoipa::path(
    tag = "partners",
    params(ExportQuery),
    responses(
        (status = 200, description = "The structures, streamed", content(
            (Vec<Object> = "application/json"),
            (String = "application/jsonl")
         ),
         headers(("Agora-Changes-Cursor" = String, description = "Follow GET /changes from this cursor"))),
        (status = 401, description = "No valid key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The key lacks the `exports` scope", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown format", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Quota exceeded", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
    extensions(("x-access" = json!("partner:exports")))
)]
#[get("/exports/data-inclusion/structures")]
pub async fn export_data_inclusion_structures(
    state: web::Data<ApiState>,
    caller: Caller,
    q: QueryParams<ExportQuery>,
) -> ApiResult<HttpResponse> {
    stream(
        &state,
        &caller,
        Format::DataInclusionStructures,
        q.0.format.as_deref(),
    )
    .await
}

/// Agora's services as data·inclusion schema v1 `Service`s.
#[utoipa::path(
    tag = "partners",
    params(ExportQuery),
    responses(
        (status = 200, description = "The services, streamed", content(
            (Vec<Object> = "application/json"),
            (String = "application/jsonl")
         ),
         headers(("Agora-Changes-Cursor" = String, description = "Follow GET /changes from this cursor"))),
        (status = 401, description = "No valid key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The key lacks the `exports` scope", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown format", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Quota exceeded", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
    extensions(("x-access" = json!("partner:exports")))
)]
#[get("/exports/data-inclusion/services")]
pub async fn export_data_inclusion_services(
    state: web::Data<ApiState>,
    caller: Caller,
    q: QueryParams<ExportQuery>,
) -> ApiResult<HttpResponse> {
    stream(
        &state,
        &caller,
        Format::DataInclusionServices,
        q.0.format.as_deref(),
    )
    .await
}

/// Agora's structures as Open Referral HSDS 3.0 `organization`s.
#[utoipa::path(
    tag = "partners",
    params(ExportQuery),
    responses(
        (status = 200, description = "The organizations, streamed", content(
            (Vec<Object> = "application/json"),
            (String = "application/jsonl")
         ),
         headers(("Agora-Changes-Cursor" = String, description = "Follow GET /changes from this cursor"))),
        (status = 401, description = "No valid key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The key lacks the `exports` scope", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown format", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Quota exceeded", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
    extensions(("x-access" = json!("partner:exports")))
)]
#[get("/exports/hsds/organizations")]
pub async fn export_hsds_organizations(
    state: web::Data<ApiState>,
    caller: Caller,
    q: QueryParams<ExportQuery>,
) -> ApiResult<HttpResponse> {
    stream(
        &state,
        &caller,
        Format::HsdsOrganizations,
        q.0.format.as_deref(),
    )
    .await
}

/// Agora's services as Open Referral HSDS 3.0 `service`s.
#[utoipa::path(
    tag = "partners",
    params(ExportQuery),
    responses(
        (status = 200, description = "The services, streamed", content(
            (Vec<Object> = "application/json"),
            (String = "application/jsonl")
         ),
         headers(("Agora-Changes-Cursor" = String, description = "Follow GET /changes from this cursor"))),
        (status = 401, description = "No valid key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The key lacks the `exports` scope", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown format", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Quota exceeded", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
    extensions(("x-access" = json!("partner:exports")))
)]
#[get("/exports/hsds/services")]
pub async fn export_hsds_services(
    state: web::Data<ApiState>,
    caller: Caller,
    q: QueryParams<ExportQuery>,
) -> ApiResult<HttpResponse> {
    stream(&state, &caller, Format::HsdsServices, q.0.format.as_deref()).await
}

/// Every public listing, one row each, for French spreadsheets: UTF-8 with a BOM, `;`
/// separators, cells that a spreadsheet would read as a formula neutralised.
#[utoipa::path(
    tag = "partners",
    responses(
        (status = 200, description = "The listings, streamed", content_type = "text/csv", body = String,
         headers(("Agora-Changes-Cursor" = String, description = "Follow GET /changes from this cursor"))),
        (status = 401, description = "No valid key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The key lacks the `exports` scope", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Quota exceeded", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
    extensions(("x-access" = json!("partner:exports")))
)]
#[get("/exports/listings.csv")]
pub async fn export_csv(state: web::Data<ApiState>, caller: Caller) -> ApiResult<HttpResponse> {
    stream(&state, &caller, Format::Csv, None).await
}
