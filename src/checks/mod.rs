//! Compliance checks: what the record and the notices are missing, each finding with the rule,
//! its severity, the provision it rests on, the node it concerns and what to fix, in Finnish,
//! Swedish and English.
//!
//! A rule is one entry of [`RULES`]: a code, a severity, the article, and a function from the
//! organisation's graph to the nodes it finds wanting (in `findings.rs`), plus its message in
//! `messages.yaml`. The checks read the graph only, deterministically: the same graph on the
//! same day gives the same findings in the same order.

mod findings;
mod wording;

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::Serialize;
use uuid::Uuid;

use crate::domain::adequacy::AdequacyList;
use crate::error::{AppError, AppResult};
use crate::ids::{encode, NodeKind};
use crate::notice::graph::OrganisationGraph;
use crate::notice::Lang;
use entity::{acknowledgement, notice_version, LocalizedText};

/// How much a finding matters: an error is a breach of what the law requires the record or the
/// notice to say; a warning is likely one, or good practice the law expects; info is advice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }

    pub fn parse(name: &str) -> Option<Severity> {
        [Severity::Error, Severity::Warning, Severity::Info]
            .into_iter()
            .find(|s| s.as_str().eq_ignore_ascii_case(name))
    }
}

/// One rule.
pub struct Rule {
    /// Stable code, `UPPER_SNAKE_CASE`.
    pub code: &'static str,
    pub severity: Severity,
    /// The provision it rests on: GDPR articles as `13(2)(a)`, or a national provision by name.
    pub article: &'static str,
    /// The nodes the graph leaves wanting.
    check: fn(&Context) -> Vec<Hit>,
}

/// A node a rule found wanting.
#[derive(Clone, Debug)]
pub struct Hit {
    pub kind: NodeKind,
    pub id: Uuid,
    /// The register it belongs to, if it belongs to one.
    pub register: Option<Uuid>,
    /// How the message names it.
    pub subject: Subject,
}

/// How a finding names its node.
#[derive(Clone, Debug)]
pub enum Subject {
    /// A node's name (and the key it is known by when the name is missing).
    Text(LocalizedText, String),
    /// A name and where it goes: an activity's transfer to a destination.
    Towards(LocalizedText, String, String),
    Plain(String),
}

impl Subject {
    pub fn in_language(&self, lang: Lang) -> String {
        match self {
            Subject::Text(text, key) => text
                .resolve(lang.tag())
                .map(|(_, t)| t.trim().to_owned())
                .unwrap_or_else(|| key.clone()),
            Subject::Towards(text, key, to) => {
                let name = Subject::Text(text.clone(), key.clone()).in_language(lang);
                let to = crate::domain::countries::name(to, lang.tag()).unwrap_or(to);
                format!("{name} → {to}")
            }
            Subject::Plain(name) => name.clone(),
        }
    }
}

/// What the rules read.
pub struct Context<'a> {
    pub graph: &'a OrganisationGraph,
    pub adequacy: &'a AdequacyList,
    /// The day checked: adequacy decisions in force and review dates are as of it.
    pub today: NaiveDate,
    /// The latest published notice of each register that has one.
    pub published: &'a HashMap<Uuid, notice_version::Model>,
}

/// One finding: a rule, the node it concerns, and its acknowledgement if it has one.
#[derive(Clone, Debug)]
pub struct Finding {
    pub rule: &'static Rule,
    pub hit: Hit,
    /// The registers whose record or notice the finding affects: its own register; for a shared
    /// node, the registers whose activities name it; for the organisation, all of them.
    pub registers: Vec<Uuid>,
    pub acknowledgement: Option<acknowledgement::Model>,
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code)
    }
}

impl Finding {
    pub fn node_id(&self) -> String {
        encode(self.hit.kind, self.hit.id)
    }

    /// What to fix, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let subject = self.hit.subject.in_language(lang);
        messages()
            .ok()
            .and_then(|m| m.get(self.rule.code))
            .map(|m| m.get(lang).replace("{subject}", &subject))
            .unwrap_or_else(|| format!("{}: {subject}", self.rule.code))
    }
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Message {
    fi: String,
    sv: String,
    en: String,
}

impl Message {
    fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fi => &self.fi,
            Lang::Sv => &self.sv,
            Lang::En => &self.en,
        }
    }
}

