//! Importing a whole organisation's graph from a readable document (YAML or JSON), in one
//! transaction. The demo data set is loaded through this same path.
//!
//! Nodes refer to each other by key (`recipients: [accounting-partner]`), never by database ID.
//! Texts are either a plain string, in the organisation's default language, or a map of
//! language to text (`{fi: …, en: …}`).

use std::collections::{BTreeMap, HashMap};

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue, ActiveValue::Set, ColumnTrait, DatabaseConnection,
    DatabaseTransaction, EntityName, EntityTrait, IdenStatic, Iterable, QueryFilter,
    TransactionTrait, Value,
};
use serde::Deserialize;
use uuid::Uuid;

use crate::domain::{formats, limits};
use crate::error::{AppError, AppResult};
use crate::ids::new_id;
use entity::*;

/// A text as written in a document: plain (default language) or per language.
#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
pub enum Text {
    Plain(String),
    Languages(BTreeMap<String, String>),
}

/// One organisation and its whole graph.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    pub organisation: OrganisationDoc,
    #[serde(default)]
    pub contacts: Vec<ContactDoc>,
    #[serde(default)]
    pub parties: Vec<PartyDoc>,
    #[serde(default)]
    pub data_subject_categories: Vec<VocabularyDoc>,
    #[serde(default)]
    pub personal_data_categories: Vec<DataCategoryDoc>,
    #[serde(default)]
    pub data_sources: Vec<SourceDoc>,
    #[serde(default)]
    pub recipients: Vec<RecipientDoc>,
    #[serde(default)]
    pub security_measures: Vec<SecurityMeasureDoc>,
    #[serde(default)]
    pub registers: Vec<RegisterDoc>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganisationDoc {
    pub slug: String,
    pub name: String,
    pub business_id: Option<String>,
    pub country: String,
    pub address: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub website: Option<String>,
    #[serde(default = "default_language")]
    pub default_language: String,
    #[serde(default)]
    pub dpo_required: bool,
    /// Key of the contact that is the controller's contact point.
    pub contact: Option<String>,
    /// Key of the DPO contact.
    pub dpo: Option<String>,
    /// Key of the representative contact.
    pub representative: Option<String>,
    /// Key of the supervisory authority party.
    pub supervisory_authority: Option<String>,
}

