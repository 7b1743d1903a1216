//! Which rights of the data subject apply to a processing activity, derived from its legal basis
//! and the facts declared of it.
//!
//! The mapping follows the Regulation's own exceptions, as the W3C DPV and the supervisory
//! authorities' guidance present them: a starting point for a notice, not a legal ruling.
//! - Access (Art. 15), rectification (16), restriction (18) and the complaint to a supervisory
//!   authority (77) apply whatever the basis.
//! - Erasure (17) does not apply to processing necessary for a legal obligation or a public task
//!   (Art. 17(3)(b)).
//! - Portability (20) applies only to processing based on consent (Art. 6(1)(a), or explicit
//!   consent under Art. 9(2)(a)) or a contract (Art. 20(1)(a)), and carried out by automated
//!   means (Art. 20(1)(b)): not to paper records.
//! - Objection on grounds of one's particular situation (21(1)) applies only to processing based
//!   on a public task or legitimate interests.
//! - Objection to direct marketing (21(2)–(3)) applies to every direct-marketing purpose,
//!   whatever the basis, and is shown apart from the rest (21(4)).
//! - Withdrawing consent (7(3)) applies where the basis is consent, or explicit consent under
//!   Art. 9(2)(a).
//! - The safeguards of Art. 22(3) (human intervention, one's point of view, contesting the
//!   decision) apply to decisions based solely on automated processing that rest on a contract
//!   (22(2)(a)) or explicit consent (22(2)(c)); decisions authorised by law (22(2)(b)) have the
//!   safeguards that law lays down.
//!
//! A right that depends on a fact nobody has declared is neither stated nor denied: it is
//! [`undetermined`], a gap in the notice.

use entity::{processing_activity, LegalBasis, SpecialCategoryCondition};

/// A right of the data subject.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Right {
    /// Art. 15.
    Access,
    /// Art. 16.
    Rectification,
    /// Art. 17.
    Erasure,
    /// Art. 18.
    Restriction,
    /// Art. 20.
    Portability,
    /// Art. 21(1).
    Object,
    /// Art. 21(2)–(3).
    ObjectToDirectMarketing,
    /// Art. 7(3).
    WithdrawConsent,
    /// Art. 22(3).
    NoSolelyAutomatedDecision,
    /// Art. 77.
    Complaint,
}

impl Right {
    /// Every right, in the order of the articles (complaint last).
    pub const ALL: [Right; 10] = [
        Right::Access,
        Right::Rectification,
        Right::Erasure,
        Right::Restriction,
        Right::Portability,
        Right::Object,
        Right::ObjectToDirectMarketing,
        Right::WithdrawConsent,
        Right::NoSolelyAutomatedDecision,
        Right::Complaint,
    ];
}

/// What the rights of an activity depend on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Processing {
    pub basis: Option<LegalBasis>,
    pub special: Option<SpecialCategoryCondition>,
    /// Decisions based solely on automated processing (Art. 22); none while undeclared.
    pub automated_decisions: Option<bool>,
    /// Carried out by automated means (Art. 20(1)(b)); none while undeclared.
    pub automated_means: Option<bool>,
    /// A direct-marketing purpose (Art. 21(2)); none while undeclared.
    pub direct_marketing: Option<bool>,
}

impl Processing {
    pub fn of(a: &processing_activity::Model) -> Self {
        Self {
            basis: a.legal_basis,
            special: a.special_category_condition,
            automated_decisions: a.automated_decision_making,
            automated_means: a.automated_means,
            direct_marketing: a.direct_marketing,
        }
    }

    fn explicit_consent(&self) -> bool {
        self.special == Some(SpecialCategoryCondition::ExplicitConsent)
    }

    /// Art. 20(1)(a): consent, explicit consent or a contract.
    fn portable_basis(&self) -> bool {
        matches!(self.basis, Some(LegalBasis::Consent | LegalBasis::Contract))
            || self.explicit_consent()
    }

    /// Art. 22(2)(a) or (c): the decision rests on a contract or on (explicit) consent.
    fn decision_on_contract_or_consent(&self) -> bool {
        matches!(self.basis, Some(LegalBasis::Consent | LegalBasis::Contract))
            || self.explicit_consent()
    }
}

/// The rights that apply to an activity, in the order of the articles (complaint last).
///
/// A right that depends on an undeclared fact (the basis among them) is left out here and
/// listed by [`undetermined`].
pub fn applicable(p: &Processing) -> Vec<Right> {
    use LegalBasis::*;
    let mut rights = vec![Right::Access, Right::Rectification];
    if matches!(
        p.basis,
        Some(Consent | Contract | VitalInterests | LegitimateInterests)
    ) {
        rights.push(Right::Erasure);
    }
    rights.push(Right::Restriction);
    if p.portable_basis() && p.automated_means == Some(true) {
        rights.push(Right::Portability);
    }
    if matches!(p.basis, Some(PublicTask | LegitimateInterests)) {
        rights.push(Right::Object);
    }
    if p.direct_marketing == Some(true) {
        rights.push(Right::ObjectToDirectMarketing);
    }
    if p.basis == Some(Consent) || p.explicit_consent() {
        rights.push(Right::WithdrawConsent);
    }
    if p.automated_decisions == Some(true) && p.decision_on_contract_or_consent() {
        rights.push(Right::NoSolelyAutomatedDecision);
    }
    rights.push(Right::Complaint);
    rights
}

