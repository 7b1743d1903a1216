//! Who may see and change what: the matrix of `src/authz/matrix.csv` asserted at the policy layer
//! and end to end, foreign IDs, tokens, the token CLI, and how often the policy is asked.

use std::collections::{BTreeMap, BTreeSet};

use async_graphql::parser::types::{BaseType, Type, TypeKind, TypeSystemDefinition};
use chrono::{Duration, Utc};
use entity::Role;
use ropa::authz::{Action, Actor, Authz, Decisions, Grant, Scope};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, QueryOrder};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::backend_test;
use crate::batching::{load_synthetic, FULL_GRAPH_QUERY};
use crate::helpers::{error_code, TestApp};

const MATRIX: &str = include_str!("../../src/authz/matrix.csv");
const ROLES: [&str; 9] = [
    "admin",
    "dpo",
    "editor",
    "register_editor",
    "auditor",
    "viewer",
    "register_viewer",
    "service",
    "anonymous",
];
/// Object types whose every field the matrix must cover.
const COVERED: [&str; 18] = [
    "Query",
    "Mutation",
    "Subscription",
    "Organisation",
    "Contact",
    "Party",
    "Register",
    "ProcessingActivity",
    "DataSubjectCategory",
    "PersonalDataCategory",
    "DataSource",
    "Recipient",
    "SecurityMeasure",
    "Transfer",
    "RetentionRule",
    "Account",
    "Membership",
    "ApiToken",
];

struct Row {
    ty: String,
    field: String,
    permission: String,
    register_scope: bool,
    allowed: BTreeMap<&'static str, bool>,
}

fn matrix() -> Vec<Row> {
    let mut lines = MATRIX.lines().filter(|l| !l.starts_with('#'));
    let header: Vec<&str> = lines.next().expect("header").split(',').collect();
    assert_eq!(&header[3..], ROLES, "matrix columns");
    lines
        .map(|line| {
            let cells: Vec<&str> = line.split(',').collect();
            let (ty, field) = cells[0].split_once('.').expect("Type.field");
            Row {
                ty: ty.to_owned(),
                field: field.to_owned(),
                permission: cells[1].to_owned(),
                register_scope: match cells[2] {
                    "register" => true,
                    "organisation" => false,
                    other => panic!("unknown scope {other}"),
                },
                allowed: ROLES
                    .iter()
                    .zip(&cells[3..])
                    .map(|(role, cell)| (*role, *cell == "yes"))
                    .collect(),
            }
        })
        .collect()
}

/// Every field of the covered types, with its type (parsed once).
fn schema_fields() -> &'static BTreeMap<(String, String), Type> {
    static FIELDS: std::sync::OnceLock<BTreeMap<(String, String), Type>> =
        std::sync::OnceLock::new();
    FIELDS.get_or_init(parse_fields)
}

fn parse_fields() -> BTreeMap<(String, String), Type> {
    let document = async_graphql::parser::parse_schema(ropa::graphql::sdl()).expect("SDL parses");
    let mut fields = BTreeMap::new();
    for definition in document.definitions {
        let TypeSystemDefinition::Type(ty) = definition else {
            continue;
        };
        let name = ty.node.name.node.to_string();
        if let TypeKind::Object(object) = &ty.node.kind {
            for field in &object.fields {
                fields.insert(
                    (name.clone(), field.node.name.node.to_string()),
                    field.node.ty.node.clone(),
                );
            }
        }
    }
    fields
}

fn base_name(ty: &Type) -> String {
    match &ty.base {
        BaseType::Named(name) => name.to_string(),
        BaseType::List(inner) => base_name(inner),
    }
}

fn is_list(ty: &Type) -> bool {
    matches!(ty.base, BaseType::List(_))
}

#[test]
fn the_matrix_covers_every_field_of_the_schema() {
    let in_schema: BTreeSet<String> = schema_fields()
        .keys()
        .filter(|(ty, _)| COVERED.contains(&ty.as_str()))
        .map(|(ty, field)| format!("{ty}.{field}"))
        .collect();
    let in_matrix: BTreeSet<String> = matrix()
        .iter()
        .map(|r| format!("{}.{}", r.ty, r.field))
        .collect();
    let missing: Vec<_> = in_schema.difference(&in_matrix).collect();
    let stale: Vec<_> = in_matrix.difference(&in_schema).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "src/authz/matrix.csv must have one row per field: missing {missing:?}, no longer in the schema {stale:?}"
    );
}

fn grants_of(role: &str, organisation: Uuid, register: Uuid) -> Vec<Grant> {
    let grant = |register_id: Option<Uuid>, role: Role| Grant {
        organisation_id: organisation,
        register_id,
        role,
    };
    match role {
        "admin" => vec![grant(None, Role::Admin)],
        "dpo" => vec![grant(None, Role::Dpo)],
        "editor" => vec![grant(None, Role::Editor)],
        "register_editor" => vec![grant(Some(register), Role::Editor)],
        "auditor" => vec![grant(None, Role::Auditor)],
        "viewer" => vec![grant(None, Role::Viewer)],
        "register_viewer" => vec![grant(Some(register), Role::Viewer)],
        "service" => vec![grant(None, Role::Service)],
        "anonymous" => vec![],
        other => panic!("unknown role {other}"),
    }
}