fn messages() -> AppResult<&'static BTreeMap<String, Message>> {
    static MESSAGES: OnceLock<Result<BTreeMap<String, Message>, String>> = OnceLock::new();
    MESSAGES
        .get_or_init(|| {
            serde_norway::from_str(include_str!("messages.yaml")).map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(|e| AppError::Internal(format!("checks/messages.yaml: {e}").into()))
}

/// Every rule, in the order findings are reported.
pub static RULES: &[Rule] = &[
    Rule {
        code: "CONTROLLER_NO_CONTACT",
        severity: Severity::Error,
        article: "13(1)(a), 14(1)(a), 30(1)(a)",
        check: findings::controller_no_contact,
    },
    Rule {
        code: "DPO_NOT_NAMED",
        severity: Severity::Error,
        article: "37(7), 13(1)(b), 14(1)(b)",
        check: findings::dpo_not_named,
    },
    Rule {
        code: "NO_SUPERVISORY_AUTHORITY",
        severity: Severity::Warning,
        article: "13(2)(d), 14(2)(e), 77",
        check: findings::no_supervisory_authority,
    },
    Rule {
        code: "ACTIVITY_NO_PURPOSE",
        severity: Severity::Error,
        article: "5(1)(b), 13(1)(c), 14(1)(c), 30(1)(b)",
        check: findings::activity_no_purpose,
    },
    Rule {
        code: "ACTIVITY_NO_LEGAL_BASIS",
        severity: Severity::Error,
        article: "6(1), 13(1)(c), 14(1)(c)",
        check: findings::activity_no_legal_basis,
    },
    Rule {
        code: "ACTIVITY_NO_DATA_SUBJECTS",
        severity: Severity::Error,
        article: "30(1)(c)",
        check: findings::activity_no_data_subjects,
    },
    Rule {
        code: "ACTIVITY_NO_DATA_CATEGORIES",
        severity: Severity::Error,
        article: "30(1)(c), 14(1)(d)",
        check: findings::activity_no_data_categories,
    },
    Rule {
        code: "LEGITIMATE_INTERESTS_NOT_STATED",
        severity: Severity::Error,
        article: "6(1)(f), 13(1)(d), 14(2)(b)",
        check: findings::legitimate_interests_not_stated,
    },
    Rule {
        code: "CONSENT_NO_WITHDRAWAL",
        severity: Severity::Error,
        article: "7(3), 13(2)(c), 14(2)(d)",
        check: findings::consent_no_withdrawal,
    },
    Rule {
        code: "TRACKING_WITHOUT_CONSENT",
        severity: Severity::Error,
        article: "6(1)(a), 7; Act on Electronic Communications Services 917/2014, s. 205; EDPB Guidelines 2/2019",
        check: findings::tracking_without_consent,
    },
    Rule {
        code: "SPECIAL_CATEGORY_NO_CONDITION",
        severity: Severity::Error,
        article: "9(2)",
        check: findings::special_category_no_condition,
    },
    Rule {
        code: "CRIMINAL_DATA_NO_BASIS",
        severity: Severity::Error,
        article: "10",
        check: findings::criminal_data_no_basis,
    },
    Rule {
        code: "NATIONAL_ID_NO_JUSTIFICATION",
        severity: Severity::Warning,
        article: "87; Data Protection Act 1050/2018, s. 29",
        check: findings::national_id_no_justification,
    },
    Rule {
        code: "NO_RETENTION",
        severity: Severity::Error,
        article: "13(2)(a), 14(2)(a), 30(1)(f)",
        check: findings::no_retention,
    },
    Rule {
        code: "AUTOMATED_NO_LOGIC",
        severity: Severity::Error,
        article: "13(2)(f), 14(2)(g), 22",
        check: findings::automated_no_logic,
    },
    Rule {
        code: "PROFILING_NO_LOGIC",
        severity: Severity::Warning,
        article: "4(4), 5(1)(a), 13(2)(f), 14(2)(g)",
        check: findings::profiling_no_logic,
    },
    Rule {
        code: "AUTOMATED_UNDECLARED",
        severity: Severity::Error,
        article: "13(2)(f), 14(2)(g), 22",
        check: findings::automated_undeclared,
    },
    Rule {
        code: "TRANSFERS_UNDECLARED",
        severity: Severity::Error,
        article: "13(1)(f), 14(1)(f), 30(1)(e)",
        check: findings::transfers_undeclared,
    },
    Rule {
        code: "PROVISION_NOT_STATED",
        severity: Severity::Error,
        article: "13(2)(e)",
        check: findings::provision_not_stated,
    },
    Rule {
        code: "DIRECT_MARKETING_UNDECLARED",
        severity: Severity::Warning,
        article: "21(2), 21(3), 21(4), 13(2)(b), 14(2)(c)",
        check: findings::direct_marketing_undeclared,
    },
    Rule {
        code: "AUTOMATED_MEANS_UNDECLARED",
        severity: Severity::Warning,
        article: "20(1)(b), 13(2)(b), 14(2)(c)",
        check: findings::automated_means_undeclared,
    },
    Rule {
        code: "SOURCE_PUBLIC_UNDECLARED",
        severity: Severity::Error,
        article: "14(2)(f)",
        check: findings::source_public_undeclared,
    },
    Rule {
        code: "SOURCE_NOT_DESCRIBED",
        severity: Severity::Warning,
        article: "14(2)(f)",
        check: findings::source_not_described,
    },
    Rule {
        code: "PROCESSOR_NO_CONTRACT",
        severity: Severity::Warning,
        article: "28(3)",
        check: findings::processor_no_contract,
    },
    Rule {
        code: "RIGHTS_RESTRICTED",
        severity: Severity::Error,
        article: "12(2), 12(5), 15(3)",
        check: findings::rights_restricted,
    },
    Rule {
        code: "TRANSFER_NO_DESTINATION",
        severity: Severity::Error,
        article: "13(1)(f), 14(1)(f), 30(1)(e)",
        check: findings::transfer_no_destination,
    },
    Rule {
        code: "TRANSFER_NO_MECHANISM",
        severity: Severity::Error,
        article: "44, 46, 13(1)(f), 14(1)(f)",
        check: findings::transfer_no_mechanism,
    },
    Rule {
        code: "TRANSFER_ADEQUACY_NOT_IN_FORCE",
        severity: Severity::Error,
        article: "45",
        check: findings::transfer_adequacy_not_in_force,
    },
    Rule {
        code: "ADEQUACY_SCOPE_NOT_SHOWN",
        severity: Severity::Error,
        article: "45(1), 13(1)(f), 14(1)(f)",
        check: findings::adequacy_scope_not_shown,
    },
    Rule {
        code: "TRANSFER_DEROGATION_UNDOCUMENTED",
        severity: Severity::Error,
        article: "49(1), 49(6), 30(1)(e)",
        check: findings::transfer_derogation_undocumented,
    },
    Rule {
        code: "REVIEW_OVERDUE",
        severity: Severity::Warning,
        article: "5(2), 24(1)",
        check: findings::review_overdue,
    },
    Rule {
        code: "NOTICE_NOT_REVIEWED",
        severity: Severity::Warning,
        article: "5(2), 12(1), 24(1)",
        check: findings::notice_not_reviewed,
    },
    Rule {
        code: "NOTICE_STALE",
        severity: Severity::Warning,
        article: "12(1), 13, 14",
        check: findings::notice_stale,
    },
    Rule {
        code: "REPEALED_ACT_CITED",
        severity: Severity::Warning,
        article: "Personal Data Act 523/1999, repealed by the Data Protection Act 1050/2018",
        check: findings::repealed_act_cited,
    },
];

/// The rule with this code.
pub fn rule(code: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.code == code)
}

