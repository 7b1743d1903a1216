//! A category of data subjects (customers, employees of customer companies, website visitors…).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::LocalizedText;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "data_subject_category")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organisation_id: Uuid,
    /// Stable key, unique within the organisation.
    pub key: String,
    #[sea_orm(column_type = "Json")]
    pub name: LocalizedText,
    #[sea_orm(column_type = "Json")]
    pub description: LocalizedText,
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
