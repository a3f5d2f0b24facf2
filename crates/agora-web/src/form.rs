//! Posted forms, read as the browser sends them: a field may come several times (one per
//! checked box), and everything is kept as typed so that a form shown again after an error
//! or a new sign-in gives the person back exactly what they wrote.

use actix_web::dev::Payload;
use actix_web::error::InternalError;
use actix_web::http::StatusCode;
use actix_web::web::{Bytes, BytesMut};
use actix_web::{FromRequest, HttpRequest};
use futures_util::StreamExt;
use futures_util::future::LocalBoxFuture;

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

/// A posted form, read up to [`MAX_FORM_BYTES`]: a larger one gets a French page (413),
/// not the framework's plain text.
impl FromRequest for FormData {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(_req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let mut payload = payload.take();
        Box::pin(async move {
            let mut body = BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk?;
                if body.len() + chunk.len() > MAX_FORM_BYTES {
                    let page = crate::error::page(
                        StatusCode::PAYLOAD_TOO_LARGE,
                        "Formulaire trop long",
                        vec!["Ce formulaire dépasse la taille qu'Agora accepte : raccourcissez les textes les plus longs, puis renvoyez-le depuis la page.".into()],
                    );
                    return Err(InternalError::from_response("form too large", page).into());
                }
                body.extend_from_slice(&chunk);
            }
            Ok(Self::parse(&body.freeze()))
        })
    }
}
