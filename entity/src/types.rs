//! Value types stored in columns: multilingual text, language lists and the closed vocabularies of the GDPR.

use std::collections::BTreeMap;

use sea_orm::entity::prelude::*;
use sea_orm::FromJsonQueryResult;
use serde::{Deserialize, Serialize};

/// The languages a text can be written in, in the order used for fallback.
pub const SUPPORTED_LANGUAGES: [&str; 3] = ["fi", "sv", "en"];

/// A user-facing text in any subset of the supported languages, stored as a JSON object
/// (`{"fi": "…", "en": "…"}`).
///
/// Fallback rule: the requested language if present, otherwise the first present of
/// Finnish, Swedish, English (the order of [`SUPPORTED_LANGUAGES`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
#[serde(transparent)]
pub struct LocalizedText(pub BTreeMap<String, String>);

impl LocalizedText {
    /// A text in one language.
    pub fn new(language: &str, text: impl Into<String>) -> Self {
        let mut map = BTreeMap::new();
        map.insert(language.to_owned(), text.into());
        Self(map)
    }

    /// True when no language has a non-blank text.
    pub fn is_empty(&self) -> bool {
        self.0.values().all(|t| t.trim().is_empty())
    }

    /// The text in exactly this language, if written.
    pub fn exact(&self, language: &str) -> Option<&str> {
        self.entry(language).map(|(_, text)| text)
    }

    fn entry(&self, language: &str) -> Option<(&str, &str)> {
        self.0
            .get_key_value(language)
            .filter(|(_, text)| !text.trim().is_empty())
            .map(|(lang, text)| (lang.as_str(), text.as_str()))
    }

    /// The text in the requested language, or by the fallback rule; with the language it is in.
    pub fn resolve(&self, language: &str) -> Option<(&str, &str)> {
        std::iter::once(language)
            .chain(SUPPORTED_LANGUAGES)
            .find_map(|lang| self.entry(lang))
            .or_else(|| {
                self.0
                    .iter()
                    .find(|(_, t)| !t.trim().is_empty())
                    .map(|(l, t)| (l.as_str(), t.as_str()))
            })
    }
}

/// A list of BCP 47 language tags, stored as a JSON array.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
#[serde(transparent)]
pub struct LanguageList(pub Vec<String>);

/// Art. 6(1) legal bases, stored under their W3C DPV (eu-gdpr) names.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum LegalBasis {
    /// Art. 6(1)(a)
    #[sea_orm(string_value = "A6-1-a")]
    Consent,
    /// Art. 6(1)(b)
    #[sea_orm(string_value = "A6-1-b")]
    Contract,
    /// Art. 6(1)(c)
    #[sea_orm(string_value = "A6-1-c")]
    LegalObligation,
    /// Art. 6(1)(d)
    #[sea_orm(string_value = "A6-1-d")]
    VitalInterests,
    /// Art. 6(1)(e)
    #[sea_orm(string_value = "A6-1-e")]
    PublicTask,
    /// Art. 6(1)(f)
    #[sea_orm(string_value = "A6-1-f")]
    LegitimateInterests,
}

/// Art. 9(2) conditions for processing special categories of data, under their DPV names.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum SpecialCategoryCondition {
    /// Art. 9(2)(a)
    #[sea_orm(string_value = "A9-2-a")]
    ExplicitConsent,
    /// Art. 9(2)(b)
    #[sea_orm(string_value = "A9-2-b")]
    EmploymentAndSocialSecurity,
    /// Art. 9(2)(c)
    #[sea_orm(string_value = "A9-2-c")]
    VitalInterests,
    /// Art. 9(2)(d)
    #[sea_orm(string_value = "A9-2-d")]
    NotForProfitBody,
    /// Art. 9(2)(e)
    #[sea_orm(string_value = "A9-2-e")]
    MadePublicByDataSubject,
    /// Art. 9(2)(f)
    #[sea_orm(string_value = "A9-2-f")]
    LegalClaims,
    /// Art. 9(2)(g)
    #[sea_orm(string_value = "A9-2-g")]
    SubstantialPublicInterest,
    /// Art. 9(2)(h)
    #[sea_orm(string_value = "A9-2-h")]
    HealthOrSocialCare,
    /// Art. 9(2)(i)
    #[sea_orm(string_value = "A9-2-i")]
    PublicHealth,
    /// Art. 9(2)(j)
    #[sea_orm(string_value = "A9-2-j")]
    ArchivingResearchStatistics,
}

