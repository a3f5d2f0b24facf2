//! Speed meetings inside an event, on both databases: participants' preferences and their
//! validation, who may do and read what, the scheduler's run checked on the stored rows,
//! publication and its mails, the printable table plan, follow-ups, the six-month feedback
//! sent once by two instances, and the indicators.
//!
//! Events, their committee and applications are made by the events' own workflow; here the
//! rows are written directly (the fixture), so that these tests depend on that workflow's
//! outcome only: an event, its seated committee, accepted applications.

mod demo;
mod feedback;
mod plan;
mod preferences;
mod schedule;
pub mod world;

use crate::common::{TestApp, User, fixtures};
use agora_domain::Clock;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};
use serde_json::json;

/// A participating structure: its member, the structure, its accepted application.
#[derive(Debug, Clone)]
pub struct Participant {
    pub user: User,
    pub name: String,
    pub structure: String,
    pub application: String,
}

pub struct Event {
    pub id: String,
    pub committee: User,
    pub participants: Vec<Participant>,
    pub ends_at: DateTime<Utc>,
}

/// How the fixture's event is set up.
pub struct Setup {
    pub participants: usize,
    pub rounds: i32,
    pub tables: i32,
    /// Days from now to the event's start (negative: in the past); it lasts a day.
    pub starts_in_days: i64,
    pub status: &'static str,
}

impl Default for Setup {
    fn default() -> Self {
        Self {
            participants: 6,
            rounds: 4,
            tables: 3,
            starts_in_days: 30,
            status: "published",
        }
    }
}

/// Inserts one row, with placeholders in the backend's style.
async fn insert(app: &TestApp, table: &str, row: Vec<(&str, Value)>) {
    let db = &app.ctx.db;
    let backend = db.get_database_backend();
    let (columns, values): (Vec<&str>, Vec<Value>) = row.into_iter().unzip();
    let marks: Vec<String> = (1..=values.len())
        .map(|i| match backend {
            DbBackend::Postgres => format!("${i}"),
            _ => "?".to_owned(),
        })
        .collect();
    let sql = format!(
        "INSERT INTO {table} ({}) VALUES ({})",
        columns.join(", "),
        marks.join(", ")
    );
    db.execute_raw(Statement::from_sql_and_values(backend, sql, values))
        .await
        .unwrap_or_else(|e| panic!("insert into {table}: {e}"));
}

fn uuid(s: &str) -> uuid::Uuid {
    uuid::Uuid::parse_str(s).unwrap()
}

const SKILLS: [&str; 4] = [
    "experience-patient",
    "redaction",
    "communication",
    "juridique",
];

/// A published structure and the member who speaks for it.
#[derive(Debug, Clone)]
pub struct Member {
    pub user: User,
    pub name: String,
    pub structure: String,
}

/// `n` published structures, each with one member.
pub async fn structures(app: &TestApp, n: usize) -> Vec<Member> {
    let moderator = app.moderator().await;
    let tag = uuid::Uuid::now_v7().simple().to_string();
    let mut out = Vec::new();
    for i in 0..n {
        let user = app.verified_user(&format!("participant{i}")).await;
        let name = format!("Structure {i} {}", &tag[26..]);
        let mut doc = fixtures::structure();
        doc["name"] = json!(name);
        let s = app
            .publish("/api/v1/structures", "structures", &user, &moderator, &doc)
            .await;
        out.push(Member {
            user,
            name,
            structure: s["id"].as_str().unwrap().to_owned(),
        });
    }
    out
}

/// A published event holding speed meetings, its committee (one seated member), and
/// `participants` published structures whose applications were accepted, each with one
/// member; skills and régions vary so that pairs score differently.
pub async fn event(app: &TestApp, setup: Setup) -> Event {
    let committee = app.verified_user("comite").await;
    let members = structures(app, setup.participants).await;
    event_with(app, &setup, &committee, &members).await
}

