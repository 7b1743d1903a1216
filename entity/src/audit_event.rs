//! One change to the graph: who, when, what, and the state before and after. Append-only.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "audit_event")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub occurred_at: DateTimeUtc,
    pub organisation_id: Uuid,
    /// The account that made the change; none for imports and other system work.
    pub account_id: Option<Uuid>,
    /// The token it used.
    pub token_id: Option<Uuid>,
    /// Where the change came from: `api`, `import`.
    pub source: String,
    /// The table of the node (`register`, `processing_activity`, …).
    pub node_kind: String,
    /// The node's ID.
    pub node_id: Uuid,
    /// `create`, `update` or `delete`.
    pub action: String,
    /// The node's version after the change.
    pub version: Option<i32>,
    /// The node before the change (its row; an activity's also holds its `links`); none for a creation.
    pub before: Option<Json>,
    /// The node after the change; none for a deletion.
    pub after: Option<Json>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

crate::organisation_scoped!();

impl ActiveModelBehavior for ActiveModel {}
