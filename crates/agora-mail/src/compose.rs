//! A message is described once (subject, greeting, blocks) and rendered to plain text and
//! to HTML by two templates, so the two versions never say different things. HTML
//! escaping is the template engine's.

use crate::MailError;
use askama::Template;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Block {
    Paragraph(String),
    /// A labelled value ("Motif : …").
    Fact {
        label: String,
        value: String,
    },
    /// Words someone else wrote (a moderator's reason, a report's details), set apart.
    Quote(String),
    /// A call to action.
    Link {
        label: String,
        url: String,
    },
}

/// A message ready to render: `kind` names it for the queue and the logs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Composed {
    pub kind: &'static str,
    pub subject: String,
    pub greeting: String,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// One block as the templates read it.
struct Item<'a> {
    kind: &'static str,
    label: &'a str,
    text: &'a str,
}

#[derive(Template)]
#[template(path = "message.txt")]
struct TextMail<'a> {
    greeting: &'a str,
    items: &'a [Item<'a>],
}

#[derive(Template)]
#[template(path = "message.html")]
struct HtmlMail<'a> {
    subject: &'a str,
    greeting: &'a str,
    items: &'a [Item<'a>],
}

impl Composed {
    pub fn render(&self) -> Result<Rendered, MailError> {
        let items: Vec<Item<'_>> = self
            .blocks
            .iter()
            .map(|b| match b {
                Block::Paragraph(t) => Item {
                    kind: "p",
                    label: "",
                    text: t,
                },
                Block::Fact { label, value } => Item {
                    kind: "fact",
                    label,
                    text: value,
                },
                Block::Quote(t) => Item {
                    kind: "quote",
                    label: "",
                    text: t,
                },
                Block::Link { label, url } => Item {
                    kind: "link",
                    label,
                    text: url,
                },
            })
            .collect();
        let subject = crate::header::one_line(&self.subject, 180);
        let text = TextMail {
            greeting: &self.greeting,
            items: &items,
        }
        .render()
        .map_err(|e| MailError::Render(e.to_string()))?;
        let html = HtmlMail {
            subject: &subject,
            greeting: &self.greeting,
            items: &items,
        }
        .render()
        .map_err(|e| MailError::Render(e.to_string()))?;
        Ok(Rendered {
            subject,
            text,
            html,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Composed {
        Composed {
            kind: "sample",
            subject: "Votre fiche <b>« Écoute »</b>".into(),
            greeting: "Bonjour,".into(),
            blocks: vec![
                Block::Paragraph("Un paragraphe avec <script>alert(1)</script>.".into()),
                Block::Fact {
                    label: "Motif".into(),
                    value: "Horaires erronés".into(),
                },
                Block::Quote("Les horaires ont changé & le lieu aussi.".into()),
                Block::Link {
                    label: "Confirmer".into(),
                    url: "https://agora.example.org/api/v1/refresh/confirm?token=a.b-c".into(),
                },
            ],
        }
    }

    #[test]
    fn text_and_html_say_the_same_things() {
        let r = sample().render().unwrap();
        for needle in [
            "Bonjour,",
            "Horaires erronés",
            "Confirmer",
            "https://agora.example.org/api/v1/refresh/confirm?token=a.b-c",
        ] {
            assert!(r.text.contains(needle), "text lacks {needle}: {}", r.text);
        }
        assert!(r.html.contains("Horaires erronés"));
        assert!(
            r.html
                .contains("href=\"https://agora.example.org/api/v1/refresh/confirm?token=a.b-c\"")
        );
        assert!(r.text.contains("<script>"), "plain text is not escaped");
    }

    #[test]
    fn html_escapes_what_users_wrote() {
        let r = sample().render().unwrap();
        assert!(!r.html.contains("<script>"));
        assert!(r.html.contains("&#60;script&#62;"), "{}", r.html);
        assert!(r.html.contains("le lieu aussi"));
        assert!(!r.html.contains("<b>"));
    }
}
