//! XLSX: a header sheet (label, value) and one sheet with one row per entry: heading row
//! frozen, autofilter over the table, wrapped text at fixed column widths, each row as tall as
//! its content, dates as date cells, and set to print: A4 landscape, one page wide, the
//! heading row repeated on every page.
//!
//! The entry sheet is written in rust_xlsxwriter's constant-memory mode (rows go to a temporary
//! file as they are written), so memory stays flat as the record grows. An XLSX file is a zip
//! archive whose directory comes last; it is assembled in memory and then written out.

use std::borrow::Borrow;
use std::io::Write;

use rust_xlsxwriter::{Color, DocProperties, Format, FormatAlign, Workbook, Worksheet, XlsxError};

use super::catalogue::catalogue;
use super::model::{ControllerEntry, Header, ProcessorRecord};
use super::table::{self, Cell, Column, CONTROLLER_COLUMNS, PROCESSOR_COLUMNS};
use crate::error::{AppError, AppResult};
use crate::notice::Lang;

/// Excel's tallest row, in points.
const MAX_HEIGHT: f64 = 409.0;
/// The height of one line of the default font (Calibri 11), in points.
const LINE_HEIGHT: f64 = 15.0;
/// The header sheet's columns: label, value.
const HEADER_WIDTHS: [u16; 2] = [30, 90];
/// A4, in Excel's paper codes.
const A4: u8 = 9;

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

/// The lines `text` takes wrapped in a column `width` characters wide.
fn wrapped_lines(text: &str, width: u16) -> usize {
    let width = usize::from(width.max(2) - 1);
    text.split('\n')
        .map(|line| line.chars().count().div_ceil(width).max(1))
        .sum()
}

