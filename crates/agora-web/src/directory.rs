//! `/annuaire/{code_departement}` and `/annuaire/region/{code_region}`: the printable
//! directory of the services serving an area, grouped by family then theme, each with
//! what it does in a line, its phone, its address (or "à distance"), its hours, when it
//! was last verified and a QR code to its page. Laid out for A4 by the print stylesheet,
//! readable in black and white.

use crate::WebState;
use crate::error;
use crate::format;
use crate::layout::{Layout, send};
use crate::query::Params;
use crate::search::href;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use agora_domain::{Coverage, ListingContent, ListingKind, VocabularyKind};
use agora_service::search::{self, MatchParam, SearchParams};
use agora_service::{ServiceError, registry};
use askama::Template;

/// Services available everywhere are many; paper shows the first ones (labelled and
/// fresh first, as the search ranks them) and points to the portal for the rest.
const NATIONAL_ON_PAPER: usize = 30;
/// Pages of the search read to gather an area's services (100 each).
const MAX_PAGES: usize = 50;

pub struct Entry {
    pub name: String,
    pub href: String,
    pub qr: String,
    pub line: String,
    pub phone: Option<(String, String)>,
    pub place: String,
    pub hours: Option<String>,
    pub verified: Option<String>,
    pub stale: bool,
}

pub struct ThemeGroup {
    pub label: String,
    pub entries: Vec<Entry>,
}

pub struct FamilyGroup {
    pub family: format::Family,
    pub themes: Vec<ThemeGroup>,
}

#[derive(Template)]
#[template(path = "directory.html")]
pub struct DirectoryPage {
    pub layout: Layout,
    pub area: String,
    pub printed: String,
    pub families: Vec<FamilyGroup>,
    pub national: Vec<Entry>,
    pub national_more: usize,
    pub national_href: String,
    pub total: usize,
    pub portal: String,
    pub other_areas: Vec<(String, String)>,
}

pub struct RegionEntry {
    pub href: String,
    pub name: String,
    pub departements: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "directory_index.html")]
pub struct DirectoryIndex {
    pub layout: Layout,
    pub regions: Vec<RegionEntry>,
}

/// `/annuaire`: every région and département, each a link to its printable directory.
pub async fn index() -> HttpResponse {
    let regions = agora_geo::regions()
        .iter()
        .map(|r| RegionEntry {
            href: format!("/annuaire/region/{}", r.code),
            name: r.name.to_owned(),
            departements: agora_geo::departements_of_region(r.code)
                .map(|d| {
                    (
                        format!("/annuaire/{}", d.code),
                        format!("{} ({})", d.name, d.code),
                    )
                })
                .collect(),
        })
        .collect();
    let layout = Layout::new(
        "Annuaire à imprimer — Agora",
        "Choisissez un département ou une région pour imprimer l'annuaire de ses soutiens après un cancer.",
    )
    .section("annuaire")
    .crumb("Annuaire à imprimer", None);
    send(StatusCode::OK, &DirectoryIndex { layout, regions })
}

pub async fn departement(
    state: web::Data<WebState>,
    req: HttpRequest,
    code: web::Path<String>,
) -> HttpResponse {
    let code = code.into_inner().to_uppercase();
    let Some(d) = agora_geo::departement(&code) else {
        return unknown_area(&req);
    };
    let others = agora_geo::departements_of_region(d.region_code)
        .filter(|o| o.code != d.code)
        .map(|o| {
            (
                format!("/annuaire/{}", o.code),
                format!("{} ({})", o.name, o.code),
            )
        })
        .chain(agora_geo::region(d.region_code).map(|r| {
            (
                format!("/annuaire/region/{}", r.code),
                format!("Toute la région {}", r.name),
            )
        }))
        .collect();
    page(
        &state,
        format!("{} ({})", d.name, d.code),
        ("code_departement", d.code),
        others,
    )
    .await
}

pub async fn region(
    state: web::Data<WebState>,
    req: HttpRequest,
    code: web::Path<String>,
) -> HttpResponse {
    let Some(r) = agora_geo::region(&code) else {
        return unknown_area(&req);
    };
    let others = agora_geo::departements_of_region(r.code)
        .map(|o| {
            (
                format!("/annuaire/{}", o.code),
                format!("{} ({})", o.name, o.code),
            )
        })
        .collect();
    page(&state, r.name.to_owned(), ("code_region", r.code), others).await
}

