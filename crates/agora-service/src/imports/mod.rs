//! Filling Agora from registers that already exist — the RNA (associations) and
//! data·inclusion (structures and services of social inclusion) — without publishing
//! anything: every imported record becomes a listing in the moderation queue, as if its
//! structure had written and submitted it, with no member account behind it. The audit
//! trail says `imported`, by the system.
//!
//! Files are read as a stream on a thread of their own (memory stays flat whatever
//! their size) while the listings are written in batches, one transaction each. A broken
//! row is reported with its line number and the rest goes on.

pub mod data_inclusion;
mod json;
pub mod rna;
pub mod text;
mod writer;

use crate::{Context, Result, ServiceError};
use agora_domain::{ListingContent, ListingKind};
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

pub use text::Encoding;

/// How many invalid rows a report lists one by one (all are counted).
pub const INVALID_LISTED: usize = 50;
/// Examples kept for each reason a record was skipped.
const EXAMPLES: usize = 5;
/// Listings written per transaction.
const BATCH: usize = 500;
/// Rows read per batch at most, whatever was kept of them (filters may keep few).
const BATCH_ROWS: usize = 20_000;

/// Whether an import writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    #[default]
    Write,
    /// Reads and checks the file, writes nothing: what it would keep, skip or refuse
    /// (skips that depend on what Agora already has are not known).
    DryRun,
}

/// What an import did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportReport {
    /// Rows (RNA) or items (data·inclusion) read, header excluded.
    pub read: u64,
    /// Records that passed the filters and make valid listings (all written unless
    /// skipped, in a real run).
    pub kept: u64,
    /// New listings put in the moderation queue.
    pub created: u64,
    /// Listings of an earlier import, still waiting for moderation, brought up to date.
    pub updated: u64,
    /// Listings of an earlier import that the file gives again as they are.
    pub unchanged: u64,
    /// Records not imported, counted by reason, with a few identifiers as examples.
    pub skipped: BTreeMap<String, Skipped>,
    /// Rows that could not be read or do not make a valid listing.
    pub invalid: u64,
    /// The first [`INVALID_LISTED`] of them.
    pub invalid_rows: Vec<InvalidRow>,
    /// Values of the source's vocabularies that have no counterpart in Agora's, by count.
    pub unmapped: BTreeMap<String, u64>,
    /// The encoding the file was read in (text files).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<&'static str>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Skipped {
    pub count: u64,
    pub examples: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InvalidRow {
    pub line: u64,
    pub reason: String,
}

impl ImportReport {
    pub fn skipped_total(&self) -> u64 {
        self.skipped.values().map(|s| s.count).sum()
    }

    fn skip(&mut self, reason: &str, example: Option<String>) {
        let entry = self.skipped.entry(reason.to_owned()).or_default();
        entry.count += 1;
        if let Some(e) = example
            && entry.examples.len() < EXAMPLES
        {
            entry.examples.push(e);
        }
    }

    fn invalid(&mut self, line: u64, reason: String) {
        self.invalid += 1;
        if self.invalid_rows.len() < INVALID_LISTED {
            self.invalid_rows.push(InvalidRow { line, reason });
        }
    }
}

/// A record made into a listing's content, waiting to be written.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    /// Where the record starts in its file.
    pub line: u64,
    /// Its identifier in the source.
    pub external_id: String,
    pub content: ListingContent,
    /// For a service: the source's identifier of its structure.
    pub parent: Option<String>,
}

impl Candidate {
    fn kind(&self) -> ListingKind {
        self.content.kind()
    }
}

/// What the reading thread makes of one row.
#[derive(Debug)]
pub(crate) enum Outcome {
    Candidate(Box<Candidate>),
    Skipped {
        reason: &'static str,
        example: Option<String>,
    },
    Invalid {
        line: u64,
        reason: String,
    },
}

/// Rows read since the last batch, and how far into the file that is.
#[derive(Debug, Default)]
pub(crate) struct Batch {
    pub rows: u64,
    pub outcomes: Vec<Outcome>,
    pub unmapped: Vec<String>,
}

/// The reading side of an import: what it sends, and how far it has read.
pub(crate) struct Feed {
    tx: tokio::sync::mpsc::Sender<Batch>,
    batch: Batch,
    candidates: usize,
}

impl Feed {
    pub fn new(tx: tokio::sync::mpsc::Sender<Batch>) -> Self {
        Self {
            tx,
            batch: Batch::default(),
            candidates: 0,
        }
    }

    /// Adds one row's outcome; sends the batch when full. False when the writing side has
    /// stopped (an error there), so that reading stops too.
    pub fn push(&mut self, outcome: Outcome) -> bool {
        self.batch.rows += 1;
        self.add(outcome)
    }

