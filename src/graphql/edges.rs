//! The edges of the graph as the loaders follow them.

use crate::storage::loader::Edge;

/// Children that name their organisation.
pub const BY_ORGANISATION: Edge = Edge::Column("organisation_id");
/// Activities of a register.
pub const BY_REGISTER: Edge = Edge::Column("register_id");
/// Transfers and retention rules of an activity.
pub const BY_ACTIVITY: Edge = Edge::Column("activity_id");
/// Registers whose contact is a contact.
pub const BY_CONTACT: Edge = Edge::Column("contact_id");
/// Sub-processors engaged by a party.
pub const BY_PARENT_PARTY: Edge = Edge::Column("parent_party_id");
/// Sources and recipients that are a party.
pub const BY_PARTY: Edge = Edge::Column("party_id");
/// Activities done jointly with, or on behalf of, a party.
pub const BY_COUNTERPART: Edge = Edge::Column("counterpart_party_id");
/// Transfers to a recipient.
pub const BY_RECIPIENT: Edge = Edge::Column("recipient_id");
/// Retention rules for a data category.
pub const BY_DATA_CATEGORY: Edge = Edge::Column("data_category_id");

macro_rules! link_edges {
    ($($forward:ident, $backward:ident: $table:literal, $target:literal;)*) => {
        $(
            #[doc = concat!("From an activity through `", $table, "`.")]
            pub const $forward: Edge = Edge::Link { table: $table, from: "activity_id", to: $target };
            #[doc = concat!("Back to the activities through `", $table, "`.")]
            pub const $backward: Edge = Edge::Link { table: $table, from: $target, to: "activity_id" };
        )*
    };
}

link_edges! {
    ACTIVITY_DATA_SUBJECTS, DATA_SUBJECT_ACTIVITIES: "activity_data_subject", "data_subject_category_id";
    ACTIVITY_DATA_CATEGORIES, DATA_CATEGORY_ACTIVITIES: "activity_data_category", "personal_data_category_id";
    ACTIVITY_SOURCES, SOURCE_ACTIVITIES: "activity_source", "data_source_id";
    ACTIVITY_RECIPIENTS, RECIPIENT_ACTIVITIES: "activity_recipient", "recipient_id";
    ACTIVITY_SECURITY_MEASURES, SECURITY_MEASURE_ACTIVITIES: "activity_security_measure", "security_measure_id";
}
