//! The translation catalogue: every fixed word and legal sentence of a notice, in Finnish,
//! Swedish and English, kept in `catalogue.yaml` rather than scattered in code.
//!
//! The file is read into typed structs, so a key the code uses cannot be missing from it and a
//! key it holds cannot be misspelt in the code; the enumerations (legal bases, mechanisms, …)
//! are maps checked complete by the tests.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::model::SectionId;
use super::Lang;
use crate::error::{AppError, AppResult};

const SOURCE: &str = include_str!("catalogue.yaml");

/// One phrase in the three languages.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tr {
    fi: String,
    sv: String,
    en: String,
}

impl Tr {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fi => &self.fi,
            Lang::Sv => &self.sv,
            Lang::En => &self.en,
        }
    }

    /// The phrase with each `{name}` replaced by its value.
    pub fn fill(&self, lang: Lang, values: &[(&str, &str)]) -> String {
        fill(self.get(lang), values)
    }

    #[cfg(test)]
    fn all(&self) -> [&str; 3] {
        [&self.fi, &self.sv, &self.en]
    }
}

/// A phrase with a count: singular and plural, each with `{n}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plural {
    fi: [String; 2],
    sv: [String; 2],
    en: [String; 2],
}

impl Plural {
    pub fn get(&self, lang: Lang, n: u64) -> String {
        let forms = match lang {
            Lang::Fi => &self.fi,
            Lang::Sv => &self.sv,
            Lang::En => &self.en,
        };
        let form = if n == 1 { &forms[0] } else { &forms[1] };
        form.replace("{n}", &n.to_string())
    }
}

fn fill(template: &str, values: &[(&str, &str)]) -> String {
    values
        .iter()
        .fold(template.to_owned(), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        })
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageNames {
    pub fi: Tr,
    pub sv: Tr,
    pub en: Tr,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Labels {
    pub business_id: Tr,
    pub address: Tr,
    pub email: Tr,
    pub phone: Tr,
    pub website: Tr,
    pub contact_person: Tr,
    pub representative: Tr,
    pub legal_basis: Tr,
    pub special_condition: Tr,
    pub criminal_basis: Tr,
    pub national_id: Tr,
    pub processed_in: Tr,
    pub data_categories: Tr,
    pub country: Tr,
    pub international_organisation: Tr,
    pub recipient: Tr,
    pub mechanism: Tr,
    pub safeguards_copy: Tr,
    pub period: Tr,
    pub starts_from: Tr,
    pub criteria: Tr,
    pub applies_to: Tr,
    pub consequence: Tr,
    pub logic: Tr,
    pub consequences: Tr,
    pub provided_by: Tr,
    pub all_purposes: Tr,
    pub data_category_retention: Tr,
    pub joint_controller: Tr,
    pub transfer: Tr,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sentences {
    pub erasure_kept_by_law: Tr,
    pub no_transfers: Tr,
    pub adequacy_in_force: Tr,
    pub adequacy_scope: Tr,
    pub no_adequacy: Tr,
    pub safeguards_on_request: Tr,
    pub right_applies_all: Tr,
    pub withdraw_consent: Tr,
    pub complaint: Tr,
    pub supervisory_authority: Tr,
    pub no_automated: Tr,
    pub profiling: Tr,
    pub automated_decisions: Tr,
    pub public_source: Tr,
    pub not_public_source: Tr,
    pub exercise_contact: Tr,
}

/// What editors are told is missing.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gaps {
    pub transfers_unknown: Tr,
    pub automated_unknown: Tr,
    pub source_public_unknown: Tr,
    pub direct_marketing_unknown: Tr,
    pub automated_means_unknown: Tr,
    pub no_contact: Tr,
    pub dpo_missing: Tr,
    pub no_activities: Tr,
    pub no_purpose: Tr,
    pub no_legal_basis: Tr,
    pub no_legitimate_interests: Tr,
    pub no_data_categories: Tr,
    pub no_data_subjects: Tr,
    pub no_sources: Tr,
    pub no_recipients: Tr,
    pub transfer_no_destination: Tr,
    pub transfer_no_mechanism: Tr,
    pub transfer_no_copy: Tr,
    pub adequacy_not_in_force: Tr,
    pub no_retention: Tr,
    pub no_withdrawal: Tr,
    pub no_supervisory_authority: Tr,
    pub no_provision: Tr,
    pub no_national_id_justification: Tr,
    pub no_automated_logic: Tr,
    pub no_security: Tr,
    pub no_rights_instructions: Tr,
    pub rights_basis_unknown: Tr,
    pub text_missing: Tr,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Durations {
    pub years: Plural,
    pub months: Plural,
    pub weeks: Plural,
    pub days: Plural,
    pub and: Tr,
}

/// The whole catalogue.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalogue {
    pub title: Tr,
    pub contents: Tr,
    pub intro_13: Tr,
    pub intro_13_14: Tr,
    /// The opening of a notice that still has gaps: no claim that it meets Art. 13 and 14.
    pub intro_partial: Tr,
    pub intro_partial_14: Tr,
    pub last_reviewed: Tr,
    pub published_version: Tr,
    pub draft_banner: Tr,
    pub gap_banner: Tr,
    pub fallback: Tr,
    pub article: Tr,
    pub language_names: LanguageNames,
    headings: BTreeMap<String, Tr>,
    pub labels: Labels,
    pub sentences: Sentences,
    pub gaps: Gaps,
    pub duration: Durations,
    legal_basis: BTreeMap<String, Tr>,
    special_condition: BTreeMap<String, Tr>,
    mechanism: BTreeMap<String, Tr>,
    recipient_kind: BTreeMap<String, Tr>,
    security_kind: BTreeMap<String, Tr>,
    data_category_kind: BTreeMap<String, Tr>,
    provision: BTreeMap<String, Tr>,
    right: BTreeMap<String, Tr>,
}

/// The catalogue, read once. It is compiled in, and a test reads it, so an error here means
/// a build that skipped its tests; it is reported, never a panic.
pub fn catalogue() -> AppResult<&'static Catalogue> {
    static CATALOGUE: OnceLock<Result<Catalogue, String>> = OnceLock::new();
    CATALOGUE
        .get_or_init(|| serde_norway::from_str(SOURCE).map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| AppError::Internal(format!("notice catalogue: {e}").into()))
}

