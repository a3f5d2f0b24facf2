//! Who is using the browser. A signed-in browser holds one cookie (`HttpOnly`,
//! `SameSite=Lax`, `Secure` over HTTPS) naming a server-side session; every form that
//! changes something carries the session's anti-forgery token and must come from our own
//! pages (`Origin`/`Sec-Fetch-Site`), so another site cannot post in someone's name even
//! with the cookie. A form posted after the session ended is not lost: the sign-in page
//! keeps it and gives it back once the person is signed in again.

use crate::WebState;
use crate::error;
use crate::form::{CSRF_FIELD, FormData};
use crate::layout::{Layout, send};
use crate::report::same_origin;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse};
use agora_domain::PlatformRole;
use agora_service::Actor;
use agora_service::accounts::{BrowserSession, resume_browser_session};
use askama::Template;
use sha2::{Digest, Sha256};

pub const COOKIE: &str = "agora_session";

/// A signed-in person, as the pages need them.
pub struct Visitor {
    pub session: BrowserSession,
}

impl Visitor {
    pub fn actor(&self) -> &Actor {
        &self.session.actor
    }

    pub fn csrf(&self) -> &str {
        &self.session.csrf_token
    }

    pub fn is_moderator(&self) -> bool {
        self.session.actor.is_moderator()
    }

    /// Puts the person's menu in a page's header.
    pub fn menu(&self, layout: Layout) -> Layout {
        layout.signed_in(
            self.session.display_name.clone(),
            self.session.role.is_some_and(PlatformRole::moderates),
        )
    }
}

/// The browser's session, if it has a live one.
pub async fn visitor(state: &WebState, req: &HttpRequest) -> Result<Option<Visitor>, HttpResponse> {
    let Some(cookie) = req.cookie(COOKIE) else {
        return Ok(None);
    };
    match resume_browser_session(&state.ctx, cookie.value()).await {
        Ok(session) => Ok(session.map(|session| Visitor { session })),
        Err(e) => Err(error::from_service(e)),
    }
}

/// The signed-in person, or the way to the sign-in page (which brings them back here).
pub async fn signed_in(state: &WebState, req: &HttpRequest) -> Result<Visitor, HttpResponse> {
    match visitor(state, req).await? {
        Some(v) => Ok(v),
        None => Err(to_sign_in(req)),
    }
}

/// A page only moderators may open: others are told it is not for them.
pub async fn moderator(state: &WebState, req: &HttpRequest) -> Result<Visitor, HttpResponse> {
    let v = signed_in(state, req).await?;
    if v.is_moderator() {
        Ok(v)
    } else {
        Err(forbidden())
    }
}

pub fn forbidden() -> HttpResponse {
    error::page(
        StatusCode::FORBIDDEN,
        "Accès réservé",
        vec!["Cette page est réservée à d'autres personnes que vous. Si vous pensez que c'est une erreur, écrivez à l'équipe de modération.".into()],
    )
}

fn to_sign_in(req: &HttpRequest) -> HttpResponse {
    let back = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "/espace".into());
    redirect(&format!(
        "/connexion?retour={}",
        form_urlencoded::byte_serialize(back.as_bytes()).collect::<String>()
    ))
}

/// "See other": where a form's answer sends the browser.
pub fn redirect(to: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, to.to_owned()))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .finish()
}

/// Only paths of this site are followed after signing in (never `//elsewhere`).
pub fn safe_return(to: &str) -> Option<String> {
    // Browsers drop tabs and line breaks from addresses and read `\` as `/`: a path with
    // any of them could become `//elsewhere`.
    let clean = to
        .chars()
        .all(|c| !c.is_control() && !c.is_whitespace() && c != '\\');
    let ok = clean && to.starts_with('/') && !to.starts_with("//") && to.len() <= 2048;
    ok.then(|| to.to_owned())
}

