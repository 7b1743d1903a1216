//! Privacy notices: finding a register by its public slugs, its published versions, and
//! publishing the current notice as the next version.

use chrono::Utc;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::Serialize;

use super::{Actor, Editing};
use crate::authz::{Action, Scope};
use crate::domain::limits;
use crate::error::{AppError, AppResult};
use crate::ids::{self, NodeKind};
use crate::notice::{publish, Lang, SectionId};
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

/// The most a reason for publishing over gaps may hold.
const MAX_REASON: usize = 2000;

/// Freezes the register's current notice, in every language, as its next version (takes
/// `publish`); a draft register becomes published. Refused while the notice has draft gaps or
/// its register unacknowledged error-level findings, unless `override_reason` says why it is
/// published anyway, which takes `acknowledge` too (dpo and admin). Returns the version and the
/// register.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn publish(
    actor: Actor<'_>,
    register_id: &str,
    override_reason: Option<&str>,
) -> AppResult<(Version, register::Model)> {
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
    if override_reason.is_some() {
        e.require(
            Action::Acknowledge,
            Scope::Organisation(found.organisation_id),
            what,
        )?;
    }
    let version = publish_in(
        &e.w,
        &e.state.adequacy,
        Utc::now().date_naive(),
        id,
        override_reason,
    )
    .await?;
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

/// A gap of the draft notice, as a published version records it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct UnsaidGap {
    section: SectionId,
    message: String,
    node_ids: Vec<String>,
}

/// An open error-level finding of the register, as a published version records it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct UnsaidFinding {
    rule: &'static str,
    node_id: String,
    message: String,
}

/// Publishes the register's notice inside `w`, with the gate every publication passes: while
/// the draft has gaps or the register has unacknowledged error-level findings, it is refused
/// unless `override_reason` is given; the version records what it was published with.
pub async fn publish_in(
    w: &write::Write,
    adequacy: &crate::domain::adequacy::AdequacyList,
    today: chrono::NaiveDate,
    register_id: uuid::Uuid,
    override_reason: Option<&str>,
) -> AppResult<notice_version::Model> {
    let reason = override_reason.map(str::trim);
    if let Some(reason) = reason {
        if reason.is_empty() {
            return Err(AppError::invalid(
                "overrideReason",
                "must say why the notice is published with what it leaves unsaid",
            ));
        }
        limits::text("overrideReason", reason, MAX_REASON, limits::Shape::Lines)?;
    }
    let graph = crate::notice::RegisterGraph::load(&w.txn, register_id).await?;
    let lang = default_language(&graph.register, &graph.organisation);
    let draft = crate::notice::draft(&graph, lang, adequacy, today)?;
    let gaps: Vec<UnsaidGap> = draft
        .gaps()
        .map(|(section, gap)| UnsaidGap {
            section: section.id,
            message: gap.message.clone(),
            node_ids: gap.node_ids.clone(),
        })
        .collect();
    let findings: Vec<UnsaidFinding> =
        crate::checks::check_organisation(&w.txn, adequacy, graph.organisation.id, today)
            .await?
            .iter()
            .filter(|f| f.acknowledgement.is_none())
            .filter(|f| f.rule.severity == crate::checks::Severity::Error)
            .filter(|f| f.registers.contains(&register_id))
            .map(|f| UnsaidFinding {
                rule: f.rule.code,
                node_id: f.node_id(),
                message: f.message(lang),
            })
            .collect();
    if reason.is_none() && !(gaps.is_empty() && findings.is_empty()) {
        let mut named: Vec<String> = gaps.iter().map(|g| g.message.clone()).collect();
        named.extend(
            findings
                .iter()
                .map(|f| format!("{} ({})", f.rule, f.node_id)),
        );
        let shown = named
            .iter()
            .take(10)
            .cloned()
            .collect::<Vec<_>>()
            .join("; ");
        let more = named.len().saturating_sub(10);
        let more = if more > 0 {
            format!("; and {more} more")
        } else {
            String::new()
        };
        return Err(AppError::invalid(
            "registerId",
            format!(
                "the notice is not complete: {} draft gap(s) and {} unacknowledged error-level finding(s): {shown}{more}. Fill them, acknowledge the findings, or publish with overrideReason (dpo or admin)",
                gaps.len(),
                findings.len()
            ),
        ));
    }
    let record = serde_json::json!({ "gaps": gaps, "findings": findings });
    publish::publish(
        w,
        adequacy,
        today,
        register_id,
        publish::Unsaid {
            record,
            override_reason: reason.map(str::to_owned),
        },
    )
    .await
}
