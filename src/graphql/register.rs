//! Registers: named sets of processing, one public notice each.

use super::edges::BY_REGISTER;
use super::enums::{RegisterKind, RegisterStatus};
use super::{Contact, Organisation, ProcessingActivity, ProcessingActivityConnection};
use async_graphql::{Context, Object, Result, ID};
use chrono::{DateTime, NaiveDate, Utc};

use super::connection::{graph_node, paginate, reference, require_field, required, ReadRule};
use super::text::{Language, LocalizedText};
use crate::authz::{Action, Scope};

graph_node!(
    /// A register: a named set of processing with one public privacy notice (tietosuojaseloste).
    Register,
    register,
    Register,
    RegisterConnection,
    RegisterEdge,
    ReadRule::register(
        Action::Read,
        entity::register::Column::Id,
        entity::register::Column::OrganisationId,
    )
);

impl Register {
    fn scope(&self) -> Scope {
        Scope::Register {
            id: self.0.id,
            organisation: self.0.organisation_id,
        }
    }
}

/// A register: a named set of processing with one public privacy notice (tietosuojaseloste).
#[Object]
impl Register {
    /// Opaque, stable ID of this node.
    pub async fn id(&self) -> ID {
        self.node_id()
    }

    /// The organisation that owns this node.
    async fn organisation(&self, ctx: &Context<'_>) -> Result<Organisation> {
        required(ctx, self.0.organisation_id).await
    }

    /// URL-safe name, unique within the organisation.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// Name of the register.
    async fn name(&self) -> LocalizedText {
        LocalizedText::from(&self.0.name)
    }

    /// What the register is for, in general terms.
    async fn description(&self) -> LocalizedText {
        LocalizedText::from(&self.0.description)
    }

    /// What the register is about.
    async fn kind(&self) -> RegisterKind {
        self.0.kind.into()
    }

    /// Life cycle: draft, published or archived.
    async fn status(&self) -> RegisterStatus {
        self.0.status.into()
    }

    /// The person or mailbox that answers for this register.
    async fn contact(&self, ctx: &Context<'_>) -> Result<Option<Contact>> {
        reference(ctx, self.0.contact_id).await
    }

    /// The languages its notice is published in.
    async fn languages(&self) -> Vec<Language> {
        self.0
            .languages
            .0
            .iter()
            .filter_map(|t| Language::from_tag(t))
            .collect()
    }

    /// How data subjects exercise their rights for this register.
    async fn rights_instructions(&self) -> LocalizedText {
        LocalizedText::from(&self.0.rights_instructions)
    }

    /// Notes for the organisation's own staff; never public.
    async fn internal_notes(&self, ctx: &Context<'_>) -> Result<Option<&str>> {
        require_field(ctx, Action::ReadInternal, self.scope(), "internalNotes")?;
        Ok(self.0.internal_notes.as_deref())
    }

    /// When the register was last reviewed.
    async fn last_reviewed_on(&self) -> Option<NaiveDate> {
        self.0.last_reviewed_on
    }

    /// When the register is next due for review.
    async fn next_review_on(&self) -> Option<NaiveDate> {
        self.0.next_review_on
    }

    /// The processing activities of this register.
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
        paginate::<ProcessingActivity>(ctx, BY_REGISTER, self.0.id, first, after).await
    }

    /// The privacy notice as the graph says it now, gaps included: the editors' preview
    /// (takes `edit` on the register). Never public until published.
    async fn notice_draft(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The language; the register's first language when omitted.")]
        language: Option<Language>,
    ) -> Result<super::notice::NoticeDraft> {
        require_field(ctx, Action::Edit, self.scope(), "noticeDraft")?;
        super::notice::draft(ctx, &self.0, language).await
    }

    /// Whether the latest published notice still says what the graph says, and what changed
    /// since (takes `edit` on the register).
    async fn notice_status(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The language of the differences; the register's first when omitted.")]
        language: Option<Language>,
    ) -> Result<super::notice::NoticeStatus> {
        require_field(ctx, Action::Edit, self.scope(), "noticeStatus")?;
        super::notice::status(ctx, &self.0, language).await
    }

    /// The published versions of the notice, newest first.
    async fn notice_versions(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Vec<super::notice::NoticeVersion>> {
        super::notice::versions(ctx, &self.0).await
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

    /// What the record and the notice of this register are missing: the findings on its nodes
    /// and on the shared nodes and organisation details its notice uses, with counts.
    async fn compliance(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only these rules (codes); all when omitted.")] rules: Option<Vec<String>>,
        #[graphql(desc = "Only these severities; all when omitted.")] severities: Option<
            Vec<super::compliance::FindingSeverity>,
        >,
        #[graphql(
            desc = "Also list acknowledged findings (they never count).",
            default = false
        )]
        include_acknowledged: bool,
        #[graphql(
            desc = "The day to check for (adequacy decisions, review dates); today when omitted."
        )]
        on: Option<chrono::NaiveDate>,
    ) -> Result<super::compliance::ComplianceReport> {
        super::compliance::report(
            ctx,
            self.0.organisation_id,
            Some(self.0.id),
            rules,
            severities,
            include_acknowledged,
            on,
        )
        .await
    }

    /// The compliance findings on this node (acknowledged ones with their acknowledgement).
    async fn findings(&self, ctx: &Context<'_>) -> Result<Vec<super::compliance::FindingNode>> {
        super::compliance::on_node(ctx, self.0.organisation_id, self.0.id).await
    }
}
