# ropa authorization policy: who may do what to an organisation's graph.
#
# Roles are granted per organisation, and `editor` and `viewer` also per register. A role in one
# organisation grants nothing in another: every rule below ties a role to the resource it is on.
# The service asks `allow(actor, action, resource)` with resource an Organisation or a Register.

allow(actor, action, resource) if has_permission(actor, action, resource);

actor Caller {}

resource Organisation {
  roles = ["admin", "dpo", "editor", "auditor", "viewer", "service", "register_member"];
  permissions = [
    "read",                   # the organisation, its parties and shared vocabulary
    "read_contacts",          # its contacts
    "read_security",          # its security measures, public summaries
    "read_security_details",  # their internal details
    "read_internal",          # internal notes
    "edit",                   # the organisation node and its shared vocabulary
    "publish",                # publish notices
    "read_audit",             # the audit trail and history
    "export",                 # Art. 30 exports
    "acknowledge",            # accept a compliance finding, with a reason
    "manage_members"          # accounts, memberships and tokens
  ];

  # Someone granted a role on one register sees what that register links to.
  "read" if "register_member";

  "read" if "service";

  "read" if "viewer";
  "read_contacts" if "viewer";
  "read_security" if "viewer";
  "read_internal" if "viewer";

  "viewer" if "auditor";
  "read_security_details" if "auditor";
  "read_audit" if "auditor";
  "export" if "auditor";

  "viewer" if "editor";
  "read_security_details" if "editor";
  "edit" if "editor";

  "editor" if "dpo";
  "auditor" if "dpo";
  "publish" if "dpo";
  "acknowledge" if "dpo";

  "dpo" if "admin";
  "manage_members" if "admin";
}

resource Register {
  roles = ["editor", "viewer"];
  permissions = ["read", "read_internal", "edit", "publish"];
  relations = { organisation: Organisation };

  "read" if "viewer";
  "read_internal" if "viewer";
  "viewer" if "editor";
  "edit" if "editor";

  "viewer" if "viewer" on "organisation";
  "editor" if "editor" on "organisation";
  "read" if "service" on "organisation";
  "publish" if "publish" on "organisation";
}

has_relation(organisation: Organisation, "organisation", register: Register) if
  organisation = register.organisation;

has_role(actor: Caller, role: String, organisation: Organisation) if
  grant in actor.organisation_grants and
  grant.organisation_id = organisation.id and
  grant.role = role;

has_role(actor: Caller, "register_member", organisation: Organisation) if
  grant in actor.register_grants and
  grant.organisation_id = organisation.id;

has_role(actor: Caller, role: String, register: Register) if
  grant in actor.register_grants and
  grant.register_id = register.id and
  grant.role = role;

# A register editor reads the whole organisation's graph; a register viewer only its register.
has_role(actor: Caller, "viewer", organisation: Organisation) if
  grant in actor.register_grants and
  grant.organisation_id = organisation.id and
  grant.role = "editor";

# Self-tests, checked when the policy loads.
?= allow(new Caller([new OrganisationGrant("o1", "viewer")], []), "read", new Organisation("o1"));
?= not allow(new Caller([new OrganisationGrant("o1", "viewer")], []), "read", new Organisation("o2"));
?= not allow(new Caller([new OrganisationGrant("o1", "viewer")], []), "read_security_details", new Organisation("o1"));
?= allow(new Caller([new OrganisationGrant("o1", "auditor")], []), "read_security_details", new Organisation("o1"));
?= not allow(new Caller([new OrganisationGrant("o1", "auditor")], []), "edit", new Organisation("o1"));
?= allow(new Caller([new OrganisationGrant("o1", "admin")], []), "manage_members", new Organisation("o1"));
?= not allow(new Caller([new OrganisationGrant("o1", "dpo")], []), "manage_members", new Organisation("o1"));
?= not allow(new Caller([new OrganisationGrant("o1", "service")], []), "read_contacts", new Organisation("o1"));
?= allow(new Caller([new OrganisationGrant("o1", "service")], []), "read", new Register("r1", new Organisation("o1")));
?= not allow(new Caller([new OrganisationGrant("o1", "service")], []), "read_internal", new Register("r1", new Organisation("o1")));
?= allow(new Caller([], [new RegisterGrant("o1", "r1", "editor")]), "edit", new Register("r1", new Organisation("o1")));
?= not allow(new Caller([], [new RegisterGrant("o1", "r1", "editor")]), "edit", new Register("r2", new Organisation("o1")));
?= allow(new Caller([], [new RegisterGrant("o1", "r1", "editor")]), "read", new Register("r2", new Organisation("o1")));
?= not allow(new Caller([], [new RegisterGrant("o1", "r1", "viewer")]), "read", new Register("r2", new Organisation("o1")));
?= allow(new Caller([], [new RegisterGrant("o1", "r1", "viewer")]), "read", new Organisation("o1"));
?= not allow(new Caller([], []), "read", new Organisation("o1"));
