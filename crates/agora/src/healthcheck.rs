//! `agora healthcheck`: asks a running instance whether it is ready (`GET /ready`), for a
//! container's health check where no HTTP client is installed. Plain HTTP to this
//! machine only, so a few lines of HTTP/1.0 do.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::time::Duration;

const TIMEOUT: Duration = Duration::from_secs(3);

/// The address to ask when none is given: the bound port on loopback (an instance bound
/// to every interface answers there too).
pub fn default_url(bind: &str) -> String {
    let port = bind.rsplit_once(':').map_or("8080", |(_, p)| p);
    format!("http://127.0.0.1:{port}/ready")
}

/// Ok with the status line when the instance answers 2xx; Err with why not.
pub fn probe(url: &str) -> Result<String, String> {
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| format!("{url}: only http:// addresses are probed"))?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let address: SocketAddr = authority
        .to_socket_addrs()
        .map_err(|e| format!("{authority}: {e}"))?
        .next()
        .ok_or_else(|| format!("{authority}: no address"))?;
    let mut stream =
        TcpStream::connect_timeout(&address, TIMEOUT).map_err(|e| format!("{url}: {e}"))?;
    stream
        .set_read_timeout(Some(TIMEOUT))
        .and_then(|()| stream.set_write_timeout(Some(TIMEOUT)))
        .map_err(|e| format!("{url}: {e}"))?;
    write!(
        stream,
        "GET {path} HTTP/1.0\r\nHost: {authority}\r\nUser-Agent: agora-healthcheck\r\n\r\n"
    )
    .map_err(|e| format!("{url}: {e}"))?;
    // The status line is all we need; /ready's body is short.
    let mut head = [0u8; 512];
    let n = stream.read(&mut head).map_err(|e| format!("{url}: {e}"))?;
    let text = String::from_utf8_lossy(&head[..n]);
    let status_line = text.lines().next().unwrap_or_default().to_owned();
    let code = status_line.split_whitespace().nth(1).unwrap_or_default();
    if code.starts_with('2') {
        Ok(status_line)
    } else {
        Err(format!("{url}: {status_line}"))
    }
}
