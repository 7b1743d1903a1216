//! The records as an auditor takes them: every Art. 30 element in every format, the XLSX as a
//! spreadsheet program lays it out and prints it, the CSV's habits, and cells that tell a
//! declared "none" from what nobody recorded.

use std::collections::BTreeSet;
use std::io::{Cursor, Read};

use calamine::{Data, DataType, Reader, Xlsx};
use chrono::{TimeZone, Utc};
use entity::Role;
use ropa::notice::graph::OrganisationGraph;
use ropa::notice::Lang;
use ropa::record::csv::Delimiter;
use ropa::record::model::{ControllerRecord, ProcessorRecord};
use ropa::record::table::{self, Column};
use ropa::record::{self, catalogue::catalogue, Format};
use serde_json::Value;

use crate::backend_test;
use crate::helpers::TestApp;
use crate::record::{import, organisations};

fn produced_at() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).unwrap()
}

/// One element of Art. 30 and where each format holds it.
struct Element {
    article: &'static str,
    /// The CSV column; also the XLSX and HTML column, unless `keeper`.
    column: &'static str,
    /// A column of the record keeper (Art. 30(1)(a) / 30(2)(a)): leading columns of the CSV,
    /// the header sheet of the XLSX and the header table of the HTML.
    keeper: bool,
    /// The JSON member: of the header when `keeper`, else of each entry (or, for the
    /// processor's record, of the entry's controller section).
    json: &'static str,
}

const fn element(article: &'static str, column: &'static str, json: &'static str) -> Element {
    Element {
        article,
        column,
        keeper: false,
        json,
    }
}

const fn keeper(article: &'static str, column: &'static str, json: &'static str) -> Element {
    Element {
        article,
        column,
        keeper: true,
        json,
    }
}

/// Art. 30(1)(a)–(g), element by element.
const CONTROLLER_ELEMENTS: [Element; 13] = [
    keeper(
        "30(1)(a) controller, name and contact details",
        "controller",
        "organisation",
    ),
    keeper("30(1)(a) controller's contact person", "contact", "contact"),
    keeper("30(1)(a) data protection officer", "dpo", "dpo"),
    keeper(
        "30(1)(a) controller's representative",
        "representative",
        "representative",
    ),
    element(
        "30(1)(a) joint controller",
        "joint_controller",
        "joint_controller",
    ),
    element("30(1)(b) purposes", "purposes", "purposes"),
    element(
        "30(1)(c) categories of data subjects",
        "data_subjects",
        "data_subjects",
    ),
    element(
        "30(1)(c) categories of personal data",
        "data_categories",
        "data_categories",
    ),
    element(
        "30(1)(d) categories of recipients, in third countries too",
        "recipients",
        "recipients",
    ),
    element(
        "30(1)(e) transfers: third country or organisation",
        "transfer_countries",
        "transfers",
    ),
    element(
        "30(1)(e) transfers: documentation of safeguards",
        "transfer_safeguards",
        "transfers",
    ),
    element("30(1)(f) time limits for erasure", "erasure", "erasure"),
    element(
        "30(1)(g) security measures",
        "security_measures",
        "security_measures",
    ),
];

/// Art. 30(2)(a)–(d).
const PROCESSOR_ELEMENTS: [Element; 8] = [
    keeper(
        "30(2)(a) processor, name and contact details",
        "processor",
        "organisation",
    ),
    keeper("30(2)(a) processor's data protection officer", "dpo", "dpo"),
    keeper(
        "30(2)(a) processor's representative",
        "representative",
        "representative",
    ),
    element(
        "30(2)(a) each controller the processor acts for",
        "controller",
        "controller",
    ),
    element(
        "30(2)(b) categories of processing",
        "categories_of_processing",
        "categories_of_processing",
    ),
    element(
        "30(2)(c) transfers: third country or organisation",
        "transfer_countries",
        "transfers",
    ),
    element(
        "30(2)(c) transfers: documentation of safeguards",
        "transfer_safeguards",
        "transfers",
    ),
    element(
        "30(2)(d) security measures",
        "security_measures",
        "security_measures",
    ),
];

