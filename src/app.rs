//! The HTTP surface: GraphQL, GraphiQL and the health probes.

use async_graphql::http::GraphiQLSource;
use async_graphql_axum::{GraphQLRequest, GraphQLResponse};
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use serde_json::json;
use tower_http::trace::{DefaultOnRequest, DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::authz::{Actor, Decisions};
use crate::error::AppError;
use crate::graphql::{build_schema, RopaSchema};
use crate::identity;
use crate::state::AppState;

#[derive(Clone)]
struct RouterState {
    app: AppState,
    schema: RopaSchema,
}

/// The service's router over `state`.
pub fn router(state: AppState) -> Router {
    let schema = build_schema(state.clone());
    let state = RouterState { app: state, schema };
    let api = Router::new()
        .route("/graphql", post(graphql))
        .route_layer(middleware::from_fn_with_state(state.clone(), authenticate))
        .route_layer(middleware::from_fn(require_json));
    Router::new()
        .merge(api)
        .route("/graphiql", get(graphiql))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .with_state(state)
        .layer(
            // One line per request, when the response is sent: method, matched path, status, latency.
            TraceLayer::new_for_http()
                .make_span_with(|request: &Request<_>| {
                    let path = request
                        .extensions()
                        .get::<MatchedPath>()
                        .map(MatchedPath::as_str)
                        .unwrap_or("unmatched");
                    tracing::info_span!("request", method = %request.method(), path)
                })
                .on_request(DefaultOnRequest::new().level(Level::DEBUG))
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
}

/// `/graphql` takes only `application/json` bodies, so that a browser form (urlencoded,
/// multipart or text/plain, all sendable cross-site without a preflight) cannot carry a query.
async fn require_json(request: Request, next: Next) -> Response {
    if request.method() != axum::http::Method::POST {
        // The router answers other methods with 405.
        return next.run(request).await;
    }
    let json = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|media| media.trim().eq_ignore_ascii_case("application/json"));
    if json {
        return next.run(request).await;
    }
    let body = json!({ "errors": [{
        "message": "the request body must be JSON (Content-Type: application/json)",
        "extensions": { "code": "UNSUPPORTED_MEDIA_TYPE" }
    }] });
    (StatusCode::UNSUPPORTED_MEDIA_TYPE, Json(body)).into_response()
}

/// Turns the bearer token, if any, into the request's [`Actor`]. No header: anonymous. A header
/// with a bad, expired or revoked token: 401, never a silent downgrade to anonymous.
async fn authenticate(
    State(state): State<RouterState>,
    mut request: Request,
    next: Next,
) -> Response {
    let actor = match request.headers().get(header::AUTHORIZATION) {
        None => Actor::anonymous(),
        Some(value) => {
            let secret = value
                .to_str()
                .ok()
                .and_then(|v| v.strip_prefix("Bearer "))
                .map(str::trim);
            match secret {
                Some(secret) => match identity::authenticate(&state.app.db, secret).await {
                    Ok(actor) => actor,
                    Err(err) => return unauthenticated(err),
                },
                None => return unauthenticated(AppError::Unauthenticated),
            }
        }
    };
    request.extensions_mut().insert(actor);
    next.run(request).await
}

fn unauthenticated(err: AppError) -> Response {
    let (status, message) = match err {
        AppError::Unauthenticated => (
            StatusCode::UNAUTHORIZED,
            "the bearer token is not valid (unknown, expired or revoked)".to_owned(),
        ),
        other => {
            tracing::error!(error = ?other, "authentication failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal error".to_owned(),
            )
        }
    };
    let code = if status == StatusCode::UNAUTHORIZED {
        "UNAUTHENTICATED"
    } else {
        "INTERNAL_SERVER_ERROR"
    };
    let mut response = (
        status,
        Json(json!({ "errors": [{ "message": message, "extensions": { "code": code } }] })),
    )
        .into_response();
    if status == StatusCode::UNAUTHORIZED {
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    response
}

async fn graphql(
    State(state): State<RouterState>,
    Extension(actor): Extension<Actor>,
    request: GraphQLRequest,
) -> GraphQLResponse {
    let decisions = Decisions::new(state.app.authz.clone(), actor);
    state
        .schema
        .execute(request.into_inner().data(decisions))
        .await
        .into()
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
