//! Parties: other legal entities the organisation deals with.

use super::edges::{BY_COUNTERPART, BY_PARENT_PARTY, BY_PARTY};
use super::enums::PartyKind;
use super::{
    DataSource, DataSourceConnection, Organisation, ProcessingActivity,
    ProcessingActivityConnection, Recipient, RecipientConnection,
};
use async_graphql::{Context, Object, Result, ID};
use chrono::{DateTime, Utc};

use super::connection::{graph_node, paginate, reference, required, ReadRule};
use super::text::LocalizedText;
use crate::authz::Action;

graph_node!(
    /// Another legal entity the organisation deals with: a processor, sub-processor, joint controller, independent third party, authority, group company or client.
    Party,
    party,
    Party,
    PartyConnection,
    PartyEdge,
    ReadRule::organisation(Action::Read, entity::party::Column::OrganisationId)
);

/// Another legal entity the organisation deals with: a processor, sub-processor, joint controller, independent third party, authority, group company or client.
#[Object]
impl Party {
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

    /// Legal name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Its relationship to the organisation.
    async fn kind(&self) -> PartyKind {
        self.0.kind.into()
    }

    /// Business ID (a Finnish Y-tunnus for a Finnish company).
    async fn business_id(&self) -> Option<&str> {
        self.0.business_id.as_deref()
    }

    /// Country of establishment, ISO 3166-1 alpha-2.
    async fn country(&self) -> Option<&str> {
        self.0.country.as_deref()
    }

    /// Postal address.
    async fn address(&self) -> Option<&str> {
        self.0.address.as_deref()
    }

    /// E-mail address.
    async fn email(&self) -> Option<&str> {
        self.0.email.as_deref()
    }

    /// Telephone number.
    async fn phone(&self) -> Option<&str> {
        self.0.phone.as_deref()
    }

    /// Website URL.
    async fn website(&self) -> Option<&str> {
        self.0.website.as_deref()
    }

    /// What it does for the organisation.
    async fn description(&self) -> LocalizedText {
        LocalizedText::from(&self.0.description)
    }

    /// Reference to the contract or data processing agreement (Art. 28(3)).
    async fn contract_reference(&self) -> Option<&str> {
        self.0.contract_reference.as_deref()
    }

    /// For a sub-processor: the processor that engaged it.
    async fn parent_party(&self, ctx: &Context<'_>) -> Result<Option<Party>> {
        reference(ctx, self.0.parent_party_id).await
    }

    /// Sub-processors this party has engaged.
    async fn sub_processors(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many items to return, from 0 to 100; 20 when omitted.")]
        first: Option<i32>,
        #[graphql(
            desc = "Return the items after this cursor (the `cursor` of an edge of an earlier page)."
        )]
        after: Option<String>,
    ) -> Result<PartyConnection> {
        paginate::<Party>(ctx, BY_PARENT_PARTY, self.0.id, first, after).await
    }

    /// Recipients that are this party.
    async fn recipients(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many items to return, from 0 to 100; 20 when omitted.")]
        first: Option<i32>,
        #[graphql(
            desc = "Return the items after this cursor (the `cursor` of an edge of an earlier page)."
        )]
        after: Option<String>,
    ) -> Result<RecipientConnection> {
        paginate::<Recipient>(ctx, BY_PARTY, self.0.id, first, after).await
    }

    /// Data sources that are this party.
    async fn sources(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many items to return, from 0 to 100; 20 when omitted.")]
        first: Option<i32>,
        #[graphql(
            desc = "Return the items after this cursor (the `cursor` of an edge of an earlier page)."
        )]
        after: Option<String>,
    ) -> Result<DataSourceConnection> {
        paginate::<DataSource>(ctx, BY_PARTY, self.0.id, first, after).await
    }

    /// Activities done jointly with this party, or on its behalf.
    async fn counterpart_activities(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many items to return, from 0 to 100; 20 when omitted.")]
        first: Option<i32>,
        #[graphql(
            desc = "Return the items after this cursor (the `cursor` of an edge of an earlier page)."
        )]
        after: Option<String>,
    ) -> Result<ProcessingActivityConnection> {
        paginate::<ProcessingActivity>(ctx, BY_COUNTERPART, self.0.id, first, after).await
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
