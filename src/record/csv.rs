//! CSV (RFC 4180: double quotes, CRLF; UTF-8 with a byte order mark, so that spreadsheet
//! programs read ä and ö right): a heading row and one row per entry, written row by row.
//!
//! The file stands alone as the record: its first columns are the record keeper's (name and
//! contact details, contact person, DPO, representative: Art. 30(1)(a) / 30(2)(a)), repeated
//! on every row, so spreadsheet tools still open it as one table. The first heading is never
//! `ID` (a file starting so is taken for SYLK). A cell starting with `=`, `+`, `-`, `@`, a tab
//! or a carriage return gets a leading `'`, so that no spreadsheet runs it as a formula
//! (OWASP, CSV injection). The delimiter is a comma, or a semicolon for spreadsheets in locales
//! whose decimal separator is the comma (Finnish, Swedish).

use std::borrow::Borrow;
use std::io::Write;

use super::catalogue::{catalogue, RecordCatalogue};
use super::model::{ControllerEntry, Header, ProcessorRecord};
use super::table::{self, Cell, Column, CONTROLLER_COLUMNS, CONTROLLER_KEEPER};
use super::table::{PROCESSOR_COLUMNS, PROCESSOR_KEEPER};
use crate::error::{AppError, AppResult};
use crate::notice::Lang;

/// The field delimiter of a CSV record.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Delimiter {
    #[default]
    Comma,
    Semicolon,
}

impl Delimiter {
    /// `comma` or `semicolon`, as the option names them.
    pub fn parse(name: &str) -> Option<Delimiter> {
        match name {
            "comma" => Some(Delimiter::Comma),
            "semicolon" => Some(Delimiter::Semicolon),
            _ => None,
        }
    }

    fn byte(self) -> u8 {
        match self {
            Delimiter::Comma => b',',
            Delimiter::Semicolon => b';',
        }
    }
}

/// The byte order mark a CSV record starts with.
pub const BOM: &str = "\u{feff}";

/// `text` as a spreadsheet takes it literally: a leading `'` before a character that would
/// start a formula.
pub fn neutralised(text: &str) -> std::borrow::Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}").into(),
        _ => text.into(),
    }
}

fn writer<W: Write>(mut out: W, delimiter: Delimiter) -> AppResult<csv::Writer<W>> {
    out.write_all(BOM.as_bytes()).map_err(AppError::internal)?;
    Ok(csv::WriterBuilder::new()
        .delimiter(delimiter.byte())
        .terminator(csv::Terminator::CRLF)
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(out))
}

fn headings(c: &RecordCatalogue, lang: Lang, keeper: &[Column], columns: &[Column]) -> Vec<String> {
    let mut row = table::headings(c, keeper, lang);
    row.extend(table::headings(c, columns, lang));
    row
}

fn write_row<W: Write>(
    w: &mut csv::Writer<W>,
    c: &RecordCatalogue,
    lang: Lang,
    keeper: &[Cell],
    cells: &[Cell],
) -> AppResult<()> {
    let texts: Vec<String> = keeper
        .iter()
        .chain(cells)
        .map(|cell| neutralised(&cell.text(c, lang)).into_owned())
        .collect();
    w.write_record(texts).map_err(AppError::internal)
}

/// The controller's record: the keeper's columns, then those of [`CONTROLLER_COLUMNS`],
/// headed in its language.
pub fn controller<W: Write, E: Borrow<ControllerEntry>>(
    out: W,
    delimiter: Delimiter,
    header: &Header,
    entries: impl IntoIterator<Item = E>,
) -> AppResult<()> {
    let c = catalogue()?;
    let lang = table::lang_of(header);
    let mut w = writer(out, delimiter)?;
    w.write_record(headings(c, lang, &CONTROLLER_KEEPER, &CONTROLLER_COLUMNS))
        .map_err(AppError::internal)?;
    let keeper = table::keeper_row(header);
    for entry in entries {
        write_row(
            &mut w,
            c,
            lang,
            &keeper,
            &table::controller_row(c, lang, entry.borrow()),
        )?;
    }
    w.flush().map_err(AppError::internal)
}

/// The processor's record: the keeper's columns, then one row per activity, the controller
/// it is done for first.
pub fn processor<W: Write>(
    out: W,
    delimiter: Delimiter,
    record: &ProcessorRecord,
) -> AppResult<()> {
    let c = catalogue()?;
    let lang = table::lang_of(&record.header);
    let mut w = writer(out, delimiter)?;
    w.write_record(headings(c, lang, &PROCESSOR_KEEPER, &PROCESSOR_COLUMNS))
        .map_err(AppError::internal)?;
    let keeper = table::keeper_row(&record.header);
    for section in &record.controllers {
        for entry in &section.entries {
            let cells = table::processor_row(c, lang, section.controller.as_ref(), entry);
            write_row(&mut w, c, lang, &keeper, &cells)?;
        }
    }
    w.flush().map_err(AppError::internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_other_text_kept() {
        assert_eq!(neutralised("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        for start in ["+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert!(neutralised(start).starts_with('\''), "{start:?}");
        }
        assert_eq!(neutralised("Asiakkuus"), "Asiakkuus");
        assert_eq!(neutralised("2026-01-01"), "2026-01-01");
        assert_eq!(neutralised(""), "");
    }
}
