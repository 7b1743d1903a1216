//! Format rules for the values the graph stores; each failure names the field and the rule.

use crate::error::AppError;

use super::countries;

type Checked = Result<(), AppError>;

/// A Finnish business ID (Y-tunnus): seven digits, a hyphen and a check digit. Weights
/// 7, 9, 10, 5, 8, 4, 2; remainder 0 gives 0, remainder 1 is never issued, otherwise 11 − remainder.
pub fn y_tunnus(field: &str, value: &str) -> Checked {
    let rule = "must be a Finnish business ID (Y-tunnus) such as 2388488-1";
    let bytes = value.as_bytes();
    if bytes.len() != 9
        || bytes[7] != b'-'
        || !value
            .chars()
            .enumerate()
            .all(|(i, c)| i == 7 || c.is_ascii_digit())
    {
        return Err(AppError::invalid(field, rule));
    }
    let digit = |i: usize| u32::from(bytes[i] - b'0');
    let sum: u32 = [7, 9, 10, 5, 8, 4, 2]
        .iter()
        .enumerate()
        .map(|(i, w)| w * digit(i))
        .sum();
    let check = match sum % 11 {
        0 => 0,
        1 => {
            return Err(AppError::invalid(
                field,
                format!("{rule}: no valid ID gives remainder 1"),
            ))
        }
        r => 11 - r,
    };
    if digit(8) != check {
        return Err(AppError::invalid(
            field,
            format!("{rule}: the check digit should be {check}"),
        ));
    }
    Ok(())
}

/// An ISO 3166-1 alpha-2 code.
pub fn country(field: &str, value: &str) -> Checked {
    if countries::is_country(value) {
        Ok(())
    } else {
        Err(AppError::invalid(
            field,
            "must be an ISO 3166-1 alpha-2 country code in upper case, such as FI",
        ))
    }
}

/// A business ID, checked as a Y-tunnus when the country is Finland.
pub fn business_id(field: &str, value: &str, country: Option<&str>) -> Checked {
    match country {
        Some("FI") => y_tunnus(field, value),
        _ => length(field, value, 1, 40),
    }
}

/// A supported language tag.
pub fn language(field: &str, value: &str) -> Checked {
    if entity::SUPPORTED_LANGUAGES.contains(&value) {
        Ok(())
    } else {
        Err(AppError::invalid(
            field,
            "must be one of the supported languages: fi, sv, en",
        ))
    }
}

/// A slug or key: 1 to 100 characters of a–z, 0–9 and single hyphens, not at either end.
pub fn slug(field: &str, value: &str) -> Checked {
    let ok = !value.is_empty()
        && value.len() <= 100
        && value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !value.starts_with('-')
        && !value.ends_with('-')
        && !value.contains("--");
    if ok {
        Ok(())
    } else {
        Err(AppError::invalid(
            field,
            "must be 1–100 characters of a–z, 0–9 and single inner hyphens",
        ))
    }
}

/// An e-mail address: one `@` with a local part and a dotted domain, no spaces.
pub fn email(field: &str, value: &str) -> Checked {
    let ok = value.len() <= 320
        && !value.chars().any(char::is_whitespace)
        && matches!(value.split_once('@'), Some((local, domain))
            if !local.is_empty() && !domain.contains('@') && domain.contains('.')
            && !domain.starts_with('.') && !domain.ends_with('.'));
    if ok {
        Ok(())
    } else {
        Err(AppError::invalid(
            field,
            "must be an e-mail address such as tietosuoja@example.fi",
        ))
    }
}

/// An absolute http(s) URL.
pub fn url(field: &str, value: &str) -> Checked {
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"));
    let ok = value.len() <= 2000
        && !value.chars().any(char::is_whitespace)
        && rest.is_some_and(|r| {
            r.split('/')
                .next()
                .is_some_and(|host| host.contains('.') || host.starts_with("localhost"))
        });
    if ok {
        Ok(())
    } else {
        Err(AppError::invalid(
            field,
            "must be an absolute http or https URL",
        ))
    }
}

/// An ISO 8601 duration of years, months, weeks and days (`P10Y`, `P6M`, `P1Y6M`, `P30D`).
pub fn duration(field: &str, value: &str) -> Checked {
    let rule = "must be an ISO 8601 duration of years, months, weeks or days, such as P10Y or P6M";
    let Some(body) = value.strip_prefix('P') else {
        return Err(AppError::invalid(field, rule));
    };
    let mut number = String::new();
    let mut last_unit = 0;
    let mut units = 0;
    for c in body.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let order = match c {
            'Y' => 1,
            'M' => 2,
            'W' => 3,
            'D' => 4,
            _ => return Err(AppError::invalid(field, rule)),
        };
        if number.is_empty() || order <= last_unit {
            return Err(AppError::invalid(field, rule));
        }
        number.clear();
        last_unit = order;
        units += 1;
    }
    if units == 0 || !number.is_empty() {
        return Err(AppError::invalid(field, rule));
    }
    Ok(())
}

/// A text between `min` and `max` characters.
pub fn length(field: &str, value: &str, min: usize, max: usize) -> Checked {
    let n = value.chars().count();
    if n < min || n > max {
        Err(AppError::invalid(
            field,
            format!("must be {min} to {max} characters long"),
        ))
    } else {
        Ok(())
    }
}

/// A multilingual text: only supported languages, each at most `max` characters.
pub fn localized(field: &str, value: &entity::LocalizedText, max: usize) -> Checked {
    for (lang, text) in &value.0 {
        language(&format!("{field}.{lang}"), lang)?;
        length(&format!("{field}.{lang}"), text, 0, max)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(r: Checked) -> String {
        r.unwrap_err().to_string()
    }

    #[test]
    fn y_tunnus_checks_its_check_digit() {
        assert!(y_tunnus("businessId", "2388488-1").is_ok());
        assert!(y_tunnus("businessId", "1060493-2").is_ok());
        assert!(y_tunnus("businessId", "2104986-6").is_ok());
        assert!(message(y_tunnus("businessId", "2388488-2")).contains("check digit should be 1"));
        assert!(message(y_tunnus("businessId", "2388488")).starts_with("businessId: must be"));
        assert!(y_tunnus("businessId", "23884a8-1").is_err());
    }

    #[test]
    fn business_ids_of_other_countries_are_not_y_tunnus() {
        assert!(business_id("businessId", "HRB 86891", Some("DE")).is_ok());
        assert!(business_id("businessId", "HRB 86891", Some("FI")).is_err());
    }

    #[test]
    fn durations_are_iso_8601_dates() {
        for ok in ["P10Y", "P6M", "P1Y6M", "P2W", "P30D", "P1Y2M3D"] {
            assert!(duration("period", ok).is_ok(), "{ok}");
        }
        for bad in ["10Y", "P", "PY", "P6M1Y", "P1.5Y", "P1H", "P10"] {
            assert!(duration("period", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn slugs_emails_urls_and_languages() {
        assert!(slug("slug", "asiakasrekisteri").is_ok());
        assert!(slug("slug", "Asiakas").is_err());
        assert!(slug("slug", "a--b").is_err());
        assert!(email("email", "tietosuoja@example.fi").is_ok());
        assert!(email("email", "tietosuoja(at)example.fi").is_err());
        assert!(url("website", "https://www.example.fi/tietosuoja").is_ok());
        assert!(url("website", "www.example.fi").is_err());
        assert!(language("languages", "sv").is_ok());
        assert_eq!(
            message(language("languages", "de")),
            "languages: must be one of the supported languages: fi, sv, en"
        );
    }
}
