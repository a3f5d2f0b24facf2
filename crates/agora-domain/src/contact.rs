//! Contact channels: e-mail addresses, French phone numbers and web addresses.

/// Normalises and checks an e-mail address (lower-cased domain). Deliberately simple: the
/// only proof an address works is a message that arrives.
pub fn parse_email(raw: &str) -> Option<String> {
    let s = raw.trim();
    if s.len() > 254 || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    let (local, domain) = s.rsplit_once('@')?;
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.contains('@')
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && !local.contains(['<', '>', '(', ')', ',', ';', ':', '\\', '"', '[', ']']);
    let domain = domain.to_ascii_lowercase();
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        });
    (local_ok && domain_ok).then(|| format!("{local}@{domain}"))
}

/// Overseas country codes whose numbers are dialled in France as `0` + nine digits.
const FRENCH_COUNTRY_CODES: [&str; 6] = ["33", "262", "269", "590", "594", "596"];

/// Normalises a French phone number to its grouped national form (`03 81 47 99 99`).
/// Accepts spaces, dots, dashes and the international forms `+33…` / `0033…`.
pub fn parse_phone_fr(raw: &str) -> Option<String> {
    let trimmed = raw.trim();
    let plus = trimmed.starts_with('+');
    let digits: String = trimmed
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')' | '+' | '\u{a0}'))
        .collect();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let international = if plus {
        Some(digits.as_str())
    } else {
        digits.strip_prefix("00")
    };
    let national = match international {
        Some(rest) => {
            let code = FRENCH_COUNTRY_CODES
                .iter()
                .find(|code| rest.starts_with(*code) && rest.len() == code.len() + 9)?;
            format!("0{}", &rest[code.len()..])
        }
        None => digits,
    };
    let b = national.as_bytes();
    if b.len() != 10 || b[0] != b'0' || b[1] == b'0' {
        return None;
    }
    let groups: Vec<&str> = (0..5)
        .filter_map(|i| national.get(i * 2..i * 2 + 2))
        .collect();
    Some(groups.join(" "))
}

/// Checks a web address: absolute `http`/`https` with a host.
pub fn parse_web_url(raw: &str) -> Option<String> {
    let s = raw.trim();
    if s.len() > 2000 {
        return None;
    }
    let url = url::Url::parse(s).ok()?;
    let scheme_ok = matches!(url.scheme(), "http" | "https");
    let host_ok = url.host_str().is_some_and(|h| h.contains('.'));
    (scheme_ok && host_ok && url.username().is_empty() && url.password().is_none())
        .then(|| url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert_eq!(
            parse_email(" aprescancer@IRFC-FC.fr ").as_deref(),
            Some("aprescancer@irfc-fc.fr")
        );
        for bad in [
            "",
            "a",
            "a@b",
            "@b.fr",
            "a b@c.fr",
            "a@b..fr",
            "a@-b.fr",
            "a@b.fr\r\nBcc: x@y.fr",
        ] {
            assert!(parse_email(bad).is_none(), "{bad:?} accepted");
        }
    }

    #[test]
    fn french_phones() {
        assert_eq!(
            parse_phone_fr("03 81 47 99 99").as_deref(),
            Some("03 81 47 99 99")
        );
        assert_eq!(
            parse_phone_fr("0 800 400 310").as_deref(),
            Some("08 00 40 03 10")
        );
        assert_eq!(
            parse_phone_fr("+33 3.81.47.99.99").as_deref(),
            Some("03 81 47 99 99")
        );
        assert_eq!(
            parse_phone_fr("0033381479999").as_deref(),
            Some("03 81 47 99 99")
        );
        assert_eq!(
            parse_phone_fr("+262 692 12 34 56").as_deref(),
            Some("06 92 12 34 56")
        );
        for bad in [
            "",
            "123",
            "0381479999 ext",
            "+44 20 7946 0958",
            "00 81 47 99 99",
            "038147999",
        ] {
            assert!(parse_phone_fr(bad).is_none(), "{bad:?} accepted");
        }
    }

    #[test]
    fn web_urls() {
        assert_eq!(
            parse_web_url("https://www.irfc.fr/ONCONNECTEALEMPLOI").as_deref(),
            Some("https://www.irfc.fr/ONCONNECTEALEMPLOI")
        );
        for bad in [
            "javascript:alert(1)",
            "ftp://x.fr",
            "https://localhost",
            "not a url",
            "https://u:p@x.fr",
        ] {
            assert!(parse_web_url(bad).is_none(), "{bad:?} accepted");
        }
    }
}
