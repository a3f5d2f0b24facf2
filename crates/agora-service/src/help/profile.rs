//! The contributor's profile: skills, lived experience (health information, kept only
//! with consent), région, availability and how to be reached. Only they read it.

use super::skills_known;
use crate::{Actor, Context, Result, ServiceError};
use agora_domain::contact::parse_phone_fr;
use agora_domain::validation::Validator;
use agora_store::help::{self as store, ProfileRecord};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ExperienceKind {
    Patient,
    Caregiver,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ContactChannel {
    Email,
    Phone,
}

/// A contributor's profile, as they write it and read it back (nobody else does).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ProfileInput {
    /// Skills from the `skill` vocabulary.
    #[serde(default)]
    pub skills: Vec<String>,
    /// Lived experience, optional.
    #[serde(default)]
    pub experience_kind: Option<ExperienceKind>,
    /// What they choose to say of it (health information: needs `consent`; never public).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub experience: Option<String>,
    /// Consent to keep what they wrote about their health, for moderators only.
    #[serde(default)]
    pub consent: bool,
    /// Their région (INSEE code), for suggestions.
    #[serde(default)]
    pub region: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub availability: Option<String>,
    pub contact_channel: ContactChannel,
    #[serde(default)]
    pub phone: Option<String>,
}

fn profile_view(p: &ProfileRecord) -> ProfileInput {
    ProfileInput {
        skills: p.skills.clone(),
        experience_kind: match p.experience_kind.as_deref() {
            Some("patient") => Some(ExperienceKind::Patient),
            Some("caregiver") => Some(ExperienceKind::Caregiver),
            _ => None,
        },
        experience: p.experience.clone(),
        consent: p.consent_at.is_some(),
        region: p.region.clone(),
        availability: p.availability.clone(),
        contact_channel: if p.contact_channel == "phone" {
            ContactChannel::Phone
        } else {
            ContactChannel::Email
        },
        phone: p.phone.clone(),
    }
}

pub async fn get_profile(ctx: &Context, actor: &Actor) -> Result<ProfileInput> {
    let me = actor.require_user()?;
    store::profile(&ctx.db, me.id)
        .await?
        .map(|p| profile_view(&p))
        .ok_or(ServiceError::NotFound("contributor profile"))
}

pub async fn put_profile(
    ctx: &Context,
    actor: &Actor,
    input: ProfileInput,
) -> Result<ProfileInput> {
    let me = actor.require_user()?;
    let mut input = input;
    let mut v = Validator::new();
    skills_known(ctx, &input.skills, "/skills", &mut v);
    if let Some(e) = &mut input.experience {
        v.text("/experience", e, 1, 2000);
        v.check(
            input.consent,
            "/consent",
            "required",
            "consent is needed to keep what you write about your health",
        );
    }
    if let Some(r) = &input.region {
        v.check(
            agora_geo::region(r).is_some(),
            "/region",
            "unknown",
            "not a région code",
        );
    }
    if let Some(a) = &mut input.availability {
        v.text("/availability", a, 1, 500);
    }
    if let Some(phone) = &input.phone {
        match parse_phone_fr(phone) {
            Some(p) => input.phone = Some(p),
            None => v.push("/phone", "format", "a French phone number"),
        }
    }
    v.check(
        input.contact_channel != ContactChannel::Phone || input.phone.is_some(),
        "/phone",
        "required",
        "give a phone number to be reached by phone",
    );
    v.finish()?;
    let now = ctx.now();
    let record = ProfileRecord {
        user_id: me.id,
        skills: input.skills.clone(),
        experience_kind: input.experience_kind.map(|k| match k {
            ExperienceKind::Patient => "patient".to_owned(),
            ExperienceKind::Caregiver => "caregiver".to_owned(),
        }),
        experience: input.experience.clone(),
        consent_at: (input.consent && input.experience.is_some()).then_some(now),
        region: input.region.clone(),
        availability: input.availability.clone(),
        contact_channel: match input.contact_channel {
            ContactChannel::Email => "email".into(),
            ContactChannel::Phone => "phone".into(),
        },
        phone: input.phone.clone(),
        updated_at: now,
    };
    store::save_profile(&ctx.db, &record).await?;
    Ok(profile_view(&record))
}
