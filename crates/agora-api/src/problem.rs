//! RFC 9457 problem details: every error the API sends, whatever produced it, is one of
//! these, with the request id and, for invalid input, a JSON pointer per field.

use crate::request_context::current_request_id;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};
use agora_domain::{FieldError, ValidationErrors};
use agora_service::ServiceError;
use serde::Serialize;
use utoipa::ToSchema;

pub const PROBLEM_JSON: &str = "application/problem+json";

/// An error response (RFC 9457).
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI reference naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Quote it when reporting a problem: it finds the request in the server's logs.
    pub request_id: String,
    /// One entry per invalid field, with a JSON pointer to it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub slug: &'static str,
    pub title: &'static str,
    /// Kept apart and boxed: errors travel by value through every handler.
    extra: Box<Extra>,
}

#[derive(Debug, Clone, Default)]
struct Extra {
    detail: Option<String>,
    errors: Vec<FieldError>,
    retry_after: Option<u64>,
    /// Set when the error leaves the request's scope (a caught panic): the id cannot be
    /// read from the task any more.
    request_id: Option<String>,
}

impl ApiError {
    pub fn new(status: StatusCode, slug: &'static str, title: &'static str) -> Self {
        Self {
            status,
            slug,
            title,
            extra: Box::default(),
        }
    }

    pub fn with_request_id(mut self, id: String) -> Self {
        self.extra.request_id = Some(id);
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.extra.detail = Some(detail.into());
        self
    }

    pub fn errors(mut self, errors: Vec<FieldError>) -> Self {
        self.extra.errors = errors;
        self
    }

    pub fn retry_after(mut self, seconds: u64) -> Self {
        self.extra.retry_after = Some(seconds);
        self
    }

    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad-request", "Bad request").detail(detail)
    }

    /// Input whose shape is wrong (syntax, types, unknown or read-only fields).
    pub fn malformed(errors: Vec<FieldError>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "malformed-request",
            "The request is malformed",
        )
        .detail("see `errors` for each field")
        .errors(errors)
    }

    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "not-found", "Not found").detail("nothing here")
    }

    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal-error",
            "Internal server error",
        )
        .detail("something went wrong on our side; quote the request id if you report it")
    }

    pub fn body(&self) -> Problem {
        Problem {
            kind: format!("/problems/{}", self.slug),
            title: self.title.to_owned(),
            status: self.status.as_u16(),
            detail: self.extra.detail.clone(),
            request_id: self
                .extra
                .request_id
                .clone()
                .unwrap_or_else(current_request_id),
            errors: self.extra.errors.clone(),
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.status.as_u16(), self.title)
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status);
        response.insert_header((header::CONTENT_TYPE, PROBLEM_JSON));
        if self.status == StatusCode::UNAUTHORIZED {
            response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
        }
        if let Some(id) = &self.extra.request_id {
            response.insert_header((crate::request_context::REQUEST_ID_HEADER, id.as_str()));
        }
        if let Some(seconds) = self.extra.retry_after {
            response.insert_header((header::RETRY_AFTER, seconds.to_string()));
        }
        response.body(serde_json::to_string(&self.body()).unwrap_or_default())
    }
}

impl From<ValidationErrors> for ApiError {
    fn from(e: ValidationErrors) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation-error",
            "Some fields are invalid",
        )
        .detail("see `errors` for each field")
        .errors(e.0)
    }
}

impl From<ServiceError> for ApiError {
    fn from(err: ServiceError) -> Self {
        match err {
            ServiceError::Unauthenticated(why) => Self::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "Authentication required",
            )
            .detail(why),
            ServiceError::Forbidden(why) => {
                Self::new(StatusCode::FORBIDDEN, "forbidden", "Forbidden").detail(why)
            }
            ServiceError::NotFound(what) => {
                Self::new(StatusCode::NOT_FOUND, "not-found", "Not found")
                    .detail(format!("{what} not found"))
            }
            ServiceError::Conflict(why) => {
                Self::new(StatusCode::CONFLICT, "conflict", "Conflict").detail(why)
            }
            ServiceError::Transition(e) => Self::new(
                StatusCode::CONFLICT,
                "invalid-transition",
                "Not possible in the current state",
            )
            .detail(e.to_string()),
            ServiceError::Validation(e) => e.into(),
            ServiceError::Malformed(e) => Self::malformed(e.0),
            ServiceError::StaleVersion => Self::new(
                StatusCode::PRECONDITION_FAILED,
                "precondition-failed",
                "Precondition failed",
            )
            .detail("the resource changed since you read it: GET it again and reapply your change"),
            ServiceError::Gone(why) => {
                Self::new(StatusCode::GONE, "gone", "No longer valid").detail(why)
            }
            ServiceError::TooManyRequests { retry_after_secs } => Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                "too-many-requests",
                "Too many requests",
            )
            .detail("you have done this too often; try again later")
            .retry_after(retry_after_secs),
            ServiceError::Unavailable => {
                let e = Self::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    "Service unavailable",
                )
                .detail("the service cannot reach its database; try again shortly");
                e.retry_after(5)
            }
            ServiceError::Overloaded { retry_after_secs } => Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "overloaded",
                "Service overloaded",
            )
            .detail("too many requests are waiting for this kind of work; try again shortly")
            .retry_after(retry_after_secs),
            ServiceError::Internal(detail) => {
                tracing::error!(request_id = %current_request_id(), %detail, "internal error");
                Self::internal()
            }
        }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
