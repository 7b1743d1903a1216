//! The rules, one function each: the nodes of the graph that a rule finds wanting. The legal
//! conditions of activities and transfers are the predicates of [`law`], which the save rules
//! enforce too; TRACKING_WITHOUT_CONSENT and ADEQUACY_SCOPE_NOT_SHOWN only report, and their
//! conditions are written here, once.

use entity::{
    processing_activity, register, LegalBasis, LocalizedText, ProcessingRole, RecipientKind,
    RegisterStatus, SourceKind, TransferMechanism,
};

use chrono::{Months, NaiveDate};

use super::{wording, Context, Hit, Subject};
use crate::domain::{facts, law, rights};
use crate::ids::NodeKind;

fn activity(a: &processing_activity::Model) -> Hit {
    Hit {
        kind: NodeKind::ProcessingActivity,
        id: a.id,
        register: Some(a.register_id),
        subject: Subject::Text(a.name.clone(), a.key.clone()),
    }
}

/// The activities the organisation is controller (or joint controller) of: processing done for
/// another controller is that controller's to justify.
fn controlled<'a>(c: &'a Context) -> impl Iterator<Item = &'a processing_activity::Model> {
    c.graph
        .activities
        .iter()
        .filter(|a| a.role != ProcessingRole::Processor)
}

/// Activities of `activities` for which `wanting` holds.
fn activities_where<'a>(
    activities: impl Iterator<Item = &'a processing_activity::Model>,
    wanting: impl Fn(&processing_activity::Model) -> bool,
) -> Vec<Hit> {
    activities.filter(|a| wanting(a)).map(activity).collect()
}

/// A finding on a register, named by its name (or slug).
fn register(r: &register::Model) -> Hit {
    Hit {
        kind: NodeKind::Register,
        id: r.id,
        register: Some(r.id),
        subject: Subject::Text(r.name.clone(), r.slug.clone()),
    }
}

/// Whether any language of a text says what `says` looks for.
fn says(text: &LocalizedText, says: impl Fn(&str) -> bool) -> bool {
    text.0.values().any(|t| says(t))
}

fn organisation(c: &Context) -> Hit {
    let o = &c.graph.organisation;
    Hit {
        kind: NodeKind::Organisation,
        id: o.id,
        register: None,
        subject: Subject::Plain(o.name.clone()),
    }
}

pub fn controller_no_contact(c: &Context) -> Vec<Hit> {
    let o = &c.graph.organisation;
    let blank = |v: &Option<String>| v.as_deref().is_none_or(|v| v.trim().is_empty());
    let none = blank(&o.address) && blank(&o.email) && blank(&o.phone) && o.contact_id.is_none();
    if none {
        vec![organisation(c)]
    } else {
        Vec::new()
    }
}

pub fn dpo_not_named(c: &Context) -> Vec<Hit> {
    let o = &c.graph.organisation;
    if o.dpo_required && o.dpo_contact_id.is_none() {
        vec![organisation(c)]
    } else {
        Vec::new()
    }
}

pub fn no_supervisory_authority(c: &Context) -> Vec<Hit> {
    if c.graph.organisation.supervisory_authority_id.is_none() {
        vec![organisation(c)]
    } else {
        Vec::new()
    }
}

pub fn activity_no_purpose(c: &Context) -> Vec<Hit> {
    activities_where(controlled(c), |a| a.purpose.is_empty())
}

pub fn activity_no_legal_basis(c: &Context) -> Vec<Hit> {
    activities_where(controlled(c), |a| a.legal_basis.is_none())
}

pub fn activity_no_data_subjects(c: &Context) -> Vec<Hit> {
    activities_where(controlled(c), |a| {
        c.graph
            .links
            .get(&a.id)
            .is_none_or(|l| l.data_subject_categories.is_empty())
    })
}

pub fn activity_no_data_categories(c: &Context) -> Vec<Hit> {
    activities_where(controlled(c), |a| {
        c.graph
            .links
            .get(&a.id)
            .is_none_or(|l| l.personal_data_categories.is_empty())
    })
}

/// Activities that leave a condition of [`law`] reported under `code` unmet.
fn activities_unmet(c: &Context, code: &str) -> Vec<Hit> {
    activities_where(c.graph.activities.iter(), |a| {
        law::activity_unmet(code, &facts(c, a))
    })
}

