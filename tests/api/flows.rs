//! For other services: filtered recipients, processors and transfers, where data goes, and the
//! impact of a change, on the demo data and on generated data.

use entity::Role;
use serde_json::{json, Value};

use crate::backend_test;
use crate::helpers::{error_code, TestApp};

/// A generated organisation whose data flows to known places: `registers` registers of
/// `activities` activities each. Activity `a` processes data category `d{a%3}` about subjects
/// `s{a%2}`; it discloses to the staff and the cloud (party `cloud`, US, with sub-processor
/// `sub` in IN), to the mailer (FI) when `a` is even, and to analytics (JP) when `a%3 == 0`; it
/// transfers to the US (adequacy when `a` is even, SCC otherwise), to JP by adequacy when
/// `a%3 == 0`, and to IN under BCR to the sub-processor when `a%5 == 0`.
pub fn flow_document(slug: &str, registers: usize, activities: usize) -> String {
    let mut doc = format!(
        "organisation: {{slug: {slug}, name: {slug} Oy, country: FI}}\n\
         parties:\n\
         \x20 - {{key: cloud, name: Cloud Inc, kind: processor, country: US}}\n\
         \x20 - {{key: sub, name: Sub Pvt, kind: sub_processor, parent: cloud, country: IN}}\n\
         \x20 - {{key: mail, name: Mail Oy, kind: processor, country: FI}}\n\
         \x20 - {{key: analytics, name: Analytics KK, kind: third_party, country: JP}}\n\
         data_subject_categories:\n  - {{key: s0, name: Customers}}\n  - {{key: s1, name: Visitors}}\n\
         personal_data_categories:\n  - {{key: d0, name: Names}}\n  - {{key: d1, name: Addresses}}\n  - {{key: d2, name: Orders}}\n\
         recipients:\n\
         \x20 - {{key: staff, name: Staff, kind: internal}}\n\
         \x20 - {{key: r-cloud, name: Cloud, kind: processor, party: cloud}}\n\
         \x20 - {{key: r-sub, name: Sub, kind: processor, party: sub}}\n\
         \x20 - {{key: r-mail, name: Mailer, kind: processor, party: mail}}\n\
         \x20 - {{key: r-analytics, name: Analytics, kind: third_party, party: analytics}}\n\
         registers:\n"
    );
    for r in 0..registers {
        doc.push_str(&format!(
            "  - slug: reg{r}\n    name: Register {r}\n    kind: customer\n    status: published\n    activities:\n"
        ));
        for a in 0..activities {
            let mut recipients = vec!["staff", "r-cloud"];
            let mut transfers = vec![format!(
                "{{recipient: r-cloud, country: US, mechanism: {}}}",
                if a % 2 == 0 {
                    "adequacy_decision"
                } else {
                    "standard_contractual_clauses"
                }
            )];
            if a % 2 == 0 {
                recipients.push("r-mail");
            }
            if a % 3 == 0 {
                recipients.push("r-analytics");
                transfers.push(
                    "{recipient: r-analytics, country: JP, mechanism: adequacy_decision}".into(),
                );
            }
            if a % 5 == 0 {
                recipients.push("r-sub");
                transfers.push(
                    "{recipient: r-sub, country: IN, mechanism: binding_corporate_rules}".into(),
                );
            }
            doc.push_str(&format!(
                "      - key: act{a}\n        name: Activity {r}.{a}\n        purpose: Purpose {a}\n        legal_basis: contract\n\
                 \x20       data_subjects: [s{}]\n        data_categories: [d{}]\n        recipients: [{}]\n        transfers: [{}]\n",
                a % 2,
                a % 3,
                recipients.join(", "),
                transfers.join(", ")
            ));
        }
    }
    doc
}

/// Imports one generated organisation (and a second, `other`, to show nothing crosses over).
pub async fn load_flows(app: &TestApp, registers: usize, activities: usize) {
    for slug in ["flows", "other"] {
        let doc = ropa::service::import::parse(&flow_document(slug, registers, activities))
            .expect("parses");
        ropa::service::import::import(&app.db, &doc)
            .await
            .expect("imports");
    }
}

