//! GraphQL over HTTP: the media type follows `Accept`, request errors are 400 under
//! `application/graphql-response+json` and 200 under `application/json`, syntax errors read as
//! one line, and hash-only persisted queries are refused with a code Apollo clients know.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use serde_json::{json, Value};

use crate::backend_test;
use crate::helpers::TestApp;

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

/// POSTs `body` to /graphql as the demo auditor with `accept`; returns the status, the
/// content type and the JSON answer.
async fn post(app: &TestApp, accept: Option<&str>, body: Value) -> (StatusCode, String, Value) {
    let mut request = Request::post("/graphql").header(header::CONTENT_TYPE, "application/json");
    if let Some(accept) = accept {
        request = request.header(header::ACCEPT, accept);
    }
    if let Some(token) = app.bearer() {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let (status, headers, text) = app
        .send_full(request.body(Body::from(body.to_string())).unwrap())
        .await;
    let media = headers
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let answer = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    (status, media, answer)
}

backend_test! {
    async fn the_media_type_and_the_status_follow_the_accept_header(backend) {
        let app = TestApp::with_demo(backend).await;
        let ok = json!({"query": "{ organisation(slug: \"puuha\") { slug } }"});
        let syntax = json!({"query": "{ organisation(slug: \"puuha\") { slug }"});
        let invalid = json!({"query": "{ noSuchField }"});
        let variables = json!({"query": "query($s: String!) { organisation(slug: $s) { slug } }", "variables": {"s": 5}});
        // A field error: the query ran, `data` is there.
        let partial = json!({"query": "{ organisation(slug: \"puuha\") { slug } node(id: \"nope\") { id } }"});

        for accept in [None, Some("*/*"), Some("application/json")] {
            let (status, media, answer) = post(&app, accept, ok.clone()).await;
            assert_eq!((status, media.as_str()), (StatusCode::OK, "application/json"), "{accept:?}");
            assert_eq!(answer["data"]["organisation"]["slug"], "puuha");
            for request in [&syntax, &invalid, &variables] {
                let (status, media, answer) = post(&app, accept, request.clone()).await;
                assert_eq!((status, media.as_str()), (StatusCode::OK, "application/json"), "{accept:?} {request}");
                assert!(answer.get("data").is_none() && answer["errors"][0]["message"].is_string(), "{answer:#}");
            }
        }
        for accept in [GRAPHQL_RESPONSE, "application/graphql-response+json, application/json;q=0.9"] {
            let (status, media, answer) = post(&app, Some(accept), ok.clone()).await;
            assert_eq!((status, media.as_str()), (StatusCode::OK, GRAPHQL_RESPONSE));
            assert_eq!(answer["data"]["organisation"]["slug"], "puuha");
            for (request, code) in [(&syntax, "GRAPHQL_PARSE_FAILED"), (&invalid, "GRAPHQL_VALIDATION_FAILED"), (&variables, "BAD_USER_INPUT")] {
                let (status, media, answer) = post(&app, Some(accept), request.clone()).await;
                assert_eq!((status, media.as_str()), (StatusCode::BAD_REQUEST, GRAPHQL_RESPONSE), "{request}: {answer:#}");
                assert!(answer.get("data").is_none(), "{answer:#}");
                let got = answer["errors"][0]["extensions"]["code"].as_str().unwrap_or_default();
                assert!(got == code || (code == "GRAPHQL_PARSE_FAILED" && got == "GRAPHQL_VALIDATION_FAILED"), "{request}: {answer:#}");
            }
            let (status, _, answer) = post(&app, Some(accept), partial.clone()).await;
            assert_eq!(status, StatusCode::OK, "{answer:#}");
            assert_eq!(answer["data"]["organisation"]["slug"], "puuha", "{answer:#}");
        }
        let (status, _, answer) = post(&app, Some("text/html"), ok.clone()).await;
        assert_eq!(status, StatusCode::NOT_ACCEPTABLE);
        assert_eq!(answer["errors"][0]["extensions"]["code"], "NOT_ACCEPTABLE");
    }

    async fn a_syntax_error_reads_as_one_line_with_its_position(backend) {
        let app = TestApp::with_demo(backend).await;
        let (_, _, answer) = post(&app, None, json!({"query": "{\n  organisation(slug: \"puuha\") {\n    slug\n  }"})).await;
        let message = answer["errors"][0]["message"].as_str().unwrap();
        assert!(!message.contains('\n'), "{message:?}");
        assert!(message.starts_with("syntax error at line 4, column "), "{message:?}");
        assert_eq!(answer["errors"][0]["locations"][0]["line"], 4, "{answer:#}");
    }

    async fn a_hash_only_persisted_query_is_refused_so_that_apollo_sends_the_query(backend) {
        let app = TestApp::with_demo(backend).await;
        let hash = json!({"persistedQuery": {"version": 1, "sha256Hash": "ecf4edb46db40b5132295c0291d62fb65d6759a9eedfa4d5d612dd5ec54a6b38"}});
        for (accept, status) in [(None, StatusCode::OK), (Some(GRAPHQL_RESPONSE), StatusCode::BAD_REQUEST)] {
            let (got, _, answer) = post(&app, accept, json!({"extensions": hash})).await;
            assert_eq!(got, status, "{answer:#}");
            assert_eq!(answer["errors"][0]["extensions"]["code"], "PERSISTED_QUERY_NOT_SUPPORTED", "{answer:#}");
            assert_eq!(answer["errors"][0]["message"], "PersistedQueryNotSupported");
            assert!(answer.get("data").is_none());
        }
        // Apollo's retry sends the query with the hash: it runs.
        let (status, _, answer) = post(&app, None, json!({"query": "{ organisation(slug: \"puuha\") { slug } }", "extensions": hash})).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(answer["data"]["organisation"]["slug"], "puuha", "{answer:#}");
    }
}
