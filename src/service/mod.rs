//! The use cases of the service, one function each: what happens on "update a processing
//! activity", "publish a notice", "acknowledge a finding", "grant a role".
//!
//! A use case takes the [`Actor`] (the service state and the caller's permissions) and plain
//! domain inputs: IDs as strings, and a change as a function on the stored model. It loads what
//! it needs, authorizes, checks the [save rules](crate::save_rules), writes in one transaction
//! (which records the audit event and the change notification, see [`crate::write`]) and
//! returns domain results or an [`AppError`]. GraphQL resolvers, HTTP routes, the CLI and the
//! importer call these functions and convert their input and output; none of them queries the
//! database, records an audit event or notifies by itself (`tests/api/layers.rs` checks that).

pub mod accounts;
pub mod compliance;
pub mod graph;
pub mod import;
pub mod notices;
pub mod reads;

use chrono::Utc;

use crate::audit::Author;
use crate::authz::{Action, Decisions, Scope};
use crate::error::{AppError, AppResult};
use crate::ids;
use crate::save_rules::Rules;
use crate::state::AppState;
use crate::write::{self, Stored, Write};

/// Who is asking, and with what: the service state and the caller's permissions.
#[derive(Clone, Copy)]
pub struct Actor<'a> {
    pub state: &'a AppState,
    pub decisions: &'a Decisions,
}

impl<'a> Actor<'a> {
    pub fn new(state: &'a AppState, decisions: &'a Decisions) -> Self {
        Self { state, decisions }
    }

    /// A write by this caller, with its audit events.
    pub(crate) async fn write(&self) -> AppResult<Write> {
        Write::begin(
            &self.state.db,
            &self.state.write_gate,
            Author::api(self.decisions.actor()),
        )
        .await
    }
}

/// A use case's open write: the caller and the transaction.
pub struct Editing<'a> {
    pub state: &'a AppState,
    pub decisions: &'a Decisions,
    pub w: Write,
}

impl<'a> Editing<'a> {
    pub async fn begin(actor: Actor<'a>) -> AppResult<Self> {
        Ok(Self {
            state: actor.state,
            decisions: actor.decisions,
            w: actor.write().await?,
        })
    }

    pub fn rules(&self) -> Rules<'_> {
        Rules {
            w: &self.w,
            adequacy: &self.state.adequacy,
            today: Utc::now().date_naive(),
        }
    }

    /// `action` in `scope` is allowed; else FORBIDDEN to those who may see it, NOT_FOUND to
    /// others.
    pub fn require(
        &self,
        action: Action,
        scope: Scope,
        what: impl FnOnce() -> String,
    ) -> AppResult<()> {
        require(self.decisions, action, scope, what)
    }

    /// The stored node `id` names, which the caller must be allowed to edit.
    pub async fn editable<M: Stored>(&self, id: &str, field: &str) -> AppResult<M> {
        let uuid = ids::decode_as(M::KIND, id, field)?;
        let not_found = || AppError::NotFound(format!("{} {}", M::NOUN, id));
        let node = write::find::<M>(&self.w, uuid)
            .await?
            .ok_or_else(not_found)?;
        self.require(Action::Edit, node.edit_scope(), || {
            format!("{} {}", M::NOUN, id)
        })?;
        Ok(node)
    }
}

/// `action` in `scope` is allowed; else FORBIDDEN to those who may see it, NOT_FOUND to others
/// (whether it exists is not told to those who may not see it).
pub(crate) fn require(
    decisions: &Decisions,
    action: Action,
    scope: Scope,
    what: impl FnOnce() -> String,
) -> AppResult<()> {
    if decisions.allows(action, scope) {
        Ok(())
    } else if decisions.allows(Action::Read, scope) {
        Err(AppError::Forbidden(format!(
            "changing {} takes the `{}` permission",
            what(),
            action.as_str()
        )))
    } else {
        Err(AppError::NotFound(what()))
    }
}
