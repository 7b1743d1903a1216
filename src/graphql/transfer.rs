//! Transfers of personal data to third countries and international organisations.

use super::enums::TransferMechanism;
use super::AdequacyDecision;
use super::{
    DataSubjectCategory, DataSubjectCategoryConnection, Organisation, PersonalDataCategory,
    PersonalDataCategoryConnection, ProcessingActivity, Recipient, Register,
};
use async_graphql::{Context, Object, Result, ID};
use chrono::{DateTime, NaiveDate, Utc};

use super::connection::{graph_node, paginate, reference, required, ReadRule};
use super::text::LocalizedText;
use crate::authz::Action;

graph_node!(
    /// A transfer of personal data from an activity to a recipient in a third country or an international organisation (Chapter V).
    Transfer,
    transfer,
    Transfer,
    TransferConnection,
    TransferEdge,
    ReadRule::register(
        Action::Read,
        entity::transfer::Column::RegisterId,
        entity::transfer::Column::OrganisationId,
    )
);

/// A transfer of personal data from an activity to a recipient in a third country or an international organisation (Chapter V).
#[Object]
impl Transfer {
    /// Opaque, stable ID of this node.
    pub async fn id(&self) -> ID {
        self.node_id()
    }

    /// The organisation that owns this node.
    async fn organisation(&self, ctx: &Context<'_>) -> Result<Organisation> {
        required(ctx, self.0.organisation_id).await
    }

    /// The activity the data is transferred from.
    async fn activity(&self, ctx: &Context<'_>) -> Result<ProcessingActivity> {
        required(ctx, self.0.activity_id).await
    }

    /// The register of the activity.
    async fn register(&self, ctx: &Context<'_>) -> Result<Register> {
        required(ctx, self.0.register_id).await
    }

    /// The personal data categories of the activity: what the transfer may carry.
    async fn data_categories(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many items to return, from 0 to 100; 20 when omitted.")]
        first: Option<i32>,
        #[graphql(
            desc = "Return the items after this cursor (the `cursor` of an edge of an earlier page)."
        )]
        after: Option<String>,
    ) -> Result<PersonalDataCategoryConnection> {
        paginate::<PersonalDataCategory>(
            ctx,
            super::edges::ACTIVITY_DATA_CATEGORIES,
            self.0.activity_id,
            first,
            after,
        )
        .await
    }

    /// The data subject categories of the activity: whose data the transfer may carry.
    async fn data_subject_categories(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many items to return, from 0 to 100; 20 when omitted.")]
        first: Option<i32>,
        #[graphql(
            desc = "Return the items after this cursor (the `cursor` of an edge of an earlier page)."
        )]
        after: Option<String>,
    ) -> Result<DataSubjectCategoryConnection> {
        paginate::<DataSubjectCategory>(
            ctx,
            super::edges::ACTIVITY_DATA_SUBJECTS,
            self.0.activity_id,
            first,
            after,
        )
        .await
    }

    /// The recipient in the third country.
    async fn recipient(&self, ctx: &Context<'_>) -> Result<Option<Recipient>> {
        reference(ctx, self.0.recipient_id).await
    }

    /// Destination country, ISO 3166-1 alpha-2; null when the record does not name one.
    async fn country(&self) -> Option<&str> {
        self.0.country.as_deref()
    }

    /// Whether the destination country is in the EU/EEA; null when no country is named.
    async fn destination_in_eea(&self) -> Option<bool> {
        self.0
            .country
            .as_deref()
            .map(crate::domain::countries::is_eea)
    }

    /// The adequacy decision in force for the destination country on a date (today when omitted); null when none is.
    async fn adequacy(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The date; today when omitted.")] on: Option<NaiveDate>,
    ) -> Result<Option<AdequacyDecision>> {
        super::adequacy::in_force(ctx, self.0.country.as_deref(), on)
    }

    /// The international organisation, when the destination is one.
    async fn international_organisation(&self) -> Option<&str> {
        self.0.international_organisation.as_deref()
    }

    /// The transfer mechanism (Art. 45, 46, 47 or 49); null while undetermined.
    async fn mechanism(&self) -> Option<TransferMechanism> {
        self.0.mechanism.map(Into::into)
    }

    /// Where the safeguard is documented.
    async fn safeguards_reference(&self) -> Option<&str> {
        self.0.safeguards_reference.as_deref()
    }

    /// How a data subject can obtain a copy of the safeguards (Art. 13(1)(f)).
    async fn safeguards_copy(&self) -> LocalizedText {
        LocalizedText::from(&self.0.safeguards_copy)
    }

    /// What is transferred and when, in the words of the record.
    async fn description(&self) -> LocalizedText {
        LocalizedText::from(&self.0.description)
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
