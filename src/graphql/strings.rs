//! Every string argument of a request is refused before any resolver runs when it holds a NUL
//! byte or another control character (line feed, tab and carriage return aside): PostgreSQL
//! cannot compare or store such text, so a lookup, a filter or an input would otherwise fail
//! as an internal error there and behave differently on SQLite. Which characters and how many
//! a stored field takes is checked later, per column ([`crate::domain::limits`]).

use std::sync::Arc;

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery};
use async_graphql::parser::types::{
    ExecutableDocument, Selection, SelectionSet, VariableDefinition,
};
use async_graphql::{Positioned, ServerError, ServerResult, Value, Variables};

/// The extension: checks the arguments of the parsed document with the variables given.
pub struct StringArguments;

impl ExtensionFactory for StringArguments {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(StringArguments)
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for StringArguments {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
        check_document(&document, variables)?;
        Ok(document)
    }
}

/// A character no argument may hold.
fn refused(c: char) -> bool {
    c.is_control() && !matches!(c, '\n' | '\t' | '\r')
}

pub(crate) fn check_document(
    document: &ExecutableDocument,
    variables: &Variables,
) -> ServerResult<()> {
    for (_, operation) in document.operations.iter() {
        let definitions = &operation.node.variable_definitions;
        check_set(&operation.node.selection_set, variables, definitions)?;
    }
    for fragment in document.fragments.values() {
        check_set(&fragment.node.selection_set, variables, &[])?;
    }
    // Variables no argument uses are checked too: they are input all the same.
    for (name, value) in variables.iter() {
        check_value(&format!("${name}"), value)?;
    }
    Ok(())
}

fn check_set(
    set: &Positioned<SelectionSet>,
    variables: &Variables,
    definitions: &[Positioned<VariableDefinition>],
) -> ServerResult<()> {
    for selection in &set.node.items {
        match &selection.node {
            Selection::Field(field) => {
                for (name, value) in &field.node.arguments {
                    let resolved = value.node.clone().into_const_with(|variable| {
                        Ok::<_, ()>(
                            variables
                                .get(&variable)
                                .cloned()
                                .or_else(|| {
                                    definitions
                                        .iter()
                                        .find(|d| d.node.name.node == variable)
                                        .and_then(|d| {
                                            d.node.default_value.as_ref().map(|v| v.node.clone())
                                        })
                                })
                                .unwrap_or(Value::Null),
                        )
                    });
                    if let Ok(resolved) = resolved {
                        // Errors name fields inside `input` as the rules do: `name[0].text`.
                        let base = match name.node.as_str() {
                            "input" => "",
                            other => other,
                        };
                        check_value(base, &resolved)?;
                    }
                }
                check_set(&field.node.selection_set, variables, definitions)?;
            }
            Selection::InlineFragment(fragment) => {
                check_set(&fragment.node.selection_set, variables, definitions)?;
            }
            Selection::FragmentSpread(_) => {}
        }
    }
    Ok(())
}

fn check_value(field: &str, value: &Value) -> ServerResult<()> {
    match value {
        Value::String(s) => match s.chars().find(|c| refused(*c)) {
            Some(c) => Err(refusal(field, c)),
            None => Ok(()),
        },
        Value::List(items) => items
            .iter()
            .enumerate()
            .try_for_each(|(i, v)| check_value(&format!("{field}[{i}]"), v)),
        Value::Object(map) => map.iter().try_for_each(|(k, v)| {
            let field = if field.is_empty() {
                k.to_string()
            } else {
                format!("{field}.{k}")
            };
            check_value(&field, v)
        }),
        _ => Ok(()),
    }
}

fn refusal(field: &str, c: char) -> ServerError {
    let what = if c == '\0' {
        "a NUL character".to_owned()
    } else {
        format!("the control character U+{:04X}", u32::from(c))
    };
    let mut error = ServerError::new(
        format!("{field}: contains {what}, which no text may hold"),
        None,
    );
    let mut extensions = async_graphql::ErrorExtensionValues::default();
    extensions.set("code", "BAD_USER_INPUT");
    extensions.set("field", field);
    error.extensions = Some(extensions);
    error
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checked(query: &str, variables: serde_json::Value) -> ServerResult<()> {
        let document = async_graphql::parser::parse_query(query).expect("parses");
        check_document(&document, &Variables::from_json(variables))
    }

    #[test]
    fn nul_in_an_argument_or_a_variable_names_its_path() {
        let err = checked(
            r#"{ organisation(slug: "puuha\u0000") { id } }"#,
            serde_json::json!({}),
        )
        .unwrap_err();
        assert_eq!(
            err.message,
            "slug: contains a NUL character, which no text may hold"
        );
        let err = checked(
            "mutation($i: CreateContactInput!) { createContact(input: $i) { contact { id } } }",
            serde_json::json!({"i": {"fields": {"name": "a\u{1b}b"}}}),
        )
        .unwrap_err();
        assert!(
            err.message
                .starts_with("fields.name: contains the control character U+001B"),
            "{}",
            err.message
        );
        assert!(checked(
            r#"{ organisation(slug: "a\nb\tc") { id } }"#,
            serde_json::json!({})
        )
        .is_ok());
    }
}
