//! `/espace`: invitations waiting for an answer, then each of the person's structures with
//! its services and projects, where each stands and what to do next.

use super::{freshness_words, kind_noun, segment, status_badge};
use crate::WebState;
use crate::format::date;
use crate::layout::Layout;
use crate::session::{self, Visitor};
use actix_web::http::StatusCode;
use actix_web::web;
use actix_web::{HttpRequest, HttpResponse};
use agora_domain::{ListingKind, ListingStatus, RevisionState};
use agora_service::invitations::InvitationView;
use agora_service::views::AnyListingView;
use agora_service::{Result, accounts, invitations, label, registry};
use askama::Template;
use uuid::Uuid;

/// One listing, as the workspace lists it.
pub struct Row {
    pub kind: &'static str,
    pub href: String,
    pub public_href: Option<String>,
    pub name: String,
    pub badge: (&'static str, &'static str),
    pub reason: Option<String>,
    pub freshness: Option<String>,
    pub can_submit: bool,
    pub can_confirm: bool,
    pub action_base: String,
    pub project_actions: Vec<(&'static str, &'static str)>,
}

pub fn row(state: &WebState, v: &AnyListingView) -> Row {
    let review = v.review.as_ref();
    let review_state = review.map(|r| r.state);
    let public = v.status.is_public() && v.published_at.is_some();
    let freshness = match (public, v.verified_at) {
        (true, Some(at)) => Some(format!(
            "Confirmée le {} ({}). Prochaine confirmation avant le {}.",
            date(&at),
            freshness_words(v.freshness),
            date(&state.ctx.settings.refresh.due(at))
        )),
        _ => None,
    };
    let project_actions = if v.kind == ListingKind::Project {
        match v.status {
            ListingStatus::Published => vec![
                ("pause", "Mettre en pause"),
                ("termine", "Marquer comme terminé"),
            ],
            ListingStatus::Paused => vec![
                ("reprise", "Reprendre la recherche"),
                ("termine", "Marquer comme terminé"),
            ],
            _ => Vec::new(),
        }
    } else {
        Vec::new()
    };
    Row {
        kind: kind_noun(v.kind),
        href: format!("/espace/{}/{}", segment(v.kind), v.id),
        public_href: public.then(|| crate::search::href(v.kind, v.id)),
        name: crate::listing::name_of(&v.content),
        badge: status_badge(v.status, review_state),
        reason: review
            .filter(|r| {
                matches!(
                    r.state,
                    RevisionState::ChangesRequested | RevisionState::Rejected
                )
            })
            .and_then(|r| r.reason.clone()),
        freshness,
        can_submit: matches!(
            review_state,
            Some(RevisionState::Draft | RevisionState::ChangesRequested)
        ),
        can_confirm: public,
        action_base: format!("/espace/{}/{}", segment(v.kind), v.id),
        project_actions,
    }
}

pub struct StructureBlock {
    pub id: Uuid,
    pub role: &'static str,
    pub structure: Row,
    pub services: Vec<Row>,
    pub projects: Vec<Row>,
}

#[derive(Template)]
#[template(path = "workspace/dashboard.html")]
pub struct Dashboard {
    pub layout: Layout,
    pub name: String,
    pub csrf: String,
    pub flash: Option<String>,
    pub invitations: Vec<InvitationView>,
    pub structures: Vec<StructureBlock>,
    pub reviews_waiting: usize,
    /// The help offers this person made: the project, its page, where the offer stands.
    pub my_offers: Vec<(String, String, &'static str)>,
    pub moderates: bool,
}

pub async fn structure_block(
    state: &WebState,
    visitor: &Visitor,
    id: Uuid,
    role: &'static str,
) -> Result<StructureBlock> {
    let ctx = &state.ctx;
    let (structure, _) = registry::get(ctx, visitor.actor(), ListingKind::Structure, id).await?;
    let services = registry::list_children(ctx, visitor.actor(), id, ListingKind::Service).await?;
    let projects = registry::list_children(ctx, visitor.actor(), id, ListingKind::Project).await?;
    Ok(StructureBlock {
        id,
        role,
        structure: row(state, &structure),
        services: services.iter().map(|v| row(state, v)).collect(),
        projects: projects.iter().map(|v| row(state, v)).collect(),
    })
}

/// The sentence that tells what the last action did.
pub fn flash(done: Option<&str>) -> Option<String> {
    let words = match done? {
        "enregistre" => "C'est enregistré. Quand la fiche est prête, envoyez-la à la modération.",
        "envoye" => "C'est envoyé à l'équipe de modération : vous recevrez sa réponse par mail.",
        "non-envoye" => {
            "C'est enregistré, mais pas envoyé : une structure est relue avant ses services et projets, envoyez-la d'abord."
        }
        "confirme" => "Merci : la fiche est confirmée à jour.",
        "pause" => "Le projet est en pause : il reste visible, sans chercher de contributeurs.",
        "reprise" => "Le projet cherche à nouveau des contributeurs.",
        "termine" => "Le projet est marqué comme terminé. Bravo !",
        "invitation" => "L'invitation est partie.",
        "accepte" => "Réponse envoyée.",
        "label" => "La demande de label est enregistrée.",
        "retire" => "Le membre est retiré de la structure.",
        "parti" => "Vous avez quitté la structure.",
        "nouvelle" => "C'est envoyé à la modération.",
        "reponse" => "Votre réponse est publiée sous les avis, sur la page du service.",
        "reponse-retiree" => "Votre réponse n'est plus publiée.",
        _ => return None,
    };
    Some(words.to_owned())
}

pub async fn page(state: web::Data<WebState>, req: HttpRequest) -> HttpResponse {
    let visitor = match session::signed_in(&state, &req).await {
        Ok(v) => v,
        Err(response) => return response,
    };
    match build(&state, &visitor, session::done(&req).as_deref()).await {
        Ok(page) => session::page(StatusCode::OK, &page),
        Err(e) => crate::error::from_service(e),
    }
}

async fn build(state: &WebState, visitor: &Visitor, done: Option<&str>) -> Result<Dashboard> {
    let ctx = &state.ctx;
    let me = accounts::me(ctx, visitor.actor()).await?;
    let mut structures = Vec::new();
    for m in &me.memberships {
        structures.push(
            structure_block(state, visitor, m.structure.id, super::role_label(&m.role)).await?,
        );
    }
    let invitations = invitations::mine(ctx, visitor.actor())
        .await?
        .into_iter()
        .filter(|i| i.status == invitations::InvitationStatus::Pending)
        .collect();
    let my_offers = agora_service::help::mine(ctx, visitor.actor())
        .await?
        .into_iter()
        .map(|o| {
            (
                o.project.title.clone(),
                format!("/projets/{}", o.project.id),
                super::listing_page::contributor_state_words(&o.state),
            )
        })
        .collect();
    let reviews_waiting = label::assigned_to_me(ctx, visitor.actor())
        .await
        .map(|a| a.len())
        .unwrap_or(0);
    Ok(Dashboard {
        layout: visitor
            .menu(Layout::new(
                "Mon espace — Agora",
                "Vos structures, services et projets sur Agora.",
            ))
            .section("espace")
            .crumb("Mon espace", None),
        name: me.user.display_name,
        csrf: visitor.csrf().to_owned(),
        flash: flash(done),
        invitations,
        structures,
        reviews_waiting,
        my_offers,
        moderates: visitor.is_moderator(),
    })
}