/// Runs every rule over the graph; acknowledged findings carry their acknowledgement.
pub fn run(context: &Context, acknowledgements: &[acknowledgement::Model]) -> Vec<Finding> {
    let acknowledged: HashMap<(&str, Uuid), &acknowledgement::Model> = acknowledgements
        .iter()
        .map(|a| ((a.rule.as_str(), a.node_id), a))
        .collect();
    RULES
        .iter()
        .flat_map(|rule| {
            (rule.check)(context).into_iter().map(|hit| Finding {
                acknowledgement: acknowledged.get(&(rule.code, hit.id)).map(|a| (*a).clone()),
                registers: affected(context.graph, &hit),
                rule,
                hit,
            })
        })
        .collect()
}

fn affected(graph: &OrganisationGraph, hit: &Hit) -> Vec<Uuid> {
    if let Some(register) = hit.register {
        return vec![register];
    }
    if hit.kind == NodeKind::Organisation {
        return graph.registers.iter().map(|r| r.id).collect();
    }
    let mut registers: Vec<Uuid> = graph
        .activities
        .iter()
        .filter(|a| {
            graph.links.get(&a.id).is_some_and(|l| {
                l.data_subject_categories.contains(&hit.id)
                    || l.personal_data_categories.contains(&hit.id)
                    || l.data_sources.contains(&hit.id)
                    || l.recipients.contains(&hit.id)
                    || l.security_measures.contains(&hit.id)
            })
        })
        .map(|a| a.register_id)
        .collect();
    registers.sort();
    registers.dedup();
    registers
}

