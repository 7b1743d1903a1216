//! The actor of a request and the decisions made for it, asked of oso once per standing.

use std::collections::{BTreeSet, HashSet};
use std::sync::Arc;

use entity::Role;
use uuid::Uuid;

use super::{
    Action, Authz, OrganisationGrant, PolicyActor, PolicyOrganisation, PolicyRegister,
    RegisterGrant, Scope,
};

/// A role the actor holds in an organisation, or in one register of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grant {
    pub organisation_id: Uuid,
    pub register_id: Option<Uuid>,
    pub role: Role,
}

/// Who is calling: an account through one of its tokens, or nobody.
#[derive(Clone, Debug, Default)]
pub struct Actor {
    pub account_id: Option<Uuid>,
    pub token_id: Option<Uuid>,
    pub grants: Vec<Grant>,
}

impl Actor {
    /// A caller with no token.
    pub fn anonymous() -> Self {
        Self::default()
    }

    pub fn is_anonymous(&self) -> bool {
        self.account_id.is_none()
    }

    /// The organisations the actor holds any role in.
    pub fn organisations(&self) -> BTreeSet<Uuid> {
        self.grants.iter().map(|g| g.organisation_id).collect()
    }

    /// The roles relevant to a scope: all a decision about it depends on.
    fn standing(&self, scope: Scope) -> Standing {
        let organisation = scope.organisation_id();
        let register = match scope {
            Scope::Register { id, .. } => Some(id),
            Scope::Organisation(_) => None,
        };
        let mut standing = Standing {
            register_scope: register.is_some(),
            ..Standing::default()
        };
        for grant in self
            .grants
            .iter()
            .filter(|g| g.organisation_id == organisation)
        {
            match grant.register_id {
                None => standing.organisation_roles.insert(grant.role),
                Some(r) if Some(r) == register => standing.this_register_roles.insert(grant.role),
                Some(_) => standing.other_register_roles.insert(grant.role),
            };
        }
        standing
    }
}

/// The roles an actor holds relative to one scope. Two scopes with the same standing get the
/// same decisions, because the policy reads nothing but roles and the IDs that tie them to the
/// resource.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub(super) struct Standing {
    register_scope: bool,
    organisation_roles: BTreeSet<Role>,
    this_register_roles: BTreeSet<Role>,
    other_register_roles: BTreeSet<Role>,
}

impl Standing {
    /// Asks the policy, with stand-in IDs, what this standing allows.
    pub(super) fn ask(&self, authz: &Authz) -> HashSet<Action> {
        const ORGANISATION: &str = "organisation";
        const REGISTER: &str = "register";
        const OTHER_REGISTER: &str = "other-register";
        let grant = |register: &str, role: &Role| {
            RegisterGrant::new(ORGANISATION.into(), register.into(), role.as_str().into())
        };
        let actor = PolicyActor::new(
            self.organisation_roles
                .iter()
                .map(|r| OrganisationGrant::new(ORGANISATION.into(), r.as_str().into()))
                .collect(),
            self.this_register_roles
                .iter()
                .map(|r| grant(REGISTER, r))
                .chain(
                    self.other_register_roles
                        .iter()
                        .map(|r| grant(OTHER_REGISTER, r)),
                )
                .collect(),
        );
        let organisation = PolicyOrganisation::new(ORGANISATION.into());
        if self.register_scope {
            authz.register_actions(actor, PolicyRegister::new(REGISTER.into(), organisation))
        } else {
            authz.organisation_actions(actor, organisation)
        }
    }
}

/// The decisions of one request: the actor, and what the policy says for each standing it meets
/// (asked once per standing for the life of the process: see [`Authz::decide`]).
pub struct Decisions {
    authz: Authz,
    actor: Actor,
}

impl Decisions {
    pub fn new(authz: Authz, actor: Actor) -> Self {
        Self { authz, actor }
    }

    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// Every action allowed on `scope`.
    pub fn actions(&self, scope: Scope) -> Arc<HashSet<Action>> {
        self.authz.decide(self.actor.standing(scope))
    }

    pub fn allows(&self, action: Action, scope: Scope) -> bool {
        self.actions(scope).contains(&action)
    }
}
