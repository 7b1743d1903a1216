//! Batched loading: every relation of the graph is read through a batching loader, so the
//! number of SQL statements a query makes depends on its shape, never on how many rows it
//! returns.

use std::collections::HashMap;
use std::marker::PhantomData;
use std::sync::Arc;

use sea_orm::sea_query::{Alias, Expr};
use sea_orm::{
    Condition, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait, FromQueryResult,
    QueryFilter, Statement, Value,
};
use uuid::Uuid;

use super::batch::Fetch;

/// The most keys one statement carries; far below the bound-parameter limits of SQLite (32,766)
/// and PostgreSQL (65,535). A wave asking for more takes one statement per chunk.
const MAX_KEYS: usize = 10_000;

/// A stored row that is a node of the graph.
pub trait NodeModel: FromQueryResult + Clone + Send + Sync + 'static {
    fn id(&self) -> Uuid;
}

/// How the children of a parent are found: by a column of theirs naming the parent, or through
/// an edge table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Edge {
    /// Children whose `column` holds the parent's ID.
    Column(&'static str),
    /// Children reached through `table`, whose `from` column holds the parent's ID and `to` the child's.
    Link {
        table: &'static str,
        from: &'static str,
        to: &'static str,
    },
}

/// The rows of a list the caller may read, as a SQL condition on the listed table: a row whose
/// `organisation_column` names one of `organisations`, or whose `register_column` names one of
/// `registers`. Made from a node type's read rule for one request
/// (`graphql::connection::ReadRule::filter`), and applied before a page is cut.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ReadFilter {
    pub organisation_column: String,
    pub organisations: Vec<Uuid>,
    pub register_column: Option<String>,
    pub registers: Vec<Uuid>,
}

impl ReadFilter {
    /// The filter as a condition on `E`'s table.
    pub fn condition<E: EntityTrait>(&self) -> Condition {
        let column = |name: &str| Expr::col((E::default(), Alias::new(name)));
        let mut any = Condition::any();
        // `is_in` of an empty list is false in sea-query.
        any = any.add(column(&self.organisation_column).is_in(self.organisations.iter().copied()));
        if let Some(register) = &self.register_column {
            any = any.add(column(register).is_in(self.registers.iter().copied()));
        }
        any
    }

    /// The filter as SQL on the table aliased `alias`, its values bound through `placeholder`.
    fn sql(&self, alias: &str, placeholder: &mut impl FnMut(Value) -> String) -> String {
        let mut within = |column: &str, ids: &[Uuid]| {
            if ids.is_empty() {
                return "1 = 0".to_owned();
            }
            let list: Vec<String> = ids.iter().map(|id| placeholder((*id).into())).collect();
            format!("{alias}.\"{column}\" IN ({})", list.join(", "))
        };
        let mut parts = vec![within(&self.organisation_column, &self.organisations)];
        if let Some(register) = &self.register_column {
            parts.push(within(register, &self.registers));
        }
        format!("({})", parts.join(" OR "))
    }
}

/// One page of children of one parent that the caller may read: at most `limit` rows with IDs
/// after `after`, by ID.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PageKey {
    pub edge: Edge,
    pub parent: Uuid,
    pub after: Option<Uuid>,
    pub limit: u64,
    pub read: ReadFilter,
}

/// Pages that one statement can fetch together: same edge, same cursor, same size, same
/// reader (all pages of a request have the same reader, so this adds no statement).
type PageGroup = (Edge, Option<Uuid>, u64, ReadFilter);

/// Loads nodes of one entity by ID.
pub struct ByIdLoader<E> {
    pub db: DatabaseConnection,
    pub entity: PhantomData<fn() -> E>,
}

impl<E> Fetch for ByIdLoader<E>
where
    E: EntityTrait,
    E::Model: NodeModel,
{
    type Key = Uuid;
    type Value = E::Model;
    type Error = Arc<DbErr>;

    async fn fetch(&self, keys: Vec<Uuid>) -> Result<HashMap<Uuid, E::Model>, Self::Error> {
        let mut found = HashMap::with_capacity(keys.len());
        for chunk in keys.chunks(MAX_KEYS) {
            let rows = E::find()
                .filter(Expr::col((E::default(), Alias::new("id"))).is_in(chunk.iter().copied()))
                .all(&self.db)
                .await?;
            found.extend(rows.into_iter().map(|m| (m.id(), m)));
        }
        Ok(found)
    }
}

