//! Text that goes into a header (a subject, a display name) comes from users: a line break
//! in it would start a new header (`\r\nBcc: …`). Every such value is reduced to one line of
//! printable characters before lettre encodes it.

/// `value` on one line: control characters (CR, LF, TAB, …) become spaces, runs of
/// spaces collapse, and the result is bounded.
pub fn one_line(value: &str, max_chars: usize) -> String {
    let mut out = String::with_capacity(value.len().min(max_chars));
    let mut last_space = true;
    for c in value.chars() {
        let c = if c.is_control() || c == '\u{2028}' || c == '\u{2029}' {
            ' '
        } else {
            c
        };
        if c == ' ' {
            if last_space {
                continue;
            }
            last_space = true;
        } else {
            last_space = false;
        }
        out.push(c);
        if out.chars().count() >= max_chars {
            out.push('…');
            break;
        }
    }
    out.trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_breaks_cannot_start_a_header() {
        let v = one_line("Camille\r\nBcc: evil@example.com\n\tX-Other: 1", 200);
        assert!(!v.contains('\r') && !v.contains('\n') && !v.contains('\t'));
        assert_eq!(v, "Camille Bcc: evil@example.com X-Other: 1");
    }

    #[test]
    fn bounded() {
        assert_eq!(one_line(&"a".repeat(500), 10).chars().count(), 11);
        assert_eq!(one_line("  padded  ", 50), "padded");
    }
}