/// What the legal predicates read of an activity: it, and the kinds of data it links.
fn facts<'a>(c: &Context, a: &'a processing_activity::Model) -> law::ActivityFacts<'a> {
    let kinds = c
        .graph
        .links
        .get(&a.id)
        .map(|l| {
            l.personal_data_categories
                .iter()
                .filter_map(|id| c.graph.vocabulary.categories.get(id))
                .map(|d| d.kind)
                .collect()
        })
        .unwrap_or_default();
    law::ActivityFacts { activity: a, kinds }
}

pub fn legitimate_interests_not_stated(c: &Context) -> Vec<Hit> {
    activities_unmet(c, "LEGITIMATE_INTERESTS_NOT_STATED")
}

pub fn consent_no_withdrawal(c: &Context) -> Vec<Hit> {
    activities_unmet(c, "CONSENT_NO_WITHDRAWAL")
}

/// Controlled activities that track people's use of a website or service on a legal basis other
/// than consent (Art. 6(1)(a); for cookies and similar, s. 205 of the Act on Electronic
/// Communications Services). Tracking is what the record declares: the activity links an
/// observed source, and that source's name or description, or the activity's purpose, speaks of
/// cookies, analytics or ad targeting ([`wording::speaks_of_tracking`]); an observed source of
/// server or security logs is no tracking. An activity with no basis at all is reported by
/// ACTIVITY_NO_LEGAL_BASIS alone.
pub fn tracking_without_consent(c: &Context) -> Vec<Hit> {
    activities_where(controlled(c), |a| {
        if a.legal_basis.is_none_or(|b| b == LegalBasis::Consent) {
            return false;
        }
        let observed: Vec<_> = c
            .graph
            .links
            .get(&a.id)
            .into_iter()
            .flat_map(|l| &l.data_sources)
            .filter_map(|id| c.graph.vocabulary.sources.get(id))
            .filter(|s| s.kind == SourceKind::Observed)
            .collect();
        let tracking = |text: &LocalizedText| says(text, wording::speaks_of_tracking);
        !observed.is_empty()
            && (tracking(&a.purpose)
                || observed
                    .iter()
                    .any(|s| tracking(&s.name) || tracking(&s.description)))
    })
}

pub fn special_category_no_condition(c: &Context) -> Vec<Hit> {
    activities_unmet(c, "SPECIAL_CATEGORY_NO_CONDITION")
}

pub fn criminal_data_no_basis(c: &Context) -> Vec<Hit> {
    activities_unmet(c, "CRIMINAL_DATA_NO_BASIS")
}

pub fn national_id_no_justification(c: &Context) -> Vec<Hit> {
    activities_unmet(c, "NATIONAL_ID_NO_JUSTIFICATION")
}

pub fn no_retention(c: &Context) -> Vec<Hit> {
    activities_where(controlled(c), |a| {
        !c.graph.retention.iter().any(|r| {
            r.activity_id == a.id
                && (r.period.as_deref().is_some_and(|p| !p.trim().is_empty())
                    || !r.criteria.is_empty())
        })
    })
}

pub fn automated_no_logic(c: &Context) -> Vec<Hit> {
    activities_unmet(c, "AUTOMATED_NO_LOGIC")
}

pub fn profiling_no_logic(c: &Context) -> Vec<Hit> {
    activities_unmet(c, "PROFILING_NO_LOGIC")
}

/// Whether the activity links a source of `kind`.
fn uses_source(c: &Context, a: &processing_activity::Model, kind: SourceKind) -> bool {
    c.graph.links.get(&a.id).is_some_and(|l| {
        l.data_sources
            .iter()
            .filter_map(|s| c.graph.vocabulary.sources.get(s))
            .any(|s| s.kind == kind)
    })
}

/// Activities whose notice cannot say whether they profile or decide by automated means.
pub fn automated_undeclared(c: &Context) -> Vec<Hit> {
    activities_where(controlled(c), facts::automated_undeclared)
}

/// Activities whose notice cannot say whether data leaves the EU/EEA.
pub fn transfers_undeclared(c: &Context) -> Vec<Hit> {
    activities_where(controlled(c), |a| {
        let listed = c.graph.transfers.iter().any(|t| t.activity_id == a.id);
        facts::transfers(a, listed) == facts::Transfers::Unknown
    })
}

