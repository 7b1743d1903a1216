//! Where personal data comes from: the data subject, a third party, a public source, or observation.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{LocalizedText, SourceKind};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "data_source")]
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
    pub kind: SourceKind,
    /// Art. 14(2)(f): whether the source is publicly accessible. True for a source of kind
    /// `public`; for data from another organisation, none while undeclared.
    pub publicly_accessible: Option<bool>,
    /// The organisation the data comes from, when it is a named party.
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
