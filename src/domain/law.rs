//! The legal conditions a processing activity and a transfer must meet, each written once: the
//! save rules ([`crate::save_rules`]) refuse a save that leaves a blocking condition unmet, and
//! the compliance checks ([`crate::checks`]) report every unmet condition as a finding.
//!
//! Each predicate is pure: it takes the facts of one node (the stored model and what it links)
//! and answers whether the condition is unmet. [`PREDICATES`] lists them all with their article
//! and the decision whether the condition BLOCKS a save or only REPORTS a finding.
//!
//! The decision follows one line. A condition blocks when the record would otherwise say
//! something the law does not allow to be said without its counterpart (a basis named without
//! what it requires: legitimate interests without the interests, consent without how it is
//! withdrawn, special or criminal data without the condition that permits it, a Chapter V
//! mechanism that does not hold for the destination). A condition only reports when the gap is
//! information the organisation may honestly not have yet and the record must be able to show as
//! missing (where the data goes, what an automated decision means for the person, why the
//! personal identity code is needed): refusing those would push the record to be silent about
//! processing that happens, which is worse than recording it with a finding.
//!
//! Blocking applies to registers in use (published or archived). A draft register may hold any
//! unmet condition, reported by the checks, so that a record can be built up (or imported from
//! an old notice) step by step; see [`enforced`].

use std::collections::HashSet;

use chrono::NaiveDate;
use entity::{
    processing_activity, transfer, DataCategoryKind, LegalBasis, ProcessingRole, RegisterStatus,
    SpecialCategoryCondition, TransferMechanism,
};

use super::adequacy::AdequacyList;
use super::countries;

/// What the activity predicates read: the activity and the kinds of personal data it links.
pub struct ActivityFacts<'a> {
    pub activity: &'a processing_activity::Model,
    /// The kinds of the personal data categories the activity is linked to.
    pub kinds: HashSet<DataCategoryKind>,
}

impl ActivityFacts<'_> {
    fn processes(&self, kind: DataCategoryKind) -> bool {
        self.kinds.contains(&kind)
    }

    /// The organisation decides the purposes and means (alone or jointly): the duties of
    /// Art. 6–10 and 13–14 are its own. Processing done for another controller is that
    /// controller's to justify (the processor's record, Art. 30(2), names no legal basis).
    fn controlled(&self) -> bool {
        self.activity.role != ProcessingRole::Processor
    }
}

/// What the transfer predicates read: the transfer, the adequacy decisions and the day.
pub struct TransferFacts<'a> {
    pub transfer: &'a transfer::Model,
    pub adequacy: &'a AdequacyList,
    pub today: NaiveDate,
}

impl TransferFacts<'_> {
    /// The country or international organisation the data goes to, if the record names one.
    fn destination(&self) -> Option<&str> {
        self.transfer
            .country
            .as_deref()
            .or(self.transfer.international_organisation.as_deref())
    }

    /// A destination inside the EU/EEA is not a Chapter V transfer: no mechanism is asked of it.
    fn inside_eea(&self) -> bool {
        self.transfer
            .country
            .as_deref()
            .is_some_and(countries::is_eea)
    }
}

/// Whether blocking conditions are enforced on a node of a register with this status: not in a
/// draft, which may hold every gap the checks report.
pub fn enforced(status: RegisterStatus) -> bool {
    status != RegisterStatus::Draft
}

/// GDPR Art. 6(1)(f) and 13(1)(d): where the basis is legitimate interests, the interests
/// pursued must be stated. BLOCKS: naming the basis without the interests says nothing the
/// balancing test could rest on.
pub fn legitimate_interests_unstated(f: &ActivityFacts) -> bool {
    let a = f.activity;
    f.controlled()
        && a.legal_basis == Some(LegalBasis::LegitimateInterests)
        && a.legitimate_interests.is_empty()
}

/// GDPR Art. 7(3) and 13(2)(c): where the processing rests on consent, whether under
/// Art. 6(1)(a) or as explicit consent under Art. 9(2)(a), the person must be told how to
/// withdraw it. BLOCKS: consent that cannot be withdrawn as easily as given is no consent.
pub fn consent_withdrawal_unstated(f: &ActivityFacts) -> bool {
    let a = f.activity;
    let consent = a.legal_basis == Some(LegalBasis::Consent)
        || a.special_category_condition == Some(SpecialCategoryCondition::ExplicitConsent);
    f.controlled() && consent && a.consent_withdrawal.is_empty()
}

