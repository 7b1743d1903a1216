//! The records of processing (Art. 30): what they hold for the demo graph, every export read
//! back, the processor's record, the record as it was, and byte-identical exports.

use std::collections::BTreeSet;
use std::io::Cursor;

use calamine::{DataType, Reader, Xlsx};
use chrono::{DateTime, TimeZone, Utc};
use entity::{ProcessingRole, Role};
use ropa::ids::{encode, NodeKind};
use ropa::notice::graph::OrganisationGraph;
use ropa::notice::Lang;
use ropa::record::csv::Delimiter;
use ropa::record::model::{ControllerRecord, ProcessorRecord};
use ropa::record::table::Cell;
use ropa::record::{self, catalogue::catalogue, table, Format};
use sea_orm::{ActiveEnum, EntityTrait};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::backend_test;
use crate::helpers::TestApp;

/// The production time of every record here: fixed, so exports can be compared.
fn produced_at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).unwrap()
}

pub(crate) async fn organisations(app: &TestApp) -> Vec<entity::organisation::Model> {
    entity::organisation::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
}

fn controller(app: &TestApp, graph: &OrganisationGraph, lang: Lang) -> ControllerRecord {
    record::controller_record(graph, None, lang, &app.state.adequacy, produced_at(), None)
        .expect("the record builds")
}

fn export(record: &ControllerRecord, format: Format) -> Vec<u8> {
    let mut out = Vec::new();
    record.write(format, &mut out).expect("the record writes");
    out
}

/// An organisation with a processor activity for each of two client controllers, one for none,
/// a controller activity transferring under SCCs to the US, and per-category retention.
const PROCESSOR_ORG: &str = r#"
organisation:
  slug: palvelu
  name: Palvelu Oy
  business_id: 2388488-1
  country: FI
  email: tietosuoja@example.fi
  default_language: fi
  contact: dpo
  dpo: dpo
contacts:
  - key: dpo
    name: Tiina Testaaja
    email: tiina@example.fi
parties:
  - key: asiakas-a
    name: Asiakas A Oy
    kind: client
    country: FI
  - key: asiakas-b
    name: Asiakas B Ab
    kind: client
    country: SE
  - key: pilvi
    name: Pilvi Inc.
    kind: processor
    country: US
    contract_reference: DPA-2024-7
data_subject_categories:
  - key: asiakkaat
    name: {fi: Asiakkaat, sv: Kunder, en: Customers}
personal_data_categories:
  - key: name
    name: {fi: Nimi, sv: Namn, en: Name}
  - key: logs
    name: {fi: Lokit, en: Logs}
recipients:
  - key: host
    kind: processor
    party: pilvi
    name: {fi: Palvelinpalvelu, sv: Servertjänst, en: Hosting}
security_measures:
  - key: access
    kind: technical
    name: {fi: Käyttöoikeudet, sv: Åtkomsträtter, en: Access rights}
