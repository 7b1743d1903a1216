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
    check_durability(&db).await?;
    Migrator::up(&db, None).await?;
    Ok(db)
}

/// On SQLite, refuses to go on unless the database is in WAL mode with full synchronous
/// commits: an acknowledged change must survive a crash or a power cut. PostgreSQL's own
/// settings (`fsync`, `synchronous_commit`) are its administrator's.
pub async fn check_durability(db: &DatabaseConnection) -> Result<(), DbErr> {
    use sea_orm::{ConnectionTrait, DbBackend};
    if db.get_database_backend() != DbBackend::Sqlite {
        return Ok(());
    }
    let journal = pragma(db, "journal_mode").await?;
    let synchronous = pragma(db, "synchronous").await?;
    // synchronous: 2 is FULL, 3 EXTRA.
    if !journal.eq_ignore_ascii_case("wal") || !matches!(synchronous.as_str(), "2" | "3") {
        return Err(DbErr::Custom(format!(
            "SQLite must run in WAL mode with synchronous=FULL, found journal_mode={journal}, synchronous={synchronous}"
        )));
    }
    Ok(())
}

/// The value of an SQLite pragma, as text.
async fn pragma(db: &DatabaseConnection, name: &str) -> Result<String, DbErr> {
    use sea_orm::{ConnectionTrait, DbBackend, Statement};
    let row = db
        .query_one(Statement::from_string(
            DbBackend::Sqlite,
            format!("PRAGMA {name}"),
        ))
        .await?
        .ok_or_else(|| DbErr::Custom(format!("PRAGMA {name} answered nothing")))?;
    row.try_get_by_index::<String>(0)
        .or_else(|_| row.try_get_by_index::<i64>(0).map(|n| n.to_string()))
}

/// `sqlite:FILE`, `sqlite://FILE` and a bare path ending in `.db` all name an SQLite file.
fn normalise_sqlite_url(url: &str) -> String {
    if url.contains("://") || url.starts_with("sqlite:") {
        url.to_owned()
    } else {
        format!("sqlite://{url}")
    }
}

/// The time a stored time stamp takes: now, to the microsecond, which is what PostgreSQL
/// keeps; SQLite would keep more, and a backup moved from one to the other would then differ.
pub fn now() -> chrono::DateTime<chrono::Utc> {
    use chrono::SubsecRound;
    chrono::Utc::now().trunc_subsecs(6)
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
