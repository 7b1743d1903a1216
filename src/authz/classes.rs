//! The classes the Polar policy sees. They carry only what the policy reads (IDs and role names),
//! so the policy cannot depend on anything else about a resource.

use oso::PolarClass;

/// The caller, as the policy sees it: its grants.
#[derive(Clone, Debug, PolarClass)]
#[polar(class_name = "Caller")]
pub struct PolicyActor {
    #[polar(attribute)]
    pub organisation_grants: Vec<OrganisationGrant>,
    #[polar(attribute)]
    pub register_grants: Vec<RegisterGrant>,
}

impl PolicyActor {
    pub fn new(
        organisation_grants: Vec<OrganisationGrant>,
        register_grants: Vec<RegisterGrant>,
    ) -> Self {
        Self {
            organisation_grants,
            register_grants,
        }
    }
}

/// A role held in a whole organisation.
#[derive(Clone, Debug, PolarClass)]
pub struct OrganisationGrant {
    #[polar(attribute)]
    pub organisation_id: String,
    #[polar(attribute)]
    pub role: String,
}

impl OrganisationGrant {
    pub fn new(organisation_id: String, role: String) -> Self {
        Self {
            organisation_id,
            role,
        }
    }
}

/// A role held in one register.
#[derive(Clone, Debug, PolarClass)]
pub struct RegisterGrant {
    #[polar(attribute)]
    pub organisation_id: String,
    #[polar(attribute)]
    pub register_id: String,
    #[polar(attribute)]
    pub role: String,
}

impl RegisterGrant {
    pub fn new(organisation_id: String, register_id: String, role: String) -> Self {
        Self {
            organisation_id,
            register_id,
            role,
        }
    }
}

/// An organisation, as the policy sees it.
#[derive(Clone, Debug, PolarClass)]
#[polar(class_name = "Organisation")]
pub struct PolicyOrganisation {
    #[polar(attribute)]
    pub id: String,
}

impl PolicyOrganisation {
    pub fn new(id: String) -> Self {
        Self { id }
    }
}

/// A register, as the policy sees it.
#[derive(Clone, Debug, PolarClass)]
#[polar(class_name = "Register")]
pub struct PolicyRegister {
    #[polar(attribute)]
    pub id: String,
    #[polar(attribute)]
    pub organisation: PolicyOrganisation,
}

impl PolicyRegister {
    pub fn new(id: String, organisation: PolicyOrganisation) -> Self {
        Self { id, organisation }
    }
}
