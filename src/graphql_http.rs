//! GraphQL over HTTP: the media type and status of a `/graphql` answer, as the
//! GraphQL-over-HTTP specification asks.
//!
//! The client's `Accept` chooses between `application/graphql-response+json` and
//! `application/json`; no `Accept`, or only `*/*`, means `application/json`, which every client
//! reads. Under `application/json` every GraphQL answer is 200. Under
//! `application/graphql-response+json` a request error (the document does not parse or
//! validate, a variable does not coerce: nothing ran, so the answer has no `data`) is 400,
//! so that proxies and clients can tell it from a partial result. A syntax error reads as one
//! line with its position, and Apollo's hash-only persisted-query requests are answered
//! `PERSISTED_QUERY_NOT_SUPPORTED`, after which Apollo clients send the whole query.

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// The media type of the GraphQL-over-HTTP specification.
pub const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";

/// The media types a GraphQL answer is sent as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MediaType {
    /// `application/json`: every answer 200, as clients written before the specification expect.
    Json,
    /// `application/graphql-response+json`: request errors are 400.
    GraphqlResponseJson,
}

impl MediaType {
    fn as_str(self) -> &'static str {
        match self {
            MediaType::Json => "application/json",
            MediaType::GraphqlResponseJson => GRAPHQL_RESPONSE_JSON,
        }
    }
}

/// The media type to answer in, from the request's `Accept` header; none when the client
/// accepts neither (406).
pub fn negotiate(headers: &HeaderMap) -> Option<MediaType> {
    let values: Vec<&str> = headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    if values.iter().all(|v| v.trim().is_empty()) {
        return Some(MediaType::Json);
    }
    // For each type we serve: the quality of the most specific range that names it.
    let mut best: [(f32, u8); 2] = [(0.0, 0); 2];
    let types = [MediaType::GraphqlResponseJson, MediaType::Json];
    for range in values.iter().flat_map(|v| v.split(',')) {
        let mut parts = range.split(';');
        let media = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let quality = parts
            .filter_map(|p| p.trim().strip_prefix("q="))
            .find_map(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        for (at, kind) in types.iter().enumerate() {
            let specificity = if media == kind.as_str() {
                3
            } else if media == "application/*" {
                2
            } else if media == "*/*" {
                1
            } else {
                continue;
            };
            if specificity > best[at].1 {
                best[at] = (quality, specificity);
            }
        }
    }
    let [(graphql_q, graphql_s), (json_q, json_s)] = best;
    if graphql_q <= 0.0 && json_q <= 0.0 {
        return None;
    }
    // Named by its own name and liked at least as much: the specification's type. Reached
    // only by a wildcard: the type every client reads.
    if graphql_q > json_q || (graphql_q == json_q && graphql_s == 3 && graphql_s >= json_s) {
        Some(MediaType::GraphqlResponseJson)
    } else {
        Some(MediaType::Json)
    }
}

/// The answer to a client that accepts neither media type.
pub fn not_acceptable() -> Response {
    crate::guard::refusal(
        StatusCode::NOT_ACCEPTABLE,
        "NOT_ACCEPTABLE",
        "the answer is application/graphql-response+json or application/json; the Accept header allows neither",
    )
}

/// The answer to an Apollo persisted-query request that sends only the query's hash: this
/// service keeps no queries, and an Apollo client that reads this code sends the whole query.
pub fn persisted_query_refusal(
    request: &async_graphql::Request,
) -> Option<async_graphql::Response> {
    if !request.query.trim().is_empty() || !request.extensions.contains_key("persistedQuery") {
        return None;
    }
    let mut extensions = async_graphql::ErrorExtensionValues::default();
    extensions.set("code", "PERSISTED_QUERY_NOT_SUPPORTED");
    // The message is the one Apollo clients compare with.
    let mut error = async_graphql::ServerError::new("PersistedQueryNotSupported", None);
    error.extensions = Some(extensions);
    Some(async_graphql::Response::from_errors(vec![error]))
}

/// Whether nothing ran: the request's document did not parse or validate, or its variables did
/// not coerce. Such an answer has errors, no `data`, and no error names a path in the result.
pub fn is_request_error(response: &async_graphql::Response) -> bool {
    response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| e.path.is_empty())
}

