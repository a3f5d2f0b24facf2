//! `/inscription` and `/mot-de-passe-oublie`: both answer the same whatever the address
//! (a mail goes to it, saying what applies), so neither tells who has an account.

use super::{Alert, FormPage};
use crate::WebState;
use crate::fields::{Errors, Input};
use crate::form::FormData;
use crate::report::same_origin;
use crate::session::{self, refused_form};
use actix_web::http::StatusCode;
use actix_web::web;
use actix_web::{HttpRequest, HttpResponse};
use agora_service::ServiceError;
use agora_service::accounts::{self, RegisterInput, ResetRequest};

fn register_page(form: &FormData, errors: &Errors) -> FormPage {
    let mut page = FormPage::new("Créer un compte", "/inscription", "Créer mon compte");
    page.intro = vec![
        "Un compte sert à tenir les fiches de votre structure (association, établissement, collectivité…) ou à proposer votre aide à un projet. Un lien de confirmation part à votre adresse : le compte s'ouvre quand vous le suivez.".into(),
    ];
    page.inputs = vec![
        Input::new("display_name", "Votre nom", "text")
            .hint("Tel qu'il apparaîtra aux autres membres de votre structure.")
            .value(form.text("display_name"))
            .autocomplete("name")
            .max(100)
            .required()
            .error(errors.at("/display_name")),
        Input::new("email", "Adresse e-mail", "email")
            .value(form.text("email"))
            .autocomplete("email")
            .required()
            .error(errors.at("/email")),
        Input::new("password", "Mot de passe", "password")
            .hint("12 caractères au moins. Une phrase facile à retenir fait un bon mot de passe.")
            .autocomplete("new-password")
            .max(128)
            .required()
            .error(errors.at("/password")),
    ];
    page.after = vec![(
        "/connexion".into(),
        "J'ai déjà un compte : me connecter".into(),
    )];
    page
}

pub async fn register_form() -> HttpResponse {
    session::page(
        StatusCode::OK,
        &register_page(&FormData::default(), &Errors::default()),
    )
}

pub async fn register(
    state: web::Data<WebState>,
    req: HttpRequest,
    form: FormData,
) -> HttpResponse {
    if !same_origin(&req) {
        return refused_form();
    }
    let input = RegisterInput {
        email: form.text("email"),
        password: form.raw("password"),
        display_name: form.text("display_name"),
    };
    let client = (state.client_address)(&req);
    match accounts::register(&state.ctx, client, input).await {
        Ok(receipt) => {
            let mut page = FormPage::message(
                "Vérifiez votre boîte mail",
                Alert {
                    kind: "success",
                    title: "Un message vient de partir".into(),
                    text: vec![
                        format!("Nous avons écrit à {}. Suivez le lien du message pour ouvrir votre compte.", receipt.email),
                        "Rien reçu au bout de quelques minutes ? Regardez dans les indésirables, ou inscrivez-vous à nouveau.".into(),
                    ],
                },
            );
            page.after = vec![("/connexion".into(), "Me connecter".into())];
            session::page(StatusCode::OK, &page)
        }
        Err(ServiceError::Validation(e) | ServiceError::Malformed(e)) => {
            let mut page = register_page(&form, &Errors::from_validation(&e));
            page.alert = Some(Alert::new(
                "error",
                "Le formulaire contient des erreurs",
                &["Corrigez les champs signalés ci-dessous."],
            ));
            session::page(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => crate::error::from_service(e),
    }
}

fn forgot_page(email: &str, error: Option<String>) -> FormPage {
    let mut page = FormPage::new(
        "Mot de passe oublié",
        "/mot-de-passe-oublie",
        "Recevoir un lien",
    );
    page.intro = vec!["Donnez l'adresse de votre compte : un lien pour choisir un nouveau mot de passe y sera envoyé. Il sert une fois et pendant une heure.".into()];
    page.inputs = vec![
        Input::new("email", "Adresse e-mail", "email")
            .value(email)
            .autocomplete("email")
            .required()
            .error(error),
    ];
    page
}

pub async fn forgot_form() -> HttpResponse {
    session::page(StatusCode::OK, &forgot_page("", None))
}

pub async fn forgot(state: web::Data<WebState>, req: HttpRequest, form: FormData) -> HttpResponse {
    if !same_origin(&req) {
        return refused_form();
    }
    let email = form.text("email");
    let client = (state.client_address)(&req);
    match accounts::request_password_reset(
        &state.ctx,
        client,
        ResetRequest {
            email: email.clone(),
        },
    )
    .await
    {
        Ok(_) => session::page(
            StatusCode::OK,
            &FormPage::message(
                "Vérifiez votre boîte mail",
                Alert {
                    kind: "success",
                    title: "Demande enregistrée".into(),
                    text: vec![format!(
                        "Si {email} est l'adresse d'un compte Agora, un lien pour choisir un nouveau mot de passe vient d'y partir."
                    )],
                },
            ),
        ),
        Err(ServiceError::Validation(e) | ServiceError::Malformed(e)) => session::page(
            StatusCode::UNPROCESSABLE_ENTITY,
            &forgot_page(&email, Errors::from_validation(&e).at("/email")),
        ),
        Err(e) => crate::error::from_service(e),
    }
}
