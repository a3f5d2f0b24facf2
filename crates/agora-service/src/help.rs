//! "Je propose mon aide": people who want to help reach projects through moderators,
//! never directly. Contact details cross only when the project's owners accept (then the
//! offer is `connected`); an anonymous project's structure is named to the contributor
//! only then; the public never learns who offered help. Health information a contributor
//! writes is kept only with consent, shown to moderators only (each read is audited),
//! never indexed or exported to others, and forgotten a while after the offer ends.

use crate::access::standing;
use crate::mail::{self, Addressee, api_url};
use crate::pagination::{Page, decode_opt, next_cursor};
use crate::registry::entry;
use crate::search::{self, SearchPage, SearchParams};
use crate::{Actor, Context, Result, ServiceError};
use agora_domain::contact::{parse_email, parse_phone_fr};
use agora_domain::help::{OfferAction, OfferState, Outcome, Wants};
use agora_domain::validation::Validator;
use agora_domain::{ListingKind, ListingStatus, SubjectType, VocabularyKind};
use agora_mail::messages::help as messages;
use agora_store::audit::{self, AuditEntry};
use agora_store::help::{self as store, OfferRecord, ProfileRecord};
use agora_store::{ConnectionTrait, accounts, listings};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// Quotas, reminders, expiry and retention (configuration).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HelpSettings {
    /// Offers one contributor may make per rolling 24 hours.
    pub offers_per_contributor_per_day: u64,
    /// Offers one project may receive per rolling 24 hours.
    pub offers_per_project_per_day: u64,
    /// Days an offer waits for a moderator or the owners before a reminder.
    pub remind_after_days: i64,
    /// Days after which an unanswered offer expires.
    pub expire_after_days: i64,
    /// Days health information is kept once an offer has ended.
    pub health_retention_days: i64,
}

impl Default for HelpSettings {
    fn default() -> Self {
        Self {
            offers_per_contributor_per_day: 5,
            offers_per_project_per_day: 20,
            remind_after_days: 7,
            expire_after_days: 30,
            health_retention_days: 90,
        }
    }
}

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

fn skills_known(ctx: &Context, skills: &[String], pointer: &str, v: &mut Validator) {
    v.check(skills.len() <= 20, pointer, "too_many", "at most 20 skills");
    for (i, s) in skills.iter().enumerate() {
        v.check(
            ctx.vocab.contains(VocabularyKind::Skill, s),
            &format!("{pointer}/{i}"),
            "unknown_term",
            "not in the skill vocabulary (see /api/v1/vocabularies)",
        );
    }
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OfferContact {
    pub email: String,
    #[serde(default)]
    pub phone: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OfferInput {
    /// What they offer, in their words (10–2000 characters).
    #[cfg_attr(feature = "openapi", schema(min_length = 10, max_length = 2000))]
    pub message: String,
    /// Skills offered, from the `skill` vocabulary.
    #[serde(default)]
    pub skills: Vec<String>,
    pub wants: Wants,
    /// Given to the project's owners only if they accept.
    pub contact: OfferContact,
    /// Anything about their health they want moderators to know (needs `health_consent`).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub health_info: Option<String>,
    #[serde(default)]
    pub health_consent: bool,
}

/// The project as a contributor sees it around their offer.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProjectRef {
    pub id: Uuid,
    pub title: String,
}

/// Who to talk to, once connected.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartyContact {
    pub name: String,
    pub email: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// The project's structure (named to the contributor only once connected).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub structure: Option<String>,
}

/// An offer as the contributor, the project's owners or a moderator may see it.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfferView {
    pub id: Uuid,
    pub project: ProjectRef,
    pub state: OfferState,
    pub message: String,
    pub skills: Vec<String>,
    pub wants: Wants,
    pub created_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decline_reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    /// The other side's contact details: only once connected.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact: Option<PartyContact>,
    /// Moderators only: the contributor, their history and notes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moderation: Option<ModerationDetails>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ModerationDetails {
    pub contributor_id: Uuid,
    pub contributor_name: String,
    pub contact_email: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact_phone: Option<String>,
    /// Health information, with consent; every read is in the audit trail.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub health_info: Option<String>,
    /// Their earlier offers, by state.
    pub history: BTreeMap<String, u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

