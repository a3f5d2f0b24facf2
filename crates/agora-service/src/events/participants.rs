//! The public list of participants: accepted structures that consented to be named,
//! with their published projects and région; the others are only counted. Pending,
//! declined and withdrawn applications never appear.

use super::{load, project_refs};
use crate::help::ProjectRef;
use crate::views::StructureRef;
use crate::{Actor, Context, Result};
use agora_domain::ListingKind;
use agora_domain::events::ParticipationState;
use agora_store::events as store;
use agora_store::listings;
use serde::Serialize;
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ParticipantView {
    pub structure: StructureRef,
    /// Its published projects it brings (anonymous ones are never named).
    pub projects: Vec<ProjectRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region_name: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ParticipantsView {
    pub event_id: Uuid,
    /// Accepted participants, named or not.
    pub accepted: u64,
    /// Those who agreed to be named, by name.
    pub named: Vec<ParticipantView>,
    /// Accepted participants who are not named.
    pub unnamed: u64,
}

pub async fn participants(
    ctx: &Context,
    actor: &Actor,
    event_id: Uuid,
) -> Result<ParticipantsView> {
    load(&ctx.db, actor, event_id).await?;
    let accepted =
        store::applications_of_event(&ctx.db, event_id, Some(ParticipationState::Accepted)).await?;
    let structures = listings::by_ids(
        &ctx.db,
        ListingKind::Structure,
        accepted.iter().map(|a| a.structure_id).collect(),
    )
    .await?;
    let mut named = Vec::new();
    for a in accepted.iter().filter(|a| a.public_consent) {
        // A structure no longer public is not named either.
        let Some(s) = structures
            .iter()
            .find(|s| s.id == a.structure_id && s.is_listed())
        else {
            continue;
        };
        named.push(ParticipantView {
            structure: StructureRef {
                id: s.id,
                name: s.name.clone(),
            },
            projects: project_refs(&ctx.db, &a.project_ids, true).await?,
            region: a.region.clone(),
            region_name: a
                .region
                .as_deref()
                .and_then(agora_geo::region)
                .map(|r| r.name.to_owned()),
        });
    }
    named.sort_by(|a, b| a.structure.name.cmp(&b.structure.name));
    let total = accepted.len() as u64;
    Ok(ParticipantsView {
        event_id,
        accepted: total,
        unnamed: total - named.len() as u64,
        named,
    })
}
