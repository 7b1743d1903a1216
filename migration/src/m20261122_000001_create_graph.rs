//! Creates the processing-activity graph: organisations, their vocabulary, registers, activities and edges.

use sea_orm_migration::prelude::*;

use crate::columns::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261122_000001_create_graph"
    }
}

/// The organisation's references to its own contacts and supervisory authority. They point at
/// tables that point back at the organisation, so PostgreSQL gets them after those tables exist;
/// SQLite, which cannot add a constraint to an existing table, gets them in `CREATE TABLE`
/// (it allows a forward reference).
const ORGANISATION_REFERENCES: [(&str, &str); 4] = [
    ("contact_id", "contact"),
    ("dpo_contact_id", "contact"),
    ("representative_contact_id", "contact"),
    ("supervisory_authority_id", "party"),
];

/// Edge tables: (table, target column, target table).
const LINKS: [(&str, &str, &str); 5] = [
    (
        "activity_data_subject",
        "data_subject_category_id",
        "data_subject_category",
    ),
    (
        "activity_data_category",
        "personal_data_category_id",
        "personal_data_category",
    ),
    ("activity_source", "data_source_id", "data_source"),
    ("activity_recipient", "recipient_id", "recipient"),
    (
        "activity_security_measure",
        "security_measure_id",
        "security_measure",
    ),
];

/// Every table, in creation order (dropped in reverse).
const TABLES: [&str; 17] = [
    "organisation",
    "contact",
    "party",
    "register",
    "processing_activity",
    "data_subject_category",
    "personal_data_category",
    "data_source",
    "recipient",
    "security_measure",
    "transfer",
    "retention_rule",
    "activity_data_subject",
    "activity_data_category",
    "activity_source",
    "activity_recipient",
    "activity_security_measure",
];

