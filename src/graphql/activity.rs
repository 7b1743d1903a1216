//! Processing activities: one purpose of one register, with everything Art. 30 asks about it.

use super::edges::{
    ACTIVITY_DATA_CATEGORIES, ACTIVITY_DATA_SUBJECTS, ACTIVITY_RECIPIENTS,
    ACTIVITY_SECURITY_MEASURES, ACTIVITY_SOURCES, BY_ACTIVITY,
};
use super::enums::{
    DataSubjectRight, DpiaStatus, LegalBasis, ProcessingRole, ProvisionRequirement,
    SpecialCategoryCondition,
};
use super::{
    DataSource, DataSourceConnection, DataSubjectCategory, DataSubjectCategoryConnection,
    Organisation, Party, PersonalDataCategory, PersonalDataCategoryConnection, Recipient,
    RecipientConnection, Register, RetentionRule, RetentionRuleConnection, SecurityMeasure,
    SecurityMeasureConnection, Transfer, TransferConnection,
};
use async_graphql::{Context, Object, Result, ID};
use chrono::{DateTime, NaiveDate, Utc};

use super::connection::{graph_node, paginate, reference, require_field, required, ReadRule};
use super::text::LocalizedText;
use crate::authz::{Action, Scope};

graph_node!(
    /// A processing activity: one purpose of one register, its legal basis, and what it processes, discloses, transfers and keeps.
    ProcessingActivity,
    processing_activity,
    ProcessingActivity,
    ProcessingActivityConnection,
    ProcessingActivityEdge,
    ReadRule::register(
        Action::Read,
        entity::processing_activity::Column::RegisterId,
        entity::processing_activity::Column::OrganisationId,
    )
);

/// A processing activity: one purpose of one register, its legal basis, and what it processes, discloses, transfers and keeps.
#[Object]
impl ProcessingActivity {
    /// Opaque, stable ID of this node.
    pub async fn id(&self) -> ID {
        self.node_id()
    }

    /// The organisation that owns this node.
    async fn organisation(&self, ctx: &Context<'_>) -> Result<Organisation> {
        required(ctx, self.0.organisation_id).await
    }

    /// The register the activity belongs to.
    async fn register(&self, ctx: &Context<'_>) -> Result<Register> {
        required(ctx, self.0.register_id).await
    }

    /// Stable key, unique within the register.
    async fn key(&self) -> &str {
        &self.0.key
    }

    /// Short name of the activity.
    async fn name(&self) -> LocalizedText {
        LocalizedText::from(&self.0.name)
    }

    /// The purpose of the processing (Art. 13(1)(c), 30(1)(b)).
    async fn purpose(&self) -> LocalizedText {
        LocalizedText::from(&self.0.purpose)
    }

    /// The Art. 6(1) legal basis; null while undetermined.
    async fn legal_basis(&self) -> Option<LegalBasis> {
        self.0.legal_basis.map(Into::into)
    }

    /// The rights of the data subject that apply, derived from the legal basis, an Art. 9(2)(a)
    /// explicit consent and the declared facts (automated means, direct marketing, automated
    /// decisions; see `src/domain/rights.rs`). A right that depends on an undeclared fact is
    /// not here but in `undeterminedRights`.
    async fn rights(&self) -> Vec<DataSubjectRight> {
        let p = crate::domain::rights::Processing::of(&self.0);
        crate::domain::rights::applicable(&p)
            .into_iter()
            .map(Into::into)
            .collect()
    }

    /// The rights whether the activity has depends on a fact nobody has declared yet.
    async fn undetermined_rights(&self) -> Vec<DataSubjectRight> {
        let p = crate::domain::rights::Processing::of(&self.0);
        crate::domain::rights::undetermined(&p)
            .into_iter()
            .map(Into::into)
            .collect()
    }

    /// The legitimate interests pursued, when the basis is Art. 6(1)(f) (Art. 13(1)(d)).
    async fn legitimate_interests(&self) -> LocalizedText {
        LocalizedText::from(&self.0.legitimate_interests)
    }

    /// The Art. 9(2) condition, when special categories of data are processed.
    async fn special_category_condition(&self) -> Option<SpecialCategoryCondition> {
        self.0.special_category_condition.map(Into::into)
    }

    /// The Art. 10 basis, when data on criminal convictions and offences is processed.
    async fn criminal_data_basis(&self) -> LocalizedText {
        LocalizedText::from(&self.0.criminal_data_basis)
    }

    /// Why a national identity number is needed, when one is processed.
    async fn national_id_justification(&self) -> LocalizedText {
        LocalizedText::from(&self.0.national_id_justification)
    }

    /// How consent is withdrawn, when the basis is consent (Art. 7(3), 13(2)(c)).
    async fn consent_withdrawal(&self) -> LocalizedText {
        LocalizedText::from(&self.0.consent_withdrawal)
    }

    /// Whether providing the data is statutory, contractual, needed for a contract or voluntary (Art. 13(2)(e)).
    async fn provision_requirement(&self) -> Option<ProvisionRequirement> {
        self.0.provision_requirement.map(Into::into)
    }

