//! A contact: a person or a role mailbox of the organisation (DPO, register contact, representative).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::LocalizedText;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "contact")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organisation_id: Uuid,
    /// Stable key, unique within the organisation.
    pub key: String,
    pub name: String,
    #[sea_orm(column_type = "Json")]
    pub title: LocalizedText,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::organisation::Entity",
        from = "Column::OrganisationId",
        to = "super::organisation::Column::Id"
    )]
    Organisation,
}

crate::organisation_scoped!();

impl ActiveModelBehavior for ActiveModel {}
