//! Authentication without a database read per request: a token's actor is remembered, and a
//! revocation still takes effect at once on the instance that made it and within a second on
//! another instance sharing the database.

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::Request;
use entity::Role;
use sea_orm::{EntityTrait, QueryOrder};
use serde_json::json;
use tower::ServiceExt;

use crate::backend_test;
use crate::batching::load_synthetic;
use crate::helpers::*;

const ME: &str = "{ __typename }";

/// The status `router` answers `ME` with, as `secret`.
async fn status(router: &axum::Router, secret: &str) -> u16 {
    let request = Request::post("/graphql")
        .header("content-type", "application/json")
        .header("authorization", format!("Bearer {secret}"))
        .body(Body::from(json!({ "query": ME }).to_string()))
        .unwrap();
    router
        .clone()
        .oneshot(request)
        .await
        .unwrap()
        .status()
        .as_u16()
}

backend_test! {
    async fn a_remembered_token_costs_no_statement_and_a_revocation_ends_it_on_every_instance(backend) {
        let app = TestApp::spawn(backend).await;
        load_synthetic(&app, 1, 1, 1).await;
        let admin = app.token("org0", Role::Admin, None).await;
        let viewer = app.token("org0", Role::Viewer, None).await;
        // A second instance over the same database: its own state, connection and listener.
        let db = ropa::db::connect(&app.url).await.expect("connect");
        let other = ropa::app::router(
            ropa::AppState::with_settings(db, test_settings()).expect("the policy loads"),
        );
        assert_eq!(status(&app.router, &viewer).await, 200);
        assert_eq!(status(&other, &viewer).await, 200);

        app.reset_statement_count();
        assert_eq!(status(&app.router, &viewer).await, 200);
        assert_eq!(app.statement_count(), 0, "a remembered token is not read again");

        // The viewer's token is the newest one.
        let newest = entity::api_token::Entity::find()
            .order_by_desc(entity::api_token::Column::Id)
            .one(&app.db)
            .await
            .unwrap()
            .expect("a token");
        let id = ropa::ids::encode(ropa::ids::NodeKind::ApiToken, newest.id);
        let revoked = app
            .graphql_as(
                Some(&admin),
                "mutation($t: ID!) { revokeToken(input: {tokenId: $t}) { id revokedAt } }",
                json!({ "t": id }),
            )
            .await;
        assert!(revoked.get("errors").is_none(), "{revoked}");
        let revoked_at = Instant::now();
        assert_eq!(status(&app.router, &viewer).await, 401, "refused at once where revoked");
        loop {
            match status(&other, &viewer).await {
                401 => break,
                _ if revoked_at.elapsed() > Duration::from_secs(1) => {
                    panic!("the other instance still took the revoked token after a second")
                }
                _ => tokio::time::sleep(Duration::from_millis(20)).await,
            }
        }
        assert_eq!(status(&app.router, &admin).await, 200, "the other tokens still work");
        assert_eq!(status(&other, &admin).await, 200);
    }
}
