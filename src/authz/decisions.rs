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
        match scope {
            Scope::Organisation(organisation) => self.standing_in(organisation, false, None),
            Scope::Register { id, organisation } => self.standing_in(organisation, true, Some(id)),
        }
    }

    /// The roles relevant to the organisation (`register_scope` false), or to a register of it:
    /// `register`, or (when `None`) one the actor holds no role on.
    fn standing_in(
        &self,
        organisation: Uuid,
        register_scope: bool,
        register: Option<Uuid>,
    ) -> Standing {
        let mut standing = Standing {
            register_scope,
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
    /// The actions of each scope this request has asked about: a list of a thousand rows asks
    /// about the same few scopes a thousand times.
    known: std::sync::Mutex<std::collections::HashMap<Scope, Arc<HashSet<Action>>>>,
}

impl Decisions {
    pub fn new(authz: Authz, actor: Actor) -> Self {
        Self {
            authz,
            actor,
            known: Default::default(),
        }
    }

    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// Every action allowed on `scope`.
    pub fn actions(&self, scope: Scope) -> Arc<HashSet<Action>> {
        let mut known = self
            .known
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        known
            .entry(scope)
            .or_insert_with(|| self.authz.decide(self.actor.standing(scope)))
            .clone()
    }

    pub fn allows(&self, action: Action, scope: Scope) -> bool {
        self.actions(scope).contains(&action)
    }

    /// The organisations where `action` is allowed on the organisation itself, in ID order.
    pub fn organisations_allowing(&self, action: Action) -> Vec<Uuid> {
        self.actor
            .organisations()
            .into_iter()
            .filter(|o| self.allows(action, Scope::Organisation(*o)))
            .collect()
    }

    /// Where `action` is allowed on registers, as sets a list can be filtered by.
    ///
    /// An organisation is in `organisations` when the policy allows the action on a register
    /// of it that the actor holds no role on: then every register of it allows the action, as
    /// a role on the register only adds permissions (the policy has no negation). The other
    /// registers allowing it are found among those the actor holds a role on.
    pub fn registers_allowing(&self, action: Action) -> RegisterReach {
        let mut reach = RegisterReach::default();
        for organisation in self.actor.organisations() {
            let throughout = self
                .authz
                .decide(self.actor.standing_in(organisation, true, None));
            if throughout.contains(&action) {
                reach.organisations.push(organisation);
                continue;
            }
            let granted: BTreeSet<Uuid> = self
                .actor
                .grants
                .iter()
                .filter(|g| g.organisation_id == organisation)
                .filter_map(|g| g.register_id)
                .collect();
            reach.registers.extend(granted.into_iter().filter(|id| {
                self.allows(
                    action,
                    Scope::Register {
                        id: *id,
                        organisation,
                    },
                )
            }));
        }
        reach
    }
}

/// Where an action is allowed on registers: every register of `organisations`, and
/// `registers` one by one (of other organisations). Both in ID order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RegisterReach {
    pub organisations: Vec<Uuid>,
    pub registers: Vec<Uuid>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decisions(grants: &[(Uuid, Option<Uuid>, Role)]) -> Decisions {
        let actor = Actor {
            account_id: Some(Uuid::now_v7()),
            token_id: None,
            grants: grants
                .iter()
                .map(|(organisation_id, register_id, role)| Grant {
                    organisation_id: *organisation_id,
                    register_id: *register_id,
                    role: *role,
                })
                .collect(),
        };
        Decisions::new(Authz::new().expect("policy loads"), actor)
    }

    #[test]
    fn the_sets_a_list_is_filtered_by_come_from_the_policy() {
        let (o, p, r) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let viewer = decisions(&[(o, Some(r), Role::Viewer), (p, None, Role::Viewer)]);
        assert_eq!(
            viewer.registers_allowing(Action::Read),
            RegisterReach {
                organisations: vec![p],
                registers: vec![r],
            }
        );
        let mut both = vec![o, p];
        both.sort();
        assert_eq!(viewer.organisations_allowing(Action::Read), both);
        assert_eq!(viewer.organisations_allowing(Action::ReadContacts), vec![p]);
        assert_eq!(
            viewer.registers_allowing(Action::Edit),
            RegisterReach::default()
        );

        // A register editor reads every register of its organisation, but edits only its own.
        let editor = decisions(&[(o, Some(r), Role::Editor)]);
        assert_eq!(
            editor.registers_allowing(Action::Read).organisations,
            vec![o]
        );
        assert_eq!(
            editor.registers_allowing(Action::Edit),
            RegisterReach {
                organisations: vec![],
                registers: vec![r],
            }
        );
        assert_eq!(
            decisions(&[]).registers_allowing(Action::Read),
            RegisterReach::default()
        );
    }
}
