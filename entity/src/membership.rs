//! A membership: a role an account holds in an organisation, or in one register of it.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::Role;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "membership")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub account_id: Uuid,
    pub organisation_id: Uuid,
    /// The register the role is limited to; none for the whole organisation.
    pub register_id: Option<Uuid>,
    pub role: Role,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

crate::organisation_scoped!();

impl ActiveModelBehavior for ActiveModel {}