/// The header sheet's and table's label of a keeper column.
fn keeper_label(column: &str, lang: Lang) -> String {
    let h = &catalogue().unwrap().header;
    match column {
        "controller" | "processor" => h.organisation.get(lang),
        "contact" => h.contact.get(lang),
        "dpo" => h.dpo.get(lang),
        "representative" => h.representative.get(lang),
        other => panic!("{other} is not a keeper column"),
    }
    .to_owned()
}

fn heading(column: &str, lang: Lang) -> String {
    catalogue().unwrap().column(column, lang).to_owned()
}

fn write(f: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let mut out = Vec::new();
    f(&mut out);
    out
}

/// The sheets of an XLSX as rows of cells.
fn sheets(bytes: &[u8]) -> Vec<Vec<Vec<Data>>> {
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec())).unwrap();
    book.sheet_names()
        .iter()
        .map(|name| {
            book.worksheet_range(name)
                .unwrap()
                .rows()
                .map(|r| r.to_vec())
                .collect()
        })
        .collect()
}

/// A file of the XLSX archive.
fn part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    zip.by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// The `<td>` after `<th scope="row">{heading}</th>` in every place it occurs.
fn html_cells(html: &str, heading: &str) -> Vec<String> {
    let th = format!(
        "<th scope=\"row\">{}</th><td",
        ropa::record::html::escape(heading)
    );
    html.match_indices(&th)
        .map(|(at, _)| {
            let rest = &html[at + th.len()..];
            let open = rest.find('>').unwrap() + 1;
            let close = rest.find("</td>").unwrap();
            rest[open..close].to_owned()
        })
        .collect()
}

/// Checks that each element has its column (or header row) in CSV, XLSX, HTML and JSON, and
/// that no row leaves it empty.
/// A record's elements and columns.
struct Layout {
    elements: &'static [Element],
    keepers: &'static [Column],
    columns: &'static [Column],
}

const CONTROLLER: Layout = Layout {
    elements: &CONTROLLER_ELEMENTS,
    keepers: &table::CONTROLLER_KEEPER,
    columns: &table::CONTROLLER_COLUMNS,
};

const PROCESSOR: Layout = Layout {
    elements: &PROCESSOR_ELEMENTS,
    keepers: &table::PROCESSOR_KEEPER,
    columns: &table::PROCESSOR_COLUMNS,
};

fn check_elements(
    what: &str,
    lang: Lang,
    layout: &Layout,
    rows: usize,
    write_format: &dyn Fn(Format) -> Vec<u8>,
    json_entries: &dyn Fn(&Value) -> Vec<(Value, Value)>,
) {
    // CSV: one table, the keeper's columns first.
    let csv_bytes = write_format(Format::Csv(Delimiter::Comma));
    let mut reader = csv::Reader::from_reader(&csv_bytes[3..]);
    let headings: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), rows, "{what}: CSV rows");
    // XLSX: the header sheet, then the activities.
    let xlsx = sheets(&write_format(Format::Xlsx));
    let (header_sheet, activities) = (&xlsx[0], &xlsx[1]);
    let xlsx_headings: Vec<String> = activities[0].iter().map(|c| c.to_string()).collect();
    assert_eq!(activities.len(), rows + 1, "{what}: XLSX rows");
    let html = String::from_utf8(write_format(Format::Html)).unwrap();
    let json: Value = serde_json::from_slice(&write_format(Format::Json)).unwrap();
    let entries = json_entries(&json);
    assert_eq!(entries.len(), rows, "{what}: JSON entries");

    for e in layout.elements {
        let where_ = format!("{what}: {} in {lang:?}", e.article);
        let set = if e.keeper {
            layout.keepers
        } else {
            layout.columns
        };
        assert!(
            set.iter().any(|c| c.key == e.column),
            "{where_}: column {} is laid out",
            e.column
        );
        let csv_heading = heading(e.column, lang);
        let at = headings
            .iter()
            .position(|h| *h == csv_heading)
            .unwrap_or_else(|| panic!("{where_}: CSV heading {csv_heading:?}"));
        for r in &records {
            assert!(!r[at].is_empty(), "{where_}: an empty CSV cell");
        }
        if e.keeper {
            let label = keeper_label(e.column, lang);
            let row = header_sheet
                .iter()
                .find(|r| r.first().map(|c| c.to_string()) == Some(label.clone()))
                .unwrap_or_else(|| panic!("{where_}: XLSX header row {label:?}"));
            assert!(
                !row.get(1).is_none_or(|c| c.is_empty()),
                "{where_}: an empty XLSX header value"
            );
            let cells = html_cells(&html, &label);
            assert!(
                cells.first().is_some_and(|c| !c.is_empty()),
                "{where_}: HTML header row {label:?}"
            );
            assert!(
                json["header"].get(e.json).is_some(),
                "{where_}: JSON header.{}",
                e.json
            );
        } else {
            let at = xlsx_headings
                .iter()
                .position(|h| *h == csv_heading)
                .unwrap_or_else(|| panic!("{where_}: XLSX heading"));
            for r in &activities[1..] {
                assert!(!r[at].is_empty(), "{where_}: an empty XLSX cell");
            }
            let cells = html_cells(&html, &csv_heading);
            assert_eq!(cells.len(), rows, "{where_}: an HTML row per entry");
            assert!(
                cells.iter().all(|c| !c.is_empty()),
                "{where_}: an empty HTML cell"
            );
            for (entry, section) in &entries {
                assert!(
                    entry.get(e.json).is_some() || section.get(e.json).is_some(),
                    "{where_}: JSON member {}",
                    e.json
                );
            }
        }
    }
}

