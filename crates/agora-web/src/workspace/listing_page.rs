//! `/espace/{kind}/{id}`: one listing in the workspace: where it stands, what it says, and
//! what can be done with it; for a structure its services, projects and members; for a
//! project the help offers received and its news.

use super::dashboard::{Row, StructureBlock, flash, row, structure_block};
use super::{kind_of, role_label};
use crate::WebState;
use crate::changes::{pointer_words, value_words};
use crate::fields::{Choice, ChoiceGroup, Errors, Input};
use crate::form::FormData;
use crate::layout::Layout;
use crate::session::{self, Visitor};
use actix_web::http::StatusCode;
use actix_web::web;
use actix_web::{HttpRequest, HttpResponse};
use agora_domain::help::OfferState;
use agora_domain::{ListingKind, ListingStatus, MemberRole};
use agora_service::help::OfferView;
use agora_service::invitations::InvitationView;
use agora_service::views::MemberView;
use agora_service::{Result, help, invitations, members, registry};
use askama::Template;
use uuid::Uuid;

#[derive(Template)]
#[template(path = "workspace/listing.html")]
pub struct ListingPage {
    pub layout: Layout,
    pub csrf: String,
    pub flash: Option<String>,
    pub r: Row,
    pub facts: Vec<(String, String)>,
    pub block: Option<StructureBlock>,
    pub members: Vec<MemberView>,
    /// The signed-in person (who may leave), and whether they may remove others.
    pub me: Option<Uuid>,
    pub owner: bool,
    pub invitations: Vec<InvitationView>,
    pub invite_inputs: Vec<String>,
    pub offers: Vec<OfferView>,
    pub label: Option<super::label::LabelSection>,
    pub news_inputs: Option<String>,
    pub story_inputs: Option<String>,
    /// A published service's evaluations: figures, private comments, the public answer.
    pub evaluations: Option<crate::evaluation::WorkspaceSection>,
}

impl ListingPage {
    pub fn is_me(&self, id: &Uuid) -> bool {
        self.me.as_ref() == Some(id)
    }

    /// Whether this person may remove `m` (or leave, for themselves): a structure keeps
    /// at least one owner, so its last owner has no button.
    pub fn removable(&self, m: &MemberView) -> bool {
        let owners = self
            .members
            .iter()
            .filter(|x| x.role == MemberRole::Owner)
            .count();
        let keeps_an_owner = m.role != MemberRole::Owner || owners > 1;
        (self.owner || self.is_me(&m.user_id)) && keeps_an_owner
    }

    /// The label form starts folded until there is something in it.
    pub fn label_open(&self) -> bool {
        self.label.as_ref().is_some_and(|l| l.open)
    }
}

/// Where an offer stands, as its author reads it.
pub fn contributor_state_words(s: &OfferState) -> &'static str {
    match s {
        OfferState::Submitted => "relue par l'équipe d'Agora",
        OfferState::Forwarded => "transmise au projet, qui va vous répondre",
        OfferState::Declined => "non transmise (le motif vous a été envoyé par mail)",
        OfferState::Refused => "déclinée par le projet",
        OfferState::Connected => "acceptée : vous êtes en contact",
        OfferState::Closed => "terminée",
        OfferState::Expired => "restée sans réponse",
    }
}

pub fn offer_state_words(s: &OfferState) -> &'static str {
    match s {
        OfferState::Submitted => "en relecture par la modération",
        OfferState::Forwarded => "à vous de répondre",
        OfferState::Declined => "arrêtée par la modération",
        OfferState::Refused => "refusée",
        OfferState::Connected => "acceptée : vous êtes en contact",
        OfferState::Closed => "terminée",
        OfferState::Expired => "sans réponse à temps",
    }
}

