//! The Art. 30 record export of an organisation with 2,000 processing activities (10 registers
//! of 200), on SQLite and on PostgreSQL: reading the organisation's graph, then the controller's
//! record (streamed entry by entry) and the processor's record in every format, each timed and
//! with its peak heap; the same at 500 and 1,000 activities, to see what grows with the record.
//! Method and results: `bench/README.md`.
//!
//! `cargo bench --bench record_export` runs it. Settings from the environment:
//! `ROPA_BENCH_RUNS` (timed runs per step, default 20), `ROPA_BENCH_WARMUP` (untimed runs
//! before them, default 2), `ROPA_BENCH_BACKENDS` (default `sqlite,postgres`),
//! `ROPA_BENCH_SIZES` (activities per register, 10 registers each, default `50,100,200`),
//! `ROPA_BENCH_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432`).

use std::hint::black_box;
use std::io::{self, Write};
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use entity::ProcessingRole;
use peak_alloc::PeakAlloc;
use ropa::domain::adequacy::AdequacyList;
use ropa::notice::graph::OrganisationGraph;
use ropa::notice::Lang;
use ropa::record::model::RecordKind;
use ropa::record::{self, Format, RecordBuilder};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use uuid::Uuid;

mod support;

/// Counts every allocation of the process, so each step's peak heap can be read.
#[global_allocator]
static HEAP: PeakAlloc = PeakAlloc;

/// Registers of the organisation; the sizes set the activities of each.
const REGISTERS: usize = 10;

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

/// The production time of every record: fixed, so exports can be compared byte for byte.
fn produced_at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, 0).unwrap()
}

const LANG: Lang = Lang::Fi;

// --- measuring ---------------------------------------------------------------------------------

/// A writer that only counts the bytes written to it.
#[derive(Default)]
struct Counter(u64);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The timed runs of one step, and the highest peak heap of any of them above the heap in use
/// when it started.
struct Measure {
    runs: Vec<Duration>,
    peak: usize,
}

impl Measure {
    fn ms(d: Duration) -> f64 {
        d.as_secs_f64() * 1000.0
    }

    fn pct(&self, p: f64) -> f64 {
        let mut sorted = self.runs.clone();
        sorted.sort();
        let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
        sorted.get(i).copied().map(Self::ms).unwrap_or(0.0)
    }
}

/// Runs `$body` `$warmup + $runs` times (it may `.await`), timing each run and reading the
/// peak heap of each above the heap in use at its start. Gives the measure and the value of
/// the last run.
macro_rules! measure {
    ($warmup:expr, $runs:expr, $body:expr) => {{
        let mut runs = Vec::with_capacity($runs);
        let mut peak = 0;
        let mut last = None;
        for i in 0..($warmup + $runs) {
            let _ = last.take();
            let base = HEAP.current_usage();
            HEAP.reset_peak_usage();
            let started = Instant::now();
            let out = $body;
            let elapsed = started.elapsed();
            let step_peak = HEAP.peak_usage().saturating_sub(base);
            if i >= $warmup {
                runs.push(elapsed);
                peak = peak.max(step_peak);
            }
            last = Some(black_box(out));
        }
        (Measure { runs, peak }, last.expect("at least one run"))
    }};
}

fn kib(bytes: u64) -> f64 {
    bytes as f64 / 1024.0
}

fn mib(bytes: usize) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

fn row(label: &str, activities: usize, step: &str, m: &Measure, output: Option<u64>) {
    let output = output
        .map(|b| format!("{:.0}", kib(b)))
        .unwrap_or_else(|| "–".to_owned());
    println!(
        "| {label:<10} | {activities:>5} | {step:<36} | {:>4} | {:>9.1} | {:>9.1} | {:>9.1} | {output:>10} | {:>10.2} |",
        m.runs.len(),
        m.pct(0.5),
        m.pct(0.95),
        m.pct(0.0),
        mib(m.peak),
    );
}

fn format_name(format: Format) -> &'static str {
    match format {
        Format::Csv(_) => "CSV",
        Format::Json => "JSON",
        Format::JsonLd => "JSON-LD",
        Format::Html => "HTML",
        Format::Xlsx => "XLSX",
    }
}

