//! People who used a service evaluate it on objective criteria (was the contact right, how
//! quick the answer, free as listed, accessible, clear, would they recommend it): yes/no
//! or bounded scales, never free text in public; a comment goes to the structure's members
//! and moderators only. One evaluation per account and service per rolling year: a second
//! one within the year is refused (409) rather than replacing the first, so that nobody
//! can tune the figures by answering again and again.
//!
//! No moderator reads them before they count; a plausibility check does instead: a few
//! evaluations per account a day (429), new accounts weigh less in the shares, and a burst
//! on one service is held back and counted only after a delay (released by the sweeps).
//! The figures are shown per criterion only from a minimum number of answers, and below
//! it without any number at all, so that nobody can be recognised. Several distinct people
//! saying "contact wrong" send the service back into the refresh workflow, once a wave.

mod aggregate;
mod comments;
mod response;
mod submit;
mod sweep;
mod wave;

pub(crate) use aggregate::attach;
pub use aggregate::{summaries, summary_of};
pub use comments::{Eligibility, comments, eligibility, mine};
pub use response::{EvaluationResponseInput, delete_response, public, put_response};
pub use submit::evaluate;
pub use sweep::sweep;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The plausibility check and the display rule (configuration `evaluations.*`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EvaluationSettings {
    /// Answers a criterion needs before its figures are shown.
    pub min_answers: u64,
    /// Evaluations one account may make per rolling 24 hours.
    pub per_account_per_day: u64,
    /// Accounts younger than this many days weigh less…
    pub new_account_days: i64,
    /// …by this factor (0 < weight ≤ 1).
    pub new_account_weight: f64,
    /// More new evaluations of one service than this within an hour is a burst: the
    /// following ones are held back…
    pub burst_per_hour: u64,
    /// …and counted this many hours after they were made.
    pub burst_hold_hours: i64,
    /// Distinct accounts saying "contact wrong" that send the service back into the
    /// refresh workflow…
    pub contact_wrong_accounts: u64,
    /// …within this many days.
    pub contact_wrong_days: i64,
    /// Evaluations older than this many days no longer count.
    pub window_days: i64,
}

impl Default for EvaluationSettings {
    fn default() -> Self {
        Self {
            min_answers: 5,
            per_account_per_day: 5,
            new_account_days: 7,
            new_account_weight: 0.5,
            burst_per_hour: 10,
            burst_hold_hours: 48,
            contact_wrong_accounts: 3,
            contact_wrong_days: 90,
            window_days: 730,
        }
    }
}

impl EvaluationSettings {
    /// Checks the settings make sense; the message names the setting.
    pub fn check(&self) -> Result<(), String> {
        if self.min_answers < 2 {
            return Err(
                "evaluations.min_answers must be at least 2 (one answer is one person)".into(),
            );
        }
        if !(self.new_account_weight > 0.0 && self.new_account_weight <= 1.0) {
            return Err("evaluations.new_account_weight must be in (0, 1]".into());
        }
        if self.new_account_days < 0 || self.burst_hold_hours < 0 {
            return Err(
                "evaluations.new_account_days and burst_hold_hours must not be negative".into(),
            );
        }
        if self.per_account_per_day < 1
            || self.burst_per_hour < 1
            || self.contact_wrong_accounts < 1
        {
            return Err("evaluations.per_account_per_day, burst_per_hour and contact_wrong_accounts must be at least 1".into());
        }
        if self.contact_wrong_days < 1 || self.window_days < 365 {
            return Err(
                "evaluations.contact_wrong_days must be at least 1 and window_days at least 365"
                    .into(),
            );
        }
        Ok(())
    }
}

/// How quickly an answer came: a number of days (0–60), or none at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerDelay {
    Days(i64),
    NoAnswer,
}

impl Serialize for AnswerDelay {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Days(d) => s.serialize_i64(*d),
            Self::NoAnswer => s.serialize_str("no_answer"),
        }
    }
}

impl<'de> Deserialize<'de> for AnswerDelay {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Days(i64),
            Word(String),
        }
        match Raw::deserialize(d)? {
            Raw::Days(n) => Ok(Self::Days(n)),
            Raw::Word(w) if w == "no_answer" => Ok(Self::NoAnswer),
            Raw::Word(_) => Err(serde::de::Error::custom(
                "expected a number of days (0 to 60) or \"no_answer\"",
            )),
        }
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for AnswerDelay {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Type};
        OneOfBuilder::new()
            .item(
                ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .minimum(Some(0))
                    .maximum(Some(60))
                    .description(Some("Days before an answer came")),
            )
            .item(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .enum_values(Some(["no_answer"]))
                    .description(Some("No answer came")),
            )
            .description(Some(
                "How quickly the service answered: days (0 to 60), or `no_answer`",
            ))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for AnswerDelay {}