/// Chapter V transfer mechanisms, under their DPV names where DPV has one.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum TransferMechanism {
    /// Art. 45(3): an adequacy decision of the Commission.
    #[sea_orm(string_value = "A45-3")]
    AdequacyDecision,
    /// Art. 46(2)(a): a legally binding instrument between public authorities.
    #[sea_orm(string_value = "A46-2-a")]
    PublicAuthorityInstrument,
    /// Art. 46(2)(b) with Art. 47: binding corporate rules.
    #[sea_orm(string_value = "A46-2-b")]
    BindingCorporateRules,
    /// Art. 46(2)(c): standard contractual clauses adopted by the Commission.
    #[sea_orm(string_value = "A46-2-c")]
    StandardContractualClauses,
    /// Art. 46(2)(d): standard data protection clauses adopted by a supervisory authority.
    #[sea_orm(string_value = "A46-2-d")]
    SupervisoryAuthorityClauses,
    /// Art. 46(2)(e): an approved code of conduct.
    #[sea_orm(string_value = "A46-2-e")]
    CodeOfConduct,
    /// Art. 46(2)(f): an approved certification mechanism.
    #[sea_orm(string_value = "A46-2-f")]
    Certification,
    /// Art. 46(3)(a): contractual clauses authorised by the supervisory authority.
    #[sea_orm(string_value = "A46-3-a")]
    AuthorisedContractualClauses,
    /// Art. 49(1)(a): explicit consent to the transfer.
    #[sea_orm(string_value = "A49-1-a")]
    DerogationConsent,
    /// Art. 49(1)(b): necessary for a contract with the data subject.
    #[sea_orm(string_value = "A49-1-b")]
    DerogationContractWithDataSubject,
    /// Art. 49(1)(c): necessary for a contract in the interest of the data subject.
    #[sea_orm(string_value = "A49-1-c")]
    DerogationContractInInterest,
    /// Art. 49(1)(d): important reasons of public interest.
    #[sea_orm(string_value = "A49-1-d")]
    DerogationPublicInterest,
    /// Art. 49(1)(e): legal claims.
    #[sea_orm(string_value = "A49-1-e")]
    DerogationLegalClaims,
    /// Art. 49(1)(f): vital interests.
    #[sea_orm(string_value = "A49-1-f")]
    DerogationVitalInterests,
    /// Art. 49(1)(g): transfer from a public register.
    #[sea_orm(string_value = "A49-1-g")]
    DerogationPublicRegister,
    /// Art. 49(1), second subparagraph: compelling legitimate interests (DPV `A49-2`).
    #[sea_orm(string_value = "A49-2")]
    DerogationCompellingLegitimateInterests,
}

impl TransferMechanism {
    /// True for the Art. 49 derogations, which need documented safeguards rather than a framework.
    pub fn is_derogation(self) -> bool {
        matches!(
            self,
            Self::DerogationConsent
                | Self::DerogationContractWithDataSubject
                | Self::DerogationContractInInterest
                | Self::DerogationPublicInterest
                | Self::DerogationLegalClaims
                | Self::DerogationVitalInterests
                | Self::DerogationPublicRegister
                | Self::DerogationCompellingLegitimateInterests
        )
    }
}

/// What kind of personal data a category holds; the law treats each differently.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum DataCategoryKind {
    /// Ordinary personal data.
    #[sea_orm(string_value = "ordinary")]
    Ordinary,
    /// A special category of Art. 9(1).
    #[sea_orm(string_value = "special")]
    Special,
    /// Criminal convictions and offences, Art. 10.
    #[sea_orm(string_value = "criminal")]
    Criminal,
    /// A national identification number (Art. 87; in Finland the henkilötunnus).
    #[sea_orm(string_value = "national_id")]
    NationalId,
}

