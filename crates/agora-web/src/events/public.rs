//! `/evenements` and `/evenements/{id}`: the published events, and each event's page
//! (dates, place, orientations, how to apply, the participants who agreed to be named).
//! A signed-in member of its committee or a moderator also sees an event not yet
//! published; to anyone else it does not exist.

use super::{place_words, when_words};
use crate::WebState;
use crate::layout::{Layout, send};
use crate::session;
use actix_web::http::StatusCode;
use actix_web::web;
use actix_web::{HttpRequest, HttpResponse};
use agora_domain::events::EventKind;
use agora_service::Actor;
use agora_service::events::{self, EventFilterInput, EventPeriod, EventView, ParticipantsView};
use askama::Template;
use uuid::Uuid;

pub struct Card {
    pub href: String,
    pub title: String,
    pub kind: &'static str,
    pub when: String,
    pub place: String,
    pub open: bool,
}

fn card(e: &EventView) -> Card {
    Card {
        href: format!("/evenements/{}", e.id),
        title: e.title.clone(),
        kind: e.kind.label(),
        when: when_words(e),
        place: place_words(e),
        open: e.applications_open,
    }
}

#[derive(Template)]
#[template(path = "events/list.html")]
pub struct ListPage {
    pub layout: Layout,
    pub past: bool,
    pub cards: Vec<Card>,
    pub regions: Vec<(String, String, bool)>,
    pub kinds: Vec<(String, String, bool)>,
    pub next: Option<String>,
}

fn query_value(req: &HttpRequest, name: &str) -> Option<String> {
    form_urlencoded::parse(req.query_string().as_bytes())
        .find(|(k, v)| k == name && !v.is_empty())
        .map(|(_, v)| v.into_owned())
}

pub async fn list(state: web::Data<WebState>, req: HttpRequest) -> HttpResponse {
    let past = query_value(&req, "quand").as_deref() == Some("passes");
    let region = query_value(&req, "region");
    let kind = query_value(&req, "type").and_then(|k| EventKind::parse(&k));
    let cursor = query_value(&req, "cursor");
    let filter = EventFilterInput {
        when: if past {
            EventPeriod::Past
        } else {
            EventPeriod::Upcoming
        },
        region: region.clone(),
        kind,
    };
    let page =
        match events::list(&state.ctx, &Actor::Anonymous, filter, cursor.as_deref(), 20).await {
            Ok(p) => p,
            Err(e) => return crate::error::from_service(e),
        };
    let mut regions = vec![(
        "national".to_owned(),
        "Événements nationaux".to_owned(),
        region.as_deref() == Some("national"),
    )];
    regions.extend(agora_geo::regions().iter().map(|r| {
        (
            r.code.to_owned(),
            r.name.to_owned(),
            region.as_deref() == Some(r.code),
        )
    }));
    let kinds = EventKind::ALL
        .iter()
        .map(|k| {
            (
                k.as_str().to_owned(),
                k.label().to_owned(),
                kind == Some(*k),
            )
        })
        .collect();
    let next = page.next_cursor.map(|c| {
        let mut q = form_urlencoded::Serializer::new(String::new());
        if past {
            q.append_pair("quand", "passes");
        }
        if let Some(r) = &region {
            q.append_pair("region", r);
        }
        if let Some(k) = kind {
            q.append_pair("type", k.as_str());
        }
        q.append_pair("cursor", &c);
        format!("/evenements?{}", q.finish())
    });
    let layout = Layout::new(
        "Événements : Cancerthon, éditions régionales — Agora",
        "Le Cancerthon et ses éditions régionales : les associations se rencontrent, mettent en commun leurs moyens et trouvent des ressources.",
    )
    .section("evenements")
    .crumb("Événements", None);
    send(
        StatusCode::OK,
        &ListPage {
            layout,
            past,
            cards: page.items.iter().map(card).collect(),
            regions,
            kinds,
            next,
        },
    )
}

#[derive(Template)]
#[template(path = "events/page.html")]
pub struct EventPage {
    pub layout: Layout,
    pub event: EventView,
    pub when: String,
    pub place: String,
    pub closes: Option<String>,
    pub participants: ParticipantsView,
    /// Shown to its committee and moderators while it is not public.
    pub preview: bool,
    /// The speed meetings' section (counts, and the way to one's own page), rendered by
    /// the meetings' module; none when the event holds no speed meetings.
    pub meetings: Option<String>,
}

pub async fn page(
    state: web::Data<WebState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> HttpResponse {
    let Ok(id) = Uuid::parse_str(&path) else {
        return crate::error::not_found_page(&req);
    };
    let visitor = match session::visitor(&state, &req).await {
        Ok(v) => v,
        Err(response) => return response,
    };
    let actor = visitor
        .as_ref()
        .map_or(Actor::Anonymous, |v| v.actor().clone());
    let event = match events::get(&state.ctx, &actor, id).await {
        Ok(e) => e,
        Err(e) => return crate::error::from_service(e),
    };
    let participants = match events::participants(&state.ctx, &actor, id).await {
        Ok(p) => p,
        Err(e) => return crate::error::from_service(e),
    };
    let mut layout = Layout::new(
        format!("{} — Événements — Agora", event.title),
        format!("{} : {}", event.kind.label(), event.title),
    )
    .section("evenements")
    .crumb("Événements", Some("/evenements".into()))
    .crumb(event.title.clone(), None);
    let preview = !event.status.is_public();
    if let Some(v) = &visitor {
        layout = v.menu(layout);
    }
    let meetings = crate::meetings::event_fragment(&state.ctx, &actor, id).await;
    let page = EventPage {
        layout,
        meetings,
        when: when_words(&event),
        place: place_words(&event),
        closes: event
            .applications_close_at
            .filter(|_| event.applications_open)
            .map(|c| crate::format::date(&c)),
        participants,
        preview,
        event,
    };
    if visitor.is_some() {
        session::page(StatusCode::OK, &page)
    } else {
        send(StatusCode::OK, &page)
    }
}
