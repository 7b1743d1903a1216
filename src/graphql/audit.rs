//! The audit trail and the history of the record over GraphQL (`read_audit`: auditor, dpo, admin).

use async_graphql::{Enum, Json, Object, SimpleObject, ID};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::connection::{PageArgs, PageInfo};
use crate::error::AppResult;
use crate::history::{self, Difference, NodeDiff, NodeState, Snapshot};
use crate::ids::{self, NodeKind};
use crate::service::reads;
use crate::state::AppState;
use crate::storage;
use entity::audit_event;

/// One change to the graph: who made it, when, to what, and the node before and after.
pub struct AuditEvent(pub audit_event::Model);

/// What a change did to its node.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditAction {
    /// The node was created.
    Create,
    /// The node was changed (for an activity, also its links).
    Update,
    /// The node was deleted.
    Delete,
}

/// One change to the graph: who made it, when, to what, and the node before and after.
#[Object]
impl AuditEvent {
    /// Opaque, stable ID of the event.
    async fn id(&self) -> ID {
        ID(ids::encode(NodeKind::AuditEvent, self.0.id))
    }

    /// When the change was committed.
    async fn occurred_at(&self) -> DateTime<Utc> {
        self.0.occurred_at
    }

    /// What the change did.
    async fn action(&self) -> AuditAction {
        match self.0.action.as_str() {
            "create" => AuditAction::Create,
            "delete" => AuditAction::Delete,
            _ => AuditAction::Update,
        }
    }

    /// The ID of the node changed (it may no longer exist).
    async fn node_id(&self) -> ID {
        ID(public_id(&self.0.node_kind, self.0.node_id))
    }

    /// The GraphQL type of the node changed (`Register`, `ProcessingActivity`, …).
    async fn node_type(&self) -> String {
        type_name(&self.0.node_kind)
    }

    /// The node's version after the change (for a deletion, the version it would have had).
    async fn version(&self) -> Option<i32> {
        self.0.version
    }

    /// The account that made the change; null for imports.
    async fn account_id(&self) -> Option<ID> {
        self.0
            .account_id
            .map(|id| ID(ids::encode(NodeKind::Account, id)))
    }

    /// The API token the change was made with; null for imports.
    async fn token_id(&self) -> Option<ID> {
        self.0
            .token_id
            .map(|id| ID(ids::encode(NodeKind::ApiToken, id)))
    }

    /// Where the change came from: `api`, `import`, or `cli` (the operator's `ropa token`).
    async fn source(&self) -> &str {
        &self.0.source
    }

    /// The fields whose values the change altered (all fields for a creation or deletion).
    async fn changed_fields(&self) -> Vec<String> {
        let empty = serde_json::Value::Object(Default::default());
        history::changed_fields(
            self.0.before.as_ref().unwrap_or(&empty),
            self.0.after.as_ref().unwrap_or(&empty),
        )
        .iter()
        .map(|f| history::camel(f))
        .collect()
    }

    /// The node before the change, with field names and IDs as in this API; null for a creation.
    async fn before(&self) -> Option<Json<serde_json::Value>> {
        self.0
            .before
            .as_ref()
            .map(|s| Json(history::present(&self.0.node_kind, s)))
    }

    /// The node after the change, with field names and IDs as in this API; null for a deletion.
    async fn after(&self) -> Option<Json<serde_json::Value>> {
        self.0
            .after
            .as_ref()
            .map(|s| Json(history::present(&self.0.node_kind, s)))
    }
}

/// A page of audit events.
#[derive(SimpleObject)]
pub struct AuditEventConnection {
    /// The events of this page, each with its cursor.
    pub edges: Vec<AuditEventEdge>,
    /// The events of this page, without cursors.
    pub nodes: Vec<AuditEvent>,
    /// Whether there are more pages, and the cursors at either end of this one.
    pub page_info: PageInfo,
}

/// An audit event in a page, with its cursor.
#[derive(SimpleObject)]
pub struct AuditEventEdge {
    /// Pass as `after` to get the events that follow this one.
    pub cursor: String,
    /// The event.
    pub node: AuditEvent,
}

/// One page of an organisation's audit events, in the order they were written (or the reverse).
pub async fn events(
    state: &AppState,
    organisation: Uuid,
    filter: reads::AuditFilter,
    first: Option<i32>,
    after: Option<String>,
) -> AppResult<AuditEventConnection> {
    let page = PageArgs::parse(NodeKind::AuditEvent, first, after)?;
    let rows = reads::audit_events(state, organisation, filter, page).await?;
    let (rows, has_next_page) = storage::page::cut(rows, page);
    let edges: Vec<AuditEventEdge> = rows
        .into_iter()
        .map(|e| AuditEventEdge {
            cursor: ids::encode(NodeKind::AuditEvent, e.id),
            node: AuditEvent(e),
        })
        .collect();
    let page_info = PageInfo {
        has_next_page,
        has_previous_page: page.after.is_some(),
        start_cursor: edges.first().map(|e| e.cursor.clone()),
        end_cursor: edges.last().map(|e| e.cursor.clone()),
    };
    Ok(AuditEventConnection {
        nodes: edges.iter().map(|e| AuditEvent(e.node.0.clone())).collect(),
        edges,
        page_info,
    })
}

