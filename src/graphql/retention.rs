//! Retention rules: how long data is kept, and from when.

use super::{Organisation, PersonalDataCategory, ProcessingActivity};
use async_graphql::{Context, Object, Result, ID};
use chrono::{DateTime, Utc};

use super::connection::{graph_node, reference, required, ReadRule};
use super::text::LocalizedText;
use crate::authz::Action;

graph_node!(
    /// How long an activity keeps personal data, optionally for one data category (Art. 13(2)(a), 30(1)(f)).
    RetentionRule,
    retention_rule,
    RetentionRule,
    RetentionRuleConnection,
    RetentionRuleEdge,
    ReadRule::register(
        Action::Read,
        entity::retention_rule::Column::RegisterId,
        entity::retention_rule::Column::OrganisationId,
    )
);

/// How long an activity keeps personal data, optionally for one data category (Art. 13(2)(a), 30(1)(f)).
#[Object]
impl RetentionRule {
    /// Opaque, stable ID of this node.
    pub async fn id(&self) -> ID {
        self.node_id()
    }

    /// The organisation that owns this node.
    async fn organisation(&self, ctx: &Context<'_>) -> Result<Organisation> {
        required(ctx, self.0.organisation_id).await
    }

    /// The activity the rule is for.
    async fn activity(&self, ctx: &Context<'_>) -> Result<ProcessingActivity> {
        required(ctx, self.0.activity_id).await
    }

    /// The data category the rule is for; null when it covers the whole activity.
    async fn data_category(&self, ctx: &Context<'_>) -> Result<Option<PersonalDataCategory>> {
        reference(ctx, self.0.data_category_id).await
    }

    /// The period as an ISO 8601 duration, such as `P10Y`.
    async fn period(&self) -> Option<&str> {
        self.0.period.as_deref()
    }

    /// The criteria used to set the period.
    async fn criteria(&self) -> LocalizedText {
        LocalizedText::from(&self.0.criteria)
    }

    /// The event the period runs from.
    async fn starts_from(&self) -> LocalizedText {
        LocalizedText::from(&self.0.starts_from)
    }

    /// The law that requires the data be kept for the period (Art. 17(3)(b)).
    async fn required_by(&self) -> LocalizedText {
        LocalizedText::from(&self.0.required_by)
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
