//! `/connexion` and `/deconnexion`. A form posted after the session ended comes here with
//! what was typed; once signed in again, the person gets it back in one click.

use super::{Alert, FormPage};
use crate::WebState;
use crate::fields::Input;
use crate::form::{CSRF_FIELD, FormData};
use crate::report::same_origin;
use crate::session::{self, cleared_cookie, redirect, refused_form, safe_return, session_cookie};
use actix_web::http::StatusCode;
use actix_web::web;
use actix_web::{HttpRequest, HttpResponse};
use agora_service::ServiceError;
use agora_service::accounts::{LoginInput, sign_in_browser, sign_out_browser};
use serde::Deserialize;

/// Where the kept form travels through the sign-in page.
const KEPT: &str = "_kept";
/// Marks a form sent back after a new sign-in: shown again, not saved.
pub const RESUMED: &str = "_reprise";

#[derive(Deserialize)]
pub struct Back {
    retour: Option<String>,
}

fn form_page(email: &str, back: &str, kept: &str) -> FormPage {
    let mut page = FormPage::new("Se connecter", "/connexion", "Se connecter");
    page.intro = vec![
        "L'espace d'Agora sert aux associations et structures qui tiennent leurs fiches, à l'équipe de modération de l'INCa et au comité du label.".into(),
    ];
    page.inputs = vec![
        Input::new("email", "Adresse e-mail", "email")
            .value(email)
            .autocomplete("username")
            .required(),
        Input::new("password", "Mot de passe", "password")
            .autocomplete("current-password")
            .required(),
    ];
    page.hidden = vec![("retour".into(), back.to_owned())];
    if !kept.is_empty() {
        page.hidden.push((KEPT.into(), kept.to_owned()));
    }
    page.after = vec![
        (
            "/mot-de-passe-oublie".into(),
            "Mot de passe oublié ?".into(),
        ),
        (
            "/inscription".into(),
            "Créer un compte pour votre structure".into(),
        ),
    ];
    page
}

pub async fn form(
    state: web::Data<WebState>,
    req: HttpRequest,
    query: web::Query<Back>,
) -> HttpResponse {
    let back = query
        .retour
        .as_deref()
        .and_then(safe_return)
        .unwrap_or_else(|| "/espace".into());
    if let Ok(Some(_)) = session::visitor(&state, &req).await {
        return redirect(&back);
    }
    session::page(StatusCode::OK, &form_page("", &back, ""))
}

/// The sign-in page for a form posted after its session ended, the form kept.
pub fn expired(req: &HttpRequest, form: &FormData) -> HttpResponse {
    if !session::resumable(req.path()) {
        // An action (a decision, an answer…) is not replayed after a new sign-in: the
        // person does it again, knowingly.
        let back = req
            .headers()
            .get(actix_web::http::header::REFERER)
            .and_then(|r| r.to_str().ok())
            .and_then(|r| r.split_once("://").map(|(_, rest)| rest))
            .and_then(|rest| rest.find('/').map(|i| rest[i..].to_owned()))
            .and_then(|p| safe_return(&p))
            .unwrap_or_else(|| "/espace".into());
        let mut page = form_page("", &back, "");
        page.alert = Some(Alert::new(
            "info",
            "Votre session a pris fin",
            &["Reconnectez-vous, puis recommencez : rien n'a été fait."],
        ));
        return session::page(StatusCode::UNAUTHORIZED, &page);
    }
    // Passwords are never written into a page.
    let kept: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(
            form.fields()
                .filter(|(k, _)| k != RESUMED && !k.contains("password")),
        )
        .finish();
    let mut page = form_page("", req.path(), &kept);
    page.alert = Some(Alert::new(
        "info",
        "Votre session a pris fin",
        &["Reconnectez-vous : ce que vous venez d'écrire est gardé, il vous sera rendu tel quel."],
    ));
    session::page(StatusCode::UNAUTHORIZED, &page)
}