#[test]
fn the_policy_answers_as_the_matrix_says() {
    let authz = Authz::new().expect("the policy loads");
    let (own, own_register) = (Uuid::now_v7(), Uuid::now_v7());
    let (other, other_register) = (Uuid::now_v7(), Uuid::now_v7());
    let mut wrong = Vec::new();
    for row in matrix() {
        for role in ROLES {
            let grants = grants_of(role, own, own_register);
            let actor = Actor {
                account_id: (role != "anonymous").then(Uuid::now_v7),
                token_id: None,
                grants,
            };
            let expected = row.allowed[role];
            if row.permission == "public" {
                if !expected {
                    wrong.push(format!(
                        "{}.{} {role}: public data is for everyone",
                        row.ty, row.field
                    ));
                }
                continue;
            }
            if row.permission == "signed_in" {
                if actor.is_anonymous() == expected {
                    wrong.push(format!("{}.{} {role}", row.ty, row.field));
                }
                continue;
            }
            let action = Action::parse(&row.permission).expect("a permission of the policy");
            let decisions = Decisions::new(authz.clone(), actor);
            let (in_own, in_other) = if row.register_scope {
                (
                    Scope::Register {
                        id: own_register,
                        organisation: own,
                    },
                    Scope::Register {
                        id: other_register,
                        organisation: other,
                    },
                )
            } else {
                (Scope::Organisation(own), Scope::Organisation(other))
            };
            if decisions.allows(action, in_own) != expected || decisions.allows(action, in_other) {
                wrong.push(format!("{}.{} {role}", row.ty, row.field));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "the policy disagrees with the matrix on {wrong:#?}"
    );
}

/// IDs of the first node of each type in one organisation, as the end-to-end checks use them.
struct Nodes {
    slug: String,
    organisation: Uuid,
    ids: BTreeMap<&'static str, String>,
}

async fn first_nodes(app: &TestApp, slug: &str) -> Nodes {
    use entity::*;
    use ropa::ids::{encode, NodeKind};
    use sea_orm::{ColumnTrait, QueryFilter};
    let db = &app.db;
    let org = organisation::Entity::find()
        .filter(organisation::Column::Slug.eq(slug))
        .one(db)
        .await
        .unwrap()
        .expect("organisation");
    let register = register::Entity::of_organisation(org.id)
        .order_by_asc(register::Column::Id)
        .one(db)
        .await
        .unwrap()
        .expect("register");
    macro_rules! first {
        ($module:ident) => {
            $module::Entity::of_organisation(org.id)
                .order_by_asc($module::Column::Id)
                .one(db)
                .await
                .unwrap()
                .expect(stringify!($module))
                .id
        };
    }
    let mut ids = BTreeMap::new();
    ids.insert("Organisation", encode(NodeKind::Organisation, org.id));
    ids.insert("Register", encode(NodeKind::Register, register.id));
    ids.insert("Contact", encode(NodeKind::Contact, first!(contact)));
    ids.insert("Party", encode(NodeKind::Party, first!(party)));
    ids.insert(
        "ProcessingActivity",
        encode(NodeKind::ProcessingActivity, first!(processing_activity)),
    );
    ids.insert(
        "DataSubjectCategory",
        encode(NodeKind::DataSubjectCategory, first!(data_subject_category)),
    );
    ids.insert(
        "PersonalDataCategory",
        encode(
            NodeKind::PersonalDataCategory,
            first!(personal_data_category),
        ),
    );
    ids.insert(
        "DataSource",
        encode(NodeKind::DataSource, first!(data_source)),
    );
    ids.insert("Recipient", encode(NodeKind::Recipient, first!(recipient)));
    ids.insert(
        "SecurityMeasure",
        encode(NodeKind::SecurityMeasure, first!(security_measure)),
    );
    ids.insert("Transfer", encode(NodeKind::Transfer, first!(transfer)));
    ids.insert(
        "RetentionRule",
        encode(NodeKind::RetentionRule, first!(retention_rule)),
    );
    Nodes {
        slug: slug.to_owned(),
        organisation: org.id,
        ids,
    }
}

/// Tokens for each role of the matrix in `org0` (register roles on `reg0`); anonymous has none.
async fn role_tokens(app: &TestApp) -> BTreeMap<&'static str, Option<String>> {
    let mut tokens = BTreeMap::new();
    // The register editor first: the first membership of the organisation is then limited to a
    // register, so `Membership.register` has something to show.
    for (role, grant, register) in [
        ("register_editor", Role::Editor, Some("reg0")),
        ("register_viewer", Role::Viewer, Some("reg0")),
        ("admin", Role::Admin, None),
        ("dpo", Role::Dpo, None),
        ("editor", Role::Editor, None),
        ("auditor", Role::Auditor, None),
        ("viewer", Role::Viewer, None),
        ("service", Role::Service, None),
    ] {
        tokens.insert(role, Some(app.token("org0", grant, register).await));
    }
    tokens.insert("anonymous", None);
    tokens
}

/// The selection that reads a field: arguments and sub-selection by its type.
fn selection(ty: &str, field: &str, field_type: &Type, nodes: &Nodes) -> String {
    let base = base_name(field_type);
    let data_flow = format!(
        "(dataCategoryId: \"{}\")",
        nodes.ids["PersonalDataCategory"]
    );
    let args = match (ty, field) {
        ("Organisation", "register") => "(slug: \"reg0\")",
        ("Organisation", "dataFlow") => data_flow.as_str(),
        ("Organisation", "impact") => "(country: \"US\")",
        ("Organisation", "asOf") => "(at: \"2100-01-01T00:00:00Z\")",
        ("Organisation", "changes") => {
            "(from: \"2000-01-01T00:00:00Z\", to: \"2100-01-01T00:00:00Z\")"
        }
        _ if base.ends_with("Connection") => "(first: 5)",
        _ => "",
    };
    let sub = if base.ends_with("Connection") {
        " { nodes { __typename } }"
    } else if base == "LocalizedText" {
        " { isEmpty }"
    } else if is_object(&base) {
        " { __typename }"
    } else {
        ""
    };
    format!("{field}{args}{sub}")
}

fn is_object(name: &str) -> bool {
    !matches!(
        name,
        "ID" | "String" | "Int" | "Boolean" | "DateTime" | "NaiveDate" | "Float"
    ) && !name.chars().all(|c| c.is_ascii_uppercase() || c == '_')
        && schema_fields().keys().any(|(ty, _)| ty == name)
}

/// Runs one read of the matrix; true when the data came back.
async fn reads(
    app: &TestApp,
    token: Option<&str>,
    nodes: &Nodes,
    row: &Row,
    field_type: &Type,
) -> bool {
    if row.ty == "Subscription" {
        return crate::subscriptions::hears_changes(app, token, &nodes.slug).await;
    }
    let select = selection(&row.ty, &row.field, field_type, nodes);
    let (query, variables, path): (String, Value, Vec<&str>) = match row.ty.as_str() {
        "Query" => match row.field.as_str() {
            "organisations" => ("{ organisations(first: 100) { nodes { slug } } }".into(), json!({}), vec![]),
            "organisation" => (
                "query($slug: String!) { organisation(slug: $slug) { id } }".into(),
                json!({ "slug": nodes.slug }),
                vec!["organisation"],
            ),
            "node" => (
                "query($id: ID!) { node(id: $id) { id } }".into(),
                json!({ "id": nodes.ids["Organisation"] }),
                vec!["node"],
            ),
            "me" => ("{ me { id } }".into(), json!({}), vec!["me"]),
            "adequacyDecisions" => (
                "{ adequacyDecisions { destination } }".into(),
                json!({}),
                vec!["adequacyDecisions"],
            ),
            "complianceRules" => (
                "{ complianceRules { code } }".into(),
                json!({}),
                vec!["complianceRules"],
            ),
            "publishedNotice" => (
                "query($slug: String!) { publishedNotice(organisation: $slug, register: \"reg0\") { number } }".into(),
                json!({ "slug": nodes.slug }),
                vec!["publishedNotice"],
            ),
            other => panic!("no end-to-end read for Query.{other}"),
        },
        "Membership" => (
            format!("query($slug: String!) {{ organisation(slug: $slug) {{ members {{ {select} }} }} }}"),
            json!({ "slug": nodes.slug }),
            vec!["organisation", "members", &row.field],
        ),
        "Account" => (
            format!("query($slug: String!) {{ organisation(slug: $slug) {{ members {{ account {{ {select} }} }} }} }}"),
            json!({ "slug": nodes.slug }),
            vec!["organisation", "members", "account", &row.field],
        ),
        "ApiToken" => (
            format!("query($slug: String!) {{ organisation(slug: $slug) {{ members {{ account {{ tokens {{ {select} }} }} }} }} }}"),
            json!({ "slug": nodes.slug }),
            vec!["organisation", "members", "account", "tokens", &row.field],
        ),
        ty => (
            format!("query($id: ID!) {{ node(id: $id) {{ ... on {ty} {{ {select} }} }} }}"),
            json!({ "id": nodes.ids[ty] }),
            vec!["node", &row.field],
        ),
    };
    let response = app.graphql_as(token, &query, variables).await;
    if let Some(errors) = response["errors"].as_array() {
        for error in errors {
            let code = error["extensions"]["code"].as_str().unwrap_or("");
            assert!(
                code == "FORBIDDEN" || code == "NOT_FOUND",
                "{}.{}: unexpected error {error}",
                row.ty,
                row.field
            );
        }
        return false;
    }
    if row.ty == "Query" && row.field == "organisations" {
        return response["data"]["organisations"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["slug"] == json!(nodes.slug));
    }
    if row.ty == "Query" {
        let value = &response["data"][path[0]];
        return !value.is_null() && value.as_array().is_none_or(|items| !items.is_empty());
    }
    // Walk the path; through lists, the first element that leads somewhere.
    fn walk<'v>(value: &'v Value, path: &[&str]) -> Option<&'v Value> {
        match path.split_first() {
            None => Some(value),
            Some((key, rest)) => {
                let next = &value[*key];
                if next.is_null() {
                    return None;
                }
                match next.as_array() {
                    Some(items) if !rest.is_empty() => {
                        // An empty list or a null at the end leads nowhere when another
                        // element leads to a value (an account whose tokens the caller may
                        // not see, beside one whose it may).
                        let found: Vec<&Value> =
                            items.iter().filter_map(|item| walk(item, rest)).collect();
                        let leads =
                            |v: &Value| !v.is_null() && v.as_array().is_none_or(|a| !a.is_empty());
                        found
                            .iter()
                            .copied()
                            .find(|v| leads(v))
                            .or(found.first().copied())
                    }
                    _ => walk(next, rest),
                }
            }
        }
    }
    let Some(value) = walk(&response["data"], &path) else {
        // Nothing at the end of the path: a refusal, unless the node was there and the field
        // is a scalar that happens to be null.
        let container = walk(&response["data"], &path[..path.len() - 1]);
        return container.is_some() && !is_object(&base_name(field_type));
    };
    if value.is_null() {
        // A null scalar of a readable node is an answer, not a refusal.
        return !is_object(&base_name(field_type));
    }
    if base_name(field_type).ends_with("Connection") {
        return value["nodes"].as_array().is_some_and(|n| !n.is_empty());
    }
    // A node may have no findings: an empty list of them is still an answer.
    if is_list(field_type) && is_object(&base_name(field_type)) && row.field != "findings" {
        return value.as_array().is_some_and(|n| !n.is_empty());
    }
    true
}

