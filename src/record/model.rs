//! The record as structure: a header and one entry per activity, every value resolved in one
//! language, every enumerated value with its label and its code. Every format is rendered
//! from it, and GraphQL serves it as it is (`Organisation.controllerRecord`,
//! `Organisation.processorRecord`).

use async_graphql::{Enum, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

/// A text of the record, resolved in the record's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, SimpleObject)]
#[graphql(name = "RecordText")]
pub struct Text {
    /// The text.
    pub text: String,
    /// The language the text is written in.
    pub language: String,
    /// True when the text exists only in another language than the record's.
    pub fallback: bool,
}

/// A value of a closed vocabulary: its code and its label in the record's language.
///
/// Codes are the stored ones: the W3C DPV (eu-gdpr) names for legal bases, Art. 9(2) conditions
/// and transfer mechanisms (`A6-1-a`, `A46-2-c`), ISO 3166-1 alpha-2 for countries, ISO 8601
/// for durations, snake case for the rest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, SimpleObject)]
#[graphql(name = "RecordValue")]
pub struct Coded {
    /// The stable code (DPV name, ISO code or snake case).
    pub code: String,
    /// The code in words, in the record's language.
    pub label: String,
}

/// A node the record names: its public ID and its name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, SimpleObject)]
#[graphql(name = "RecordNode")]
pub struct Named {
    /// The node's public ID.
    pub id: String,
    /// The node's name.
    pub name: Text,
}

/// A contact person or mailbox of the record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, SimpleObject)]
#[graphql(name = "RecordPerson")]
pub struct Person {
    /// The contact's public ID.
    pub id: String,
    /// The person's or mailbox's name.
    pub name: String,
    /// The person's title or role.
    pub title: Option<Text>,
    /// E-mail address.
    pub email: Option<String>,
    /// Telephone number.
    pub phone: Option<String>,
    /// Postal address.
    pub address: Option<String>,
}

/// Another legal entity the record names: a joint controller, a processor, a client controller,
/// an authority.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, SimpleObject)]
#[graphql(name = "RecordParty")]
pub struct Party {
    /// The party's public ID.
    pub id: String,
    /// The entity's name.
    pub name: String,
    /// What the party is to the organisation (processor, joint controller, …).
    pub kind: Coded,
    /// Business ID (a Finnish Y-tunnus, or another register's number).
    pub business_id: Option<String>,
    /// Country of establishment.
    pub country: Option<Coded>,
    /// Postal address.
    pub address: Option<String>,
    /// E-mail address.
    pub email: Option<String>,
    /// Telephone number.
    pub phone: Option<String>,
    /// Web site.
    pub website: Option<String>,
    /// The contract or data processing agreement (Art. 28(3)).
    pub contract_reference: Option<String>,
}

/// The organisation keeping the record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, SimpleObject)]
#[graphql(name = "RecordOrganisation")]
pub struct Organisation {
    /// The organisation's public ID.
    pub id: String,
    /// The organisation's slug.
    pub slug: String,
    /// The legal name.
    pub name: String,
    /// Business ID (Y-tunnus).
    pub business_id: Option<String>,
    /// Country of establishment.
    pub country: Coded,
    /// Postal address.
    pub address: Option<String>,
    /// E-mail address.
    pub email: Option<String>,
    /// Telephone number.
    pub phone: Option<String>,
    /// Web site.
    pub website: Option<String>,
}

/// A register covered by the record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, SimpleObject)]
#[graphql(name = "RecordRegister")]
pub struct Register {
    /// The register's public ID.
    pub id: String,
    /// The register's slug.
    pub slug: String,
    /// The register's name.
    pub name: Text,
    /// What kind of register it is (customers, staff, marketing, …).
    pub kind: Coded,
    /// Draft, published or archived.
    pub status: Coded,
    /// When the register was last reviewed.
    pub last_reviewed_on: Option<NaiveDate>,
    /// When the register is next due for review.
    pub next_review_on: Option<NaiveDate>,
}

/// Which record a header heads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Enum)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// The controller's record, Art. 30(1).
    Controller,
    /// The processor's record, Art. 30(2).
    Processor,
}

/// Art. 30(1)(a) / 30(2)(a), and what the record is a record of.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, SimpleObject)]
#[graphql(name = "RecordHeader")]
pub struct Header {
    /// Which record this is.
    pub kind: RecordKind,
    /// The record's title in its language.
    pub title: String,
    /// The record's language (`fi`, `sv` or `en`).
    pub language: String,
    /// When the record was produced.
    pub produced_at: DateTime<Utc>,
    /// The past time the record shows, for a record of the graph as it was.
    pub as_of: Option<DateTime<Utc>>,
    /// The version of the graph the record reflects: the same value for the same state of the
    /// graph, another one after any change (see `graph_version` in `src/record/build.rs`).
    pub graph_version: String,
    /// The controller (or processor) keeping the record: name and contact details.
    pub organisation: Organisation,
    /// The controller's contact point for data protection matters.
    pub contact: Option<Person>,
    /// The data protection officer.
    pub dpo: Option<Person>,
    /// The Art. 27 representative.
    pub representative: Option<Person>,
    /// The joint controllers of the activities in the record.
    pub joint_controllers: Vec<Party>,
    /// The supervisory authority the organisation answers to.
    pub supervisory_authority: Option<Party>,
    /// The registers the record covers, in the order they were created.
    pub registers: Vec<Register>,
}