fn controller(app: &TestApp, graph: &OrganisationGraph, lang: Lang) -> ControllerRecord {
    record::controller_record(graph, None, lang, &app.state.adequacy, produced_at(), None).unwrap()
}

fn processor(app: &TestApp, graph: &OrganisationGraph, lang: Lang) -> ProcessorRecord {
    record::processor_record(graph, None, lang, &app.state.adequacy, produced_at(), None).unwrap()
}

/// An organisation whose activities declare no transfers, leave them unknown, and transfer
/// without naming the recipient; one recipient on an EU party receives data in Brazil and
/// the US; an activity's name is a formula.
const FACTS_ORG: &str = r#"
organisation:
  slug: tosiasiat
  name: Tosiasiat Oy
  business_id: 2388488-1
  country: FI
  default_language: en
parties:
  - key: eu-host
    name: Host GmbH
    kind: processor
    country: DE
recipients:
  - key: host
    kind: processor
    party: eu-host
    name: {en: Hosting}
registers:
  - slug: rek
    kind: customer
    status: draft
    languages: [en]
    name: {en: Customers}
    activities:
      - key: declared-none
        name: {en: "=HYPERLINK(\"https://example.com\",\"click\")"}
        purpose: {en: "-1 purposes start with a minus"}
        legal_basis: contract
        transfers_outside_eea: false
      - key: unknown
        name: {en: Unknown transfers}
        legal_basis: legitimate_interests
      - key: abroad
        name: {en: Transfers abroad}
        legal_basis: contract
        recipients: [host]
        transfers:
          - recipient: host
            country: BR
            mechanism: adequacy_decision
          - recipient: host
            country: US
            mechanism: standard_contractual_clauses
            description: {en: Support tickets}
          - description: {en: "Analytics, no recipient named"}
            country: US
            mechanism: standard_contractual_clauses
"#;

