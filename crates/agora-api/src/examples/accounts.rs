//! Accounts, sessions, members and invitations.

use super::ids::{EDITOR, INVITATION, OWNER, PROJECT, REVISION, SERVICE, SESSION, STRUCTURE};
use super::listings::{STRUCTURE_NAME, service_content};
use serde_json::{Value, json};

/// A refresh token, as sign-in and refresh answer it.
const REFRESH_TOKEN: &str = "uMvuL-9_wO-d_tl7d23vz-4hk7LFVtcPc29wEbqBnvs";
const EMAIL: &str = "camille.martin@example.org";
const PASSWORD: &str = "Oncotel-Besancon-2026";
/// The token of a link sent by mail (verification, reset, confirmation).
const LINK_TOKEN: &str = "q3N8vY2kTzL0fW6hR1pXcA9sGdJmE4uB7iKoZnV5tQw";

pub fn structure_ref() -> Value {
    json!({"id": STRUCTURE, "name": STRUCTURE_NAME})
}

pub fn register_input() -> Value {
    json!({"email": EMAIL, "password": PASSWORD, "display_name": "Camille Martin"})
}

pub fn registration_receipt() -> Value {
    json!({"email": EMAIL, "status": "check_your_mail"})
}

pub fn login_input() -> Value {
    json!({"email": EMAIL, "password": PASSWORD})
}

pub fn token_pair() -> Value {
    json!({
        "access_token": "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJhZ29yYSIsImF1ZCI6ImFnb3JhLWFwaSIsInN1YiI6IjAxOWFmZWYyLWRiMDAtN2YzMS1iODBjLWUyMmI2OTRiMzE5OCIsInNpZCI6IjAxOWNkMWNlLThhYTAtN2EzMy1iMTAzLThkMWViZmQ2MjVlMSIsImlhdCI6MTc3MzA0NjUwMCwibmJmIjoxNzczMDQ2NTAwLCJleHAiOjE3NzMwNDc0MDAsImp0aSI6IjViMGU2YTUzLTQxYzItNGYwZS05ZDdhLTJmNmMxYjhlNGE5MCIsInR5cCI6ImFjY2VzcyJ9.oIY8ZWzSxutc7RQYahonh3JgkLX6Lk6Bd0a2sbjnXqY",
        "refresh_token": REFRESH_TOKEN,
        "token_type": "Bearer",
        "expires_in": 900
    })
}

pub fn refresh_input() -> Value {
    json!({"refresh_token": REFRESH_TOKEN})
}

pub fn password_change_input() -> Value {
    json!({"current_password": PASSWORD, "new_password": "Doubs-Jura-Haute-Saone-90"})
}

pub fn erase_input() -> Value {
    json!({"current_password": PASSWORD})
}

fn user() -> Value {
    json!({"id": OWNER, "email": EMAIL, "display_name": "Camille Martin"})
}

pub fn membership() -> Value {
    json!({"structure": structure_ref(), "role": "owner"})
}

pub fn me() -> Value {
    let mut me = user();
    me["memberships"] = json!([membership()]);
    me
}

pub fn link_state() -> Value {
    json!({"state": "ready"})
}

pub fn token_input() -> Value {
    json!({"token": LINK_TOKEN})
}

pub fn verified_address() -> Value {
    json!({"email": EMAIL, "verified": true})
}

pub fn reset_request() -> Value {
    json!({"email": EMAIL})
}

pub fn reset_receipt() -> Value {
    json!({"status": "check_your_mail"})
}

pub fn new_password_input() -> Value {
    json!({"token": LINK_TOKEN, "new_password": "Doubs-Jura-Haute-Saone-90"})
}

pub fn members() -> Value {
    json!([
        {"user_id": OWNER, "display_name": "Camille Martin", "email": EMAIL, "role": "owner", "since": "2026-01-12T09:30:00Z"},
        {"user_id": EDITOR, "display_name": "Julie Bernard", "email": "julie.bernard@example.org", "role": "editor", "since": "2026-03-05T08:12:00Z"}
    ])
}

pub fn invitation_input() -> Value {
    json!({"email": "julie.bernard@example.org", "role": "editor"})
}

pub fn invitation() -> Value {
    json!({
        "id": INVITATION,
        "structure": structure_ref(),
        "email": "julie.bernard@example.org",
        "role": "editor",
        "status": "pending",
        "created_at": "2026-03-04T09:10:00Z",
        "expires_at": "2026-03-18T09:10:00Z"
    })
}

/// Everything held about Camille Martin.
pub fn data_export() -> Value {
    json!({
        "exported_at": "2026-03-09T10:02:41Z",
        "account": user(),
        "account_created_at": "2025-12-08T17:12:00Z",
        "password_changed_at": "2025-12-08T17:12:00Z",
        "memberships": [membership()],
        "sessions": [{
            "id": SESSION,
            "created_at": "2026-03-09T08:55:00Z",
            "expires_at": "2026-04-08T08:55:00Z",
            "last_refreshed_at": "2026-03-09T09:40:12Z"
        }],
        "contributions": [{
            "subject_type": "service",
            "subject_id": SERVICE,
            "revision_id": REVISION,
            "number": 2,
            "state": "pending",
            "created_at": "2026-03-02T09:40:00Z",
            "content": service_content()
        }],
        "actions": [
            {"at": "2026-03-02T09:52:00Z", "action": "submitted", "subject_type": "service", "subject_id": SERVICE, "reason": null},
            {"at": "2026-01-14T14:20:00Z", "action": "created", "subject_type": "project", "subject_id": PROJECT, "reason": null}
        ],
        "contributor_profile": null,
        "help_offers": [],
        "invitations": []
    })
}
