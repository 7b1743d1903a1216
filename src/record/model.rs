//! The record as structure: a header and one entry per activity, every value resolved in one
//! language, every enumerated value with its label and its code. Every format is rendered
//! from it.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

/// A text resolved in the record's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Text {
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Coded {
    pub code: String,
    pub label: String,
}

/// A node named by the record: its public ID and its name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Named {
    pub id: String,
    pub name: Text,
}

/// A contact person or mailbox.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Person {
    pub id: String,
    pub name: String,
    pub title: Option<Text>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
}

/// Another legal entity: a joint controller, a processor, a client controller, an authority.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Party {
    pub id: String,
    pub name: String,
    pub kind: Coded,
    pub business_id: Option<String>,
    pub country: Option<Coded>,
    pub address: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub website: Option<String>,
    /// The contract or data processing agreement (Art. 28(3)).
    pub contract_reference: Option<String>,
}

/// The organisation keeping the record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Organisation {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub business_id: Option<String>,
    pub country: Coded,
    pub address: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub website: Option<String>,
}

/// A register covered by the record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Register {
    pub id: String,
    pub slug: String,
    pub name: Text,
    pub kind: Coded,
    pub status: Coded,
    pub last_reviewed_on: Option<NaiveDate>,
    pub next_review_on: Option<NaiveDate>,
}

/// Which record a header heads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// Art. 30(1).
    Controller,
    /// Art. 30(2).
    Processor,
}

/// Art. 30(1)(a) / 30(2)(a), and what the record is a record of.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Header {
    pub kind: RecordKind,
    /// The record's title in its language.
    pub title: String,
    /// The record's language (`fi`, `sv` or `en`).
    pub language: String,
    /// When the record was produced.
    pub produced_at: DateTime<Utc>,
    /// The past time the record shows, for a record of the graph as it was.
    pub as_of: Option<DateTime<Utc>>,
    /// The version of the graph the record reflects: see [`super::build::graph_version`].
    pub graph_version: String,
    pub organisation: Organisation,
    /// The controller's contact point for data protection matters.
    pub contact: Option<Person>,
    pub dpo: Option<Person>,
    /// The Art. 27 representative.
    pub representative: Option<Person>,
    /// The joint controllers of the activities in the record, by ID.
    pub joint_controllers: Vec<Party>,
    pub supervisory_authority: Option<Party>,
    /// The registers the record covers, in the order they were created.
    pub registers: Vec<Register>,
}

/// A recipient (Art. 30(1)(d)), with the third country of its party, if outside the EU/EEA.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Recipient {
    pub id: String,
    pub name: Text,
    pub kind: Coded,
    pub party: Option<String>,
    /// The party's country when it is outside the EU/EEA.
    pub third_country: Option<Coded>,
}

/// A category of personal data with its kind (ordinary, special, criminal, national ID).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DataCategory {
    pub id: String,
    pub name: Text,
    pub kind: Coded,
}

/// A source of the data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Source {
    pub id: String,
    pub name: Text,
    pub kind: Coded,
    pub party: Option<String>,
}

/// A transfer to a third country or an international organisation (Art. 30(1)(e)).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Transfer {
    pub id: String,
    pub recipient: Option<Named>,
    pub country: Option<Coded>,
    pub international_organisation: Option<String>,
    /// The mechanism; its code is the DPV eu-gdpr name.
    pub mechanism: Option<Coded>,
    /// True for an Art. 49 derogation: its safeguards must be documented.
    pub derogation: bool,
    /// The adequacy decision in force for the destination on the record's date, if any.
    pub adequacy_decision: Option<String>,
    /// Where the safeguards are documented.
    pub safeguards_reference: Option<String>,
    pub description: Option<Text>,
}

/// The time limit for erasure of one category of data (Art. 30(1)(f)).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Erasure {
    /// The category; none when the activity names no categories and the rule covers it all.
    pub data_category: Option<Named>,
    /// The retention rule.
    pub rule_id: String,
    /// The period: ISO 8601 as code, in words as label.
    pub period: Option<Coded>,
    pub starts_from: Option<Text>,
    pub criteria: Option<Text>,
    /// True when the rule is for the whole activity rather than this category.
    pub general: bool,
}

/// A security measure (Art. 30(1)(g)); internal details are left out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SecurityMeasure {
    pub id: String,
    pub name: Text,
    pub kind: Coded,
    pub description: Option<Text>,
}

/// One processing activity of the controller's record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ControllerEntry {
    /// The activity's public ID.
    pub id: String,
    pub key: String,
    pub register: Named,
    pub name: Text,
    /// Controller or joint controller.
    pub role: Coded,
    pub joint_controller: Option<Party>,
    /// (b)
    pub purposes: Option<Text>,
    pub legal_basis: Option<Coded>,
    pub legitimate_interests: Option<Text>,
    pub special_category_condition: Option<Coded>,
    pub criminal_data_basis: Option<Text>,
    pub national_id_justification: Option<Text>,
    /// (c)
    pub data_subjects: Vec<Named>,
    /// (c)
    pub data_categories: Vec<DataCategory>,
    pub sources: Vec<Source>,
    /// (d)
    pub recipients: Vec<Recipient>,
    /// The processors among the recipients, with their contracts.
    pub processors: Vec<Party>,
    /// (e)
    pub transfers: Vec<Transfer>,
    /// (f), per data category.
    pub erasure: Vec<Erasure>,
    /// (g)
    pub security_measures: Vec<SecurityMeasure>,
    pub automated_decision_making: bool,
    pub profiling: bool,
    pub automated_logic: Option<Text>,
    pub dpia_status: Coded,
    pub dpia_reference: Option<String>,
    pub last_reviewed_on: Option<NaiveDate>,
    pub next_review_on: Option<NaiveDate>,
}

/// The controller's record, Art. 30(1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ControllerRecord {
    pub header: Header,
    pub entries: Vec<ControllerEntry>,
}

/// One activity carried out on behalf of a controller (Art. 30(2)(b)–(d)).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProcessorEntry {
    pub id: String,
    pub key: String,
    pub register: Named,
    pub name: Text,
    /// (b) the categories of processing: what is done on the controller's behalf.
    pub categories_of_processing: Option<Text>,
    pub data_subjects: Vec<Named>,
    pub data_categories: Vec<DataCategory>,
    /// Sub-processors engaged, with their contracts.
    pub sub_processors: Vec<Party>,
    /// (c)
    pub transfers: Vec<Transfer>,
    /// (d)
    pub security_measures: Vec<SecurityMeasure>,
    pub last_reviewed_on: Option<NaiveDate>,
}

/// The activities done for one controller.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ControllerSection {
    /// The controller (the activities' counterpart); none for activities that name none.
    pub controller: Option<Party>,
    pub entries: Vec<ProcessorEntry>,
}

/// The processor's record, Art. 30(2).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProcessorRecord {
    pub header: Header,
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
