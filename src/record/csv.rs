//! CSV (RFC 4180: comma, double quotes, CRLF; UTF-8): a heading row and one row per entry,
//! written row by row.

use std::borrow::Borrow;
use std::io::Write;

use super::catalogue::catalogue;
use super::model::{ControllerEntry, Header, ProcessorRecord};
use super::table::{self, CONTROLLER_COLUMNS, PROCESSOR_COLUMNS};
use crate::error::{AppError, AppResult};

fn writer<W: Write>(out: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(out)
}

/// The controller's record: the columns of [`CONTROLLER_COLUMNS`], headed in its language.
pub fn controller<W: Write, E: Borrow<ControllerEntry>>(
    out: W,
    header: &Header,
    entries: impl IntoIterator<Item = E>,
) -> AppResult<()> {
    let c = catalogue()?;
    let lang = table::lang_of(header);
    let mut w = writer(out);
    w.write_record(table::headings(c, &CONTROLLER_COLUMNS, lang))
        .map_err(AppError::internal)?;
    for entry in entries {
        w.write_record(table::controller_row(c, lang, entry.borrow()))
            .map_err(AppError::internal)?;
    }
    w.flush().map_err(AppError::internal)
}

/// The processor's record: one row per activity, the controller first.
pub fn processor<W: Write>(out: W, record: &ProcessorRecord) -> AppResult<()> {
    let c = catalogue()?;
    let lang = table::lang_of(&record.header);
    let mut w = writer(out);
    w.write_record(table::headings(c, &PROCESSOR_COLUMNS, lang))
        .map_err(AppError::internal)?;
    for section in &record.controllers {
        for entry in &section.entries {
            w.write_record(table::processor_row(
                c,
                lang,
                section.controller.as_ref(),
                entry,
            ))
            .map_err(AppError::internal)?;
        }
    }
    w.flush().map_err(AppError::internal)
}
