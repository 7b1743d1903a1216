//! Cursor pagination (Relay connections) over the batched loaders.

use async_graphql::{Context, OutputType, SimpleObject};
use sea_orm::sea_query::ValueType;
use sea_orm::{ColumnTrait, EntityTrait, ModelTrait};
use uuid::Uuid;

use super::loader::{load_one, load_page};
use crate::authz::{Action, Decisions, Scope};
use crate::error::{AppError, GqlResult};
use crate::ids::{self, NodeKind};
use crate::storage::loader::{Edge as GraphEdge, NodeModel, PageKey, ReadFilter};
use crate::storage::page;

pub use crate::storage::page::PageArgs;

/// A GraphQL object that wraps one stored node.
pub trait GraphNode: OutputType + Sized + Send + Sync + 'static {
    type Entity: EntityTrait<Model = Self::Model>;
    type Model: NodeModel + ModelTrait<Entity = Self::Entity>;
    /// The GraphQL connection type of pages of this node.
    type Connection: OutputType + From<Page<Self>>;
    const KIND: NodeKind;
    /// What reading a node of this type takes, and where: the one rule that decides whether
    /// it appears in a lookup or a list.
    const READ: ReadRule<<Self::Entity as EntityTrait>::Column>;
    fn wrap(model: Self::Model) -> Self;
}

/// The columns of a node's row that name the scope its read rule is judged in.
#[derive(Clone, Copy, Debug)]
pub enum ReadBy<C> {
    /// The organisation this column names (`id` for an organisation itself).
    Organisation(C),
    /// The register `register` names, of the organisation `organisation` names.
    Register { register: C, organisation: C },
}

/// What reading a node takes (an action) and where (the columns naming its scope): data from
/// which both the check of one row and the SQL filter of a list are derived, so that a lookup
/// and a list can never disagree.
#[derive(Clone, Copy, Debug)]
pub struct ReadRule<C> {
    pub action: Action,
    pub by: ReadBy<C>,
}

impl<C: ColumnTrait> ReadRule<C> {
    /// Reading takes `action` on the organisation named by `column`.
    pub const fn organisation(action: Action, column: C) -> Self {
        Self {
            action,
            by: ReadBy::Organisation(column),
        }
    }

    /// Reading takes `action` on the register named by `register`, of the organisation named
    /// by `organisation`.
    pub const fn register(action: Action, register: C, organisation: C) -> Self {
        Self {
            action,
            by: ReadBy::Register {
                register,
                organisation,
            },
        }
    }

    /// The scope a row is judged in; `None` (read as "not readable") if a column of the rule
    /// does not hold an ID.
    pub fn scope<M>(&self, model: &M) -> Option<Scope>
    where
        M: ModelTrait,
        M::Entity: EntityTrait<Column = C>,
    {
        let id = |column: C| <Uuid as ValueType>::try_from(model.get(column)).ok();
        Some(match self.by {
            ReadBy::Organisation(column) => Scope::Organisation(id(column)?),
            ReadBy::Register {
                register,
                organisation,
            } => Scope::Register {
                id: id(register)?,
                organisation: id(organisation)?,
            },
        })
    }

    /// True when `decisions` let the caller read this row.
    pub fn allows<M>(&self, decisions: &Decisions, model: &M) -> bool
    where
        M: ModelTrait,
        M::Entity: EntityTrait<Column = C>,
    {
        self.scope(model)
            .is_some_and(|scope| decisions.allows(self.action, scope))
    }

    /// The rule as a SQL filter for the caller of `decisions`: the rows it lets through are
    /// exactly those [`Self::allows`] accepts.
    pub fn filter(&self, decisions: &Decisions) -> ReadFilter {
        match self.by {
            ReadBy::Organisation(column) => ReadFilter {
                organisation_column: column.as_str().to_owned(),
                organisations: decisions.organisations_allowing(self.action),
                register_column: None,
                registers: Vec::new(),
            },
            ReadBy::Register {
                register,
                organisation,
            } => {
                let reach = decisions.registers_allowing(self.action);
                ReadFilter {
                    organisation_column: organisation.as_str().to_owned(),
                    organisations: reach.organisations,
                    register_column: Some(register.as_str().to_owned()),
                    registers: reach.registers,
                }
            }
        }
    }
}

