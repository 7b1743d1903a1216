//! The fixed words of the records (titles, column headings, the vocabularies the notice
//! catalogue does not hold), in Finnish, Swedish and English, read into typed structs from
//! `catalogue.yaml`.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::error::{AppError, AppResult};
use crate::notice::catalogue::Tr;
use crate::notice::Lang;

const SOURCE: &str = include_str!("catalogue.yaml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeaderLabels {
    pub header_sheet: Tr,
    pub activities_sheet: Tr,
    pub organisation: Tr,
    pub business_id: Tr,
    pub country: Tr,
    pub address: Tr,
    pub email: Tr,
    pub phone: Tr,
    pub website: Tr,
    pub contact: Tr,
    pub dpo: Tr,
    pub representative: Tr,
    pub joint_controllers: Tr,
    pub supervisory_authority: Tr,
    pub registers: Tr,
    pub produced_at: Tr,
    pub as_of: Tr,
    pub graph_version: Tr,
    pub language: Tr,
    pub controller: Tr,
}

/// The records' catalogue.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordCatalogue {
    pub controller_title: Tr,
    pub processor_title: Tr,
    pub word_yes: Tr,
    pub word_no: Tr,
    pub word_undeclared: Tr,
    pub word_none: Tr,
    pub word_not_applicable: Tr,
    pub transfers_destinations_undeclared: Tr,
    pub destination_undeclared: Tr,
    pub recipient_undeclared: Tr,
    pub mechanism_undeclared: Tr,
    pub third_countries: Tr,
    pub rights_undetermined: Tr,
    pub all_categories: Tr,
    pub unknown_controller: Tr,
    pub from: Tr,
    pub contract: Tr,
    pub adequacy: Tr,
    pub safeguards: Tr,
    pub header: HeaderLabels,
    columns: BTreeMap<String, Tr>,
    right: BTreeMap<String, Tr>,
    role: BTreeMap<String, Tr>,
    dpia_status: BTreeMap<String, Tr>,
    source_kind: BTreeMap<String, Tr>,
    party_kind: BTreeMap<String, Tr>,
    register_kind: BTreeMap<String, Tr>,
    register_status: BTreeMap<String, Tr>,
}

/// The catalogue, read once; a unit test reads it, so an error is reported, never a panic.
pub fn catalogue() -> AppResult<&'static RecordCatalogue> {
    static CATALOGUE: OnceLock<Result<RecordCatalogue, String>> = OnceLock::new();
    CATALOGUE
        .get_or_init(|| serde_norway::from_str(SOURCE).map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| AppError::Internal(format!("record catalogue: {e}").into()))
}

/// The serde name of a vocabulary value (`"joint_controller"`).
pub fn key<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn lookup<'a>(map: &'a BTreeMap<String, Tr>, key: &str, lang: Lang) -> &'a str {
    map.get(key).map(|t| t.get(lang)).unwrap_or_default()
}

impl RecordCatalogue {
    /// The heading of a column, by its key.
    pub fn column(&self, key: &str, lang: Lang) -> &str {
        lookup(&self.columns, key, lang)
    }
    /// A right's short name, by its code (`access`).
    pub fn right(&self, code: &str, lang: Lang) -> &str {
        lookup(&self.right, code, lang)
    }
    pub fn role(&self, value: entity::ProcessingRole, lang: Lang) -> &str {
        lookup(&self.role, &key(&value), lang)
    }
    pub fn dpia_status(&self, value: entity::DpiaStatus, lang: Lang) -> &str {
        lookup(&self.dpia_status, &key(&value), lang)
    }
    pub fn source_kind(&self, value: entity::SourceKind, lang: Lang) -> &str {
        lookup(&self.source_kind, &key(&value), lang)
    }
    pub fn party_kind(&self, value: entity::PartyKind, lang: Lang) -> &str {
        lookup(&self.party_kind, &key(&value), lang)
    }
    pub fn register_kind(&self, value: entity::RegisterKind, lang: Lang) -> &str {
        lookup(&self.register_kind, &key(&value), lang)
    }
    pub fn register_status(&self, value: entity::RegisterStatus, lang: Lang) -> &str {
        lookup(&self.register_status, &key(&value), lang)
    }
    /// Yes, no, or "not declared" for a fact nobody has declared.
    pub fn yes_no(&self, value: Option<bool>, lang: Lang) -> &str {
        match value {
            Some(true) => self.word_yes.get(lang),
            Some(false) => self.word_no.get(lang),
            None => self.word_undeclared.get(lang),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::Iterable;

    fn complete<T: Serialize>(
        name: &str,
        map: &BTreeMap<String, Tr>,
        values: impl Iterator<Item = T>,
    ) {
        let mut want: Vec<String> = values.map(|v| key(&v)).collect();
        want.sort();
        let have: Vec<String> = map.keys().cloned().collect();
        assert_eq!(
            have, want,
            "{name}: the catalogue's keys differ from the vocabulary"
        );
    }

    #[test]
    fn the_catalogue_reads_and_covers_every_vocabulary_and_column() {
        let c = catalogue().expect("catalogue.yaml reads");
        complete("role", &c.role, entity::ProcessingRole::iter());
        complete(
            "right",
            &c.right,
            crate::domain::rights::Right::ALL.into_iter(),
        );
        complete("dpia_status", &c.dpia_status, entity::DpiaStatus::iter());
        complete("source_kind", &c.source_kind, entity::SourceKind::iter());
        complete("party_kind", &c.party_kind, entity::PartyKind::iter());
        complete(
            "register_kind",
            &c.register_kind,
            entity::RegisterKind::iter(),
        );
        complete(
            "register_status",
            &c.register_status,
            entity::RegisterStatus::iter(),
        );
        use super::super::table::*;
        for column in CONTROLLER_COLUMNS
            .iter()
            .chain(&PROCESSOR_COLUMNS)
            .chain(&CONTROLLER_KEEPER)
            .chain(&PROCESSOR_KEEPER)
        {
            for lang in Lang::ALL {
                assert!(
                    !c.column(column.key, lang).is_empty(),
                    "column {} in {lang:?}",
                    column.key
                );
            }
        }
    }
}
