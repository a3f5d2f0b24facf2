//! `/recherche`: the API's search as a page. The address takes exactly the parameters of
//! `GET /api/v1/search`; results come with their facets as filters, the families'
//! colours (always with their word), freshness, the label, cursor pages, what the search
//! relaxed or widened, and a map of France by département.

use crate::WebState;
use crate::error;
use crate::format::{self, Family};
use crate::layout::{Layout, send};
use crate::map::{self, MapView};
use crate::query::{PLACE, Params};
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use agora_domain::{Freshness, ListingKind, VocabularyKind};
use agora_service::pagination::page_size;
use agora_service::search::{self, SearchItem, SearchPage};
use askama::Template;
use std::collections::HashMap;

/// Longest query string read (as the API).
const MAX_QUERY: usize = 4096;

/// A result, as a card.
pub struct Card {
    pub href: String,
    pub name: String,
    pub kind: &'static str,
    pub structure: Option<(String, String)>,
    pub summary: Option<String>,
    pub families: Vec<Family>,
    pub themes: Vec<String>,
    pub area: Option<String>,
    pub distance: Option<String>,
    pub labelled: bool,
    pub verified: Option<String>,
    pub stale: bool,
    pub missing: Vec<String>,
}

pub fn href(kind: ListingKind, id: uuid::Uuid) -> String {
    match kind {
        ListingKind::Structure => format!("/structures/{id}"),
        ListingKind::Service => format!("/services/{id}"),
        ListingKind::Project => format!("/projets/{id}"),
    }
}

pub fn kind_word(kind: ListingKind) -> &'static str {
    match kind {
        ListingKind::Structure => "Structure",
        ListingKind::Service => "Service de soutien",
        ListingKind::Project => "Projet",
    }
}

pub fn card(state: &WebState, item: &SearchItem) -> Card {
    let vocab = &state.ctx.vocab;
    let c = &item.card;
    Card {
        href: href(c.kind, c.id),
        name: c.name.clone(),
        kind: kind_word(c.kind),
        structure: c
            .structure
            .as_ref()
            .map(|s| (format!("/structures/{}", s.id), s.name.clone())),
        summary: c.summary.clone(),
        families: format::families(vocab, &c.themes),
        themes: format::labels(vocab, VocabularyKind::Theme, &c.themes),
        area: c.coverage.as_ref().map(format::coverage),
        distance: item
            .distance_km
            .map(|d| format!("à {} km", (d * 10.0).round() / 10.0).replace('.', ",")),
        labelled: c.labelled,
        verified: c.verified_at.as_ref().map(format::date),
        stale: c.freshness == Freshness::Stale,
        missing: item.missing_words.clone(),
    }
}

/// One value of a filter, as a link that adds or removes it.
pub struct FilterLink {
    pub label: String,
    pub count: u32,
    pub href: String,
    pub active: bool,
}

pub struct FilterGroup {
    pub title: &'static str,
    pub links: Vec<FilterLink>,
}

/// A place the words or the parameters named.
pub struct PlaceLink {
    pub name: String,
    pub href: String,
}

#[derive(Template)]
#[template(path = "search.html")]
pub struct SearchPageView {
    pub layout: Layout,
    pub q: String,
    pub place_name: String,
    pub hidden: Vec<(String, String)>,
    pub total: usize,
    pub cards: Vec<Card>,
    pub groups: Vec<FilterGroup>,
    pub active_filters: Vec<FilterLink>,
    pub relaxed: Vec<String>,
    pub widened: Option<String>,
    pub place_read: Option<String>,
    pub alternatives: Vec<PlaceLink>,
    pub did_you_mean: Option<PlaceLink>,
    pub unknown_place: Option<String>,
    pub next: Option<String>,
    pub first: Option<String>,
    pub map: Option<MapView>,
    pub national_href: Option<String>,
    pub family_links: Vec<FamilyLink>,
}

/// A family of themes as an entry point: the search on all of its themes.
pub struct FamilyLink {
    pub family: Family,
    pub href: String,
}

pub fn family_links(state: &WebState) -> Vec<FamilyLink> {
    let vocab = &state.ctx.vocab;
    format::all_families(vocab)
        .into_iter()
        .map(|family| {
            let themes = format::themes_of_family(vocab, &family.slug).join(",");
            FamilyLink {
                href: Params::default()
                    .with("theme", Some(&themes))
                    .href("/recherche"),
                family,
            }
        })
        .collect()
}

/// The name of the place these parameters search.
pub fn place_name(params: &Params) -> Option<String> {
    if let Some(c) = params.get("code_commune") {
        return Some(agora_geo::commune(c).map_or_else(|| c.to_owned(), |m| m.name.to_owned()));
    }
    if let Some(p) = params.get("postcode") {
        return Some(p.to_owned());
    }
    if let Some(d) = params.get("code_departement") {
        return Some(agora_geo::departement(d).map_or_else(|| d.to_owned(), |d| d.name.to_owned()));
    }
    if let Some(r) = params.get("code_region") {
        return Some(agora_geo::region(r).map_or_else(|| r.to_owned(), |r| r.name.to_owned()));
    }
    if params.get("lat").is_some() {
        return Some("autour de moi".to_owned());
    }
    None
}