/// The controller's record of `graph`, streamed as `export_controller` does after its load.
fn controller<W: Write>(
    graph: &OrganisationGraph,
    adequacy: &AdequacyList,
    format: Format,
    out: W,
) {
    let b = RecordBuilder::new(graph, None, LANG, adequacy, produced_at(), None).expect("builder");
    let header = b.header(RecordKind::Controller);
    record::write_controller(format, out, &header, b.controller_entries()).expect("export");
}

/// The processor's record of `graph`: built whole, then written.
fn processor<W: Write>(graph: &OrganisationGraph, adequacy: &AdequacyList, format: Format, out: W) {
    record::processor_record(graph, None, LANG, adequacy, produced_at(), None)
        .expect("processor record")
        .write(format, out)
        .expect("export");
}

/// The peak resident set of the process so far (`VmHWM`), in KiB.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

// --- the benchmark -----------------------------------------------------------------------------

async fn bench_size(
    db: &DatabaseConnection,
    label: &str,
    per_register: usize,
    adequacy: &AdequacyList,
    warmup: usize,
    runs: usize,
) -> String {
    let activities = REGISTERS * per_register;
    let mut doc = support::document(REGISTERS, per_register);
    doc["organisation"]["slug"] = format!("esimerkkikauppa-{activities}").into();
    let source = serde_json::to_string(&doc).expect("document");
    drop(doc);
    let started = Instant::now();
    let parsed = ropa::service::import::parse(&source).expect("the document parses");
    let summary = ropa::service::import::import(db, &parsed)
        .await
        .expect("the document imports");
    let import = started.elapsed();
    drop(parsed);
    assert_eq!(summary.activities, activities);
    let org = summary.organisation_id;

    let (load, graph) = measure!(
        warmup,
        runs,
        record::load(db, org, None).await.expect("load")
    );
    row(label, activities, "(a) record::load", &load, None);
    // The graph's own size: the heap it holds once loaded.
    drop(graph);
    let before = HEAP.current_usage();
    let graph = record::load(db, org, None).await.expect("load");
    let graph_bytes = HEAP.current_usage().saturating_sub(before);

    // What every export does before its first entry: the header, with the graph's version.
    let (m, _) = measure!(warmup, runs, {
        RecordBuilder::new(&graph, None, LANG, adequacy, produced_at(), None)
            .expect("builder")
            .header(RecordKind::Controller)
    });
    row(
        label,
        activities,
        "(b) header (with graph_version)",
        &m,
        None,
    );
    for format in Format::ALL {
        let (m, bytes) = measure!(warmup, runs, {
            let mut out = Counter::default();
            controller(&graph, adequacy, format, &mut out);
            out.0
        });
        let step = format!("(b) controller {}", format_name(format));
        row(label, activities, &step, &m, Some(bytes));
    }
    for format in Format::ALL {
        let (m, bytes) = measure!(warmup, runs, {
            let mut out = Counter::default();
            processor(&graph, adequacy, format, &mut out);
            out.0
        });
        let step = format!("(c) processor {}", format_name(format));
        row(label, activities, &step, &m, Some(bytes));
    }
    // For comparison: the controller's record collected whole, as the streaming avoids.
    let (m, entries) = measure!(warmup, runs, {
        record::controller_record(&graph, None, LANG, adequacy, produced_at(), None)
            .expect("record")
            .entries
            .len()
    });
    row(
        label,
        activities,
        "(d) controller_record collected",
        &m,
        None,
    );
    // The public call: read the graph and stream the record, here as JSON.
    let (m, bytes) = measure!(warmup, runs, {
        let mut out = Counter::default();
        record::export_controller(
            db,
            org,
            None,
            LANG,
            adequacy,
            produced_at(),
            None,
            Format::Json,
            &mut out,
        )
        .await
        .expect("export");
        out.0
    });
    row(
        label,
        activities,
        "(e) export_controller JSON",
        &m,
        Some(bytes),
    );

    // Deterministic: a second load of the graph gives the same bytes in every format.
    let again = record::load(db, org, None).await.expect("load");
    for format in Format::ALL {
        let (mut a, mut b) = (Vec::new(), Vec::new());
        controller(&graph, adequacy, format, &mut a);
        controller(&again, adequacy, format, &mut b);
        assert!(a == b, "controller {format:?} differs between two exports");
        let (mut a, mut b) = (Vec::new(), Vec::new());
        processor(&graph, adequacy, format, &mut a);
        processor(&again, adequacy, format, &mut b);
        assert!(a == b, "processor {format:?} differs between two exports");
    }

    let processing = graph
        .activities
        .iter()
        .filter(|a| a.role == ProcessingRole::Processor)
        .count();
    let links: usize = graph
        .links
        .values()
        .map(|l| {
            l.data_subject_categories.len()
                + l.personal_data_categories.len()
                + l.data_sources.len()
                + l.recipients.len()
                + l.security_measures.len()
        })
        .sum();
    format!(
        "{label}, {activities} activities: document {:.0} KiB, import {:.1} s; {} controller entries, \
         {} processor entries, {} links, {} transfers, {} retention rules; graph in memory {:.1} MiB; \
         controller record collected: {entries} entries; every format byte-identical on a second load",
        kib(source.len() as u64),
        import.as_secs_f64(),
        activities - processing,
        processing,
        links,
        graph.transfers.len(),
        graph.retention.len(),
        mib(graph_bytes),
    )
}