/// The SQL filter of the read rule of `N` for the current request.
pub fn read_filter<N: GraphNode>(ctx: &Context<'_>) -> async_graphql::Result<ReadFilter> {
    Ok(N::READ.filter(decisions(ctx)?))
}

/// The caller of the current request, as the service layer takes it.
pub fn actor<'a>(ctx: &Context<'a>) -> async_graphql::Result<crate::service::Actor<'a>> {
    Ok(crate::service::Actor::new(
        ctx.data::<crate::state::AppState>()?,
        decisions(ctx)?,
    ))
}

/// The decisions of the current request.
pub fn decisions<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a Decisions> {
    ctx.data::<Decisions>()
}

/// True when the caller may read this node.
pub fn readable<N: GraphNode>(ctx: &Context<'_>, model: &N::Model) -> async_graphql::Result<bool> {
    Ok(N::READ.allows(decisions(ctx)?, model))
}

/// Guards a field that takes more than reading its node (internal notes, security details):
/// FORBIDDEN when the caller may read the node but not the field.
pub fn require_field(
    ctx: &Context<'_>,
    action: Action,
    scope: Scope,
    field: &str,
) -> async_graphql::Result<()> {
    if decisions(ctx)?.allows(action, scope) {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!(
            "reading {field} takes the `{}` permission",
            action.as_str()
        )))
        .gql()
    }
}

/// One page of nodes before it becomes the node type's own connection object.
pub struct Page<N> {
    /// Each node with its cursor.
    pub edges: Vec<(String, N)>,
    pub page_info: PageInfo,
}

/// Where a page stands in its list.
#[derive(SimpleObject)]
pub struct PageInfo {
    /// True when the list goes on after this page.
    pub has_next_page: bool,
    /// True when this page was asked for with `after` (there are nodes before it).
    pub has_previous_page: bool,
    /// The cursor of the first node of this page.
    pub start_cursor: Option<String>,
    /// The cursor of the last node of this page; pass it as `after` for the next page.
    pub end_cursor: Option<String>,
}

/// Builds a connection from up to `first + 1` rows in ID order (the extra row only says that
/// there is a next page).
///
/// The rows must be readable by the caller already: lists filter by [`GraphNode::READ`] before
/// they cut the page (in SQL, see [`ReadRule::filter`]), so that a page is full unless the list
/// is exhausted. A row that got through anyway is a bug: it fails a debug build, and is still
/// left out of a release build's answer.
pub fn connection<N: GraphNode>(
    ctx: &Context<'_>,
    rows: Vec<N::Model>,
    page: PageArgs,
) -> async_graphql::Result<N::Connection> {
    let decisions = decisions(ctx)?;
    let (rows, has_next_page) = page::cut(rows, page);
    let edges: Vec<(String, N)> = rows
        .into_iter()
        .filter(|m| {
            let readable = N::READ.allows(decisions, m);
            debug_assert!(readable, "a list let through a row its read rule refuses");
            readable
        })
        .map(|m| (ids::encode(N::KIND, m.id()), N::wrap(m)))
        .collect();
    let page_info = PageInfo {
        has_next_page,
        has_previous_page: page.after.is_some(),
        start_cursor: edges.first().map(|e| e.0.clone()),
        end_cursor: edges.last().map(|e| e.0.clone()),
    };
    Ok(Page { edges, page_info }.into())
}

/// One page of the children of `parent` reached through `edge`.
pub async fn paginate<N: GraphNode>(
    ctx: &Context<'_>,
    edge: GraphEdge,
    parent: Uuid,
    first: Option<i32>,
    after: Option<String>,
) -> async_graphql::Result<N::Connection> {
    let page = PageArgs::parse(N::KIND, first, after).gql()?;
    let key = PageKey {
        edge,
        parent,
        after: page.after,
        limit: page.limit(),
        read: read_filter::<N>(ctx)?,
    };
    let rows = if page.first == 0 {
        Vec::new()
    } else {
        load_page::<N::Entity>(ctx, key).await?
    };
    connection::<N>(ctx, rows, page)
}

