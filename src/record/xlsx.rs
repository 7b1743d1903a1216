//! XLSX: a header sheet (label, value) and one sheet with one row per entry: heading row
//! frozen, autofilter over the table, wrapped text, column widths fitted to the longest line.
//!
//! The entry sheet is written in rust_xlsxwriter's constant-memory mode (rows go to a temporary
//! file as they are written), so memory stays flat as the record grows. An XLSX file is a zip
//! archive whose directory comes last; it is assembled in memory and then written out.

use std::borrow::Borrow;
use std::io::Write;

use rust_xlsxwriter::{DocProperties, Format, FormatAlign, Workbook, Worksheet, XlsxError};

use super::catalogue::catalogue;
use super::model::{ControllerEntry, Header, ProcessorRecord};
use super::table::{self, CONTROLLER_COLUMNS, PROCESSOR_COLUMNS};
use crate::error::{AppError, AppResult};

const MIN_WIDTH: usize = 8;
const MAX_WIDTH: usize = 60;

fn err(e: XlsxError) -> AppError {
    AppError::internal(e)
}

/// Excel limits sheet names to 31 characters without `[]:*?/\`.
fn sheet_name(name: &str) -> String {
    name.chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect()
}

/// The widest line of a cell, in characters.
fn width(text: &str) -> usize {
    text.lines().map(|l| l.chars().count()).max().unwrap_or(0)
}

fn workbook(header: &Header) -> Workbook {
    let mut book = Workbook::new();
    // The creation time is the record's, so the same record gives the same bytes.
    book.set_properties(
        &DocProperties::new()
            .set_title(&header.title)
            .set_company(&header.organisation.name)
            .set_creation_datetime(&header.produced_at),
    );
    book
}

fn header_sheet(
    book: &mut Workbook,
    header: &Header,
    wrap: &Format,
    bold: &Format,
) -> AppResult<()> {
    let c = catalogue()?;
    let lang = table::lang_of(header);
    let sheet = book.add_worksheet();
    sheet
        .set_name(sheet_name(c.header.header_sheet.get(lang)))
        .map_err(err)?;
    sheet
        .write_string_with_format(0, 0, &header.title, bold)
        .map_err(err)?;
    let mut widths = [MIN_WIDTH, MIN_WIDTH];
    for (i, (label, value)) in table::header_rows(c, header).iter().enumerate() {
        let row = i as u32 + 2;
        sheet
            .write_string_with_format(row, 0, label, bold)
            .map_err(err)?;
        sheet
            .write_string_with_format(row, 1, value, wrap)
            .map_err(err)?;
        widths[0] = widths[0].max(width(label));
        widths[1] = widths[1].max(width(value));
    }
    for (col, w) in widths.iter().enumerate() {
        sheet
            .set_column_width(col as u16, (*w).min(MAX_WIDTH) as f64 + 2.0)
            .map_err(err)?;
    }
    Ok(())
}

/// Writes `rows` under `headings` on a new constant-memory sheet, then freezes, filters and
/// sizes it.
fn table_sheet(
    book: &mut Workbook,
    name: &str,
    headings: &[String],
    rows: impl Iterator<Item = Vec<String>>,
    wrap: &Format,
    bold: &Format,
) -> AppResult<()> {
    let sheet: &mut Worksheet = book.add_worksheet_with_constant_memory();
    sheet.set_name(sheet_name(name)).map_err(err)?;
    let mut widths: Vec<usize> = headings.iter().map(|h| width(h).max(MIN_WIDTH)).collect();
    for (col, heading) in headings.iter().enumerate() {
        sheet
            .write_string_with_format(0, col as u16, heading, bold)
            .map_err(err)?;
    }
    let mut last_row = 0u32;
    for (i, cells) in rows.enumerate() {
        let row = i as u32 + 1;
        for (col, cell) in cells.iter().enumerate() {
            if !cell.is_empty() {
                sheet
                    .write_string_with_format(row, col as u16, cell, wrap)
                    .map_err(err)?;
            }
            widths[col] = widths[col].max(width(cell));
        }
        last_row = row;
    }
    let last_col = headings.len().saturating_sub(1) as u16;
    sheet.set_freeze_panes(1, 0).map_err(err)?;
    sheet.autofilter(0, 0, last_row, last_col).map_err(err)?;
    for (col, w) in widths.iter().enumerate() {
        sheet
            .set_column_width(col as u16, (*w).min(MAX_WIDTH) as f64 + 2.0)
            .map_err(err)?;
    }
    Ok(())
}

fn formats() -> (Format, Format) {
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let bold = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    (wrap, bold)
}

fn save<W: Write>(mut book: Workbook, mut out: W) -> AppResult<()> {
    let bytes = book.save_to_buffer().map_err(err)?;
    out.write_all(&bytes).map_err(AppError::internal)?;
    out.flush().map_err(AppError::internal)
}

/// The controller's record: the header sheet and the activities sheet.
pub fn controller<W: Write, E: Borrow<ControllerEntry>>(
    out: W,
    header: &Header,
    entries: impl IntoIterator<Item = E>,
) -> AppResult<()> {
    let c = catalogue()?;
    let lang = table::lang_of(header);
    let (wrap, bold) = formats();
    let mut book = workbook(header);
    header_sheet(&mut book, header, &wrap, &bold)?;
    table_sheet(
        &mut book,
        c.header.activities_sheet.get(lang),
        &table::headings(c, &CONTROLLER_COLUMNS, lang),
        entries
            .into_iter()
            .map(|e| table::controller_row(c, lang, e.borrow())),
        &wrap,
        &bold,
    )?;
    save(book, out)
}

/// The processor's record: the header sheet and one row per activity, controller first.
pub fn processor<W: Write>(out: W, record: &ProcessorRecord) -> AppResult<()> {
    let c = catalogue()?;
    let lang = table::lang_of(&record.header);
    let (wrap, bold) = formats();
    let mut book = workbook(&record.header);
    header_sheet(&mut book, &record.header, &wrap, &bold)?;
    table_sheet(
        &mut book,
        c.header.activities_sheet.get(lang),
        &table::headings(c, &PROCESSOR_COLUMNS, lang),
        record.controllers.iter().flat_map(|s| {
            s.entries
                .iter()
                .map(move |e| table::processor_row(c, lang, s.controller.as_ref(), e))
        }),
        &wrap,
        &bold,
    )?;
    save(book, out)
}