    fn add(&mut self, outcome: Outcome) -> bool {
        if matches!(outcome, Outcome::Candidate(_)) {
            self.candidates += 1;
        }
        self.batch.outcomes.push(outcome);
        if self.candidates >= BATCH || self.batch.outcomes.len() >= BATCH_ROWS {
            return self.flush();
        }
        true
    }

    /// A row read and counted, with nothing to report for it (yet).
    pub fn seen(&mut self) {
        self.batch.rows += 1;
    }

    /// An outcome for a row already counted (read a second time).
    pub fn push_again(&mut self, outcome: Outcome) -> bool {
        self.add(outcome)
    }

    /// A value of the source's vocabularies that maps to nothing in Agora's.
    pub fn unmapped(&mut self, value: String) {
        self.batch.unmapped.push(value);
    }

    pub fn flush(&mut self) -> bool {
        self.candidates = 0;
        let batch = std::mem::take(&mut self.batch);
        self.tx.blocking_send(batch).is_ok()
    }
}

/// Runs `read` on a blocking thread, feeding batches to the writer, and reports
/// `progress` (bytes of the file read) after each batch is written.
pub(crate) async fn run<F>(
    ctx: &Context,
    source: &'static str,
    mode: Mode,
    read: F,
    progress: &(dyn Fn(u64) + Send + Sync),
) -> Result<ImportReport>
where
    F: FnOnce(&mut Feed, Arc<AtomicU64>) -> Result<Option<Encoding>> + Send + 'static,
{
    let (tx, mut rx) = tokio::sync::mpsc::channel(2);
    let bytes = Arc::new(AtomicU64::new(0));
    let counter = bytes.clone();
    let reader = tokio::task::spawn_blocking(move || {
        let mut feed = Feed::new(tx);
        let encoding = read(&mut feed, counter)?;
        feed.flush();
        Ok::<_, ServiceError>(encoding)
    });
    let run = writer::Run::new(source);
    let mut report = ImportReport::default();
    let mut failed = None;
    while let Some(batch) = rx.recv().await {
        if failed.is_some() {
            continue;
        }
        report.read += batch.rows;
        for v in batch.unmapped {
            *report.unmapped.entry(v).or_default() += 1;
        }
        let mut candidates = Vec::new();
        for outcome in batch.outcomes {
            match outcome {
                Outcome::Candidate(c) => candidates.push(*c),
                Outcome::Skipped { reason, example } => report.skip(reason, example),
                Outcome::Invalid { line, reason } => report.invalid(line, reason),
            }
        }
        report.kept += candidates.len() as u64;
        if mode == Mode::DryRun {
            progress(bytes.load(Ordering::Relaxed));
            continue;
        }
        if let Err(e) = writer::write(ctx, &run, &mut report, candidates).await {
            // Dropping the receiver stops the reader at its next batch.
            failed = Some(e);
            rx.close();
            continue;
        }
        progress(bytes.load(Ordering::Relaxed));
    }
    let read = reader
        .await
        .map_err(|e| ServiceError::Internal(format!("the import's reader stopped: {e}")))?;
    if let Some(e) = failed {
        return Err(e);
    }
    report.encoding = read?.map(Encoding::as_str);
    progress(bytes.load(Ordering::Relaxed));
    Ok(report)
}

/// A refusal of the file as a whole (not one of its rows).
pub(crate) fn unreadable(detail: impl Into<String>) -> ServiceError {
    ServiceError::Validation(agora_domain::ValidationErrors::single(
        "/file",
        "unreadable_file",
        detail.into(),
    ))
}

/// Text cut to `max` characters at a word boundary, with an ellipsis when cut.
pub(crate) fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max.saturating_sub(1)).collect();
    let at_word = match cut.rfind(char::is_whitespace) {
        Some(i) if i > cut.len() / 2 => &cut[..i],
        _ => cut.as_str(),
    };
    format!(
        "{}…",
        at_word.trim_end_matches(|c: char| c.is_whitespace() || c == ',')
    )
}

/// Trims and collapses runs of spaces; `None` when nothing is left.
pub(crate) fn clean(text: &str) -> Option<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// What a validation failure of imported content says, field by field.
pub(crate) fn describe(errors: &agora_domain::ValidationErrors) -> String {
    errors
        .0
        .iter()
        .map(|e| format!("{}: {}", e.pointer, e.detail))
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_shortened_at_a_word() {
        assert_eq!(shorten("court", 10), "court");
        assert_eq!(shorten("aider les malades du cancer", 15), "aider les…");
        assert_eq!(clean("  a   b \t c "), Some("a b c".into()));
        assert_eq!(clean("   "), None);
    }
}
