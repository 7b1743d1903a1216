//! A compliance finding acknowledged: the rule on one node is suppressed, with the reason and
//! the person who decided it. Withdrawing it deletes the row; both are in the audit trail.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "acknowledgement")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organisation_id: Uuid,
    /// The rule's code (`NO_RETENTION`, …).
    pub rule: String,
    /// The node the finding is on.
    pub node_id: Uuid,
    /// Why the finding is accepted.
    pub reason: String,
    /// Who acknowledged it.
    pub account_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

crate::organisation_scoped!();

impl ActiveModelBehavior for ActiveModel {}
