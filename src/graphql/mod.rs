//! The GraphQL API: one module per family of objects, roots merged here.

mod account;
mod activity;
mod adequacy;
mod audit;
mod changes;
pub(crate) mod compliance;
mod connection;
mod contact;
mod edges;
mod enums;
mod flows;
pub mod limits;
mod loader;
mod mutation;
mod node;
mod notice;
mod organisation;
mod party;
mod register;
mod retention;
mod strings;
mod text;
mod transfer;
mod vocabulary;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextParseQuery, NextPrepareRequest,
    NextRequest,
};
use async_graphql::{MergedObject, Request, Response, Schema, ServerResult};
use std::sync::Arc;

pub use crate::config::QueryLimits;
pub use activity::*;
pub use adequacy::AdequacyDecision;
pub use contact::*;
pub use notice::NoticeVersion;
pub use organisation::*;
pub use party::*;
pub use register::*;
pub use retention::*;
pub use transfer::*;
pub use vocabulary::*;

use crate::state::AppState;
use crate::storage::batch::Scheduler;

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
    let settings = state.settings.clone();
    let mut builder = Schema::build(Query::default(), Mutation::default(), Subscription)
        .data(state)
        .extension(limits::Limiter(settings.limits))
        // async-graphql's own check of nesting expands fragments without memory, so its work
        // doubles with each level of fragments spreading fragments twice: bound it close to
        // the depth limit (fragments count as levels there), before anything else runs.
        .limit_recursive_depth(limits::recursion_limit(&settings.limits))
        .extension(strings::StringArguments)
        .extension(RequestLoaders)
        .extension(OperationMetrics)
        .extension(async_graphql::extensions::Tracing);
    if !settings.introspection {
        // Suggestions ("did you mean …") would tell the schema piece by piece.
        builder = builder.disable_introspection().disable_suggestions();
    }
    builder.finish()
}

/// The schema in SDL, as checked in at `schema.graphql`.
pub fn sdl() -> String {
    Schema::build(Query::default(), Mutation::default(), Subscription)
        .finish()
        .sdl()
}

/// Counts each operation by its name and outcome, with its time, in [`crate::metrics`]. The
/// name is the request's `operationName` or, without one, the document's only named operation.
struct OperationMetrics;

impl ExtensionFactory for OperationMetrics {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(OperationScope::default())
    }
}

#[derive(Default)]
struct OperationScope {
    /// The operation's name; `None` for an unauthenticated caller, whose names are not kept
    /// (anonymous callers could otherwise fill every label slot with names of their own).
    name: std::sync::Mutex<Option<Option<String>>>,
}

impl OperationScope {
    fn name(&self) -> std::sync::MutexGuard<'_, Option<Option<String>>> {
        self.name
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for OperationScope {
    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        let started = std::time::Instant::now();
        let response = next.run(ctx).await;
        if let Ok(state) = ctx.data::<AppState>() {
            let outcome = match response.errors.first() {
                None => "OK".to_owned(),
                Some(error) => match error.extensions.as_ref().and_then(|x| x.get("code")) {
                    Some(async_graphql::Value::String(code)) => code.clone(),
                    _ => "ERROR".to_owned(),
                },
            };
            let name = self.name().clone();
            state.metrics.operation(
                name.as_ref().map(Option::as_deref),
                &outcome,
                started.elapsed(),
            );
        }
        response
    }

    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        // The request's data holds the caller's decisions (the `request` hook runs before it
        // is attached to the context).
        let authenticated = request
            .data
            .get(&std::any::TypeId::of::<crate::authz::Decisions>())
            .and_then(|d| d.downcast_ref::<crate::authz::Decisions>())
            .is_some_and(|d| !d.actor().is_anonymous());
        *self.name() = authenticated.then(|| request.operation_name.clone());
        next.run(ctx, request).await
    }

    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &async_graphql::Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<async_graphql::parser::types::ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
        let mut guard = self.name();
        // Only an authenticated caller's operation without an `operationName` is named here.
        if let Some(name @ None) = &mut *guard {
            if let async_graphql::parser::types::DocumentOperations::Multiple(operations) =
                &document.operations
            {
                if operations.len() == 1 {
                    *name = operations.keys().next().map(|n| n.to_string());
                }
            }
        }
        drop(guard);
        Ok(document)
    }
}

/// Gives every request its own data loaders, so batching and caching never cross requests,
/// and runs the request under its own wave [`Scheduler`].
struct RequestLoaders;

impl ExtensionFactory for RequestLoaders {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(RequestScope {
            scheduler: Arc::new(Scheduler::default()),
        })
    }
}

struct RequestScope {
    scheduler: Arc<Scheduler>,
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
