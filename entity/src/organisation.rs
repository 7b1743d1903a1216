//! An organisation: the tenant, and the legal entity that is controller (or processor) of the processing.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "organisation")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// URL-safe name, unique across the service (`/notices/{slug}/…`).
    #[sea_orm(unique)]
    pub slug: String,
    pub name: String,
    /// Business ID; a Finnish Y-tunnus when the country is FI.
    pub business_id: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    pub address: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub website: Option<String>,
    /// The language texts are written in first (BCP 47).
    pub default_language: String,
    /// Whether the organisation has declared that Art. 37 requires it to designate a DPO.
    pub dpo_required: bool,
    /// The controller's contact point for data protection matters.
    pub contact_id: Option<Uuid>,
    pub dpo_contact_id: Option<Uuid>,
    /// The Art. 27 representative in the Union, for a controller established outside it.
    pub representative_contact_id: Option<Uuid>,
    /// The lead supervisory authority: a party of kind `authority`.
    pub supervisory_authority_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::register::Entity")]
    Register,
}

impl Related<super::register::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Register.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
