//! The rules a node must satisfy after every change made through the API: formats, lengths,
//! required fields, references inside the organisation, and coherence with the law.
//!
//! Rules look at the state a change would leave, not at the input, so creating and updating a
//! node obey the same rules. Field names in errors are the input fields of the mutation; the
//! importer maps them to the document's paths. The legal conditions are those of
//! [`crate::domain::law`] that block a save, enforced once the node's register is in use (not a
//! draft); the checks report the same conditions.

use std::collections::HashSet;

use chrono::NaiveDate;
use sea_orm::sea_query::{Alias, Expr};
use sea_orm::{ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::domain::adequacy::AdequacyList;
use crate::domain::{countries, formats, law};
use crate::error::{AppError, AppResult};
use crate::links::Links;
use crate::write::{Stored, Write};
use entity::*;

/// The longest free text in one language.
pub const MAX_TEXT: usize = 20_000;
/// The longest name.
pub const MAX_NAME: usize = 300;
/// The longest short reference (a contract or DPIA reference, a phone number).
pub const MAX_SHORT: usize = 500;

/// What the rules need besides the node: the open write, the adequacy list and today's date.
pub struct Rules<'a> {
    pub w: &'a Write,
    pub adequacy: &'a AdequacyList,
    pub today: NaiveDate,
}

fn required_text(field: &str, text: &LocalizedText) -> AppResult<()> {
    text_ok(field, text)?;
    if text.is_empty() {
        return Err(AppError::invalid(field, "is required"));
    }
    Ok(())
}

fn text_ok(field: &str, text: &LocalizedText) -> AppResult<()> {
    formats::localized(field, text, MAX_TEXT)
}

fn optional(field: &str, value: &Option<String>, max: usize) -> AppResult<()> {
    match value {
        Some(v) => formats::length(field, v, 1, max),
        None => Ok(()),
    }
}

fn key(field: &str, value: &str) -> AppResult<()> {
    if value.is_empty() {
        return Err(AppError::invalid(field, "is required"));
    }
    formats::slug(field, value)
}

fn email_and_website(email: &Option<String>, website: Option<&Option<String>>) -> AppResult<()> {
    if let Some(email) = email {
        formats::email("email", email)?;
    }
    if let Some(Some(website)) = website {
        formats::url("website", website)?;
    }
    Ok(())
}

