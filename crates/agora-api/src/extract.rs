//! Request extractors that fail with problem+json naming the faulty field: the caller's
//! identity, bounded JSON bodies, query strings, and path parameters.

use crate::body_schema::BodySchemas;
use crate::problem::ApiError;
use crate::state::ApiState;
use actix_web::dev::Payload;
use actix_web::http::{StatusCode, header};
use actix_web::web::{BytesMut, Data};
use actix_web::{FromRequest, HttpMessage, HttpRequest};
use agora_domain::FieldError;
use agora_domain::validation::deserialize_located;
use agora_service::{Actor, accounts};
use futures_util::StreamExt;
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;
use serde_json::Value;

fn state(req: &HttpRequest) -> Result<Data<ApiState>, ApiError> {
    req.app_data::<Data<ApiState>>()
        .cloned()
        .ok_or_else(ApiError::internal)
}

/// The caller, once the authorisation middleware has established it (so that the
/// extractors do not look the session up a second time).
#[derive(Debug, Clone)]
pub(crate) struct Identified(pub Actor);

/// What a request presents to identify its caller.
#[derive(Debug, Default)]
pub(crate) struct Credentials {
    pub authorization: Option<Result<String, header::ToStrError>>,
    /// A partner's key (`X-API-Key`).
    pub api_key: Option<Result<String, header::ToStrError>>,
}

/// Who is calling: anonymous without credentials, a user with a valid bearer token, a
/// partner with a valid `X-API-Key`; anything else is refused (401), never silently
/// ignored.
pub(crate) async fn identify(
    credentials: Credentials,
    state: Result<Data<ApiState>, ApiError>,
) -> Result<Actor, ApiError> {
    let state = state?;
    let unauthorized = |why: &str| {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Authentication required",
        )
        .detail(why.to_owned())
    };
    let header = match (credentials.authorization, credentials.api_key) {
        (Some(_), Some(_)) => {
            return Err(unauthorized(
                "send either a bearer token or an API key, not both",
            ));
        }
        (None, Some(Err(_))) => return Err(unauthorized("unreadable X-API-Key header")),
        (None, Some(Ok(key))) => {
            return Ok(Actor::Partner(
                agora_service::partners::authenticate(&state.ctx, key.trim()).await?,
            ));
        }
        (header, None) => header,
    };
    let token = match header {
        None => return Ok(Actor::Anonymous),
        Some(Err(_)) => return Err(unauthorized("unreadable Authorization header")),
        Some(Ok(value)) => match value.split_once(' ') {
            Some((scheme, token))
                if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
            {
                token.trim().to_owned()
            }
            _ => return Err(unauthorized("use `Authorization: Bearer <access token>`")),
        },
    };
    Ok(accounts::authenticate(&state.ctx, &token).await?)
}

pub(crate) fn authorization(req: &HttpRequest) -> Credentials {
    let get = |name| {
        req.headers()
            .get(name)
            .map(|v: &header::HeaderValue| v.to_str().map(str::to_owned))
    };
    Credentials {
        authorization: get(header::AUTHORIZATION),
        api_key: get(header::HeaderName::from_static("x-api-key")),
    }
}

/// The caller of a route anyone may call; signed in or not.
pub struct Caller(pub Actor);

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let known = req.extensions().get::<Identified>().cloned();
        let (header, state) = (authorization(req), state(req));
        Box::pin(async move {
            match known {
                Some(Identified(actor)) => Ok(Caller(actor)),
                None => identify(header, state).await.map(Caller),
            }
        })
    }
}

/// The caller of a route that needs an account: anonymous requests stop here with 401,
/// before their body is even read.
pub struct SignedIn(pub Actor);

impl FromRequest for SignedIn {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let known = req.extensions().get::<Identified>().cloned();
        let (header, state) = (authorization(req), state(req));
        Box::pin(async move {
            let actor = match known {
                Some(Identified(actor)) => actor,
                None => identify(header, state).await?,
            };
            match actor {
                Actor::Anonymous | Actor::Partner(_) => Err(ApiError::new(
                    StatusCode::UNAUTHORIZED,
                    "unauthorized",
                    "Authentication required",
                )
                .detail("sign in to do this")),
                actor => Ok(SignedIn(actor)),
            }
        })
    }
}

/// Reads the body within the configured limit: 413 beyond it, before parsing anything.
async fn read_body(
    req: &HttpRequest,
    payload: &mut Payload,
    limit: usize,
) -> Result<BytesMut, ApiError> {
    let too_large = || {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload-too-large",
            "Request body too large",
        )
        .detail(format!("bodies are limited to {limit} bytes"))
    };
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(too_large());
    }
    let mut body = BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk =
            chunk.map_err(|_| ApiError::bad_request("the request body could not be read"))?;
        if body.len() + chunk.len() > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

