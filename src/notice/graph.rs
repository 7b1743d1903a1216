//! The part of the graph a register's notice is made from, read in one pass.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::error::{AppError, AppResult};
use crate::links::{links_of_many, Links};
use entity::*;

/// A register with everything its notice may mention.
#[derive(Clone, Debug)]
pub struct RegisterGraph {
    pub organisation: organisation::Model,
    pub register: register::Model,
    /// In the order they were created.
    pub activities: Vec<processing_activity::Model>,
    pub links: HashMap<Uuid, Links>,
    pub contacts: HashMap<Uuid, contact::Model>,
    pub parties: HashMap<Uuid, party::Model>,
    pub subjects: HashMap<Uuid, data_subject_category::Model>,
    pub categories: HashMap<Uuid, personal_data_category::Model>,
    pub sources: HashMap<Uuid, data_source::Model>,
    pub recipients: HashMap<Uuid, recipient::Model>,
    pub measures: HashMap<Uuid, security_measure::Model>,
    /// The register's transfers and retention rules, in the order they were created.
    pub transfers: Vec<transfer::Model>,
    pub retention: Vec<retention_rule::Model>,
}

fn by_id<M, F: Fn(&M) -> Uuid>(rows: Vec<M>, id: F) -> HashMap<Uuid, M> {
    rows.into_iter().map(|m| (id(&m), m)).collect()
}

impl RegisterGraph {
    /// Reads the register `register_id` and what it names: a fixed number of statements
    /// whatever the size of the register.
    pub async fn load<C: ConnectionTrait>(db: &C, register_id: Uuid) -> AppResult<Self> {
        let register = register::Entity::find_by_id(register_id)
            .one(db)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("register {register_id}")))?;
        let org = register.organisation_id;
        let organisation = organisation::Entity::find_by_id(org)
            .one(db)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("organisation {org}")))?;
        let activities = processing_activity::Entity::find()
            .filter(processing_activity::Column::RegisterId.eq(register_id))
            .order_by_asc(processing_activity::Column::Id)
            .all(db)
            .await?;
        let links = links_of_many(db, activities.iter().map(|a| a.id)).await?;
        macro_rules! all_of {
            ($module:ident) => {
                by_id(
                    $module::Entity::find()
                        .filter($module::Column::OrganisationId.eq(org))
                        .all(db)
                        .await?,
                    |m| m.id,
                )
            };
        }
        Ok(Self {
            contacts: all_of!(contact),
            parties: all_of!(party),
            subjects: all_of!(data_subject_category),
            categories: all_of!(personal_data_category),
            sources: all_of!(data_source),
            recipients: all_of!(recipient),
            measures: all_of!(security_measure),
            transfers: transfer::Entity::find()
                .filter(transfer::Column::RegisterId.eq(register_id))
                .order_by_asc(transfer::Column::Id)
                .all(db)
                .await?,
            retention: retention_rule::Entity::find()
                .filter(retention_rule::Column::RegisterId.eq(register_id))
                .order_by_asc(retention_rule::Column::Id)
                .all(db)
                .await?,
            organisation,
            register,
            activities,
            links,
        })
    }
}
