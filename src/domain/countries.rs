//! ISO 3166-1 alpha-2 country codes and membership of the EU/EEA.

/// Members of the European Economic Area: the 27 EU member states, Iceland, Liechtenstein and
/// Norway. Transfers among them need no Chapter V mechanism.
const EEA: [&str; 30] = [
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

/// True for an assigned ISO 3166-1 alpha-2 code (upper case).
pub fn is_country(code: &str) -> bool {
    code.len() == 2 && ISO_3166_1.split(' ').any(|c| c == code)
}

/// True when the country is in the EU/EEA.
pub fn is_eea(code: &str) -> bool {
    EEA.contains(&code)
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
}
