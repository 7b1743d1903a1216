//! What every request handler shares.

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::authz::Authz;
use crate::config::Settings;
use crate::domain::adequacy::AdequacyList;
use crate::error::Cause;
use crate::identity::TokenCache;
use crate::metrics::Metrics;
use crate::rate_limit::RateLimits;
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
    /// The limits and switches the router and the schema are built with.
    pub settings: Arc<Settings>,
    /// What each caller has left of its request rate.
    pub rate_limits: RateLimits,
    /// What each client address has left of its request rate, checked before its token is.
    pub address_limits: RateLimits,
    /// The counters and histograms `/metrics` serves.
    pub metrics: Metrics,
    /// The actors of recently authenticated tokens.
    pub tokens: TokenCache,
}

impl AppState {
    /// The state over an open database with the default settings, the authorization policy
    /// and the adequacy list loaded (a broken one stops the service at start, not at a request).
    pub fn new(db: DatabaseConnection) -> Result<Self, Cause> {
        Self::with_settings(db, Settings::default())
    }

    /// The state with `settings`.
    pub fn with_settings(db: DatabaseConnection, settings: Settings) -> Result<Self, Cause> {
        Ok(Self {
            db,
            authz: Authz::new()?,
            adequacy: Arc::new(AdequacyList::shipped()?),
            write_gate: WriteGate::default(),
            rate_limits: RateLimits::new(settings.rate_limit_per_minute),
            address_limits: RateLimits::new(settings.address_rate_limit_per_minute),
            settings: Arc::new(settings),
            metrics: Metrics::default(),
            tokens: TokenCache::default(),
        })
    }
}

impl AppState {
    /// The actor a bearer token stands for (see [`TokenCache`]).
    pub async fn authenticate(&self, secret: &str) -> crate::error::AppResult<crate::authz::Actor> {
        self.tokens
            .authenticate(&self.db, &self.write_gate.changes, secret)
            .await
    }
}
