//! The figures of a service's evaluations, criterion by criterion, over the evaluations
//! that count: each person's latest within the window. A criterion with fewer answers than
//! the minimum shows no number at all (not even how many answered), and neither does the
//! total below it, so that nobody who answered can be picked out.

use super::{CriterionStatus, CriterionSummary, EvaluationCriterion, EvaluationSummary};
use crate::views::AnyListingView;
use crate::{Context, Result};
use agora_domain::ListingKind;
use agora_store::evaluations::{self as store, EvaluationRecord};
use chrono::Duration;
use std::collections::HashMap;
use uuid::Uuid;

fn round(x: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (x * f).round() / f
}

/// Σ weight·value / Σ weight over `(weight, value)` pairs.
fn weighted_mean(pairs: &[(f64, f64)]) -> Option<f64> {
    let total: f64 = pairs.iter().map(|(w, _)| w).sum();
    (total > 0.0).then(|| pairs.iter().map(|(w, v)| w * v).sum::<f64>() / total)
}

/// The smallest value at which half the weight is reached.
fn weighted_median(pairs: &mut [(f64, i64)]) -> Option<i64> {
    pairs.sort_by_key(|(_, v)| *v);
    let total: f64 = pairs.iter().map(|(w, _)| w).sum();
    let mut seen = 0.0;
    for (w, v) in pairs.iter() {
        seen += w;
        if seen * 2.0 >= total {
            return Some(*v);
        }
    }
    None
}

fn hidden(criterion: EvaluationCriterion) -> CriterionSummary {
    CriterionSummary {
        criterion,
        status: CriterionStatus::NotEnoughAnswers,
        answers: None,
        yes_share: None,
        mean: None,
        median_days: None,
        no_answer_share: None,
    }
}

fn criterion(c: EvaluationCriterion, rows: &[&EvaluationRecord], min: u64) -> CriterionSummary {
    let yes_no = |get: fn(&EvaluationRecord) -> Option<bool>| -> Vec<(f64, f64)> {
        rows.iter()
            .filter_map(|r| get(r).map(|b| (r.weight, if b { 1.0 } else { 0.0 })))
            .collect()
    };
    let mut out = hidden(c);
    let answers = match c {
        EvaluationCriterion::AnswerDays => {
            let answered: Vec<&&EvaluationRecord> = rows
                .iter()
                .filter(|r| r.answers.no_answer || r.answers.answer_days.is_some())
                .collect();
            let none: Vec<(f64, f64)> = answered
                .iter()
                .map(|r| (r.weight, if r.answers.no_answer { 1.0 } else { 0.0 }))
                .collect();
            let mut days: Vec<(f64, i64)> = answered
                .iter()
                .filter_map(|r| r.answers.answer_days.map(|d| (r.weight, i64::from(d))))
                .collect();
            out.no_answer_share = weighted_mean(&none).map(|x| round(x, 2));
            out.median_days = weighted_median(&mut days);
            answered.len()
        }
        EvaluationCriterion::InformationClear => {
            let scale: Vec<(f64, f64)> = rows
                .iter()
                .filter_map(|r| {
                    r.answers
                        .information_clear
                        .map(|n| (r.weight, f64::from(n)))
                })
                .collect();
            out.mean = weighted_mean(&scale).map(|x| round(x, 1));
            scale.len()
        }
        yes_no_criterion => {
            let pairs = yes_no(match yes_no_criterion {
                EvaluationCriterion::ContactCorrect => |r| r.answers.contact_correct,
                EvaluationCriterion::FreeAsListed => |r| r.answers.free_as_listed,
                EvaluationCriterion::Accessible => |r| r.answers.accessible,
                _ => |r| r.answers.would_recommend,
            });
            out.yes_share = weighted_mean(&pairs).map(|x| round(x, 2));
            pairs.len()
        }
    } as u64;
    if answers < min {
        // Nothing computed leaves this function below the minimum.
        return hidden(c);
    }
    out.status = CriterionStatus::Shown;
    out.answers = Some(answers);
    out
}

/// The summary of one service's counting evaluations (already one per person).
pub(crate) fn summarize(rows: &[&EvaluationRecord], min: u64) -> EvaluationSummary {
    let people = rows.len() as u64;
    EvaluationSummary {
        min_answers: min,
        evaluations: (people >= min).then_some(people),
        criteria: EvaluationCriterion::ALL
            .into_iter()
            .map(|c| criterion(c, rows, min))
            .collect(),
    }
}

