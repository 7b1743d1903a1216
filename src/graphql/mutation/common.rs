//! What every graph mutation shares: reading input values into the stored model, and the
//! common input and payload types.

use async_graphql::{InputObject, MaybeUndefined, SimpleObject, ID};
use uuid::Uuid;

use crate::error::{AppError, AppResult};
use crate::ids::{self, NodeKind};

/// A text in one language, as written in an input. An update sets the languages it names and
/// keeps the others: to change the Swedish text, send only Swedish. An empty text removes its
/// language; `null` for the whole field removes every language.
#[derive(InputObject, Clone, Debug)]
pub struct TranslationInput {
    /// The language: a BCP 47 tag among the supported ones (`fi`, `sv`, `en`).
    pub language: String,
    /// The text; surrounding white space is removed. An empty text removes the language.
    pub text: String,
}

/// Which node to delete, and the version the caller last read.
#[derive(InputObject)]
pub struct DeleteInput {
    /// The node to delete.
    pub id: ID,
    /// The version the deletion is based on; CONFLICT if the node changed since.
    pub version: i32,
}

/// The result of a deletion.
#[derive(SimpleObject)]
pub struct DeletePayload {
    /// The ID of the node that no longer exists.
    pub deleted_id: ID,
}

/// Writes `translations` into `text`: each named language is set, or removed when its text is
/// empty; languages not named keep their text. Supported languages only, each once.
fn merge(
    text: &mut entity::LocalizedText,
    field: &str,
    translations: Vec<TranslationInput>,
) -> AppResult<()> {
    let mut named = std::collections::BTreeSet::new();
    for (i, t) in translations.into_iter().enumerate() {
        crate::domain::formats::language(&format!("{field}[{i}].language"), &t.language)?;
        if !named.insert(t.language.clone()) {
            return Err(AppError::invalid(
                format!("{field}[{i}].language"),
                format!("`{}` is given twice", t.language),
            ));
        }
        let value = t.text.trim();
        if value.is_empty() {
            text.0.remove(&t.language);
        } else {
            text.0.insert(t.language, value.to_owned());
        }
    }
    Ok(())
}

/// Sets a required value when given; `null` is refused, since a required value cannot be
/// cleared (leave the field out to keep it).
pub fn set<T>(slot: &mut T, field: &str, value: MaybeUndefined<T>) -> AppResult<()> {
    match value {
        MaybeUndefined::Undefined => Ok(()),
        MaybeUndefined::Null => Err(AppError::invalid(
            field,
            "is required and cannot be null; leave it out to keep its value",
        )),
        MaybeUndefined::Value(value) => {
            *slot = value;
            Ok(())
        }
    }
}

/// Sets, clears (null) or keeps (absent) an optional value; empty strings clear.
pub fn set_opt(slot: &mut Option<String>, value: MaybeUndefined<String>) {
    match value {
        MaybeUndefined::Undefined => {}
        MaybeUndefined::Null => *slot = None,
        MaybeUndefined::Value(v) => {
            let v = v.trim();
            *slot = (!v.is_empty()).then(|| v.to_owned());
        }
    }
}

/// Sets, clears or keeps an optional value of any type.
pub fn set_maybe<T, U: Into<T>>(slot: &mut Option<T>, value: MaybeUndefined<U>) {
    match value {
        MaybeUndefined::Undefined => {}
        MaybeUndefined::Null => *slot = None,
        MaybeUndefined::Value(v) => *slot = Some(v.into()),
    }
}

/// Writes a multilingual text when given: the languages named are set (an empty text removes
/// its language) and the others kept, so an update never loses a translation it did not name;
/// `null` clears every language.
pub fn set_text(
    slot: &mut entity::LocalizedText,
    field: &str,
    value: MaybeUndefined<Vec<TranslationInput>>,
) -> AppResult<()> {
    match value {
        MaybeUndefined::Undefined => {}
        MaybeUndefined::Null => *slot = entity::LocalizedText::default(),
        MaybeUndefined::Value(value) => {
            // Checked whole before anything is written: a refusal leaves the text as it was.
            let mut merged = slot.clone();
            merge(&mut merged, field, value)?;
            *slot = merged;
        }
    }
    Ok(())
}

/// Sets, clears or keeps a reference to a node of `kind`.
pub fn set_ref(
    slot: &mut Option<Uuid>,
    kind: NodeKind,
    field: &str,
    value: MaybeUndefined<ID>,
) -> AppResult<()> {
    match value {
        MaybeUndefined::Undefined => {}
        MaybeUndefined::Null => *slot = None,
        MaybeUndefined::Value(id) => *slot = Some(ids::decode_as(kind, &id, field)?),
    }
    Ok(())
}