async fn project_ref(db: &impl ConnectionTrait, id: Uuid) -> Result<ProjectRef> {
    let p = listings::get(db, ListingKind::Project, id)
        .await?
        .ok_or(ServiceError::NotFound("project"))?;
    Ok(ProjectRef { id, title: p.name })
}

fn base_view(o: &OfferRecord, project: ProjectRef) -> OfferView {
    OfferView {
        id: o.id,
        project,
        state: o.state,
        message: o.message.clone(),
        skills: o.skills.clone(),
        wants: o.wants,
        created_at: o.created_at,
        decline_reason: None,
        outcome: o.outcome,
        contact: None,
        moderation: None,
    }
}

/// The structure's name and the member who accepted, for the contributor once connected.
async fn owner_contact(db: &impl ConnectionTrait, o: &OfferRecord) -> Result<Option<PartyContact>> {
    let Some(by) = o.answered_by else {
        return Ok(None);
    };
    let Some(user) = accounts::user_by_id(db, by).await? else {
        return Ok(None);
    };
    let structure = listings::get(db, ListingKind::Structure, o.structure_id)
        .await?
        .map(|s| s.name);
    Ok(Some(PartyContact {
        name: user.display_name,
        email: user.email,
        phone: None,
        structure,
    }))
}

async fn contributor_contact(db: &impl ConnectionTrait, o: &OfferRecord) -> Result<PartyContact> {
    let name = accounts::user_by_id(db, o.contributor_id)
        .await?
        .map(|u| u.display_name)
        .unwrap_or_default();
    Ok(PartyContact {
        name,
        email: o.contact_email.clone(),
        phone: o.contact_phone.clone(),
        structure: None,
    })
}

async fn contributor_view(db: &impl ConnectionTrait, o: &OfferRecord) -> Result<OfferView> {
    let mut v = base_view(o, project_ref(db, o.project_id).await?);
    v.decline_reason = o.decline_reason.clone();
    if o.state.is_connected() {
        v.contact = owner_contact(db, o).await?;
    }
    Ok(v)
}

async fn owner_view(db: &impl ConnectionTrait, o: &OfferRecord) -> Result<OfferView> {
    let mut v = base_view(o, project_ref(db, o.project_id).await?);
    if o.state.is_connected() {
        v.contact = Some(contributor_contact(db, o).await?);
    }
    Ok(v)
}

async fn moderator_view(
    ctx: &Context,
    db: &impl ConnectionTrait,
    o: &OfferRecord,
    reader: Uuid,
) -> Result<OfferView> {
    let mut v = base_view(o, project_ref(db, o.project_id).await?);
    v.decline_reason = o.decline_reason.clone();
    let mut history = BTreeMap::new();
    for earlier in store::of_contributor(db, o.contributor_id).await? {
        if earlier.id != o.id {
            *history
                .entry(earlier.state.as_str().to_owned())
                .or_insert(0) += 1;
        }
    }
    if o.health_info.is_some() {
        audit::append(
            db,
            AuditEntry {
                details: Some(serde_json::json!({ "help_offer": o.id })),
                ..entry(
                    ctx.now(),
                    Some(reader),
                    "health_info_read",
                    SubjectType::User,
                    o.contributor_id,
                )
            },
        )
        .await?;
    }
    let name = accounts::user_by_id(db, o.contributor_id)
        .await?
        .map(|u| u.display_name)
        .unwrap_or_default();
    v.moderation = Some(ModerationDetails {
        contributor_id: o.contributor_id,
        contributor_name: name,
        contact_email: o.contact_email.clone(),
        contact_phone: o.contact_phone.clone(),
        health_info: o.health_info.clone(),
        history,
        notes: o.moderator_notes.clone(),
    });
    Ok(v)
}

fn offer_audit(
    now: DateTime<Utc>,
    actor: Option<Uuid>,
    action: &str,
    o: &OfferRecord,
) -> AuditEntry {
    AuditEntry {
        details: Some(serde_json::json!({ "help_offer": o.id, "state": o.state })),
        ..entry(now, actor, action, SubjectType::Project, o.project_id)
    }
}

