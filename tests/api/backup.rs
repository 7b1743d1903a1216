//! Backups and restores: lossless round trips on both backends and from SQLite to PostgreSQL,
//! one organisation alone, and restores that refuse without writing anything.

use entity::Role;
use ropa::backup::{self, Backup, Scope};
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{json, Value};

use crate::backend_test;
use crate::batching::FULL_GRAPH_QUERY;
use crate::helpers::{Backend, TestApp};

/// The demo data with some history on top: an edit, a published notice, an acknowledged
/// finding, a revoked token.
async fn demo_with_history(backend: Backend) -> TestApp {
    let app = TestApp::with_demo(backend).await;
    let dpo = app.token("puuha", Role::Dpo, None).await;
    let data = app
        .graphql_as(
            Some(&dpo),
            r#"{ organisation(slug: "puuha") { id version register(slug: "asiakasrekisteri") { id }
                 compliance { findings { rule nodeId } } } }"#,
            json!({}),
        )
        .await;
    let org = &data["data"]["organisation"];
    for (query, variables) in [
        (
            "mutation($i: UpdateOrganisationInput!) { updateOrganisation(input: $i) { organisation { version } } }",
            json!({ "i": { "id": org["id"], "version": org["version"], "phone": "+358 9 123 4567" } }),
        ),
        (
            "mutation($id: ID!) { publishNotice(input: {registerId: $id, overrideReason: \"Published in a test\"}) { version { number } } }",
            json!({ "id": org["register"]["id"] }),
        ),
        (
            "mutation($rule: String!, $node: ID!) { acknowledgeFinding(input: {rule: $rule, nodeId: $node, reason: \"Accepted by the board\"}) { acknowledgement { id } } }",
            json!({ "rule": org["compliance"]["findings"][0]["rule"], "node": org["compliance"]["findings"][0]["nodeId"] }),
        ),
    ] {
        let response = app.graphql_as(Some(&dpo), query, variables).await;
        assert!(response.get("errors").is_none(), "{response:#}");
    }
    let spare = app.token("puuha", Role::Viewer, None).await;
    let listed = app
        .graphql_as(Some(&spare), "{ me { tokens { id } } }", json!({}))
        .await;
    let token = listed["data"]["me"]["tokens"][0]["id"].clone();
    let admin = app.token("puuha", Role::Admin, None).await;
    let revoked = app
        .graphql_as(
            Some(&admin),
            "mutation($id: ID!) { revokeToken(input: {tokenId: $id}) { id } }",
            json!({ "id": token }),
        )
        .await;
    assert!(revoked.get("errors").is_none(), "{revoked:#}");
    app
}

/// The file `ropa backup` writes.
fn file_of(backup: &Backup) -> Vec<u8> {
    let mut file = Vec::new();
    backup::write(backup, &mut file).unwrap();
    file
}

fn tables(backup: &Backup) -> Vec<(String, usize)> {
    backup
        .tables
        .iter()
        .map(|t| (t.name.clone(), t.rows.len()))
        .collect()
}

/// Backs up `from`, restores into a fresh database on `to`, and checks that a backup of the
/// restored database holds exactly the same rows, and that the API answers the same.
async fn round_trip(from: &TestApp, to: Backend) -> TestApp {
    let before = backup::backup(&from.db, &Scope::All).await.unwrap();
    let mut file = Vec::new();
    backup::write(&before, &mut file).unwrap();
    let read = backup::read(file.as_slice()).unwrap();
    let restored = TestApp::spawn(to).await.without_query_limits();
    let summary = backup::restore(&restored.db, &read).await.unwrap();
    assert_eq!(summary.organisations, before.organisations);
    let after = backup::backup(&restored.db, &Scope::All).await.unwrap();
    assert_eq!(tables(&after), tables(&before));
    for (a, b) in after.tables.iter().zip(&before.tables) {
        assert!(a == b, "table {} differs after the round trip", a.name);
    }
    // The same tokens work, and the whole graph reads the same.
    let token = from.bearer();
    let source = from
        .graphql_as(token.as_deref(), FULL_GRAPH_QUERY, json!({}))
        .await;
    let target = restored
        .graphql_as(token.as_deref(), FULL_GRAPH_QUERY, json!({}))
        .await;
    assert!(source.get("errors").is_none(), "{source:#}");
    assert_eq!(source["data"], target["data"]);
    restored
}