/// The node with this ID, if it exists.
///
/// A node the caller may not read is treated exactly as one that does not exist.
pub async fn node<N: GraphNode>(ctx: &Context<'_>, id: Uuid) -> async_graphql::Result<Option<N>> {
    match load_one::<N::Entity>(ctx, id).await? {
        Some(model) if readable::<N>(ctx, &model)? => Ok(Some(N::wrap(model))),
        _ => Ok(None),
    }
}

/// The node an optional reference points at.
pub async fn reference<N: GraphNode>(
    ctx: &Context<'_>,
    id: Option<Uuid>,
) -> async_graphql::Result<Option<N>> {
    match id {
        Some(id) => node::<N>(ctx, id).await,
        None => Ok(None),
    }
}

/// The node a required reference points at; its absence is a broken foreign key.
pub async fn required<N: GraphNode>(ctx: &Context<'_>, id: Uuid) -> async_graphql::Result<N> {
    node::<N>(ctx, id)
        .await?
        .ok_or_else(|| AppError::NotFound(ids::encode(N::KIND, id)))
        .gql()
}

/// Declares the wrapper of a stored node: the GraphQL object type holding the model.
macro_rules! graph_node {
    ($(#[$doc:meta])* $name:ident, $module:ident, $kind:ident, $connection:ident, $edge:ident, $read:expr) => {
        $(#[$doc])*
        #[derive(Clone, Debug)]
        pub struct $name(pub entity::$module::Model);

        /// One page of a list of nodes, in the order they were created, with cursors to go on from.
        #[derive(async_graphql::SimpleObject)]
        pub struct $connection {
            /// The nodes of this page, each with its cursor.
            pub edges: Vec<$edge>,
            /// The nodes of this page, without cursors.
            pub nodes: Vec<$name>,
            /// Whether there are more pages, and the cursors at either end of this one.
            pub page_info: $crate::graphql::connection::PageInfo,
        }

        /// A node in a page, with its cursor.
        #[derive(async_graphql::SimpleObject)]
        pub struct $edge {
            /// Pass as `after` to get the nodes that follow this one.
            pub cursor: String,
            /// The node.
            pub node: $name,
        }

        impl From<$crate::graphql::connection::Page<$name>> for $connection {
            fn from(page: $crate::graphql::connection::Page<$name>) -> Self {
                Self {
                    nodes: page.edges.iter().map(|(_, node)| node.clone()).collect(),
                    edges: page
                        .edges
                        .into_iter()
                        .map(|(cursor, node)| $edge { cursor, node })
                        .collect(),
                    page_info: page.page_info,
                }
            }
        }

        impl $crate::storage::loader::NodeModel for entity::$module::Model {
            fn id(&self) -> uuid::Uuid {
                self.id
            }
        }

        impl $crate::graphql::connection::GraphNode for $name {
            type Entity = entity::$module::Entity;
            type Model = entity::$module::Model;
            type Connection = $connection;
            const KIND: $crate::ids::NodeKind = $crate::ids::NodeKind::$kind;
            const READ: $crate::graphql::connection::ReadRule<entity::$module::Column> = $read;
            fn wrap(model: Self::Model) -> Self {
                Self(model)
            }
        }

        impl $name {
            fn node_id(&self) -> async_graphql::ID {
                async_graphql::ID($crate::ids::encode($crate::ids::NodeKind::$kind, self.0.id))
            }
        }
    };
}
pub(crate) use graph_node;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_is_bounded() {
        assert!(PageArgs::parse(NodeKind::Register, Some(100), None).is_ok());
        assert!(PageArgs::parse(NodeKind::Register, Some(0), None).is_ok());
        let err = PageArgs::parse(NodeKind::Register, Some(101), None).unwrap_err();
        assert_eq!(err.to_string(), "first: must be between 0 and 100");
        assert!(PageArgs::parse(NodeKind::Register, Some(-1), None).is_err());
        assert_eq!(
            PageArgs::parse(NodeKind::Register, None, None)
                .unwrap()
                .first,
            20
        );
    }

    #[test]
    fn a_cursor_of_another_kind_is_refused() {
        let cursor = ids::encode(NodeKind::Contact, ids::new_id());
        let err = PageArgs::parse(NodeKind::Register, None, Some(cursor)).unwrap_err();
        assert!(err.to_string().starts_with("after:"));
    }
}