/// The event of [`event`], with `committee` seated and `members`' structures accepted.
pub async fn event_with(
    app: &TestApp,
    setup: &Setup,
    committee: &User,
    members: &[Member],
) -> Event {
    let id = uuid::Uuid::now_v7();
    let now = app.clock.now();
    let starts = now + Duration::days(setup.starts_in_days);
    let ends = starts + Duration::hours(8);
    insert(
        app,
        "events",
        vec![
            ("id", id.into()),
            ("kind", "cancerthon".into()),
            (
                "title",
                format!("Cancerthon test {}", &id.simple().to_string()[24..]).into(),
            ),
            ("summary", "Un événement de test.".into()),
            ("charter_version", "2024".into()),
            ("starts_at", starts.into()),
            ("ends_at", ends.into()),
            ("region", Option::<String>::None.into()),
            ("mode", "on_site".into()),
            ("venue", Some("Kursaal, Besançon".to_owned()).into()),
            ("commune_code", Option::<String>::None.into()),
            ("orientations", json!(["Mutualiser"]).into()),
            (
                "applications_close_at",
                Option::<DateTime<Utc>>::None.into(),
            ),
            ("status", setup.status.into()),
            ("reject_reason", Option::<String>::None.into()),
            ("created_by", uuid(&committee.id).into()),
            ("created_at", now.into()),
            ("updated_at", now.into()),
            ("submitted_at", Some(now).into()),
            ("published_at", Some(now).into()),
            ("speed_rounds", setup.rounds.into()),
            ("round_minutes", 7.into()),
            ("tables", setup.tables.into()),
            ("speed_starts_at", Some(starts + Duration::hours(2)).into()),
            ("schedule_computed_at", Option::<DateTime<Utc>>::None.into()),
            ("schedule_objective", Option::<i64>::None.into()),
            ("schedule_bound", Option::<i64>::None.into()),
            (
                "schedule_published_at",
                Option::<DateTime<Utc>>::None.into(),
            ),
        ],
    )
    .await;
    insert(
        app,
        "event_committee",
        vec![
            ("event_id", id.into()),
            ("user_id", uuid(&committee.id).into()),
            ("role", "chair".into()),
            ("added_by", uuid(&committee.id).into()),
            ("added_at", now.into()),
        ],
    )
    .await;
    let mut participants = Vec::new();
    for (i, m) in members.iter().enumerate() {
        let application = uuid::Uuid::now_v7();
        let region = if i % 2 == 0 { "27" } else { "84" };
        insert(
            app,
            "event_applications",
            vec![
                ("id", application.into()),
                ("event_id", id.into()),
                ("structure_id", uuid(&m.structure).into()),
                ("applicant_id", uuid(&m.user.id).into()),
                ("project_ids", json!([]).into()),
                ("offers", json!([SKILLS[i % 4]]).into()),
                ("needs", json!([SKILLS[(i + 1) % 4]]).into()),
                ("themes", json!(["travail-emploi"]).into()),
                ("region", Some(region.to_owned()).into()),
                ("message", "Nous venons.".into()),
                ("charter_version", "2024".into()),
                ("charter_signed_at", now.into()),
                ("public_consent", true.into()),
                ("state", "accepted".into()),
                ("decision_reason", Option::<String>::None.into()),
                ("decided_by", Some(uuid(&committee.id)).into()),
                ("decided_at", Some(now).into()),
                ("unavailable_rounds", json!([]).into()),
                ("created_at", now.into()),
                ("updated_at", now.into()),
            ],
        )
        .await;
        participants.push(Participant {
            user: m.user.clone(),
            name: m.name.clone(),
            structure: m.structure.clone(),
            application: application.to_string(),
        });
    }
    Event {
        id: id.to_string(),
        committee: committee.clone(),
        participants,
        ends_at: ends,
    }
}

impl Event {
    pub fn path(&self, rest: &str) -> String {
        format!("/api/v1/events/{}/meetings{rest}", self.id)
    }
}

/// Runs the scheduler as the committee; the report.
pub async fn run(app: &TestApp, e: &Event) -> serde_json::Value {
    let (status, report) = app
        .call(app.post(&e.path("/schedule"), Some(&e.committee)))
        .await;
    assert_eq!(status, reqwest::StatusCode::OK, "{report}");
    report
}

/// The whole plan, as the committee reads it.
pub async fn plan(app: &TestApp, e: &Event) -> serde_json::Value {
    let (status, plan) = app.call(app.get(&e.path(""), Some(&e.committee))).await;
    assert_eq!(status, reqwest::StatusCode::OK, "{plan}");
    plan
}

/// (round, table, first, second) of every stored meeting.
pub fn meetings_of(plan: &serde_json::Value) -> Vec<(u64, u64, String, String)> {
    let mut out = Vec::new();
    for round in plan["plan"].as_array().unwrap() {
        let r = round["round"].as_u64().unwrap();
        for m in round["meetings"].as_array().unwrap() {
            out.push((
                r,
                m["table"].as_u64().unwrap(),
                m["first"]["application_id"].as_str().unwrap().to_owned(),
                m["second"]["application_id"].as_str().unwrap().to_owned(),
            ));
        }
    }
    out
}
