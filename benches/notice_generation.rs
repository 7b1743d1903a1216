//! Privacy-notice generation for a register of 200 processing activities, on SQLite and on
//! PostgreSQL: reading the register's graph, building the notice, rendering it in each format,
//! and drafting every language with its content hash as publishing does. Method and results:
//! `bench/README.md`.
//!
//! `cargo bench --bench notice_generation` runs it. Settings from the environment:
//! `ROPA_BENCH_RUNS` (timed runs per step, default 30), `ROPA_BENCH_WARMUP` (untimed runs
//! before them, default 3), `ROPA_BENCH_BACKENDS` (default `sqlite,postgres`),
//! `ROPA_BENCH_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432`).

use std::hint::black_box;
use std::time::{Duration, Instant};

use entity::{processing_activity, register};
use ropa::domain::adequacy::AdequacyList;
use ropa::notice::render::{render, Format, Meta};
use ropa::notice::{content_hash, draft, draft_content, Lang, RegisterGraph, Statement};
use sea_orm::{ColumnTrait, ConnectionTrait, Database, EntityTrait, QueryFilter, QueryOrder};

mod support;

const ACTIVITIES: usize = 200;

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

// --- measuring ---------------------------------------------------------------------------------

/// The timings of one step: the first call, and the timed runs after the warm-up.
struct Timing {
    first: Duration,
    runs: Vec<Duration>,
}