fn default_language() -> String {
    "fi".to_owned()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactDoc {
    pub key: String,
    pub name: String,
    pub title: Option<Text>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartyDoc {
    pub key: String,
    pub name: String,
    pub kind: PartyKind,
    pub business_id: Option<String>,
    pub country: Option<String>,
    pub address: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub website: Option<String>,
    pub description: Option<Text>,
    pub contract_reference: Option<String>,
    /// Key of the processor that engaged this sub-processor.
    pub parent: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VocabularyDoc {
    pub key: String,
    pub name: Text,
    pub description: Option<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataCategoryDoc {
    pub key: String,
    pub name: Text,
    pub description: Option<Text>,
    #[serde(default = "ordinary")]
    pub kind: DataCategoryKind,
}

fn ordinary() -> DataCategoryKind {
    DataCategoryKind::Ordinary
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceDoc {
    pub key: String,
    pub name: Text,
    pub description: Option<Text>,
    pub kind: SourceKind,
    pub party: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecipientDoc {
    pub key: String,
    pub name: Text,
    pub description: Option<Text>,
    pub kind: RecipientKind,
    pub party: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecurityMeasureDoc {
    pub key: String,
    pub name: Text,
    /// The public summary.
    pub description: Option<Text>,
    pub kind: SecurityMeasureKind,
    pub internal_details: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterDoc {
    pub slug: String,
    pub name: Text,
    pub description: Option<Text>,
    pub kind: RegisterKind,
    #[serde(default = "draft")]
    pub status: RegisterStatus,
    pub contact: Option<String>,
    #[serde(default)]
    pub languages: Vec<String>,
    pub rights_instructions: Option<Text>,
    pub internal_notes: Option<String>,
    pub last_reviewed_on: Option<NaiveDate>,
    pub next_review_on: Option<NaiveDate>,
    #[serde(default)]
    pub activities: Vec<ActivityDoc>,
}

fn draft() -> RegisterStatus {
    RegisterStatus::Draft
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActivityDoc {
    pub key: String,
    pub name: Text,
    pub purpose: Option<Text>,
    pub legal_basis: Option<LegalBasis>,
    pub legitimate_interests: Option<Text>,
    pub special_category_condition: Option<SpecialCategoryCondition>,
    pub criminal_data_basis: Option<Text>,
    pub national_id_justification: Option<Text>,
    pub consent_withdrawal: Option<Text>,
    pub provision_requirement: Option<ProvisionRequirement>,
    pub provision_consequence: Option<Text>,
    #[serde(default = "controller")]
    pub role: ProcessingRole,
    pub counterpart: Option<String>,
    #[serde(default)]
    pub automated_decision_making: bool,
    #[serde(default)]
    pub profiling: bool,
    pub automated_logic: Option<Text>,
    pub automated_consequences: Option<Text>,
    #[serde(default = "not_assessed")]
    pub dpia_status: DpiaStatus,
    pub dpia_reference: Option<String>,
    pub internal_notes: Option<String>,
    pub last_reviewed_on: Option<NaiveDate>,
    pub next_review_on: Option<NaiveDate>,
    #[serde(default)]
    pub data_subjects: Vec<String>,
    #[serde(default)]
    pub data_categories: Vec<String>,
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default)]
    pub recipients: Vec<String>,
    #[serde(default)]
    pub security_measures: Vec<String>,
    #[serde(default)]
    pub transfers: Vec<TransferDoc>,
    #[serde(default)]
    pub retention: Vec<RetentionDoc>,
}

fn controller() -> ProcessingRole {
    ProcessingRole::Controller
}

fn not_assessed() -> DpiaStatus {
    DpiaStatus::NotAssessed
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferDoc {
    pub recipient: Option<String>,
    pub country: Option<String>,
    pub international_organisation: Option<String>,
    pub mechanism: Option<TransferMechanism>,
    pub safeguards_reference: Option<String>,
    pub safeguards_copy: Option<Text>,
    pub description: Option<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionDoc {
    pub data_category: Option<String>,
    pub period: Option<String>,
    pub criteria: Option<Text>,
    pub starts_from: Option<Text>,
}

/// What an import created.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub organisation_id: Uuid,
    pub registers: usize,
    pub activities: usize,
}

/// Parses a document from YAML (JSON is YAML too).
pub fn parse(source: &str) -> AppResult<Document> {
    serde_norway::from_str(source).map_err(|e| {
        let field = e
            .location()
            .map(|l| format!("line {} column {}", l.line(), l.column()))
            .unwrap_or_else(|| "document".to_owned());
        AppError::invalid(field, e.to_string())
    })
}

/// Imports a document as a new organisation, all or nothing.
pub async fn import(db: &DatabaseConnection, doc: &Document) -> AppResult<ImportSummary> {
    // Before the lookup: a slug with a NUL byte would fail the query on PostgreSQL.
    formats::slug("organisation.slug", &doc.organisation.slug)?;
    let exists = organisation::Entity::find()
        .filter(organisation::Column::Slug.eq(&doc.organisation.slug))
        .one(db)
        .await?;
    if exists.is_some() {
        return Err(AppError::Conflict(format!(
            "organisation.slug: an organisation `{}` already exists",
            doc.organisation.slug
        )));
    }
    let txn = db.begin().await?;
    let summary = Importer::new(doc).run(&txn).await?;
    crate::audit::record_creation_of_organisation(
        &txn,
        crate::audit::Author::import(),
        summary.organisation_id,
    )
    .await?;
    txn.commit().await?;
    Ok(summary)
}

/// A row checked against the limits of its table ([`limits::check_row`]) before it is
/// inserted, its strings named by their place in the document (`registers[0].name.fi`).
trait CheckedRow: ActiveModelTrait + Sized {
    fn checked(self, field: &str) -> AppResult<Self> {
        let mut row = serde_json::Map::new();
        for column in <<Self::Entity as EntityTrait>::Column as Iterable>::iter() {
            let (ActiveValue::Set(value) | ActiveValue::Unchanged(value)) = self.get(column) else {
                continue;
            };
            let value = match value {
                Value::String(Some(s)) => serde_json::Value::String(*s),
                Value::Json(Some(j)) => *j,
                _ => continue,
            };
            row.insert(column.as_str().to_owned(), value);
        }
        let table = Self::Entity::default().table_name().to_owned();
        limits::check_row(&table, &serde_json::Value::Object(row), |column| {
            format!("{field}.{column}")
        })?;
        Ok(self)
    }
}

impl<A: ActiveModelTrait> CheckedRow for A {}

/// Keys of one vocabulary, resolved to the IDs given to them.
#[derive(Default)]
struct Keys(HashMap<String, Uuid>);

impl Keys {
    fn add(&mut self, field: &str, key: &str) -> AppResult<Uuid> {
        formats::slug(field, key)?;
        let id = new_id();
        if self.0.insert(key.to_owned(), id).is_some() {
            return Err(AppError::invalid(
                field,
                format!("key `{key}` is used twice"),
            ));
        }
        Ok(id)
    }

    fn get(&self, field: &str, key: &str) -> AppResult<Uuid> {
        self.0.get(key).copied().ok_or_else(|| {
            AppError::invalid(
                field,
                format!("refers to `{key}`, which the document does not define"),
            )
        })
    }

    fn optional(&self, field: &str, key: Option<&String>) -> AppResult<Option<Uuid>> {
        key.map(|k| self.get(field, k)).transpose()
    }
}

struct Importer<'a> {
    doc: &'a Document,
    organisation_id: Uuid,
    now: chrono::DateTime<Utc>,
    contacts: Keys,
    parties: Keys,
    subjects: Keys,
    categories: Keys,
    sources: Keys,
    recipients: Keys,
    measures: Keys,
}

impl<'a> Importer<'a> {
    fn new(doc: &'a Document) -> Self {
        Self {
            doc,
            organisation_id: new_id(),
            now: crate::db::now(),
            contacts: Keys::default(),
            parties: Keys::default(),
            subjects: Keys::default(),
            categories: Keys::default(),
            sources: Keys::default(),
            recipients: Keys::default(),
            measures: Keys::default(),
        }
    }

    fn text(&self, field: &str, text: Option<&Text>) -> AppResult<LocalizedText> {
        let value = match text {
            None => LocalizedText::default(),
            Some(Text::Plain(s)) => {
                LocalizedText::new(&self.doc.organisation.default_language, s.trim())
            }
            Some(Text::Languages(map)) => LocalizedText(
                map.iter()
                    .map(|(l, t)| (l.clone(), t.trim().to_owned()))
                    .collect(),
            ),
        };
        formats::localized(field, &value, 20_000)?;
        Ok(value)
    }

    fn required_text(&self, field: &str, text: &Text) -> AppResult<LocalizedText> {
        let value = self.text(field, Some(text))?;
        if value.is_empty() {
            return Err(AppError::invalid(field, "is required"));
        }
        Ok(value)
    }

    async fn run(mut self, txn: &DatabaseTransaction) -> AppResult<ImportSummary> {
        let doc = self.doc;
        let org = &doc.organisation;
        formats::slug("organisation.slug", &org.slug)?;
        formats::length("organisation.name", &org.name, 1, 300)?;
        formats::country("organisation.country", &org.country)?;
        formats::language("organisation.default_language", &org.default_language)?;
        if let Some(id) = &org.business_id {
            formats::business_id("organisation.business_id", id, Some(&org.country))?;
        }
        contact_fields("organisation", org.email.as_deref(), org.website.as_deref())?;

        organisation::ActiveModel {
            id: Set(self.organisation_id),
            slug: Set(org.slug.clone()),
            name: Set(org.name.clone()),
            business_id: Set(org.business_id.clone()),
            country: Set(org.country.clone()),
            address: Set(org.address.clone()),
            email: Set(org.email.clone()),
            phone: Set(org.phone.clone()),
            website: Set(org.website.clone()),
            default_language: Set(org.default_language.clone()),
            dpo_required: Set(org.dpo_required),
            contact_id: Set(None),
            dpo_contact_id: Set(None),
            representative_contact_id: Set(None),
            supervisory_authority_id: Set(None),
            created_at: Set(self.now),
            updated_at: Set(self.now),
            version: Set(1),
        }
        .checked("organisation")?
        .insert(txn)
        .await?;

        for (i, c) in doc.contacts.iter().enumerate() {
            let field = format!("contacts[{i}]");
            let id = self.contacts.add(&format!("{field}.key"), &c.key)?;
            formats::length(&format!("{field}.name"), &c.name, 1, 300)?;
            contact_fields(&field, c.email.as_deref(), None)?;
            contact::ActiveModel {
                id: Set(id),
                organisation_id: Set(self.organisation_id),
                key: Set(c.key.clone()),
                name: Set(c.name.clone()),
                title: Set(self.text(&format!("{field}.title"), c.title.as_ref())?),
                email: Set(c.email.clone()),
                phone: Set(c.phone.clone()),
                address: Set(c.address.clone()),
                created_at: Set(self.now),
                updated_at: Set(self.now),
                version: Set(1),
            }
            .checked(&field)?
            .insert(txn)
            .await?;
        }

        for (i, p) in doc.parties.iter().enumerate() {
            let field = format!("parties[{i}]");
            self.parties.add(&format!("{field}.key"), &p.key)?;
        }
        for (i, p) in doc.parties.iter().enumerate() {
            let field = format!("parties[{i}]");
            formats::length(&format!("{field}.name"), &p.name, 1, 300)?;
            if let Some(country) = &p.country {
                formats::country(&format!("{field}.country"), country)?;
            }
            if let Some(id) = &p.business_id {
                formats::business_id(&format!("{field}.business_id"), id, p.country.as_deref())?;
            }
            contact_fields(&field, p.email.as_deref(), p.website.as_deref())?;
            self.parties
                .optional(&format!("{field}.parent"), p.parent.as_ref())?;
            party::ActiveModel {
                id: Set(self.parties.get(&field, &p.key)?),
                organisation_id: Set(self.organisation_id),
                key: Set(p.key.clone()),
                name: Set(p.name.clone()),
                kind: Set(p.kind),
                business_id: Set(p.business_id.clone()),
                country: Set(p.country.clone()),
                address: Set(p.address.clone()),
                email: Set(p.email.clone()),
                phone: Set(p.phone.clone()),
                website: Set(p.website.clone()),
                description: Set(
                    self.text(&format!("{field}.description"), p.description.as_ref())?
                ),
                contract_reference: Set(p.contract_reference.clone()),
                // Set below, once every party exists.
                parent_party_id: Set(None),
                created_at: Set(self.now),
                updated_at: Set(self.now),
                version: Set(1),
            }
            .checked(&field)?
            .insert(txn)
            .await?;
        }
        for (i, p) in doc.parties.iter().enumerate() {
            if let Some(parent) = self
                .parties
                .optional(&format!("parties[{i}].parent"), p.parent.as_ref())?
            {
                party::ActiveModel {
                    id: Set(self.parties.get("parties", &p.key)?),
                    parent_party_id: Set(Some(parent)),
                    ..Default::default()
                }
                .update(txn)
                .await?;
            }
        }

        organisation::ActiveModel {
            id: Set(self.organisation_id),
            contact_id: Set(self
                .contacts
                .optional("organisation.contact", org.contact.as_ref())?),
            dpo_contact_id: Set(self
                .contacts
                .optional("organisation.dpo", org.dpo.as_ref())?),
            representative_contact_id: Set(self
                .contacts
                .optional("organisation.representative", org.representative.as_ref())?),
            supervisory_authority_id: Set(self.parties.optional(
                "organisation.supervisory_authority",
                org.supervisory_authority.as_ref(),
            )?),
            ..Default::default()
        }
        .update(txn)
        .await?;

        self.vocabularies(txn).await?;

        let mut summary = ImportSummary {
            organisation_id: self.organisation_id,
            ..Default::default()
        };
        let mut register_slugs = Keys::default();
        for (i, r) in doc.registers.iter().enumerate() {
            let field = format!("registers[{i}]");
            let register_id = register_slugs.add(&format!("{field}.slug"), &r.slug)?;
            for (j, lang) in r.languages.iter().enumerate() {
                formats::language(&format!("{field}.languages[{j}]"), lang)?;
            }
            register::ActiveModel {
                id: Set(register_id),
                organisation_id: Set(self.organisation_id),
                slug: Set(r.slug.clone()),
                name: Set(self.required_text(&format!("{field}.name"), &r.name)?),
                description: Set(
                    self.text(&format!("{field}.description"), r.description.as_ref())?
                ),
                kind: Set(r.kind),
                status: Set(r.status),
                contact_id: Set(self
                    .contacts
                    .optional(&format!("{field}.contact"), r.contact.as_ref())?),
                languages: Set(LanguageList(r.languages.clone())),
                rights_instructions: Set(self.text(
                    &format!("{field}.rights_instructions"),
                    r.rights_instructions.as_ref(),
                )?),
                internal_notes: Set(r.internal_notes.clone()),
                last_reviewed_on: Set(r.last_reviewed_on),
                next_review_on: Set(r.next_review_on),
                created_at: Set(self.now),
                updated_at: Set(self.now),
                version: Set(1),
            }
            .checked(&field)?
            .insert(txn)
            .await?;
            summary.registers += 1;
            let mut activity_keys = Keys::default();
            for (j, a) in r.activities.iter().enumerate() {
                let field = format!("{field}.activities[{j}]");
                let id = activity_keys.add(&format!("{field}.key"), &a.key)?;
                self.activity(txn, &field, register_id, id, a).await?;
                summary.activities += 1;
            }
        }
        Ok(summary)
    }

    async fn vocabularies(&mut self, txn: &DatabaseTransaction) -> AppResult<()> {
        let doc = self.doc;
        for (i, v) in doc.data_subject_categories.iter().enumerate() {
            let field = format!("data_subject_categories[{i}]");
            data_subject_category::ActiveModel {
                id: Set(self.subjects.add(&format!("{field}.key"), &v.key)?),
                organisation_id: Set(self.organisation_id),
                key: Set(v.key.clone()),
                name: Set(self.required_text(&format!("{field}.name"), &v.name)?),
                description: Set(
                    self.text(&format!("{field}.description"), v.description.as_ref())?
                ),
                created_at: Set(self.now),
                updated_at: Set(self.now),
                version: Set(1),
            }
            .checked(&field)?
            .insert(txn)
            .await?;
        }
        for (i, v) in doc.personal_data_categories.iter().enumerate() {
            let field = format!("personal_data_categories[{i}]");
            personal_data_category::ActiveModel {
                id: Set(self.categories.add(&format!("{field}.key"), &v.key)?),
                organisation_id: Set(self.organisation_id),
                key: Set(v.key.clone()),
                name: Set(self.required_text(&format!("{field}.name"), &v.name)?),
                description: Set(
                    self.text(&format!("{field}.description"), v.description.as_ref())?
                ),
                kind: Set(v.kind),
                created_at: Set(self.now),
                updated_at: Set(self.now),
                version: Set(1),
            }
            .checked(&field)?
            .insert(txn)
            .await?;
        }
        for (i, v) in doc.data_sources.iter().enumerate() {
            let field = format!("data_sources[{i}]");
            data_source::ActiveModel {
                id: Set(self.sources.add(&format!("{field}.key"), &v.key)?),
                organisation_id: Set(self.organisation_id),
                key: Set(v.key.clone()),
                name: Set(self.required_text(&format!("{field}.name"), &v.name)?),
                description: Set(
                    self.text(&format!("{field}.description"), v.description.as_ref())?
                ),
                kind: Set(v.kind),
                party_id: Set(self
                    .parties
                    .optional(&format!("{field}.party"), v.party.as_ref())?),
                created_at: Set(self.now),
                updated_at: Set(self.now),
                version: Set(1),
            }
            .checked(&field)?
            .insert(txn)
            .await?;
        }
        for (i, v) in doc.recipients.iter().enumerate() {
            let field = format!("recipients[{i}]");
            recipient::ActiveModel {
                id: Set(self.recipients.add(&format!("{field}.key"), &v.key)?),
                organisation_id: Set(self.organisation_id),
                key: Set(v.key.clone()),
                name: Set(self.required_text(&format!("{field}.name"), &v.name)?),
                description: Set(
                    self.text(&format!("{field}.description"), v.description.as_ref())?
                ),
                kind: Set(v.kind),
                party_id: Set(self
                    .parties
                    .optional(&format!("{field}.party"), v.party.as_ref())?),
                created_at: Set(self.now),
                updated_at: Set(self.now),
                version: Set(1),
            }
            .checked(&field)?
            .insert(txn)
            .await?;
        }
        for (i, v) in doc.security_measures.iter().enumerate() {
            let field = format!("security_measures[{i}]");
            security_measure::ActiveModel {
                id: Set(self.measures.add(&format!("{field}.key"), &v.key)?),
                organisation_id: Set(self.organisation_id),
                key: Set(v.key.clone()),
                name: Set(self.required_text(&format!("{field}.name"), &v.name)?),
                description: Set(
                    self.text(&format!("{field}.description"), v.description.as_ref())?
                ),
                kind: Set(v.kind),
                internal_details: Set(v.internal_details.clone()),
                created_at: Set(self.now),
                updated_at: Set(self.now),
                version: Set(1),
            }
            .checked(&field)?
            .insert(txn)
            .await?;
        }
        Ok(())
    }

    async fn activity(
        &self,
        txn: &DatabaseTransaction,
        field: &str,
        register_id: Uuid,
        id: Uuid,
        a: &ActivityDoc,
    ) -> AppResult<()> {
        let text = |name: &str, value: Option<&Text>| self.text(&format!("{field}.{name}"), value);
        processing_activity::ActiveModel {
            id: Set(id),
            organisation_id: Set(self.organisation_id),
            register_id: Set(register_id),
            key: Set(a.key.clone()),
            name: Set(self.required_text(&format!("{field}.name"), &a.name)?),
            purpose: Set(text("purpose", a.purpose.as_ref())?),
            legal_basis: Set(a.legal_basis),
            legitimate_interests: Set(text(
                "legitimate_interests",
                a.legitimate_interests.as_ref(),
            )?),
            special_category_condition: Set(a.special_category_condition),
            criminal_data_basis: Set(text("criminal_data_basis", a.criminal_data_basis.as_ref())?),
            national_id_justification: Set(text(
                "national_id_justification",
                a.national_id_justification.as_ref(),
            )?),
            consent_withdrawal: Set(text("consent_withdrawal", a.consent_withdrawal.as_ref())?),
            provision_requirement: Set(a.provision_requirement),
            provision_consequence: Set(text(
                "provision_consequence",
                a.provision_consequence.as_ref(),
            )?),
            role: Set(a.role),
            counterpart_party_id: Set(self
                .parties
                .optional(&format!("{field}.counterpart"), a.counterpart.as_ref())?),
            automated_decision_making: Set(a.automated_decision_making),
            profiling: Set(a.profiling),
            automated_logic: Set(text("automated_logic", a.automated_logic.as_ref())?),
            automated_consequences: Set(text(
                "automated_consequences",
                a.automated_consequences.as_ref(),
            )?),
            dpia_status: Set(a.dpia_status),
            dpia_reference: Set(a.dpia_reference.clone()),
            internal_notes: Set(a.internal_notes.clone()),
            last_reviewed_on: Set(a.last_reviewed_on),
            next_review_on: Set(a.next_review_on),
            created_at: Set(self.now),
            updated_at: Set(self.now),
            version: Set(1),
        }
        .checked(field)?
        .insert(txn)
        .await?;

        let links = |name: &str, keys: &Keys, list: &[String]| -> AppResult<Vec<Uuid>> {
            let mut ids: Vec<Uuid> = Vec::with_capacity(list.len());
            for (k, key) in list.iter().enumerate() {
                let target = keys.get(&format!("{field}.{name}[{k}]"), key)?;
                if ids.contains(&target) {
                    return Err(AppError::invalid(
                        format!("{field}.{name}[{k}]"),
                        format!("`{key}` is listed twice"),
                    ));
                }
                ids.push(target);
            }
            Ok(ids)
        };
        let now = self.now;
        let subjects = links("data_subjects", &self.subjects, &a.data_subjects)?;
        if !subjects.is_empty() {
            activity_data_subject::Entity::insert_many(subjects.into_iter().map(|t| {
                activity_data_subject::ActiveModel {
                    activity_id: Set(id),
                    data_subject_category_id: Set(t),
                    created_at: Set(now),
                }
            }))
            .exec(txn)
            .await?;
        }
        let categories = links("data_categories", &self.categories, &a.data_categories)?;
        if !categories.is_empty() {
            activity_data_category::Entity::insert_many(categories.into_iter().map(|t| {
                activity_data_category::ActiveModel {
                    activity_id: Set(id),
                    personal_data_category_id: Set(t),
                    created_at: Set(now),
                }
            }))
            .exec(txn)
            .await?;
        }
        let sources = links("sources", &self.sources, &a.sources)?;
        if !sources.is_empty() {
            activity_source::Entity::insert_many(sources.into_iter().map(|t| {
                activity_source::ActiveModel {
                    activity_id: Set(id),
                    data_source_id: Set(t),
                    created_at: Set(now),
                }
            }))
            .exec(txn)
            .await?;
        }
        let recipients = links("recipients", &self.recipients, &a.recipients)?;
        if !recipients.is_empty() {
            activity_recipient::Entity::insert_many(recipients.into_iter().map(|t| {
                activity_recipient::ActiveModel {
                    activity_id: Set(id),
                    recipient_id: Set(t),
                    created_at: Set(now),
                }
            }))
            .exec(txn)
            .await?;
        }
        let measures = links("security_measures", &self.measures, &a.security_measures)?;
        if !measures.is_empty() {
            activity_security_measure::Entity::insert_many(measures.into_iter().map(|t| {
                activity_security_measure::ActiveModel {
                    activity_id: Set(id),
                    security_measure_id: Set(t),
                    created_at: Set(now),
                }
            }))
            .exec(txn)
            .await?;
        }

        for (k, t) in a.transfers.iter().enumerate() {
            let field = format!("{field}.transfers[{k}]");
            if let Some(country) = &t.country {
                formats::country(&format!("{field}.country"), country)?;
            }
            transfer::ActiveModel {
                id: Set(new_id()),
                organisation_id: Set(self.organisation_id),
                register_id: Set(register_id),
                activity_id: Set(id),
                recipient_id: Set(self
                    .recipients
                    .optional(&format!("{field}.recipient"), t.recipient.as_ref())?),
                country: Set(t.country.clone()),
                international_organisation: Set(t.international_organisation.clone()),
                mechanism: Set(t.mechanism),
                safeguards_reference: Set(t.safeguards_reference.clone()),
                safeguards_copy: Set(self.text(
                    &format!("{field}.safeguards_copy"),
                    t.safeguards_copy.as_ref(),
                )?),
                description: Set(
                    self.text(&format!("{field}.description"), t.description.as_ref())?
                ),
                created_at: Set(now),
                updated_at: Set(now),
                version: Set(1),
            }
            .checked(&field)?
            .insert(txn)
            .await?;
        }

        for (k, r) in a.retention.iter().enumerate() {
            let field = format!("{field}.retention[{k}]");
            if let Some(period) = &r.period {
                formats::duration(&format!("{field}.period"), period)?;
            }
            retention_rule::ActiveModel {
                id: Set(new_id()),
                organisation_id: Set(self.organisation_id),
                register_id: Set(register_id),
                activity_id: Set(id),
                data_category_id: Set(self
                    .categories
                    .optional(&format!("{field}.data_category"), r.data_category.as_ref())?),
                period: Set(r.period.clone()),
                criteria: Set(self.text(&format!("{field}.criteria"), r.criteria.as_ref())?),
                starts_from: Set(
                    self.text(&format!("{field}.starts_from"), r.starts_from.as_ref())?
                ),
                created_at: Set(now),
                updated_at: Set(now),
                version: Set(1),
            }
            .checked(&field)?
            .insert(txn)
            .await?;
        }
        Ok(())
    }
}

/// The e-mail and website of a node, where given.
fn contact_fields(field: &str, email: Option<&str>, website: Option<&str>) -> AppResult<()> {
    if let Some(email) = email {
        formats::email(&format!("{field}.email"), email)?;
    }
    if let Some(website) = website {
        formats::url(&format!("{field}.website"), website)?;
    }
    Ok(())
}
