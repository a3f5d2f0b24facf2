//! Evaluations of services on objective criteria: one per account and service a year;
//! the structure's members and unpublished services refused; figures only from the
//! minimum of answers, and nothing observable below it; comments for the structure's
//! members and moderators only; the structure's public answer; the plausibility check
//! (a rate limit per account, new accounts weighing less, bursts held back and released
//! by the sweep, once across instances); "contact wrong" from several people sending the
//! service back into the refresh workflow, once a wave; bad input named field by field;
//! the figures in the public view and the exports.

mod api;
mod portal;

use crate::common::{TestApp, User};
use agora_service::exports::{Encoding, Exporter, Format};
use reqwest::StatusCode;
use serde_json::Value;

/// A comment no public answer may ever carry.
pub(super) const COMMENT: &str = "Canari commentaire privé 7f3a : la conseillère était en congé";

pub(super) fn path(service: &str) -> String {
    format!("/api/v1/services/{service}/evaluations")
}

pub(super) async fn evaluate(
    app: &TestApp,
    service: &str,
    who: &User,
    body: Value,
) -> (StatusCode, Value) {
    app.call(app.post(&path(service), Some(who)).json(&body))
        .await
}

pub(super) async fn evaluators(app: &TestApp, n: usize) -> Vec<User> {
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        out.push(app.verified_user(&format!("usager{i}")).await);
    }
    out
}

/// The public figures of a service, as served.
pub(super) async fn figures(app: &TestApp, service: &str) -> Value {
    let (status, body) = app.call(app.get(&path(service), None)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

pub(super) fn criterion<'a>(figures: &'a Value, name: &str) -> &'a Value {
    figures["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["criterion"] == name)
        .unwrap()
}

pub(super) async fn export(app: &TestApp, format: Format) -> String {
    let mut out = Vec::new();
    Exporter::new(&app.ctx, format, Encoding::JsonArray)
        .write_to(&mut out)
        .await
        .unwrap();
    String::from_utf8(out).unwrap()
}

/// Accounts that weigh fully (older than the new-account period) unless a test says so.
pub(super) fn established(c: &mut agora::config::Config) {
    c.evaluations.new_account_days = 0;
}
