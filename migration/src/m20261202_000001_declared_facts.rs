//! The facts a notice may state as a negative become three-valued: unknown (null), declared no
//! (false), declared yes (true). Before, `profiling` and `automated_decision_making` were
//! booleans defaulting to false, so a record nobody had asked about said "no".
//!
//! The data is migrated honestly:
//! - `true` stays true: somebody declared it.
//! - `false` becomes unknown, unless the audit trail shows that somebody changed the value from
//!   true to false: then it was declared, and stays false. A false stored at creation cannot be
//!   told from the old default, so it is not taken as a declaration.
//! - New facts start unknown, except where the record already says them: an activity with a
//!   transfer row transfers data outside the EU/EEA; a source of kind `public` is publicly
//!   accessible.
//!
//! A retention rule gains the law that requires the data be kept (`required_by`), empty while
//! undeclared: the notice tells that such data is erased only when that period ends.
//!
//! Published notice versions gain the gaps they were published with, and the reason given when
//! they were published over them; versions published before this migration have neither (null:
//! not recorded, never "none").

use std::collections::HashSet;

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, TransactionTrait, TryGetable};

use crate::columns::name;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261202_000001_declared_facts"
    }
}

/// The boolean columns of `processing_activity` that become three-valued.
const DEFAULTED: [&str; 2] = ["profiling", "automated_decision_making"];

/// The new three-valued columns: table, column.
const NEW_FACTS: [(&str, &str); 4] = [
    ("processing_activity", "transfers_outside_eea"),
    ("processing_activity", "direct_marketing"),
    ("processing_activity", "automated_means"),
    ("data_source", "publicly_accessible"),
];

fn nullable_bool(column: &str) -> ColumnDef {
    ColumnDef::new(name(column)).boolean().null().take()
}

async fn add(manager: &SchemaManager<'_>, table: &str, column: ColumnDef) -> Result<(), DbErr> {
    manager
        .alter_table(
            Table::alter()
                .table(name(table))
                .add_column(column)
                .to_owned(),
        )
        .await
}

/// The activities whose `column` the audit trail shows was changed from true to false.
async fn declared_false(manager: &SchemaManager<'_>, column: &str) -> Result<Vec<String>, DbErr> {
    let db = manager.get_connection();
    let backend = manager.get_database_backend();
    let select = Query::select()
        .columns([name("node_id"), name("before"), name("after")])
        .from(name("audit_event"))
        .and_where(Expr::col(name("node_kind")).eq("processing_activity"))
        .to_owned();
    let mut ids = HashSet::new();
    for row in db.query_all(backend.build(&select)).await? {
        let node: String = uuid_text(&row, "node_id")?;
        let before = json(&row, "before")?;
        let after = json(&row, "after")?;
        let was = before.as_ref().and_then(|b| b.get(column)) == Some(&true.into());
        let became = after.as_ref().and_then(|a| a.get(column)) == Some(&false.into());
        if was && became {
            ids.insert(node);
        }
    }
    Ok(ids.into_iter().collect())
}

fn uuid_text(row: &sea_orm_migration::sea_orm::QueryResult, column: &str) -> Result<String, DbErr> {
    if let Ok(id) = uuid::Uuid::try_get_by(row, column) {
        return Ok(id.to_string());
    }
    String::try_get_by(row, column).map_err(|e| DbErr::Custom(format!("{column}: {e:?}")))
}

fn json(
    row: &sea_orm_migration::sea_orm::QueryResult,
    column: &str,
) -> Result<Option<serde_json::Value>, DbErr> {
    if let Ok(value) = Option::<serde_json::Value>::try_get_by(row, column) {
        return Ok(value);
    }
    // SQLite keeps JSON as text.
    let text = Option::<String>::try_get_by(row, column)
        .map_err(|e| DbErr::Custom(format!("audit_event.{column}: {e:?}")))?;
    text.map(|t| {
        serde_json::from_str(&t)
            .map_err(|e| DbErr::Custom(format!("audit_event.{column} is not JSON: {e}")))
    })
    .transpose()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One transaction, so every statement runs on one connection and the change is whole
        // or absent: on SQLite the migrator runs statements on the pool, one connection each,
        // and a column added on one is not yet known to another mid-migration. On PostgreSQL
        // this is a savepoint inside the migrator's transaction.
        let txn = manager.get_connection().begin().await?;
        up_in(&SchemaManager::new(&txn)).await?;
        txn.commit().await
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        // Going back would turn unknown into a "no" again: refuse rather than lose the
        // difference.
        Err(DbErr::Migration(
            "m20261202_000001_declared_facts cannot be reverted: the old columns cannot hold \
             \"unknown\", and turning it into false would state what nobody declared"
                .into(),
        ))
    }
}

async fn up_in(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    {
        let db = manager.get_connection();
        let backend = manager.get_database_backend();
        for column in DEFAULTED {
            let declared = format!("{column}_declared");
            add(manager, "processing_activity", nullable_bool(&declared)).await?;
            let keep_true = Query::update()
                .table(name("processing_activity"))
                .value(name(&declared), true)
                .and_where(Expr::col(name(column)).eq(true))
                .to_owned();
            db.execute(backend.build(&keep_true)).await?;
            let ids = declared_false(manager, column).await?;
            for chunk in ids.chunks(200) {
                let uuids: Vec<uuid::Uuid> = chunk
                    .iter()
                    .filter_map(|id| uuid::Uuid::parse_str(id).ok())
                    .collect();
                let keep_false = Query::update()
                    .table(name("processing_activity"))
                    .value(name(&declared), false)
                    .and_where(Expr::col(name("id")).is_in(uuids))
                    .and_where(Expr::col(name(column)).eq(false))
                    .to_owned();
                db.execute(backend.build(&keep_false)).await?;
            }
            manager
                .alter_table(
                    Table::alter()
                        .table(name("processing_activity"))
                        .drop_column(name(column))
                        .to_owned(),
                )
                .await?;
            manager
                .alter_table(
                    Table::alter()
                        .table(name("processing_activity"))
                        .rename_column(name(&declared), name(column))
                        .to_owned(),
                )
                .await?;
        }
        for (table, column) in NEW_FACTS {
            add(manager, table, nullable_bool(column)).await?;
        }
        let transferring = Query::update()
            .table(name("processing_activity"))
            .value(name("transfers_outside_eea"), true)
            .and_where(
                Expr::col(name("id")).in_subquery(
                    Query::select()
                        .column(name("activity_id"))
                        .from(name("transfer"))
                        .to_owned(),
                ),
            )
            .to_owned();
        db.execute(backend.build(&transferring)).await?;
        let public = Query::update()
            .table(name("data_source"))
            .value(name("publicly_accessible"), true)
            .and_where(Expr::col(name("kind")).eq("public"))
            .to_owned();
        db.execute(backend.build(&public)).await?;
        add(
            manager,
            "retention_rule",
            ColumnDef::new(name("required_by"))
                .json()
                .not_null()
                .default("{}")
                .take(),
        )
        .await?;
        add(
            manager,
            "notice_version",
            ColumnDef::new(name("published_with_gaps"))
                .json()
                .null()
                .take(),
        )
        .await?;
        add(
            manager,
            "notice_version",
            ColumnDef::new(name("override_reason")).text().null().take(),
        )
        .await?;
        Ok(())
    }
}
