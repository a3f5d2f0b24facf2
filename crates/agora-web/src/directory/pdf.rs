//! The directory as a PDF, typeset by Typst from a fixed template: the data goes in as a
//! JSON file the template reads, so that nothing a structure wrote can act as markup.
//! Fonts are Typst's own (embedded in the binary), QR codes are PNG files of the
//! in-memory world, and the work runs off the async executor.

use super::gather::Directory;
use crate::qr;
use std::collections::HashMap;
use std::sync::LazyLock;
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

const TEMPLATE: &str = include_str!("../../templates/directory.typ");

struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

static FONTS: LazyLock<Fonts> = LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts()
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .collect();
    Fonts {
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
    }
});

static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

pub(crate) fn file_id(path: &str) -> Result<FileId, String> {
    let vpath = VirtualPath::new(path).map_err(|e| format!("{path}: {e:?}"))?;
    Ok(FileId::new(RootedPath::new(VirtualRoot::Project, vpath)))
}

/// A template, its data and its images, in memory.
struct MemoryWorld {
    main: Source,
    files: HashMap<FileId, Bytes>,
}

impl World for MemoryWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.files.get(&id).cloned().ok_or(FileError::AccessDenied)
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}

fn typeset(directory: &Directory, base: &str) -> Result<Vec<u8>, String> {
    let mut files = HashMap::new();
    let data = serde_json::to_vec(directory).map_err(|e| e.to_string())?;
    files.insert(file_id("/data.json")?, Bytes::new(data));
    let entries: Vec<_> = directory
        .families
        .iter()
        .flat_map(|f| f.themes.iter().flat_map(|t| t.entries.iter()))
        .chain(directory.national.iter())
        .collect();
    // QR codes are drawn on every core: thousands of them take as long as the layout.
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let chunk = entries.len().div_ceil(threads).max(1);
    let drawn: Vec<Option<(uuid::Uuid, std::sync::Arc<Vec<u8>>)>> = std::thread::scope(|scope| {
        let workers: Vec<_> = entries
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|e| {
                            qr::png_cached(&format!("{base}{}", e.href)).map(|png| (e.id, png))
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_default())
            .collect()
    });
    for found in drawn {
        let (id, png) = found.ok_or("QR code")?;
        files.insert(file_id(&format!("/qr/{id}.png"))?, Bytes::new(png.to_vec()));
    }
    compile("/directory.typ", TEMPLATE, files, "directory")
}

/// Typesets `template` (its path `main`) over `files` into a PDF; `what` names it in the
/// logs. Other printable documents (an event's table plan) use it too.
pub(crate) fn compile(
    main: &str,
    template: &str,
    files: HashMap<FileId, Bytes>,
    what: &str,
) -> Result<Vec<u8>, String> {
    let world = MemoryWorld {
        main: Source::new(file_id(main)?, template.to_owned()),
        files,
    };
    let started = std::time::Instant::now();
    // The document type is the one the PDF exporter takes.
    let document = typst::compile(&world).output.map_err(|errors| {
        errors
            .iter()
            .map(|e| e.message.to_string())
            .collect::<Vec<_>>()
            .join("; ")
    })?;
    let laid_out = started.elapsed();
    // Typst memoises layout across compilations; keep only what recent ones used.
    typst::comemo::evict(4);
    let pdf = typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default()).map_err(|errors| {
        errors
            .iter()
            .map(|e| e.message.to_string())
            .collect::<Vec<_>>()
            .join("; ")
    })?;
    tracing::debug!(
        what,
        pages = document.pages().len(),
        layout_ms = laid_out.as_millis(),
        pdf_ms = (started.elapsed() - laid_out).as_millis(),
        "typeset"
    );
    Ok(pdf)
}

/// Loads the fonts and Typst's library and typesets a small directory once, so that the
/// first person asking for a PDF does not wait for them.
pub fn warm() {
    let empty = Directory {
        area: String::new(),
        printed: String::new(),
        families: Vec::new(),
        national: Vec::new(),
        national_more: 0,
        national_href: String::new(),
        total: 0,
        portal: String::new(),
    };
    if let Err(e) = typeset(&empty, "") {
        tracing::warn!(error = %e, "the directory's template does not typeset");
    }
}

/// Typesets `directory`, its QR codes pointing under `base` (this installation's address).
pub async fn render(directory: Directory, base: String) -> Result<Vec<u8>, String> {
    tokio::task::spawn_blocking(move || typeset(&directory, &base))
        .await
        .map_err(|e| e.to_string())?
}
