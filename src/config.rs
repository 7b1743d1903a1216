//! Typed configuration, read once from command-line flags and the environment.

use std::net::SocketAddr;
use std::time::Duration;

/// Where the data lives.
#[derive(Clone, Debug, clap::Args)]
pub struct DatabaseArgs {
    /// Database URL: `sqlite://FILE` or `postgres://USER@HOST/DB`. A missing SQLite file is
    /// created by serve, migrate, init, import and restore, and refused by the other commands.
    #[arg(
        long,
        env = "ROPA_DATABASE_URL",
        default_value = "sqlite://ropa.db",
        global = true
    )]
    pub database_url: String,
}

/// How `ropa serve` runs.
#[derive(Clone, Debug, clap::Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Address to listen on.
    #[arg(long, env = "ROPA_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Load the demo data set first, when the database holds no organisation yet.
    #[arg(long, env = "ROPA_DEMO")]
    pub demo: bool,
    /// Log as JSON lines instead of human-readable text.
    #[arg(long, env = "ROPA_LOG_JSON")]
    pub log_json: bool,
    #[command(flatten)]
    pub guard: GuardArgs,
}

/// How `ropa serve` protects itself: the limits of a request and who may call from where.
#[derive(Clone, Debug, clap::Args)]
pub struct GuardArgs {
    /// The deepest a query may nest its fields.
    #[arg(long, env = "ROPA_MAX_QUERY_DEPTH", default_value_t = QueryLimits::default().max_depth)]
    pub max_query_depth: u64,
    /// The most a query may cost: every field counts once, times the page sizes of the
    /// connections above it.
    #[arg(long, env = "ROPA_MAX_QUERY_COST", default_value_t = QueryLimits::default().max_cost)]
    pub max_query_cost: u64,
    /// The most fields (`__typename` included, fragments expanded) one operation may select.
    #[arg(long, env = "ROPA_MAX_QUERY_FIELDS", default_value_t = QueryLimits::default().max_fields)]
    pub max_query_fields: u64,
    /// The most aliases one operation may use.
    #[arg(long, env = "ROPA_MAX_QUERY_ALIASES", default_value_t = QueryLimits::default().max_aliases)]
    pub max_query_aliases: u64,
    /// Answer introspection queries (and suggest field names in errors); off in production.
    #[arg(long, env = "ROPA_INTROSPECTION", default_value_t = true, action = clap::ArgAction::Set)]
    pub introspection: bool,
    /// Serve GraphiQL at /graphiql (only while introspection is on).
    #[arg(long, env = "ROPA_GRAPHIQL", default_value_t = true, action = clap::ArgAction::Set)]
    pub graphiql: bool,
    /// The largest request body /graphql takes, in bytes.
    #[arg(long, env = "ROPA_MAX_BODY_BYTES", default_value_t = Settings::default().max_body_bytes)]
    pub max_body_bytes: usize,
    /// How long a request may take before it is answered 503 (its changes rolled back).
    #[arg(long, env = "ROPA_REQUEST_TIMEOUT", default_value = "30s", value_parser = humantime::parse_duration)]
    pub request_timeout: Duration,
    /// Requests per minute per API token (per client address without one); 0: no limit.
    #[arg(long, env = "ROPA_RATE_LIMIT", default_value_t = Settings::default().rate_limit_per_minute)]
    pub rate_limit: u32,
    /// Requests per minute per client address, counted before any token is looked up, so that
    /// guessing tokens is limited too; 0: no limit.
    #[arg(long, env = "ROPA_ADDRESS_RATE_LIMIT", default_value_t = Settings::default().address_rate_limit_per_minute)]
    pub address_rate_limit: u32,
    /// How long a connection may take to send a request's headers, counted from when the
    /// server is ready for them: a connection idle that long between requests is closed too.
    #[arg(long, env = "ROPA_HEADER_TIMEOUT", default_value = "10s", value_parser = humantime::parse_duration)]
    pub header_timeout: Duration,
    /// How long a connection may stay open with nothing sent either way and no request in
    /// progress before it is closed.
    #[arg(long, env = "ROPA_IDLE_TIMEOUT", default_value = "60s", value_parser = humantime::parse_duration)]
    pub idle_timeout: Duration,
    /// How long a client may take to send a request's body (answered 408 after that).
    #[arg(long, env = "ROPA_BODY_TIMEOUT", default_value = "30s", value_parser = humantime::parse_duration)]
    pub body_timeout: Duration,
    /// Origins allowed to call the API from a browser (CORS), such as
    /// `https://dashboard.example.fi`; none by default, which keeps CORS closed.
    #[arg(long = "cors-origin", env = "ROPA_CORS_ORIGINS", value_delimiter = ',')]
    pub cors_origins: Vec<String>,
}

impl GuardArgs {
    pub fn settings(&self) -> Settings {
        Settings {
            limits: QueryLimits {
                max_depth: self.max_query_depth,
                max_cost: self.max_query_cost,
                max_fields: self.max_query_fields,
                max_aliases: self.max_query_aliases,
            },
            introspection: self.introspection,
            graphiql: self.graphiql && self.introspection,
            max_body_bytes: self.max_body_bytes,
            request_timeout: self.request_timeout,
            rate_limit_per_minute: self.rate_limit,
            address_rate_limit_per_minute: self.address_rate_limit,
            header_timeout: self.header_timeout,
            idle_timeout: self.idle_timeout,
            body_timeout: self.body_timeout,
            cors_origins: self.cors_origins.clone(),
        }
    }
}

/// The settings the router and the schema are built with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    pub limits: QueryLimits,
    pub introspection: bool,
    pub graphiql: bool,
    pub max_body_bytes: usize,
    pub request_timeout: Duration,
    pub rate_limit_per_minute: u32,
    pub address_rate_limit_per_minute: u32,
    pub header_timeout: Duration,
    pub idle_timeout: Duration,
    pub body_timeout: Duration,
    pub cors_origins: Vec<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            limits: QueryLimits::default(),
            introspection: true,
            graphiql: true,
            max_body_bytes: 256 * 1024,
            request_timeout: Duration::from_secs(30),
            rate_limit_per_minute: 1200,
            address_rate_limit_per_minute: 6000,
            header_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            body_timeout: Duration::from_secs(30),
            cors_origins: Vec::new(),
        }
    }
}

/// The limits of one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QueryLimits {
    pub max_depth: u64,
    pub max_cost: u64,
    pub max_fields: u64,
    pub max_aliases: u64,
}

impl Default for QueryLimits {
    /// Every query of `bench/README.md`'s dashboard set fits with room to spare; the full graph
    /// at the largest page sizes does not (the tests pin both).
    fn default() -> Self {
        Self {
            max_depth: 15,
            max_cost: 100_000,
            max_fields: 500,
            max_aliases: 30,
        }
    }
}

impl QueryLimits {
    /// No limits, for tests that need the whole graph in one request.
    pub fn unlimited() -> Self {
        Self {
            max_depth: u64::MAX,
            max_cost: u64::MAX,
            max_fields: u64::MAX,
            max_aliases: u64::MAX,
        }
    }
}
