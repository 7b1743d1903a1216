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
    /// Bring the database's schema up to date (as the owner of its tables), and on PostgreSQL
    /// optionally let a separate role run the service with append-only access to the audit trail.
    Migrate {
        #[command(flatten)]
        database: DatabaseArgs,
        /// The PostgreSQL role `ropa serve` connects as; it gets read and write access to the
        /// graph and only SELECT and INSERT on the audit trail and the notice versions.
        #[arg(long, value_name = "ROLE")]
        grant_to: Option<String>,
    },
    /// Start your own organisation with its first admin account (on a new or an existing
    /// database) and print the admin's token, and nothing else, on standard output.
    Init {
        #[command(flatten)]
        database: DatabaseArgs,
        /// The organisation's slug, its name in URLs (`acme`); refused when one exists.
        #[arg(long, value_name = "SLUG")]
        organisation: String,
        /// The organisation's name, as its notices name the controller.
        #[arg(long)]
        name: String,
        /// Its business ID; in Finland the Y-tunnus (`1234567-1`), its check digit checked.
        #[arg(long, value_name = "Y-TUNNUS")]
        business_id: Option<String>,
        /// Its country (ISO 3166-1 alpha-2).
        #[arg(long, default_value = "FI")]
        country: String,
        /// The language its notices are written in first: fi, sv or en.
        #[arg(long, default_value = "fi")]
        language: String,
        /// The name of the first account, the admin, as the audit trail shows it.
        #[arg(long, default_value = "Administrator")]
        admin_name: String,
    },
    /// Import organisations from YAML or JSON documents, each all or nothing.
    Import {
        #[command(flatten)]
        database: DatabaseArgs,
        /// The documents to import.
        #[arg(required = true)]
        files: Vec<std::path::PathBuf>,
    },
    /// Print a register's privacy notice: the current draft, with its gaps, or a published version.
    Notice {
        #[command(flatten)]
        database: DatabaseArgs,
        /// Slug of the organisation.
        #[arg(long)]
        organisation: String,
        /// Slug of the register.
        #[arg(long)]
        register: String,
        /// fi, sv or en; the register's first language when omitted.
        #[arg(long, value_parser = LANGUAGES)]
        lang: Option<String>,
        /// html, md, txt or json.
        #[arg(long, default_value = "txt", value_parser = ["html", "md", "txt", "json"])]
        format: String,
        /// Print published version N instead of the draft (0: the latest).
        #[arg(long)]
        published: Option<i32>,
    },
    /// Check an organisation's record and notices against the compliance rules; exits with 1
    /// when any error-level finding is not acknowledged.
    Check {
        #[command(flatten)]
        database: DatabaseArgs,
        /// Slug of the organisation.
        #[arg(long)]
        organisation: String,
        /// Only the findings that affect this register.
        #[arg(long)]
        register: Option<String>,
        /// text or json.
        #[arg(long, default_value = "text", value_parser = ["text", "json"])]
        format: String,
        /// The language of the messages: fi, sv or en (the organisation's default when omitted).
        #[arg(long, value_parser = LANGUAGES)]
        lang: Option<String>,
    },
    /// Export a record for auditors working offline, the same file as the download.
    Export {
        #[command(subcommand)]
        command: ExportCommand,
    },
    /// Back up the whole graph with its history (every organisation, or the ones named) to a
    /// versioned JSON file.
    Backup {
        #[command(flatten)]
        database: DatabaseArgs,
        /// Only this organisation (by slug); repeat for several.
        #[arg(long)]
        organisation: Vec<String>,
        /// The file to write (`-` for standard output); written whole or not at all.
        #[arg(short, long)]
        output: std::path::PathBuf,
    },
    /// Restore a backup into an empty database (SQLite or PostgreSQL), all or nothing.
    Restore {
        #[command(flatten)]
        database: DatabaseArgs,
        /// The backup file.
        file: std::path::PathBuf,
    },
    /// Create, list and revoke API tokens.
    Token {
        #[command(flatten)]
        database: DatabaseArgs,
        #[command(subcommand)]
        command: TokenCommand,
    },
}

