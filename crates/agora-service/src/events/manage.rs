//! Creating and editing an event, sending it to moderation, archiving it; the public
//! list of events and the caller's own.

use super::{
    EventStanding, EventView, audit_entry, event_standing, load, load_for_committee,
    member_of_a_published_structure, view,
};
use crate::pagination::{Page, decode_opt, next_cursor};
use crate::{Actor, Context, Result, ServiceError};
use agora_domain::events::{EventKind, EventMode, EventRole, EventStatus};
use agora_domain::validation::Validator;
use agora_domain::{ValidationErrors, diff::diff};
use agora_store::audit;
use agora_store::events::{self as store, EventFilter, EventKey, EventRecord, Seat};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use uuid::Uuid;

/// The speed meetings an event holds: stored and checked here; the schedule is computed
/// from the accepted participants elsewhere.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SpeedSettings {
    /// Rounds (1–30); 0 means no speed meetings.
    pub rounds: i32,
    /// Minutes per round (3–60).
    #[serde(default = "default_round_minutes")]
    pub round_minutes: i32,
    /// Tables, two participants each (1–500).
    pub tables: i32,
    /// When the first round starts, within the event.
    #[serde(default)]
    pub starts_at: Option<DateTime<Utc>>,
}

fn default_round_minutes() -> i32 {
    7
}

/// What the committee writes about an event. In a `PATCH`, any subset of these fields;
/// `null` clears an optional one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EventInput {
    pub kind: EventKind,
    /// 3–200 characters.
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub title: String,
    /// What it is for, in a few sentences (10–5000 characters).
    #[cfg_attr(feature = "openapi", schema(max_length = 5000))]
    pub summary: String,
    /// The version of the charter participants sign, e.g. `2024` (letters, digits, `.`,
    /// `-`; 1–20 characters).
    #[cfg_attr(feature = "openapi", schema(max_length = 20))]
    pub charter_version: String,
    pub starts_at: DateTime<Utc>,
    /// Not before `starts_at`.
    pub ends_at: DateTime<Utc>,
    /// INSEE code of the région it is held for; absent for a national event.
    #[serde(default)]
    pub region: Option<String>,
    pub mode: EventMode,
    /// The place's name (required on site or hybrid).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub venue: Option<String>,
    /// INSEE code of the venue's commune (required on site or hybrid; in the région).
    #[serde(default)]
    pub commune_code: Option<String>,
    /// The orientations set by the collective (at most 12, 3–300 characters each).
    #[serde(default)]
    pub orientations: Vec<String>,
    /// When applications close: before the start (applications close at the start
    /// otherwise).
    #[serde(default)]
    pub applications_close_at: Option<DateTime<Utc>>,
    /// Speed meetings, if it holds some (a `speed_meeting` session must).
    #[serde(default)]
    pub speed_meetings: Option<SpeedSettings>,
}

impl EventInput {
    fn of(e: &EventRecord) -> Self {
        Self {
            kind: e.kind,
            title: e.title.clone(),
            summary: e.summary.clone(),
            charter_version: e.charter_version.clone(),
            starts_at: e.starts_at,
            ends_at: e.ends_at,
            region: e.region.clone(),
            mode: e.mode,
            venue: e.venue.clone(),
            commune_code: e.commune_code.clone(),
            orientations: e.orientations.clone(),
            applications_close_at: e.applications_close_at,
            speed_meetings: (e.speed_rounds > 0).then_some(SpeedSettings {
                rounds: e.speed_rounds,
                round_minutes: e.round_minutes,
                tables: e.tables,
                starts_at: e.speed_starts_at,
            }),
        }
    }