impl Rules<'_> {
    /// `id`, when given, must name a node of `M`'s kind in `organisation`.
    pub async fn reference<M: Stored>(
        &self,
        field: &str,
        id: Option<Uuid>,
        organisation: Uuid,
    ) -> AppResult<Option<M>> {
        let Some(id) = id else { return Ok(None) };
        Ok(self
            .references::<M>(field, &[id], organisation)
            .await?
            .pop())
    }

    /// Every one of `ids` must name a node of `M`'s kind in `organisation`; one query for all.
    pub async fn references<M: Stored>(
        &self,
        field: &str,
        ids: &[Uuid],
        organisation: Uuid,
    ) -> AppResult<Vec<M>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        // Nodes this write created (a bulk load) are known without asking the database.
        let known: Option<Vec<M>> = ids.iter().map(|id| self.w.created::<M>(*id)).collect();
        if let Some(known) = known.filter(|k| k.iter().all(|n| n.organisation_id() == organisation))
        {
            return Ok(known);
        }
        let found = M::Entity::find()
            .filter(Expr::col(Alias::new("id")).is_in(ids.iter().copied()))
            .all(&self.w.txn)
            .await?;
        let ours = |id: &Uuid| {
            found
                .iter()
                .any(|n| n.id() == *id && n.organisation_id() == organisation)
        };
        if let Some(id) = ids.iter().find(|id| !ours(id)) {
            return Err(AppError::invalid(
                field,
                format!(
                    "must name a {} of the same organisation; {} is none",
                    M::NOUN,
                    crate::ids::encode(M::KIND, *id)
                ),
            ));
        }
        Ok(found)
    }

    /// No other row of `M` in the same scope (`scope_column` = `scope`) has this `column` value.
    async fn unique<M: Stored>(
        &self,
        field: &str,
        column: &str,
        value: &str,
        scope: Option<(&str, Uuid)>,
        id: Uuid,
    ) -> AppResult<()> {
        // In a scope this write created (a bulk load), every node there is one it wrote.
        let known = scope.and_then(|(scope_column, scope)| {
            self.w.created_with::<M>(scope_column, scope, column, value)
        });
        let taken = match known {
            Some(other) => other.is_some_and(|other| other != id),
            None => {
                let mut query = M::Entity::find()
                    .filter(Expr::col(Alias::new(column)).eq(value))
                    .filter(Expr::col(Alias::new("id")).ne(id));
                if let Some((scope_column, scope)) = scope {
                    query = query.filter(Expr::col(Alias::new(scope_column)).eq(scope));
                }
                query.one(&self.w.txn).await?.is_some()
            }
        };
        if taken {
            let within = match scope {
                Some(("register_id", _)) => " in this register",
                Some(_) => " in this organisation",
                None => "",
            };
            return Err(AppError::invalid(
                field,
                format!("`{value}` is already used by another {}{within}", M::NOUN),
            ));
        }
        Ok(())
    }

    /// Whether the register is in use (not a draft), so that the conditions that block a save
    /// are enforced on its nodes ([`law::enforced`]).
    async fn in_use(&self, register: Uuid, organisation: Uuid) -> AppResult<bool> {
        Ok(self
            .reference::<register::Model>("registerId", Some(register), organisation)
            .await?
            .is_some_and(|r| law::enforced(r.status)))
    }

    async fn unique_key<M: Stored>(
        &self,
        value: &str,
        organisation: Uuid,
        id: Uuid,
    ) -> AppResult<()> {
        key("key", value)?;
        self.unique::<M>(
            "key",
            "key",
            value,
            Some(("organisation_id", organisation)),
            id,
        )
        .await
    }

    pub async fn organisation(&self, m: &organisation::Model) -> AppResult<()> {
        key("slug", &m.slug)?;
        self.unique::<organisation::Model>("slug", "slug", &m.slug, None, m.id)
            .await?;
        formats::length("name", &m.name, 1, MAX_NAME)?;
        formats::country("country", &m.country)?;
        formats::language("defaultLanguage", &m.default_language)?;
        if let Some(id) = &m.business_id {
            formats::business_id("businessId", id, Some(&m.country))?;
        }
        email_and_website(&m.email, Some(&m.website))?;
        optional("address", &m.address, MAX_SHORT)?;
        optional("phone", &m.phone, 50)?;
        for (field, id) in [
            ("contactId", m.contact_id),
            ("dpoContactId", m.dpo_contact_id),
            ("representativeContactId", m.representative_contact_id),
        ] {
            self.reference::<contact::Model>(field, id, m.id).await?;
        }
        let authority = self
            .reference::<party::Model>("supervisoryAuthorityId", m.supervisory_authority_id, m.id)
            .await?;
        if let Some(authority) = authority {
            if authority.kind != PartyKind::Authority {
                return Err(AppError::invalid(
                    "supervisoryAuthorityId",
                    "must name a party of kind AUTHORITY",
                ));
            }
        }
        Ok(())
    }

    pub async fn contact(&self, m: &contact::Model) -> AppResult<()> {
        self.unique_key::<contact::Model>(&m.key, m.organisation_id, m.id)
            .await?;
        formats::length("name", &m.name, 1, MAX_NAME)?;
        text_ok("title", &m.title)?;
        email_and_website(&m.email, None)?;
        optional("phone", &m.phone, 50)?;
        optional("address", &m.address, MAX_SHORT)
    }

    pub async fn party(&self, m: &party::Model) -> AppResult<()> {
        self.unique_key::<party::Model>(&m.key, m.organisation_id, m.id)
            .await?;
        formats::length("name", &m.name, 1, MAX_NAME)?;
        if let Some(country) = &m.country {
            formats::country("country", country)?;
        }
        if let Some(id) = &m.business_id {
            formats::business_id("businessId", id, m.country.as_deref())?;
        }
        email_and_website(&m.email, Some(&m.website))?;
        optional("address", &m.address, MAX_SHORT)?;
        optional("phone", &m.phone, 50)?;
        optional("contractReference", &m.contract_reference, MAX_SHORT)?;
        text_ok("description", &m.description)?;
        // The chain of parents must end, and never come back to this party.
        let mut seen = HashSet::from([m.id]);
        let mut parent = m.parent_party_id;
        while let Some(id) = parent {
            if !seen.insert(id) {
                return Err(AppError::invalid(
                    "parentPartyId",
                    "would make a party its own (indirect) parent",
                ));
            }
            parent = self
                .reference::<party::Model>("parentPartyId", Some(id), m.organisation_id)
                .await?
                .and_then(|node| node.parent_party_id);
        }
        Ok(())
    }

    pub async fn register(&self, m: &register::Model) -> AppResult<()> {
        key("slug", &m.slug)?;
        self.unique::<register::Model>(
            "slug",
            "slug",
            &m.slug,
            Some(("organisation_id", m.organisation_id)),
            m.id,
        )
        .await?;
        required_text("name", &m.name)?;
        text_ok("description", &m.description)?;
        text_ok("rightsInstructions", &m.rights_instructions)?;
        optional("internalNotes", &m.internal_notes, MAX_TEXT)?;
        let mut seen = HashSet::new();
        for (i, lang) in m.languages.0.iter().enumerate() {
            formats::language(&format!("languages[{i}]"), lang)?;
            if !seen.insert(lang) {
                return Err(AppError::invalid(
                    format!("languages[{i}]"),
                    format!("`{lang}` is listed twice"),
                ));
            }
        }
        review_dates(m.last_reviewed_on, m.next_review_on)?;
        self.reference::<contact::Model>("contactId", m.contact_id, m.organisation_id)
            .await?;
        if law::enforced(m.status) {
            self.leaving_draft(m).await?;
        }
        Ok(())
    }

    /// A draft may hold what blocks a save in a register in use; it leaves the draft status only
    /// once none of its nodes does, or the draft would be a way around the rules. A refusal
    /// names `status` and the first node that still holds a gap.
    async fn leaving_draft(&self, m: &register::Model) -> AppResult<()> {
        let stored = crate::write::find::<register::Model>(self.w, m.id).await?;
        // A new register has no nodes yet; one in use had each node checked as it was saved.
        if stored.is_none_or(|r| law::enforced(r.status)) {
            return Ok(());
        }
        let refuse = |what: String, field: &str, message: &str| {
            Err(AppError::invalid(
                "status",
                format!(
                    "cannot leave DRAFT while {what} does not meet the rules: {field} {message}"
                ),
            ))
        };
        let activities = processing_activity::Entity::find()
            .filter(Expr::col(Alias::new("register_id")).eq(m.id))
            .all(&self.w.txn)
            .await?;
        let mut links =
            crate::links::links_of_many(&self.w.txn, activities.iter().map(|a| a.id)).await?;
        let kinds: std::collections::HashMap<Uuid, DataCategoryKind> =
            personal_data_category::Entity::find()
                .filter(Expr::col(Alias::new("organisation_id")).eq(m.organisation_id))
                .all(&self.w.txn)
                .await?
                .into_iter()
                .map(|c| (c.id, c.kind))
                .collect();
        for a in &activities {
            let what = format!("processing activity `{}`", a.key);
            if let Some((field, message)) = counterpart_missing(a) {
                return refuse(what, field, message);
            }
            let linked = links.remove(&a.id).unwrap_or_default();
            let facts = law::ActivityFacts {
                activity: a,
                kinds: linked
                    .personal_data_categories
                    .iter()
                    .filter_map(|id| kinds.get(id).copied())
                    .collect(),
            };
            if let Some(unmet) = law::activity_refusal(&facts) {
                return refuse(what, unmet.field, unmet.message);
            }
        }
        let transfers = transfer::Entity::find()
            .filter(Expr::col(Alias::new("register_id")).eq(m.id))
            .all(&self.w.txn)
            .await?;
        for t in &transfers {
            let facts = law::TransferFacts {
                transfer: t,
                adequacy: self.adequacy,
                today: self.today,
            };
            if let Some(unmet) = law::transfer_refusal(&facts) {
                return refuse(
                    format!("transfer {}", t.public_id()),
                    unmet.field,
                    unmet.message,
                );
            }
        }
        let retention = retention_rule::Entity::find()
            .filter(Expr::col(Alias::new("register_id")).eq(m.id))
            .all(&self.w.txn)
            .await?;
        if let Some(r) = retention.iter().find(|r| retention_empty(r)) {
            return refuse(
                format!("retention rule {}", r.public_id()),
                "period",
                RETENTION_EMPTY,
            );
        }
        Ok(())
    }

    /// What every shared vocabulary node must have: a unique key, a name, a valid description.
    async fn vocabulary<M: Stored>(
        &self,
        m: &M,
        key: &str,
        name: &LocalizedText,
        description: &LocalizedText,
    ) -> AppResult<()> {
        self.unique_key::<M>(key, m.organisation_id(), m.id())
            .await?;
        required_text("name", name)?;
        text_ok("description", description)
    }

    pub async fn data_subject_category(&self, m: &data_subject_category::Model) -> AppResult<()> {
        self.vocabulary(m, &m.key, &m.name, &m.description).await
    }

    pub async fn personal_data_category(&self, m: &personal_data_category::Model) -> AppResult<()> {
        self.vocabulary(m, &m.key, &m.name, &m.description).await
    }

    pub async fn data_source(&self, m: &data_source::Model) -> AppResult<()> {
        self.vocabulary(m, &m.key, &m.name, &m.description).await?;
        self.reference::<party::Model>("partyId", m.party_id, m.organisation_id)
            .await?;
        Ok(())
    }

    pub async fn recipient(&self, m: &recipient::Model) -> AppResult<()> {
        self.vocabulary(m, &m.key, &m.name, &m.description).await?;
        self.reference::<party::Model>("partyId", m.party_id, m.organisation_id)
            .await?;
        Ok(())
    }

    pub async fn security_measure(&self, m: &security_measure::Model) -> AppResult<()> {
        self.vocabulary(m, &m.key, &m.name, &m.description).await?;
        optional("internalDetails", &m.internal_details, MAX_TEXT)
    }

    /// An activity with the links it will have; `links_field` names the input that set them.
    pub async fn processing_activity(
        &self,
        m: &processing_activity::Model,
        links: &Links,
        links_field: &str,
    ) -> AppResult<()> {
        key("key", &m.key)?;
        self.unique::<processing_activity::Model>(
            "key",
            "key",
            &m.key,
            Some(("register_id", m.register_id)),
            m.id,
        )
        .await?;
        required_text("name", &m.name)?;
        for (field, text) in [
            ("purpose", &m.purpose),
            ("legitimateInterests", &m.legitimate_interests),
            ("criminalDataBasis", &m.criminal_data_basis),
            ("nationalIdJustification", &m.national_id_justification),
            ("consentWithdrawal", &m.consent_withdrawal),
            ("provisionConsequence", &m.provision_consequence),
            ("automatedLogic", &m.automated_logic),
            ("automatedConsequences", &m.automated_consequences),
        ] {
            text_ok(field, text)?;
        }
        optional("dpiaReference", &m.dpia_reference, MAX_SHORT)?;
        optional("liaReference", &m.lia_reference, MAX_SHORT)?;
        optional("dataLocation", &m.data_location, 2_000)?;
        optional("internalNotes", &m.internal_notes, MAX_TEXT)?;
        review_dates(m.last_reviewed_on, m.next_review_on)?;

        let enforced = self.in_use(m.register_id, m.organisation_id).await?;
        self.reference::<party::Model>(
            "counterpartPartyId",
            m.counterpart_party_id,
            m.organisation_id,
        )
        .await?;
        if let Some((field, message)) = counterpart_missing(m).filter(|_| enforced) {
            return Err(AppError::invalid(field, message));
        }

        let organisation = m.organisation_id;
        self.references::<data_subject_category::Model>(
            links_field,
            &links.data_subject_categories,
            organisation,
        )
        .await?;
        let kinds: HashSet<DataCategoryKind> = self
            .references::<personal_data_category::Model>(
                links_field,
                &links.personal_data_categories,
                organisation,
            )
            .await?
            .into_iter()
            .map(|c| c.kind)
            .collect();
        self.references::<data_source::Model>(links_field, &links.data_sources, organisation)
            .await?;
        self.references::<recipient::Model>(links_field, &links.recipients, organisation)
            .await?;
        self.references::<security_measure::Model>(
            links_field,
            &links.security_measures,
            organisation,
        )
        .await?;
        let facts = law::ActivityFacts { activity: m, kinds };
        match law::activity_refusal(&facts) {
            Some(unmet) if enforced => Err(AppError::invalid(unmet.field, unmet.message)),
            _ => Ok(()),
        }
    }

    pub async fn transfer(&self, m: &transfer::Model) -> AppResult<()> {
        optional(
            "internationalOrganisation",
            &m.international_organisation,
            MAX_NAME,
        )?;
        optional("safeguardsReference", &m.safeguards_reference, MAX_SHORT)?;
        text_ok("safeguardsCopy", &m.safeguards_copy)?;
        text_ok("description", &m.description)?;
        self.reference::<recipient::Model>("recipientId", m.recipient_id, m.organisation_id)
            .await?;
        if let Some(country) = &m.country {
            formats::country("country", country)?;
            // Always refused, drafts included: this is no Chapter V transfer at all.
            if countries::is_eea(country) {
                return Err(AppError::invalid(
                    "country",
                    format!("{country} is in the EU/EEA: disclosing data there is not a transfer under Chapter V"),
                ));
            }
        }
        if !self.in_use(m.register_id, m.organisation_id).await? {
            return Ok(());
        }
        let facts = law::TransferFacts {
            transfer: m,
            adequacy: self.adequacy,
            today: self.today,
        };
        match law::transfer_refusal(&facts) {
            Some(unmet) => {
                let destination = m
                    .country
                    .as_deref()
                    .or(m.international_organisation.as_deref())
                    .unwrap_or("the destination");
                Err(AppError::invalid(
                    unmet.field,
                    unmet.message.replace("{destination}", destination),
                ))
            }
            None => Ok(()),
        }
    }

    pub async fn retention_rule(&self, m: &retention_rule::Model) -> AppResult<()> {
        if let Some(period) = &m.period {
            formats::duration("period", period)?;
        }
        text_ok("criteria", &m.criteria)?;
        text_ok("startsFrom", &m.starts_from)?;
        text_ok("requiredBy", &m.required_by)?;
        // A rule that says neither is no rule; a draft may hold one while it is written.
        if retention_empty(m) && self.in_use(m.register_id, m.organisation_id).await? {
            return Err(AppError::invalid("period", RETENTION_EMPTY));
        }
        self.reference::<personal_data_category::Model>(
            "dataCategoryId",
            m.data_category_id,
            m.organisation_id,
        )
        .await?;
        Ok(())
    }
}