fn unknown_area(_req: &HttpRequest) -> HttpResponse {
    error::page(
        StatusCode::NOT_FOUND,
        "Territoire inconnu",
        vec![
            "Cette adresse ne correspond à aucun département ni aucune région. Un département s'écrit avec son numéro (par exemple 25 pour le Doubs, 2A pour la Corse-du-Sud, 974 pour La Réunion), une région avec son code officiel (27 pour la Bourgogne-Franche-Comté).".into(),
        ],
    )
}

/// Every service of the area, as the search finds them (published, public, not hidden).
async fn services_of(
    state: &WebState,
    place: (&str, &str),
) -> Result<Vec<(uuid::Uuid, bool)>, ServiceError> {
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

async fn page(
    state: &WebState,
    area: String,
    place: (&str, &str),
    other_areas: Vec<(String, String)>,
) -> HttpResponse {
    let found = match services_of(state, place).await {
        Ok(f) => f,
        Err(e) => return error::from_service(e),
    };
    let national_ids: Vec<uuid::Uuid> = found
        .iter()
        .filter(|(_, n)| *n)
        .map(|(id, _)| *id)
        .collect();
    let local_ids: Vec<uuid::Uuid> = found
        .iter()
        .filter(|(_, n)| !*n)
        .map(|(id, _)| *id)
        .collect();
    let national_total = national_ids.len();
    let mut wanted = local_ids;
    wanted.extend(national_ids.into_iter().take(NATIONAL_ON_PAPER));
    let views = match registry::public_views(&state.ctx, ListingKind::Service, wanted).await {
        Ok(v) => v,
        Err(e) => return error::from_service(e),
    };
    let vocab = &state.ctx.vocab;
    let mut families: Vec<FamilyGroup> = Vec::new();
    let mut national = Vec::new();
    let mut total = 0;
    for view in &views {
        let ListingContent::Service(s) = &view.content else {
            continue;
        };
        total += 1;
        let remote = s.locations.is_empty();
        let entry = Entry {
            name: s.name.clone(),
            href: href(ListingKind::Service, view.id),
            qr: format!("/annuaire/qr/services/{}.svg", view.id),
            line: s.summary.clone(),
            phone: s
                .contact
                .as_ref()
                .and_then(|c| c.phone.as_ref())
                .map(|p| (format::tel(p), p.clone())),
            place: if remote {
                let modes = format::labels(vocab, VocabularyKind::Mode, &s.modes);
                if modes.is_empty() {
                    "À distance".to_owned()
                } else {
                    format!("À distance ({})", modes.join(", ").to_lowercase())
                }
            } else {
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
            },
            hours: s.opening_hours.clone(),
            verified: view.verified_at.as_ref().map(format::date),
            stale: view.freshness == agora_domain::Freshness::Stale,
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
        let group = match families
            .iter_mut()
            .position(|f| f.family.slug == family.slug)
        {
            Some(i) => &mut families[i],
            None => {
                families.push(FamilyGroup {
                    family,
                    themes: Vec::new(),
                });
                let last = families.len() - 1;
                &mut families[last]
            }
        };
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
    let portal = state
        .ctx
        .settings
        .mail
        .base_url
        .trim_end_matches('/')
        .to_owned();
    let printed = format::date(&state.ctx.now());
    let layout = Layout::new(
        format!("Annuaire à imprimer — {area} — Agora"),
        format!("Les soutiens après un cancer disponibles en {area}, à imprimer pour une mairie, une maison de santé ou une salle d'attente."),
    )
    .section("annuaire")
    .crumb("Annuaire à imprimer", Some("/annuaire".to_owned()))
    .crumb(area.clone(), None);
    let national_href = Params::default()
        .with(place.0, Some(place.1))
        .href("/recherche");
    send(
        StatusCode::OK,
        &DirectoryPage {
            layout,
            area,
            printed,
            families,
            national_more: national_total.saturating_sub(national.len()),
            national,
            national_href,
            total,
            portal,
            other_areas,
        },
    )
}
