//! The fields of each node as a mutation takes them, and how they change a stored node.
//!
//! One input type per node serves both creating and updating it: a field left out keeps its
//! value (or its default, on creation), `null` clears an optional field, and a text is replaced
//! by the translations given (`[]` clears it). What is required is decided by the rules, on the
//! state the change would leave.

use super::common::{set, set_maybe, set_opt, set_ref, set_text, TranslationInput};
use crate::graphql::enums::{
    DataCategoryKind, DpiaStatus, LegalBasis, PartyKind, ProcessingRole, ProvisionRequirement,
    RecipientKind, RegisterKind, RegisterStatus, SecurityMeasureKind, SourceKind,
    SpecialCategoryCondition, TransferMechanism,
};
use async_graphql::{InputObject, MaybeUndefined, ID};
use chrono::NaiveDate;

use crate::error::{AppError, AppResult};
use crate::ids::NodeKind;
use crate::links::Links;
use entity::LanguageList;

/// Fields of the organisation.
#[derive(InputObject, Default)]
pub struct OrganisationFields {
    /// URL-safe name, unique in the service.
    pub slug: MaybeUndefined<String>,
    /// Legal name.
    pub name: MaybeUndefined<String>,
    /// Business ID; for a Finnish organisation a Y-tunnus with a valid check digit.
    pub business_id: MaybeUndefined<String>,
    /// Country of establishment (ISO 3166-1 alpha-2).
    pub country: MaybeUndefined<String>,
    /// Postal address.
    pub address: MaybeUndefined<String>,
    /// E-mail address for data protection matters.
    pub email: MaybeUndefined<String>,
    /// Telephone number.
    pub phone: MaybeUndefined<String>,
    /// Website (absolute http or https URL).
    pub website: MaybeUndefined<String>,
    /// Language of plain texts and the first language of notices (`fi`, `sv` or `en`).
    pub default_language: MaybeUndefined<String>,
    /// Whether the organisation must designate a DPO (Art. 37).
    pub dpo_required: MaybeUndefined<bool>,
    /// The contact point of the controller (a contact of this organisation).
    pub contact_id: MaybeUndefined<ID>,
    /// The data protection officer (a contact of this organisation).
    pub dpo_contact_id: MaybeUndefined<ID>,
    /// The representative in the Union (Art. 27; a contact of this organisation).
    pub representative_contact_id: MaybeUndefined<ID>,
    /// The supervisory authority (a party of kind AUTHORITY).
    pub supervisory_authority_id: MaybeUndefined<ID>,
}

impl OrganisationFields {
    pub fn apply(self, m: &mut entity::organisation::Model) -> AppResult<()> {
        set(&mut m.slug, "slug", self.slug)?;
        set(
            &mut m.name,
            "name",
            self.name.map_value(|s| s.trim().to_owned()),
        )?;
        set_opt(&mut m.business_id, self.business_id);
        set(&mut m.country, "country", self.country)?;
        set_opt(&mut m.address, self.address);
        set_opt(&mut m.email, self.email);
        set_opt(&mut m.phone, self.phone);
        set_opt(&mut m.website, self.website);
        set(
            &mut m.default_language,
            "defaultLanguage",
            self.default_language,
        )?;
        set(&mut m.dpo_required, "dpoRequired", self.dpo_required)?;
        set_ref(
            &mut m.contact_id,
            NodeKind::Contact,
            "contactId",
            self.contact_id,
        )?;
        set_ref(
            &mut m.dpo_contact_id,
            NodeKind::Contact,
            "dpoContactId",
            self.dpo_contact_id,
        )?;
        set_ref(
            &mut m.representative_contact_id,
            NodeKind::Contact,
            "representativeContactId",
            self.representative_contact_id,
        )?;
        set_ref(
            &mut m.supervisory_authority_id,
            NodeKind::Party,
            "supervisoryAuthorityId",
            self.supervisory_authority_id,
        )
    }
}

/// Fields of a contact.
#[derive(InputObject, Default)]
pub struct ContactFields {
    /// Stable key, unique within the organisation (a slug); required.
    pub key: MaybeUndefined<String>,
    /// Name of the person or mailbox; required.
    pub name: MaybeUndefined<String>,
    /// Title or role, per language.
    pub title: MaybeUndefined<Vec<TranslationInput>>,
    /// E-mail address.
    pub email: MaybeUndefined<String>,
    /// Telephone number.
    pub phone: MaybeUndefined<String>,
    /// Postal address.
    pub address: MaybeUndefined<String>,
}