async fn contributor_addressee(
    db: &impl ConnectionTrait,
    o: &OfferRecord,
) -> Result<Option<Addressee>> {
    Ok(accounts::user_by_id(db, o.contributor_id)
        .await?
        .map(|u| Addressee {
            email: u.email,
            name: u.display_name,
        }))
}

/// Offers help to a published project that is looking for contributors.
pub async fn offer(
    ctx: &Context,
    actor: &Actor,
    project_id: Uuid,
    input: OfferInput,
) -> Result<OfferView> {
    let me = actor.require_user()?;
    let settings = &ctx.settings.help;
    let mut input = input;
    let mut v = Validator::new();
    v.text("/message", &mut input.message, 10, 2000);
    skills_known(ctx, &input.skills, "/skills", &mut v);
    let email = parse_email(&input.contact.email);
    v.check(
        email.is_some(),
        "/contact/email",
        "format",
        "an e-mail address",
    );
    let phone = match &input.contact.phone {
        Some(p) => {
            let parsed = parse_phone_fr(p);
            v.check(
                parsed.is_some(),
                "/contact/phone",
                "format",
                "a French phone number",
            );
            parsed
        }
        None => None,
    };
    if let Some(h) = &mut input.health_info {
        v.text("/health_info", h, 1, 2000);
        v.check(
            input.health_consent,
            "/health_consent",
            "required",
            "consent is needed to keep what you write about your health",
        );
    }
    v.finish()?;
    let now = ctx.now();
    let project = listings::get(&ctx.db, ListingKind::Project, project_id)
        .await?
        .filter(|p| p.is_listed())
        .ok_or(ServiceError::NotFound("project"))?;
    if standing(&ctx.db, actor, project.structure_id)
        .await?
        .is_member()
    {
        return Err(ServiceError::Conflict(
            "this is your own structure's project".into(),
        ));
    }
    if project.status != ListingStatus::Published {
        return Err(ServiceError::Conflict(
            "this project is not looking for contributors now".into(),
        ));
    }
    let open_here = |offers: Vec<OfferRecord>| {
        offers
            .iter()
            .any(|o| o.project_id == project_id && o.state.is_open())
    };
    if open_here(store::of_contributor(&ctx.db, me.id).await?) {
        return Err(ServiceError::Conflict(
            "you already have an offer open for this project".into(),
        ));
    }
    let day = now - Duration::hours(24);
    if store::count_by_contributor_since(&ctx.db, me.id, day).await?
        >= settings.offers_per_contributor_per_day
        || store::count_for_project_since(&ctx.db, project_id, day).await?
            >= settings.offers_per_project_per_day
    {
        return Err(ServiceError::TooManyRequests {
            retry_after_secs: 3600,
        });
    }
    let txn = ctx.begin().await?;
    if open_here(store::of_contributor(&txn, me.id).await?) {
        return Err(ServiceError::Conflict(
            "you already have an offer open for this project".into(),
        ));
    }
    let region = store::profile(&txn, me.id).await?.and_then(|p| p.region);
    let record = OfferRecord {
        id: Uuid::now_v7(),
        project_id,
        structure_id: project.structure_id,
        contributor_id: me.id,
        region,
        message: input.message,
        skills: input.skills,
        wants: input.wants,
        contact_email: email.unwrap_or_default(),
        contact_phone: phone,
        health_consent_at: input.health_info.as_ref().map(|_| now),
        health_info: input.health_info,
        state: OfferState::Submitted,
        created_at: now,
        updated_at: now,
        screened_at: None,
        screened_by: None,
        decline_reason: None,
        answered_at: None,
        answered_by: None,
        connected_at: None,
        closed_at: None,
        outcome: None,
        outcome_note: None,
        moderator_notes: None,
        reminders_sent: 0,
        health_purged_at: None,
    };
    store::insert(&txn, &record).await?;
    audit::append(&txn, offer_audit(now, Some(me.id), "help_offered", &record)).await?;
    mail::enqueue_to_moderators(
        &txn,
        ctx,
        &messages::submitted_to_moderators(&project.name, &api_url(ctx, "/moderation/help-offers")),
    )
    .await?;
    txn.commit().await?;
    ctx.mail_queued.notify_one();
    contributor_view(&ctx.db, &record).await
}

