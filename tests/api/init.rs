//! `ropa init`: a newcomer starts their own organisation from an empty database, models a
//! register over GraphQL with the token it printed, publishes it and reads the public notice.

use axum::http::StatusCode;
use serde_json::{json, Value};

use crate::backend_test;
use crate::helpers::{error_code, TestApp};

const INIT: [&str; 7] = [
    "init",
    "--organisation",
    "acme",
    "--name",
    "Acme Oy",
    "--business-id",
    "2388488-1",
];

/// A text in Finnish, as the API takes it.
fn fi(text: &str) -> Value {
    json!([{"language": "fi", "text": text}])
}

/// `data` of a request as `token`, which must succeed.
async fn ok(app: &TestApp, token: &str, query: &str, variables: Value) -> Value {
    let response = app.graphql_as(Some(token), query, variables).await;
    assert!(response.get("errors").is_none(), "{query}: {response:#}");
    response["data"].clone()
}

backend_test! {
    async fn a_newcomer_starts_an_organisation_models_a_register_and_publishes_its_notice(backend) {
        let app = TestApp::spawn(backend).await;
        let (code, out, err) = app.ropa(&INIT);
        assert_eq!(code, 0, "{err}");
        // Only the token, so that `TOKEN=$(ropa init …)` works.
        let token = out.trim();
        assert!(token.starts_with("ropa_") && out.lines().count() == 1, "{out}");

        let me = ok(&app, token, "{ organisation(slug: \"acme\") { id name businessId defaultLanguage } }", json!({})).await;
        assert_eq!(me["organisation"]["name"], json!("Acme Oy"));
        assert_eq!(me["organisation"]["businessId"], json!("2388488-1"));
        assert_eq!(me["organisation"]["defaultLanguage"], json!("FI"));
        let organisation = me["organisation"]["id"].as_str().unwrap().to_owned();

        let register = ok(
            &app,
            token,
            "mutation($i: CreateRegisterInput!) { createRegister(input: $i) { register { id } } }",
            json!({"i": {"organisationId": organisation, "slug": "asiakasrekisteri", "kind": "CUSTOMER", "name": fi("Asiakasrekisteri")}}),
        )
        .await["createRegister"]["register"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        ok(
            &app,
            token,
            "mutation($i: CreateProcessingActivityInput!) { createProcessingActivity(input: $i) { processingActivity { id } } }",
            json!({"i": {
                "registerId": register,
                "key": "asiakassuhde",
                "name": fi("Asiakassuhteen hoito"),
                "purpose": fi("Asiakkaiden tilausten toimittaminen"),
                "legalBasis": "CONTRACT",
            }}),
        )
        .await;
        // The first notice has gaps (no contact, no retention): the admin publishes it with a
        // reason, as the API asks.
        let published = ok(
            &app,
            token,
            "mutation($i: PublishNoticeInput!) { publishNotice(input: $i) { version { number } register { status } } }",
            json!({"i": {"registerId": register, "overrideReason": "The first version, completed later"}}),
        )
        .await;
        assert_eq!(published["publishNotice"]["version"]["number"], json!(1));
        assert_eq!(published["publishNotice"]["register"]["status"], json!("PUBLISHED"));

        let (status, notice) = app.get("/notices/acme/asiakasrekisteri?format=txt").await;
        assert_eq!(status, StatusCode::OK, "{notice}");
        assert!(notice.contains("Acme Oy") && notice.contains("2388488-1"), "{notice}");
        assert!(notice.contains("Asiakkaiden tilausten toimittaminen"), "{notice}");

        // The token is the organisation's admin's, and of no other organisation.
        let (code, out, _) = app.ropa(&["init", "--organisation", "other", "--name", "Toinen Oy"]);
        assert_eq!(code, 0);
        let other = ok(&app, out.trim(), "{ organisation(slug: \"acme\") { id } }", json!({})).await;
        assert_eq!(other["organisation"], Value::Null);
        let denied = app
            .graphql_as(
                Some(out.trim()),
                "mutation($i: CreateRegisterInput!) { createRegister(input: $i) { register { id } } }",
                json!({"i": {"organisationId": organisation, "slug": "x", "kind": "CUSTOMER", "name": fi("X")}}),
            )
            .await;
        assert!(matches!(error_code(&denied), "NOT_FOUND" | "FORBIDDEN"), "{denied:#}");
    }

    async fn init_refuses_a_slug_that_exists_and_a_wrong_business_id_naming_the_option(backend) {
        let app = TestApp::spawn(backend).await;
        assert_eq!(app.ropa(&INIT).0, 0);
        let (code, out, err) = app.ropa(&INIT);
        assert_eq!(code, 1, "{err}");
        assert_eq!(out, "");
        assert!(err.contains("--organisation") && err.contains("`acme` already exists") && err.contains("CONFLICT"), "{err}");

        let (code, out, err) = app.ropa(&["init", "--organisation", "beta", "--name", "Beta Oy", "--business-id", "2388488-2"]);
        assert_eq!((code, out.as_str()), (1, ""), "{err}");
        assert!(err.contains("--business-id") && err.contains("check digit") && err.contains("BAD_USER_INPUT"), "{err}");
        let (code, _, err) = app.ropa(&["init", "--organisation", "Not A Slug", "--name", "Gamma Oy"]);
        assert_eq!(code, 1, "{err}");
        assert!(err.contains("--organisation"), "{err}");
        // Nothing of the refused ones was written.
        use sea_orm::EntityTrait;
        let slugs: Vec<String> = entity::organisation::Entity::find()
            .all(&app.db)
            .await
            .unwrap()
            .into_iter()
            .map(|o| o.slug)
            .collect();
        assert_eq!(slugs, ["acme"]);
    }
}

/// On SQLite `ropa init` creates the database file it is given, migrated.
#[test]
fn init_creates_a_new_sqlite_database() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("new.db");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_ropa"))
        .args(INIT)
        .arg("--database-url")
        .arg(format!("sqlite://{}", file.display()))
        .env_remove("ROPA_DATABASE_URL")
        .env("ROPA_LOG", "error")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(file.exists());
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("ropa_"));
}
