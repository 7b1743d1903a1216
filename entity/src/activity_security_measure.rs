//! Edge: an activity is protected by a security measure.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "activity_security_measure")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub activity_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub security_measure_id: Uuid,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::processing_activity::Entity",
        from = "Column::ActivityId",
        to = "super::processing_activity::Column::Id"
    )]
    Activity,
    #[sea_orm(
        belongs_to = "super::security_measure::Entity",
        from = "Column::SecurityMeasureId",
        to = "super::security_measure::Column::Id"
    )]
    Target,
}

impl ActiveModelBehavior for ActiveModel {}