impl ContactFields {
    pub fn apply(self, m: &mut entity::contact::Model) -> AppResult<()> {
        set(&mut m.key, "key", self.key)?;
        set(
            &mut m.name,
            "name",
            self.name.map_value(|s| s.trim().to_owned()),
        )?;
        set_text(&mut m.title, "title", self.title)?;
        set_opt(&mut m.email, self.email);
        set_opt(&mut m.phone, self.phone);
        set_opt(&mut m.address, self.address);
        Ok(())
    }
}

/// Fields of a party.
#[derive(InputObject, Default)]
pub struct PartyFields {
    /// Stable key, unique within the organisation (a slug); required.
    pub key: MaybeUndefined<String>,
    /// Legal name; required.
    pub name: MaybeUndefined<String>,
    /// What the party is to the organisation; required on creation.
    pub kind: MaybeUndefined<PartyKind>,
    /// Business ID; a Y-tunnus with a valid check digit when the country is FI.
    pub business_id: MaybeUndefined<String>,
    /// Country of establishment (ISO 3166-1 alpha-2).
    pub country: MaybeUndefined<String>,
    /// Postal address.
    pub address: MaybeUndefined<String>,
    /// E-mail address.
    pub email: MaybeUndefined<String>,
    /// Telephone number.
    pub phone: MaybeUndefined<String>,
    /// Website (absolute http or https URL).
    pub website: MaybeUndefined<String>,
    /// What the party does with the data, per language.
    pub description: MaybeUndefined<Vec<TranslationInput>>,
    /// The data processing agreement or other contract.
    pub contract_reference: MaybeUndefined<String>,
    /// The processor that engaged this sub-processor (a party of this organisation).
    pub parent_party_id: MaybeUndefined<ID>,
}

impl PartyFields {
    pub fn apply(self, m: &mut entity::party::Model) -> AppResult<()> {
        set(&mut m.key, "key", self.key)?;
        set(
            &mut m.name,
            "name",
            self.name.map_value(|s| s.trim().to_owned()),
        )?;
        set(&mut m.kind, "kind", self.kind.map_value(Into::into))?;
        set_opt(&mut m.business_id, self.business_id);
        set_opt(&mut m.country, self.country);
        set_opt(&mut m.address, self.address);
        set_opt(&mut m.email, self.email);
        set_opt(&mut m.phone, self.phone);
        set_opt(&mut m.website, self.website);
        set_text(&mut m.description, "description", self.description)?;
        set_opt(&mut m.contract_reference, self.contract_reference);
        set_ref(
            &mut m.parent_party_id,
            NodeKind::Party,
            "parentPartyId",
            self.parent_party_id,
        )
    }
}

/// Fields of a register.
#[derive(InputObject, Default)]
pub struct RegisterFields {
    /// URL-safe name, unique within the organisation; required.
    pub slug: MaybeUndefined<String>,
    /// Name, per language; required.
    pub name: MaybeUndefined<Vec<TranslationInput>>,
    /// What the register is for, per language.
    pub description: MaybeUndefined<Vec<TranslationInput>>,
    /// What the register is about; required on creation.
    pub kind: MaybeUndefined<RegisterKind>,
    /// Life cycle; DRAFT on creation. Publishing takes the `publish` permission.
    pub status: MaybeUndefined<RegisterStatus>,
    /// The contact that answers for the register.
    pub contact_id: MaybeUndefined<ID>,
    /// The languages of its notice (BCP 47 tags among `fi`, `sv`, `en`).
    pub languages: MaybeUndefined<Vec<String>>,
    /// How data subjects exercise their rights, per language.
    pub rights_instructions: MaybeUndefined<Vec<TranslationInput>>,
    /// Notes for staff; never public.
    pub internal_notes: MaybeUndefined<String>,
    /// When the register was last reviewed.
    pub last_reviewed_on: MaybeUndefined<NaiveDate>,
    /// When it is next due for review.
    pub next_review_on: MaybeUndefined<NaiveDate>,
}