/// Activities collecting data from the data subject that do not say whether it must be given.
pub fn provision_not_stated(c: &Context) -> Vec<Hit> {
    activities_where(controlled(c), |a| {
        facts::provision_unstated(a, uses_source(c, a, SourceKind::DataSubject))
    })
}

/// Activities that do not say whether their purpose is direct marketing.
pub fn direct_marketing_undeclared(c: &Context) -> Vec<Hit> {
    activities_where(controlled(c), |a| a.direct_marketing.is_none())
}

/// Activities on consent or a contract (or explicit consent) that do not say whether they are
/// carried out by automated means, which decides the right to data portability.
pub fn automated_means_undeclared(c: &Context) -> Vec<Hit> {
    activities_where(controlled(c), |a| {
        rights::undetermined(&rights::Processing::of(a)).contains(&rights::Right::Portability)
            && a.legal_basis.is_some()
    })
}

/// Sources some activity uses for which `wanting` holds, in ID order.
fn used_sources_where(
    c: &Context,
    wanting: impl Fn(&entity::data_source::Model) -> bool,
) -> Vec<Hit> {
    let mut used: Vec<_> = c
        .graph
        .vocabulary
        .sources
        .values()
        .filter(|s| wanting(s))
        .filter(|s| {
            c.graph
                .links
                .values()
                .any(|l| l.data_sources.contains(&s.id))
        })
        .collect();
    used.sort_by_key(|s| s.id);
    used.into_iter()
        .map(|s| Hit {
            kind: NodeKind::DataSource,
            id: s.id,
            register: None,
            subject: Subject::Text(s.name.clone(), s.key.clone()),
        })
        .collect()
}

/// Sources of other organisations some activity uses that do not say whether they are
/// publicly accessible.
pub fn source_public_undeclared(c: &Context) -> Vec<Hit> {
    used_sources_where(c, facts::publicly_accessible_undeclared)
}

/// Registers whose instructions for exercising the rights, in any language, restrict them beyond
/// what Art. 12 allows ([`wording::restricts_rights`]): access free only once a year, a fee, a
/// hand-signed letter, a visit in person or the post as the only way to ask.
pub fn rights_restricted(c: &Context) -> Vec<Hit> {
    c.graph
        .registers
        .iter()
        .filter(|r| says(&r.rights_instructions, wording::restricts_rights))
        .map(register)
        .collect()
}

/// Third-party and public sources that some activity uses, with no description.
pub fn source_not_described(c: &Context) -> Vec<Hit> {
    used_sources_where(c, |s| {
        matches!(s.kind, SourceKind::ThirdParty | SourceKind::Public) && s.description.is_empty()
    })
}

/// Processor recipients that some activity discloses to, whose party has no contract
/// reference (or that name no party at all, so no contract can be).
pub fn processor_no_contract(c: &Context) -> Vec<Hit> {
    let mut wanting: Vec<_> = c
        .graph
        .vocabulary
        .recipients
        .values()
        .filter(|r| r.kind == RecipientKind::Processor)
        .filter(|r| {
            let party = r.party_id.and_then(|p| c.graph.vocabulary.parties.get(&p));
            party.is_none_or(|p| {
                p.contract_reference
                    .as_deref()
                    .is_none_or(|c| c.trim().is_empty())
            })
        })
        .filter(|r| c.graph.links.values().any(|l| l.recipients.contains(&r.id)))
        .collect();
    wanting.sort_by_key(|r| r.id);
    wanting
        .into_iter()
        .map(|r| Hit {
            kind: NodeKind::Recipient,
            id: r.id,
            register: None,
            subject: Subject::Text(r.name.clone(), r.key.clone()),
        })
        .collect()
}

fn transfers_where(c: &Context, wanting: impl Fn(&entity::transfer::Model) -> bool) -> Vec<Hit> {
    c.graph
        .transfers
        .iter()
        .filter(|t| wanting(t))
        .map(|t| {
            let activity = c.graph.activities.iter().find(|a| a.id == t.activity_id);
            let destination = t
                .country
                .clone()
                .or_else(|| t.international_organisation.clone());
            let subject = match (activity, destination) {
                (Some(a), Some(to)) => Subject::Towards(a.name.clone(), a.key.clone(), to),
                (Some(a), None) => Subject::Text(a.name.clone(), a.key.clone()),
                (None, _) => Subject::Plain(crate::ids::encode(NodeKind::Transfer, t.id)),
            };
            Hit {
                kind: NodeKind::Transfer,
                id: t.id,
                register: Some(t.register_id),
                subject,
            }
        })
        .collect()
}

