//! Accounts, memberships and API tokens as an organisation's admin manages them: every change
//! scoped to the organisations the caller administers, and audited.

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::Actor;
use crate::authz::{Action, Decisions, Scope};
use crate::error::{AppError, AppResult};
use crate::identity;
use crate::ids::{self, NodeKind};
use entity::{account, api_token, membership, AccountKind, Role};

/// The organisations whose members the caller manages.
fn managed_organisations(decisions: &Decisions) -> Vec<Uuid> {
    decisions
        .actor()
        .organisations()
        .into_iter()
        .filter(|o| decisions.allows(Action::ManageMembers, Scope::Organisation(*o)))
        .collect()
}

/// The organisation, which the caller must manage: NOT_FOUND when it may not even read it.
fn require_manage(decisions: &Decisions, organisation: Uuid) -> AppResult<()> {
    let scope = Scope::Organisation(organisation);
    if decisions.allows(Action::ManageMembers, scope) {
        Ok(())
    } else if decisions.allows(Action::Read, scope) {
        Err(AppError::Forbidden(
            "managing members takes the admin role".into(),
        ))
    } else {
        Err(AppError::NotFound(format!(
            "organisation {}",
            ids::encode(NodeKind::Organisation, organisation)
        )))
    }
}

/// The account with this ID.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn account(actor: Actor<'_>, id: Uuid) -> AppResult<Option<account::Model>> {
    Ok(account::Entity::find_by_id(id).one(&actor.state.db).await?)
}

/// The caller's own account; none when anonymous.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn me(actor: Actor<'_>) -> AppResult<Option<account::Model>> {
    match actor.decisions.actor().account_id {
        Some(id) => account(actor, id).await,
        None => Ok(None),
    }
}

/// The memberships of an organisation, in the order they were granted. The caller has checked
/// that it may manage the organisation's members.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn members(actor: Actor<'_>, organisation: Uuid) -> AppResult<Vec<membership::Model>> {
    Ok(membership::Entity::of_organisation(organisation)
        .order_by_asc(membership::Column::Id)
        .all(&actor.state.db)
        .await?)
}

/// An account's roles in the organisations the caller manages (all of them for the caller's
/// own account).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn memberships_of(actor: Actor<'_>, account: Uuid) -> AppResult<Vec<membership::Model>> {
    let mut query = membership::Entity::find().filter(membership::Column::AccountId.eq(account));
    if actor.decisions.actor().account_id != Some(account) {
        query = query.filter(
            membership::Column::OrganisationId.is_in(managed_organisations(actor.decisions)),
        );
    }
    Ok(query
        .order_by_asc(membership::Column::Id)
        .all(&actor.state.db)
        .await?)
}

/// An account's tokens, newest first: those scoped to the organisations the caller manages (all
/// of them for the caller's own account).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn tokens_of(actor: Actor<'_>, account: Uuid) -> AppResult<Vec<api_token::Model>> {
    let mut query = api_token::Entity::find().filter(api_token::Column::AccountId.eq(account));
    if actor.decisions.actor().account_id != Some(account) {
        query = query.filter(
            api_token::Column::OrganisationId.is_in(managed_organisations(actor.decisions)),
        );
    }
    Ok(query
        .order_by_desc(api_token::Column::Id)
        .all(&actor.state.db)
        .await?)
}

/// A new account.
pub struct NewAccount<'a> {
    pub organisation_id: &'a str,
    pub name: &'a str,
    pub email: Option<&'a str>,
    pub kind: AccountKind,
    pub role: Role,
    pub register_id: Option<&'a str>,
}

/// Creates an account with a first role in an organisation the caller manages.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn create_account(
    actor: Actor<'_>,
    new: NewAccount<'_>,
) -> AppResult<(account::Model, membership::Model)> {
    let organisation = ids::decode_as(
        NodeKind::Organisation,
        new.organisation_id,
        "organisationId",
    )?;
    require_manage(actor.decisions, organisation)?;
    let register = new
        .register_id
        .map(|r| ids::decode_as(NodeKind::Register, r, "registerId"))
        .transpose()?;
    let w = actor.write().await?;
    let created = identity::create_account_audited(
        &w,
        organisation,
        new.name,
        new.email,
        new.kind,
        register,
        new.role,
    )
    .await?;
    w.commit().await?;
    Ok(created)
}

/// Whether the account holds a role in the organisation.
async fn is_member(actor: Actor<'_>, account: Uuid, organisation: Uuid) -> AppResult<bool> {
    Ok(membership::Entity::find()
        .filter(membership::Column::AccountId.eq(account))
        .filter(membership::Column::OrganisationId.eq(organisation))
        .one(&actor.state.db)
        .await?
        .is_some())
}

