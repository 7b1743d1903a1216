//! Spawning the app on a fresh database of either backend, and talking to it as a client would.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::{json, Value};
use tower::ServiceExt;

/// The storage backends every storage test runs on.
#[derive(Clone, Copy, Debug)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Where the test PostgreSQL server is; each test creates (and drops) its own database there.
fn postgres_server() -> String {
    std::env::var("ROPA_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".to_owned())
}

/// The settings of the tests: the service's defaults, without the rate limit (a test makes
/// hundreds of requests a second with one token) and with a request timeout long enough for an
/// unoptimised build on a loaded machine; `tests/api/guard.rs` tests both limits themselves.
pub fn test_settings() -> ropa::config::Settings {
    ropa::config::Settings {
        rate_limit_per_minute: 0,
        address_rate_limit_per_minute: 0,
        request_timeout: std::time::Duration::from_secs(600),
        ..ropa::config::Settings::default()
    }
}

/// The PostgreSQL role the tests run the service as: not the owner of the tables, so with only
/// SELECT and INSERT on the append-only ones (`ropa migrate --grant-to`), as in production.
pub const SERVICE_ROLE: &str = "ropa_service";

/// `server` (a `postgres://` URL without a database) with `user` in place of its own user.
fn as_user(server: &str, user: &str) -> String {
    let (scheme, rest) = server.split_once("://").unwrap_or(("postgres", server));
    let host = rest.rsplit_once('@').map_or(rest, |(_, host)| host);
    format!("{scheme}://{user}@{host}")
}

/// A service on its own empty, migrated database.
pub struct TestApp {
    /// The service's connection (on PostgreSQL as [`SERVICE_ROLE`]).
    pub db: DatabaseConnection,
    /// The connection of the tables' owner, which migrated the database (on SQLite the same).
    pub owner: DatabaseConnection,
    pub router: Router,
    pub state: ropa::AppState,
    /// The database URL, for running the binary against the same database.
    pub url: String,
    /// The bearer token `graphql` sends, if any.
    bearer: std::sync::Mutex<Option<String>>,
    /// SQL statements executed since the counter was last reset.
    statements: Arc<AtomicUsize>,
    _storage: Storage,
}

enum Storage {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { server: String, name: String },
}

impl Drop for Storage {
    fn drop(&mut self) {
        if let Storage::Postgres { server, name } = self {
            let (server, name) = (server.clone(), name.clone());
            // Drop runs outside any async context we could use; a thread with its own runtime
            // drops the database, closing the connections the test left open.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()?;
                rt.block_on(async {
                    let admin = Database::connect(format!("{server}/postgres")).await?;
                    admin
                        .execute_unprepared(&format!(
                            "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                        ))
                        .await?;
                    admin.close().await
                })
                .map_err(std::io::Error::other)
            })
            .join();
        }
    }
}

