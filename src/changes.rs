//! Change notifications: one per audit event, announced only after its transaction commits.
//!
//! On PostgreSQL every write sends `pg_notify('ropa_changes', …)` inside its transaction, which
//! the database delivers at commit and never for a rollback; each process keeps one
//! `PgListener` on that channel and fans what it hears out to its subscribers through a
//! broadcast channel. So a change made through any instance reaches the subscribers of every
//! instance sharing the database, the writer's own included, by the one path. On SQLite (one
//! process) the write announces its changes to the broadcast channel itself, after commit.
//!
//! Delivery is at most once: a subscriber that falls more than [`CAPACITY`] changes behind
//! skips the ones it missed, and notifications sent while a listener reconnects are lost.
//! Subscribers that must not miss a change read `auditEvents` since the last one they saw.
//! Imports write no notifications: an import creates a new organisation, which nobody can
//! have subscribed to yet.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Weak};
use std::time::Duration;

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend};
use serde::{Deserialize, Serialize};
use tokio::sync::{broadcast, OnceCell};
use uuid::Uuid;

use crate::authz::{Action, Scope};
use crate::error::{AppError, AppResult};

/// The PostgreSQL notification channel.
pub const CHANNEL: &str = "ropa_changes";

/// How many changes a subscriber may fall behind before it skips some.
pub const CAPACITY: usize = 1024;

/// One committed change to the graph of an organisation, as announced.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GraphChange {
    pub organisation_id: Uuid,
    /// The register the node belongs to, for nodes read per register.
    pub register_id: Option<Uuid>,
    /// The table of the node (the `node_kind` of its audit event).
    pub node_kind: String,
    pub node_id: Uuid,
    /// `create`, `update` or `delete`.
    pub action: String,
    /// The node's version after the change.
    pub version: Option<i32>,
}

/// The kinds of node whose change may change what a bearer token stands for.
const IDENTITY_KINDS: [&str; 3] = ["account", "membership", "api_token"];

impl GraphChange {
    /// Whether the change is to an account, a role or a token, which the cache of
    /// authenticated tokens ([`crate::identity::TokenCache`]) must forget.
    pub fn is_identity(&self) -> bool {
        IDENTITY_KINDS.contains(&self.node_kind.as_str())
    }

    /// What reading the changed node takes, and where: the read rule of its GraphQL type, so
    /// that a subscriber hears of exactly the changes to nodes it could read.
    pub fn read_rule(&self) -> (Action, Scope) {
        let organisation = Scope::Organisation(self.organisation_id);
        match (self.node_kind.as_str(), self.register_id) {
            ("contact", _) => (Action::ReadContacts, organisation),
            ("security_measure", _) => (Action::ReadSecurity, organisation),
            ("register", _) => (
                Action::Read,
                Scope::Register {
                    id: self.node_id,
                    organisation: self.organisation_id,
                },
            ),
            (_, Some(register)) => (
                Action::Read,
                Scope::Register {
                    id: register,
                    organisation: self.organisation_id,
                },
            ),
            _ => (Action::Read, organisation),
        }
    }
}

/// Where committed changes are announced to this process's subscribers. Cheap to clone.
#[derive(Clone)]
pub struct ChangeFeed {
    inner: Arc<Inner>,
}

struct Inner {
    sender: broadcast::Sender<GraphChange>,
    /// Set once this process listens on PostgreSQL.
    listening: OnceCell<()>,
    /// Counts the identity changes this process has heard of (its own writes' and, on
    /// PostgreSQL, every instance's): what an authenticated token remembered under an older
    /// count no longer holds.
    identity: AtomicU64,
}

impl Inner {
    fn identity_changed(&self) {
        self.identity.fetch_add(1, Ordering::AcqRel);
    }
}

impl Default for ChangeFeed {
    fn default() -> Self {
        let (sender, _) = broadcast::channel(CAPACITY);
        Self {
            inner: Arc::new(Inner {
                sender,
                listening: OnceCell::new(),
                identity: AtomicU64::new(0),
            }),
        }
    }
}

impl ChangeFeed {
    /// Announces committed changes to this process's subscribers (SQLite: the writer calls it
    /// after commit).
    pub fn announce(&self, changes: Vec<GraphChange>) {
        for change in changes {
            // No subscriber at the moment is not an error.
            let _ = self.inner.sender.send(change);
        }
    }