registers:
  - slug: rek
    kind: customer
    status: draft
    languages: [fi, en]
    name: {fi: Asiakasrekisteri, en: Customer register}
    activities:
      - key: crm
        name: {fi: Asiakassuhde, en: Customer relationship}
        purpose: {fi: Asiakassuhteen hoito, en: Managing the customer relationship}
        legal_basis: contract
        data_subjects: [asiakkaat]
        data_categories: [name, logs]
        recipients: [host]
        security_measures: [access]
        transfers:
          - recipient: host
            country: US
            mechanism: standard_contractual_clauses
            safeguards_reference: SCC 2021/914, module 2
        retention:
          - period: P2Y
          - data_category: logs
            period: P6M
      - key: payroll-a
        role: processor
        counterpart: asiakas-a
        name: {fi: Palkanlaskenta A, en: Payroll A}
        purpose: {fi: Palkanlaskenta asiakkaan puolesta, en: Payroll on the client's behalf}
        data_subjects: [asiakkaat]
        data_categories: [name]
        recipients: [host]
        security_measures: [access]
      - key: payroll-b
        role: processor
        counterpart: asiakas-b
        name: {fi: Palkanlaskenta B, en: Payroll B}
        purpose: {fi: Palkanlaskenta, en: Payroll}
        data_subjects: [asiakkaat]
        data_categories: [name]
        security_measures: [access]
"#;

pub(crate) async fn import(app: &TestApp, document: &str) -> Uuid {
    let doc = ropa::service::import::parse(document).expect("the test document parses");
    ropa::service::import::import(&app.db, &doc)
        .await
        .expect("the test document imports")
        .organisation_id
}

/// Changes an activity of `palvelu` through the API, as an editor.
async fn change_purpose(
    app: &TestApp,
    activity: &entity::processing_activity::Model,
    purpose: &str,
) {
    let editor = app.token("palvelu", Role::Editor, None).await;
    let response = app
        .graphql_as(
            Some(&editor),
            "mutation($i: UpdateProcessingActivityInput!) { updateProcessingActivity(input: $i) { processingActivity { version } } }",
            json!({"i": {"id": encode(NodeKind::ProcessingActivity, activity.id), "version": activity.version,
                "purpose": [{"language": "en", "text": purpose}]}}),
        )
        .await;
    assert!(response.get("errors").is_none(), "{response:#}");
}

fn sorted(ids: &[Uuid]) -> BTreeSet<Uuid> {
    ids.iter().copied().collect()
}

backend_test! {
    async fn the_controller_record_of_the_demo_holds_every_art_30_1_element(backend) {
        let app = TestApp::with_demo(backend).await;
        for org in organisations(&app).await {
            let graph = OrganisationGraph::load(&app.db, org.id).await.unwrap();
            for lang in Lang::ALL {
                let record = controller(&app, &graph, lang);
                let h = &record.header;
                // (a)
                assert_eq!(h.organisation.name, org.name);
                assert_eq!(h.contact.is_some(), org.contact_id.is_some(), "{}", org.slug);
                assert_eq!(h.dpo.is_some(), org.dpo_contact_id.is_some(), "{}", org.slug);
                assert_eq!(h.representative.is_some(), org.representative_contact_id.is_some());
                assert_eq!(h.registers.len(), graph.registers.len());
                assert_eq!(h.produced_at, produced_at());
                assert_eq!(h.graph_version, record::graph_version(&graph));
                let controlled: Vec<_> = graph
                    .activities
                    .iter()
                    .filter(|a| a.role != ProcessingRole::Processor)
                    .collect();
                assert_eq!(record.entries.len(), controlled.len(), "{}", org.slug);
                for a in controlled {
                    let id = encode(NodeKind::ProcessingActivity, a.id);
                    let e = record.entries.iter().find(|e| e.id == id).expect("an entry per activity");
                    let links = graph.links.get(&a.id).cloned().unwrap_or_default();
                    let what = format!("{} {} in {lang:?}", org.slug, a.key);
                    // (b)
                    assert_eq!(
                        e.purposes.as_ref().map(|p| p.text.as_str()),
                        a.purpose.resolve(lang.tag()).map(|(_, t)| t),
                        "{what}: purposes"
                    );
                    // (c)
                    assert_eq!(e.data_subjects.len(), sorted(&links.data_subject_categories).len(), "{what}");
                    assert_eq!(e.data_categories.len(), sorted(&links.personal_data_categories).len(), "{what}");
                    // (d)
                    assert_eq!(e.recipients.len(), sorted(&links.recipients).len(), "{what}");
                    // (e)
                    let transfers: Vec<_> = graph.transfers.iter().filter(|t| t.activity_id == a.id).collect();
                    assert_eq!(e.transfers.len(), transfers.len(), "{what}: transfers");
                    for t in transfers {
                        let shown = e.transfers.iter().find(|s| s.id == encode(NodeKind::Transfer, t.id)).unwrap();
                        assert_eq!(shown.country.as_ref().map(|c| c.code.clone()), t.country, "{what}");
                        assert_eq!(shown.mechanism.as_ref().map(|m| m.code.clone()), t.mechanism.map(|m| m.to_value()));
                        assert_eq!(shown.safeguards_reference, t.safeguards_reference);
                    }
                    // (f): every rule is shown, and each category has its limit when a rule covers it.
                    let rules: Vec<_> = graph.retention.iter().filter(|r| r.activity_id == a.id).collect();
                    for r in &rules {
                        assert!(
                            e.erasure.iter().any(|x| x.rule_id == encode(NodeKind::RetentionRule, r.id)),
                            "{what}: retention rule shown"
                        );
                    }
                    if rules.iter().any(|r| r.data_category_id.is_none()) {
                        for c in &e.data_categories {
                            assert!(
                                e.erasure.iter().any(|x| x.data_category.as_ref().map(|n| &n.id) == Some(&c.id)),
                                "{what}: a time limit for {}", c.name.text
                            );
                        }
                    }
                    for x in &e.erasure {
                        if let Some(p) = &x.period {
                            assert_ne!(p.label, "", "{what}: the period in words");
                        }
                    }
                    // (g)
                    assert_eq!(e.security_measures.len(), sorted(&links.security_measures).len(), "{what}");
                    // What auditors ask for besides.
                    assert_eq!(e.legal_basis.as_ref().map(|b| b.code.clone()), a.legal_basis.map(|b| b.to_value()));
                    if let Some(b) = &e.legal_basis {
                        assert!(!b.label.is_empty() && b.label != b.code, "{what}: a label");
                    }
                    assert_eq!(e.sources.len(), sorted(&links.data_sources).len());
                    assert_eq!(e.dpia_status.code, ropa::record::catalogue::key(&a.dpia_status));
                    assert_eq!(e.register.id, encode(NodeKind::Register, a.register_id));
                }
                // Registers in order, then activities by ID.
                let order: Vec<(usize, String)> = record
                    .entries
                    .iter()
                    .map(|e| (h.registers.iter().position(|r| r.id == e.register.id).unwrap(), e.id.clone()))
                    .collect();
                let mut want = order.clone();
                want.sort();
                assert_eq!(order, want);
            }
        }
    }

    async fn every_export_reads_back_as_the_record(backend) {
        let app = TestApp::with_demo(backend).await;
        let c = catalogue().unwrap();
        for org in organisations(&app).await {
            let graph = OrganisationGraph::load(&app.db, org.id).await.unwrap();
            let record = controller(&app, &graph, Lang::En);
            let headings = table::headings(c, &table::CONTROLLER_COLUMNS, Lang::En);
            let cells: Vec<Vec<Cell>> = record
                .entries
                .iter()
                .map(|e| table::controller_row(c, Lang::En, e))
                .collect();
            let rows: Vec<Vec<String>> = cells
                .iter()
                .map(|row| row.iter().map(|cell| cell.text(c, Lang::En).into_owned()).collect())
                .collect();
            for (row, e) in cells.iter().zip(&record.entries) {
                assert!(
                    row.iter().all(|cell| !cell.text(c, Lang::En).is_empty()),
                    "{} {}: no cell is left empty", org.slug, e.key
                );
            }

            // XLSX
            let bytes = export(&record, Format::Xlsx);
            let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).expect("an XLSX file");
            assert_eq!(book.sheet_names(), ["Organisation", "Activities"]);
            let sheet = book.worksheet_range("Activities").unwrap();
            // A date cell reads back as a date; every other cell as its text.
            let read: Vec<Vec<String>> = sheet
                .rows()
                .map(|r| {
                    r.iter()
                        .map(|c| match c.as_date() {
                            Some(d) if c.is_datetime() => d.to_string(),
                            _ => c.to_string(),
                        })
                        .collect()
                })
                .collect();
            assert_eq!(read[0], headings, "{}: the heading row", org.slug);
            assert_eq!(read.len(), record.entries.len() + 1, "{}: one row per activity", org.slug);
            for (got, want) in read[1..].iter().zip(&rows) {
                assert_eq!(got, want, "{}", org.slug);
            }
            let header = book.worksheet_range("Organisation").unwrap();
            let header_cells: Vec<String> = header.rows().flat_map(|r| r.iter().map(|c| c.to_string())).collect();
            assert!(header_cells.contains(&org.name));
            assert!(header_cells.contains(&record.header.graph_version));

            // CSV
            let bytes = export(&record, Format::Csv(Delimiter::Comma));
            let text = String::from_utf8(bytes).expect("UTF-8");
            let text = text.strip_prefix('\u{feff}').expect("a byte order mark");
            assert!(text.contains("\r\n"), "CRLF line ends");
            let mut reader = csv::Reader::from_reader(text.as_bytes());
            let read_headings: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
            let keeper = table::CONTROLLER_KEEPER.len();
            assert_eq!(read_headings[..keeper], table::headings(c, &table::CONTROLLER_KEEPER, Lang::En)[..]);
            assert_eq!(read_headings[keeper..], headings[..]);
            let keeper_cells: Vec<String> = table::keeper_row(&record.header)
                .iter()
                .map(|cell| cell.text(c, Lang::En).into_owned())
                .collect();
            let read: Vec<Vec<String>> = reader
                .records()
                .map(|r| r.unwrap().iter().map(str::to_owned).collect())
                .collect();
            assert_eq!(read.len(), rows.len(), "{}", org.slug);
            for (got, want) in read.iter().zip(&rows) {
                assert_eq!(got[..keeper], keeper_cells[..], "{}: the controller on every row", org.slug);
                let want: Vec<String> = want.iter().map(|w| ropa::record::csv::neutralised(w).into_owned()).collect();
                assert_eq!(got[keeper..], want[..], "{}", org.slug);
            }

            // JSON
            let value: Value = serde_json::from_slice(&export(&record, Format::Json)).expect("JSON");
            assert_eq!(value, serde_json::to_value(&record).unwrap());

            // JSON-LD
            let value: Value = serde_json::from_slice(&export(&record, Format::JsonLd)).expect("JSON-LD");
            assert_eq!(value["@context"]["eu-gdpr"], "https://w3id.org/dpv/legal/eu/gdpr#");
            let activities = value["activities"].as_array().unwrap();
            assert_eq!(activities.len(), record.entries.len());
            for (node, e) in activities.iter().zip(&record.entries) {
                assert_eq!(node["type"], "dpv:Process");
                match &e.legal_basis {
                    Some(b) => assert_eq!(node["legalBasis"], format!("https://w3id.org/dpv/legal/eu/gdpr#{}", b.code)),
                    None => assert!(node.get("legalBasis").is_none()),
                }
                for (t, shown) in e.transfers.iter().zip(node["transfers"].as_array().into_iter().flatten()) {
                    match &t.mechanism {
                        Some(m) => assert_eq!(shown["transferMechanism"], format!("https://w3id.org/dpv/legal/eu/gdpr#{}", m.code)),
                        None => assert!(shown.get("transferMechanism").is_none()),
                    }
                }
            }

            // HTML
            let html = String::from_utf8(export(&record, Format::Html)).unwrap();
            assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
            assert_eq!(html.matches("<section id=\"act_").count(), record.entries.len());
        }
    }

    async fn transfers_and_per_category_limits_are_recorded_and_mapped_to_dpv(backend) {
        let app = TestApp::spawn(backend).await;
        let org = import(&app, PROCESSOR_ORG).await;
        let graph = OrganisationGraph::load(&app.db, org).await.unwrap();
        let record = controller(&app, &graph, Lang::En);
        assert_eq!(record.entries.len(), 1, "processor activities are not in the controller's record");
        let e = &record.entries[0];
        let t = &e.transfers[0];
        assert_eq!(t.country.as_ref().unwrap().code, "US");
        assert_eq!(t.country.as_ref().unwrap().label, "United States");
        assert_eq!(t.mechanism.as_ref().unwrap().code, "A46-2-c");
        assert_eq!(e.processors[0].contract_reference.as_deref(), Some("DPA-2024-7"));
        let third: Vec<&str> = e.recipients[0].third_countries.iter().map(|c| c.code.as_str()).collect();
        assert_eq!(third, ["US"]);
        let limits: Vec<(String, String)> = e
            .erasure
            .iter()
            .map(|x| (x.data_category.as_ref().unwrap().name.text.clone(), x.period.as_ref().unwrap().label.clone()))
            .collect();
        assert!(limits.contains(&("Name".to_owned(), "2 years".to_owned())), "{limits:?}");
        assert!(limits.contains(&("Logs".to_owned(), "6 months".to_owned())), "{limits:?}");
        // Swedish falls back for a name written only in Finnish and English, and says so.
        let sv = controller(&app, &graph, Lang::Sv);
        let logs = sv.entries[0].data_categories.iter().find(|c| c.name.text == "Lokit").expect("Finnish fallback");
        assert!(logs.name.fallback);
        let value: Value = serde_json::from_slice(&export(&record, Format::JsonLd)).unwrap();
        let node = &value["activities"][0];
        assert_eq!(node["legalBasis"], "https://w3id.org/dpv/legal/eu/gdpr#A6-1-b");
        assert_eq!(node["transfers"][0]["transferMechanism"], "https://w3id.org/dpv/legal/eu/gdpr#A46-2-c");
        assert_eq!(node["transfers"][0]["country"], "https://w3id.org/dpv/loc#US");
    }

    async fn the_processor_record_lists_each_controller_with_its_activities(backend) {
        let app = TestApp::spawn(backend).await;
        let org = import(&app, PROCESSOR_ORG).await;
        let graph = OrganisationGraph::load(&app.db, org).await.unwrap();
        let record: ProcessorRecord = record::processor_record(&graph, None, Lang::En, &app.state.adequacy, produced_at(), None).unwrap();
        let controllers: Vec<&str> = record
            .controllers
            .iter()
            .map(|s| s.controller.as_ref().map(|p| p.name.as_str()).unwrap_or("?"))
            .collect();
        let mut want = vec!["Asiakas A Oy", "Asiakas B Ab"];
        let ids: Vec<&str> = record.controllers.iter().map(|s| s.controller.as_ref().unwrap().id.as_str()).collect();
        if ids[0] > ids[1] {
            want.reverse();
        }
        assert_eq!(controllers, want);
        for s in &record.controllers {
            assert_eq!(s.entries.len(), 1);
            let e = &s.entries[0];
            assert!(e.categories_of_processing.is_some());
            assert_eq!(e.security_measures.len(), 1);
        }
        let a = record.controllers.iter().find(|s| s.controller.as_ref().unwrap().name == "Asiakas A Oy").unwrap();
        assert_eq!(a.entries[0].sub_processors[0].name, "Pilvi Inc.");
        for format in Format::ALL {
            let mut out = Vec::new();
            record.write(format, &mut out).unwrap();
            assert!(!out.is_empty(), "{format:?}");
        }
        let mut out = Vec::new();
        record.write(Format::Csv(Delimiter::Comma), &mut out).unwrap();
        let rows: Vec<csv::StringRecord> = csv::Reader::from_reader(&out[3..]).records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 2);
        let keeper = table::PROCESSOR_KEEPER.len();
        assert!(rows.iter().all(|r| r[0].starts_with("Palvelu Oy, 2388488-1")), "the processor on every row");
        assert!(rows.iter().any(|r| r[keeper].starts_with("Asiakas B Ab")));
    }

    async fn the_record_as_of_a_past_time_shows_the_values_then(backend) {
        let app = TestApp::spawn(backend).await;
        let org = import(&app, PROCESSOR_ORG).await;
        let graph = OrganisationGraph::load(&app.db, org).await.unwrap();
        let crm = graph.activities.iter().find(|a| a.key == "crm").unwrap().clone();
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        let then = Utc::now();
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;

        // The graph rebuilt for now is the live graph: same record, same version.
        let rebuilt = record::organisation_graph_as_of(&app.db, org, then).await.unwrap();
        let live = controller(&app, &graph, Lang::En);
        assert_eq!(controller(&app, &rebuilt, Lang::En), live);

        change_purpose(&app, &crm, "Something else").await;

        let now = OrganisationGraph::load(&app.db, org).await.unwrap();
        let current = controller(&app, &now, Lang::En);
        assert_eq!(current.entries[0].purposes.as_ref().unwrap().text, "Something else");
        assert_ne!(current.header.graph_version, live.header.graph_version);

        let past = record::organisation_graph_as_of(&app.db, org, then).await.unwrap();
        let record = record::controller_record(&past, None, Lang::En, &app.state.adequacy, produced_at(), Some(then)).unwrap();
        assert_eq!(record.header.as_of, Some(then));
        assert_eq!(record.entries[0].purposes.as_ref().unwrap().text, "Managing the customer relationship");
        assert_eq!(record.header.graph_version, live.header.graph_version);
        assert_eq!(record.entries, live.entries);
    }

    async fn the_same_graph_gives_byte_identical_exports(backend) {
        let app = TestApp::with_demo(backend).await;
        for org in organisations(&app).await {
            let first = controller(&app, &OrganisationGraph::load(&app.db, org.id).await.unwrap(), Lang::Fi);
            let second = controller(&app, &OrganisationGraph::load(&app.db, org.id).await.unwrap(), Lang::Fi);
            for format in Format::ALL {
                assert_eq!(export(&first, format), export(&second, format), "{} {format:?}", org.slug);
            }
            // Streaming straight from the database gives the same bytes as the built record.
            let mut streamed = Vec::new();
            record::export_controller(&app.db, org.id, None, Lang::Fi, &app.state.adequacy, produced_at(), None, Format::Csv(Delimiter::Comma), &mut streamed)
                .await
                .unwrap();
            assert_eq!(streamed, export(&first, Format::Csv(Delimiter::Comma)));
        }
    }

    async fn a_record_of_selected_registers_holds_only_their_activities(backend) {
        let app = TestApp::with_demo(backend).await;
        for org in organisations(&app).await {
            let graph = OrganisationGraph::load(&app.db, org.id).await.unwrap();
            let Some(register) = graph.registers.first() else { continue };
            let record = record::controller_record(&graph, Some(&[register.id]), Lang::En, &app.state.adequacy, produced_at(), None).unwrap();
            assert_eq!(record.header.registers.len(), 1);
            let want = graph.activities.iter().filter(|a| a.register_id == register.id && a.role != ProcessingRole::Processor).count();
            assert_eq!(record.entries.len(), want);
            assert!(record.entries.iter().all(|e| e.register.id == encode(NodeKind::Register, register.id)));
        }
    }
}

