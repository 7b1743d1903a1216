//! Input safety and the edges of the HTTP surface: updates that change nothing, required fields
//! set to null, coded refusals on every path, the bearer scheme, the rate limit per address
//! before any token lookup, connection and body timeouts, and the operation labels of metrics.

use std::time::Duration;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use entity::Role;
use ropa::config::Settings;
use ropa::ids::{encode, NodeKind};
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::backend_test;
use crate::helpers::{error_code, test_settings, TestApp};

fn post(body: impl Into<Body>, authorization: Option<&str>) -> Request<Body> {
    let mut request = Request::post("/graphql").header(header::CONTENT_TYPE, "application/json");
    if let Some(value) = authorization {
        request = request.header(header::AUTHORIZATION, value);
    }
    request.body(body.into()).unwrap()
}

async fn audit_count(app: &TestApp) -> u64 {
    entity::audit_event::Entity::find()
        .count(&app.db)
        .await
        .unwrap()
}

const UPDATE_ACTIVITY: &str = "mutation($i: UpdateProcessingActivityInput!) { \
    updateProcessingActivity(input: $i) { processingActivity { version key name { text(language: FI) { text } } } } }";

/// Reads the whole HTTP response on `stream` until the server closes it or `limit` passes;
/// true when the server closed the connection within the limit.
async fn closed_within(stream: &mut tokio::net::TcpStream, limit: Duration) -> bool {
    let mut buffer = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut buffer)).await {
            Err(_) => return false,
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(_)) => continue,
        }
    }
}

