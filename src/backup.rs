//! Backups: every row of one organisation (or of all), history included, as one versioned JSON
//! document; and restoring such a document into an empty database of either backend.
//!
//! The document (`format` `ropa-backup`, `version` 1):
//!
//! ```json
//! {"format": "ropa-backup", "version": 1, "createdAt": "2026-12-01T09:00:00Z",
//!  "organisations": ["puuha"],
//!  "tables": [{"name": "account", "rows": [{…}, …]}, {"name": "api_token", "rows": […]}, …]}
//! ```
//!
//! `tables` lists every table in [`TABLES`] order (the order they are restored in), each row
//! with the columns of its entity in `entity/` under their column names, enumerations as
//! stored, times in RFC 3339 with microseconds. A version 1 reader refuses another version;
//! the version changes when a table or column changes meaning, and a restore of an older
//! version then goes through a conversion step here.
//!
//! The header's `checksum` (`sha256:` and 64 hex digits) covers the tables: the SHA-256 of each
//! table's name and rows, each as compact JSON on its own line ([`checksum`]).
//!
//! A restore is one transaction: it writes everything or nothing, and only into a database
//! with no organisation and no account in it. Before it writes anything it checks the whole
//! file ([`check`]): the checksum, every table present once, every row with exactly its
//! table's columns and strings the limits of [`crate::domain::limits`] allow, and the header
//! naming exactly the organisations the file holds, whose rows alone it holds.
//!
//! Version 1 files written before the checksum existed have none: they stay readable, since
//! every other check still applies and the format did not change; a file that has a checksum
//! must match it.

use std::collections::{HashMap, HashSet};
use std::io::{Read, Write};

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Query, SelectStatement};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, IdenStatic,
    IntoActiveModel, Iterable, PaginatorTrait, PrimaryKeyToColumn, QueryFilter, QueryOrder, Select,
    TransactionTrait,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use crate::error::{AppError, AppResult};
use entity::*;

/// What the document says it is.
pub const FORMAT: &str = "ropa-backup";
/// The version this code writes and reads.
pub const VERSION: u32 = 1;

/// The tables, in the order a restore inserts them (each after what it refers to).
pub const TABLES: [&str; 24] = [
    "account",
    "organisation",
    "api_token",
    "contact",
    "party",
    "register",
    "data_subject_category",
    "personal_data_category",
    "data_source",
    "recipient",
    "security_measure",
    "processing_activity",
    "activity_data_subject",
    "activity_data_category",
    "activity_source",
    "activity_recipient",
    "activity_security_measure",
    "transfer",
    "retention_rule",
    "membership",
    "notice_version",
    "acknowledgement",
    "audit_event",
    // Written last: the organisations' references to their contacts and authority, which
    // point at rows inserted after the organisation.
    "organisation_references",
];

/// A backup document.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Backup {
    pub format: String,
    pub version: u32,
    pub created_at: DateTime<Utc>,
    /// The slugs of the organisations it holds.
    pub organisations: Vec<String>,
    /// `sha256:` and the hex digest of the tables ([`checksum`]); none in older files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checksum: Option<String>,
    pub tables: Vec<Table>,
}

/// The rows of one table.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct Table {
    pub name: String,
    pub rows: Vec<Value>,
}

/// Which organisations a backup holds.
#[derive(Clone, Debug)]
pub enum Scope {
    All,
    Organisations(Vec<Uuid>),
}

/// The rows `select` finds, in primary-key order, as JSON.
async fn rows<E, C>(db: &C, select: Select<E>) -> AppResult<Vec<Value>>
where
    E: EntityTrait,
    E::Model: Serialize,
    C: ConnectionTrait,
{
    let mut select = select;
    for key in E::PrimaryKey::iter() {
        select = select.order_by_asc(key.into_column());
    }
    select
        .all(db)
        .await?
        .iter()
        .map(|m| serde_json::to_value(m).map_err(AppError::internal))
        .collect()
}

