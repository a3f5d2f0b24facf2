//! Cursor pagination: opaque, tamper-evident enough (validated on decode), and stable
//! under inserts because it is a position in a total order, not an offset.

use crate::ServiceError;
use agora_domain::ValidationErrors;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize, de::DeserializeOwned};

pub const DEFAULT_LIMIT: u64 = 20;
pub const MAX_LIMIT: u64 = 100;

/// A page of results and the cursor of the next one.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// The page size asked for: at least 1 (anything less is refused), at most `MAX_LIMIT`
/// (anything more is capped), `DEFAULT_LIMIT` when not given.
pub fn page_size(limit: Option<i64>) -> Result<u64, ServiceError> {
    match limit {
        None => Ok(DEFAULT_LIMIT),
        Some(n) if n < 1 => Err(ServiceError::Malformed(ValidationErrors::single(
            "/limit",
            "out_of_range",
            "must be at least 1",
        ))),
        Some(n) => Ok(u64::try_from(n).unwrap_or(MAX_LIMIT).min(MAX_LIMIT)),
    }
}

pub fn encode<T: Serialize>(position: &T) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(position).unwrap_or_default())
}

pub fn decode<T: DeserializeOwned>(cursor: &str) -> Result<T, ServiceError> {
    let invalid = || {
        ServiceError::Malformed(ValidationErrors::single(
            "/cursor",
            "invalid_cursor",
            "this cursor is not one this API issued",
        ))
    };
    if cursor.len() > 512 {
        return Err(invalid());
    }
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| invalid())?;
    serde_json::from_slice(&bytes).map_err(|_| invalid())
}

/// Decodes an optional cursor.
pub fn decode_opt<T: DeserializeOwned>(cursor: Option<&str>) -> Result<Option<T>, ServiceError> {
    cursor.filter(|c| !c.is_empty()).map(decode).transpose()
}

/// Given rows fetched with `limit + 1`, drops the extra row (which only tells that more
/// follow) and returns the cursor of the next page.
pub fn next_cursor<R, K: Serialize>(
    rows: &mut Vec<R>,
    limit: u64,
    key: impl Fn(&R) -> K,
) -> Option<String> {
    let more = rows.len() as u64 > limit;
    rows.truncate(limit as usize);
    if more {
        rows.last().map(|r| encode(&key(r)))
    } else {
        None
    }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub struct IdCursor {
    pub id: uuid::Uuid,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        let c = IdCursor {
            id: uuid::Uuid::now_v7(),
        };
        assert_eq!(decode::<IdCursor>(&encode(&c)).unwrap(), c);
        for garbage in ["garbage", "%%%", "eyJ4IjoxfQ", &"A".repeat(600)] {
            assert!(decode::<IdCursor>(garbage).is_err(), "{garbage}");
        }
    }

    #[test]
    fn limits_are_capped_and_checked() {
        assert_eq!(page_size(None).unwrap(), DEFAULT_LIMIT);
        assert_eq!(page_size(Some(1_000_000)).unwrap(), MAX_LIMIT);
        assert_eq!(page_size(Some(i64::MAX)).unwrap(), MAX_LIMIT);
        assert_eq!(page_size(Some(7)).unwrap(), 7);
        assert!(page_size(Some(0)).is_err());
        assert!(page_size(Some(-3)).is_err());
    }

    #[test]
    fn pages_know_whether_more_follow() {
        let mut rows: Vec<u32> = (0..5).collect();
        assert_eq!(next_cursor(&mut rows, 4, |r| *r), Some(encode(&3)));
        assert_eq!(rows, [0, 1, 2, 3]);
        let mut rows: Vec<u32> = (0..4).collect();
        assert_eq!(next_cursor(&mut rows, 4, |r| *r), None);
        assert_eq!(rows.len(), 4);
    }
}
