//! Importing a whole organisation's graph from a readable document (YAML or JSON), in one
//! transaction. The demo data set is loaded through this same path.
//!
//! Each node goes through what a mutation of the API does: the same model, the same save rules
//! ([`crate::save_rules`]), the same limits and audit event as [`crate::write::insert`] (written
//! a kind at a time by [`crate::write::insert_all`], so a document costs a few statements per
//! kind, not per node) and, for an activity, the same link storing. So a document holds only
//! states the API would save, and a refusal is the API's, naming the document path of the field
//! (`registers[2].activities[0].legal_basis`) instead of the input field. The gaps an old notice
//! has are importable where the API would save them too: in a draft register, or where the law
//! only reports them ([`crate::domain::law`]).
//!
//! Nodes refer to each other by key (`recipients: [accounting-partner]`), never by database ID.
//! Texts are either a plain string, in the organisation's default language, or a map of
//! language to text (`{fi: …, en: …}`).

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use serde::Deserialize;
use uuid::Uuid;

use crate::audit::Author;
use crate::domain::adequacy::AdequacyList;
use crate::domain::formats;
use crate::error::{AppError, AppResult};
use crate::ids::new_id;
use crate::links::{links_state, store_links, Links};
use crate::save_rules::Rules;
use crate::write::{self, Write, WriteGate};
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
    /// For a third party: whether the source is publicly accessible; absent: unknown.
    pub publicly_accessible: Option<bool>,
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
    /// Absent: unknown, never "no".
    pub automated_decision_making: Option<bool>,
    pub profiling: Option<bool>,
    /// False declares no transfers outside the EU/EEA; listed transfers declare there are.
    pub transfers_outside_eea: Option<bool>,
    pub direct_marketing: Option<bool>,
    pub automated_means: Option<bool>,
    pub automated_logic: Option<Text>,
    pub automated_consequences: Option<Text>,
    #[serde(default = "not_assessed")]
    pub dpia_status: DpiaStatus,
    pub dpia_reference: Option<String>,
    pub lia_reference: Option<String>,
    pub data_location: Option<String>,
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
    pub required_by: Option<Text>,
}

