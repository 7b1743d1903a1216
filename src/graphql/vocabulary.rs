//! The shared vocabulary of an organisation, linked to activities many-to-many.

use super::edges::{
    BY_DATA_CATEGORY, BY_RECIPIENT, DATA_CATEGORY_ACTIVITIES, DATA_SUBJECT_ACTIVITIES,
    RECIPIENT_ACTIVITIES, SECURITY_MEASURE_ACTIVITIES, SOURCE_ACTIVITIES,
};
use super::enums::{DataCategoryKind, RecipientKind, SecurityMeasureKind, SourceKind};
use super::{
    Organisation, Party, ProcessingActivity, ProcessingActivityConnection, RetentionRule,
    RetentionRuleConnection, Transfer, TransferConnection,
};
use async_graphql::{Context, Object, Result, ID};
use chrono::{DateTime, Utc};

use super::connection::{graph_node, paginate, reference, require_field, required, ReadRule};
use super::text::LocalizedText;
use crate::authz::{Action, Scope};

graph_node!(
    /// A category of data subjects: customers, employees of customer companies, website visitors.
    DataSubjectCategory,
    data_subject_category,
    DataSubjectCategory,
    DataSubjectCategoryConnection,
    DataSubjectCategoryEdge,
    ReadRule::organisation(Action::Read, entity::data_subject_category::Column::OrganisationId)
);

/// A category of data subjects: customers, employees of customer companies, website visitors.
#[Object]
impl DataSubjectCategory {
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

    /// Name of the category.
    async fn name(&self) -> LocalizedText {
        LocalizedText::from(&self.0.name)
    }

    /// What it covers.
    async fn description(&self) -> LocalizedText {
        LocalizedText::from(&self.0.description)
    }