impl TestApp {
    /// A fresh, empty, migrated database on `backend` and the router over it.
    pub async fn spawn(backend: Backend) -> TestApp {
        let (url, owner, storage) = match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temporary directory");
                let url = format!("sqlite://{}", dir.path().join("ropa.db").display());
                (url, None, Storage::Sqlite(dir))
            }
            Backend::Postgres => {
                let server = postgres_server();
                let name = format!("ropa_test_{}", uuid::Uuid::new_v4().simple());
                let admin = Database::connect(format!("{server}/postgres"))
                    .await
                    .expect("PostgreSQL must be running for the tests (see README)");
                admin
                    .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                    .await
                    .expect("create test database");
                // Tests run at once may each try to create the role: the first one does.
                admin
                    .execute_unprepared(&format!(
                        "DO $$ BEGIN CREATE ROLE {SERVICE_ROLE} LOGIN; \
                         EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
                    ))
                    .await
                    .expect("create the service role");
                admin.close().await.expect("close admin connection");
                let owner = ropa::db::connect(&format!("{server}/{name}"))
                    .await
                    .expect("connect and migrate as the owner");
                ropa::db::grant_service_role(&owner, SERVICE_ROLE)
                    .await
                    .expect("grant the service role its access");
                (
                    format!("{}/{name}", as_user(&server, SERVICE_ROLE)),
                    Some(owner),
                    Storage::Postgres { server, name },
                )
            }
        };
        let mut db = ropa::db::connect(&url).await.expect("connect and migrate");
        let owner = owner.unwrap_or_else(|| db.clone());
        let statements = Arc::new(AtomicUsize::new(0));
        let counter = statements.clone();
        db.set_metric_callback(move |info| {
            counter.fetch_add(1, Ordering::SeqCst);
            if std::env::var_os("ROPA_TEST_LOG_SQL").is_some() {
                eprintln!(
                    "SQL: {}",
                    info.statement.sql.chars().take(160).collect::<String>()
                );
            }
        });
        let state =
            ropa::AppState::with_settings(db.clone(), test_settings()).expect("the policy loads");
        let router = ropa::app::router(state.clone());
        TestApp {
            db,
            owner,
            router,
            state,
            url,
            bearer: std::sync::Mutex::new(None),
            statements,
            _storage: storage,
        }
    }

    /// The same database and state behind a router built with `settings`.
    pub fn with_settings(mut self, settings: ropa::config::Settings) -> TestApp {
        self.state =
            ropa::AppState::with_settings(self.db.clone(), settings).expect("the policy loads");
        self.router = ropa::app::router(self.state.clone());
        self
    }

    /// Without the GraphQL cost limits, for the tests that read the whole graph in one query.
    pub fn without_query_limits(self) -> TestApp {
        self.with_settings(ropa::config::Settings {
            limits: ropa::graphql::QueryLimits::unlimited(),
            ..test_settings()
        })
    }

    /// A fresh database holding the demo data set.
    pub async fn with_demo(backend: Backend) -> TestApp {
        let app = Self::spawn(backend).await;
        ropa::demo::load(&app.db).await.expect("demo data loads");
        app.sign_in_as_auditor_everywhere().await;
        app
    }

    /// The bearer `graphql` sends, if any.
    pub fn bearer(&self) -> Option<String> {
        self.bearer.lock().unwrap().clone()
    }

    /// Sends `token` as the bearer of later requests (none: anonymous).
    pub fn use_token(&self, token: Option<String>) {
        *self.bearer.lock().unwrap() = token;
    }

    /// A new account holding `role` in every organisation in the database; returns its token.
    pub async fn token_everywhere(&self, role: entity::Role) -> String {
        use sea_orm::EntityTrait;
        let account =
            ropa::identity::create_account(&self.db, "tester", None, entity::AccountKind::Service)
                .await
                .expect("account");
        for organisation in entity::organisation::Entity::find()
            .all(&self.db)
            .await
            .expect("organisations")
        {
            ropa::identity::grant(&self.db, account.id, organisation.id, None, role)
                .await
                .expect("grant");
        }
        ropa::identity::create_token(&self.db, account.id, "tests", None)
            .await
            .expect("token")
            .1
    }

    /// A token for a new service account with one role (optionally limited to a register).
    pub async fn token(
        &self,
        organisation: &str,
        role: entity::Role,
        register: Option<&str>,
    ) -> String {
        ropa::identity::create_service_token(&self.db, organisation, role, register, "tests", None)
            .await
            .expect("token")
            .1
    }

    /// From now on, calls as an auditor of every organisation now in the database.
    pub async fn sign_in_as_auditor_everywhere(&self) {
        let token = self.token_everywhere(entity::Role::Auditor).await;
        self.use_token(Some(token));
    }

    /// Sends an HTTP request to the router; returns the status and the body as text.
    pub async fn send(&self, request: Request<Body>) -> (StatusCode, String) {
        let (status, _, body) = self.send_full(request).await;
        (status, body)
    }

    /// Sends `request`; returns the status, the headers and the body.
    pub async fn send_full(
        &self,
        request: Request<Body>,
    ) -> (StatusCode, axum::http::HeaderMap, String) {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("router answers");
        let (parts, body) = response.into_parts();
        let bytes = body.collect().await.expect("body").to_bytes();
        (
            parts.status,
            parts.headers,
            String::from_utf8_lossy(&bytes).into_owned(),
        )
    }

    /// Runs the `ropa` binary with `args` and `--database-url` of this app's database; returns
    /// the exit code, stdout and stderr.
    pub fn ropa(&self, args: &[&str]) -> (i32, String, String) {
        let mut args = args.to_vec();
        // The subcommands' own options follow the subcommand: `ropa check --database-url …`.
        let at = args
            .iter()
            .position(|a| a.starts_with('-'))
            .unwrap_or(args.len());
        args.splice(at..at, ["--database-url", self.url.as_str()]);
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_ropa"))
            .args(args)
            .env_remove("ROPA_DATABASE_URL")
            .env("ROPA_LOG", "error")
            .output()
            .expect("the binary runs");
        (
            output.status.code().expect("an exit code"),
            String::from_utf8(output.stdout).expect("UTF-8"),
            String::from_utf8(output.stderr).expect("UTF-8"),
        )
    }

    /// GETs `path` with `bearer` (none: anonymous); returns the status, the headers and the
    /// body's bytes.
    pub async fn download(
        &self,
        path: &str,
        bearer: Option<&str>,
    ) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
        let mut request = Request::get(path);
        if let Some(bearer) = bearer {
            request = request.header(header::AUTHORIZATION, format!("Bearer {bearer}"));
        }
        let response = self
            .router
            .clone()
            .oneshot(request.body(Body::empty()).expect("request"))
            .await
            .expect("router answers");
        let (parts, body) = response.into_parts();
        let bytes = body.collect().await.expect("body").to_bytes();
        (parts.status, parts.headers, bytes.to_vec())
    }

    /// GETs `path`, which must answer 200; returns the body.
    pub async fn get_body(&self, path: String) -> String {
        let (status, body) = self.get(&path).await;
        assert_eq!(status, StatusCode::OK, "GET {path}: {body}");
        body
    }

    /// GETs `path`; returns the status, the headers and the body.
    pub async fn get_with_headers(
        &self,
        path: &str,
    ) -> (StatusCode, axum::http::HeaderMap, String) {
        self.send_full(Request::get(path).body(Body::empty()).expect("request"))
            .await
    }

    pub async fn get(&self, path: &str) -> (StatusCode, String) {
        self.send(Request::get(path).body(Body::empty()).expect("request"))
            .await
    }

    /// POSTs a GraphQL query; returns the whole JSON response (`data` and `errors`).
    pub async fn graphql(&self, query: &str, variables: Value) -> Value {
        let bearer = self.bearer.lock().unwrap().clone();
        let (status, text) = self.graphql_raw(query, variables, bearer.as_deref()).await;
        assert_eq!(status, StatusCode::OK, "GraphQL answered {status}: {text}");
        serde_json::from_str(&text).expect("GraphQL answers JSON")
    }

    /// POSTs a GraphQL query with an explicit bearer token; returns the status and body.
    pub async fn graphql_raw(
        &self,
        query: &str,
        variables: Value,
        bearer: Option<&str>,
    ) -> (StatusCode, String) {
        let body = json!({ "query": query, "variables": variables }).to_string();
        let mut request =
            Request::post("/graphql").header(header::CONTENT_TYPE, "application/json");
        if let Some(token) = bearer {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        self.send(request.body(Body::from(body)).expect("request"))
            .await
    }

    /// POSTs a GraphQL query as `bearer`; returns the whole JSON response.
    pub async fn graphql_as(&self, bearer: Option<&str>, query: &str, variables: Value) -> Value {
        let (status, text) = self.graphql_raw(query, variables, bearer).await;
        assert_eq!(status, StatusCode::OK, "GraphQL answered {status}: {text}");
        serde_json::from_str(&text).expect("GraphQL answers JSON")
    }

    /// `data` of a query that must succeed.
    pub async fn query(&self, query: &str, variables: Value) -> Value {
        let response = self.graphql(query, variables).await;
        assert!(
            response.get("errors").is_none(),
            "unexpected errors: {response:#}"
        );
        response["data"].clone()
    }

    /// Serves the router on a free port of 127.0.0.1 for the rest of the test; returns the
    /// address.
    pub async fn serve(&self) -> std::net::SocketAddr {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free port");
        let address = listener.local_addr().expect("an address");
        let router = self.router.clone();
        let timeouts = ropa::server::Timeouts::of(&self.state.settings);
        tokio::spawn(ropa::server::run(
            listener,
            router,
            timeouts,
            std::future::pending(),
        ));
        address
    }

    /// The SQL statements a closure's queries cost.
    pub fn reset_statement_count(&self) {
        self.statements.store(0, Ordering::SeqCst);
    }

    pub fn statement_count(&self) -> usize {
        self.statements.load(Ordering::SeqCst)
    }
}

/// The `extensions.code` of the first error of a response.
pub fn error_code(response: &Value) -> &str {
    response["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or("")
}

/// Declares a test that runs once on SQLite and once on PostgreSQL, each on a fresh database:
/// `backend_test!(async fn name(backend) { … })` makes `name::sqlite` and `name::postgres`.
#[macro_export]
macro_rules! backend_test {
    ($(async fn $name:ident($backend:ident) $body:block)*) => {
        $(
            mod $name {
                #[allow(unused_imports)]
                use super::*;

                async fn run($backend: $crate::helpers::Backend) $body

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    run($crate::helpers::Backend::Sqlite).await
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    run($crate::helpers::Backend::Postgres).await
                }
            }
        )*
    };
}
