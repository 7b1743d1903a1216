//! How long an activity keeps personal data, optionally per data category (Art. 13(2)(a), 30(1)(f)).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::LocalizedText;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "retention_rule")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organisation_id: Uuid,
    /// The activity's register (kept with the row: it decides who may read it).
    pub register_id: Uuid,
    pub activity_id: Uuid,
    /// The data category the rule is for; none when it covers the whole activity.
    pub data_category_id: Option<Uuid>,
    /// ISO 8601 duration, such as `P10Y`.
    pub period: Option<String>,
    /// The criteria used to set the period, when there is no fixed period or in addition to it.
    #[sea_orm(column_type = "Json")]
    pub criteria: LocalizedText,
    /// The event the period runs from ("the end of the customer relationship").
    #[sea_orm(column_type = "Json")]
    pub starts_from: LocalizedText,
    /// The law that requires the data be kept for the period (Art. 17(3)(b)), as the notice
    /// cites it ("kirjanpitolaki 1336/1997, 2 luku 10 §"); empty when none is declared.
    #[sea_orm(column_type = "Json")]
    pub required_by: LocalizedText,
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
