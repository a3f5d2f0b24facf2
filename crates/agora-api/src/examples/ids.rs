//! The ids of the examples' world, and the path parameters that take them.

use serde_json::Value;

/// The Institut Régional Fédératif du Cancer en Franche-Comté.
pub const STRUCTURE: &str = "019bb18a-75c0-7ddc-aafd-13f6d18e0bf0";
/// ONCONNECTE À L'EMPLOI, its return-to-work programme.
pub const SERVICE: &str = "019bb1aa-80e0-7aab-a72b-d07f2b1064b4";
/// Its project looking for patients' testimonies.
pub const PROJECT: &str = "019bbce0-ae80-752f-a402-49115efb2797";
/// A revision of the service, submitted to moderation.
pub const REVISION: &str = "019cadeb-3980-78a2-a64b-0d82298b8ab7";
/// Camille Martin, owner of the IRFC's listings.
pub const OWNER: &str = "019afef2-db00-7f31-b80c-e22b694b3198";
/// A moderator of the platform.
pub const MODERATOR: &str = "019aa047-0400-727c-a1e5-993851e43354";
/// A member of the label committee (patients' seat).
pub const REVIEWER: &str = "019ad908-6f40-77ce-8503-e2622fa649ee";
/// A contributor offering to help the project.
pub const CONTRIBUTOR: &str = "019c4915-ee60-78af-8ce7-dbce20f14016";
pub const OFFER: &str = "019cb556-f1a0-7186-a648-dcc31659bec6";
pub const APPLICATION: &str = "019c66f7-2980-7ea5-b531-ea482ad82f45";
pub const INVITATION: &str = "019cb81c-7a40-7bf4-b997-41b2b60c32dd";
pub const REPORT: &str = "019cbdf9-f140-7509-9462-593d54e0ab58";
pub const UPDATE: &str = "019cc3e0-9000-79af-846a-e20da51306e1";
pub const SESSION: &str = "019cd1ce-8aa0-7a33-b103-8d1ebfd625e1";
/// The regional cancer network's partner key.
pub const PARTNER: &str = "019a8f3c-2b40-7d1e-9c55-0e7b4a6d2f18";
/// Its webhook.
pub const WEBHOOK: &str = "019a8f3e-9d00-7a62-8b14-5c3e9f7a1d06";
/// The Cancerthon 2027.
pub const EVENT: &str = "019d1a2b-3c40-7d5e-8f60-718293a4b5c6";
/// The IRFC's application to take part in it.
pub const EVENT_APPLICATION: &str = "019d2b3c-4d50-7e6f-9a71-8293a4b5c6d7";
/// An editor invited to the IRFC.
pub const EDITOR: &str = "019cb83a-1be0-7c52-8f0e-4d6a1e2b9c31";

/// The id a path parameter takes in the examples: the one the path's collection names.
pub fn for_path_parameter(path: &str, name: &str) -> Option<Value> {
    let mut segments = path.split('/').skip(3);
    let id = match (name, segments.next(), segments.next()) {
        ("user_id", ..) => EDITOR,
        ("invitation_id", ..) => INVITATION,
        ("application_id", Some("events"), _) => EVENT_APPLICATION,
        ("id", Some("events"), _) => EVENT,
        ("id", Some("structures"), _) => STRUCTURE,
        ("id", Some("services"), _) => SERVICE,
        ("id", Some("projects"), _) => PROJECT,
        ("id", Some("label-applications"), _) => APPLICATION,
        ("id", Some("help-offers"), _) => OFFER,
        ("id", Some("me"), Some("invitations")) => INVITATION,
        ("id", Some("moderation"), Some("reports")) => REPORT,
        ("id", Some("moderation"), Some("items")) => REVISION,
        ("id", Some("partners"), _) => PARTNER,
        ("id", Some("webhooks"), _) => WEBHOOK,
        _ => return None,
    };
    Some(Value::String(id.into()))
}
