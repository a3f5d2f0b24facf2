//! `/indicateurs`: the figures the Living Lab named as success (active associations,
//! listings by région and family, freshness, help offers and the projects that found
//! contributors), as accessible tables with simple bar charts drawn in SVG, and the same
//! data as CSV (`/indicateurs.csv`).

use crate::WebState;
use crate::error;
use crate::format::{self, Family};
use crate::layout::{Layout, send};
use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use agora_service::ServiceError;
use agora_service::help as indicators;
use agora_service::refresh;
use agora_service::search::{self, SearchParams};
use askama::Template;
use std::collections::HashMap;

pub struct RegionRow {
    pub name: String,
    pub code: String,
    /// Per family, in the order of `families`.
    pub counts: Vec<u32>,
    pub total: u32,
    /// Bar width in the chart, in per cent of the largest total.
    pub bar: u32,
}

pub struct Figure {
    pub label: &'static str,
    pub value: String,
}

#[derive(Template)]
#[template(path = "indicators.html")]
pub struct IndicatorsPage {
    pub layout: Layout,
    pub figures: Vec<Figure>,
    pub families: Vec<Family>,
    pub regions: Vec<RegionRow>,
    pub freshness: Vec<(&'static str, u64, u32)>,
    pub offers: Vec<(&'static str, u64)>,
    pub meetings: crate::meetings::IndicatorsSection,
}

struct Data {
    figures: Vec<Figure>,
    families: Vec<Family>,
    regions: Vec<RegionRow>,
    freshness: Vec<(&'static str, u64, u32)>,
    offers: Vec<(&'static str, u64)>,
    meetings: crate::meetings::IndicatorsSection,
}

async fn facet(
    state: &WebState,
    params: SearchParams,
    name: &str,
) -> Result<(usize, HashMap<String, u32>), ServiceError> {
    let page = search::search(&state.ctx, SearchParams { limit: 1, ..params }).await?;
    let counts = page
        .facets
        .get(name)
        .map(|values| values.iter().map(|f| (f.value.clone(), f.count)).collect())
        .unwrap_or_default();
    Ok((page.total, counts))
}

fn offer_word(state: &str) -> &'static str {
    match state {
        "submitted" => "Reçues, en cours de relecture",
        "forwarded" => "Transmises au projet",
        "connected" | "closed" => "Mises en relation",
        "declined" | "refused" => "Non retenues",
        "withdrawn" => "Retirées par leur auteur",
        "expired" => "Restées sans réponse",
        "rejected" => "Écartées à la relecture",
        _ => "Autres",
    }
}

async fn gather(state: &WebState) -> Result<Data, ServiceError> {
    let vocab = &state.ctx.vocab;
    // One search, no filter: its kind facet counts every published listing by kind.
    let (_, kinds) = facet(state, SearchParams::default(), "kind").await?;
    let count = |kind: &str| kinds.get(kind).copied().unwrap_or(0);
    let (structures, services, projects) = (count("structure"), count("service"), count("project"));
    let families = format::all_families(vocab);
    let mut by_family = Vec::new();
    for f in &families {
        let (_, regions) = facet(
            state,
            SearchParams {
                kinds: vec!["service".into(), "project".into()],
                themes: format::themes_of_family(vocab, &f.slug),
                ..SearchParams::default()
            },
            "region",
        )
        .await?;
        by_family.push(regions);
    }
    let mut regions: Vec<RegionRow> = agora_geo::regions()
        .iter()
        .map(|r| {
            let counts: Vec<u32> = by_family
                .iter()
                .map(|m| m.get(r.code).copied().unwrap_or(0))
                .collect();
            RegionRow {
                name: r.name.to_owned(),
                code: r.code.to_owned(),
                total: counts.iter().sum(),
                counts,
                bar: 0,
            }
        })
        .collect();
    let max = regions.iter().map(|r| r.total).max().unwrap_or(0).max(1);
    for r in &mut regions {
        r.bar = r.total * 100 / max;
    }
    let fresh = refresh::counts(&state.ctx).await?;
    let all = (fresh.fresh + fresh.due + fresh.stale + fresh.hidden).max(1);
    let share = |n: u64| u32::try_from(n * 100 / all).unwrap_or(100);
    let freshness = vec![
        (
            "Vérifiées depuis moins de six mois",
            fresh.fresh,
            share(fresh.fresh),
        ),
        (
            "Confirmation demandée à la structure",
            fresh.due,
            share(fresh.due),
        ),
        ("À actualiser", fresh.stale, share(fresh.stale)),
        (
            "Retirées des résultats faute de confirmation",
            fresh.hidden,
            share(fresh.hidden),
        ),
    ];
    let stats = indicators::stats(&state.ctx, None).await?;
    let mut offers: Vec<(&'static str, u64)> = Vec::new();
    for (s, n) in &stats.offers_by_state {
        let word = offer_word(s);
        match offers.iter_mut().find(|(w, _)| *w == word) {
            Some((_, total)) => *total += n,
            None => offers.push((word, *n)),
        }
    }
    let figures = vec![
        Figure {
            label: "Structures publiées (associations et autres)",
            value: structures.to_string(),
        },
        Figure {
            label: "Services de soutien publiés",
            value: services.to_string(),
        },
        Figure {
            label: "Projets publiés",
            value: projects.to_string(),
        },
        Figure {
            label: "Projets qui ont trouvé des contributeurs",
            value: stats.projects_with_contributors.to_string(),
        },
        Figure {
            label: "Délai médian avant une première réponse à une proposition d'aide",
            value: stats.median_hours_to_first_answer.map_or_else(
                || "pas encore mesuré".to_owned(),
                |h| format!("{h} h").replace('.', ","),
            ),
        },
    ];
    Ok(Data {
        figures,
        families,
        regions,
        freshness,
        offers,
        meetings: crate::meetings::indicators_section(&state.ctx).await?,
    })
}

pub async fn page(state: web::Data<WebState>) -> HttpResponse {
    let data = match gather(&state).await {
        Ok(d) => d,
        Err(e) => return error::from_service(e),
    };
    let layout = Layout::new(
        "Indicateurs — Agora",
        "Les chiffres d'Agora : structures actives, fiches par région et par famille, fraîcheur des informations, propositions d'aide.",
    )
    .section("indicateurs")
    .crumb("Indicateurs", None);
    send(
        StatusCode::OK,
        &IndicatorsPage {
            layout,
            figures: data.figures,
            families: data.families,
            regions: data.regions,
            freshness: data.freshness,
            offers: data.offers,
            meetings: data.meetings,
        },
    )
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', ';']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// The same figures as one CSV table: indicator, région code, value.
pub async fn csv(state: web::Data<WebState>) -> HttpResponse {
    let data = match gather(&state).await {
        Ok(d) => d,
        Err(e) => return error::from_service(e),
    };
    let mut out = String::from("indicateur,code_region,famille,valeur\n");
    for f in &data.figures {
        out.push_str(&format!(
            "{},,,{}\n",
            csv_field(f.label),
            csv_field(&f.value)
        ));
    }
    for r in &data.regions {
        for (family, n) in data.families.iter().zip(&r.counts) {
            out.push_str(&format!(
                "Services et projets par région et famille,{},{},{n}\n",
                r.code, family.slug
            ));
        }
    }
    for (label, n, _) in &data.freshness {
        out.push_str(&format!("Fraîcheur : {},,,{n}\n", csv_field(label)));
    }
    for (label, n) in &data.offers {
        out.push_str(&format!(
            "Propositions d'aide : {},,,{n}\n",
            csv_field(label)
        ));
    }
    let m = &data.meetings.all;
    for (label, n) in [
        ("Rencontres au programme", m.pairs_met),
        ("Rencontres suivies par les deux structures", m.follow_ups),
        ("Réponses au bilan à six mois", m.feedback_answered),
        ("Collaborations", m.collaborations),
        ("Projets communs", m.projects),
        ("Propositions d'aide", m.help_offers),
    ] {
        out.push_str(&format!(
            "Rencontres express : {},,,{n}\n",
            csv_field(label)
        ));
    }
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"agora-indicateurs.csv\"",
        ))
        .body(out)
}