#[derive(Subcommand)]
enum ExportCommand {
    /// The record of processing activities (GDPR Art. 30): the controller's or the processor's.
    Art30 {
        #[command(flatten)]
        database: DatabaseArgs,
        /// Slug of the organisation.
        #[arg(long)]
        organisation: String,
        /// controller (Art. 30(1)) or processor (Art. 30(2)).
        #[arg(long, default_value = "controller", value_parser = ["controller", "processor"])]
        kind: String,
        /// xlsx, csv, json, html or jsonld.
        #[arg(long, value_parser = ["xlsx", "csv", "json", "html", "jsonld"])]
        format: String,
        /// Only this register (by slug); repeat for several. Every register when omitted.
        #[arg(long)]
        register: Vec<String>,
        /// The record as it was at this time (RFC 3339), rebuilt from the audit trail.
        #[arg(long)]
        as_of: Option<String>,
        /// fi, sv or en; the organisation's default language when omitted.
        #[arg(long, value_parser = LANGUAGES)]
        lang: Option<String>,
        /// The production time the record states (RFC 3339), for reproducible files; now when
        /// omitted.
        #[arg(long)]
        produced_at: Option<String>,
        /// For csv: comma (the default) or semicolon, for spreadsheets whose decimal separator
        /// is the comma (Finnish and Swedish locales).
        #[arg(long, value_parser = ["comma", "semicolon"])]
        delimiter: Option<String>,
        /// The file to write (`-` for standard output); written whole or not at all.
        #[arg(short, long)]
        output: std::path::PathBuf,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Create a service account with one role and print a new token for it (and nothing else);
    /// the token acts in that organisation only.
    Create {
        /// Slug of the organisation the role is in.
        #[arg(long)]
        organisation: String,
        /// admin, dpo, editor, auditor, viewer or service.
        #[arg(long, value_parser = parse_role)]
        role: entity::Role,
        /// Limit the role to one register (editor and viewer only).
        #[arg(long)]
        register: Option<String>,
        /// What the token is for; also the service account's name.
        #[arg(long)]
        name: String,
        /// How long the token works, such as 90d or 12h; forever when omitted.
        #[arg(long)]
        expires_in: Option<String>,
    },
    /// List tokens, newest first.
    List {
        /// Only tokens carrying a role in this organisation.
        #[arg(long)]
        organisation: Option<String>,
    },
    /// Revoke a token by its ID (`tok_…`, as `token list` shows it).
    Revoke {
        /// The token's ID.
        id: String,
    },
}

/// The languages of notices, records and messages.
const LANGUAGES: [&str; 3] = ["fi", "sv", "en"];

fn parse_role(text: &str) -> Result<entity::Role, String> {
    use sea_orm::Iterable;
    entity::Role::iter()
        .find(|r| r.as_str() == text)
        .ok_or_else(|| "must be one of admin, dpo, editor, auditor, viewer, service".to_owned())
}

/// `ropa` with no command: serve, with flags from the environment only.
#[derive(Parser)]
struct ServeFromEnv {
    #[command(flatten)]
    args: ServeArgs,
}

/// Logs to standard error; `ROPA_LOG` overrides `default` (`info` for the server, `warn` for
/// commands, whose standard output is for their answer).
fn init_tracing(json: bool, default: &str) {
    let filter = EnvFilter::try_from_env("ROPA_LOG").unwrap_or_else(|_| EnvFilter::new(default));
    use std::io::IsTerminal;
    // Colour only for a person reading a terminal, never into a file or a log collector.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
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
            init_tracing(args.log_json, "info");
            ropa::server::serve(args).await
        }
        Command::Migrate { database, grant_to } => {
            init_tracing(false, "warn");
            ropa::cli::migrate(&database.database_url, grant_to.as_deref()).await
        }
        Command::Init {
            database,
            organisation,
            name,
            business_id,
            country,
            language,
            admin_name,
        } => {
            init_tracing(false, "warn");
            let new = ropa::service::import::NewOrganisation {
                slug: organisation,
                name,
                business_id,
                country,
                default_language: language,
                admin_name,
            };
            ropa::cli::init(&database.database_url, &new).await
        }
        Command::Import { database, files } => {
            init_tracing(false, "warn");
            ropa::cli::import_files(&database.database_url, &files).await
        }
        Command::Notice {
            database,
            organisation,
            register,
            lang,
            format,
            published,
        } => {
            init_tracing(false, "warn");
            ropa::cli::print_notice(
                &database.database_url,
                &organisation,
                &register,
                lang.as_deref(),
                &format,
                published,
            )
            .await
        }
        Command::Check {
            database,
            organisation,
            register,
            format,
            lang,
        } => {
            init_tracing(false, "warn");
            match ropa::cli::check(
                &database.database_url,
                &organisation,
                register.as_deref(),
                &format,
                lang.as_deref(),
            )
            .await
            {
                Ok(true) => Ok(()),
                Ok(false) => return ExitCode::FAILURE,
                // 1 is the verdict; a check that could not run exits with 2, as grep does.
                Err(err) => {
                    eprintln!("ropa: {err}");
                    return ExitCode::from(2);
                }
            }
        }
        Command::Export {
            command:
                ExportCommand::Art30 {
                    database,
                    organisation,
                    kind,
                    format,
                    register,
                    as_of,
                    lang,
                    produced_at,
                    delimiter,
                    output,
                },
        } => {
            init_tracing(false, "warn");
            let options = ropa::record::Options {
                kind,
                format,
                registers: register,
                lang,
                as_of,
                produced_at,
                delimiter,
            };
            ropa::cli::export_art30(&database.database_url, &organisation, &options, &output).await
        }
        Command::Backup {
            database,
            organisation,
            output,
        } => {
            init_tracing(false, "warn");
            ropa::cli::backup(&database.database_url, &organisation, &output).await
        }
        Command::Restore { database, file } => {
            init_tracing(false, "warn");
            ropa::cli::restore(&database.database_url, &file).await
        }
        Command::Token { database, command } => {
            init_tracing(false, "warn");
            let url = database.database_url;
            match command {
                TokenCommand::Create {
                    organisation,
                    role,
                    register,
                    name,
                    expires_in,
                } => {
                    ropa::cli::create_token(
                        &url,
                        &organisation,
                        role,
                        register.as_deref(),
                        &name,
                        expires_in.as_deref(),
                    )
                    .await
                }
                TokenCommand::List { organisation } => {
                    ropa::cli::list_tokens(&url, organisation.as_deref()).await
                }
                TokenCommand::Revoke { id } => ropa::cli::revoke_token(&url, &id).await,
            }
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // The reader of the output has gone (`ropa token list | head -1`): it has what it wanted.
        Err(err) if ropa::cli::is_broken_pipe(err.as_ref()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("ropa: {err}");
            if ropa::cli::is_usage(err.as_ref()) {
                ExitCode::from(2)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}
