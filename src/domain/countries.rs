//! ISO 3166-1 alpha-2 country codes, membership of the EU/EEA, and country names in English,
//! Finnish and Swedish.
//!
//! The names in `data/countries.csv` were generated with the PyPI package pycountry 26.2.16, whose
//! fi/sv names are the Debian iso-codes translations (English: `common_name`, else `name`), then
//! reviewed by hand: GB in fi/sv and KR in fi were changed to their short common forms.

use std::collections::HashMap;
use std::sync::OnceLock;

/// Members of the European Economic Area: the 27 EU member states, Iceland, Liechtenstein and
/// Norway. Transfers among them need no Chapter V mechanism.
pub const EEA: [&str; 30] = [
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
    "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "IS", "LI", "NO",
];

/// Every officially assigned ISO 3166-1 alpha-2 code.
const ISO_3166_1: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL \
BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM \
DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY \
HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC \
LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE \
NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD \
SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA \
UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

/// Country names as shipped: `code,en,fi,sv`, one row per code of [`ISO_3166_1`].
const NAMES: &str = include_str!("../../data/countries.csv");

/// A country's names, by language: English, Finnish, Swedish.
type Names = HashMap<String, [String; 3]>;

/// True for an assigned ISO 3166-1 alpha-2 code (upper case).
pub fn is_country(code: &str) -> bool {
    code.len() == 2 && ISO_3166_1.split(' ').any(|c| c == code)
}

/// True when the country is in the EU/EEA.
pub fn is_eea(code: &str) -> bool {
    EEA.contains(&code)
}

/// The country's name in `language` (`en`, `fi` or `sv`); none for another language or an
/// unknown code (upper case, as [`is_country`]).
pub fn name(code: &str, language: &str) -> Option<&'static str> {
    static NAMES_BY_CODE: OnceLock<Option<Names>> = OnceLock::new();
    let column = match language {
        "en" => 0,
        "fi" => 1,
        "sv" => 2,
        _ => return None,
    };
    let names = NAMES_BY_CODE.get_or_init(|| parse_names(NAMES).ok());
    let name: &'static String = &names.as_ref()?.get(code)?[column];
    Some(name.as_str())
}

/// Parses names in the format of `data/countries.csv`.
fn parse_names(text: &str) -> Result<Names, String> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().map_err(|e| e.to_string())?;
    if header != vec!["code", "en", "fi", "sv"] {
        return Err(format!("unexpected header {header:?}"));
    }
    let mut names = HashMap::new();
    for (i, row) in reader.records().enumerate() {
        let row = row.map_err(|e| format!("record {}: {e}", i + 1))?;
        let (Some(code), Some(en), Some(fi), Some(sv)) =
            (row.get(0), row.get(1), row.get(2), row.get(3))
        else {
            return Err(format!("record {}: too few fields", i + 1));
        };
        if names
            .insert(
                code.to_owned(),
                [en.to_owned(), fi.to_owned(), sv.to_owned()],
            )
            .is_some()
        {
            return Err(format!("record {}: `{code}` twice", i + 1));
        }
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_holds_all_249_assigned_codes() {
        assert_eq!(ISO_3166_1.split(' ').count(), 249);
        assert!(EEA.iter().all(|c| is_country(c)));
    }

    #[test]
    fn finland_is_in_the_eea_and_the_us_is_not() {
        assert!(is_eea("FI") && is_eea("NO"));
        assert!(!is_eea("US") && !is_eea("GB") && !is_eea("CH"));
        assert!(is_country("US") && !is_country("XX") && !is_country("fi"));
    }

    #[test]
    fn every_code_has_a_name_in_each_language() {
        let names = parse_names(NAMES).expect("data/countries.csv is valid");
        for code in ISO_3166_1.split(' ') {
            let row = names
                .get(code)
                .unwrap_or_else(|| panic!("no names for {code}"));
            assert!(row.iter().all(|n| !n.trim().is_empty()), "{code}: {row:?}");
        }
        assert_eq!(names.len(), 249, "the file holds codes not in ISO_3166_1");
        assert!(names.keys().all(|c| is_country(c)));
    }

    #[test]
    fn names_are_the_common_forms() {
        let names = |code| ["en", "fi", "sv"].map(|l| name(code, l).unwrap());
        assert_eq!(names("US"), ["United States", "Yhdysvallat", "USA"]);
        assert_eq!(
            names("GB"),
            ["United Kingdom", "Iso-Britannia", "Storbritannien"]
        );
        assert_eq!(names("SE"), ["Sweden", "Ruotsi", "Sverige"]);
        assert_eq!(names("FI"), ["Finland", "Suomi", "Finland"]);
        assert_eq!(name("KR", "fi"), Some("Etelä-Korea"));
        assert_eq!(name("AX", "sv"), Some("Åland"));
        assert_eq!(name("US", "de"), None);
        assert_eq!(name("XX", "en"), None);
        assert_eq!(name("us", "en"), None);
    }

    #[test]
    fn a_malformed_file_is_an_error() {
        assert!(parse_names("code,en,fi\nFI,Finland,Suomi\n").is_err());
        assert!(parse_names("code,en,fi,sv\nFI,Finland,Suomi\n").is_err());
        assert!(
            parse_names("code,en,fi,sv\nFI,Finland,Suomi,Finland\nFI,Finland,Suomi,Finland\n")
                .is_err()
        );
    }
}