/// The counterpart an activity's role asks for and it does not name: the processor's record
/// names each controller it acts for (Art. 30(2)(a)); a joint controller names the other
/// (Art. 26). Like the legal conditions, enforced once the register is in use.
fn counterpart_missing(m: &processing_activity::Model) -> Option<(&'static str, &'static str)> {
    match (m.role, m.counterpart_party_id) {
        (ProcessingRole::Processor, None) => Some((
            "counterpartPartyId",
            "is required when the role is PROCESSOR: the controller the organisation acts for (Art. 30(2)(a))",
        )),
        (ProcessingRole::JointController, None) => Some((
            "counterpartPartyId",
            "is required when the role is JOINT_CONTROLLER: the other controller (Art. 26)",
        )),
        _ => None,
    }
}

const RETENTION_EMPTY: &str =
    "is required (or criteria): how long the data is kept (Art. 13(2)(a))";

/// A retention rule that gives neither a period nor criteria.
fn retention_empty(m: &retention_rule::Model) -> bool {
    m.period.is_none() && m.criteria.is_empty()
}

fn review_dates(last: Option<NaiveDate>, next: Option<NaiveDate>) -> AppResult<()> {
    if let (Some(last), Some(next)) = (last, next) {
        if next < last {
            return Err(AppError::invalid(
                "nextReviewOn",
                "must not be before lastReviewedOn",
            ));
        }
    }
    Ok(())
}

