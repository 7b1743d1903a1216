//! The GraphQL API: one module per family of objects, roots merged here.

mod account;
mod activity;
mod adequacy;
mod audit;
mod batch;
mod changes;
pub(crate) mod compliance;
mod connection;
mod contact;
mod edges;
mod enums;
mod flows;
mod loader;
mod mutation;
mod node;
mod notice;
mod organisation;
mod party;
mod register;
mod retention;
mod text;
mod transfer;
mod vocabulary;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextPrepareRequest,
};
use async_graphql::{MergedObject, Request, Response, Schema, ServerResult};
use std::sync::Arc;

pub use activity::*;
pub use adequacy::AdequacyDecision;
pub use contact::*;
pub use notice::{
    default_language as default_notice_language, published as published_notice, register_by_slugs,
    NoticeVersion,
};
pub use organisation::*;
pub use party::*;
pub use register::*;
pub use retention::*;
pub use transfer::*;
pub use vocabulary::*;

use crate::state::AppState;

/// The query root: every root field of every module.
#[derive(MergedObject, Default)]
pub struct Query(
    organisation::OrganisationQuery,
    node::NodeQuery,
    account::AccountQuery,
    adequacy::AdequacyQuery,
    notice::NoticeQuery,
    compliance::ComplianceQuery,
);

/// The mutation root: every mutation of every module.
#[derive(MergedObject, Default)]
pub struct Mutation(account::AccountMutation, mutation::GraphMutation);

/// The subscription root.
pub use changes::Subscription;

/// The schema type served at `/graphql` (and its subscriptions at `/graphql/ws`).
pub type RopaSchema = Schema<Query, Mutation, Subscription>;

/// Builds the schema over the service state.
pub fn build_schema(state: AppState) -> RopaSchema {
    Schema::build(Query::default(), Mutation::default(), Subscription)
        .data(state)
        .extension(RequestLoaders)
        .extension(async_graphql::extensions::Tracing)
        .finish()
}

/// The schema in SDL, as checked in at `schema.graphql`.
pub fn sdl() -> String {
    Schema::build(Query::default(), Mutation::default(), Subscription)
        .finish()
        .sdl()
}

/// Gives every request its own data loaders, so batching and caching never cross requests,
/// and runs the request under its own wave [`batch::Scheduler`].
struct RequestLoaders;

impl ExtensionFactory for RequestLoaders {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(RequestScope {
            scheduler: Arc::new(batch::Scheduler::default()),
        })
    }
}

struct RequestScope {
    scheduler: Arc<batch::Scheduler>,
}

#[async_graphql::async_trait::async_trait]
impl Extension for RequestScope {
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        let request = match ctx.data::<AppState>() {
            Ok(state) => loader::loaders_for(&state.db, &self.scheduler, request),
            Err(_) => request,
        };
        next.run(ctx, request).await
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        self.scheduler.gate(next.run(ctx, operation_name)).await
    }
}
