//! The closed vocabularies of the graph as GraphQL enums (mirrors of the stored enums).

use async_graphql::Enum;

/// Art. 6(1) legal bases, stored under their W3C DPV (eu-gdpr) names.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::LegalBasis")]
pub enum LegalBasis {
    /// Art. 6(1)(a)
    Consent,
    /// Art. 6(1)(b)
    Contract,
    /// Art. 6(1)(c)
    LegalObligation,
    /// Art. 6(1)(d)
    VitalInterests,
    /// Art. 6(1)(e)
    PublicTask,
    /// Art. 6(1)(f)
    LegitimateInterests,
}

/// Art. 9(2) conditions for processing special categories of data, under their DPV names.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::SpecialCategoryCondition")]
pub enum SpecialCategoryCondition {
    /// Art. 9(2)(a)
    ExplicitConsent,
    /// Art. 9(2)(b)
    EmploymentAndSocialSecurity,
    /// Art. 9(2)(c)
    VitalInterests,
    /// Art. 9(2)(d)
    NotForProfitBody,
    /// Art. 9(2)(e)
    MadePublicByDataSubject,
    /// Art. 9(2)(f)
    LegalClaims,
    /// Art. 9(2)(g)
    SubstantialPublicInterest,
    /// Art. 9(2)(h)
    HealthOrSocialCare,
    /// Art. 9(2)(i)
    PublicHealth,
    /// Art. 9(2)(j)
    ArchivingResearchStatistics,
}

/// Chapter V transfer mechanisms, under their DPV names where DPV has one.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::TransferMechanism")]
pub enum TransferMechanism {
    /// Art. 45(3): an adequacy decision of the Commission.
    AdequacyDecision,
    /// Art. 46(2)(a): a legally binding instrument between public authorities.
    PublicAuthorityInstrument,
    /// Art. 46(2)(b) with Art. 47: binding corporate rules.
    BindingCorporateRules,
    /// Art. 46(2)(c): standard contractual clauses adopted by the Commission.
    StandardContractualClauses,
    /// Art. 46(2)(d): standard data protection clauses adopted by a supervisory authority.
    SupervisoryAuthorityClauses,
    /// Art. 46(2)(e): an approved code of conduct.
    CodeOfConduct,
    /// Art. 46(2)(f): an approved certification mechanism.
    Certification,
    /// Art. 46(3)(a): contractual clauses authorised by the supervisory authority.
    AuthorisedContractualClauses,
    /// Art. 49(1)(a): explicit consent to the transfer.
    DerogationConsent,
    /// Art. 49(1)(b): necessary for a contract with the data subject.
    DerogationContractWithDataSubject,
    /// Art. 49(1)(c): necessary for a contract in the interest of the data subject.
    DerogationContractInInterest,
    /// Art. 49(1)(d): important reasons of public interest.
    DerogationPublicInterest,
    /// Art. 49(1)(e): legal claims.
    DerogationLegalClaims,
    /// Art. 49(1)(f): vital interests.
    DerogationVitalInterests,
    /// Art. 49(1)(g): transfer from a public register.
    DerogationPublicRegister,
    /// Art. 49(1), second subparagraph: compelling legitimate interests.
    DerogationCompellingLegitimateInterests,
}

/// What kind of personal data a category holds; the law treats each differently.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::DataCategoryKind")]
pub enum DataCategoryKind {
    /// Ordinary personal data.
    Ordinary,
    /// A special category of Art. 9(1).
    Special,
    /// Criminal convictions and offences, Art. 10.
    Criminal,
    /// A national identification number (Art. 87; in Finland the henkilötunnus).
    NationalId,
}

/// Where personal data comes from; anything but the data subject brings in Art. 14.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::SourceKind")]
pub enum SourceKind {
    /// Given by the data subject.
    DataSubject,
    /// Obtained from another organisation.
    ThirdParty,
    /// Obtained from publicly accessible sources.
    Public,
    /// Observed from the data subject's use of a service (logs, cookies, analytics).
    Observed,
}

