//! Transfer queries for other services: latency and throughput of `transfers(filter:)` by
//! country, by mechanism and by adequacy status, on an organisation of 2,000 activities, with
//! 1 to 64 concurrent clients, on SQLite and on PostgreSQL. Method and results:
//! `bench/README.md`.
//!
//! `cargo bench --bench transfer_queries` runs it. Settings from the environment:
//! `ROPA_BENCH_SECONDS` (per run, default 3), `ROPA_BENCH_MAX_REQUESTS` (per run, default
//! 3000), `ROPA_BENCH_CLIENTS` (default `1,4,16,64`), `ROPA_BENCH_BACKENDS` (default
//! `sqlite,postgres`), `ROPA_BENCH_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432`).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{header, Request};
use http_body_util::BodyExt;
use sea_orm::{ConnectionTrait, Database};
use serde_json::{json, Value};
use tower::ServiceExt;

/// Registers × activities per register: 2,000 activities.
const REGISTERS: usize = 20;
const ACTIVITIES: usize = 100;

/// The three questions, each one page of 100 transfers with what stands behind them, and the
/// same page without a filter (the unfiltered list, for comparison).
const QUERIES: [(&str, &str); 4] = [
    ("no filter", ""),
    ("by country", "{countries: [\"JP\", \"IN\"]}"),
    (
        "by mechanism",
        "{mechanisms: [STANDARD_CONTRACTUAL_CLAUSES]}",
    ),
    (
        "by adequacy",
        "{adequacy: NONE, adequacyOn: \"2026-12-01\"}",
    ),
];

fn query(filter: &str) -> String {
    let filter = if filter.is_empty() {
        String::new()
    } else {
        format!("filter: {filter}, ")
    };
    format!(
        "{{ organisation(slug: \"bench\") {{ transfers({filter}first: 100) {{ pageInfo {{ hasNextPage endCursor }} nodes {{ id country mechanism recipient {{ key }} activity {{ key }} register {{ slug }} dataCategories {{ nodes {{ key }} }} }} }} }} }}"
    )
}

/// A generated organisation: `REGISTERS` registers of `ACTIVITIES` activities. Activity `a`
/// transfers to the US (adequacy when `a` is even, SCC otherwise), to JP by adequacy when
/// `a % 3 == 0`, and to IN under BCR when `a % 5 == 0`: 3,080 transfers in all. (The shared
/// generator of large organisations has no transfers of this spread, so the bench has its own.)
fn document() -> String {
    let mut doc = String::from(
        "organisation: {slug: bench, name: Bench Oy, country: FI}\n\
         parties:\n  - {key: cloud, name: Cloud Inc, kind: processor, country: US}\n  - {key: sub, name: Sub Pvt, kind: sub_processor, parent: cloud, country: IN}\n  - {key: analytics, name: Analytics KK, kind: third_party, country: JP}\n\
         data_subject_categories:\n  - {key: s0, name: Customers}\n  - {key: s1, name: Visitors}\n\
         personal_data_categories:\n  - {key: d0, name: Names}\n  - {key: d1, name: Addresses}\n  - {key: d2, name: Orders}\n\
         recipients:\n  - {key: staff, name: Staff, kind: internal}\n  - {key: r-cloud, name: Cloud, kind: processor, party: cloud}\n  - {key: r-sub, name: Sub, kind: processor, party: sub}\n  - {key: r-analytics, name: Analytics, kind: third_party, party: analytics}\n\
         registers:\n",
    );
    for r in 0..REGISTERS {
        doc.push_str(&format!(
            "  - slug: reg{r}\n    name: Register {r}\n    kind: customer\n    status: published\n    activities:\n"
        ));
        for a in 0..ACTIVITIES {
            let mut transfers = vec![format!(
                "{{recipient: r-cloud, country: US, mechanism: {}}}",
                if a % 2 == 0 {
                    "adequacy_decision"
                } else {
                    "standard_contractual_clauses"
                }
            )];
            if a % 3 == 0 {
                transfers.push(
                    "{recipient: r-analytics, country: JP, mechanism: adequacy_decision}".into(),
                );
            }
            if a % 5 == 0 {
                transfers.push(
                    "{recipient: r-sub, country: IN, mechanism: binding_corporate_rules}".into(),
                );
            }
            doc.push_str(&format!(
                "      - key: act{a}\n        name: Activity {r}.{a}\n        purpose: Purpose {a}\n        legal_basis: contract\n\
                 \x20       data_subjects: [s{}]\n        data_categories: [d{}, d{}]\n        recipients: [staff, r-cloud, r-analytics, r-sub]\n        transfers: [{}]\n",
                a % 2,
                a % 3,
                (a + 1) % 3,
                transfers.join(", ")
            ));
        }
    }
    doc
}

struct Client {
    router: axum::Router,
    token: String,
}

