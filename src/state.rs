//! What every request handler shares.

use sea_orm::DatabaseConnection;

/// The service state: cheap to clone, shared by the router and the GraphQL schema.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
}

impl AppState {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}