/// Fixtures for the mutations: an account that belongs to the organisation.
async fn member_account(app: &TestApp, organisation: Uuid) -> Uuid {
    let account =
        ropa::identity::create_account(&app.db, "member", None, entity::AccountKind::Person)
            .await
            .unwrap();
    ropa::identity::grant(&app.db, account.id, organisation, None, Role::Viewer)
        .await
        .unwrap();
    account.id
}

/// Runs one mutation of the matrix against `organisation`; returns the error code, if any.
async fn mutates(
    app: &TestApp,
    token: Option<&str>,
    field: &str,
    organisation: Uuid,
) -> Option<String> {
    use ropa::ids::{encode, NodeKind};
    let org = encode(NodeKind::Organisation, organisation);
    let member = member_account(app, organisation).await;
    let account = encode(NodeKind::Account, member);
    let (query, variables) = match field {
        "createAccount" => (
            "mutation($org: ID!) { createAccount(input: {organisationId: $org, name: \"New\", kind: SERVICE, role: VIEWER}) { account { id } } }",
            json!({ "org": org }),
        ),
        "grantRole" => (
            "mutation($acc: ID!, $org: ID!) { grantRole(input: {accountId: $acc, organisationId: $org, role: AUDITOR}) { id } }",
            json!({ "acc": account, "org": org }),
        ),
        "revokeRole" => {
            let membership = ropa::identity::grant(&app.db, member, organisation, None, Role::Auditor).await.unwrap();
            (
                "mutation($m: ID!) { revokeRole(input: {membershipId: $m}) { membershipId } }",
                json!({ "m": encode(NodeKind::Membership, membership.id) }),
            )
        }
        "createToken" => (
            "mutation($acc: ID!, $org: ID!) { createToken(input: {accountId: $acc, organisationId: $org, name: \"t\"}) { secret } }",
            json!({ "acc": account, "org": org }),
        ),
        "revokeToken" => {
            let (token, _) = ropa::identity::create_token_in(&app.db, member, Some(organisation), "t", None).await.unwrap();
            (
                "mutation($t: ID!) { revokeToken(input: {tokenId: $t}) { id } }",
                json!({ "t": encode(NodeKind::ApiToken, token.id) }),
            )
        }
        other => {
            use sea_orm::PaginatorTrait;
            let (query, variables) = graph_mutation(app, other, organisation).await;
            let events = || entity::audit_event::Entity::find().count(&app.db);
            let before = events().await.unwrap();
            let response = app.graphql_as(token, &query, variables).await;
            let code = response["errors"][0]["extensions"]["code"]
                .as_str()
                .map(str::to_owned);
            // A change writes exactly one audit event (publishing a draft register's notice
            // two: the version, and the register becoming published); a refusal writes none.
            let written = events().await.unwrap() - before;
            let per_change = if other == "publishNotice" { 2 } else { 1 };
            assert_eq!(
                written,
                if code.is_none() { per_change } else { 0 },
                "Mutation.{other}: {written} audit events for {response}"
            );
            return code;
        }
    };
    let response = app.graphql_as(token, query, variables).await;
    response["errors"][0]["extensions"]["code"]
        .as_str()
        .map(str::to_owned)
}

