//! Which methods each route accepts, from the route table's own document, so that a known
//! path called with another method gets 405 and an `Allow` header rather than 404.

use crate::problem::ApiError;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};

#[derive(Debug, Clone, Default)]
pub struct AllowedMethods {
    /// (path template split in segments, methods in upper case)
    routes: Vec<(Vec<String>, Vec<String>)>,
}

impl AllowedMethods {
    pub fn from_document(document: &utoipa::openapi::OpenApi) -> Self {
        let value = serde_json::to_value(document).unwrap_or_default();
        let routes = value["paths"]
            .as_object()
            .map(|paths| {
                paths
                    .iter()
                    .map(|(path, item)| {
                        let segments = path.split('/').map(str::to_owned).collect();
                        let methods = item
                            .as_object()
                            .map(|ops| ops.keys().map(|m| m.to_uppercase()).collect())
                            .unwrap_or_default();
                        (segments, methods)
                    })
                    .collect()
            })
            .unwrap_or_default();
        Self { routes }
    }

    /// The methods of the route whose template matches `path`, if one does.
    pub fn for_path(&self, path: &str) -> Option<Vec<String>> {
        let segments: Vec<&str> = path.split('/').collect();
        self.routes
            .iter()
            .find(|(template, _)| {
                template.len() == segments.len()
                    && template
                        .iter()
                        .zip(&segments)
                        .all(|(t, s)| t == s || (t.starts_with('{') && !s.is_empty()))
            })
            .map(|(_, methods)| methods.clone())
    }
}

/// What answers a request no route took: 405 on a known path, 404 otherwise.
/// The page answering an unknown address outside the API, when pages are served.
pub struct PageFallback(pub fn(&HttpRequest) -> HttpResponse);

pub async fn no_route(req: HttpRequest, allowed: web::Data<AllowedMethods>) -> HttpResponse {
    let methods = allowed.for_path(req.path());
    // Addresses of the API (under /api/, /health, /ready) keep their problem+json answers.
    if methods.is_none()
        && !req.path().starts_with("/api/")
        && let Some(page) = req.app_data::<web::Data<PageFallback>>()
    {
        return (page.0)(&req);
    }
    match methods {
        Some(methods) => {
            let allow = methods.join(", ");
            let mut response = ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method-not-allowed",
                "Method not allowed",
            )
            .detail(format!("this route accepts {allow}"))
            .error_response();
            if let Ok(value) = header::HeaderValue::from_str(&allow) {
                response.headers_mut().insert(header::ALLOW, value);
            }
            response
        }
        None => ApiError::not_found().error_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_match_concrete_paths() {
        let allowed = AllowedMethods {
            routes: vec![
                (
                    "/api/v1/structures/{id}"
                        .split('/')
                        .map(str::to_owned)
                        .collect(),
                    vec!["GET".into(), "PATCH".into()],
                ),
                (
                    "/api/v1/structures".split('/').map(str::to_owned).collect(),
                    vec!["GET".into(), "POST".into()],
                ),
            ],
        };
        assert_eq!(
            allowed.for_path("/api/v1/structures/abc"),
            Some(vec!["GET".into(), "PATCH".into()])
        );
        assert_eq!(
            allowed.for_path("/api/v1/structures"),
            Some(vec!["GET".into(), "POST".into()])
        );
        assert_eq!(allowed.for_path("/api/v1/structures/abc/nothing"), None);
        assert_eq!(allowed.for_path("/api/v1/structures/"), None);
    }
}
