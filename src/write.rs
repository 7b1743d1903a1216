//! Writing the graph: one transaction per change, optimistic versions, and the audit event of
//! every change written in the same transaction.
//!
//! On SQLite a write transaction is taken up front, so concurrent writers queue instead of
//! failing with "database is locked": writers of this process wait their turn at an in-process
//! gate (first come, first served), and the first statement of the transaction is a write, which
//! makes SQLite take its write lock at once (waiting up to the busy timeout for writers of other
//! processes) rather than upgrading a read lock later, which cannot wait. PostgreSQL needs
//! neither: each update compares and sets the version in one statement.

use std::any::Any;
use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Alias, Expr};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr,
    EntityTrait, FromQueryResult, IntoActiveModel, QueryFilter, SqlErr, Statement,
    TransactionTrait,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use tokio::sync::{Mutex, OwnedMutexGuard};
use uuid::Uuid;

use crate::audit::{self, Author, Change, Event};
use crate::authz::Scope;
use crate::changes::{ChangeFeed, GraphChange};
use crate::error::{AppError, AppResult};
use crate::ids::{self, NodeKind};

/// The queue of writers of this process on SQLite, and where their committed changes are
/// announced.
#[derive(Clone, Default)]
pub struct WriteGate {
    queue: Arc<Mutex<()>>,
    pub changes: ChangeFeed,
}

/// A node created in a write, of whatever kind.
type CreatedNode = Arc<dyn Any + Send + Sync>;

