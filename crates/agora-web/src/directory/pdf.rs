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

fn file_id(path: &str) -> Result<FileId, String> {
    let vpath = VirtualPath::new(path).map_err(|e| format!("{path}: {e:?}"))?;
    Ok(FileId::new(RootedPath::new(VirtualRoot::Project, vpath)))
}

/// The template, its data and its images, in memory.
struct DirectoryWorld {
    main: Source,
    files: HashMap<FileId, Bytes>,
}

impl World for DirectoryWorld {
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
    let entries = directory
        .families
        .iter()
        .flat_map(|f| f.themes.iter().flat_map(|t| t.entries.iter()))
        .chain(directory.national.iter());
    for e in entries {
        let png = qr::png_of(&format!("{base}{}", e.href)).ok_or("QR code")?;
        files.insert(file_id(&format!("/qr/{}.png", e.id))?, Bytes::new(png));
    }
    let world = DirectoryWorld {
        main: Source::new(file_id("/directory.typ")?, TEMPLATE.to_owned()),
        files,
    };
    // The document type is the one the PDF exporter takes.
    let document = typst::compile(&world).output.map_err(|errors| {
        errors
            .iter()
            .map(|e| e.message.to_string())
            .collect::<Vec<_>>()
            .join("; ")
    })?;
    typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default()).map_err(|errors| {
        errors
            .iter()
            .map(|e| e.message.to_string())
            .collect::<Vec<_>>()
            .join("; ")
    })
}

/// Typesets `directory`, its QR codes pointing under `base` (this installation's address).
pub async fn render(directory: Directory, base: String) -> Result<Vec<u8>, String> {
    tokio::task::spawn_blocking(move || typeset(&directory, &base))
        .await
        .map_err(|e| e.to_string())?
}