/// What the document declares of transfers outside the EU/EEA: listed transfers declare that
/// there are some, and contradict a declared `false`.
fn transfers_outside_eea(prefix: &str, a: &ActivityDoc) -> AppResult<Option<bool>> {
    match (a.transfers_outside_eea, a.transfers.is_empty()) {
        (Some(false), false) => Err(AppError::invalid(
            format!("{prefix}.transfers_outside_eea"),
            "is false, but the activity lists transfers outside the EU/EEA",
        )),
        (None, false) => Ok(Some(true)),
        (declared, _) => Ok(declared),
    }
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

/// Imports a document as a new organisation, all or nothing, with the shipped adequacy list
/// and today's date.
pub async fn import(db: &DatabaseConnection, doc: &Document) -> AppResult<ImportSummary> {
    let adequacy = AdequacyList::shipped().map_err(AppError::internal)?;
    import_with(
        db,
        &WriteGate::default(),
        &adequacy,
        Utc::now().date_naive(),
        doc,
    )
    .await
}

/// Imports a document as a new organisation in one write (queued at `gate`), all or nothing:
/// the first node the save rules refuse rolls everything back.
pub async fn import_with(
    db: &DatabaseConnection,
    gate: &WriteGate,
    adequacy: &AdequacyList,
    today: NaiveDate,
    doc: &Document,
) -> AppResult<ImportSummary> {
    // Before the lookup: a slug with a NUL byte would fail the query on PostgreSQL.
    refuse_existing(db, "organisation.slug", &doc.organisation.slug).await?;
    let w = Write::begin(db, gate, Author::import()).await?;
    let rules = Rules {
        w: &w,
        adequacy,
        today,
    };
    // On a refusal `w` is dropped unfinished, which rolls the whole document back.
    let summary = Importer::new(doc, w.now).run(&rules).await?;
    w.commit().await?;
    Ok(summary)
}

/// Refuses a slug that is not one or that an organisation has already, naming `field`.
async fn refuse_existing(db: &DatabaseConnection, field: &str, slug: &str) -> AppResult<()> {
    // Before the lookup: a slug with a NUL byte would fail the query on PostgreSQL.
    formats::slug(field, slug)?;
    let exists = organisation::Entity::find()
        .filter(organisation::Column::Slug.eq(slug))
        .one(db)
        .await?;
    if exists.is_some() {
        return Err(AppError::Conflict(format!(
            "{field}: an organisation `{slug}` already exists"
        )));
    }
    Ok(())
}

/// A new organisation of one's own, as `ropa init` starts it: nothing but its name and IDs.
#[derive(Clone, Debug)]
pub struct NewOrganisation {
    pub slug: String,
    pub name: String,
    pub business_id: Option<String>,
    pub country: String,
    pub default_language: String,
    /// The name of its first account, the admin.
    pub admin_name: String,
}

/// What `ropa init` made: the organisation and the secret of its admin's token.
#[derive(Debug)]
pub struct Started {
    pub organisation_id: Uuid,
    pub account_id: Uuid,
    pub secret: String,
}

/// Starts an organisation with no graph yet, and its first account, an admin with a token
/// scoped to it, in one write (source `cli`): the organisation goes through the importer's
/// path (the same save rules and audit event), the account and token through the API's.
/// Refuses a slug some organisation has already, naming the field `organisation`.
pub async fn init(
    db: &DatabaseConnection,
    gate: &WriteGate,
    adequacy: &AdequacyList,
    today: NaiveDate,
    new: &NewOrganisation,
) -> AppResult<Started> {
    refuse_existing(db, "organisation", &new.slug).await?;
    let doc = Document {
        organisation: OrganisationDoc {
            slug: new.slug.clone(),
            name: new.name.clone(),
            business_id: new.business_id.clone(),
            country: new.country.clone(),
            address: None,
            email: None,
            phone: None,
            website: None,
            default_language: new.default_language.clone(),
            dpo_required: false,
            contact: None,
            dpo: None,
            representative: None,
            supervisory_authority: None,
        },
        contacts: Vec::new(),
        parties: Vec::new(),
        data_subject_categories: Vec::new(),
        personal_data_categories: Vec::new(),
        data_sources: Vec::new(),
        recipients: Vec::new(),
        security_measures: Vec::new(),
        registers: Vec::new(),
    };
    let w = Write::begin(db, gate, Author::cli()).await?;
    let rules = Rules {
        w: &w,
        adequacy,
        today,
    };
    // A refusal names the option (`business-id`), not the document path
    // (`organisation.business_id`).
    let summary = Importer::new(&doc, w.now)
        .run(&rules)
        .await
        .map_err(|e| match e {
            AppError::InvalidInput { field, message } => {
                let field = match field.strip_prefix("organisation.").unwrap_or(&field) {
                    "slug" => "organisation".to_owned(),
                    "default_language" => "language".to_owned(),
                    other => other.replace('_', "-"),
                };
                AppError::InvalidInput { field, message }
            }
            other => other,
        })?;
    let (account, _) = crate::identity::create_account_audited(
        &w,
        summary.organisation_id,
        &new.admin_name,
        None,
        AccountKind::Person,
        None,
        Role::Admin,
    )
    .await
    .map_err(|e| match e {
        AppError::InvalidInput { message, .. } => AppError::invalid("admin-name", message),
        other => other,
    })?;
    let (_, secret) = crate::identity::create_token_audited(
        &w,
        account.id,
        summary.organisation_id,
        "ropa init",
        None,
    )
    .await?;
    w.commit().await?;
    Ok(Started {
        organisation_id: summary.organisation_id,
        account_id: account.id,
        secret,
    })
}

/// The document path of an input field of the node at `prefix`: the document's keys are the
/// input's in snake case, and a reference is named by what it names (`contact` for
/// `contactId`, `dpo` for `dpoContactId`, `counterpart` for `counterpartPartyId`). What follows
/// the field (`.fi`, `[1]`) is kept.
pub fn document_path(prefix: &str, field: &str) -> String {
    let end = field.find(['.', '[']).unwrap_or(field.len());
    let (name, rest) = field.split_at(end);
    let mut key = String::with_capacity(name.len() + 4);
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            key.push('_');
            key.push(c.to_ascii_lowercase());
        } else {
            key.push(c);
        }
    }
    // A business ID is a value, not a reference.
    if key != "business_id" {
        if let Some(reference) = key.strip_suffix("_id") {
            let reference = reference
                .strip_suffix("_contact")
                .or_else(|| reference.strip_suffix("_party"))
                .unwrap_or(reference);
            key = reference.to_owned();
        }
    }
    format!("{prefix}.{key}{rest}")
}