impl RegisterFields {
    pub fn apply(self, m: &mut entity::register::Model) -> AppResult<()> {
        set(&mut m.slug, "slug", self.slug)?;
        set_text(&mut m.name, "name", self.name)?;
        set_text(&mut m.description, "description", self.description)?;
        set(&mut m.kind, "kind", self.kind.map_value(Into::into))?;
        set(&mut m.status, "status", self.status.map_value(Into::into))?;
        set_ref(
            &mut m.contact_id,
            NodeKind::Contact,
            "contactId",
            self.contact_id,
        )?;
        set(
            &mut m.languages,
            "languages",
            self.languages.map_value(LanguageList),
        )?;
        set_text(
            &mut m.rights_instructions,
            "rightsInstructions",
            self.rights_instructions,
        )?;
        set_opt(&mut m.internal_notes, self.internal_notes);
        set_maybe(&mut m.last_reviewed_on, self.last_reviewed_on);
        set_maybe(&mut m.next_review_on, self.next_review_on);
        Ok(())
    }
}

/// Fields of a data subject category.
#[derive(InputObject, Default)]
pub struct DataSubjectCategoryFields {
    /// Stable key, unique within the organisation (a slug); required.
    pub key: MaybeUndefined<String>,
    /// Name, per language; required.
    pub name: MaybeUndefined<Vec<TranslationInput>>,
    /// Description, per language.
    pub description: MaybeUndefined<Vec<TranslationInput>>,
}

impl DataSubjectCategoryFields {
    pub fn apply(self, m: &mut entity::data_subject_category::Model) -> AppResult<()> {
        set(&mut m.key, "key", self.key)?;
        set_text(&mut m.name, "name", self.name)?;
        set_text(&mut m.description, "description", self.description)
    }
}

/// Fields of a personal data category.
#[derive(InputObject, Default)]
pub struct PersonalDataCategoryFields {
    /// Stable key, unique within the organisation (a slug); required.
    pub key: MaybeUndefined<String>,
    /// Name, per language; required.
    pub name: MaybeUndefined<Vec<TranslationInput>>,
    /// Description, per language.
    pub description: MaybeUndefined<Vec<TranslationInput>>,
    /// Ordinary, special (Art. 9), criminal (Art. 10) or a national ID; ORDINARY on creation.
    pub kind: MaybeUndefined<DataCategoryKind>,
}

impl PersonalDataCategoryFields {
    pub fn apply(self, m: &mut entity::personal_data_category::Model) -> AppResult<()> {
        set(&mut m.key, "key", self.key)?;
        set_text(&mut m.name, "name", self.name)?;
        set_text(&mut m.description, "description", self.description)?;
        set(&mut m.kind, "kind", self.kind.map_value(Into::into))?;
        Ok(())
    }
}

/// Fields of a data source.
#[derive(InputObject, Default)]
pub struct DataSourceFields {
    /// Stable key, unique within the organisation (a slug); required.
    pub key: MaybeUndefined<String>,
    /// Name, per language; required.
    pub name: MaybeUndefined<Vec<TranslationInput>>,
    /// Description, per language.
    pub description: MaybeUndefined<Vec<TranslationInput>>,
    /// Where the data comes from; required on creation.
    pub kind: MaybeUndefined<SourceKind>,
    /// The party the data comes from (a party of this organisation).
    pub party_id: MaybeUndefined<ID>,
    /// Whether data from another organisation comes from a publicly accessible source
    /// (Art. 14(2)(f)); null: unknown. A source of kind PUBLIC is.
    pub publicly_accessible: MaybeUndefined<bool>,
}

impl DataSourceFields {
    pub fn apply(self, m: &mut entity::data_source::Model) -> AppResult<()> {
        set(&mut m.key, "key", self.key)?;
        set_text(&mut m.name, "name", self.name)?;
        set_text(&mut m.description, "description", self.description)?;
        set(&mut m.kind, "kind", self.kind.map_value(Into::into))?;
        set_maybe(&mut m.publicly_accessible, self.publicly_accessible);
        set_ref(&mut m.party_id, NodeKind::Party, "partyId", self.party_id)
    }
}

/// Fields of a recipient.
#[derive(InputObject, Default)]
pub struct RecipientFields {
    /// Stable key, unique within the organisation (a slug); required.
    pub key: MaybeUndefined<String>,
    /// Name, per language; required.
    pub name: MaybeUndefined<Vec<TranslationInput>>,
    /// Description, per language.
    pub description: MaybeUndefined<Vec<TranslationInput>>,
    /// What the recipient is; required on creation.
    pub kind: MaybeUndefined<RecipientKind>,
    /// The party that receives the data (a party of this organisation).
    pub party_id: MaybeUndefined<ID>,
}

