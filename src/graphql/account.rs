//! Accounts, memberships and API tokens: who may call the API, and the admin's tools for them.

use async_graphql::{Context, Enum, InputObject, Object, Result, SimpleObject, ID};
use chrono::{DateTime, Utc};

use super::connection::{actor, node};
use super::{Organisation, Register};
use crate::error::{AppError, GqlResult};
use crate::ids::{self, NodeKind};
use crate::service::accounts;
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
        let rows = accounts::memberships_of(actor(ctx)?, self.0.id)
            .await
            .gql()?;
        Ok(rows.into_iter().map(Membership).collect())
    }

    /// Its API tokens, newest first (never their secrets): those scoped to the organisations the
    /// caller manages (all of them for the caller's own account). Tokens the account uses in
    /// other organisations are not shown.
    async fn tokens(&self, ctx: &Context<'_>) -> Result<Vec<ApiToken>> {
        let rows = accounts::tokens_of(actor(ctx)?, self.0.id).await.gql()?;
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
        let account = accounts::account(actor(ctx)?, self.0.account_id)
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
        Ok(accounts::me(actor(ctx)?).await.gql()?.map(Account))
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
        let (account, membership) = accounts::create_account(
            actor(ctx)?,
            accounts::NewAccount {
                organisation_id: &input.organisation_id,
                name: &input.name,
                email: input.email.as_deref(),
                kind: input.kind.into(),
                role: input.role.into(),
                register_id: input.register_id.as_ref().map(|r| r.as_str()),
            },
        )
        .await
        .gql()?;
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
        let membership = accounts::grant_role(
            actor(ctx)?,
            &input.account_id,
            &input.organisation_id,
            input.role.into(),
            input.register_id.as_ref().map(|r| r.as_str()),
        )
        .await
        .gql()?;
        Ok(Membership(membership))
    }

    /// Takes a role away.
    async fn revoke_role(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do.")] input: RevokeRoleInput,
    ) -> Result<RevokeRolePayload> {
        accounts::revoke_role(actor(ctx)?, &input.membership_id)
            .await
            .gql()?;
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
        let (token, secret) = accounts::create_token(
            actor(ctx)?,
            &input.account_id,
            &input.organisation_id,
            &input.name,
            input.expires_in.as_deref(),
        )
        .await
        .gql()?;
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
        let revoked = accounts::revoke_token(actor(ctx)?, &input.token_id)
            .await
            .gql()?;
        Ok(ApiToken(revoked))
    }
}