    /// What follows if the data subject does not provide the data (Art. 13(2)(e)).
    async fn provision_consequence(&self) -> LocalizedText {
        LocalizedText::from(&self.0.provision_consequence)
    }

    /// The organisation's role: controller, joint controller or processor.
    async fn role(&self) -> ProcessingRole {
        self.0.role.into()
    }

    /// The joint controller, or the controller on whose behalf the organisation processes.
    async fn counterpart(&self, ctx: &Context<'_>) -> Result<Option<Party>> {
        reference(ctx, self.0.counterpart_party_id).await
    }

    /// Whether decisions are based solely on automated processing (Art. 22); null while
    /// nobody has declared it.
    async fn automated_decision_making(&self) -> Option<bool> {
        self.0.automated_decision_making
    }

    /// Whether the activity profiles data subjects (Art. 4(4)); null while undeclared.
    async fn profiling(&self) -> Option<bool> {
        self.0.profiling
    }

    /// Whether data is transferred outside the EU/EEA (true with the transfers listed, false
    /// declared none); null while undeclared.
    async fn transfers_outside_eea(&self) -> Option<bool> {
        self.0.transfers_outside_eea
    }

    /// Whether the purpose is direct marketing (Art. 21(2)); null while undeclared.
    async fn direct_marketing(&self) -> Option<bool> {
        self.0.direct_marketing
    }

    /// Whether the processing is carried out by automated means (Art. 20(1)(b)); null while
    /// undeclared.
    async fn automated_means(&self) -> Option<bool> {
        self.0.automated_means
    }

    /// Meaningful information about the logic involved (Art. 13(2)(f)).
    async fn automated_logic(&self) -> LocalizedText {
        LocalizedText::from(&self.0.automated_logic)
    }

    /// The significance and envisaged consequences for the data subject (Art. 13(2)(f)).
    async fn automated_consequences(&self) -> LocalizedText {
        LocalizedText::from(&self.0.automated_consequences)
    }

    /// Where a data protection impact assessment (Art. 35) stands.
    async fn dpia_status(&self) -> DpiaStatus {
        self.0.dpia_status.into()
    }

    /// Where the impact assessment is documented.
    async fn dpia_reference(&self) -> Option<&str> {
        self.0.dpia_reference.as_deref()
    }

    /// Where the legitimate interests assessment (Art. 6(1)(f)) is kept.
    async fn lia_reference(&self) -> Option<&str> {
        self.0.lia_reference.as_deref()
    }

    /// Where the personal data is located: countries, data centres or systems.
    async fn data_location(&self) -> Option<&str> {
        self.0.data_location.as_deref()
    }

    /// Notes for the organisation's own staff; never public.
    async fn internal_notes(&self, ctx: &Context<'_>) -> Result<Option<&str>> {
        require_field(
            ctx,
            Action::ReadInternal,
            Scope::Register {
                id: self.0.register_id,
                organisation: self.0.organisation_id,
            },
            "internalNotes",
        )?;
        Ok(self.0.internal_notes.as_deref())
    }

    /// When the activity was last reviewed.
    async fn last_reviewed_on(&self) -> Option<NaiveDate> {
        self.0.last_reviewed_on
    }

    /// When the activity is next due for review.
    async fn next_review_on(&self) -> Option<NaiveDate> {
        self.0.next_review_on
    }

    /// Categories of data subjects whose data the activity processes.
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
        paginate::<DataSubjectCategory>(ctx, ACTIVITY_DATA_SUBJECTS, self.0.id, first, after).await
    }

    /// Categories of personal data the activity processes.
    async fn personal_data_categories(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many items to return, from 0 to 100; 20 when omitted.")]
        first: Option<i32>,
        #[graphql(
            desc = "Return the items after this cursor (the `cursor` of an edge of an earlier page)."
        )]
        after: Option<String>,
    ) -> Result<PersonalDataCategoryConnection> {
        paginate::<PersonalDataCategory>(ctx, ACTIVITY_DATA_CATEGORIES, self.0.id, first, after)
            .await
    }

    /// Where the activity gets its data.
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
        paginate::<DataSource>(ctx, ACTIVITY_SOURCES, self.0.id, first, after).await
    }

    /// Recipients the activity discloses data to.
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
        paginate::<Recipient>(ctx, ACTIVITY_RECIPIENTS, self.0.id, first, after).await
    }

    /// Security measures that protect the activity's data.
    async fn security_measures(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many items to return, from 0 to 100; 20 when omitted.")]
        first: Option<i32>,
        #[graphql(
            desc = "Return the items after this cursor (the `cursor` of an edge of an earlier page)."
        )]
        after: Option<String>,
    ) -> Result<SecurityMeasureConnection> {
        paginate::<SecurityMeasure>(ctx, ACTIVITY_SECURITY_MEASURES, self.0.id, first, after).await
    }

    /// Transfers to third countries or international organisations.
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
        paginate::<Transfer>(ctx, BY_ACTIVITY, self.0.id, first, after).await
    }

    /// How long the data is kept.
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
        paginate::<RetentionRule>(ctx, BY_ACTIVITY, self.0.id, first, after).await
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
