//! The record as it was: an organisation's graph at any past time, rebuilt from the audit
//! trail, and the difference between two times.
//!
//! Every change writes the node's whole state after it (an activity's with its links), so the
//! state of a node at time `t` is the state of its last event at or before `t`, and a node whose
//! last event is a deletion did not exist then.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult, Statement};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::error::{AppError, AppResult};
use crate::ids::{self, NodeKind};

/// One node as it was.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeState {
    pub id: Uuid,
    /// The table the node lives in (`register`, `processing_activity`, …).
    pub table: String,
    pub version: i32,
    /// The stored state: the row, and an activity's `links`.
    pub state: Value,
}

impl NodeState {
    fn uuid(&self, field: &str) -> Option<Uuid> {
        self.state.get(field)?.as_str()?.parse().ok()
    }

    /// The register the node belongs to, for what lives in one.
    pub fn register_id(&self) -> Option<Uuid> {
        match self.table.as_str() {
            "register" => Some(self.id),
            _ => self.uuid("register_id"),
        }
    }
}

/// An organisation's graph at one time: every node that existed, by ID.
#[derive(Clone, Debug)]
pub struct Snapshot {
    pub at: DateTime<Utc>,
    pub nodes: BTreeMap<Uuid, NodeState>,
}

#[derive(FromQueryResult)]
struct LastEvent {
    node_id: Uuid,
    node_kind: String,
    version: Option<i32>,
    after: Option<Value>,
}

/// The graph of `organisation` as it was at `at`.
pub async fn as_of<C: ConnectionTrait>(
    db: &C,
    organisation: Uuid,
    at: DateTime<Utc>,
) -> AppResult<Snapshot> {
    let backend = db.get_database_backend();
    let (org, time) = match backend {
        DbBackend::Postgres => ("$1", "$2"),
        _ => ("?", "?"),
    };
    // The last event of each node at or before `at`; versions only grow within a node.
    // Accounts, memberships and tokens are audited too, but are not part of the graph.
    let identity = crate::audit::IDENTITY_KINDS
        .map(|k| format!("'{k}'"))
        .join(", ");
    let sql = format!(
        "SELECT node_id, node_kind, version, after FROM ( \
           SELECT node_id, node_kind, action, version, after, \
             ROW_NUMBER() OVER (PARTITION BY node_id ORDER BY version DESC, occurred_at DESC) AS rn \
           FROM audit_event WHERE organisation_id = {org} AND occurred_at <= {time} \
             AND node_kind NOT IN ({identity}) \
         ) last WHERE rn = 1 AND action <> 'delete'"
    );
    let rows = LastEvent::find_by_statement(Statement::from_sql_and_values(
        backend,
        sql,
        [organisation.into(), at.into()],
    ))
    .all(db)
    .await?;
    let mut nodes = BTreeMap::new();
    for row in rows {
        let state = row.after.ok_or_else(|| {
            AppError::Internal(format!("audit event of {} has no state", row.node_id).into())
        })?;
        nodes.insert(
            row.node_id,
            NodeState {
                id: row.node_id,
                table: row.node_kind,
                version: row.version.unwrap_or(1),
                state,
            },
        );
    }
    Ok(Snapshot { at, nodes })
}

impl Snapshot {
    /// Only what belongs to one register: the register, its activities, their transfers and
    /// retention rules, and the shared nodes its activities are linked to or name.
    pub fn register(&self, register: Uuid) -> Snapshot {
        let mut keep: BTreeSet<Uuid> = self
            .nodes
            .values()
            .filter(|n| n.register_id() == Some(register))
            .map(|n| n.id)
            .collect();
        let named: Vec<Uuid> = keep
            .iter()
            .filter_map(|id| self.nodes.get(id))
            .flat_map(|n| referenced_ids(&n.state))
            .collect();
        keep.extend(named.into_iter().filter(|id| {
            self.nodes
                .get(id)
                .is_some_and(|n| n.register_id().is_none() && n.table != "organisation")
        }));
        Snapshot {
            at: self.at,
            nodes: self
                .nodes
                .iter()
                .filter(|(id, _)| keep.contains(id))
                .map(|(id, n)| (*id, n.clone()))
                .collect(),
        }
    }
}

