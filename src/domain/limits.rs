//! The one table of every stored string: how long it may be and which characters it may hold,
//! and the check every row passes before it is written (API, importer and restore alike).
//!
//! PostgreSQL refuses a NUL byte in `text`, `varchar` and `jsonb` and a value longer than its
//! `varchar(n)`; SQLite stores both. Checking each row against this table before writing makes
//! the two backends answer alike, with `BAD_USER_INPUT` naming the field. A unit test holds the
//! table to the migrations' column sizes, so a new string column cannot be left out.

use serde_json::Value;

use crate::error::{AppError, AppResult};

/// The longest free text in one language of a multilingual text (a JSON column).
pub const MAX_JSON_TEXT: usize = 20_000;

/// Which characters a stored string may hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// A slug, key, e-mail address, URL, code or enumeration: no control characters, no bidi
    /// overrides or isolates, no zero-width characters.
    Identifier,
    /// One line of text: no control characters.
    Line,
    /// Text of several lines: no control characters except line feed and tab.
    Lines,
    /// A value of an enumeration of `entity`: reading the row into its type checks it, and a
    /// unit test that every stored value fits the column.
    Enumeration,
}

/// The limit of one column.
#[derive(Clone, Copy, Debug)]
pub struct Limit {
    pub table: &'static str,
    pub column: &'static str,
    /// The most characters it may hold; at most the column's `varchar(n)`.
    pub max: usize,
    pub shape: Shape,
}

const fn limit(table: &'static str, column: &'static str, max: usize, shape: Shape) -> Limit {
    Limit {
        table,
        column,
        max,
        shape,
    }
}

use Shape::{Enumeration as Enum, Identifier as Id, Line, Lines};

/// Every string column of every table (JSON columns are checked as multilingual texts, see
/// [`check_row`]). Texts of unbounded `text` columns get the limit the service sets.
pub const LIMITS: &[Limit] = &[
    limit("organisation", "slug", 100, Id),
    limit("organisation", "name", 300, Line),
    limit("organisation", "business_id", 40, Id),
    limit("organisation", "country", 2, Id),
    limit("organisation", "address", 500, Lines),
    limit("organisation", "email", 320, Id),
    limit("organisation", "phone", 50, Line),
    limit("organisation", "website", 2000, Id),
    limit("organisation", "default_language", 16, Id),
    limit("contact", "key", 100, Id),
    limit("contact", "name", 300, Line),
    limit("contact", "email", 320, Id),
    limit("contact", "phone", 50, Line),
    limit("contact", "address", 500, Lines),
    limit("party", "key", 100, Id),
    limit("party", "name", 300, Line),
    limit("party", "kind", 24, Enum),
    limit("party", "business_id", 40, Id),
    limit("party", "country", 2, Id),
    limit("party", "address", 500, Lines),
    limit("party", "email", 320, Id),
    limit("party", "phone", 50, Line),
    limit("party", "website", 2000, Id),
    limit("party", "contract_reference", 500, Line),
    limit("register", "slug", 100, Id),
    limit("register", "kind", 24, Enum),
    limit("register", "status", 16, Enum),
    limit("register", "internal_notes", 20_000, Lines),
    limit("processing_activity", "key", 100, Id),
    limit("processing_activity", "legal_basis", 16, Enum),
    limit(
        "processing_activity",
        "special_category_condition",
        16,
        Enum,
    ),
    limit("processing_activity", "provision_requirement", 24, Enum),
    limit("processing_activity", "role", 24, Enum),
    limit("processing_activity", "dpia_status", 16, Enum),
    limit("processing_activity", "dpia_reference", 500, Line),
    limit("processing_activity", "lia_reference", 500, Line),
    limit("processing_activity", "data_location", 2000, Lines),
    limit("processing_activity", "internal_notes", 20_000, Lines),
    limit("data_subject_category", "key", 100, Id),
    limit("personal_data_category", "key", 100, Id),
    limit("personal_data_category", "kind", 16, Enum),
    limit("data_source", "key", 100, Id),
    limit("data_source", "kind", 16, Enum),
    limit("recipient", "key", 100, Id),
    limit("recipient", "kind", 16, Enum),
    limit("security_measure", "key", 100, Id),
    limit("security_measure", "kind", 16, Enum),
    limit("security_measure", "internal_details", 20_000, Lines),
    limit("transfer", "country", 2, Id),
    limit("transfer", "international_organisation", 300, Line),
    limit("transfer", "mechanism", 16, Enum),
    limit("transfer", "safeguards_reference", 500, Line),
    limit("retention_rule", "period", 40, Id),
    limit("account", "name", 300, Line),
    limit("account", "email", 320, Id),
    limit("account", "kind", 16, Enum),
    limit("membership", "role", 16, Enum),
    limit("api_token", "name", 200, Line),
    limit("api_token", "secret_hash", 64, Id),
    limit("audit_event", "source", 16, Id),
    limit("audit_event", "node_kind", 40, Id),
    limit("audit_event", "action", 16, Id),
    limit("notice_version", "content_hash", 64, Id),
    limit("notice_version", "override_reason", 2000, Lines),
    limit("acknowledgement", "rule", 64, Id),
    limit("acknowledgement", "reason", 2000, Lines),
];

