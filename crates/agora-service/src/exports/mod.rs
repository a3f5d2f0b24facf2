//! Open-data exports: the public view of every public listing in the formats the field
//! uses — data·inclusion schema v1, Open Referral HSDS 3.0, and CSV for French
//! spreadsheets.
//!
//! Every item is built from the view the public API renders (`render::listing_views` with
//! `Access::Public`), as the search index is: drafts, pending revisions, confidential and
//! private sections and an anonymous project's owner never reach an exporter. The database
//! is read a page at a time (keyset on the id) and each page is written out before the next
//! one is read, so memory stays flat whatever the number of listings.
//!
//! An [`Exporter`] hands out chunks of bytes; [`Exporter::into_stream`] makes them a
//! `Stream` for a streamed HTTP body, [`Exporter::write_to`] writes them to a file.

mod common;
mod csv;
mod data_inclusion;
mod hsds;
pub mod thematiques;

use crate::render::listing_views;
use crate::{Context, Result, ServiceError};
use agora_domain::{Access, ListingKind};
use agora_store::listings;
use std::collections::HashSet;
use uuid::Uuid;

pub use common::Env;

/// Listings read from the database per page.
pub const PAGE: u64 = 500;

/// What is exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// data·inclusion v1 `Structure`s: Agora's structures.
    DataInclusionStructures,
    /// data·inclusion v1 `Service`s: Agora's services.
    DataInclusionServices,
    /// HSDS 3.0 `service`s.
    HsdsServices,
    /// HSDS 3.0 `organization`s: Agora's structures.
    HsdsOrganizations,
    /// One row per listing (structures, services and projects), for spreadsheets.
    Csv,
}

impl Format {
    pub const ALL: [Format; 5] = [
        Self::DataInclusionStructures,
        Self::DataInclusionServices,
        Self::HsdsOrganizations,
        Self::HsdsServices,
        Self::Csv,
    ];

    /// The kinds of listing read, in order.
    fn kinds(self) -> &'static [ListingKind] {
        match self {
            Self::DataInclusionStructures | Self::HsdsOrganizations => &[ListingKind::Structure],
            Self::DataInclusionServices | Self::HsdsServices => &[ListingKind::Service],
            Self::Csv => &ListingKind::ALL,
        }
    }

    /// The file name an open-data portal gets, for an encoding.
    pub fn file_name(self, encoding: Encoding) -> &'static str {
        match (self, encoding) {
            (Self::Csv, _) => "agora-fiches.csv",
            (Self::DataInclusionStructures, Encoding::JsonArray) => {
                "data-inclusion-structures.json"
            }
            (Self::DataInclusionStructures, Encoding::JsonLines) => {
                "data-inclusion-structures.jsonl"
            }
            (Self::DataInclusionServices, Encoding::JsonArray) => "data-inclusion-services.json",
            (Self::DataInclusionServices, Encoding::JsonLines) => "data-inclusion-services.jsonl",
            (Self::HsdsOrganizations, Encoding::JsonArray) => "hsds-organizations.json",
            (Self::HsdsOrganizations, Encoding::JsonLines) => "hsds-organizations.jsonl",
            (Self::HsdsServices, Encoding::JsonArray) => "hsds-services.json",
            (Self::HsdsServices, Encoding::JsonLines) => "hsds-services.jsonl",
        }
    }

    /// The `Content-Type` of the export.
    pub fn content_type(self, encoding: Encoding) -> &'static str {
        match (self, encoding) {
            (Self::Csv, _) => "text/csv; charset=utf-8",
            (_, Encoding::JsonArray) => "application/json",
            (_, Encoding::JsonLines) => "application/jsonl",
        }
    }
}

/// How JSON items are laid out: one array (what APIs answer), or one item per line
/// (what pipelines that load files line by line prefer). CSV ignores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    #[default]
    JsonArray,
    JsonLines,
}

impl Encoding {
    /// `json` or `jsonl` (the value of a `format` query parameter); `None` otherwise.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "json" => Some(Self::JsonArray),
            "jsonl" | "ndjson" => Some(Self::JsonLines),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Start,
    Body,
    Done,
}

/// Counts of one export so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Items written.
    pub items: u64,
    /// Public listings left out because the format cannot hold them (a data·inclusion
    /// service whose structure is not public has no `structure_id` to give).
    pub skipped: u64,
    /// Bytes handed out.
    pub bytes: u64,
}

/// One export in progress: each call to [`next_chunk`](Self::next_chunk) reads one page of
/// listings and returns its bytes.
pub struct Exporter {
    ctx: Context,
    format: Format,
    encoding: Encoding,
    kind: usize,
    after: Option<Uuid>,
    stage: Stage,
    counts: Counts,
    page: u64,
}

impl Exporter {
    pub fn new(ctx: &Context, format: Format, encoding: Encoding) -> Self {
        Self {
            ctx: ctx.clone(),
            format,
            encoding,
            kind: 0,
            after: None,
            stage: Stage::Start,
            counts: Counts::default(),
            page: PAGE,
        }
    }

