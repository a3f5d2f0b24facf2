//! What an area's directory holds: every published service serving it, as the search
//! finds them (published, public, not hidden), grouped by family then theme, with the
//! services available everywhere apart.

use crate::WebState;
use crate::format::{self, Family};
use crate::query::Params;
use crate::search::href;
use agora_domain::{Coverage, Freshness, ListingContent, ListingKind, VocabularyKind};
use agora_service::search::{self, MatchParam, SearchParams};
use agora_service::{ServiceError, registry};
use serde::Serialize;
use uuid::Uuid;

/// Services available everywhere are many; paper shows the first ones (labelled and
/// fresh first, as the search ranks them) and points to the portal for the rest.
const NATIONAL_ON_PAPER: usize = 30;
/// Pages of the search read to gather an area's services (100 each).
const MAX_PAGES: usize = 50;

#[derive(Serialize)]
pub struct Entry {
    #[serde(skip)]
    pub id: Uuid,
    pub name: String,
    pub href: String,
    /// The QR code's address (the page serves it as an image).
    pub qr: String,
    pub line: String,
    pub phone: Option<(String, String)>,
    pub place: String,
    pub hours: Option<String>,
    pub verified: Option<String>,
    pub stale: bool,
}

#[derive(Serialize)]
pub struct ThemeGroup {
    pub label: String,
    pub entries: Vec<Entry>,
}

#[derive(Serialize)]
pub struct FamilyGroup {
    #[serde(skip)]
    pub family: Family,
    pub label: &'static str,
    pub themes: Vec<ThemeGroup>,
}

#[derive(Serialize)]
pub struct Directory {
    pub area: String,
    pub printed: String,
    pub families: Vec<FamilyGroup>,
    pub national: Vec<Entry>,
    pub national_more: usize,
    #[serde(skip)]
    pub national_href: String,
    pub total: usize,
    pub portal: String,
}

/// The services of the area, in the search's order, each with whether it is national.
async fn services_of(
    state: &WebState,
    place: (&str, &str),
) -> Result<Vec<(Uuid, bool)>, ServiceError> {
    let mut ids = Vec::new();
    let mut cursor = None;
    for _ in 0..MAX_PAGES {
        let mut params = SearchParams {
            kinds: vec!["service".into()],
            limit: 100,
            cursor: cursor.take(),
            // What serves this area, never a wider one when it has nothing.
            match_mode: MatchParam::Exact,
            ..SearchParams::default()
        };
        match place.0 {
            "code_region" => params.code_region = Some(place.1.to_owned()),
            _ => params.code_departement = Some(place.1.to_owned()),
        }
        let page = search::search(&state.ctx, params).await?;
        ids.extend(page.items.iter().map(|i| {
            (
                i.card.id,
                matches!(i.card.coverage, Some(Coverage::National)),
            )
        }));
        match page.next_cursor {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    Ok(ids)
}

fn place_words(state: &WebState, s: &agora_domain::ServiceContent) -> String {
    if s.locations.is_empty() {
        let modes = format::labels(&state.ctx.vocab, VocabularyKind::Mode, &s.modes);
        return if modes.is_empty() {
            "À distance".to_owned()
        } else {
            format!("À distance ({})", modes.join(", ").to_lowercase())
        };
    }
    s.locations
        .iter()
        .map(|l| {
            let a = &l.address;
            match &a.street {
                Some(street) => format!("{street}, {} {}", a.postcode, a.commune_name),
                None => format!("{} {}", a.postcode, a.commune_name),
            }
        })
        .collect::<Vec<_>>()
        .join(" ; ")
}

pub async fn gather(
    state: &WebState,
    area: String,
    place: (&str, &str),
) -> Result<Directory, ServiceError> {
    let found = services_of(state, place).await?;
    let national_total = found.iter().filter(|(_, n)| *n).count();
    let mut wanted: Vec<Uuid> = found
        .iter()
        .filter(|(_, n)| !*n)
        .map(|(id, _)| *id)
        .collect();
    wanted.extend(
        found
            .iter()
            .filter(|(_, n)| *n)
            .map(|(id, _)| *id)
            .take(NATIONAL_ON_PAPER),
    );
    let views = registry::public_views(&state.ctx, ListingKind::Service, wanted).await?;
    let vocab = &state.ctx.vocab;
    let mut families: Vec<FamilyGroup> = Vec::new();
    let mut national = Vec::new();
    let mut total = 0;
    for view in &views {
        let ListingContent::Service(s) = &view.content else {
            continue;
        };
        total += 1;
        let entry = Entry {
            id: view.id,
            name: s.name.clone(),
            href: href(ListingKind::Service, view.id),
            qr: format!("/annuaire/qr/services/{}.svg", view.id),
            line: s.summary.clone(),
            phone: s
                .contact
                .as_ref()
                .and_then(|c| c.phone.as_ref())
                .map(|p| (format::tel(p), p.clone())),
            place: place_words(state, s),
            hours: s.opening_hours.clone(),
            verified: view.verified_at.as_ref().map(format::date),
            stale: view.freshness == Freshness::Stale,
        };
        if matches!(s.coverage, Coverage::National) {
            national.push(entry);
            continue;
        }
        let theme = s.themes.first().cloned().unwrap_or_default();
        let Some(family) = format::family_of(vocab, &theme) else {
            continue;
        };
        let theme_label = format::label(vocab, VocabularyKind::Theme, &theme);
        let index = match families.iter().position(|f| f.family.slug == family.slug) {
            Some(i) => i,
            None => {
                families.push(FamilyGroup {
                    label: family.label,
                    family,
                    themes: Vec::new(),
                });
                families.len() - 1
            }
        };
        let group = &mut families[index];
        match group.themes.iter_mut().find(|t| t.label == theme_label) {
            Some(t) => t.entries.push(entry),
            None => group.themes.push(ThemeGroup {
                label: theme_label,
                entries: vec![entry],
            }),
        }
    }
    families.sort_by_key(|f| {
        format::FAMILIES
            .iter()
            .position(|(s, _)| *s == f.family.slug)
    });
    for f in &mut families {
        f.themes.sort_by(|a, b| a.label.cmp(&b.label));
        for t in &mut f.themes {
            t.entries.sort_by(|a, b| a.name.cmp(&b.name));
        }
    }
    Ok(Directory {
        printed: format::date(&state.ctx.now()),
        national_more: national_total.saturating_sub(national.len()),
        national,
        national_href: Params::default()
            .with(place.0, Some(place.1))
            .href("/recherche"),
        total,
        portal: state
            .ctx
            .settings
            .mail
            .base_url
            .trim_end_matches('/')
            .to_owned(),
        families,
        area,
    })
}
