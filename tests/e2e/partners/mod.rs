//! Partner sites: keys, scopes and quotas (security row 30), the changes feed with the
//! visibility canaries (row 3), the exports, webhooks signed and retried, refused towards private
//! networks (row 31).

mod exports;
mod feed;
mod keys;
mod webhooks;

use crate::common::TestApp;
use agora_service::partners::{self, NewPartner, PartnerView, Scope};

/// A new partner with these scopes and quotas; its view and key.
pub async fn partner(
    app: &TestApp,
    name: &str,
    scopes: &[Scope],
    per_minute: u32,
) -> (PartnerView, String) {
    partners::create(
        &app.ctx,
        NewPartner {
            name: name.to_owned(),
            contact_email: Some(format!("{}@partenaire.example.org", name.to_lowercase())),
            scopes: scopes.to_vec(),
            quota_per_minute: Some(per_minute),
            quota_per_day: Some(10_000),
        },
    )
    .await
    .expect("partner created")
}

/// A GET with a partner key.
pub fn with_key(app: &TestApp, path: &str, key: &str) -> reqwest::RequestBuilder {
    app.get(path, None).header("x-api-key", key)
}
