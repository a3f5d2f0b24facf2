//! Agora's mail: every message the product sends, written in French and rendered to plain
//! text and HTML from one description; composition that keeps user-written names out of
//! the headers' structure; and the transports (SMTP in production, `.eml` files by
//! default). The queue that makes delivery reliable lives in the database (agora-store)
//! and is driven by agora-service.

pub mod compose;
pub mod header;
pub mod messages;
pub mod transport;

pub use compose::{Block, Composed, Rendered};
pub use transport::{SendError, SmtpSettings, Tls, Transport};

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("cannot render the message: {0}")]
    Render(String),
    #[error("invalid address {0:?}")]
    Address(String),
    #[error("invalid mail settings: {0}")]
    Settings(String),
}
