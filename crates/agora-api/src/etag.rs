//! Strong entity tags over the exact bytes sent, and the conditional-request rules that
//! use them (`If-None-Match` on reads, `If-Match` required on updates).

use crate::problem::{ApiError, ApiResult};
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse};
use serde::Serialize;
use sha2::{Digest, Sha256};

pub fn etag_of(body: &[u8]) -> String {
    let digest = Sha256::digest(body);
    format!("\"{}\"", hex::encode(&digest[..16]))
}

fn listed(header_value: &str, etag: &str) -> bool {
    header_value
        .split(',')
        .map(str::trim)
        .any(|t| t == "*" || t == etag)
}

/// A 200 JSON response with its ETag, or 304 when the client already has it.
pub fn json_with_etag<T: Serialize>(req: &HttpRequest, value: &T) -> ApiResult<HttpResponse> {
    let body = serde_json::to_vec(value).map_err(|_| ApiError::internal())?;
    let etag = etag_of(&body);
    let cached = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| listed(v, &etag));
    if cached {
        return Ok(HttpResponse::NotModified()
            .insert_header((header::ETAG, etag))
            .finish());
    }
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag))
        .content_type("application/json")
        .body(body))
}

/// Checks `If-Match` against the representation the caller would GET now: 428 without
/// it, 412 when it does not match.
pub fn require_if_match<T: Serialize>(req: &HttpRequest, current: &T) -> ApiResult<()> {
    let Some(value) = req
        .headers()
        .get(header::IF_MATCH)
        .and_then(|v| v.to_str().ok())
    else {
        return Err(ApiError::new(
            StatusCode::PRECONDITION_REQUIRED,
            "precondition-required",
            "Precondition required",
        )
        .detail("send `If-Match` with the ETag of the version you edited (GET it first)"));
    };
    let body = serde_json::to_vec(current).map_err(|_| ApiError::internal())?;
    if listed(value, &etag_of(&body)) {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::PRECONDITION_FAILED,
            "precondition-failed",
            "Precondition failed",
        )
        .detail("the resource changed since you read it: GET it again and reapply your change"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etags_are_quoted_and_follow_the_bytes() {
        let a = etag_of(b"{\"a\":1}");
        assert!(a.starts_with('"') && a.ends_with('"') && a.len() == 34);
        assert_ne!(a, etag_of(b"{\"a\":2}"));
        assert!(listed(&format!("\"x\", {a}"), &a));
        assert!(listed("*", &a));
        assert!(!listed("\"x\"", &a));
    }
}
