//! The declared facts a notice may state as a negative, read one way for the notice, the checks
//! and the record: each is unknown until somebody declares it, and unknown is never "no".
//!
//! - Transfers outside the EU/EEA: listed (a transfer row), declared none, or unknown.
//! - Profiling and decisions based solely on automated processing: each yes, no or unknown.
//! - Whether a source of data obtained from others is publicly accessible.
//! - Whether providing the data is required (Art. 13(2)(e)), for data the person gives.
//! - Whether a purpose is direct marketing (Art. 21(2)), and whether processing is carried out
//!   by automated means (Art. 20(1)(b)); the rights read them ([`super::rights`]).

use entity::{data_source, processing_activity, SourceKind};

/// Where an activity stands on transfers outside the EU/EEA.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transfers {
    /// Transfers are listed: the notice tells each one.
    Listed,
    /// Declared: nothing is transferred outside the EU/EEA.
    NoneDeclared,
    /// Nobody has declared it, or transfers are declared and none is listed yet.
    Unknown,
}

/// The activity's transfers, given whether any transfer row is listed for it. A listed
/// transfer is a declaration in itself, whatever the flag says.
pub fn transfers(a: &processing_activity::Model, listed: bool) -> Transfers {
    match (listed, a.transfers_outside_eea) {
        (true, _) => Transfers::Listed,
        (false, Some(false)) => Transfers::NoneDeclared,
        (false, _) => Transfers::Unknown,
    }
}

/// Whether the activity declares profiling or automated decisions (either one yes).
pub fn automated_declared(a: &processing_activity::Model) -> bool {
    a.profiling == Some(true) || a.automated_decision_making == Some(true)
}

/// Whether the activity declares neither profiling nor automated decisions, both explicitly.
pub fn no_automated_declared(a: &processing_activity::Model) -> bool {
    a.profiling == Some(false) && a.automated_decision_making == Some(false)
}

/// Whether what the notice must say of profiling and automated decisions is unknown: neither is
/// declared yes, and at least one is undeclared.
pub fn automated_undeclared(a: &processing_activity::Model) -> bool {
    !automated_declared(a) && (a.profiling.is_none() || a.automated_decision_making.is_none())
}

/// Whether a source is publicly accessible (Art. 14(2)(f)): a source of kind `public` is; the
/// data subject and observation are not sources of that kind; for another organisation, what is
/// declared.
pub fn publicly_accessible(s: &data_source::Model) -> Option<bool> {
    match s.kind {
        SourceKind::Public => Some(true),
        SourceKind::DataSubject | SourceKind::Observed => Some(false),
        SourceKind::ThirdParty => s.publicly_accessible,
    }
}

/// Whether the notice owes Art. 14(2)(f)'s answer for the source and nobody declared it.
pub fn publicly_accessible_undeclared(s: &data_source::Model) -> bool {
    s.kind == SourceKind::ThirdParty && s.publicly_accessible.is_none()
}

/// Whether an activity that collects data from the data subject leaves Art. 13(2)(e) unsaid:
/// whether providing it is required, and what follows if it is not provided.
pub fn provision_unstated(a: &processing_activity::Model, collects_from_subject: bool) -> bool {
    collects_from_subject && a.provision_requirement.is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn activity() -> processing_activity::Model {
        crate::service::graph::blank_activity_for_tests()
    }

    #[test]
    fn silence_is_unknown_and_only_a_declared_false_is_none() {
        let mut a = activity();
        assert_eq!(transfers(&a, false), Transfers::Unknown);
        a.transfers_outside_eea = Some(true);
        assert_eq!(
            transfers(&a, false),
            Transfers::Unknown,
            "declared, not listed"
        );
        a.transfers_outside_eea = Some(false);
        assert_eq!(transfers(&a, false), Transfers::NoneDeclared);
        assert_eq!(transfers(&a, true), Transfers::Listed, "a listed row wins");
    }

    #[test]
    fn automated_processing_is_unknown_until_both_are_declared() {
        let mut a = activity();
        assert!(automated_undeclared(&a));
        a.profiling = Some(false);
        assert!(automated_undeclared(&a), "decisions still undeclared");
        a.automated_decision_making = Some(false);
        assert!(!automated_undeclared(&a) && no_automated_declared(&a));
        a.automated_decision_making = None;
        a.profiling = Some(true);
        assert!(!automated_undeclared(&a) && automated_declared(&a));
    }
}
