//! The service layer called directly, as the CLI or another Rust caller would, with no HTTP and
//! no GraphQL in between: one use case authorizes, checks, writes and audits by itself.

use entity::{contact, Role};
use ropa::authz::Decisions;
use ropa::error::AppError;
use ropa::ids::{self, NodeKind};
use ropa::service::{graph, Actor};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::backend_test;
use crate::helpers::TestApp;

async fn decisions(app: &TestApp, secret: &str) -> Decisions {
    let actor = ropa::identity::authenticate(&app.db, secret)
        .await
        .expect("the token works");
    Decisions::new(app.state.authz.clone(), actor)
}

async fn events(app: &TestApp) -> u64 {
    entity::audit_event::Entity::find()
        .count(&app.db)
        .await
        .unwrap()
}

fn field(err: &AppError) -> Option<&str> {
    match err {
        AppError::InvalidInput { field, .. } => Some(field),
        _ => None,
    }
}

backend_test! {
    async fn a_use_case_authorizes_checks_writes_and_audits_with_no_http_in_between(backend) {
        let app = TestApp::with_demo(backend).await;
        let puuha = entity::organisation::Entity::find()
            .filter(entity::organisation::Column::Slug.eq("puuha"))
            .one(&app.db).await.unwrap().unwrap();
        let stored = contact::Entity::of_organisation(puuha.id).one(&app.db).await.unwrap().expect("a demo contact");
        let id = ids::encode(NodeKind::Contact, stored.id);
        let editor = decisions(&app, &app.token("puuha", Role::Editor, None).await).await;
        let viewer = decisions(&app, &app.token("puuha", Role::Viewer, None).await).await;
        let stranger = decisions(&app, &app.token("helpten", Role::Editor, None).await).await;
        let before = events(&app).await;

        let as_editor = Actor::new(&app.state, &editor);
        let changed = graph::update::<contact::Model>(as_editor, &id, stored.version, |c| {
            c.phone = Some("+358 40 123 4567".into());
            Ok(())
        })
        .await
        .expect("an editor changes a contact");
        assert_eq!(changed.version, stored.version + 1);
        assert_eq!(changed.phone.as_deref(), Some("+358 40 123 4567"));
        assert_eq!(events(&app).await, before + 1, "one audit event");

        // The version it was based on is gone: CONFLICT, nothing changes.
        let stale = graph::update::<contact::Model>(as_editor, &id, stored.version, |c| {
            c.phone = None;
            Ok(())
        })
        .await
        .expect_err("a stale version");
        assert_eq!(stale.code(), "CONFLICT", "{stale}");
        // The save rules are the API's: the field is named as the API names it.
        let bad = graph::update::<contact::Model>(as_editor, &id, changed.version, |c| {
            c.email = Some("not an address".into());
            Ok(())
        })
        .await
        .expect_err("a bad e-mail");
        assert_eq!((bad.code(), field(&bad)), ("BAD_USER_INPUT", Some("email")), "{bad}");

        // A viewer reads the contact but may not change it; another organisation's editor does
        // not even learn that it exists.
        let refused = graph::update::<contact::Model>(Actor::new(&app.state, &viewer), &id, changed.version, |_| Ok(()))
            .await
            .expect_err("a viewer");
        assert_eq!(refused.code(), "FORBIDDEN", "{refused}");
        let hidden = graph::update::<contact::Model>(Actor::new(&app.state, &stranger), &id, changed.version, |_| Ok(()))
            .await
            .expect_err("another organisation");
        assert_eq!(hidden.code(), "NOT_FOUND", "{hidden}");

        assert_eq!(events(&app).await, before + 1, "the refusals wrote nothing");
        let now = contact::Entity::find_by_id(stored.id).one(&app.db).await.unwrap().unwrap();
        assert_eq!(now, changed);
    }
}
