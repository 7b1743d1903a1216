//! Write throughput: many concurrent clients, each updating its own processing activity through
//! the GraphQL API, on SQLite and on PostgreSQL. Method and results: `bench/README.md`.
//!
//! `cargo bench --bench write_throughput` runs it. Settings from the environment:
//! `ROPA_BENCH_SECONDS` (per run, default 5), `ROPA_BENCH_CLIENTS` (default `1,8,32,64`),
//! `ROPA_BENCH_BACKENDS` (default `sqlite,postgres`), `ROPA_BENCH_POSTGRES_URL`
//! (default `postgres://postgres@127.0.0.1:5432`).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{header, Request};
use http_body_util::BodyExt;
use sea_orm::{ConnectionTrait, Database};
use serde_json::{json, Value};
use tower::ServiceExt;

const CREATE: &str = "mutation($i: CreateProcessingActivityInput!) { createProcessingActivity(input: $i) { processingActivity { id version } } }";
const UPDATE: &str = "mutation($i: UpdateProcessingActivityInput!) { updateProcessingActivity(input: $i) { processingActivity { version } } }";

struct Client {
    router: axum::Router,
    token: String,
}

impl Client {
    async fn call(&self, query: &str, variables: Value) -> Value {
        let body = json!({ "query": query, "variables": variables }).to_string();
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

/// What one run measured.
#[derive(Default)]
struct Run {
    updates: usize,
    errors: BTreeMap<String, usize>,
    latencies: Vec<Duration>,
}

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

async fn run(client: Arc<Client>, activity: String, mut version: i64, until: Instant) -> Run {
    let mut run = Run::default();
    let mut n = 0u64;
    while Instant::now() < until {
        n += 1;
        let started = Instant::now();
        let response = client
            .call(
                UPDATE,
                json!({"i": {"id": activity, "version": version,
                    "purpose": [{"language": "en", "text": format!("Purpose, revision {n}")}]}}),
            )
            .await;
        run.latencies.push(started.elapsed());
        match response["errors"][0]["message"].as_str() {
            None => {
                run.updates += 1;
                version = response["data"]["updateProcessingActivity"]["processingActivity"]
                    ["version"]
                    .as_i64()
                    .expect("version");
            }
            Some(message) => *run.errors.entry(message.to_owned()).or_default() += 1,
        }
    }
    run
}

async fn bench_backend(url: &str, label: &str, clients: &[usize], seconds: u64) {
    let db = ropa::db::connect(url).await.expect("database");
    ropa::demo::load(&db).await.expect("demo data");
    let (_, token) = ropa::identity::create_service_token(
        &db,
        "puuha",
        entity::Role::Editor,
        None,
        "bench",
        None,
    )
    .await
    .expect("token");
    // The per-token rate limit is off: the benchmark measures the write path itself.
    let settings = ropa::config::Settings {
        rate_limit_per_minute: 0,
        ..ropa::config::Settings::default()
    };
    let state = ropa::AppState::with_settings(db.clone(), settings).expect("state");
    let client = Arc::new(Client {
        router: ropa::app::router(state),
        token,
    });
    let register = client
        .call(
            "{ organisation(slug: \"puuha\") { register(slug: \"asiakasrekisteri\") { id } recipients(first: 3) { nodes { id } } } }",
            json!({}),
        )
        .await;
    let register_id = register["data"]["organisation"]["register"]["id"]
        .as_str()
        .expect("register")
        .to_owned();
    let recipients = register["data"]["organisation"]["recipients"]["nodes"].clone();
    let linked: Vec<Value> = recipients
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].clone())
        .collect();
    let max = clients.iter().copied().max().unwrap_or(1);
    let mut activities = Vec::new();
    for i in 0..max {
        let created = client
            .call(
                CREATE,
                json!({"i": {"registerId": register_id, "key": format!("bench-{i}"), "legalBasis": "CONTRACT",
                    "name": [{"language": "en", "text": format!("Benchmark activity {i}")}], "linkedIds": linked}}),
            )
            .await;
        let node = &created["data"]["createProcessingActivity"]["processingActivity"];
        activities.push((
            node["id"].as_str().expect("created").to_owned(),
            node["version"].as_i64().unwrap(),
        ));
    }
    for &n in clients {
        let until = Instant::now() + Duration::from_secs(seconds);
        let started = Instant::now();
        let tasks: Vec<_> = activities[..n]
            .iter()
            .map(|(id, version)| tokio::spawn(run(client.clone(), id.clone(), *version, until)))
            .collect();
        let mut total = Run::default();
        for task in tasks {
            let run = task.await.expect("client");
            total.updates += run.updates;
            total.latencies.extend(run.latencies);
            for (message, count) in run.errors {
                *total.errors.entry(message).or_default() += count;
            }
        }
        let elapsed = started.elapsed().as_secs_f64();
        // Versions moved on: the next run starts from the stored ones.
        for (id, version) in activities.iter_mut().take(n) {
            let node = client
                .call(
                    "query($id: ID!) { node(id: $id) { ... on ProcessingActivity { version } } }",
                    json!({"id": id}),
                )
                .await;
            *version = node["data"]["node"]["version"].as_i64().expect("version");
        }
        total.latencies.sort();
        let pct = |p: f64| {
            let i = ((total.latencies.len() as f64 - 1.0) * p).round() as usize;
            total
                .latencies
                .get(i)
                .map(|d| d.as_secs_f64() * 1000.0)
                .unwrap_or(0.0)
        };
        println!(
            "| {label:<10} | {n:>7} | {:>8} | {:>12.0} | {:>7.1} | {:>7.1} | {:>7.1} | {:>6} |",
            total.updates,
            total.updates as f64 / elapsed,
            pct(0.5),
            pct(0.95),
            pct(0.99),
            total.errors.values().sum::<usize>(),
        );
        for (message, count) in &total.errors {
            println!("|            |         | error × {count}: {message}");
        }
    }
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    // `cargo bench` passes `--bench`; nothing else is read from the command line.
    let seconds: u64 = env_or("ROPA_BENCH_SECONDS", "5").parse().expect("seconds");
    let clients: Vec<usize> = env_or("ROPA_BENCH_CLIENTS", "1,8,32,64")
        .split(',')
        .map(|c| c.trim().parse().expect("clients"))
        .collect();
    let backends = env_or("ROPA_BENCH_BACKENDS", "sqlite,postgres");
    println!(
        "| backend    | clients |  updates | updates/s    | p50 ms  | p95 ms  | p99 ms  | errors |"
    );
    println!(
        "|------------|---------|----------|--------------|---------|---------|---------|--------|"
    );
    for backend in backends.split(',') {
        match backend.trim() {
            "sqlite" => {
                let dir = tempfile::tempdir().expect("temporary directory");
                let url = format!("sqlite://{}", dir.path().join("bench.db").display());
                bench_backend(&url, "SQLite", &clients, seconds).await;
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
                bench_backend(&format!("{server}/{name}"), "PostgreSQL", &clients, seconds).await;
                admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                    .await
                    .expect("drop database");
            }
            other => panic!("unknown backend {other}"),
        }
    }
}