/// The record as it was at one time, rebuilt from the audit trail.
pub struct GraphSnapshot(pub Snapshot);

/// One node as it was.
pub struct SnapshotNode(pub NodeState);

/// One node as it was.
#[Object]
impl SnapshotNode {
    /// The node's ID.
    async fn id(&self) -> ID {
        ID(public_id(&self.0.table, self.0.id))
    }

    /// Its GraphQL type (`Register`, `ProcessingActivity`, …).
    async fn node_type(&self) -> String {
        type_name(&self.0.table)
    }

    /// Its version then.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// Its fields then, named as in this API; an activity's also hold its `links`.
    async fn state(&self) -> Json<serde_json::Value> {
        Json(history::present(&self.0.table, &self.0.state))
    }
}

/// The record as it was at one time, rebuilt from the audit trail.
#[Object]
impl GraphSnapshot {
    /// The time the record is shown as of.
    async fn as_of(&self) -> DateTime<Utc> {
        self.0.at
    }

    /// The nodes that existed then, in ID order; only those of one GraphQL type if `nodeType` is given.
    async fn nodes(
        &self,
        #[graphql(desc = "Only nodes of this GraphQL type, such as `ProcessingActivity`.")]
        node_type: Option<String>,
    ) -> Vec<SnapshotNode> {
        self.0
            .nodes
            .values()
            .filter(|n| {
                node_type
                    .as_deref()
                    .is_none_or(|t| type_name(&n.table) == t)
            })
            .map(|n| SnapshotNode(n.clone()))
            .collect()
    }

    /// The node with this ID as it was then; null if it did not exist.
    async fn node(&self, #[graphql(desc = "The node's ID.")] id: ID) -> Option<SnapshotNode> {
        let (_, uuid) = ids::decode(&id)?;
        self.0.nodes.get(&uuid).map(|n| SnapshotNode(n.clone()))
    }
}

/// How a node differs between two times.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeKind {
    /// It did not exist at the first time and did at the second.
    Added,
    /// It existed at both, with different values.
    Changed,
    /// It existed at the first time and not at the second.
    Removed,
}

/// One node that differs between two times.
pub struct NodeChange(pub NodeDiff);

/// One node that differs between two times.
#[Object]
impl NodeChange {
    /// The node's ID.
    async fn id(&self) -> ID {
        ID(public_id(&self.0.table, self.0.id))
    }

    /// Its GraphQL type.
    async fn node_type(&self) -> String {
        type_name(&self.0.table)
    }

    /// Added, changed or removed.
    async fn change(&self) -> ChangeKind {
        match self.0.difference {
            Difference::Added => ChangeKind::Added,
            Difference::Changed => ChangeKind::Changed,
            Difference::Removed => ChangeKind::Removed,
        }
    }

    /// The fields that differ, named as in this API.
    async fn fields(&self) -> Vec<String> {
        self.0.fields.iter().map(|f| history::camel(f)).collect()
    }

    /// The node at the first time; null if it did not exist.
    async fn before(&self) -> Option<Json<serde_json::Value>> {
        self.0
            .before
            .as_ref()
            .map(|s| Json(history::present(&self.0.table, s)))
    }

    /// The node at the second time; null if it did not exist.
    async fn after(&self) -> Option<Json<serde_json::Value>> {
        self.0
            .after
            .as_ref()
            .map(|s| Json(history::present(&self.0.table, s)))
    }
}

/// The organisation's graph at `at`, or only one register's part of it.
pub async fn snapshot(
    state: &AppState,
    organisation: Uuid,
    at: DateTime<Utc>,
    register: Option<&ID>,
) -> AppResult<Snapshot> {
    let snapshot = history::as_of(&state.db, organisation, at).await?;
    Ok(match register {
        Some(id) => snapshot.register(ids::decode_as(NodeKind::Register, id, "registerId")?),
        None => snapshot,
    })
}

pub(super) fn public_id(table: &str, id: Uuid) -> String {
    match history::kind_of_table(table) {
        Some(kind) => ids::encode(kind, id),
        None => id.to_string(),
    }
}

/// The GraphQL type name of the nodes of a table.
pub(super) fn type_name(table: &str) -> String {
    let camel = history::camel(table);
    let mut chars = camel.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
