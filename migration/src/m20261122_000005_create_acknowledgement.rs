//! Creates acknowledgements: a compliance finding (a rule on a node) suppressed with a reason by
//! a person, kept on record rather than deleted.

use sea_orm_migration::prelude::*;

use crate::columns::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261122_000005_create_acknowledgement"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The node is not a foreign key: a finding may concern a node of any kind.
        let mut table = node_table("acknowledgement");
        table
            .col(uuid("organisation_id"))
            .col(string("rule", 64))
            .col(uuid("node_id"))
            .col(ColumnDef::new(name("reason")).text().not_null())
            .col(uuid_null("account_id"))
            .foreign_key(&mut cascade_fk(
                "acknowledgement",
                "organisation_id",
                "organisation",
            ));
        manager.create_table(table).await?;
        manager
            .create_index(unique_index("acknowledgement", &["rule", "node_id"]))
            .await?;
        manager
            .create_index(index("acknowledgement", &["organisation_id"]))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(name("acknowledgement")).to_owned())
            .await
    }
}
