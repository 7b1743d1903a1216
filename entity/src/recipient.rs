//! A recipient: a category of recipients, or a named party, that personal data is disclosed to.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{LocalizedText, RecipientKind};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "recipient")]
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
    pub kind: RecipientKind,
    /// The named party, when the recipient is one legal entity rather than a category.
    pub party_id: Option<Uuid>,
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