/// A questionnaire: every criterion is optional, at least one must be answered.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EvaluationInput {
    /// Was the contact information on the listing right?
    #[serde(default)]
    pub contact_correct: Option<bool>,
    /// How many days before an answer came (0 to 60), or `"no_answer"`.
    #[serde(default)]
    pub answer_days: Option<AnswerDelay>,
    /// Was it free, as the listing says (or priced as it says)?
    #[serde(default)]
    pub free_as_listed: Option<bool>,
    /// Was the place accessible (or the remote service usable) for the person?
    #[serde(default)]
    pub accessible: Option<bool>,
    /// How clear the information given was, from 1 (not clear) to 4 (very clear).
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 4))]
    #[serde(default)]
    pub information_clear: Option<i64>,
    /// Would the person recommend it to someone in their situation?
    #[serde(default)]
    pub would_recommend: Option<bool>,
    /// A few words for the structure and the moderators only; never shown publicly (up to
    /// 2000 characters).
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    #[serde(default)]
    pub comment: Option<String>,
}

/// The answers of one evaluation, as its author reads them back.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EvaluationAnswers {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact_correct: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answer_days: Option<AnswerDelay>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub free_as_listed: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accessible: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub information_clear: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub would_recommend: Option<bool>,
}

impl From<&agora_store::evaluations::Answers> for EvaluationAnswers {
    fn from(a: &agora_store::evaluations::Answers) -> Self {
        Self {
            contact_correct: a.contact_correct,
            answer_days: if a.no_answer {
                Some(AnswerDelay::NoAnswer)
            } else {
                a.answer_days.map(|d| AnswerDelay::Days(i64::from(d)))
            },
            free_as_listed: a.free_as_listed,
            accessible: a.accessible,
            information_clear: a.information_clear.map(i64::from),
            would_recommend: a.would_recommend,
        }
    }
}

/// Whether an evaluation is in the figures yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EvaluationState {
    /// In the figures.
    Counted,
    /// Held back: the service received many evaluations at once; counted after a delay.
    Held,
}

impl EvaluationState {
    fn of(stored: &str) -> Self {
        if stored == agora_store::evaluations::HELD {
            Self::Held
        } else {
            Self::Counted
        }
    }
}

/// The service an evaluation is about, by its public name.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceRef {
    pub id: Uuid,
    /// Empty when the service is no longer public.
    pub name: String,
}

/// One of the caller's own evaluations.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyEvaluation {
    pub id: Uuid,
    pub service: ServiceRef,
    pub created_at: DateTime<Utc>,
    #[serde(flatten)]
    pub answers: EvaluationAnswers,
    /// What they wrote for the structure (never public).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    pub state: EvaluationState,
    /// For a held evaluation, when it will count.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counted_from: Option<DateTime<Utc>>,
    /// From when this account may evaluate the service again.
    pub next_evaluation_from: DateTime<Utc>,
}

/// The criteria, in the questionnaire's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EvaluationCriterion {
    ContactCorrect,
    AnswerDays,
    FreeAsListed,
    Accessible,
    InformationClear,
    WouldRecommend,
}

impl EvaluationCriterion {
    pub const ALL: [Self; 6] = [
        Self::ContactCorrect,
        Self::AnswerDays,
        Self::FreeAsListed,
        Self::Accessible,
        Self::InformationClear,
        Self::WouldRecommend,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::ContactCorrect => "contact_correct",
            Self::AnswerDays => "answer_days",
            Self::FreeAsListed => "free_as_listed",
            Self::Accessible => "accessible",
            Self::InformationClear => "information_clear",
            Self::WouldRecommend => "would_recommend",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CriterionStatus {
    /// Enough answers: the figures follow.
    Shown,
    /// Fewer answers than the minimum: no figure at all, not even how many.
    NotEnoughAnswers,
}

/// What the people who used a service say on one criterion. Shares are weighted (a new
/// account's answer counts for less); `answers` is the number of people.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CriterionSummary {
    pub criterion: EvaluationCriterion,
    pub status: CriterionStatus,
    /// How many people answered (only when shown).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answers: Option<u64>,
    /// Yes/no criteria: the share of yes, from 0 to 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub yes_share: Option<f64>,
    /// `information_clear`: the mean, from 1 to 4.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mean: Option<f64>,
    /// `answer_days`: the median number of days before an answer, among those who got one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub median_days: Option<i64>,
    /// `answer_days`: the share of people who got no answer, from 0 to 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub no_answer_share: Option<f64>,
}

/// The evaluations of a service, criterion by criterion.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EvaluationSummary {
    /// Answers a criterion needs before it is shown.
    pub min_answers: u64,
    /// How many people's evaluations count, once at least `min_answers`; absent below.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evaluations: Option<u64>,
    pub criteria: Vec<CriterionSummary>,
}

/// The structure's public answer to the evaluations of its service.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EvaluationResponse {
    pub body: String,
    pub updated_at: DateTime<Utc>,
}

/// What the public reads of a service's evaluations.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceEvaluations {
    pub service_id: Uuid,
    #[serde(flatten)]
    pub summary: EvaluationSummary,
    /// The structure's answer, if it wrote one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response: Option<EvaluationResponse>,
}

/// A comment, as the structure's members and moderators read it: no author, and only the
/// month it was written, so that it is not easily tied to one visit.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EvaluationComment {
    /// `YYYY-MM`.
    pub month: String,
    pub comment: String,
    pub state: EvaluationState,
}

/// The lock under which a service's evaluations are counted, released and answered.
fn service_lock(service_id: Uuid) -> String {
    format!("evaluations:service:{service_id}")
}
