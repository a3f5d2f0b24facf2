//! A person evaluates a published service they used.

use super::{
    AnswerDelay, EvaluationAnswers, EvaluationInput, EvaluationState, MyEvaluation, ServiceRef,
    service_lock,
};
use crate::registry::entry;
use crate::{Actor, Context, Result, ServiceError};
use agora_domain::ListingKind;
use agora_domain::validation::Validator;
use agora_store::audit::{self, AuditEntry};
use agora_store::db::transaction_lock;
use agora_store::evaluations::{self as store, Answers, EvaluationRecord};
use agora_store::{accounts, listings, memberships};
use chrono::Duration;
use uuid::Uuid;

/// How long one evaluation stands before the same account may evaluate the service again.
pub(super) fn one_year() -> Duration {
    Duration::days(365)
}

/// Checks the answers; the errors name each field.
fn validate(input: EvaluationInput) -> Result<(Answers, Option<String>)> {
    let mut v = Validator::new();
    let (answer_days, no_answer) = match input.answer_days {
        Some(AnswerDelay::Days(d)) => {
            v.check(
                (0..=60).contains(&d),
                "/answer_days",
                "out_of_range",
                "must be from 0 to 60 days, or \"no_answer\"",
            );
            (i32::try_from(d).ok(), false)
        }
        Some(AnswerDelay::NoAnswer) => (None, true),
        None => (None, false),
    };
    if let Some(n) = input.information_clear {
        v.check(
            (1..=4).contains(&n),
            "/information_clear",
            "out_of_range",
            "must be from 1 (not clear) to 4 (very clear)",
        );
    }
    let mut comment = input.comment;
    v.opt_text("/comment", &mut comment, 2000);
    let answers = Answers {
        contact_correct: input.contact_correct,
        answer_days,
        no_answer,
        free_as_listed: input.free_as_listed,
        accessible: input.accessible,
        information_clear: input.information_clear.and_then(|n| i32::try_from(n).ok()),
        would_recommend: input.would_recommend,
    };
    let answered = answers.contact_correct.is_some()
        || answers.answer_days.is_some()
        || answers.no_answer
        || answers.free_as_listed.is_some()
        || answers.accessible.is_some()
        || answers.information_clear.is_some()
        || answers.would_recommend.is_some();
    v.check(
        answered,
        "",
        "required",
        "answer at least one question (a comment alone is not an evaluation)",
    );
    v.finish()?;
    Ok((answers, comment))
}

pub(super) fn view(r: &EvaluationRecord, name: String) -> MyEvaluation {
    let state = EvaluationState::of(&r.state);
    MyEvaluation {
        id: r.id,
        service: ServiceRef {
            id: r.service_id,
            name,
        },
        created_at: r.created_at,
        answers: EvaluationAnswers::from(&r.answers),
        comment: r.comment.clone(),
        state,
        counted_from: if state == EvaluationState::Held {
            r.held_until
        } else {
            None
        },
        next_evaluation_from: r.created_at + one_year(),
    }
}