/// Names a refusal of the node at `prefix` by its document path.
fn at(prefix: &str) -> impl Fn(AppError) -> AppError + '_ {
    move |e| match e {
        AppError::InvalidInput { field, message } => AppError::InvalidInput {
            field: document_path(prefix, &field),
            message,
        },
        other => other,
    }
}

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
    now: DateTime<Utc>,
    contacts: Keys,
    parties: Keys,
    subjects: Keys,
    categories: Keys,
    sources: Keys,
    recipients: Keys,
    measures: Keys,
}

impl<'a> Importer<'a> {
    fn new(doc: &'a Document, now: DateTime<Utc>) -> Self {
        Self {
            doc,
            organisation_id: new_id(),
            now,
            contacts: Keys::default(),
            parties: Keys::default(),
            subjects: Keys::default(),
            categories: Keys::default(),
            sources: Keys::default(),
            recipients: Keys::default(),
            measures: Keys::default(),
        }
    }

    /// A text as the API stores it: each language's text trimmed (the rules check the rest).
    fn text(&self, text: Option<&Text>) -> LocalizedText {
        match text {
            None => LocalizedText::default(),
            Some(Text::Plain(s)) => {
                LocalizedText::new(&self.doc.organisation.default_language, s.trim())
            }
            Some(Text::Languages(map)) => LocalizedText(
                map.iter()
                    .map(|(l, t)| (l.clone(), t.trim().to_owned()))
                    .collect(),
            ),
        }
    }