/// Grants a role to an account that already belongs to an organisation the caller manages.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn grant_role(
    actor: Actor<'_>,
    account_id: &str,
    organisation_id: &str,
    role: Role,
    register_id: Option<&str>,
) -> AppResult<membership::Model> {
    let organisation = ids::decode_as(NodeKind::Organisation, organisation_id, "organisationId")?;
    require_manage(actor.decisions, organisation)?;
    let account = ids::decode_as(NodeKind::Account, account_id, "accountId")?;
    if !is_member(actor, account, organisation).await? {
        return Err(AppError::NotFound(format!("account {account_id}")));
    }
    let register = register_id
        .map(|r| ids::decode_as(NodeKind::Register, r, "registerId"))
        .transpose()?;
    let w = actor.write().await?;
    let membership = identity::grant_audited(&w, account, organisation, register, role).await?;
    w.commit().await?;
    Ok(membership)
}

/// Takes a role away.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn revoke_role(actor: Actor<'_>, membership_id: &str) -> AppResult<()> {
    let id = ids::decode_as(NodeKind::Membership, membership_id, "membershipId")?;
    let not_found = || AppError::NotFound(format!("membership {membership_id}"));
    let membership = membership::Entity::find_by_id(id)
        .one(&actor.state.db)
        .await?
        .ok_or_else(not_found)?;
    // Only admins can see memberships: to anyone else this one does not exist.
    require_manage(actor.decisions, membership.organisation_id).map_err(|_| not_found())?;
    let w = actor.write().await?;
    identity::revoke_role_audited(&w, &membership).await?;
    w.commit().await?;
    Ok(())
}

/// Creates a token for an account holding a role in an organisation the caller administers,
/// scoped to that organisation; `expires_in` is a lifetime such as `90d`. Returns the token and
/// its secret, which is stored nowhere.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn create_token(
    actor: Actor<'_>,
    account_id: &str,
    organisation_id: &str,
    name: &str,
    expires_in: Option<&str>,
) -> AppResult<(api_token::Model, String)> {
    let decisions = actor.decisions;
    let account = ids::decode_as(NodeKind::Account, account_id, "accountId")?;
    let organisation = ids::decode_as(NodeKind::Organisation, organisation_id, "organisationId")?;
    let not_found = || AppError::NotFound(format!("account {account_id}"));
    if !decisions.allows(Action::ManageMembers, Scope::Organisation(organisation)) {
        // Accounts are seen by admins only; one's own account is seen but not managed.
        return Err(if decisions.actor().account_id == Some(account) {
            AppError::Forbidden("managing accounts takes the admin role".into())
        } else {
            not_found()
        });
    }
    if !is_member(actor, account, organisation).await? {
        return Err(not_found());
    }
    let expires_at: Option<DateTime<Utc>> = expires_in
        .map(|t| identity::parse_lifetime("expiresIn", t))
        .transpose()?
        .map(|d| crate::db::now() + d);
    let w = actor.write().await?;
    let created =
        identity::create_token_audited(&w, account, organisation, name, expires_at).await?;
    w.commit().await?;
    Ok(created)
}

/// Revokes a token scoped to an organisation the caller administers; it stops working at once,
/// and its open subscriptions end.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn revoke_token(actor: Actor<'_>, token_id: &str) -> AppResult<api_token::Model> {
    let decisions = actor.decisions;
    let id = ids::decode_as(NodeKind::ApiToken, token_id, "tokenId")?;
    let not_found = || AppError::NotFound(format!("token {token_id}"));
    let token = api_token::Entity::find_by_id(id)
        .one(&actor.state.db)
        .await?
        .ok_or_else(not_found)?;
    let managed = token
        .organisation_id
        .is_some_and(|o| decisions.allows(Action::ManageMembers, Scope::Organisation(o)));
    if !managed {
        // The caller sees its own tokens, but revoking takes the admin role where the token
        // acts (the operator's unscoped tokens: `ropa token revoke`); others' do not exist.
        return Err(if decisions.actor().account_id == Some(token.account_id) {
            AppError::Forbidden(
                "revoking a token takes the admin role in the organisation it acts in".into(),
            )
        } else {
            not_found()
        });
    }
    let w = actor.write().await?;
    let revoked = identity::revoke_token_audited(&w, id).await?;
    w.commit().await?;
    Ok(revoked)
}
