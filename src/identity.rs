//! Accounts, memberships and API tokens: who a request comes from and what roles it holds.
//!
//! A token is `ropa_` and 43 random URL-safe characters (256 bits). Only its SHA-256 is stored;
//! the secret is shown once, when the token is created.
//!
//! A token scoped to an organisation carries only its account's roles there, so that the admin
//! who minted it gives away nothing of the account's standing elsewhere. Unscoped tokens carry
//! all the account's roles; only the operator makes them (`serve --demo`).
//!
//! The audited functions (`*_audited`, taking a [`Write`]) record one audit event per
//! organisation concerned, in the transaction of the change; their states never hold the
//! secret, its hash, or when the token was last used.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::audit::{Author, Change, Event};
use crate::authz::{Actor, Grant};
use crate::error::{AppError, AppResult};
use crate::ids::new_id;
use crate::write::{Write, WriteGate};
use entity::{account, api_token, membership, organisation, register, AccountKind, Role};

const PREFIX: &str = "ropa_";

/// How often the last-used time of a token is written: at most once a minute, so that reads do
/// not turn into writes.
const LAST_USED_RESOLUTION: Duration = Duration::seconds(60);

/// A new random token secret.
pub fn generate_secret() -> String {
    use base64::Engine;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!(
        "{PREFIX}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
}

/// The stored form of a secret.
pub fn hash_secret(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// The actor a bearer token stands for; refused when unknown, revoked or expired. Reads the
/// database every time: requests go through [`TokenCache::authenticate`].
pub async fn authenticate(db: &DatabaseConnection, secret: &str) -> AppResult<Actor> {
    if !secret.starts_with(PREFIX) {
        return Err(AppError::Unauthenticated);
    }
    Ok(authenticate_hash(db, &hash_secret(secret)).await?.0)
}

/// The actor of the token whose secret hashes to `hash`, and when the token expires.
async fn authenticate_hash(
    db: &DatabaseConnection,
    hash: &str,
) -> AppResult<(Actor, Option<DateTime<Utc>>)> {
    let token = api_token::Entity::find()
        .filter(api_token::Column::SecretHash.eq(hash))
        .one(db)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let now = crate::db::now();
    if token.revoked_at.is_some() || token.expires_at.is_some_and(|e| e <= now) {
        return Err(AppError::Unauthenticated);
    }
    if token
        .last_used_at
        .is_none_or(|t| now - t >= LAST_USED_RESOLUTION)
    {
        api_token::Entity::update_many()
            .col_expr(api_token::Column::LastUsedAt, Expr::value(now))
            .filter(api_token::Column::Id.eq(token.id))
            .exec(db)
            .await?;
    }
    let mut memberships =
        membership::Entity::find().filter(membership::Column::AccountId.eq(token.account_id));
    if let Some(organisation) = token.organisation_id {
        memberships = memberships.filter(membership::Column::OrganisationId.eq(organisation));
    }
    let grants = memberships
        .all(db)
        .await?
        .into_iter()
        .map(|m| Grant {
            organisation_id: m.organisation_id,
            register_id: m.register_id,
            role: m.role,
        })
        .collect();
    let actor = Actor {
        account_id: Some(token.account_id),
        token_id: Some(token.id),
        grants,
    };
    Ok((actor, token.expires_at))
}

/// How long an authenticated token is believed without asking the database again: the bound
/// on how late a revocation takes effect on an instance that did not hear of it.
pub const TOKEN_CACHE_TTL: std::time::Duration = std::time::Duration::from_millis(900);

/// The most tokens remembered at once; past it the cache starts over.
const TOKEN_CACHE_CAPACITY: usize = 10_000;

/// The actors of recently authenticated tokens, so that a request does not read its token and
/// its account's roles from the database. Cheap to clone; shared by the process.
///
/// An entry holds for at most [`TOKEN_CACHE_TTL`], and not at all once this process has heard
/// of a change to an account, a role or a token ([`crate::changes::ChangeFeed`]: the writes of
/// this process at once, on PostgreSQL those of every instance through its notifications), so
/// a revocation or a removed role takes effect at the next request on the instance that made
/// it and within [`TOKEN_CACHE_TTL`] everywhere else, even when a notification is lost. Only
/// valid tokens are remembered, by the hash of their secret.
#[derive(Clone, Default)]
pub struct TokenCache {
    entries: std::sync::Arc<std::sync::Mutex<HashMap<String, Remembered>>>,
}

struct Remembered {
    actor: Actor,
    expires_at: Option<DateTime<Utc>>,
    /// The feed's identity count before the database was read.
    generation: u64,
    read_at: std::time::Instant,
}

impl TokenCache {
    /// The actor a bearer token stands for, as [`authenticate`] finds it, remembered for a
    /// while.
    pub async fn authenticate(
        &self,
        db: &DatabaseConnection,
        feed: &crate::changes::ChangeFeed,
        secret: &str,
    ) -> AppResult<Actor> {
        if !secret.starts_with(PREFIX) {
            return Err(AppError::Unauthenticated);
        }
        // On PostgreSQL, the other instances' identity changes arrive through the listener;
        // without it, nothing is remembered.
        if feed.listen(db).await.is_err() {
            return authenticate(db, secret).await;
        }
        let hash = hash_secret(secret);
        let generation = feed.identity_generation();
        if let Some(known) = self.lock().get(&hash) {
            let now = crate::db::now();
            if known.generation == generation
                && known.read_at.elapsed() < TOKEN_CACHE_TTL
                && known.expires_at.is_none_or(|e| e > now)
            {
                return Ok(known.actor.clone());
            }
        }
        let read_at = std::time::Instant::now();
        let found = authenticate_hash(db, &hash).await;
        let mut entries = self.lock();
        match found {
            Ok((actor, expires_at)) => {
                if entries.len() >= TOKEN_CACHE_CAPACITY {
                    entries.clear();
                }
                entries.insert(
                    hash,
                    Remembered {
                        actor: actor.clone(),
                        expires_at,
                        generation,
                        read_at,
                    },
                );
                Ok(actor)
            }
            Err(err) => {
                entries.remove(&hash);
                Err(err)
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Remembered>> {
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A new account with one role.
pub async fn create_account<C: ConnectionTrait>(
    db: &C,
    name: &str,
    email: Option<&str>,
    kind: AccountKind,
) -> AppResult<account::Model> {
    crate::domain::formats::length("name", name, 1, 300)?;
    if let Some(email) = email {
        crate::domain::formats::email("email", email)?;
    }
    let now = crate::db::now();
    let model = account::Model {
        id: new_id(),
        name: name.to_owned(),
        email: email.map(str::to_owned),
        kind,
        created_at: now,
        updated_at: now,
        version: 1,
    };
    // The same character and length rules as every stored string (bidi overrides and
    // zero-width characters in the e-mail included).
    crate::domain::limits::check_model("account", &model)?;
    Ok(account::ActiveModel::from(model)
        .reset_all()
        .insert(db)
        .await?)
}

/// Grants `role` in an organisation, or in one register of it. Only `editor` and `viewer` can be
/// limited to a register.
pub async fn grant<C: ConnectionTrait>(
    db: &C,
    account_id: Uuid,
    organisation_id: Uuid,
    register_id: Option<Uuid>,
    role: Role,
) -> AppResult<membership::Model> {
    Ok(
        grant_once(db, account_id, organisation_id, register_id, role)
            .await?
            .0,
    )
}

/// [`grant`], and whether the membership is new (false: the account held the role already).
async fn grant_once<C: ConnectionTrait>(
    db: &C,
    account_id: Uuid,
    organisation_id: Uuid,
    register_id: Option<Uuid>,
    role: Role,
) -> AppResult<(membership::Model, bool)> {
    if register_id.is_some() && !matches!(role, Role::Editor | Role::Viewer) {
        return Err(AppError::invalid(
            "registerId",
            "only the editor and viewer roles can be limited to a register",
        ));
    }
    if let Some(register_id) = register_id {
        let register = register::Entity::find_by_id(register_id).one(db).await?;
        if register.is_none_or(|r| r.organisation_id != organisation_id) {
            return Err(AppError::invalid(
                "registerId",
                "must be a register of the organisation",
            ));
        }
    }
    let existing = membership::Entity::find()
        .filter(membership::Column::AccountId.eq(account_id))
        .filter(membership::Column::OrganisationId.eq(organisation_id))
        .filter(membership::Column::Role.eq(role))
        .all(db)
        .await?;
    if let Some(same) = existing.into_iter().find(|m| m.register_id == register_id) {
        return Ok((same, false));
    }
    let created = membership::ActiveModel {
        id: Set(new_id()),
        account_id: Set(account_id),
        organisation_id: Set(organisation_id),
        register_id: Set(register_id),
        role: Set(role),
        created_at: Set(crate::db::now()),
    }
    .insert(db)
    .await?;
    Ok((created, true))
}

/// A new unscoped token for an account, carrying all its roles (the operator's); returns the
/// stored token and the secret, which is not kept.
pub async fn create_token<C: ConnectionTrait>(
    db: &C,
    account_id: Uuid,
    name: &str,
    expires_at: Option<DateTime<Utc>>,
) -> AppResult<(api_token::Model, String)> {
    create_token_in(db, account_id, None, name, expires_at).await
}

/// A new token for an account, scoped to `organisation` (none: unscoped); returns the stored
/// token and the secret, which is not kept.
pub async fn create_token_in<C: ConnectionTrait>(
    db: &C,
    account_id: Uuid,
    organisation: Option<Uuid>,
    name: &str,
    expires_at: Option<DateTime<Utc>>,
) -> AppResult<(api_token::Model, String)> {
    crate::domain::formats::length("name", name, 1, 200)?;
    let now = crate::db::now();
    if expires_at.is_some_and(|e| e <= now) {
        return Err(AppError::invalid("expiresIn", "must be in the future"));
    }
    let secret = generate_secret();
    let token = api_token::ActiveModel {
        id: Set(new_id()),
        account_id: Set(account_id),
        organisation_id: Set(organisation),
        name: Set(name.to_owned()),
        secret_hash: Set(hash_secret(&secret)),
        created_at: Set(now),
        expires_at: Set(expires_at),
        revoked_at: Set(None),
        last_used_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok((token, secret))
}

/// Revokes a token; revoking a revoked token changes nothing.
pub async fn revoke_token<C: ConnectionTrait>(
    db: &C,
    token_id: Uuid,
) -> AppResult<api_token::Model> {
    let token = api_token::Entity::find_by_id(token_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("token {token_id}")))?;
    if token.revoked_at.is_some() {
        return Ok(token);
    }
    let mut active: api_token::ActiveModel = token.into();
    active.revoked_at = Set(Some(crate::db::now()));
    Ok(active.update(db).await?)
}

/// Parses a lifetime such as `90d`, `12h` or `30days`.
pub fn parse_lifetime(field: &str, text: &str) -> AppResult<Duration> {
    let std = humantime::parse_duration(text).map_err(|e| {
        AppError::invalid(
            field,
            format!("must be a duration such as 90d or 12h ({e})"),
        )
    })?;
    Duration::from_std(std).map_err(|_| AppError::invalid(field, "is too long"))
}

/// For the command line: a service account with one role in an organisation and a token scoped
/// to it, in one transaction with its one audit event (source `cli`).
pub async fn create_service_token(
    db: &DatabaseConnection,
    organisation_slug: &str,
    role: Role,
    register_slug: Option<&str>,
    name: &str,
    expires_in: Option<&str>,
) -> AppResult<(api_token::Model, String)> {
    let organisation = organisation::Entity::find()
        .filter(organisation::Column::Slug.eq(organisation_slug))
        .one(db)
        .await?
        .ok_or_else(|| {
            AppError::invalid(
                "organisation",
                format!("no organisation `{organisation_slug}`"),
            )
        })?;
    let register_id = match register_slug {
        None => None,
        Some(slug) => Some(
            register::Entity::of_organisation(organisation.id)
                .filter(register::Column::Slug.eq(slug))
                .one(db)
                .await?
                .ok_or_else(|| {
                    AppError::invalid(
                        "register",
                        format!("no register `{slug}` in `{organisation_slug}`"),
                    )
                })?
                .id,
        ),
    };
    let expires_at = expires_in
        .map(|t| parse_lifetime("expires-in", t))
        .transpose()?
        .map(|d| crate::db::now() + d);
    let w = Write::begin(db, &WriteGate::default(), Author::cli()).await?;
    let account = create_account(&w.txn, name, None, AccountKind::Service).await?;
    let (membership, _) =
        grant_once(&w.txn, account.id, organisation.id, register_id, role).await?;
    let (token, secret) =
        create_token_in(&w.txn, account.id, Some(organisation.id), name, expires_at).await?;
    let mut state = token_state(&token);
    state["account"] = account_state(&account, &[membership])?;
    record(
        &w,
        organisation.id,
        "api_token",
        token.id,
        Change::Create,
        None,
        Some(&state),
    )
    .await?;
    w.commit().await?;
    Ok((token, secret))
}

/// For the command line: revokes a token, with its audit events (source `cli`).
pub async fn revoke_token_as_operator(
    db: &DatabaseConnection,
    token_id: Uuid,
) -> AppResult<api_token::Model> {
    let w = Write::begin(db, &WriteGate::default(), Author::cli()).await?;
    let token = revoke_token_audited(&w, token_id).await?;
    w.commit().await?;
    Ok(token)
}

/// What an audit event keeps of a token: never the secret's hash, nor when it was last used
/// (which would tell one organisation of the token's use in another).
pub fn token_state(token: &api_token::Model) -> serde_json::Value {
    serde_json::json!({
        "id": token.id,
        "account_id": token.account_id,
        "organisation_id": token.organisation_id,
        "name": token.name,
        "created_at": token.created_at,
        "expires_at": token.expires_at,
        "revoked_at": token.revoked_at,
    })
}

/// What an audit event keeps of an account: the row and its roles in the event's organisation.
fn account_state(
    account: &account::Model,
    memberships: &[membership::Model],
) -> AppResult<serde_json::Value> {
    let mut state = serde_json::to_value(account).map_err(AppError::internal)?;
    state["memberships"] = serde_json::to_value(memberships).map_err(AppError::internal)?;
    Ok(state)
}

fn membership_state(membership: &membership::Model) -> AppResult<serde_json::Value> {
    serde_json::to_value(membership).map_err(AppError::internal)
}

/// Records one identity event in `organisation`.
async fn record(
    w: &Write,
    organisation: Uuid,
    kind: &str,
    id: Uuid,
    change: Change,
    before: Option<&serde_json::Value>,
    after: Option<&serde_json::Value>,
) -> AppResult<()> {
    w.record(Event {
        organisation_id: organisation,
        node_kind: kind,
        node_id: id,
        change,
        version: None,
        before,
        after,
    })
    .await
}

/// The organisations a token concerns: the one it is scoped to, or every organisation its
/// account holds a role in.
async fn organisations_of_token(w: &Write, token: &api_token::Model) -> AppResult<Vec<Uuid>> {
    if let Some(organisation) = token.organisation_id {
        return Ok(vec![organisation]);
    }
    let mut organisations: Vec<Uuid> = membership::Entity::find()
        .filter(membership::Column::AccountId.eq(token.account_id))
        .all(&w.txn)
        .await?
        .into_iter()
        .map(|m| m.organisation_id)
        .collect();
    organisations.sort();
    organisations.dedup();
    Ok(organisations)
}

/// A new account with a first role in `organisation`, and its audit event there.
pub async fn create_account_audited(
    w: &Write,
    organisation: Uuid,
    name: &str,
    email: Option<&str>,
    kind: AccountKind,
    register_id: Option<Uuid>,
    role: Role,
) -> AppResult<(account::Model, membership::Model)> {
    let account = create_account(&w.txn, name, email, kind).await?;
    let (membership, _) = grant_once(&w.txn, account.id, organisation, register_id, role).await?;
    let state = account_state(&account, std::slice::from_ref(&membership))?;
    record(
        w,
        organisation,
        "account",
        account.id,
        Change::Create,
        None,
        Some(&state),
    )
    .await?;
    Ok((account, membership))
}

/// Grants a role, with its audit event; granting a role held already changes nothing.
pub async fn grant_audited(
    w: &Write,
    account_id: Uuid,
    organisation: Uuid,
    register_id: Option<Uuid>,
    role: Role,
) -> AppResult<membership::Model> {
    let (membership, new) = grant_once(&w.txn, account_id, organisation, register_id, role).await?;
    if new {
        let state = membership_state(&membership)?;
        record(
            w,
            organisation,
            "membership",
            membership.id,
            Change::Create,
            None,
            Some(&state),
        )
        .await?;
    }
    Ok(membership)
}

/// Ends a membership, with its audit event.
pub async fn revoke_role_audited(w: &Write, membership: &membership::Model) -> AppResult<()> {
    membership::Entity::delete_by_id(membership.id)
        .exec(&w.txn)
        .await?;
    let state = membership_state(membership)?;
    record(
        w,
        membership.organisation_id,
        "membership",
        membership.id,
        Change::Delete,
        Some(&state),
        None,
    )
    .await
}

/// A new token scoped to `organisation`, with its audit event.
pub async fn create_token_audited(
    w: &Write,
    account_id: Uuid,
    organisation: Uuid,
    name: &str,
    expires_at: Option<DateTime<Utc>>,
) -> AppResult<(api_token::Model, String)> {
    let (token, secret) =
        create_token_in(&w.txn, account_id, Some(organisation), name, expires_at).await?;
    let state = token_state(&token);
    record(
        w,
        organisation,
        "api_token",
        token.id,
        Change::Create,
        None,
        Some(&state),
    )
    .await?;
    Ok((token, secret))
}

/// Revokes a token, with one audit event per organisation it concerns; the event's
/// notification also ends the token's open subscriptions, on every instance. Revoking a
/// revoked token changes nothing.
pub async fn revoke_token_audited(w: &Write, token_id: Uuid) -> AppResult<api_token::Model> {
    let before = api_token::Entity::find_by_id(token_id)
        .one(&w.txn)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("token {token_id}")))?;
    if before.revoked_at.is_some() {
        return Ok(before);
    }
    let after = revoke_token(&w.txn, token_id).await?;
    let (was, is) = (token_state(&before), token_state(&after));
    for organisation in organisations_of_token(w, &after).await? {
        record(
            w,
            organisation,
            "api_token",
            after.id,
            Change::Update,
            Some(&was),
            Some(&is),
        )
        .await?;
    }
    Ok(after)
}

/// One line of `ropa token list`.
pub struct TokenListing {
    pub token: api_token::Model,
    pub account: account::Model,
    pub memberships: Vec<(membership::Model, String, Option<String>)>,
}

/// Every token, newest first, optionally only those carrying a role in one organisation.
pub async fn list_tokens(
    db: &DatabaseConnection,
    organisation_slug: Option<&str>,
) -> AppResult<Vec<TokenListing>> {
    let organisations: std::collections::HashMap<Uuid, String> = organisation::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.slug))
        .collect();
    let registers: std::collections::HashMap<Uuid, String> = register::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r.slug))
        .collect();
    let memberships = membership::Entity::find().all(db).await?;
    let tokens = api_token::Entity::find()
        .find_also_related(account::Entity)
        .order_by_desc(api_token::Column::CreatedAt)
        .all(db)
        .await?;
    let mut listings = Vec::new();
    for (token, account) in tokens {
        let Some(account) = account else { continue };
        // The roles the token carries: its account's, in its organisation if it is scoped.
        let mine: Vec<_> = memberships
            .iter()
            .filter(|m| m.account_id == account.id)
            .filter(|m| token.organisation_id.is_none_or(|o| o == m.organisation_id))
            .map(|m| {
                (
                    m.clone(),
                    organisations
                        .get(&m.organisation_id)
                        .cloned()
                        .unwrap_or_default(),
                    m.register_id.and_then(|r| registers.get(&r).cloned()),
                )
            })
            .collect();
        if organisation_slug.is_some_and(|slug| !mine.iter().any(|(_, o, _)| o == slug)) {
            continue;
        }
        listings.push(TokenListing {
            token,
            account,
            memberships: mine,
        });
    }
    Ok(listings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_long_random_and_url_safe() {
        let a = generate_secret();
        let b = generate_secret();
        assert_ne!(a, b);
        assert_eq!(a.len(), PREFIX.len() + 43);
        assert!(a[PREFIX.len()..]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
    }

    #[test]
    fn the_hash_is_sha256_hex() {
        assert_eq!(
            hash_secret("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn lifetimes_read_like_people_write_them() {
        assert_eq!(
            parse_lifetime("expiresIn", "90d").unwrap(),
            Duration::days(90)
        );
        assert_eq!(
            parse_lifetime("expiresIn", "12h").unwrap(),
            Duration::hours(12)
        );
        assert!(parse_lifetime("expiresIn", "soon")
            .unwrap_err()
            .to_string()
            .starts_with("expiresIn:"));
    }
}