/// Where personal data comes from; anything but the data subject brings in Art. 14.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// Given by the data subject.
    #[sea_orm(string_value = "data_subject")]
    DataSubject,
    /// Obtained from another organisation.
    #[sea_orm(string_value = "third_party")]
    ThirdParty,
    /// Obtained from publicly accessible sources.
    #[sea_orm(string_value = "public")]
    Public,
    /// Observed from the data subject's use of a service (logs, cookies, analytics).
    #[sea_orm(string_value = "observed")]
    Observed,
}

/// What kind of recipient personal data is disclosed or made available to.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum RecipientKind {
    /// Staff or units of the controller itself.
    #[sea_orm(string_value = "internal")]
    Internal,
    /// A processor acting on the controller's behalf (Art. 28).
    #[sea_orm(string_value = "processor")]
    Processor,
    /// A joint controller (Art. 26).
    #[sea_orm(string_value = "joint_controller")]
    JointController,
    /// An independent controller.
    #[sea_orm(string_value = "third_party")]
    ThirdParty,
    /// A public authority.
    #[sea_orm(string_value = "authority")]
    Authority,
    /// A company of the same group.
    #[sea_orm(string_value = "group_company")]
    GroupCompany,
    /// Other users of the controller's service.
    #[sea_orm(string_value = "service_users")]
    ServiceUsers,
}

/// The relationship of another legal entity to the organisation.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum PartyKind {
    /// Processes personal data on the organisation's behalf.
    #[sea_orm(string_value = "processor")]
    Processor,
    /// Engaged by a processor of the organisation.
    #[sea_orm(string_value = "sub_processor")]
    SubProcessor,
    /// Determines purposes and means together with the organisation.
    #[sea_orm(string_value = "joint_controller")]
    JointController,
    /// An independent controller.
    #[sea_orm(string_value = "third_party")]
    ThirdParty,
    /// A public authority, the supervisory authority included.
    #[sea_orm(string_value = "authority")]
    Authority,
    /// A company of the same group.
    #[sea_orm(string_value = "group_company")]
    GroupCompany,
    /// A controller on whose behalf the organisation itself acts as processor.
    #[sea_orm(string_value = "client")]
    Client,
}

/// The three families of security measures.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum SecurityMeasureKind {
    /// Technical measures (encryption, access control, firewalls).
    #[sea_orm(string_value = "technical")]
    Technical,
    /// Organisational measures (policies, confidentiality undertakings, training).
    #[sea_orm(string_value = "organisational")]
    Organisational,
    /// Physical measures (locked premises, guarded rooms).
    #[sea_orm(string_value = "physical")]
    Physical,
}

/// What a register is about.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum RegisterKind {
    /// Customers and customer relationships.
    #[sea_orm(string_value = "customer")]
    Customer,
    /// Marketing and prospects.
    #[sea_orm(string_value = "marketing")]
    Marketing,
    /// Users of an online service.
    #[sea_orm(string_value = "online_service")]
    OnlineService,
    /// Employees.
    #[sea_orm(string_value = "employee")]
    Employee,
    /// Job applicants.
    #[sea_orm(string_value = "recruitment")]
    Recruitment,
    /// Suppliers' and partners' contact persons.
    #[sea_orm(string_value = "supplier")]
    Supplier,
    /// Members of an association.
    #[sea_orm(string_value = "member")]
    Member,
    /// Anything else.
    #[sea_orm(string_value = "other")]
    Other,
}

/// Life cycle of a register.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum RegisterStatus {
    /// Being written; its notice is not public.
    #[sea_orm(string_value = "draft")]
    Draft,
    /// In use; its notice is public.
    #[sea_orm(string_value = "published")]
    Published,
    /// No longer in use; kept for the record.
    #[sea_orm(string_value = "archived")]
    Archived,
}

