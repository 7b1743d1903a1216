//! Creates accounts, their memberships in organisations and registers, and their API tokens.

use sea_orm_migration::prelude::*;

use crate::columns::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261122_000002_create_identity"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut account = node_table("account");
        account
            .col(string("name", 300))
            .col(string_null("email", 320))
            .col(string("kind", 16));
        manager.create_table(account).await?;

        let mut membership = Table::create();
        membership
            .table(name("membership"))
            .col(uuid("id").primary_key().take())
            .col(uuid("account_id"))
            .col(uuid("organisation_id"))
            .col(uuid_null("register_id"))
            .col(string("role", 16))
            .col(timestamp("created_at"))
            .foreign_key(&mut cascade_fk("membership", "account_id", "account"))
            .foreign_key(&mut cascade_fk(
                "membership",
                "organisation_id",
                "organisation",
            ))
            .foreign_key(&mut cascade_fk("membership", "register_id", "register"));
        manager.create_table(membership).await?;

        let mut token = Table::create();
        token
            .table(name("api_token"))
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

        for i in [
            index("membership", &["account_id"]),
            index("membership", &["organisation_id"]),
            index("membership", &["register_id"]),
            index("api_token", &["account_id"]),
        ] {
            manager.create_index(i).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["api_token", "membership", "account"] {
            manager
                .drop_table(Table::drop().table(name(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
