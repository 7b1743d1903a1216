//! Compliance findings over GraphQL: reports, filters, findings on nodes, acknowledgements.

use entity::Role;
use serde_json::{json, Value};

use crate::backend_test;
use crate::helpers::{error_code, TestApp};

const REPORT: &str = "query($slug: String!, $rules: [String!], $sev: [FindingSeverity!], $ack: Boolean = false) {
    organisation(slug: $slug) { compliance(rules: $rules, severities: $sev, includeAcknowledged: $ack) {
        checkedOn errorCount warningCount infoCount acknowledgedCount
        findings { rule severity article nodeId nodeType registerId message(language: FI)
            acknowledgement { id reason acknowledgedBy acknowledgedAt version } } } } }";

async fn report(app: &TestApp, token: &str, vars: Value) -> Value {
    let response = app.graphql_as(Some(token), REPORT, vars).await;
    assert!(response.get("errors").is_none(), "{response}");
    response["data"]["organisation"]["compliance"].clone()
}

fn rules_of(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_owned())
        .collect()
}

async fn activity_id(app: &TestApp, key: &str) -> String {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let activity = entity::processing_activity::Entity::find()
        .filter(entity::processing_activity::Column::Key.eq(key))
        .one(&app.db)
        .await
        .unwrap()
        .expect("activity");
    ropa::ids::encode(ropa::ids::NodeKind::ProcessingActivity, activity.id)
}

