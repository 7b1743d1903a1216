//! Every node and edge type round-trips through the database unchanged, on both backends.

use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use entity::*;
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, IntoActiveModel};
use uuid::Uuid;

use crate::backend_test;

fn now() -> DateTime<Utc> {
    // Both backends store microseconds.
    Utc::now().trunc_subsecs(6)
}

fn text(fi: &str, en: &str) -> LocalizedText {
    LocalizedText(
        [
            ("fi".to_owned(), fi.to_owned()),
            ("en".to_owned(), en.to_owned()),
        ]
        .into(),
    )
}

/// Inserts `model` and reads it back by primary key; they must be equal.
async fn round_trip<E>(db: &DatabaseConnection, model: E::Model, id: Uuid)
where
    E: EntityTrait,
    E::Model: IntoActiveModel<E::ActiveModel> + PartialEq + std::fmt::Debug + Clone,
    E::ActiveModel: ActiveModelTrait<Entity = E> + Send,
    <E::PrimaryKey as sea_orm::PrimaryKeyTrait>::ValueType: From<Uuid>,
{
    model
        .clone()
        .into_active_model()
        .insert(db)
        .await
        .expect("insert");
    let stored = E::find_by_id(id)
        .one(db)
        .await
        .expect("select")
        .expect("row exists");
    assert_eq!(stored, model);
}

