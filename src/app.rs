//! The HTTP surface: GraphQL, GraphiQL, published privacy notices, record exports and the
//! health probes.

use async_graphql_axum::{GraphQLProtocol, GraphQLRequest, GraphQLWebSocket};
use axum::extract::{MatchedPath, Path, Query, Request, State, WebSocketUpgrade};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use serde_json::json;
use tower_http::trace::{DefaultOnRequest, TraceLayer};
use tracing::Level;

use async_graphql::ParseRequestError;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};

use crate::authz::{Actor, Decisions};
use crate::error::AppError;
use crate::graphql::{build_schema, Api, RopaSchema};
use crate::graphql_http;
use crate::guard;
use crate::state::AppState;

#[derive(Clone)]
struct RouterState {
    app: AppState,
    /// `/graphql`.
    api: Api,
    /// `/graphql/ws`.
    schema: RopaSchema,
}

impl axum::extract::FromRef<RouterState> for AppState {
    fn from_ref(state: &RouterState) -> AppState {
        state.app.clone()
    }
}

/// The service's router over `state`, with the protections of [`crate::guard`] and the
/// settings in `state.settings`.
pub fn router(state: AppState) -> Router {
    let schema = build_schema(state.clone());
    let settings = state.settings.clone();
    let app = state.clone();
    let state = RouterState {
        api: Api::new(state.clone()),
        app: state,
        schema,
    };
    let api = guarded(
        Router::new().route("/graphql", post(graphql)),
        &state,
        Caller::Authenticated,
    )
    // Before anything reads it: only JSON, and only so much of it.
    .route_layer(middleware::from_fn_with_state(
        app.clone(),
        guard::limit_body,
    ))
    .route_layer(middleware::from_fn(require_json));
    let exports = guarded(
        Router::new().route(
            "/exports/{organisation}/{file}",
            get(crate::exports::download),
        ),
        &state,
        Caller::Authenticated,
    );
    let notices = guarded(
        Router::new()
            .route("/notices/{organisation}/{register}", get(public_notice))
            .route(
                "/notices/{organisation}/{register}/versions/{number}",
                get(public_notice_version),
            ),
        &state,
        Caller::Anyone,
    );
    let subscriptions = guarded(
        Router::new().route("/graphql/ws", get(graphql_ws)),
        &state,
        Caller::Authenticated,
    );
    let mut router = Router::new()
        .merge(api)
        .merge(subscriptions)
        .merge(exports)
        .merge(notices);
    if settings.graphiql {
        router = router
            .route("/graphiql", get(crate::graphiql::page))
            .route("/graphiql/assets/{file}", get(crate::graphiql::asset));
    }
    let router = router
        .route("/contexts/art30.jsonld", get(jsonld_context))
        .route("/metrics", get(metrics))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        // Last, so that they apply to every route above.
        .method_not_allowed_fallback(method_not_allowed)
        .fallback(not_found)
        .with_state(state)
        .layer(middleware::from_fn_with_state(app, count_request))
        .layer(middleware::from_fn(guard::security_headers))
        .layer(CatchPanicLayer::custom(guard::panic_response))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(
            // One line per request, when the response is sent: method, matched path, status,
            // latency and the request ID the client also receives.
            TraceLayer::new_for_http()
                .make_span_with(|request: &Request<_>| {
                    let path = request
                        .extensions()
                        .get::<MatchedPath>()
                        .map(MatchedPath::as_str)
                        .unwrap_or("unmatched");
                    let id = guard::request_id(request.headers()).unwrap_or_default();
                    tracing::info_span!("request", method = %request.method(), path, request_id = %id)
                })
                .on_request(DefaultOnRequest::new().level(Level::DEBUG))
                .on_response(log_response),
        )
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid));
    match cors(&settings.cors_origins) {
        Some(layer) => router.layer(layer),
        None => router,
    }
}