    /// Checks every field, trimming texts; each problem points at its field.
    pub fn validate(&mut self, v: &mut Validator) {
        v.text("/title", &mut self.title, 3, 200);
        v.text("/summary", &mut self.summary, 10, 5000);
        v.text("/charter_version", &mut self.charter_version, 1, 20);
        v.check(
            self.charter_version
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-'),
            "/charter_version",
            "invalid",
            "letters, digits, `.` and `-` only",
        );
        v.check(
            self.ends_at >= self.starts_at,
            "/ends_at",
            "before_start",
            "must not be before `starts_at`",
        );
        v.check(
            self.ends_at - self.starts_at <= Duration::days(62),
            "/ends_at",
            "too_long",
            "an event lasts at most 62 days",
        );
        if let Some(r) = &self.region {
            v.check(
                agora_geo::region(r).is_some(),
                "/region",
                "unknown_code",
                "not an INSEE région code (see /api/v1/geo/regions)",
            );
        }
        v.opt_text("/venue", &mut self.venue, 200);
        if let Some(c) = self.commune_code.as_deref().map(str::trim) {
            self.commune_code = (!c.is_empty()).then(|| c.to_owned());
        }
        if self.mode.has_a_place() {
            v.check(
                self.venue.is_some(),
                "/venue",
                "required",
                "an event held on site says where",
            );
            v.check(
                self.commune_code.is_some(),
                "/commune_code",
                "required",
                "an event held on site says in which commune",
            );
        }
        if let Some(code) = &self.commune_code {
            match agora_geo::commune(code) {
                None => v.push("/commune_code", "unknown_code", "not an INSEE commune code"),
                Some(c) => v.check(
                    self.region.as_deref().is_none_or(|r| c.region_code == r),
                    "/commune_code",
                    "outside_region",
                    "the commune is not in the event's région",
                ),
            }
        }
        v.check(
            self.orientations.len() <= 12,
            "/orientations",
            "too_many",
            "at most 12 orientations",
        );
        for (i, o) in self.orientations.iter_mut().enumerate() {
            v.text(&format!("/orientations/{i}"), o, 3, 300);
        }
        if let Some(close) = self.applications_close_at {
            v.check(
                close <= self.starts_at,
                "/applications_close_at",
                "after_start",
                "applications close before the event starts",
            );
        }
        match &self.speed_meetings {
            Some(s) => self.check_speed(s, v),
            None => v.check(
                self.kind != EventKind::SpeedMeeting,
                "/speed_meetings",
                "required",
                "a speed-meeting session says its rounds and tables",
            ),
        }
    }

    fn check_speed(&self, s: &SpeedSettings, v: &mut Validator) {
        v.check(
            (0..=30).contains(&s.rounds),
            "/speed_meetings/rounds",
            "out_of_range",
            "from 0 to 30 rounds",
        );
        v.check(
            s.rounds > 0 || self.kind != EventKind::SpeedMeeting,
            "/speed_meetings/rounds",
            "required",
            "a speed-meeting session has at least one round",
        );
        v.check(
            (3..=60).contains(&s.round_minutes),
            "/speed_meetings/round_minutes",
            "out_of_range",
            "from 3 to 60 minutes",
        );
        v.check(
            (0..=500).contains(&s.tables) && (s.rounds == 0 || s.tables >= 1),
            "/speed_meetings/tables",
            "out_of_range",
            "from 1 to 500 tables",
        );
        if let Some(at) = s.starts_at {
            let minutes =
                i64::from(s.rounds.clamp(0, 30)) * i64::from(s.round_minutes.clamp(3, 60));
            v.check(
                at >= self.starts_at && at + Duration::minutes(minutes) <= self.ends_at,
                "/speed_meetings/starts_at",
                "outside_event",
                "the rounds take place between the event's start and end",
            );
        }
    }

    fn apply_to(self, e: &mut EventRecord) {
        e.kind = self.kind;
        e.title = self.title;
        e.summary = self.summary;
        e.charter_version = self.charter_version;
        e.starts_at = self.starts_at;
        e.ends_at = self.ends_at;
        e.region = self.region;
        e.mode = self.mode;
        e.venue = self.venue;
        e.commune_code = self.commune_code;
        e.orientations = self.orientations;
        e.applications_close_at = self.applications_close_at;
        let s = self.speed_meetings.unwrap_or(SpeedSettings {
            rounds: 0,
            round_minutes: default_round_minutes(),
            tables: 0,
            starts_at: None,
        });
        e.speed_rounds = s.rounds;
        e.round_minutes = s.round_minutes;
        e.tables = s.tables;
        e.speed_starts_at = s.starts_at;
    }
}

/// Whether the caller may create events: a platform role, or a member of a published
/// structure (the collective of associations).
pub async fn may_organise(ctx: &Context, actor: &Actor) -> Result<bool> {
    let Some(user) = actor.user() else {
        return Ok(false);
    };
    Ok(user.role.is_some() || member_of_a_published_structure(ctx, actor).await?)
}

