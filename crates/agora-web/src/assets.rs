//! The vendored assets, embedded at build time and served under a path that changes with
//! their contents (`/static/{version}/…`), so that they are cached for a year.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use std::collections::HashMap;
use std::sync::LazyLock;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/assets.rs"));
}

pub use embedded::VERSION;

static BY_PATH: LazyLock<HashMap<&'static str, &'static [u8]>> =
    LazyLock::new(|| embedded::FILES.iter().copied().collect());

/// One embedded file, by its path under `assets/`.
pub fn file(path: &str) -> Option<&'static [u8]> {
    BY_PATH.get(path).copied()
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or_default() {
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "woff2" => "font/woff2",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "md" => "text/markdown; charset=utf-8",
        _ => "application/octet-stream",
    }
}

pub async fn serve(req: HttpRequest, path: web::Path<(String, String)>) -> HttpResponse {
    let (version, path) = path.into_inner();
    let Some(bytes) = file(&path) else {
        return crate::error::not_found_page(&req);
    };
    let cache = if version == VERSION {
        "public, max-age=31536000, immutable"
    } else {
        // An older page asks for an older version: serve today's, briefly cached.
        "public, max-age=300"
    };
    HttpResponse::Ok()
        .content_type(content_type(&path))
        .insert_header((header::CACHE_CONTROL, cache))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .body(bytes)
}

pub async fn favicon() -> HttpResponse {
    match file("dsfr/favicon/favicon.ico") {
        Some(bytes) => HttpResponse::Ok()
            .content_type("image/x-icon")
            .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
            .body(bytes),
        None => HttpResponse::NotFound().finish(),
    }
}
