//! SeaORM models of the processing-activity graph: nodes, the edges between them, and their value types.
//!
//! This crate knows nothing of GraphQL or authorization; the service crate wraps these models.

pub mod types;

pub mod account;
pub mod acknowledgement;
pub mod api_token;
pub mod audit_event;
pub mod contact;
pub mod data_source;
pub mod data_subject_category;
pub mod membership;
pub mod notice_version;
pub mod organisation;
pub mod party;
pub mod personal_data_category;
pub mod processing_activity;
pub mod recipient;
pub mod register;
pub mod retention_rule;
pub mod security_measure;
pub mod transfer;

pub mod activity_data_category;
pub mod activity_data_subject;
pub mod activity_recipient;
pub mod activity_security_measure;
pub mod activity_source;

pub use types::*;

/// Adds `of_organisation`, the tenant scope, to an entity whose table has an `organisation_id` column.
macro_rules! organisation_scoped {
    () => {
        impl Entity {
            /// Every row of this entity that belongs to one organisation (the tenant scope).
            pub fn of_organisation(organisation_id: uuid::Uuid) -> sea_orm::Select<Entity> {
                use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
                Entity::find().filter(Column::OrganisationId.eq(organisation_id))
            }
        }
    };
}
pub(crate) use organisation_scoped;