/// Transfers that leave a condition of [`law`] reported under `code` unmet.
fn transfers_unmet(c: &Context, code: &str) -> Vec<Hit> {
    transfers_where(c, |t| {
        law::transfer_unmet(
            code,
            &law::TransferFacts {
                transfer: t,
                adequacy: c.adequacy,
                today: c.today,
            },
        )
    })
}

pub fn transfer_no_destination(c: &Context) -> Vec<Hit> {
    transfers_unmet(c, "TRANSFER_NO_DESTINATION")
}

pub fn transfer_no_mechanism(c: &Context) -> Vec<Hit> {
    transfers_unmet(c, "TRANSFER_NO_MECHANISM")
}

pub fn transfer_adequacy_not_in_force(c: &Context) -> Vec<Hit> {
    transfers_unmet(c, "TRANSFER_ADEQUACY_NOT_IN_FORCE")
}

/// Transfers on an adequacy decision whose decision in force on the day checked covers only part
/// of the destination (its scope: organisations certified under the EU-US Data Privacy
/// Framework, Japan's private sector, Canada's commercial organisations), that do not show the
/// recipient is inside that scope: their safeguards reference is empty.
pub fn adequacy_scope_not_shown(c: &Context) -> Vec<Hit> {
    transfers_where(c, |t| {
        let partial = t
            .country
            .as_deref()
            .or(t.international_organisation.as_deref())
            .and_then(|to| c.adequacy.in_force(to, c.today))
            .is_some_and(|decision| decision.scope.is_some());
        t.mechanism == Some(TransferMechanism::AdequacyDecision)
            && partial
            && t.safeguards_reference
                .as_deref()
                .is_none_or(|r| r.trim().is_empty())
    })
}

pub fn transfer_derogation_undocumented(c: &Context) -> Vec<Hit> {
    transfers_unmet(c, "TRANSFER_DEROGATION_UNDOCUMENTED")
}

/// Registers (not archived) and activities whose next review date, as the organisation set it,
/// has passed. NOTICE_NOT_REVIEWED asks instead when a published register was last reviewed.
pub fn review_overdue(c: &Context) -> Vec<Hit> {
    let overdue = |date: Option<NaiveDate>| date.is_some_and(|d| d < c.today);
    let registers = c
        .graph
        .registers
        .iter()
        .filter(|r| r.status != RegisterStatus::Archived)
        .filter(|r| overdue(r.next_review_on))
        .map(register);
    let archived = |id: uuid::Uuid| {
        c.graph
            .registers
            .iter()
            .any(|r| r.id == id && r.status == RegisterStatus::Archived)
    };
    let activities = activities_where(c.graph.activities.iter(), |a| {
        overdue(a.next_review_on) && !archived(a.register_id)
    });
    registers.chain(activities).collect()
}

/// Published registers whose review is not recorded, or was more than a year before the day
/// checked: before the same date a year earlier (from 29 February, the 28th). A public notice is
/// kept up to date by reviewing it; REVIEW_OVERDUE reads the next review date the organisation set
/// itself, this rule the last review it recorded, whatever it planned.
pub fn notice_not_reviewed(c: &Context) -> Vec<Hit> {
    c.graph
        .registers
        .iter()
        .filter(|r| r.status == RegisterStatus::Published)
        .filter(|r| !reviewed_within_a_year(r.last_reviewed_on, c.today))
        .map(register)
        .collect()
}

/// Whether a review on `reviewed` is at most a year before `today`: on or after the same date a
/// year earlier, which for 29 February is 28 February.
fn reviewed_within_a_year(reviewed: Option<NaiveDate>, today: NaiveDate) -> bool {
    let year_before = today.checked_sub_months(Months::new(12));
    match (reviewed, year_before) {
        (Some(reviewed), Some(year_before)) => reviewed >= year_before,
        // No date a year before the earliest date there is: nothing can be older.
        (Some(_), None) => true,
        (None, _) => false,
    }
}