backend_test! {
    async fn an_update_that_changes_nothing_keeps_the_version_and_writes_no_event(backend) {
        let app = TestApp::with_demo(backend).await;
        let editor = app.token_everywhere(Role::Editor).await;
        let activity = entity::processing_activity::Entity::find().one(&app.db).await.unwrap().unwrap();
        let id = encode(NodeKind::ProcessingActivity, activity.id);
        let before = audit_count(&app).await;
        // Nothing named, and the same values again (white space trimmed as on every write).
        let same_name: Vec<Value> = activity.name.0.iter().map(|(l, t)| json!({"language": l, "text": format!(" {t} ")})).collect();
        for fields in [json!({}), json!({"key": activity.key}), json!({"key": activity.key, "name": same_name})] {
            let mut input = json!({"id": id, "version": activity.version});
            input.as_object_mut().unwrap().extend(fields.as_object().unwrap().clone());
            let response = app.graphql_as(Some(&editor), UPDATE_ACTIVITY, json!({"i": input})).await;
            assert!(response["errors"].is_null(), "{response}");
            assert_eq!(response["data"]["updateProcessingActivity"]["processingActivity"]["version"], json!(activity.version));
        }
        assert_eq!(audit_count(&app).await, before, "no event for a change that changes nothing");
        let stored = entity::processing_activity::Entity::find_by_id(activity.id).one(&app.db).await.unwrap().unwrap();
        assert_eq!(stored, activity, "the stored row is untouched");
        // A stale version is still a conflict, even for a change that would change nothing.
        let stale = json!({"i": {"id": id, "version": activity.version - 1}});
        let response = app.graphql_as(Some(&editor), UPDATE_ACTIVITY, stale).await;
        assert_eq!(error_code(&response), "CONFLICT", "{response}");
        // A real change still makes a version and one event.
        let changed = json!({"i": {"id": id, "version": activity.version, "key": "renamed-activity"}});
        let response = app.graphql_as(Some(&editor), UPDATE_ACTIVITY, changed).await;
        assert_eq!(response["data"]["updateProcessingActivity"]["processingActivity"]["version"], json!(activity.version + 1), "{response}");
        assert_eq!(audit_count(&app).await, before + 1);
    }

    async fn a_required_field_set_to_null_is_refused_and_named(backend) {
        let app = TestApp::with_demo(backend).await;
        let editor = app.token_everywhere(Role::Editor).await;
        let activity = entity::processing_activity::Entity::find().one(&app.db).await.unwrap().unwrap();
        let id = encode(NodeKind::ProcessingActivity, activity.id);
        let organisation = entity::organisation::Entity::find().one(&app.db).await.unwrap().unwrap();
        let admin = app.token(&organisation.slug, Role::Admin, None).await;
        let before = audit_count(&app).await;
        for field in ["key", "role", "dpiaStatus"] {
            let mut input = json!({"id": id, "version": activity.version});
            input[field] = Value::Null;
            let response = app.graphql_as(Some(&editor), UPDATE_ACTIVITY, json!({"i": input})).await;
            assert_eq!(error_code(&response), "BAD_USER_INPUT", "{field}: {response}");
            assert_eq!(response["errors"][0]["extensions"]["field"], json!(field), "{response}");
        }
        let response = app
            .graphql_as(
                Some(&admin),
                "mutation($i: UpdateOrganisationInput!) { updateOrganisation(input: $i) { organisation { version } } }",
                json!({"i": {"id": encode(NodeKind::Organisation, organisation.id), "version": organisation.version, "name": null}}),
            )
            .await;
        assert_eq!(response["errors"][0]["extensions"]["field"], json!("name"), "{response}");
        assert_eq!(audit_count(&app).await, before, "nothing written");
    }

    async fn the_bearer_scheme_is_case_insensitive(backend) {
        let app = TestApp::with_demo(backend).await;
        let viewer = app.token("puuha", Role::Viewer, None).await;
        for scheme in ["Bearer", "bearer", "BEARER", "bEaReR"] {
            let (status, body) = app.send(post(r#"{"query":"{ me { name } }"}"#, Some(&format!("{scheme} {viewer}")))).await;
            assert_eq!(status, StatusCode::OK, "{scheme}: {body}");
            let response: Value = serde_json::from_str(&body).unwrap();
            assert!(response["data"]["me"]["name"].is_string(), "{scheme}: {response}");
        }
        for value in ["Basic abc", "Bearer", "Bearer ", &viewer] {
            let (status, body) = app.send(post(r#"{"query":"{ me { name } }"}"#, Some(value))).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{value}: {body}");
        }
    }

    async fn every_refusal_of_the_http_surface_is_coded_json(backend) {
        let app = TestApp::with_demo(backend).await;
        let json_of = |body: &str| serde_json::from_str::<Value>(body).unwrap_or_else(|_| panic!("not JSON: {body:?}"));
        // A method a path does not take, and a path that does not exist.
        for (method, path, status, code) in [
            (Method::GET, "/graphql", StatusCode::METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED"),
            (Method::DELETE, "/graphql", StatusCode::METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED"),
            (Method::POST, "/notices/puuha/asiakasrekisteri", StatusCode::METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED"),
            (Method::GET, "/no/such/path", StatusCode::NOT_FOUND, "NOT_FOUND"),
        ] {
            let request = Request::builder().method(method.clone()).uri(path).body(Body::empty()).unwrap();
            let (got, body) = app.send(request).await;
            assert_eq!(got, status, "{method} {path}: {body}");
            assert_eq!(error_code(&json_of(&body)), code, "{method} {path}: {body}");
        }
        // Notices refuse in JSON when JSON was asked for, and with the code in plain text otherwise.
        for path in [
            "/notices/puuha/no-such-register?format=json",
            "/notices/puuha/asiakasrekisteri?format=json&lang=de",
            "/notices/puuha/asiakasrekisteri/versions/x?format=json",
        ] {
            let (status, body) = app.get(path).await;
            assert!(status.is_client_error(), "{path}: {status}");
            assert!(!error_code(&json_of(&body)).is_empty(), "{path}: {body}");
        }
        let request = Request::get("/notices/puuha/no-such-register").header(header::ACCEPT, "application/json").body(Body::empty()).unwrap();
        let (status, body) = app.send(request).await;
        assert_eq!((status, error_code(&json_of(&body))), (StatusCode::NOT_FOUND, "NOT_FOUND"), "{body}");
        let (status, body) = app.get("/notices/puuha/no-such-register").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(body.starts_with("NOT_FOUND: "), "{body}");
    }

    async fn variables_that_are_missing_or_of_the_wrong_type_are_coded(backend) {
        let app = TestApp::with_demo(backend).await;
        for (query, variables) in [
            ("query($s: String!) { organisation(slug: $s) { slug } }", json!({})),
            ("query($s: String!) { organisation(slug: $s) { slug } }", json!({"s": 5})),
            ("query($s: String) { organisation(slug: $s) { slug } }", json!({"s": {"a": 1}})),
            ("query($n: Int) { organisations(first: $n) { nodes { slug } } }", json!({"n": "many"})),
            ("query($n: Int) { organisations(first: $n) { nodes { slug } } }", json!({"n": 1.5})),
        ] {
            let response = app.graphql(query, variables.clone()).await;
            let errors = response["errors"].as_array().unwrap_or_else(|| panic!("{query} {variables}: {response}"));
            for error in errors {
                assert_eq!(error["extensions"]["code"], json!("BAD_USER_INPUT"), "{query} {variables}: {response}");
            }
        }
    }

    async fn anonymous_callers_do_not_name_operations_in_the_metrics(backend) {
        let app = TestApp::with_demo(backend).await;
        let viewer = app.token("puuha", Role::Viewer, None).await;
        for i in 0..5 {
            let body = json!({"query": format!("query Anonymous{i} {{ __typename }}")}).to_string();
            assert_eq!(app.send(post(body, None)).await.0, StatusCode::OK);
        }
        let body = json!({"query": "query DashboardOverview { __typename }"}).to_string();
        assert_eq!(app.send(post(body, Some(&format!("Bearer {viewer}")))).await.0, StatusCode::OK);
        let metrics = app.get("/metrics").await.1;
        assert!(!metrics.contains("Anonymous0"), "{metrics}");
        assert!(metrics.contains("operation=\"unauthenticated\""), "{metrics}");
        assert!(metrics.contains("operation=\"DashboardOverview\""), "{metrics}");
    }

    async fn bad_tokens_are_rate_limited_per_address_before_they_are_looked_up(backend) {
        let app = TestApp::with_demo(backend).await.with_settings(Settings { address_rate_limit_per_minute: 5, ..test_settings() });
        let address = app.serve().await;
        let client = |authorization: &str| {
            let authorization = authorization.to_owned();
            async move {
                let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
                let body = r#"{"query":"{ __typename }"}"#;
                let request = format!(
                    "POST /graphql HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nAuthorization: {authorization}\r\nContent-Length: {}\r\n\r\n{body}",
                    body.len()
                );
                stream.write_all(request.as_bytes()).await.unwrap();
                let mut answer = String::new();
                stream.read_to_string(&mut answer).await.unwrap();
                answer
            }
        };
        for _ in 0..5 {
            let answer = client("Bearer ropa_guessed").await;
            assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
        }
        let answer = client("Bearer ropa_guessed").await;
        assert!(answer.starts_with("HTTP/1.1 429"), "{answer}");
        assert!(answer.contains("RATE_LIMITED") && answer.to_ascii_lowercase().contains("retry-after"), "{answer}");
        // The address is held back whatever it sends, a valid token included.
        let viewer = app.token("puuha", Role::Viewer, None).await;
        assert!(client(&format!("Bearer {viewer}")).await.starts_with("HTTP/1.1 429"));
    }

    async fn slow_and_idle_connections_are_closed(backend) {
        let settings = Settings {
            header_timeout: Duration::from_millis(500),
            idle_timeout: Duration::from_millis(800),
            body_timeout: Duration::from_millis(500),
            ..test_settings()
        };
        let app = TestApp::with_demo(backend).await.with_settings(settings);
        let address = app.serve().await;
        // Headers that never end.
        let mut half = tokio::net::TcpStream::connect(address).await.unwrap();
        half.write_all(b"POST /graphql HTTP/1.1\r\nHost: x\r\n").await.unwrap();
        assert!(closed_within(&mut half, Duration::from_secs(5)).await, "a half-sent request is closed");
        // A connection that never sends anything.
        let mut silent = tokio::net::TcpStream::connect(address).await.unwrap();
        assert!(closed_within(&mut silent, Duration::from_secs(5)).await, "a silent connection is closed");
        // A keep-alive connection left idle after its answer.
        let mut idle = tokio::net::TcpStream::connect(address).await.unwrap();
        idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
        let mut buffer = [0u8; 512];
        let n = idle.read(&mut buffer).await.unwrap();
        assert!(String::from_utf8_lossy(&buffer[..n]).starts_with("HTTP/1.1 200"));
        assert!(closed_within(&mut idle, Duration::from_secs(5)).await, "an idle keep-alive connection is closed");
        // A body that stops halfway: 408, coded.
        let mut slow = tokio::net::TcpStream::connect(address).await.unwrap();
        slow.write_all(b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"query\":").await.unwrap();
        let mut answer = String::new();
        let read = tokio::time::timeout(Duration::from_secs(5), async {
            let mut buffer = [0u8; 4096];
            loop {
                match slow.read(&mut buffer).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        answer.push_str(&String::from_utf8_lossy(&buffer[..n]));
                        if answer.contains("BODY_TIMEOUT") { break; }
                    }
                }
            }
        })
        .await;
        assert!(read.is_ok(), "answered in time");
        assert!(answer.starts_with("HTTP/1.1 408") && answer.contains("BODY_TIMEOUT"), "{answer}");
        // The service still answers.
        let mut fresh = tokio::net::TcpStream::connect(address).await.unwrap();
        fresh.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").await.unwrap();
        let mut answer = String::new();
        fresh.read_to_string(&mut answer).await.unwrap();
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    }
}
