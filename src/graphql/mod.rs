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

/// The schema's builder over the service state, with its settings and no extensions.
fn builder(state: AppState) -> async_graphql::SchemaBuilder<Query, Mutation, Subscription> {
    let settings = state.settings.clone();
    let mut builder = Schema::build(Query::default(), Mutation::default(), Subscription)
        .data(state)
        // async-graphql's own check of nesting expands fragments without memory, so its work
        // doubles with each level of fragments spreading fragments twice: bound it close to
        // the depth limit (fragments count as levels there), before anything else runs.
        .limit_recursive_depth(limits::recursion_limit(&settings.limits));
    if !settings.introspection {
        // Suggestions ("did you mean …") would tell the schema piece by piece.
        builder = builder.disable_introspection().disable_suggestions();
    }
    builder
}

/// Builds the schema of subscriptions (`/graphql/ws`), whose requests the WebSocket server
/// runs itself: the request-level checks of [`Api::execute`] are extensions of it.
pub fn build_schema(state: AppState) -> RopaSchema {
    let limits = state.settings.limits;
    builder(state)
        .extension(limits::Limiter(limits))
        .extension(strings::StringArguments)
        .extension(RequestLoaders)
        .extension(OperationMetrics)
        .finish()
}

/// The API at `/graphql`: a schema without extensions, so that no field of an answer passes
/// through a hook (async-graphql calls every extension for every field it resolves once there
/// is one), and the checks, loaders and metrics of each request done once around it.
#[derive(Clone)]
pub struct Api {
    schema: RopaSchema,
    state: AppState,
    /// The types of the schema, for measuring documents.
    registry: Arc<async_graphql::registry::Registry>,
}

impl Api {
    pub fn new(state: AppState) -> Self {
        Self {
            schema: builder(state.clone()).finish(),
            state,
            registry: Arc::new(registry()),
        }
    }

    /// Runs one request: parsed, checked against the limits and for refused characters,
    /// executed with its own loaders under its own wave scheduler, counted in the metrics, its
    /// cost reported.
    pub async fn execute(&self, mut request: Request) -> Response {
        let started = std::time::Instant::now();
        let authenticated = authenticated(&request);
        let mut name = authenticated.then(|| request.operation_name.clone());
        let limits = self.state.settings.limits;
        let admitted = async_graphql::parser::parse_query(&request.query)
            .map_err(async_graphql::ServerError::from)
            .and_then(|document| {
                strings::check_document(&document, &request.variables)?;
                let measure =
                    limits::admit(&self.registry, &document, &request.variables, &limits)?;
                Ok((document, measure))
            });
        let response = match admitted {
            Err(error) => Response::from_errors(vec![error]),
            Ok((document, measure)) => {
                if let Some(name @ None) = &mut name {
                    *name = only_operation(&document);
                }
                request.set_parsed_query(document);
                let charges = Arc::new(limits::Charges::new(&measure, &limits));
                let request = request.data(charges.clone());
                let scheduler = Arc::new(Scheduler::default());
                let request = loader::loaders_for(&self.state.db, &scheduler, request);
                let mut response = scheduler.gate(self.schema.execute(request)).await;
                response.errors = response.errors.into_iter().map(limits::coded).collect();
                measure.report(&mut response, &limits, charges.used());
                response
            }
        };
        self.state.metrics.operation(
            name.as_ref().map(Option::as_deref),
            &outcome(&response),
            started.elapsed(),
        );
        response
    }
}

/// The types of the schema, as the schema registers them, for measuring documents.
fn registry() -> async_graphql::registry::Registry {
    use async_graphql::registry::{MetaTypeName, Registry};
    use async_graphql::SubscriptionType;
    let mut registry = Registry::default();
    let name = |ty: String| MetaTypeName::concrete_typename(&ty).to_owned();
    registry.query_type = name(<Query as async_graphql::OutputType>::create_type_info(
        &mut registry,
    ));
    registry.mutation_type = Some(name(
        <Mutation as async_graphql::OutputType>::create_type_info(&mut registry),
    ));
    registry.subscription_type = Some(name(<Subscription as SubscriptionType>::create_type_info(
        &mut registry,
    )));
    registry
}

/// Whether the request's caller is authenticated (its data holds the caller's decisions).
fn authenticated(request: &Request) -> bool {
    request
        .data
        .get(&std::any::TypeId::of::<crate::authz::Decisions>())
        .and_then(|d| d.downcast_ref::<crate::authz::Decisions>())
        .is_some_and(|d| !d.actor().is_anonymous())
}

/// The name of a document's only operation, when it has one.
fn only_operation(document: &async_graphql::parser::types::ExecutableDocument) -> Option<String> {
    match &document.operations {
        async_graphql::parser::types::DocumentOperations::Multiple(operations)
            if operations.len() == 1 =>
        {
            operations.keys().next().map(|n| n.to_string())
        }
        _ => None,
    }
}

/// A response's outcome in the metrics: `OK`, or its first error's code.
fn outcome(response: &Response) -> String {
    match response.errors.first() {
        None => "OK".to_owned(),
        Some(error) => match error.extensions.as_ref().and_then(|x| x.get("code")) {
            Some(async_graphql::Value::String(code)) => code.clone(),
            _ => "ERROR".to_owned(),
        },
    }
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
            let outcome = outcome(&response);
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
        *self.name() = authenticated(&request).then(|| request.operation_name.clone());
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
            *name = only_operation(&document);
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