/// The line of a request: its status and latency, the latency as a number of milliseconds
/// (`"latency_ms": 0.42` in JSON logs) for log queries to compare and sum.
fn log_response<B>(response: &Response<B>, latency: std::time::Duration, _span: &tracing::Span) {
    let latency_ms = latency.as_secs_f64() * 1000.0;
    tracing::info!(
        status = response.status().as_u16(),
        latency_ms,
        "finished processing request"
    );
}

/// A known path asked with a method it does not take: 405, coded like every refusal.
async fn method_not_allowed(method: axum::http::Method) -> Response {
    guard::refusal(
        StatusCode::METHOD_NOT_ALLOWED,
        "METHOD_NOT_ALLOWED",
        &format!("this path does not take {method}; /graphql takes POST, the other paths GET"),
    )
}

/// A path the service does not serve: 404, coded like every refusal.
async fn not_found() -> Response {
    guard::refusal(
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
        "no such path: the API is at /graphql, notices at /notices/{organisation}/{register}",
    )
}

/// Whether a route reads the bearer token.
enum Caller {
    Authenticated,
    Anyone,
}

/// A route's time limit, its authentication if it has one, and the rate limit per caller (per
/// token once authenticated). Route layers run outside in: the last one added runs first.
fn guarded(
    routes: Router<RouterState>,
    state: &RouterState,
    caller: Caller,
) -> Router<RouterState> {
    let routes = routes.route_layer(middleware::from_fn_with_state(
        state.app.clone(),
        guard::rate_limit,
    ));
    let routes = match caller {
        Caller::Authenticated => {
            routes.route_layer(middleware::from_fn_with_state(state.clone(), authenticate))
        }
        Caller::Anyone => routes,
    };
    let routes = routes.route_layer(middleware::from_fn_with_state(
        state.app.clone(),
        guard::address_limit,
    ));
    routes.route_layer(middleware::from_fn_with_state(
        state.app.clone(),
        guard::time_limit,
    ))
}

/// CORS for the configured origins only; none configured: no CORS headers at all, so
/// browsers keep other origins out.
fn cors(origins: &[String]) -> Option<CorsLayer> {
    if origins.is_empty() {
        return None;
    }
    let origins: Vec<HeaderValue> = origins
        .iter()
        .filter_map(|o| match HeaderValue::from_str(o.trim()) {
            Ok(v) => Some(v),
            Err(_) => {
                tracing::warn!(origin = %o, "not a valid CORS origin; left out");
                None
            }
        })
        .collect();
    Some(
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(origins))
            .allow_methods([axum::http::Method::GET, axum::http::Method::POST])
            .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE])
            .expose_headers([
                header::CONTENT_DISPOSITION,
                header::RETRY_AFTER,
                header::HeaderName::from_static("x-request-id"),
            ])
            .max_age(std::time::Duration::from_secs(600)),
    )
}

/// Counts every answered request by route pattern, method and status, with its latency.
async fn count_request(State(app): State<AppState>, request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".to_owned());
    let method = request.method().as_str().to_owned();
    let started = std::time::Instant::now();
    let response = next.run(request).await;
    app.metrics.http(
        &route,
        &method,
        response.status().as_u16(),
        started.elapsed(),
    );
    response
}