/// Reads a place as people type it: a postcode, a département's number, or a name.
pub fn resolve_place(typed: &str) -> Option<(&'static str, String)> {
    let t = typed.trim();
    if agora_geo::is_postcode(t) && !agora_geo::communes_with_postcode(t).is_empty() {
        return Some(("postcode", t.to_owned()));
    }
    let upper = t.to_uppercase();
    if agora_geo::departement(&upper).is_some() {
        return Some(("code_departement", upper));
    }
    let found = agora_geo::place_in_words(t)?;
    let key = match found.place.kind {
        agora_geo::PlaceKind::Region => "code_region",
        agora_geo::PlaceKind::Departement => "code_departement",
        agora_geo::PlaceKind::Commune => "code_commune",
        agora_geo::PlaceKind::Postcode => "postcode",
    };
    Some((key, found.place.code))
}

fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}

pub async fn page(state: web::Data<WebState>, req: HttpRequest) -> HttpResponse {
    if req.query_string().len() > MAX_QUERY {
        return error::page(
            StatusCode::BAD_REQUEST,
            "Recherche trop longue",
            vec![
                "L'adresse de cette recherche est trop longue. Relancez-la depuis le formulaire."
                    .into(),
            ],
        );
    }
    let (params, extra) = Params::parse(req.query_string());
    let typed_place = extra
        .iter()
        .find(|(k, _)| k == "lieu")
        .map(|(_, v)| v.clone());
    // The form's free-text place becomes the API's parameter, so that the address of a
    // result page is always one the API understands.
    let mut unknown_place = None;
    if let Some(typed) = typed_place {
        match resolve_place(&typed) {
            Some((key, code)) => {
                return see_other(
                    &params
                        .without_place()
                        .with(key, Some(&code))
                        .href("/recherche"),
                );
            }
            None => unknown_place = Some(typed),
        }
    }
    match run(&state, &params, unknown_place).await {
        Ok(view) => send(StatusCode::OK, &view),
        Err(response) => response,
    }
}

/// Runs the search these parameters ask for and prepares its page.
pub async fn run(
    state: &WebState,
    params: &Params,
    unknown_place: Option<String>,
) -> Result<SearchPageView, HttpResponse> {
    let query = params.search_query().map_err(error::from_service)?;
    let limit = page_size(query.limit).map_err(error::from_service)?;
    let found = search::search(&state.ctx, query.into_params(limit))
        .await
        .map_err(error::from_service)?;
    Ok(view(state, params, found, unknown_place))
}

fn view(
    state: &WebState,
    params: &Params,
    found: SearchPage,
    unknown_place: Option<String>,
) -> SearchPageView {
    let q = params.get("q").unwrap_or_default().to_owned();
    let place = place_name(params);
    let title = match (&q, &place) {
        (q, Some(p)) if !q.is_empty() => format!("« {q} » — {p}"),
        (q, None) if !q.is_empty() => format!("« {q} »"),
        (_, Some(p)) => format!("Soutiens — {p}"),
        _ => "Tous les soutiens".to_owned(),
    };
    let layout = Layout::new(
        format!(
            "{title} : {} résultat{} — Agora",
            found.total,
            plural(found.total)
        ),
        "Résultats de recherche dans l'annuaire Agora des soutiens après un cancer.",
    )
    .section("recherche")
    .crumb("Recherche", None);
    let hidden = params
        .pairs()
        .iter()
        .filter(|(k, _)| k != "q" && k != "cursor" && !PLACE.contains(&k.as_str()))
        .cloned()
        .collect();
    let counts: HashMap<String, u32> = found
        .facets
        .get("departement")
        .map(|values| values.iter().map(|f| (f.value.clone(), f.count)).collect())
        .unwrap_or_default();
    let has_place = place.is_some();
    let map = (!has_place && found.total > 0).then(|| {
        map::france(&counts, |code| {
            params
                .without_place()
                .with("code_departement", Some(code))
                .href("/recherche")
        })
    });
    let cards = found.items.iter().map(|i| card(state, i)).collect();
    let (groups, active_filters) = filters(state, params, &found);
    SearchPageView {
        layout,
        q,
        place_name: place
            .clone()
            .filter(|p| p != "autour de moi")
            .unwrap_or_default(),
        hidden,
        total: found.total,
        cards,
        groups,
        active_filters,
        relaxed: found.relaxed,
        widened: found.widened_to.map(|w| w.name),
        place_read: found.place.as_ref().map(|p| p.place.name.clone()),
        alternatives: found
            .place
            .map(|p| {
                p.alternatives
                    .into_iter()
                    .filter_map(|alt| {
                        let key = match alt.kind.as_str() {
                            "region" => "code_region",
                            "departement" => "code_departement",
                            "commune" => "code_commune",
                            "postcode" => "postcode",
                            _ => return None,
                        };
                        let code = alt.code?;
                        Some(PlaceLink {
                            href: params
                                .without_place()
                                .with(key, Some(&code))
                                .href("/recherche"),
                            name: alt.name,
                        })
                    })
                    .collect()
            })
            .unwrap_or_default(),
        did_you_mean: found.did_you_mean.map(|text| PlaceLink {
            href: params.with("q", Some(&text)).href("/recherche"),
            name: text,
        }),
        unknown_place,
        next: found
            .next_cursor
            .map(|c| params.with("cursor", Some(&c)).href("/recherche")),
        first: params
            .get("cursor")
            .map(|_| params.with("cursor", None).href("/recherche")),
        map,
        national_href: has_place.then(|| params.without_place().href("/recherche")),
        family_links: family_links(state),
    }
}