/// Forms that can be given back after a new sign-in: they are shown again to be checked,
/// never acted on, so only these are kept through the sign-in page.
pub fn resumable(path: &str) -> bool {
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    matches!(
        parts.as_slice(),
        ["espace", "structures", "nouvelle"]
            | ["espace", "structures", _, "services" | "projets", "nouveau"]
            | [
                "espace",
                "structures" | "services" | "projets",
                _,
                "modifier"
            ]
            | ["projets", _, "aider"]
            | ["services", _, "avis"]
    )
}

/// Checks a posted form that changes something: from our own pages, with the session's
/// token. Compared by digest so the comparison takes the same time whatever the guess.
pub fn form_allowed(req: &HttpRequest, visitor: &Visitor, form: &FormData) -> bool {
    let sent = Sha256::digest(form.text(CSRF_FIELD).as_bytes());
    let expected = Sha256::digest(visitor.csrf().as_bytes());
    same_origin(req) && sent == expected
}

pub fn refused_form() -> HttpResponse {
    error::page(
        StatusCode::FORBIDDEN,
        "Formulaire refusé",
        vec![
            "Ce formulaire ne vient pas d'une page d'Agora ouverte dans ce navigateur, ou il a été ouvert avant votre dernière connexion.".into(),
            "Rouvrez la page depuis Agora et recommencez : rien n'a été enregistré.".into(),
        ],
    )
}

/// The signed-in person posting a form, its origin and token checked. When the session has
/// ended, the sign-in page is shown with the form kept, to be sent back afterwards.
pub async fn posting(
    state: &WebState,
    req: &HttpRequest,
    form: &FormData,
) -> Result<Visitor, HttpResponse> {
    match visitor(state, req).await? {
        // A form given back after a new sign-in is only ever shown by the forms that can
        // be resumed; any other carrying the mark is refused rather than acted on.
        Some(_) if form.has(crate::account::sign_in::RESUMED) && !resumable(req.path()) => {
            Err(refused_form())
        }
        Some(v) if form_allowed(req, &v, form) => Ok(v),
        Some(_) => Err(refused_form()),
        None if !same_origin(req) => Err(refused_form()),
        None => Err(crate::account::sign_in::expired(req, form)),
    }
}

/// Like [`posting`], for a form about the thing `id` names: an id that is not one is a
/// missing page, before anything else.
pub async fn posting_about(
    state: &WebState,
    req: &HttpRequest,
    form: &FormData,
    id: &str,
) -> Result<(Visitor, uuid::Uuid), HttpResponse> {
    let Ok(id) = uuid::Uuid::parse_str(id) else {
        return Err(error::not_found_page(req));
    };
    Ok((posting(state, req, form).await?, id))
}

/// What the last action did, as the redirection after it says (`?fait=…`).
pub fn done(req: &HttpRequest) -> Option<String> {
    form_urlencoded::parse(req.query_string().as_bytes())
        .find(|(k, _)| k == "fait")
        .map(|(_, v)| v.into_owned())
}

/// "accepter" or "refuser", as the answer buttons' addresses say.
pub fn accepts(word: &str) -> Option<bool> {
    match word {
        "accepter" => Some(true),
        "refuser" => Some(false),
        _ => None,
    }
}

/// The cookie of a new session: `Secure` when the request came over HTTPS or the
/// deployment's public address is HTTPS (a proxy may not say which scheme it served).
pub fn session_cookie(state: &WebState, req: &HttpRequest, value: String) -> Cookie<'static> {
    let mail = &state.ctx.settings.mail;
    let public_https = mail
        .site_url
        .as_deref()
        .unwrap_or(&mail.base_url)
        .starts_with("https://");
    Cookie::build(COOKIE, value)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(public_https || req.connection_info().scheme() == "https")
        .finish()
}

/// Tells the browser to forget its session.
pub fn cleared_cookie() -> Cookie<'static> {
    let mut c = Cookie::build(COOKIE, "")
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .finish();
    c.make_removal();
    c
}

/// A page answered to a signed-in person: never kept by a shared cache.
pub fn private(mut response: HttpResponse) -> HttpResponse {
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    response
}

/// Sends a signed-in page.
pub fn page(status: StatusCode, page: &impl Template) -> HttpResponse {
    private(send(status, page))
}