fn check_json_content_type(req: &HttpRequest) -> Result<(), ApiError> {
    let ok = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        })
        .is_some_and(|mime| {
            mime == "application/json"
                || mime == "application/merge-patch+json"
                || mime.ends_with("+json")
        });
    if ok {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            "Unsupported media type",
        )
        .detail("send JSON with `Content-Type: application/json`"))
    }
}

/// Parses a JSON body, checks it against the route's published schema, then reads `T`
/// from it. serde_json refuses nesting deeper than 128 levels, so a hostile `[[[[…` costs
/// nothing; every error points at the offending value.
fn read_json<T: DeserializeOwned>(req: &HttpRequest, bytes: &[u8]) -> Result<T, ApiError> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| {
        let (code, detail) = if e.to_string().contains("recursion limit") {
            ("too_deep", "the document is nested too deeply".to_owned())
        } else {
            (
                "invalid_json",
                format!("not valid JSON (line {}, column {})", e.line(), e.column()),
            )
        };
        ApiError::malformed(vec![FieldError {
            pointer: String::new(),
            code: code.into(),
            detail,
        }])
    })?;
    if let (Some(schemas), Some(pattern)) =
        (req.app_data::<Data<BodySchemas>>(), req.match_pattern())
    {
        schemas
            .check(req.method().as_str(), &pattern, &value)
            .map_err(ApiError::malformed)?;
    }
    deserialize_located(value).map_err(|e| ApiError::malformed(vec![e]))
}

/// A required JSON body: present, declared as JSON, valid against the route's schema.
fn required_json<T: DeserializeOwned>(req: &HttpRequest, body: &[u8]) -> Result<T, ApiError> {
    if body.is_empty() {
        return Err(ApiError::malformed(vec![FieldError {
            pointer: String::new(),
            code: "required".into(),
            detail: "a JSON body is required".into(),
        }]));
    }
    check_json_content_type(req)?;
    read_json(req, body)
}

/// A JSON body, bounded in size and depth, valid against the route's schema.
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for JsonBody<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let mut payload = payload.take();
        Box::pin(async move {
            let limit = state(&req)?.json_limit;
            let body = read_body(&req, &mut payload, limit).await?;
            required_json(&req, &body).map(JsonBody)
        })
    }
}

/// A body sent as JSON by programs or as a form by the API's own pages (`application/
/// x-www-form-urlencoded`); JSON is checked against the route's schema as [`JsonBody`] is.
pub struct FormOrJson<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for FormOrJson<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let mut payload = payload.take();
        Box::pin(async move {
            let limit = state(&req)?.json_limit;
            let body = read_body(&req, &mut payload, limit).await?;
            if crate::pages::from_form(&req) {
                let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(&body));
                return deserialize_located(de)
                    .map(FormOrJson)
                    .map_err(|e| ApiError::malformed(vec![e]));
            }
            required_json(&req, &body).map(FormOrJson)
        })
    }
}

/// A JSON body that may be left out entirely (then `T::default()`).
pub struct OptionalJsonBody<T>(pub T);

impl<T: DeserializeOwned + Default + 'static> FromRequest for OptionalJsonBody<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let mut payload = payload.take();
        Box::pin(async move {
            let limit = state(&req)?.json_limit;
            let body = read_body(&req, &mut payload, limit).await?;
            if body.iter().all(u8::is_ascii_whitespace) {
                return Ok(OptionalJsonBody(T::default()));
            }
            check_json_content_type(&req)?;
            read_json(&req, &body).map(OptionalJsonBody)
        })
    }
}

/// Query-string parameters; an invalid one is named in the error (`/limit`).
pub struct QueryParams<T>(pub T);

impl<T: DeserializeOwned> FromRequest for QueryParams<T> {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let query = req.query_string();
        let result = if query.len() > 4096 {
            Err(ApiError::bad_request("the query string is too long"))
        } else {
            let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
            deserialize_located(de)
                .map(QueryParams)
                .map_err(|e| ApiError::malformed(vec![e]))
        };
        std::future::ready(result)
    }
}

/// Names the path parameter that does not parse (all of ours are UUIDs).
pub fn path_error(req: &HttpRequest) -> ApiError {
    let errors = req
        .match_info()
        .iter()
        .filter(|(_, value)| uuid::Uuid::parse_str(value).is_err())
        .map(|(name, _)| FieldError {
            pointer: format!("/{name}"),
            code: "invalid_uuid".into(),
            detail: "must be a UUID".into(),
        })
        .collect();
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "invalid-path-parameter",
        "Invalid path parameter",
    )
    .detail("identifiers in paths are UUIDs")
    .errors(errors)
}