    /// How many identity changes this process has heard of.
    pub fn identity_generation(&self) -> u64 {
        self.inner.identity.load(Ordering::Acquire)
    }

    /// An account, a role or a token changed (called by the writer once committed, and by the
    /// listener for every instance's changes).
    pub fn identity_changed(&self) {
        self.inner.identity_changed();
    }

    /// A receiver of every change announced from now on (on PostgreSQL, once this process
    /// listens: the first subscriber waits for `LISTEN` to take effect).
    pub async fn subscribe(
        &self,
        db: &DatabaseConnection,
    ) -> AppResult<broadcast::Receiver<GraphChange>> {
        self.listen(db).await?;
        Ok(self.inner.sender.subscribe())
    }

    /// On PostgreSQL, starts this process's listener (once; later calls return at once).
    pub async fn listen(&self, db: &DatabaseConnection) -> AppResult<()> {
        if db.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        self.inner
            .listening
            .get_or_try_init(|| async {
                let pool = db.get_postgres_connection_pool();
                let mut listener = sea_orm::sqlx::postgres::PgListener::connect_with(pool)
                    .await
                    .map_err(listen_error)?;
                listener.listen(CHANNEL).await.map_err(listen_error)?;
                tokio::spawn(relay(listener, Arc::downgrade(&self.inner)));
                tracing::info!(channel = CHANNEL, "listening for changes");
                Ok::<(), AppError>(())
            })
            .await?;
        Ok(())
    }
}

fn listen_error(err: sea_orm::sqlx::Error) -> AppError {
    tracing::error!(error = %err, channel = CHANNEL, "cannot listen for changes");
    AppError::internal(err)
}

/// Passes what the listener hears to the broadcast channel, until the feed is dropped.
async fn relay(mut listener: sea_orm::sqlx::postgres::PgListener, feed: Weak<Inner>) {
    loop {
        let received = listener.recv().await;
        let Some(feed) = feed.upgrade() else {
            return;
        };
        match received {
            Ok(notification) => match serde_json::from_str::<GraphChange>(notification.payload()) {
                Ok(change) => {
                    if change.is_identity() {
                        feed.identity_changed();
                    }
                    let _ = feed.sender.send(change);
                }
                Err(err) => tracing::warn!(error = %err, "unreadable change notification"),
            },
            Err(err) => {
                // `recv` reconnects by itself; this is the reconnection failing.
                tracing::error!(error = %err, "change listener lost its connection; retrying");
                // Identity changes may be lost meanwhile: forget every remembered token.
                feed.identity_changed();
                drop(feed);
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(kind: &str, register: Option<Uuid>) -> GraphChange {
        GraphChange {
            organisation_id: Uuid::nil(),
            register_id: register,
            node_kind: kind.into(),
            node_id: Uuid::max(),
            action: "update".into(),
            version: Some(2),
        }
    }

    #[test]
    fn changes_are_read_like_their_nodes() {
        let org = Scope::Organisation(Uuid::nil());
        assert_eq!(
            change("contact", None).read_rule(),
            (Action::ReadContacts, org)
        );
        assert_eq!(
            change("security_measure", None).read_rule(),
            (Action::ReadSecurity, org)
        );
        assert_eq!(change("recipient", None).read_rule(), (Action::Read, org));
        let register = Uuid::now_v7();
        assert_eq!(
            change("transfer", Some(register)).read_rule(),
            (
                Action::Read,
                Scope::Register {
                    id: register,
                    organisation: Uuid::nil()
                }
            )
        );
        assert_eq!(
            change("register", None).read_rule().1,
            Scope::Register {
                id: Uuid::max(),
                organisation: Uuid::nil()
            }
        );
    }

    #[test]
    fn a_notification_fits_the_payload_limit() {
        let text =
            serde_json::to_string(&change("processing_activity", Some(Uuid::max()))).unwrap();
        assert!(text.len() < 8000, "{text}");
        assert_eq!(
            serde_json::from_str::<GraphChange>(&text).unwrap(),
            change("processing_activity", Some(Uuid::max()))
        );
    }
}
