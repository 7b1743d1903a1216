//! `/metrics` in the Prometheus text format: HTTP requests by route, method and status with
//! their latency, GraphQL operations by name and outcome with their latency, rate-limit
//! refusals, and the database pool.
//!
//! Label values are bounded: routes are the router's patterns, outcomes are error codes, and
//! operation names are the client's, kept only while they look like names
//! (`[A-Za-z0-9_]`, at most 64 characters) and fewer than [`MAX_OPERATIONS`] are known;
//! beyond that they count as `other`, so no client can grow the registry without bound.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend};

/// The most distinct operation names kept as labels.
pub const MAX_OPERATIONS: usize = 200;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct HttpLabels {
    route: String,
    method: String,
    status: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OperationLabels {
    operation: String,
    outcome: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OperationName {
    operation: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolLabels {
    state: String,
}

fn latency() -> Histogram {
    // 1 ms to about 16 s.
    Histogram::new(exponential_buckets(0.001, 2.0, 15))
}

/// The service's metrics; cheap to clone, shared by every request.
#[derive(Clone)]
pub struct Metrics(Arc<Inner>);

struct Inner {
    registry: Registry,
    requests: Family<HttpLabels, Counter>,
    request_seconds: Family<RouteLabels, Histogram, fn() -> Histogram>,
    operations: Family<OperationLabels, Counter>,
    operation_seconds: Family<OperationName, Histogram, fn() -> Histogram>,
    rate_limited: Counter,
    statements: Counter,
    pool: Family<PoolLabels, Gauge>,
    known_operations: Mutex<HashSet<String>>,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::default();
        let requests = Family::<HttpLabels, Counter>::default();
        let request_seconds =
            Family::<RouteLabels, Histogram, fn() -> Histogram>::new_with_constructor(latency);
        let operations = Family::<OperationLabels, Counter>::default();
        let operation_seconds =
            Family::<OperationName, Histogram, fn() -> Histogram>::new_with_constructor(latency);
        let rate_limited = Counter::default();
        let statements = Counter::default();
        let pool = Family::<PoolLabels, Gauge>::default();
        registry.register(
            "ropa_http_requests",
            "HTTP requests by route pattern, method and status",
            requests.clone(),
        );
        registry.register(
            "ropa_http_request_duration_seconds",
            "Time to the response's head, by route pattern",
            request_seconds.clone(),
        );
        registry.register(
            "ropa_graphql_operations",
            "GraphQL operations by operation name and outcome (OK or the first error's code)",
            operations.clone(),
        );
        registry.register(
            "ropa_graphql_operation_duration_seconds",
            "Time to execute a GraphQL operation, by operation name",
            operation_seconds.clone(),
        );
        registry.register(
            "ropa_rate_limited",
            "Requests refused with 429 by the per-caller rate limit",
            rate_limited.clone(),
        );
        registry.register(
            "ropa_sql_statements",
            "SQL statements the service sent to the database",
            statements.clone(),
        );
        registry.register(
            "ropa_db_pool_connections",
            "Database pool connections: open, idle, in use and the maximum",
            pool.clone(),
        );
        Self(Arc::new(Inner {
            registry,
            requests,
            request_seconds,
            operations,
            operation_seconds,
            rate_limited,
            statements,
            pool,
            known_operations: Mutex::default(),
        }))
    }
}

impl Metrics {
    /// One SQL statement sent.
    pub fn statement(&self) {
        self.0.statements.inc();
    }

    /// One HTTP request answered.
    pub fn http(&self, route: &str, method: &str, status: u16, took: Duration) {
        self.0
            .requests
            .get_or_create(&HttpLabels {
                route: route.to_owned(),
                method: method.to_owned(),
                status: status.to_string(),
            })
            .inc();
        self.0
            .request_seconds
            .get_or_create(&RouteLabels {
                route: route.to_owned(),
            })
            .observe(took.as_secs_f64());
    }

    /// One GraphQL operation: its name (`Some(None)` when the client gave none; `None` for an
    /// unauthenticated caller, whose names are not kept), outcome and time.
    pub fn operation(&self, name: Option<Option<&str>>, outcome: &str, took: Duration) {
        let operation = self.operation_label(name);
        self.0
            .operations
            .get_or_create(&OperationLabels {
                operation: operation.clone(),
                outcome: outcome.to_owned(),
            })
            .inc();
        self.0
            .operation_seconds
            .get_or_create(&OperationName { operation })
            .observe(took.as_secs_f64());
    }

    pub fn rate_limited(&self) {
        self.0.rate_limited.inc();
    }

    fn operation_label(&self, name: Option<Option<&str>>) -> String {
        let Some(name) = name else {
            return "unauthenticated".to_owned();
        };
        let Some(name) = name else {
            return "anonymous".to_owned();
        };
        let looks_like_a_name = !name.is_empty()
            && name.len() <= 64
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !looks_like_a_name {
            return "other".to_owned();
        }
        let mut known = self
            .0
            .known_operations
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if known.contains(name) || known.len() < MAX_OPERATIONS {
            known.insert(name.to_owned());
            name.to_owned()
        } else {
            "other".to_owned()
        }
    }

    /// The text exposition, with the pool's gauges read now.
    pub fn render(&self, db: &DatabaseConnection) -> String {
        let (open, idle, max) = match db.get_database_backend() {
            DbBackend::Sqlite => {
                let pool = db.get_sqlite_connection_pool();
                (
                    pool.size(),
                    pool.num_idle(),
                    pool.options().get_max_connections(),
                )
            }
            DbBackend::Postgres => {
                let pool = db.get_postgres_connection_pool();
                (
                    pool.size(),
                    pool.num_idle(),
                    pool.options().get_max_connections(),
                )
            }
            DbBackend::MySql => (0, 0, 0),
        };
        let idle = i64::try_from(idle).unwrap_or(i64::MAX);
        for (state, value) in [
            ("open", i64::from(open)),
            ("idle", idle),
            ("in_use", i64::from(open) - idle),
            ("max", i64::from(max)),
        ] {
            self.0
                .pool
                .get_or_create(&PoolLabels {
                    state: state.to_owned(),
                })
                .set(value);
        }
        let mut out = String::new();
        if prometheus_client::encoding::text::encode(&mut out, &self.0.registry).is_err() {
            tracing::error!("the metrics could not be encoded");
        }
        out
    }
}
