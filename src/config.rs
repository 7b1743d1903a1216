//! Typed configuration, read once from command-line flags and the environment.

use std::net::SocketAddr;

/// Where the data lives.
#[derive(Clone, Debug, clap::Args)]
pub struct DatabaseArgs {
    /// Database URL: `sqlite://FILE` (created when missing) or `postgres://USER@HOST/DB`.
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
}