/// What kind of recipient personal data is disclosed or made available to.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::RecipientKind")]
pub enum RecipientKind {
    /// Staff or units of the controller itself.
    Internal,
    /// A processor acting on the controller's behalf (Art. 28).
    Processor,
    /// A joint controller (Art. 26).
    JointController,
    /// An independent controller.
    ThirdParty,
    /// A public authority.
    Authority,
    /// A company of the same group.
    GroupCompany,
    /// Other users of the controller's service.
    ServiceUsers,
}

/// The relationship of another legal entity to the organisation.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::PartyKind")]
pub enum PartyKind {
    /// Processes personal data on the organisation's behalf.
    Processor,
    /// Engaged by a processor of the organisation.
    SubProcessor,
    /// Determines purposes and means together with the organisation.
    JointController,
    /// An independent controller.
    ThirdParty,
    /// A public authority, the supervisory authority included.
    Authority,
    /// A company of the same group.
    GroupCompany,
    /// A controller on whose behalf the organisation itself acts as processor.
    Client,
}

/// The three families of security measures.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::SecurityMeasureKind")]
pub enum SecurityMeasureKind {
    /// Technical measures (encryption, access control, firewalls).
    Technical,
    /// Organisational measures (policies, confidentiality undertakings, training).
    Organisational,
    /// Physical measures (locked premises, guarded rooms).
    Physical,
}

/// What a register is about.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::RegisterKind")]
pub enum RegisterKind {
    /// Customers and customer relationships.
    Customer,
    /// Marketing and prospects.
    Marketing,
    /// Users of an online service.
    OnlineService,
    /// Employees.
    Employee,
    /// Job applicants.
    Recruitment,
    /// Suppliers' and partners' contact persons.
    Supplier,
    /// Members of an association.
    Member,
    /// Anything else.
    Other,
}

/// Life cycle of a register.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::RegisterStatus")]
pub enum RegisterStatus {
    /// Being written; its notice is not public.
    Draft,
    /// In use; its notice is public.
    Published,
    /// No longer in use; kept for the record.
    Archived,
}

/// Art. 13(2)(e): whether providing the data is required.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::ProvisionRequirement")]
pub enum ProvisionRequirement {
    /// Required by law.
    Statutory,
    /// Required by a contract.
    Contractual,
    /// Necessary to enter into a contract.
    ContractPrerequisite,
    /// Voluntary.
    Voluntary,
}

/// The organisation's role in an activity.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::ProcessingRole")]
pub enum ProcessingRole {
    /// The organisation alone determines purposes and means (Art. 30(1)).
    Controller,
    /// Together with the counterpart party (Art. 26).
    JointController,
    /// On behalf of the counterpart party (Art. 28, recorded under Art. 30(2)).
    Processor,
}

/// Where a data protection impact assessment (Art. 35) stands.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::DpiaStatus")]
pub enum DpiaStatus {
    /// Nobody has assessed whether one is needed.
    NotAssessed,
    /// Assessed as not needed.
    NotRequired,
    /// Needed and not started.
    Required,
    /// Being carried out.
    InProgress,
    /// Carried out.
    Completed,
}

/// A right of the data subject (Chapter III and Art. 77).
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "crate::domain::rights::Right")]
pub enum DataSubjectRight {
    /// Art. 15: access to the data.
    Access,
    /// Art. 16: rectification.
    Rectification,
    /// Art. 17: erasure ("the right to be forgotten").
    Erasure,
    /// Art. 18: restriction of processing.
    Restriction,
    /// Art. 20: data portability.
    Portability,
    /// Art. 21(1): objection on grounds relating to one's particular situation.
    Object,
    /// Art. 21(2)–(3): objection to direct marketing, at any time.
    ObjectToDirectMarketing,
    /// Art. 7(3): withdrawal of consent.
    WithdrawConsent,
    /// Art. 22: not to be subject to a decision based solely on automated processing.
    NoSolelyAutomatedDecision,
    /// Art. 77: complaint to a supervisory authority.
    Complaint,
}
