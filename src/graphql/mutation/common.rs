//! What every graph mutation shares: opening the write, finding the node and deciding whether
//! the caller may change it, reading input values, and the common input and payload types.

use async_graphql::{Context, InputObject, MaybeUndefined, SimpleObject, ID};
use chrono::Utc;
use uuid::Uuid;

use crate::audit::Author;
use crate::authz::{Action, Decisions, Scope};
use crate::error::{AppError, AppResult};
use crate::ids::{self, NodeKind};
use crate::save_rules::Rules;
use crate::state::AppState;
use crate::write::{self, Stored, Write};

/// A text in one language, as written in an input.
#[derive(InputObject, Clone, Debug)]
pub struct TranslationInput {
    /// The language: a BCP 47 tag among the supported ones (`fi`, `sv`, `en`).
    pub language: String,
    /// The text; surrounding white space is removed, and an empty text means none.
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

/// The request's state, decisions and author, with a write transaction open.
pub struct Editing<'a> {
    pub state: &'a AppState,
    pub decisions: &'a Decisions,
    pub w: Write,
}

impl<'a> Editing<'a> {
    pub async fn begin(ctx: &Context<'a>) -> AppResult<Self> {
        let missing = |e: async_graphql::Error| AppError::Internal(e.message.into());
        let state = ctx.data::<AppState>().map_err(missing)?;
        let decisions = ctx.data::<Decisions>().map_err(missing)?;
        let w = Write::begin(&state.db, &state.write_gate, Author::api(decisions.actor())).await?;
        Ok(Self {
            state,
            decisions,
            w,
        })
    }

    pub fn rules(&self) -> Rules<'_> {
        Rules {
            w: &self.w,
            adequacy: &self.state.adequacy,
            today: Utc::now().date_naive(),
        }
    }

    /// Editing in `scope` is allowed; else FORBIDDEN to those who may see it, NOT_FOUND to others.
    pub fn require(
        &self,
        action: Action,
        scope: Scope,
        what: impl FnOnce() -> String,
    ) -> AppResult<()> {
        if self.decisions.allows(action, scope) {
            Ok(())
        } else if self.decisions.allows(Action::Read, scope) {
            Err(AppError::Forbidden(format!(
                "changing {} takes the `{}` permission",
                what(),
                action.as_str()
            )))
        } else {
            Err(AppError::NotFound(what()))
        }
    }

    /// The stored node `id` names, which the caller must be allowed to edit.
    pub async fn editable<M: Stored>(&self, id: &ID, field: &str) -> AppResult<M> {
        let uuid = ids::decode_as(M::KIND, id, field)?;
        let not_found = || AppError::NotFound(format!("{} {}", M::NOUN, id.as_str()));
        let node = write::find::<M>(&self.w, uuid)
            .await?
            .ok_or_else(not_found)?;
        self.require(Action::Edit, node.edit_scope(), || {
            format!("{} {}", M::NOUN, id.as_str())
        })?;
        Ok(node)
    }

    /// The organisation `id` names, in which the caller must be allowed to edit.
    pub async fn organisation(&self, id: &ID, field: &str) -> AppResult<Uuid> {
        let uuid = ids::decode_as(NodeKind::Organisation, id, field)?;
        let scope = Scope::Organisation(uuid);
        let name = || format!("organisation {}", id.as_str());
        // Whether it exists is not told to those who may not see it.
        self.require(Action::Edit, scope, name)?;
        write::find::<entity::organisation::Model>(&self.w, uuid)
            .await?
            .ok_or_else(|| AppError::NotFound(name()))?;
        Ok(uuid)
    }
}

/// A multilingual text from its translations: supported languages only, each once.
pub fn text(field: &str, translations: Vec<TranslationInput>) -> AppResult<entity::LocalizedText> {
    let mut text = entity::LocalizedText::default();
    for (i, t) in translations.into_iter().enumerate() {
        crate::domain::formats::language(&format!("{field}[{i}].language"), &t.language)?;
        if text.0.contains_key(&t.language) {
            return Err(AppError::invalid(
                format!("{field}[{i}].language"),
                format!("`{}` is given twice", t.language),
            ));
        }
        let value = t.text.trim();
        if !value.is_empty() {
            text.0.insert(t.language, value.to_owned());
        }
    }
    Ok(text)
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

/// Sets a multilingual text when given; `null`, like `[]`, clears it.
pub fn set_text(
    slot: &mut entity::LocalizedText,
    field: &str,
    value: MaybeUndefined<Vec<TranslationInput>>,
) -> AppResult<()> {
    match value {
        MaybeUndefined::Undefined => {}
        MaybeUndefined::Null => *slot = entity::LocalizedText::default(),
        MaybeUndefined::Value(value) => *slot = text(field, value)?,
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
