//! The audit trail: written with every change, and append-only in the database itself.

use entity::*;
use sea_orm::{ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait};

use crate::backend_test;
use crate::batching::load_synthetic;
use crate::helpers::TestApp;

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
        for sql in refused {
            let err = app.db.execute_unprepared(sql).await.expect_err(sql);
            assert!(err.to_string().contains("append-only"), "{sql}: {err}");
        }
        assert_eq!(count::<audit_event::Entity>(&app).await, before);
        let forged = audit_event::Entity::find().all(&app.db).await.unwrap();
        assert!(forged.iter().all(|e| e.action != "forged"));
    }
}
