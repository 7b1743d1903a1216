//! Tenancy of accounts and tokens: an admin of one organisation acts on an account shared with
//! another only within its own, and the identity changes are audited.

use entity::{AccountKind, Role};
use ropa::ids::{encode, NodeKind};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::backend_test;
use crate::batching::load_synthetic;
use crate::helpers::{error_code, TestApp};

const CREATE_TOKEN: &str = "mutation($a: ID!, $o: ID!) { createToken(input: {accountId: $a, organisationId: $o, name: \"minted\"}) { secret token { id organisation { slug } } } }";
const REVOKE_TOKEN: &str = "mutation($t: ID!) { revokeToken(input: {tokenId: $t}) { id status } }";
const TOKENS: &str = "query($o: String!) { organisation(slug: $o) { members { account { id tokens { id name lastUsedAt organisation { slug } } } } } }";
const GRANT_ROLE: &str = "mutation($a: ID!, $o: ID!) { grantRole(input: {accountId: $a, organisationId: $o, role: AUDITOR}) { id organisation { slug } } }";
const REVOKE_ROLE: &str =
    "mutation($m: ID!) { revokeRole(input: {membershipId: $m}) { membershipId } }";
const CREATE_ACCOUNT: &str = "mutation($o: ID!) { createAccount(input: {organisationId: $o, name: \"New\", email: \"new@example.org\", kind: PERSON, role: VIEWER}) { account { id } membership { id } } }";
const ORGANISATIONS: &str = "{ organisations { nodes { slug } } }";

/// Two organisations, an admin of the first, an account in the first only and one in both.
struct Tenants {
    app: TestApp,
    /// The admin of `org0` (a service account made by `ropa token create`).
    admin: String,
    org0: Uuid,
    org1: Uuid,
    /// An account with the viewer role in org0 only.
    only_here: Uuid,
    /// An account with the admin role in org0 and org1, and an unscoped token (the operator's).
    shared: Uuid,
    shared_secret: String,
}

async fn tenants(backend: crate::helpers::Backend) -> Tenants {
    let app = TestApp::spawn(backend).await;
    load_synthetic(&app, 2, 1, 1).await;
    let organisation = |slug: &'static str| {
        let db = app.db.clone();
        async move {
            entity::organisation::Entity::find()
                .filter(entity::organisation::Column::Slug.eq(slug))
                .one(&db)
                .await
                .unwrap()
                .unwrap()
                .id
        }
    };
    let (org0, org1) = (organisation("org0").await, organisation("org1").await);
    let admin = app.token("org0", Role::Admin, None).await;
    let only_here = ropa::identity::create_account(&app.db, "only here", None, AccountKind::Person)
        .await
        .unwrap();
    ropa::identity::grant(&app.db, only_here.id, org0, None, Role::Viewer)
        .await
        .unwrap();
    let shared = ropa::identity::create_account(&app.db, "shared", None, AccountKind::Person)
        .await
        .unwrap();
    for organisation in [org0, org1] {
        ropa::identity::grant(&app.db, shared.id, organisation, None, Role::Admin)
            .await
            .unwrap();
    }
    let (_, shared_secret) = ropa::identity::create_token(&app.db, shared.id, "operator", None)
        .await
        .unwrap();
    Tenants {
        app,
        admin,
        org0,
        org1,
        only_here: only_here.id,
        shared: shared.id,
        shared_secret,
    }
}

fn slugs(response: &Value) -> Vec<String> {
    response["data"]["organisations"]["nodes"]
        .as_array()
        .unwrap_or_else(|| panic!("{response}"))
        .iter()
        .map(|o| o["slug"].as_str().unwrap().to_owned())
        .collect()
}

