//! Closes the one way around the append-only triggers: on SQLite `REPLACE INTO` (and `INSERT
//! OR REPLACE`) deletes the conflicting row without firing DELETE triggers, so an audit event or
//! a published notice version could be rewritten. A BEFORE INSERT trigger refuses any insert
//! whose ID is already there. On PostgreSQL an insert never replaces a row (`ON CONFLICT DO
//! UPDATE` fires the UPDATE trigger), so nothing is needed there.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000002_refuse_overwriting_inserts"
    }
}

/// The append-only tables and the message of their existing triggers.
const TABLES: [(&str, &str); 2] = [
    ("audit_event", "audit_event is append-only"),
    ("notice_version", "a published notice version is immutable"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != sea_orm::DatabaseBackend::Sqlite {
            return Ok(());
        }
        for (table, message) in TABLES {
            manager
                .get_connection()
                .execute_unprepared(&format!(
                    "CREATE TRIGGER {table}_no_overwrite BEFORE INSERT ON {table} \
                     WHEN EXISTS (SELECT 1 FROM {table} WHERE id = NEW.id) \
                     BEGIN SELECT RAISE(ABORT, '{message}'); END"
                ))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != sea_orm::DatabaseBackend::Sqlite {
            return Ok(());
        }
        for (table, _) in TABLES {
            manager
                .get_connection()
                .execute_unprepared(&format!("DROP TRIGGER IF EXISTS {table}_no_overwrite"))
                .await?;
        }
        Ok(())
    }
}
