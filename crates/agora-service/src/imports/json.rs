//! Items of a JSON file read one at a time, whether the file is one JSON array or JSON
//! lines (one item a line), without holding more than one item in memory. An item that
//! cannot be framed is reported with its line and reading goes on at the next one.

use std::io::{self, BufRead};

/// An item larger than this is refused (and the reader looks for the next one).
const MAX_ITEM_BYTES: usize = 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Unknown,
    Lines,
    Array,
    Done,
}

/// One item's text, or why it could not be cut out of the file.
pub(crate) type Item = (u64, Result<Vec<u8>, String>);

pub(crate) struct JsonItems<R> {
    input: R,
    mode: Mode,
    line: u64,
    /// Where the last byte read was: a quote opened and not closed by the end of the
    /// line is a broken item, since JSON strings hold no raw line break.
    last_non_space: u8,
}

impl<R: BufRead> JsonItems<R> {
    pub fn new(input: R) -> Self {
        Self {
            input,
            mode: Mode::Unknown,
            line: 1,
            last_non_space: b'[',
        }
    }

    fn peek(&mut self) -> io::Result<Option<u8>> {
        Ok(self.input.fill_buf()?.first().copied())
    }

    fn bump(&mut self) -> io::Result<Option<u8>> {
        let b = self.peek()?;
        if let Some(b) = b {
            self.input.consume(1);
            if b == b'\n' {
                self.line += 1;
            }
            if !b.is_ascii_whitespace() {
                self.last_non_space = b;
            }
        }
        Ok(b)
    }

    /// Skips white space (and a byte-order mark at the start).
    fn skip_space(&mut self) -> io::Result<()> {
        while let Some(b) = self.peek()? {
            if b.is_ascii_whitespace() || b == 0xEF || b == 0xBB || b == 0xBF {
                self.bump()?;
            } else {
                break;
            }
        }
        Ok(())
    }

    pub fn next_item(&mut self) -> io::Result<Option<Item>> {
        if self.mode == Mode::Unknown {
            self.skip_space()?;
            self.mode = match self.peek()? {
                Some(b'[') => {
                    self.bump()?;
                    Mode::Array
                }
                Some(_) => Mode::Lines,
                None => Mode::Done,
            };
        }
        match self.mode {
            Mode::Lines => self.next_line(),
            Mode::Array => self.next_element(),
            Mode::Unknown | Mode::Done => Ok(None),
        }
    }

    fn next_line(&mut self) -> io::Result<Option<Item>> {
        loop {
            let start = self.line;
            let mut text = Vec::new();
            let mut too_long = false;
            let mut any = false;
            while let Some(b) = self.bump()? {
                any = true;
                if b == b'\n' {
                    break;
                }
                if text.len() < MAX_ITEM_BYTES {
                    text.push(b);
                } else {
                    too_long = true;
                }
            }
            if !any {
                return Ok(None);
            }
            if too_long {
                return Ok(Some((start, Err("item larger than 1 MiB".into()))));
            }
            if text.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            return Ok(Some((start, Ok(text))));
        }
    }

    /// The next element of the array, framed by its brackets and strings.
    fn next_element(&mut self) -> io::Result<Option<Item>> {
        loop {
            self.skip_space()?;
            match self.peek()? {
                None => return Ok(None),
                Some(b']') => {
                    self.bump()?;
                    self.mode = Mode::Done;
                    return Ok(None);
                }
                Some(b',') => {
                    self.bump()?;
                }
                Some(_) => break,
            }
        }
        let start = self.line;
        let mut text = Vec::new();
        let mut depth = 0usize;
        let mut in_string = false;
        let mut escaped = false;
        let mut broken: Option<String> = None;
        loop {
            let Some(b) = self.peek()? else {
                broken.get_or_insert_with(|| "the file ends inside this item".into());
                break;
            };
            if !in_string && depth == 0 && (b == b',' || b == b']') {
                break;
            }
            self.bump()?;
            if text.len() >= MAX_ITEM_BYTES {
                let reason = "item larger than 1 MiB, or a bracket never closed";
                self.seek_next_element()?;
                return Ok(Some((start, Err(reason.into()))));
            }
            text.push(b);
            if in_string {
                match b {
                    _ if escaped => escaped = false,
                    b'\\' => escaped = true,
                    b'"' => in_string = false,
                    b'\n' => {
                        let reason =
                            format!("a string opened on line {} is never closed", self.line - 1);
                        self.seek_next_element()?;
                        return Ok(Some((start, Err(reason))));
                    }
                    _ => {}
                }
                continue;
            }
            match b {
                b'"' => in_string = true,
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
        }
        Ok(Some((start, broken.map_or(Ok(text), Err))))
    }

    /// After an item that could not be framed: goes on to the next `{` that follows a
    /// comma, the likeliest start of the next element.
    fn seek_next_element(&mut self) -> io::Result<()> {
        let mut in_string = false;
        while let Some(b) = self.peek()? {
            if b == b'\n' {
                in_string = false;
            }
            if !in_string && b == b'{' && self.last_non_space == b',' {
                return Ok(());
            }
            if b == b'"' {
                in_string = !in_string;
            }
            self.bump()?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(text: &str) -> Vec<(u64, Result<String, String>)> {
        let mut r = JsonItems::new(text.as_bytes());
        let mut out = Vec::new();
        while let Ok(Some((line, item))) = r.next_item() {
            out.push((line, item.map(|b| String::from_utf8_lossy(&b).into_owned())));
        }
        out
    }

    #[test]
    fn arrays_and_lines_give_their_items_with_lines() {
        let got = items("[\n  {\"a\": \"x]\"},\n  {\"b\": [1, {\"c\": 2}]}\n]\n");
        assert_eq!(
            got,
            [
                (2, Ok("{\"a\": \"x]\"}".into())),
                (3, Ok("{\"b\": [1, {\"c\": 2}]}".into()))
            ]
        );
        let got = items("{\"a\": 1}\n\nnot json\n{\"b\": 2}\n");
        assert_eq!(got.len(), 3);
        assert_eq!(got[1], (3, Ok("not json".into())));
        assert_eq!(got[2].0, 4);
    }

    #[test]
    fn an_unclosed_string_breaks_its_item_only() {
        let got = items("[\n{\"a\": \"open},\n{\"b\": 2},\n{\"c\": 3}\n]");
        assert!(got[0].1.is_err(), "{got:?}");
        assert!(got.iter().any(|(l, i)| *l == 4 && i.is_ok()), "{got:?}");
    }
}