/// GDPR Art. 9(1)–(2): special categories of personal data are processed only under one of the
/// conditions of Art. 9(2). BLOCKS: without a condition the processing is prohibited.
pub fn special_category_without_condition(f: &ActivityFacts) -> bool {
    f.controlled()
        && f.processes(DataCategoryKind::Special)
        && f.activity.special_category_condition.is_none()
}

/// GDPR Art. 10: data on criminal convictions and offences is processed only under official
/// authority or where Union or member state law authorises it. BLOCKS: without the provision the
/// processing is prohibited.
pub fn criminal_data_without_basis(f: &ActivityFacts) -> bool {
    f.controlled()
        && f.processes(DataCategoryKind::Criminal)
        && f.activity.criminal_data_basis.is_empty()
}

/// GDPR Art. 87 and the Finnish Data Protection Act (tietosuojalaki 1050/2018) 29 §: the
/// personal identity code may be processed only in the cases listed there, and the record
/// should say which. REPORTS: old notices list the code without the reason (seeds 000 and 002),
/// and the record must be able to show that gap rather than hide the code.
pub fn national_id_unjustified(f: &ActivityFacts) -> bool {
    f.controlled()
        && f.processes(DataCategoryKind::NationalId)
        && f.activity.national_id_justification.is_empty()
}

/// GDPR Art. 22 and 13(2)(f), 14(2)(g): decisions based solely on automated processing need
/// "meaningful information about the logic involved, as well as the significance and the
/// envisaged consequences": both the logic and the consequences. REPORTS: the notice owes the
/// information, and a record that declares the decisions without it must still be able to
/// declare them.
pub fn automated_decision_unexplained(f: &ActivityFacts) -> bool {
    let a = f.activity;
    f.controlled()
        && a.automated_decision_making == Some(true)
        && (a.automated_logic.is_empty() || a.automated_consequences.is_empty())
}

/// GDPR Art. 4(4), 13(2)(f), 14(2)(g): profiling without decisions under Art. 22. The duty to
/// give the logic is worded for the Art. 22 decisions; for other profiling it is what fair and
/// transparent processing (Art. 5(1)(a), recital 60) expects. REPORTS, as a warning: seed 004
/// and 001 declare ad targeting and analytics profiling and give no logic.
pub fn profiling_unexplained(f: &ActivityFacts) -> bool {
    let a = f.activity;
    f.controlled()
        && a.profiling == Some(true)
        && a.automated_decision_making != Some(true)
        && (a.automated_logic.is_empty() || a.automated_consequences.is_empty())
}

/// GDPR Art. 13(1)(f), 14(1)(f) and 30(1)(e): a transfer names the third country or
/// international organisation. REPORTS: old notices say only that data may leave the EU/EEA
/// (every seed), which is a transfer to record with the destination missing.
pub fn transfer_without_destination(f: &TransferFacts) -> bool {
    f.transfer.country.is_none() && f.transfer.international_organisation.is_none()
}

/// GDPR Art. 44 and 46: a transfer to a named destination outside the EU/EEA rests on a
/// Chapter V mechanism. BLOCKS: a transfer to a known third country on no ground is unlawful.
pub fn transfer_to_destination_without_mechanism(f: &TransferFacts) -> bool {
    f.transfer.mechanism.is_none() && f.destination().is_some() && !f.inside_eea()
}

/// GDPR Art. 44 and 46, where the destination is not named either: the mechanism is missing,
/// and which one would hold cannot be decided yet. REPORTS, as the missing destination does.
pub fn transfer_without_destination_or_mechanism(f: &TransferFacts) -> bool {
    f.transfer.mechanism.is_none() && f.destination().is_none()
}

