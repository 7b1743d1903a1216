//! Importing documents: validated, all or nothing.

use entity::*;
use ropa::ids::{encode, NodeKind};
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::json;

use crate::backend_test;
use crate::batching::{load_synthetic, synthetic_document};
use crate::helpers::{error_code, TestApp};

async fn node_count(app: &TestApp) -> u64 {
    organisation::Entity::find().count(&app.db).await.unwrap()
        + contact::Entity::find().count(&app.db).await.unwrap()
        + party::Entity::find().count(&app.db).await.unwrap()
        + register::Entity::find().count(&app.db).await.unwrap()
        + processing_activity::Entity::find()
            .count(&app.db)
            .await
            .unwrap()
        + activity_recipient::Entity::find()
            .count(&app.db)
            .await
            .unwrap()
        + transfer::Entity::find().count(&app.db).await.unwrap()
}

async fn import_error(app: &TestApp, source: &str) -> String {
    let doc = ropa::service::import::parse(source).map_err(|e| e.to_string());
    match doc {
        Err(e) => e,
        Ok(doc) => ropa::service::import::import(&app.db, &doc)
            .await
            .expect_err("import must fail")
            .to_string(),
    }
}

backend_test! {
    async fn a_bad_document_names_the_field_and_leaves_nothing_behind(backend) {
        let app = TestApp::spawn(backend).await;
        let good = synthetic_document("acme", 2, 2);
        let cases = [
            (good.replace("business_id: 2388488-1", "business_id: 2388488-2"), "organisation.business_id: must be a Finnish business ID"),
            (good.replace("country: US", "country: ZZ"), "registers[0].activities[0].transfers[0].country: must be an ISO 3166-1"),
            (good.replace("period: P10Y", "period: 10 years"), "registers[0].activities[0].retention[0].period: must be an ISO 8601 duration"),
            (good.replace("recipients: [r1, r2]", "recipients: [r1, nobody]"), "registers[0].activities[0].recipients[1]: refers to `nobody`"),
            (good.replace("languages: [fi, en]", "languages: [fi, de]"), "registers[0].languages[1]: must be one of the supported languages"),
            (good.replace("slug: reg1", "slug: reg0"), "registers[1].slug: key `reg0` is used twice"),
            (good.replace("name: {fi: Rekisteri 1, en: Register 1}", "name: {fi: Rekisteri 1, de: Register 1}"), "registers[1].name.de: must be one of the supported languages"),
        ];
        for (source, expected) in cases {
            let message = import_error(&app, &source).await;
            assert!(message.starts_with(expected), "expected `{expected}…`, got `{message}`");
            assert_eq!(node_count(&app).await, 0, "a failed import leaves nothing behind ({expected})");
        }
        let doc = ropa::service::import::parse(&good).unwrap();
        let summary = ropa::service::import::import(&app.db, &doc).await.expect("the good document imports");
        assert_eq!((summary.registers, summary.activities), (2, 4));
        let again = ropa::service::import::import(&app.db, &doc).await.expect_err("slugs are unique");
        assert!(again.to_string().contains("already exists"));
    }

    async fn unknown_fields_are_refused(backend) {
        let app = TestApp::spawn(backend).await;
        let message = import_error(&app, "organisation: {slug: x, name: X, country: FI, colour: red}").await;
        assert!(message.contains("unknown field `colour`"), "{message}");
    }
}

/// What the GraphQL mutation answers to `input`, as the editor of `org0`: (code, field, message
/// without the field).
async fn refusal(
    app: &TestApp,
    token: &str,
    query: &str,
    input: serde_json::Value,
) -> (String, String, String) {
    let response = app
        .graphql_as(Some(token), query, serde_json::json!({"i": input}))
        .await;
    let field = response["errors"][0]["extensions"]["field"]
        .as_str()
        .unwrap_or_else(|| panic!("{response:#}"))
        .to_owned();
    let message = response["errors"][0]["message"]
        .as_str()
        .unwrap()
        .to_owned();
    let message = message
        .strip_prefix(&format!("{field}: "))
        .unwrap_or(&message)
        .to_owned();
    (error_code(&response).to_owned(), field, message)
}

/// What the import answers to `source`: (code, field, message without the field).
async fn import_refusal(app: &TestApp, source: &str) -> (String, String, String) {
    let doc = ropa::service::import::parse(source).unwrap();
    match ropa::service::import::import(&app.db, &doc)
        .await
        .expect_err("the import must be refused")
    {
        err @ ropa::error::AppError::InvalidInput { .. } => {
            let code = err.code().to_owned();
            let ropa::error::AppError::InvalidInput { field, message } = err else {
                unreachable!()
            };
            (code, field, message)
        }
        other => panic!("not a refusal of input: {other:?}"),
    }
}