backend_test! {
    async fn every_art_30_element_is_in_every_format_of_every_demo_record(backend) {
        let app = TestApp::with_demo(backend).await;
        let mut processor_entries = 0;
        for org in organisations(&app).await {
            let graph = OrganisationGraph::load(&app.db, org.id).await.unwrap();
            for lang in Lang::ALL {
                let what = format!("{} controller", org.slug);
                let c = controller(&app, &graph, lang);
                check_elements(
                    &what, lang, &CONTROLLER, c.entries.len(),
                    &|format| write(|out| c.write(format, out).unwrap()),
                    &|json| json["entries"].as_array().unwrap().iter().map(|e| (e.clone(), Value::Null)).collect(),
                );
                let p = processor(&app, &graph, lang);
                let rows = p.controllers.iter().map(|s| s.entries.len()).sum();
                if lang == Lang::En {
                    processor_entries += rows;
                }
                if rows > 0 {
                    check_elements(
                        &format!("{} processor", org.slug), lang, &PROCESSOR, rows,
                        &|format| write(|out| p.write(format, out).unwrap()),
                        &|json| json["controllers"].as_array().unwrap().iter().flat_map(|s| {
                            s["entries"].as_array().unwrap().iter().map(|e| (e.clone(), s.clone())).collect::<Vec<_>>()
                        }).collect(),
                    );
                }
            }
        }
        assert!(processor_entries >= 1, "the demo has a processor's record to test");
    }

    async fn the_demo_processor_record_holds_30_2_a_to_d(backend) {
        let app = TestApp::with_demo(backend).await;
        let org = organisations(&app).await.into_iter().find(|o| o.slug == "helpten").unwrap();
        let graph = OrganisationGraph::load(&app.db, org.id).await.unwrap();
        let p = processor(&app, &graph, Lang::Fi);
        // (a) the processor and the controller it acts for, with their contact details.
        assert_eq!(p.header.organisation.name, "Helpten Oy");
        assert!(p.header.contact.is_some());
        let section = &p.controllers[0];
        let client = section.controller.as_ref().expect("the controller is named");
        assert_eq!(client.name, "Esimerkkiasiakas Oy");
        assert!(client.address.is_some() && client.email.is_some());
        let e = &section.entries[0];
        // (b)
        assert!(e.categories_of_processing.as_ref().is_some_and(|t| t.text.contains("asiakkaan ohjeiden mukaisesti")));
        // (c) declared none: the CSV says so rather than leaving the cell empty.
        assert_eq!(e.transfers_outside_eea, Some(false));
        assert!(e.transfers.is_empty());
        let c = catalogue().unwrap();
        let cells = table::processor_row(c, Lang::Fi, Some(client), e);
        let at = table::PROCESSOR_COLUMNS.iter().position(|c| c.key == "transfer_countries").unwrap();
        assert_eq!(cells[at].text(c, Lang::Fi), "Ei ole (ilmoitettu)");
        // (d)
        assert_eq!(e.security_measures.len(), 5);
        // The CSV names the processor on every row, the empty case included.
        let csv = String::from_utf8(write(|out| p.write(Format::Csv(Delimiter::Comma), out).unwrap())).unwrap();
        let first = csv.lines().nth(1).unwrap();
        assert!(first.starts_with("\"Helpten Oy, 2104986-6"), "{first}");
        let empty = ProcessorRecord { header: p.header.clone(), controllers: vec![] };
        let csv = String::from_utf8(write(|out| empty.write(Format::Csv(Delimiter::Comma), out).unwrap())).unwrap();
        assert!(csv.starts_with("\u{feff}Henkilötietojen käsittelijä,"), "{csv}");
    }

    async fn cells_tell_a_declared_none_from_what_nobody_recorded(backend) {
        let app = TestApp::spawn(backend).await;
        let org = import(&app, FACTS_ORG).await;
        let graph = OrganisationGraph::load(&app.db, org).await.unwrap();
        let record = controller(&app, &graph, Lang::En);
        let c = catalogue().unwrap();
        let column = |key: &str| table::CONTROLLER_COLUMNS.iter().position(|c| c.key == key).unwrap();
        let cell = |activity: &str, key: &str| {
            let e = record.entries.iter().find(|e| e.key == activity).unwrap();
            table::controller_row(c, Lang::En, e)[column(key)].text(c, Lang::En).into_owned()
        };
        assert_eq!(cell("declared-none", "transfer_countries"), "None (declared)");
        assert_eq!(cell("declared-none", "transfer_safeguards"), "None (declared)");
        assert_eq!(cell("unknown", "transfer_countries"), "Not declared");
        assert_eq!(cell("unknown", "transfer_safeguards"), "Not declared");
        assert_eq!(cell("unknown", "recipients"), "Not declared");
        // Legitimate interests apply under 6(1)(f) only.
        assert_eq!(cell("unknown", "legitimate_interests"), "Not declared");
        assert_eq!(cell("declared-none", "legitimate_interests"), "Not applicable");
        assert_eq!(cell("declared-none", "special_category_condition"), "Not applicable");
        // Profiling and automated decisions undeclared: said so, in their own columns.
        assert_eq!(cell("unknown", "automated_decision_making"), "Not declared");
        assert_eq!(cell("unknown", "profiling"), "Not declared");
        assert_eq!(cell("unknown", "automated_logic"), "Not declared");
        // A transfer with no recipient says so, and its description is shown.
        let abroad = cell("abroad", "transfer_countries");
        assert!(abroad.contains("United States (recipient not declared): Analytics, no recipient named"), "{abroad}");
        assert!(abroad.contains("United States (Hosting): Support tickets"), "{abroad}");
        assert!(!abroad.contains('?'), "{abroad}");
        // The recipient on an EU party is in third countries through its transfers.
        let e = record.entries.iter().find(|e| e.key == "abroad").unwrap();
        let third: Vec<&str> = e.recipients[0].third_countries.iter().map(|c| c.code.as_str()).collect();
        assert_eq!(third, ["BR", "US"]);
        assert!(cell("abroad", "recipients").contains("third countries: Brazil, United States"));
        // The HTML says the same words, in italics for an absence, and no "?".
        let html = String::from_utf8(write(|out| record.write(Format::Html, out).unwrap())).unwrap();
        assert!(html.contains("<td class=\"absent\">None (declared)</td>"));
        assert!(html.contains("<td class=\"absent\">Not declared</td>"));
        // JSON keeps the three states apart: false, null, and a list.
        let json: Value = serde_json::from_slice(&write(|out| record.write(Format::Json, out).unwrap())).unwrap();
        let by_key = |k: &str| json["entries"].as_array().unwrap().iter().find(|e| e["key"] == k).unwrap().clone();
        assert_eq!(by_key("declared-none")["transfers_outside_eea"], false);
        assert_eq!(by_key("unknown")["transfers_outside_eea"], Value::Null);
        assert_eq!(by_key("abroad")["transfers"].as_array().unwrap().len(), 3);
    }

    async fn the_csv_opens_cleanly_in_a_spreadsheet(backend) {
        let app = TestApp::spawn(backend).await;
        let org = import(&app, FACTS_ORG).await;
        let graph = OrganisationGraph::load(&app.db, org).await.unwrap();
        let record = controller(&app, &graph, Lang::En);
        let csv = write(|out| record.write(Format::Csv(Delimiter::Comma), out).unwrap());
        assert!(csv.starts_with("\u{feff}".as_bytes()), "a byte order mark");
        let text = std::str::from_utf8(&csv[3..]).unwrap();
        assert!(!text.starts_with("ID"), "a file starting with ID is taken for SYLK");
        assert!(text.starts_with("Controller,"), "{}", &text[..40]);
        let rows: Vec<csv::StringRecord> = csv::Reader::from_reader(text.as_bytes()).records().map(Result::unwrap).collect();
        let keeper = table::CONTROLLER_KEEPER.len();
        let name_at = keeper + table::CONTROLLER_COLUMNS.iter().position(|c| c.key == "activity").unwrap();
        let purpose_at = keeper + table::CONTROLLER_COLUMNS.iter().position(|c| c.key == "purposes").unwrap();
        let formula = rows.iter().find(|r| r[name_at].contains("HYPERLINK")).unwrap();
        assert_eq!(&formula[name_at], "'=HYPERLINK(\"https://example.com\",\"click\")");
        assert_eq!(&formula[purpose_at], "'-1 purposes start with a minus");
        // Every cell that would start a formula is neutralised.
        for r in &rows {
            for cell in r.iter() {
                assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']), "{cell:?}");
            }
        }

        // The semicolon, for Finnish-locale spreadsheets, through the download.
        let auditor = app.token("tosiasiat", Role::Auditor, None).await;
        let (status, headers, body) = app.download("/exports/tosiasiat/art30-controller.csv?delimiter=semicolon", Some(&auditor)).await;
        assert_eq!(status, 200);
        assert_eq!(headers["content-type"], "text/csv; charset=utf-8");
        let text = std::str::from_utf8(&body[3..]).unwrap();
        assert!(text.starts_with("Controller;"), "{}", &text[..40]);
        let semi: Vec<csv::StringRecord> = csv::ReaderBuilder::new().delimiter(b';').from_reader(text.as_bytes()).records().map(Result::unwrap).collect();
        assert_eq!(semi.len(), rows.len());
        assert_eq!(semi[0].len(), rows[0].len());
    }

    async fn the_xlsx_is_laid_out_and_set_up_to_print(backend) {
        let app = TestApp::with_demo(backend).await;
        let org = organisations(&app).await.into_iter().find(|o| o.slug == "puuha").unwrap();
        let graph = OrganisationGraph::load(&app.db, org.id).await.unwrap();
        let record = controller(&app, &graph, Lang::Fi);
        let bytes = write(|out| record.write(Format::Xlsx, out).unwrap());

        // Dates are date cells; created and updated are there on every row.
        let sheets = sheets(&bytes);
        let activities = &sheets[1];
        let c = catalogue().unwrap();
        for key in ["created_on", "updated_on", "last_reviewed_on"] {
            let at = table::CONTROLLER_COLUMNS.iter().position(|c| c.key == key).unwrap();
            for (row, e) in activities[1..].iter().zip(&record.entries) {
                let cell = &row[at];
                match key {
                    "created_on" => assert_eq!(cell.as_date(), Some(e.created_at.date_naive()), "{key}"),
                    "updated_on" => assert_eq!(cell.as_date(), Some(e.updated_at.date_naive()), "{key}"),
                    _ => match e.last_reviewed_on {
                        Some(d) => assert_eq!(cell.as_date(), Some(d), "{key}"),
                        None => assert_eq!(cell.to_string(), c.word_undeclared.get(Lang::Fi)),
                    },
                }
                if cell.as_date().is_some() {
                    assert!(cell.is_datetime(), "{key}: a date cell, not text");
                }
            }
        }

        // Each row is as tall as its most wrapped cell: at least a line per line of text.
        let sheet = part(&bytes, "xl/worksheets/sheet2.xml");
        let heights: Vec<f64> = sheet
            .split("<row ")
            .skip(1)
            .filter(|row| !row.starts_with(&format!("r=\"{}\">", record.entries.len() + 2)))
            .map(|row| {
                assert!(row.contains("customHeight=\"1\""), "a set height: {}", &row[..80]);
                let at = row.find(" ht=\"").unwrap() + 5;
                row[at..at + row[at..].find('"').unwrap()].parse().unwrap()
            })
            .collect();
        assert_eq!(heights.len(), record.entries.len() + 1, "each row once");
        for (row, height) in activities.iter().zip(&heights) {
            let lines = row.iter().map(|c| c.to_string().lines().count()).max().unwrap_or(1);
            assert!(*height >= 15.0 * lines.min(27) as f64, "{height} for {lines} lines");
        }
        assert!(heights.iter().any(|h| *h > 15.0), "the demo has multi-line cells");

        // Print setup: A4 landscape, one page wide, the heading row on every page.
        let setup = &sheet[sheet.find("<pageSetup ").expect("a page setup")..];
        let setup = &setup[..setup.find("/>").unwrap()];
        for attribute in ["paperSize=\"9\"", "orientation=\"landscape\"", "fitToHeight=\"0\""] {
            assert!(setup.contains(attribute), "{attribute} in {setup}");
        }
        assert!(!setup.contains("fitToWidth=") || setup.contains("fitToWidth=\"1\""), "{setup}");
        assert!(sheet.contains("<pageSetUpPr fitToPage=\"1\"/>"));
        let workbook = part(&bytes, "xl/workbook.xml");
        assert!(workbook.contains("_xlnm.Print_Titles"), "print titles");
        assert!(workbook.contains("!$1:$1"), "the heading row repeats: {workbook}");
        let header = part(&bytes, "xl/worksheets/sheet1.xml");
        assert!(header.contains("fitToHeight=\"0\""), "the header sheet fits the width too");
        // Every column has its fixed width.
        let cols = sheet.matches("<col ").count();
        assert!(cols >= 1);
        let widths: BTreeSet<u16> = table::CONTROLLER_COLUMNS.iter().map(|c| c.width).collect();
        assert!(widths.len() > 3, "widths fit the columns' content");
    }
}

