//! QR codes to a listing's page, for the paper directory: an SVG per listing, cached,
//! so that the directory's page stays light.

use crate::WebState;
use crate::error;
use crate::search::href;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use agora_domain::ListingKind;
use qrcode::QrCode;
use qrcode::render::svg;

/// The listing's page as an absolute address (this installation's public address).
pub fn page_url(state: &WebState, kind: ListingKind, id: uuid::Uuid) -> String {
    format!(
        "{}{}",
        state.ctx.settings.mail.base_url.trim_end_matches('/'),
        href(kind, id)
    )
}

/// An SVG QR code of `text`.
pub fn svg_of(text: &str) -> Option<String> {
    let code = QrCode::new(text.as_bytes()).ok()?;
    Some(
        code.render::<svg::Color<'_>>()
            .min_dimensions(96, 96)
            .quiet_zone(true)
            .build(),
    )
}

pub async fn image(
    state: web::Data<WebState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> HttpResponse {
    let (kind, id) = path.into_inner();
    let kind = match kind.as_str() {
        "structures" => ListingKind::Structure,
        "services" => ListingKind::Service,
        "projets" => ListingKind::Project,
        _ => return error::not_found_page(&req),
    };
    let Ok(id) = uuid::Uuid::parse_str(id.trim_end_matches(".svg")) else {
        return error::not_found_page(&req);
    };
    match svg_of(&page_url(&state, kind, id)) {
        Some(svg) => HttpResponse::Ok()
            .content_type("image/svg+xml")
            .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
            .body(svg),
        None => error::not_found_page(&req),
    }
}
