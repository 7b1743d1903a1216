//! The HTTP layer's protections: request body size, request time, the rate per caller, the
//! headers of HTML pages, and errors that tell the client a request ID rather than a cause.
//!
//! Every refusal is JSON in the shape of a GraphQL error (`{"errors": [{"message",
//! "extensions": {"code"}}]}`), so a client has one shape to read whatever route it called.

use std::net::SocketAddr;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use serde_json::json;

use crate::authz::Actor;
use crate::state::AppState;

/// A refusal: `status`, with `code` and `message` as a GraphQL-shaped error.
pub fn refusal(status: StatusCode, code: &str, message: &str) -> Response {
    let body = json!({ "errors": [{ "message": message, "extensions": { "code": code } }] });
    (status, Json(body)).into_response()
}

/// Reads the body whole up to the limit, so the GraphQL extractor (which reads the body
/// itself) never sees more: a larger body is refused with 413, whether it says its length or
/// streams.
pub async fn limit_body(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let max = state.settings.max_body_bytes;
    let too_large = || {
        refusal(
            StatusCode::PAYLOAD_TOO_LARGE,
            "PAYLOAD_TOO_LARGE",
            &format!("the request body is larger than the limit of {max} bytes"),
        )
    };
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > max as u64) {
        return too_large();
    }
    let (parts, body) = request.into_parts();
    let limit = state.settings.body_timeout;
    let Ok(read) = tokio::time::timeout(limit, Limited::new(body, max).collect()).await else {
        return refusal(
            StatusCode::REQUEST_TIMEOUT,
            "BODY_TIMEOUT",
            &format!(
                "the request body did not arrive within {}",
                humantime::format_duration(limit)
            ),
        );
    };
    let bytes = match read {
        Ok(collected) => collected.to_bytes(),
        Err(err) if err.downcast_ref::<LengthLimitError>().is_some() => return too_large(),
        Err(_) => {
            return refusal(
                StatusCode::BAD_REQUEST,
                "BAD_REQUEST",
                "the request body could not be read",
            )
        }
    };
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// Answers 503 when a request takes longer than the limit. Dropping the request's future
/// drops its open transaction, which rolls it back, so a request cut short changes nothing.
pub async fn time_limit(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let limit = state.settings.request_timeout;
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(?limit, "request timed out");
            let mut response = refusal(
                StatusCode::SERVICE_UNAVAILABLE,
                "TIMEOUT",
                &format!(
                    "the request took longer than {}; nothing it changed was kept",
                    humantime::format_duration(limit)
                ),
            );
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            response
        }
    }
}

/// The client's address, when the request came over a socket.
fn client_address(request: &Request) -> Option<std::net::IpAddr> {
    request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(address)| address.ip())
}

/// The rate limit per client address, before the token is looked up (so that a flood of bad
/// tokens is limited like any other): 429 with `Retry-After`.
pub async fn address_limit(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let Some(address) = client_address(&request) else {
        return next.run(request).await;
    };
    match state.address_limits.check(&format!("address:{address}")) {
        None => next.run(request).await,
        Some(wait) => too_many(
            &state,
            wait,
            state.settings.address_rate_limit_per_minute,
            "from one address",
        ),
    }
}

/// The rate limit, after authentication: 429 with `Retry-After` (whole seconds, rounded up).
pub async fn rate_limit(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let key = match request.extensions().get::<Actor>().and_then(|a| a.token_id) {
        Some(token) => format!("token:{token}"),
        None => match client_address(&request) {
            Some(address) => format!("address:{address}"),
            None => "anonymous".to_owned(),
        },
    };
    match state.rate_limits.check(&key) {
        None => next.run(request).await,
        Some(wait) => too_many(
            &state,
            wait,
            state.settings.rate_limit_per_minute,
            "per caller",
        ),
    }
}

/// 429 with `Retry-After` (whole seconds, rounded up) for a caller that must `wait`.
fn too_many(state: &AppState, wait: Duration, per_minute: u32, whose: &str) -> Response {
    state.metrics.rate_limited();
    let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    let seconds = seconds.max(1);
    let mut response = refusal(
        StatusCode::TOO_MANY_REQUESTS,
        "RATE_LIMITED",
        &format!(
            "too many requests {whose}: at most {per_minute} a minute; try again in {seconds} s"
        ),
    );
    if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

/// The Content-Security-Policy of HTML pages that set none of their own: no scripts, no
/// frames, styles inline only.
const HTML_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// Security headers on every HTML response; `nosniff` on every response.
pub async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    let html = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if html {
        set_html_headers(headers);
    }
    response
}

fn set_html_headers(headers: &mut HeaderMap) {
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(HTML_POLICY),
        );
    }
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        header::HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin"),
    );
}

/// A panic in a handler: logged with its message, answered with a generic 500 (the request ID
/// is in the `x-request-id` header, as on every response).
pub fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    tracing::error!(panic = message, "a request handler panicked");
    refusal(
        StatusCode::INTERNAL_SERVER_ERROR,
        "INTERNAL_SERVER_ERROR",
        "internal error; the request ID in the x-request-id header finds it in the log",
    )
}

/// The request's ID, as the request-ID layer set it.
pub fn request_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}