/// Loads pages of children of many parents of one entity, one statement per distinct
/// (edge, cursor, page size).
pub struct PageLoader<E> {
    pub db: DatabaseConnection,
    pub entity: PhantomData<fn() -> E>,
}

impl<E> Fetch for PageLoader<E>
where
    E: EntityTrait,
    E::Model: NodeModel,
{
    type Key = PageKey;
    type Value = Vec<E::Model>;
    type Error = Arc<DbErr>;

    async fn fetch(
        &self,
        keys: Vec<PageKey>,
    ) -> Result<HashMap<PageKey, Self::Value>, Self::Error> {
        let mut groups: HashMap<PageGroup, Vec<Uuid>> = HashMap::new();
        for key in &keys {
            groups
                .entry((key.edge, key.after, key.limit, key.read.clone()))
                .or_default()
                .push(key.parent);
        }
        let mut pages: HashMap<PageKey, Self::Value> =
            keys.iter().map(|k| (k.clone(), Vec::new())).collect();
        let batches: Vec<(PageGroup, Vec<Uuid>)> = groups
            .into_iter()
            .flat_map(|(group, parents)| {
                parents
                    .chunks(MAX_KEYS)
                    .map(|chunk| (group.clone(), chunk.to_vec()))
                    .collect::<Vec<_>>()
            })
            .collect();
        for ((edge, after, limit, read), parents) in batches {
            let statement = page_statement(
                self.db.get_database_backend(),
                E::default().table_name(),
                edge,
                &parents,
                after,
                limit,
                &read,
            );
            for row in self.db.query_all(statement).await? {
                let parent: Uuid = row.try_get("", PARENT)?;
                let model = E::Model::from_query_result(&row, "")?;
                let key = PageKey {
                    edge,
                    parent,
                    after,
                    limit,
                    read: read.clone(),
                };
                pages.entry(key).or_default().push(model);
            }
        }
        Ok(pages)
    }
}

/// Loads registers by (organisation, slug).
pub struct RegisterBySlugLoader {
    pub db: DatabaseConnection,
}

impl Fetch for RegisterBySlugLoader {
    type Key = (Uuid, String);
    type Value = entity::register::Model;
    type Error = Arc<DbErr>;

    async fn fetch(
        &self,
        keys: Vec<(Uuid, String)>,
    ) -> Result<HashMap<(Uuid, String), Self::Value>, Self::Error> {
        use entity::register::{Column, Entity};
        use sea_orm::ColumnTrait;
        let organisations: Vec<Uuid> = keys.iter().map(|(o, _)| *o).collect();
        let slugs: Vec<&str> = keys.iter().map(|(_, s)| s.as_str()).collect();
        let rows = Entity::find()
            .filter(Column::OrganisationId.is_in(organisations))
            .filter(Column::Slug.is_in(slugs))
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| ((r.organisation_id, r.slug.clone()), r))
            .collect())
    }
}

/// One page of an organisation's nodes that pass a filter and that the caller may read: at
/// most `limit` rows with IDs after `after`, by ID.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FilteredPageKey {
    pub organisation: Uuid,
    pub filter: super::flow_filter::ListFilter,
    pub after: Option<Uuid>,
    pub limit: u64,
    pub read: ReadFilter,
}

/// Loads filtered pages of many organisations' nodes of one entity, one statement per
/// distinct (filter, cursor, page size): the filter is applied in SQL.
pub struct FilteredPageLoader<E> {
    pub db: DatabaseConnection,
    pub entity: PhantomData<fn() -> E>,
}