/// The limit of `table.column`, if it is a string column.
pub fn of(table: &str, column: &str) -> Option<&'static Limit> {
    LIMITS
        .iter()
        .find(|l| l.table == table && l.column == column)
}

/// Bidi embeddings, overrides and isolates, and zero-width characters: they make an identifier
/// read as something it is not.
fn deceptive(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

/// Whether `c` may appear in a string of this shape.
pub fn allowed(shape: Shape, c: char) -> bool {
    match shape {
        Shape::Identifier | Shape::Enumeration => !c.is_control() && !deceptive(c),
        Shape::Line => !c.is_control(),
        Shape::Lines => !c.is_control() || c == '\n' || c == '\t',
    }
}

/// Why `value` cannot be stored as `shape`, if it cannot.
fn refusal(shape: Shape, value: &str) -> Option<String> {
    let c = value.chars().find(|c| !allowed(shape, *c))?;
    let what = if c == '\0' {
        "a NUL character".to_owned()
    } else if c.is_control() {
        format!("the control character U+{:04X}", u32::from(c))
    } else {
        format!("the invisible formatting character U+{:04X}", u32::from(c))
    };
    let allowed = match shape {
        Shape::Identifier | Shape::Enumeration => "control, bidi or zero-width characters",
        Shape::Line => "control characters (it is one line)",
        Shape::Lines => "control characters other than line feed and tab",
    };
    Some(format!("contains {what}; it may not hold {allowed}"))
}

/// `value` has at most `max` characters, all allowed in `shape`.
pub fn text(field: &str, value: &str, max: usize, shape: Shape) -> AppResult<()> {
    if let Some(message) = refusal(shape, value) {
        return Err(AppError::invalid(field, message));
    }
    let n = value.chars().count();
    if n > max {
        return Err(AppError::invalid(
            field,
            format!("is {n} characters long; at most {max} are allowed"),
        ));
    }
    Ok(())
}

/// Whether a lookup value (a slug or key in a path, a query argument) could be stored as
/// `table.column` at all; when not, the lookup finds nothing without asking the database.
pub fn could_be_stored(table: &str, column: &str, value: &str) -> bool {
    of(table, column).is_none_or(|l| text(column, value, l.max, l.shape).is_ok())
}

/// The GraphQL input field of a column: `internal_notes` is `internalNotes`.
pub fn input_field(column: &str) -> String {
    crate::history::camel(column)
}

/// Checks every string of a row of `table` (the row as its entity serializes: column names as
/// keys) against [`LIMITS`]; JSON columns hold multilingual texts or lists, whose keys are
/// identifiers and whose texts have several lines and at most [`MAX_JSON_TEXT`] characters.
/// `field` names a column in the caller's words (the input field, the document path).
pub fn check_row(table: &str, row: &Value, field: impl Fn(&str) -> String) -> AppResult<()> {
    let Value::Object(columns) = row else {
        return Ok(());
    };
    for (column, value) in columns {
        match (value, of(table, column)) {
            // As serialized, an enumeration has its Rust name, not its stored value.
            (Value::String(_), Some(l)) if l.shape == Shape::Enumeration => {}
            (Value::String(s), Some(l)) => text(&field(column), s, l.max, l.shape)?,
            (Value::Object(_) | Value::Array(_), _) => json(&field(column), value)?,
            _ => {}
        }
    }
    Ok(())
}

/// The strings of a JSON value, each named by its path under `field`.
fn json(field: &str, value: &Value) -> AppResult<()> {
    match value {
        Value::String(s) => text(field, s, MAX_JSON_TEXT, Shape::Lines),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .try_for_each(|(i, v)| json(&format!("{field}[{i}]"), v)),
        Value::Object(map) => map.iter().try_for_each(|(k, v)| {
            let field = format!("{field}.{k}");
            text(&field, k, 100, Shape::Identifier)?;
            json(&field, v)
        }),
        _ => Ok(()),
    }
}

/// Checks a model about to be written through the API, naming columns as input fields.
pub fn check_model<M: serde::Serialize>(table: &str, model: &M) -> AppResult<()> {
    let row = serde_json::to_value(model).map_err(AppError::internal)?;
    check_row(table, &row, input_field)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn message(r: AppResult<()>) -> String {
        r.unwrap_err().to_string()
    }

    #[test]
    fn nul_and_control_characters_are_refused_by_shape() {
        assert!(message(text("name", "a\0b", 300, Shape::Line)).contains("NUL"));
        assert!(text("name", "a\nb", 300, Shape::Line).is_err());
        assert!(text("address", "a\nb\tc", 500, Shape::Lines).is_ok());
        assert!(text("address", "a\r\nb", 500, Shape::Lines).is_err());
        assert!(text("address", "a\u{85}b", 500, Shape::Lines).is_err());
        assert!(text("name", "a\u{202E}b", 300, Shape::Line).is_ok());
        for bad in [
            "\u{202E}", "\u{2066}", "\u{200B}", "\u{2060}", "\u{FEFF}", "\u{1b}",
        ] {
            let value = format!("tietosuoja{bad}@example.fi");
            assert!(
                text("email", &value, 320, Shape::Identifier).is_err(),
                "{bad:?}"
            );
        }
        assert_eq!(
            message(text("period", &"P1Y".repeat(20), 40, Shape::Identifier)),
            "period: is 60 characters long; at most 40 are allowed"
        );
    }

    #[test]
    fn rows_name_the_column_and_the_language() {
        let row = json!({"slug": "puuha", "internal_notes": "ok\nfine", "name": {"fi": "a\u{0}"}});
        assert_eq!(
            message(check_row("register", &row, input_field)),
            "name.fi: contains a NUL character; it may not hold control characters other than line feed and tab"
        );
        let row = json!({"internal_notes": "bad\u{7}"});
        assert!(message(check_row("register", &row, input_field)).starts_with("internalNotes:"));
        assert!(!could_be_stored("organisation", "slug", "puuha\0"));
        assert!(could_be_stored("organisation", "slug", "puuha"));
    }

    #[test]
    fn every_stored_value_of_an_enumeration_fits_its_column() {
        use sea_orm::{ActiveEnum, Iterable};
        macro_rules! fits {
            ($($ty:ident => $table:literal . $column:literal),* $(,)?) => {$(
                let l = of($table, $column).unwrap();
                assert_eq!(l.shape, Shape::Enumeration);
                for v in entity::$ty::iter() {
                    let stored = v.to_value();
                    assert!(stored.chars().count() <= l.max, "{}.{}: {stored}", $table, $column);
                }
            )*};
        }
        fits!(
            PartyKind => "party"."kind",
            RegisterKind => "register"."kind",
            RegisterStatus => "register"."status",
            LegalBasis => "processing_activity"."legal_basis",
            SpecialCategoryCondition => "processing_activity"."special_category_condition",
            ProvisionRequirement => "processing_activity"."provision_requirement",
            ProcessingRole => "processing_activity"."role",
            DpiaStatus => "processing_activity"."dpia_status",
            DataCategoryKind => "personal_data_category"."kind",
            SourceKind => "data_source"."kind",
            RecipientKind => "recipient"."kind",
            SecurityMeasureKind => "security_measure"."kind",
            TransferMechanism => "transfer"."mechanism",
            AccountKind => "account"."kind",
            Role => "membership"."role",
        );
        assert_eq!(
            LIMITS
                .iter()
                .filter(|l| l.shape == Shape::Enumeration)
                .count(),
            15
        );
    }

    /// The table agrees with the migrations: every `varchar(n)` and `text` column has an entry
    /// of at most `n` characters, and every entry names a string column.
    #[tokio::test]
    async fn the_limits_agree_with_the_migrations_column_sizes() {
        use migration::MigratorTrait;
        use sea_orm::{ConnectionTrait, Database, FromQueryResult, Statement};

        #[derive(FromQueryResult)]
        struct Column {
            name: String,
            ty: String,
        }
        #[derive(FromQueryResult)]
        struct Table {
            name: String,
        }

        let db = Database::connect("sqlite::memory:").await.unwrap();
        migration::Migrator::up(&db, None).await.unwrap();
        let backend = db.get_database_backend();
        let tables = Table::find_by_statement(Statement::from_string(
            backend,
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'seaql_migrations'",
        ))
        .all(&db)
        .await
        .unwrap();
        let mut strings = Vec::new();
        for table in tables {
            let columns = Column::find_by_statement(Statement::from_string(
                backend,
                format!(
                    "SELECT name, type AS ty FROM pragma_table_info('{}')",
                    table.name
                ),
            ))
            .all(&db)
            .await
            .unwrap();
            for column in columns {
                let ty = column.ty.to_ascii_lowercase();
                let size = if ty == "text" {
                    Some(usize::MAX)
                } else {
                    ty.strip_prefix("varchar(")
                        .and_then(|n| n.strip_suffix(')'))
                        .map(|n| n.parse::<usize>().unwrap())
                };
                if let Some(size) = size {
                    let entry = of(&table.name, &column.name).unwrap_or_else(|| {
                        panic!("{}.{} ({ty}) has no limit", table.name, column.name)
                    });
                    assert!(
                        entry.max <= size,
                        "{}.{}: limit {} above the column's {size}",
                        table.name,
                        column.name,
                        entry.max
                    );
                    strings.push((table.name.clone(), column.name.clone()));
                }
            }
        }
        for l in LIMITS {
            assert!(
                strings.iter().any(|(t, c)| t == l.table && c == l.column),
                "{}.{} is not a string column of the migrations",
                l.table,
                l.column
            );
        }
    }
}