async fn metrics(State(state): State<RouterState>) -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        state.app.metrics.render(&state.app.db),
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
            let secret = value.to_str().ok().and_then(bearer_secret);
            match secret {
                Some(secret) => match state.app.authenticate(secret).await {
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

/// The token of an `Authorization: Bearer <token>` value; the scheme's name is
/// case-insensitive (RFC 9110, section 11.1).
fn bearer_secret(value: &str) -> Option<&str> {
    let (scheme, secret) = value.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| secret.trim())
        .filter(|s| !s.is_empty())
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
    headers: HeaderMap,
    request: GraphQLRequest<BadGraphQLRequest>,
) -> Response {
    let Some(media) = graphql_http::negotiate(&headers) else {
        return graphql_http::not_acceptable();
    };
    let request = request.into_inner();
    if let Some(refusal) = graphql_http::persisted_query_refusal(&request) {
        return graphql_http::respond(refusal, media);
    }
    let decisions = Decisions::new(state.app.authz.clone(), actor);
    let mut response = state.api.execute(request.data(decisions)).await;
    let code =
        |e: &async_graphql::ServerError| match e.extensions.as_ref().and_then(|x| x.get("code")) {
            Some(async_graphql::Value::String(code)) => code.clone(),
            _ => "ERROR".to_owned(),
        };
    for error in &mut response.errors {
        if let Some(code) = unlabelled_code(error) {
            error
                .extensions
                .get_or_insert_with(Default::default)
                .set("code", code);
        }
    }
    if let Some(id) = crate::guard::request_id(&headers) {
        for error in &mut response.errors {
            if code(error) == "INTERNAL_SERVER_ERROR" {
                error
                    .extensions
                    .get_or_insert_with(Default::default)
                    .set("requestId", id.as_str());
            }
        }
    }
    graphql_http::respond(response, media)
}

/// The code of an error that async-graphql raised without one: a query that does not parse or
/// validate (no path: nothing ran), or an argument that does not parse as its type.
fn unlabelled_code(error: &async_graphql::ServerError) -> Option<&'static str> {
    if error
        .extensions
        .as_ref()
        .is_some_and(|x| x.get("code").is_some())
    {
        return None;
    }
    let input = ["Failed to parse", "Invalid value", "Variable ", "Expected "];
    if input.iter().any(|start| error.message.starts_with(start)) {
        // An argument or a variable that is missing or does not coerce to its type.
        Some("BAD_USER_INPUT")
    } else if error.path.is_empty() {
        Some("GRAPHQL_VALIDATION_FAILED")
    } else {
        // The service's own errors all carry codes; anything else is the executor's.
        Some("INTERNAL_SERVER_ERROR")
    }
}

/// A body that is no GraphQL request: a batch (JSON array), bad JSON, or too large.
struct BadGraphQLRequest(ParseRequestError);

impl From<ParseRequestError> for BadGraphQLRequest {
    fn from(err: ParseRequestError) -> Self {
        Self(err)
    }
}

impl IntoResponse for BadGraphQLRequest {
    fn into_response(self) -> Response {
        match self.0 {
            ParseRequestError::UnsupportedBatch => guard::refusal(
                StatusCode::BAD_REQUEST,
                "BATCH_NOT_SUPPORTED",
                "one operation per request: batches (a JSON array of requests) are not accepted",
            ),
            ParseRequestError::PayloadTooLarge => guard::refusal(
                StatusCode::PAYLOAD_TOO_LARGE,
                "PAYLOAD_TOO_LARGE",
                "the request body is too large",
            ),
            other => guard::refusal(
                StatusCode::BAD_REQUEST,
                "BAD_REQUEST",
                &format!("the body is not a GraphQL request ({{\"query\", \"variables\", \"operationName\"}}): {other}"),
            ),
        }
    }
}

/// GraphQL subscriptions over WebSocket (the graphql-ws protocol, `graphql-transport-ws`, and
/// the older `graphql-ws` one). The caller is the bearer of the upgrade request's
/// `Authorization` header (a bad token: 401, no upgrade) or, without one, of the
/// `Authorization` entry of the `connection_init` payload (a bad token there closes the
/// connection); neither means anonymous, who may read nothing.
async fn graphql_ws(
    State(state): State<RouterState>,
    Extension(actor): Extension<Actor>,
    protocol: GraphQLProtocol,
    upgrade: WebSocketUpgrade,
) -> Response {
    upgrade
        .protocols(async_graphql::http::ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |socket| {
            let schema = state.schema.clone();
            GraphQLWebSocket::new(socket, schema, protocol)
                .on_connection_init(move |payload| connection_init(state.app, actor, payload))
                .serve()
        })
}

