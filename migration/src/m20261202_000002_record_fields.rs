//! Two fields the Art. 30 record templates ask for and the activity did not hold: where the
//! legitimate interests assessment is kept (`lia_reference`, beside `dpia_reference`), and where
//! the personal data is located (`data_location`: the countries, data centres or systems). Both
//! start empty: not recorded.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, TransactionTrait};

use crate::columns::name;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261202_000002_record_fields"
    }
}

const COLUMNS: [(&str, u32); 2] = [("lia_reference", 500), ("data_location", 2000)];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One transaction, as in m20261202_000001: one connection, the change whole or absent.
        let txn = manager.get_connection().begin().await?;
        let schema = SchemaManager::new(&txn);
        for (column, length) in COLUMNS {
            schema
                .alter_table(
                    Table::alter()
                        .table(name("processing_activity"))
                        .add_column(ColumnDef::new(name(column)).string_len(length).null())
                        .to_owned(),
                )
                .await?;
        }
        txn.commit().await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Dropping the columns would lose what users entered: refuse while any holds a value.
        let txn = manager.get_connection().begin().await?;
        let schema = SchemaManager::new(&txn);
        let backend = schema.get_database_backend();
        for (column, _) in COLUMNS {
            let count = Query::select()
                .expr(Expr::col(name("id")).count())
                .from(name("processing_activity"))
                .and_where(Expr::col(name(column)).is_not_null())
                .to_owned();
            let row = txn.query_one(backend.build(&count)).await?;
            let used: i64 = row.map(|r| r.try_get_by_index(0)).transpose()?.unwrap_or(0);
            if used > 0 {
                return Err(DbErr::Migration(format!(
                    "m20261202_000002_record_fields cannot be reverted: {used} activities hold a \
                     {column}, which would be lost"
                )));
            }
        }
        for (column, _) in COLUMNS {
            schema
                .alter_table(
                    Table::alter()
                        .table(name("processing_activity"))
                        .drop_column(name(column))
                        .to_owned(),
                )
                .await?;
        }
        txn.commit().await
    }
}
