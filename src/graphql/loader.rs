//! The per-request loaders of a GraphQL request, and the lookups resolvers make through them
//! (the statements themselves are in [`crate::storage::loader`]).

use std::marker::PhantomData;
use std::sync::Arc;

use async_graphql::{Context, ErrorExtensions};
use sea_orm::{DatabaseConnection, DbErr, EntityTrait};
use uuid::Uuid;

use crate::error::AppError;
use crate::storage::batch::{Batcher, Scheduler};
use crate::storage::loader::{
    ByIdLoader, FilteredPageKey, FilteredPageLoader, NodeModel, PageKey, PageLoader,
    RegisterBySlugLoader,
};

/// Creates the per-request loaders for every node entity; registered into each request's data.
///
/// The loaders keep no cache between waves: whether a key were cached would depend on which
/// fetch of a wave finished first, and the statement count must not depend on timing. Keys
/// asked for twice within a wave are fetched once.
pub fn loaders_for(
    db: &DatabaseConnection,
    scheduler: &Arc<Scheduler>,
    request: async_graphql::Request,
) -> async_graphql::Request {
    macro_rules! with_loaders {
        ($request:expr, $($entity:path),*) => {
            $request
            $(
                .data(Batcher::new(ByIdLoader::<$entity> { db: db.clone(), entity: PhantomData }, scheduler.clone()))
                .data(Batcher::new(PageLoader::<$entity> { db: db.clone(), entity: PhantomData }, scheduler.clone()))
            )*
        };
    }
    use entity::*;
    macro_rules! with_filtered_loaders {
        ($request:expr, $($entity:path),*) => {
            $request
            $(
                .data(Batcher::new(FilteredPageLoader::<$entity> { db: db.clone(), entity: PhantomData }, scheduler.clone()))
            )*
        };
    }
    let request = request
        .data(super::compliance::ComplianceCache::default())
        .data(Batcher::new(
            RegisterBySlugLoader { db: db.clone() },
            scheduler.clone(),
        ));
    let request =
        with_filtered_loaders!(request, recipient::Entity, party::Entity, transfer::Entity);
    with_loaders!(
        request,
        organisation::Entity,
        contact::Entity,
        party::Entity,
        register::Entity,
        processing_activity::Entity,
        data_subject_category::Entity,
        personal_data_category::Entity,
        data_source::Entity,
        recipient::Entity,
        security_measure::Entity,
        transfer::Entity,
        retention_rule::Entity
    )
}

fn loader_error(err: Arc<DbErr>) -> async_graphql::Error {
    AppError::Internal(Box::new(DbErrCause(err))).extend()
}

#[derive(Debug)]
struct DbErrCause(Arc<DbErr>);

impl std::fmt::Display for DbErrCause {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for DbErrCause {}

/// One node by ID, batched with every other lookup of the same entity in the request.
pub async fn load_one<E>(ctx: &Context<'_>, id: Uuid) -> async_graphql::Result<Option<E::Model>>
where
    E: EntityTrait,
    E::Model: NodeModel,
{
    let loader = ctx.data::<Batcher<ByIdLoader<E>>>()?;
    loader.load(id).await.map_err(loader_error)
}

/// One page of children, batched with every other page of the same entity in the request.
pub async fn load_page<E>(ctx: &Context<'_>, key: PageKey) -> async_graphql::Result<Vec<E::Model>>
where
    E: EntityTrait,
    E::Model: NodeModel,
{
    let loader = ctx.data::<Batcher<PageLoader<E>>>()?;
    Ok(loader
        .load(key)
        .await
        .map_err(loader_error)?
        .unwrap_or_default())
}

/// One filtered page of an organisation's nodes, batched with every other page of the same
/// entity in the request.
pub async fn load_filtered_page<E>(
    ctx: &Context<'_>,
    key: FilteredPageKey,
) -> async_graphql::Result<Vec<E::Model>>
where
    E: EntityTrait,
    E::Model: NodeModel,
{
    let loader = ctx.data::<Batcher<FilteredPageLoader<E>>>()?;
    Ok(loader
        .load(key)
        .await
        .map_err(loader_error)?
        .unwrap_or_default())
}

/// The register of an organisation with a slug, batched.
pub async fn register_by_slug(
    ctx: &Context<'_>,
    organisation: Uuid,
    slug: String,
) -> async_graphql::Result<Option<entity::register::Model>> {
    let loader = ctx.data::<Batcher<RegisterBySlugLoader>>()?;
    loader
        .load((organisation, slug))
        .await
        .map_err(loader_error)
}
