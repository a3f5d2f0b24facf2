//! Where a webhook may point: an HTTPS address on the public Internet. Loopback, private,
//! link-local (cloud metadata), shared, documentation and other special ranges are
//! refused at registration and again at each delivery, after resolving the name, and the
//! delivery connects to the addresses that were checked (a name cannot resolve to a
//! public address when checked and to a private one when used). Deployments may allow
//! some networks (a test receiver on loopback), and plain HTTP to them.

use ipnet::IpNet;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use url::Url;

fn v4_is_public(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_documentation()
        || ip.is_multicast()
        || a == 0
        || (a == 100 && (64..128).contains(&b))
        || (a == 192 && b == 0 && c == 0)
        || (a == 198 && (18..20).contains(&b))
        || a >= 240)
}

fn v6_is_public(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return v4_is_public(v4);
    }
    let s = ip.segments();
    // NAT64 (64:ff9b::/96) carries an IPv4 address in its last 32 bits.
    if s[0] == 0x64 && s[1] == 0xff9b && s[2..6] == [0, 0, 0, 0] {
        let [_, _, _, _, _, _, hi, lo] = s;
        let v4 = Ipv4Addr::from((u32::from(hi) << 16) | u32::from(lo));
        return v4_is_public(v4);
    }
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        || (s[0] & 0xfe00) == 0xfc00
        || (s[0] & 0xffc0) == 0xfe80
        || (s[0] == 0x2001 && s[1] == 0x0db8)
        || s[0] == 0x2002
        || (s[0] == 0x2001 && s[1] == 0))
}

pub(crate) fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4_is_public(v4),
        IpAddr::V6(v6) => v6_is_public(v6),
    }
}

fn allowed(ip: IpAddr, allow: &[IpNet]) -> bool {
    allow.iter().any(|n| n.contains(&ip))
}

/// Why an address is refused, in a sentence for the partner.
pub(crate) type Refusal = String;

/// Checks the form of a webhook's address: HTTPS (or HTTP to an allowed network), a host,
/// no credentials, the default or an explicit port.
pub(crate) fn parse(raw: &str, allow: &[IpNet]) -> Result<Url, Refusal> {
    let url = Url::parse(raw.trim()).map_err(|_| "not an absolute URL".to_owned())?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err("the address may not carry credentials".to_owned());
    }
    if url.fragment().is_some() {
        return Err("the address may not have a fragment".to_owned());
    }
    let host = url
        .host_str()
        .ok_or_else(|| "the address names no host".to_owned())?;
    let literal: Option<IpAddr> = host.trim_matches(|c| c == '[' || c == ']').parse().ok();
    let to_allowed = literal.is_some_and(|ip| allowed(ip, allow));
    match url.scheme() {
        "https" => {}
        "http" if to_allowed => {}
        _ => return Err("the address must use HTTPS".to_owned()),
    }
    if let Some(ip) = literal
        && !is_public(ip)
        && !allowed(ip, allow)
    {
        return Err(format!("{ip} is not a public Internet address"));
    }
    Ok(url)
}

/// Resolves the address's host and checks every address it resolves to.
pub(crate) async fn resolve(url: &Url, allow: &[IpNet]) -> Result<Vec<SocketAddr>, Refusal> {
    let host = url
        .host_str()
        .ok_or_else(|| "the address names no host".to_owned())?
        .trim_matches(|c| c == '[' || c == ']')
        .to_owned();
    let port = url
        .port_or_known_default()
        .ok_or_else(|| "the address has no port".to_owned())?;
    let addrs: Vec<SocketAddr> = match host.parse::<IpAddr>() {
        Ok(ip) => vec![SocketAddr::new(ip, port)],
        Err(_) => tokio::time::timeout(
            std::time::Duration::from_secs(3),
            tokio::net::lookup_host((host.as_str(), port)),
        )
        .await
        .map_err(|_| format!("{host} did not resolve in time"))?
        .map_err(|_| format!("{host} does not resolve"))?
        .collect(),
    };
    if addrs.is_empty() {
        return Err(format!("{host} does not resolve"));
    }
    if let Some(bad) = addrs
        .iter()
        .find(|a| !is_public(a.ip()) && !allowed(a.ip(), allow))
    {
        return Err(format!(
            "{host} resolves to {}, which is not a public Internet address",
            bad.ip()
        ));
    }
    Ok(addrs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_ranges_are_not_public() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "::",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "64:ff9b::a9fe:a9fe",
            "2001:db8::1",
            "255.255.255.255",
            "224.0.0.1",
        ] {
            assert!(!is_public(ip.parse().unwrap()), "{ip} taken for public");
        }
        for ip in ["193.51.24.1", "2a01:e0a::1", "8.8.8.8"] {
            assert!(is_public(ip.parse().unwrap()), "{ip} refused");
        }
    }

    #[test]
    fn addresses_are_https_to_public_hosts_unless_allowed() {
        let none: Vec<IpNet> = Vec::new();
        assert!(parse("https://partenaire.example.org/hooks/agora", &none).is_ok());
        for bad in [
            "http://partenaire.example.org/hook",
            "https://127.0.0.1/hook",
            "https://[::1]/hook",
            "https://169.254.169.254/latest/meta-data",
            "https://user:pass@partenaire.example.org/",
            "ftp://partenaire.example.org/",
            "not a url",
        ] {
            assert!(parse(bad, &none).is_err(), "{bad} accepted");
        }
        let loopback: Vec<IpNet> = vec!["127.0.0.1/32".parse().unwrap()];
        assert!(parse("http://127.0.0.1:8099/hook", &loopback).is_ok());
        assert!(parse("http://127.0.0.2:8099/hook", &loopback).is_err());
    }

    #[tokio::test]
    async fn a_name_resolving_to_loopback_is_refused() {
        let url = Url::parse("https://localhost/hook").unwrap();
        assert!(resolve(&url, &[]).await.is_err());
    }
}
