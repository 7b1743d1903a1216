//! The probes.

use axum::http::StatusCode;

use crate::backend_test;
use crate::helpers::TestApp;

backend_test! {
    async fn health_and_readiness_answer(backend) {
        let app = TestApp::spawn(backend).await;
        assert_eq!(app.get("/healthz").await, (StatusCode::OK, "ok".to_owned()));
        assert_eq!(app.get("/readyz").await, (StatusCode::OK, "ready".to_owned()));
    }

    async fn graphiql_is_served_whole_by_the_service_under_a_policy_without_inline_scripts(backend) {
        let app = TestApp::spawn(backend).await;
        let (status, headers, page) = app.get_with_headers("/graphiql").await;
        assert_eq!(status, StatusCode::OK);
        let policy = headers["content-security-policy"].to_str().unwrap();
        let scripts = policy.split(';').find(|d| d.trim().starts_with("script-src")).unwrap();
        assert_eq!(scripts.trim(), "script-src 'self'", "{policy}");
        assert!(!page.contains("https://") && !page.contains("<script>"), "{page}");
        let mut files = 0;
        for reference in page.split("\"/graphiql/assets/").skip(1) {
            let path = format!("/graphiql/assets/{}", &reference[..reference.find('"').unwrap()]);
            let (status, headers, body) = app.get_with_headers(&path).await;
            assert_eq!(status, StatusCode::OK, "{path}");
            let media = headers["content-type"].to_str().unwrap();
            assert!(media.starts_with("text/javascript") || media.starts_with("text/css"), "{path}: {media}");
            assert!(!body.is_empty());
            files += 1;
        }
        assert_eq!(files, 6, "GraphiQL, React, React DOM, the start script and two style sheets");
        // The start script names the endpoint, the example query and the header template.
        let init = app.get_body("/graphiql/assets/init.js".into()).await;
        assert!(init.contains("'/graphql'") && init.contains("organisations") && init.contains("Authorization"));
        assert_eq!(app.get("/graphiql/assets/nope.js").await.0, StatusCode::NOT_FOUND);
    }
}

backend_test! {
    async fn graphql_takes_only_json_posts(backend) {
        use axum::body::Body;
        use axum::http::Request;
        let app = TestApp::spawn(backend).await;
        let (status, _) = app.get("/graphql?query=%7B__typename%7D").await;
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
        for content_type in ["application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=x"] {
            let request = Request::post("/graphql")
                .header("content-type", content_type)
                .body(Body::from(r#"{"query":"{ __typename }"}"#))
                .unwrap();
            let (status, body) = app.send(request).await;
            assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{content_type}");
            assert!(body.contains("UNSUPPORTED_MEDIA_TYPE"));
        }
        let request = Request::post("/graphql").body(Body::from(r#"{"query":"{ __typename }"}"#)).unwrap();
        assert_eq!(app.send(request).await.0, StatusCode::UNSUPPORTED_MEDIA_TYPE, "no content type");
        let request = Request::post("/graphql")
            .header("content-type", "application/json; charset=utf-8")
            .body(Body::from(r#"{"query":"{ __typename }"}"#))
            .unwrap();
        let (status, body) = app.send(request).await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains("Query"));
    }
}

/// A writer that keeps what the log writes, for reading it back.
#[derive(Clone, Default)]
struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The JSON log line of each request gives its latency as a number of milliseconds.
#[tokio::test]
async fn the_json_log_of_a_request_has_its_latency_in_milliseconds_as_a_number() {
    let app = TestApp::spawn(crate::helpers::Backend::Sqlite).await;
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .json()
        .with_max_level(tracing::Level::INFO)
        .with_writer(move || writer.clone())
        .finish();
    // This test's runtime has one thread: the request runs where the subscriber is set.
    let _guard = tracing::subscriber::set_default(subscriber);
    assert_eq!(app.get("/healthz").await.0, StatusCode::OK);
    let text = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let line = text
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|l| l["fields"]["message"] == "finished processing request")
        .unwrap_or_else(|| panic!("no request line in {text}"));
    assert!(line["fields"]["latency_ms"].is_f64(), "{line}");
    assert_eq!(line["fields"]["status"], 200, "{line}");
    assert_eq!(line["span"]["path"], "/healthz", "{line}");
    assert!(line["fields"].get("latency").is_none(), "{line}");
}
