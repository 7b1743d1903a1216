//! NUL bytes, control and invisible characters and over-long strings: refused as
//! BAD_USER_INPUT naming the field, alike on both backends, wherever text enters (mutations,
//! lookups, paths, the importer); never an internal error.

use axum::http::StatusCode;
use entity::Role;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{json, Value};

use crate::backend_test;
use crate::batching::synthetic_document;
use crate::helpers::{error_code, TestApp};

/// The demo organisation `puuha`: its ID, its customer register and one of its activities.
struct Puuha {
    admin: String,
    org: Value,
    activity: Value,
}

async fn puuha(app: &TestApp) -> Puuha {
    let admin = app.token("puuha", Role::Admin, None).await;
    let data = app
        .graphql_as(
            Some(&admin),
            r#"{ organisation(slug: "puuha") { id register(slug: "asiakasrekisteri") {
                 activities(first: 1) { nodes { id } } } } }"#,
            json!({}),
        )
        .await;
    let org = &data["data"]["organisation"];
    Puuha {
        admin,
        org: org["id"].clone(),
        activity: org["register"]["activities"]["nodes"][0]["id"].clone(),
    }
}

/// Runs `mutation` with `$i` as the admin; it must be refused as BAD_USER_INPUT naming `field`.
async fn refused(app: &TestApp, p: &Puuha, mutation: &str, input: Value, field: &str) -> String {
    let response = app
        .graphql_as(Some(&p.admin), mutation, json!({ "i": input }))
        .await;
    assert_eq!(
        error_code(&response),
        "BAD_USER_INPUT",
        "{field}: {response:#}"
    );
    assert_eq!(
        response["errors"][0]["extensions"]["field"], field,
        "{response:#}"
    );
    response["errors"][0]["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

const CREATE_CONTACT: &str =
    "mutation($i: CreateContactInput!) { createContact(input: $i) { contact { id } } }";
const CREATE_REGISTER: &str =
    "mutation($i: CreateRegisterInput!) { createRegister(input: $i) { register { id } } }";
const CREATE_RETENTION: &str = "mutation($i: CreateRetentionRuleInput!) { createRetentionRule(input: $i) { retentionRule { id } } }";

async fn contacts(app: &TestApp) -> u64 {
    entity::contact::Entity::find()
        .count(&app.db)
        .await
        .unwrap()
}

backend_test! {
    async fn nul_in_a_text_an_email_a_slug_or_a_key_is_refused_naming_the_field(backend) {
        let app = TestApp::with_demo(backend).await;
        let p = puuha(&app).await;
        let before = contacts(&app).await;
        let contact = |key: &str, name: &str, email: &str| {
            json!({"organisationId": p.org, "key": key, "name": name, "email": email})
        };
        let message = refused(&app, &p, CREATE_CONTACT, contact("c-nul", "Nul\u{0}Name", "a@example.fi"), "name").await;
        assert!(message.contains("NUL"), "{message}");
        refused(&app, &p, CREATE_CONTACT, contact("c-nul", "Name", "tieto\u{0}suoja@example.fi"), "email").await;
        refused(&app, &p, CREATE_CONTACT, contact("c\u{0}nul", "Name", "a@example.fi"), "key").await;
        refused(&app, &p, CREATE_REGISTER,
            json!({"organisationId": p.org, "slug": "uusi\u{0}", "kind": "CUSTOMER", "name": [{"language": "fi", "text": "Uusi"}]}),
            "slug").await;
        refused(&app, &p, CREATE_REGISTER,
            json!({"organisationId": p.org, "slug": "uusi", "kind": "CUSTOMER", "name": [{"language": "fi", "text": "Uu\u{0}si"}]}),
            "name[0].text").await;
        // Another control character, in a variable and inline alike.
        refused(&app, &p, CREATE_CONTACT, contact("c-esc", "Esc\u{1b}[31m", "a@example.fi"), "name").await;
        let inline = app.graphql_as(Some(&p.admin),
            &format!(r#"mutation {{ createContact(input: {{organisationId: "{}", key: "c-bel", name: "Bel\u0007"}}) {{ contact {{ id }} }} }}"#, p.org.as_str().unwrap()),
            json!({})).await;
        assert_eq!(error_code(&inline), "BAD_USER_INPUT", "{inline:#}");
        assert_eq!(inline["errors"][0]["extensions"]["field"], "name");
        assert_eq!(contacts(&app).await, before, "nothing was written");
    }

    async fn a_stored_text_keeps_to_the_characters_of_its_shape(backend) {
        let app = TestApp::with_demo(backend).await;
        let p = puuha(&app).await;
        // A name is one line; notes may have lines and tabs, but no carriage return.
        refused(&app, &p, CREATE_CONTACT,
            json!({"organisationId": p.org, "key": "c-lines", "name": "Two\nlines"}), "name").await;
        refused(&app, &p, CREATE_REGISTER,
            json!({"organisationId": p.org, "slug": "uusi", "kind": "CUSTOMER", "name": [{"language": "fi", "text": "Uusi"}], "internalNotes": "one\r\ntwo"}),
            "internalNotes").await;
        let ok = app.graphql_as(Some(&p.admin), CREATE_REGISTER,
            json!({"i": {"organisationId": p.org, "slug": "uusi", "kind": "CUSTOMER", "name": [{"language": "fi", "text": "Uusi"}], "internalNotes": "one\n\ttwo"}})).await;
        assert!(ok.get("errors").is_none(), "{ok:#}");
    }

    async fn bidi_overrides_and_zero_width_characters_are_refused_in_an_email(backend) {
        let app = TestApp::with_demo(backend).await;
        let p = puuha(&app).await;
        let before = contacts(&app).await;
        for invisible in ["\u{202E}", "\u{2067}", "\u{200B}", "\u{2060}", "\u{FEFF}"] {
            let email = format!("tietosuoja{invisible}@example.fi");
            let message = refused(&app, &p, CREATE_CONTACT,
                json!({"organisationId": p.org, "key": "c-bidi", "name": "Bidi", "email": email}), "email").await;
            assert!(message.contains("invisible formatting character"), "{message}");
        }
        // In a name, which is not an identifier, a bidi mark is text.
        let ok = app.graphql_as(Some(&p.admin), CREATE_CONTACT,
            json!({"i": {"organisationId": p.org, "key": "c-rtl", "name": "\u{202B}שלום\u{202C}"}})).await;
        assert!(ok.get("errors").is_none(), "{ok:#}");
        assert_eq!(contacts(&app).await, before + 1);
    }

    async fn an_over_long_retention_period_is_refused_naming_the_field(backend) {
        let app = TestApp::with_demo(backend).await;
        let p = puuha(&app).await;
        let period = format!("P{}Y", "1".repeat(100));
        let message = refused(&app, &p, CREATE_RETENTION,
            json!({"activityId": p.activity, "period": period}), "period").await;
        assert!(message.contains("at most 40"), "{message}");
        let huge = format!("P{}Y", "1".repeat(200_000));
        refused(&app, &p, CREATE_RETENTION, json!({"activityId": p.activity, "period": huge}), "period").await;
        // And an over-long name, beyond its column.
        refused(&app, &p, CREATE_CONTACT,
            json!({"organisationId": p.org, "key": "c-long", "name": "x".repeat(100_000)}), "name").await;
    }

    async fn nul_in_a_path_segment_is_not_found(backend) {
        let app = TestApp::with_demo(backend).await;
        for path in [
            "/notices/puuha%00/asiakasrekisteri",
            "/notices/puuha/asiakasrekisteri%00",
            "/notices/puuha%00/asiakasrekisteri/versions/1",
            "/notices/%01%7F/x",
        ] {
            let (status, body) = app.get(path).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}: {body}");
        }
        let auditor = app.token("puuha", Role::Auditor, None).await;
        let (status, _, body) = app.download("/exports/puuha%00/art30-controller.csv", Some(&auditor)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{}", String::from_utf8_lossy(&body));
        let (status, _, _) = app.download("/exports/puuha/art30-controller.csv?register=a%00b", Some(&auditor)).await;
        assert!(status.is_client_error(), "{status}");
    }

    async fn nul_in_a_graphql_lookup_argument_is_a_coded_refusal(backend) {
        let app = TestApp::with_demo(backend).await;
        for (query, variables) in [
            ("query($s: String!) { organisation(slug: $s) { id } }", json!({"s": "puuha\u{0}"})),
            (r#"{ organisation(slug: "puuha") { register(slug: "asiakas\u0000") { id } } }"#, json!({})),
            ("query($o: String!) { publishedNotice(organisation: $o, register: \"asiakasrekisteri\") { number } }", json!({"o": "puuha\u{0}"})),
        ] {
            let response = app.graphql(query, variables).await;
            assert_eq!(error_code(&response), "BAD_USER_INPUT", "{query}: {response:#}");
        }
        // Anonymous callers get the same answer.
        let response = app.graphql_as(None, "query($o: String!) { publishedNotice(organisation: $o, register: \"x\") { number } }", json!({"o": "\u{0}"})).await;
        assert_eq!(error_code(&response), "BAD_USER_INPUT", "{response:#}");
        // A slug that could not exist, without control characters, is simply not there.
        let long = "a".repeat(100_000);
        let response = app.graphql("query($s: String!) { organisation(slug: $s) { id } }", json!({"s": long})).await;
        assert!(response.get("errors").is_none(), "{response:#}");
        assert!(response["data"]["organisation"].is_null());
    }

    async fn an_import_with_nul_names_the_document_field(backend) {
        let app = TestApp::spawn(backend).await;
        let good = synthetic_document("acme", 2, 1);
        for (source, expected) in [
            (good.replace("name: {fi: Rekisteri 1, en: Register 1}", "name: {fi: \"Rekisteri\\0 1\", en: Register 1}"), "registers[1].name.fi: contains a NUL"),
            (good.replace("slug: acme", "slug: \"acme\\0\""), "organisation.slug:"),
            (good.replace("address: Katu 1", "address: \"Katu\\0 1\""), "organisation.address: contains a NUL"),
            (good.replace("email: c0@example.fi", "email: \"c0\\u202E@example.fi\""), "contacts[0].email: contains the invisible"),
        ] {
            assert_ne!(source, good);
            let doc = ropa::service::import::parse(&source).unwrap();
            let err = ropa::service::import::import(&app.db, &doc).await.expect_err("refused");
            assert!(matches!(err, ropa::error::AppError::InvalidInput { .. }), "{err:?}");
            assert!(err.to_string().starts_with(expected), "expected `{expected}…`, got `{err}`");
        }
        assert_eq!(entity::organisation::Entity::find().count(&app.db).await.unwrap(), 0);
    }
}