backend_test! {
    async fn the_import_refuses_what_the_api_refuses_with_the_same_error_at_the_document_path(backend) {
        let app = TestApp::spawn(backend).await;
        load_synthetic(&app, 1, 1, 1).await;
        let token = app.token("org0", Role::Editor, None).await;
        let org = organisation::Entity::find().one(&app.db).await.unwrap().unwrap();
        let register = register::Entity::find().one(&app.db).await.unwrap().unwrap();
        let before = node_count(&app).await;
        let events = audit_event::Entity::find().count(&app.db).await.unwrap();
        let good = synthetic_document("acme", 2, 1);
        let create_activity = "mutation($i: CreateProcessingActivityInput!) { createProcessingActivity(input: $i) { processingActivity { id } } }";
        let create_contact = "mutation($i: CreateContactInput!) { createContact(input: $i) { contact { id } } }";
        let fi = |t: &str| json!([{"language": "fi", "text": t}]);
        let cases = [
            (
                // Legitimate interests as the basis, the interests not stated, in a published register.
                good.replace("legal_basis: contract\n        counterpart: p1\n        legitimate_interests: Service\n", "legal_basis: legitimate_interests\n        counterpart: p1\n"),
                "registers[0].activities[0].legitimate_interests",
                create_activity,
                json!({"registerId": encode(NodeKind::Register, register.id), "key": "li", "name": fi("Uusi"), "legalBasis": "LEGITIMATE_INTERESTS"}),
                "legitimateInterests",
            ),
            (
                good.replace("name: Contact One", &format!("name: {}", "x".repeat(301))),
                "contacts[1].name",
                create_contact,
                json!({"organisationId": encode(NodeKind::Organisation, org.id), "key": "long", "name": "x".repeat(301)}),
                "name",
            ),
            (
                good.replace("email: c0@example.fi", "email: tietosuoja(at)example.fi"),
                "contacts[0].email",
                create_contact,
                json!({"organisationId": encode(NodeKind::Organisation, org.id), "key": "mail", "name": "Mail", "email": "tietosuoja(at)example.fi"}),
                "email",
            ),
        ];
        for (source, path, query, input, field) in cases {
            assert_ne!(source, good, "{path}: the edit must change the document");
            let (code, import_field, import_message) = import_refusal(&app, &source).await;
            assert_eq!(import_field, path);
            let (api_code, api_field, api_message) = refusal(&app, &token, query, input).await;
            assert_eq!((code.as_str(), import_message.as_str()), (api_code.as_str(), api_message.as_str()), "{path}: the same refusal");
            assert_eq!(code, "BAD_USER_INPUT");
            assert_eq!(api_field, field);
            assert_eq!(node_count(&app).await, before, "{path}: a refused import leaves nothing behind");
            assert_eq!(audit_event::Entity::find().count(&app.db).await.unwrap(), events, "{path}: and no audit event");
        }
    }

    async fn a_draft_register_imports_the_gaps_a_register_in_use_refuses(backend) {
        let app = TestApp::spawn(backend).await;
        let good = synthetic_document("acme", 1, 1);
        let gap = good.replace("legal_basis: contract\n        counterpart: p1\n        legitimate_interests: Service\n", "legal_basis: legitimate_interests\n        counterpart: p1\n");
        let (_, field, _) = import_refusal(&app, &gap).await;
        assert_eq!(field, "registers[0].activities[0].legitimate_interests");
        let draft = gap.replace("status: published", "status: draft");
        let doc = ropa::service::import::parse(&draft).unwrap();
        ropa::service::import::import(&app.db, &doc).await.expect("a draft holds the gap");
    }

    async fn the_document_path_of_an_input_field(backend) {
        let _ = backend;
        let path = ropa::service::import::document_path;
        assert_eq!(path("registers[2].activities[0]", "legalBasis"), "registers[2].activities[0].legal_basis");
        assert_eq!(path("organisation", "businessId"), "organisation.business_id");
        assert_eq!(path("organisation", "dpoContactId"), "organisation.dpo");
        assert_eq!(path("organisation", "supervisoryAuthorityId"), "organisation.supervisory_authority");
        assert_eq!(path("parties[1]", "parentPartyId"), "parties[1].parent");
        assert_eq!(path("registers[0]", "contactId"), "registers[0].contact");
        assert_eq!(path("registers[0]", "name.fi"), "registers[0].name.fi");
        assert_eq!(path("registers[0]", "languages[1]"), "registers[0].languages[1]");
        assert_eq!(path("registers[0].activities[0]", "counterpartPartyId"), "registers[0].activities[0].counterpart");
        assert_eq!(path("registers[0].activities[0].retention[0]", "dataCategoryId"), "registers[0].activities[0].retention[0].data_category");
    }

    async fn the_demo_seeds_import_in_a_few_statements_per_node(backend) {
        // Every node goes through its save rule, one by one, but each kind is written in one
        // go: rows, audit events and notifications are not a statement per node.
        let app = TestApp::spawn(backend).await;
        app.reset_statement_count();
        let start = std::time::Instant::now();
        ropa::demo::load(&app.db).await.expect("the demo data loads");
        let (elapsed, statements) = (start.elapsed(), app.statement_count());
        let nodes = audit_event::Entity::find().count(&app.db).await.unwrap() as usize;
        println!("the demo import on {backend:?}: {nodes} nodes, {statements} statements, {elapsed:?}");
        assert!(statements <= nodes * 2, "{statements} statements for {nodes} nodes");
    }
}
