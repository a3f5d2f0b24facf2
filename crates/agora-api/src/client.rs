//! Who is at the other end: the network address limits and throttles count against. It is
//! the connection's own peer, unless that peer is a reverse proxy listed in
//! `trusted_proxies`; then it is the address that proxy (and any trusted proxy before it)
//! recorded in `Forwarded` (RFC 7239) or `X-Forwarded-For`, read from the right. A header
//! sent by anyone else is ignored: clients cannot choose their own address.

use crate::problem::ApiError;
use crate::state::ApiState;
use actix_web::dev::Payload;
use actix_web::http::header::HeaderMap;
use actix_web::web::Data;
use actix_web::{FromRequest, HttpRequest};
use ipnet::IpNet;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

/// The client's address, as the limits see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddress(pub IpAddr);

/// Parses the `trusted_proxies` setting: addresses or networks (`10.0.0.5`, `10.0.0.0/8`).
pub fn parse_trusted(entries: &[String]) -> Result<Vec<IpNet>, String> {
    entries
        .iter()
        .map(|e| {
            let e = e.trim();
            e.parse::<IpNet>()
                .or_else(|_| e.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| format!("trusted_proxies: {e:?} is not an address or a network"))
        })
        .collect()
}

fn trusted(ip: IpAddr, proxies: &[IpNet]) -> bool {
    let ip = canonical(ip);
    proxies.iter().any(|net| net.contains(&ip))
}

/// IPv4 addresses mapped into IPv6 count as IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// One hop of `Forwarded: for=…` or `X-Forwarded-For`: an address, maybe with a port,
/// maybe in brackets and quotes. Obfuscated or unknown identifiers give `None`.
fn parse_hop(raw: &str) -> Option<IpAddr> {
    let v = raw.trim().trim_matches('"');
    if let Ok(ip) = v.parse::<IpAddr>() {
        return Some(ip);
    }
    if let Ok(sa) = v.parse::<SocketAddr>() {
        return Some(sa.ip());
    }
    let inner = v.strip_prefix('[')?.split(']').next()?;
    inner.parse::<IpAddr>().ok()
}

/// The hops a proxy chain recorded, oldest first; `None` when no header is there.
fn forwarded_chain(headers: &HeaderMap) -> Option<Vec<Option<IpAddr>>> {
    let forwarded: Vec<&str> = headers
        .get_all("forwarded")
        .filter_map(|v| v.to_str().ok())
        .collect();
    if !forwarded.is_empty() {
        return Some(
            forwarded
                .iter()
                .flat_map(|v| v.split(','))
                .map(|element| {
                    element.split(';').find_map(|pair| {
                        let (k, v) = pair.split_once('=')?;
                        k.trim().eq_ignore_ascii_case("for").then(|| parse_hop(v))?
                    })
                })
                .collect(),
        );
    }
    let xff: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .collect();
    (!xff.is_empty()).then(|| {
        xff.iter()
            .flat_map(|v| v.split(','))
            .map(parse_hop)
            .collect()
    })
}

/// The client's address for a connection from `peer` carrying `headers`.
pub fn client_address(peer: Option<IpAddr>, headers: &HeaderMap, proxies: &[IpNet]) -> IpAddr {
    let unknown = IpAddr::V4(Ipv4Addr::UNSPECIFIED);
    let Some(peer) = peer.map(canonical) else {
        return unknown;
    };
    if !trusted(peer, proxies) {
        return peer;
    }
    let Some(chain) = forwarded_chain(headers) else {
        return peer;
    };
    // From the nearest hop back: the first one that is not a trusted proxy is the client.
    // A hop that cannot be read stops the walk at the last address we can vouch for.
    let mut client = peer;
    for hop in chain.iter().rev() {
        match hop {
            Some(ip) => {
                client = canonical(*ip);
                if !trusted(client, proxies) {
                    break;
                }
            }
            None => break,
        }
    }
    client
}

impl FromRequest for ClientAddress {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let proxies = req
            .app_data::<Data<ApiState>>()
            .map(|s| s.trusted_proxies.clone())
            .unwrap_or_default();
        std::future::ready(Ok(ClientAddress(client_address(
            req.peer_addr().map(|a| a.ip()),
            req.headers(),
            &proxies,
        ))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::http::header::{HeaderName, HeaderValue};

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(
                HeaderName::from_bytes(k.as_bytes()).unwrap(),
                HeaderValue::from_str(v).unwrap(),
            );
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn headers_from_an_untrusted_peer_are_ignored() {
        let proxies = parse_trusted(&["10.0.0.0/8".into()]).unwrap();
        let h = headers(&[("x-forwarded-for", "1.2.3.4"), ("forwarded", "for=5.6.7.8")]);
        assert_eq!(
            client_address(Some(ip("203.0.113.9")), &h, &proxies),
            ip("203.0.113.9")
        );
        assert_eq!(
            client_address(Some(ip("203.0.113.9")), &h, &[]),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn a_trusted_proxy_names_the_client_and_forged_entries_before_it_are_ignored() {
        let proxies = parse_trusted(&["10.0.0.1".into(), "10.0.0.2".into()]).unwrap();
        // The client forged "6.6.6.6"; the outer proxy appended the real address, the
        // inner proxy the outer one's.
        let h = headers(&[("x-forwarded-for", "6.6.6.6, 198.51.100.7, 10.0.0.2")]);
        assert_eq!(
            client_address(Some(ip("10.0.0.1")), &h, &proxies),
            ip("198.51.100.7")
        );
        let h = headers(&[(
            "forwarded",
            "for=6.6.6.6, for=\"[2001:db8::1]:4711\";proto=https",
        )]);
        assert_eq!(
            client_address(Some(ip("10.0.0.1")), &h, &proxies),
            ip("2001:db8::1")
        );
        // Two header lines are one list.
        let h = headers(&[
            ("x-forwarded-for", "6.6.6.6"),
            ("x-forwarded-for", "198.51.100.8"),
        ]);
        assert_eq!(
            client_address(Some(ip("10.0.0.1")), &h, &proxies),
            ip("198.51.100.8")
        );
    }

    #[test]
    fn a_trusted_proxy_without_header_or_with_garbage_is_the_client() {
        let proxies = parse_trusted(&["10.0.0.1".into()]).unwrap();
        assert_eq!(
            client_address(Some(ip("10.0.0.1")), &HeaderMap::new(), &proxies),
            ip("10.0.0.1")
        );
        let h = headers(&[("x-forwarded-for", "not an address")]);
        assert_eq!(
            client_address(Some(ip("10.0.0.1")), &h, &proxies),
            ip("10.0.0.1")
        );
        let h = headers(&[("forwarded", "for=_hidden")]);
        assert_eq!(
            client_address(Some(ip("10.0.0.1")), &h, &proxies),
            ip("10.0.0.1")
        );
    }

    #[test]
    fn mapped_addresses_and_settings() {
        let proxies = parse_trusted(&["127.0.0.1".into()]).unwrap();
        let h = headers(&[("x-forwarded-for", "198.51.100.9")]);
        assert_eq!(
            client_address(Some(ip("::ffff:127.0.0.1")), &h, &proxies),
            ip("198.51.100.9")
        );
        assert!(parse_trusted(&["nonsense".into()]).is_err());
        assert_eq!(client_address(None, &h, &proxies), ip("0.0.0.0"));
    }
}
