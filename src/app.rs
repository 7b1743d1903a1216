//! The HTTP surface: GraphQL, GraphiQL and the health probes.

use async_graphql::http::GraphiQLSource;
use async_graphql_axum::{GraphQLRequest, GraphQLResponse};
use axum::extract::{MatchedPath, State};
use axum::http::{Request, StatusCode};
use axum::response::{Html, IntoResponse};
use axum::routing::{get, post};
use axum::Router;
use tower_http::trace::TraceLayer;

use crate::graphql::{build_schema, RopaSchema};
use crate::state::AppState;

#[derive(Clone)]
struct RouterState {
    app: AppState,
    schema: RopaSchema,
}

/// The service's router over `state`.
pub fn router(state: AppState) -> Router {
    let schema = build_schema(state.clone());
    Router::new()
        .route("/graphql", post(graphql))
        .route("/graphiql", get(graphiql))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .with_state(RouterState { app: state, schema })
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
                let path = request
                    .extensions()
                    .get::<MatchedPath>()
                    .map(MatchedPath::as_str)
                    .unwrap_or("unmatched");
                tracing::info_span!("request", method = %request.method(), path)
            }),
        )
}

async fn graphql(State(state): State<RouterState>, request: GraphQLRequest) -> GraphQLResponse {
    state.schema.execute(request.into_inner()).await.into()
}

async fn graphiql() -> impl IntoResponse {
    Html(GraphiQLSource::build().endpoint("/graphql").finish())
}

/// Up: the process answers.
async fn healthz() -> &'static str {
    "ok"
}

/// Ready: the database answers too.
async fn readyz(State(state): State<RouterState>) -> impl IntoResponse {
    if crate::db::ping(&state.app.db).await {
        (StatusCode::OK, "ready")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
    }
}
