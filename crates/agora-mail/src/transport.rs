//! Where mail goes: an SMTP relay in production, or `.eml` files in a directory (the
//! default), so a newcomer can read what would have been sent.

use crate::compose::Rendered;
use crate::{MailError, header};
pub use lettre::message::Mailbox;
use lettre::message::MultiPart;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{
    Address, AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
};
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::time::Duration;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tls {
    /// Plain SMTP (a relay on the same host or network only).
    None,
    /// STARTTLS, required (usually port 587).
    StartTls,
    /// TLS from the first byte (usually port 465).
    Tls,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub tls: Tls,
    pub username: Option<String>,
    pub password: Option<String>,
    pub timeout_secs: u64,
}

impl Default for SmtpSettings {
    fn default() -> Self {
        Self {
            host: "localhost".into(),
            port: 587,
            tls: Tls::StartTls,
            username: None,
            password: None,
            timeout_secs: 30,
        }
    }
}

/// Why a mail was not sent. A transient failure (server unreachable, 4xx) is retried;
/// a permanent one (5xx: unknown mailbox, refused) is not.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    #[error("temporary failure: {0}")]
    Transient(String),
    #[error("permanent failure: {0}")]
    Permanent(String),
}

#[derive(Clone)]
pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(AsyncFileTransport<Tokio1Executor>),
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Smtp(_) => "Transport::Smtp",
            Self::Files(_) => "Transport::Files",
        })
    }
}

/// A recipient: an address, and a name shown beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub address: String,
    pub name: Option<String>,
}

impl Transport {
    pub fn smtp(s: &SmtpSettings) -> Result<Self, MailError> {
        let builder = match s.tls {
            Tls::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&s.host),
            Tls::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&s.host)
                .map_err(|e| MailError::Settings(e.to_string()))?,
            Tls::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&s.host)
                .map_err(|e| MailError::Settings(e.to_string()))?,
        };
        let mut builder = builder
            .port(s.port)
            .timeout(Some(Duration::from_secs(s.timeout_secs.max(1))));
        if let (Some(user), Some(password)) = (&s.username, &s.password) {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        Ok(Self::Smtp(builder.build()))
    }

    /// Whether the relay answers: connects, greets (and starts TLS as configured), then
    /// quits. The file transport always answers. Used by the configuration check.
    pub async fn test_connection(&self) -> Result<(), String> {
        match self {
            Self::Smtp(t) => match t.test_connection().await {
                Ok(true) => Ok(()),
                Ok(false) => Err("the server did not accept a connection".into()),
                Err(e) => Err(e.to_string()),
            },
            Self::Files(_) => Ok(()),
        }
    }

    /// Writes each mail as `<id>.eml` in `dir` (created if missing).
    pub fn files(dir: &Path) -> Result<Self, MailError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| MailError::Settings(format!("{}: {e}", dir.display())))?;
        Ok(Self::Files(AsyncFileTransport::<Tokio1Executor>::new(dir)))
    }

    pub async fn send(
        &self,
        id: Uuid,
        from: &str,
        to: &Recipient,
        mail: &Rendered,
    ) -> Result<(), SendError> {
        let message = build(id, from, to, mail).map_err(|e| SendError::Permanent(e.to_string()))?;
        match self {
            Self::Smtp(t) => t.send(message).await.map(drop).map_err(|e| {
                if e.is_permanent() {
                    SendError::Permanent(e.to_string())
                } else {
                    SendError::Transient(e.to_string())
                }
            }),
            Self::Files(t) => t
                .send(message)
                .await
                .map(drop)
                .map_err(|e| SendError::Transient(e.to_string())),
        }
    }
}

/// The message as it goes on the wire: one recipient, plain text and HTML alternatives,
/// every user-written header value on one line.
pub fn build(id: Uuid, from: &str, to: &Recipient, mail: &Rendered) -> Result<Message, MailError> {
    let from: Mailbox = from
        .parse()
        .map_err(|_| MailError::Address(from.to_owned()))?;
    let address: Address = to
        .address
        .parse()
        .map_err(|_| MailError::Address(to.address.clone()))?;
    let name = to
        .name
        .as_deref()
        .map(|n| header::one_line(n, 80))
        .filter(|n| !n.is_empty());
    let domain = from.email.domain().to_owned();
    Message::builder()
        .message_id(Some(format!("<{}@{domain}>", id.simple())))
        .from(from)
        .to(Mailbox::new(name, address))
        .subject(header::one_line(&mail.subject, 180))
        .multipart(MultiPart::alternative_plain_html(
            mail.text.clone(),
            mail.html.clone(),
        ))
        .map_err(|e| MailError::Render(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered(subject: &str) -> Rendered {
        Rendered {
            subject: subject.into(),
            text: "Bonjour".into(),
            html: "<p>Bonjour</p>".into(),
        }
    }

    #[test]
    fn injected_headers_stay_inside_their_value() {
        let to = Recipient {
            address: "camille@example.org".into(),
            name: Some("Camille\r\nBcc: evil@example.com".into()),
        };
        let m = build(
            Uuid::now_v7(),
            "Agora <ne-pas-repondre@agora.example.org>",
            &to,
            &rendered("Sujet\r\nBcc: evil@example.com"),
        )
        .unwrap();
        let envelope = m.envelope();
        assert_eq!(
            envelope
                .to()
                .iter()
                .map(|a| a.to_string())
                .collect::<Vec<_>>(),
            vec!["camille@example.org"]
        );
        let raw = String::from_utf8_lossy(&m.formatted()).to_string();
        assert!(
            !raw.lines()
                .any(|l| l.to_ascii_lowercase().starts_with("bcc:")),
            "{raw}"
        );
    }

    #[test]
    fn a_bad_address_is_refused() {
        let to = Recipient {
            address: "not an address\r\nBcc: x@y.z".into(),
            name: None,
        };
        assert!(build(Uuid::now_v7(), "a@b.c", &to, &rendered("s")).is_err());
    }

    #[tokio::test]
    async fn files_are_readable_mail() {
        let dir = tempfile::tempdir().unwrap();
        let t = Transport::files(dir.path()).unwrap();
        let to = Recipient {
            address: "camille@example.org".into(),
            name: Some("Camille".into()),
        };
        t.send(Uuid::now_v7(), "a@b.org", &to, &rendered("Réunion"))
            .await
            .unwrap();
        let files: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(files.len(), 1);
        let eml = std::fs::read_to_string(files[0].as_ref().unwrap().path()).unwrap();
        assert!(eml.contains("camille@example.org"));
    }
}