/// The public ID of the node of `table` with `key` (or slug) in organisation `slug`.
async fn id_of(app: &TestApp, slug: &str, list: &str, key: &str) -> String {
    let field = if list == "registers" { "slug" } else { "key" };
    let data = app
        .query(
            &format!("query($s: String!) {{ organisation(slug: $s) {{ {list}(first: 100) {{ nodes {{ id {field} }} }} }} }}"),
            json!({ "s": slug }),
        )
        .await;
    data["organisation"][list]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n[field] == json!(key))
        .unwrap_or_else(|| panic!("{list} {key} in {slug}"))["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn keys(connection: &Value) -> Vec<String> {
    let mut keys: Vec<String> = connection["nodes"]
        .as_array()
        .unwrap_or_else(|| panic!("a connection: {connection}"))
        .iter()
        .map(|n| n["key"].as_str().unwrap().to_owned())
        .collect();
    keys.sort();
    keys
}

async fn recipients(app: &TestApp, filter: Value) -> Vec<String> {
    let data = app
        .query(
            "query($f: RecipientFilter) { organisation(slug: \"flows\") { recipients(filter: $f, first: 100) { nodes { key } } } }",
            json!({ "f": filter }),
        )
        .await;
    keys(&data["organisation"]["recipients"])
}

async fn processors(app: &TestApp, filter: Value) -> Vec<String> {
    let data = app
        .query(
            "query($f: ProcessorFilter) { organisation(slug: \"flows\") { processors(filter: $f, first: 100) { nodes { key } } } }",
            json!({ "f": filter }),
        )
        .await;
    keys(&data["organisation"]["processors"])
}

