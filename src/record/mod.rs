//! The records of processing activities (GDPR Art. 30), derived from the graph.
//!
//! - [`model`]: the controller's record (Art. 30(1)) and the processor's (Art. 30(2)) as
//!   structure, in one language, every enumerated value with its label and its code;
//! - [`build`] makes them from an [`OrganisationGraph`], now or as it was
//!   ([`graph_at`] rebuilds the graph at a past time from the audit trail);
//! - [`csv`], [`json`], [`jsonld`], [`html`] and [`xlsx`] write them to any [`std::io::Write`],
//!   entry by entry; [`table`] is the column layout they share;
//! - [`export`] is one export as the download route and the command line ask for it.
//!
//! The same graph, language and production time give byte-identical files in every format.

pub mod build;
pub mod catalogue;
pub mod csv;
pub mod export;
pub mod graph_at;
pub mod html;
pub mod json;
pub mod jsonld;
pub mod model;
pub mod table;
pub mod xlsx;

use std::io::Write;

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

pub use build::{controller_record, graph_version, processor_record, RecordBuilder};
pub use export::{Export, Options};
pub use graph_at::organisation_graph_as_of;
pub use jsonld::CONTEXT;
pub use model::{ControllerEntry, ControllerRecord, ControllerSection, Header, ProcessorRecord};

use crate::domain::adequacy::AdequacyList;
use crate::error::AppResult;
use crate::notice::graph::OrganisationGraph;
use crate::notice::Lang;

/// The export formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// CSV, with its delimiter.
    Csv(csv::Delimiter),
    Json,
    JsonLd,
    Html,
    Xlsx,
}

impl Format {
    pub const ALL: [Format; 5] = [
        Format::Csv(csv::Delimiter::Comma),
        Format::Json,
        Format::JsonLd,
        Format::Html,
        Format::Xlsx,
    ];

    /// The media type of the format.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Csv(_) => "text/csv; charset=utf-8",
            Format::Json => "application/json",
            Format::JsonLd => "application/ld+json",
            Format::Html => "text/html; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }

    /// The file name extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv(_) => "csv",
            Format::Json => "json",
            Format::JsonLd => "jsonld",
            Format::Html => "html",
            Format::Xlsx => "xlsx",
        }
    }
}

/// Writes the controller's record of `header` and `entries` (built one by one, as
/// [`RecordBuilder::controller_entries`] gives them) in `format`.
pub fn write_controller<W: Write, E: std::borrow::Borrow<ControllerEntry>>(
    format: Format,
    out: W,
    header: &Header,
    entries: impl IntoIterator<Item = E>,
) -> AppResult<()> {
    match format {
        Format::Csv(d) => csv::controller(out, d, header, entries),
        Format::Json => json::controller(out, header, entries),
        Format::JsonLd => jsonld::controller(out, header, entries),
        Format::Html => html::controller(out, header, entries),
        Format::Xlsx => xlsx::controller(out, header, entries),
    }
}

/// Writes the processor's record in `format`.
pub fn write_processor<W: Write>(
    format: Format,
    out: W,
    record: &ProcessorRecord,
) -> AppResult<()> {
    match format {
        Format::Csv(d) => csv::processor(out, d, record),
        Format::Json => json::processor(out, record),
        Format::JsonLd => jsonld::processor(out, record),
        Format::Html => html::processor(out, record),
        Format::Xlsx => xlsx::processor(out, record),
    }
}

impl ControllerRecord {
    /// Writes the record in `format`.
    pub fn write<W: Write>(&self, format: Format, out: W) -> AppResult<()> {
        write_controller(format, out, &self.header, &self.entries)
    }
}

impl ProcessorRecord {
    /// Writes the record in `format`.
    pub fn write<W: Write>(&self, format: Format, out: W) -> AppResult<()> {
        write_processor(format, out, self)
    }
}

/// Streams the controller's record of an organisation (now, or as it was at `as_of`) in
/// `format`: the graph is read once, and each entry is built as it is written.
#[allow(clippy::too_many_arguments)]
pub async fn export_controller<C: ConnectionTrait, W: Write>(
    db: &C,
    organisation_id: Uuid,
    registers: Option<&[Uuid]>,
    lang: Lang,
    adequacy: &AdequacyList,
    produced_at: DateTime<Utc>,
    as_of: Option<DateTime<Utc>>,
    format: Format,
    out: W,
) -> AppResult<()> {
    let graph = load(db, organisation_id, as_of).await?;
    let b = RecordBuilder::new(&graph, registers, lang, adequacy, produced_at, as_of)?;
    let header = b.header(model::RecordKind::Controller);
    write_controller(format, out, &header, b.controller_entries())
}

/// The graph of an organisation now, or at `as_of`.
pub async fn load<C: ConnectionTrait>(
    db: &C,
    organisation_id: Uuid,
    as_of: Option<DateTime<Utc>>,
) -> AppResult<OrganisationGraph> {
    match as_of {
        Some(at) => organisation_graph_as_of(db, organisation_id, at).await,
        None => OrganisationGraph::load(db, organisation_id).await,
    }
}