/// The summaries of these services (every one gets one, empty when nobody evaluated it).
pub async fn summaries(ctx: &Context, ids: Vec<Uuid>) -> Result<HashMap<Uuid, EvaluationSummary>> {
    let s = &ctx.settings.evaluations;
    let since = ctx.now() - Duration::days(s.window_days);
    let rows = store::counted_for(&ctx.db, ids.clone(), since).await?;
    // Each person's latest evaluation of each service; an erased account's are each one.
    let mut latest: HashMap<(Uuid, Uuid), &EvaluationRecord> = HashMap::new();
    for r in &rows {
        let key = (r.service_id, r.account_id.unwrap_or(r.id));
        match latest.get(&key) {
            Some(kept) if kept.created_at >= r.created_at => {}
            _ => {
                latest.insert(key, r);
            }
        }
    }
    let mut by_service: HashMap<Uuid, Vec<&EvaluationRecord>> = HashMap::new();
    for ((service, _), r) in latest {
        by_service.entry(service).or_default().push(r);
    }
    Ok(ids
        .into_iter()
        .map(|id| {
            let rows = by_service.get(&id).map(Vec::as_slice).unwrap_or_default();
            (id, summarize(rows, s.min_answers))
        })
        .collect())
}

pub async fn summary_of(ctx: &Context, service_id: Uuid) -> Result<EvaluationSummary> {
    let mut all = summaries(ctx, vec![service_id]).await?;
    Ok(all
        .remove(&service_id)
        .unwrap_or_else(|| summarize(&[], ctx.settings.evaluations.min_answers)))
}

/// Puts the figures into public views of services (other kinds are left as they are).
pub(crate) async fn attach(ctx: &Context, views: &mut [AnyListingView]) -> Result<()> {
    let ids: Vec<Uuid> = views
        .iter()
        .filter(|v| v.kind == ListingKind::Service)
        .map(|v| v.id)
        .collect();
    if ids.is_empty() {
        return Ok(());
    }
    let mut all = summaries(ctx, ids).await?;
    for v in views.iter_mut() {
        if v.kind == ListingKind::Service {
            v.evaluations = all.remove(&v.id);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use agora_store::evaluations::Answers;

    fn row(weight: f64, answers: Answers) -> EvaluationRecord {
        EvaluationRecord {
            id: Uuid::now_v7(),
            service_id: Uuid::nil(),
            account_id: Some(Uuid::now_v7()),
            created_at: chrono::Utc::now(),
            answers,
            comment: None,
            weight,
            new_account: weight < 1.0,
            state: store::COUNTED.into(),
            hold_reason: None,
            held_until: None,
            counted_at: None,
        }
    }

    fn yes(b: bool) -> Answers {
        Answers {
            contact_correct: Some(b),
            ..Answers::default()
        }
    }

    #[test]
    fn below_the_minimum_nothing_is_said() {
        let rows: Vec<EvaluationRecord> = (0..4).map(|_| row(1.0, yes(true))).collect();
        let refs: Vec<&EvaluationRecord> = rows.iter().collect();
        let s = summarize(&refs, 5);
        assert_eq!(s.evaluations, None);
        assert!(
            s.criteria
                .iter()
                .all(|c| c.status == CriterionStatus::NotEnoughAnswers
                    && c.answers.is_none()
                    && c.yes_share.is_none())
        );
        let json = serde_json::to_string(&s).unwrap();
        assert!(!json.contains('4'), "no count below the minimum: {json}");
    }

    #[test]
    fn shares_are_weighted_and_counts_are_people() {
        // Three established accounts say yes, two new ones say no: 3 / (3 + 2 × 0.5).
        let mut rows: Vec<EvaluationRecord> = (0..3).map(|_| row(1.0, yes(true))).collect();
        rows.extend((0..2).map(|_| row(0.5, yes(false))));
        let refs: Vec<&EvaluationRecord> = rows.iter().collect();
        let s = summarize(&refs, 5);
        let c = &s.criteria[0];
        assert_eq!(c.status, CriterionStatus::Shown);
        assert_eq!(c.answers, Some(5));
        assert_eq!(c.yes_share, Some(0.75));
        assert_eq!(s.evaluations, Some(5));
        assert_eq!(s.criteria[1].status, CriterionStatus::NotEnoughAnswers);
    }

    #[test]
    fn answer_days_give_a_median_and_the_share_without_answer() {
        let days = |d: Option<i32>| Answers {
            answer_days: d,
            no_answer: d.is_none(),
            information_clear: Some(3),
            ..Answers::default()
        };
        let rows: Vec<EvaluationRecord> = [Some(1), Some(2), Some(10), Some(3), None, None]
            .into_iter()
            .map(|d| row(1.0, days(d)))
            .collect();
        let refs: Vec<&EvaluationRecord> = rows.iter().collect();
        let s = summarize(&refs, 5);
        let c = &s.criteria[1];
        assert_eq!(c.answers, Some(6));
        assert_eq!(c.median_days, Some(2));
        assert_eq!(c.no_answer_share, Some(0.33));
        assert_eq!(s.criteria[4].mean, Some(3.0));
    }
}
