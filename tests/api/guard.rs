//! The service's protections on the real router: GraphQL limits, the HTTP surface, the rate
//! limit, timeouts, CORS, security headers and errors that hide their causes.

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use entity::Role;
use ropa::config::Settings;
use ropa::graphql::QueryLimits;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{json, Value};

use crate::backend_test;
use crate::batching::FULL_GRAPH_QUERY;
use crate::helpers::{test_settings, TestApp};

fn post(body: impl Into<Body>, token: Option<&str>) -> Request<Body> {
    let mut request = Request::post("/graphql").header(header::CONTENT_TYPE, "application/json");
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    request.body(body.into()).unwrap()
}

fn code(response: &Value) -> &str {
    response["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_default()
}

/// The standard introspection query GraphiQL and code generators send.
const INTROSPECTION: &str = r#"
query IntrospectionQuery {
  __schema {
    queryType { name } mutationType { name } subscriptionType { name }
    types { ...FullType }
    directives { name description locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description
  fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } }
}
"#;

/// What a compliance team's dashboards and the README ask for: every one must fit the default
/// limits.
const DASHBOARD_QUERIES: &[(&str, &str)] = &[
    (
        "organisations and their registers (README)",
        r#"{ organisations { nodes { slug name businessId registers { nodes { slug kind status name { text(language: EN) { text language isFallback } } } } } } }"#,
    ),
    (
        "one register's activities and where their data goes (README)",
        r#"{ organisation(slug: "puuha") { register(slug: "markkinointirekisteri") { activities { nodes {
            name { text(language: FI) { text } } legalBasis profiling
            personalDataCategories { nodes { key kind } }
            recipients { nodes { key kind party { name } } }
            transfers { nodes { country mechanism destinationInEea description { text(language: FI) { text } } } } } } } } }"#,
    ),
    (
        "a register overview at the largest page of activities",
        r#"{ organisation(slug: "puuha") { register(slug: "asiakasrekisteri") { name { text(language: FI) { text } }
            activities(first: 100) { pageInfo { hasNextPage endCursor } nodes { id key legalBasis role
              name { text(language: FI) { text } }
              dataSubjectCategories { nodes { key } }
              personalDataCategories(first: 30) { nodes { key kind } }
              recipients(first: 30) { nodes { key kind party { name country } } }
              transfers { nodes { country mechanism } }
              retentionRules { nodes { period } } } } } } }"#,
    ),
    (
        "the compliance dashboard of an organisation",
        r#"{ organisation(slug: "puuha") {
            compliance { errorCount warningCount infoCount findings { rule severity article nodeId nodeType message(language: FI) } }
            registers(first: 100) { nodes { slug status compliance { errorCount warningCount }
              noticeStatus { stale } noticeDraft(language: FI) { gapCount } } } } }"#,
    ),
    (
        "the audit trail, a page of 100",
        r#"{ organisation(slug: "puuha") { auditEvents(first: 100, newestFirst: true) { pageInfo { hasNextPage endCursor }
            nodes { id occurredAt action nodeId nodeType changedFields } } } }"#,
    ),
    (
        "the controller's record as structure",
        r#"{ organisation(slug: "puuha") { controllerRecord(language: EN) { header { title graphVersion registers { slug } }
            entries { id name { text } purposes { text } legalBasis { code label } dataSubjects { name { text } }
              dataCategories { name { text } kind { code } } recipients { name { text } thirdCountries { code } }
              transfers { country { code } mechanism { code } safeguardsReference } erasure { period { code } criteria { text } } } } } }"#,
    ),
    ("the introspection query of GraphiQL", INTROSPECTION),
];