    /// The processing activities linked to this node.
    async fn activities(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many items to return, from 0 to 100; 20 when omitted.")]
        first: Option<i32>,
        #[graphql(
            desc = "Return the items after this cursor (the `cursor` of an edge of an earlier page)."
        )]
        after: Option<String>,
    ) -> Result<ProcessingActivityConnection> {
        paginate::<ProcessingActivity>(ctx, DATA_SUBJECT_ACTIVITIES, self.0.id, first, after).await
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

graph_node!(
    /// A category of personal data; its kind says whether Art. 9, Art. 10 or national-ID rules apply.
    PersonalDataCategory,
    personal_data_category,
    PersonalDataCategory,
    PersonalDataCategoryConnection,
    PersonalDataCategoryEdge,
    ReadRule::organisation(Action::Read, entity::personal_data_category::Column::OrganisationId)
);

/// A category of personal data; its kind says whether Art. 9, Art. 10 or national-ID rules apply.
#[Object]
impl PersonalDataCategory {
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

    /// Name of the category.
    async fn name(&self) -> LocalizedText {
        LocalizedText::from(&self.0.name)
    }

    /// What it covers.
    async fn description(&self) -> LocalizedText {
        LocalizedText::from(&self.0.description)
    }

    /// Ordinary, special category (Art. 9), criminal (Art. 10) or a national identity number.
    async fn kind(&self) -> DataCategoryKind {
        self.0.kind.into()
    }

    /// The processing activities linked to this node.
    async fn activities(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many items to return, from 0 to 100; 20 when omitted.")]
        first: Option<i32>,
        #[graphql(
            desc = "Return the items after this cursor (the `cursor` of an edge of an earlier page)."
        )]
        after: Option<String>,
    ) -> Result<ProcessingActivityConnection> {
        paginate::<ProcessingActivity>(ctx, DATA_CATEGORY_ACTIVITIES, self.0.id, first, after).await
    }

    /// Retention rules specific to this category.
    async fn retention_rules(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many items to return, from 0 to 100; 20 when omitted.")]
        first: Option<i32>,
        #[graphql(
            desc = "Return the items after this cursor (the `cursor` of an edge of an earlier page)."
        )]
        after: Option<String>,
    ) -> Result<RetentionRuleConnection> {
        paginate::<RetentionRule>(ctx, BY_DATA_CATEGORY, self.0.id, first, after).await
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

graph_node!(
    /// Where personal data comes from: the data subject, a third party, a public source, or observation of the data subject (cookies, logs).
    DataSource,
    data_source,
    DataSource,
    DataSourceConnection,
    DataSourceEdge,
    ReadRule::organisation(Action::Read, entity::data_source::Column::OrganisationId)
);

/// Where personal data comes from: the data subject, a third party, a public source, or observation of the data subject (cookies, logs).
#[Object]
impl DataSource {
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

    /// Name of the source.
    async fn name(&self) -> LocalizedText {
        LocalizedText::from(&self.0.name)
    }

    /// What data comes from it and how.
    async fn description(&self) -> LocalizedText {
        LocalizedText::from(&self.0.description)
    }

    /// The data subject, a third party, a public source, or observation.
    async fn kind(&self) -> SourceKind {
        self.0.kind.into()
    }

    /// Whether the source is publicly accessible (Art. 14(2)(f)): true for a PUBLIC source;
    /// for another organisation, what is declared, null while undeclared.
    async fn is_public(&self) -> Option<bool> {
        crate::domain::facts::publicly_accessible(&self.0)
    }

    /// What is declared of the source being publicly accessible; null while undeclared.
    async fn publicly_accessible(&self) -> Option<bool> {
        self.0.publicly_accessible
    }

    /// The organisation the data comes from, when it is a named party.
    async fn party(&self, ctx: &Context<'_>) -> Result<Option<Party>> {
        reference(ctx, self.0.party_id).await
    }

    /// The processing activities linked to this node.
    async fn activities(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many items to return, from 0 to 100; 20 when omitted.")]
        first: Option<i32>,
        #[graphql(
            desc = "Return the items after this cursor (the `cursor` of an edge of an earlier page)."
        )]
        after: Option<String>,
    ) -> Result<ProcessingActivityConnection> {
        paginate::<ProcessingActivity>(ctx, SOURCE_ACTIVITIES, self.0.id, first, after).await
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

graph_node!(
    /// A recipient, or a category of recipients, that personal data is disclosed to.
    Recipient,
    recipient,
    Recipient,
    RecipientConnection,
    RecipientEdge,
    ReadRule::organisation(Action::Read, entity::recipient::Column::OrganisationId)
);

/// A recipient, or a category of recipients, that personal data is disclosed to.
#[Object]
impl Recipient {
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

    /// Name of the recipient or category.
    async fn name(&self) -> LocalizedText {
        LocalizedText::from(&self.0.name)
    }

    /// What is disclosed to it and why.
    async fn description(&self) -> LocalizedText {
        LocalizedText::from(&self.0.description)
    }

    /// What kind of recipient it is.
    async fn kind(&self) -> RecipientKind {
        self.0.kind.into()
    }

    /// The named party, when the recipient is one legal entity rather than a category.
    async fn party(&self, ctx: &Context<'_>) -> Result<Option<Party>> {
        reference(ctx, self.0.party_id).await
    }

    /// The processing activities linked to this node.
    async fn activities(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many items to return, from 0 to 100; 20 when omitted.")]
        first: Option<i32>,
        #[graphql(
            desc = "Return the items after this cursor (the `cursor` of an edge of an earlier page)."
        )]
        after: Option<String>,
    ) -> Result<ProcessingActivityConnection> {
        paginate::<ProcessingActivity>(ctx, RECIPIENT_ACTIVITIES, self.0.id, first, after).await
    }

    /// Transfers outside the EU/EEA to this recipient.
    async fn transfers(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many items to return, from 0 to 100; 20 when omitted.")]
        first: Option<i32>,
        #[graphql(
            desc = "Return the items after this cursor (the `cursor` of an edge of an earlier page)."
        )]
        after: Option<String>,
    ) -> Result<TransferConnection> {
        paginate::<Transfer>(ctx, BY_RECIPIENT, self.0.id, first, after).await
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

graph_node!(
    /// A technical, organisational or physical security measure (Art. 32).
    SecurityMeasure,
    security_measure,
    SecurityMeasure,
    SecurityMeasureConnection,
    SecurityMeasureEdge,
    ReadRule::organisation(Action::ReadSecurity, entity::security_measure::Column::OrganisationId)
);

/// A technical, organisational or physical security measure (Art. 32).
#[Object]
impl SecurityMeasure {
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

    /// Name of the measure.
    async fn name(&self) -> LocalizedText {
        LocalizedText::from(&self.0.name)
    }

    /// Public summary, fit for a privacy notice.
    async fn description(&self) -> LocalizedText {
        LocalizedText::from(&self.0.description)
    }

    /// Technical, organisational or physical.
    async fn kind(&self) -> SecurityMeasureKind {
        self.0.kind.into()
    }

    /// Internal details (configurations, suppliers, locations); never public.
    async fn internal_details(&self, ctx: &Context<'_>) -> Result<Option<&str>> {
        require_field(
            ctx,
            Action::ReadSecurityDetails,
            Scope::Organisation(self.0.organisation_id),
            "internalDetails",
        )?;
        Ok(self.0.internal_details.as_deref())
    }

    /// The processing activities linked to this node.
    async fn activities(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many items to return, from 0 to 100; 20 when omitted.")]
        first: Option<i32>,
        #[graphql(
            desc = "Return the items after this cursor (the `cursor` of an edge of an earlier page)."
        )]
        after: Option<String>,
    ) -> Result<ProcessingActivityConnection> {
        paginate::<ProcessingActivity>(ctx, SECURITY_MEASURE_ACTIVITIES, self.0.id, first, after)
            .await
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
