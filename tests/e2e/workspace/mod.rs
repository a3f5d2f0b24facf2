//! The workspace's pages over HTTP, on both databases, as a browser uses them: a cookie
//! from `/connexion`, forms posted with their anti-forgery token and the page's origin,
//! redirections not followed so that each answer can be checked. Flows of members,
//! moderators and the committee; sessions that end and forms that survive; authorisation
//! on every page and form for each role, with the visibility canaries.

mod access;
mod flows;
mod moderation;
mod sessions;

use crate::common::{PASSWORD, TestApp, User};
use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION, ORIGIN, SET_COOKIE};

/// One browser: its session cookie, and the anti-forgery token of its latest page.
pub struct Browser<'a> {
    app: &'a TestApp,
    client: reqwest::Client,
    pub cookie: Option<String>,
    pub csrf: String,
}

/// What a page answered.
pub struct Answer {
    pub status: StatusCode,
    pub body: String,
    pub location: Option<String>,
}

impl<'a> Browser<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        Self {
            app,
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            cookie: None,
            csrf: String::new(),
        }
    }

    /// Signs in through `/connexion` as `user` (whose password is the tests' one).
    pub async fn signed_in(app: &'a TestApp, user: &User) -> Self {
        let mut b = Self::new(app);
        let a = b.sign_in(&user.email, PASSWORD).await;
        assert_eq!(
            a.status,
            StatusCode::SEE_OTHER,
            "sign in {}: {}",
            user.email,
            a.body
        );
        assert!(b.cookie.is_some(), "a session cookie");
        b
    }

    pub async fn sign_in(&mut self, email: &str, password: &str) -> Answer {
        self.submit(
            "/connexion",
            &[
                ("email", email),
                ("password", password),
                ("retour", "/espace"),
            ],
        )
        .await
    }

    fn keep(&mut self, res: &reqwest::Response) {
        for v in res.headers().get_all(SET_COOKIE) {
            let v = v.to_str().unwrap_or_default();
            let pair = v.split(';').next().unwrap_or_default();
            if let Some(value) = pair.strip_prefix("agora_session=") {
                self.cookie = (!value.is_empty()).then(|| value.to_owned());
            }
        }
    }

    async fn answer(&mut self, res: reqwest::Response) -> Answer {
        self.keep(&res);
        let status = res.status();
        let location = res
            .headers()
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = res.text().await.unwrap();
        if let Some(token) = csrf_in(&body) {
            self.csrf = token;
        }
        assert!(!body.contains("panicked"), "no trace in a page");
        Answer {
            status,
            body,
            location,
        }
    }

    fn with_cookie(&self, rb: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match &self.cookie {
            Some(c) => rb.header(COOKIE, format!("agora_session={c}")),
            None => rb,
        }
    }

    pub async fn get(&mut self, path: &str) -> Answer {
        let rb = self.with_cookie(self.client.get(self.app.url(path)));
        let res = rb.send().await.unwrap();
        self.answer(res).await
    }

    /// Posts a form as our own page would: the page's origin and its token.
    pub async fn submit(&mut self, path: &str, fields: &[(&str, &str)]) -> Answer {
        let origin = self.app.url("").trim_end_matches('/').to_owned();
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        let token = self.csrf.clone();
        if !all.iter().any(|(k, _)| *k == "_csrf") {
            all.push(("_csrf", &token));
        }
        self.post_as(path, &all, Some(&origin)).await
    }

    /// Posts exactly `fields` with the given `Origin` (none when `None`).
    pub async fn post_as(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        origin: Option<&str>,
    ) -> Answer {
        let mut rb = self
            .with_cookie(self.client.post(self.app.url(path)))
            .form(fields);
        if let Some(o) = origin {
            rb = rb.header(ORIGIN, o);
        }
        let res = rb.send().await.unwrap();
        self.answer(res).await
    }
}

/// The anti-forgery token a page's forms carry.
pub fn csrf_in(body: &str) -> Option<String> {
    let (_, rest) = body.split_once("name=\"_csrf\" value=\"")?;
    Some(rest.split('"').next()?.to_owned())
}

/// The value a page's form shows in field `name` (an input's `value`, a text area's text).
pub fn field_value(body: &str, name: &str) -> Option<String> {
    let marker = format!(" name=\"{name}\"");
    for chunk in body.split('<').skip(1) {
        let tag = chunk.split('>').next().unwrap_or_default();
        if !tag.contains(&marker) {
            continue;
        }
        if tag.starts_with("textarea") {
            return Some(unescape(
                chunk.split_once('>').map(|(_, t)| t).unwrap_or_default(),
            ));
        }
        if tag.starts_with("input") {
            let value = tag
                .split_once(" value=\"")
                .map(|(_, v)| v.split('"').next().unwrap_or_default());
            return Some(unescape(value.unwrap_or_default()));
        }
    }
    None
}

pub fn unescape(s: &str) -> String {
    s.replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
        .replace("&#38;", "&")
}

/// The fields of a form exactly as a page shows them (inputs, checked boxes, text areas).
pub fn form_fields(body: &str, action: &str) -> Vec<(String, String)> {
    let start = body
        .find(&format!("action=\"{action}\""))
        .unwrap_or_else(|| panic!("a form posting to {action}"));
    let form = &body[start..];
    let form = &form[..form.find("</form>").unwrap_or(form.len())];
    let mut out = Vec::new();
    for chunk in form.split('<').skip(1) {
        let tag = chunk.split('>').next().unwrap_or_default();
        let attr = |name: &str| -> Option<String> {
            let (_, rest) = tag.split_once(&format!(" {name}=\""))?;
            Some(unescape(rest.split('"').next()?))
        };
        if tag.starts_with("input") {
            let (Some(name), kind) = (attr("name"), attr("type").unwrap_or_default()) else {
                continue;
            };
            if (kind == "checkbox" || kind == "radio") && !tag.contains(" checked") {
                continue;
            }
            out.push((name, attr("value").unwrap_or_default()));
        } else if tag.starts_with("textarea") {
            let Some(name) = attr("name") else { continue };
            let text = chunk.split_once('>').map(|(_, t)| t).unwrap_or_default();
            out.push((name, unescape(text)));
        }
    }
    out
}

/// Replaces (or adds) field `name` in a form's fields.
pub fn set(fields: &mut Vec<(String, String)>, name: &str, value: &str) {
    fields.retain(|(k, _)| k != name);
    fields.push((name.to_owned(), value.to_owned()));
}

pub fn pairs(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

/// What the database holds, but the mail queue, whose rows the dispatcher updates as it
/// sends the mails of earlier steps.
pub async fn stored(app: &TestApp) -> std::collections::BTreeMap<String, String> {
    let mut f = app.fingerprint().await;
    f.remove("mail_queue");
    f
}
