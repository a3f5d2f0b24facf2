//! Partner sites: the regional cancer network of Bourgogne-Franche-Comté following the
//! directory with its key, its changes feed and its webhook.

use super::ids::{PARTNER, SERVICE, WEBHOOK};
use super::listings::{self, Status};
use serde_json::{Value, json};

pub fn partner() -> Value {
    json!({
        "id": PARTNER,
        "name": "Réseau régional de cancérologie OncoBFC",
        "contact_email": "webmestre@oncobfc.example.org",
        "key_prefix": "agora_pk_Qm9uam",
        "scopes": ["read", "changes", "exports", "webhooks"],
        "quota_per_minute": 120,
        "quota_per_day": 50000,
        "created_at": "2026-11-02T09:15:00Z",
        "rotated_at": null,
        "revoked_at": null
    })
}

pub fn usage() -> Value {
    json!({
        "partner": partner(),
        "from": "2026-11-24",
        "to": "2026-11-30",
        "days": [
            {"day": "2026-11-27", "requests": 1840, "refused": 0},
            {"day": "2026-11-28", "requests": 2113, "refused": 12},
            {"day": "2026-11-30", "requests": 967, "refused": 0}
        ]
    })
}

pub fn changes() -> Value {
    json!({
        "changes": [
            {
                "cursor": "4182",
                "at": "2026-11-30T10:42:07Z",
                "event": "updated",
                "kind": "service",
                "id": SERVICE,
                "listing": listings::service_view(Status::Public)
            },
            {
                "cursor": "4183",
                "at": "2026-11-30T11:05:51Z",
                "event": "unpublished",
                "kind": "project",
                "id": "019bbce0-ae80-752f-a402-49115efb2797",
                "listing": null
            }
        ],
        "next_cursor": "4183",
        "has_more": false
    })
}

pub fn webhook_input() -> Value {
    json!({
        "url": "https://www.oncobfc.example.org/agora/notifications",
        "events": ["published", "updated", "unpublished"]
    })
}

pub fn webhook() -> Value {
    json!({
        "id": WEBHOOK,
        "url": "https://www.oncobfc.example.org/agora/notifications",
        "events": ["published", "unpublished", "updated"],
        "created_at": "2026-11-02T09:20:00Z",
        "enabled": true,
        "consecutive_failures": 0
    })
}

pub fn created_webhook() -> Value {
    let mut w = webhook();
    w["secret"] = json!("whsec_0f3kQ2mZcW9yTn4bLx7RrA1sVd8uHe6pJg5oKi2NqYc");
    w
}

pub fn deliveries() -> Value {
    json!({
        "items": [
            {
                "id": "019cd9a1-5c20-7e0b-9a61-3f2d8e4b7c10",
                "event": "updated",
                "cursor": "4182",
                "state": "delivered",
                "attempts": 2,
                "last_status": 200,
                "created_at": "2026-11-30T10:42:07Z",
                "delivered_at": "2026-11-30T10:43:09Z"
            },
            {
                "id": "019cd9a1-3e80-71c4-b2d5-6a9f0c1e8d42",
                "event": "published",
                "cursor": "4179",
                "state": "pending",
                "attempts": 1,
                "next_attempt_at": "2026-11-30T10:31:00Z",
                "last_status": 503,
                "last_error": "the receiver answered 503",
                "created_at": "2026-11-30T10:30:00Z"
            }
        ],
        "next_cursor": null
    })
}