/// The transfers that pass `filter`, as `country mechanism` pairs with their counts.
async fn transfers(app: &TestApp, filter: Value) -> Vec<(String, String, usize)> {
    let mut all = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let data = app
            .query(
                "query($f: TransferFilter, $after: String) { organisation(slug: \"flows\") { transfers(filter: $f, first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { country mechanism } } } }",
                json!({ "f": filter, "after": after }),
            )
            .await;
        let page = &data["organisation"]["transfers"];
        for node in page["nodes"].as_array().unwrap() {
            all.push((
                node["country"].as_str().unwrap_or("-").to_owned(),
                node["mechanism"].as_str().unwrap_or("-").to_owned(),
            ));
        }
        if page["pageInfo"]["hasNextPage"] != json!(true) {
            break;
        }
        after = page["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
    let mut counted: std::collections::BTreeMap<(String, String), usize> = Default::default();
    for pair in all {
        *counted.entry(pair).or_default() += 1;
    }
    counted.into_iter().map(|((c, m), n)| (c, m, n)).collect()
}

/// The keys of puuha's recipients that pass `filter`.
async fn recipients_of(app: &TestApp, filter: Value) -> Vec<String> {
    let data = app
        .query(
            "query($f: RecipientFilter) { organisation(slug: \"puuha\") { recipients(filter: $f, first: 100) { nodes { key } } } }",
            json!({ "f": filter }),
        )
        .await;
    keys(&data["organisation"]["recipients"])
}

/// How many of puuha's transfers pass `filter`.
async fn transfers_of(app: &TestApp, filter: Value) -> usize {
    let data = app
        .query(
            "query($f: TransferFilter) { organisation(slug: \"puuha\") { transfers(filter: $f, first: 100) { nodes { id } } } }",
            json!({ "f": filter }),
        )
        .await;
    data["organisation"]["transfers"]["nodes"]
        .as_array()
        .unwrap()
        .len()
}

fn t(country: &str, mechanism: &str, n: usize) -> (String, String, usize) {
    (country.into(), mechanism.into(), n)
}

backend_test! {
    async fn recipients_filter_by_register_kind_country_eea_and_data_category(backend) {
        let app = TestApp::spawn(backend).await;
        load_flows(&app, 2, 6).await;
        app.use_token(Some(app.token("flows", Role::Service, None).await));
        let all = ["r-analytics", "r-cloud", "r-mail", "r-sub", "staff"];
        assert_eq!(recipients(&app, json!({})).await, all);
        assert_eq!(recipients(&app, json!({"kinds": ["THIRD_PARTY", "INTERNAL"]})).await, ["r-analytics", "staff"]);
        assert_eq!(recipients(&app, json!({"countries": ["US"]})).await, ["r-cloud"]);
        assert_eq!(recipients(&app, json!({"countries": ["FI", "IN"]})).await, ["r-mail", "r-sub"]);
        assert_eq!(recipients(&app, json!({"outsideEea": true})).await, ["r-analytics", "r-cloud", "r-sub"]);
        assert_eq!(recipients(&app, json!({"outsideEea": false})).await, ["r-mail", "staff"]);
        // d1 is processed by activities 1 and 4: neither discloses to analytics (a%3 == 0).
        let d1 = id_of(&app, "flows", "personalDataCategories", "d1").await;
        assert_eq!(recipients(&app, json!({"dataCategoryIds": [d1]})).await, ["r-cloud", "r-mail", "staff"]);
        let d0 = id_of(&app, "flows", "personalDataCategories", "d0").await;
        assert_eq!(recipients(&app, json!({"dataCategoryIds": [d0], "kinds": ["PROCESSOR"], "outsideEea": true})).await, ["r-cloud", "r-sub"]);
        let reg1 = id_of(&app, "flows", "registers", "reg1").await;
        assert_eq!(recipients(&app, json!({"registerIds": [reg1]})).await, all);
        assert_eq!(recipients(&app, json!({"registerIds": []})).await, Vec::<String>::new(), "an empty list matches nothing");
        // Another organisation's register matches nothing here.
        app.sign_in_as_auditor_everywhere().await;
        let foreign = id_of(&app, "other", "registers", "reg0").await;
        assert_eq!(recipients(&app, json!({"registerIds": [foreign]})).await, Vec::<String>::new());
    }

    async fn processors_filter_by_register_country_eea_and_data_category(backend) {
        let app = TestApp::spawn(backend).await;
        load_flows(&app, 2, 6).await;
        app.use_token(Some(app.token("flows", Role::Service, None).await));
        assert_eq!(processors(&app, json!(null)).await, ["cloud", "mail", "sub"]);
        assert_eq!(processors(&app, json!({"outsideEea": true})).await, ["cloud", "sub"]);
        assert_eq!(processors(&app, json!({"outsideEea": false})).await, ["mail"]);
        assert_eq!(processors(&app, json!({"countries": ["IN"]})).await, ["sub"]);
        let d2 = id_of(&app, "flows", "personalDataCategories", "d2").await;
        // d2: activities 2 and 5: the mailer (2 is even) and the sub-processor (5).
        assert_eq!(processors(&app, json!({"dataCategoryIds": [d2]})).await, ["cloud", "mail", "sub"]);
        let d1 = id_of(&app, "flows", "personalDataCategories", "d1").await;
        assert_eq!(processors(&app, json!({"dataCategoryIds": [d1]})).await, ["cloud", "mail"]);
        let reg0 = id_of(&app, "flows", "registers", "reg0").await;
        assert_eq!(processors(&app, json!({"registerIds": [reg0], "countries": ["US", "FI"]})).await, ["cloud", "mail"]);
    }

    async fn transfers_filter_by_country_mechanism_adequacy_recipient_and_register(backend) {
        let app = TestApp::spawn(backend).await;
        load_flows(&app, 2, 30).await;
        app.use_token(Some(app.token("flows", Role::Service, None).await));
        // Per register of 30 activities: US 15 adequacy + 15 SCC, JP 10, IN 6.
        let all = transfers(&app, json!({})).await;
        assert_eq!(all, [t("IN", "BINDING_CORPORATE_RULES", 12), t("JP", "ADEQUACY_DECISION", 20), t("US", "ADEQUACY_DECISION", 30), t("US", "STANDARD_CONTRACTUAL_CLAUSES", 30)]);
        assert_eq!(transfers(&app, json!({"countries": ["JP", "IN"]})).await, [t("IN", "BINDING_CORPORATE_RULES", 12), t("JP", "ADEQUACY_DECISION", 20)]);
        assert_eq!(transfers(&app, json!({"mechanisms": ["STANDARD_CONTRACTUAL_CLAUSES", "BINDING_CORPORATE_RULES"]})).await, [t("IN", "BINDING_CORPORATE_RULES", 12), t("US", "STANDARD_CONTRACTUAL_CLAUSES", 30)]);
        // India has no adequacy decision; Japan's dates from 2019, the US framework from 2023.
        assert_eq!(transfers(&app, json!({"adequacy": "NONE"})).await, [t("IN", "BINDING_CORPORATE_RULES", 12)]);
        assert_eq!(transfers(&app, json!({"adequacy": "IN_FORCE", "adequacyOn": "2026-12-01"})).await.len(), 3);
        assert_eq!(transfers(&app, json!({"adequacy": "NONE", "adequacyOn": "2020-06-01"})).await, [t("IN", "BINDING_CORPORATE_RULES", 12), t("US", "ADEQUACY_DECISION", 30), t("US", "STANDARD_CONTRACTUAL_CLAUSES", 30)]);
        let r_sub = id_of(&app, "flows", "recipients", "r-sub").await;
        assert_eq!(transfers(&app, json!({"recipientIds": [r_sub]})).await, [t("IN", "BINDING_CORPORATE_RULES", 12)]);
        let reg1 = id_of(&app, "flows", "registers", "reg1").await;
        assert_eq!(transfers(&app, json!({"registerIds": [reg1], "countries": ["US"], "mechanisms": ["ADEQUACY_DECISION"]})).await, [t("US", "ADEQUACY_DECISION", 15)]);

        // The activity, data categories and register behind each transfer.
        let data = app.query(
            "query($r: [ID!]) { organisation(slug: \"flows\") { transfers(filter: {recipientIds: $r}, first: 1) { nodes { activity { key } register { slug } dataCategories { nodes { key } } dataSubjectCategories { nodes { key } } } } } }",
            json!({ "r": [r_sub] }),
        ).await;
        let first = &data["organisation"]["transfers"]["nodes"][0];
        assert_eq!(first["activity"]["key"], json!("act0"));
        assert_eq!(first["register"]["slug"], json!("reg0"));
        assert_eq!(keys(&first["dataCategories"]), ["d0"]);
        assert_eq!(keys(&first["dataSubjectCategories"]), ["s0"]);
    }

    async fn where_a_data_category_goes(backend) {
        let app = TestApp::spawn(backend).await;
        load_flows(&app, 2, 6).await;
        app.use_token(Some(app.token("flows", Role::Service, None).await));
        let d0 = id_of(&app, "flows", "personalDataCategories", "d0").await;
        let query = "query($d: ID, $s: ID) { organisation(slug: \"flows\") { dataFlow(dataCategoryId: $d, dataSubjectCategoryId: $s) {
            activities(first: 100) { nodes { key register { slug } } }
            recipients { recipient { key } countries activities(first: 100) { nodes { key } } transfers { nodes { country } } }
            countries { country inEea adequacy(on: \"2026-12-01\") { destination } recipients { key } activities(first: 100) { nodes { key } } transfers(first: 100) { nodes { mechanism } } }
        } } }";
        let data = app.query(query, json!({ "d": d0 })).await;
        let flow = &data["organisation"]["dataFlow"];
        // d0: activities 0 and 3 of both registers.
        assert_eq!(flow["activities"]["nodes"].as_array().unwrap().len(), 4);
        let reached: Vec<(&str, Vec<&str>)> = flow["recipients"].as_array().unwrap().iter()
            .map(|r| (r["recipient"]["key"].as_str().unwrap(), r["countries"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect()))
            .collect();
        let mut reached = reached;
        reached.sort();
        assert_eq!(reached, [("r-analytics", vec!["JP"]), ("r-cloud", vec!["US"]), ("r-mail", vec!["FI"]), ("r-sub", vec!["IN"]), ("staff", vec![])]);
        let countries: Vec<&str> = flow["countries"].as_array().unwrap().iter().map(|c| c["country"].as_str().unwrap()).collect();
        assert_eq!(countries, ["FI", "IN", "JP", "US"]);
        let jp = &flow["countries"][2];
        assert_eq!(jp["inEea"], json!(false));
        assert_eq!(jp["adequacy"]["destination"], json!("JP"));
        assert_eq!(jp["recipients"], json!([{"key": "r-analytics"}]));
        assert_eq!(keys(&jp["activities"]), ["act0", "act0", "act3", "act3"]);
        let fi = &flow["countries"][0];
        assert_eq!(fi["inEea"], json!(true));
        assert!(fi["transfers"]["nodes"].as_array().unwrap().is_empty(), "FI is reached by disclosure, not transfer");

        let s1 = id_of(&app, "flows", "dataSubjectCategories", "s1").await;
        let data = app.query(query, json!({ "s": s1 })).await;
        // s1: the odd activities 1, 3, 5: never the mailer.
        let flow = &data["organisation"]["dataFlow"];
        assert_eq!(flow["activities"]["nodes"].as_array().unwrap().len(), 6);
        assert!(flow["recipients"].as_array().unwrap().iter().all(|r| r["recipient"]["key"] != json!("r-mail")));

        // A register viewer sees only the flows of its register.
        let viewer = app.token("flows", Role::Viewer, Some("reg1")).await;
        let limited = app.graphql_as(Some(&viewer), query, json!({ "d": d0 })).await;
        let nodes = limited["data"]["organisation"]["dataFlow"]["activities"]["nodes"].as_array().unwrap().clone();
        assert_eq!(nodes.len(), 2, "{limited}");
        assert!(nodes.iter().all(|n| n["register"]["slug"] == json!("reg1")));
    }

    async fn what_dropping_a_party_a_country_or_a_data_category_affects(backend) {
        let app = TestApp::spawn(backend).await;
        load_flows(&app, 2, 6).await;
        // reg0's notice is published; reg1's is not.
        let (_, reg0) = ropa::ids::decode(&{
            app.sign_in_as_auditor_everywhere().await;
            id_of(&app, "flows", "registers", "reg0").await
        }).unwrap();
        let w = ropa::write::Write::begin(&app.db, &app.state.write_gate, ropa::audit::Author::import()).await.unwrap();
        ropa::service::notices::publish_in(&w, &app.state.adequacy, chrono::Utc::now().date_naive(), reg0, Some("Fixture")).await.unwrap();
        w.commit().await.unwrap();
        app.use_token(Some(app.token("flows", Role::Service, None).await));
        let query = "query($p: ID, $c: String, $d: ID, $on: NaiveDate) { organisation(slug: \"flows\") { impact(partyId: $p, country: $c, dataCategoryId: $d, on: $on) {
            activities(first: 100) { nodes { key } } registers { slug } publishedNotices { number }
            transfers(first: 100) { nodes { country } } adequacyDecision { destination } adequacyTransfers(first: 100) { nodes { country mechanism } }
        } } }";
        let count = |v: &Value| v["nodes"].as_array().unwrap().len();

        // The cloud and the sub-processor it engaged reach every activity.
        let cloud = id_of(&app, "flows", "parties", "cloud").await;
        let data = app.query(query, json!({ "p": cloud })).await;
        let impact = &data["organisation"]["impact"];
        assert_eq!(count(&impact["activities"]), 12);
        assert_eq!(impact["registers"], json!([{"slug": "reg0"}, {"slug": "reg1"}]));
        assert_eq!(impact["publishedNotices"], json!([{"number": 1}]));
        assert_eq!(count(&impact["transfers"]), 12 + 4, "to the US and India");
        assert!(impact["adequacyDecision"].is_null());

        let mail = id_of(&app, "flows", "parties", "mail").await;
        let data = app.query(query, json!({ "p": mail })).await;
        assert_eq!(keys(&data["organisation"]["impact"]["activities"]), ["act0", "act0", "act2", "act2", "act4", "act4"]);

        // Japan: the activities transferring there; all rely on its decision.
        let data = app.query(query, json!({ "c": "JP", "on": "2026-12-01" })).await;
        let impact = &data["organisation"]["impact"];
        assert_eq!(keys(&impact["activities"]), ["act0", "act0", "act3", "act3"]);
        assert_eq!(impact["adequacyDecision"]["destination"], json!("JP"));
        assert_eq!(count(&impact["adequacyTransfers"]), 4);
        // The US: half its transfers rely on the decision, the others on SCCs.
        let data = app.query(query, json!({ "c": "US", "on": "2026-12-01" })).await;
        let impact = &data["organisation"]["impact"];
        assert_eq!(count(&impact["transfers"]), 12);
        assert_eq!(count(&impact["adequacyTransfers"]), 6);
        assert!(impact["adequacyTransfers"]["nodes"].as_array().unwrap().iter().all(|t| t["mechanism"] == json!("ADEQUACY_DECISION")));
        // Before the Data Privacy Framework there was no decision to lose.
        let data = app.query(query, json!({ "c": "US", "on": "2020-06-01" })).await;
        assert_eq!(count(&data["organisation"]["impact"]["adequacyTransfers"]), 0);

        let d2 = id_of(&app, "flows", "personalDataCategories", "d2").await;
        let data = app.query(query, json!({ "d": d2 })).await;
        let impact = &data["organisation"]["impact"];
        assert_eq!(keys(&impact["activities"]), ["act2", "act2", "act5", "act5"]);
        // act2: US; act5: US and IN.
        assert_eq!(count(&impact["transfers"]), 6);
    }

    async fn bad_input_names_its_field(backend) {
        let app = TestApp::spawn(backend).await;
        load_flows(&app, 1, 2).await;
        app.sign_in_as_auditor_everywhere().await;
        let reg = id_of(&app, "flows", "registers", "reg0").await;
        for (query, variables, field) in [
            ("query($f: TransferFilter) { organisation(slug: \"flows\") { transfers(filter: $f) { nodes { id } } } }", json!({"f": {"countries": ["XX"]}}), "filter.countries"),
            ("query($f: TransferFilter) { organisation(slug: \"flows\") { transfers(filter: $f) { nodes { id } } } }", json!({"f": {"adequacyOn": "2026-01-01"}}), "filter.adequacyOn"),
            ("query($f: TransferFilter) { organisation(slug: \"flows\") { transfers(filter: $f) { nodes { id } } } }", json!({"f": {"recipientIds": [reg]}}), "filter.recipientIds"),
            ("query($f: RecipientFilter) { organisation(slug: \"flows\") { recipients(filter: $f) { nodes { id } } } }", json!({"f": {"dataCategoryIds": ["nope"]}}), "filter.dataCategoryIds"),
            ("query($f: ProcessorFilter) { organisation(slug: \"flows\") { processors(filter: $f) { nodes { id } } } }", json!({"f": {"registerIds": ["nope"]}}), "filter.registerIds"),
            ("{ organisation(slug: \"flows\") { dataFlow { activities { nodes { id } } } } }", json!({}), "dataCategoryId"),
            ("{ organisation(slug: \"flows\") { impact(country: \"Suomi\") { registers { slug } } } }", json!({}), "country"),
            ("query($r: ID) { organisation(slug: \"flows\") { impact(partyId: $r, country: \"US\") { registers { slug } } } }", json!({"r": reg}), "partyId"),
        ] {
            let response = app.graphql(query, variables).await;
            assert_eq!(error_code(&response), "BAD_USER_INPUT", "{query}: {response}");
            assert_eq!(response["errors"][0]["extensions"]["field"], json!(field), "{response}");
        }
        // A category of another organisation is one that does not exist.
        let foreign = id_of(&app, "other", "personalDataCategories", "d0").await;
        let response = app.graphql("query($d: ID) { organisation(slug: \"flows\") { dataFlow(dataCategoryId: $d) { countries { country } } } }", json!({"d": foreign})).await;
        assert_eq!(error_code(&response), "NOT_FOUND", "{response}");
    }

    async fn the_queries_on_the_demo_data(backend) {
        let app = TestApp::with_demo(backend).await;
        ropa::demo::publish_notices(&app.state).await.unwrap();
        app.use_token(Some(app.token("puuha", Role::Service, None).await));
        let marketing = id_of(&app, "puuha", "registers", "markkinointirekisteri").await;
        let data = app.query(
            "query($r: [ID!]) { organisation(slug: \"puuha\") {
                processors: recipients(filter: {kinds: [PROCESSOR]}) { nodes { key } }
                marketing: recipients(filter: {registerIds: $r}) { nodes { key } }
                parties: processors { nodes { key } }
                transfers(filter: {adequacy: NONE}) { nodes { country activity { key } register { slug } } }
                scc: transfers(filter: {mechanisms: [STANDARD_CONTRACTUAL_CLAUSES]}) { nodes { id } }
            } }",
            json!({ "r": [marketing] }),
        ).await;
        let org = &data["organisation"];
        assert_eq!(keys(&org["processors"]), ["lisaarvopalvelut", "markkinoinnin-palveluntarjoajat", "perinta-ja-laskutus", "tietojarjestelmat"]);
        assert_eq!(keys(&org["marketing"]), ["henkilosto", "kattobrandin-yhtiot", "markkinoinnin-palveluntarjoajat", "tietojarjestelmat"]);
        assert_eq!(keys(&org["parties"]), ["markkinointipalvelut", "tietojarjestelmatoimittajat"]);
        // The notice names no destination: with no country, no decision is in force.
        let unnamed = org["transfers"]["nodes"].as_array().unwrap();
        assert!(!unnamed.is_empty() && unnamed.iter().all(|t| t["country"].is_null()));
        assert!(org["scc"]["nodes"].as_array().unwrap().is_empty());

        let basics = id_of(&app, "puuha", "personalDataCategories", "perustiedot").await;
        let data = app.query(
            "query($d: ID) { organisation(slug: \"puuha\") { dataFlow(dataCategoryId: $d) { activities(first: 100) { nodes { key } } recipients { recipient { key } } countries { country } } } }",
            json!({ "d": basics }),
        ).await;
        let flow = &data["organisation"]["dataFlow"];
        assert!(flow["activities"]["nodes"].as_array().unwrap().len() >= 6, "{flow}");
        assert!(flow["recipients"].as_array().unwrap().iter().any(|r| r["recipient"]["key"] == json!("tietojarjestelmat")));
        assert_eq!(flow["countries"], json!([]), "the demo names no countries");

        let systems = id_of(&app, "puuha", "parties", "tietojarjestelmatoimittajat").await;
        let data = app.query(
            "query($p: ID) { organisation(slug: \"puuha\") { impact(partyId: $p) { registers { slug } publishedNotices { number } transfers { nodes { id } } } } }",
            json!({ "p": systems }),
        ).await;
        let impact = &data["organisation"]["impact"];
        assert_eq!(impact["registers"], json!([{"slug": "asiakasrekisteri"}, {"slug": "markkinointirekisteri"}, {"slug": "verkkopalvelu"}]));
        assert_eq!(impact["publishedNotices"].as_array().unwrap().len(), 3);
        assert!(!impact["transfers"]["nodes"].as_array().unwrap().is_empty());
    }

    async fn on_the_demo_data_the_filters_and_the_flows_agree(backend) {
        let app = TestApp::with_demo(backend).await;
        app.use_token(Some(app.token("puuha", Role::Service, None).await));
        let all = recipients_of(&app, json!({})).await;
        let outside = recipients_of(&app, json!({"outsideEea": true})).await;
        let inside = recipients_of(&app, json!({"outsideEea": false})).await;
        let mut both: Vec<String> = outside.iter().chain(&inside).cloned().collect();
        both.sort();
        assert_eq!(both, all, "inside and outside the EU/EEA split the recipients");
        assert!(recipients_of(&app, json!({"countries": ["US"]})).await.is_empty(), "the demo names no US party");
        let data = app.query(
            "{ organisation(slug: \"puuha\") { personalDataCategories(first: 100) { nodes { id key } } dataSubjectCategories(first: 100) { nodes { id } } registers { nodes { id slug activities(first: 100) { nodes { transfers { nodes { id } } } } } } } }",
            json!({}),
        ).await;
        let org = &data["organisation"];
        for category in org["personalDataCategories"]["nodes"].as_array().unwrap() {
            let id = category["id"].clone();
            // The recipients the filter finds are those the data flow reaches.
            let filtered = recipients_of(&app, json!({"dataCategoryIds": [id]})).await;
            let flow = app.query(
                "query($d: ID) { organisation(slug: \"puuha\") { dataFlow(dataCategoryId: $d) { activities(first: 100) { nodes { id } } recipients { recipient { key } } }
                  impact(dataCategoryId: $d) { activities(first: 100) { nodes { id } } } } }",
                json!({ "d": id }),
            ).await;
            let mut reached: Vec<String> = flow["organisation"]["dataFlow"]["recipients"].as_array().unwrap().iter()
                .map(|r| r["recipient"]["key"].as_str().unwrap().to_owned()).collect();
            reached.sort();
            assert_eq!(filtered, reached, "category {}", category["key"]);
            assert_eq!(flow["organisation"]["dataFlow"]["activities"], flow["organisation"]["impact"]["activities"], "category {}", category["key"]);
        }
        for subjects in org["dataSubjectCategories"]["nodes"].as_array().unwrap() {
            let flow = app.query(
                "query($s: ID) { organisation(slug: \"puuha\") { dataFlow(dataSubjectCategoryId: $s) { activities { nodes { id } } } } }",
                json!({ "s": subjects["id"] }),
            ).await;
            assert!(flow["organisation"]["dataFlow"]["activities"]["nodes"].is_array());
        }
        let mut total = 0;
        for register in org["registers"]["nodes"].as_array().unwrap() {
            let expected: usize = register["activities"]["nodes"].as_array().unwrap().iter()
                .map(|a| a["transfers"]["nodes"].as_array().unwrap().len()).sum();
            let listed = transfers_of(&app, json!({"registerIds": [register["id"]]})).await;
            assert_eq!(listed, expected, "register {}", register["slug"]);
            total += expected;
        }
        let systems = id_of(&app, "puuha", "recipients", "tietojarjestelmat").await;
        assert_eq!(transfers_of(&app, json!({"recipientIds": [systems]})).await, total, "every demo transfer goes to the system providers");
        assert_eq!(transfers_of(&app, json!({"countries": ["US"]})).await, 0);
        let processors = app.query("{ organisation(slug: \"puuha\") { processors(filter: {outsideEea: false, countries: []}) { nodes { key } } } }", json!({})).await;
        assert_eq!(processors["organisation"]["processors"]["nodes"], json!([]), "an empty list matches nothing");
        let impact = app.query("{ organisation(slug: \"puuha\") { impact(country: \"US\") { activities { nodes { id } } adequacyDecision { destination } } } }", json!({})).await;
        assert_eq!(impact["organisation"]["impact"]["activities"]["nodes"], json!([]));
        assert_eq!(impact["organisation"]["impact"]["adequacyDecision"]["destination"], json!("US"));
    }

    async fn the_queries_cost_as_many_statements_whatever_the_data_size(backend) {
        let query = "query($d: ID) { organisations { nodes {
            recipients(filter: {outsideEea: true, kinds: [PROCESSOR]}) { nodes { key transfers { nodes { country } } } }
            processors(filter: {outsideEea: true}) { nodes { key } }
            transfers(filter: {adequacy: IN_FORCE, mechanisms: [ADEQUACY_DECISION]}, first: 100) { nodes { country activity { key } register { slug } dataCategories { nodes { key } } } }
        } }
        organisation(slug: \"flows\") { dataFlow(dataCategoryId: $d) { activities(first: 100) { nodes { key } } recipients { recipient { key } } countries { country } } } }";
        let mut counts = Vec::new();
        for (registers, activities) in [(1, 3), (3, 20)] {
            // Every organisation's lists in one query: past the cost limit, on purpose.
            let app = TestApp::spawn(backend).await.without_query_limits();
            load_flows(&app, registers, activities).await;
            app.sign_in_as_auditor_everywhere().await;
            let d0 = id_of(&app, "flows", "personalDataCategories", "d0").await;
            app.reset_statement_count();
            app.query(query, json!({ "d": d0 })).await;
            counts.push(app.statement_count());
        }
        assert_eq!(counts[0], counts[1], "statements on the small and the larger data set");
    }
}
