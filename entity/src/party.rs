//! A party: another legal entity the organisation deals with (processor, joint controller, authority…).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{LocalizedText, PartyKind};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "party")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub key: String,
    pub name: String,
    pub kind: PartyKind,
    pub business_id: Option<String>,
    /// ISO 3166-1 alpha-2; none for an international organisation.
    pub country: Option<String>,
    pub address: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub website: Option<String>,
    #[sea_orm(column_type = "Json")]
    pub description: LocalizedText,
    /// Reference to the contract or data processing agreement (Art. 28(3)).
    pub contract_reference: Option<String>,
    /// For a sub-processor: the processor that engaged it.
    pub parent_party_id: Option<Uuid>,
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