/// A syntax error as one line with its position (`syntax error at line 1, column 3: expected
/// selection`), instead of the parser's drawing of the line.
pub fn one_line_syntax_error(error: &mut async_graphql::ServerError) {
    if !error.message.contains('\n') {
        return;
    }
    let expected = error
        .message
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("= "))
        .unwrap_or("unexpected input")
        .trim()
        .to_owned();
    error.message = match error.locations.first() {
        Some(at) => format!(
            "syntax error at line {}, column {}: {expected}",
            at.line, at.column
        ),
        None => format!("syntax error: {expected}"),
    };
}

/// A response of which nothing ran, as it is sent: its errors and extensions, no `data`.
#[derive(serde::Serialize)]
struct NothingRan<'a> {
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    extensions: &'a std::collections::BTreeMap<String, async_graphql::Value>,
    errors: &'a [async_graphql::ServerError],
}

/// The HTTP answer of a GraphQL response in `media`: a request error without `data`, 400 under
/// `application/graphql-response+json`; the cache policy and the headers the resolvers set.
pub fn respond(mut response: async_graphql::Response, media: MediaType) -> Response {
    let request_error = is_request_error(&response);
    for error in &mut response.errors {
        one_line_syntax_error(error);
    }
    // Written in one pass, the fields in the order the query asked for them. When nothing
    // ran, the specification says the answer has no `data` at all.
    let body = if request_error {
        serde_json::to_vec(&NothingRan {
            errors: &response.errors,
            extensions: &response.extensions,
        })
    } else {
        serde_json::to_vec(&response)
    };
    let body = match body {
        Ok(body) => body,
        Err(err) => {
            tracing::error!(error = %err, "a GraphQL response did not serialise");
            return crate::guard::refusal(
                StatusCode::INTERNAL_SERVER_ERROR,
                "INTERNAL_SERVER_ERROR",
                "internal error",
            );
        }
    };
    let status = match (media, request_error) {
        (MediaType::GraphqlResponseJson, true) => StatusCode::BAD_REQUEST,
        _ => StatusCode::OK,
    };
    let mut answer = (status, Body::from(body)).into_response();
    let headers = answer.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(media.as_str()),
    );
    if response.is_ok() {
        if let Some(value) = response
            .cache_control
            .value()
            .and_then(|v| HeaderValue::from_str(&v).ok())
        {
            headers.insert(header::CACHE_CONTROL, value);
        }
    }
    headers.extend(response.http_headers);
    // The same answer differs by Accept: caches must keep them apart.
    headers.append(header::VARY, HeaderValue::from_static("accept"));
    answer
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(value: Option<&str>) -> Option<MediaType> {
        let mut headers = HeaderMap::new();
        if let Some(value) = value {
            headers.insert(header::ACCEPT, HeaderValue::from_str(value).unwrap());
        }
        negotiate(&headers)
    }

    #[test]
    fn the_accept_header_chooses_the_media_type() {
        use MediaType::*;
        for (value, expected) in [
            (None, Some(Json)),
            (Some("*/*"), Some(Json)),
            (Some("application/json"), Some(Json)),
            (
                Some("application/graphql-response+json"),
                Some(GraphqlResponseJson),
            ),
            (
                Some("application/graphql-response+json, application/json;q=0.9"),
                Some(GraphqlResponseJson),
            ),
            (
                Some("application/json, application/graphql-response+json"),
                Some(GraphqlResponseJson),
            ),
            (
                Some("application/graphql-response+json;q=0.5, application/json"),
                Some(Json),
            ),
            (Some("application/json, */*;q=0.1"), Some(Json)),
            (Some("application/*"), Some(Json)),
            (
                Some("text/html, application/graphql-response+json;charset=utf-8"),
                Some(GraphqlResponseJson),
            ),
            (Some("text/html"), None),
            (Some("application/json;q=0"), None),
        ] {
            assert_eq!(accept(value), expected, "{value:?}");
        }
    }

    #[test]
    fn a_syntax_error_reads_as_one_line_with_its_position() {
        let mut error = async_graphql::ServerError::new(
            " --> 1:3\n  |\n1 | { \n  |   ^---\n  |\n  = expected selection",
            Some(async_graphql::Pos { line: 1, column: 3 }),
        );
        one_line_syntax_error(&mut error);
        assert_eq!(
            error.message,
            "syntax error at line 1, column 3: expected selection"
        );
    }
}