/// The caller's own offers, newest first.
pub async fn mine(ctx: &Context, actor: &Actor) -> Result<Vec<OfferView>> {
    let me = actor.require_user()?;
    let mut out = Vec::new();
    for o in store::of_contributor(&ctx.db, me.id).await? {
        out.push(contributor_view(&ctx.db, &o).await?);
    }
    Ok(out)
}

/// A project's offers, for its structure's members: only those moderators passed on,
/// the contributor named only once connected.
pub async fn of_project(ctx: &Context, actor: &Actor, project_id: Uuid) -> Result<Vec<OfferView>> {
    actor.require_user()?;
    let project = listings::get(&ctx.db, ListingKind::Project, project_id)
        .await?
        .ok_or(ServiceError::NotFound("project"))?;
    let st = standing(&ctx.db, actor, project.structure_id).await?;
    if !st.is_member() {
        return Err(if crate::render::can_read(&project, st.access) {
            ServiceError::Forbidden("only the project's structure sees its offers")
        } else {
            ServiceError::NotFound("project")
        });
    }
    let mut out = Vec::new();
    for o in store::of_project(&ctx.db, project_id).await? {
        if o.state.reached_owners() {
            out.push(owner_view(&ctx.db, &o).await?);
        }
    }
    Ok(out)
}

#[derive(Debug, Serialize, Deserialize)]
struct OfferCursor {
    id: Uuid,
}