backend_test! {
    async fn the_report_counts_filters_and_names_what_to_fix(backend) {
        let app = TestApp::with_demo(backend).await;
        let viewer = app.token("puuha", Role::Viewer, None).await;
        let all = report(&app, &viewer, json!({"slug": "puuha"})).await;
        let findings = all["findings"].as_array().unwrap();
        let errors = findings.iter().filter(|f| f["severity"] == "ERROR").count();
        let warnings = findings.iter().filter(|f| f["severity"] == "WARNING").count();
        assert!(errors > 0 && warnings > 0, "{all}");
        assert_eq!(all["errorCount"], json!(errors));
        assert_eq!(all["warningCount"], json!(warnings));
        assert_eq!(all["acknowledgedCount"], json!(0));
        for f in findings {
            let message = f["message"].as_str().unwrap();
            assert!(!message.contains("{subject}") && message.len() > 20, "{f}");
            assert!(!f["article"].as_str().unwrap().is_empty());
        }
        assert!(rules_of(&all).contains(&"PROFILING_NO_LOGIC".to_owned()), "profiling without its logic (seed 004)");

        let retention = report(&app, &viewer, json!({"slug": "puuha", "rules": ["NO_RETENTION"]})).await;
        assert!(rules_of(&retention).iter().all(|r| r == "NO_RETENTION"));
        assert!(!rules_of(&retention).is_empty());
        let warnings_only = report(&app, &viewer, json!({"slug": "puuha", "sev": ["WARNING"]})).await;
        assert!(warnings_only["findings"].as_array().unwrap().iter().all(|f| f["severity"] == "WARNING"));
        assert_eq!(warnings_only["findings"].as_array().unwrap().len(), warnings);

        // A register's report: its own findings and those on what its notice uses.
        let query = "query { organisation(slug: \"puuha\") { register(slug: \"markkinointirekisteri\") { id
            compliance { errorCount findings { rule nodeType registerId } } } } }";
        let response = app.graphql_as(Some(&viewer), query, json!({})).await;
        let register = &response["data"]["organisation"]["register"];
        let own = register["id"].clone();
        let findings = register["compliance"]["findings"].as_array().unwrap();
        assert!(findings.iter().any(|f| f["rule"] == "PROFILING_NO_LOGIC"));
        for f in findings {
            assert!(f["registerId"] == own || f["registerId"].is_null(), "{f}");
        }

        // Findings on a node.
        let profiling = activity_id(&app, "kayttaytymisen-analysointi").await;
        let query = "query($id: ID!) { node(id: $id) { ... on ProcessingActivity { findings { rule message(language: SV) } } } }";
        let response = app.graphql_as(Some(&viewer), query, json!({"id": profiling})).await;
        let on_node: Vec<&str> = response["data"]["node"]["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap()).collect();
        assert!(on_node.contains(&"PROFILING_NO_LOGIC"), "{response}");
        assert!(on_node.contains(&"NO_RETENTION"), "{response}");

        // The rules themselves, for anyone.
        let response = app.graphql_as(None, "{ complianceRules { code severity article } }", json!({})).await;
        assert_eq!(response["data"]["complianceRules"].as_array().unwrap().len(), ropa::checks::RULES.len());
    }

    async fn acknowledging_a_finding_takes_a_reason_and_a_dpo_and_is_audited(backend) {
        let app = TestApp::with_demo(backend).await;
        let dpo = app.token("puuha", Role::Dpo, None).await;
        let before = report(&app, &dpo, json!({"slug": "puuha"})).await;
        let profiling = activity_id(&app, "kayttaytymisen-analysointi").await;
        let acknowledge = "mutation($i: AcknowledgeFindingInput!) { acknowledgeFinding(input: $i) { acknowledgement { id reason version acknowledgedBy } } }";
        let input = |rule: &str, node: &str, reason: &str| json!({"i": {"rule": rule, "nodeId": node, "reason": reason}});

        // Refusals name the field.
        for (vars, field) in [
            (input("NO_SUCH_RULE", &profiling, "x"), "rule"),
            (input("NO_RETENTION", "act_nonsense", "x"), "nodeId"),
            (input("NO_RETENTION", &profiling, "   "), "reason"),
            (input("CONSENT_NO_WITHDRAWAL", &profiling, "Not consent"), "rule"),
        ] {
            let response = app.graphql_as(Some(&dpo), acknowledge, vars).await;
            assert_eq!(error_code(&response), "BAD_USER_INPUT", "{response}");
            assert_eq!(response["errors"][0]["extensions"]["field"], json!(field), "{response}");
        }
        let viewer = app.token("puuha", Role::Viewer, None).await;
        let response = app.graphql_as(Some(&viewer), acknowledge, input("NO_RETENTION", &profiling, "Ok")).await;
        assert_eq!(error_code(&response), "FORBIDDEN", "{response}");
        let editor = app.token("puuha", Role::Editor, None).await;
        let response = app.graphql_as(Some(&editor), acknowledge, input("NO_RETENTION", &profiling, "Ok")).await;
        assert_eq!(error_code(&response), "FORBIDDEN", "{response}");

        let response = app.graphql_as(Some(&dpo), acknowledge, input("NO_RETENTION", &profiling, "Profiles are recomputed daily and kept for 24 hours; recorded in the DPIA.")).await;
        let acknowledgement = response["data"]["acknowledgeFinding"]["acknowledgement"].clone();
        assert!(acknowledgement["id"].as_str().unwrap().starts_with("ack_"), "{response}");
        assert!(acknowledgement["acknowledgedBy"].as_str().unwrap().starts_with("acc_"));
        let again = app.graphql_as(Some(&dpo), acknowledge, input("NO_RETENTION", &profiling, "Again")).await;
        assert_eq!(error_code(&again), "BAD_USER_INPUT", "{again}");

        let after = report(&app, &dpo, json!({"slug": "puuha"})).await;
        assert_eq!(after["errorCount"].as_i64().unwrap(), before["errorCount"].as_i64().unwrap() - 1);
        assert_eq!(after["acknowledgedCount"], json!(1));
        assert!(!after["findings"].as_array().unwrap().iter().any(|f| f["nodeId"] == json!(profiling) && f["rule"] == "NO_RETENTION"));
        let with = report(&app, &dpo, json!({"slug": "puuha", "ack": true})).await;
        let acknowledged = with["findings"].as_array().unwrap().iter().find(|f| f["nodeId"] == json!(profiling) && f["rule"] == "NO_RETENTION").expect("listed when asked");
        assert_eq!(acknowledged["acknowledgement"]["reason"], json!("Profiles are recomputed daily and kept for 24 hours; recorded in the DPIA."));

        // In the audit trail, and withdrawn.
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
        let events = entity::audit_event::Entity::find()
            .filter(entity::audit_event::Column::NodeKind.eq("acknowledgement"))
            .all(&app.db).await.unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].action, "create");
        let withdraw = "mutation($i: DeleteInput!) { withdrawAcknowledgement(input: $i) { deletedId } }";
        let response = app.graphql_as(Some(&dpo), withdraw, json!({"i": {"id": acknowledgement["id"], "version": 1}})).await;
        assert_eq!(response["data"]["withdrawAcknowledgement"]["deletedId"], acknowledgement["id"], "{response}");
        let restored = report(&app, &dpo, json!({"slug": "puuha"})).await;
        assert_eq!(restored["errorCount"], before["errorCount"]);
        let events = entity::audit_event::Entity::find()
            .filter(entity::audit_event::Column::NodeKind.eq("acknowledgement"))
            .order_by_asc(entity::audit_event::Column::OccurredAt)
            .order_by_asc(entity::audit_event::Column::Id)
            .all(&app.db).await.unwrap();
        assert_eq!(events.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), ["create", "delete"]);
        // Another organisation's DPO cannot touch it.
        let other = app.token("helpten", Role::Dpo, None).await;
        let response = app.graphql_as(Some(&other), acknowledge, input("NO_RETENTION", &profiling, "Mine")).await;
        assert_eq!(error_code(&response), "NOT_FOUND", "{response}");
    }
}
