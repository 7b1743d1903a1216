//! The audit trail: written with every change, and append-only in the database itself.

use entity::*;
use sea_orm::{ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait};

use crate::backend_test;
use crate::batching::load_synthetic;
use crate::helpers::{Backend, TestApp};
use serde_json::json;

async fn count<E: EntityTrait>(app: &TestApp) -> u64
where
    E::Model: Sync,
{
    E::find().count(&app.db).await.unwrap()
}

backend_test! {
    async fn an_import_records_one_event_per_node_with_an_activitys_links(backend) {
        let app = TestApp::spawn(backend).await;
        load_synthetic(&app, 2, 2, 3).await;
        let nodes = count::<organisation::Entity>(&app).await
            + count::<contact::Entity>(&app).await
            + count::<party::Entity>(&app).await
            + count::<register::Entity>(&app).await
            + count::<processing_activity::Entity>(&app).await
            + count::<data_subject_category::Entity>(&app).await
            + count::<personal_data_category::Entity>(&app).await
            + count::<data_source::Entity>(&app).await
            + count::<recipient::Entity>(&app).await
            + count::<security_measure::Entity>(&app).await
            + count::<transfer::Entity>(&app).await
            + count::<retention_rule::Entity>(&app).await;
        let edges = count::<activity_data_subject::Entity>(&app).await
            + count::<activity_data_category::Entity>(&app).await
            + count::<activity_source::Entity>(&app).await
            + count::<activity_recipient::Entity>(&app).await
            + count::<activity_security_measure::Entity>(&app).await;
        let events = audit_event::Entity::find().all(&app.db).await.unwrap();
        assert_eq!(events.len() as u64, nodes);
        assert!(events.iter().all(|e| e.action == "create"));
        // The links are part of each activity's state.
        let linked: u64 = events
            .iter()
            .filter(|e| e.node_kind == "processing_activity")
            .map(|e| {
                e.after.as_ref().unwrap()["links"]
                    .as_object()
                    .expect("an activity's state holds its links")
                    .values()
                    .map(|list| list.as_array().unwrap().len() as u64)
                    .sum::<u64>()
            })
            .sum();
        assert_eq!(linked, edges);
        assert!(events.iter().all(|e| e.source == "import" && e.before.is_none() && e.after.is_some()));
        let register = register::Entity::find().one(&app.db).await.unwrap().unwrap();
        let event = events.iter().find(|e| e.node_id == register.id).expect("the register's event");
        let after: register::Model = serde_json::from_value(event.after.clone().unwrap()).unwrap();
        assert_eq!(after, register, "the event holds the stored state");
    }

    async fn the_database_refuses_to_change_or_delete_audit_events(backend) {
        let app = TestApp::spawn(backend).await;
        load_synthetic(&app, 1, 1, 1).await;
        let before = count::<audit_event::Entity>(&app).await;
        assert!(before > 0);
        let mut refused = vec![
            "UPDATE audit_event SET action = 'forged'",
            "DELETE FROM audit_event",
        ];
        if app.db.get_database_backend() == DbBackend::Postgres {
            refused.push("TRUNCATE audit_event");
        }
        // Even the owner of the table, which the service is not on PostgreSQL, is refused.
        for sql in refused {
            let err = app.owner.execute_unprepared(sql).await.expect_err(sql);
            assert!(err.to_string().contains("append-only"), "{sql}: {err}");
        }
        assert_eq!(count::<audit_event::Entity>(&app).await, before);
        let forged = audit_event::Entity::find().all(&app.db).await.unwrap();
        assert!(forged.iter().all(|e| e.action != "forged"));
    }

    async fn an_insert_never_overwrites_an_audit_event_or_a_notice_version(backend) {
        let app = TestApp::with_demo(backend).await;
        ropa::demo::publish_notices(&app.state).await.unwrap();
        let event = audit_event::Entity::find().one(&app.db).await.unwrap().unwrap();
        let version = entity::notice_version::Entity::find().one(&app.db).await.unwrap().unwrap();
        let id = |uuid: uuid::Uuid| match backend {
            Backend::Sqlite => format!("X'{}'", uuid.simple()),
            Backend::Postgres => format!("'{uuid}'"),
        };
        let overwrite = match backend {
            // REPLACE deletes the conflicting row without firing DELETE triggers.
            Backend::Sqlite => vec![
                format!("REPLACE INTO audit_event SELECT * FROM audit_event WHERE id = {}", id(event.id)),
                format!("INSERT OR REPLACE INTO audit_event SELECT * FROM audit_event WHERE id = {}", id(event.id)),
                format!("REPLACE INTO notice_version SELECT * FROM notice_version WHERE id = {}", id(version.id)),
            ],
            Backend::Postgres => vec![
                format!("INSERT INTO audit_event SELECT * FROM audit_event WHERE id = {} \
                         ON CONFLICT (id) DO UPDATE SET action = 'forged'", id(event.id)),
                format!("INSERT INTO notice_version SELECT * FROM notice_version WHERE id = {} \
                         ON CONFLICT (id) DO UPDATE SET number = 99", id(version.id)),
            ],
        };
        for sql in &overwrite {
            for db in [&app.db, &app.owner] {
                assert!(db.execute_unprepared(sql).await.is_err(), "{sql} must be refused");
            }
        }
        let after = audit_event::Entity::find_by_id(event.id).one(&app.db).await.unwrap().unwrap();
        assert_eq!(after, event, "the event is as it was");
        let kept = entity::notice_version::Entity::find_by_id(version.id).one(&app.db).await.unwrap();
        assert_eq!(kept, Some(version), "the version is as it was");
    }

    async fn on_postgresql_the_service_role_cannot_change_the_trail_or_its_triggers(backend) {
        if matches!(backend, Backend::Sqlite) {
            return; // SQLite has no roles; the triggers above are its guard.
        }
        let app = TestApp::with_demo(backend).await;
        ropa::demo::publish_notices(&app.state).await.unwrap();
        let before = count::<audit_event::Entity>(&app).await;
        for sql in [
            "UPDATE audit_event SET action = 'forged'",
            "DELETE FROM audit_event",
            "TRUNCATE audit_event",
            "ALTER TABLE audit_event DISABLE TRIGGER ALL",
            "DROP TRIGGER audit_event_no_change ON audit_event",
            "DROP TABLE audit_event",
            "UPDATE notice_version SET number = 99",
            "DELETE FROM notice_version",
            "ALTER TABLE notice_version DISABLE TRIGGER ALL",
            "DELETE FROM seaql_migrations",
        ] {
            let err = app.db.execute_unprepared(sql).await.expect_err(sql);
            let message = err.to_string();
            assert!(
                message.contains("permission denied") || message.contains("must be owner"),
                "{sql}: {message}"
            );
        }
        assert_eq!(count::<audit_event::Entity>(&app).await, before);
        // What the service does need still works: reading and appending.
        let token = app.token("puuha", entity::Role::Admin, None).await;
        let response = app
            .graphql_as(
                Some(&token),
                "{ organisation(slug: \"puuha\") { auditEvents(first: 1) { nodes { id } } } }",
                json!({}),
            )
            .await;
        assert!(response["errors"].is_null(), "{response}");
    }
}
