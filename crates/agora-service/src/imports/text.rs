//! Reading a delimited text file of unknown encoding and doubtful quality as a stream:
//! the encoding is recognised on the way (Latin-1 — as Windows-1252 — or UTF-8), and a
//! quote left open never swallows the lines after it.

use std::collections::{BTreeMap, VecDeque};
use std::io::{self, BufRead, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// The encoding a file turned out to be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// Nothing but ASCII so far: both readings agree.
    Ascii,
    Utf8,
    /// ISO-8859-1, read as Windows-1252 (its superset that French files really use).
    Latin1,
}

impl Encoding {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ascii => "ASCII",
            Self::Utf8 => "UTF-8",
            Self::Latin1 => "Latin-1",
        }
    }
}

/// Windows-1252's characters for bytes 0x80–0x9F; `None` where it defines none (those
/// stay the C1 control characters of Latin-1, which rows then refuse).
const CP1252_HIGH: [Option<char>; 32] = [
    Some('€'),
    None,
    Some('‚'),
    Some('ƒ'),
    Some('„'),
    Some('…'),
    Some('†'),
    Some('‡'),
    Some('ˆ'),
    Some('‰'),
    Some('Š'),
    Some('‹'),
    Some('Œ'),
    None,
    Some('Ž'),
    None,
    None,
    Some('‘'),
    Some('’'),
    Some('“'),
    Some('”'),
    Some('•'),
    Some('–'),
    Some('—'),
    Some('˜'),
    Some('™'),
    Some('š'),
    Some('›'),
    Some('œ'),
    None,
    Some('ž'),
    Some('Ÿ'),
];

fn latin1_char(b: u8) -> char {
    match b {
        0x80..=0x9F => CP1252_HIGH[usize::from(b - 0x80)].unwrap_or(char::from(b)),
        _ => char::from(b),
    }
}

/// Length of the UTF-8 sequence a lead byte announces (0 for a byte no sequence starts with).
fn utf8_len(lead: u8) -> usize {
    match lead {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => 0,
    }
}

/// Turns a byte stream in UTF-8 or Latin-1 into UTF-8. The encoding is decided at the
/// first non-ASCII byte (a byte-order mark says UTF-8 at once): a valid UTF-8 sequence
/// means UTF-8, anything else Latin-1. In UTF-8, invalid bytes further on are passed
/// through for the reader of each row to report. Counts the bytes read for progress.
pub struct Transcoder<R> {
    inner: R,
    buf: Vec<u8>,
    pos: usize,
    end: usize,
    eof: bool,
    started: bool,
    encoding: Encoding,
    /// Decoded bytes not yet handed out.
    out: Vec<u8>,
    out_pos: usize,
    consumed: Arc<AtomicU64>,
}

const INPUT_CHUNK: usize = 64 * 1024;

impl<R: Read> Transcoder<R> {
    pub fn new(inner: R, consumed: Arc<AtomicU64>) -> Self {
        Self {
            inner,
            buf: vec![0; INPUT_CHUNK],
            pos: 0,
            end: 0,
            eof: false,
            started: false,
            encoding: Encoding::Ascii,
            out: Vec::with_capacity(INPUT_CHUNK * 2),
            out_pos: 0,
            consumed,
        }
    }

    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// Makes at least `n` unread bytes available unless the input ends first.
    fn fill(&mut self, n: usize) -> io::Result<()> {
        while self.end - self.pos < n && !self.eof {
            if self.pos > 0 {
                self.buf.copy_within(self.pos..self.end, 0);
                self.end -= self.pos;
                self.pos = 0;
            }
            let read = self.inner.read(&mut self.buf[self.end..])?;
            if read == 0 {
                self.eof = true;
            }
            self.end += read;
        }
        Ok(())
    }

    fn take(&mut self, n: usize) {
        self.pos += n;
        self.consumed.fetch_add(n as u64, Ordering::Relaxed);
    }

