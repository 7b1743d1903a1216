//! Change notifications over GraphQL: the `graphChanges` subscription.

use async_graphql::{Context, Object, Result, Subscription, ID};
use futures_util::stream::{self, Stream};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use tokio::sync::broadcast::error::RecvError;

use super::audit::{public_id, type_name, AuditAction};
use super::connection::{decisions, readable};
use super::Organisation;
use crate::authz::Decisions;
use crate::changes::GraphChange;
use crate::error::{AppError, GqlResult};
use crate::ids::{self, NodeKind};
use crate::state::AppState;

/// The GraphQL types whose changes can be asked for in `nodeTypes`, with their tables.
const NODE_TYPES: [(&str, &str); 14] = [
    ("Organisation", "organisation"),
    ("Contact", "contact"),
    ("Party", "party"),
    ("Register", "register"),
    ("ProcessingActivity", "processing_activity"),
    ("DataSubjectCategory", "data_subject_category"),
    ("PersonalDataCategory", "personal_data_category"),
    ("DataSource", "data_source"),
    ("Recipient", "recipient"),
    ("SecurityMeasure", "security_measure"),
    ("Transfer", "transfer"),
    ("RetentionRule", "retention_rule"),
    ("Acknowledgement", "acknowledgement"),
    ("NoticeVersion", "notice_version"),
];

/// One committed change to a node of an organisation's graph.
pub struct GraphChangeEvent(GraphChange);

/// One committed change to a node of an organisation's graph.
#[Object]
impl GraphChangeEvent {
    /// The organisation whose graph changed.
    async fn organisation_id(&self) -> ID {
        ID(ids::encode(NodeKind::Organisation, self.0.organisation_id))
    }

    /// The GraphQL type of the node changed (`Register`, `Transfer`, …).
    async fn node_type(&self) -> String {
        type_name(&self.0.node_kind)
    }

    /// The ID of the node changed (after a deletion it no longer exists).
    async fn node_id(&self) -> ID {
        ID(public_id(&self.0.node_kind, self.0.node_id))
    }

    /// What the change did.
    async fn action(&self) -> AuditAction {
        match self.0.action.as_str() {
            "create" => AuditAction::Create,
            "delete" => AuditAction::Delete,
            _ => AuditAction::Update,
        }
    }

    /// The node's version after the change (for a deletion, the version it would have had).
    async fn version(&self) -> Option<i32> {
        self.0.version
    }

    /// The register the node belongs to, for registers and what is read per register
    /// (activities, transfers, retention rules, notice versions).
    async fn register_id(&self) -> Option<ID> {
        let register = match self.0.node_kind.as_str() {
            "register" => Some(self.0.node_id),
            _ => self.0.register_id,
        };
        register.map(|id| ID(ids::encode(NodeKind::Register, id)))
    }
}

/// The subscription root.
#[derive(Default)]
pub struct Subscription;

/// The subscription root.
#[Subscription]
impl Subscription {
    /// Every change committed to the graph of an organisation from now on, through any instance
    /// of the service, as it commits: the node's type and ID, the action and the new version.
    /// Only changes to nodes the subscriber may read are sent (the same rules as queries);
    /// an organisation it may not read answers NOT_FOUND. Delivery is at most once: to catch
    /// up after a gap, read `auditEvents(since:)`.
    async fn graph_changes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The organisation's slug.")] organisation: String,
        #[graphql(
            desc = "Only changes to nodes of these GraphQL types (e.g. `[\"Recipient\", \"Transfer\"]`); all when omitted."
        )]
        node_types: Option<Vec<String>>,
    ) -> Result<impl Stream<Item = GraphChangeEvent>> {
        use entity::organisation::{Column, Entity};
        let state = ctx.data::<AppState>()?;
        let tables = match node_types {
            None => None,
            Some(types) => Some(
                types
                    .iter()
                    .map(|t| table_of(t))
                    .collect::<Result<Vec<_>, _>>()
                    .gql()?,
            ),
        };
        let found = Entity::find()
            .filter(Column::Slug.eq(organisation.as_str()))
            .one(&state.db)
            .await
            .gql()?;
        let organisation = match found {
            Some(model) if readable::<Organisation>(ctx, &model)? => model,
            _ => return Err(AppError::NotFound(format!("organisation {organisation}"))).gql(),
        };
        let caller = decisions(ctx)?;
        let decisions = Decisions::new(state.authz.clone(), caller.actor().clone());
        let receiver = state.write_gate.changes.subscribe(&state.db).await.gql()?;
        let wanted = move |change: &GraphChange| {
            change.organisation_id == organisation.id
                && tables
                    .as_ref()
                    .is_none_or(|t| t.contains(&change.node_kind.as_str()))
                && {
                    let (action, scope) = change.read_rule();
                    decisions.allows(action, scope)
                }
        };
        Ok(stream::unfold(
            (receiver, wanted),
            |(mut receiver, wanted)| async move {
                loop {
                    match receiver.recv().await {
                        Ok(change) if wanted(&change) => {
                            return Some((GraphChangeEvent(change), (receiver, wanted)))
                        }
                        Ok(_) => continue,
                        Err(RecvError::Lagged(skipped)) => {
                            tracing::warn!(skipped, "a subscriber fell behind; changes skipped");
                            continue;
                        }
                        Err(RecvError::Closed) => return None,
                    }
                }
            },
        ))
    }
}

/// The table of a GraphQL node type, or BAD_USER_INPUT naming `nodeTypes`.
fn table_of(node_type: &str) -> Result<&'static str, AppError> {
    NODE_TYPES
        .iter()
        .find(|(name, _)| *name == node_type)
        .map(|(_, table)| *table)
        .ok_or_else(|| {
            let names: Vec<&str> = NODE_TYPES.iter().map(|(name, _)| *name).collect();
            AppError::invalid(
                "nodeTypes",
                format!("`{node_type}` is not one of {}", names.join(", ")),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_types_name_their_tables() {
        for (name, table) in NODE_TYPES {
            assert_eq!(table_of(name).unwrap(), table);
            assert_eq!(type_name(table), name);
        }
        let err = table_of("Nope").unwrap_err();
        assert!(err.to_string().starts_with("nodeTypes:"), "{err}");
    }
}