async fn bench_backend(
    url: &str,
    label: &str,
    sizes: &[usize],
    warmup: usize,
    runs: usize,
) -> Vec<String> {
    let db = ropa::db::connect(url).await.expect("database");
    let adequacy = AdequacyList::shipped().expect("adequacy list");
    let mut notes = Vec::new();
    for &per_register in sizes {
        notes.push(bench_size(&db, label, per_register, &adequacy, warmup, runs).await);
    }
    db.close().await.expect("close");
    notes
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    // `cargo bench` passes `--bench`; nothing else is read from the command line.
    let runs: usize = env_or("ROPA_BENCH_RUNS", "20").parse().expect("runs");
    let warmup: usize = env_or("ROPA_BENCH_WARMUP", "2").parse().expect("warm-up");
    let backends = env_or("ROPA_BENCH_BACKENDS", "sqlite,postgres");
    let sizes: Vec<usize> = env_or("ROPA_BENCH_SIZES", "50,100,200")
        .split(',')
        .map(|s| s.trim().parse().expect("activities per register"))
        .collect();
    println!(
        "| backend    | acts. | step                                 | runs | median ms |    p95 ms |    min ms | output KiB | peak MiB   |"
    );
    println!(
        "|------------|-------|--------------------------------------|------|-----------|-----------|-----------|------------|------------|"
    );
    let mut notes = Vec::new();
    for backend in backends.split(',') {
        match backend.trim() {
            "sqlite" => {
                let dir = tempfile::tempdir().expect("temporary directory");
                let url = format!("sqlite://{}", dir.path().join("bench.db").display());
                notes.extend(bench_backend(&url, "SQLite", &sizes, warmup, runs).await);
            }
            "postgres" => {
                let server = env_or(
                    "ROPA_BENCH_POSTGRES_URL",
                    "postgres://postgres@127.0.0.1:5432",
                );
                let name = format!("ropa_bench_{}", Uuid::new_v4().simple());
                let admin = Database::connect(format!("{server}/postgres"))
                    .await
                    .expect("PostgreSQL");
                admin
                    .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                    .await
                    .expect("create database");
                let url = format!("{server}/{name}");
                notes.extend(bench_backend(&url, "PostgreSQL", &sizes, warmup, runs).await);
                admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                    .await
                    .expect("drop database");
            }
            other => panic!("unknown backend {other}"),
        }
    }
    println!();
    println!(
        "Peak MiB: the highest heap in use during a timed run above the heap in use at its start \
         (the loaded graph is in use before (b)–(d) start, so it is not counted in them)."
    );
    for note in notes {
        println!("{note}");
    }
    if let Some(rss) = peak_rss_kib() {
        println!(
            "Process peak resident set (VmHWM): {:.0} MiB",
            rss as f64 / 1024.0
        );
    }
}
