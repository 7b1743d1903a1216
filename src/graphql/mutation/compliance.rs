//! Acknowledging compliance findings, and withdrawing an acknowledgement.

use async_graphql::{Context, InputObject, Object, Result, SimpleObject, ID};
use chrono::Utc;
use uuid::Uuid;

use super::common::{DeleteInput, DeletePayload, Editing};
use crate::authz::{Action, Scope};
use crate::error::{AppError, AppResult, GqlResult};
use crate::graphql::compliance::AcknowledgementNode;
use crate::ids::{self, new_id, NodeKind};
use crate::write::{self, Write};
use entity::acknowledgement;

/// A finding to accept: the rule, the node, and why.
#[derive(InputObject)]
pub struct AcknowledgeFindingInput {
    /// The rule's code, as a finding gives it (`NO_RETENTION`, …).
    pub rule: String,
    /// The node the finding is on.
    pub node_id: ID,
    /// Why the finding is accepted (1 to 2,000 characters); kept with the person who decided.
    pub reason: String,
}

/// The acknowledgement made.
#[derive(SimpleObject)]
pub struct AcknowledgeFindingPayload {
    /// It: the finding no longer counts, and shows this acknowledgement.
    pub acknowledgement: AcknowledgementNode,
}

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

#[derive(Default)]
pub struct ComplianceMutation;

#[Object]
impl ComplianceMutation {
    /// Accepts a finding with a reason (takes `acknowledge`: roles dpo and admin). It stays in
    /// reports, marked, but no longer counts, and `ropa check` no longer fails on it. Refused
    /// when the rule finds nothing on the node today, or it is already acknowledged.
    async fn acknowledge_finding(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to acknowledge.")] input: AcknowledgeFindingInput,
    ) -> Result<AcknowledgeFindingPayload> {
        async {
            let e = Editing::begin(ctx).await?;
            let rule = crate::checks::rule(input.rule.trim()).ok_or_else(|| {
                AppError::invalid(
                    "rule",
                    format!("no rule `{}`; `complianceRules` lists them", input.rule),
                )
            })?;
            let (kind, node) = ids::decode(&input.node_id).ok_or_else(|| {
                AppError::invalid("nodeId", "must be the ID of a node of the graph")
            })?;
            let what = || format!("node {}", input.node_id.as_str());
            let organisation = organisation_of(&e.w, kind, node)
                .await?
                .ok_or_else(|| AppError::NotFound(what()))?;
            e.require(Action::Acknowledge, Scope::Organisation(organisation), what)?;
            let reason = input.reason.trim().to_owned();
            crate::domain::formats::length("reason", &reason, 1, 2000)?;
            use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
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
                crate::checks::check_organisation(&e.w.txn, &e.state.adequacy, organisation, today)
                    .await?;
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
            Ok::<_, AppError>(AcknowledgeFindingPayload {
                acknowledgement: AcknowledgementNode(model),
            })
        }
        .await
        .gql()
    }

    /// Withdraws an acknowledgement (takes `acknowledge`): the finding counts again.
    async fn withdraw_acknowledgement(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The acknowledgement and the version last read.")] input: DeleteInput,
    ) -> Result<DeletePayload> {
        async {
            let e = Editing::begin(ctx).await?;
            let id = ids::decode_as(NodeKind::Acknowledgement, &input.id, "id")?;
            let what = || format!("acknowledgement {}", input.id.as_str());
            let current = write::find::<acknowledgement::Model>(&e.w, id)
                .await?
                .ok_or_else(|| AppError::NotFound(what()))?;
            e.require(
                Action::Acknowledge,
                Scope::Organisation(current.organisation_id),
                what,
            )?;
            write::check_version(&current, input.version)?;
            write::delete(&e.w, &current, input.version, None).await?;
            e.w.commit().await?;
            Ok::<_, AppError>(DeletePayload {
                deleted_id: input.id.clone(),
            })
        }
        .await
        .gql()
    }
}
