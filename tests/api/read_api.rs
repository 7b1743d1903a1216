//! The GraphQL read API: nesting, pagination, node lookup and multilingual text.

use serde_json::json;

use crate::backend_test;
use crate::batching::load_synthetic;
use crate::helpers::{error_code, TestApp};

backend_test! {
    async fn pages_walk_the_whole_list_without_gaps_or_repeats(backend) {
        let app = TestApp::spawn(backend).await;
        load_synthetic(&app, 1, 7, 1).await;
        let query = r#"query($after: String) { organisation(slug: "org0") {
            registers(first: 3, after: $after) { edges { cursor node { slug } } pageInfo { hasNextPage hasPreviousPage endCursor } } } }"#;
        let mut after = serde_json::Value::Null;
        let mut seen = Vec::new();
        let mut pages = 0;
        loop {
            let data = app.query(query, json!({ "after": after })).await;
            let page = &data["organisation"]["registers"];
            assert_eq!(page["pageInfo"]["hasPreviousPage"], json!(!after.is_null()));
            for edge in page["edges"].as_array().unwrap() {
                seen.push(edge["node"]["slug"].as_str().unwrap().to_owned());
            }
            pages += 1;
            if page["pageInfo"]["hasNextPage"] == json!(false) {
                break;
            }
            after = page["pageInfo"]["endCursor"].clone();
        }
        assert_eq!(pages, 3);
        assert_eq!(seen, (0..7).map(|i| format!("reg{i}")).collect::<Vec<_>>());
    }

    async fn page_sizes_are_bounded(backend) {
        let app = TestApp::spawn(backend).await;
        load_synthetic(&app, 1, 1, 1).await;
        for (query, field) in [
            ("{ organisations(first: 101) { nodes { slug } } }", "first"),
            ("{ organisations(first: -1) { nodes { slug } } }", "first"),
            (r#"{ organisation(slug: "org0") { registers(first: 1000) { nodes { slug } } } }"#, "first"),
            (r#"{ organisation(slug: "org0") { registers(after: "not-a-cursor") { nodes { slug } } } }"#, "after"),
        ] {
            let response = app.graphql(query, json!({})).await;
            assert_eq!(error_code(&response), "BAD_USER_INPUT", "{query}: {response}");
            assert_eq!(response["errors"][0]["extensions"]["field"], json!(field));
        }
        let data = app.query("{ organisations(first: 100) { nodes { slug } } }", json!({})).await;
        assert_eq!(data["organisations"]["nodes"].as_array().unwrap().len(), 1);
        let data = app.query("{ organisations { pageInfo { hasNextPage } } }", json!({})).await;
        assert_eq!(data["organisations"]["pageInfo"]["hasNextPage"], json!(false));
    }

    async fn any_node_is_found_by_its_id_and_a_foreign_id_by_none(backend) {
        let app = TestApp::spawn(backend).await;
        load_synthetic(&app, 1, 1, 1).await;
        let data = app.query(r#"{ organisation(slug: "org0") { id registers { nodes { id activities { nodes { id
            transfers { nodes { id } } retentionRules { nodes { id } } recipients { nodes { id } } } } } }
            contacts { nodes { id } } parties { nodes { id } } dataSubjectCategories { nodes { id } }
            personalDataCategories { nodes { id } } dataSources { nodes { id } } securityMeasures { nodes { id } } } }"#, json!({})).await;
        let mut ids = Vec::new();
        collect_ids(&data, &mut ids);
        assert!(ids.len() >= 12, "{ids:?}");
        for id in &ids {
            let found = app.query("query($id: ID!) { node(id: $id) { id __typename } }", json!({ "id": id })).await;
            assert_eq!(&found["node"]["id"], id);
        }
        for missing in ["reg_0193a6b2c3d47e8f9a0b1c2d3e4f5a6b", "nonsense", ""] {
            let found = app.query("query($id: ID!) { node(id: $id) { id } }", json!({ "id": missing })).await;
            assert_eq!(found["node"], serde_json::Value::Null);
        }
    }

    async fn texts_fall_back_visibly_to_another_language(backend) {
        let app = TestApp::spawn(backend).await;
        load_synthetic(&app, 1, 1, 1).await;
        let data = app.query(r#"{ organisation(slug: "org0") { registers { nodes {
            name { translations { language text } sv: text(language: SV) { text language isFallback } en: text(language: EN) { text isFallback } }
            activities { nodes { purpose { en: text(language: EN) { text language isFallback } } } } } } } }"#, json!({})).await;
        let register = &data["organisation"]["registers"]["nodes"][0];
        assert_eq!(register["name"]["translations"], json!([{"language": "FI", "text": "Rekisteri 0"}, {"language": "EN", "text": "Register 0"}]));
        assert_eq!(register["name"]["sv"], json!({"text": "Rekisteri 0", "language": "FI", "isFallback": true}));
        assert_eq!(register["name"]["en"], json!({"text": "Register 0", "isFallback": false}));
        assert_eq!(register["activities"]["nodes"][0]["purpose"]["en"], json!({"text": "Tarkoitus 0", "language": "FI", "isFallback": true}));
    }
}

fn collect_ids(value: &serde_json::Value, ids: &mut Vec<serde_json::Value>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, v) in map {
                if key == "id" {
                    ids.push(v.clone());
                } else {
                    collect_ids(v, ids);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_ids(v, ids)),
        _ => {}
    }
}

backend_test! {
    async fn adequacy_decisions_are_public_and_dated(backend) {
        let app = TestApp::spawn(backend).await;
        load_synthetic(&app, 1, 1, 1).await;
        let anonymous = app
            .graphql_as(None, r#"{ all: adequacyDecisions { destination } then: adequacyDecisions(on: "2021-01-01") { destination validUntil } }"#, json!({}))
            .await;
        let all: Vec<&str> = anonymous["data"]["all"].as_array().unwrap().iter().map(|d| d["destination"].as_str().unwrap()).collect();
        assert!(all.contains(&"JP") && all.contains(&"US") && all.contains(&"EPO"));
        let then: Vec<&str> = anonymous["data"]["then"].as_array().unwrap().iter().map(|d| d["destination"].as_str().unwrap()).collect();
        assert!(!then.contains(&"US") && !then.contains(&"KR") && then.contains(&"JP"), "{then:?}");
        let data = app
            .query(r#"{ organisation(slug: "org0") { transfers { nodes { country before: adequacy(on: "2023-01-01") { decision } after: adequacy(on: "2024-01-01") { decision scope } } } } }"#, json!({}))
            .await;
        let transfer = &data["organisation"]["transfers"]["nodes"][0];
        assert_eq!(transfer["country"], json!("US"));
        assert_eq!(transfer["before"], serde_json::Value::Null, "no decision for the US before July 2023");
        assert!(transfer["after"]["decision"].as_str().unwrap().contains("2023/1795"));
    }
}
