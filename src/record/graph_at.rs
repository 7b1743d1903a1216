//! An organisation's graph as it was at a past time, rebuilt from the audit trail
//! ([`crate::history::as_of`]): each node's stored state read back into its entity model.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::error::{AppError, AppResult};
use crate::history::{self, NodeState, Snapshot};
use crate::links::Links;
use crate::notice::graph::{OrganisationGraph, Vocabulary};
use entity::*;

fn model<M: DeserializeOwned>(node: &NodeState) -> AppResult<M> {
    serde_json::from_value(node.state.clone()).map_err(|e| {
        AppError::Internal(format!("stored state of {} {}: {e}", node.table, node.id).into())
    })
}

/// The graph of `organisation_id` at `at`. Nodes come in ID order, as
/// [`OrganisationGraph::load`] gives them.
pub async fn organisation_graph_as_of<C: ConnectionTrait>(
    db: &C,
    organisation_id: Uuid,
    at: DateTime<Utc>,
) -> AppResult<OrganisationGraph> {
    let snapshot = history::as_of(db, organisation_id, at).await?;
    graph_of_snapshot(organisation_id, &snapshot)
}

/// The graph a snapshot holds.
pub fn graph_of_snapshot(
    organisation_id: Uuid,
    snapshot: &Snapshot,
) -> AppResult<OrganisationGraph> {
    let mut organisation = None;
    let mut registers = Vec::new();
    let mut activities = Vec::new();
    let mut links = HashMap::new();
    let mut vocabulary = Vocabulary::default();
    let mut transfers = Vec::new();
    let mut retention = Vec::new();
    // The snapshot's map is ordered by ID, so every list is too.
    for node in snapshot.nodes.values() {
        match node.table.as_str() {
            "organisation" if node.id == organisation_id => {
                organisation = Some(model::<organisation::Model>(node)?)
            }
            "register" => registers.push(model::<register::Model>(node)?),
            "processing_activity" => {
                let activity: processing_activity::Model = model(node)?;
                let activity_links: Links = match node.state.get("links") {
                    Some(value) if !value.is_null() => {
                        serde_json::from_value::<Links>(value.clone()).map_err(|e| {
                            AppError::Internal(format!("links of activity {}: {e}", node.id).into())
                        })?
                    }
                    _ => Links::default(),
                };
                links.insert(activity.id, activity_links);
                activities.push(activity);
            }
            "contact" => {
                vocabulary.contacts.insert(node.id, model(node)?);
            }
            "party" => {
                vocabulary.parties.insert(node.id, model(node)?);
            }
            "data_subject_category" => {
                vocabulary.subjects.insert(node.id, model(node)?);
            }
            "personal_data_category" => {
                vocabulary.categories.insert(node.id, model(node)?);
            }
            "data_source" => {
                vocabulary.sources.insert(node.id, model(node)?);
            }
            "recipient" => {
                vocabulary.recipients.insert(node.id, model(node)?);
            }
            "security_measure" => {
                vocabulary.measures.insert(node.id, model(node)?);
            }
            "transfer" => transfers.push(model::<transfer::Model>(node)?),
            "retention_rule" => retention.push(model::<retention_rule::Model>(node)?),
            _ => {}
        }
    }
    let organisation = organisation.ok_or_else(|| {
        AppError::NotFound(format!(
            "organisation {organisation_id} at {}",
            snapshot.at.to_rfc3339()
        ))
    })?;
    Ok(OrganisationGraph {
        organisation,
        registers,
        activities,
        links,
        vocabulary,
        transfers,
        retention,
    })
}