backend_test! {
    async fn every_node_type_round_trips(backend) {
        let app = crate::helpers::TestApp::spawn(backend).await;
        let db = &app.db;
        let t = now();
        let date = NaiveDate::from_ymd_opt(2026, 3, 1);
        let ids: Vec<Uuid> = (0..12).map(|_| Uuid::now_v7()).collect();
        let (org, contact, party, register, activity, subject, category, source, recipient, measure, transfer, retention) =
            (ids[0], ids[1], ids[2], ids[3], ids[4], ids[5], ids[6], ids[7], ids[8], ids[9], ids[10], ids[11]);

        round_trip::<organisation::Entity>(db, organisation::Model {
            id: org, slug: "puuha".into(), name: "Puuha Group Oy".into(), business_id: Some("1060493-2".into()),
            country: "FI".into(), address: Some("Teollisuuskatu 28-30\n20520 Turku".into()), email: Some("info@example.fi".into()),
            phone: Some("+358 40 000 0000".into()), website: Some("https://www.example.fi".into()), default_language: "fi".into(),
            dpo_required: true, contact_id: None, dpo_contact_id: None, representative_contact_id: None,
            supervisory_authority_id: None, created_at: t, updated_at: t, version: 1,
        }, org).await;
        round_trip::<contact::Entity>(db, contact::Model {
            id: contact, organisation_id: org, key: "dpo".into(), name: "Aino Esimerkki".into(),
            title: text("Tietosuojavastaava", "Data protection officer"), email: Some("dpo@example.fi".into()),
            phone: None, address: Some("PL 1".into()), created_at: t, updated_at: t, version: 2,
        }, contact).await;
        round_trip::<party::Entity>(db, party::Model {
            id: party, organisation_id: org, key: "google".into(), name: "Google Ireland Ltd".into(), kind: PartyKind::Processor,
            business_id: Some("IE 6388047V".into()), country: Some("IE".into()), address: None, email: None, phone: None,
            website: Some("https://policies.google.com".into()), description: text("Analytiikka", "Analytics"),
            contract_reference: Some("DPA 2023-04".into()), parent_party_id: None, created_at: t, updated_at: t, version: 1,
        }, party).await;
        round_trip::<register::Entity>(db, register::Model {
            id: register, organisation_id: org, slug: "asiakasrekisteri".into(), name: text("Asiakasrekisteri", "Customer register"),
            description: text("Kuvaus", "Description"), kind: RegisterKind::Customer, status: RegisterStatus::Published,
            contact_id: Some(contact), languages: LanguageList(vec!["fi".into(), "sv".into(), "en".into()]),
            rights_instructions: text("Ota yhteyttä", "Contact us"), internal_notes: Some("internal".into()),
            last_reviewed_on: date, next_review_on: NaiveDate::from_ymd_opt(2027, 3, 1), created_at: t, updated_at: t, version: 3,
        }, register).await;
        round_trip::<processing_activity::Entity>(db, processing_activity::Model {
            id: activity, organisation_id: org, register_id: register, key: "marketing".into(), name: text("Markkinointi", "Marketing"),
            purpose: text("Suoramarkkinointi", "Direct marketing"), legal_basis: Some(LegalBasis::LegitimateInterests),
            legitimate_interests: text("Asiakassuhde", "Customer relationship"),
            special_category_condition: Some(SpecialCategoryCondition::ExplicitConsent), criminal_data_basis: text("Laki", "Law"),
            national_id_justification: text("Tunnistus", "Identification"), consent_withdrawal: text("Linkki", "Link"),
            provision_requirement: Some(ProvisionRequirement::ContractPrerequisite), provision_consequence: text("Ei sopimusta", "No contract"),
            role: ProcessingRole::JointController, counterpart_party_id: Some(party), automated_decision_making: Some(true), profiling: Some(false),
            transfers_outside_eea: Some(true), direct_marketing: Some(true), automated_means: None,
            automated_logic: text("Pisteytys", "Scoring"), automated_consequences: text("Tarjoukset", "Offers"),
            dpia_status: DpiaStatus::Completed, dpia_reference: Some("DPIA-7".into()), lia_reference: None, data_location: None, internal_notes: None,
            last_reviewed_on: date, next_review_on: None, created_at: t, updated_at: t, version: 1,
        }, activity).await;
        round_trip::<data_subject_category::Entity>(db, data_subject_category::Model {
            id: subject, organisation_id: org, key: "customers".into(), name: text("Asiakkaat", "Customers"),
            description: LocalizedText::default(), created_at: t, updated_at: t, version: 1,
        }, subject).await;
        round_trip::<personal_data_category::Entity>(db, personal_data_category::Model {
            id: category, organisation_id: org, key: "hetu".into(), name: text("Henkilötunnus", "Personal identity code"),
            description: LocalizedText::default(), kind: DataCategoryKind::NationalId, created_at: t, updated_at: t, version: 1,
        }, category).await;
        round_trip::<data_source::Entity>(db, data_source::Model {
            id: source, organisation_id: org, key: "trade-register".into(), name: text("Kaupparekisteri", "Trade register"),
            description: LocalizedText::default(), kind: SourceKind::Public, publicly_accessible: Some(true), party_id: Some(party), created_at: t, updated_at: t, version: 1,
        }, source).await;
        round_trip::<recipient::Entity>(db, recipient::Model {
            id: recipient, organisation_id: org, key: "analytics".into(), name: text("Analytiikka", "Analytics"),
            description: LocalizedText::default(), kind: RecipientKind::Processor, party_id: Some(party), created_at: t, updated_at: t, version: 1,
        }, recipient).await;
        round_trip::<security_measure::Entity>(db, security_measure::Model {
            id: measure, organisation_id: org, key: "firewall".into(), name: text("Palomuuri", "Firewall"),
            description: text("Suojattu", "Protected"), kind: SecurityMeasureKind::Technical,
            internal_details: Some("pfSense cluster".into()), created_at: t, updated_at: t, version: 1,
        }, measure).await;
        round_trip::<transfer::Entity>(db, transfer::Model {
            id: transfer, organisation_id: org, register_id: register, activity_id: activity, recipient_id: Some(recipient), country: Some("US".into()),
            international_organisation: None, mechanism: Some(TransferMechanism::StandardContractualClauses),
            safeguards_reference: Some("SCC 2021/914".into()), safeguards_copy: text("Pyydä", "Ask"),
            description: text("Palvelimet", "Servers"), created_at: t, updated_at: t, version: 1,
        }, transfer).await;
        round_trip::<retention_rule::Entity>(db, retention_rule::Model {
            id: retention, organisation_id: org, register_id: register, activity_id: activity, data_category_id: Some(category), period: Some("P10Y".into()),
            criteria: text("Kirjanpitolaki", "Accounting Act"), starts_from: text("Asiakkuuden päättyminen", "End of relationship"),
            required_by: text("Kirjanpitolaki 1336/1997", "Accounting Act 1336/1997"), created_at: t, updated_at: t, version: 1,
        }, retention).await;

        // Edges.
        let link = activity_data_subject::Model { activity_id: activity, data_subject_category_id: subject, created_at: t };
        link.clone().into_active_model().insert(db).await.expect("insert edge");
        assert_eq!(activity_data_subject::Entity::find_by_id((activity, subject)).one(db).await.unwrap(), Some(link));
        let link = activity_data_category::Model { activity_id: activity, personal_data_category_id: category, created_at: t };
        link.clone().into_active_model().insert(db).await.expect("insert edge");
        assert_eq!(activity_data_category::Entity::find_by_id((activity, category)).one(db).await.unwrap(), Some(link));
        let link = activity_source::Model { activity_id: activity, data_source_id: source, created_at: t };
        link.clone().into_active_model().insert(db).await.expect("insert edge");
        assert_eq!(activity_source::Entity::find_by_id((activity, source)).one(db).await.unwrap(), Some(link));
        let link = activity_recipient::Model { activity_id: activity, recipient_id: recipient, created_at: t };
        link.clone().into_active_model().insert(db).await.expect("insert edge");
        assert_eq!(activity_recipient::Entity::find_by_id((activity, recipient)).one(db).await.unwrap(), Some(link));
        let link = activity_security_measure::Model { activity_id: activity, security_measure_id: measure, created_at: t };
        link.clone().into_active_model().insert(db).await.expect("insert edge");
        assert_eq!(activity_security_measure::Entity::find_by_id((activity, measure)).one(db).await.unwrap(), Some(link));
    }

    async fn foreign_keys_and_unique_slugs_are_enforced(backend) {
        let app = crate::helpers::TestApp::spawn(backend).await;
        let db = &app.db;
        let t = now();
        let org = Uuid::now_v7();
        organisation::Model {
            id: org, slug: "one".into(), name: "One Oy".into(), business_id: None, country: "FI".into(), address: None,
            email: None, phone: None, website: None, default_language: "fi".into(), dpo_required: false, contact_id: None,
            dpo_contact_id: None, representative_contact_id: None, supervisory_authority_id: None,
            created_at: t, updated_at: t, version: 1,
        }.into_active_model().insert(db).await.expect("organisation");
        let register = |slug: &str, organisation_id: Uuid| register::Model {
            id: Uuid::now_v7(), organisation_id, slug: slug.into(), name: text("R", "R"), description: LocalizedText::default(),
            kind: RegisterKind::Other, status: RegisterStatus::Draft, contact_id: None, languages: LanguageList::default(),
            rights_instructions: LocalizedText::default(), internal_notes: None, last_reviewed_on: None, next_review_on: None,
            created_at: t, updated_at: t, version: 1,
        };
        register("r", org).into_active_model().insert(db).await.expect("first register");
        assert!(register("r", org).into_active_model().insert(db).await.is_err(), "a slug is unique within its organisation");
        assert!(register("s", Uuid::now_v7()).into_active_model().insert(db).await.is_err(), "the organisation must exist");
    }
}

/// Every connection of the SQLite pool commits durably: WAL, synchronous=FULL, checked at start.
#[tokio::test]
async fn sqlite_runs_in_wal_mode_with_full_synchronous_commits() {
    use sea_orm::{ConnectionTrait, DbBackend, Statement};
    let app = crate::helpers::TestApp::spawn(crate::helpers::Backend::Sqlite).await;
    for _ in 0..4 {
        let journal = app
            .db
            .query_one(Statement::from_string(
                DbBackend::Sqlite,
                "PRAGMA journal_mode",
            ))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(journal.try_get_by_index::<String>(0).unwrap(), "wal");
        let synchronous = app
            .db
            .query_one(Statement::from_string(
                DbBackend::Sqlite,
                "PRAGMA synchronous",
            ))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(synchronous.try_get_by_index::<i32>(0).unwrap(), 2, "FULL");
    }
    ropa::db::check_durability(&app.db)
        .await
        .expect("checked at start");
}