/// A recipient (Art. 30(1)(d)), with the third countries it receives data in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, SimpleObject)]
#[graphql(name = "RecordRecipient")]
pub struct Recipient {
    /// The recipient's public ID.
    pub id: String,
    /// The recipient (or category of recipients).
    pub name: Text,
    /// Processor, authority, group company, …
    pub kind: Coded,
    /// The name of the legal entity behind the recipient, if one is named.
    pub party: Option<String>,
    /// The third countries and international organisations the recipient is in or receives
    /// data in: its party's country when outside the EU/EEA, and the destinations of the
    /// transfers to it. Sorted by code.
    pub third_countries: Vec<Coded>,
}

/// A category of personal data with its kind (ordinary, special, criminal, national ID).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, SimpleObject)]
#[graphql(name = "RecordDataCategory")]
pub struct DataCategory {
    /// The category's public ID.
    pub id: String,
    /// The category's name.
    pub name: Text,
    /// Ordinary, special (Art. 9), criminal (Art. 10) or national identity number.
    pub kind: Coded,
}

/// A source of the data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, SimpleObject)]
#[graphql(name = "RecordSource")]
pub struct Source {
    /// The source's public ID.
    pub id: String,
    /// The source's name.
    pub name: Text,
    /// The data subject, a third party, a public source, observation, …
    pub kind: Coded,
    /// The name of the legal entity the data comes from, if one is named.
    pub party: Option<String>,
}

/// A transfer to a third country or an international organisation (Art. 30(1)(e)).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, SimpleObject)]
#[graphql(name = "RecordTransfer")]
pub struct Transfer {
    /// The transfer's public ID.
    pub id: String,
    /// The recipient the data goes to.
    pub recipient: Option<Named>,
    /// The destination country.
    pub country: Option<Coded>,
    /// The destination international organisation.
    pub international_organisation: Option<String>,
    /// The mechanism; its code is the DPV eu-gdpr name.
    pub mechanism: Option<Coded>,
    /// True for an Art. 49 derogation: its safeguards must be documented.
    pub derogation: bool,
    /// The adequacy decision in force for the destination on the record's date, if any.
    pub adequacy_decision: Option<String>,
    /// Where the safeguards are documented.
    pub safeguards_reference: Option<String>,
    /// What is transferred and why.
    pub description: Option<Text>,
}

/// The time limit for erasure of one category of data (Art. 30(1)(f)).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, SimpleObject)]
#[graphql(name = "RecordErasure")]
pub struct Erasure {
    /// The category; none when the activity names no categories and the rule covers it all.
    pub data_category: Option<Named>,
    /// The retention rule's public ID.
    pub rule_id: String,
    /// The period: ISO 8601 as code, in words as label.
    pub period: Option<Coded>,
    /// The event the period runs from.
    pub starts_from: Option<Text>,
    /// The criteria that decide how long the data is kept, where no fixed period applies.
    pub criteria: Option<Text>,
    /// True when the rule is for the whole activity rather than this category.
    pub general: bool,
}

/// A security measure (Art. 30(1)(g)); internal details are left out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, SimpleObject)]
#[graphql(name = "RecordSecurityMeasure")]
pub struct SecurityMeasure {
    /// The measure's public ID.
    pub id: String,
    /// The measure's name.
    pub name: Text,
    /// Technical or organisational.
    pub kind: Coded,
    /// The public description of the measure.
    pub description: Option<Text>,
}