/// The findings that count: not acknowledged, unless asked for.
pub fn open(findings: &[Finding]) -> impl Iterator<Item = &Finding> {
    findings.iter().filter(|f| f.acknowledgement.is_none())
}

/// Reads the organisation, its latest notices and acknowledgements, and checks it on `today`.
pub async fn check_organisation<C: ConnectionTrait>(
    db: &C,
    adequacy: &AdequacyList,
    organisation_id: Uuid,
    today: NaiveDate,
) -> AppResult<Vec<Finding>> {
    let graph = OrganisationGraph::load(db, organisation_id).await?;
    let mut published = HashMap::new();
    for version in notice_version::Entity::find()
        .filter(notice_version::Column::OrganisationId.eq(organisation_id))
        .all(db)
        .await?
    {
        let newer = published
            .get(&version.register_id)
            .is_none_or(|v: &notice_version::Model| v.number < version.number);
        if newer {
            published.insert(version.register_id, version);
        }
    }
    let acknowledgements = acknowledgement::Entity::find()
        .filter(acknowledgement::Column::OrganisationId.eq(organisation_id))
        .all(db)
        .await?;
    let context = Context {
        graph: &graph,
        adequacy,
        today,
        published: &published,
    };
    Ok(run(&context, &acknowledgements))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Art. 14 paragraph that asks of data obtained elsewhere what an Art. 13 paragraph asks
    /// of data collected from the person; none for 13(2)(e), which has no counterpart.
    fn art14_counterpart(art13: &str) -> Option<&'static str> {
        Some(match art13 {
            "13" => "14",
            "13(1)(a)" => "14(1)(a)",
            "13(1)(b)" => "14(1)(b)",
            "13(1)(c)" => "14(1)(c)",
            "13(1)(d)" => "14(2)(b)",
            "13(1)(e)" => "14(1)(e)",
            "13(1)(f)" => "14(1)(f)",
            "13(2)(a)" => "14(2)(a)",
            "13(2)(b)" => "14(2)(c)",
            "13(2)(c)" => "14(2)(d)",
            "13(2)(d)" => "14(2)(e)",
            "13(2)(f)" => "14(2)(g)",
            _ => return None,
        })
    }

    #[test]
    fn a_rule_citing_an_art13_paragraph_cites_its_art14_counterpart() {
        for rule in RULES {
            let cited: Vec<&str> = rule.article.split([',', ';']).map(str::trim).collect();
            for provision in cited.iter().filter(|p| p.starts_with("13")) {
                if let Some(counterpart) = art14_counterpart(provision) {
                    assert!(
                        cited.contains(&counterpart),
                        "{} cites {provision} but not {counterpart}",
                        rule.code
                    );
                }
            }
        }
        let derogation = RULES
            .iter()
            .find(|r| r.code == "TRANSFER_DEROGATION_UNDOCUMENTED")
            .expect("the rule");
        assert!(
            derogation.article.contains("49(6)"),
            "documenting a derogation is 49(6)"
        );
    }

    #[test]
    fn every_rule_has_a_message_in_every_language_and_no_message_lacks_a_rule() {
        let messages = messages().expect("messages.yaml reads");
        for rule in RULES {
            let m = messages
                .get(rule.code)
                .unwrap_or_else(|| panic!("{} has no message", rule.code));
            for lang in Lang::ALL {
                assert!(m.get(lang).contains("{subject}"), "{} {lang:?}", rule.code);
            }
        }
        for code in messages.keys() {
            assert!(rule(code).is_some(), "message {code} has no rule");
        }
    }

    #[test]
    fn codes_are_unique_and_upper_snake_case() {
        let mut seen = std::collections::BTreeSet::new();
        for rule in RULES {
            assert!(seen.insert(rule.code), "{} twice", rule.code);
            assert!(rule
                .code
                .chars()
                .all(|c| c.is_ascii_uppercase() || c == '_'));
        }
    }
}
