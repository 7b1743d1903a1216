//! Creates the audit trail: one row per change to the graph, which the database itself keeps
//! append-only (triggers refuse UPDATE, DELETE and TRUNCATE, on SQLite and on PostgreSQL).

use sea_orm_migration::prelude::*;

use crate::columns::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261122_000003_create_audit_event"
    }
}

const SQLITE_TRIGGERS: [&str; 2] = [
    "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event \
     BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END",
    "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event \
     BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END",
];

const POSTGRES_TRIGGERS: [&str; 3] = [
    "CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ \
     BEGIN RAISE EXCEPTION 'audit_event is append-only'; END $$",
    "CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_event \
     FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()",
    "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event \
     FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // No foreign keys: the trail outlives what it describes.
        let mut table = Table::create();
        table
            .table(name("audit_event"))
            .col(uuid("id").primary_key().take())
            .col(timestamp("occurred_at"))
            .col(uuid("organisation_id"))
            .col(uuid_null("account_id"))
            .col(uuid_null("token_id"))
            .col(string("source", 16))
            .col(string("node_kind", 40))
            .col(uuid("node_id"))
            .col(string("action", 16))
            .col(ColumnDef::new(name("version")).integer().null())
            .col(ColumnDef::new(name("before")).json_binary().null())
            .col(ColumnDef::new(name("after")).json_binary().null());
        manager.create_table(table).await?;
        for i in [
            index("audit_event", &["organisation_id", "occurred_at"]),
            index("audit_event", &["node_id", "occurred_at"]),
            index("audit_event", &["account_id"]),
        ] {
            manager.create_index(i).await?;
        }
        let db = manager.get_connection();
        let statements: &[&str] = match manager.get_database_backend() {
            sea_orm::DatabaseBackend::Sqlite => &SQLITE_TRIGGERS,
            _ => &POSTGRES_TRIGGERS,
        };
        for statement in statements {
            db.execute_unprepared(statement).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(name("audit_event")).to_owned())
            .await?;
        if manager.get_database_backend() != sea_orm::DatabaseBackend::Sqlite {
            manager
                .get_connection()
                .execute_unprepared("DROP FUNCTION IF EXISTS audit_event_append_only()")
                .await?;
        }
        Ok(())
    }
}
