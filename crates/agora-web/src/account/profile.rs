//! `/compte`: who I am, my structures, a new password, everything Agora holds about me,
//! and erasure (the password asked again, and a box to tick).

use super::{Alert, FormPage};
use crate::WebState;
use crate::fields::{Choice, ChoiceGroup, Errors, Input};
use crate::form::FormData;
use crate::layout::Layout;
use crate::session::{self, Visitor, cleared_cookie};
use actix_web::http::{StatusCode, header};
use actix_web::web;
use actix_web::{HttpRequest, HttpResponse};
use agora_domain::PlatformRole;
use agora_service::ServiceError;
use agora_service::accounts::{self, PasswordChangeInput};
use agora_service::privacy::{self, EraseInput};
use agora_service::views::MeView;
use askama::Template;

#[derive(Template)]
#[template(path = "account/profile.html")]
pub struct ProfilePage {
    pub layout: Layout,
    pub me: MeView,
    pub role: Option<&'static str>,
    pub csrf: String,
    pub alert: Option<Alert>,
    pub name_input: Input,
    pub password_inputs: Vec<Input>,
    pub erase_password: Input,
    pub erase_confirm: ChoiceGroup,
}

fn role_words(role: PlatformRole) -> &'static str {
    match role {
        PlatformRole::Moderator => "modératrice ou modérateur",
        PlatformRole::Admin => "administratrice ou administrateur",
        PlatformRole::Committee => "membre du comité du label",
    }
}

async fn render(
    state: &WebState,
    visitor: &Visitor,
    status: StatusCode,
    alert: Option<Alert>,
    errors: &Errors,
    typed: &str,
) -> HttpResponse {
    let me = match accounts::me(&state.ctx, visitor.actor()).await {
        Ok(me) => me,
        Err(e) => return crate::error::from_service(e),
    };
    let shown_name = match errors.at("/display_name") {
        Some(_) => typed.to_owned(),
        None => me.user.display_name.clone(),
    };
    let page = ProfilePage {
        layout: visitor
            .menu(Layout::new("Mon compte — Agora", "Votre compte Agora."))
            .crumb("Mon compte", None),
        role: me.user.role.map(role_words),
        me,
        csrf: visitor.csrf().to_owned(),
        alert,
        name_input: Input::new("display_name", "Votre nom", "text")
            .hint("Tel que les autres membres de vos structures le voient.")
            .value(shown_name)
            .autocomplete("name")
            .max(100)
            .required()
            .error(errors.at("/display_name")),
        password_inputs: vec![
            Input::new("current_password", "Mot de passe actuel", "password")
                .autocomplete("current-password")
                .required()
                .error(errors.at("/current_password")),
            Input::new("new_password", "Nouveau mot de passe", "password")
                .hint("12 caractères au moins.")
                .autocomplete("new-password")
                .max(128)
                .required()
                .error(errors.at("/new_password")),
        ],
        erase_password: Input::new("erase_password", "Mot de passe", "password")
            .autocomplete("current-password")
            .required()
            .error(errors.at("/erase_password")),
        erase_confirm: ChoiceGroup {
            name: "confirm".into(),
            legend: "Confirmation".into(),
            groups: vec![(
                String::new(),
                vec![Choice {
                    value: "oui".into(),
                    label: "Je comprends que mon compte sera supprimé et que je ne pourrai pas revenir en arrière.".into(),
                    checked: false,
                }],
            )],
            error: errors.at("/confirm"),
            ..ChoiceGroup::default()
        },
    };
    session::page(status, &page)
}

pub async fn page(state: web::Data<WebState>, req: HttpRequest) -> HttpResponse {
    match session::signed_in(&state, &req).await {
        Ok(v) => {
            let renamed = session::done(&req).as_deref() == Some("nom");
            let alert = renamed.then(|| Alert::new("success", "Votre nom est changé", &[]));
            render(&state, &v, StatusCode::OK, alert, &Errors::default(), "").await
        }
        Err(response) => response,
    }
}

pub async fn export(state: web::Data<WebState>, req: HttpRequest) -> HttpResponse {
    let visitor = match session::signed_in(&state, &req).await {
        Ok(v) => v,
        Err(response) => return response,
    };
    match privacy::export(&state.ctx, visitor.actor()).await {
        Ok(data) => session::private(
            HttpResponse::Ok()
                .insert_header((
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"mes-donnees-agora.json\"",
                ))
                .json(data),
        ),
        Err(e) => crate::error::from_service(e),
    }
}

