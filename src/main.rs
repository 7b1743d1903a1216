//! The `ropa` binary: parses the command line, starts telemetry and hands over to the library.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use ropa::config::{DatabaseArgs, ServeArgs};
use tracing_subscriber::EnvFilter;

#[derive(Parser)]
#[command(
    name = "ropa",
    version,
    about = "GDPR records of processing activities, served over GraphQL"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the GraphQL API (the default).
    Serve(ServeArgs),
    /// Print the GraphQL schema (SDL); `ropa schema > schema.graphql` regenerates the checked-in file.
    Schema,
    /// Import organisations from YAML or JSON documents, each all or nothing.
    Import {
        #[command(flatten)]
        database: DatabaseArgs,
        /// The documents to import.
        #[arg(required = true)]
        files: Vec<std::path::PathBuf>,
    },
}

/// `ropa` with no command: serve, with flags from the environment only.
#[derive(Parser)]
struct ServeFromEnv {
    #[command(flatten)]
    args: ServeArgs,
}

fn init_tracing(json: bool) {
    let filter = EnvFilter::try_from_env("ROPA_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let command = cli
        .command
        .unwrap_or_else(|| Command::Serve(ServeFromEnv::parse_from(["ropa"]).args));
    let result = match command {
        Command::Schema => {
            print!("{}", ropa::graphql::sdl());
            Ok(())
        }
        Command::Serve(args) => {
            init_tracing(args.log_json);
            ropa::server::serve(args).await
        }
        Command::Import { database, files } => {
            init_tracing(false);
            ropa::server::import_files(&database.database_url, &files).await
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("ropa: {err}");
            ExitCode::FAILURE
        }
    }
}
