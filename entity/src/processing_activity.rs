//! A processing activity: one purpose of one register, with its legal basis and everything Art. 30 asks.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{
    DpiaStatus, LegalBasis, LocalizedText, ProcessingRole, ProvisionRequirement,
    SpecialCategoryCondition,
};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "processing_activity")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub register_id: Uuid,
    /// Stable key, unique within the register.
    pub key: String,
    #[sea_orm(column_type = "Json")]
    pub name: LocalizedText,
    #[sea_orm(column_type = "Json")]
    pub purpose: LocalizedText,
    /// Art. 6(1); none while nobody has determined it (a finding, not a default).
    pub legal_basis: Option<LegalBasis>,
    /// Art. 13(1)(d): the legitimate interests pursued, when the basis is Art. 6(1)(f).
    #[sea_orm(column_type = "Json")]
    pub legitimate_interests: LocalizedText,
    /// Art. 9(2), when special categories are processed.
    pub special_category_condition: Option<SpecialCategoryCondition>,
    /// Art. 10: the official authority or law that allows processing criminal data.
    #[sea_orm(column_type = "Json")]
    pub criminal_data_basis: LocalizedText,
    /// Why a national identity number is needed (in Finland, Data Protection Act 1050/2018 § 29).
    #[sea_orm(column_type = "Json")]
    pub national_id_justification: LocalizedText,
    /// Art. 7(3), 13(2)(c): how consent is withdrawn, when the basis is consent.
    #[sea_orm(column_type = "Json")]
    pub consent_withdrawal: LocalizedText,
    /// Art. 13(2)(e).
    pub provision_requirement: Option<ProvisionRequirement>,
    /// Art. 13(2)(e): what follows if the data subject does not provide the data.
    #[sea_orm(column_type = "Json")]
    pub provision_consequence: LocalizedText,
    pub role: ProcessingRole,
    /// The joint controller, or the controller on whose behalf the organisation processes.
    pub counterpart_party_id: Option<Uuid>,
    /// Art. 22: whether decisions are based solely on automated processing; none while nobody
    /// has declared it (a gap, never a "no").
    pub automated_decision_making: Option<bool>,
    /// Art. 4(4): whether the data is used for profiling; none while undeclared.
    pub profiling: Option<bool>,
    /// Art. 13(2)(f): meaningful information about the logic involved.
    #[sea_orm(column_type = "Json")]
    pub automated_logic: LocalizedText,
    /// Art. 13(2)(f): the significance and envisaged consequences.
    #[sea_orm(column_type = "Json")]
    pub automated_consequences: LocalizedText,
    /// Art. 13(1)(f), 30(1)(e): whether data is transferred outside the EU/EEA. True with the
    /// transfers listed; false declares that none is; none while undeclared.
    pub transfers_outside_eea: Option<bool>,
    /// Art. 21(2)–(3): whether the purpose is direct marketing; none while undeclared.
    pub direct_marketing: Option<bool>,
    /// Art. 20(1)(b): whether the processing is carried out by automated means (false for paper
    /// records only); none while undeclared.
    pub automated_means: Option<bool>,
    pub dpia_status: DpiaStatus,
    pub dpia_reference: Option<String>,
    /// Where the legitimate interests assessment (Art. 6(1)(f)) is kept.
    pub lia_reference: Option<String>,
    /// Where the personal data is located: countries, data centres or systems.
    pub data_location: Option<String>,
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
        belongs_to = "super::register::Entity",
        from = "Column::RegisterId",
        to = "super::register::Column::Id"
    )]
    Register,
}

impl Related<super::register::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Register.def()
    }
}

crate::organisation_scoped!();

impl ActiveModelBehavior for ActiveModel {}