fn signed_out_with(title: &str, alert: Alert) -> HttpResponse {
    let mut page = FormPage::message(title, alert);
    page.after = vec![("/connexion".into(), "Me connecter".into())];
    let mut response = session::page(StatusCode::OK, &page);
    if response.add_cookie(&cleared_cookie()).is_err() {
        tracing::error!("the session cookie could not be cleared");
    }
    response
}

pub async fn change_password(
    state: web::Data<WebState>,
    req: HttpRequest,
    form: FormData,
) -> HttpResponse {
    let visitor = match session::posting(&state, &req, &form).await {
        Ok(v) => v,
        Err(response) => return response,
    };
    let input = PasswordChangeInput {
        current_password: form.raw("current_password"),
        new_password: form.raw("new_password"),
    };
    let client = (state.client_address)(&req);
    match accounts::change_password(&state.ctx, visitor.actor(), client, input).await {
        Ok(()) => signed_out_with(
            "Mot de passe changé",
            Alert::new(
                "success",
                "Votre mot de passe est changé",
                &[
                    "Toutes vos sessions sont terminées. Reconnectez-vous avec le nouveau mot de passe ; un message vous le confirme par mail.",
                ],
            ),
        ),
        Err(ServiceError::Validation(e) | ServiceError::Malformed(e)) => {
            render(
                &state,
                &visitor,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(Alert::new(
                    "error",
                    "Mot de passe non changé",
                    &["Corrigez les champs signalés."],
                )),
                &Errors::from_validation(&e),
                "",
            )
            .await
        }
        Err(e) => crate::error::from_service(e),
    }
}

pub async fn erase(state: web::Data<WebState>, req: HttpRequest, form: FormData) -> HttpResponse {
    let visitor = match session::posting(&state, &req, &form).await {
        Ok(v) => v,
        Err(response) => return response,
    };
    if form.text("confirm") != "oui" {
        let errors = Errors::single("/confirm", "Cochez la case pour confirmer la suppression.");
        return render(
            &state,
            &visitor,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            &errors,
            "",
        )
        .await;
    }
    let input = EraseInput {
        current_password: form.raw("erase_password"),
    };
    let client = (state.client_address)(&req);
    match privacy::erase(&state.ctx, visitor.actor(), client, input).await {
        Ok(()) => signed_out_with(
            "Compte supprimé",
            Alert::new("success", "Votre compte est supprimé", &["Merci d'avoir contribué à Agora."]),
        ),
        Err(ServiceError::Validation(e) | ServiceError::Malformed(e)) => {
            let errors = Errors(
                Errors::from_validation(&e)
                    .0
                    .into_iter()
                    .map(|(p, m)| (if p == "/current_password" { "/erase_password".into() } else { p }, m))
                    .collect(),
            );
            render(&state, &visitor, StatusCode::UNPROCESSABLE_ENTITY, None, &errors, "").await
        }
        Err(ServiceError::Conflict(_)) => render(
            &state,
            &visitor,
            StatusCode::CONFLICT,
            Some(Alert::new("error", "Suppression impossible pour l'instant", &["Vous êtes le seul responsable d'une structure qui a d'autres membres : confiez-la d'abord à l'un d'eux (page de la structure, « Membres »)."])),
            &Errors::default(),
            "",
        )
        .await,
        Err(e) => crate::error::from_service(e),
    }
}

pub async fn rename(state: web::Data<WebState>, req: HttpRequest, form: FormData) -> HttpResponse {
    let visitor = match session::posting(&state, &req, &form).await {
        Ok(v) => v,
        Err(response) => return response,
    };
    let name = form.raw("display_name");
    match accounts::rename(&state.ctx, visitor.actor(), name.clone()).await {
        Ok(_) => session::redirect("/compte?fait=nom"),
        Err(ServiceError::Validation(e) | ServiceError::Malformed(e)) => {
            render(
                &state,
                &visitor,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                &Errors::from_validation(&e),
                &name,
            )
            .await
        }
        Err(e) => crate::error::from_service(e),
    }
}