pub async fn submit(state: web::Data<WebState>, req: HttpRequest, form: FormData) -> HttpResponse {
    if !same_origin(&req) {
        return refused_form();
    }
    let email = form.text("email");
    let back = safe_return(&form.text("retour")).unwrap_or_else(|| "/espace".into());
    let kept = if session::resumable(&back) {
        form.raw(KEPT)
    } else {
        String::new()
    };
    let input = LoginInput {
        email: email.clone(),
        password: form.raw("password"),
    };
    let client = (state.client_address)(&req);
    let (status, alert) = match sign_in_browser(&state.ctx, client, input).await {
        Ok((cookie, signed_in)) => {
            // Whatever session the browser held before (someone else's, or one planted by
            // another site) ends: the person gets a new one.
            if let Some(old) = req.cookie(session::COOKIE)
                && let Err(e) = sign_out_browser(&state.ctx, old.value()).await
            {
                tracing::warn!(error = %e, "an earlier browser session could not be ended");
            }
            let cookie = session_cookie(&state, &req, cookie);
            if kept.is_empty() {
                let mut response = redirect(&back);
                if response.add_cookie(&cookie).is_err() {
                    tracing::error!("the session cookie could not be set");
                }
                return response;
            }
            let mut page = FormPage::new(
                "Reprendre votre formulaire",
                &back,
                "Reprendre mon formulaire",
            );
            page.intro = vec!["Vous êtes de nouveau connecté·e. Votre formulaire vous attend tel que vous l'aviez écrit : rien n'est encore enregistré. Reprenez-le, vérifiez-le puis enregistrez.".into()];
            page.hidden = form_urlencoded::parse(kept.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
            page.hidden.push((CSRF_FIELD.into(), signed_in.csrf_token));
            page.hidden.push((RESUMED.into(), "1".into()));
            page.layout = page.layout.signed_in(signed_in.display_name, false);
            let mut response = session::page(StatusCode::OK, &page);
            if response.add_cookie(&cookie).is_err() {
                tracing::error!("the session cookie could not be set");
            }
            return response;
        }
        Err(ServiceError::Unauthenticated(_)) => (
            StatusCode::UNAUTHORIZED,
            Alert::new(
                "error",
                "Adresse e-mail ou mot de passe incorrect",
                &[
                    "Vérifiez l'un et l'autre. Après plusieurs essais manqués, il faut attendre un peu avant de réessayer.",
                ],
            ),
        ),
        Err(ServiceError::Forbidden(_)) => (
            StatusCode::FORBIDDEN,
            Alert::new(
                "warning",
                "Adresse pas encore vérifiée",
                &[
                    "Suivez le lien envoyé à votre adresse lors de l'inscription. Vous ne le trouvez plus ? Inscrivez-vous à nouveau : un nouveau lien part aussitôt.",
                ],
            ),
        ),
        Err(ServiceError::TooManyRequests { retry_after_secs }) => (
            StatusCode::TOO_MANY_REQUESTS,
            Alert {
                kind: "error",
                title: "Trop d'essais".into(),
                text: vec![format!(
                    "Par sécurité, attendez {} avant de réessayer.",
                    crate::format::wait_in_words(retry_after_secs)
                )],
            },
        ),
        Err(e) => return crate::error::from_service(e),
    };
    let mut page = form_page(&email, &back, &kept);
    page.alert = Some(alert);
    session::page(status, &page)
}

pub async fn sign_out_form(state: web::Data<WebState>, req: HttpRequest) -> HttpResponse {
    match session::visitor(&state, &req).await {
        Ok(Some(v)) => {
            let mut page = FormPage::new("Se déconnecter", "/deconnexion", "Me déconnecter");
            page.intro =
                vec!["Sur un ordinateur partagé, pensez à vous déconnecter en partant.".into()];
            page.hidden = vec![(CSRF_FIELD.into(), v.csrf().to_owned())];
            page.layout = v.menu(page.layout);
            session::page(StatusCode::OK, &page)
        }
        Ok(None) => signed_out_page(),
        Err(response) => response,
    }
}

fn signed_out_page() -> HttpResponse {
    let mut page = FormPage::message(
        "Vous êtes déconnecté·e",
        Alert::new(
            "success",
            "À bientôt",
            &["Votre session est terminée sur ce navigateur."],
        ),
    );
    page.after = vec![
        ("/connexion".into(), "Se connecter à nouveau".into()),
        ("/".into(), "Retour à l'accueil".into()),
    ];
    session::page(StatusCode::OK, &page)
}

pub async fn sign_out(
    state: web::Data<WebState>,
    req: HttpRequest,
    form: FormData,
) -> HttpResponse {
    let visitor = match session::visitor(&state, &req).await {
        Ok(Some(v)) => v,
        Ok(None) => {
            let mut response = signed_out_page();
            if response.add_cookie(&cleared_cookie()).is_err() {
                tracing::error!("the session cookie could not be cleared");
            }
            return response;
        }
        Err(response) => return response,
    };
    if !session::form_allowed(&req, &visitor, &form) {
        return refused_form();
    }
    if let Some(cookie) = req.cookie(session::COOKIE)
        && let Err(e) = sign_out_browser(&state.ctx, cookie.value()).await
    {
        return crate::error::from_service(e);
    }
    let mut response = signed_out_page();
    if response.add_cookie(&cleared_cookie()).is_err() {
        tracing::error!("the session cookie could not be cleared");
    }
    response
}