backend_test! {
    async fn every_dashboard_query_fits_and_the_full_graph_at_the_largest_pages_does_not(backend) {
        let app = TestApp::with_demo(backend).await;
        app.use_token(Some(app.token("puuha", Role::Dpo, None).await));
        let limit = QueryLimits::default().max_cost;
        for (what, query) in DASHBOARD_QUERIES {
            let response = app.graphql(query, json!({})).await;
            assert!(response.get("errors").is_none(), "{what}: {response:#}");
            let cost = &response["extensions"]["cost"];
            assert_eq!(cost["limit"], json!(limit), "{what}");
            let requested = cost["requested"].as_u64().expect("the cost is reported");
            assert!(requested <= limit / 2, "{what} costs {requested}: keep room below {limit}");
        }
        let response = app.graphql(FULL_GRAPH_QUERY, json!({})).await;
        assert_eq!(code(&response), "QUERY_TOO_COSTLY", "{response:#}");
        assert!(response["data"].is_null(), "nothing ran");
        assert!(response["errors"][0]["extensions"]["actual"].as_u64().unwrap() > 100 * limit);
    }

    async fn each_limit_refuses_with_its_own_code_before_anything_runs(backend) {
        let app = TestApp::with_demo(backend).await.with_settings(Settings {
            limits: QueryLimits { max_depth: 6, max_cost: 1_000, max_fields: 40, max_aliases: 3 },
            ..test_settings()
        });
        let deep = "{ organisations { nodes { registers { nodes { activities { nodes { key } } } } } } }";
        let many_fields = format!("{{ {} }}", vec!["__typename"; 41].join(" "));
        let aliases = "{ a: __typename b: __typename c: __typename d: __typename }";
        let costly = "{ organisations(first: 50) { nodes { registers(first: 50) { nodes { slug } } } } }";
        // What authenticating the request costs, before any resolver.
        app.graphql("{ __typename }", json!({})).await;
        app.reset_statement_count();
        app.graphql("{ __typename }", json!({})).await;
        let authentication = app.statement_count();
        for (query, expected, actual) in [
            (deep, "QUERY_TOO_DEEP", 7),
            (many_fields.as_str(), "TOO_MANY_FIELDS", 41),
            (aliases, "TOO_MANY_ALIASES", 4),
            (costly, "QUERY_TOO_COSTLY", 50 * (1 + 1 + 50 * (1 + 1)) + 1),
        ] {
            app.reset_statement_count();
            let response = app.graphql(query, json!({})).await;
            assert_eq!(code(&response), expected, "{query}: {response:#}");
            assert_eq!(response["errors"][0]["extensions"]["actual"], json!(actual), "{query}");
            assert!(response["data"].is_null());
            assert_eq!(app.statement_count(), authentication, "{expected}: no resolver ran");
        }
        // A mutation past a limit changes nothing.
        let response = app
            .graphql(
                "mutation { a: revokeToken(input: {tokenId: \"tok_x\"}) { id } b: revokeToken(input: {tokenId: \"tok_y\"}) { id } c: revokeToken(input: {tokenId: \"tok_z\"}) { id } d: revokeToken(input: {tokenId: \"tok_w\"}) { id } }",
                json!({}),
            )
            .await;
        assert_eq!(code(&response), "TOO_MANY_ALIASES");
        // Page sizes from variables and their defaults count too.
        let query = "query($n: Int = 50) { organisations(first: $n) { nodes { registers(first: $n) { nodes { slug } } } } }";
        assert_eq!(code(&app.graphql(query, json!({})).await), "QUERY_TOO_COSTLY");
        let fits = app.graphql(query, json!({ "n": 5 })).await;
        assert!(fits.get("errors").is_none(), "{fits:#}");
        assert_eq!(fits["extensions"]["cost"]["requested"], json!(5 * (1 + 1 + 5 * (1 + 1)) + 1));
        // Errors async-graphql raises get codes too: a query that does not validate, an
        // argument that does not parse.
        assert_eq!(code(&app.graphql("{ nosuchfield }", json!({})).await), "GRAPHQL_VALIDATION_FAILED");
        assert_eq!(code(&app.graphql("{ organisations(first: 2) { nodes { registers(first: 9999999999) { nodes { slug } } } } }", json!({})).await), "BAD_USER_INPUT");
        // __typename counts as a field.
        let typenames = app.graphql("{ __typename organisations(first: 1) { __typename nodes { __typename } } }", json!({})).await;
        assert_eq!(typenames["extensions"]["cost"]["fields"], json!(5));
    }

    async fn fragments_spread_many_times_over_are_measured_quickly(backend) {
        let app = TestApp::spawn(backend).await;
        // Each fragment spreads the one below it twice: 2^levels fields when expanded.
        let bomb = |levels: usize| {
            let mut document = String::from("query { ...F0 }\n");
            for i in 0..levels {
                document.push_str(&format!("fragment F{i} on Query {{ ...F{} ...F{} }}\n", i + 1, i + 1));
            }
            document.push_str(&format!("fragment F{levels} on Query {{ __typename }}\n"));
            document
        };
        for (levels, expected) in [(40, "QUERY_TOO_DEEP"), (17, "TOO_MANY_FIELDS")] {
            let started = Instant::now();
            let response = app.graphql(&bomb(levels), json!({})).await;
            assert!(started.elapsed() < Duration::from_secs(5), "{levels} levels measured in {:?}", started.elapsed());
            assert_eq!(code(&response), expected, "{levels} levels: {response:#}");
        }
        // A cycle of fragments is measured and then refused by validation.
        let cycle = "query { ...A } fragment A on Query { ...B } fragment B on Query { __typename ...A }";
        let response = app.graphql(cycle, json!({})).await;
        assert!(response["errors"].as_array().is_some_and(|e| !e.is_empty()), "{response:#}");
    }

    async fn one_operation_per_request_and_bodies_within_the_limit(backend) {
        let app = TestApp::spawn(backend).await.with_settings(Settings { max_body_bytes: 1_000, ..test_settings() });
        let (status, body) = app.send(post(r#"[{"query":"{ __typename }"},{"query":"{ __typename }"}]"#, None)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(code(&serde_json::from_str(&body).unwrap()), "BATCH_NOT_SUPPORTED");

        let (status, body) = app.send(post("{not json", None)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(code(&serde_json::from_str(&body).unwrap()), "BAD_REQUEST");

        // Exactly at the limit: answered; one byte over: refused, with or without a length.
        let padded = |size: usize| {
            let head = r#"{"query":"{ __typename }","variables":{"pad":""#;
            let tail = r#""}}"#;
            format!("{head}{}{tail}", "x".repeat(size - head.len() - tail.len()))
        };
        let (status, body) = app.send(post(padded(1_000), None)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (status, body) = app.send(post(padded(1_001), None)).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(code(&serde_json::from_str(&body).unwrap()), "PAYLOAD_TOO_LARGE");
        let chunks = futures_util::stream::iter(
            padded(1_001).into_bytes().chunks(100).map(|c| Ok::<_, std::io::Error>(c.to_vec())).collect::<Vec<_>>(),
        );
        let (status, _) = app.send(post(Body::from_stream(chunks), None)).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "a streamed body without a length");
    }

    async fn a_mutation_sent_as_a_form_changes_nothing(backend) {
        let app = TestApp::with_demo(backend).await;
        let admin = app.token("puuha", Role::Admin, None).await;
        let events = || async { entity::audit_event::Entity::find().count(&app.db).await.unwrap() };
        let before = events().await;
        for (content_type, body) in [
            ("application/x-www-form-urlencoded", "query=mutation%20%7B%20updateOrganisation(input%3A%20%7Bid%3A%20%22x%22%2C%20version%3A%201%7D)%20%7B%20organisation%20%7B%20id%20%7D%20%7D%20%7D"),
            ("multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"query\"\r\n\r\nmutation { revokeToken(input: {tokenId: \"tok_x\"}) { id } }\r\n--b--\r\n"),
            ("text/plain", r#"{"query":"mutation { revokeToken(input: {tokenId: \"tok_x\"}) { id } }"}"#),
        ] {
            let request = Request::post("/graphql")
                .header(header::CONTENT_TYPE, content_type)
                .header(header::AUTHORIZATION, format!("Bearer {admin}"))
                .body(Body::from(body))
                .unwrap();
            let (status, _) = app.send(request).await;
            assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{content_type}");
        }
        assert_eq!(events().await, before, "no change was made");
    }

    async fn introspection_and_suggestions_can_be_switched_off(backend) {
        let app = TestApp::spawn(backend).await;
        let on = app.graphql("{ __schema { queryType { name } } }", json!({})).await;
        assert_eq!(on["data"]["__schema"]["queryType"]["name"], "Query");
        let typo = app.graphql("{ organisatios { nodes { slug } } }", json!({})).await;
        assert!(typo["errors"][0]["message"].as_str().unwrap().contains("Did you mean"), "{typo:#}");

        let app = app.with_settings(Settings { introspection: false, graphiql: false, ..test_settings() });
        let off = app.graphql("{ __schema { queryType { name } } __type(name: \"Register\") { fields { name } } }", json!({})).await;
        assert!(off["data"]["__schema"].is_null(), "{off:#}");
        assert!(off["data"]["__type"].is_null(), "{off:#}");
        let typo = app.graphql("{ organisatios { nodes { slug } } }", json!({})).await;
        assert!(!typo["errors"][0]["message"].as_str().unwrap().contains("Did you mean"), "{typo:#}");
        assert_eq!(app.get("/graphiql").await.0, StatusCode::NOT_FOUND);
    }

    async fn each_token_has_its_own_rate_and_a_refusal_says_when_to_retry(backend) {
        let app = TestApp::with_demo(backend).await.with_settings(Settings { rate_limit_per_minute: 5, ..test_settings() });
        let first = app.token("puuha", Role::Viewer, None).await;
        let second = app.token("puuha", Role::Viewer, None).await;
        for _ in 0..5 {
            assert_eq!(app.send(post(r#"{"query":"{ me { name } }"}"#, Some(&first))).await.0, StatusCode::OK);
        }
        let (status, headers, body) = app.send_full(post(r#"{"query":"{ me { name } }"}"#, Some(&first))).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(code(&serde_json::from_str(&body).unwrap()), "RATE_LIMITED");
        let retry: u64 = headers[header::RETRY_AFTER].to_str().unwrap().parse().unwrap();
        assert!((1..=12).contains(&retry), "Retry-After: {retry}");
        // Another token is not held back; exports count against the same token.
        assert_eq!(app.send(post(r#"{"query":"{ me { name } }"}"#, Some(&second))).await.0, StatusCode::OK);
        assert_eq!(app.download("/exports/puuha/art30-controller.csv", Some(&first)).await.0, StatusCode::TOO_MANY_REQUESTS);
        let metrics = app.get("/metrics").await.1;
        assert!(metrics.contains("ropa_rate_limited_total 2"), "{metrics}");
    }

    async fn a_request_over_time_is_answered_503_and_changes_nothing(backend) {
        let app = TestApp::with_demo(backend).await.with_settings(Settings { request_timeout: Duration::ZERO, ..test_settings() });
        let admin = app.token("puuha", Role::Admin, None).await;
        let before = entity::audit_event::Entity::find().count(&app.db).await.unwrap();
        use sea_orm::sea_query::Expr;
        use sea_orm::{ColumnTrait, QueryFilter};
        use entity::organisation::Column;
        let org = entity::organisation::Entity::find().filter(Column::Slug.eq("puuha")).one(&app.db).await.unwrap().unwrap();
        let mutation = json!({
            "query": "mutation($i: UpdateOrganisationInput!) { updateOrganisation(input: $i) { organisation { version } } }",
            "variables": { "i": { "id": ropa::ids::encode(ropa::ids::NodeKind::Organisation, org.id), "version": org.version, "name": "Too late Oy" } },
        });
        // A change of the organisation in progress holds its row (and, on SQLite, the writers'
        // queue), so the request is still waiting when its time is up, however fast the machine.
        let in_progress = ropa::write::Write::begin(&app.db, &app.state.write_gate, ropa::audit::Author::cli()).await.unwrap();
        entity::organisation::Entity::update_many()
            .col_expr(Column::Version, Expr::col(Column::Version).into())
            .filter(Column::Id.eq(org.id))
            .exec(&in_progress.txn)
            .await
            .unwrap();
        let (status, headers, body) = app.send_full(post(mutation.to_string(), Some(&admin))).await;
        drop(in_progress);
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
        assert_eq!(code(&serde_json::from_str(&body).unwrap()), "TIMEOUT");
        assert!(headers.contains_key(header::RETRY_AFTER));
        assert_eq!(entity::audit_event::Entity::find().count(&app.db).await.unwrap(), before);
        let stored = entity::organisation::Entity::find_by_id(org.id).one(&app.db).await.unwrap().unwrap();
        assert_eq!(stored.name, org.name);
    }

    async fn cors_is_closed_unless_an_origin_is_configured(backend) {
        let preflight = || {
            Request::builder()
                .method("OPTIONS")
                .uri("/graphql")
                .header(header::ORIGIN, "https://dashboard.example.fi")
                .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
                .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "authorization, content-type")
                .body(Body::empty())
                .unwrap()
        };
        let app = TestApp::spawn(backend).await;
        let (_, headers, _) = app.send_full(preflight()).await;
        assert!(!headers.contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN), "{headers:?}");
        let mut simple = post(r#"{"query":"{ __typename }"}"#, None);
        simple.headers_mut().insert(header::ORIGIN, "https://evil.example".parse().unwrap());
        let (_, headers, _) = app.send_full(simple).await;
        assert!(!headers.contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN));

        let app = app.with_settings(Settings { cors_origins: vec!["https://dashboard.example.fi".into()], ..test_settings() });
        let (_, headers, _) = app.send_full(preflight()).await;
        assert_eq!(headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "https://dashboard.example.fi");
        let mut other = preflight();
        other.headers_mut().insert(header::ORIGIN, "https://evil.example".parse().unwrap());
        let (_, headers, _) = app.send_full(other).await;
        assert!(!headers.contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN));
    }

    async fn html_pages_carry_security_headers_and_every_response_a_request_id(backend) {
        let app = TestApp::with_demo(backend).await;
        let auditor = app.token("puuha", Role::Auditor, None).await;
        let dpo = app.token("puuha", Role::Dpo, None).await;
        let register = app.query(r#"{ organisation(slug: "puuha") { register(slug: "asiakasrekisteri") { id } } }"#, json!({})).await;
        let published = app
            .graphql_as(
                Some(&dpo),
                "mutation($id: ID!) { publishNotice(input: {registerId: $id, overrideReason: \"Published in a test\"}) { version { number } } }",
                json!({ "id": register["organisation"]["register"]["id"] }),
            )
            .await;
        assert!(published.get("errors").is_none(), "{published:#}");
        let pages = [
            app.get_with_headers("/graphiql").await.1,
            app.get_with_headers("/notices/puuha/asiakasrekisteri?lang=en").await.1,
            app.download("/exports/puuha/art30-controller.html", Some(&auditor)).await.1,
        ];
        for headers in pages {
            assert!(headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/html"));
            assert!(headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap().contains("frame-ancestors 'none'"));
            assert_eq!(headers[header::X_FRAME_OPTIONS], "DENY");
            assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
            assert_eq!(headers[header::REFERRER_POLICY], "no-referrer");
        }
        let (_, headers, _) = app.send_full(post(r#"{"query":"{ __typename }"}"#, None)).await;
        let id = headers["x-request-id"].to_str().unwrap();
        assert_eq!(id.len(), 36, "a UUID: {id}");
        // A request ID the client sends is kept.
        let mut request = post(r#"{"query":"{ __typename }"}"#, None);
        request.headers_mut().insert("x-request-id", "trace-123".parse().unwrap());
        assert_eq!(app.send_full(request).await.1["x-request-id"], "trace-123");
    }

    async fn an_internal_error_shows_a_request_id_and_no_cause(backend) {
        use sea_orm::ConnectionTrait;
        let app = TestApp::with_demo(backend).await;
        // Break the storage under the running service: the acknowledgements are gone.
        app.owner.execute_unprepared("DROP TABLE acknowledgement").await.unwrap();
        let (status, headers, body) = app
            .send_full(post(r#"{"query":"{ organisation(slug: \"puuha\") { compliance { errorCount } } }"}"#, app_token(&app).as_deref()))
            .await;
        assert_eq!(status, StatusCode::OK);
        let response: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(code(&response), "INTERNAL_SERVER_ERROR", "{response:#}");
        assert_eq!(response["errors"][0]["message"], "internal error");
        assert_eq!(response["errors"][0]["extensions"]["requestId"], json!(headers["x-request-id"].to_str().unwrap()));
        let lower = body.to_lowercase();
        for leak in ["acknowledgement", "sql", "table", "relation", "src/", ".rs"] {
            assert!(!lower.contains(leak), "the response tells {leak:?}: {body}");
        }
    }

    async fn metrics_count_requests_operations_and_the_pool(backend) {
        let app = TestApp::with_demo(backend).await;
        app.graphql("query Dashboard { organisations { nodes { slug } } }", json!({})).await;
        app.graphql("query Dashboard { organisations { nodes { slug } } }", json!({})).await;
        app.graphql("query TooDeep { a: __typename b: __typename }", json!({})).await;
        let (status, headers, text) = app.get_with_headers("/metrics").await;
        assert_eq!(status, StatusCode::OK);
        assert!(headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("application/openmetrics-text"));
        for expected in [
            r#"ropa_graphql_operations_total{operation="Dashboard",outcome="OK"} 2"#,
            r#"ropa_http_requests_total{route="/graphql",method="POST",status="200"}"#,
            r#"ropa_http_request_duration_seconds_bucket{le="#,
            r#"ropa_graphql_operation_duration_seconds_count{operation="Dashboard"} 2"#,
            r#"ropa_db_pool_connections{state="max"}"#,
            "ropa_rate_limited_total 0",
        ] {
            assert!(text.contains(expected), "missing {expected}:\n{text}");
        }
    }
}

/// The bearer of the app's requests, as `graphql` sends it.
fn app_token(app: &TestApp) -> Option<String> {
    app.bearer()
}

backend_test! {
    async fn a_record_costs_what_it_reads(backend) {
        // Two organisations, of 2 and of 40 activities; the same query for each.
        let small = TestApp::spawn(backend).await;
        crate::batching::load_synthetic(&small, 1, 1, 2).await;
        small.sign_in_as_auditor_everywhere().await;
        let large = TestApp::spawn(backend).await;
        crate::batching::load_synthetic(&large, 1, 2, 20).await;
        large.sign_in_as_auditor_everywhere().await;
        let query = r#"{ organisation(slug: "org0") { controllerRecord { header { title } } } }"#;
        let read = |r: &serde_json::Value| r["extensions"]["cost"]["read"].as_u64().expect("cost.read");
        let a = small.graphql(query, json!({})).await;
        let b = large.graphql(query, json!({})).await;
        assert!(a.get("errors").is_none() && b.get("errors").is_none(), "{a:#} {b:#}");
        assert_eq!(a["extensions"]["cost"]["requested"], b["extensions"]["cost"]["requested"], "the same document");
        assert_eq!(read(&a), 2 * ropa::graphql::limits::PER_ACTIVITY);
        assert_eq!(read(&b), 40 * ropa::graphql::limits::PER_ACTIVITY, "20 times the activities, 20 times the cost");

        // Within a limit that the document fits but the larger organisation's record does not.
        let tight = large.with_settings(Settings {
            limits: QueryLimits {
                max_cost: a["extensions"]["cost"]["requested"].as_u64().unwrap() + 100,
                ..test_settings().limits
            },
            ..test_settings()
        });
        tight.sign_in_as_auditor_everywhere().await;
        let refused = tight.graphql(query, json!({})).await;
        assert_eq!(code(&refused), "QUERY_TOO_COSTLY", "{refused:#}");
        assert!(refused["errors"][0]["message"].as_str().unwrap().contains("controllerRecord reads 40 processing activities"), "{refused:#}");
    }
}