/// The height of a row whose cells are `texts` in columns `widths` wide, in points.
fn row_height<'t>(cells: impl Iterator<Item = (&'t str, u16)>) -> f64 {
    let lines = cells
        .map(|(text, width)| wrapped_lines(text, width))
        .max()
        .unwrap_or(1);
    (lines as f64 * LINE_HEIGHT).min(MAX_HEIGHT)
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

/// The cell formats: wrapped text, headings, an absence (italic), a date.
struct Formats {
    wrap: Format,
    bold: Format,
    absent: Format,
    date: Format,
}

impl Formats {
    fn new() -> Self {
        let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
        Self {
            bold: wrap.clone().set_bold(),
            absent: wrap
                .clone()
                .set_italic()
                .set_font_color(Color::RGB(0x55_55_55)),
            date: Format::new()
                .set_num_format("yyyy-mm-dd")
                .set_align(FormatAlign::Top)
                .set_align(FormatAlign::Left),
            wrap,
        }
    }
}

/// Writes one cell: text wrapped, a date as a date cell, an absence in words and italics.
fn write_cell(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &Cell,
    text: &str,
    f: &Formats,
) -> AppResult<()> {
    match cell {
        Cell::Date(d) => sheet.write_date_with_format(row, col, d, &f.date),
        Cell::Text(_) => sheet.write_string_with_format(row, col, text, &f.wrap),
        _ => sheet.write_string_with_format(row, col, text, &f.absent),
    }
    .map_err(err)?;
    Ok(())
}

/// Printing: A4, the whole width on one page, the heading row on every page.
fn print_setup(sheet: &mut Worksheet, landscape: bool) {
    sheet.set_paper_size(A4);
    if landscape {
        sheet.set_landscape();
    } else {
        sheet.set_portrait();
    }
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_margins(0.4, 0.4, 0.5, 0.5, 0.3, 0.3);
}

fn header_sheet(book: &mut Workbook, header: &Header, f: &Formats) -> AppResult<()> {
    let c = catalogue()?;
    let lang = table::lang_of(header);
    let sheet = book.add_worksheet();
    sheet
        .set_name(sheet_name(c.header.header_sheet.get(lang)))
        .map_err(err)?;
    for (col, w) in HEADER_WIDTHS.iter().enumerate() {
        sheet.set_column_width(col as u16, *w).map_err(err)?;
    }
    sheet
        .write_string_with_format(0, 0, &header.title, &f.bold)
        .map_err(err)?;
    for (i, (label, value)) in table::header_rows(c, header).iter().enumerate() {
        let row = i as u32 + 2;
        let text = value.text(c, lang);
        sheet
            .set_row_height(
                row,
                row_height(
                    [
                        (label.as_str(), HEADER_WIDTHS[0]),
                        (&*text, HEADER_WIDTHS[1]),
                    ]
                    .into_iter(),
                ),
            )
            .map_err(err)?;
        sheet
            .write_string_with_format(row, 0, label, &f.bold)
            .map_err(err)?;
        write_cell(sheet, row, 1, value, &text, f)?;
    }
    print_setup(sheet, false);
    Ok(())
}

/// Writes `rows` under the headings of `columns` on a new constant-memory sheet: columns at
/// their fixed widths, each row as tall as its most wrapped cell (set before the row is
/// written, as constant-memory mode needs), heading frozen, filtered and printed on every
/// page.
fn table_sheet(
    book: &mut Workbook,
    lang: Lang,
    columns: &[Column],
    rows: impl Iterator<Item = Vec<Cell>>,
    f: &Formats,
) -> AppResult<()> {
    let c = catalogue()?;
    let sheet: &mut Worksheet = book.add_worksheet_with_constant_memory();
    sheet
        .set_name(sheet_name(c.header.activities_sheet.get(lang)))
        .map_err(err)?;
    for (col, column) in columns.iter().enumerate() {
        sheet
            .set_column_width(col as u16, column.width)
            .map_err(err)?;
    }
    let headings = table::headings(c, columns, lang);
    sheet
        .set_row_height(
            0,
            row_height(
                headings
                    .iter()
                    .map(String::as_str)
                    .zip(columns.iter().map(|c| c.width)),
            ),
        )
        .map_err(err)?;
    for (col, heading) in headings.iter().enumerate() {
        sheet
            .write_string_with_format(0, col as u16, heading, &f.bold)
            .map_err(err)?;
    }
    let mut last_row = 0u32;
    for (i, cells) in rows.enumerate() {
        let row = i as u32 + 1;
        let texts: Vec<_> = cells.iter().map(|cell| cell.text(c, lang)).collect();
        sheet
            .set_row_height(
                row,
                row_height(
                    texts
                        .iter()
                        .map(|t| &**t)
                        .zip(columns.iter().map(|c| c.width)),
                ),
            )
            .map_err(err)?;
        for (col, (cell, text)) in cells.iter().zip(&texts).enumerate() {
            write_cell(sheet, row, col as u16, cell, text, f)?;
        }
        last_row = row;
    }
    // In constant-memory mode rust_xlsxwriter 0.90 writes the last row's <row> element twice
    // when that row has a height of its own, which Excel takes for a damaged file. A formatted
    // blank cell below the table makes the last row an ordinary one; it shows nothing.
    sheet.write_blank(last_row + 1, 0, &f.wrap).map_err(err)?;
    let last_col = columns.len().saturating_sub(1) as u16;
    sheet.set_freeze_panes(1, 0).map_err(err)?;
    sheet.autofilter(0, 0, last_row, last_col).map_err(err)?;
    sheet.set_repeat_rows(0, 0).map_err(err)?;
    print_setup(sheet, true);
    Ok(())
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
    let f = Formats::new();
    let mut book = workbook(header);
    header_sheet(&mut book, header, &f)?;
    table_sheet(
        &mut book,
        lang,
        &CONTROLLER_COLUMNS,
        entries
            .into_iter()
            .map(|e| table::controller_row(c, lang, e.borrow())),
        &f,
    )?;
    save(book, out)
}

/// The processor's record: the header sheet and one row per activity, controller first.
pub fn processor<W: Write>(out: W, record: &ProcessorRecord) -> AppResult<()> {
    let c = catalogue()?;
    let lang = table::lang_of(&record.header);
    let f = Formats::new();
    let mut book = workbook(&record.header);
    header_sheet(&mut book, &record.header, &f)?;
    table_sheet(
        &mut book,
        lang,
        &PROCESSOR_COLUMNS,
        record.controllers.iter().flat_map(|s| {
            s.entries
                .iter()
                .map(move |e| table::processor_row(c, lang, s.controller.as_ref(), e))
        }),
        &f,
    )?;
    save(book, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_as_tall_as_their_most_wrapped_cell() {
        assert_eq!(wrapped_lines("", 10), 1);
        assert_eq!(wrapped_lines("123456789", 10), 1);
        assert_eq!(wrapped_lines("1234567890", 10), 2);
        assert_eq!(wrapped_lines("a\nb\nc", 10), 3);
        assert_eq!(row_height([("a\nb", 10), ("x", 10)].into_iter()), 30.0);
        assert_eq!(
            row_height([("x\n".repeat(100).as_str(), 10)].into_iter()),
            MAX_HEIGHT
        );
    }
}
