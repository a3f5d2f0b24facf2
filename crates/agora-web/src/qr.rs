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
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

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

/// QR codes already drawn, by address: a listing's address never changes, and drawing
/// one (choosing its mask) takes about half a millisecond. Bounded: when full it is
/// emptied and fills again.
static PNGS: LazyLock<Mutex<HashMap<String, Arc<Vec<u8>>>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));
const PNGS_KEPT: usize = 50_000;

/// [`png_of`], drawn once per address.
pub fn png_cached(text: &str) -> Option<Arc<Vec<u8>>> {
    if let Ok(cache) = PNGS.lock()
        && let Some(png) = cache.get(text)
    {
        return Some(png.clone());
    }
    let png = Arc::new(png_of(text)?);
    if let Ok(mut cache) = PNGS.lock() {
        if cache.len() >= PNGS_KEPT {
            cache.clear();
        }
        cache.insert(text.to_owned(), png.clone());
    }
    Some(png)
}

/// A PNG QR code of `text`, one pixel per module (with a quiet zone), for the PDF: a few
/// hundred bytes that the typesetter scales without smoothing, where an SVG of hundreds
/// of squares would weigh on every page.
pub fn png_of(text: &str) -> Option<Vec<u8>> {
    const QUIET: usize = 2;
    let code = QrCode::new(text.as_bytes()).ok()?;
    let width = code.width();
    let size = width + 2 * QUIET;
    let mut pixels = vec![255u8; size * size];
    for (i, colour) in code.to_colors().into_iter().enumerate() {
        if colour == qrcode::Color::Dark {
            let (y, x) = (i / width + QUIET, i % width + QUIET);
            pixels[y * size + x] = 0;
        }
    }
    let mut out = Vec::new();
    let side = u32::try_from(size).ok()?;
    let mut encoder = png::Encoder::new(&mut out, side, side);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().ok()?;
    writer.write_image_data(&pixels).ok()?;
    writer.finish().ok()?;
    Some(out)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_qr_code_png_is_one_pixel_per_module_with_a_quiet_zone() {
        let png = png_of("http://127.0.0.1:8080/services/0190").unwrap_or_default();
        let decoder = png::Decoder::new(std::io::Cursor::new(png));
        let reader = decoder.read_info();
        assert!(reader.is_ok());
        if let Ok(reader) = reader {
            let info = reader.info();
            let side = QrCode::new(b"http://127.0.0.1:8080/services/0190")
                .map(|c| c.width() as u32 + 4)
                .unwrap_or_default();
            assert_eq!((info.width, info.height), (side, side));
        }
    }
}
