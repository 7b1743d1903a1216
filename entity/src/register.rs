//! A register: a named set of processing with one public notice (a tietosuojaseloste).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{LanguageList, LocalizedText, RegisterKind, RegisterStatus};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "register")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organisation_id: Uuid,
    /// URL-safe name, unique within the organisation.
    pub slug: String,
    #[sea_orm(column_type = "Json")]
    pub name: LocalizedText,
    #[sea_orm(column_type = "Json")]
    pub description: LocalizedText,
    pub kind: RegisterKind,
    pub status: RegisterStatus,
    /// The person or mailbox that answers for this register.
    pub contact_id: Option<Uuid>,
    /// The languages its notice is published in.
    #[sea_orm(column_type = "Json")]
    pub languages: LanguageList,
    /// How data subjects exercise their rights for this register.
    #[sea_orm(column_type = "Json")]
    pub rights_instructions: LocalizedText,
    /// Notes for the organisation's own staff; never public.
    pub internal_notes: Option<String>,
    pub last_reviewed_on: Option<Date>,
    pub next_review_on: Option<Date>,
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
    #[sea_orm(has_many = "super::processing_activity::Entity")]
    ProcessingActivity,
}

impl Related<super::organisation::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organisation.def()
    }
}

impl Related<super::processing_activity::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ProcessingActivity.def()
    }
}

crate::organisation_scoped!();

impl ActiveModelBehavior for ActiveModel {}
