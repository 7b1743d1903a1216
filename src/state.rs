//! What every request handler shares.

use sea_orm::DatabaseConnection;

use crate::authz::{Authz, PolicyError};

/// The service state: cheap to clone, shared by the router and the GraphQL schema.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub authz: Authz,
}

impl AppState {
    /// The state over an open database, with the authorization policy loaded.
    pub fn new(db: DatabaseConnection) -> Result<Self, PolicyError> {
        Ok(Self {
            db,
            authz: Authz::new()?,
        })
    }
}