/// The serde name of a vocabulary value (`"consent"`, `"standard_contractual_clauses"`).
fn key<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn lookup<'a, T: Serialize>(map: &'a BTreeMap<String, Tr>, value: &T, lang: Lang) -> &'a str {
    map.get(&key(value))
        .map(|t| t.get(lang))
        .unwrap_or_default()
}

impl Catalogue {
    pub fn heading(&self, section: SectionId, lang: Lang) -> &str {
        lookup(&self.headings, &section, lang)
    }
    pub fn legal_basis(&self, value: entity::LegalBasis, lang: Lang) -> &str {
        lookup(&self.legal_basis, &value, lang)
    }
    pub fn special_condition(&self, value: entity::SpecialCategoryCondition, lang: Lang) -> &str {
        lookup(&self.special_condition, &value, lang)
    }
    pub fn mechanism(&self, value: entity::TransferMechanism, lang: Lang) -> &str {
        lookup(&self.mechanism, &value, lang)
    }
    pub fn recipient_kind(&self, value: entity::RecipientKind, lang: Lang) -> &str {
        lookup(&self.recipient_kind, &value, lang)
    }
    pub fn security_kind(&self, value: entity::SecurityMeasureKind, lang: Lang) -> &str {
        lookup(&self.security_kind, &value, lang)
    }
    pub fn data_category_kind(&self, value: entity::DataCategoryKind, lang: Lang) -> &str {
        lookup(&self.data_category_kind, &value, lang)
    }
    pub fn provision(&self, value: entity::ProvisionRequirement, lang: Lang) -> &str {
        lookup(&self.provision, &value, lang)
    }
    pub fn right(&self, value: crate::domain::rights::Right, lang: Lang) -> &str {
        lookup(&self.right, &value, lang)
    }
    pub fn language_name(&self, of: Lang, lang: Lang) -> &str {
        match of {
            Lang::Fi => self.language_names.fi.get(lang),
            Lang::Sv => self.language_names.sv.get(lang),
            Lang::En => self.language_names.en.get(lang),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::rights::Right;
    use sea_orm::Iterable;

    fn keys<T: Serialize>(values: impl IntoIterator<Item = T>) -> Vec<String> {
        values.into_iter().map(|v| key(&v)).collect()
    }

    fn complete(name: &str, map: &BTreeMap<String, Tr>, expected: Vec<String>) {
        let present: Vec<&String> = map.keys().collect();
        let mut want = expected.clone();
        want.sort();
        assert_eq!(
            present,
            want.iter().collect::<Vec<_>>(),
            "{name}: the catalogue's keys differ from the vocabulary"
        );
    }

    #[test]
    fn the_catalogue_reads_and_covers_every_vocabulary() {
        let c = catalogue().expect("catalogue.yaml reads");
        complete("headings", &c.headings, keys(SectionId::ALL));
        complete(
            "legal_basis",
            &c.legal_basis,
            keys(entity::LegalBasis::iter()),
        );
        complete(
            "special_condition",
            &c.special_condition,
            keys(entity::SpecialCategoryCondition::iter()),
        );
        complete(
            "mechanism",
            &c.mechanism,
            keys(entity::TransferMechanism::iter()),
        );
        complete(
            "recipient_kind",
            &c.recipient_kind,
            keys(entity::RecipientKind::iter()),
        );
        complete(
            "security_kind",
            &c.security_kind,
            keys(entity::SecurityMeasureKind::iter()),
        );
        complete(
            "data_category_kind",
            &c.data_category_kind,
            keys(entity::DataCategoryKind::iter()),
        );
        complete(
            "provision",
            &c.provision,
            keys(entity::ProvisionRequirement::iter()),
        );
        complete("right", &c.right, keys(Right::ALL));
    }

    #[test]
    fn every_phrase_is_written_in_every_language() {
        let c = catalogue().unwrap();
        let maps = [
            &c.headings,
            &c.legal_basis,
            &c.special_condition,
            &c.mechanism,
            &c.recipient_kind,
            &c.security_kind,
            &c.provision,
            &c.right,
        ];
        for map in maps {
            for (key, tr) in map {
                for text in tr.all() {
                    assert!(!text.trim().is_empty(), "{key} has an empty translation");
                }
            }
        }
        // The plain phrases: checked through the YAML itself, so none can be left out.
        let raw: serde_json::Value = serde_norway::from_str(SOURCE).unwrap();
        fn walk(path: &str, v: &serde_json::Value) {
            if let Some(map) = v.as_object() {
                if map.contains_key("fi") && path != "language_names" {
                    for lang in ["fi", "sv", "en"] {
                        let ok = match &map[lang] {
                            serde_json::Value::String(s) => !s.trim().is_empty(),
                            serde_json::Value::Array(a) => a.len() == 2,
                            _ => false,
                        };
                        assert!(
                            ok || path.starts_with("data_category_kind.ordinary"),
                            "{path}.{lang} is missing or empty"
                        );
                    }
                } else {
                    for (k, child) in map {
                        walk(format!("{path}.{k}").trim_start_matches('.'), child);
                    }
                }
            }
        }
        walk("", &raw);
    }

    #[test]
    fn placeholders_are_filled() {
        let c = catalogue().unwrap();
        let text = c
            .gaps
            .no_purpose
            .fill(Lang::En, &[("activity", "Newsletter")]);
        assert_eq!(text, "No purpose is recorded for: Newsletter.");
        assert_eq!(c.duration.years.get(Lang::Fi, 10), "10 vuotta");
        assert_eq!(c.duration.years.get(Lang::Fi, 1), "1 vuosi");
        assert_eq!(c.duration.months.get(Lang::Sv, 6), "6 månader");
    }
}
