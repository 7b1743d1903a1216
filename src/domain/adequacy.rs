//! Adequacy decisions (GDPR Art. 45): which destinations the Commission has found adequate, and
//! when. Kept as dated data in `data/adequacy.csv`, shipped with the service; to update it,
//! edit that file (one row per decision, a renewal is a new row) and rebuild.

use chrono::NaiveDate;
use serde::Deserialize;

/// The list as shipped.
const SOURCE: &str = include_str!("../../data/adequacy.csv");

/// What a decision covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DestinationKind {
    Country,
    InternationalOrganisation,
}

/// One adequacy decision.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct AdequacyDecision {
    /// ISO 3166-1 alpha-2 for a country; an acronym for an international organisation.
    pub destination: String,
    pub kind: DestinationKind,
    pub name: String,
    /// The decision's title or number.
    pub decision: String,
    pub adopted_on: NaiveDate,
    /// The last day it applies, for a decision with a sunset; none when open-ended.
    pub valid_until: Option<NaiveDate>,
    /// A decision limited to part of the destination (a sector, certified organisations), in
    /// English; `scope_fi` and `scope_sv` say it in Finnish and Swedish.
    pub scope: Option<String>,
    pub scope_fi: Option<String>,
    pub scope_sv: Option<String>,
}

impl AdequacyDecision {
    /// The scope in the language tagged `lang` (`fi`, `sv`, `en`).
    pub fn scope_in(&self, lang: &str) -> Option<&str> {
        match lang {
            "fi" => self.scope_fi.as_deref(),
            "sv" => self.scope_sv.as_deref(),
            _ => self.scope.as_deref(),
        }
    }

    /// True when the decision applies on `date`.
    pub fn in_force_on(&self, date: NaiveDate) -> bool {
        self.adopted_on <= date && self.valid_until.is_none_or(|until| date <= until)
    }
}

/// Every decision, in the order of the file.
#[derive(Clone, Debug)]
pub struct AdequacyList(Vec<AdequacyDecision>);

/// The list could not be read.
#[derive(Debug, thiserror::Error)]
#[error("data/adequacy.csv, record {record}: {message}")]
pub struct ListError {
    record: usize,
    message: String,
}

impl AdequacyList {
    /// The list shipped with the service.
    pub fn shipped() -> Result<Self, ListError> {
        Self::parse(SOURCE)
    }

    /// Parses a list in the format of `data/adequacy.csv`.
    pub fn parse(text: &str) -> Result<Self, ListError> {
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let mut decisions = Vec::new();
        for (i, row) in reader.deserialize::<AdequacyDecision>().enumerate() {
            let decision = row.map_err(|e| ListError {
                record: i + 1,
                message: e.to_string(),
            })?;
            if decision.kind == DestinationKind::Country
                && !super::countries::is_country(&decision.destination)
            {
                return Err(ListError {
                    record: i + 1,
                    message: format!(
                        "`{}` is not an ISO 3166-1 alpha-2 code",
                        decision.destination
                    ),
                });
            }
            let scopes = [&decision.scope, &decision.scope_fi, &decision.scope_sv];
            if scopes.iter().any(|s| s.is_some()) && scopes.iter().any(|s| s.is_none()) {
                return Err(ListError {
                    record: i + 1,
                    message: "a scope is written in English, Finnish and Swedish (scope, scope_fi, scope_sv), or not at all".into(),
                });
            }
            decisions.push(decision);
        }
        Ok(Self(decisions))
    }

    /// Every decision.
    pub fn all(&self) -> &[AdequacyDecision] {
        &self.0
    }

    /// The decision in force for `destination` on `date`, if any.
    pub fn in_force(&self, destination: &str, date: NaiveDate) -> Option<&AdequacyDecision> {
        self.0
            .iter()
            .filter(|d| d.destination == destination && d.in_force_on(date))
            .max_by_key(|d| d.adopted_on)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_shipped_list_parses() {
        let list = AdequacyList::shipped().expect("data/adequacy.csv is valid");
        assert!(list.all().len() >= 17);
    }

    #[test]
    fn decisions_apply_from_their_adoption_and_until_their_end() {
        let list = AdequacyList::shipped().unwrap();
        assert!(
            list.in_force("KR", date(2021, 1, 1)).is_none(),
            "Korea came in 2021"
        );
        assert!(list.in_force("KR", date(2022, 1, 1)).is_some());
        assert!(
            list.in_force("US", date(2023, 7, 9)).is_none(),
            "the Data Privacy Framework began on 10 July 2023"
        );
        assert!(list
            .in_force("US", date(2023, 7, 10))
            .unwrap()
            .scope
            .is_some());
        assert_eq!(
            list.in_force("GB", date(2024, 1, 1)).unwrap().valid_until,
            Some(date(2025, 12, 27))
        );
        assert_eq!(
            list.in_force("GB", date(2026, 11, 22)).unwrap().valid_until,
            Some(date(2031, 12, 27))
        );
        assert!(list.in_force("GB", date(2032, 1, 1)).is_none());
        assert!(list.in_force("CN", date(2026, 1, 1)).is_none());
        assert!(list.in_force("EPO", date(2026, 1, 1)).is_some());
    }

    #[test]
    fn a_broken_list_names_the_record() {
        let err = AdequacyList::parse("destination,kind,name,decision,adopted_on,valid_until,scope,scope_fi,scope_sv\nXX,country,Nowhere,D,2020-01-01,,,,\n")
            .unwrap_err();
        assert!(
            err.to_string().starts_with("data/adequacy.csv, record 1:"),
            "{err}"
        );
        assert!(AdequacyList::parse("destination,kind,name,decision,adopted_on,valid_until,scope,scope_fi,scope_sv\nJP,country,Japan,D,not a date,,,,\n").is_err());
        assert!(
            AdequacyList::parse("destination,kind,name,decision,adopted_on,valid_until,scope,scope_fi,scope_sv\nJP,country,Japan,D,2019-01-23,,Private sector,,\n").is_err(),
            "a scope in English only would put English into the Finnish and Swedish notices"
        );
    }
}
