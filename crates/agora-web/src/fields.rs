//! The pieces of the workspace's forms: text inputs and groups of boxes, each with its
//! error in French right beside it, and the service's field errors put in the reader's
//! words.

use agora_domain::ValidationErrors;
use askama::Template;

/// One input (or text area) of a form.
#[derive(Debug, Clone, Default)]
pub struct Input {
    pub name: String,
    pub label: String,
    pub hint: String,
    pub value: String,
    pub error: Option<String>,
    /// `text`, `email`, `password`, `tel`, `url`, `number` or `textarea`.
    pub kind: &'static str,
    pub autocomplete: &'static str,
    pub required: bool,
    pub max: usize,
}

impl Input {
    pub fn new(name: &str, label: &str, kind: &'static str) -> Self {
        Self {
            name: name.to_owned(),
            label: label.to_owned(),
            kind,
            autocomplete: "off",
            ..Self::default()
        }
    }

    pub fn hint(mut self, hint: &str) -> Self {
        self.hint = hint.to_owned();
        self
    }

    pub fn value(mut self, value: impl Into<String>) -> Self {
        self.value = value.into();
        self
    }

    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }

    pub fn max(mut self, max: usize) -> Self {
        self.max = max;
        self
    }

    pub fn autocomplete(mut self, a: &'static str) -> Self {
        self.autocomplete = a;
        self
    }

    pub fn error(mut self, error: Option<String>) -> Self {
        self.error = error;
        self
    }

    pub fn id(&self) -> String {
        format!("f-{}", self.name.replace(['.', '_'], "-"))
    }

    pub fn render_html(&self) -> String {
        InputHtml { i: self }.render().unwrap_or_default()
    }
}

#[derive(Template)]
#[template(path = "fields/input.html")]
struct InputHtml<'a> {
    i: &'a Input,
}

/// One box of a group.
#[derive(Debug, Clone)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

/// Boxes (or radio buttons) under one legend, possibly in sub-groups (theme families).
#[derive(Debug, Clone, Default)]
pub struct ChoiceGroup {
    pub name: String,
    pub legend: String,
    pub hint: String,
    pub groups: Vec<(String, Vec<Choice>)>,
    pub error: Option<String>,
    pub radio: bool,
}

impl ChoiceGroup {
    pub fn id(&self) -> String {
        format!("g-{}", self.name.replace(['.', '_'], "-"))
    }

    pub fn render_html(&self) -> String {
        GroupHtml { g: self }.render().unwrap_or_default()
    }
}

#[derive(Template)]
#[template(path = "fields/group.html")]
struct GroupHtml<'a> {
    g: &'a ChoiceGroup,
}

/// The service's field errors, by JSON pointer, in French.
#[derive(Debug, Clone, Default)]
pub struct Errors(pub Vec<(String, String)>);

impl Errors {
    pub fn from_validation(errors: &ValidationErrors) -> Self {
        Self(
            errors
                .0
                .iter()
                .map(|e| (e.pointer.clone(), in_french(&e.code, &e.detail)))
                .collect(),
        )
    }

    pub fn single(pointer: &str, message: &str) -> Self {
        Self(vec![(pointer.to_owned(), message.to_owned())])
    }

    /// The messages for `pointer` and anything under it, joined.
    pub fn at(&self, pointer: &str) -> Option<String> {
        let under = format!("{pointer}/");
        let found: Vec<&str> = self
            .0
            .iter()
            .filter(|(p, _)| p == pointer || p.starts_with(&under))
            .map(|(_, m)| m.as_str())
            .collect();
        (!found.is_empty()).then(|| found.join(" "))
    }

    /// Messages whose field is not on the form (shown at the top).
    pub fn elsewhere(&self, shown: &[&str]) -> Vec<String> {
        self.0
            .iter()
            .filter(|(p, _)| {
                !shown
                    .iter()
                    .any(|s| p == s || p.starts_with(&format!("{s}/")))
            })
            .map(|(_, m)| m.clone())
            .collect()
    }
}

fn number_in(detail: &str) -> String {
    detail.chars().filter(char::is_ascii_digit).collect()
}

/// A field error in the reader's words, from its stable code.
pub fn in_french(code: &str, detail: &str) -> String {
    let n = number_in(detail);
    match code {
        "required" => "Ce champ est à remplir.".into(),
        "too_long" => format!("Trop long : {n} caractères au plus."),
        "too_short" => format!("Trop court : {n} caractères au moins."),
        "too_many" => format!("Trop de choix : {n} au plus."),
        "control_characters" => "Contient des caractères invisibles : recopiez le texte.".into(),
        "invalid_email" => {
            "Écrivez une adresse e-mail complète, par exemple nom@exemple.fr.".into()
        }
        "invalid_phone" => {
            "Écrivez un numéro français à 10 chiffres, par exemple 03 81 00 00 00.".into()
        }
        "invalid_url" => "Écrivez une adresse web complète, commençant par https://.".into(),
        "invalid_postcode" => "Écrivez un code postal à 5 chiffres.".into(),
        "invalid_commune_code" => {
            "Choisissez la commune dans la liste (code INSEE à 5 caractères).".into()
        }
        "invalid_rna" => "Le numéro RNA commence par W suivi de 9 caractères.".into(),
        "invalid_siren" => "Le SIREN a 9 chiffres (vérifiez-le sur l'avis de situation).".into(),
        "invalid_siret" => "Le SIRET a 14 chiffres (vérifiez-le sur l'avis de situation).".into(),
        "siret_siren_mismatch" => "Le SIRET ne commence pas par le SIREN donné.".into(),
        "identifier_required" => "Donnez au moins un numéro : RNA, SIREN ou SIRET.".into(),
        "unknown_term" | "unknown_value" => {
            "Ce choix n'existe pas : choisissez dans la liste.".into()
        }
        "unknown_code" => "Ce lieu n'existe pas : vérifiez le code.".into(),
        "incomplete_point" | "out_of_range" => "Ces coordonnées ne conviennent pas.".into(),
        "weak_password" => {
            "Mot de passe trop faible : 12 caractères au moins, et pas votre adresse.".into()
        }
        "wrong_password" => "Ce n'est pas votre mot de passe actuel.".into(),
        "unbalanced" => {
            "Le comité ne peut pas être composé ainsi : il faut des membres de collèges différents."
                .into()
        }
        _ => format!("Valeur refusée ({detail})."),
    }
}

/// Text made safe to put in HTML by hand (the templates escape by themselves).
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}