impl Client {
    async fn call(&self, query: &str) -> Value {
        let body = json!({ "query": query }).to_string();
        let request = Request::post("/graphql")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::AUTHORIZATION, format!("Bearer {}", self.token))
            .body(Body::from(body))
            .expect("request");
        let response = self.router.clone().oneshot(request).await.expect("answer");
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        serde_json::from_slice(&bytes).expect("JSON")
    }
}

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

/// One client: the same query again and again until the time is up or the run has made
/// `max` requests in all.
async fn run(
    client: Arc<Client>,
    query: Arc<String>,
    until: Instant,
    made: Arc<AtomicUsize>,
    max: usize,
) -> (Vec<Duration>, usize) {
    let mut latencies = Vec::new();
    let mut errors = 0;
    while Instant::now() < until && made.fetch_add(1, Ordering::Relaxed) < max {
        let started = Instant::now();
        let response = client.call(&query).await;
        latencies.push(started.elapsed());
        let nodes = response["data"]["organisation"]["transfers"]["nodes"].as_array();
        if response["errors"].is_array() || nodes.is_none_or(|n| n.len() != 100) {
            errors += 1;
        }
    }
    (latencies, errors)
}

async fn bench_backend(url: &str, label: &str, clients: &[usize], seconds: u64, max: usize) {
    let db = ropa::db::connect(url).await.expect("database");
    let doc = ropa::service::import::parse(&document()).expect("the generated document parses");
    let summary = ropa::service::import::import(&db, &doc)
        .await
        .expect("imports");
    assert_eq!(summary.activities, REGISTERS * ACTIVITIES);
    let (_, token) = ropa::identity::create_service_token(
        &db,
        "bench",
        entity::Role::Service,
        None,
        "bench",
        None,
    )
    .await
    .expect("token");
    let state = ropa::AppState::new(db.clone()).expect("state");
    let client = Arc::new(Client {
        router: ropa::app::router(state),
        token,
    });
    for (name, filter) in QUERIES {
        let query = Arc::new(query(filter));
        // One warm-up call, which also checks the answer.
        let first = client.call(&query).await;
        assert!(first["errors"].is_null(), "{first}");
        for &n in clients {
            let until = Instant::now() + Duration::from_secs(seconds);
            let made = Arc::new(AtomicUsize::new(0));
            let started = Instant::now();
            let tasks: Vec<_> = (0..n)
                .map(|_| tokio::spawn(run(client.clone(), query.clone(), until, made.clone(), max)))
                .collect();
            let mut latencies = Vec::new();
            let mut errors = 0;
            for task in tasks {
                let (l, e) = task.await.expect("client");
                latencies.extend(l);
                errors += e;
            }
            let elapsed = started.elapsed().as_secs_f64();
            latencies.sort();
            let pct = |p: f64| {
                let i = ((latencies.len() as f64 - 1.0) * p).round() as usize;
                latencies
                    .get(i)
                    .map(|d| d.as_secs_f64() * 1000.0)
                    .unwrap_or(0.0)
            };
            println!(
                "| {label:<10} | {name:<12} | {n:>7} | {:>8} | {:>10.1} | {:>7.1} | {:>7.1} | {:>7.1} | {errors:>6} |",
                latencies.len(),
                latencies.len() as f64 / elapsed,
                pct(0.5),
                pct(0.95),
                pct(0.99),
            );
        }
    }
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    // `cargo bench` passes `--bench`; nothing else is read from the command line.
    let seconds: u64 = env_or("ROPA_BENCH_SECONDS", "3").parse().expect("seconds");
    let max: usize = env_or("ROPA_BENCH_MAX_REQUESTS", "3000")
        .parse()
        .expect("requests");
    let clients: Vec<usize> = env_or("ROPA_BENCH_CLIENTS", "1,4,16,64")
        .split(',')
        .map(|c| c.trim().parse().expect("clients"))
        .collect();
    let backends = env_or("ROPA_BENCH_BACKENDS", "sqlite,postgres");
    println!(
        "| backend    | query        | clients | requests | requests/s | p50 ms  | p95 ms  | p99 ms  | errors |"
    );
    println!(
        "|------------|--------------|---------|----------|------------|---------|---------|---------|--------|"
    );
    for backend in backends.split(',') {
        match backend.trim() {
            "sqlite" => {
                let dir = tempfile::tempdir().expect("temporary directory");
                let url = format!("sqlite://{}", dir.path().join("bench.db").display());
                bench_backend(&url, "SQLite", &clients, seconds, max).await;
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
                bench_backend(
                    &format!("{server}/{name}"),
                    "PostgreSQL",
                    &clients,
                    seconds,
                    max,
                )
                .await;
                admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                    .await
                    .expect("drop database");
            }
            other => panic!("unknown backend {other}"),
        }
    }
}