/// Registers whose latest published notice says something else than their graph now does.
pub fn notice_stale(c: &Context) -> Vec<Hit> {
    c.graph
        .registers
        .iter()
        .filter(|r| {
            let Some(published) = c.published.get(&r.id) else {
                return false;
            };
            let Some(graph) = c.graph.register(r.id) else {
                return false;
            };
            crate::notice::draft_content(&graph, c.adequacy, c.today)
                .and_then(|content| crate::notice::content_hash(&content))
                .is_ok_and(|hash| hash != published.content_hash)
        })
        .map(register)
        .collect()
}

/// The fields that are never shown outside the organisation.
const INTERNAL: [&str; 2] = ["internal_notes", "internal_details"];

fn cites_repealed_act(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::String(s) => wording::cites_repealed_act(s),
        serde_json::Value::Array(items) => items.iter().any(cites_repealed_act),
        serde_json::Value::Object(map) => map
            .iter()
            .any(|(key, v)| !INTERNAL.contains(&key.as_str()) && cites_repealed_act(v)),
        _ => false,
    }
}

/// Every node with a text that cites the repealed act: all its texts are read, whatever the
/// field, so a new text field is covered without a change here.
pub fn repealed_act_cited(c: &Context) -> Vec<Hit> {
    let g = c.graph;
    let mut hits = Vec::new();
    let mut check = |state: serde_json::Value, hit: Hit| {
        if cites_repealed_act(&state) {
            hits.push(hit);
        }
    };
    check(json(&g.organisation), organisation(c));
    for r in &g.registers {
        check(json(r), register(r));
    }
    for a in &g.activities {
        check(json(a), activity(a));
    }
    macro_rules! vocabulary {
        ($($map:ident => $kind:ident),*) => {$(
            let mut nodes: Vec<_> = g.vocabulary.$map.values().collect();
            nodes.sort_by_key(|n| n.id);
            for n in nodes {
                check(json(n), Hit {
                    kind: NodeKind::$kind,
                    id: n.id,
                    register: None,
                    subject: Subject::Text(n.name.clone(), n.key.clone()),
                });
            }
        )*};
    }
    vocabulary!(
        subjects => DataSubjectCategory,
        categories => PersonalDataCategory,
        sources => DataSource,
        recipients => Recipient,
        measures => SecurityMeasure
    );
    let mut parties: Vec<_> = g.vocabulary.parties.values().collect();
    parties.sort_by_key(|p| p.id);
    for p in parties {
        check(
            json(p),
            Hit {
                kind: NodeKind::Party,
                id: p.id,
                register: None,
                subject: Subject::Plain(p.name.clone()),
            },
        );
    }
    for t in &g.transfers {
        if let Some(hit) = transfers_where(c, |x| x.id == t.id).pop() {
            check(json(t), hit);
        }
    }
    for r in &g.retention {
        let owner = g.activities.iter().find(|a| a.id == r.activity_id);
        check(
            json(r),
            Hit {
                kind: NodeKind::RetentionRule,
                id: r.id,
                register: Some(r.register_id),
                subject: match owner {
                    Some(a) => Subject::Text(a.name.clone(), a.key.clone()),
                    None => Subject::Plain(crate::ids::encode(NodeKind::RetentionRule, r.id)),
                },
            },
        );
    }
    hits
}

/// Any stored model as JSON, for reading all its texts.
fn json<T: serde::Serialize>(model: &T) -> serde_json::Value {
    serde_json::to_value(model).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_review_counts_for_a_year_to_the_day() {
        let today = date(2026, 11, 22);
        assert!(reviewed_within_a_year(Some(date(2025, 11, 22)), today));
        assert!(!reviewed_within_a_year(Some(date(2025, 11, 21)), today));
        assert!(reviewed_within_a_year(Some(today), today));
        assert!(!reviewed_within_a_year(None, today), "no review recorded");
    }

    #[test]
    fn a_year_before_29_february_is_28_february() {
        let leap_day = date(2028, 2, 29);
        assert!(reviewed_within_a_year(Some(date(2027, 2, 28)), leap_day));
        assert!(!reviewed_within_a_year(Some(date(2027, 2, 27)), leap_day));
        // A review on a leap day counts until the same date a year on.
        assert!(reviewed_within_a_year(
            Some(date(2024, 2, 29)),
            date(2025, 2, 28)
        ));
        assert!(!reviewed_within_a_year(
            Some(date(2024, 2, 29)),
            date(2025, 3, 1)
        ));
        assert!(reviewed_within_a_year(Some(NaiveDate::MIN), NaiveDate::MIN));
    }
}