    /// Decodes the next chunk of input into `out`; false at the end.
    fn decode_more(&mut self) -> io::Result<bool> {
        self.out.clear();
        self.out_pos = 0;
        self.fill(4)?;
        if self.pos == self.end {
            return Ok(false);
        }
        if !self.started {
            self.started = true;
            if self.buf[self.pos..self.end].starts_with(&[0xEF, 0xBB, 0xBF]) {
                self.encoding = Encoding::Utf8;
                self.take(3);
                return Ok(true);
            }
        }
        if self.encoding == Encoding::Ascii {
            let chunk = &self.buf[self.pos..self.end];
            let ascii = chunk
                .iter()
                .position(|b| !b.is_ascii())
                .unwrap_or(chunk.len());
            if ascii > 0 {
                self.out.extend_from_slice(&chunk[..ascii]);
                self.take(ascii);
                return Ok(true);
            }
            let need = utf8_len(chunk[0]).max(1);
            self.fill(need)?;
            let chunk = &self.buf[self.pos..self.end];
            let valid =
                need > 1 && chunk.len() >= need && std::str::from_utf8(&chunk[..need]).is_ok();
            self.encoding = if valid {
                Encoding::Utf8
            } else {
                Encoding::Latin1
            };
        }
        let chunk_len = self.end - self.pos;
        match self.encoding {
            Encoding::Latin1 => {
                let mut utf8 = [0u8; 4];
                for &b in &self.buf[self.pos..self.end] {
                    if b.is_ascii() {
                        self.out.push(b);
                    } else {
                        self.out
                            .extend_from_slice(latin1_char(b).encode_utf8(&mut utf8).as_bytes());
                    }
                }
            }
            _ => self.out.extend_from_slice(&self.buf[self.pos..self.end]),
        }
        self.take(chunk_len);
        Ok(true)
    }
}

impl<R: Read> Read for Transcoder<R> {
    fn read(&mut self, dest: &mut [u8]) -> io::Result<usize> {
        // A chunk may decode to nothing (a byte-order mark alone): read on.
        while self.out_pos == self.out.len() {
            if !self.decode_more()? {
                return Ok(0);
            }
        }
        let n = dest.len().min(self.out.len() - self.out_pos);
        dest[..n].copy_from_slice(&self.out[self.out_pos..self.out_pos + n]);
        self.out_pos += n;
        Ok(n)
    }
}

/// How far a quoted field may run over following lines before it is taken for a quote
/// left open by mistake.
const MAX_RECORD_LINES: usize = 20;
const MAX_RECORD_BYTES: usize = 256 * 1024;
/// A physical line longer than this is cut (and its row reported).
pub const MAX_LINE_BYTES: usize = 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quoting {
    FieldStart,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: the end of the field, or the first of `""`.
    ClosingQuote,
}

/// Follows the quoting of one line as the `csv` crate reads it, from `state`; returns the
/// state at the end of the line (`Quoted` when the record goes on to the next line) and
/// how many delimiters outside quotes it saw.
fn scan(line: &[u8], mut state: Quoting, delimiter: u8) -> (Quoting, usize) {
    let mut delimiters = 0;
    for &b in line {
        state = match (state, b) {
            (Quoting::Quoted, b'"') => Quoting::ClosingQuote,
            (Quoting::Quoted, _) => Quoting::Quoted,
            (Quoting::ClosingQuote, b'"') => Quoting::Quoted,
            (_, b'\n' | b'\r') => Quoting::FieldStart,
            (Quoting::FieldStart, b'"') => Quoting::Quoted,
            (_, d) if d == delimiter => {
                delimiters += 1;
                Quoting::FieldStart
            }
            _ => Quoting::Unquoted,
        };
    }
    (state, delimiters)
}

/// Sits under the CSV reader and hands it the file line by line, keeping together the
/// lines of a record whose quoted field legitimately spans several of them. A quote still
/// open after [`MAX_RECORD_LINES`] lines (or at the end of the file) is closed at the end
/// of its own line, so that the row is reported and the lines after it are read as rows
/// of their own. Lines are never added or removed (`\r\n` becomes `\n`): the CSV reader's
/// line numbers stay those of the file.
pub struct QuoteGuard<R> {
    input: R,
    delimiter: u8,
    next_line: u64,
    replay: VecDeque<(u64, Vec<u8>)>,
    out: Vec<u8>,
    out_pos: usize,
    /// Lines that had to be repaired, with what was wrong.
    damaged: BTreeMap<u64, &'static str>,
    /// Fields a record has (as many as the first line, the header): lines joined by an
    /// open quote must make one such record, or the quote is taken for a mistake (a stray
    /// quote further down closed it).
    width: Option<usize>,
}