impl<E> Fetch for FilteredPageLoader<E>
where
    E: EntityTrait,
    E::Model: NodeModel,
{
    type Key = FilteredPageKey;
    type Value = Vec<E::Model>;
    type Error = Arc<DbErr>;

    async fn fetch(
        &self,
        keys: Vec<FilteredPageKey>,
    ) -> Result<HashMap<FilteredPageKey, Self::Value>, Self::Error> {
        use sea_orm::sea_query::{Asterisk, Order, Query};
        use sea_orm::QueryTrait;
        type Group = (
            super::flow_filter::ListFilter,
            Option<Uuid>,
            u64,
            ReadFilter,
        );
        let mut groups: HashMap<Group, Vec<Uuid>> = HashMap::new();
        for key in &keys {
            groups
                .entry((key.filter.clone(), key.after, key.limit, key.read.clone()))
                .or_default()
                .push(key.organisation);
        }
        let mut pages: HashMap<FilteredPageKey, Self::Value> =
            keys.iter().map(|k| (k.clone(), Vec::new())).collect();
        let backend = self.db.get_database_backend();
        for ((filter, after, limit, read), organisations) in groups {
            for chunk in organisations.chunks(MAX_KEYS) {
                let column = |name: &str| Expr::col((E::default(), Alias::new(name)));
                let mut inner = E::find()
                    .filter(column("organisation_id").is_in(chunk.iter().copied()))
                    .filter(filter.condition())
                    .filter(read.condition::<E>())
                    .into_query();
                if let Some(after) = after {
                    inner.and_where(column("id").gt(after));
                }
                inner.expr_as(
                    Expr::cust(
                        "ROW_NUMBER() OVER (PARTITION BY \"organisation_id\" ORDER BY \"id\")",
                    ),
                    Alias::new("ropa_rank"),
                );
                let outer = Query::select()
                    .column(Asterisk)
                    .from_subquery(inner, Alias::new("ranked"))
                    .and_where(Expr::col(Alias::new("ropa_rank")).lte(limit as i64))
                    .order_by(Alias::new("organisation_id"), Order::Asc)
                    .order_by(Alias::new("id"), Order::Asc)
                    .to_owned();
                for row in self.db.query_all(backend.build(&outer)).await? {
                    let organisation: Uuid = row.try_get("", "organisation_id")?;
                    let model = E::Model::from_query_result(&row, "")?;
                    let key = FilteredPageKey {
                        organisation,
                        filter: filter.clone(),
                        after,
                        limit,
                        read: read.clone(),
                    };
                    pages.entry(key).or_default().push(model);
                }
            }
        }
        Ok(pages)
    }
}

const PARENT: &str = "ropa_parent";

/// `SELECT` the first `limit` children (by ID, after `after`) that pass `read` of each parent,
/// in one statement, with a window function (SQLite ≥ 3.25 and PostgreSQL both have
/// `ROW_NUMBER`). The rows are filtered before they are ranked, so a page is cut from
/// readable rows only.
fn page_statement(
    backend: DbBackend,
    table: &str,
    edge: Edge,
    parents: &[Uuid],
    after: Option<Uuid>,
    limit: u64,
    read: &ReadFilter,
) -> Statement {
    let mut values: Vec<Value> = Vec::with_capacity(parents.len() + 2);
    let mut placeholder = |value: Value| {
        values.push(value);
        match backend {
            DbBackend::Postgres => format!("${}", values.len()),
            DbBackend::Sqlite | DbBackend::MySql => "?".to_owned(),
        }
    };
    let (parent_column, join) = match edge {
        Edge::Column(column) => (format!("t.\"{column}\""), String::new()),
        Edge::Link {
            table: link,
            from,
            to,
        } => (
            format!("l.\"{from}\""),
            format!(" JOIN \"{link}\" l ON l.\"{to}\" = t.\"id\""),
        ),
    };
    let list: Vec<String> = parents.iter().map(|p| placeholder((*p).into())).collect();
    let after_clause = after
        .map(|a| format!(" AND t.\"id\" > {}", placeholder(a.into())))
        .unwrap_or_default();
    let read_clause = read.sql("t", &mut placeholder);
    let limit_placeholder = placeholder((limit as i64).into());
    let sql = format!(
        "SELECT * FROM (SELECT t.*, {parent_column} AS {PARENT}, \
         ROW_NUMBER() OVER (PARTITION BY {parent_column} ORDER BY t.\"id\") AS ropa_rank \
         FROM \"{table}\" t{join} WHERE {parent_column} IN ({}){after_clause} AND {read_clause}) ranked \
         WHERE ropa_rank <= {limit_placeholder} ORDER BY {PARENT}, \"id\"",
        list.join(", ")
    );
    Statement::from_sql_and_values(backend, sql, values)
}
