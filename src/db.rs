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
    if !up_to_date(&db).await {
        Migrator::up(&db, None).await.map_err(|err| {
            DbErr::Custom(format!(
                "the database schema is not up to date and migrating it failed ({err}); \
                 a service role that does not own the tables cannot migrate: run \
                 `ropa migrate` as the owner first"
            ))
        })?;
    }
    Ok(db)
}

/// True when every migration has been applied. Asked first, since migrating (even with nothing
/// to do) creates the migrations table if missing, which a service role that does not own the
/// schema may not do.
async fn up_to_date(db: &DatabaseConnection) -> bool {
    use sea_orm::{ConnectionTrait, Statement};
    let Ok(rows) = db
        .query_all(Statement::from_string(
            db.get_database_backend(),
            "SELECT version FROM seaql_migrations",
        ))
        .await
    else {
        return false;
    };
    let applied: std::collections::HashSet<String> = rows
        .iter()
        .filter_map(|row| row.try_get_by_index::<String>(0).ok())
        .collect();
    Migrator::migrations()
        .iter()
        .all(|m| applied.contains(m.name()))
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

/// On PostgreSQL, lets `role` run the service on a database migrated by its owner: reading and
/// writing the graph, but only reading and appending to the audit trail and the published
/// notice versions. Not owning those tables, the role cannot drop or disable their triggers
/// either, so the trail stays append-only even if the service's credentials leak. The role must
/// exist; run this as the owner after every migration (`ropa migrate --grant-to ROLE`).
pub async fn grant_service_role(db: &DatabaseConnection, role: &str) -> Result<(), DbErr> {
    use sea_orm::{ConnectionTrait, DbBackend};
    if db.get_database_backend() != DbBackend::Postgres {
        return Err(DbErr::Custom(
            "a separate service role is a PostgreSQL setting; SQLite has no roles".into(),
        ));
    }
    if role.is_empty()
        || !role
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        return Err(DbErr::Custom(format!(
            "the role name `{role}` must be lowercase letters, digits and underscores"
        )));
    }
    for statement in [
        format!("GRANT USAGE ON SCHEMA public TO {role}"),
        format!("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}"),
        format!("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}"),
        format!("REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON seaql_migrations FROM {role}"),
        format!("REVOKE UPDATE, DELETE, TRUNCATE ON {APPEND_ONLY} FROM {role}"),
    ] {
        db.execute_unprepared(&statement).await?;
    }
    Ok(())
}

/// The tables the service only reads and appends to.
const APPEND_ONLY: &str = "audit_event, notice_version";

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