impl RecipientFields {
    pub fn apply(self, m: &mut entity::recipient::Model) -> AppResult<()> {
        set(&mut m.key, "key", self.key)?;
        set_text(&mut m.name, "name", self.name)?;
        set_text(&mut m.description, "description", self.description)?;
        set(&mut m.kind, "kind", self.kind.map_value(Into::into))?;
        set_ref(&mut m.party_id, NodeKind::Party, "partyId", self.party_id)
    }
}

/// Fields of a security measure.
#[derive(InputObject, Default)]
pub struct SecurityMeasureFields {
    /// Stable key, unique within the organisation (a slug); required.
    pub key: MaybeUndefined<String>,
    /// Name, per language; required.
    pub name: MaybeUndefined<Vec<TranslationInput>>,
    /// The public summary, per language.
    pub description: MaybeUndefined<Vec<TranslationInput>>,
    /// Technical or organisational; required on creation.
    pub kind: MaybeUndefined<SecurityMeasureKind>,
    /// Internal details; never public.
    pub internal_details: MaybeUndefined<String>,
}

impl SecurityMeasureFields {
    pub fn apply(self, m: &mut entity::security_measure::Model) -> AppResult<()> {
        set(&mut m.key, "key", self.key)?;
        set_text(&mut m.name, "name", self.name)?;
        set_text(&mut m.description, "description", self.description)?;
        set(&mut m.kind, "kind", self.kind.map_value(Into::into))?;
        set_opt(&mut m.internal_details, self.internal_details);
        Ok(())
    }
}

/// Fields of a processing activity.
#[derive(InputObject, Default)]
pub struct ProcessingActivityFields {
    /// Stable key, unique within the register (a slug); required.
    pub key: MaybeUndefined<String>,
    /// Name, per language; required.
    pub name: MaybeUndefined<Vec<TranslationInput>>,
    /// The purpose of the processing, per language (Art. 13(1)(c)).
    pub purpose: MaybeUndefined<Vec<TranslationInput>>,
    /// The Art. 6(1) legal basis.
    pub legal_basis: MaybeUndefined<LegalBasis>,
    /// The legitimate interests pursued; required with LEGITIMATE_INTERESTS.
    pub legitimate_interests: MaybeUndefined<Vec<TranslationInput>>,
    /// The Art. 9(2) condition; required when a special category of data is linked.
    pub special_category_condition: MaybeUndefined<SpecialCategoryCondition>,
    /// The Art. 10 basis; required when criminal data is linked.
    pub criminal_data_basis: MaybeUndefined<Vec<TranslationInput>>,
    /// Why a national identity number is needed.
    pub national_id_justification: MaybeUndefined<Vec<TranslationInput>>,
    /// How consent is withdrawn; required with CONSENT.
    pub consent_withdrawal: MaybeUndefined<Vec<TranslationInput>>,
    /// Whether providing the data is required (Art. 13(2)(e)).
    pub provision_requirement: MaybeUndefined<ProvisionRequirement>,
    /// What follows if the data is not provided.
    pub provision_consequence: MaybeUndefined<Vec<TranslationInput>>,
    /// The organisation's role; CONTROLLER on creation.
    pub role: MaybeUndefined<ProcessingRole>,
    /// The controller acted for, or the joint controller; required unless the role is CONTROLLER.
    pub counterpart_party_id: MaybeUndefined<ID>,
    /// Whether decisions are based solely on automated processing (Art. 22); null: unknown.
    pub automated_decision_making: MaybeUndefined<bool>,
    /// Whether there is profiling (Art. 4(4)); null: unknown.
    pub profiling: MaybeUndefined<bool>,
    /// Whether data is transferred outside the EU/EEA: true with the transfers listed, false
    /// declares that none is; null: unknown (Art. 13(1)(f)).
    pub transfers_outside_eea: MaybeUndefined<bool>,
    /// Whether the purpose is direct marketing (Art. 21(2)); null: unknown.
    pub direct_marketing: MaybeUndefined<bool>,
    /// Whether the processing is carried out by automated means, false for paper records only
    /// (Art. 20(1)(b)); null: unknown.
    pub automated_means: MaybeUndefined<bool>,
    /// The logic involved; required with profiling or automated decisions (Art. 13(2)(f)).
    pub automated_logic: MaybeUndefined<Vec<TranslationInput>>,
    /// Significance and envisaged consequences of automated processing.
    pub automated_consequences: MaybeUndefined<Vec<TranslationInput>>,
    /// Where the DPIA stands; NOT_ASSESSED on creation.
    pub dpia_status: MaybeUndefined<DpiaStatus>,
    /// Reference to the DPIA document.
    pub dpia_reference: MaybeUndefined<String>,
    /// Where the legitimate interests assessment (Art. 6(1)(f)) is kept.
    pub lia_reference: MaybeUndefined<String>,
    /// Where the personal data is located: countries, data centres or systems.
    pub data_location: MaybeUndefined<String>,
    /// Notes for staff; never public.
    pub internal_notes: MaybeUndefined<String>,
    /// When the activity was last reviewed.
    pub last_reviewed_on: MaybeUndefined<NaiveDate>,
    /// When it is next due for review.
    pub next_review_on: MaybeUndefined<NaiveDate>,
    /// Every data subject category, personal data category, data source, recipient and
    /// security measure the activity is linked to; replaces the links it had.
    pub linked_ids: Option<Vec<ID>>,
}