/// The data of a subscription connection: the decisions for the header's actor, or for the
/// bearer named in the `connection_init` payload.
async fn connection_init(
    app: AppState,
    actor: Actor,
    payload: serde_json::Value,
) -> async_graphql::Result<async_graphql::Data> {
    let named = ["Authorization", "authorization"]
        .iter()
        .find_map(|key| payload.get(*key))
        .and_then(|v| v.as_str());
    let actor = match (actor.is_anonymous(), named) {
        (true, Some(value)) => {
            let refused = || {
                async_graphql::Error::new(
                    "the bearer token is not valid (unknown, expired or revoked)",
                )
            };
            let secret = bearer_secret(value).ok_or_else(refused)?;
            match app.authenticate(secret).await {
                Ok(actor) => actor,
                Err(AppError::Unauthenticated) => return Err(refused()),
                Err(other) => {
                    tracing::error!(error = ?other, "authentication failed");
                    return Err(async_graphql::Error::new("internal error"));
                }
            }
        }
        _ => actor,
    };
    let mut data = async_graphql::Data::default();
    data.insert(Decisions::new(app.authz.clone(), actor));
    Ok(data)
}

/// `?lang=` and `?format=` of a notice request.
#[derive(serde::Deserialize)]
struct NoticeParams {
    lang: Option<String>,
    format: Option<String>,
}

/// The latest published notice of a register, for anyone.
async fn public_notice(
    State(state): State<RouterState>,
    Path((organisation, register)): Path<(String, String)>,
    Query(params): Query<NoticeParams>,
    headers: HeaderMap,
) -> Response {
    notice_response(&state.app, &organisation, &register, None, params, &headers).await
}

/// One published version of a register's notice, by number, for anyone.
async fn public_notice_version(
    State(state): State<RouterState>,
    Path((organisation, register, number)): Path<(String, String, String)>,
    Query(params): Query<NoticeParams>,
    headers: HeaderMap,
) -> Response {
    let Ok(number) = number.parse::<i32>() else {
        return NoticeRefusal::new(&params, &headers).refuse(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            "a notice version is a number: /notices/{organisation}/{register}/versions/{number}",
        );
    };
    notice_response(
        &state.app,
        &organisation,
        &register,
        Some(number),
        params,
        &headers,
    )
    .await
}

/// How a refused notice request is answered: as JSON in the shape of every other refusal
/// when the client asked for JSON (`?format=json` or an `Accept` that names JSON), else as
/// plain text; with its code either way.
struct NoticeRefusal {
    json: bool,
}

impl NoticeRefusal {
    fn new(params: &NoticeParams, headers: &HeaderMap) -> Self {
        let accept_json = headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.to_ascii_lowercase().contains("json"));
        Self {
            json: accept_json
                || params
                    .format
                    .as_deref()
                    .is_some_and(|f| f.eq_ignore_ascii_case("json")),
        }
    }

    fn refuse(&self, status: StatusCode, code: &str, message: &str) -> Response {
        if self.json {
            return guard::refusal(status, code, message);
        }
        (
            status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            format!("{code}: {message}\n"),
        )
            .into_response()
    }

    fn internal(&self, err: AppError) -> Response {
        tracing::error!(error = ?err, "notice request failed");
        self.refuse(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL_SERVER_ERROR",
            "internal error; the request ID in the x-request-id header finds it in the log",
        )
    }
}