backend_test! {
    async fn a_backup_restores_losslessly(backend) {
        let app = demo_with_history(backend).await.without_query_limits();
        let before = backup::backup(&app.db, &Scope::All).await.unwrap();
        let audit = before.tables.iter().find(|t| t.name == "audit_event").unwrap();
        assert!(audit.rows.iter().any(|r| r["action"] == "update"), "history included");
        assert!(before.tables.iter().find(|t| t.name == "notice_version").is_some_and(|t| !t.rows.is_empty()));
        assert!(before.tables.iter().find(|t| t.name == "acknowledgement").is_some_and(|t| !t.rows.is_empty()));
        assert!(before.tables.iter().find(|t| t.name == "api_token").unwrap().rows.iter().any(|r| !r["revoked_at"].is_null()));
        let restored = round_trip(&app, backend).await;
        // The published notice is served from the restored database too.
        let (status, _) = restored.get("/notices/puuha/asiakasrekisteri?lang=en").await;
        assert_eq!(status, 200);
    }

    async fn one_organisation_backs_up_alone(backend) {
        let app = demo_with_history(backend).await;
        let puuha = entity::organisation::Entity::find().all(&app.db).await.unwrap().into_iter().find(|o| o.slug == "puuha").unwrap();
        let only = backup::backup(&app.db, &Scope::Organisations(vec![puuha.id])).await.unwrap();
        assert_eq!(only.organisations, vec!["puuha".to_owned()]);
        let id = puuha.id.to_string();
        for table in &only.tables {
            for row in &table.rows {
                // An unscoped token (the operator's) names no organisation.
                if let Some(org) = row.get("organisation_id").filter(|o| !o.is_null()) {
                    assert_eq!(org, &json!(id), "{}: only puuha's rows", table.name);
                }
            }
        }
        let all = backup::backup(&app.db, &Scope::All).await.unwrap();
        let count = |b: &Backup, name: &str| b.tables.iter().find(|t| t.name == name).unwrap().rows.len();
        assert!(count(&only, "processing_activity") < count(&all, "processing_activity"));
        assert!(count(&only, "activity_recipient") < count(&all, "activity_recipient"));
        let restored = TestApp::spawn(backend).await;
        backup::restore(&restored.db, &only).await.unwrap();
        let again = backup::backup(&restored.db, &Scope::All).await.unwrap();
        assert!(again.tables == only.tables, "the one organisation restores whole");
    }

    async fn a_restore_refuses_without_writing_anything(backend) {
        let app = demo_with_history(backend).await;
        let good = backup::backup(&app.db, &Scope::All).await.unwrap();
        // Not into a database that holds data.
        let err = backup::restore(&app.db, &good).await.unwrap_err();
        assert!(err.to_string().starts_with("database: a restore loads into an empty database"), "{err}");

        // A row that breaks a reference, late in the order: nothing of the earlier tables stays.
        let mut broken = backup::backup(&app.db, &Scope::All).await.unwrap();
        let transfers = broken.tables.iter_mut().find(|t| t.name == "transfer").unwrap();
        transfers.rows[0]["activity_id"] = json!(uuid::Uuid::new_v4().to_string());
        broken.checksum = Some(backup::checksum(&broken.tables).unwrap());
        let empty = TestApp::spawn(backend).await;
        let err = backup::restore(&empty.db, &broken).await.unwrap_err();
        assert!(err.to_string().starts_with("tables.transfer: could not be restored"), "{err}");
        assert_eq!(entity::organisation::Entity::find().count(&empty.db).await.unwrap(), 0);
        assert_eq!(entity::account::Entity::find().count(&empty.db).await.unwrap(), 0);

        // A row of the wrong shape names its place.
        let mut misshapen = backup::backup(&app.db, &Scope::All).await.unwrap();
        misshapen.tables.iter_mut().find(|t| t.name == "register").unwrap().rows[1]["status"] = json!("lost");
        misshapen.checksum = Some(backup::checksum(&misshapen.tables).unwrap());
        let err = backup::restore(&empty.db, &misshapen).await.unwrap_err();
        assert!(err.to_string().starts_with("tables.register.rows[1]:"), "{err}");
        assert_eq!(entity::organisation::Entity::find().count(&empty.db).await.unwrap(), 0);

        // Not another format or version.
        for (document, field) in [
            (json!({"format": "something", "version": 1}), "format"),
            (json!({"format": "ropa-backup", "version": 2, "tables": []}), "version"),
            (json!({"format": "ropa-backup", "version": 1, "createdAt": "2026-12-01T00:00:00Z", "organisations": [], "tables": [{"name": "users", "rows": []}]}), "tables"),
        ] {
            let err = backup::read(document.to_string().as_bytes()).unwrap_err();
            assert!(err.to_string().starts_with(&format!("{field}:")), "{err}");
        }
        assert!(backup::read("not json".as_bytes()).is_err());
    }

    async fn a_restore_checks_the_whole_file_before_writing(backend) {
        let app = demo_with_history(backend).await;
        let good = backup::backup(&app.db, &Scope::All).await.unwrap();
        let empty = TestApp::spawn(backend).await;
        // Each damaged copy is refused with a coded error naming the place, and writes nothing.
        let refused = |mut damaged: Backup, reseal: bool| {
            if reseal {
                damaged.checksum = Some(backup::checksum(&damaged.tables).unwrap());
            }
            let db = empty.db.clone();
            async move {
                let err = backup::restore(&db, &damaged).await.unwrap_err();
                assert!(matches!(err, ropa::error::AppError::InvalidInput { .. }), "{err:?}");
                assert_eq!(entity::organisation::Entity::find().count(&db).await.unwrap(), 0);
                assert_eq!(entity::account::Entity::find().count(&db).await.unwrap(), 0);
                err.to_string()
            }
        };
        let copy = || backup::read(file_of(&good).as_slice()).unwrap();

        // The audit table is missing.
        let mut missing = copy();
        missing.tables.retain(|t| t.name != "audit_event");
        let err = refused(missing, true).await;
        assert!(err.starts_with("tables: has no table \"audit_event\""), "{err}");

        // An organisation the header does not name.
        let mut extra = copy();
        extra.organisations.retain(|s| s != "puuha");
        let err = refused(extra, true).await;
        assert!(err.starts_with("organisations: does not name \"puuha\""), "{err}");

        // An unknown column.
        let mut unknown = copy();
        unknown.tables.iter_mut().find(|t| t.name == "contact").unwrap().rows[0]["nickname"] = json!("x");
        let err = refused(unknown, true).await;
        assert!(err.starts_with("tables.contact.rows[0].nickname: is not a column of contact"), "{err}");

        // A NUL byte in a text, which PostgreSQL could not store.
        let mut nul = copy();
        nul.tables.iter_mut().find(|t| t.name == "contact").unwrap().rows[0]["name"] = json!("Nul\u{0}Name");
        let err = refused(nul, true).await;
        assert!(err.starts_with("tables.contact.rows[0].name: contains a NUL"), "{err}");

        // A row changed after the backup: the checksum no longer matches.
        let mut changed = copy();
        changed.tables.iter_mut().find(|t| t.name == "contact").unwrap().rows[0]["name"] = json!("Someone else");
        let err = refused(changed, false).await;
        assert!(err.starts_with("checksum: does not match"), "{err}");

        // A truncated file is refused as such when read.
        let file = file_of(&good);
        let err = backup::read(&file[..file.len() * 2 / 3]).unwrap_err();
        assert!(matches!(err, ropa::error::AppError::InvalidInput { .. }), "{err:?}");
        assert!(err.to_string().starts_with("backup: is truncated"), "{err}");

        // An older file without a checksum is still read and restored.
        let mut old = copy();
        old.checksum = None;
        backup::restore(&empty.db, &old).await.expect("a file without a checksum restores");
    }

    async fn the_command_line_backs_up_and_restores(backend) {
        let app = demo_with_history(backend).await;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("ropa-backup.json");
        let (code, _, stderr) = app.ropa(&["backup", "-o", file.to_str().unwrap()]);
        assert_eq!(code, 0, "{stderr}");
        assert!(stderr.contains("backed up 4 organisations"), "{stderr}");
        let document: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
        assert_eq!(document["format"], "ropa-backup");
        assert_eq!(document["version"], 1);
        assert!(document["checksum"].as_str().is_some_and(|c| c.starts_with("sha256:") && c.len() == 71), "{}", document["checksum"]);

        let empty = TestApp::spawn(backend).await;
        let (code, _, stderr) = empty.ropa(&["restore", file.to_str().unwrap()]);
        assert_eq!(code, 0, "{stderr}");
        assert!(stderr.contains("restored 4 organisations"), "{stderr}");
        // Twice is refused: the database is no longer empty.
        let (code, _, stderr) = empty.ropa(&["restore", file.to_str().unwrap()]);
        assert_eq!(code, 1);
        assert!(stderr.contains("a restore loads into an empty database"), "{stderr}");
    }
}

/// The way a team moves from SQLite to PostgreSQL.
#[tokio::test]
async fn a_sqlite_backup_restores_into_postgresql() {
    let app = demo_with_history(Backend::Sqlite)
        .await
        .without_query_limits();
    round_trip(&app, Backend::Postgres).await;
}