impl ProcessingActivityFields {
    /// Applies the fields; returns the new set of links when `linkedIds` was given.
    pub fn apply(self, m: &mut entity::processing_activity::Model) -> AppResult<Option<Links>> {
        set(&mut m.key, "key", self.key)?;
        set_text(&mut m.name, "name", self.name)?;
        set_text(&mut m.purpose, "purpose", self.purpose)?;
        set_maybe(&mut m.legal_basis, self.legal_basis);
        set_text(
            &mut m.legitimate_interests,
            "legitimateInterests",
            self.legitimate_interests,
        )?;
        set_maybe(
            &mut m.special_category_condition,
            self.special_category_condition,
        );
        set_text(
            &mut m.criminal_data_basis,
            "criminalDataBasis",
            self.criminal_data_basis,
        )?;
        set_text(
            &mut m.national_id_justification,
            "nationalIdJustification",
            self.national_id_justification,
        )?;
        set_text(
            &mut m.consent_withdrawal,
            "consentWithdrawal",
            self.consent_withdrawal,
        )?;
        set_maybe(&mut m.provision_requirement, self.provision_requirement);
        set_text(
            &mut m.provision_consequence,
            "provisionConsequence",
            self.provision_consequence,
        )?;
        set(&mut m.role, "role", self.role.map_value(Into::into))?;
        set_ref(
            &mut m.counterpart_party_id,
            NodeKind::Party,
            "counterpartPartyId",
            self.counterpart_party_id,
        )?;
        set_maybe(
            &mut m.automated_decision_making,
            self.automated_decision_making,
        );
        set_maybe(&mut m.profiling, self.profiling);
        set_maybe(&mut m.transfers_outside_eea, self.transfers_outside_eea);
        set_maybe(&mut m.direct_marketing, self.direct_marketing);
        set_maybe(&mut m.automated_means, self.automated_means);
        set_text(
            &mut m.automated_logic,
            "automatedLogic",
            self.automated_logic,
        )?;
        set_text(
            &mut m.automated_consequences,
            "automatedConsequences",
            self.automated_consequences,
        )?;
        set(
            &mut m.dpia_status,
            "dpiaStatus",
            self.dpia_status.map_value(Into::into),
        )?;
        set_opt(&mut m.dpia_reference, self.dpia_reference);
        set_opt(&mut m.lia_reference, self.lia_reference);
        set_opt(&mut m.data_location, self.data_location);
        set_opt(&mut m.internal_notes, self.internal_notes);
        set_maybe(&mut m.last_reviewed_on, self.last_reviewed_on);
        set_maybe(&mut m.next_review_on, self.next_review_on);
        self.linked_ids
            .map(|ids| {
                let mut links = Links::default();
                links.add("linkedIds", &ids)?;
                Ok(links)
            })
            .transpose()
    }
}

impl Links {
    /// Adds the targets named by `ids`, each to the list of its kind; `field` names the input.
    pub fn add(&mut self, field: &str, ids: &[ID]) -> AppResult<()> {
        for (i, id) in ids.iter().enumerate() {
            let field = format!("{field}[{i}]");
            let (kind, uuid) = crate::ids::decode(id)
                .ok_or_else(|| AppError::invalid(&field, "is not an ID of this service"))?;
            let list = self.list_mut(kind).ok_or_else(|| {
                AppError::invalid(
                    &field,
                    "must name a data subject category, personal data category, data source, recipient or security measure",
                )
            })?;
            if list.contains(&uuid) {
                return Err(AppError::invalid(
                    &field,
                    format!("`{}` is listed twice", id.as_str()),
                ));
            }
            list.push(uuid);
        }
        Ok(())
    }