    /// Reads `n` listings per page instead of [`PAGE`] (tests of the paging).
    pub fn with_page_size(mut self, n: u64) -> Self {
        self.page = n.max(1);
        self
    }

    pub fn counts(&self) -> Counts {
        self.counts
    }

    /// The next bytes of the export, `None` once it is complete.
    pub async fn next_chunk(&mut self) -> Result<Option<Vec<u8>>> {
        let mut out = Vec::new();
        match self.stage {
            Stage::Done => return Ok(None),
            Stage::Start => {
                self.preamble(&mut out);
                self.stage = Stage::Body;
            }
            Stage::Body => {}
        }
        loop {
            let Some(&kind) = self.format.kinds().get(self.kind) else {
                self.postamble(&mut out);
                self.stage = Stage::Done;
                break;
            };
            let records = listings::list_public(&self.ctx.db, kind, self.after, self.page).await?;
            let Some(last) = records.last().map(|r| r.id) else {
                self.kind += 1;
                self.after = None;
                continue;
            };
            self.after = Some(last);
            self.write_page(kind, records, &mut out).await?;
            if !out.is_empty() {
                break;
            }
        }
        self.counts.bytes += out.len() as u64;
        Ok(Some(out))
    }

    async fn write_page(
        &mut self,
        kind: ListingKind,
        records: Vec<listings::ListingRecord>,
        out: &mut Vec<u8>,
    ) -> Result<()> {
        // Whether each service's structure is itself public: the formats that link a
        // service to its structure only name structures they also export.
        let public_parents: HashSet<Uuid> = if kind == ListingKind::Structure {
            HashSet::new()
        } else {
            let ids: Vec<Uuid> = records.iter().map(|r| r.structure_id).collect();
            listings::by_ids(&self.ctx.db, ListingKind::Structure, ids)
                .await?
                .into_iter()
                .filter(|p| p.is_listed())
                .map(|p| p.id)
                .collect()
        };
        let mut views = listing_views(
            &self.ctx.db,
            records.into_iter().map(|r| (r, Access::Public)).collect(),
        )
        .await?;
        crate::evaluations::attach(&self.ctx, &mut views).await?;
        let env = Env::of(&self.ctx);
        for view in &views {
            let parent_public = view
                .structure
                .as_ref()
                .is_some_and(|s| public_parents.contains(&s.id));
            let written = match self.format {
                Format::DataInclusionStructures => {
                    self.json_item(out, data_inclusion::structure(&env, view))?
                }
                Format::DataInclusionServices => {
                    self.json_item(out, data_inclusion::service(&env, view, parent_public))?
                }
                Format::HsdsOrganizations => self.json_item(out, hsds::organization(&env, view))?,
                Format::HsdsServices => {
                    self.json_item(out, hsds::service(&env, view, parent_public))?
                }
                Format::Csv => {
                    csv::row(&env, view, out);
                    true
                }
            };
            if written {
                self.counts.items += 1;
            } else {
                self.counts.skipped += 1;
            }
        }
        Ok(())
    }

    /// Writes `item` if there is one; whether it did.
    fn json_item<T: serde::Serialize>(&self, out: &mut Vec<u8>, item: Option<T>) -> Result<bool> {
        let Some(item) = item else {
            return Ok(false);
        };
        if self.encoding == Encoding::JsonArray && self.counts.items > 0 {
            out.push(b',');
        }
        serde_json::to_writer(&mut *out, &item)
            .map_err(|e| ServiceError::Internal(format!("export item not serialised: {e}")))?;
        out.push(b'\n');
        Ok(true)
    }

    fn preamble(&self, out: &mut Vec<u8>) {
        match (self.format, self.encoding) {
            (Format::Csv, _) => csv::header(out),
            (_, Encoding::JsonArray) => out.extend_from_slice(b"[\n"),
            (_, Encoding::JsonLines) => {}
        }
    }

    fn postamble(&self, out: &mut Vec<u8>) {
        if self.format != Format::Csv && self.encoding == Encoding::JsonArray {
            out.extend_from_slice(b"]\n");
        }
    }

    /// The export as a stream of chunks, for a streamed HTTP body (wrap each chunk in
    /// `Bytes::from`, which takes the vector without copying).
    pub fn into_stream(self) -> impl futures_util::Stream<Item = Result<Vec<u8>>> {
        futures_util::stream::try_unfold(self, |mut exporter| async move {
            Ok(exporter.next_chunk().await?.map(|chunk| (chunk, exporter)))
        })
    }

    /// Writes the whole export to `sink`; returns its counts.
    pub async fn write_to(mut self, sink: &mut impl std::io::Write) -> Result<Counts> {
        while let Some(chunk) = self.next_chunk().await? {
            sink.write_all(&chunk)
                .map_err(|e| ServiceError::Internal(format!("export not written: {e}")))?;
        }
        sink.flush()
            .map_err(|e| ServiceError::Internal(format!("export not written: {e}")))?;
        Ok(self.counts)
    }
}