/// GDPR Art. 45: a transfer on an adequacy decision needs a decision in force for the
/// destination on the day. BLOCKS: claiming a decision that does not exist is a false record.
pub fn adequacy_not_in_force(f: &TransferFacts) -> bool {
    f.transfer.mechanism == Some(TransferMechanism::AdequacyDecision)
        && !f.inside_eea()
        && f.destination()
            .is_some_and(|d| f.adequacy.in_force(d, f.today).is_none())
}

/// GDPR Art. 49(1) and 30(1)(e): a transfer on a derogation for a specific situation is
/// documented: why it is necessary. BLOCKS: a derogation is an exception the controller must be
/// able to show applies.
pub fn derogation_undocumented(f: &TransferFacts) -> bool {
    f.transfer.mechanism.is_some_and(|m| m.is_derogation()) && f.transfer.description.is_empty()
}

/// A predicate over the facts of one kind of node.
#[derive(Clone, Copy)]
pub enum Unmet {
    Activity(fn(&ActivityFacts) -> bool),
    Transfer(fn(&TransferFacts) -> bool),
}

/// One legal condition: what the save rules and the checks both need to know of it.
pub struct Predicate {
    /// The predicate's function name.
    pub name: &'static str,
    /// The provision it rests on.
    pub article: &'static str,
    /// Whether an unmet condition refuses a save (in a register in use); otherwise it is only
    /// reported.
    pub blocks: bool,
    /// The input field a refusal names, and the message it gives (`{destination}` is a
    /// transfer's destination).
    pub field: &'static str,
    pub message: &'static str,
    /// The code of the compliance rule whose finding reports it.
    pub rule: &'static str,
    pub unmet: Unmet,
}

/// Every legal condition, in the order the save rules test them.
pub static PREDICATES: &[Predicate] = &[
    Predicate {
        name: "legitimate_interests_unstated",
        article: "6(1)(f), 13(1)(d), 14(2)(b)",
        blocks: true,
        field: "legitimateInterests",
        message: "is required when the legal basis is legitimate interests (Art. 6(1)(f), Art. 13(1)(d))",
        rule: "LEGITIMATE_INTERESTS_NOT_STATED",
        unmet: Unmet::Activity(legitimate_interests_unstated),
    },
    Predicate {
        name: "consent_withdrawal_unstated",
        article: "7(3), 13(2)(c), 14(2)(d)",
        blocks: true,
        field: "consentWithdrawal",
        message: "is required when the processing rests on consent (Art. 6(1)(a) or 9(2)(a)): how consent is withdrawn (Art. 7(3), 13(2)(c))",
        rule: "CONSENT_NO_WITHDRAWAL",
        unmet: Unmet::Activity(consent_withdrawal_unstated),
    },
    Predicate {
        name: "special_category_without_condition",
        article: "9(2)",
        blocks: true,
        field: "specialCategoryCondition",
        message: "is required when special categories of personal data are processed (Art. 9(2))",
        rule: "SPECIAL_CATEGORY_NO_CONDITION",
        unmet: Unmet::Activity(special_category_without_condition),
    },
    Predicate {
        name: "criminal_data_without_basis",
        article: "10",
        blocks: true,
        field: "criminalDataBasis",
        message: "is required when data on criminal convictions and offences is processed (Art. 10)",
        rule: "CRIMINAL_DATA_NO_BASIS",
        unmet: Unmet::Activity(criminal_data_without_basis),
    },
    Predicate {
        name: "national_id_unjustified",
        article: "87; Data Protection Act 1050/2018, s. 29",
        blocks: false,
        field: "nationalIdJustification",
        message: "should say why the personal identity code is processed (Data Protection Act 1050/2018, s. 29)",
        rule: "NATIONAL_ID_NO_JUSTIFICATION",
        unmet: Unmet::Activity(national_id_unjustified),
    },
    Predicate {
        name: "automated_decision_unexplained",
        article: "13(2)(f), 14(2)(g), 22",
        blocks: false,
        field: "automatedLogic",
        message: "should give the logic involved and the envisaged consequences of decisions based solely on automated processing (Art. 13(2)(f), 22)",
        rule: "AUTOMATED_NO_LOGIC",
        unmet: Unmet::Activity(automated_decision_unexplained),
    },
    Predicate {
        name: "profiling_unexplained",
        article: "4(4), 5(1)(a), 13(2)(f), 14(2)(g)",
        blocks: false,
        field: "automatedLogic",
        message: "should give the logic involved in the profiling and its envisaged consequences (Art. 13(2)(f))",
        rule: "PROFILING_NO_LOGIC",
        unmet: Unmet::Activity(profiling_unexplained),
    },
    Predicate {
        name: "transfer_without_destination",
        article: "13(1)(f), 14(1)(f), 30(1)(e)",
        blocks: false,
        field: "country",
        message: "should be given (or internationalOrganisation): where the data goes",
        rule: "TRANSFER_NO_DESTINATION",
        unmet: Unmet::Transfer(transfer_without_destination),
    },
    Predicate {
        name: "transfer_to_destination_without_mechanism",
        article: "44, 46, 13(1)(f), 14(1)(f)",
        blocks: true,
        field: "mechanism",
        message: "is required for a transfer outside the EU/EEA (Art. 44–49)",
        rule: "TRANSFER_NO_MECHANISM",
        unmet: Unmet::Transfer(transfer_to_destination_without_mechanism),
    },
    Predicate {
        name: "transfer_without_destination_or_mechanism",
        article: "44, 46, 13(1)(f), 14(1)(f)",
        blocks: false,
        field: "mechanism",
        message: "should be given, with the destination, for a transfer outside the EU/EEA (Art. 44–49)",
        rule: "TRANSFER_NO_MECHANISM",
        unmet: Unmet::Transfer(transfer_without_destination_or_mechanism),
    },
    Predicate {
        name: "adequacy_not_in_force",
        article: "45",
        blocks: true,
        field: "mechanism",
        message: "ADEQUACY_DECISION needs an adequacy decision in force for {destination} today, and there is none (Art. 45)",
        rule: "TRANSFER_ADEQUACY_NOT_IN_FORCE",
        unmet: Unmet::Transfer(adequacy_not_in_force),
    },
    Predicate {
        name: "derogation_undocumented",
        article: "49(1), 49(6), 30(1)(e)",
        blocks: true,
        field: "description",
        message: "is required for a transfer under an Art. 49 derogation: why it is necessary",
        rule: "TRANSFER_DEROGATION_UNDOCUMENTED",
        unmet: Unmet::Transfer(derogation_undocumented),
    },
];