/// The screening queue: offers waiting for a moderator, oldest first (or another state).
pub async fn queue(
    ctx: &Context,
    actor: &Actor,
    state: Option<OfferState>,
    cursor: Option<&str>,
    limit: u64,
) -> Result<Page<OfferView>> {
    let me = actor.require_moderator()?;
    let after = decode_opt::<OfferCursor>(cursor)?.map(|c| c.id);
    let states = [state.unwrap_or(OfferState::Submitted)];
    let mut rows = store::in_states(&ctx.db, &states, after, limit + 1).await?;
    let next_cursor = next_cursor(&mut rows, limit, |r| OfferCursor { id: r.id });
    let mut items = Vec::new();
    for o in &rows {
        items.push(moderator_view(ctx, &ctx.db, o, me.id).await?);
    }
    Ok(Page { items, next_cursor })
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ScreenInput {
    /// For the contributor, when declining (required then).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub reason: Option<String>,
    /// For moderators only.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub note: Option<String>,
}

/// A moderator passes an offer on to the project's owners, or declines it with a reason.
pub async fn screen(
    ctx: &Context,
    actor: &Actor,
    id: Uuid,
    forward: bool,
    input: ScreenInput,
) -> Result<OfferView> {
    let me = actor.require_moderator()?;
    let mut reason = input.reason.filter(|r| !r.trim().is_empty());
    let mut note = input.note.filter(|r| !r.trim().is_empty());
    let mut v = Validator::new();
    match &mut reason {
        Some(r) => v.text("/reason", r, 3, 2000),
        None if !forward => v.push("/reason", "required", "say why, for the contributor"),
        None => {}
    }
    if let Some(n) = &mut note {
        v.text("/note", n, 1, 2000);
    }
    v.finish()?;
    let now = ctx.now();
    let txn = ctx.begin().await?;
    let mut o = store::get(&txn, id)
        .await?
        .ok_or(ServiceError::NotFound("help offer"))?;
    let before = o.state;
    o.state = before
        .apply(if forward {
            OfferAction::Forward
        } else {
            OfferAction::Decline
        })
        .map_err(ServiceError::Conflict)?;
    o.screened_at = Some(now);
    o.screened_by = Some(me.id);
    o.updated_at = now;
    if !forward {
        o.decline_reason = reason.clone();
    }
    if let Some(n) = note {
        o.moderator_notes = Some(match &o.moderator_notes {
            Some(old) => format!("{old}\n{n}"),
            None => n,
        });
    }
    if !store::save_if(&txn, &o, before).await? {
        return Err(ServiceError::Conflict("the offer changed meanwhile".into()));
    }
    audit::append(
        &txn,
        offer_audit(
            now,
            Some(me.id),
            if forward {
                "help_forwarded"
            } else {
                "help_declined"
            },
            &o,
        ),
    )
    .await?;
    let project = project_ref(&txn, o.project_id).await?;
    let contributor = contributor_addressee(&txn, &o).await?;
    if forward {
        let skills: Vec<String> = o
            .skills
            .iter()
            .map(|s| {
                ctx.vocab
                    .label(VocabularyKind::Skill, s)
                    .unwrap_or(s)
                    .to_owned()
            })
            .collect();
        let wants = match o.wants {
            Wants::Details => "en savoir plus sur le projet",
            Wants::Introduction => "être mis·e en relation avec l'équipe",
        };
        let url = api_url(ctx, &format!("/projects/{}/help-offers", o.project_id));
        let to = mail::member_addressees(&txn, o.structure_id).await?;
        mail::enqueue_all(
            &txn,
            ctx,
            &to,
            &messages::forwarded_to_owners(
                &project.title,
                &o.message,
                &skills.join(", "),
                wants,
                &url,
            ),
        )
        .await?;
        if let Some(c) = &contributor {
            mail::enqueue(
                &txn,
                ctx,
                c,
                &messages::forwarded_to_contributor(&project.title),
            )
            .await?;
        }
    } else if let Some(c) = &contributor {
        mail::enqueue(
            &txn,
            ctx,
            c,
            &messages::declined(&project.title, reason.as_deref().unwrap_or_default()),
        )
        .await?;
    }
    txn.commit().await?;
    ctx.mail_queued.notify_one();
    moderator_view(ctx, &ctx.db, &o, me.id).await
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CloseInput {
    pub outcome: Outcome,
    /// What came of it (up to 2000 characters).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub note: Option<String>,
}

/// The project's members accept (contacts cross: connected) or refuse a forwarded offer.
pub async fn answer(ctx: &Context, actor: &Actor, id: Uuid, accept: bool) -> Result<OfferView> {
    let me = actor.require_user()?;
    let now = ctx.now();
    let txn = ctx.begin().await?;
    let mut o = store::get(&txn, id)
        .await?
        .ok_or(ServiceError::NotFound("help offer"))?;
    let st = standing(&txn, actor, o.structure_id).await?;
    if !st.is_member() || !o.state.reached_owners() {
        return Err(ServiceError::NotFound("help offer"));
    }
    let before = o.state;
    o.state = before
        .apply(if accept {
            OfferAction::Accept
        } else {
            OfferAction::Refuse
        })
        .map_err(ServiceError::Conflict)?;
    o.answered_at = Some(now);
    o.answered_by = Some(me.id);
    o.updated_at = now;
    if accept {
        o.connected_at = Some(now);
    }
    if !store::save_if(&txn, &o, before).await? {
        return Err(ServiceError::Conflict("the offer changed meanwhile".into()));
    }
    audit::append(
        &txn,
        offer_audit(
            now,
            Some(me.id),
            if accept {
                "help_connected"
            } else {
                "help_refused"
            },
            &o,
        ),
    )
    .await?;
    let project = project_ref(&txn, o.project_id).await?;
    let contributor = contributor_addressee(&txn, &o).await?;
    if accept {
        if let (Some(c), Some(owner)) = (&contributor, owner_contact(&txn, &o).await?) {
            let structure = owner.structure.clone().unwrap_or_default();
            mail::enqueue(
                &txn,
                ctx,
                c,
                &messages::connected_to_contributor(
                    &project.title,
                    &structure,
                    &owner.name,
                    &owner.email,
                ),
            )
            .await?;
        }
        let who = contributor_contact(&txn, &o).await?;
        let to = mail::member_addressees(&txn, o.structure_id).await?;
        mail::enqueue_all(
            &txn,
            ctx,
            &to,
            &messages::connected_to_owners(
                &project.title,
                &who.name,
                &who.email,
                who.phone.as_deref(),
            ),
        )
        .await?;
    } else if let Some(c) = &contributor {
        mail::enqueue(&txn, ctx, c, &messages::refused(&project.title)).await?;
    }
    txn.commit().await?;
    ctx.mail_queued.notify_one();
    owner_view(&ctx.db, &o).await
}

/// Either side (or a moderator) closes a connected offer with its outcome.
pub async fn close(ctx: &Context, actor: &Actor, id: Uuid, input: CloseInput) -> Result<OfferView> {
    let me = actor.require_user()?;
    let mut note = input.note.filter(|n| !n.trim().is_empty());
    let mut v = Validator::new();
    if let Some(n) = &mut note {
        v.text("/note", n, 1, 2000);
    }
    v.finish()?;
    let now = ctx.now();
    let txn = ctx.begin().await?;
    let mut o = store::get(&txn, id)
        .await?
        .ok_or(ServiceError::NotFound("help offer"))?;
    let member = standing(&txn, actor, o.structure_id).await?.is_member();
    let contributor = o.contributor_id == me.id;
    if !(member && o.state.reached_owners() || contributor || actor.is_moderator()) {
        return Err(ServiceError::NotFound("help offer"));
    }
    let before = o.state;
    o.state = before
        .apply(OfferAction::Close)
        .map_err(ServiceError::Conflict)?;
    o.closed_at = Some(now);
    o.outcome = Some(input.outcome);
    o.outcome_note = note;
    o.updated_at = now;
    if !store::save_if(&txn, &o, before).await? {
        return Err(ServiceError::Conflict("the offer changed meanwhile".into()));
    }
    audit::append(&txn, offer_audit(now, Some(me.id), "help_closed", &o)).await?;
    let project = project_ref(&txn, o.project_id).await?;
    let outcome = match input.outcome {
        Outcome::Successful => "l'aide a été apportée",
        Outcome::NoFollowUp => "sans suite",
        Outcome::Cancelled => "annulée",
    };
    let mut to = mail::member_addressees(&txn, o.structure_id).await?;
    to.extend(contributor_addressee(&txn, &o).await?);
    mail::enqueue_all(&txn, ctx, &to, &messages::closed(&project.title, outcome)).await?;
    txn.commit().await?;
    ctx.mail_queued.notify_one();
    if contributor {
        contributor_view(&ctx.db, &o).await
    } else {
        owner_view(&ctx.db, &o).await
    }
}

/// Projects seeking contributors now (not paused, not completed) that need the
/// contributor's skills, in or covering their région.
pub async fn suggestions(ctx: &Context, actor: &Actor) -> Result<SearchPage> {
    let me = actor.require_user()?;
    let profile = store::profile(&ctx.db, me.id)
        .await?
        .ok_or(ServiceError::Conflict(
            "write your contributor profile first (PUT /me/contributor-profile)".into(),
        ))?;
    search::search(
        ctx,
        SearchParams {
            kinds: vec!["project".into()],
            open_to_help: true,
            skills: profile.skills,
            code_region: profile.region,
            limit: 20,
            ..SearchParams::default()
        },
    )
    .await
}

/// Indicators, for everyone: offers by state, median time to a moderator's first answer,
/// projects that found contributors; optionally for contributors of one région.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Stats {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code_region: Option<String>,
    pub offers_by_state: BTreeMap<String, u64>,
    /// Hours from an offer to its screening, median (none screened yet: absent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub median_hours_to_first_answer: Option<f64>,
    /// Projects with at least one connected offer.
    pub projects_with_contributors: u64,
}

pub async fn stats(ctx: &Context, code_region: Option<String>) -> Result<Stats> {
    if let Some(r) = &code_region
        && agora_geo::region(r).is_none()
    {
        return Err(ServiceError::Validation(
            agora_domain::ValidationErrors::single("/code_region", "unknown", "not a région code"),
        ));
    }
    let counted = store::stats(&ctx.db, code_region.as_deref()).await?;
    let mut by_state = BTreeMap::new();
    for s in OfferState::ALL {
        by_state.insert(s.as_str().to_owned(), 0);
    }
    by_state.extend(counted.by_state);
    let median = counted
        .median_minutes_to_first_answer
        .map(|m| (m / 60.0 * 10.0).round() / 10.0);
    Ok(Stats {
        code_region,
        offers_by_state: by_state,
        median_hours_to_first_answer: median,
        projects_with_contributors: counted.projects_with_contributors,
    })
}

/// Offers the sweep reads, and changes in one transaction, at a time.
const SWEEP_PAGE: u64 = 200;

/// Reminders, expiry of unanswered offers, and the end of health information's retention.
pub async fn sweep(ctx: &Context) -> Result<(u64, u64, u64)> {
    let now = ctx.now();
    let s = &ctx.settings.help;
    let (mut reminded, mut expired) = (0, 0);
    // Looked up once per sweep, not once per offer.
    let mut projects: HashMap<Uuid, ProjectRef> = HashMap::new();
    let mut contributors: HashMap<Uuid, Option<Addressee>> = HashMap::new();
    let mut moderators: Option<Vec<Addressee>> = None;
    // A page at a time, however many offers wait; each page in one transaction.
    let mut after = None;
    loop {
        let waiting = store::in_states(
            &ctx.db,
            &[OfferState::Submitted, OfferState::Forwarded],
            after,
            SWEEP_PAGE,
        )
        .await?;
        let Some(last) = waiting.last().map(|o| o.id) else {
            break;
        };
        after = Some(last);
        let txn = ctx.begin().await?;
        for o in waiting {
            let since = o.screened_at.unwrap_or(o.created_at);
            let expire = o.created_at + Duration::days(s.expire_after_days) <= now;
            let remind =
                since + Duration::days(s.remind_after_days) <= now && o.reminders_sent == 0;
            if !expire && !remind {
                continue;
            }
            let project = match projects.get(&o.project_id) {
                Some(p) => p.clone(),
                None => {
                    let p = project_ref(&txn, o.project_id).await?;
                    projects.insert(o.project_id, p.clone());
                    p
                }
            };
            let mut next = o.clone();
            if expire {
                next.state = o
                    .state
                    .apply(OfferAction::Expire)
                    .map_err(ServiceError::Conflict)?;
                next.updated_at = now;
                // Another instance's sweep may have taken it.
                if !store::save_if(&txn, &next, o.state).await? {
                    continue;
                }
                audit::append(&txn, offer_audit(now, None, "help_expired", &next)).await?;
                let contributor = match contributors.get(&o.contributor_id) {
                    Some(c) => c.clone(),
                    None => {
                        let c = contributor_addressee(&txn, &o).await?;
                        contributors.insert(o.contributor_id, c.clone());
                        c
                    }
                };
                if let Some(c) = contributor {
                    mail::enqueue(&txn, ctx, &c, &messages::expired(&project.title)).await?;
                }
                expired += 1;
            } else {
                next.reminders_sent = 1;
                if !store::save_if(&txn, &next, o.state).await? {
                    continue;
                }
                let (to, who, url) = if o.state == OfferState::Submitted {
                    let to = match &moderators {
                        Some(m) => m.clone(),
                        None => {
                            let m = mail::moderators(&txn).await?;
                            moderators = Some(m.clone());
                            m
                        }
                    };
                    (
                        to,
                        "l'équipe de modération",
                        api_url(ctx, "/moderation/help-offers"),
                    )
                } else {
                    (
                        mail::member_addressees(&txn, o.structure_id).await?,
                        "votre réponse",
                        api_url(ctx, &format!("/projects/{}/help-offers", o.project_id)),
                    )
                };
                mail::enqueue_all(
                    &txn,
                    ctx,
                    &to,
                    &messages::waiting(&project.title, who, &url),
                )
                .await?;
                reminded += 1;
            }
        }
        txn.commit().await?;
    }
    let purged =
        store::purge_health_info(&ctx.db, now - Duration::days(s.health_retention_days), now)
            .await?;
    if reminded + expired > 0 {
        ctx.mail_queued.notify_one();
    }
    Ok((reminded, expired, purged))
}
