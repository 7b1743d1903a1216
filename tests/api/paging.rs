//! Lists page over what the caller may read: unreadable rows are left out before a page is cut,
//! so a page is full unless the list is exhausted, and the cursors go on from the last row shown.

use serde_json::{json, Value};

use crate::backend_test;
use crate::helpers::TestApp;
use entity::Role;

/// The demo organisation and register the limited viewer holds its role on.
const ORGANISATION: &str = "puuha";
const REGISTER: &str = "markkinointirekisteri";

/// Who may read a node of a type, relative to a viewer of one register.
#[derive(Clone, Copy)]
enum Readable {
    /// Nodes of the viewer's register: the selection finds a node's register.
    InRegister(&'static str),
    /// Every node of the organisation.
    Throughout,
    /// None (the type takes more than reading the register).
    Never,
}

/// The readability of each node type a list returns.
fn readable(node_type: &str) -> Readable {
    match node_type {
        "Register" => Readable::InRegister("id"),
        "ProcessingActivity" | "Transfer" => Readable::InRegister("register { id }"),
        "RetentionRule" => Readable::InRegister("activity { register { id } }"),
        "Party" | "DataSubjectCategory" | "PersonalDataCategory" | "DataSource" | "Recipient" => {
            Readable::Throughout
        }
        "Contact" | "SecurityMeasure" => Readable::Never,
        other => panic!("no readability for {other}"),
    }
}

/// A paged list on a node: `field` (with `args`) of a node of type `on`, reached through
/// `through` (a field of that node the list is in, or none) and listing nodes of `lists`.
#[derive(Clone, Copy)]
struct List {
    on: &'static str,
    through: Option<&'static str>,
    field: &'static str,
    args: &'static str,
    lists: &'static str,
}

const fn list(on: &'static str, field: &'static str, lists: &'static str) -> List {
    List {
        on,
        through: None,
        field,
        args: "",
        lists,
    }
}

/// Every paged list of a node the limited viewer can reach.
fn lists() -> Vec<List> {
    let mut lists = vec![
        list("Organisation", "registers", "Register"),
        list("Organisation", "activities", "ProcessingActivity"),
        list("Organisation", "contacts", "Contact"),
        list("Organisation", "parties", "Party"),
        list(
            "Organisation",
            "dataSubjectCategories",
            "DataSubjectCategory",
        ),
        list(
            "Organisation",
            "personalDataCategories",
            "PersonalDataCategory",
        ),
        list("Organisation", "dataSources", "DataSource"),
        list("Organisation", "recipients", "Recipient"),
        list("Organisation", "processors", "Party"),
        list("Organisation", "securityMeasures", "SecurityMeasure"),
        list("Organisation", "transfers", "Transfer"),
        List {
            args: ", filter: {}",
            ..list("Organisation", "recipients", "Recipient")
        },
        List {
            args: ", filter: { adequacy: NONE }",
            ..list("Organisation", "transfers", "Transfer")
        },
        List {
            through: Some(r#"impact(country: "US")"#),
            ..list("Organisation", "transfers", "Transfer")
        },
        List {
            through: Some(r#"impact(country: "US")"#),
            ..list("Organisation", "activities", "ProcessingActivity")
        },
        List {
            through: Some(r#"impact(country: "US")"#),
            ..list("Organisation", "adequacyTransfers", "Transfer")
        },
        list("Register", "activities", "ProcessingActivity"),
        list(
            "ProcessingActivity",
            "dataSubjectCategories",
            "DataSubjectCategory",
        ),
        list(
            "ProcessingActivity",
            "personalDataCategories",
            "PersonalDataCategory",
        ),
        list("ProcessingActivity", "sources", "DataSource"),
        list("ProcessingActivity", "recipients", "Recipient"),
        list("ProcessingActivity", "securityMeasures", "SecurityMeasure"),
        list("ProcessingActivity", "transfers", "Transfer"),
        list("ProcessingActivity", "retentionRules", "RetentionRule"),
        list("Transfer", "dataCategories", "PersonalDataCategory"),
        list("Transfer", "dataSubjectCategories", "DataSubjectCategory"),
        list("Party", "subProcessors", "Party"),
        list("Party", "recipients", "Recipient"),
        list("Party", "sources", "DataSource"),
        list("Party", "counterpartActivities", "ProcessingActivity"),
        list("DataSubjectCategory", "activities", "ProcessingActivity"),
        list("PersonalDataCategory", "activities", "ProcessingActivity"),
        list("PersonalDataCategory", "retentionRules", "RetentionRule"),
        list("DataSource", "activities", "ProcessingActivity"),
        list("Recipient", "activities", "ProcessingActivity"),
        list("Recipient", "transfers", "Transfer"),
    ];
    // The lists of what the data of a category reaches, and of what dropping a party changes,
    // are computed in memory rather than in SQL.
    for (on, through) in [
        ("PersonalDataCategory", "dataFlow(dataCategoryId: $id)"),
        (
            "DataSubjectCategory",
            "dataFlow(dataSubjectCategoryId: $id)",
        ),
        ("Party", "impact(partyId: $id)"),
    ] {
        lists.push(List {
            through: Some(through),
            ..list(on, "activities", "ProcessingActivity")
        });
        if on == "Party" {
            lists.push(List {
                through: Some(through),
                ..list(on, "transfers", "Transfer")
            });
        }
    }
    lists
}

/// The query of one page of `list` on the node `$id`, selecting `selection` of each node. A
/// list reached through a field of the organisation (`dataFlow`, `impact`) is asked of the
/// organisation, with `$id` naming the node the field is about.
fn page_query(list: &List, selection: &str) -> String {
    let page = format!(
        "list: {}(first: $first, after: $after{}) {{ edges {{ cursor node {{ {selection} }} }} \
         nodes {{ id }} pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }} }}",
        list.field, list.args
    );
    match list.through {
        Some(through) if list.on != "Organisation" => format!(
            "query($id: ID!, $organisation: ID!, $first: Int, $after: String) {{ \
             node(id: $organisation) {{ ... on Organisation {{ via: {through} {{ {page} }} }} }} }}"
        ),
        Some(through) => format!(
            "query($id: ID!, $first: Int, $after: String) {{ \
             node(id: $id) {{ ... on Organisation {{ via: {through} {{ {page} }} }} }} }}"
        ),
        None => format!(
            "query($id: ID!, $first: Int, $after: String) {{ \
             node(id: $id) {{ ... on {} {{ {page} }} }} }}",
            list.on
        ),
    }
}

/// The `list` connection in a response.
fn connection_of(data: &Value) -> &Value {
    let node = &data["node"];
    if node["via"].is_object() {
        &node["via"]["list"]
    } else {
        &node["list"]
    }
}

/// Pages through `list` on `parent` as `bearer`, `first` at a time, checking each page: full
/// unless it is the last, cursors from its own edges, `hasNextPage` false on the last page
/// only. Returns the IDs in order.
async fn page_through(
    app: &TestApp,
    bearer: &str,
    list: &List,
    parent: &str,
    organisation: &str,
    first: usize,
) -> Vec<String> {
    let query = page_query(list, "id");
    let mut after = Value::Null;
    let mut seen = Vec::new();
    loop {
        let variables =
            json!({ "id": parent, "organisation": organisation, "first": first, "after": after });
        let response = app.graphql_as(Some(bearer), &query, variables).await;
        assert!(response.get("errors").is_none(), "{query}: {response:#}");
        let page = connection_of(&response["data"]);
        let what = format!("{}.{} of {parent} after {after}", list.on, list.field);
        let edges = page["edges"]
            .as_array()
            .unwrap_or_else(|| panic!("{what}: {response:#}"));
        let ids: Vec<String> = edges
            .iter()
            .map(|e| e["node"]["id"].as_str().unwrap_or_default().to_owned())
            .collect();
        let nodes: Vec<&str> = page["nodes"]
            .as_array()
            .unwrap_or_else(|| panic!("{what}: {response:#}"))
            .iter()
            .map(|n| n["id"].as_str().unwrap_or_default())
            .collect();
        assert_eq!(nodes, ids, "{what}: nodes and edges agree");
        let info = &page["pageInfo"];
        let has_next = info["hasNextPage"] == json!(true);
        assert_eq!(info["hasPreviousPage"], json!(!after.is_null()), "{what}");
        assert_eq!(
            info["startCursor"],
            edges.first().map_or(Value::Null, |e| e["cursor"].clone()),
            "{what}: the start cursor is the first edge's"
        );
        assert_eq!(
            info["endCursor"],
            edges.last().map_or(Value::Null, |e| e["cursor"].clone()),
            "{what}: the end cursor is the last edge's"
        );
        if has_next {
            assert_eq!(
                ids.len(),
                first,
                "{what}: a page is full unless it is the last"
            );
        } else {
            assert!(ids.len() <= first, "{what}");
        }
        seen.extend(ids);
        if !has_next {
            return seen;
        }
        after = info["endCursor"].clone();
    }
}

/// How many rows `list` on `parent` holds for the org-wide auditor (the signed-in caller), and
/// the IDs of those a viewer of `register` may read, in order.
async fn readable_part(
    app: &TestApp,
    list: &List,
    parent: &str,
    organisation: &str,
    register: &str,
) -> (usize, Vec<String>) {
    let rule = readable(list.lists);
    let selection = match rule {
        Readable::InRegister("id") | Readable::Throughout | Readable::Never => "id".to_owned(),
        Readable::InRegister(selection) => format!("id {selection}"),
    };
    let query = page_query(list, &selection);
    let variables = json!({ "id": parent, "organisation": organisation, "first": 100 });
    let data = app.query(&query, variables).await;
    let page = connection_of(&data);
    assert_eq!(page["pageInfo"]["hasNextPage"], json!(false), "{query}");
    let all = page["edges"].as_array().expect("edges");
    let readable = all
        .iter()
        .map(|e| &e["node"])
        .filter(|node| match rule {
            Readable::InRegister(_) => {
                let of = if node["register"].is_object() {
                    &node["register"]["id"]
                } else if node["activity"].is_object() {
                    &node["activity"]["register"]["id"]
                } else {
                    &node["id"]
                };
                of.as_str() == Some(register)
            }
            Readable::Throughout => true,
            Readable::Never => false,
        })
        .map(|node| node["id"].as_str().expect("an ID").to_owned())
        .collect();
    (all.len(), readable)
}

/// The IDs of the nodes of each type the limited viewer can reach, from the organisation's
/// own lists as it sees them.
async fn parents(app: &TestApp, bearer: &str) -> Vec<(&'static str, String)> {
    let query = r#"query($slug: String!) { organisation(slug: $slug) { id
        registers(first: 100) { nodes { id } } activities(first: 100) { nodes { id } }
        transfers(first: 100) { nodes { id } } parties(first: 100) { nodes { id } }
        dataSubjectCategories(first: 100) { nodes { id } } personalDataCategories(first: 100) { nodes { id } }
        dataSources(first: 100) { nodes { id } } recipients(first: 100) { nodes { id } } } }"#;
    let response = app
        .graphql_as(Some(bearer), query, json!({ "slug": ORGANISATION }))
        .await;
    assert!(response.get("errors").is_none(), "{response:#}");
    let organisation = &response["data"]["organisation"];
    let mut parents = vec![(
        "Organisation",
        organisation["id"].as_str().expect("an ID").to_owned(),
    )];
    for (field, node_type) in [
        ("registers", "Register"),
        ("activities", "ProcessingActivity"),
        ("transfers", "Transfer"),
        ("parties", "Party"),
        ("dataSubjectCategories", "DataSubjectCategory"),
        ("personalDataCategories", "PersonalDataCategory"),
        ("dataSources", "DataSource"),
        ("recipients", "Recipient"),
    ] {
        for node in organisation[field]["nodes"].as_array().expect("nodes") {
            parents.push((node_type, node["id"].as_str().expect("an ID").to_owned()));
        }
    }
    parents
}

backend_test! {
    async fn a_register_viewer_pages_through_exactly_the_rows_it_may_read(backend) {
        let app = TestApp::with_demo(backend).await.without_query_limits();
        let viewer = app.token(ORGANISATION, Role::Viewer, Some(REGISTER)).await;
        let ids = app
            .query(
                r#"query($o: String!, $r: String!) { organisation(slug: $o) { id register(slug: $r) { id } } }"#,
                json!({ "o": ORGANISATION, "r": REGISTER }),
            )
            .await;
        let organisation = ids["organisation"]["id"].as_str().expect("an ID").to_owned();
        let register = ids["organisation"]["register"]["id"]
            .as_str()
            .expect("an ID")
            .to_owned();
        let parents = parents(&app, &viewer).await;
        let lists = lists();
        let mut checked = 0;
        let mut partial = 0;
        for list in &lists {
            for (_, parent) in parents.iter().filter(|(t, _)| *t == list.on) {
                let (all, expected) =
                    readable_part(&app, list, parent, &organisation, &register).await;
                for first in [1, 2] {
                    let got = page_through(&app, &viewer, list, parent, &organisation, first).await;
                    assert_eq!(
                        got, expected,
                        "{}.{} of {parent}, {first} at a time: exactly the readable rows, in order",
                        list.on, list.field
                    );
                }
                checked += 1;
                partial += usize::from(expected.len() < all);
            }
        }
        // Every kind of list was reached, and many of them hold rows the viewer may not read
        // (before and between the readable ones, or only those).
        for list in &lists {
            assert!(
                parents.iter().any(|(t, _)| *t == list.on),
                "no {} reached for {}",
                list.on,
                list.field
            );
        }
        assert!(checked > 50 && partial > 20, "{checked} lists, {partial} partly readable");
    }

    async fn a_viewer_of_the_second_organisation_finds_it_on_the_first_page(backend) {
        let app = TestApp::with_demo(backend).await;
        let all = app
            .query("{ organisations(first: 100) { nodes { slug } } }", json!({}))
            .await;
        let slugs: Vec<&str> = all["organisations"]["nodes"]
            .as_array()
            .expect("nodes")
            .iter()
            .map(|o| o["slug"].as_str().expect("a slug"))
            .collect();
        assert!(slugs.len() >= 3, "{slugs:?}");
        let viewer = app.token(slugs[1], Role::Viewer, None).await;
        for first in [1, 2] {
            let response = app
                .graphql_as(
                    Some(&viewer),
                    "query($first: Int) { organisations(first: $first) { edges { cursor node { slug } } pageInfo { hasNextPage endCursor } } }",
                    json!({ "first": first }),
                )
                .await;
            let page = &response["data"]["organisations"];
            assert_eq!(page["edges"][0]["node"]["slug"], json!(slugs[1]), "{response:#}");
            assert_eq!(page["edges"].as_array().map(Vec::len), Some(1), "{response:#}");
            assert_eq!(page["pageInfo"]["hasNextPage"], json!(false), "{response:#}");
            assert_eq!(page["pageInfo"]["endCursor"], page["edges"][0]["cursor"], "{response:#}");
            // Nothing follows it either.
            let after = app
                .graphql_as(
                    Some(&viewer),
                    "query($after: String) { organisations(first: 1, after: $after) { nodes { slug } pageInfo { hasNextPage endCursor } } }",
                    json!({ "after": page["pageInfo"]["endCursor"] }),
                )
                .await;
            assert_eq!(after["data"]["organisations"]["nodes"], json!([]), "{after:#}");
            assert_eq!(after["data"]["organisations"]["pageInfo"]["hasNextPage"], json!(false));
            assert_eq!(after["data"]["organisations"]["pageInfo"]["endCursor"], Value::Null);
        }
    }
}
