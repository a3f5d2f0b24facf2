//! Indicators: projects suggested to a contributor, and public statistics of the offers.

use crate::search::{self, SearchPage, SearchParams};
use crate::{Actor, Context, Result, ServiceError};
use agora_domain::help::OfferState;
use agora_store::help as store;
use serde::Serialize;
use std::collections::BTreeMap;

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
            // Suggestions stay within the contributor's région.
            match_mode: search::MatchParam::Exact,
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
