//! Privacy notices: finding a register by its public slugs, its published versions, and
//! publishing the current notice as the next version.

use chrono::Utc;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::{Actor, Editing};
use crate::authz::{Action, Scope};
use crate::domain::limits;
use crate::error::{AppError, AppResult};
use crate::ids::{self, NodeKind};
use crate::notice::{publish, Lang};
use crate::state::AppState;
use crate::write;
use entity::{notice_version, organisation, register};

/// A published version of a register's notice, with the language shown when none is asked for.
pub struct Version {
    pub model: notice_version::Model,
    pub default_language: Lang,
}

/// The language of a register's notice when none is asked for: the register's first, else the
/// organisation's default.
pub fn default_language(register: &register::Model, organisation: &organisation::Model) -> Lang {
    crate::notice::declared_languages(register, organisation)
        .first()
        .copied()
        .unwrap_or(Lang::Fi)
}

/// The organisation with this slug.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn organisation_by_slug(
    state: &AppState,
    slug: &str,
) -> AppResult<Option<organisation::Model>> {
    // A slug no row can hold (a NUL byte in a path segment) names nothing; PostgreSQL would
    // refuse to compare it.
    if !limits::could_be_stored("organisation", "slug", slug) {
        return Ok(None);
    }
    Ok(organisation::Entity::find()
        .filter(organisation::Column::Slug.eq(slug))
        .one(&state.db)
        .await?)
}

/// The registers of an organisation.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn registers_of(
    state: &AppState,
    organisation: &organisation::Model,
) -> AppResult<Vec<register::Model>> {
    Ok(register::Entity::find()
        .filter(register::Column::OrganisationId.eq(organisation.id))
        .all(&state.db)
        .await?)
}

/// A register by its organisation's slug and its own.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn by_slugs(
    state: &AppState,
    organisation_slug: &str,
    register_slug: &str,
) -> AppResult<Option<(organisation::Model, register::Model)>> {
    if !limits::could_be_stored("register", "slug", register_slug) {
        return Ok(None);
    }
    let Some(organisation) = organisation_by_slug(state, organisation_slug).await? else {
        return Ok(None);
    };
    Ok(register::Entity::find()
        .filter(register::Column::OrganisationId.eq(organisation.id))
        .filter(register::Column::Slug.eq(register_slug))
        .one(&state.db)
        .await?
        .map(|register| (organisation, register)))
}

/// The register named by two slugs.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn register_by_slugs(
    state: &AppState,
    organisation_slug: &str,
    register_slug: &str,
) -> AppResult<Option<register::Model>> {
    Ok(by_slugs(state, organisation_slug, register_slug)
        .await?
        .map(|(_, r)| r))
}

/// A published version by the organisation's and register's slugs, the latest or the one
/// numbered `number`: what the public reads.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn published(
    state: &AppState,
    organisation_slug: &str,
    register_slug: &str,
    number: Option<i32>,
) -> AppResult<Option<Version>> {
    let Some((organisation, register)) = by_slugs(state, organisation_slug, register_slug).await?
    else {
        return Ok(None);
    };
    let default = default_language(&register, &organisation);
    Ok(publish::version(&state.db, register.id, number)
        .await?
        .map(|model| Version {
            model,
            default_language: default,
        }))
}

/// The published versions of a register, newest first.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn versions(state: &AppState, register: &register::Model) -> AppResult<Vec<Version>> {
    let organisation = organisation::Entity::find_by_id(register.organisation_id)
        .one(&state.db)
        .await?
        .ok_or_else(|| AppError::NotFound("organisation".into()))?;
    let default = default_language(register, &organisation);
    Ok(publish::versions(&state.db, register.id)
        .await?
        .into_iter()
        .map(|model| Version {
            model,
            default_language: default,
        })
        .collect())
}

/// Freezes the register's current notice, in every language, as its next version (takes
/// `publish`); a draft register becomes published. Returns the version and the register.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn publish(actor: Actor<'_>, register_id: &str) -> AppResult<(Version, register::Model)> {
    let e = Editing::begin(actor).await?;
    let id = ids::decode_as(NodeKind::Register, register_id, "registerId")?;
    let what = || format!("register {register_id}");
    let found = write::find::<register::Model>(&e.w, id)
        .await?
        .ok_or_else(|| AppError::NotFound(what()))?;
    let scope = Scope::Register {
        id,
        organisation: found.organisation_id,
    };
    e.require(Action::Publish, scope, what)?;
    let version = publish::publish(&e.w, &e.state.adequacy, Utc::now().date_naive(), id).await?;
    let register = write::find::<register::Model>(&e.w, id)
        .await?
        .ok_or_else(|| AppError::NotFound(what()))?;
    let organisation = write::find::<organisation::Model>(&e.w, register.organisation_id)
        .await?
        .ok_or_else(|| AppError::NotFound(what()))?;
    e.w.commit().await?;
    let default_language = default_language(&register, &organisation);
    Ok((
        Version {
            model: version,
            default_language,
        },
        register,
    ))
}
