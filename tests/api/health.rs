//! The probes.

use axum::http::StatusCode;

use crate::backend_test;
use crate::helpers::TestApp;

backend_test! {
    async fn health_and_readiness_answer(backend) {
        let app = TestApp::spawn(backend).await;
        assert_eq!(app.get("/healthz").await, (StatusCode::OK, "ok".to_owned()));
        assert_eq!(app.get("/readyz").await, (StatusCode::OK, "ready".to_owned()));
        let (status, page) = app.get("/graphiql").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("/graphql"));
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