impl Timing {
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

/// Runs `$body` `$warmup + $runs` times (it may `.await`), timing each.
macro_rules! sample {
    ($warmup:expr, $runs:expr, $body:expr) => {{
        let mut first = None;
        let mut runs = Vec::with_capacity($runs);
        for i in 0..($warmup + $runs) {
            let started = Instant::now();
            let out = $body;
            let elapsed = started.elapsed();
            black_box(out);
            first.get_or_insert(elapsed);
            if i >= $warmup {
                runs.push(elapsed);
            }
        }
        Timing {
            first: first.expect("at least one run"),
            runs,
        }
    }};
}

fn row(label: &str, step: &str, t: &Timing) {
    println!(
        "| {label:<10} | {step:<40} | {:>4} | {:>9.3} | {:>9.3} | {:>9.3} | {:>9.3} |",
        t.runs.len(),
        Timing::ms(t.first),
        t.pct(0.5),
        t.pct(0.95),
        t.pct(0.0),
    );
}

/// Node IDs the statements of a list carry, with everything under them.
fn node_ids(statements: &[Statement]) -> usize {
    statements
        .iter()
        .map(|s| s.node_ids.len() + node_ids(&s.items))
        .sum()
}

/// Statements of a list, with everything under them.
fn count(statements: &[Statement]) -> usize {
    statements.iter().map(|s| 1 + count(&s.items)).sum()
}

async fn bench_backend(url: &str, label: &str, source: &str, warmup: usize, runs: usize) -> String {
    let db = ropa::db::connect(url).await.expect("database");
    let started = Instant::now();
    let doc = ropa::service::import::parse(source).expect("the document parses");
    let summary = ropa::service::import::import(&db, &doc)
        .await
        .expect("the document imports");
    let import = started.elapsed();
    assert_eq!(summary.activities, ACTIVITIES);
    let register_id = register::Entity::find()
        .filter(register::Column::OrganisationId.eq(summary.organisation_id))
        .one(&db)
        .await
        .expect("register")
        .expect("the imported register")
        .id;
    let adequacy = AdequacyList::shipped().expect("adequacy list");
    let today = chrono::Utc::now().date_naive();
    let lang = Lang::Fi;
    let meta = Meta::draft();

    let load = sample!(
        warmup,
        runs,
        RegisterGraph::load(&db, register_id).await.expect("load")
    );
    row(label, "(a) RegisterGraph::load", &load);
    // Where the load goes: the activities themselves, and their links.
    let activities = sample!(
        warmup,
        runs,
        processing_activity::Entity::find()
            .filter(processing_activity::Column::RegisterId.eq(register_id))
            .order_by_asc(processing_activity::Column::Id)
            .all(&db)
            .await
            .expect("activities")
    );
    row(label, "    of which: the activities query", &activities);
    let ids: Vec<_> = RegisterGraph::load(&db, register_id)
        .await
        .expect("load")
        .activities
        .iter()
        .map(|a| a.id)
        .collect();
    let links = sample!(
        warmup,
        runs,
        ropa::links::links_of_many(&db, ids.iter().copied())
            .await
            .expect("links")
    );
    row(label, "    of which: links_of_many (5 queries)", &links);

    let graph = RegisterGraph::load(&db, register_id).await.expect("load");
    let build = sample!(
        warmup,
        runs,
        draft(&graph, lang, &adequacy, today).expect("build")
    );
    row(label, "(b) build notice (fi)", &build);

    let notice = draft(&graph, lang, &adequacy, today).expect("build");
    let mut sizes = Vec::new();
    for (format, name) in [
        (Format::Html, "HTML"),
        (Format::Markdown, "Markdown"),
        (Format::Text, "text"),
        (Format::Json, "JSON"),
    ] {
        let t = sample!(
            warmup,
            runs,
            render(&notice, format, &meta).expect("render")
        );
        row(label, &format!("(c) render {name}"), &t);
        let out = render(&notice, format, &meta).expect("render");
        sizes.push(format!("{name} {:.0} KiB", out.len() as f64 / 1024.0));
    }

    let publish = sample!(warmup, runs, {
        let content = draft_content(&graph, &adequacy, today).expect("draft content");
        content_hash(&content).expect("hash")
    });
    row(label, "(d) draft_content (fi, sv, en) + hash", &publish);
    let content = draft_content(&graph, &adequacy, today).expect("draft content");
    let hash = sample!(warmup, runs, content_hash(&content).expect("hash"));
    row(label, "    of which: content_hash", &hash);

    let end_to_end = sample!(warmup, runs, {
        let graph = RegisterGraph::load(&db, register_id).await.expect("load");
        let notice = draft(&graph, lang, &adequacy, today).expect("build");
        render(&notice, Format::Html, &meta).expect("render")
    });
    row(label, "(e) load + build + render HTML (fi)", &end_to_end);

    let content_bytes = serde_json::to_vec(&content).expect("JSON").len();
    let top: usize = notice.sections.iter().map(|s| s.statements.len()).sum();
    let all: usize = notice.sections.iter().map(|s| count(&s.statements)).sum();
    let gaps: usize = notice.sections.iter().map(|s| s.gaps.len()).sum();
    let node_id_count: usize = notice
        .sections
        .iter()
        .map(|s| node_ids(&s.statements))
        .sum();
    let link_rows: usize = graph
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
    db.close().await.expect("close");
    format!(
        "{label}: import {:.0} ms ({} activities, {} links, {} transfers, {} retention rules); notice (fi): \
         {} sections, {} statements ({} with those nested under them) carrying {} node IDs, {} gaps; \
         output (fi): {}; content of all languages as stored: {:.0} KiB",
        Timing::ms(import),
        graph.activities.len(),
        link_rows,
        graph.transfers.len(),
        graph.retention.len(),
        notice.sections.len(),
        top,
        all,
        node_id_count,
        gaps,
        sizes.join(", "),
        content_bytes as f64 / 1024.0,
    )
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    // `cargo bench` passes `--bench`; nothing else is read from the command line.
    let runs: usize = env_or("ROPA_BENCH_RUNS", "30").parse().expect("runs");
    let warmup: usize = env_or("ROPA_BENCH_WARMUP", "3").parse().expect("warm-up");
    let backends = env_or("ROPA_BENCH_BACKENDS", "sqlite,postgres");
    let source = serde_json::to_string(&support::document(1, ACTIVITIES)).expect("document");
    println!(
        "| backend    | step                                     | runs |  first ms | median ms |    p95 ms |    min ms |"
    );
    println!(
        "|------------|------------------------------------------|------|-----------|-----------|-----------|-----------|"
    );
    let mut notes = Vec::new();
    for backend in backends.split(',') {
        match backend.trim() {
            "sqlite" => {
                let dir = tempfile::tempdir().expect("temporary directory");
                let url = format!("sqlite://{}", dir.path().join("bench.db").display());
                notes.push(bench_backend(&url, "SQLite", &source, warmup, runs).await);
            }
            "postgres" => {
                let server = env_or(
                    "ROPA_BENCH_POSTGRES_URL",
                    "postgres://postgres@127.0.0.1:5432",
                );
                let name = format!("ropa_bench_{}", uuid::Uuid::new_v4().simple());
                let admin = Database::connect(format!("{server}/postgres"))
                    .await
                    .expect("PostgreSQL");
                admin
                    .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                    .await
                    .expect("create database");
                let url = format!("{server}/{name}");
                notes.push(bench_backend(&url, "PostgreSQL", &source, warmup, runs).await);
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
        "Document: {:.0} KiB of JSON. First call: the first of the runs, before the warm-up; \
         in the first backend it includes reading the catalogue and compiling the template.",
        source.len() as f64 / 1024.0
    );
    for note in notes {
        println!("{note}");
    }
}