/// A vocabulary node owned by an organisation: key, multilingual name and description.
fn vocabulary_table(table: &str) -> TableCreateStatement {
    let mut t = node_table(table);
    t.col(uuid("organisation_id"))
        .col(string("key", 100))
        .col(json("name"))
        .col(json("description"))
        .foreign_key(&mut cascade_fk(table, "organisation_id", "organisation"));
    t
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let sqlite = manager.get_database_backend() == sea_orm::DatabaseBackend::Sqlite;

        let mut organisation = node_table("organisation");
        organisation
            .col(string("slug", 100).unique_key().take())
            .col(string("name", 300))
            .col(string_null("business_id", 40))
            .col(string("country", 2))
            .col(text_null("address"))
            .col(string_null("email", 320))
            .col(string_null("phone", 60))
            .col(string_null("website", 2000))
            .col(string("default_language", 16))
            .col(boolean("dpo_required"));
        for (column, target) in ORGANISATION_REFERENCES {
            organisation.col(uuid_null(column));
            if sqlite {
                organisation.foreign_key(&mut reference_fk("organisation", column, target));
            }
        }
        manager.create_table(organisation).await?;

        let mut contact = node_table("contact");
        contact
            .col(uuid("organisation_id"))
            .col(string("key", 100))
            .col(string("name", 300))
            .col(json("title"))
            .col(string_null("email", 320))
            .col(string_null("phone", 60))
            .col(text_null("address"))
            .foreign_key(&mut cascade_fk(
                "contact",
                "organisation_id",
                "organisation",
            ));
        manager.create_table(contact).await?;

        let mut party = node_table("party");
        party
            .col(uuid("organisation_id"))
            .col(string("key", 100))
            .col(string("name", 300))
            .col(string("kind", 24))
            .col(string_null("business_id", 40))
            .col(string_null("country", 2))
            .col(text_null("address"))
            .col(string_null("email", 320))
            .col(string_null("phone", 60))
            .col(string_null("website", 2000))
            .col(json("description"))
            .col(string_null("contract_reference", 500))
            .col(uuid_null("parent_party_id"))
            .foreign_key(&mut cascade_fk("party", "organisation_id", "organisation"))
            .foreign_key(&mut reference_fk("party", "parent_party_id", "party"));
        manager.create_table(party).await?;

        if !sqlite {
            for (column, target) in ORGANISATION_REFERENCES {
                manager
                    .alter_table(
                        Table::alter()
                            .table(name("organisation"))
                            .add_foreign_key(
                                TableForeignKey::new()
                                    .name(format!("fk_organisation_{column}"))
                                    .from_tbl(name("organisation"))
                                    .from_col(name(column))
                                    .to_tbl(name(target))
                                    .to_col(name("id"))
                                    .on_delete(ForeignKeyAction::NoAction)
                                    .on_update(ForeignKeyAction::NoAction),
                            )
                            .to_owned(),
                    )
                    .await?;
            }
        }

        let mut register = node_table("register");
        register
            .col(uuid("organisation_id"))
            .col(string("slug", 100))
            .col(json("name"))
            .col(json("description"))
            .col(string("kind", 24))
            .col(string("status", 16))
            .col(uuid_null("contact_id"))
            .col(json("languages"))
            .col(json("rights_instructions"))
            .col(text_null("internal_notes"))
            .col(date_null("last_reviewed_on"))
            .col(date_null("next_review_on"))
            .foreign_key(&mut cascade_fk(
                "register",
                "organisation_id",
                "organisation",
            ))
            .foreign_key(&mut reference_fk("register", "contact_id", "contact"));
        manager.create_table(register).await?;

        let mut activity = node_table("processing_activity");
        activity
            .col(uuid("organisation_id"))
            .col(uuid("register_id"))
            .col(string("key", 100))
            .col(json("name"))
            .col(json("purpose"))
            .col(string_null("legal_basis", 16))
            .col(json("legitimate_interests"))
            .col(string_null("special_category_condition", 16))
            .col(json("criminal_data_basis"))
            .col(json("national_id_justification"))
            .col(json("consent_withdrawal"))
            .col(string_null("provision_requirement", 24))
            .col(json("provision_consequence"))
            .col(string("role", 24))
            .col(uuid_null("counterpart_party_id"))
            .col(boolean("automated_decision_making"))
            .col(boolean("profiling"))
            .col(json("automated_logic"))
            .col(json("automated_consequences"))
            .col(string("dpia_status", 16))
            .col(string_null("dpia_reference", 500))
            .col(text_null("internal_notes"))
            .col(date_null("last_reviewed_on"))
            .col(date_null("next_review_on"))
            .foreign_key(&mut cascade_fk(
                "processing_activity",
                "organisation_id",
                "organisation",
            ))
            .foreign_key(&mut cascade_fk(
                "processing_activity",
                "register_id",
                "register",
            ))
            .foreign_key(&mut reference_fk(
                "processing_activity",
                "counterpart_party_id",
                "party",
            ));
        manager.create_table(activity).await?;

        manager
            .create_table(vocabulary_table("data_subject_category"))
            .await?;
        let mut data_category = vocabulary_table("personal_data_category");
        data_category.col(string("kind", 16));
        manager.create_table(data_category).await?;
        let mut source = vocabulary_table("data_source");
        source
            .col(string("kind", 16))
            .col(uuid_null("party_id"))
            .foreign_key(&mut reference_fk("data_source", "party_id", "party"));
        manager.create_table(source).await?;
        let mut recipient = vocabulary_table("recipient");
        recipient
            .col(string("kind", 16))
            .col(uuid_null("party_id"))
            .foreign_key(&mut reference_fk("recipient", "party_id", "party"));
        manager.create_table(recipient).await?;
        let mut measure = vocabulary_table("security_measure");
        measure
            .col(string("kind", 16))
            .col(text_null("internal_details"));
        manager.create_table(measure).await?;

        let mut transfer = node_table("transfer");
        transfer
            .col(uuid("organisation_id"))
            .col(uuid("register_id"))
            .col(uuid("activity_id"))
            .col(uuid_null("recipient_id"))
            .col(string_null("country", 2))
            .col(string_null("international_organisation", 300))
            .col(string_null("mechanism", 16))
            .col(string_null("safeguards_reference", 500))
            .col(json("safeguards_copy"))
            .col(json("description"))
            .foreign_key(&mut cascade_fk(
                "transfer",
                "organisation_id",
                "organisation",
            ))
            .foreign_key(&mut cascade_fk(
                "transfer",
                "activity_id",
                "processing_activity",
            ))
            .foreign_key(&mut reference_fk("transfer", "recipient_id", "recipient"));
        manager.create_table(transfer).await?;

        let mut retention = node_table("retention_rule");
        retention
            .col(uuid("organisation_id"))
            .col(uuid("register_id"))
            .col(uuid("activity_id"))
            .col(uuid_null("data_category_id"))
            .col(string_null("period", 40))
            .col(json("criteria"))
            .col(json("starts_from"))
            .foreign_key(&mut cascade_fk(
                "retention_rule",
                "organisation_id",
                "organisation",
            ))
            .foreign_key(&mut cascade_fk(
                "retention_rule",
                "activity_id",
                "processing_activity",
            ))
            .foreign_key(&mut reference_fk(
                "retention_rule",
                "data_category_id",
                "personal_data_category",
            ));
        manager.create_table(retention).await?;

        for (table, column, target) in LINKS {
            manager
                .create_table(activity_link_table(table, column, target))
                .await?;
            manager.create_index(index(table, &[column])).await?;
        }

        let indexes = [
            index("organisation", &["contact_id"]),
            index("organisation", &["dpo_contact_id"]),
            index("organisation", &["representative_contact_id"]),
            index("organisation", &["supervisory_authority_id"]),
            unique_index("contact", &["organisation_id", "key"]),
            unique_index("party", &["organisation_id", "key"]),
            index("party", &["parent_party_id"]),
            unique_index("register", &["organisation_id", "slug"]),
            index("register", &["contact_id"]),
            unique_index("processing_activity", &["register_id", "key"]),
            index("processing_activity", &["organisation_id"]),
            index("processing_activity", &["counterpart_party_id"]),
            unique_index("data_subject_category", &["organisation_id", "key"]),
            unique_index("personal_data_category", &["organisation_id", "key"]),
            unique_index("data_source", &["organisation_id", "key"]),
            index("data_source", &["party_id"]),
            unique_index("recipient", &["organisation_id", "key"]),
            index("recipient", &["party_id"]),
            unique_index("security_measure", &["organisation_id", "key"]),
            index("transfer", &["organisation_id"]),
            index("transfer", &["register_id"]),
            index("transfer", &["activity_id"]),
            index("transfer", &["recipient_id"]),
            index("retention_rule", &["organisation_id"]),
            index("retention_rule", &["register_id"]),
            index("retention_rule", &["activity_id"]),
            index("retention_rule", &["data_category_id"]),
        ];
        for i in indexes {
            manager.create_index(i).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != sea_orm::DatabaseBackend::Sqlite {
            for (column, _) in ORGANISATION_REFERENCES {
                manager
                    .alter_table(
                        Table::alter()
                            .table(name("organisation"))
                            .drop_foreign_key(name(&format!("fk_organisation_{column}")))
                            .to_owned(),
                    )
                    .await?;
            }
        }
        for table in TABLES.iter().rev() {
            manager
                .drop_table(Table::drop().table(name(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
