//! Editing the graph: validation with the field named and nothing written, all-or-nothing
//! changes, optimistic versions under concurrency, one audit event per change, and the record
//! as it was.

use entity::*;
use ropa::ids::{encode, NodeKind};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::backend_test;
use crate::batching::load_synthetic;
use crate::helpers::{error_code, TestApp};

/// The whole stored graph and trail as JSON: equal before and after means nothing was written.
async fn everything(app: &TestApp) -> Value {
    macro_rules! dump {
        ($($module:ident),*) => {{
            let mut all = serde_json::Map::new();
            $(
                let rows = $module::Entity::find().all(&app.db).await.unwrap();
                let mut rows: Vec<Value> = rows.into_iter().map(|r| serde_json::to_value(r).unwrap()).collect();
                rows.sort_by_key(|r| r.to_string());
                all.insert(stringify!($module).into(), Value::Array(rows));
            )*
            Value::Object(all)
        }};
    }
    dump!(
        organisation,
        contact,
        party,
        register,
        processing_activity,
        data_subject_category,
        personal_data_category,
        data_source,
        recipient,
        security_measure,
        transfer,
        retention_rule,
        activity_data_subject,
        activity_data_category,
        activity_source,
        activity_recipient,
        activity_security_measure,
        audit_event
    )
}

async fn audit_count(app: &TestApp) -> u64 {
    audit_event::Entity::find().count(&app.db).await.unwrap()
}

/// Public IDs of nodes of `org0` and `org1` the tests refer to.
struct Fixture {
    editor: String,
    org: String,
    register: String,
    other_party: String,
    other_recipient: String,
    recipient: String,
}

/// The first node of an entity in an organisation.
async fn first<E: EntityTrait>(app: &TestApp, organisation: Uuid) -> E::Model {
    use sea_orm::sea_query::{Alias, Expr};
    E::find()
        .filter(Expr::col(Alias::new("organisation_id")).eq(organisation))
        .order_by_asc(Expr::col(Alias::new("id")))
        .one(&app.db)
        .await
        .unwrap()
        .expect("a node")
}

async fn org_id(app: &TestApp, slug: &str) -> Uuid {
    organisation::Entity::find()
        .filter(organisation::Column::Slug.eq(slug))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id
}

async fn fixture(app: &TestApp) -> Fixture {
    load_synthetic(app, 2, 1, 1).await;
    let own = org_id(app, "org0").await;
    let other = org_id(app, "org1").await;
    Fixture {
        editor: app.token("org0", Role::Editor, None).await,
        org: encode(NodeKind::Organisation, own),
        register: encode(
            NodeKind::Register,
            first::<register::Entity>(app, own).await.id,
        ),
        other_party: encode(NodeKind::Party, first::<party::Entity>(app, other).await.id),
        other_recipient: encode(
            NodeKind::Recipient,
            first::<recipient::Entity>(app, other).await.id,
        ),
        recipient: encode(
            NodeKind::Recipient,
            first::<recipient::Entity>(app, own).await.id,
        ),
    }
}

/// Runs a mutation as the editor; returns the response.
async fn call(app: &TestApp, f: &Fixture, query: &str, variables: Value) -> Value {
    app.graphql_as(Some(&f.editor), query, variables).await
}

/// Runs a mutation that must succeed; returns `data`.
async fn ok(app: &TestApp, f: &Fixture, query: &str, variables: Value) -> Value {
    let response = call(app, f, query, variables).await;
    assert!(response.get("errors").is_none(), "{query}: {response:#}");
    response["data"].clone()
}

const CREATE_ACTIVITY: &str = "mutation($input: CreateProcessingActivityInput!) { createProcessingActivity(input: $input) { processingActivity { id version } } }";