/// Inserts `rows` of `table`, a few hundred at a time.
async fn insert<E, C>(db: &C, table: &str, rows: &[Value]) -> AppResult<()>
where
    E: EntityTrait,
    E::Model: DeserializeOwned + IntoActiveModel<E::ActiveModel>,
    E::ActiveModel: ActiveModelTrait<Entity = E> + Send,
    C: ConnectionTrait,
{
    let mut models = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let model: E::Model = serde_json::from_value(row.clone())
            .map_err(|e| AppError::invalid(format!("tables.{table}.rows[{i}]"), e.to_string()))?;
        models.push(model.into_active_model());
    }
    let mut models = models.into_iter().peekable();
    while models.peek().is_some() {
        let chunk: Vec<_> = models.by_ref().take(200).collect();
        E::insert_many(chunk)
            .exec_without_returning(db)
            .await
            .map_err(|e| {
                AppError::invalid(
                    format!("tables.{table}"),
                    format!("could not be restored: {e}"),
                )
            })?;
    }
    Ok(())
}

/// `SELECT id FROM processing_activity WHERE organisation_id IN (…)`.
fn activities_of(ids: &[Uuid]) -> SelectStatement {
    Query::select()
        .column(processing_activity::Column::Id)
        .from(processing_activity::Entity)
        .and_where(processing_activity::Column::OrganisationId.is_in(ids.iter().copied()))
        .to_owned()
}

/// `SELECT account_id FROM membership WHERE organisation_id IN (…)`.
fn accounts_of(ids: &[Uuid]) -> SelectStatement {
    Query::select()
        .column(membership::Column::AccountId)
        .from(membership::Entity)
        .and_where(membership::Column::OrganisationId.is_in(ids.iter().copied()))
        .to_owned()
}

/// Reads every table of `scope`.
pub async fn dump<C: ConnectionTrait>(db: &C, scope: &Scope) -> AppResult<Vec<Table>> {
    let ids: Option<&[Uuid]> = match scope {
        Scope::All => None,
        Scope::Organisations(ids) => Some(ids),
    };
    macro_rules! scoped {
        ($m:ident) => {{
            let select = $m::Entity::find();
            let select = match ids {
                None => select,
                Some(ids) => select.filter($m::Column::OrganisationId.is_in(ids.iter().copied())),
            };
            rows(db, select).await?
        }};
    }
    macro_rules! link {
        ($m:ident) => {{
            let select = $m::Entity::find();
            let select = match ids {
                None => select,
                Some(ids) => select.filter($m::Column::ActivityId.in_subquery(activities_of(ids))),
            };
            rows(db, select).await?
        }};
    }
    let mut tables = Vec::with_capacity(TABLES.len());
    for name in TABLES {
        let rows = match name {
            "account" => {
                let select = account::Entity::find();
                let select = match ids {
                    None => select,
                    Some(ids) => select.filter(account::Column::Id.in_subquery(accounts_of(ids))),
                };
                rows(db, select).await?
            }
            "api_token" => {
                let select = api_token::Entity::find();
                let select = match ids {
                    None => select,
                    // Tokens scoped to an organisation outside the backup stay out of it.
                    Some(ids) => select
                        .filter(api_token::Column::AccountId.in_subquery(accounts_of(ids)))
                        .filter(
                            api_token::Column::OrganisationId
                                .is_null()
                                .or(api_token::Column::OrganisationId.is_in(ids.iter().copied())),
                        ),
                };
                rows(db, select).await?
            }
            "organisation" => {
                let select = organisation::Entity::find();
                let select = match ids {
                    None => select,
                    Some(ids) => select.filter(organisation::Column::Id.is_in(ids.iter().copied())),
                };
                rows(db, select).await?
            }
            "contact" => scoped!(contact),
            "party" => scoped!(party),
            "register" => scoped!(register),
            "data_subject_category" => scoped!(data_subject_category),
            "personal_data_category" => scoped!(personal_data_category),
            "data_source" => scoped!(data_source),
            "recipient" => scoped!(recipient),
            "security_measure" => scoped!(security_measure),
            "processing_activity" => scoped!(processing_activity),
            "activity_data_subject" => link!(activity_data_subject),
            "activity_data_category" => link!(activity_data_category),
            "activity_source" => link!(activity_source),
            "activity_recipient" => link!(activity_recipient),
            "activity_security_measure" => link!(activity_security_measure),
            "transfer" => scoped!(transfer),
            "retention_rule" => scoped!(retention_rule),
            "membership" => scoped!(membership),
            "notice_version" => scoped!(notice_version),
            "acknowledgement" => scoped!(acknowledgement),
            "audit_event" => scoped!(audit_event),
            // Restored from the organisation rows themselves.
            "organisation_references" => continue,
            other => {
                return Err(AppError::Internal(
                    format!("no dump for table {other}").into(),
                ))
            }
        };
        tables.push(Table {
            name: name.to_owned(),
            rows,
        });
    }
    Ok(tables)
}

