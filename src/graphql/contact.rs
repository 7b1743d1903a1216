//! Contacts: people and role mailboxes.

use super::edges::BY_CONTACT;
use super::{Organisation, Register, RegisterConnection};
use async_graphql::{Context, Object, Result, ID};
use chrono::{DateTime, Utc};

use super::connection::{graph_node, paginate, required, ReadRule};
use super::text::LocalizedText;
use crate::authz::Action;

graph_node!(
    /// A person or role mailbox of the organisation: the DPO, a register contact, the representative.
    Contact,
    contact,
    Contact,
    ContactConnection,
    ContactEdge,
    ReadRule::organisation(Action::ReadContacts, entity::contact::Column::OrganisationId)
);

/// A person or role mailbox of the organisation: the DPO, a register contact, the representative.
#[Object]
impl Contact {
    /// Opaque, stable ID of this node.
    pub async fn id(&self) -> ID {
        self.node_id()
    }

    /// The organisation that owns this node.
    async fn organisation(&self, ctx: &Context<'_>) -> Result<Organisation> {
        required(ctx, self.0.organisation_id).await
    }

    /// Stable key, unique within the organisation.
    async fn key(&self) -> &str {
        &self.0.key
    }

    /// Name of the person or mailbox.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Title or role, such as "Data protection officer".
    async fn title(&self) -> LocalizedText {
        LocalizedText::from(&self.0.title)
    }

    /// E-mail address.
    async fn email(&self) -> Option<&str> {
        self.0.email.as_deref()
    }

    /// Telephone number.
    async fn phone(&self) -> Option<&str> {
        self.0.phone.as_deref()
    }

    /// Postal address.
    async fn address(&self) -> Option<&str> {
        self.0.address.as_deref()
    }

    /// Registers this contact answers for.
    async fn registers(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many items to return, from 0 to 100; 20 when omitted.")]
        first: Option<i32>,
        #[graphql(
            desc = "Return the items after this cursor (the `cursor` of an edge of an earlier page)."
        )]
        after: Option<String>,
    ) -> Result<RegisterConnection> {
        paginate::<Register>(ctx, BY_CONTACT, self.0.id, first, after).await
    }

    /// When the node was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When the node was last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }

    /// Incremented on every change; updates must name the version they were based on.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// The compliance findings on this node (acknowledged ones with their acknowledgement).
    async fn findings(&self, ctx: &Context<'_>) -> Result<Vec<super::compliance::FindingNode>> {
        super::compliance::on_node(ctx, self.0.organisation_id, self.0.id).await
    }
}
