//! A real SMTP server for the tests, in process: it speaks the protocol to lettre over
//! TCP, keeps every message it accepts (envelope and data), and can be taken down and
//! brought back on the same port to play an outage.

use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

#[derive(Debug, Clone)]
pub struct Received {
    pub mail_from: String,
    pub rcpt_to: Vec<String>,
    /// The message as sent (headers and MIME body).
    pub data: String,
}

impl Received {
    fn parsed(&self) -> mail_parser::Message<'_> {
        mail_parser::MessageParser::default()
            .parse(self.data.as_bytes())
            .expect("a parsable message")
    }

    pub fn subject(&self) -> String {
        self.parsed().subject().unwrap_or_default().to_owned()
    }

    pub fn message_id(&self) -> String {
        self.parsed().message_id().unwrap_or_default().to_owned()
    }

    /// The plain-text part, decoded.
    pub fn text(&self) -> String {
        self.parsed()
            .body_text(0)
            .map(|t| t.into_owned())
            .unwrap_or_default()
    }

    /// The HTML part, decoded.
    pub fn html(&self) -> String {
        self.parsed()
            .body_html(0)
            .map(|t| t.into_owned())
            .unwrap_or_default()
    }

    /// Header lines as sent (before any decoding).
    pub fn header_lines(&self) -> Vec<String> {
        let head = self.data.split("\r\n\r\n").next().unwrap_or_default();
        head.split("\r\n").map(str::to_owned).collect()
    }

    /// The token of the link to `path` (`refresh/confirm`, `auth/verify-email`, …) in the
    /// message, if any.
    pub fn token_of(&self, path: &str) -> Option<String> {
        let text = self.text();
        let marker = format!("{path}?token=");
        let start = text.find(&marker)? + marker.len();
        Some(
            text[start..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
                .collect(),
        )
    }

    /// The one-click confirmation token in the message, if any.
    pub fn confirm_token(&self) -> Option<String> {
        self.token_of("refresh/confirm")
    }

    /// Every web address in the message, text and HTML parts.
    pub fn links(&self) -> Vec<String> {
        let mut out = Vec::new();
        for body in [self.text(), self.html()] {
            let mut rest = body.as_str();
            while let Some(i) = rest.find("http") {
                let tail = &rest[i..];
                let end = tail
                    .find(|c: char| c.is_whitespace() || matches!(c, '"' | '<' | '>' | ')' | '\''))
                    .unwrap_or(tail.len());
                let url = tail[..end].replace("&amp;", "&");
                if url.starts_with("http://") || url.starts_with("https://") {
                    out.push(url);
                }
                rest = &tail[end.max(4)..];
            }
        }
        out.sort();
        out.dedup();
        out
    }
}

pub struct SmtpSink {
    pub port: u16,
    received: Arc<Mutex<Vec<Received>>>,
    server: Mutex<Option<tokio::task::JoinHandle<()>>>,
}

impl SmtpSink {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind SMTP");
        let port = listener.local_addr().expect("address").port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let server = tokio::spawn(serve(listener, received.clone()));
        Self {
            port,
            received,
            server: Mutex::new(Some(server)),
        }
    }

    /// Stops accepting connections: senders get "connection refused".
    pub fn stop(&self) {
        if let Some(s) = self.server.lock().unwrap().take() {
            s.abort();
        }
    }

    /// Listens again on the same port.
    pub async fn resume(&self) {
        let mut tries = 0;
        let listener = loop {
            match TcpListener::bind(("127.0.0.1", self.port)).await {
                Ok(l) => break l,
                Err(e) if tries < 50 => {
                    tries += 1;
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => panic!("cannot listen on {} again: {e}", self.port),
            }
        };
        *self.server.lock().unwrap() = Some(tokio::spawn(serve(listener, self.received.clone())));
    }

    pub fn all(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// Messages whose envelope names `address`.
    pub fn to(&self, address: &str) -> Vec<Received> {
        self.all()
            .into_iter()
            .filter(|m| m.rcpt_to.iter().any(|r| r == address))
            .collect()
    }

    /// Waits until `address` has received `n` messages whose subject contains `subject`,
    /// and returns them.
    pub async fn wait_for(&self, address: &str, subject: &str, n: usize) -> Vec<Received> {
        let started = std::time::Instant::now();
        loop {
            let got: Vec<Received> = self
                .to(address)
                .into_iter()
                .filter(|m| m.subject().contains(subject))
                .collect();
            if got.len() >= n {
                return got;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "{address} received {} of {n} messages about `{subject}`: {:?}",
                got.len(),
                self.to(address)
                    .iter()
                    .map(Received::subject)
                    .collect::<Vec<_>>()
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.stop();
    }
}

async fn serve(listener: TcpListener, received: Arc<Mutex<Vec<Received>>>) {
    let mut sessions = tokio::task::JoinSet::new();
    while let Ok((stream, _)) = listener.accept().await {
        sessions.spawn(session(stream, received.clone()));
    }
}

fn address(arg: &str) -> String {
    let start = arg.find('<').map_or(0, |i| i + 1);
    let end = arg.rfind('>').unwrap_or(arg.len());
    arg[start..end].to_owned()
}

async fn session(stream: TcpStream, received: Arc<Mutex<Vec<Received>>>) {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    if write.write_all(b"220 sink.test ESMTP\r\n").await.is_err() {
        return;
    }
    let mut from = String::new();
    let mut rcpt = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        match lines.read_line(&mut line).await {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let command = line.trim_end().to_owned();
        let upper = command.to_ascii_uppercase();
        let answer: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
            b"250-sink.test\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n"
        } else if upper.starts_with("MAIL FROM:") {
            from = address(&command[10..]);
            rcpt.clear();
            b"250 OK\r\n"
        } else if upper.starts_with("RCPT TO:") {
            rcpt.push(address(&command[8..]));
            b"250 OK\r\n"
        } else if upper == "DATA" {
            if write
                .write_all(b"354 end with <CRLF>.<CRLF>\r\n")
                .await
                .is_err()
            {
                return;
            }
            let mut data = String::new();
            loop {
                line.clear();
                match lines.read_line(&mut line).await {
                    Ok(0) | Err(_) => return,
                    Ok(_) => {}
                }
                if line == ".\r\n" {
                    break;
                }
                // Dot-stuffing (RFC 5321 4.5.2).
                let l = line.strip_prefix('.').unwrap_or(&line);
                data.push_str(l);
            }
            received.lock().unwrap().push(Received {
                mail_from: from.clone(),
                rcpt_to: std::mem::take(&mut rcpt),
                data,
            });
            b"250 OK queued\r\n"
        } else if upper == "QUIT" {
            let _ = write.write_all(b"221 bye\r\n").await;
            return;
        } else if upper == "RSET" || upper == "NOOP" {
            b"250 OK\r\n"
        } else {
            b"502 command not implemented\r\n"
        };
        if write.write_all(answer).await.is_err() {
            return;
        }
    }
}
