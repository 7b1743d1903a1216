//! Reads that are not a batched node lookup: the list of organisations, an organisation's audit
//! trail, the latest notices of registers, and whether a token still works.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::Actor;
use crate::error::{AppError, AppResult};
use crate::ids::{self, NodeKind};
use crate::state::AppState;
use crate::storage::loader::ReadFilter;
use crate::storage::page::{self, Order, PageArgs};
use entity::{api_token, audit_event, notice_version, organisation};

/// A page of the organisations `read` lets through, in the order they were created: up to
/// `first + 1` rows.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn organisations(
    actor: Actor<'_>,
    read: &ReadFilter,
    page: PageArgs,
) -> AppResult<Vec<organisation::Model>> {
    let query = organisation::Entity::find().filter(read.condition::<organisation::Entity>());
    page::keyset(
        &actor.state.db,
        query,
        organisation::Column::Id,
        Order::Oldest,
        page,
    )
    .await
}

/// Which audit events to list.
pub struct AuditFilter {
    /// Newest first instead of oldest first.
    pub newest_first: bool,
    pub node: Option<String>,
    pub account: Option<String>,
    pub token: Option<String>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
}

/// One page of an organisation's audit events, in the order they were written (or the
/// reverse): up to `first + 1` rows. The caller has checked that it may read the trail.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn audit_events(
    state: &AppState,
    organisation: Uuid,
    filter: AuditFilter,
    page: PageArgs,
) -> AppResult<Vec<audit_event::Model>> {
    let mut query =
        audit_event::Entity::find().filter(audit_event::Column::OrganisationId.eq(organisation));
    if let Some(node) = &filter.node {
        let (_, id) = ids::decode(node)
            .ok_or_else(|| AppError::invalid("nodeId", "is not an ID of this service"))?;
        query = query.filter(audit_event::Column::NodeId.eq(id));
    }
    if let Some(account) = &filter.account {
        let id = ids::decode_as(NodeKind::Account, account, "accountId")?;
        query = query.filter(audit_event::Column::AccountId.eq(id));
    }
    if let Some(token) = &filter.token {
        let id = ids::decode_as(NodeKind::ApiToken, token, "tokenId")?;
        query = query.filter(audit_event::Column::TokenId.eq(id));
    }
    if let Some(since) = filter.since {
        query = query.filter(Expr::col(audit_event::Column::OccurredAt).gte(since));
    }
    if let Some(until) = filter.until {
        query = query.filter(Expr::col(audit_event::Column::OccurredAt).lte(until));
    }
    let order = if filter.newest_first {
        Order::Newest
    } else {
        Order::Oldest
    };
    page::keyset(&state.db, query, audit_event::Column::Id, order, page).await
}

/// The latest published version of each of these registers' notices: one statement.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn latest_notices(
    state: &AppState,
    registers: &BTreeSet<Uuid>,
) -> AppResult<Vec<notice_version::Model>> {
    if registers.is_empty() {
        return Ok(Vec::new());
    }
    let versions = notice_version::Entity::find()
        .filter(notice_version::Column::RegisterId.is_in(registers.iter().copied()))
        .all(&state.db)
        .await?;
    let mut latest: BTreeMap<Uuid, notice_version::Model> = BTreeMap::new();
    for version in versions {
        match latest.get(&version.register_id) {
            Some(known) if known.number >= version.number => {}
            _ => {
                latest.insert(version.register_id, version);
            }
        }
    }
    Ok(latest.into_values().collect())
}

/// The token with this ID, read now.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn token(db: &DatabaseConnection, id: Uuid) -> AppResult<Option<api_token::Model>> {
    Ok(api_token::Entity::find_by_id(id).one(db).await?)
}

/// How many processing activities an organisation has, in `registers` only when any are
/// named: what a record of them reads.
pub async fn activity_count(
    db: &DatabaseConnection,
    organisation: Uuid,
    registers: &[Uuid],
) -> AppResult<u64> {
    use entity::processing_activity;
    use sea_orm::PaginatorTrait;
    let mut activities = processing_activity::Entity::find()
        .filter(processing_activity::Column::OrganisationId.eq(organisation));
    if !registers.is_empty() {
        activities = activities
            .filter(processing_activity::Column::RegisterId.is_in(registers.iter().copied()));
    }
    Ok(activities.count(db).await?)
}
