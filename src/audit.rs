//! The audit trail: every change to the graph is written, in the same transaction, as one
//! append-only event with the state before and after.

use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait};
use serde::Serialize;
use uuid::Uuid;

use crate::authz::Actor;
use crate::error::{AppError, AppResult};
use crate::ids::new_id;
use entity::*;

/// The node kinds of identity changes (accounts, memberships, tokens): audited like the graph,
/// but no part of it, so neither history nor `graphChanges` shows them as graph nodes.
pub const IDENTITY_KINDS: [&str; 3] = ["account", "membership", "api_token"];

/// Who a change is attributed to.
#[derive(Clone, Copy, Debug)]
pub struct Author {
    pub account_id: Option<Uuid>,
    pub token_id: Option<Uuid>,
    pub source: &'static str,
}

impl Author {
    /// A caller of the API.
    pub fn api(actor: &Actor) -> Self {
        Self {
            account_id: actor.account_id,
            token_id: actor.token_id,
            source: "api",
        }
    }

    /// The operator at the command line (`ropa token …`).
    pub fn cli() -> Self {
        Self {
            account_id: None,
            token_id: None,
            source: "cli",
        }
    }

    /// An import from a document (the command line, or the demo data at start).
    pub fn import() -> Self {
        Self {
            account_id: None,
            token_id: None,
            source: "import",
        }
    }
}

/// What happened to a node or an edge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    Create,
    Update,
    Delete,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Create => "create",
            Change::Update => "update",
            Change::Delete => "delete",
        }
    }
}

/// One event to record.
pub struct Event<'a, M: Serialize> {
    pub organisation_id: Uuid,
    pub node_kind: &'a str,
    pub node_id: Uuid,
    pub change: Change,
    pub version: Option<i32>,
    pub before: Option<&'a M>,
    pub after: Option<&'a M>,
}

fn to_json<M: Serialize>(model: Option<&M>) -> AppResult<Option<serde_json::Value>> {
    model
        .map(serde_json::to_value)
        .transpose()
        .map_err(AppError::internal)
}

/// Writes one event; call it inside the transaction that makes the change.
pub async fn record<C: ConnectionTrait, M: Serialize>(
    db: &C,
    author: Author,
    event: Event<'_, M>,
) -> AppResult<()> {
    row(author, event)?.insert(db).await?;
    Ok(())
}

/// The row of one event, not yet written.
pub(crate) fn row<M: Serialize>(
    author: Author,
    event: Event<'_, M>,
) -> AppResult<audit_event::ActiveModel> {
    Ok(audit_event::ActiveModel {
        id: Set(new_id()),
        occurred_at: Set(crate::db::now()),
        organisation_id: Set(event.organisation_id),
        account_id: Set(author.account_id),
        token_id: Set(author.token_id),
        source: Set(author.source.to_owned()),
        node_kind: Set(event.node_kind.to_owned()),
        node_id: Set(event.node_id),
        action: Set(event.change.as_str().to_owned()),
        version: Set(event.version),
        before: Set(to_json(event.before)?),
        after: Set(to_json(event.after)?),
    })
}
