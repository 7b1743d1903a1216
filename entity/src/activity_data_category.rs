//! Edge: an activity processes a category of personal data.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "activity_data_category")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub activity_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub personal_data_category_id: Uuid,
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
        belongs_to = "super::personal_data_category::Entity",
        from = "Column::PersonalDataCategoryId",
        to = "super::personal_data_category::Column::Id"
    )]
    Target,
}

impl ActiveModelBehavior for ActiveModel {}