/// Art. 13(2)(e): whether providing the data is required.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(24))")]
#[serde(rename_all = "snake_case")]
pub enum ProvisionRequirement {
    /// Required by law.
    #[sea_orm(string_value = "statutory")]
    Statutory,
    /// Required by a contract.
    #[sea_orm(string_value = "contractual")]
    Contractual,
    /// Necessary to enter into a contract.
    #[sea_orm(string_value = "contract_prerequisite")]
    ContractPrerequisite,
    /// Voluntary.
    #[sea_orm(string_value = "voluntary")]
    Voluntary,
}

/// The organisation's role in an activity.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(24))")]
#[serde(rename_all = "snake_case")]
pub enum ProcessingRole {
    /// The organisation alone determines purposes and means (Art. 30(1)).
    #[sea_orm(string_value = "controller")]
    Controller,
    /// Together with the counterpart party (Art. 26).
    #[sea_orm(string_value = "joint_controller")]
    JointController,
    /// On behalf of the counterpart party (Art. 28, recorded under Art. 30(2)).
    #[sea_orm(string_value = "processor")]
    Processor,
}

/// Where a data protection impact assessment (Art. 35) stands.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum DpiaStatus {
    /// Nobody has assessed whether one is needed.
    #[sea_orm(string_value = "not_assessed")]
    NotAssessed,
    /// Assessed as not needed.
    #[sea_orm(string_value = "not_required")]
    NotRequired,
    /// Needed and not started.
    #[sea_orm(string_value = "required")]
    Required,
    /// Being carried out.
    #[sea_orm(string_value = "in_progress")]
    InProgress,
    /// Carried out.
    #[sea_orm(string_value = "completed")]
    Completed,
}

/// Whether an account is a person or another service.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum AccountKind {
    /// A person.
    #[sea_orm(string_value = "person")]
    Person,
    /// Another service calling the API.
    #[sea_orm(string_value = "service")]
    Service,
}

/// A role an account holds in an organisation (or in one register of it).
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    Serialize,
    Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything in the organisation, members and tokens included.
    #[sea_orm(string_value = "admin")]
    Admin,
    /// The data protection officer: reads and edits every register, publishes, audits, exports.
    #[sea_orm(string_value = "dpo")]
    Dpo,
    /// Reads the organisation's graph and edits it (or only the registers granted).
    #[sea_orm(string_value = "editor")]
    Editor,
    /// Reads everything, history included, and exports; changes nothing.
    #[sea_orm(string_value = "auditor")]
    Auditor,
    /// Reads the internal graph; no exports, audit trail or internal security details.
    #[sea_orm(string_value = "viewer")]
    Viewer,
    /// Another service: reads registers, recipients, processors, transfers and published notices.
    #[sea_orm(string_value = "service")]
    Service,
}

impl Role {
    /// The role's name in the policy and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Dpo => "dpo",
            Self::Editor => "editor",
            Self::Auditor => "auditor",
            Self::Viewer => "viewer",
            Self::Service => "service",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(pairs: &[(&str, &str)]) -> LocalizedText {
        LocalizedText(
            pairs
                .iter()
                .map(|(l, t)| (String::from(*l), String::from(*t)))
                .collect(),
        )
    }

    #[test]
    fn the_requested_language_wins_when_present() {
        let t = text(&[("fi", "Asiakkaat"), ("en", "Customers")]);
        assert_eq!(t.resolve("en"), Some(("en", "Customers")));
    }

    #[test]
    fn fallback_takes_finnish_then_swedish_then_english() {
        assert_eq!(
            text(&[("sv", "Kunder"), ("en", "Customers")]).resolve("fi"),
            Some(("sv", "Kunder"))
        );
        assert_eq!(
            text(&[("en", "Customers"), ("fi", "Asiakkaat")]).resolve("sv"),
            Some(("fi", "Asiakkaat"))
        );
    }

    #[test]
    fn blank_texts_count_as_missing() {
        let t = text(&[("fi", "  "), ("en", "Customers")]);
        assert_eq!(t.resolve("fi"), Some(("en", "Customers")));
        assert!(text(&[("fi", " ")]).is_empty());
        assert_eq!(LocalizedText::default().resolve("fi"), None);
    }
}
