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
