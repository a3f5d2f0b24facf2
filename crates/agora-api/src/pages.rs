//! The few pages the API serves itself: those the links in its mails open. Each says what
//! the link is for and, when there is something to do, offers a button (a form that posts
//! the link's token back). Opening a page never changes anything, so a mail scanner that
//! opens every link does no harm. Pages are French, work without JavaScript (there is
//! none), and are sent with a Content-Security-Policy that forbids scripts and framing.

use crate::problem::{ApiError, ApiResult};
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse};
use askama::Template;

/// One input of a page's form.
pub struct Field {
    pub name: &'static str,
    pub label: &'static str,
    pub kind: &'static str,
    pub autocomplete: &'static str,
    pub hint: &'static str,
}

pub struct Form {
    pub action: String,
    pub token: Option<String>,
    pub fields: Vec<Field>,
    pub submit: &'static str,
}

#[derive(Template)]
#[template(path = "link_page.html")]
pub struct LinkPage {
    pub title: &'static str,
    pub paragraphs: Vec<String>,
    pub form: Option<Form>,
    pub link: Option<String>,
    pub link_label: &'static str,
}

impl LinkPage {
    pub fn message(title: &'static str, paragraphs: Vec<String>) -> Self {
        Self {
            title,
            paragraphs,
            form: None,
            link: None,
            link_label: "",
        }
    }

    pub fn with_form(mut self, form: Form) -> Self {
        self.form = Some(form);
        self
    }

    pub fn with_link(mut self, label: &'static str, url: String) -> Self {
        self.link = Some(url);
        self.link_label = label;
        self
    }

    /// The page as a response with `status`.
    pub fn respond(&self, status: StatusCode) -> ApiResult<HttpResponse> {
        let html = self
            .render()
            .map_err(|e| ApiError::from(agora_service::ServiceError::Internal(e.to_string())))?;
        Ok(HttpResponse::build(status)
            .content_type("text/html; charset=utf-8")
            .insert_header((
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; \
                 frame-ancestors 'none'; base-uri 'none'",
            ))
            .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
            .insert_header((header::REFERRER_POLICY, "no-referrer"))
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .body(html))
    }
}

/// Whether the client prefers a page to JSON (a browser following a mail's link).
pub fn wants_html(req: &HttpRequest) -> bool {
    let accept = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let position = |kind: &str| accept.find(kind);
    match (position("text/html"), position("application/json")) {
        (Some(html), Some(json)) => html < json,
        (Some(_), None) => true,
        _ => false,
    }
}

/// Whether a request was posted by a page's form (then it is answered with a page).
pub fn from_form(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(';').next().is_some_and(|m| {
                m.trim()
                    .eq_ignore_ascii_case("application/x-www-form-urlencoded")
            })
        })
}

/// A page for an error met while following a link.
pub fn error_page(e: ApiError, action: &'static str) -> ApiResult<HttpResponse> {
    let text = match e.status {
        StatusCode::GONE => format!(
            "Ce lien a déjà servi, a été remplacé par un plus récent ou a expiré : {action} n'est plus possible avec lui."
        ),
        StatusCode::BAD_REQUEST => {
            "Ce lien n'est pas un lien envoyé par Agora. Vérifiez qu'il a été copié en entier."
                .to_owned()
        }
        StatusCode::UNPROCESSABLE_ENTITY => {
            let details: Vec<String> = e.body().errors.iter().map(|f| f.detail.clone()).collect();
            format!(
                "Ce qui a été saisi ne convient pas : {}.",
                details.join(" ; ")
            )
        }
        StatusCode::TOO_MANY_REQUESTS => {
            "Trop de demandes en peu de temps : réessayez dans quelques minutes.".to_owned()
        }
        _ => {
            "L'opération n'a pas pu être enregistrée. Réessayez dans quelques instants.".to_owned()
        }
    };
    let status = e.status;
    LinkPage::message("Impossible pour le moment", vec![text]).respond(status)
}