    async fn run(mut self, rules: &Rules<'_>) -> AppResult<ImportSummary> {
        let doc = self.doc;
        let org = &doc.organisation;
        let now = self.now;
        // The organisation names its contacts and authority, which belong to it: its row is
        // written first without those references, and whole once they exist.
        let mut organisation = organisation::Model {
            id: self.organisation_id,
            slug: org.slug.clone(),
            name: org.name.clone(),
            business_id: org.business_id.clone(),
            country: org.country.clone(),
            address: org.address.clone(),
            email: org.email.clone(),
            phone: org.phone.clone(),
            website: org.website.clone(),
            default_language: org.default_language.clone(),
            dpo_required: org.dpo_required,
            contact_id: None,
            dpo_contact_id: None,
            representative_contact_id: None,
            supervisory_authority_id: None,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        let prefix = "organisation";
        rules
            .organisation(&organisation)
            .await
            .map_err(at(prefix))?;
        write::insert_early(rules.w, organisation.clone())
            .await
            .map_err(at(prefix))?;

        let mut contacts = Batch::default();
        for (i, c) in doc.contacts.iter().enumerate() {
            let prefix = format!("contacts[{i}]");
            let model = contact::Model {
                id: self.contacts.add(&format!("{prefix}.key"), &c.key)?,
                organisation_id: self.organisation_id,
                key: c.key.clone(),
                name: c.name.clone(),
                title: self.text(c.title.as_ref()),
                email: c.email.clone(),
                phone: c.phone.clone(),
                address: c.address.clone(),
                created_at: now,
                updated_at: now,
                version: 1,
            };
            let checked = rules.contact(&model).await;
            contacts.push(&prefix, checked, model, None)?;
        }
        contacts.insert(rules.w).await?;

        self.parties(rules).await?;

        organisation.contact_id = self
            .contacts
            .optional("organisation.contact", org.contact.as_ref())?;
        organisation.dpo_contact_id = self
            .contacts
            .optional("organisation.dpo", org.dpo.as_ref())?;
        organisation.representative_contact_id = self
            .contacts
            .optional("organisation.representative", org.representative.as_ref())?;
        organisation.supervisory_authority_id = self.parties.optional(
            "organisation.supervisory_authority",
            org.supervisory_authority.as_ref(),
        )?;
        rules
            .organisation(&organisation)
            .await
            .map_err(at(prefix))?;
        write::complete_insert(rules.w, organisation, None)
            .await
            .map_err(at(prefix))?;

        self.vocabularies(rules).await?;

        let mut summary = ImportSummary {
            organisation_id: self.organisation_id,
            ..Default::default()
        };
        let mut register_slugs = Keys::default();
        let mut registers = Batch::default();
        for (i, r) in doc.registers.iter().enumerate() {
            let prefix = format!("registers[{i}]");
            let model = register::Model {
                id: register_slugs.add(&format!("{prefix}.slug"), &r.slug)?,
                organisation_id: self.organisation_id,
                slug: r.slug.clone(),
                name: self.text(Some(&r.name)),
                description: self.text(r.description.as_ref()),
                kind: r.kind,
                status: r.status,
                contact_id: self
                    .contacts
                    .optional(&format!("{prefix}.contact"), r.contact.as_ref())?,
                languages: LanguageList(r.languages.clone()),
                rights_instructions: self.text(r.rights_instructions.as_ref()),
                internal_notes: r.internal_notes.clone(),
                last_reviewed_on: r.last_reviewed_on,
                next_review_on: r.next_review_on,
                created_at: now,
                updated_at: now,
                version: 1,
            };
            let checked = rules.register(&model).await;
            registers.push(&prefix, checked, model, None)?;
        }
        let registers = registers.insert(rules.w).await?;
        summary.registers = registers.len();

        // Each kind is checked node by node and written in one go, after the kinds it names.
        let mut activities = Batch::default();
        let mut links = Vec::new();
        let mut transfers = Vec::new();
        let mut retention = Vec::new();
        for (i, (r, register)) in doc.registers.iter().zip(&registers).enumerate() {
            let mut activity_keys = Keys::default();
            for (j, a) in r.activities.iter().enumerate() {
                let prefix = format!("registers[{i}].activities[{j}]");
                let id = activity_keys.add(&format!("{prefix}.key"), &a.key)?;
                let node = self.activity(&prefix, register, id, a)?;
                let checked = rules
                    .processing_activity(&node.model, &node.links, "links")
                    .await;
                let extra = links_state(&node.links)?;
                activities.push(&prefix, checked, node.model, Some(extra))?;
                links.push((id, node.links));
                transfers.extend(node.transfers);
                retention.extend(node.retention);
            }
        }
        summary.activities = activities.insert(rules.w).await?.len();
        for (id, links) in &links {
            store_links(rules.w, *id, &Links::default(), links).await?;
        }
        let mut batch = Batch::default();
        for (prefix, transfer) in transfers {
            let checked = rules.transfer(&transfer).await;
            batch.push(&prefix, checked, transfer, None)?;
        }
        batch.insert(rules.w).await?;
        let mut batch = Batch::default();
        for (prefix, rule) in retention {
            let checked = rules.retention_rule(&rule).await;
            batch.push(&prefix, checked, rule, None)?;
        }
        batch.insert(rules.w).await?;
        Ok(summary)
    }

    /// The parties, each after the party it names as its parent (as the API would have to
    /// create them); a circle of parents is refused as the API refuses it.
    async fn parties(&mut self, rules: &Rules<'_>) -> AppResult<()> {
        let doc = self.doc;
        for (i, p) in doc.parties.iter().enumerate() {
            self.parties.add(&format!("parties[{i}].key"), &p.key)?;
        }
        let index: HashMap<&str, usize> = doc
            .parties
            .iter()
            .enumerate()
            .map(|(i, p)| (p.key.as_str(), i))
            .collect();
        let mut parents = Vec::with_capacity(doc.parties.len());
        for (i, p) in doc.parties.iter().enumerate() {
            parents.push(
                self.parties
                    .optional(&format!("parties[{i}].parent"), p.parent.as_ref())?,
            );
        }
        // How far each party is from the top of its chain of parents; a circle never ends.
        let mut depth: Vec<Option<usize>> = vec![None; doc.parties.len()];
        for start in 0..doc.parties.len() {
            // The chain of parents whose depth is not known yet, from `start` up.
            let mut chain = Vec::new();
            let mut next = Some(start);
            while let Some(i) = next.filter(|i| depth[*i].is_none()) {
                if chain.contains(&i) {
                    return Err(AppError::invalid(
                        format!("parties[{i}].parent"),
                        "would make a party its own (indirect) parent",
                    ));
                }
                chain.push(i);
                next = doc.parties[i]
                    .parent
                    .as_deref()
                    .and_then(|k| index.get(k).copied());
            }
            let mut above = next.and_then(|i| depth[i]);
            for i in chain.into_iter().rev() {
                let d = above.map_or(0, |d| d + 1);
                depth[i] = Some(d);
                above = Some(d);
            }
        }
        // Each level after the one above it, as the API would have to create them.
        let levels = depth.iter().flatten().max().map_or(0, |d| d + 1);
        for level in 0..levels {
            let mut batch = Batch::default();
            for (i, p) in doc.parties.iter().enumerate() {
                if depth[i] != Some(level) {
                    continue;
                }
                let prefix = format!("parties[{i}]");
                let model = party::Model {
                    id: self.parties.get(&format!("{prefix}.key"), &p.key)?,
                    organisation_id: self.organisation_id,
                    key: p.key.clone(),
                    name: p.name.clone(),
                    kind: p.kind,
                    business_id: p.business_id.clone(),
                    country: p.country.clone(),
                    address: p.address.clone(),
                    email: p.email.clone(),
                    phone: p.phone.clone(),
                    website: p.website.clone(),
                    description: self.text(p.description.as_ref()),
                    contract_reference: p.contract_reference.clone(),
                    parent_party_id: parents[i],
                    created_at: self.now,
                    updated_at: self.now,
                    version: 1,
                };
                let checked = rules.party(&model).await;
                batch.push(&prefix, checked, model, None)?;
            }
            batch.insert(rules.w).await?;
        }
        Ok(())
    }

    async fn vocabularies(&mut self, rules: &Rules<'_>) -> AppResult<()> {
        let doc = self.doc;
        let (organisation_id, now) = (self.organisation_id, self.now);
        let mut batch = Batch::default();
        for (i, v) in doc.data_subject_categories.iter().enumerate() {
            let prefix = format!("data_subject_categories[{i}]");
            let model = data_subject_category::Model {
                id: self.subjects.add(&format!("{prefix}.key"), &v.key)?,
                organisation_id,
                key: v.key.clone(),
                name: self.text(Some(&v.name)),
                description: self.text(v.description.as_ref()),
                created_at: now,
                updated_at: now,
                version: 1,
            };
            let checked = rules.data_subject_category(&model).await;
            batch.push(&prefix, checked, model, None)?;
        }
        batch.insert(rules.w).await?;
        let mut batch = Batch::default();
        for (i, v) in doc.personal_data_categories.iter().enumerate() {
            let prefix = format!("personal_data_categories[{i}]");
            let model = personal_data_category::Model {
                id: self.categories.add(&format!("{prefix}.key"), &v.key)?,
                organisation_id,
                key: v.key.clone(),
                name: self.text(Some(&v.name)),
                description: self.text(v.description.as_ref()),
                kind: v.kind,
                created_at: now,
                updated_at: now,
                version: 1,
            };
            let checked = rules.personal_data_category(&model).await;
            batch.push(&prefix, checked, model, None)?;
        }
        batch.insert(rules.w).await?;
        let mut batch = Batch::default();
        for (i, v) in doc.data_sources.iter().enumerate() {
            let prefix = format!("data_sources[{i}]");
            let model = data_source::Model {
                id: self.sources.add(&format!("{prefix}.key"), &v.key)?,
                organisation_id,
                key: v.key.clone(),
                name: self.text(Some(&v.name)),
                description: self.text(v.description.as_ref()),
                kind: v.kind,
                publicly_accessible: v.publicly_accessible,
                party_id: self
                    .parties
                    .optional(&format!("{prefix}.party"), v.party.as_ref())?,
                created_at: now,
                updated_at: now,
                version: 1,
            };
            let checked = rules.data_source(&model).await;
            batch.push(&prefix, checked, model, None)?;
        }
        batch.insert(rules.w).await?;
        let mut batch = Batch::default();
        for (i, v) in doc.recipients.iter().enumerate() {
            let prefix = format!("recipients[{i}]");
            let model = recipient::Model {
                id: self.recipients.add(&format!("{prefix}.key"), &v.key)?,
                organisation_id,
                key: v.key.clone(),
                name: self.text(Some(&v.name)),
                description: self.text(v.description.as_ref()),
                kind: v.kind,
                party_id: self
                    .parties
                    .optional(&format!("{prefix}.party"), v.party.as_ref())?,
                created_at: now,
                updated_at: now,
                version: 1,
            };
            let checked = rules.recipient(&model).await;
            batch.push(&prefix, checked, model, None)?;
        }
        batch.insert(rules.w).await?;
        let mut batch = Batch::default();
        for (i, v) in doc.security_measures.iter().enumerate() {
            let prefix = format!("security_measures[{i}]");
            let model = security_measure::Model {
                id: self.measures.add(&format!("{prefix}.key"), &v.key)?,
                organisation_id,
                key: v.key.clone(),
                name: self.text(Some(&v.name)),
                description: self.text(v.description.as_ref()),
                kind: v.kind,
                internal_details: v.internal_details.clone(),
                created_at: now,
                updated_at: now,
                version: 1,
            };
            let checked = rules.security_measure(&model).await;
            batch.push(&prefix, checked, model, None)?;
        }
        batch.insert(rules.w).await?;
        Ok(())
    }

    /// An activity with its links, its transfers and retention rules, as the API's
    /// `createProcessingActivity`, `createTransfer` and `createRetentionRule` build them.
    fn activity(
        &self,
        prefix: &str,
        register: &register::Model,
        id: Uuid,
        a: &ActivityDoc,
    ) -> AppResult<ActivityNodes> {
        let now = self.now;
        let model = processing_activity::Model {
            id,
            organisation_id: self.organisation_id,
            register_id: register.id,
            key: a.key.clone(),
            name: self.text(Some(&a.name)),
            purpose: self.text(a.purpose.as_ref()),
            legal_basis: a.legal_basis,
            legitimate_interests: self.text(a.legitimate_interests.as_ref()),
            special_category_condition: a.special_category_condition,
            criminal_data_basis: self.text(a.criminal_data_basis.as_ref()),
            national_id_justification: self.text(a.national_id_justification.as_ref()),
            consent_withdrawal: self.text(a.consent_withdrawal.as_ref()),
            provision_requirement: a.provision_requirement,
            provision_consequence: self.text(a.provision_consequence.as_ref()),
            role: a.role,
            counterpart_party_id: self
                .parties
                .optional(&format!("{prefix}.counterpart"), a.counterpart.as_ref())?,
            automated_decision_making: a.automated_decision_making,
            profiling: a.profiling,
            transfers_outside_eea: transfers_outside_eea(prefix, a)?,
            direct_marketing: a.direct_marketing,
            automated_means: a.automated_means,
            automated_logic: self.text(a.automated_logic.as_ref()),
            automated_consequences: self.text(a.automated_consequences.as_ref()),
            dpia_status: a.dpia_status,
            dpia_reference: a.dpia_reference.clone(),
            lia_reference: a.lia_reference.clone(),
            data_location: a.data_location.clone(),
            internal_notes: a.internal_notes.clone(),
            last_reviewed_on: a.last_reviewed_on,
            next_review_on: a.next_review_on,
            created_at: now,
            updated_at: now,
            version: 1,
        };

        let links = |name: &str, keys: &Keys, list: &[String]| -> AppResult<Vec<Uuid>> {
            let mut ids: Vec<Uuid> = Vec::with_capacity(list.len());
            for (k, key) in list.iter().enumerate() {
                let target = keys.get(&format!("{prefix}.{name}[{k}]"), key)?;
                if ids.contains(&target) {
                    return Err(AppError::invalid(
                        format!("{prefix}.{name}[{k}]"),
                        format!("`{key}` is listed twice"),
                    ));
                }
                ids.push(target);
            }
            Ok(ids)
        };
        let links = Links {
            data_subject_categories: links("data_subjects", &self.subjects, &a.data_subjects)?,
            personal_data_categories: links(
                "data_categories",
                &self.categories,
                &a.data_categories,
            )?,
            data_sources: links("sources", &self.sources, &a.sources)?,
            recipients: links("recipients", &self.recipients, &a.recipients)?,
            security_measures: links("security_measures", &self.measures, &a.security_measures)?,
        };
        let mut transfers = Vec::with_capacity(a.transfers.len());
        for (k, t) in a.transfers.iter().enumerate() {
            let prefix = format!("{prefix}.transfers[{k}]");
            let transfer = transfer::Model {
                id: new_id(),
                organisation_id: self.organisation_id,
                register_id: register.id,
                activity_id: id,
                recipient_id: self
                    .recipients
                    .optional(&format!("{prefix}.recipient"), t.recipient.as_ref())?,
                country: t.country.clone(),
                international_organisation: t.international_organisation.clone(),
                mechanism: t.mechanism,
                safeguards_reference: t.safeguards_reference.clone(),
                safeguards_copy: self.text(t.safeguards_copy.as_ref()),
                description: self.text(t.description.as_ref()),
                created_at: now,
                updated_at: now,
                version: 1,
            };
            transfers.push((prefix, transfer));
        }

        let mut retention = Vec::with_capacity(a.retention.len());
        for (k, r) in a.retention.iter().enumerate() {
            let prefix = format!("{prefix}.retention[{k}]");
            let rule = retention_rule::Model {
                id: new_id(),
                organisation_id: self.organisation_id,
                register_id: register.id,
                activity_id: id,
                data_category_id: self
                    .categories
                    .optional(&format!("{prefix}.data_category"), r.data_category.as_ref())?,
                period: r.period.clone(),
                criteria: self.text(r.criteria.as_ref()),
                starts_from: self.text(r.starts_from.as_ref()),
                required_by: self.text(r.required_by.as_ref()),
                created_at: now,
                updated_at: now,
                version: 1,
            };
            retention.push((prefix, rule));
        }
        Ok(ActivityNodes {
            model,
            links,
            transfers,
            retention,
        })
    }
}

/// An activity, its links, and its transfers and retention rules with their document paths.
struct ActivityNodes {
    model: processing_activity::Model,
    links: Links,
    transfers: Vec<(String, transfer::Model)>,
    retention: Vec<(String, retention_rule::Model)>,
}

/// New nodes of one kind, each passed by its save rule and the limits of its table, written
/// together once all have passed ([`write::insert_all`]: one statement for the rows, one for
/// their audit events, one for their notifications).
struct Batch<M> {
    models: Vec<M>,
    extras: Vec<Option<serde_json::Value>>,
}

impl<M> Default for Batch<M> {
    fn default() -> Self {
        Self {
            models: Vec::new(),
            extras: Vec::new(),
        }
    }
}

impl<M> Batch<M>
where
    M: write::Stored + sea_orm::IntoActiveModel<<M::Entity as EntityTrait>::ActiveModel>,
    <M::Entity as EntityTrait>::ActiveModel: sea_orm::ActiveModelTrait<Entity = M::Entity> + Send,
{
    /// Adds a node with what its save rule said of it; a refusal, or a refusal of the limits
    /// [`write::insert_all`] will check, names the document path under `prefix`.
    fn push(
        &mut self,
        prefix: &str,
        checked: AppResult<()>,
        model: M,
        extra: Option<serde_json::Value>,
    ) -> AppResult<()> {
        checked.map_err(at(prefix))?;
        crate::domain::limits::check_model(M::TABLE, &model).map_err(at(prefix))?;
        self.models.push(model);
        self.extras.push(extra);
        Ok(())
    }

    async fn insert(self, w: &Write) -> AppResult<Vec<M>> {
        write::insert_all(w, self.models, self.extras).await
    }
}