/// Every ID a state names: its `*_id` fields and its links.
fn referenced_ids(state: &Value) -> Vec<Uuid> {
    let Some(map) = state.as_object() else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for (key, value) in map {
        if key.ends_with("_id") {
            if let Some(id) = value.as_str().and_then(|s| s.parse().ok()) {
                found.push(id);
            }
        }
    }
    if let Some(links) = map.get("links").and_then(Value::as_object) {
        for list in links.values() {
            for id in list.as_array().into_iter().flatten() {
                if let Some(id) = id.as_str().and_then(|s| s.parse().ok()) {
                    found.push(id);
                }
            }
        }
    }
    found
}

/// How a node differs between two times.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Difference {
    Added,
    Changed,
    Removed,
}

/// One node that differs between two snapshots.
#[derive(Clone, Debug)]
pub struct NodeDiff {
    pub id: Uuid,
    pub table: String,
    pub difference: Difference,
    /// The fields whose values differ (stored names); every field for an addition or removal.
    pub fields: Vec<String>,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// Bookkeeping fields that change with every change and say nothing themselves.
const BOOKKEEPING: [&str; 2] = ["updated_at", "version"];

/// What differs from `from` to `to`, node by node, in ID order.
pub fn diff(from: &Snapshot, to: &Snapshot) -> Vec<NodeDiff> {
    let ids: BTreeSet<&Uuid> = from.nodes.keys().chain(to.nodes.keys()).collect();
    let mut out = Vec::new();
    for id in ids {
        let (before, after) = (from.nodes.get(id), to.nodes.get(id));
        let (difference, fields) = match (before, after) {
            (None, Some(a)) => (Difference::Added, keys(&a.state)),
            (Some(b), None) => (Difference::Removed, keys(&b.state)),
            (Some(b), Some(a)) => {
                let changed = changed_fields(&b.state, &a.state);
                if changed.is_empty() {
                    continue;
                }
                (Difference::Changed, changed)
            }
            (None, None) => continue,
        };
        let table = before
            .or(after)
            .map(|n| n.table.clone())
            .unwrap_or_default();
        out.push(NodeDiff {
            id: *id,
            table,
            difference,
            fields,
            before: before.map(|n| n.state.clone()),
            after: after.map(|n| n.state.clone()),
        });
    }
    out
}

fn keys(state: &Value) -> Vec<String> {
    state
        .as_object()
        .map(|m| {
            m.keys()
                .filter(|k| !BOOKKEEPING.contains(&k.as_str()))
                .cloned()
                .collect()
        })
        .unwrap_or_default()
}

/// The fields whose values differ between two states of a node.
pub fn changed_fields(before: &Value, after: &Value) -> Vec<String> {
    let empty = Map::new();
    let b = before.as_object().unwrap_or(&empty);
    let a = after.as_object().unwrap_or(&empty);
    let names: BTreeSet<&String> = b.keys().chain(a.keys()).collect();
    names
        .into_iter()
        .filter(|k| !BOOKKEEPING.contains(&k.as_str()))
        .filter(|k| b.get(*k) != a.get(*k))
        .cloned()
        .collect()
}

/// The node kind stored in a table.
pub fn kind_of_table(table: &str) -> Option<NodeKind> {
    Some(match table {
        "organisation" => NodeKind::Organisation,
        "contact" => NodeKind::Contact,
        "party" => NodeKind::Party,
        "register" => NodeKind::Register,
        "processing_activity" => NodeKind::ProcessingActivity,
        "data_subject_category" => NodeKind::DataSubjectCategory,
        "personal_data_category" => NodeKind::PersonalDataCategory,
        "data_source" => NodeKind::DataSource,
        "recipient" => NodeKind::Recipient,
        "security_measure" => NodeKind::SecurityMeasure,
        "transfer" => NodeKind::Transfer,
        "retention_rule" => NodeKind::RetentionRule,
        "acknowledgement" => NodeKind::Acknowledgement,
        "account" => NodeKind::Account,
        "membership" => NodeKind::Membership,
        "api_token" => NodeKind::ApiToken,
        _ => return None,
    })
}

/// The kind of node a stored reference field names.
fn kind_of_field(field: &str) -> Option<NodeKind> {
    Some(match field {
        "organisation_id" => NodeKind::Organisation,
        "register_id" => NodeKind::Register,
        "activity_id" => NodeKind::ProcessingActivity,
        "contact_id" | "dpo_contact_id" | "representative_contact_id" => NodeKind::Contact,
        "party_id" | "parent_party_id" | "counterpart_party_id" | "supervisory_authority_id" => {
            NodeKind::Party
        }
        "recipient_id" => NodeKind::Recipient,
        "data_category_id" => NodeKind::PersonalDataCategory,
        "data_subject_categories" => NodeKind::DataSubjectCategory,
        "personal_data_categories" => NodeKind::PersonalDataCategory,
        "data_sources" => NodeKind::DataSource,
        "recipients" => NodeKind::Recipient,
        "security_measures" => NodeKind::SecurityMeasure,
        _ => return None,
    })
}

/// The stored fields whose values are enums: shown as the GraphQL enum values.
const ENUM_FIELDS: [&str; 8] = [
    "legal_basis",
    "special_category_condition",
    "provision_requirement",
    "role",
    "dpia_status",
    "kind",
    "status",
    "mechanism",
];

/// A stored state as the API shows it: field names as in the GraphQL schema (camelCase), enum
/// values as its enum values (`LEGITIMATE_INTERESTS`), and IDs as the API's public IDs.
pub fn present(table: &str, state: &Value) -> Value {
    let Some(map) = state.as_object() else {
        return state.clone();
    };
    let own = kind_of_table(table);
    let mut out = Map::new();
    for (key, value) in map {
        let value = if key == "id" {
            encode_id(own, value)
        } else if key == "links" {
            let links = value
                .as_object()
                .map(|l| {
                    l.iter()
                        .map(|(k, list)| {
                            let kind = kind_of_field(k);
                            let ids = list
                                .as_array()
                                .map(|ids| ids.iter().map(|id| encode_id(kind, id)).collect())
                                .unwrap_or_default();
                            (camel(k), Value::Array(ids))
                        })
                        .collect()
                })
                .unwrap_or_default();
            Value::Object(links)
        } else if let Some(kind) = kind_of_field(key) {
            encode_id(Some(kind), value)
        } else if ENUM_FIELDS.contains(&key.as_str()) {
            match value.as_str() {
                Some(v) => Value::String(v.to_ascii_uppercase()),
                None => value.clone(),
            }
        } else {
            value.clone()
        };
        out.insert(camel(key), value);
    }
    Value::Object(out)
}

fn encode_id(kind: Option<NodeKind>, value: &Value) -> Value {
    match (kind, value.as_str().and_then(|s| s.parse::<Uuid>().ok())) {
        (Some(kind), Some(id)) => Value::String(ids::encode(kind, id)),
        _ => value.clone(),
    }
}

/// `snake_case` to `camelCase`.
pub fn camel(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn field_names_become_camel_case_and_ids_public() {
        let id = Uuid::nil();
        let state = json!({"id": id, "register_id": id, "legal_basis": "consent", "links": {"recipients": [id]}});
        let shown = present("processing_activity", &state);
        assert_eq!(
            shown["id"],
            json!(ids::encode(NodeKind::ProcessingActivity, id))
        );
        assert_eq!(
            shown["registerId"],
            json!(ids::encode(NodeKind::Register, id))
        );
        assert_eq!(shown["legalBasis"], json!("CONSENT"));
        assert_eq!(
            shown["links"]["recipients"][0],
            json!(ids::encode(NodeKind::Recipient, id))
        );
    }

    #[test]
    fn a_diff_names_the_changed_fields_but_not_the_bookkeeping() {
        let before = json!({"name": "a", "version": 1, "updated_at": "x", "slug": "s"});
        let after = json!({"name": "b", "version": 2, "updated_at": "y", "slug": "s"});
        assert_eq!(changed_fields(&before, &after), vec!["name".to_owned()]);
    }
}