/// The production time the download and the command line are asked to state.
const PRODUCED_AT: &str = "2026-11-22T12:00:00Z";

fn error_field(body: &[u8]) -> (String, String) {
    let value: Value = serde_json::from_slice(body).expect("a JSON error");
    let error = &value["errors"][0];
    (
        error["extensions"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        error["extensions"]["field"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    )
}

/// Runs `ropa export art30` against the test database; returns the exit code and stderr.
fn ropa_export(app: &TestApp, args: &[&str]) -> (i32, String) {
    let (code, _, stderr) = app.ropa(&[&["export", "art30"], args].concat());
    (code, stderr)
}

backend_test! {
    async fn exports_download_for_auditors_dpos_and_admins_and_nobody_else(backend) {
        let app = TestApp::with_demo(backend).await;
        let path = "/exports/puuha/art30-controller.csv";
        for role in [Role::Admin, Role::Dpo, Role::Auditor] {
            let token = app.token("puuha", role, None).await;
            let (status, headers, body) = app.download(path, Some(&token)).await;
            assert_eq!(status, 200, "{role:?}: {}", String::from_utf8_lossy(&body));
            assert_eq!(headers["content-type"], "text/csv; charset=utf-8");
            assert_eq!(headers["content-disposition"], "attachment; filename=\"puuha-art30-controller.csv\"");
            assert_eq!(headers["cache-control"], "no-store");
            assert!(headers.contains_key("ropa-graph-version"));
            assert!(!body.is_empty());
        }
        for (role, register) in [
            (Role::Editor, None),
            (Role::Viewer, None),
            (Role::Service, None),
            (Role::Editor, Some("markkinointirekisteri")),
            (Role::Viewer, Some("markkinointirekisteri")),
        ] {
            let token = app.token("puuha", role, register).await;
            let (status, _, body) = app.download(path, Some(&token)).await;
            assert_eq!(status, 403, "{role:?} {register:?}");
            assert_eq!(error_field(&body).0, "FORBIDDEN");
        }
        // Anonymous: asked for a token; a bad token: refused; another organisation's auditor:
        // as if the organisation did not exist, and the same for one that does not.
        let (status, headers, body) = app.download(path, None).await;
        assert_eq!(status, 401);
        assert_eq!(headers["www-authenticate"], "Bearer");
        assert_eq!(error_field(&body).0, "UNAUTHENTICATED");
        let (status, _, _) = app.download(path, Some("ropa_not-a-token")).await;
        assert_eq!(status, 401);
        let other = app.token("helpten", Role::Auditor, None).await;
        let (status, _, missing) = app.download(path, Some(&other)).await;
        assert_eq!(status, 404);
        let (status, _, nowhere) = app.download("/exports/nowhere/art30-controller.csv", Some(&other)).await;
        assert_eq!(status, 404);
        assert_eq!(error_field(&missing).0, error_field(&nowhere).0);
    }

    async fn every_download_is_the_record_and_the_command_line_writes_the_same_bytes(backend) {
        let app = TestApp::with_demo(backend).await;
        let auditor = app.token("puuha", Role::Auditor, None).await;
        let org = organisations(&app).await.into_iter().find(|o| o.slug == "puuha").unwrap();
        let graph = OrganisationGraph::load(&app.db, org.id).await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        for kind in ["controller", "processor"] {
            for format in Format::ALL {
                let ext = format.extension();
                let (status, headers, body) = app
                    .download(&format!("/exports/puuha/art30-{kind}.{ext}?lang=en&producedAt={PRODUCED_AT}"), Some(&auditor))
                    .await;
                assert_eq!(status, 200, "{kind} {ext}: {}", String::from_utf8_lossy(&body));
                assert_eq!(headers["content-type"], format.media_type());
                assert_eq!(headers["content-language"], "en");
                assert_eq!(headers["ropa-produced-at"], "2026-11-22T12:00:00+00:00");

                // The record the library builds, written in the same format.
                let options = record::Options {
                    kind: kind.into(),
                    format: ext.into(),
                    lang: Some("en".into()),
                    produced_at: Some(PRODUCED_AT.into()),
                    ..record::Options::default()
                };
                let (export, _) = options.resolve(&app.db, org.clone()).await.unwrap();
                let mut built = Vec::new();
                export.write(&graph, &app.state.adequacy, format, &mut built).unwrap();
                assert_eq!(body, built, "{kind} {ext}: the download is the record");

                // The command line, offline.
                let file = dir.path().join(format!("{kind}.{ext}"));
                let (code, stderr) = ropa_export(&app, &[
                    "--organisation", "puuha", "--kind", kind, "--format", ext, "--lang", "en",
                    "--produced-at", PRODUCED_AT, "-o", file.to_str().unwrap(),
                ]);
                assert_eq!(code, 0, "{stderr}");
                assert_eq!(std::fs::read(&file).unwrap(), body, "{kind} {ext}: the command line writes the download");
            }
        }
        // The XLSX download reads back: a header sheet and one row per controller activity.
        let (_, _, body) = app.download("/exports/puuha/art30-controller.xlsx?lang=en", Some(&auditor)).await;
        let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(body)).unwrap();
        let sheets = book.sheet_names();
        assert_eq!(sheets.len(), 2, "{sheets:?}");
        let rows = book.worksheet_range(&sheets[1]).unwrap();
        let controlled = graph.activities.iter().filter(|a| a.role != ProcessingRole::Processor).count();
        assert_eq!(rows.height(), controlled + 1);
        // No file is left behind by a refused export.
        let file = dir.path().join("refused.csv");
        let (code, stderr) = ropa_export(&app, &["--organisation", "puuha", "--format", "pdf", "-o", file.to_str().unwrap()]);
        assert_eq!(code, 2, "a usage error");
        assert!(stderr.contains("--format") && stderr.contains("pdf"), "{stderr}");
        let (code, stderr) = ropa_export(&app, &["--organisation", "puuha", "--format", "csv", "--as-of", "last week", "-o", file.to_str().unwrap()]);
        assert_eq!(code, 2, "a usage error");
        assert!(stderr.contains("--as-of: must be an RFC 3339 time"), "{stderr}");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 10, "only the ten exports");
    }

    async fn a_bad_export_request_names_what_is_wrong(backend) {
        let app = TestApp::with_demo(backend).await;
        let auditor = app.token("puuha", Role::Auditor, None).await;
        for (path, status, field) in [
            ("/exports/puuha/art30-controller.pdf", 400, "format"),
            ("/exports/puuha/art30-everything.csv", 400, "kind"),
            ("/exports/puuha/record.csv", 404, ""),
            ("/exports/puuha/art30-controller.csv?asOf=yesterday", 400, "asOf"),
            ("/exports/puuha/art30-controller.csv?asOf=2000-01-01T00:00:00Z", 400, "asOf"),
            ("/exports/puuha/art30-controller.csv?asOf=2999-01-01T00:00:00Z", 400, "asOf"),
            ("/exports/puuha/art30-controller.csv?register=nope", 400, "register"),
            ("/exports/puuha/art30-controller.csv?lang=de", 400, "lang"),
            ("/exports/puuha/art30-controller.csv?producedAt=now", 400, "producedAt"),
            ("/exports/puuha/art30-controller.csv?format=csv", 400, "format"),
            ("/exports/puuha/art30-controller.csv?delimiter=tab", 400, "delimiter"),
            ("/exports/puuha/art30-controller.xlsx?delimiter=semicolon", 400, "delimiter"),
        ] {
            let (got, _, body) = app.download(path, Some(&auditor)).await;
            assert_eq!(got, status, "{path}: {}", String::from_utf8_lossy(&body));
            let (code, named) = error_field(&body);
            assert_eq!(named, field, "{path}");
            if status == 400 {
                assert_eq!(code, "BAD_USER_INPUT", "{path}");
            }
        }
        // Registers by slug, repeated or comma-separated: only their activities.
        let org = organisations(&app).await.into_iter().find(|o| o.slug == "puuha").unwrap();
        let graph = OrganisationGraph::load(&app.db, org.id).await.unwrap();
        let slugs: Vec<&str> = graph.registers.iter().map(|r| r.slug.as_str()).collect();
        assert!(slugs.len() >= 3);
        for query in [format!("register={}&register={}", slugs[0], slugs[1]), format!("register={},{}", slugs[0], slugs[1])] {
            let (status, _, body) = app.download(&format!("/exports/puuha/art30-controller.json?{query}"), Some(&auditor)).await;
            assert_eq!(status, 200);
            let json: Value = serde_json::from_slice(&body).unwrap();
            let covered: BTreeSet<&str> = json["header"]["registers"].as_array().unwrap().iter().map(|r| r["slug"].as_str().unwrap()).collect();
            assert_eq!(covered, BTreeSet::from([slugs[0], slugs[1]]));
            assert!(json["entries"].as_array().unwrap().iter().all(|e| covered.iter().any(|s| graph.registers.iter().any(|r| r.slug == *s && encode(NodeKind::Register, r.id) == e["register"]["id"]))));
        }
    }

    async fn a_download_as_of_a_past_time_shows_the_past(backend) {
        let app = TestApp::spawn(backend).await;
        let org = import(&app, PROCESSOR_ORG).await;
        let graph = OrganisationGraph::load(&app.db, org).await.unwrap();
        let crm = graph.activities.iter().find(|a| a.key == "crm").unwrap().clone();
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        let then = Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        change_purpose(&app, &crm, "Something else").await;
        let dpo = app.token("palvelu", Role::Dpo, None).await;
        let then_query = then.replace('+', "%2B");
        let (status, headers, past) = app.download(&format!("/exports/palvelu/art30-controller.json?lang=en&asOf={then_query}"), Some(&dpo)).await;
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&past));
        let day = &then[..10];
        assert_eq!(headers["content-disposition"], format!("attachment; filename=\"palvelu-art30-controller-{day}.json\""));
        let past: Value = serde_json::from_slice(&past).unwrap();
        assert_eq!(past["header"]["as_of"].as_str().map(|t| t[..19].to_owned()), Some(then[..19].to_owned()));
        assert_eq!(past["entries"][0]["purposes"]["text"], "Managing the customer relationship");
        let (_, _, now) = app.download("/exports/palvelu/art30-controller.json?lang=en", Some(&dpo)).await;
        let now: Value = serde_json::from_slice(&now).unwrap();
        assert_eq!(now["entries"][0]["purposes"]["text"], "Something else");
        assert!(now["header"]["as_of"].is_null());
        assert_ne!(now["header"]["graph_version"], past["header"]["graph_version"]);
    }

    async fn graphql_serves_the_records_as_structure(backend) {
        let app = TestApp::with_demo(backend).await;
        let org = organisations(&app).await.into_iter().find(|o| o.slug == "puuha").unwrap();
        let graph = OrganisationGraph::load(&app.db, org.id).await.unwrap();
        let built = controller(&app, &graph, Lang::En);
        let response = app
            .query(
                "query($ids: [ID!]) { organisation(slug: \"puuha\") {
                    all: controllerRecord(language: EN) {
                      header { kind language graphVersion organisation { name } dpo { name } registers { slug } }
                      entries { id name { text } legalBasis { code label } dataCategories { kind { code } }
                                transfers { country { code } mechanism { code } } erasure { period { code } } }
                    }
                    one: controllerRecord(registerIds: $ids) { entries { register { id } } }
                    processorRecord { header { kind } controllers { controller { name } entries { id } } }
                } }",
                json!({ "ids": [encode(NodeKind::Register, graph.registers[0].id)] }),
            )
            .await;
        let all = &response["organisation"]["all"];
        assert_eq!(all["header"]["kind"], "CONTROLLER");
        assert_eq!(all["header"]["language"], "en");
        assert_eq!(all["header"]["graphVersion"], built.header.graph_version);
        assert_eq!(all["header"]["registers"].as_array().unwrap().len(), graph.registers.len());
        let entries = all["entries"].as_array().unwrap();
        assert_eq!(entries.len(), built.entries.len());
        for (shown, entry) in entries.iter().zip(&built.entries) {
            assert_eq!(shown["id"], entry.id);
            assert_eq!(shown["name"]["text"], entry.name.text);
            assert_eq!(shown["legalBasis"]["code"].as_str(), entry.legal_basis.as_ref().map(|b| b.code.as_str()));
            assert_eq!(shown["transfers"].as_array().unwrap().len(), entry.transfers.len());
        }
        let first = encode(NodeKind::Register, graph.registers[0].id);
        let one = response["organisation"]["one"]["entries"].as_array().unwrap();
        assert!(!one.is_empty() && one.iter().all(|e| e["register"]["id"] == first));
        assert_eq!(response["organisation"]["processorRecord"]["header"]["kind"], "PROCESSOR");

        // A register of another organisation is refused, naming the argument.
        let helpten = organisations(&app).await.into_iter().find(|o| o.slug == "helpten").unwrap();
        let theirs = OrganisationGraph::load(&app.db, helpten.id).await.unwrap().registers[0].id;
        let response = app
            .graphql(
                "query($ids: [ID!]) { organisation(slug: \"puuha\") { controllerRecord(registerIds: $ids) { entries { id } } } }",
                json!({ "ids": [encode(NodeKind::Register, theirs)] }),
            )
            .await;
        assert_eq!(response["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{response:#}");
        assert_eq!(response["errors"][0]["extensions"]["field"], "registerIds");
    }
}

backend_test! {
    async fn the_json_ld_context_is_served_to_anyone_and_is_the_one_exports_carry(backend) {
        let app = TestApp::with_demo(backend).await;
        let (status, headers, body) = app.download("/contexts/art30.jsonld", None).await;
        assert_eq!(status, 200);
        assert_eq!(headers["content-type"], "application/ld+json");
        let served: Value = serde_json::from_slice(&body).unwrap();
        let auditor = app.token("puuha", Role::Auditor, None).await;
        let (_, _, export) = app.download("/exports/puuha/art30-controller.jsonld", Some(&auditor)).await;
        let export: Value = serde_json::from_slice(&export).unwrap();
        assert_eq!(export["@context"], served["@context"]);
    }
}