/// A new activity of the fixture's register with no links and no special data.
async fn new_activity(app: &TestApp, f: &Fixture, key: &str) -> String {
    let data = ok(
        app,
        f,
        CREATE_ACTIVITY,
        json!({"input": {"registerId": f.register, "key": key, "name": [{"language": "fi", "text": "Uusi"}], "legalBasis": "CONTRACT"}}),
    )
    .await;
    data["createProcessingActivity"]["processingActivity"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn new_special_category(app: &TestApp, f: &Fixture) -> String {
    let data = ok(
        app,
        f,
        "mutation($input: CreatePersonalDataCategoryInput!) { createPersonalDataCategory(input: $input) { personalDataCategory { id } } }",
        json!({"input": {"organisationId": f.org, "key": "health", "name": [{"language": "en", "text": "Health"}], "kind": "SPECIAL"}}),
    )
    .await;
    data["createPersonalDataCategory"]["personalDataCategory"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

backend_test! {
    async fn each_rule_names_the_field_and_writes_nothing(backend) {
        let app = TestApp::spawn(backend).await;
        let f = fixture(&app).await;
        let plain = new_activity(&app, &f, "plain").await;
        let special = new_special_category(&app, &f).await;
        let register_version = register::Entity::find().filter(register::Column::Id.eq(ropa::ids::decode(&f.register).unwrap().1)).one(&app.db).await.unwrap().unwrap().version;
        let long = "x".repeat(301);
        let cases: Vec<(&str, &str, Value, &str)> = vec![
            ("Y-tunnus check digit", "mutation($i: CreatePartyInput!) { createParty(input: $i) { party { id } } }",
             json!({"organisationId": f.org, "key": "p9", "name": "P", "kind": "PROCESSOR", "country": "FI", "businessId": "2388488-2"}), "businessId"),
            ("ISO 3166 country", "mutation($i: CreatePartyInput!) { createParty(input: $i) { party { id } } }",
             json!({"organisationId": f.org, "key": "p9", "name": "P", "kind": "PROCESSOR", "country": "XX"}), "country"),
            ("supported language", "mutation($i: UpdateRegisterInput!) { updateRegister(input: $i) { register { id } } }",
             json!({"id": f.register, "version": register_version, "languages": ["fi", "de"]}), "languages[1]"),
            ("language of a text", "mutation($i: CreateRegisterInput!) { createRegister(input: $i) { register { id } } }",
             json!({"organisationId": f.org, "slug": "new", "kind": "CUSTOMER", "name": [{"language": "de", "text": "Neu"}]}), "name[0].language"),
            ("e-mail", "mutation($i: CreateContactInput!) { createContact(input: $i) { contact { id } } }",
             json!({"organisationId": f.org, "key": "c9", "name": "C", "email": "tietosuoja(at)example.fi"}), "email"),
            ("URL", "mutation($i: CreatePartyInput!) { createParty(input: $i) { party { id } } }",
             json!({"organisationId": f.org, "key": "p9", "name": "P", "kind": "PROCESSOR", "website": "www.example.fi"}), "website"),
            ("ISO 8601 duration", "mutation($i: CreateRetentionRuleInput!) { createRetentionRule(input: $i) { retentionRule { id } } }",
             json!({"activityId": plain, "period": "10 years"}), "period"),
            ("slug", "mutation($i: CreateRegisterInput!) { createRegister(input: $i) { register { id } } }",
             json!({"organisationId": f.org, "slug": "Uusi Rekisteri", "kind": "CUSTOMER", "name": [{"language": "fi", "text": "Uusi"}]}), "slug"),
            ("length", "mutation($i: CreateContactInput!) { createContact(input: $i) { contact { id } } }",
             json!({"organisationId": f.org, "key": "c9", "name": long}), "name"),
            ("required text", "mutation($i: CreateDataSubjectCategoryInput!) { createDataSubjectCategory(input: $i) { dataSubjectCategory { id } } }",
             json!({"organisationId": f.org, "key": "s9"}), "name"),
            ("required key", "mutation($i: CreateRecipientInput!) { createRecipient(input: $i) { recipient { id } } }",
             json!({"organisationId": f.org, "kind": "PROCESSOR", "name": [{"language": "fi", "text": "R"}]}), "key"),
            ("required kind", "mutation($i: CreateRegisterInput!) { createRegister(input: $i) { register { id } } }",
             json!({"organisationId": f.org, "slug": "new", "name": [{"language": "fi", "text": "Uusi"}]}), "kind"),
            ("unique key", "mutation($i: CreateContactInput!) { createContact(input: $i) { contact { id } } }",
             json!({"organisationId": f.org, "key": "c0", "name": "Again"}), "key"),
            ("legitimate interests with Art. 6(1)(f)", "mutation($i: UpdateProcessingActivityInput!) { updateProcessingActivity(input: $i) { processingActivity { id } } }",
             json!({"id": plain, "version": 1, "legalBasis": "LEGITIMATE_INTERESTS"}), "legitimateInterests"),
            ("Art. 9(2) condition with special categories", "mutation($i: ActivityLinksInput!) { linkActivity(input: $i) { processingActivity { id } } }",
             json!({"activityId": plain, "version": 1, "targetIds": [special]}), "specialCategoryCondition"),
            ("mechanism outside the EU/EEA", "mutation($i: CreateTransferInput!) { createTransfer(input: $i) { transfer { id } } }",
             json!({"activityId": plain, "country": "US"}), "mechanism"),
            ("no adequacy decision in force", "mutation($i: CreateTransferInput!) { createTransfer(input: $i) { transfer { id } } }",
             json!({"activityId": plain, "country": "CN", "mechanism": "ADEQUACY_DECISION"}), "mechanism"),
            ("a processor names its controller", "mutation($i: UpdateProcessingActivityInput!) { updateProcessingActivity(input: $i) { processingActivity { id } } }",
             json!({"id": plain, "version": 1, "role": "PROCESSOR"}), "counterpartPartyId"),
            ("reference to another organisation", "mutation($i: CreateDataSourceInput!) { createDataSource(input: $i) { dataSource { id } } }",
             json!({"organisationId": f.org, "key": "o9", "kind": "PUBLIC", "name": [{"language": "fi", "text": "L"}], "partyId": f.other_party}), "partyId"),
            ("link to another organisation", "mutation($i: ActivityLinksInput!) { linkActivity(input: $i) { processingActivity { id } } }",
             json!({"activityId": plain, "version": 1, "targetIds": [f.other_recipient]}), "targetIds"),
            ("reference of the wrong kind", "mutation($i: CreateTransferInput!) { createTransfer(input: $i) { transfer { id } } }",
             json!({"activityId": plain, "country": "US", "mechanism": "STANDARD_CONTRACTUAL_CLAUSES", "recipientId": f.other_party}), "recipientId"),
        ];
        for (rule, query, input, field) in cases {
            let before = everything(&app).await;
            let response = call(&app, &f, query, json!({"i": input})).await;
            assert_eq!(error_code(&response), "BAD_USER_INPUT", "{rule}: {response:#}");
            assert_eq!(response["errors"][0]["extensions"]["field"], json!(field), "{rule}: {response:#}");
            assert_eq!(everything(&app).await, before, "{rule}: the database changed");
        }
    }

    async fn a_failure_in_the_middle_of_a_change_leaves_nothing_behind(backend) {
        let app = TestApp::spawn(backend).await;
        let f = fixture(&app).await;
        let before = everything(&app).await;
        // An activity with three links, the last of which is in another organisation.
        let response = call(&app, &f, CREATE_ACTIVITY, json!({"input": {
            "registerId": f.register, "key": "half", "name": [{"language": "fi", "text": "Puoli"}],
            "linkedIds": [f.recipient, f.other_recipient],
        }})).await;
        assert_eq!(error_code(&response), "BAD_USER_INPUT", "{response:#}");
        assert_eq!(everything(&app).await, before);
        // The same, valid, writes the activity, its links and one event.
        let data = ok(&app, &f, CREATE_ACTIVITY, json!({"input": {
            "registerId": f.register, "key": "whole", "name": [{"language": "fi", "text": "Koko"}],
            "linkedIds": [f.recipient],
        }})).await;
        let id = data["createProcessingActivity"]["processingActivity"]["id"].as_str().unwrap();
        let uuid = ropa::ids::decode(id).unwrap().1;
        let links = activity_recipient::Entity::find().filter(activity_recipient::Column::ActivityId.eq(uuid)).count(&app.db).await.unwrap();
        assert_eq!(links, 1);
        assert_eq!(audit_count(&app).await, before["audit_event"].as_array().unwrap().len() as u64 + 1);
        // Deleting a node something still names is refused, and cascades nothing.
        let before = everything(&app).await;
        let recipient = recipient::Entity::find_by_id(ropa::ids::decode(&f.recipient).unwrap().1).one(&app.db).await.unwrap().unwrap();
        let response = call(&app, &f, "mutation($i: DeleteInput!) { deleteRecipient(input: $i) { deletedId } }",
            json!({"i": {"id": f.recipient, "version": recipient.version}})).await;
        assert_eq!(error_code(&response), "BAD_USER_INPUT", "{response:#}");
        assert_eq!(everything(&app).await, before);
    }

    async fn concurrent_updates_of_one_version_give_one_success_and_conflicts(backend) {
        let app = TestApp::spawn(backend).await;
        let f = fixture(&app).await;
        let uuid = ropa::ids::decode(&f.register).unwrap().1;
        let start = register::Entity::find_by_id(uuid).one(&app.db).await.unwrap().unwrap();
        let rounds = 25;
        for round in 0..rounds {
            let version = start.version + round;
            let calls = (0..8).map(|writer| {
                let input = json!({"i": {"id": f.register, "version": version,
                    "description": [{"language": "en", "text": format!("round {round} writer {writer}")}]}});
                call(&app, &f, "mutation($i: UpdateRegisterInput!) { updateRegister(input: $i) { register { version description { text(language: EN) { text } } } } }", input)
            });
            let responses = futures_util::future::join_all(calls).await;
            let winners: Vec<&Value> = responses.iter().filter(|r| r.get("errors").is_none()).collect();
            let conflicts = responses.iter().filter(|r| error_code(r) == "CONFLICT").count();
            assert_eq!(winners.len(), 1, "round {round}: {responses:#?}");
            assert_eq!(conflicts, 7, "round {round}: {responses:#?}");
            // What the winner was told is what is stored: no silent overwrite.
            let stored = register::Entity::find_by_id(uuid).one(&app.db).await.unwrap().unwrap();
            assert_eq!(stored.version, version + 1);
            let told = winners[0]["data"]["updateRegister"]["register"]["description"]["text"]["text"].as_str().unwrap();
            assert_eq!(stored.description.exact("en"), Some(told));
        }
        let events = audit_event::Entity::find().filter(audit_event::Column::NodeId.eq(uuid)).filter(audit_event::Column::Action.eq("update")).count(&app.db).await.unwrap();
        assert_eq!(events, rounds as u64);
    }

    async fn every_successful_mutation_writes_exactly_one_event(backend) {
        let app = TestApp::spawn(backend).await;
        let f = fixture(&app).await;
        let org = organisation::Entity::find_by_id(ropa::ids::decode(&f.org).unwrap().1).one(&app.db).await.unwrap().unwrap();
        let steps: Vec<(&str, Value)> = vec![
            ("mutation($i: UpdateOrganisationInput!) { updateOrganisation(input: $i) { organisation { id version } } }",
             json!({"id": f.org, "version": org.version, "phone": "+358 9 123"})),
            ("mutation($i: CreateContactInput!) { createContact(input: $i) { contact { id version } } }",
             json!({"organisationId": f.org, "key": "c9", "name": "New contact", "email": "c9@example.fi"})),
            ("mutation($i: CreatePartyInput!) { createParty(input: $i) { party { id version } } }",
             json!({"organisationId": f.org, "key": "p9", "name": "Oy Ab", "kind": "PROCESSOR", "country": "FI", "businessId": "2388488-1"})),
            ("mutation($i: CreateDataSubjectCategoryInput!) { createDataSubjectCategory(input: $i) { dataSubjectCategory { id version } } }",
             json!({"organisationId": f.org, "key": "s9", "name": [{"language": "fi", "text": "Opiskelijat"}]})),
            ("mutation($i: CreateSecurityMeasureInput!) { createSecurityMeasure(input: $i) { securityMeasure { id version } } }",
             json!({"organisationId": f.org, "key": "m9", "kind": "TECHNICAL", "name": [{"language": "fi", "text": "Salaus"}]})),
            ("mutation($i: CreateRegisterInput!) { createRegister(input: $i) { register { id version } } }",
             json!({"organisationId": f.org, "slug": "new", "kind": "CUSTOMER", "name": [{"language": "fi", "text": "Uusi"}], "languages": ["fi", "sv"]})),
        ];
        let mut ids = Vec::new();
        for (query, input) in steps {
            let before = audit_count(&app).await;
            let data = ok(&app, &f, query, json!({"i": input})).await;
            let node = data.as_object().unwrap().values().next().unwrap().as_object().unwrap().values().next().unwrap();
            ids.push(node["id"].as_str().unwrap().to_owned());
            assert_eq!(audit_count(&app).await, before + 1, "{query}");
            let event = audit_event::Entity::find().order_by_desc(audit_event::Column::Id).one(&app.db).await.unwrap().unwrap();
            assert_eq!(encode(ropa::history::kind_of_table(&event.node_kind).unwrap(), event.node_id), node["id"].as_str().unwrap());
            assert_eq!(event.version, node["version"].as_i64().map(|v| v as i32));
            assert!(event.account_id.is_some() && event.token_id.is_some() && event.source == "api");
        }
        // An activity with links, then link, unlink, a transfer and a retention rule, and deletions.
        let activity = new_activity(&app, &f, "chain").await;
        let mut version = 1;
        for (query, input) in [
            ("mutation($i: ActivityLinksInput!) { linkActivity(input: $i) { processingActivity { version } } }",
             json!({"activityId": activity, "targetIds": [f.recipient, ids[3]]})),
            ("mutation($i: ActivityLinksInput!) { unlinkActivity(input: $i) { processingActivity { version } } }",
             json!({"activityId": activity, "targetIds": [ids[3]]})),
        ] {
            let before = audit_count(&app).await;
            let mut input = input;
            input["version"] = json!(version);
            ok(&app, &f, query, json!({"i": input})).await;
            version += 1;
            assert_eq!(audit_count(&app).await, before + 1, "{query}");
        }
        let uuid = ropa::ids::decode(&activity).unwrap().1;
        let event = audit_event::Entity::find().filter(audit_event::Column::NodeId.eq(uuid)).order_by_desc(audit_event::Column::Id).one(&app.db).await.unwrap().unwrap();
        assert_eq!(event.before.unwrap()["links"]["recipients"].as_array().unwrap().len(), 1);
        assert_eq!(event.after.unwrap()["links"]["data_subject_categories"], json!([]));

        let before = audit_count(&app).await;
        let data = ok(&app, &f, "mutation($i: CreateTransferInput!) { createTransfer(input: $i) { transfer { id version } } }",
            json!({"i": {"activityId": activity, "country": "JP", "mechanism": "ADEQUACY_DECISION", "recipientId": f.recipient}})).await;
        let transfer = data["createTransfer"]["transfer"]["id"].as_str().unwrap().to_owned();
        ok(&app, &f, "mutation($i: UpdateTransferInput!) { updateTransfer(input: $i) { transfer { id } } }",
            json!({"i": {"id": transfer, "version": 1, "country": "US", "mechanism": "STANDARD_CONTRACTUAL_CLAUSES"}})).await;
        ok(&app, &f, "mutation($i: DeleteInput!) { deleteTransfer(input: $i) { deletedId } }",
            json!({"i": {"id": transfer, "version": 2}})).await;
        ok(&app, &f, "mutation($i: DeleteInput!) { deleteProcessingActivity(input: $i) { deletedId } }",
            json!({"i": {"id": activity, "version": version}})).await;
        ok(&app, &f, "mutation($i: DeleteInput!) { deleteRegister(input: $i) { deletedId } }",
            json!({"i": {"id": ids[5], "version": 1}})).await;
        assert_eq!(audit_count(&app).await, before + 5);
        // A stale version changes nothing and writes no event.
        let before = everything(&app).await;
        let response = call(&app, &f, "mutation($i: UpdateContactInput!) { updateContact(input: $i) { contact { id } } }",
            json!({"i": {"id": ids[1], "version": 7, "name": "Stale"}})).await;
        assert_eq!(error_code(&response), "CONFLICT", "{response:#}");
        assert_eq!(everything(&app).await, before);
    }

    async fn the_record_as_it_was_survives_later_edits_and_deletions(backend) {
        let app = TestApp::spawn(backend).await;
        let f = fixture(&app).await;
        let auditor = app.token("org0", Role::Auditor, None).await;
        let activity = new_activity(&app, &f, "history").await;
        ok(&app, &f, "mutation($i: ActivityLinksInput!) { linkActivity(input: $i) { processingActivity { version } } }",
            json!({"i": {"activityId": activity, "version": 1, "targetIds": [f.recipient]}})).await;
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        let then = chrono::Utc::now();
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        ok(&app, &f, "mutation($i: UpdateProcessingActivityInput!) { updateProcessingActivity(input: $i) { processingActivity { version } } }",
            json!({"i": {"id": activity, "version": 2, "name": [{"language": "fi", "text": "Muutettu"}], "linkedIds": []}})).await;
        ok(&app, &f, "mutation($i: DeleteInput!) { deleteProcessingActivity(input: $i) { deletedId } }",
            json!({"i": {"id": activity, "version": 3}})).await;

        let query = "query($slug: String!, $at: DateTime!, $reg: ID, $id: ID!) { organisation(slug: $slug) {
            asOf(at: $at, registerId: $reg) { node(id: $id) { version state } nodes(nodeType: \"ProcessingActivity\") { id } } } }";
        let vars = json!({"slug": "org0", "at": then, "reg": f.register, "id": activity});
        let response = app.graphql_as(Some(&auditor), query, vars).await;
        assert!(response.get("errors").is_none(), "{response:#}");
        let node = &response["data"]["organisation"]["asOf"]["node"];
        assert_eq!(node["version"], json!(2));
        assert_eq!(node["state"]["name"], json!({"fi": "Uusi"}));
        assert_eq!(node["state"]["links"]["recipients"], json!([f.recipient]));
        assert_eq!(response["data"]["organisation"]["asOf"]["nodes"].as_array().unwrap().len(), 2);
        // Now it is gone.
        let vars = json!({"slug": "org0", "at": chrono::Utc::now(), "reg": f.register, "id": activity});
        let response = app.graphql_as(Some(&auditor), query, vars).await;
        assert!(response["data"]["organisation"]["asOf"]["node"].is_null(), "{response:#}");
        // And the difference names it.
        let response = app.graphql_as(Some(&auditor),
            "query($at: DateTime!, $now: DateTime!) { organisation(slug: \"org0\") { changes(from: $at, to: $now) { id change fields } } }",
            json!({"at": then, "now": chrono::Utc::now()})).await;
        assert_eq!(response["data"]["organisation"]["changes"], json!([{"id": activity, "change": "REMOVED", "fields": response["data"]["organisation"]["changes"][0]["fields"]}]), "{response:#}");
        // The trail of the node, filtered and paginated.
        let response = app.graphql_as(Some(&auditor),
            "query($id: ID!) { organisation(slug: \"org0\") { auditEvents(nodeId: $id, first: 3) { nodes { action version changedFields } pageInfo { hasNextPage endCursor } } } }",
            json!({"id": activity})).await;
        let page = &response["data"]["organisation"]["auditEvents"];
        let actions: Vec<&str> = page["nodes"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
        assert_eq!(actions, ["CREATE", "UPDATE", "UPDATE"], "{response:#}");
        assert_eq!(page["nodes"][1]["changedFields"], json!(["links"]));
        assert_eq!(page["pageInfo"]["hasNextPage"], json!(true));
        let response = app.graphql_as(Some(&auditor),
            "query($id: ID!, $after: String) { organisation(slug: \"org0\") { auditEvents(nodeId: $id, after: $after) { nodes { action } } } }",
            json!({"id": activity, "after": page["pageInfo"]["endCursor"]})).await;
        assert_eq!(response["data"]["organisation"]["auditEvents"]["nodes"], json!([{"action": "DELETE"}]));
        let response = app.graphql_as(Some(&auditor),
            "query($id: ID!) { organisation(slug: \"org0\") { auditEvents(nodeId: $id, newestFirst: true, first: 1) { nodes { action before } } } }",
            json!({"id": activity})).await;
        let newest = &response["data"]["organisation"]["auditEvents"]["nodes"][0];
        assert_eq!(newest["action"], json!("DELETE"), "{response:#}");
        assert_eq!(newest["before"]["legalBasis"], json!("CONTRACT"), "enum values as in the API");
        // By who made the changes: the editor's account and token, and nobody else's.
        let editor = audit_event::Entity::find().filter(audit_event::Column::NodeId.eq(ropa::ids::decode(&activity).unwrap().1)).one(&app.db).await.unwrap().unwrap();
        for (filter, id, expected) in [
            ("accountId", encode(NodeKind::Account, editor.account_id.unwrap()), 4),
            ("tokenId", encode(NodeKind::ApiToken, editor.token_id.unwrap()), 4),
            ("accountId", encode(NodeKind::Account, Uuid::nil()), 0),
        ] {
            let response = app.graphql_as(Some(&auditor),
                &format!("query($id: ID!, $who: ID!) {{ organisation(slug: \"org0\") {{ auditEvents(nodeId: $id, {filter}: $who) {{ nodes {{ action }} }} }} }}"),
                json!({"id": activity, "who": id})).await;
            assert_eq!(response["data"]["organisation"]["auditEvents"]["nodes"].as_array().map(Vec::len), Some(expected), "{filter}: {response:#}");
        }
        // An editor may not read the trail.
        let response = call(&app, &f, "{ organisation(slug: \"org0\") { auditEvents { nodes { action } } } }", json!({})).await;
        assert_eq!(error_code(&response), "FORBIDDEN");
    }
}

backend_test! {
    async fn publishing_a_register_takes_the_publish_permission(backend) {
        let app = TestApp::spawn(backend).await;
        let f = fixture(&app).await;
        let dpo = app.token("org0", Role::Dpo, None).await;
        let query = "mutation($i: UpdateRegisterInput!) { updateRegister(input: $i) { register { status version } } }";
        let uuid = ropa::ids::decode(&f.register).unwrap().1;
        let version = register::Entity::find_by_id(uuid).one(&app.db).await.unwrap().unwrap().version;
        // The synthetic register is published: an editor may change it, not unpublish it.
        let response = call(&app, &f, query, json!({"i": {"id": f.register, "version": version, "status": "DRAFT"}})).await;
        assert_eq!(error_code(&response), "FORBIDDEN", "{response:#}");
        let response = app.graphql_as(Some(&dpo), query, json!({"i": {"id": f.register, "version": version, "status": "DRAFT"}})).await;
        assert_eq!(response["data"]["updateRegister"]["register"]["status"], json!("DRAFT"), "{response:#}");
        let response = call(&app, &f, query, json!({"i": {"id": f.register, "version": version + 1, "status": "PUBLISHED"}})).await;
        assert_eq!(error_code(&response), "FORBIDDEN", "{response:#}");
        let response = call(&app, &f, query, json!({"i": {"id": f.register, "version": version + 1, "status": "ARCHIVED"}})).await;
        assert_eq!(response["data"]["updateRegister"]["register"]["status"], json!("ARCHIVED"), "{response:#}");
    }
}

async fn rights_of(app: &TestApp, f: &Fixture, activity: &str) -> Value {
    let query = "query($id: ID!) { node(id: $id) { ... on ProcessingActivity { rights } } }";
    let response = app
        .graphql_as(Some(&f.editor), query, json!({"id": activity}))
        .await;
    response["data"]["node"]["rights"].clone()
}

backend_test! {
    async fn the_rights_of_an_activity_follow_its_legal_basis(backend) {
        let app = TestApp::spawn(backend).await;
        let f = fixture(&app).await;
        let activity = new_activity(&app, &f, "rights").await;
        // Contract, automated means not declared: portability is undetermined, not denied.
        assert_eq!(
            rights_of(&app, &f, &activity).await,
            json!(["ACCESS", "RECTIFICATION", "ERASURE", "RESTRICTION", "COMPLAINT"])
        );
        let undetermined = app.graphql_as(Some(&f.editor), "query($id: ID!) { node(id: $id) { ... on ProcessingActivity { undeterminedRights } } }", json!({"id": activity})).await;
        assert_eq!(undetermined["data"]["node"]["undeterminedRights"], json!(["PORTABILITY", "OBJECT_TO_DIRECT_MARKETING", "NO_SOLELY_AUTOMATED_DECISION"]), "{undetermined}");
        ok(&app, &f, "mutation($i: UpdateProcessingActivityInput!) { updateProcessingActivity(input: $i) { processingActivity { id } } }",
            json!({"i": {"id": activity, "version": 1, "automatedMeans": true, "directMarketing": false}})).await;
        // Contract: portability, no objection, no withdrawal.
        assert_eq!(
            rights_of(&app, &f, &activity).await,
            json!(["ACCESS", "RECTIFICATION", "ERASURE", "RESTRICTION", "PORTABILITY", "COMPLAINT"])
        );
        ok(&app, &f, "mutation($i: UpdateProcessingActivityInput!) { updateProcessingActivity(input: $i) { processingActivity { id } } }",
            json!({"i": {"id": activity, "version": 2, "legalBasis": "CONSENT",
                "consentWithdrawal": [{"language": "fi", "text": "Peru suostumus asetuksista."}]}})).await;
        assert_eq!(
            rights_of(&app, &f, &activity).await,
            json!(["ACCESS", "RECTIFICATION", "ERASURE", "RESTRICTION", "PORTABILITY", "WITHDRAW_CONSENT", "COMPLAINT"])
        );
        ok(&app, &f, "mutation($i: UpdateProcessingActivityInput!) { updateProcessingActivity(input: $i) { processingActivity { id } } }",
            json!({"i": {"id": activity, "version": 3, "legalBasis": "LEGITIMATE_INTERESTS", "directMarketing": true,
                "legitimateInterests": [{"language": "fi", "text": "Asiakassuhde"}]}})).await;
        // Direct marketing: the objection to it, whatever the basis.
        assert_eq!(
            rights_of(&app, &f, &activity).await,
            json!(["ACCESS", "RECTIFICATION", "ERASURE", "RESTRICTION", "OBJECT", "OBJECT_TO_DIRECT_MARKETING", "COMPLAINT"])
        );
    }
}

const TRANSLATED: &str = r#"
organisation:
  slug: kaannos
  name: Käännös Oy
  country: FI
  default_language: fi
registers:
  - slug: rek
    kind: customer
    status: draft
    languages: [fi, sv, en]
    name: {fi: Asiakasrekisteri, sv: Kundregister, en: Customer register}
    activities:
      - key: crm
        name: {fi: Asiakkuus, sv: Kundrelation, en: Customer relationship}
        purpose: {fi: Asiakassuhteen hoito, sv: Skötsel av kundrelationen, en: Managing customers}
"#;

backend_test! {
    async fn an_update_naming_one_language_keeps_the_others(backend) {
        let app = TestApp::spawn(backend).await;
        let doc = ropa::service::import::parse(TRANSLATED).unwrap();
        ropa::service::import::import(&app.db, &doc).await.unwrap();
        let activity = processing_activity::Entity::find().one(&app.db).await.unwrap().unwrap();
        let id = encode(NodeKind::ProcessingActivity, activity.id);
        let editor = app.token("kaannos", Role::Editor, None).await;
        let update = |version: i64, purpose: Value| {
            let (app, editor, id) = (&app, editor.clone(), id.clone());
            async move {
                app.graphql_as(
                    Some(&editor),
                    "mutation($i: UpdateProcessingActivityInput!) { updateProcessingActivity(input: $i) { processingActivity { version purpose { translations { language text } } } } }",
                    json!({"i": {"id": id, "version": version, "purpose": purpose}}),
                )
                .await
            }
        };
        let texts = |response: &Value| -> Vec<(String, String)> {
            response["data"]["updateProcessingActivity"]["processingActivity"]["purpose"]["translations"]
                .as_array()
                .unwrap_or_else(|| panic!("{response:#}"))
                .iter()
                .map(|t| (t["language"].as_str().unwrap().to_lowercase(), t["text"].as_str().unwrap().to_owned()))
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect()
        };
        let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
            list.iter().map(|(l, t)| (l.to_string(), t.to_string())).collect()
        };
        // Only Swedish: Finnish and English stay.
        let r = update(1, json!([{"language": "sv", "text": "Kundvård"}])).await;
        assert_eq!(texts(&r), pairs(&[("en", "Managing customers"), ("fi", "Asiakassuhteen hoito"), ("sv", "Kundvård")]));
        // A refused update leaves every language as it was.
        let r = update(2, json!([{"language": "sv", "text": "A"}, {"language": "sv", "text": "B"}])).await;
        assert_eq!(error_code(&r), "BAD_USER_INPUT", "{r:#}");
        assert_eq!(r["errors"][0]["extensions"]["field"], "purpose[1].language");
        // Removing a language is explicit: its empty text.
        let r = update(2, json!([{"language": "en", "text": ""}])).await;
        assert_eq!(texts(&r), pairs(&[("fi", "Asiakassuhteen hoito"), ("sv", "Kundvård")]));
        // An empty list changes nothing: no new version.
        let r = update(3, json!([])).await;
        assert_eq!(r["data"]["updateProcessingActivity"]["processingActivity"]["version"], 3, "{r:#}");
        assert_eq!(texts(&r).len(), 2);
    }
}

backend_test! {
    async fn a_register_update_cannot_take_its_default_language_out_of_a_text_that_keeps_others(backend) {
        let app = TestApp::spawn(backend).await;
        let doc = ropa::service::import::parse(TRANSLATED).unwrap();
        ropa::service::import::import(&app.db, &doc).await.unwrap();
        let register = entity::register::Entity::find().one(&app.db).await.unwrap().unwrap();
        let id = encode(NodeKind::Register, register.id);
        let editor = app.token("kaannos", Role::Editor, None).await;
        let update = |fields: Value| {
            let (app, editor, id) = (&app, editor.clone(), id.clone());
            async move {
                let version = entity::register::Entity::find().one(&app.db).await.unwrap().unwrap().version;
                let mut input = json!({"id": id, "version": version});
                input.as_object_mut().unwrap().extend(fields.as_object().unwrap().clone());
                app.graphql_as(
                    Some(&editor),
                    "mutation($i: UpdateRegisterInput!) { updateRegister(input: $i) { register { languages name { translations { language } } description { translations { language } } } } }",
                    json!({"i": input}),
                )
                .await
            }
        };
        // Finnish, the first of the register's languages, stays while Swedish and English do.
        let refused = update(json!({"name": [{"language": "fi", "text": ""}]})).await;
        assert_eq!(error_code(&refused), "BAD_USER_INPUT", "{refused:#}");
        assert_eq!(refused["errors"][0]["extensions"]["field"], "name.fi");
        let stored = entity::register::Entity::find().one(&app.db).await.unwrap().unwrap();
        assert_eq!(stored.name, register.name, "nothing written");
        // Another language goes, and the default language's text changes.
        let r = update(json!({"name": [{"language": "en", "text": ""}, {"language": "fi", "text": "Asiakkaat"}]})).await;
        assert!(r.get("errors").is_none(), "{r:#}");
        // A description given in Finnish and Swedish loses Swedish, then all of it at once.
        let r = update(json!({"description": [{"language": "fi", "text": "Kuvaus"}, {"language": "sv", "text": "Beskrivning"}]})).await;
        assert!(r.get("errors").is_none(), "{r:#}");
        let r = update(json!({"description": [{"language": "fi", "text": ""}]})).await;
        assert_eq!(r["errors"][0]["extensions"]["field"], "description.fi", "{r:#}");
        let r = update(json!({"description": null})).await;
        assert!(r.get("errors").is_none(), "{r:#}");
        assert_eq!(r["data"]["updateRegister"]["register"]["description"]["translations"], json!([]), "{r:#}");
        // With Swedish first, Swedish is the one that stays.
        let r = update(json!({"languages": ["sv", "fi"]})).await;
        assert!(r.get("errors").is_none(), "{r:#}");
        let r = update(json!({"name": [{"language": "sv", "text": ""}]})).await;
        assert_eq!(r["errors"][0]["extensions"]["field"], "name.sv", "{r:#}");
        let r = update(json!({"name": [{"language": "fi", "text": ""}]})).await;
        assert!(r.get("errors").is_none(), "{r:#}");
    }
}
