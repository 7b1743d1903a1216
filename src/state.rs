//! What every request handler shares.

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::authz::Authz;
use crate::domain::adequacy::AdequacyList;
use crate::error::Cause;
use crate::write::WriteGate;

/// The service state: cheap to clone, shared by the router and the GraphQL schema.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub authz: Authz,
    /// The adequacy decisions shipped with the service.
    pub adequacy: Arc<AdequacyList>,
    /// The queue of this process's writers (used on SQLite, which has one writer at a time).
    pub write_gate: WriteGate,
}

impl AppState {
    /// The state over an open database, with the authorization policy and the adequacy list
    /// loaded (a broken one stops the service at start, not at a request).
    pub fn new(db: DatabaseConnection) -> Result<Self, Cause> {
        Ok(Self {
            db,
            authz: Authz::new()?,
            adequacy: Arc::new(AdequacyList::shipped()?),
            write_gate: WriteGate::default(),
        })
    }
}
