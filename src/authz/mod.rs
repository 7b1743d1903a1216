//! Authorization: the oso (Polar) policy, and the one question every request asks of it.
//!
//! The policy decides what a role may do to an organisation or a register. A decision depends
//! only on the roles the actor holds there, so oso is asked once per distinct set of roles (a
//! standing) for the life of the process, never once per row or per request.

mod classes;
mod decisions;

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use oso::{Oso, PolarClass};
use uuid::Uuid;

pub use classes::{
    OrganisationGrant, PolicyActor, PolicyOrganisation, PolicyRegister, RegisterGrant,
};
use decisions::Standing;
pub use decisions::{Actor, Decisions, Grant, RegisterReach};

/// The policy text, loaded once.
const POLICY: &str = include_str!("policy.polar");

/// What an actor may want to do; the names are the policy's permissions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    Read,
    ReadContacts,
    ReadSecurity,
    ReadSecurityDetails,
    ReadInternal,
    Edit,
    Publish,
    ReadAudit,
    Export,
    Acknowledge,
    ManageMembers,
}

impl Action {
    pub const ALL: [Action; 11] = [
        Action::Read,
        Action::ReadContacts,
        Action::ReadSecurity,
        Action::ReadSecurityDetails,
        Action::ReadInternal,
        Action::Edit,
        Action::Publish,
        Action::ReadAudit,
        Action::Export,
        Action::Acknowledge,
        Action::ManageMembers,
    ];

    /// The permission's name in the policy.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Read => "read",
            Action::ReadContacts => "read_contacts",
            Action::ReadSecurity => "read_security",
            Action::ReadSecurityDetails => "read_security_details",
            Action::ReadInternal => "read_internal",
            Action::Edit => "edit",
            Action::Publish => "publish",
            Action::ReadAudit => "read_audit",
            Action::Export => "export",
            Action::Acknowledge => "acknowledge",
            Action::ManageMembers => "manage_members",
        }
    }

    pub fn parse(name: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_str() == name)
    }
}

/// What an action is done to: an organisation, or one register of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scope {
    Organisation(Uuid),
    Register { id: Uuid, organisation: Uuid },
}

impl Scope {
    pub fn organisation_id(self) -> Uuid {
        match self {
            Scope::Organisation(id) => id,
            Scope::Register { organisation, .. } => organisation,
        }
    }
}

/// The loaded policy. Cheap to clone (the policy itself is shared, never copied); shared by
/// every request.
///
/// The policy never changes while the process runs, and its answer depends only on the standing
/// (the roles held relative to a scope), so each standing is asked once and remembered. There
/// are few standings (sets of at most nine roles), so the memory stays small.
#[derive(Clone)]
pub struct Authz {
    /// oso's host keeps its class maps by value, so a clone of `Oso` is a deep copy: it is
    /// built once and shared.
    oso: Arc<Oso>,
    queries: Arc<AtomicUsize>,
    decided: Arc<Mutex<HashMap<Standing, Arc<HashSet<Action>>>>>,
}

/// The policy failed to load or to answer.
#[derive(Debug, thiserror::Error)]
#[error("authorization policy: {0}")]
pub struct PolicyError(String);

impl Authz {
    /// Registers the classes and loads the policy, running its `?=` self-tests.
    pub fn new() -> Result<Self, PolicyError> {
        let mut oso = Oso::new();
        let err = |e: oso::OsoError| PolicyError(e.to_string());
        oso.register_class(
            PolicyActor::get_polar_class_builder()
                .set_constructor(PolicyActor::new)
                .build(),
        )
        .map_err(err)?;
        oso.register_class(
            OrganisationGrant::get_polar_class_builder()
                .set_constructor(OrganisationGrant::new)
                .build(),
        )
        .map_err(err)?;
        oso.register_class(
            RegisterGrant::get_polar_class_builder()
                .set_constructor(RegisterGrant::new)
                .build(),
        )
        .map_err(err)?;
        oso.register_class(
            PolicyOrganisation::get_polar_class_builder()
                .set_constructor(PolicyOrganisation::new)
                .build(),
        )
        .map_err(err)?;
        oso.register_class(
            PolicyRegister::get_polar_class_builder()
                .set_constructor(PolicyRegister::new)
                .build(),
        )
        .map_err(err)?;
        oso.load_str(POLICY).map_err(err)?;
        Ok(Self {
            oso: Arc::new(oso),
            queries: Arc::new(AtomicUsize::new(0)),
            decided: Arc::default(),
        })
    }

    /// What the policy allows a standing, asked of oso the first time only.
    fn decide(&self, standing: Standing) -> Arc<HashSet<Action>> {
        if let Some(known) = self.lock_decided().get(&standing) {
            return known.clone();
        }
        // Asked outside the lock: a second asker of the same standing only repeats the answer.
        let actions = Arc::new(standing.ask(self));
        self.lock_decided()
            .entry(standing)
            .or_insert(actions)
            .clone()
    }

    fn lock_decided(&self) -> std::sync::MutexGuard<'_, HashMap<Standing, Arc<HashSet<Action>>>> {
        self.decided
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Every action the policy allows `actor` on an organisation.
    pub fn organisation_actions(
        &self,
        actor: PolicyActor,
        organisation: PolicyOrganisation,
    ) -> HashSet<Action> {
        self.allowed_actions(actor, organisation)
    }

    /// Every action the policy allows `actor` on a register.
    pub fn register_actions(
        &self,
        actor: PolicyActor,
        register: PolicyRegister,
    ) -> HashSet<Action> {
        self.allowed_actions(actor, register)
    }

    fn allowed_actions<R: oso::ToPolar>(&self, actor: PolicyActor, resource: R) -> HashSet<Action> {
        self.queries.fetch_add(1, Ordering::Relaxed);
        match self
            .oso
            .get_allowed_actions::<_, _, String>(actor, resource)
        {
            Ok(names) => names.iter().filter_map(|n| Action::parse(n)).collect(),
            Err(err) => {
                // Fail closed: a policy that cannot answer allows nothing.
                tracing::error!(error = %err, "authorization query failed");
                HashSet::new()
            }
        }
    }

    /// How many times oso has been asked since the service started.
    pub fn query_count(&self) -> usize {
        self.queries.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: &str) -> PolicyActor {
        PolicyActor::new(
            vec![OrganisationGrant::new("o".into(), role.into())],
            vec![],
        )
    }

    #[test]
    fn the_policy_loads_and_lists_what_a_role_may_do() {
        let authz = Authz::new().expect("policy loads");
        let actions =
            authz.organisation_actions(actor("auditor"), PolicyOrganisation::new("o".into()));
        assert!(actions.contains(&Action::Read), "{actions:?}");
        assert!(actions.contains(&Action::Export));
        assert!(!actions.contains(&Action::Edit));
    }
}