async fn notice_response(
    app: &AppState,
    organisation: &str,
    register: &str,
    number: Option<i32>,
    params: NoticeParams,
    headers: &HeaderMap,
) -> Response {
    use crate::notice::render::{render, Format, Meta};
    use crate::notice::{publish, Lang};
    let refusal = NoticeRefusal::new(&params, headers);
    let header = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    let format = match params.format.as_deref() {
        Some(name) => match Format::parse(name) {
            Some(f) => f,
            None => {
                return refusal.refuse(
                    StatusCode::BAD_REQUEST,
                    "BAD_USER_INPUT",
                    "format must be one of html, md, txt, json",
                )
            }
        },
        None => match header(header::ACCEPT) {
            None => Format::Html,
            Some(accept) => match Format::from_accept(accept) {
                Some(f) => f,
                None => {
                    return refusal.refuse(
                        StatusCode::NOT_ACCEPTABLE,
                        "NOT_ACCEPTABLE",
                        "a notice is served as text/html, text/markdown, text/plain or application/json",
                    )
                }
            },
        },
    };
    let requested = match params.lang.as_deref() {
        Some(tag) => match Lang::parse(tag) {
            Some(l) => Some(l),
            None => {
                return refusal.refuse(
                    StatusCode::BAD_REQUEST,
                    "BAD_USER_INPUT",
                    "lang must be one of fi, sv, en",
                )
            }
        },
        None => header(header::ACCEPT_LANGUAGE).and_then(Lang::negotiate),
    };
    let version =
        match crate::service::notices::published(app, organisation, register, number).await {
            Ok(Some(v)) => v,
            Ok(None) => return refusal.refuse(
                StatusCode::NOT_FOUND,
                "NOT_FOUND",
                "no published notice here: the register does not exist or has not published one",
            ),
            Err(err) => return refusal.internal(err),
        };
    let published = |lang: Lang| {
        version
            .model
            .languages
            .0
            .iter()
            .any(|tag| tag == lang.tag())
    };
    let lang = match requested {
        // Asked for by name: that language or a refusal that says which there are.
        Some(lang) if params.lang.is_some() && !published(lang) => {
            return refusal.refuse(
                StatusCode::NOT_FOUND,
                "NOT_FOUND",
                &format!(
                    "this notice is published in {} only",
                    version.model.languages.0.join(", ")
                ),
            )
        }
        // Negotiated from Accept-Language: the register's own language when it has no other.
        Some(lang) if published(lang) => lang,
        _ => version.default_language,
    };
    let notice = match publish::notice_of(&version.model, lang) {
        Ok(Some(n)) => n,
        Ok(None) => {
            return refusal.refuse(
                StatusCode::NOT_FOUND,
                "NOT_FOUND",
                "this version has no notice in that language",
            )
        }
        Err(err) => return refusal.internal(err),
    };
    let body = match render(
        &notice,
        format,
        &Meta::published(publish::info(&version.model)),
    ) {
        Ok(body) => body,
        Err(err) => return refusal.internal(err),
    };
    let etag = format!(
        "\"{}-{}-{}\"",
        &version.model.content_hash[..16.min(version.model.content_hash.len())],
        lang.tag(),
        format.extension()
    );
    if header(header::IF_NONE_MATCH) == Some(etag.as_str()) {
        return StatusCode::NOT_MODIFIED.into_response();
    }
    let cache = if number.is_some() {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=300"
    };
    let mut response = (StatusCode::OK, body).into_response();
    let h = response.headers_mut();
    let set = |h: &mut HeaderMap, name, value: &str| {
        if let Ok(value) = HeaderValue::from_str(value) {
            h.insert(name, value);
        }
    };
    set(h, header::CONTENT_TYPE, format.content_type());
    set(h, header::CONTENT_LANGUAGE, lang.tag());
    set(h, header::VARY, "Accept, Accept-Language");
    set(h, header::CACHE_CONTROL, cache);
    set(h, header::ETAG, &etag);
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    if format == Format::Html {
        set(
            h,
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
        );
        set(h, header::REFERRER_POLICY, "no-referrer");
    }
    response
}

/// The JSON-LD `@context` of the record exports (they also carry it inline), for anyone.
async fn jsonld_context() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "application/ld+json"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
        ],
        crate::record::CONTEXT,
    )
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
