//! Opening the database (SQLite or PostgreSQL) with the settings the service relies on, and migrating it.

use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};

/// Opens the database at `url` and brings its schema up to date.
///
/// SQLite files are created when missing and opened in WAL mode with full synchronous commits and
/// foreign keys enforced; a busy connection waits instead of failing.
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    let url = normalise_sqlite_url(url);
    let mut options = ConnectOptions::new(url.clone());
    options
        .sqlx_logging(false)
        .acquire_timeout(Duration::from_secs(10));
    if url.starts_with("sqlite:") {
        options.max_connections(8).map_sqlx_sqlite_opts(|o| {
            o.create_if_missing(true)
                .journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(30))
        });
    } else {
        options.max_connections(16);
    }
    let db = Database::connect(options).await?;
    Migrator::up(&db, None).await?;
    Ok(db)
}

/// `sqlite:FILE`, `sqlite://FILE` and a bare path ending in `.db` all name an SQLite file.
fn normalise_sqlite_url(url: &str) -> String {
    if url.contains("://") || url.starts_with("sqlite:") {
        url.to_owned()
    } else {
        format!("sqlite://{url}")
    }
}

/// True when the database answers a trivial query.
pub async fn ping(db: &DatabaseConnection) -> bool {
    db.ping().await.is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_paths_become_sqlite_urls() {
        assert_eq!(normalise_sqlite_url("ropa.db"), "sqlite://ropa.db");
        assert_eq!(normalise_sqlite_url("sqlite://x.db"), "sqlite://x.db");
        assert_eq!(
            normalise_sqlite_url("postgres://postgres@127.0.0.1/ropa"),
            "postgres://postgres@127.0.0.1/ropa"
        );
    }
}
