//! Printable HTML: one standalone page (its own style, `lang` set), the header as a table, then
//! one section per entry with a table of its fields; written entry by entry, every text escaped.

use std::borrow::Borrow;
use std::io::Write;

use super::catalogue::{catalogue, RecordCatalogue};
use super::model::{ControllerEntry, Header, ProcessorRecord};
use super::table::{self, Cell, CONTROLLER_COLUMNS, PROCESSOR_COLUMNS};
use crate::error::{AppError, AppResult};
use crate::notice::Lang;

const STYLE: &str = "body{font-family:system-ui,sans-serif;font-size:11pt;margin:2em;color:#111}\
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.5em;border-bottom:1px solid #999}\
table{border-collapse:collapse;width:100%;margin:.5em 0}\
th,td{border:1px solid #bbb;padding:.3em .5em;text-align:left;vertical-align:top;white-space:pre-line}\
th{width:28%;background:#f2f2f2}td.absent{font-style:italic;color:#555}\
@media print{body{margin:0;font-size:9pt}section{break-inside:avoid-page}h2{break-after:avoid}}";

/// `text` with `& < > " '` escaped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(ch),
        }
    }
    out
}

fn io(e: std::io::Error) -> AppError {
    AppError::internal(e)
}

fn open<W: Write>(out: &mut W, c: &RecordCatalogue, header: &Header) -> AppResult<()> {
    write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{} – {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n<section id=\"header\">\n<table>\n",
        escape(&header.language),
        escape(&header.title),
        escape(&header.organisation.name),
        escape(&header.title),
    )
    .map_err(io)?;
    let lang = table::lang_of(header);
    for (label, value) in table::header_rows(c, header) {
        row(out, c, lang, &label, &value)?;
    }
    out.write_all(b"</table>\n</section>\n").map_err(io)
}

/// A row of a table: the heading, and the cell (an absence in italics).
fn row<W: Write>(
    out: &mut W,
    c: &RecordCatalogue,
    lang: Lang,
    heading: &str,
    cell: &Cell,
) -> AppResult<()> {
    let class = if cell.is_absent() {
        " class=\"absent\""
    } else {
        ""
    };
    writeln!(
        out,
        "<tr><th scope=\"row\">{}</th><td{class}>{}</td></tr>",
        escape(heading),
        escape(&cell.text(c, lang))
    )
    .map_err(io)
}

fn section<W: Write>(
    out: &mut W,
    c: &RecordCatalogue,
    lang: Lang,
    id: &str,
    title: &str,
    headings: &[String],
    cells: &[Cell],
) -> AppResult<()> {
    write!(
        out,
        "<section id=\"{}\">\n<h2>{}</h2>\n<table>\n",
        escape(id),
        escape(title)
    )
    .map_err(io)?;
    for (heading, cell) in headings.iter().zip(cells) {
        row(out, c, lang, heading, cell)?;
    }
    out.write_all(b"</table>\n</section>\n").map_err(io)
}

fn close<W: Write>(mut out: W) -> AppResult<()> {
    out.write_all(b"</body>\n</html>\n").map_err(io)?;
    out.flush().map_err(io)
}

/// The controller's record.
pub fn controller<W: Write, E: Borrow<ControllerEntry>>(
    mut out: W,
    header: &Header,
    entries: impl IntoIterator<Item = E>,
) -> AppResult<()> {
    let c = catalogue()?;
    let lang: Lang = table::lang_of(header);
    let headings = table::headings(c, &CONTROLLER_COLUMNS, lang);
    open(&mut out, c, header)?;
    for entry in entries {
        let e = entry.borrow();
        let title = format!("{} – {}", e.register.name.display(), e.name.display());
        section(
            &mut out,
            c,
            lang,
            &e.id,
            &title,
            &headings,
            &table::controller_row(c, lang, e),
        )?;
    }
    close(out)
}

/// The processor's record: per controller, its activities.
pub fn processor<W: Write>(mut out: W, record: &ProcessorRecord) -> AppResult<()> {
    let c = catalogue()?;
    let lang = table::lang_of(&record.header);
    let headings = table::headings(c, &PROCESSOR_COLUMNS, lang);
    open(&mut out, c, &record.header)?;
    for s in &record.controllers {
        for e in &s.entries {
            let cells = table::processor_row(c, lang, s.controller.as_ref(), e);
            let title = format!("{} – {}", cells[0].text(c, lang), e.name.display());
            section(&mut out, c, lang, &e.id, &title, &headings, &cells)?;
        }
    }
    close(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_escaped() {
        assert_eq!(
            escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
