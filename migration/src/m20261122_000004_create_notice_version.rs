//! Creates the published versions of privacy notices: each one frozen as it was published,
//! which the database itself keeps immutable (triggers refuse UPDATE, DELETE and TRUNCATE).

use sea_orm_migration::prelude::*;

use crate::columns::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261122_000004_create_notice_version"
    }
}

const SQLITE_TRIGGERS: [&str; 2] = [
    "CREATE TRIGGER notice_version_no_update BEFORE UPDATE ON notice_version \
     BEGIN SELECT RAISE(ABORT, 'a published notice version is immutable'); END",
    "CREATE TRIGGER notice_version_no_delete BEFORE DELETE ON notice_version \
     BEGIN SELECT RAISE(ABORT, 'a published notice version is immutable'); END",
];

const POSTGRES_TRIGGERS: [&str; 3] = [
    "CREATE FUNCTION notice_version_immutable() RETURNS trigger LANGUAGE plpgsql AS $$ \
     BEGIN RAISE EXCEPTION 'a published notice version is immutable'; END $$",
    "CREATE TRIGGER notice_version_no_change BEFORE UPDATE OR DELETE ON notice_version \
     FOR EACH ROW EXECUTE FUNCTION notice_version_immutable()",
    "CREATE TRIGGER notice_version_no_truncate BEFORE TRUNCATE ON notice_version \
     FOR EACH STATEMENT EXECUTE FUNCTION notice_version_immutable()",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // No foreign keys: what was published stays on record whatever happens to the graph.
        let mut table = Table::create();
        table
            .table(name("notice_version"))
            .col(uuid("id").primary_key().take())
            .col(uuid("organisation_id"))
            .col(uuid("register_id"))
            .col(ColumnDef::new(name("number")).integer().not_null())
            .col(timestamp("published_at"))
            .col(uuid_null("account_id"))
            .col(uuid_null("token_id"))
            .col(json("languages"))
            .col(json("content"))
            .col(string("content_hash", 64));
        manager.create_table(table).await?;
        manager
            .create_index(unique_index("notice_version", &["register_id", "number"]))
            .await?;
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
            .drop_table(Table::drop().table(name("notice_version")).to_owned())
            .await?;
        if manager.get_database_backend() != sea_orm::DatabaseBackend::Sqlite {
            manager
                .get_connection()
                .execute_unprepared("DROP FUNCTION IF EXISTS notice_version_immutable()")
                .await?;
        }
        Ok(())
    }
}