fn plural(n: usize) -> &'static str {
    if n > 1 { "s" } else { "" }
}

/// Facets as filters: each value a link that adds it to the search or takes it out.
fn filters(
    state: &WebState,
    params: &Params,
    found: &SearchPage,
) -> (Vec<FilterGroup>, Vec<FilterLink>) {
    let vocab = &state.ctx.vocab;
    let groups_spec: [(&str, &str, &'static str, Option<VocabularyKind>); 13] = [
        ("kind", "kind", "Type de fiche", None),
        ("theme", "theme", "Thème", Some(VocabularyKind::Theme)),
        (
            "audience",
            "audience",
            "Pour qui",
            Some(VocabularyKind::Audience),
        ),
        (
            "cancer",
            "cancer",
            "Cancer",
            Some(VocabularyKind::CancerType),
        ),
        (
            "stage",
            "stage",
            "Étape du parcours",
            Some(VocabularyKind::Stage),
        ),
        ("mode", "mode", "Comment", Some(VocabularyKind::Mode)),
        (
            "skill",
            "skill",
            "Compétences recherchées",
            Some(VocabularyKind::Skill),
        ),
        ("format", "format", "Format", None),
        ("scope", "scope", "Portée", None),
        ("free", "free", "Coût", None),
        ("labelled", "labelled", "Label Agora", None),
        ("region", "code_region", "Région", None),
        ("departement", "code_departement", "Département", None),
    ];
    let mut groups = Vec::new();
    let mut active = Vec::new();
    for (facet, param, title, vocabulary) in groups_spec {
        let Some(values) = found.facets.get(facet) else {
            continue;
        };
        let list = matches!(
            param,
            "kind"
                | "theme"
                | "audience"
                | "cancer"
                | "stage"
                | "mode"
                | "skill"
                | "scope"
                | "format"
        );
        let selected = params.values(param);
        let mut links = Vec::new();
        for v in values {
            let label = match (facet, vocabulary) {
                (_, Some(kind)) => format::label(vocab, kind, &v.value),
                ("kind", _) => ListingKind::parse(&v.value)
                    .map_or_else(|| v.value.clone(), |k| kind_word(k).to_owned()),
                ("free", _) if v.value == "true" => "Gratuit".to_owned(),
                ("free", _) => "Payant".to_owned(),
                ("labelled", _) if v.value == "true" => "Labellisé Agora".to_owned(),
                ("labelled", _) => continue,
                ("scope", _) => match v.value.as_str() {
                    "national" => "Toute la France",
                    "regional" => "Une ou plusieurs régions",
                    _ => "Locale (département, commune)",
                }
                .to_owned(),
                ("format", _) if v.value == "mini_mission" => "Mini-mission".to_owned(),
                ("format", _) => "Projet au long cours".to_owned(),
                ("region", _) => agora_geo::region(&v.value)
                    .map_or_else(|| v.value.clone(), |r| r.name.to_owned()),
                ("departement", _) => agora_geo::departement(&v.value)
                    .map_or_else(|| v.value.clone(), |d| format!("{} ({})", d.name, d.code)),
                _ => v.value.clone(),
            };
            let is_active = selected.contains(&v.value.as_str());
            let href = if list {
                params.toggled(param, &v.value)
            } else if is_active {
                params.with(param, None)
            } else if param.starts_with("code_") {
                params.without_place().with(param, Some(&v.value))
            } else {
                params.with(param, Some(&v.value))
            }
            .href("/recherche");
            links.push(FilterLink {
                label,
                count: v.count,
                href,
                active: is_active,
            });
        }
        // One value that every result holds filters nothing: leave it out, unless chosen.
        links.retain(|l| l.active || (l.count as usize) < found.total || values.len() > 1);
        for l in links.iter().filter(|l| l.active) {
            active.push(FilterLink {
                label: l.label.clone(),
                count: l.count,
                href: l.href.clone(),
                active: true,
            });
        }
        if !links.is_empty() {
            groups.push(FilterGroup { title, links });
        }
    }
    (groups, active)
}
