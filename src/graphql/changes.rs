//! Change notifications over GraphQL: the `graphChanges` subscription.

use async_graphql::{Context, Object, Result, Subscription, ID};
use futures_util::stream::{self, Stream};
use sea_orm::DatabaseConnection;
use tokio::sync::broadcast::{self, error::RecvError};
use uuid::Uuid;

use super::audit::{public_id, type_name, AuditAction};
use super::connection::{decisions, readable};
use super::Organisation;
use crate::audit::IDENTITY_KINDS;
use crate::authz::Decisions;
use crate::changes::GraphChange;
use crate::error::{AppError, GqlResult};
use crate::ids::{self, NodeKind};
use crate::service::reads;
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
    /// an organisation it may not read answers NOT_FOUND. The stream ends (`complete`) within a
    /// second of the revocation or expiry of the token it was opened with. Delivery is at most
    /// once: to catch up after a gap, read `auditEvents(since:)`.
    async fn graph_changes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The organisation's slug.")] organisation: String,
        #[graphql(
            desc = "Only changes to nodes of these GraphQL types (e.g. `[\"Recipient\", \"Transfer\"]`); all when omitted."
        )]
        node_types: Option<Vec<String>>,
    ) -> Result<impl Stream<Item = GraphChangeEvent>> {
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
        let found = crate::service::notices::organisation_by_slug(state, &organisation)
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
                && !IDENTITY_KINDS.contains(&change.node_kind.as_str())
                && tables
                    .as_ref()
                    .is_none_or(|t| t.contains(&change.node_kind.as_str()))
                && {
                    let (action, scope) = change.read_rule();
                    decisions.allows(action, scope)
                }
        };
        // Listening already: a revocation from now on is heard; one before is seen here.
        let token = match caller.actor().token_id {
            Some(id) => Some(TokenWatch::start(state.db.clone(), id).await.gql()?),
            None => None,
        };
        let live = Live {
            receiver,
            wanted,
            token,
        };
        Ok(stream::unfold(live, |mut live| async move {
            let change = live.next().await?;
            Some((GraphChangeEvent(change), live))
        }))
    }
}

/// An open subscription: the changes it hears, which of them it sends, and the token it was
/// opened with, whose revocation or expiry ends it.
struct Live<F> {
    receiver: broadcast::Receiver<GraphChange>,
    wanted: F,
    token: Option<TokenWatch>,
}

impl<F: Fn(&GraphChange) -> bool> Live<F> {
    /// The next change to send; none once the stream ends.
    async fn next(&mut self) -> Option<GraphChange> {
        loop {
            let expires = self.token.as_ref().and_then(|t| t.expires);
            let received = match expires {
                Some(at) => tokio::select! {
                    received = self.receiver.recv() => received,
                    () = tokio::time::sleep_until(at) => return None,
                },
                None => self.receiver.recv().await,
            };
            match received {
                Ok(change) if self.token.as_ref().is_some_and(|t| t.ended_by(&change)) => {
                    return None
                }
                Ok(change) if (self.wanted)(&change) => return Some(change),
                Ok(_) => continue,
                Err(RecvError::Lagged(skipped)) => {
                    tracing::warn!(skipped, "a subscriber fell behind; changes skipped");
                    // The revocation may have been among the skipped changes.
                    if let Some(token) = &self.token {
                        if !token.still_valid().await {
                            return None;
                        }
                    }
                    continue;
                }
                Err(RecvError::Closed) => return None,
            }
        }
    }
}

/// The token behind a subscription.
struct TokenWatch {
    db: DatabaseConnection,
    id: Uuid,
    /// When the token expires, as a time of this process's clock.
    expires: Option<tokio::time::Instant>,
}

impl TokenWatch {
    /// Reads the token once; UNAUTHENTICATED when it is no longer valid.
    async fn start(db: DatabaseConnection, id: Uuid) -> Result<Self, AppError> {
        let token = reads::token(&db, id)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        let now = crate::db::now();
        if token.revoked_at.is_some() || token.expires_at.is_some_and(|e| e <= now) {
            return Err(AppError::Unauthenticated);
        }
        let expires = token.expires_at.map(|at| {
            let left = (at - now).to_std().unwrap_or_default();
            tokio::time::Instant::now() + left
        });
        Ok(Self { db, id, expires })
    }

    /// Whether `change` ends the token: any change to it but its creation is its revocation.
    fn ended_by(&self, change: &GraphChange) -> bool {
        change.node_kind == "api_token" && change.node_id == self.id && change.action != "create"
    }

    /// Whether the token still works (read again; a failed read counts as no).
    async fn still_valid(&self) -> bool {
        match reads::token(&self.db, self.id).await {
            Ok(Some(token)) => {
                token.revoked_at.is_none() && token.expires_at.is_none_or(|e| e > crate::db::now())
            }
            Ok(None) => false,
            Err(err) => {
                tracing::error!(error = %err, "cannot read the token of a subscription");
                false
            }
        }
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