pub async fn page(
    state: web::Data<WebState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> HttpResponse {
    let (Some(kind), Ok(id)) = (kind_of(&path.0), Uuid::parse_str(&path.1)) else {
        return crate::error::not_found_page(&req);
    };
    let visitor = match session::signed_in(&state, &req).await {
        Ok(v) => v,
        Err(response) => return response,
    };
    render(
        &state,
        &visitor,
        kind,
        id,
        session::done(&req).as_deref(),
        None,
    )
    .await
}

/// The page, possibly with a form of it (`invitation`, `nouvelle`, `reussite`) shown again
/// with its errors.
pub async fn render(
    state: &WebState,
    visitor: &Visitor,
    kind: ListingKind,
    id: Uuid,
    done: Option<&str>,
    failed: Option<(&str, &FormData, &Errors)>,
) -> HttpResponse {
    match build(state, visitor, kind, id, done, failed).await {
        Ok(page) => {
            let status = if failed.is_some() {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                StatusCode::OK
            };
            session::page(status, &page)
        }
        Err(e) => crate::error::from_service(e),
    }
}

async fn build(
    state: &WebState,
    visitor: &Visitor,
    kind: ListingKind,
    id: Uuid,
    done: Option<&str>,
    failed: Option<(&str, &FormData, &Errors)>,
) -> Result<ListingPage> {
    let ctx = &state.ctx;
    let (view, _) = registry::get_for_edit(ctx, visitor.actor(), kind, id).await?;
    let r = row(state, &view);
    let content = view.content.to_json();
    let facts = content
        .as_object()
        .map(|m| {
            m.iter()
                .filter(|(k, _)| k.as_str() != "visibility")
                .map(|(k, v)| {
                    let pointer = format!("/{k}");
                    (
                        pointer_words(&pointer),
                        value_words(&ctx.vocab, &pointer, Some(v)),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let form_of = |which: &str| {
        failed
            .filter(|(w, _, _)| *w == which)
            .map(|(_, f, e)| (f.clone(), e.clone()))
    };
    let mut page = ListingPage {
        layout: visitor
            .menu(Layout::new(
                format!("{} — Mon espace — Agora", r.name),
                r.name.clone(),
            ))
            .section("espace")
            .crumb("Mon espace", Some("/espace".into()))
            .crumb(r.name.clone(), None),
        csrf: visitor.csrf().to_owned(),
        flash: flash(done),
        r,
        facts,
        block: None,
        members: Vec::new(),
        me: visitor.actor().user().map(|u| u.id),
        owner: false,
        invitations: Vec::new(),
        invite_inputs: Vec::new(),
        offers: Vec::new(),
        label: None,
        news_inputs: None,
        story_inputs: None,
        evaluations: None,
    };
    match kind {
        ListingKind::Structure => {
            page.block = Some(structure_block(state, visitor, id, "").await?);
            page.members = members::list(ctx, visitor.actor(), id).await?;
            let label_form = failed
                .filter(|(w, _, _)| *w == "label")
                .map(|(_, f, e)| (f, e));

            let me = visitor.actor().user().map(|u| u.id);
            let owner = visitor.is_moderator()
                || page
                    .members
                    .iter()
                    .any(|m| Some(m.user_id) == me && m.role == MemberRole::Owner);
            page.owner = owner;
            page.label =
                Some(super::label::section(ctx, visitor.actor(), id, label_form, owner).await?);
            // Only owners invite; editors see the members, not the form.
            if owner && let Ok(pending) = invitations::of_structure(ctx, visitor.actor(), id).await
            {
                page.invitations = pending;
                let (values, errors) = form_of("invitation").unwrap_or_default();
                page.invite_inputs = vec![
                    Input::new("email", "Adresse e-mail de la personne", "email")
                        .value(values.text("email"))
                        .error(errors.at("/email"))
                        .render_html(),
                    ChoiceGroup {
                        name: "role".into(),
                        legend: "Son rôle".into(),
                        groups: vec![(
                            String::new(),
                            vec![
                                Choice {
                                    value: "editor".into(),
                                    label: "Rédaction : écrit et confirme les fiches".into(),
                                    checked: values.text("role") != "owner",
                                },
                                Choice {
                                    value: "owner".into(),
                                    label:
                                        "Responsable : peut aussi inviter et retirer des membres"
                                            .into(),
                                    checked: values.text("role") == "owner",
                                },
                            ],
                        )],
                        radio: true,
                        error: errors.at("/role"),
                        ..ChoiceGroup::default()
                    }
                    .render_html(),
                ];
            }
        }
        ListingKind::Project => {
            page.offers = help::of_project(ctx, visitor.actor(), id).await?;
            if view.status.is_public() {
                let (values, errors) = form_of("nouvelle").unwrap_or_default();
                page.news_inputs = Some(
                    Input::new("body", "Où en est le projet ?", "textarea")
                        .hint("Quelques lignes, relues par la modération avant d'être publiées.")
                        .value(values.raw("body"))
                        .max(5000)
                        .error(errors.at("/body"))
                        .render_html(),
                );
            }
            if view.status == ListingStatus::Completed {
                let (values, errors) = form_of("reussite").unwrap_or_default();
                page.story_inputs = Some(
                    Input::new("body", "Racontez la réussite", "textarea")
                        .hint("Ce que la contribution a permis. Possible quand une aide trouvée par Agora a abouti.")
                        .value(values.raw("body"))
                        .max(5000)
                        .error(errors.at("/body"))
                        .render_html()
                        .replace("f-body", "f-story"),
                );
            }
        }
        ListingKind::Service => {
            page.evaluations =
                crate::evaluation::workspace_section(state, visitor, id, form_of("reponse"))
                    .await?;
        }
    }
    Ok(page)
}

pub fn member_role(m: &MemberView) -> &'static str {
    role_label(&m.role)
}