/// What still names a node of a kind, and so keeps it from being deleted: (table, column, noun).
pub fn referrers(table: &str) -> &'static [(&'static str, &'static str, &'static str)] {
    match table {
        "contact" => &[
            ("organisation", "contact_id", "the organisation's contact"),
            ("organisation", "dpo_contact_id", "the organisation's DPO"),
            (
                "organisation",
                "representative_contact_id",
                "the organisation's representative",
            ),
            ("register", "contact_id", "register"),
        ],
        "party" => &[
            (
                "organisation",
                "supervisory_authority_id",
                "the organisation's supervisory authority",
            ),
            ("party", "parent_party_id", "party"),
            ("data_source", "party_id", "data source"),
            ("recipient", "party_id", "recipient"),
            (
                "processing_activity",
                "counterpart_party_id",
                "processing activity",
            ),
        ],
        "register" => &[("processing_activity", "register_id", "processing activity")],
        "processing_activity" => &[
            ("transfer", "activity_id", "transfer"),
            ("retention_rule", "activity_id", "retention rule"),
        ],
        "data_subject_category" => &[(
            "activity_data_subject",
            "data_subject_category_id",
            "processing activity",
        )],
        "personal_data_category" => &[
            (
                "activity_data_category",
                "personal_data_category_id",
                "processing activity",
            ),
            ("retention_rule", "data_category_id", "retention rule"),
        ],
        "data_source" => &[("activity_source", "data_source_id", "processing activity")],
        "recipient" => &[
            ("activity_recipient", "recipient_id", "processing activity"),
            ("transfer", "recipient_id", "transfer"),
        ],
        "security_measure" => &[(
            "activity_security_measure",
            "security_measure_id",
            "processing activity",
        )],
        _ => &[],
    }
}

/// Refuses to delete a node that something still names (deleting would cascade and lose data).
pub async fn unreferenced<C: ConnectionTrait>(db: &C, table: &str, id: Uuid) -> AppResult<()> {
    for (referrer, column, noun) in referrers(table) {
        let n = crate::write::count_references(db, referrer, column, id).await?;
        if n > 0 {
            return Err(AppError::invalid(
                "id",
                format!("is still named by {n} {noun}(s); remove those references first"),
            ));
        }
    }
    Ok(())
}
