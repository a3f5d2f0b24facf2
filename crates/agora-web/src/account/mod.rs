//! Accounts in the browser: signing in and out, registering, a forgotten password, and the
//! account page (profile, new password, personal data, erasure). The pages call the same
//! services as `/api/v1/auth/*` and `/api/v1/me`: the same throttling, the same answers
//! whether an address has an account or not.

pub mod profile;
pub mod register;
pub mod sign_in;

use crate::fields::Input;
use crate::layout::Layout;
use askama::Template;

pub struct Alert {
    /// `success`, `error`, `info` or `warning` (the design system's alert kinds).
    pub kind: &'static str,
    pub title: String,
    pub text: Vec<String>,
}

impl Alert {
    pub fn new(kind: &'static str, title: &str, text: &[&str]) -> Self {
        Self {
            kind,
            title: title.to_owned(),
            text: text.iter().map(|s| (*s).to_owned()).collect(),
        }
    }
}

/// A page made of one short form (or only a message, when `show_form` is false).
#[derive(Template)]
#[template(path = "form_page.html")]
pub struct FormPage {
    pub layout: Layout,
    pub heading: String,
    pub intro: Vec<String>,
    pub alert: Option<Alert>,
    pub show_form: bool,
    pub action: String,
    pub hidden: Vec<(String, String)>,
    pub inputs: Vec<Input>,
    pub submit: String,
    pub after: Vec<(String, String)>,
}

impl FormPage {
    pub fn new(title: &str, action: &str, submit: &str) -> Self {
        Self {
            layout: Layout::new(format!("{title} — Agora"), title.to_owned())
                .not_indexable()
                .crumb(title.to_owned(), None),
            heading: title.to_owned(),
            intro: Vec::new(),
            alert: None,
            show_form: true,
            action: action.to_owned(),
            hidden: Vec::new(),
            inputs: Vec::new(),
            submit: submit.to_owned(),
            after: Vec::new(),
        }
    }

    pub fn message(title: &str, alert: Alert) -> Self {
        Self {
            alert: Some(alert),
            show_form: false,
            ..Self::new(title, "", "")
        }
    }
}