/// Records the caller's evaluation of a published service. Members of its structure may
/// not evaluate it; an account evaluates a service once a year and a few services a day.
/// Counted at once, or held back when the service is receiving a burst of evaluations.
pub async fn evaluate(
    ctx: &Context,
    actor: &Actor,
    service_id: Uuid,
    input: EvaluationInput,
) -> Result<MyEvaluation> {
    let me = actor.require_user()?;
    let (answers, comment) = validate(input)?;
    let s = &ctx.settings.evaluations;
    let now = ctx.now();
    let txn = ctx.begin().await?;
    // The account's lock first, the service's second: always in this order.
    transaction_lock(&txn, &format!("evaluations:account:{}", me.id)).await?;
    let not_found = || ServiceError::NotFound("service");
    let record = listings::get(&txn, ListingKind::Service, service_id)
        .await?
        .ok_or_else(not_found)?;
    if memberships::role_of(&txn, record.structure_id, me.id)
        .await?
        .is_some()
    {
        return Err(ServiceError::Forbidden(
            "members of the structure cannot evaluate its services",
        ));
    }
    if !record.is_listed() {
        return Err(not_found());
    }
    let day = Duration::days(1);
    let recent = store::by_account_since(&txn, me.id, now - day).await?;
    if recent.len() as u64 >= s.per_account_per_day {
        let retry = recent.first().map_or(day, |oldest| *oldest + day - now);
        return Err(ServiceError::TooManyRequests {
            retry_after_secs: u64::try_from(retry.num_seconds().max(1)).unwrap_or(1),
        });
    }
    if let Some(previous) = store::latest_of(&txn, me.id, service_id).await?
        && previous.created_at + one_year() > now
    {
        return Err(ServiceError::Conflict(format!(
            "you evaluated this service on {}; you may evaluate it again from {}",
            previous.created_at.format("%Y-%m-%d"),
            (previous.created_at + one_year()).format("%Y-%m-%d")
        )));
    }
    let account = accounts::user_by_id(&txn, me.id)
        .await?
        .ok_or(ServiceError::Unauthenticated("account gone"))?;
    let new_account = account.created_at + Duration::days(s.new_account_days) > now;
    transaction_lock(&txn, &service_lock(service_id)).await?;
    let lately = store::count_for_service_since(&txn, service_id, now - Duration::hours(1)).await?;
    let burst = lately >= s.burst_per_hour;
    let evaluation = EvaluationRecord {
        id: Uuid::now_v7(),
        service_id,
        account_id: Some(me.id),
        created_at: now,
        answers,
        comment,
        weight: if new_account {
            s.new_account_weight
        } else {
            1.0
        },
        new_account,
        state: if burst { store::HELD } else { store::COUNTED }.to_owned(),
        hold_reason: burst.then(|| "burst".to_owned()),
        held_until: burst.then(|| now + Duration::hours(s.burst_hold_hours)),
        counted_at: (!burst).then_some(now),
    };
    store::insert(&txn, &evaluation).await?;
    audit::append(
        &txn,
        AuditEntry {
            details: Some(serde_json::json!({
                "evaluation_id": evaluation.id,
                "state": evaluation.state,
                "hold_reason": evaluation.hold_reason,
                "weight": evaluation.weight,
            })),
            ..entry(
                now,
                Some(me.id),
                "evaluated",
                agora_domain::SubjectType::Service,
                service_id,
            )
        },
    )
    .await?;
    let mut mailed = false;
    if !burst && evaluation.answers.contact_correct == Some(false) {
        mailed = super::wave::after_counted(ctx, &txn, &record, now).await?;
    }
    txn.commit().await?;
    if mailed {
        ctx.mail_queued.notify_one();
    }
    let name = super::comments::public_names(ctx, vec![service_id])
        .await?
        .remove(&service_id)
        .unwrap_or_default();
    Ok(view(&evaluation, name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_checked_field_by_field() {
        let bad = EvaluationInput {
            answer_days: Some(AnswerDelay::Days(61)),
            information_clear: Some(5),
            comment: Some("x".repeat(2001)),
            ..EvaluationInput::default()
        };
        let Err(ServiceError::Validation(e)) = validate(bad) else {
            panic!("refused");
        };
        let pointers: Vec<&str> = e.0.iter().map(|f| f.pointer.as_str()).collect();
        assert_eq!(pointers, ["/answer_days", "/information_clear", "/comment"]);
        let Err(ServiceError::Validation(e)) = validate(EvaluationInput {
            comment: Some("Très bien".into()),
            ..EvaluationInput::default()
        }) else {
            panic!("a comment alone is refused");
        };
        assert_eq!(e.0[0].code, "required");
        let (answers, comment) = validate(EvaluationInput {
            answer_days: Some(AnswerDelay::NoAnswer),
            comment: Some("   ".into()),
            ..EvaluationInput::default()
        })
        .unwrap();
        assert!(answers.no_answer && answers.answer_days.is_none());
        assert_eq!(comment, None, "a blank comment is no comment");
    }
}
