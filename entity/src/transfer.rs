//! A transfer of personal data from an activity to a recipient in a third country or an international organisation.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{LocalizedText, TransferMechanism};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "transfer")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organisation_id: Uuid,
    /// The activity's register (kept with the row: it decides who may read it).
    pub register_id: Uuid,
    pub activity_id: Uuid,
    pub recipient_id: Option<Uuid>,
    /// ISO 3166-1 alpha-2 of the destination; none when the notice does not name the country.
    pub country: Option<String>,
    /// The international organisation, when the destination is one.
    pub international_organisation: Option<String>,
    /// None while nobody has determined it (a finding, not a default).
    pub mechanism: Option<TransferMechanism>,
    /// Where the safeguard is documented (contract, clause set, decision).
    pub safeguards_reference: Option<String>,
    /// How a data subject can obtain a copy of the safeguards (Art. 13(1)(f)).
    #[sea_orm(column_type = "Json")]
    pub safeguards_copy: LocalizedText,
    /// What is transferred and when, in the words of the notice.
    #[sea_orm(column_type = "Json")]
    pub description: LocalizedText,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::processing_activity::Entity",
        from = "Column::ActivityId",
        to = "super::processing_activity::Column::Id"
    )]
    Activity,
}

crate::organisation_scoped!();

impl ActiveModelBehavior for ActiveModel {}