/// Creates a draft event; its creator chairs its committee.
pub async fn create(ctx: &Context, actor: &Actor, input: EventInput) -> Result<EventView> {
    let user = actor.require_user()?;
    if !may_organise(ctx, actor).await? {
        return Err(ServiceError::Forbidden(
            "events are organised by the collective: members of a published structure, the committee, moderators",
        ));
    }
    let mut input = input;
    let mut v = Validator::new();
    input.validate(&mut v);
    v.finish()?;
    let now = ctx.now();
    let mut record = EventRecord {
        id: Uuid::now_v7(),
        kind: input.kind,
        title: String::new(),
        summary: String::new(),
        charter_version: String::new(),
        starts_at: now,
        ends_at: now,
        region: None,
        mode: input.mode,
        venue: None,
        commune_code: None,
        orientations: Vec::new(),
        applications_close_at: None,
        status: EventStatus::Draft,
        reject_reason: None,
        created_by: user.id,
        created_at: now,
        updated_at: now,
        submitted_at: None,
        published_at: None,
        speed_rounds: 0,
        round_minutes: default_round_minutes(),
        tables: 0,
        speed_starts_at: None,
        schedule_computed_at: None,
        schedule_objective: None,
        schedule_bound: None,
        schedule_published_at: None,
    };
    input.apply_to(&mut record);
    let txn = ctx.begin().await?;
    store::insert_event(&txn, &record).await?;
    store::insert_seat(
        &txn,
        &Seat {
            event_id: record.id,
            user_id: user.id,
            role: EventRole::Chair,
            added_by: user.id,
            added_at: now,
        },
    )
    .await?;
    audit::append(
        &txn,
        audit_entry(
            now,
            Some(user.id),
            "event_created",
            record.id,
            json!({"kind": record.kind.as_str()}),
        ),
    )
    .await?;
    txn.commit().await?;
    let st = EventStanding {
        seat: Some(EventRole::Chair),
        moderator: actor.is_moderator(),
    };
    Ok(view(&record, st, now))
}

pub async fn get(ctx: &Context, actor: &Actor, id: Uuid) -> Result<EventView> {
    let (event, st) = load(&ctx.db, actor, id).await?;
    Ok(view(&event, st, ctx.now()))
}

