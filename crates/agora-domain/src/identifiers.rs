//! French legal identifiers of organisations: RNA (associations register), SIREN (company
//! register, 9 digits) and SIRET (establishment, 14 digits), with their check digits.

/// Strips the spaces and dots people type in identifiers (`123 456 789`).
fn compact(raw: &str) -> String {
    raw.chars()
        .filter(|c| !c.is_whitespace() && *c != '.' && *c != '-')
        .collect::<String>()
        .to_ascii_uppercase()
}

/// The Luhn checksum used by SIREN and SIRET numbers.
fn luhn_valid(digits: &str) -> bool {
    let mut sum = 0u32;
    for (i, b) in digits.bytes().rev().enumerate() {
        let mut d = u32::from(b - b'0');
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    sum.is_multiple_of(10)
}

fn all_digits(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_digit())
}

/// SIREN of La Poste, whose establishments' SIRET numbers follow a different check rule.
const LA_POSTE_SIREN: &str = "356000000";

/// Normalises and checks a SIREN: 9 digits with a valid Luhn key.
pub fn parse_siren(raw: &str) -> Option<String> {
    let s = compact(raw);
    (all_digits(&s, 9) && luhn_valid(&s)).then_some(s)
}

/// Normalises and checks a SIRET: 14 digits with a valid Luhn key (La Poste's
/// establishments use "sum of digits divisible by 5" instead).
pub fn parse_siret(raw: &str) -> Option<String> {
    let s = compact(raw);
    if !all_digits(&s, 14) {
        return None;
    }
    let valid = if s.starts_with(LA_POSTE_SIREN) {
        s.bytes()
            .map(|b| u32::from(b - b'0'))
            .sum::<u32>()
            .is_multiple_of(5)
    } else {
        luhn_valid(&s)
    };
    valid.then_some(s)
}

/// Normalises and checks an RNA number: `W` followed by nine characters, digits except
/// for the Corsican prefectures' `2A`/`2B`.
pub fn parse_rna(raw: &str) -> Option<String> {
    let s = compact(raw);
    let b = s.as_bytes();
    if b.len() != 10 || b[0] != b'W' {
        return None;
    }
    let corsica = b[1] == b'2' && (b[2] == b'A' || b[2] == b'B');
    let head = corsica || (b[1].is_ascii_digit() && b[2].is_ascii_digit());
    (head && b[3..].iter().all(u8::is_ascii_digit)).then_some(s)
}

/// The SIREN an establishment's SIRET belongs to (its first nine digits).
pub fn siren_of_siret(siret: &str) -> Option<&str> {
    siret.get(..9)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn siren_checks_its_luhn_key() {
        // INCa's SIREN.
        assert_eq!(parse_siren("130 007 347").as_deref(), Some("130007347"));
        assert!(parse_siren("130007348").is_none());
        assert!(parse_siren("13000734").is_none());
        assert!(parse_siren("13000734A").is_none());
    }

    #[test]
    fn siret_checks_its_luhn_key() {
        assert_eq!(
            parse_siret("732 829 320 00074").as_deref(),
            Some("73282932000074")
        );
        assert!(parse_siret("73282932000075").is_none());
        assert!(parse_siret("7328293200007").is_none());
        assert_eq!(siren_of_siret("73282932000074"), Some("732829320"));
    }

    #[test]
    fn la_poste_siret_uses_its_own_rule() {
        // Sum of digits 3+5+6+1+4+1 = 20, divisible by 5; not Luhn-valid.
        assert!(parse_siret("35600000014100").is_some());
        assert!(parse_siret("35600000014101").is_none());
    }

    #[test]
    fn rna_is_w_and_nine_characters() {
        assert_eq!(parse_rna("w751234567").as_deref(), Some("W751234567"));
        assert_eq!(parse_rna("W2A1000123").as_deref(), Some("W2A1000123"));
        assert!(parse_rna("W75123456").is_none());
        assert!(parse_rna("X751234567").is_none());
        assert!(parse_rna("W7512345678").is_none());
        assert!(parse_rna("W75123456A").is_none());
    }
}