impl<R: BufRead> QuoteGuard<R> {
    pub fn new(input: R, delimiter: u8) -> Self {
        Self {
            input,
            delimiter,
            next_line: 1,
            replay: VecDeque::new(),
            out: Vec::new(),
            out_pos: 0,
            damaged: BTreeMap::new(),
            width: None,
        }
    }

    pub fn get_ref(&self) -> &R {
        &self.input
    }

    /// What was repaired on `line`, once: the CSV reader's row for that line reports it.
    pub fn take_damage(&mut self, line: u64) -> Option<&'static str> {
        self.damaged.remove(&line)
    }

    /// Forgets damage on lines before `line` (rows already read).
    pub fn forget_before(&mut self, line: u64) {
        while let Some((&first, _)) = self.damaged.first_key_value() {
            if first >= line {
                break;
            }
            self.damaged.remove(&first);
        }
    }

    /// The next physical line with its terminator, cut at [`MAX_LINE_BYTES`].
    fn read_line(&mut self) -> io::Result<Option<(u64, Vec<u8>)>> {
        if let Some(l) = self.replay.pop_front() {
            return Ok(Some(l));
        }
        let number = self.next_line;
        let mut line = Vec::new();
        let mut cut = false;
        loop {
            let chunk = self.input.fill_buf()?;
            if chunk.is_empty() {
                break;
            }
            let (part, done) = match chunk.iter().position(|&b| b == b'\n') {
                Some(i) => (&chunk[..=i], true),
                None => (chunk, false),
            };
            let room = MAX_LINE_BYTES.saturating_sub(line.len());
            if part.len() > room {
                cut = true;
                line.extend_from_slice(&part[..room]);
            } else {
                line.extend_from_slice(part);
            }
            let n = part.len();
            self.input.consume(n);
            if done {
                break;
            }
        }
        if line.is_empty() && !cut {
            return Ok(None);
        }
        if cut {
            self.damaged.insert(number, "line longer than 1 MiB");
            if line.last() != Some(&b'\n') {
                line.push(b'\n');
            }
        }
        // The CSV reader counts a `\r\n` record's line from the `\r`: it would number every
        // row of a Windows file one line short.
        if line.ends_with(b"\r\n") {
            line.remove(line.len() - 2);
        }
        self.next_line += 1;
        Ok(Some((number, line)))
    }

    /// Prepares the next record's lines in `out`; false at the end of the input.
    fn next_record(&mut self) -> io::Result<bool> {
        self.out.clear();
        self.out_pos = 0;
        let Some((number, first)) = self.read_line()? else {
            return Ok(false);
        };
        let (mut state, mut fields) = scan(&first, Quoting::FieldStart, self.delimiter);
        if state != Quoting::Quoted {
            // The header says how many fields a record has.
            self.width.get_or_insert(fields + 1);
            self.out = first;
            return Ok(true);
        }
        let mut group = vec![(number, first)];
        let mut size = group[0].1.len();
        loop {
            let next = if group.len() < MAX_RECORD_LINES && size < MAX_RECORD_BYTES {
                self.read_line()?
            } else {
                None
            };
            let Some((n, line)) = next else {
                break;
            };
            // A line that is a whole record by itself starts a record: the quote before it
            // was a mistake.
            if self
                .width
                .is_some_and(|w| scan(&line, Quoting::FieldStart, self.delimiter).1 + 1 == w)
            {
                self.replay.push_front((n, line));
                break;
            }
            size += line.len();
            let (after, more) = scan(&line, state, self.delimiter);
            state = after;
            fields += more;
            group.push((n, line));
            if state != Quoting::Quoted {
                if self.width.is_some_and(|w| w != fields + 1) {
                    break;
                }
                for (_, l) in group {
                    self.out.extend_from_slice(&l);
                }
                return Ok(true);
            }
        }
        // The quote never closed (or closed in a way that makes no record): close it
        // where its line ends and read the other lines again on their own.
        let mut lines = group.into_iter();
        if let Some((n, mut line)) = lines.next() {
            let body = line
                .iter()
                .rposition(|b| *b != b'\n' && *b != b'\r')
                .map_or(0, |i| i + 1);
            line.insert(body, b'"');
            self.damaged.insert(n, "quote opened and never closed");
            self.out = line;
        }
        for l in lines.rev() {
            self.replay.push_front(l);
        }
        Ok(true)
    }
}