/// The terms of the DPV namespaces, as shipped in `data/dpv-terms.txt`.
fn dpv_terms() -> BTreeSet<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/dpv-terms.txt");
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

/// The IRIs of a JSON-LD document under its own `@context`: each member's property, each
/// `type`, and each value of a member the context types `@id`. Enough of JSON-LD expansion
/// for the documents ropa writes (one inline context, compact IRIs and terms).
fn iris(document: &Value) -> BTreeSet<String> {
    let context = document["@context"]
        .as_object()
        .expect("an inline @context");
    let prefixes: Vec<(&str, &str)> = context
        .iter()
        .filter_map(|(k, v)| {
            v.as_str()
                .filter(|s| s.ends_with(['#', '/', ':']))
                .map(|s| (k.as_str(), s))
        })
        .collect();
    let expand = |s: &str| -> String {
        if let Some((prefix, rest)) = s.split_once(':') {
            if let Some((_, ns)) = prefixes.iter().find(|(p, _)| *p == prefix) {
                return format!("{ns}{rest}");
            }
        }
        s.to_owned()
    };
    let term = |key: &str| -> (Option<String>, bool) {
        match context.get(key) {
            Some(Value::String(s)) if !s.starts_with('@') => (Some(expand(s)), false),
            Some(Value::Object(d)) => (
                d.get("@id").and_then(Value::as_str).map(expand),
                d.get("@type") == Some(&Value::from("@id")),
            ),
            _ => (None, false),
        }
    };
    fn strings(v: &Value) -> Vec<&str> {
        match v {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        }
    }
    fn walk(v: &Value, visit: &mut dyn FnMut(&str, &Value)) {
        match v {
            Value::Object(map) => {
                for (k, v) in map {
                    if k != "@context" {
                        visit(k, v);
                        walk(v, visit);
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|i| walk(i, visit)),
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    walk(document, &mut |key, value| {
        let (property, typed_id) = term(key);
        out.extend(property);
        if key == "type" || key == "@type" || typed_id {
            out.extend(strings(value).into_iter().map(&expand));
        }
    });
    out
}

backend_test! {
    async fn every_dpv_iri_of_every_export_is_a_dpv_term(backend) {
        let app = TestApp::with_demo(backend).await;
        let terms = dpv_terms();
        // The namespaces the list covers; the two the records lean on must be among them.
        let namespaces: BTreeSet<String> = terms
            .iter()
            .filter_map(|t| t.rfind(['#', '/']).map(|at| t[..=at].to_owned()))
            .collect();
        for ns in ["https://w3id.org/dpv#", "https://w3id.org/dpv/legal/eu/gdpr#"] {
            assert!(namespaces.contains(ns), "{ns} in data/dpv-terms.txt");
        }
        let mut seen = 0;
        for org in organisations(&app).await {
            let graph = OrganisationGraph::load(&app.db, org.id).await.unwrap();
            let c = controller(&app, &graph, Lang::En);
            let p = processor(&app, &graph, Lang::En);
            for document in [
                write(|out| c.write(Format::JsonLd, out).unwrap()),
                write(|out| p.write(Format::JsonLd, out).unwrap()),
            ] {
                let document: Value = serde_json::from_slice(&document).unwrap();
                for iri in iris(&document) {
                    if namespaces.iter().any(|ns| iri.starts_with(ns.as_str())) {
                        seen += 1;
                        assert!(terms.contains(&iri), "{}: {iri} is not a DPV term", org.slug);
                    }
                }
            }
        }
        assert!(seen > 20, "the exports use DPV terms ({seen})");
        // Every mechanism and basis the graph can hold, not only those the demo uses.
        use sea_orm::{ActiveEnum, Iterable};
        for code in entity::LegalBasis::iter().map(|b| b.to_value())
            .chain(entity::TransferMechanism::iter().map(|m| m.to_value()))
            .chain(entity::SpecialCategoryCondition::iter().map(|s| s.to_value()))
        {
            let iri = ropa::record::jsonld::gdpr_iri(&code);
            assert!(terms.contains(&iri), "{iri} is not a DPV term");
        }
    }
}