/// The token IDs the admin sees on an account among its organisation's members.
async fn listed_tokens(t: &Tenants, account: Uuid) -> Vec<Value> {
    let data = t
        .app
        .graphql_as(Some(&t.admin), TOKENS, json!({ "o": "org0" }))
        .await;
    assert!(data["errors"].is_null(), "{data}");
    let id = encode(NodeKind::Account, account);
    data["data"]["organisation"]["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["account"]["id"] == json!(id))
        .map(|m| m["account"]["tokens"].as_array().unwrap().clone())
        .unwrap_or_default()
}

fn ok(response: &Value) -> &Value {
    assert!(response["errors"].is_null(), "{response:#}");
    &response["data"]
}

async fn events(app: &TestApp) -> u64 {
    entity::audit_event::Entity::find()
        .count(&app.db)
        .await
        .unwrap()
}

backend_test! {
    async fn a_token_minted_by_an_admin_of_one_organisation_carries_only_its_roles_there(backend) {
        // The issue's repro: the demo admin holds the admin role in every demo organisation.
        let app = TestApp::with_demo(backend).await;
        ropa::demo::issue_tokens(&app.db).await.unwrap();
        let admin = app.token("puuha", Role::Admin, None).await;
        let members = app.graphql_as(Some(&admin), "{ organisation(slug: \"puuha\") { id members { account { id name } } } }", json!({})).await;
        let data = ok(&members);
        let puuha = data["organisation"]["id"].clone();
        let demo_admin = data["organisation"]["members"].as_array().unwrap().iter()
            .find(|m| m["account"]["name"] == json!("demo-admin")).expect("the demo admin is a member")["account"]["id"].clone();
        let minted = app.graphql_as(Some(&admin), CREATE_TOKEN, json!({ "a": demo_admin, "o": puuha })).await;
        let minted = ok(&minted)["createToken"].clone();
        assert_eq!(minted["token"]["organisation"]["slug"], json!("puuha"));
        let secret = minted["secret"].as_str().unwrap();
        assert_eq!(slugs(&app.graphql_as(Some(secret), ORGANISATIONS, json!({})).await), ["puuha"]);
        // It cannot act as admin anywhere else either: another organisation does not exist for it.
        let other = app.graphql_as(Some(secret), "{ organisation(slug: \"helpten\") { members { account { id } } } }", json!({})).await;
        assert!(other["data"]["organisation"].is_null(), "{other}");
        // The demo admin's own (operator's) token still acts in every organisation.
        let everywhere = app.token_everywhere(Role::Viewer).await;
        assert_eq!(slugs(&app.graphql_as(Some(&everywhere), ORGANISATIONS, json!({})).await).len(), 4);
    }

    async fn an_admin_of_one_organisation_mints_tokens_scoped_to_it_for_its_members_only(backend) {
        let t = tenants(backend).await;
        let (org0, org1) = (encode(NodeKind::Organisation, t.org0), encode(NodeKind::Organisation, t.org1));
        for account in [t.only_here, t.shared] {
            let id = encode(NodeKind::Account, account);
            let minted = t.app.graphql_as(Some(&t.admin), CREATE_TOKEN, json!({ "a": id, "o": org0 })).await;
            let secret = ok(&minted)["createToken"]["secret"].as_str().unwrap().to_owned();
            assert_eq!(slugs(&t.app.graphql_as(Some(&secret), ORGANISATIONS, json!({})).await), ["org0"]);
            // Scoped to the other organisation: the caller is no admin there.
            let foreign = t.app.graphql_as(Some(&t.admin), CREATE_TOKEN, json!({ "a": id, "o": org1 })).await;
            assert_eq!(error_code(&foreign), "NOT_FOUND", "{foreign}");
        }
        // An account with no role in the organisation is not found, like one that does not exist.
        let outsider = ropa::identity::create_account(&t.app.db, "outsider", None, AccountKind::Person).await.unwrap();
        ropa::identity::grant(&t.app.db, outsider.id, t.org1, None, Role::Admin).await.unwrap();
        for account in [outsider.id, Uuid::now_v7()] {
            let refused = t.app.graphql_as(Some(&t.admin), CREATE_TOKEN, json!({ "a": encode(NodeKind::Account, account), "o": org0 })).await;
            assert_eq!(error_code(&refused), "NOT_FOUND", "{refused}");
        }
        // The input names the organisation.
        let missing = t.app.graphql_as(Some(&t.admin), "mutation($a: ID!) { createToken(input: {accountId: $a, name: \"x\"}) { secret } }", json!({ "a": encode(NodeKind::Account, t.shared) })).await;
        assert!(!missing["errors"].is_null(), "{missing}");
    }

    async fn an_admin_of_one_organisation_sees_and_revokes_only_the_tokens_scoped_to_it(backend) {
        let t = tenants(backend).await;
        let org0 = encode(NodeKind::Organisation, t.org0);
        // The shared account's tokens: the operator's (unscoped), one scoped to org1 and used
        // there, and one scoped to org0.
        let (elsewhere, elsewhere_secret) = ropa::identity::create_token_in(&t.app.db, t.shared, Some(t.org1), "elsewhere", None).await.unwrap();
        assert_eq!(slugs(&t.app.graphql_as(Some(&elsewhere_secret), ORGANISATIONS, json!({})).await), ["org1"]);
        let here = t.app.graphql_as(Some(&t.admin), CREATE_TOKEN, json!({ "a": encode(NodeKind::Account, t.shared), "o": org0 })).await;
        let here = ok(&here)["createToken"]["token"]["id"].clone();
        let listed = listed_tokens(&t, t.shared).await;
        let ids: Vec<&Value> = listed.iter().map(|l| &l["id"]).collect();
        assert_eq!(ids, [&here]);
        assert!(listed[0]["lastUsedAt"].is_null());

        // The others cannot be revoked, and answer like tokens that do not exist.
        let operator = ropa::identity::authenticate(&t.app.db, &t.shared_secret).await.unwrap().token_id.unwrap();
        for token in [elsewhere.id, operator, Uuid::now_v7()] {
            let refused = t.app.graphql_as(Some(&t.admin), REVOKE_TOKEN, json!({ "t": encode(NodeKind::ApiToken, token) })).await;
            assert_eq!(error_code(&refused), "NOT_FOUND", "{refused}");
        }
        assert_eq!(slugs(&t.app.graphql_as(Some(&elsewhere_secret), ORGANISATIONS, json!({})).await), ["org1"]);
        assert_eq!(slugs(&t.app.graphql_as(Some(&t.shared_secret), ORGANISATIONS, json!({})).await), ["org0", "org1"]);
        let revoked = t.app.graphql_as(Some(&t.admin), REVOKE_TOKEN, json!({ "t": here })).await;
        assert_eq!(ok(&revoked)["revokeToken"]["status"], json!("REVOKED"));

        // The account itself sees all of its tokens.
        let mine = t.app.graphql_as(Some(&t.shared_secret), "{ me { tokens { id } } }", json!({})).await;
        assert_eq!(ok(&mine)["me"]["tokens"].as_array().unwrap().len(), 3);

        // An account in org0 only: its token minted in org0 is listed and revoked.
        let minted = t.app.graphql_as(Some(&t.admin), CREATE_TOKEN, json!({ "a": encode(NodeKind::Account, t.only_here), "o": org0 })).await;
        let minted = ok(&minted)["createToken"].clone();
        let listed = listed_tokens(&t, t.only_here).await;
        assert_eq!(listed.iter().map(|l| l["id"].clone()).collect::<Vec<_>>(), [minted["token"]["id"].clone()]);
        let revoked = t.app.graphql_as(Some(&t.admin), REVOKE_TOKEN, json!({ "t": minted["token"]["id"] })).await;
        assert_eq!(ok(&revoked)["revokeToken"]["status"], json!("REVOKED"));
        let (status, _) = t.app.graphql_raw(ORGANISATIONS, json!({}), minted["secret"].as_str()).await;
        assert_eq!(status, 401);
    }

    async fn an_admin_of_one_organisation_grants_and_revokes_roles_and_creates_accounts_only_there(backend) {
        let t = tenants(backend).await;
        let (org0, org1) = (encode(NodeKind::Organisation, t.org0), encode(NodeKind::Organisation, t.org1));
        for account in [t.only_here, t.shared] {
            let id = encode(NodeKind::Account, account);
            let granted = t.app.graphql_as(Some(&t.admin), GRANT_ROLE, json!({ "a": id, "o": org0 })).await;
            assert_eq!(ok(&granted)["grantRole"]["organisation"]["slug"], json!("org0"));
            let foreign = t.app.graphql_as(Some(&t.admin), GRANT_ROLE, json!({ "a": id, "o": org1 })).await;
            assert_eq!(error_code(&foreign), "NOT_FOUND", "{foreign}");
            // Its roles: those in org0 only, each revocable.
            let memberships = t.app.graphql_as(Some(&t.admin), "{ organisation(slug: \"org0\") { members { id account { id memberships { id organisation { slug } } } } } }", json!({})).await;
            let member = ok(&memberships)["organisation"]["members"].as_array().unwrap().iter()
                .find(|m| m["account"]["id"] == json!(id)).unwrap().clone();
            let seen = member["account"]["memberships"].as_array().unwrap();
            assert_eq!(seen.len(), 2, "{member}");
            assert!(seen.iter().all(|m| m["organisation"]["slug"] == json!("org0")), "{member}");
            for m in seen {
                let revoked = t.app.graphql_as(Some(&t.admin), REVOKE_ROLE, json!({ "m": m["id"] })).await;
                ok(&revoked);
            }
        }
        // The shared account's role in org1 stands, and cannot be revoked from org0.
        let in_org1 = entity::membership::Entity::find()
            .filter(entity::membership::Column::AccountId.eq(t.shared))
            .filter(entity::membership::Column::OrganisationId.eq(t.org1))
            .one(&t.app.db).await.unwrap().expect("the role in org1");
        let refused = t.app.graphql_as(Some(&t.admin), REVOKE_ROLE, json!({ "m": encode(NodeKind::Membership, in_org1.id) })).await;
        assert_eq!(error_code(&refused), "NOT_FOUND", "{refused}");
        assert_eq!(slugs(&t.app.graphql_as(Some(&t.shared_secret), ORGANISATIONS, json!({})).await), ["org1"]);
        // Accounts are created in org0 only.
        let created = t.app.graphql_as(Some(&t.admin), CREATE_ACCOUNT, json!({ "o": org0 })).await;
        ok(&created);
        let foreign = t.app.graphql_as(Some(&t.admin), CREATE_ACCOUNT, json!({ "o": org1 })).await;
        assert_eq!(error_code(&foreign), "NOT_FOUND", "{foreign}");
    }

    async fn every_identity_change_writes_one_audit_event_without_secrets(backend) {
        let t = tenants(backend).await;
        let app = &t.app;
        let org0 = encode(NodeKind::Organisation, t.org0);
        let mut secrets = vec![t.admin.clone(), t.shared_secret.clone()];

        let before = events(app).await;
        let created = app.graphql_as(Some(&t.admin), CREATE_ACCOUNT, json!({ "o": org0 })).await;
        let account = ok(&created)["createAccount"]["account"]["id"].clone();
        assert_eq!(events(app).await, before + 1, "createAccount");

        let before = events(app).await;
        let granted = app.graphql_as(Some(&t.admin), GRANT_ROLE, json!({ "a": account, "o": org0 })).await;
        let membership = ok(&granted)["grantRole"]["id"].clone();
        assert_eq!(events(app).await, before + 1, "grantRole");
        // Granting a role held already changes nothing, and writes nothing.
        let again = app.graphql_as(Some(&t.admin), GRANT_ROLE, json!({ "a": account, "o": org0 })).await;
        ok(&again);
        assert_eq!(events(app).await, before + 1, "grantRole again");

        let before = events(app).await;
        ok(&app.graphql_as(Some(&t.admin), REVOKE_ROLE, json!({ "m": membership })).await);
        assert_eq!(events(app).await, before + 1, "revokeRole");

        let before = events(app).await;
        let minted = app.graphql_as(Some(&t.admin), CREATE_TOKEN, json!({ "a": account, "o": org0 })).await;
        let minted = ok(&minted)["createToken"].clone();
        secrets.push(minted["secret"].as_str().unwrap().to_owned());
        assert_eq!(events(app).await, before + 1, "createToken");

        let before = events(app).await;
        ok(&app.graphql_as(Some(&t.admin), REVOKE_TOKEN, json!({ "t": minted["token"]["id"] })).await);
        assert_eq!(events(app).await, before + 1, "revokeToken");
        // Revoking it again changes nothing.
        ok(&app.graphql_as(Some(&t.admin), REVOKE_TOKEN, json!({ "t": minted["token"]["id"] })).await);
        assert_eq!(events(app).await, before + 1, "revokeToken again");

        // The command line: one event for the new service account and its token, source `cli`.
        let before = events(app).await;
        let (code, out, err) = app.ropa(&["token", "create", "--organisation", "org0", "--role", "viewer", "--name", "cli"]);
        assert_eq!(code, 0, "{err}");
        let cli_secret = out.trim().to_owned();
        secrets.push(cli_secret.clone());
        assert_eq!(events(app).await, before + 1, "token create");
        let cli_token = ropa::identity::authenticate(&app.db, &cli_secret).await.unwrap().token_id.unwrap();
        let before = events(app).await;
        let (code, _, err) = app.ropa(&["token", "revoke", &encode(NodeKind::ApiToken, cli_token)]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(events(app).await, before + 1, "token revoke");
        // The operator's token over two organisations: one event in each.
        let operator = ropa::identity::authenticate(&app.db, &t.shared_secret).await.unwrap().token_id.unwrap();
        let before = events(app).await;
        let (code, _, err) = app.ropa(&["token", "revoke", &encode(NodeKind::ApiToken, operator)]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(events(app).await, before + 2, "token revoke of an unscoped token");

        // No event holds a secret or its hash.
        let all = entity::audit_event::Entity::find().all(&app.db).await.unwrap();
        for event in &all {
            let text = format!("{} {}", event.before.clone().unwrap_or_default(), event.after.clone().unwrap_or_default());
            for secret in &secrets {
                assert!(!text.contains(secret.as_str()), "a secret in {text}");
                assert!(!text.contains(&ropa::identity::hash_secret(secret)), "a secret's hash in {text}");
            }
            assert!(!text.contains("secret_hash") && !text.contains("last_used_at"), "{text}");
        }

        // The trail reads them, as the auditors of the organisation do; the CLI's as `cli`.
        let auditor = app.token("org0", Role::Auditor, None).await;
        let trail = app.graphql_as(Some(&auditor), "query($n: ID!) { organisation(slug: \"org0\") { auditEvents(nodeId: $n) { nodes { nodeType action source after } } } }", json!({ "n": encode(NodeKind::ApiToken, cli_token) })).await;
        let nodes = ok(&trail)["organisation"]["auditEvents"]["nodes"].as_array().unwrap().clone();
        assert_eq!(nodes.iter().map(|n| (n["nodeType"].clone(), n["action"].clone(), n["source"].clone())).collect::<Vec<_>>(),
            [(json!("ApiToken"), json!("CREATE"), json!("cli")), (json!("ApiToken"), json!("UPDATE"), json!("cli"))]);
        let kinds: std::collections::BTreeSet<String> = all.iter().filter(|e| e.organisation_id == t.org0).map(|e| e.node_kind.clone()).collect();
        for kind in ["account", "membership", "api_token"] {
            assert!(kinds.contains(kind), "{kinds:?}");
        }
        // The graph as it was holds no accounts, memberships or tokens; nor do its changes.
        let history = app.graphql_as(Some(&auditor), "query($at: DateTime!, $from: DateTime!) { organisation(slug: \"org0\") { asOf(at: $at) { nodes { nodeType } } changes(from: $from, to: $at) { nodeType } } }",
            json!({ "at": chrono::Utc::now(), "from": chrono::Utc::now() - chrono::Duration::minutes(10) })).await;
        let data = ok(&history)["organisation"].clone();
        let types: Vec<&Value> = data["asOf"]["nodes"].as_array().unwrap().iter().map(|n| &n["nodeType"])
            .chain(data["changes"].as_array().unwrap().iter().map(|n| &n["nodeType"])).collect();
        assert!(!types.is_empty());
        assert!(types.iter().all(|t| ![json!("Account"), json!("Membership"), json!("ApiToken")].contains(t)), "{data}");
        // Those who may not read the trail do not see the events.
        let viewer = app.token("org0", Role::Viewer, None).await;
        let refused = app.graphql_as(Some(&viewer), "{ organisation(slug: \"org0\") { auditEvents { nodes { id } } } }", json!({})).await;
        assert_eq!(error_code(&refused), "FORBIDDEN", "{refused}");
    }
}