/// Changes the fields named in `patch` (the committee; not once archived). A published
/// event stays published; the change is audited with the fields it touched.
pub async fn update(
    ctx: &Context,
    actor: &Actor,
    id: Uuid,
    patch: Map<String, Value>,
) -> Result<EventView> {
    let now = ctx.now();
    let txn = ctx.begin().await?;
    let (mut event, st, me) = load_for_committee(&txn, actor, id).await?;
    if event.status == EventStatus::Archived {
        return Err(ServiceError::Conflict(
            "an archived event is not changed any more".into(),
        ));
    }
    let before = serde_json::to_value(EventInput::of(&event))
        .map_err(|e| ServiceError::Internal(e.to_string()))?;
    let mut doc = before.as_object().cloned().unwrap_or_default();
    for (k, v) in patch {
        if v.is_null() {
            doc.remove(&k);
        } else {
            doc.insert(k, v);
        }
    }
    let mut input: EventInput = agora_domain::validation::deserialize_located(Value::Object(doc))
        .map_err(|e| ServiceError::Validation(ValidationErrors(vec![e])))?;
    let mut v = Validator::new();
    input.validate(&mut v);
    // Structures signed the charter of this version: it stays once any has applied.
    if input.charter_version != event.charter_version
        && !store::applications_of_event(&txn, id, None)
            .await?
            .is_empty()
    {
        v.push(
            "/charter_version",
            "locked",
            "structures applied under this version of the charter",
        );
    }
    v.finish()?;
    let after = serde_json::to_value(&input).map_err(|e| ServiceError::Internal(e.to_string()))?;
    let changed: Vec<String> = diff(&before, &after)
        .into_iter()
        .map(|c| c.pointer)
        .collect();
    let expected = event.status;
    input.apply_to(&mut event);
    event.updated_at = now;
    if !store::save_event_if(&txn, &event, expected).await? {
        return Err(ServiceError::StaleVersion);
    }
    audit::append(
        &txn,
        audit_entry(
            now,
            Some(me),
            "event_edited",
            id,
            json!({"status": event.status.as_str(), "fields": changed}),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(view(&event, st, now))
}

/// The committee sends a draft (or a rejected event, edited) to the moderators.
pub async fn submit(ctx: &Context, actor: &Actor, id: Uuid) -> Result<EventView> {
    let now = ctx.now();
    let txn = ctx.begin().await?;
    let (mut event, st, me) = load_for_committee(&txn, actor, id).await?;
    if !event.status.can_submit() {
        return Err(ServiceError::Conflict(match event.status {
            EventStatus::Pending => "already with the moderators".into(),
            _ => "this event is already published".into(),
        }));
    }
    let expected = event.status;
    event.status = EventStatus::Pending;
    event.submitted_at = Some(now);
    event.updated_at = now;
    if !store::save_event_if(&txn, &event, expected).await? {
        return Err(ServiceError::StaleVersion);
    }
    audit::append(
        &txn,
        audit_entry(now, Some(me), "event_submitted", id, json!({})),
    )
    .await?;
    crate::mail::enqueue_to_moderators(
        &txn,
        ctx,
        &agora_mail::messages::events::submitted_to_moderators(
            &event.title,
            &crate::mail::site_url(ctx, "/moderation/evenements"),
        ),
    )
    .await?;
    txn.commit().await?;
    ctx.mail_queued.notify_one();
    Ok(view(&event, st, now))
}

/// The committee closes a published event's page to changes once it is over.
pub async fn archive(ctx: &Context, actor: &Actor, id: Uuid) -> Result<EventView> {
    let now = ctx.now();
    let txn = ctx.begin().await?;
    let (mut event, st, me) = load_for_committee(&txn, actor, id).await?;
    if event.status != EventStatus::Published {
        return Err(ServiceError::Conflict(
            "only a published event is archived".into(),
        ));
    }
    event.status = EventStatus::Archived;
    event.updated_at = now;
    if !store::save_event_if(&txn, &event, EventStatus::Published).await? {
        return Err(ServiceError::StaleVersion);
    }
    audit::append(
        &txn,
        audit_entry(now, Some(me), "event_archived", id, json!({})),
    )
    .await?;
    txn.commit().await?;
    Ok(view(&event, st, now))
}

/// Which events a list shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EventPeriod {
    /// Not over yet, soonest first.
    #[default]
    Upcoming,
    /// Over, latest first.
    Past,
    All,
}

#[derive(Debug, Clone, Default)]
pub struct EventFilterInput {
    pub when: EventPeriod,
    /// A région's INSEE code, or `national`.
    pub region: Option<String>,
    pub kind: Option<EventKind>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
struct EventCursor {
    starts_at: DateTime<Utc>,
    id: Uuid,
}

/// Published events, with their committee's seat for a signed-in caller.
pub async fn list(
    ctx: &Context,
    actor: &Actor,
    filter: EventFilterInput,
    cursor: Option<&str>,
    limit: u64,
) -> Result<Page<EventView>> {
    let (region, national_only) = match filter.region.as_deref() {
        Some("national") => (None, true),
        Some(code) if agora_geo::region(code).is_some() => (Some(code.to_owned()), false),
        Some(_) => {
            return Err(ServiceError::Validation(ValidationErrors::single(
                "/region",
                "unknown_code",
                "an INSEE région code, or `national`",
            )));
        }
        None => (None, false),
    };
    let after = decode_opt::<EventCursor>(cursor)?.map(|c| EventKey {
        starts_at: c.starts_at,
        id: c.id,
    });
    let store_filter = EventFilter {
        upcoming: match filter.when {
            EventPeriod::Upcoming => Some(true),
            EventPeriod::Past => Some(false),
            EventPeriod::All => None,
        },
        region,
        national_only,
        kind: filter.kind,
    };
    let now = ctx.now();
    let mut rows = store::list_public(&ctx.db, &store_filter, now, after, limit + 1).await?;
    let next_cursor = next_cursor(&mut rows, limit, |e| EventCursor {
        starts_at: e.starts_at,
        id: e.id,
    });
    let mut items = Vec::with_capacity(rows.len());
    for e in &rows {
        let st = event_standing(&ctx.db, actor, e.id).await?;
        items.push(view(e, st, now));
    }
    Ok(Page { items, next_cursor })
}

/// The events where the caller has a seat (or an invitation), soonest first.
pub async fn mine(ctx: &Context, actor: &Actor) -> Result<Vec<EventView>> {
    let user = actor.require_user()?;
    let seats = store::seats_of_user(&ctx.db, user.id).await?;
    let events = store::events_by_ids(&ctx.db, seats.iter().map(|s| s.event_id).collect()).await?;
    let now = ctx.now();
    Ok(events
        .iter()
        .map(|e| {
            let seat = seats.iter().find(|s| s.event_id == e.id).map(|s| s.role);
            view(
                e,
                EventStanding {
                    seat,
                    moderator: actor.is_moderator(),
                },
                now,
            )
        })
        .collect())
}