    /// Removes the targets named by `ids`, each of which must be linked.
    pub fn remove(&mut self, field: &str, ids: &[ID]) -> AppResult<()> {
        for (i, id) in ids.iter().enumerate() {
            let field = format!("{field}[{i}]");
            let (kind, uuid) = crate::ids::decode(id)
                .ok_or_else(|| AppError::invalid(&field, "is not an ID of this service"))?;
            let list = self
                .list_mut(kind)
                .ok_or_else(|| AppError::invalid(&field, "is not linked to the activity"))?;
            let Some(at) = list.iter().position(|t| *t == uuid) else {
                return Err(AppError::invalid(&field, "is not linked to the activity"));
            };
            list.remove(at);
        }
        Ok(())
    }

    fn list_mut(&mut self, kind: NodeKind) -> Option<&mut Vec<uuid::Uuid>> {
        match kind {
            NodeKind::DataSubjectCategory => Some(&mut self.data_subject_categories),
            NodeKind::PersonalDataCategory => Some(&mut self.personal_data_categories),
            NodeKind::DataSource => Some(&mut self.data_sources),
            NodeKind::Recipient => Some(&mut self.recipients),
            NodeKind::SecurityMeasure => Some(&mut self.security_measures),
            _ => None,
        }
    }
}

/// Fields of a transfer outside the EU/EEA.
#[derive(InputObject, Default)]
pub struct TransferFields {
    /// The recipient the data goes to (a recipient of this organisation).
    pub recipient_id: MaybeUndefined<ID>,
    /// Destination country (ISO 3166-1 alpha-2, outside the EU/EEA).
    pub country: MaybeUndefined<String>,
    /// Destination international organisation, when there is no country.
    pub international_organisation: MaybeUndefined<String>,
    /// The Chapter V mechanism; required, and ADEQUACY_DECISION only where a decision is in force.
    pub mechanism: MaybeUndefined<TransferMechanism>,
    /// Where the safeguards are documented.
    pub safeguards_reference: MaybeUndefined<String>,
    /// How to obtain a copy of the safeguards, per language (Art. 13(1)(f)).
    pub safeguards_copy: MaybeUndefined<Vec<TranslationInput>>,
    /// Description, per language; required under an Art. 49 derogation.
    pub description: MaybeUndefined<Vec<TranslationInput>>,
}

impl TransferFields {
    pub fn apply(self, m: &mut entity::transfer::Model) -> AppResult<()> {
        set_ref(
            &mut m.recipient_id,
            NodeKind::Recipient,
            "recipientId",
            self.recipient_id,
        )?;
        set_opt(&mut m.country, self.country);
        if let Some(country) = &mut m.country {
            *country = country.to_ascii_uppercase();
        }
        set_opt(
            &mut m.international_organisation,
            self.international_organisation,
        );
        set_maybe(&mut m.mechanism, self.mechanism);
        set_opt(&mut m.safeguards_reference, self.safeguards_reference);
        set_text(
            &mut m.safeguards_copy,
            "safeguardsCopy",
            self.safeguards_copy,
        )?;
        set_text(&mut m.description, "description", self.description)
    }
}

/// Fields of a retention rule.
#[derive(InputObject, Default)]
pub struct RetentionRuleFields {
    /// The data category the rule is for (a personal data category of this organisation);
    /// none means all the activity's data.
    pub data_category_id: MaybeUndefined<ID>,
    /// How long, as an ISO 8601 duration (`P6Y`); this or `criteria` is required.
    pub period: MaybeUndefined<String>,
    /// The criteria used to determine the period, per language.
    pub criteria: MaybeUndefined<Vec<TranslationInput>>,
    /// From when the period runs, per language.
    pub starts_from: MaybeUndefined<Vec<TranslationInput>>,
    /// The law that requires the data be kept for the period, as the notice cites it, per
    /// language (Art. 17(3)(b)).
    pub required_by: MaybeUndefined<Vec<TranslationInput>>,
}

impl RetentionRuleFields {
    pub fn apply(self, m: &mut entity::retention_rule::Model) -> AppResult<()> {
        set_ref(
            &mut m.data_category_id,
            NodeKind::PersonalDataCategory,
            "dataCategoryId",
            self.data_category_id,
        )?;
        set_opt(&mut m.period, self.period);
        set_text(&mut m.criteria, "criteria", self.criteria)?;
        set_text(&mut m.starts_from, "startsFrom", self.starts_from)?;
        set_text(&mut m.required_by, "requiredBy", self.required_by)
    }
}