/// A backup of `scope`, made now.
pub async fn backup<C: ConnectionTrait>(db: &C, scope: &Scope) -> AppResult<Backup> {
    let tables = dump(db, scope).await?;
    let organisations = tables
        .iter()
        .find(|t| t.name == "organisation")
        .map(|t| {
            t.rows
                .iter()
                .filter_map(|r| r["slug"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    Ok(Backup {
        format: FORMAT.to_owned(),
        version: VERSION,
        created_at: Utc::now(),
        organisations,
        checksum: Some(checksum(&tables)?),
        tables,
    })
}

/// The checksum of `tables`: SHA-256 over each table's name and then each of its rows, every
/// one as compact JSON (keys in order) followed by a line feed; `sha256:` and hex digits.
pub fn checksum(tables: &[Table]) -> AppResult<String> {
    use sha2::{Digest, Sha256};
    let mut hash = Sha256::new();
    for table in tables {
        let name = serde_json::to_vec(&table.name).map_err(AppError::internal)?;
        hash.update(&name);
        hash.update(b"\n");
        for row in &table.rows {
            hash.update(serde_json::to_vec(row).map_err(AppError::internal)?);
            hash.update(b"\n");
        }
    }
    Ok(format!("sha256:{}", hex::encode(hash.finalize())))
}

/// Writes `backup` as JSON: one line per row, so a large backup diffs and greps well.
pub fn write<W: Write>(backup: &Backup, mut out: W) -> AppResult<()> {
    let io = AppError::internal;
    let json = AppError::internal;
    write!(
        out,
        "{{\"format\":{},\"version\":{},\"createdAt\":{},\"organisations\":{}",
        serde_json::to_string(&backup.format).map_err(json)?,
        backup.version,
        serde_json::to_string(&backup.created_at).map_err(json)?,
        serde_json::to_string(&backup.organisations).map_err(json)?,
    )
    .map_err(io)?;
    if let Some(checksum) = &backup.checksum {
        write!(
            out,
            ",\"checksum\":{}",
            serde_json::to_string(checksum).map_err(json)?
        )
        .map_err(io)?;
    }
    for (i, table) in backup.tables.iter().enumerate() {
        let comma = if i > 0 { "," } else { "" };
        if i == 0 {
            write!(out, ",\"tables\":[").map_err(io)?;
        }
        write!(
            out,
            "{comma}\n{{\"name\":{},\"rows\":[",
            serde_json::to_string(&table.name).map_err(json)?
        )
        .map_err(io)?;
        for (j, row) in table.rows.iter().enumerate() {
            let comma = if j > 0 { "," } else { "" };
            writeln!(out, "{comma}").map_err(io)?;
            serde_json::to_writer(&mut out, row).map_err(json)?;
        }
        write!(out, "]}}").map_err(io)?;
    }
    if backup.tables.is_empty() {
        write!(out, ",\"tables\":[").map_err(io)?;
    }
    writeln!(out, "\n]}}").map_err(io)?;
    out.flush().map_err(io)
}

/// Reads and checks a backup document.
pub fn read<R: Read>(input: R) -> AppResult<Backup> {
    let value: Value = serde_json::from_reader(input).map_err(|e| {
        if e.is_eof() {
            AppError::invalid(
                "backup",
                format!("is truncated: the file ends before the document does ({e})"),
            )
        } else {
            AppError::invalid("backup", format!("is not JSON: {e}"))
        }
    })?;
    if value["format"] != FORMAT {
        return Err(AppError::invalid(
            "format",
            format!("must be {FORMAT:?}: this is not a ropa backup"),
        ));
    }
    match value["version"].as_u64() {
        Some(v) if v == u64::from(VERSION) => {}
        other => {
            return Err(AppError::invalid(
                "version",
                format!("this ropa reads backup version {VERSION}, not {other:?}"),
            ))
        }
    }
    let backup: Backup = serde_json::from_value(value).map_err(|e| {
        AppError::invalid("backup", format!("does not have the backup's shape: {e}"))
    })?;
    let mut seen = HashSet::new();
    for table in &backup.tables {
        if !TABLES.contains(&table.name.as_str()) || table.name == "organisation_references" {
            return Err(AppError::invalid(
                "tables",
                format!("{:?} is not a table of version {VERSION}", table.name),
            ));
        }
        if !seen.insert(table.name.as_str()) {
            return Err(AppError::invalid(
                "tables",
                format!("{:?} is listed twice", table.name),
            ));
        }
    }
    Ok(backup)
}

/// Parties with their parents first, so each row's parent is already there.
fn parents_first(rows: &[Value]) -> Vec<Value> {
    let id = |r: &Value| r["id"].as_str().map(str::to_owned);
    let mut placed: HashSet<String> = HashSet::new();
    let mut pending: Vec<&Value> = rows.iter().collect();
    let mut ordered = Vec::with_capacity(rows.len());
    while !pending.is_empty() {
        let before = pending.len();
        pending.retain(|row| {
            let parent = row["parent_party_id"].as_str();
            let ready =
                parent.is_none_or(|p| placed.contains(p) || !rows.iter().any(|r| r["id"] == p));
            if ready {
                if let Some(id) = id(row) {
                    placed.insert(id);
                }
                ordered.push((*row).clone());
            }
            !ready
        });
        if pending.len() == before {
            // A cycle (the rules forbid it): insert the rest as they are and let the database judge.
            ordered.extend(pending.drain(..).cloned());
        }
    }
    ordered
}

/// The organisations' references to their own contacts and authority.
const ORGANISATION_REFERENCES: [&str; 4] = [
    "contact_id",
    "dpo_contact_id",
    "representative_contact_id",
    "supervisory_authority_id",
];

/// The tables a file holds (every one but the references, restored from the organisations).
fn stored_tables() -> impl Iterator<Item = &'static str> {
    TABLES
        .into_iter()
        .filter(|t| *t != "organisation_references")
}

/// The rows of one table have exactly its columns, each of the entity's type, and strings
/// within the limits.
fn check_rows<E>(table: &str, rows: &[Value]) -> AppResult<()>
where
    E: EntityTrait,
    E::Model: DeserializeOwned,
{
    let columns: Vec<String> = E::Column::iter().map(|c| c.as_str().to_owned()).collect();
    for (i, row) in rows.iter().enumerate() {
        let place = format!("tables.{table}.rows[{i}]");
        let Value::Object(fields) = row else {
            return Err(AppError::invalid(place, "is not an object of columns"));
        };
        if let Some(unknown) = fields.keys().find(|k| !columns.contains(k)) {
            return Err(AppError::invalid(
                format!("{place}.{unknown}"),
                format!("is not a column of {table} in backup version {VERSION}"),
            ));
        }
        if let Some(missing) = columns.iter().find(|c| !fields.contains_key(c.as_str())) {
            return Err(AppError::invalid(
                place,
                format!("has no column {missing}: every row holds every column of its table"),
            ));
        }
        serde_json::from_value::<E::Model>(row.clone())
            .map_err(|e| AppError::invalid(&place, e.to_string()))?;
        crate::domain::limits::check_row(table, row, |column| format!("{place}.{column}"))?;
    }
    Ok(())
}

/// Checks the whole document before anything is written: see the module's documentation.
pub fn check(backup: &Backup) -> AppResult<()> {
    if let Some(expected) = &backup.checksum {
        if *expected != checksum(&backup.tables)? {
            return Err(AppError::invalid(
                "checksum",
                "does not match the tables: the file is damaged or was changed after the backup",
            ));
        }
    }
    let by_name: HashMap<&str, &Table> =
        backup.tables.iter().map(|t| (t.name.as_str(), t)).collect();
    for (i, table) in backup.tables.iter().enumerate() {
        if !stored_tables().any(|t| t == table.name) {
            return Err(AppError::invalid(
                format!("tables[{i}]"),
                format!("{:?} is not a table of version {VERSION}", table.name),
            ));
        }
        if by_name
            .get(table.name.as_str())
            .is_some_and(|t| !std::ptr::eq(*t, table))
        {
            return Err(AppError::invalid(
                format!("tables[{i}]"),
                format!("{:?} is listed twice", table.name),
            ));
        }
    }
    if let Some(missing) = stored_tables().find(|t| !by_name.contains_key(t)) {
        return Err(AppError::invalid(
            "tables",
            format!("has no table {missing:?}: a backup lists every table, empty or not; the file is incomplete"),
        ));
    }
    for (name, table) in &by_name {
        let rows = &table.rows;
        match *name {
            "account" => check_rows::<account::Entity>(name, rows)?,
            "api_token" => check_rows::<api_token::Entity>(name, rows)?,
            "organisation" => check_rows::<organisation::Entity>(name, rows)?,
            "contact" => check_rows::<contact::Entity>(name, rows)?,
            "party" => check_rows::<party::Entity>(name, rows)?,
            "register" => check_rows::<register::Entity>(name, rows)?,
            "data_subject_category" => check_rows::<data_subject_category::Entity>(name, rows)?,
            "personal_data_category" => check_rows::<personal_data_category::Entity>(name, rows)?,
            "data_source" => check_rows::<data_source::Entity>(name, rows)?,
            "recipient" => check_rows::<recipient::Entity>(name, rows)?,
            "security_measure" => check_rows::<security_measure::Entity>(name, rows)?,
            "processing_activity" => check_rows::<processing_activity::Entity>(name, rows)?,
            "activity_data_subject" => check_rows::<activity_data_subject::Entity>(name, rows)?,
            "activity_data_category" => check_rows::<activity_data_category::Entity>(name, rows)?,
            "activity_source" => check_rows::<activity_source::Entity>(name, rows)?,
            "activity_recipient" => check_rows::<activity_recipient::Entity>(name, rows)?,
            "activity_security_measure" => {
                check_rows::<activity_security_measure::Entity>(name, rows)?
            }
            "transfer" => check_rows::<transfer::Entity>(name, rows)?,
            "retention_rule" => check_rows::<retention_rule::Entity>(name, rows)?,
            "membership" => check_rows::<membership::Entity>(name, rows)?,
            "notice_version" => check_rows::<notice_version::Entity>(name, rows)?,
            "acknowledgement" => check_rows::<acknowledgement::Entity>(name, rows)?,
            "audit_event" => check_rows::<audit_event::Entity>(name, rows)?,
            other => {
                return Err(AppError::Internal(
                    format!("no check for table {other}").into(),
                ))
            }
        }
    }
    // The header names exactly the organisations the file holds, and rows belong to them.
    let organisations = &by_name["organisation"].rows;
    let slugs: Vec<&str> = organisations
        .iter()
        .filter_map(|r| r["slug"].as_str())
        .collect();
    let named: HashSet<&str> = backup.organisations.iter().map(String::as_str).collect();
    if named.len() != backup.organisations.len() {
        return Err(AppError::invalid(
            "organisations",
            "names an organisation twice",
        ));
    }
    if let Some(slug) = slugs.iter().find(|s| !named.contains(**s)) {
        return Err(AppError::invalid(
            "organisations",
            format!("does not name {slug:?}, which tables.organisation holds: the header and the tables disagree"),
        ));
    }
    if let Some(slug) = backup
        .organisations
        .iter()
        .find(|s| !slugs.contains(&s.as_str()))
    {
        return Err(AppError::invalid(
            "organisations",
            format!(
                "names {slug:?}, which tables.organisation does not hold: the file is incomplete"
            ),
        ));
    }
    let ids: HashSet<&str> = organisations
        .iter()
        .filter_map(|r| r["id"].as_str())
        .collect();
    for table in &backup.tables {
        for (i, row) in table.rows.iter().enumerate() {
            if let Some(org) = row.get("organisation_id").and_then(Value::as_str) {
                if !ids.contains(org) {
                    return Err(AppError::invalid(
                        format!("tables.{}.rows[{i}].organisation_id", table.name),
                        "names an organisation the backup does not hold",
                    ));
                }
            }
        }
    }
    Ok(())
}

/// Restores `backup` into `db`, which must hold no organisation and no account.
pub async fn restore(db: &DatabaseConnection, backup: &Backup) -> AppResult<RestoreSummary> {
    check(backup)?;
    let organisations = organisation::Entity::find().count(db).await?;
    let accounts = account::Entity::find().count(db).await?;
    if organisations > 0 || accounts > 0 {
        return Err(AppError::invalid(
            "database",
            format!(
                "a restore loads into an empty database; this one holds {organisations} organisations and {accounts} accounts"
            ),
        ));
    }
    let by_name: HashMap<&str, &Table> =
        backup.tables.iter().map(|t| (t.name.as_str(), t)).collect();
    let empty = Vec::new();
    let rows_of = |name: &str| by_name.get(name).map_or(&empty, |t| &t.rows);
    let txn = db.begin().await?;
    let mut summary = RestoreSummary::default();
    for name in TABLES {
        let rows = rows_of(name);
        match name {
            "account" => insert::<account::Entity, _>(&txn, name, rows).await?,
            "api_token" => insert::<api_token::Entity, _>(&txn, name, rows).await?,
            "organisation" => {
                // Without their references first: those rows come later.
                let stripped: Vec<Value> = rows
                    .iter()
                    .map(|r| {
                        let mut r = r.clone();
                        for column in ORGANISATION_REFERENCES {
                            if let Some(field) = r.get_mut(column) {
                                *field = Value::Null;
                            }
                        }
                        r
                    })
                    .collect();
                insert::<organisation::Entity, _>(&txn, name, &stripped).await?
            }
            "contact" => insert::<contact::Entity, _>(&txn, name, rows).await?,
            "party" => insert::<party::Entity, _>(&txn, name, &parents_first(rows)).await?,
            "register" => insert::<register::Entity, _>(&txn, name, rows).await?,
            "data_subject_category" => {
                insert::<data_subject_category::Entity, _>(&txn, name, rows).await?
            }
            "personal_data_category" => {
                insert::<personal_data_category::Entity, _>(&txn, name, rows).await?
            }
            "data_source" => insert::<data_source::Entity, _>(&txn, name, rows).await?,
            "recipient" => insert::<recipient::Entity, _>(&txn, name, rows).await?,
            "security_measure" => insert::<security_measure::Entity, _>(&txn, name, rows).await?,
            "processing_activity" => {
                insert::<processing_activity::Entity, _>(&txn, name, rows).await?
            }
            "activity_data_subject" => {
                insert::<activity_data_subject::Entity, _>(&txn, name, rows).await?
            }
            "activity_data_category" => {
                insert::<activity_data_category::Entity, _>(&txn, name, rows).await?
            }
            "activity_source" => insert::<activity_source::Entity, _>(&txn, name, rows).await?,
            "activity_recipient" => {
                insert::<activity_recipient::Entity, _>(&txn, name, rows).await?
            }
            "activity_security_measure" => {
                insert::<activity_security_measure::Entity, _>(&txn, name, rows).await?
            }
            "transfer" => insert::<transfer::Entity, _>(&txn, name, rows).await?,
            "retention_rule" => insert::<retention_rule::Entity, _>(&txn, name, rows).await?,
            "membership" => insert::<membership::Entity, _>(&txn, name, rows).await?,
            "notice_version" => insert::<notice_version::Entity, _>(&txn, name, rows).await?,
            "acknowledgement" => insert::<acknowledgement::Entity, _>(&txn, name, rows).await?,
            "audit_event" => insert::<audit_event::Entity, _>(&txn, name, rows).await?,
            "organisation_references" => {
                for (i, row) in rows_of("organisation").iter().enumerate() {
                    let model: organisation::Model =
                        serde_json::from_value(row.clone()).map_err(|e| {
                            AppError::invalid(
                                format!("tables.organisation.rows[{i}]"),
                                e.to_string(),
                            )
                        })?;
                    let mut active = organisation::ActiveModel {
                        id: sea_orm::ActiveValue::Unchanged(model.id),
                        ..Default::default()
                    };
                    active.contact_id = sea_orm::ActiveValue::Set(model.contact_id);
                    active.dpo_contact_id = sea_orm::ActiveValue::Set(model.dpo_contact_id);
                    active.representative_contact_id =
                        sea_orm::ActiveValue::Set(model.representative_contact_id);
                    active.supervisory_authority_id =
                        sea_orm::ActiveValue::Set(model.supervisory_authority_id);
                    active.update(&txn).await?;
                }
                continue;
            }
            other => {
                return Err(AppError::Internal(
                    format!("no restore for table {other}").into(),
                ))
            }
        }
        summary.rows += rows.len();
        summary.tables += 1;
    }
    txn.commit().await?;
    summary.organisations = backup.organisations.clone();
    Ok(summary)
}

/// What a restore wrote.
#[derive(Debug, Default)]
pub struct RestoreSummary {
    pub organisations: Vec<String>,
    pub tables: usize,
    pub rows: usize,
}
