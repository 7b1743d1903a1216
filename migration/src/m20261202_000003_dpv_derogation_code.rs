//! The derogation of Art. 49(1), second subparagraph (compelling legitimate interests), is
//! stored under its W3C DPV name, `A49-2`; it was stored as `A49-1-2`, which DPV does not have.
//! The audit trail and backups name mechanisms by their variant names and do not change.

use sea_orm_migration::prelude::*;

use crate::columns::name;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261202_000003_dpv_derogation_code"
    }
}

async fn rename(manager: &SchemaManager<'_>, from: &str, to: &str) -> Result<(), DbErr> {
    manager
        .exec_stmt(
            Query::update()
                .table(name("transfer"))
                .value(name("mechanism"), to)
                .and_where(Expr::col(name("mechanism")).eq(from))
                .to_owned(),
        )
        .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        rename(manager, "A49-1-2", "A49-2").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        rename(manager, "A49-2", "A49-1-2").await
    }
}