/// One processing activity of the controller's record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, SimpleObject)]
#[graphql(name = "ControllerRecordEntry")]
pub struct ControllerEntry {
    /// The activity's public ID.
    pub id: String,
    /// The activity's key, unique in its organisation.
    pub key: String,
    /// The register the activity belongs to.
    pub register: Named,
    /// The activity's name.
    pub name: Text,
    /// Controller or joint controller.
    pub role: Coded,
    /// The joint controller, for jointly controlled processing (Art. 26).
    pub joint_controller: Option<Party>,
    /// (b) The purposes of the processing.
    pub purposes: Option<Text>,
    /// The Art. 6(1) legal basis; its code is the DPV eu-gdpr name.
    pub legal_basis: Option<Coded>,
    /// The legitimate interests pursued, under Art. 6(1)(f).
    pub legitimate_interests: Option<Text>,
    /// The Art. 9(2) condition for special categories of data.
    pub special_category_condition: Option<Coded>,
    /// The Art. 10 basis for data on criminal convictions and offences.
    pub criminal_data_basis: Option<Text>,
    /// Why a national identity number is processed.
    pub national_id_justification: Option<Text>,
    /// (c) The categories of data subjects.
    pub data_subjects: Vec<Named>,
    /// (c) The categories of personal data.
    pub data_categories: Vec<DataCategory>,
    /// Where the data comes from.
    pub sources: Vec<Source>,
    /// (d) The categories of recipients, those in third countries included.
    pub recipients: Vec<Recipient>,
    /// The processors among the recipients, with their contracts.
    pub processors: Vec<Party>,
    /// Whether data is transferred outside the EU/EEA: false declares that none is; null
    /// while undeclared. An empty `transfers` list means "none" only when this is false.
    pub transfers_outside_eea: Option<bool>,
    /// (e) Transfers to third countries or international organisations.
    pub transfers: Vec<Transfer>,
    /// (f) The time limits for erasure, per data category.
    pub erasure: Vec<Erasure>,
    /// (g) The technical and organisational security measures.
    pub security_measures: Vec<SecurityMeasure>,
    /// Whether decisions are made by automated means alone (Art. 22); null while undeclared.
    pub automated_decision_making: Option<bool>,
    /// Whether the data is used for profiling; null while undeclared.
    pub profiling: Option<bool>,
    /// The logic involved in automated decisions or profiling, and its consequences.
    pub automated_logic: Option<Text>,
    /// Whether a data protection impact assessment (Art. 35) is needed, done or under way.
    pub dpia_status: Coded,
    /// Where the impact assessment is kept.
    pub dpia_reference: Option<String>,
    /// Where the legitimate interests assessment is kept.
    pub lia_reference: Option<String>,
    /// The rights of the data subject that apply (Arts. 15–22, 77), derived from the basis
    /// and the declared facts; codes as `ProcessingActivity.rights`.
    pub rights: Vec<Coded>,
    /// The rights that depend on a fact nobody has declared yet.
    pub undetermined_rights: Vec<Coded>,
    /// Where the personal data is located: countries, data centres or systems.
    pub data_location: Option<String>,
    /// When the activity was last reviewed.
    pub last_reviewed_on: Option<NaiveDate>,
    /// When the activity is next due for review.
    pub next_review_on: Option<NaiveDate>,
    /// When the entry was created.
    pub created_at: DateTime<Utc>,
    /// When the entry was last changed.
    pub updated_at: DateTime<Utc>,
}

/// The controller's record, Art. 30(1): a header and one entry per activity in which the
/// organisation is controller or joint controller.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, SimpleObject)]
#[graphql(name = "ControllerRecord")]
pub struct ControllerRecord {
    /// Who keeps the record, and what it covers.
    pub header: Header,
    /// One entry per activity, registers in order.
    pub entries: Vec<ControllerEntry>,
}

/// One activity carried out on behalf of a controller (Art. 30(2)(b)–(d)).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, SimpleObject)]
#[graphql(name = "ProcessorRecordEntry")]
pub struct ProcessorEntry {
    /// The activity's public ID.
    pub id: String,
    /// The activity's key, unique in its organisation.
    pub key: String,
    /// The register the activity belongs to.
    pub register: Named,
    /// The activity's name.
    pub name: Text,
    /// (b) The categories of processing: what is done on the controller's behalf.
    pub categories_of_processing: Option<Text>,
    /// The categories of data subjects.
    pub data_subjects: Vec<Named>,
    /// The categories of personal data.
    pub data_categories: Vec<DataCategory>,
    /// Sub-processors engaged, with their contracts.
    pub sub_processors: Vec<Party>,
    /// Whether data is transferred outside the EU/EEA: false declares that none is; null
    /// while undeclared.
    pub transfers_outside_eea: Option<bool>,
    /// (c) Transfers to third countries or international organisations.
    pub transfers: Vec<Transfer>,
    /// (d) The technical and organisational security measures.
    pub security_measures: Vec<SecurityMeasure>,
    /// When the activity was last reviewed.
    pub last_reviewed_on: Option<NaiveDate>,
    /// When the activity is next due for review.
    pub next_review_on: Option<NaiveDate>,
    /// When the entry was created.
    pub created_at: DateTime<Utc>,
    /// When the entry was last changed.
    pub updated_at: DateTime<Utc>,
}

/// The activities done for one controller.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, SimpleObject)]
#[graphql(name = "ProcessorRecordSection")]
pub struct ControllerSection {
    /// The controller (the activities' counterpart); none for activities that name none.
    pub controller: Option<Party>,
    /// The activities done for that controller.
    pub entries: Vec<ProcessorEntry>,
}

/// The processor's record, Art. 30(2): the activities carried out on behalf of other
/// controllers, per controller.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, SimpleObject)]
#[graphql(name = "ProcessorRecord")]
pub struct ProcessorRecord {
    /// Who keeps the record, and what it covers.
    pub header: Header,
    /// One section per client controller.
    pub controllers: Vec<ControllerSection>,
}

impl Text {
    /// The text as shown in a cell: with its language in brackets when it is a fallback.
    pub fn display(&self) -> String {
        if self.fallback {
            format!("{} [{}]", self.text, self.language)
        } else {
            self.text.clone()
        }
    }
}