impl<R: BufRead> Read for QuoteGuard<R> {
    fn read(&mut self, dest: &mut [u8]) -> io::Result<usize> {
        if self.out_pos == self.out.len() && !self.next_record()? {
            return Ok(0);
        }
        let n = dest.len().min(self.out.len() - self.out_pos);
        dest[..n].copy_from_slice(&self.out[self.out_pos..self.out_pos + n]);
        self.out_pos += n;
        Ok(n)
    }
}

/// Why a field's text is refused, if it is: bytes that are not UTF-8 (in a UTF-8 file),
/// or control characters (a NUL, or a byte Windows-1252 leaves undefined).
pub fn field_text(bytes: &[u8]) -> Result<&str, &'static str> {
    let text = std::str::from_utf8(bytes).map_err(|_| "bytes that are not valid UTF-8")?;
    if text
        .chars()
        .any(|c| (c.is_control() && c != '\t') || c == '\u{FFFD}')
    {
        return Err("control characters or undecodable bytes");
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8]) -> (String, Encoding) {
        let mut t = Transcoder::new(bytes, Arc::new(AtomicU64::new(0)));
        let mut out = Vec::new();
        t.read_to_end(&mut out).unwrap_or_default();
        (String::from_utf8_lossy(&out).into_owned(), t.encoding())
    }

    #[test]
    fn latin1_and_utf8_are_told_apart() {
        assert_eq!(
            decode(b"id;titre\nW1;Soci\xe9t\xe9 \x9cuvre\n"),
            ("id;titre\nW1;Société œuvre\n".into(), Encoding::Latin1)
        );
        assert_eq!(
            decode("id;titre\nW1;Société\n".as_bytes()),
            ("id;titre\nW1;Société\n".into(), Encoding::Utf8)
        );
        assert_eq!(decode(b"\xef\xbb\xbfid\n"), ("id\n".into(), Encoding::Utf8));
        assert_eq!(decode(b"id\n"), ("id\n".into(), Encoding::Ascii));
    }

    fn guarded(input: &str) -> (Vec<String>, Vec<u64>) {
        let mut g = QuoteGuard::new(input.as_bytes(), b';');
        let mut out = String::new();
        g.read_to_string(&mut out).unwrap_or_default();
        let damaged = g.damaged.keys().copied().collect();
        (out.lines().map(str::to_owned).collect(), damaged)
    }

    #[test]
    fn an_open_quote_loses_no_following_line() {
        let (lines, damaged) = guarded("a;\"b;c\nd;e\nf;g\n");
        assert_eq!(lines, ["a;\"b;c\"", "d;e", "f;g"]);
        assert_eq!(damaged, [1], "still open at the end of the file");
        let mut text = String::from("a;\"open\n");
        for i in 0..30 {
            text.push_str(&format!("r{i};x\n"));
        }
        let (lines, damaged) = guarded(&text);
        assert_eq!(lines.len(), 31);
        assert_eq!(lines[0], "a;\"open\"");
        assert_eq!(lines[30], "r29;x");
        assert_eq!(damaged, [1]);
    }

    #[test]
    fn a_stray_quote_further_down_does_not_join_lines() {
        let mut g = QuoteGuard::new("x;y;z\na;\"open;c\nd;e\"f;g;k\nh;i;j\n".as_bytes(), b';');
        let mut out = String::new();
        g.read_to_string(&mut out).unwrap_or_default();
        assert_eq!(out, "x;y;z\na;\"open;c\"\nd;e\"f;g;k\nh;i;j\n");
        assert_eq!(g.damaged.keys().copied().collect::<Vec<_>>(), [2]);
    }

    #[test]
    fn a_quoted_field_may_span_lines() {
        let (lines, damaged) = guarded("a;\"two\nlines\";c\nd;e\n");
        assert_eq!(lines, ["a;\"two", "lines\";c", "d;e"]);
        assert!(damaged.is_empty());
        // A quote inside an unquoted field is only a character.
        let (lines, _) = guarded("a;b\"c;d\ne;f\n");
        assert_eq!(lines, ["a;b\"c;d", "e;f"]);
    }

    #[test]
    fn bad_text_is_named() {
        assert!(field_text(b"caf\xc3\xa9").is_ok());
        assert!(field_text(b"caf\xe9").is_err());
        assert!(field_text(b"a\0b").is_err());
        assert!(field_text("a\u{81}b".as_bytes()).is_err());
    }
}
