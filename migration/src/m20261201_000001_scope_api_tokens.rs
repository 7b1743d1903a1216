//! Scopes API tokens to one organisation: a token carries only its account's roles there.
//!
//! Existing tokens whose account holds roles in exactly one organisation are scoped to it; the
//! others (an operator's tokens over several organisations) stay unscoped.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

use crate::columns::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000001_scope_api_tokens"
    }
}

/// Scopes each token whose account is a member of exactly one organisation.
const SCOPE_EXISTING: &str = "UPDATE api_token SET organisation_id = ( \
       SELECT m.organisation_id FROM membership m WHERE m.account_id = api_token.account_id LIMIT 1 \
     ) WHERE ( \
       SELECT COUNT(DISTINCT m.organisation_id) FROM membership m WHERE m.account_id = api_token.account_id \
     ) = 1";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DbBackend::Sqlite => {
                // SQLite adds a column with a foreign key only this way (NULL default).
                db.execute_unprepared(
                    "ALTER TABLE api_token ADD COLUMN organisation_id uuid_text NULL \
                     REFERENCES organisation (id) ON DELETE CASCADE ON UPDATE NO ACTION",
                )
                .await?;
            }
            _ => {
                manager
                    .alter_table(
                        Table::alter()
                            .table(name("api_token"))
                            .add_column(uuid_null("organisation_id"))
                            .add_foreign_key(
                                TableForeignKey::new()
                                    .name("fk_api_token_organisation_id")
                                    .from_tbl(name("api_token"))
                                    .from_col(name("organisation_id"))
                                    .to_tbl(name("organisation"))
                                    .to_col(name("id"))
                                    .on_delete(ForeignKeyAction::Cascade)
                                    .on_update(ForeignKeyAction::NoAction),
                            )
                            .to_owned(),
                    )
                    .await?;
            }
        }
        manager
            .create_index(index("api_token", &["organisation_id"]))
            .await?;
        db.execute_unprepared(SCOPE_EXISTING).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ix_api_token_organisation_id")
                    .table(name("api_token"))
                    .to_owned(),
            )
            .await?;
        if manager.get_database_backend() != DbBackend::Sqlite {
            return manager
                .alter_table(
                    Table::alter()
                        .table(name("api_token"))
                        .drop_foreign_key(name("fk_api_token_organisation_id"))
                        .drop_column(name("organisation_id"))
                        .to_owned(),
                )
                .await;
        }
        // SQLite cannot drop a column that is in a foreign key: the table is rebuilt as it was
        // (no other table refers to it).
        let mut token = Table::create();
        token
            .table(name("api_token_unscoped"))
            .col(uuid("id").primary_key().take())
            .col(uuid("account_id"))
            .col(string("name", 200))
            .col(string("secret_hash", 64).unique_key().take())
            .col(timestamp("created_at"))
            .col(
                ColumnDef::new(name("expires_at"))
                    .timestamp_with_time_zone()
                    .null(),
            )
            .col(
                ColumnDef::new(name("revoked_at"))
                    .timestamp_with_time_zone()
                    .null(),
            )
            .col(
                ColumnDef::new(name("last_used_at"))
                    .timestamp_with_time_zone()
                    .null(),
            )
            .foreign_key(&mut cascade_fk("api_token", "account_id", "account"));
        manager.create_table(token).await?;
        let db = manager.get_connection();
        let columns =
            "id, account_id, name, secret_hash, created_at, expires_at, revoked_at, last_used_at";
        db.execute_unprepared(&format!(
            "INSERT INTO api_token_unscoped ({columns}) SELECT {columns} FROM api_token"
        ))
        .await?;
        db.execute_unprepared("DROP TABLE api_token").await?;
        db.execute_unprepared("ALTER TABLE api_token_unscoped RENAME TO api_token")
            .await?;
        manager
            .create_index(index("api_token", &["account_id"]))
            .await?;
        Ok(())
    }
}
