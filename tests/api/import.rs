//! Importing documents: validated, all or nothing.

use entity::*;
use sea_orm::{EntityTrait, PaginatorTrait};

use crate::backend_test;
use crate::batching::synthetic_document;
use crate::helpers::TestApp;

async fn node_count(app: &TestApp) -> u64 {
    organisation::Entity::find().count(&app.db).await.unwrap()
        + contact::Entity::find().count(&app.db).await.unwrap()
        + party::Entity::find().count(&app.db).await.unwrap()
        + register::Entity::find().count(&app.db).await.unwrap()
        + processing_activity::Entity::find()
            .count(&app.db)
            .await
            .unwrap()
        + activity_recipient::Entity::find()
            .count(&app.db)
            .await
            .unwrap()
        + transfer::Entity::find().count(&app.db).await.unwrap()
}

async fn import_error(app: &TestApp, source: &str) -> String {
    let doc = ropa::import::parse(source).map_err(|e| e.to_string());
    match doc {
        Err(e) => e,
        Ok(doc) => ropa::import::import(&app.db, &doc)
            .await
            .expect_err("import must fail")
            .to_string(),
    }
}

backend_test! {
    async fn a_bad_document_names_the_field_and_leaves_nothing_behind(backend) {
        let app = TestApp::spawn(backend).await;
        let good = synthetic_document("acme", 2, 2);
        let cases = [
            (good.replace("business_id: 2388488-1", "business_id: 2388488-2"), "organisation.business_id: must be a Finnish business ID"),
            (good.replace("country: US", "country: ZZ"), "registers[0].activities[0].transfers[0].country: must be an ISO 3166-1"),
            (good.replace("period: P10Y", "period: 10 years"), "registers[0].activities[0].retention[0].period: must be an ISO 8601 duration"),
            (good.replace("recipients: [r1, r2]", "recipients: [r1, nobody]"), "registers[0].activities[0].recipients[1]: refers to `nobody`"),
            (good.replace("languages: [fi, en]", "languages: [fi, de]"), "registers[0].languages[1]: must be one of the supported languages"),
            (good.replace("slug: reg1", "slug: reg0"), "registers[1].slug: key `reg0` is used twice"),
            (good.replace("name: {fi: Rekisteri 1, en: Register 1}", "name: {fi: Rekisteri 1, de: Register 1}"), "registers[1].name.de: must be one of the supported languages"),
        ];
        for (source, expected) in cases {
            let message = import_error(&app, &source).await;
            assert!(message.starts_with(expected), "expected `{expected}…`, got `{message}`");
            assert_eq!(node_count(&app).await, 0, "a failed import leaves nothing behind ({expected})");
        }
        let doc = ropa::import::parse(&good).unwrap();
        let summary = ropa::import::import(&app.db, &doc).await.expect("the good document imports");
        assert_eq!((summary.registers, summary.activities), (2, 4));
        let again = ropa::import::import(&app.db, &doc).await.expect_err("slugs are unique");
        assert!(again.to_string().contains("already exists"));
    }

    async fn unknown_fields_are_refused(backend) {
        let app = TestApp::spawn(backend).await;
        let message = import_error(&app, "organisation: {slug: x, name: X, country: FI, colour: red}").await;
        assert!(message.contains("unknown field `colour`"), "{message}");
    }
}
