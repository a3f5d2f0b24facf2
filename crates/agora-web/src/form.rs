//! Posted forms, read as the browser sends them: a field may come several times (one per
//! checked box), and everything is kept as typed so that a form shown again after an error
//! or a new sign-in gives the person back exactly what they wrote.

use actix_web::web::Bytes;

/// The largest form a page accepts; a listing's longest texts fit many times over.
pub const MAX_FORM_BYTES: usize = 256 * 1024;

/// The anti-forgery field every signed-in form carries.
pub const CSRF_FIELD: &str = "_csrf";

#[derive(Debug, Clone, Default)]
pub struct FormData(Vec<(String, String)>);

impl FormData {
    pub fn parse(body: &Bytes) -> Self {
        Self(
            form_urlencoded::parse(body)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    pub fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        Self(pairs)
    }

    /// The first value of `name`, trimmed; empty when absent.
    pub fn text(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default()
    }

    /// The value of `name` as it was typed (line breaks and spaces kept).
    pub fn raw(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.replace("\r\n", "\n"))
            .unwrap_or_default()
    }

    /// Every value of `name` (checked boxes), without empty ones.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, v)| k == name && !v.trim().is_empty())
            .map(|(_, v)| v.trim().to_owned())
            .collect()
    }

    pub fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(k, _)| k == name)
    }

    /// The fields, but the anti-forgery token: what a form shown again is made of.
    pub fn fields(&self) -> impl Iterator<Item = &(String, String)> {
        self.0.iter().filter(|(k, _)| k != CSRF_FIELD)
    }
}
