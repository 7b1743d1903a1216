//! Which rights of the data subject apply to a processing activity, derived from its legal basis.
//!
//! The mapping follows the Regulation's own exceptions, as the W3C DPV and the supervisory
//! authorities' guidance present them: a starting point for a notice, not a legal ruling.
//! - Access (Art. 15), rectification (16), restriction (18) and the complaint to a supervisory
//!   authority (77) apply whatever the basis.
//! - Erasure (17) does not apply to processing necessary for a legal obligation or a public task
//!   (Art. 17(3)(b)).
//! - Portability (20) applies only to processing based on consent (Art. 6(1)(a), or explicit
//!   consent under Art. 9(2)(a)) or a contract (Art. 20(1)(a)).
//! - Objection (21) applies only to processing based on a public task or legitimate interests
//!   (Art. 21(1)).
//! - Withdrawing consent (7(3)) applies where the basis is consent, or explicit consent under
//!   Art. 9(2)(a).
//! - Not being subject to a decision based solely on automated processing (22) applies where such
//!   decisions are made.

use entity::{LegalBasis, SpecialCategoryCondition};

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
    /// Art. 21.
    Object,
    /// Art. 7(3).
    WithdrawConsent,
    /// Art. 22.
    NoSolelyAutomatedDecision,
    /// Art. 77.
    Complaint,
}

impl Right {
    /// Every right, in the order of the articles (complaint last).
    pub const ALL: [Right; 9] = [
        Right::Access,
        Right::Rectification,
        Right::Erasure,
        Right::Restriction,
        Right::Portability,
        Right::Object,
        Right::WithdrawConsent,
        Right::NoSolelyAutomatedDecision,
        Right::Complaint,
    ];
}

/// The rights that apply to an activity, in the order of the articles (complaint last).
///
/// With no legal basis determined, only the rights that apply whatever the basis.
pub fn applicable(
    basis: Option<LegalBasis>,
    special: Option<SpecialCategoryCondition>,
    automated_decisions: bool,
) -> Vec<Right> {
    use LegalBasis::*;
    let mut rights = vec![Right::Access, Right::Rectification];
    if matches!(
        basis,
        Some(Consent | Contract | VitalInterests | LegitimateInterests)
    ) {
        rights.push(Right::Erasure);
    }
    rights.push(Right::Restriction);
    if matches!(basis, Some(Consent | Contract))
        || special == Some(SpecialCategoryCondition::ExplicitConsent)
    {
        rights.push(Right::Portability);
    }
    if matches!(basis, Some(PublicTask | LegitimateInterests)) {
        rights.push(Right::Object);
    }
    if basis == Some(Consent) || special == Some(SpecialCategoryCondition::ExplicitConsent) {
        rights.push(Right::WithdrawConsent);
    }
    if automated_decisions {
        rights.push(Right::NoSolelyAutomatedDecision);
    }
    rights.push(Right::Complaint);
    rights
}

#[cfg(test)]
mod tests {
    use super::*;
    use Right::*;

    #[test]
    fn rights_follow_the_legal_basis() {
        assert_eq!(
            applicable(Some(LegalBasis::Consent), None, false),
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
            applicable(Some(LegalBasis::Contract), None, false),
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
            applicable(Some(LegalBasis::LegalObligation), None, false),
            [Access, Rectification, Restriction, Complaint]
        );
        assert_eq!(
            applicable(Some(LegalBasis::PublicTask), None, false),
            [Access, Rectification, Restriction, Object, Complaint]
        );
        assert_eq!(
            applicable(Some(LegalBasis::LegitimateInterests), None, true),
            [
                Access,
                Rectification,
                Erasure,
                Restriction,
                Object,
                NoSolelyAutomatedDecision,
                Complaint
            ]
        );
        assert_eq!(
            applicable(Some(LegalBasis::VitalInterests), None, false),
            [Access, Rectification, Erasure, Restriction, Complaint]
        );
    }

    #[test]
    fn explicit_consent_to_special_categories_can_be_withdrawn() {
        let rights = applicable(
            Some(LegalBasis::Contract),
            Some(SpecialCategoryCondition::ExplicitConsent),
            false,
        );
        assert!(rights.contains(&WithdrawConsent));
        assert!(!applicable(Some(LegalBasis::Contract), None, false).contains(&WithdrawConsent));
    }

    #[test]
    fn data_given_with_explicit_consent_can_be_ported() {
        let rights = applicable(
            Some(LegalBasis::LegalObligation),
            Some(SpecialCategoryCondition::ExplicitConsent),
            false,
        );
        assert!(rights.contains(&Portability), "Art. 20(1)(a) names 9(2)(a)");
        assert!(!applicable(Some(LegalBasis::LegalObligation), None, false).contains(&Portability));
    }

    #[test]
    fn without_a_basis_only_the_unconditional_rights() {
        assert_eq!(
            applicable(None, None, false),
            [Access, Rectification, Restriction, Complaint]
        );
    }
}
