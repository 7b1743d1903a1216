//! Small builders shared by the migrations: the columns every node has, foreign keys and indexes.

use sea_orm_migration::prelude::*;

pub fn name(s: &str) -> Alias {
    Alias::new(s)
}

/// A table with the columns every graph node has: `id`, timestamps and `version`.
pub fn node_table(table: &str) -> TableCreateStatement {
    let mut t = Table::create();
    t.table(name(table))
        .col(ColumnDef::new(name("id")).uuid().not_null().primary_key())
        .col(timestamp("created_at"))
        .col(timestamp("updated_at"))
        .col(
            ColumnDef::new(name("version"))
                .integer()
                .not_null()
                .default(1),
        );
    t
}

/// An edge table from a processing activity to `target_table` through `target_column`.
pub fn activity_link_table(
    table: &str,
    target_column: &str,
    target_table: &str,
) -> TableCreateStatement {
    let mut t = Table::create();
    t.table(name(table))
        .col(uuid("activity_id"))
        .col(uuid(target_column))
        .col(timestamp("created_at"))
        .primary_key(
            Index::create()
                .col(name("activity_id"))
                .col(name(target_column)),
        )
        .foreign_key(&mut cascade_fk(table, "activity_id", "processing_activity"))
        .foreign_key(&mut cascade_fk(table, target_column, target_table));
    t
}

pub fn uuid(column: &str) -> ColumnDef {
    ColumnDef::new(name(column)).uuid().not_null().take()
}

pub fn uuid_null(column: &str) -> ColumnDef {
    ColumnDef::new(name(column)).uuid().null().take()
}

pub fn text_null(column: &str) -> ColumnDef {
    ColumnDef::new(name(column)).text().null().take()
}

pub fn string(column: &str, len: u32) -> ColumnDef {
    ColumnDef::new(name(column))
        .string_len(len)
        .not_null()
        .take()
}

pub fn string_null(column: &str, len: u32) -> ColumnDef {
    ColumnDef::new(name(column)).string_len(len).null().take()
}

pub fn boolean(column: &str) -> ColumnDef {
    ColumnDef::new(name(column))
        .boolean()
        .not_null()
        .default(false)
        .take()
}

pub fn date_null(column: &str) -> ColumnDef {
    ColumnDef::new(name(column)).date().null().take()
}

pub fn timestamp(column: &str) -> ColumnDef {
    ColumnDef::new(name(column))
        .timestamp_with_time_zone()
        .not_null()
        .take()
}

/// Multilingual text or a list, as JSON (`jsonb` on PostgreSQL); never NULL, `{}` when empty.
pub fn json(column: &str) -> ColumnDef {
    ColumnDef::new(name(column)).json_binary().not_null().take()
}

/// Ownership: deleting the parent deletes the child.
pub fn cascade_fk(table: &str, column: &str, target: &str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{column}"))
        .from(name(table), name(column))
        .to(name(target), name("id"))
        .on_delete(ForeignKeyAction::Cascade)
        .on_update(ForeignKeyAction::NoAction)
        .take()
}

/// Reference: the target cannot be deleted while referenced (checked at the end of the statement,
/// so a cascade that removes both sides at once still works).
pub fn reference_fk(table: &str, column: &str, target: &str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{column}"))
        .from(name(table), name(column))
        .to(name(target), name("id"))
        .on_delete(ForeignKeyAction::NoAction)
        .on_update(ForeignKeyAction::NoAction)
        .take()
}

pub fn index(table: &str, columns: &[&str]) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(format!("ix_{table}_{}", columns.join("_")))
        .table(name(table));
    for c in columns {
        i.col(name(c));
    }
    i
}

pub fn unique_index(table: &str, columns: &[&str]) -> IndexCreateStatement {
    let mut i = index(table, columns);
    i.name(format!("ux_{table}_{}", columns.join("_"))).unique();
    i
}