/// The rights whether an activity has depends on a fact nobody has declared.
pub fn undetermined(p: &Processing) -> Vec<Right> {
    let mut rights = Vec::new();
    if p.basis.is_none() {
        rights.extend([Right::Erasure, Right::Object]);
    }
    // Portable on its basis but the means undeclared, or the basis itself unknown (explicit
    // consent alone makes it portable).
    let basis_unknown = p.basis.is_none() && !p.explicit_consent();
    if basis_unknown || p.portable_basis() && p.automated_means.is_none() {
        rights.push(Right::Portability);
    }
    if p.direct_marketing.is_none() {
        rights.push(Right::ObjectToDirectMarketing);
    }
    if p.basis.is_none() && !p.explicit_consent() {
        rights.push(Right::WithdrawConsent);
    }
    let decides = p.automated_decisions != Some(false);
    if decides
        && (p.automated_decisions.is_none() || p.basis.is_none())
        && !(p.automated_decisions == Some(true) && p.decision_on_contract_or_consent())
    {
        rights.push(Right::NoSolelyAutomatedDecision);
    }
    rights.sort();
    rights.dedup();
    rights
}

#[cfg(test)]
mod tests {
    use super::*;
    use Right::*;

    fn on(basis: LegalBasis) -> Processing {
        Processing {
            basis: Some(basis),
            automated_means: Some(true),
            automated_decisions: Some(false),
            direct_marketing: Some(false),
            ..Processing::default()
        }
    }

    #[test]
    fn rights_follow_the_legal_basis() {
        assert_eq!(
            applicable(&on(LegalBasis::Consent)),
            [
                Access,
                Rectification,
                Erasure,
                Restriction,
                Portability,
                WithdrawConsent,
                Complaint
            ]
        );
        assert_eq!(
            applicable(&on(LegalBasis::Contract)),
            [
                Access,
                Rectification,
                Erasure,
                Restriction,
                Portability,
                Complaint
            ]
        );
        assert_eq!(
            applicable(&on(LegalBasis::LegalObligation)),
            [Access, Rectification, Restriction, Complaint]
        );
        assert_eq!(
            applicable(&on(LegalBasis::PublicTask)),
            [Access, Rectification, Restriction, Object, Complaint]
        );
        assert_eq!(
            applicable(&on(LegalBasis::VitalInterests)),
            [Access, Rectification, Erasure, Restriction, Complaint]
        );
        for basis in [LegalBasis::Consent, LegalBasis::PublicTask] {
            assert!(
                undetermined(&on(basis)).is_empty(),
                "{basis:?}: all declared"
            );
        }
    }

    #[test]
    fn objecting_to_direct_marketing_follows_the_purpose_not_the_basis() {
        for basis in [
            LegalBasis::Consent,
            LegalBasis::Contract,
            LegalBasis::LegitimateInterests,
        ] {
            let marketing = Processing {
                direct_marketing: Some(true),
                ..on(basis)
            };
            assert!(
                applicable(&marketing).contains(&ObjectToDirectMarketing),
                "{basis:?}"
            );
            assert!(!applicable(&on(basis)).contains(&ObjectToDirectMarketing));
        }
        let unknown = Processing {
            direct_marketing: None,
            ..on(LegalBasis::Consent)
        };
        assert!(!applicable(&unknown).contains(&ObjectToDirectMarketing));
        assert_eq!(undetermined(&unknown), [ObjectToDirectMarketing]);
    }

    #[test]
    fn portability_needs_automated_means() {
        let paper = Processing {
            automated_means: Some(false),
            ..on(LegalBasis::Contract)
        };
        assert!(!applicable(&paper).contains(&Portability), "Art. 20(1)(b)");
        assert!(undetermined(&paper).is_empty());
        let unknown = Processing {
            automated_means: None,
            ..on(LegalBasis::Contract)
        };
        assert!(!applicable(&unknown).contains(&Portability));
        assert_eq!(undetermined(&unknown), [Portability]);
        let legal = Processing {
            automated_means: None,
            ..on(LegalBasis::LegalObligation)
        };
        assert!(
            undetermined(&legal).is_empty(),
            "never portable: nothing to ask"
        );
    }

    #[test]
    fn the_art22_safeguards_only_where_22_2_a_or_c_applies() {
        let decides = |basis| Processing {
            automated_decisions: Some(true),
            ..on(basis)
        };
        assert!(applicable(&decides(LegalBasis::Contract)).contains(&NoSolelyAutomatedDecision));
        assert!(applicable(&decides(LegalBasis::Consent)).contains(&NoSolelyAutomatedDecision));
        assert!(
            !applicable(&decides(LegalBasis::LegalObligation)).contains(&NoSolelyAutomatedDecision),
            "22(2)(b): the law lays down the safeguards"
        );
        assert!(!applicable(&on(LegalBasis::Contract)).contains(&NoSolelyAutomatedDecision));
    }

    #[test]
    fn explicit_consent_to_special_categories_can_be_withdrawn_and_ported() {
        let special = Processing {
            special: Some(SpecialCategoryCondition::ExplicitConsent),
            ..on(LegalBasis::LegalObligation)
        };
        assert!(applicable(&special).contains(&WithdrawConsent));
        assert!(
            applicable(&special).contains(&Portability),
            "Art. 20(1)(a) names 9(2)(a)"
        );
        assert!(!applicable(&on(LegalBasis::Contract)).contains(&WithdrawConsent));
    }

    #[test]
    fn without_a_basis_the_conditional_rights_are_undetermined_not_denied() {
        let p = Processing {
            basis: None,
            ..on(LegalBasis::Consent)
        };
        assert_eq!(
            applicable(&p),
            [Access, Rectification, Restriction, Complaint]
        );
        assert_eq!(
            undetermined(&p),
            [Erasure, Portability, Object, WithdrawConsent]
        );
    }
}
