//! Accounts, memberships and API tokens: who may call the API, and the admin's tools for them.

use async_graphql::{Context, Enum, InputObject, Object, Result, SimpleObject, ID};
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::connection::{decisions, node};
use super::{Organisation, Register};
use crate::audit::Author;
use crate::authz::{Action, Decisions, Scope};
use crate::error::{AppError, AppResult, GqlResult};
use crate::identity;
use crate::ids::{self, NodeKind};
use crate::state::AppState;
use crate::write::Write;
use entity::{account, api_token, membership};

/// Whether an account is a person or another service.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::AccountKind")]
pub enum AccountKind {
    /// A person.
    Person,
    /// Another service calling the API.
    Service,
}

/// A role in an organisation, or in one register of it.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::Role")]
pub enum Role {
    /// Everything in the organisation, members and tokens included.
    Admin,
    /// Reads and edits every register, publishes notices, reads the audit trail, exports records.
    Dpo,
    /// Reads the organisation's graph and edits it, or only the registers granted.
    Editor,
    /// Reads everything, internal details and history included, and exports; changes nothing.
    Auditor,
    /// Reads the internal graph; no exports, audit trail or internal security details.
    Viewer,
    /// Another service: reads registers, recipients, processors, transfers and published notices.
    Service,
}

/// Whether a token can still be used.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenStatus {
    /// Usable.
    Active,
    /// Past its expiry time.
    Expired,
    /// Revoked.
    Revoked,
}

/// An account: a person or a service that calls the API with its tokens.
pub struct Account(pub account::Model);

/// A role an account holds in an organisation, or in one register of it.
pub struct Membership(pub membership::Model);

/// An API token. The secret itself is shown only once, when the token is created.
pub struct ApiToken(pub api_token::Model);

/// The organisations whose members the caller manages.
fn managed_organisations(decisions: &Decisions) -> Vec<Uuid> {
    decisions
        .actor()
        .organisations()
        .into_iter()
        .filter(|o| decisions.allows(Action::ManageMembers, Scope::Organisation(*o)))
        .collect()
}

