//! Acknowledging a compliance finding with a reason, and withdrawing an acknowledgement.

use chrono::Utc;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::{Actor, Editing};
use crate::authz::{Action, Scope};
use crate::error::{AppError, AppResult};
use crate::ids::{self, new_id, NodeKind};
use crate::write::{self, Write};
use entity::acknowledgement;

/// The organisation of any node of the graph, read inside the write.
async fn organisation_of(w: &Write, kind: NodeKind, id: Uuid) -> AppResult<Option<Uuid>> {
    use entity::*;
    macro_rules! find {
        ($module:ident) => {
            write::find::<$module::Model>(w, id)
                .await?
                .map(|m| write::Stored::organisation_id(&m))
        };
    }
    Ok(match kind {
        NodeKind::Organisation => find!(organisation),
        NodeKind::Contact => find!(contact),
        NodeKind::Party => find!(party),
        NodeKind::Register => find!(register),
        NodeKind::ProcessingActivity => find!(processing_activity),
        NodeKind::DataSubjectCategory => find!(data_subject_category),
        NodeKind::PersonalDataCategory => find!(personal_data_category),
        NodeKind::DataSource => find!(data_source),
        NodeKind::Recipient => find!(recipient),
        NodeKind::SecurityMeasure => find!(security_measure),
        NodeKind::Transfer => find!(transfer),
        NodeKind::RetentionRule => find!(retention_rule),
        NodeKind::Account
        | NodeKind::Membership
        | NodeKind::ApiToken
        | NodeKind::AuditEvent
        | NodeKind::Acknowledgement => None,
    })
}

/// Accepts the finding of `rule` on the node `node_id` names, with a reason (takes
/// `acknowledge`). Refused when the rule finds nothing on the node today, or it is already
/// acknowledged.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn acknowledge(
    actor: Actor<'_>,
    rule: &str,
    node_id: &str,
    reason: &str,
) -> AppResult<acknowledgement::Model> {
    let e = Editing::begin(actor).await?;
    let rule = crate::checks::rule(rule.trim()).ok_or_else(|| {
        AppError::invalid(
            "rule",
            format!("no rule `{rule}`; `complianceRules` lists them"),
        )
    })?;
    let (kind, node) = ids::decode(node_id)
        .ok_or_else(|| AppError::invalid("nodeId", "must be the ID of a node of the graph"))?;
    let what = || format!("node {node_id}");
    let organisation = organisation_of(&e.w, kind, node)
        .await?
        .ok_or_else(|| AppError::NotFound(what()))?;
    e.require(Action::Acknowledge, Scope::Organisation(organisation), what)?;
    let reason = reason.trim().to_owned();
    crate::domain::formats::length("reason", &reason, 1, 2000)?;
    if let Some(existing) = acknowledgement::Entity::find()
        .filter(acknowledgement::Column::Rule.eq(rule.code))
        .filter(acknowledgement::Column::NodeId.eq(node))
        .one(&e.w.txn)
        .await?
    {
        return Err(AppError::invalid(
            "nodeId",
            format!(
                "this finding is already acknowledged ({})",
                ids::encode(NodeKind::Acknowledgement, existing.id)
            ),
        ));
    }
    let today = Utc::now().date_naive();
    let findings =
        crate::checks::check_organisation(&e.w.txn, &e.state.adequacy, organisation, today).await?;
    if !findings
        .iter()
        .any(|f| f.rule.code == rule.code && f.hit.id == node)
    {
        return Err(AppError::invalid(
            "rule",
            format!("{} finds nothing on this node today", rule.code),
        ));
    }
    let model = write::insert(
        &e.w,
        acknowledgement::Model {
            id: new_id(),
            organisation_id: organisation,
            rule: rule.code.to_owned(),
            node_id: node,
            reason,
            account_id: e.w.author.account_id,
            created_at: e.w.now,
            updated_at: e.w.now,
            version: 1,
        },
        None,
    )
    .await?;
    e.w.commit().await?;
    Ok(model)
}

/// Withdraws an acknowledgement (takes `acknowledge`): the finding counts again.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn withdraw(actor: Actor<'_>, id: &str, version: i32) -> AppResult<()> {
    let e = Editing::begin(actor).await?;
    let uuid = ids::decode_as(NodeKind::Acknowledgement, id, "id")?;
    let what = || format!("acknowledgement {id}");
    let current = write::find::<acknowledgement::Model>(&e.w, uuid)
        .await?
        .ok_or_else(|| AppError::NotFound(what()))?;
    e.require(
        Action::Acknowledge,
        Scope::Organisation(current.organisation_id),
        what,
    )?;
    write::check_version(&current, version)?;
    write::delete(&e.w, &current, version, None).await?;
    e.w.commit().await?;
    Ok(())
}