/// A key no other node has.
fn unique_key() -> String {
    format!("k{}", Uuid::new_v4().simple())
}

/// Creates a node through the API as an admin of its organisation; returns its ID.
async fn create_fixture(app: &TestApp, admin: &str, kind: &str, input: Value) -> String {
    let field = {
        let mut c = kind.chars();
        c.next()
            .unwrap()
            .to_lowercase()
            .chain(c)
            .collect::<String>()
    };
    let query = format!(
        "mutation($i: Create{kind}Input!) {{ create{kind}(input: $i) {{ {field} {{ id }} }} }}"
    );
    let response = app
        .graphql_as(Some(admin), &query, json!({ "i": input }))
        .await;
    response["data"][format!("create{kind}")][&field]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("fixture {kind}: {response:#}"))
        .to_owned()
}

/// The query and variables of one graph mutation of the matrix, against fresh fixtures in
/// `organisation` (register-scoped ones in its register `reg0`).
async fn graph_mutation(app: &TestApp, field: &str, organisation: Uuid) -> (String, Value) {
    use entity::*;
    use ropa::ids::{encode, NodeKind};
    use sea_orm::{ColumnTrait, QueryFilter};
    let org_model = organisation::Entity::find_by_id(organisation)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let org = encode(NodeKind::Organisation, organisation);
    let admin = app.token(&org_model.slug, Role::Admin, None).await;
    let register = register::Entity::find()
        .filter(register::Column::OrganisationId.eq(organisation))
        .filter(register::Column::Slug.eq("reg0"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let reg = encode(NodeKind::Register, register.id);
    let name = json!([{"language": "fi", "text": "Nimi"}]);
    let vocabulary = |kind: &str| -> Value {
        match kind {
            "Contact" => json!({"organisationId": org, "key": unique_key(), "name": "Nimi"}),
            "Party" => {
                json!({"organisationId": org, "key": unique_key(), "name": "Nimi", "kind": "PROCESSOR"})
            }
            "DataSubjectCategory" | "PersonalDataCategory" => {
                json!({"organisationId": org, "key": unique_key(), "name": name})
            }
            "DataSource" => {
                json!({"organisationId": org, "key": unique_key(), "name": name, "kind": "PUBLIC"})
            }
            "Recipient" => {
                json!({"organisationId": org, "key": unique_key(), "name": name, "kind": "PROCESSOR"})
            }
            "SecurityMeasure" => {
                json!({"organisationId": org, "key": unique_key(), "name": name, "kind": "TECHNICAL"})
            }
            "Register" => {
                json!({"organisationId": org, "slug": unique_key(), "name": name, "kind": "CUSTOMER"})
            }
            "ProcessingActivity" => json!({"registerId": reg, "key": unique_key(), "name": name}),
            other => panic!("no fixture for {other}"),
        }
    };
    let mutation = |name: &str, input_type: &str, selection: &str| {
        format!("mutation($i: {input_type}!) {{ {name}(input: $i) {{ {selection} }} }}")
    };
    if field == "acknowledgeFinding" || field == "withdrawAcknowledgement" {
        // A fresh activity has no retention rule: a finding to acknowledge.
        let activity = create_fixture(
            app,
            &admin,
            "ProcessingActivity",
            vocabulary("ProcessingActivity"),
        )
        .await;
        let acknowledge = "mutation($i: AcknowledgeFindingInput!) { acknowledgeFinding(input: $i) { acknowledgement { id } } }";
        let input = json!({"i": {"rule": "NO_RETENTION", "nodeId": activity, "reason": "Kept only for the session"}});
        if field == "acknowledgeFinding" {
            return (acknowledge.into(), input);
        }
        let response = app.graphql_as(Some(&admin), acknowledge, input).await;
        let id = response["data"]["acknowledgeFinding"]["acknowledgement"]["id"].clone();
        assert!(id.is_string(), "fixture acknowledgement: {response}");
        return (
            "mutation($i: DeleteInput!) { withdrawAcknowledgement(input: $i) { deletedId } }"
                .into(),
            json!({"i": {"id": id, "version": 1}}),
        );
    }
    if field == "publishNotice" {
        // A fresh register each time, so that each publication has something new to say.
        let fresh = create_fixture(app, &admin, "Register", vocabulary("Register")).await;
        return (
            "mutation($r: ID!) { publishNotice(input: {registerId: $r, overrideReason: \"Published in a test\"}) { version { number } } }"
                .into(),
            json!({"r": fresh}),
        );
    }
    let (verb, kind) = ["create", "update", "delete", "link", "unlink"]
        .iter()
        .find_map(|v| field.strip_prefix(v).map(|k| (*v, k)))
        .unwrap_or_else(|| panic!("no end-to-end call for Mutation.{field}"));
    let activity = || async {
        create_fixture(
            app,
            &admin,
            "ProcessingActivity",
            vocabulary("ProcessingActivity"),
        )
        .await
    };
    match (verb, kind) {
        ("update", "Organisation") => (
            mutation(field, "UpdateOrganisationInput", "organisation { id }"),
            // A new number each time: an update that changes nothing writes nothing.
            json!({"i": {"id": org, "version": org_model.version, "phone": format!("+358 9 {}", Uuid::new_v4().as_u128() % 1_000_000)}}),
        ),
        ("update", "Register") => (
            mutation(field, "UpdateRegisterInput", "register { id }"),
            json!({"i": {"id": reg, "version": register.version, "description": [{"language": "en", "text": unique_key()}]}}),
        ),
        ("create", "Transfer") => (
            mutation(field, "CreateTransferInput", "transfer { id }"),
            json!({"i": {"activityId": activity().await, "country": "US", "mechanism": "STANDARD_CONTRACTUAL_CLAUSES"}}),
        ),
        ("create", "RetentionRule") => (
            mutation(field, "CreateRetentionRuleInput", "retentionRule { id }"),
            json!({"i": {"activityId": activity().await, "period": "P1Y"}}),
        ),
        ("update" | "delete", "Transfer" | "RetentionRule") => {
            let input = if kind == "Transfer" {
                json!({"activityId": activity().await, "country": "US", "mechanism": "STANDARD_CONTRACTUAL_CLAUSES"})
            } else {
                json!({"activityId": activity().await, "period": "P1Y"})
            };
            let id = create_fixture(app, &admin, kind, input).await;
            if verb == "update" {
                let text = json!([{"language": "en", "text": "Changed"}]);
                let change = if kind == "Transfer" {
                    json!({"id": id, "version": 1, "description": text})
                } else {
                    json!({"id": id, "version": 1, "startsFrom": text})
                };
                (
                    mutation(field, &format!("Update{kind}Input"), "__typename"),
                    json!({"i": change}),
                )
            } else {
                (
                    mutation(field, "DeleteInput", "deletedId"),
                    json!({"i": {"id": id, "version": 1}}),
                )
            }
        }
        ("link" | "unlink", "Activity") => {
            let recipient = create_fixture(app, &admin, "Recipient", vocabulary("Recipient")).await;
            let mut input = vocabulary("ProcessingActivity");
            if verb == "unlink" {
                input["linkedIds"] = json!([recipient]);
            }
            let activity = create_fixture(app, &admin, "ProcessingActivity", input).await;
            (
                mutation(field, "ActivityLinksInput", "processingActivity { id }"),
                json!({"i": {"activityId": activity, "version": 1, "targetIds": [recipient]}}),
            )
        }
        ("create", kind) => (
            mutation(field, &format!("Create{kind}Input"), "__typename"),
            json!({"i": vocabulary(kind)}),
        ),
        ("update", kind) => {
            let id = create_fixture(app, &admin, kind, vocabulary(kind)).await;
            (
                mutation(field, &format!("Update{kind}Input"), "__typename"),
                json!({"i": {"id": id, "version": 1, "key": unique_key()}}),
            )
        }
        ("delete", kind) => {
            let id = create_fixture(app, &admin, kind, vocabulary(kind)).await;
            (
                mutation(field, "DeleteInput", "deletedId"),
                json!({"i": {"id": id, "version": 1}}),
            )
        }
        _ => panic!("no end-to-end call for Mutation.{field}"),
    }
}

/// The roles that may read the organisation itself: all but anonymous, the last column.
fn reads_the_organisation(role: &str) -> bool {
    ROLES[..ROLES.len() - 1].contains(&role)
}

/// Checks one row of the matrix for one role, in its organisation and in another one.
async fn check(
    app: &TestApp,
    tokens: &BTreeMap<&'static str, Option<String>>,
    own: &Nodes,
    other: &Nodes,
    fields: &'static BTreeMap<(String, String), Type>,
    row: &Row,
    role: &str,
) -> Vec<String> {
    let mut wrong = Vec::new();
    let token = tokens[role].as_deref();
    let expected = row.allowed[role];
    if row.ty == "Mutation" {
        // Acting on the organisation: FORBIDDEN to those who may read it. Acting on an account,
        // membership or token, which only admins can see: NOT_FOUND.
        let on_organisation = !matches!(
            row.field.as_str(),
            "revokeRole" | "createToken" | "revokeToken"
        );
        let reads_organisation = reads_the_organisation(role);
        // A register viewer does not see the fresh register another register's fixture is.
        let unseen = role == "register_viewer"
            && matches!(row.field.as_str(), "deleteRegister" | "publishNotice");
        let want = if expected {
            None
        } else if unseen {
            Some("NOT_FOUND".to_owned())
        } else if reads_organisation && on_organisation {
            Some("FORBIDDEN".to_owned())
        } else {
            Some("NOT_FOUND".to_owned())
        };
        let code = mutates(app, token, &row.field, own.organisation).await;
        if code != want {
            wrong.push(format!(
                "Mutation.{} as {role} in its organisation: {code:?}, expected {want:?}",
                row.field
            ));
        }
        let code = mutates(app, token, &row.field, other.organisation).await;
        if code.as_deref() != Some("NOT_FOUND") {
            wrong.push(format!(
                "Mutation.{} as {role} in another organisation: {code:?}",
                row.field
            ));
        }
        return wrong;
    }
    let field_type = &fields[&(row.ty.clone(), row.field.clone())];
    if reads(app, token, own, row, field_type).await != expected {
        let what = if expected { "data" } else { "no data" };
        wrong.push(format!(
            "{}.{} as {role}: expected {what}",
            row.ty, row.field
        ));
    }
    // The caller's own account and public reference data belong to no organisation.
    let per_caller = row.ty == "Query"
        && matches!(
            row.field.as_str(),
            "me" | "adequacyDecisions" | "publishedNotice" | "complianceRules"
        );
    if !per_caller && reads(app, token, other, row, field_type).await {
        wrong.push(format!(
            "{}.{} as {role} reads another organisation",
            row.ty, row.field
        ));
    }
    wrong
}

backend_test! {
    async fn every_field_and_mutation_answers_as_the_matrix_says(backend) {
        let app = TestApp::spawn(backend).await;
        load_synthetic(&app, 2, 1, 1).await;
        let tokens = role_tokens(&app).await;
        let own = first_nodes(&app, "org0").await;
        let other = first_nodes(&app, "org1").await;
        // A published notice in each organisation, for the fields that read versions.
        for nodes in [&own, &other] {
            let (_, register) = ropa::ids::decode(&nodes.ids["Register"]).unwrap();
            let w = ropa::write::Write::begin(&app.db, &app.state.write_gate, ropa::audit::Author::import()).await.unwrap();
            ropa::service::notices::publish_in(&w, &app.state.adequacy, chrono::Utc::now().date_naive(), register, Some("Fixture")).await.unwrap();
            w.commit().await.unwrap();
        }
        let fields = schema_fields();
        let mut wrong = Vec::new();
        let rows = matrix();
        for row in &rows {
            if row.ty == "Mutation" {
                // One role after another: updates name the version they read.
                for role in ROLES {
                    wrong.extend(check(&app, &tokens, &own, &other, fields, row, role).await);
                }
                continue;
            }
            let checks = ROLES.iter().map(|role| check(&app, &tokens, &own, &other, fields, row, role));
            for found in futures_util::future::join_all(checks).await {
                wrong.extend(found);
            }
        }
        assert!(wrong.is_empty(), "{} disagreements with src/authz/matrix.csv:\n{}", wrong.len(), wrong.join("\n"));
    }

    async fn ids_from_another_organisation_answer_like_ids_that_do_not_exist(backend) {
        use ropa::ids::{encode, NodeKind};
        let app = TestApp::spawn(backend).await;
        load_synthetic(&app, 2, 1, 1).await;
        let admin = app.token("org0", Role::Admin, None).await;
        let other = first_nodes(&app, "org1").await;
        let foreign_member = member_account(&app, other.organisation).await;
        let foreign_membership = ropa::identity::grant(&app.db, foreign_member, other.organisation, None, Role::Auditor).await.unwrap();
        let (foreign_token, _) = ropa::identity::create_token_in(&app.db, foreign_member, Some(other.organisation), "t", None).await.unwrap();
        let missing = |kind| encode(kind, Uuid::now_v7());
        let normalise = |response: &Value, ids: &[&str]| {
            let mut text = response.to_string();
            for id in ids {
                text = text.replace(id, "<id>");
            }
            text
        };
        let mut cases: Vec<(String, String, String)> = Vec::new();
        for (kind, id) in &other.ids {
            let kind = match *kind {
                "Organisation" => NodeKind::Organisation,
                "Register" => NodeKind::Register,
                "Contact" => NodeKind::Contact,
                "Party" => NodeKind::Party,
                "ProcessingActivity" => NodeKind::ProcessingActivity,
                "DataSubjectCategory" => NodeKind::DataSubjectCategory,
                "PersonalDataCategory" => NodeKind::PersonalDataCategory,
                "DataSource" => NodeKind::DataSource,
                "Recipient" => NodeKind::Recipient,
                "SecurityMeasure" => NodeKind::SecurityMeasure,
                "Transfer" => NodeKind::Transfer,
                _ => NodeKind::RetentionRule,
            };
            cases.push(("query($id: ID!) { node(id: $id) { id } }".into(), id.clone(), missing(kind)));
        }
        let org = encode(NodeKind::Organisation, other.organisation);
        cases.push(("mutation($id: ID!) { createAccount(input: {organisationId: $id, name: \"x\", kind: SERVICE, role: VIEWER}) { account { id } } }".into(), org.clone(), missing(NodeKind::Organisation)));
        cases.push((format!("mutation($id: ID!) {{ grantRole(input: {{accountId: \"{}\", organisationId: $id, role: VIEWER}}) {{ id }} }}", encode(NodeKind::Account, foreign_member)), org, missing(NodeKind::Organisation)));
        let own_org = encode(NodeKind::Organisation, first_nodes(&app, "org0").await.organisation);
        cases.push((format!("mutation($id: ID!) {{ grantRole(input: {{accountId: $id, organisationId: \"{own_org}\", role: VIEWER}}) {{ id }} }}"), encode(NodeKind::Account, foreign_member), missing(NodeKind::Account)));
        cases.push(("mutation($id: ID!) { revokeRole(input: {membershipId: $id}) { membershipId } }".into(), encode(NodeKind::Membership, foreign_membership.id), missing(NodeKind::Membership)));
        cases.push((format!("mutation($id: ID!) {{ createToken(input: {{accountId: $id, organisationId: \"{own_org}\", name: \"t\"}}) {{ secret }} }}"), encode(NodeKind::Account, foreign_member), missing(NodeKind::Account)));
        cases.push(("mutation($id: ID!) { revokeToken(input: {tokenId: $id}) { id } }".into(), encode(NodeKind::ApiToken, foreign_token.id), missing(NodeKind::ApiToken)));
        for (query, foreign, nonexistent) in cases {
            let a = app.graphql_as(Some(&admin), &query, json!({ "id": foreign })).await;
            let b = app.graphql_as(Some(&admin), &query, json!({ "id": nonexistent })).await;
            assert_eq!(normalise(&a, &[&foreign]), normalise(&b, &[&nonexistent]), "{query}");
            assert!(a["errors"].is_null() || error_code(&a) == "NOT_FOUND", "{query}: {a}");
        }
    }

    async fn tokens_are_stored_as_hashes_and_bad_ones_are_refused(backend) {
        let app = TestApp::spawn(backend).await;
        load_synthetic(&app, 1, 1, 1).await;
        let secret = app.token("org0", Role::Viewer, None).await;
        let me = "{ me { name memberships { role } } }";
        let ok = app.graphql_as(Some(&secret), me, json!({})).await;
        assert_eq!(ok["data"]["me"]["memberships"][0]["role"], json!("VIEWER"));

        let stored = entity::api_token::Entity::find().all(&app.db).await.unwrap();
        assert!(stored.iter().all(|t| t.secret_hash.len() == 64 && !t.secret_hash.contains(&secret[5..])));
        let row = stored.iter().find(|t| t.secret_hash == ropa::identity::hash_secret(&secret)).expect("stored by hash");
        assert!(row.last_used_at.is_some(), "last use is recorded");

        for bad in [Some("ropa_not-a-token"), Some("not even a ropa token")] {
            let (status, body) = app.graphql_raw(me, json!({}), bad).await;
            assert_eq!(status, 401, "{body}");
            assert!(body.contains("UNAUTHENTICATED"));
        }
        let request = axum::http::Request::post("/graphql")
            .header("content-type", "application/json")
            .header("authorization", format!("Basic {secret}"))
            .body(axum::body::Body::from(json!({ "query": me }).to_string()))
            .unwrap();
        assert_eq!(app.send(request).await.0, 401, "only bearer tokens are accepted");

        let mut expired: entity::api_token::ActiveModel = row.clone().into();
        expired.expires_at = Set(Some(Utc::now() - Duration::minutes(1)));
        expired.update(&app.db).await.unwrap();
        // Changed behind the service's back: it takes effect within a second.
        refused_within_a_second(&app, &secret).await;

        let fresh = app.token("org0", Role::Viewer, None).await;
        let fresh_row = entity::api_token::Entity::find().order_by_desc(entity::api_token::Column::Id).one(&app.db).await.unwrap().unwrap();
        ropa::identity::revoke_token(&app.db, fresh_row.id).await.unwrap();
        refused_within_a_second(&app, &fresh).await;

        let anonymous = app.graphql_as(None, "{ me { name } organisations { nodes { slug } } }", json!({})).await;
        assert_eq!(anonymous["data"], json!({ "me": null, "organisations": { "nodes": [] } }));
    }

    async fn the_token_command_creates_lists_and_revokes_tokens(backend) {
        let app = TestApp::spawn(backend).await;
        load_synthetic(&app, 1, 1, 1).await;
        let ropa = |args: &[&str]| {
            let output = std::process::Command::new(env!("CARGO_BIN_EXE_ropa"))
                .args(args)
                .env("ROPA_DATABASE_URL", &app.url)
                .env("ROPA_LOG", "error")
                .output()
                .expect("the binary runs");
            assert!(output.status.success(), "ropa {args:?}: {}", String::from_utf8_lossy(&output.stderr));
            String::from_utf8(output.stdout).expect("UTF-8")
        };
        let created = ropa(&["token", "create", "--organisation", "org0", "--role", "editor", "--register", "reg0", "--name", "ci-pipeline", "--expires-in", "30d"]);
        let lines: Vec<&str> = created.lines().collect();
        assert_eq!(lines.len(), 1, "prints the token and nothing else: {created:?}");
        let secret = lines[0].trim();
        assert!(secret.starts_with("ropa_"));
        let me = app.graphql_as(Some(secret), "{ me { name memberships { role register { slug } } } }", json!({})).await;
        assert_eq!(me["data"]["me"]["name"], json!("ci-pipeline"));
        assert_eq!(me["data"]["me"]["memberships"][0]["register"]["slug"], json!("reg0"));

        let listed = ropa(&["token", "list", "--organisation", "org0"]);
        let line = listed.lines().find(|l| l.contains("ci-pipeline")).expect("listed");
        assert!(line.contains("editor@org0/reg0") && line.contains("active"), "{line}");
        let id = line.split_whitespace().next().unwrap();
        assert!(id.starts_with("tok_"));
        ropa(&["token", "revoke", id]);
        // Another process's revocation: heard through the database's notifications on
        // PostgreSQL, within a second on SQLite.
        refused_within_a_second(&app, secret).await;
        assert!(ropa(&["token", "list"]).lines().any(|l| l.starts_with(id) && l.contains("revoked")));
    }

    async fn the_policy_is_asked_as_often_whatever_the_data_size(backend) {
        let small = TestApp::spawn(backend).await.without_query_limits();
        load_synthetic(&small, 2, 2, 3).await;
        let before = small.state.authz.query_count();
        small.query(FULL_GRAPH_QUERY, json!({})).await;
        let small_calls = small.state.authz.query_count() - before;

        let large = TestApp::spawn(backend).await.without_query_limits();
        load_synthetic(&large, 2, 10, 12).await;
        let before = large.state.authz.query_count();
        large.query(FULL_GRAPH_QUERY, json!({})).await;
        let large_calls = large.state.authz.query_count() - before;

        assert_eq!(small_calls, large_calls, "oso queries: {small_calls} on the small set, {large_calls} on the 20× larger one");
        assert!(small_calls <= 4, "{small_calls} oso queries for the full graph");
    }
}

/// Waits until `secret` is refused, for at most a second (how long the service may remember a
/// token whose revocation it did not hear of).
async fn refused_within_a_second(app: &TestApp, secret: &str) {
    let started = std::time::Instant::now();
    while app
        .graphql_raw("{ me { name } }", json!({}), Some(secret))
        .await
        .0
        != 401
    {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(1),
            "still accepted after a second"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}