/// Where a created node's key or slug is unique: (table, scope column, scope, column, value).
type CreatedKey = (&'static str, &'static str, Uuid, &'static str, String);

/// The columns a node is known by, and the columns of the scopes they are unique in.
const KEY_COLUMNS: [&str; 2] = ["key", "slug"];
const SCOPE_COLUMNS: [(&str, &str); 2] = [
    ("organisation_id", "organisation"),
    ("register_id", "register"),
];

/// An open write transaction, holding its place at the gate until it ends.
pub struct Write {
    pub txn: DatabaseTransaction,
    pub author: Author,
    pub now: DateTime<Utc>,
    /// The changes to announce once committed (SQLite; PostgreSQL has them in the transaction).
    changes: std::sync::Mutex<Vec<GraphChange>>,
    feed: ChangeFeed,
    /// An account, a role or a token changed in this write.
    identity_changed: std::sync::atomic::AtomicBool,
    /// The nodes [`insert_all`] created in this write, by table and ID: what a reference to
    /// them reads without a query.
    created: std::sync::Mutex<HashMap<(&'static str, Uuid), CreatedNode>>,
    /// The keys and slugs of those nodes, by table, scope (organisation or register) and value.
    created_keys: std::sync::Mutex<HashMap<CreatedKey, Uuid>>,
    _turn: Option<OwnedMutexGuard<()>>,
}

impl Write {
    /// Begins a write transaction: on SQLite, after waiting for this process's earlier writers,
    /// with the database write lock taken before anything is read.
    pub async fn begin(
        db: &DatabaseConnection,
        gate: &WriteGate,
        author: Author,
    ) -> AppResult<Self> {
        let sqlite = db.get_database_backend() == DbBackend::Sqlite;
        let turn = if sqlite {
            Some(gate.queue.clone().lock_owned().await)
        } else {
            None
        };
        let txn = db.begin().await?;
        if sqlite {
            // A write that changes nothing: SQLite takes the RESERVED lock here, up front.
            txn.execute_unprepared("UPDATE organisation SET version = version WHERE 1 = 0")
                .await?;
        }
        Ok(Self {
            txn,
            author,
            now: crate::db::now(),
            changes: std::sync::Mutex::default(),
            feed: gate.changes.clone(),
            identity_changed: Default::default(),
            created: std::sync::Mutex::default(),
            created_keys: std::sync::Mutex::default(),
            _turn: turn,
        })
    }

    /// Commits the change and its audit events together, then announces the change.
    pub async fn commit(self) -> AppResult<()> {
        self.txn.commit().await?;
        if self
            .identity_changed
            .load(std::sync::atomic::Ordering::Acquire)
        {
            self.feed.identity_changed();
        }
        let changes = std::mem::take(&mut *lock(&self.changes));
        self.feed.announce(changes);
        Ok(())
    }

    /// Records one event of this change, and its notification: on PostgreSQL `pg_notify` in
    /// the transaction (delivered at commit, to every instance), on SQLite kept for
    /// [`Write::commit`].
    pub async fn record<M: Serialize>(&self, event: Event<'_, M>) -> AppResult<()> {
        self.record_all(vec![event]).await
    }
}

impl Write {
    /// The node `id` of `M`'s kind, if [`insert_all`] created it in this write.
    pub fn created<M: Stored>(&self, id: Uuid) -> Option<M> {
        lock(&self.created)
            .get(&(M::TABLE, id))
            .and_then(|node| node.downcast_ref::<M>())
            .cloned()
    }

    /// Which node of `M`'s kind has `value` in `column` within the scope `scope_column` =
    /// `scope`, when this write created that scope (an organisation or a register): then every
    /// node in it is one this write created. None when the write cannot tell.
    pub fn created_with<M: Stored>(
        &self,
        scope_column: &str,
        scope: Uuid,
        column: &str,
        value: &str,
    ) -> Option<Option<Uuid>> {
        let (scope_column, scope_table) = SCOPE_COLUMNS
            .into_iter()
            .find(|(c, _)| *c == scope_column)?;
        let column = KEY_COLUMNS.into_iter().find(|c| *c == column)?;
        lock(&self.created).get(&(scope_table, scope))?;
        let key = (M::TABLE, scope_column, scope, column, value.to_owned());
        Some(lock(&self.created_keys).get(&key).copied())
    }

    /// Remembers a node this write created, for [`Write::created`] and
    /// [`Write::created_with`].
    fn remember<M: Stored>(&self, model: &M) -> AppResult<()> {
        let state = serde_json::to_value(model).map_err(AppError::internal)?;
        let uuid = |column: &str| {
            state
                .get(column)
                .and_then(|v| v.as_str())
                .and_then(|v| Uuid::try_parse(v).ok())
        };
        let mut keys = lock(&self.created_keys);
        for (scope_column, _) in SCOPE_COLUMNS {
            let Some(scope) = uuid(scope_column) else {
                continue;
            };
            for column in KEY_COLUMNS {
                if let Some(value) = state.get(column).and_then(|v| v.as_str()) {
                    keys.insert(
                        (M::TABLE, scope_column, scope, column, value.to_owned()),
                        model.id(),
                    );
                }
            }
        }
        drop(keys);
        lock(&self.created).insert((M::TABLE, model.id()), Arc::new(model.clone()));
        Ok(())
    }

    /// Records many events of this change as [`Write::record`] does each, in a few statements:
    /// the rows 500 at a time, and on PostgreSQL their notifications in one statement per
    /// chunk, in the order of the events.
    pub async fn record_all<M: Serialize>(&self, events: Vec<Event<'_, M>>) -> AppResult<()> {
        let mut rows = Vec::with_capacity(events.len());
        for event in events {
            rows.push(audit::row(self.author, event)?);
        }
        let changes: Vec<GraphChange> = rows.iter().map(change_of).collect();
        if changes.iter().any(GraphChange::is_identity) {
            self.identity_changed
                .store(true, std::sync::atomic::Ordering::Release);
        }
        // 12 columns a row: 500 rows stay well within SQLite's bound-parameter limit.
        let mut rows = rows.into_iter().peekable();
        while rows.peek().is_some() {
            entity::audit_event::Entity::insert_many(rows.by_ref().take(500))
                .exec_without_returning(&self.txn)
                .await?;
        }
        let backend = self.txn.get_database_backend();
        if backend != DbBackend::Postgres {
            lock(&self.changes).extend(changes);
            return Ok(());
        }
        for chunk in changes.chunks(500) {
            let mut values = vec![crate::changes::CHANNEL.into()];
            let mut rows = Vec::with_capacity(chunk.len());
            for (i, change) in chunk.iter().enumerate() {
                let payload = serde_json::to_string(change).map_err(AppError::internal)?;
                values.push(payload.into());
                rows.push(format!("({}, ${})", i, i + 2));
            }
            let sql = format!(
                "SELECT pg_notify($1, payload) FROM (VALUES {}) AS v(n, payload) ORDER BY n",
                rows.join(", ")
            );
            self.txn
                .execute(Statement::from_sql_and_values(backend, sql, values))
                .await?;
        }
        Ok(())
    }
}

fn lock<T>(mutex: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A push or a take is one step: the list is whole even after a panic elsewhere.
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The notification of an audit event: the node, what happened, and the register it belongs
/// to (from its stored state), which decides who hears of it.
fn change_of(row: &entity::audit_event::ActiveModel) -> GraphChange {
    use sea_orm::ActiveValue;
    fn value<T: Clone + Into<sea_orm::Value>>(v: &ActiveValue<T>) -> Option<T> {
        match v {
            ActiveValue::Set(v) | ActiveValue::Unchanged(v) => Some(v.clone()),
            ActiveValue::NotSet => None,
        }
    }
    let state = value(&row.after)
        .flatten()
        .or_else(|| value(&row.before).flatten());
    let register_id = state
        .as_ref()
        .and_then(|s| s.get("register_id"))
        .and_then(|v| v.as_str())
        .and_then(|v| Uuid::try_parse(v).ok());
    GraphChange {
        organisation_id: value(&row.organisation_id).unwrap_or_default(),
        register_id,
        node_kind: value(&row.node_kind).unwrap_or_default(),
        node_id: value(&row.node_id).unwrap_or_default(),
        action: value(&row.action).unwrap_or_default(),
        version: value(&row.version).flatten(),
    }
}

/// A stored node of the graph, as the write path handles every kind alike.
pub trait Stored: Serialize + DeserializeOwned + Clone + Send + Sync + Sized + 'static {
    type Entity: EntityTrait<Model = Self>;
    const KIND: NodeKind;
    /// The table, and the `node_kind` of its audit events.
    const TABLE: &'static str;
    /// What a person calls one (in error messages).
    const NOUN: &'static str;
    fn id(&self) -> Uuid;
    fn organisation_id(&self) -> Uuid;
    fn version(&self) -> i32;
    /// Sets the version and the time of the change.
    fn stamp(&mut self, version: i32, now: DateTime<Utc>);
    /// Where editing this node is decided: its register, or its organisation.
    fn edit_scope(&self) -> Scope;
    /// The public ID.
    fn public_id(&self) -> String {
        ids::encode(Self::KIND, self.id())
    }
}

/// Implements [`Stored`] for an entity's model.
macro_rules! stored {
    ($module:ident, $kind:ident, $noun:literal, organisation: $org:ident, scope: $scope:expr) => {
        impl $crate::write::Stored for entity::$module::Model {
            type Entity = entity::$module::Entity;
            const KIND: $crate::ids::NodeKind = $crate::ids::NodeKind::$kind;
            const TABLE: &'static str = stringify!($module);
            const NOUN: &'static str = $noun;
            fn id(&self) -> uuid::Uuid {
                self.id
            }
            fn organisation_id(&self) -> uuid::Uuid {
                self.$org
            }
            fn version(&self) -> i32 {
                self.version
            }
            fn stamp(&mut self, version: i32, now: chrono::DateTime<chrono::Utc>) {
                self.version = version;
                self.updated_at = now;
            }
            fn edit_scope(&self) -> $crate::authz::Scope {
                let scope: fn(&Self) -> $crate::authz::Scope = $scope;
                scope(self)
            }
        }
    };
}

fn organisation_scope<M: Stored>(m: &M) -> Scope {
    Scope::Organisation(m.organisation_id())
}

stored!(organisation, Organisation, "organisation", organisation: id, scope: organisation_scope);
stored!(contact, Contact, "contact", organisation: organisation_id, scope: organisation_scope);
stored!(party, Party, "party", organisation: organisation_id, scope: organisation_scope);
stored!(register, Register, "register", organisation: organisation_id,
    scope: |m| Scope::Register { id: m.id, organisation: m.organisation_id });
stored!(processing_activity, ProcessingActivity, "processing activity", organisation: organisation_id,
    scope: |m| Scope::Register { id: m.register_id, organisation: m.organisation_id });
stored!(data_subject_category, DataSubjectCategory, "data subject category",
    organisation: organisation_id, scope: organisation_scope);
stored!(personal_data_category, PersonalDataCategory, "personal data category",
    organisation: organisation_id, scope: organisation_scope);
stored!(data_source, DataSource, "data source", organisation: organisation_id, scope: organisation_scope);
stored!(recipient, Recipient, "recipient", organisation: organisation_id, scope: organisation_scope);
stored!(security_measure, SecurityMeasure, "security measure", organisation: organisation_id,
    scope: organisation_scope);
stored!(transfer, Transfer, "transfer", organisation: organisation_id,
    scope: |m| Scope::Register { id: m.register_id, organisation: m.organisation_id });
stored!(acknowledgement, Acknowledgement, "acknowledgement", organisation: organisation_id,
    scope: organisation_scope);
stored!(retention_rule, RetentionRule, "retention rule", organisation: organisation_id,
    scope: |m| Scope::Register { id: m.register_id, organisation: m.organisation_id });

/// The stored node with this ID, read inside the write.
pub async fn find<M: Stored>(w: &Write, id: Uuid) -> AppResult<Option<M>> {
    Ok(M::Entity::find()
        .filter(Expr::col(Alias::new("id")).eq(id))
        .one(&w.txn)
        .await?)
}

/// Inserts a new node (version 1) and records its creation.
pub async fn insert<M>(w: &Write, model: M, extra: Option<&serde_json::Value>) -> AppResult<M>
where
    M: Stored + IntoActiveModel<<M::Entity as EntityTrait>::ActiveModel>,
    <M::Entity as EntityTrait>::ActiveModel: ActiveModelTrait<Entity = M::Entity> + Send,
{
    insert_all(w, vec![model], vec![extra.cloned()])
        .await?
        .pop()
        .ok_or_else(|| AppError::Internal("an insert of one node wrote none".into()))
}

/// Inserts new nodes of one kind (version 1) and records their creation, in a few statements
/// whatever their number: the rows in chunks, their events, their
/// notifications. `extras[i]` is what belongs to `models[i]` beyond its row.
pub async fn insert_all<M>(
    w: &Write,
    models: Vec<M>,
    extras: Vec<Option<serde_json::Value>>,
) -> AppResult<Vec<M>>
where
    M: Stored + IntoActiveModel<<M::Entity as EntityTrait>::ActiveModel>,
    <M::Entity as EntityTrait>::ActiveModel: ActiveModelTrait<Entity = M::Entity> + Send,
{
    let mut stamped = Vec::with_capacity(models.len());
    for mut model in models {
        crate::domain::limits::check_model(M::TABLE, &model)?;
        model.stamp(1, w.now);
        stamped.push(model);
    }
    // At most some 30 columns a node: 200 rows stay within SQLite's bound-parameter limit.
    for chunk in stamped.chunks(200) {
        M::Entity::insert_many(
            chunk
                .iter()
                .map(|m| m.clone().into_active_model().reset_all()),
        )
        .exec_without_returning(&w.txn)
        .await?;
    }
    let mut afters = Vec::with_capacity(stamped.len());
    for (i, model) in stamped.iter().enumerate() {
        afters.push(state_of(model, extras.get(i).and_then(Option::as_ref))?);
    }
    let events = stamped
        .iter()
        .zip(&afters)
        .map(|(model, after)| Event::<serde_json::Value> {
            organisation_id: model.organisation_id(),
            node_kind: M::TABLE,
            node_id: model.id(),
            change: Change::Create,
            version: Some(1),
            before: None,
            after: Some(after),
        })
        .collect();
    w.record_all(events).await?;
    for model in &stamped {
        w.remember(model)?;
    }
    Ok(stamped)
}

/// Inserts the row of a new node whose references close a circle (the organisation names its
/// contacts, which belong to it) without them: `early` is the node with those references left
/// out. [`complete_insert`] then writes it whole, once what it names exists, and records its
/// creation: one event, with the state as finally stored.
pub async fn insert_early<M>(w: &Write, mut early: M) -> AppResult<()>
where
    M: Stored + IntoActiveModel<<M::Entity as EntityTrait>::ActiveModel>,
    <M::Entity as EntityTrait>::ActiveModel: ActiveModelTrait<Entity = M::Entity> + Send,
{
    crate::domain::limits::check_model(M::TABLE, &early)?;
    early.stamp(1, w.now);
    let active = early.clone().into_active_model().reset_all();
    M::Entity::insert(active)
        .exec_without_returning(&w.txn)
        .await?;
    w.remember(&early)
}

/// Completes a node begun with [`insert_early`]: writes it whole (still version 1) and records
/// its creation.
pub async fn complete_insert<M>(
    w: &Write,
    mut model: M,
    extra: Option<&serde_json::Value>,
) -> AppResult<M>
where
    M: Stored + IntoActiveModel<<M::Entity as EntityTrait>::ActiveModel>,
    <M::Entity as EntityTrait>::ActiveModel: ActiveModelTrait<Entity = M::Entity> + Send,
{
    crate::domain::limits::check_model(M::TABLE, &model)?;
    model.stamp(1, w.now);
    let active = model.clone().into_active_model().reset_all();
    M::Entity::update_many()
        .set(active)
        .filter(Expr::col(Alias::new("id")).eq(model.id()))
        .exec(&w.txn)
        .await?;
    let after = state_of(&model, extra)?;
    w.record(Event::<serde_json::Value> {
        organisation_id: model.organisation_id(),
        node_kind: M::TABLE,
        node_id: model.id(),
        change: Change::Create,
        version: Some(1),
        before: None,
        after: Some(&after),
    })
    .await?;
    w.remember(&model)?;
    Ok(model)
}

/// Writes `next` over `current` if the stored version is still `expected` (compared and set in
/// one statement); otherwise CONFLICT and nothing changes. Records the change with the states
/// before and after. A change that leaves the state as it was writes nothing: the node comes
/// back unchanged, with no new version and no audit event.
pub async fn update<M>(
    w: &Write,
    current: &M,
    mut next: M,
    expected: i32,
    before_extra: Option<&serde_json::Value>,
    after_extra: Option<&serde_json::Value>,
) -> AppResult<M>
where
    M: Stored + IntoActiveModel<<M::Entity as EntityTrait>::ActiveModel>,
    <M::Entity as EntityTrait>::ActiveModel: ActiveModelTrait<Entity = M::Entity> + Send,
{
    let before = state_of(current, before_extra)?;
    if state_of(&next, after_extra)? == before {
        check_version(current, expected)?;
        return Ok(current.clone());
    }
    crate::domain::limits::check_model(M::TABLE, &next)?;
    next.stamp(expected + 1, w.now);
    let active = next.clone().into_active_model().reset_all();
    let result = M::Entity::update_many()
        .set(active)
        .filter(Expr::col(Alias::new("id")).eq(current.id()))
        .filter(Expr::col(Alias::new("version")).eq(expected))
        .exec(&w.txn)
        .await
        .map_err(clash)?;
    if result.rows_affected != 1 {
        return Err(stale::<M>(current));
    }
    let after = state_of(&next, after_extra)?;
    w.record(Event::<serde_json::Value> {
        organisation_id: next.organisation_id(),
        node_kind: M::TABLE,
        node_id: next.id(),
        change: Change::Update,
        version: Some(next.version()),
        before: Some(&before),
        after: Some(&after),
    })
    .await?;
    Ok(next)
}

/// Deletes `current` if its stored version is still `expected`, and records the deletion.
pub async fn delete<M: Stored>(
    w: &Write,
    current: &M,
    expected: i32,
    before_extra: Option<&serde_json::Value>,
) -> AppResult<()> {
    let result = M::Entity::delete_many()
        .filter(Expr::col(Alias::new("id")).eq(current.id()))
        .filter(Expr::col(Alias::new("version")).eq(expected))
        .exec(&w.txn)
        .await?;
    if result.rows_affected != 1 {
        return Err(stale::<M>(current));
    }
    let before = state_of(current, before_extra)?;
    w.record(Event::<serde_json::Value> {
        organisation_id: current.organisation_id(),
        node_kind: M::TABLE,
        node_id: current.id(),
        change: Change::Delete,
        version: Some(expected + 1),
        before: Some(&before),
        after: None,
    })
    .await
}

/// CONFLICT when the caller's version is not the stored one.
pub fn check_version<M: Stored>(current: &M, expected: i32) -> AppResult<()> {
    if current.version() == expected {
        Ok(())
    } else {
        Err(stale::<M>(current))
    }
}

fn stale<M: Stored>(current: &M) -> AppError {
    AppError::Conflict(format!(
        "{} {} is at version {} or later, not the version given; read it again and retry",
        M::NOUN,
        current.public_id(),
        current.version()
    ))
}

/// A unique index refusing a row is a clash with a concurrent change: CONFLICT, not a failure.
pub fn clash(err: DbErr) -> AppError {
    match err.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => AppError::Conflict(
            "another change made the same key or slug at the same time; read again and retry"
                .into(),
        ),
        _ => AppError::from(err),
    }
}

/// The state an audit event stores: the row, plus what belongs to the node beyond its row
/// (an activity's links).
pub fn state_of<M: Serialize>(
    model: &M,
    extra: Option<&serde_json::Value>,
) -> AppResult<serde_json::Value> {
    let mut value = serde_json::to_value(model).map_err(AppError::internal)?;
    if let (Some(serde_json::Value::Object(extra)), serde_json::Value::Object(map)) =
        (extra, &mut value)
    {
        map.extend(extra.clone());
    }
    Ok(value)
}

#[derive(FromQueryResult)]
struct Count {
    n: i64,
}

/// How many rows of `table` name `id` in `column`.
pub async fn count_references<C: ConnectionTrait>(
    db: &C,
    table: &str,
    column: &str,
    id: Uuid,
) -> AppResult<i64> {
    let backend = db.get_database_backend();
    let placeholder = if backend == DbBackend::Postgres {
        "$1"
    } else {
        "?"
    };
    let sql = format!("SELECT COUNT(*) AS n FROM {table} WHERE {column} = {placeholder}");
    let row = Count::find_by_statement(Statement::from_sql_and_values(backend, sql, [id.into()]))
        .one(db)
        .await?;
    Ok(row.map(|r| r.n).unwrap_or(0))
}