/// A write of an identity change by the caller, with its audit events.
async fn begin(state: &AppState, decisions: &Decisions) -> AppResult<Write> {
    Write::begin(&state.db, &state.write_gate, Author::api(decisions.actor())).await
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

/// An account: a person or a service that calls the API with its tokens.
#[Object]
impl Account {
    /// Opaque, stable ID of the account.
    async fn id(&self) -> ID {
        ID(ids::encode(NodeKind::Account, self.0.id))
    }

    /// Name of the person or service.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// E-mail address.
    async fn email(&self) -> Option<&str> {
        self.0.email.as_deref()
    }

    /// A person or a service.
    async fn kind(&self) -> AccountKind {
        self.0.kind.into()
    }

    /// Its roles, in the organisations the caller manages (all of them for the caller's own account).
    async fn memberships(&self, ctx: &Context<'_>) -> Result<Vec<Membership>> {
        let state = ctx.data::<AppState>()?;
        let decisions = decisions(ctx)?;
        let mut query =
            membership::Entity::find().filter(membership::Column::AccountId.eq(self.0.id));
        if decisions.actor().account_id != Some(self.0.id) {
            query = query
                .filter(membership::Column::OrganisationId.is_in(managed_organisations(decisions)));
        }
        let rows = query
            .order_by_asc(membership::Column::Id)
            .all(&state.db)
            .await
            .gql()?;
        Ok(rows.into_iter().map(Membership).collect())
    }

    /// Its API tokens, newest first (never their secrets): those scoped to the organisations the
    /// caller manages (all of them for the caller's own account). Tokens the account uses in
    /// other organisations are not shown.
    async fn tokens(&self, ctx: &Context<'_>) -> Result<Vec<ApiToken>> {
        let state = ctx.data::<AppState>()?;
        let decisions = decisions(ctx)?;
        let mut query =
            api_token::Entity::find().filter(api_token::Column::AccountId.eq(self.0.id));
        if decisions.actor().account_id != Some(self.0.id) {
            query = query
                .filter(api_token::Column::OrganisationId.is_in(managed_organisations(decisions)));
        }
        let rows = query
            .order_by_desc(api_token::Column::Id)
            .all(&state.db)
            .await
            .gql()?;
        Ok(rows.into_iter().map(ApiToken).collect())
    }

    /// When the account was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// A role an account holds in an organisation, or in one register of it.
#[Object]
impl Membership {
    /// Opaque, stable ID of the membership.
    async fn id(&self) -> ID {
        ID(ids::encode(NodeKind::Membership, self.0.id))
    }

    /// The role.
    async fn role(&self) -> Role {
        self.0.role.into()
    }

    /// The organisation the role is held in.
    async fn organisation(&self, ctx: &Context<'_>) -> Result<Option<Organisation>> {
        node::<Organisation>(ctx, self.0.organisation_id).await
    }

    /// The register the role is limited to; null for the whole organisation.
    async fn register(&self, ctx: &Context<'_>) -> Result<Option<Register>> {
        match self.0.register_id {
            Some(id) => node::<Register>(ctx, id).await,
            None => Ok(None),
        }
    }

    /// The account holding the role.
    async fn account(&self, ctx: &Context<'_>) -> Result<Account> {
        let state = ctx.data::<AppState>()?;
        let account = account::Entity::find_by_id(self.0.account_id)
            .one(&state.db)
            .await
            .gql()?
            .ok_or_else(|| AppError::NotFound("account".into()))
            .gql()?;
        Ok(Account(account))
    }

    /// When the role was granted.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// An API token. The secret itself is shown only once, when the token is created.
#[Object]
impl ApiToken {
    /// Opaque, stable ID of the token (not its secret).
    async fn id(&self) -> ID {
        ID(ids::encode(NodeKind::ApiToken, self.0.id))
    }

    /// What the token is for.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Whether the token can be used.
    async fn status(&self) -> TokenStatus {
        if self.0.revoked_at.is_some() {
            TokenStatus::Revoked
        } else if self.0.expires_at.is_some_and(|e| e <= Utc::now()) {
            TokenStatus::Expired
        } else {
            TokenStatus::Active
        }
    }

    /// The organisation the token acts in: it carries only the account's roles there. Null for
    /// a token made by the operator, which carries all of them.
    async fn organisation(&self, ctx: &Context<'_>) -> Result<Option<Organisation>> {
        match self.0.organisation_id {
            Some(id) => node::<Organisation>(ctx, id).await,
            None => Ok(None),
        }
    }

    /// When the token was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When the token stops working; null for never.
    async fn expires_at(&self) -> Option<DateTime<Utc>> {
        self.0.expires_at
    }

    /// When the token was revoked.
    async fn revoked_at(&self) -> Option<DateTime<Utc>> {
        self.0.revoked_at
    }

    /// When the token was last used (to the minute).
    async fn last_used_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_used_at
    }
}

/// Root queries about the caller.
#[derive(Default)]
pub struct AccountQuery;

/// Root queries about the caller.
#[Object]
impl AccountQuery {
    /// The caller's own account; null when anonymous.
    async fn me(&self, ctx: &Context<'_>) -> Result<Option<Account>> {
        let state = ctx.data::<AppState>()?;
        let Some(id) = decisions(ctx)?.actor().account_id else {
            return Ok(None);
        };
        Ok(account::Entity::find_by_id(id)
            .one(&state.db)
            .await
            .gql()?
            .map(Account))
    }
}

/// A new account and its first role.
#[derive(InputObject)]
pub struct CreateAccountInput {
    /// The organisation the account joins.
    pub organisation_id: ID,
    /// Name of the person or service.
    pub name: String,
    /// E-mail address.
    pub email: Option<String>,
    /// A person or a service.
    pub kind: AccountKind,
    /// Its first role.
    pub role: Role,
    /// Limits the role to one register (editor and viewer only).
    pub register_id: Option<ID>,
}

/// What `createAccount` made.
#[derive(SimpleObject)]
pub struct CreateAccountPayload {
    /// The new account.
    pub account: Account,
    /// Its role.
    pub membership: Membership,
}

/// A role to grant to an account that already belongs to the organisation.
#[derive(InputObject)]
pub struct GrantRoleInput {
    /// The account.
    pub account_id: ID,
    /// The organisation.
    pub organisation_id: ID,
    /// The role.
    pub role: Role,
    /// Limits the role to one register (editor and viewer only).
    pub register_id: Option<ID>,
}

/// A role to take away.
#[derive(InputObject)]
pub struct RevokeRoleInput {
    /// The membership to end.
    pub membership_id: ID,
}

/// What `revokeRole` ended.
#[derive(SimpleObject)]
pub struct RevokeRolePayload {
    /// The ID of the membership that no longer exists.
    pub membership_id: ID,
}

/// A new token for an account, scoped to one organisation.
#[derive(InputObject)]
pub struct CreateTokenInput {
    /// The account the token acts as; it must hold a role in the organisation.
    pub account_id: ID,
    /// The organisation the token acts in (the caller must be its admin): the token carries only
    /// the account's roles there, never those it holds in other organisations.
    pub organisation_id: ID,
    /// What the token is for.
    pub name: String,
    /// How long the token works, such as `90d` or `12h`; forever when omitted.
    pub expires_in: Option<String>,
}

/// What `createToken` made: the token and, this once, its secret.
#[derive(SimpleObject)]
pub struct CreateTokenPayload {
    /// The token.
    pub token: ApiToken,
    /// The secret to send as `Authorization: Bearer …`. It is not stored and cannot be shown again.
    pub secret: String,
}

/// A token to revoke.
#[derive(InputObject)]
pub struct RevokeTokenInput {
    /// The token.
    pub token_id: ID,
}

/// Mutations on accounts, memberships and tokens (role `admin`).
#[derive(Default)]
pub struct AccountMutation;

/// Mutations on accounts, memberships and tokens (role `admin`).
#[Object]
impl AccountMutation {
    /// Creates an account with a first role in an organisation.
    async fn create_account(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do.")] input: CreateAccountInput,
    ) -> Result<CreateAccountPayload> {
        let state = ctx.data::<AppState>()?;
        let decisions = decisions(ctx)?;
        let organisation = ids::decode_as(
            NodeKind::Organisation,
            &input.organisation_id,
            "organisationId",
        )
        .gql()?;
        require_manage(decisions, organisation).gql()?;
        let register = input
            .register_id
            .map(|r| ids::decode_as(NodeKind::Register, &r, "registerId"))
            .transpose()
            .gql()?;
        let w = begin(state, decisions).await.gql()?;
        let (account, membership) = identity::create_account_audited(
            &w,
            organisation,
            &input.name,
            input.email.as_deref(),
            input.kind.into(),
            register,
            input.role.into(),
        )
        .await
        .gql()?;
        w.commit().await.gql()?;
        Ok(CreateAccountPayload {
            account: Account(account),
            membership: Membership(membership),
        })
    }

    /// Grants a role to an account that already belongs to the organisation.
    async fn grant_role(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do.")] input: GrantRoleInput,
    ) -> Result<Membership> {
        let state = ctx.data::<AppState>()?;
        let decisions = decisions(ctx)?;
        let organisation = ids::decode_as(
            NodeKind::Organisation,
            &input.organisation_id,
            "organisationId",
        )
        .gql()?;
        require_manage(decisions, organisation).gql()?;
        let account = ids::decode_as(NodeKind::Account, &input.account_id, "accountId").gql()?;
        let member = membership::Entity::find()
            .filter(membership::Column::AccountId.eq(account))
            .filter(membership::Column::OrganisationId.eq(organisation))
            .one(&state.db)
            .await
            .gql()?;
        if member.is_none() {
            return Err(AppError::NotFound(format!(
                "account {}",
                input.account_id.as_str()
            )))
            .gql();
        }
        let register = input
            .register_id
            .map(|r| ids::decode_as(NodeKind::Register, &r, "registerId"))
            .transpose()
            .gql()?;
        let w = begin(state, decisions).await.gql()?;
        let membership =
            identity::grant_audited(&w, account, organisation, register, input.role.into())
                .await
                .gql()?;
        w.commit().await.gql()?;
        Ok(Membership(membership))
    }

    /// Takes a role away.
    async fn revoke_role(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do.")] input: RevokeRoleInput,
    ) -> Result<RevokeRolePayload> {
        let state = ctx.data::<AppState>()?;
        let decisions = decisions(ctx)?;
        let id =
            ids::decode_as(NodeKind::Membership, &input.membership_id, "membershipId").gql()?;
        let not_found =
            || AppError::NotFound(format!("membership {}", input.membership_id.as_str()));
        let membership = membership::Entity::find_by_id(id)
            .one(&state.db)
            .await
            .gql()?
            .ok_or_else(not_found)
            .gql()?;
        // Only admins can see memberships: to anyone else this one does not exist.
        require_manage(decisions, membership.organisation_id)
            .map_err(|_| not_found())
            .gql()?;
        let w = begin(state, decisions).await.gql()?;
        identity::revoke_role_audited(&w, &membership).await.gql()?;
        w.commit().await.gql()?;
        Ok(RevokeRolePayload {
            membership_id: input.membership_id,
        })
    }

    /// Creates a token for an account holding a role in an organisation the caller administers,
    /// scoped to that organisation. The secret is in the answer and nowhere else.
    async fn create_token(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do.")] input: CreateTokenInput,
    ) -> Result<CreateTokenPayload> {
        let state = ctx.data::<AppState>()?;
        let decisions = decisions(ctx)?;
        let account = ids::decode_as(NodeKind::Account, &input.account_id, "accountId").gql()?;
        let organisation = ids::decode_as(
            NodeKind::Organisation,
            &input.organisation_id,
            "organisationId",
        )
        .gql()?;
        let not_found = || AppError::NotFound(format!("account {}", input.account_id.as_str()));
        if !decisions.allows(Action::ManageMembers, Scope::Organisation(organisation)) {
            // Accounts are seen by admins only; one's own account is seen but not managed.
            return Err(if decisions.actor().account_id == Some(account) {
                AppError::Forbidden("managing accounts takes the admin role".into())
            } else {
                not_found()
            })
            .gql();
        }
        let member = membership::Entity::find()
            .filter(membership::Column::AccountId.eq(account))
            .filter(membership::Column::OrganisationId.eq(organisation))
            .one(&state.db)
            .await
            .gql()?;
        if member.is_none() {
            return Err(not_found()).gql();
        }
        let expires_at = input
            .expires_in
            .as_deref()
            .map(|t| identity::parse_lifetime("expiresIn", t))
            .transpose()
            .gql()?
            .map(|d| crate::db::now() + d);
        let w = begin(state, decisions).await.gql()?;
        let (token, secret) =
            identity::create_token_audited(&w, account, organisation, &input.name, expires_at)
                .await
                .gql()?;
        w.commit().await.gql()?;
        Ok(CreateTokenPayload {
            token: ApiToken(token),
            secret,
        })
    }

    /// Revokes a token scoped to an organisation the caller administers; it stops working at
    /// once, and its open subscriptions end.
    async fn revoke_token(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do.")] input: RevokeTokenInput,
    ) -> Result<ApiToken> {
        let state = ctx.data::<AppState>()?;
        let decisions = decisions(ctx)?;
        let id = ids::decode_as(NodeKind::ApiToken, &input.token_id, "tokenId").gql()?;
        let not_found = || AppError::NotFound(format!("token {}", input.token_id.as_str()));
        let token = api_token::Entity::find_by_id(id)
            .one(&state.db)
            .await
            .gql()?
            .ok_or_else(not_found)
            .gql()?;
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
            })
            .gql();
        }
        let w = begin(state, decisions).await.gql()?;
        let revoked = identity::revoke_token_audited(&w, id).await.gql()?;
        w.commit().await.gql()?;
        Ok(ApiToken(revoked))
    }
}