/// The predicates reported under the compliance rule `code`.
pub fn of_rule(code: &str) -> impl Iterator<Item = &'static Predicate> + '_ {
    PREDICATES.iter().filter(move |p| p.rule == code)
}

/// Whether any activity predicate of the rule `code` is unmet.
pub fn activity_unmet(code: &str, facts: &ActivityFacts) -> bool {
    of_rule(code).any(|p| matches!(p.unmet, Unmet::Activity(unmet) if unmet(facts)))
}

/// Whether any transfer predicate of the rule `code` is unmet.
pub fn transfer_unmet(code: &str, facts: &TransferFacts) -> bool {
    of_rule(code).any(|p| matches!(p.unmet, Unmet::Transfer(unmet) if unmet(facts)))
}

/// The first blocking activity condition the facts leave unmet: (input field, message).
pub fn activity_refusal(facts: &ActivityFacts) -> Option<&'static Predicate> {
    PREDICATES
        .iter()
        .filter(|p| p.blocks)
        .find(|p| matches!(p.unmet, Unmet::Activity(unmet) if unmet(facts)))
}

/// The first blocking transfer condition the facts leave unmet.
pub fn transfer_refusal(facts: &TransferFacts) -> Option<&'static Predicate> {
    PREDICATES
        .iter()
        .filter(|p| p.blocks)
        .find(|p| matches!(p.unmet, Unmet::Transfer(unmet) if unmet(facts)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_each_is_reported_by_a_rule_citing_the_same_article() {
        let mut seen = HashSet::new();
        for p in PREDICATES {
            assert!(seen.insert(p.name), "{} twice", p.name);
            let rule = crate::checks::rule(p.rule)
                .unwrap_or_else(|| panic!("{}: no rule {}", p.name, p.rule));
            // The finding cites the provision the refusal cites.
            assert_eq!(rule.article, p.article, "{}", p.name);
        }
    }
}
