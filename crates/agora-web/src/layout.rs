//! What every page has around its content (header, skip links, breadcrumbs, footer), and
//! how a page is sent: French HTML with a Content-Security-Policy that allows nothing from
//! elsewhere.

use actix_web::HttpResponse;
use actix_web::http::{StatusCode, header};
use askama::Template;

/// Allows our own styles, fonts, images and one script, and nothing from anywhere else.
/// The design system draws some icons as `data:` images.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; \
     frame-ancestors 'none'; base-uri 'none'; manifest-src 'self'";

pub struct Crumb {
    pub label: String,
    /// The current page has none.
    pub href: Option<String>,
}

pub struct Layout {
    pub title: String,
    pub description: String,
    pub assets: &'static str,
    /// Below the home page: where this page sits.
    pub crumbs: Vec<Crumb>,
    /// Which item of the main menu is current.
    pub section: &'static str,
    /// Structured data (schema.org JSON-LD), already made safe for a `<script>` element.
    pub json_ld: Option<String>,
    /// Whether the page may be indexed by search engines (error pages may not).
    pub indexable: bool,
    /// The signed-in person's name, on the workspace's pages.
    pub user: Option<String>,
    /// Whether the signed-in person moderates (the menu then shows the moderation).
    pub moderates: bool,
    /// A small script the page needs (a path under `/static/{version}/`).
    pub script: Option<&'static str>,
}

impl Layout {
    pub fn new(title: impl Into<String>, description: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            description: description.into(),
            assets: crate::assets::VERSION,
            crumbs: Vec::new(),
            section: "",
            json_ld: None,
            indexable: true,
            user: None,
            moderates: false,
            script: None,
        }
    }

    /// Adds a breadcrumb level (the last one added is the current page).
    pub fn crumb(mut self, label: impl Into<String>, href: Option<String>) -> Self {
        self.crumbs.push(Crumb {
            label: label.into(),
            href,
        });
        self
    }

    pub fn section(mut self, section: &'static str) -> Self {
        self.section = section;
        self
    }

    pub fn json_ld(mut self, value: &serde_json::Value) -> Self {
        // `</script>` inside the data would end the element: `<` is written as `\u003c`.
        self.json_ld = Some(value.to_string().replace('<', "\\u003c"));
        self
    }

    /// The header of a signed-in person's pages: their name and their menu.
    pub fn signed_in(mut self, name: String, moderates: bool) -> Self {
        self.user = Some(name);
        self.moderates = moderates;
        self.indexable = false;
        self
    }

    pub fn script(mut self, path: &'static str) -> Self {
        self.script = Some(path);
        self
    }

    pub fn not_indexable(mut self) -> Self {
        self.indexable = false;
        self
    }
}

/// Sends a rendered page with `status` and the headers every page carries.
pub fn send(status: StatusCode, page: &impl Template) -> HttpResponse {
    match page.render() {
        Ok(html) => html_response(status, html),
        Err(e) => {
            tracing::error!(error = %e, "a page could not be rendered");
            html_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                crate::error::FALLBACK.to_owned(),
            )
        }
    }
}

pub fn html_response(status: StatusCode, html: String) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CONTENT_SECURITY_POLICY, CSP))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::REFERRER_POLICY, "same-origin"))
        .insert_header((header::X_FRAME_OPTIONS, "DENY"))
        .body(html)
}
