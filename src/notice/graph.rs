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
    /// The organisation's shared nodes.
    pub vocabulary: Vocabulary,
    /// The register's transfers and retention rules, in the order they were created.
    pub transfers: Vec<transfer::Model>,
    pub retention: Vec<retention_rule::Model>,
}

fn by_id<M, F: Fn(&M) -> Uuid>(rows: Vec<M>, id: F) -> HashMap<Uuid, M> {
    rows.into_iter().map(|m| (id(&m), m)).collect()
}

/// An organisation's shared nodes, by ID: what its registers' activities name.
#[derive(Clone, Debug, Default)]
pub struct Vocabulary {
    pub contacts: HashMap<Uuid, contact::Model>,
    pub parties: HashMap<Uuid, party::Model>,
    pub subjects: HashMap<Uuid, data_subject_category::Model>,
    pub categories: HashMap<Uuid, personal_data_category::Model>,
    pub sources: HashMap<Uuid, data_source::Model>,
    pub recipients: HashMap<Uuid, recipient::Model>,
    pub measures: HashMap<Uuid, security_measure::Model>,
}

impl Vocabulary {
    /// Reads the shared nodes of organisation `org`: seven statements.
    pub async fn load<C: ConnectionTrait>(db: &C, org: Uuid) -> AppResult<Self> {
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
        })
    }
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
        Ok(Self {
            vocabulary: Vocabulary::load(db, org).await?,
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

/// An organisation with its whole graph, read in one pass: what the compliance checks (and a
/// notice of any of its registers) are made from.
#[derive(Clone, Debug)]
pub struct OrganisationGraph {
    pub organisation: organisation::Model,
    /// In the order they were created, as everything else.
    pub registers: Vec<register::Model>,
    pub activities: Vec<processing_activity::Model>,
    pub links: HashMap<Uuid, Links>,
    /// Its shared nodes.
    pub vocabulary: Vocabulary,
    pub transfers: Vec<transfer::Model>,
    pub retention: Vec<retention_rule::Model>,
}

impl OrganisationGraph {
    /// Reads the organisation `organisation_id` and everything it holds: a fixed number of
    /// statements whatever its size.
    pub async fn load<C: ConnectionTrait>(db: &C, organisation_id: Uuid) -> AppResult<Self> {
        let organisation = organisation::Entity::find_by_id(organisation_id)
            .one(db)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("organisation {organisation_id}")))?;
        let org = organisation.id;
        macro_rules! ordered {
            ($module:ident) => {
                $module::Entity::find()
                    .filter($module::Column::OrganisationId.eq(org))
                    .order_by_asc($module::Column::Id)
                    .all(db)
                    .await?
            };
        }
        let activities = ordered!(processing_activity);
        let links = links_of_many(db, activities.iter().map(|a| a.id)).await?;
        Ok(Self {
            registers: ordered!(register),
            vocabulary: Vocabulary::load(db, org).await?,
            transfers: ordered!(transfer),
            retention: ordered!(retention_rule),
            organisation,
            activities,
            links,
        })
    }

    /// The part of the graph one register's notice is made from.
    pub fn register(&self, register_id: Uuid) -> Option<RegisterGraph> {
        let register = self.registers.iter().find(|r| r.id == register_id)?;
        let activities: Vec<_> = self
            .activities
            .iter()
            .filter(|a| a.register_id == register_id)
            .cloned()
            .collect();
        Some(RegisterGraph {
            organisation: self.organisation.clone(),
            register: register.clone(),
            links: activities
                .iter()
                .filter_map(|a| self.links.get(&a.id).map(|l| (a.id, l.clone())))
                .collect(),
            activities,
            vocabulary: self.vocabulary.clone(),
            transfers: self
                .transfers
                .iter()
                .filter(|t| t.register_id == register_id)
                .cloned()
                .collect(),
            retention: self
                .retention
                .iter()
                .filter(|r| r.register_id == register_id)
                .cloned()
                .collect(),
        })
    }
}
