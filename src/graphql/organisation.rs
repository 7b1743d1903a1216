//! Organisations: the tenants, and the root queries that list them.

use super::edges::BY_ORGANISATION;
use super::{
    Contact, ContactConnection, DataSource, DataSourceConnection, DataSubjectCategory,
    DataSubjectCategoryConnection, Party, PartyConnection, PersonalDataCategory,
    PersonalDataCategoryConnection, ProcessingActivity, ProcessingActivityConnection, Recipient,
    RecipientConnection, Register, RegisterConnection, SecurityMeasure, SecurityMeasureConnection,
    Transfer, TransferConnection,
};
use async_graphql::{Context, Object, Result, ID};
use chrono::{DateTime, Utc};

use super::connection::{
    actor, connection, graph_node, paginate, reference, GraphNode, PageArgs, ReadRule,
};
use super::text::Language;
use crate::authz::{Action, Scope};
use crate::error::GqlResult;
use crate::service::reads;
use crate::state::AppState;

graph_node!(
    /// An organisation: a tenant of the service, and the legal entity that is controller (or
    /// processor) of the processing it records.
    Organisation,
    organisation,
    Organisation,
    OrganisationConnection,
    OrganisationEdge,
    ReadRule::organisation(Action::Read, entity::organisation::Column::Id)
);

/// An organisation: a tenant of the service, and the legal entity that is controller (or
/// processor) of the processing it records.
#[Object]
impl Organisation {
    /// Opaque, stable ID of this node.
    pub async fn id(&self) -> ID {
        self.node_id()
    }

    /// URL-safe name, unique across the service.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// Legal name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Business ID (a Finnish Y-tunnus, check digit validated, when the country is FI).
    async fn business_id(&self) -> Option<&str> {
        self.0.business_id.as_deref()
    }

    /// Country of establishment, ISO 3166-1 alpha-2.
    async fn country(&self) -> &str {
        &self.0.country
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

    /// The language its texts are written in first.
    async fn default_language(&self) -> Option<Language> {
        Language::from_tag(&self.0.default_language)
    }

    /// Whether the organisation has declared that it must designate a DPO (Art. 37).
    async fn dpo_required(&self) -> bool {
        self.0.dpo_required
    }

    /// The controller's contact point for data protection matters (Art. 13(1)(a)).
    async fn contact(&self, ctx: &Context<'_>) -> Result<Option<Contact>> {
        reference(ctx, self.0.contact_id).await
    }

    /// The data protection officer (Art. 13(1)(b), 30(1)(a)).
    async fn dpo(&self, ctx: &Context<'_>) -> Result<Option<Contact>> {
        reference(ctx, self.0.dpo_contact_id).await
    }

    /// The representative in the Union (Art. 27), for a controller established outside it.
    async fn representative(&self, ctx: &Context<'_>) -> Result<Option<Contact>> {
        reference(ctx, self.0.representative_contact_id).await
    }

    /// The lead supervisory authority, whose contact details notices give for complaints.
    async fn supervisory_authority(&self, ctx: &Context<'_>) -> Result<Option<Party>> {
        reference(ctx, self.0.supervisory_authority_id).await
    }

    /// The register with this slug.
    async fn register(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The register's slug.")] slug: String,
    ) -> Result<Option<Register>> {
        match super::loader::register_by_slug(ctx, self.0.id, slug).await? {
            Some(model) if super::connection::readable::<Register>(ctx, &model)? => {
                Ok(Some(Register(model)))
            }
            _ => Ok(None),
        }
    }

    /// The organisation's registers.
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
        paginate::<Register>(ctx, BY_ORGANISATION, self.0.id, first, after).await
    }

    /// Every processing activity of every register.
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
        paginate::<ProcessingActivity>(ctx, BY_ORGANISATION, self.0.id, first, after).await
    }

    /// The organisation's contacts.
    async fn contacts(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many items to return, from 0 to 100; 20 when omitted.")]
        first: Option<i32>,
        #[graphql(
            desc = "Return the items after this cursor (the `cursor` of an edge of an earlier page)."
        )]
        after: Option<String>,
    ) -> Result<ContactConnection> {
        paginate::<Contact>(ctx, BY_ORGANISATION, self.0.id, first, after).await
    }

    /// Other legal entities the organisation deals with.
    async fn parties(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many items to return, from 0 to 100; 20 when omitted.")]
        first: Option<i32>,
        #[graphql(
            desc = "Return the items after this cursor (the `cursor` of an edge of an earlier page)."
        )]
        after: Option<String>,
    ) -> Result<PartyConnection> {
        paginate::<Party>(ctx, BY_ORGANISATION, self.0.id, first, after).await
    }

    /// The organisation's categories of data subjects.
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
        paginate::<DataSubjectCategory>(ctx, BY_ORGANISATION, self.0.id, first, after).await
    }

    /// The organisation's categories of personal data.
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
        paginate::<PersonalDataCategory>(ctx, BY_ORGANISATION, self.0.id, first, after).await
    }

    /// The organisation's data sources.
    async fn data_sources(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many items to return, from 0 to 100; 20 when omitted.")]
        first: Option<i32>,
        #[graphql(
            desc = "Return the items after this cursor (the `cursor` of an edge of an earlier page)."
        )]
        after: Option<String>,
    ) -> Result<DataSourceConnection> {
        paginate::<DataSource>(ctx, BY_ORGANISATION, self.0.id, first, after).await
    }

    /// The organisation's recipients and categories of recipients; only those that pass
    /// `filter` when it is given.
    async fn recipients(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only the recipients that meet every condition given.")] filter: Option<
            super::flows::RecipientFilter,
        >,
        #[graphql(desc = "How many items to return, from 0 to 100; 20 when omitted.")]
        first: Option<i32>,
        #[graphql(
            desc = "Return the items after this cursor (the `cursor` of an edge of an earlier page)."
        )]
        after: Option<String>,
    ) -> Result<RecipientConnection> {
        match filter {
            Some(filter) => super::flows::recipients(ctx, self.0.id, filter, first, after).await,
            None => paginate::<Recipient>(ctx, BY_ORGANISATION, self.0.id, first, after).await,
        }
    }

    /// The organisation's processors and sub-processors (parties of those kinds), that pass
    /// `filter` when it is given.
    async fn processors(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only the processors that meet every condition given.")] filter: Option<
            super::flows::ProcessorFilter,
        >,
        #[graphql(desc = "How many items to return, from 0 to 100; 20 when omitted.")]
        first: Option<i32>,
        #[graphql(
            desc = "Return the items after this cursor (the `cursor` of an edge of an earlier page)."
        )]
        after: Option<String>,
    ) -> Result<PartyConnection> {
        super::flows::processors(ctx, self.0.id, filter, first, after).await
    }

    /// Where the data of a personal data category, or about a data subject category, goes:
    /// every recipient and country it reaches, and through which activities (give exactly one
    /// of the two IDs).
    async fn data_flow(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The personal data category to follow.")] data_category_id: Option<ID>,
        #[graphql(desc = "The data subject category whose data to follow.")]
        data_subject_category_id: Option<ID>,
    ) -> Result<super::flows::DataFlow> {
        super::flows::data_flow(ctx, self.0.id, data_category_id, data_subject_category_id).await
    }

    /// What would change if a party, a country or a data category were dropped, or a country
    /// lost its adequacy decision: the activities, registers, published notices and transfers
    /// affected (give exactly one of `partyId`, `country` and `dataCategoryId`).
    async fn impact(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A party (with the sub-processors it engaged).")] party_id: Option<ID>,
        #[graphql(desc = "A country, ISO 3166-1 alpha-2.")] country: Option<String>,
        #[graphql(desc = "A personal data category.")] data_category_id: Option<ID>,
        #[graphql(desc = "The day adequacy decisions are judged on; today when omitted.")]
        on: Option<chrono::NaiveDate>,
    ) -> Result<super::flows::Impact> {
        super::flows::impact(ctx, self.0.id, party_id, country, data_category_id, on).await
    }

    /// The organisation's security measures.
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
        paginate::<SecurityMeasure>(ctx, BY_ORGANISATION, self.0.id, first, after).await
    }

    /// Every transfer outside the EU/EEA of every activity; only those that pass `filter` when
    /// it is given.
    async fn transfers(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only the transfers that meet every condition given.")] filter: Option<
            super::flows::TransferFilter,
        >,
        #[graphql(desc = "How many items to return, from 0 to 100; 20 when omitted.")]
        first: Option<i32>,
        #[graphql(
            desc = "Return the items after this cursor (the `cursor` of an edge of an earlier page)."
        )]
        after: Option<String>,
    ) -> Result<TransferConnection> {
        match filter {
            Some(filter) => super::flows::transfers(ctx, self.0.id, filter, first, after).await,
            None => paginate::<Transfer>(ctx, BY_ORGANISATION, self.0.id, first, after).await,
        }
    }

    /// The organisation's members and their roles (role `admin`).
    async fn members(&self, ctx: &Context<'_>) -> Result<Vec<super::account::Membership>> {
        super::connection::require_field(
            ctx,
            Action::ManageMembers,
            Scope::Organisation(self.0.id),
            "members",
        )?;
        let rows = crate::service::accounts::members(actor(ctx)?, self.0.id)
            .await
            .gql()?;
        Ok(rows.into_iter().map(super::account::Membership).collect())
    }

    /// The audit trail of the organisation's graph, oldest first unless `newestFirst`
    /// (`read_audit`: auditor, dpo, admin).
    #[allow(clippy::too_many_arguments)]
    async fn audit_events(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Newest first (and `after` goes on to older events).", default)]
        newest_first: bool,
        #[graphql(desc = "Only changes of this node.")] node_id: Option<ID>,
        #[graphql(desc = "Only changes made by this account.")] account_id: Option<ID>,
        #[graphql(desc = "Only changes made with this API token.")] token_id: Option<ID>,
        #[graphql(desc = "Only changes at or after this time.")] since: Option<DateTime<Utc>>,
        #[graphql(desc = "Only changes at or before this time.")] until: Option<DateTime<Utc>>,
        #[graphql(desc = "How many events (0–100, default 20).")] first: Option<i32>,
        #[graphql(desc = "The cursor to continue after.")] after: Option<String>,
    ) -> Result<super::audit::AuditEventConnection> {
        self.require_audit(ctx, "auditEvents")?;
        let state = ctx.data::<AppState>()?;
        let filter = reads::AuditFilter {
            newest_first,
            node: node_id.map(|id| id.0),
            account: account_id.map(|id| id.0),
            token: token_id.map(|id| id.0),
            since,
            until,
        };
        super::audit::events(state, self.0.id, filter, first, after)
            .await
            .gql()
    }

    /// The organisation's graph as it was at a time, rebuilt from the audit trail; only one
    /// register (with its activities, transfers, retention rules and what they link to) when
    /// `registerId` is given (`read_audit`).
    async fn as_of(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The time to show the record as of.")] at: DateTime<Utc>,
        #[graphql(desc = "Only this register's part of the graph.")] register_id: Option<ID>,
    ) -> Result<super::audit::GraphSnapshot> {
        self.require_audit(ctx, "asOf")?;
        let state = ctx.data::<AppState>()?;
        let snapshot = super::audit::snapshot(state, self.0.id, at, register_id.as_ref())
            .await
            .gql()?;
        Ok(super::audit::GraphSnapshot(snapshot))
    }

    /// What differs in the organisation's graph (or one register's part of it) between two
    /// times, node by node (`read_audit`).
    async fn changes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The earlier time.")] from: DateTime<Utc>,
        #[graphql(desc = "The later time.")] to: DateTime<Utc>,
        #[graphql(desc = "Only this register's part of the graph.")] register_id: Option<ID>,
    ) -> Result<Vec<super::audit::NodeChange>> {
        self.require_audit(ctx, "changes")?;
        if to < from {
            return Err(crate::error::AppError::invalid(
                "to",
                "must not be before `from`",
            ))
            .gql();
        }
        let state = ctx.data::<AppState>()?;
        let before = super::audit::snapshot(state, self.0.id, from, register_id.as_ref())
            .await
            .gql()?;
        let after = super::audit::snapshot(state, self.0.id, to, register_id.as_ref())
            .await
            .gql()?;
        Ok(crate::history::diff(&before, &after)
            .into_iter()
            .map(super::audit::NodeChange)
            .collect())
    }

    /// The controller's record of processing activities (GDPR Art. 30(1)): a header with the
    /// controller, joint controllers, representative and DPO, then one entry per activity in
    /// which the organisation is controller or joint controller. The same record as the
    /// downloads at `/exports/{organisation}/art30-controller.{xlsx|csv|json|html|jsonld}`
    /// (`export`: auditor, dpo, admin).
    async fn controller_record(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only these registers; every register when omitted.")]
        register_ids: Option<Vec<ID>>,
        #[graphql(
            desc = "The record as it was at this time, rebuilt from the audit trail; now when omitted."
        )]
        as_of: Option<DateTime<Utc>>,
        #[graphql(
            desc = "The language of texts and labels; the organisation's default when omitted."
        )]
        language: Option<Language>,
    ) -> Result<crate::record::ControllerRecord> {
        let (export, graph) = self
            .record_export(
                ctx,
                "controllerRecord",
                crate::record::model::RecordKind::Controller,
                register_ids,
                as_of,
                language,
            )
            .await?;
        let state = ctx.data::<AppState>()?;
        export.controller_record(&graph, &state.adequacy).gql()
    }

    /// The processor's record (GDPR Art. 30(2)) of the activities the organisation carries out
    /// on behalf of other controllers, per controller. The same record as the downloads at
    /// `/exports/{organisation}/art30-processor.{xlsx|csv|json|html|jsonld}` (`export`:
    /// auditor, dpo, admin).
    async fn processor_record(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only these registers; every register when omitted.")]
        register_ids: Option<Vec<ID>>,
        #[graphql(
            desc = "The record as it was at this time, rebuilt from the audit trail; now when omitted."
        )]
        as_of: Option<DateTime<Utc>>,
        #[graphql(
            desc = "The language of texts and labels; the organisation's default when omitted."
        )]
        language: Option<Language>,
    ) -> Result<crate::record::ProcessorRecord> {
        let (export, graph) = self
            .record_export(
                ctx,
                "processorRecord",
                crate::record::model::RecordKind::Processor,
                register_ids,
                as_of,
                language,
            )
            .await?;
        let state = ctx.data::<AppState>()?;
        export.processor_record(&graph, &state.adequacy).gql()
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

    /// What the record and the notices of the organisation are missing: the compliance
    /// findings, with counts by severity (findings in registers the caller may not read are
    /// left out).
    async fn compliance(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only the findings that affect this register.")] register_id: Option<ID>,
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
        let register = register_id
            .map(|id| crate::ids::decode_as(crate::ids::NodeKind::Register, &id, "registerId"))
            .transpose()
            .gql()?;
        super::compliance::report(
            ctx,
            self.0.id,
            register,
            rules,
            severities,
            include_acknowledged,
            on,
        )
        .await
    }

    /// The compliance findings on this node (acknowledged ones with their acknowledgement).
    async fn findings(&self, ctx: &Context<'_>) -> Result<Vec<super::compliance::FindingNode>> {
        super::compliance::on_node(ctx, self.0.id, self.0.id).await
    }
}

impl Organisation {
    /// Checks the `export` permission and the arguments of a record, and reads its graph.
    async fn record_export(
        &self,
        ctx: &Context<'_>,
        field: &str,
        kind: crate::record::model::RecordKind,
        register_ids: Option<Vec<ID>>,
        as_of: Option<DateTime<Utc>>,
        language: Option<Language>,
    ) -> Result<(
        crate::record::Export,
        crate::notice::graph::OrganisationGraph,
    )> {
        use crate::record::export::Covering;
        super::connection::require_field(
            ctx,
            Action::Export,
            Scope::Organisation(self.0.id),
            field,
        )?;
        let state = ctx.data::<AppState>()?;
        let ids = register_ids
            .unwrap_or_default()
            .iter()
            .map(|id| crate::ids::decode_as(crate::ids::NodeKind::Register, id, "registerIds"))
            .collect::<Result<Vec<_>, _>>()
            .gql()?;
        let covering = if ids.is_empty() {
            Covering::All
        } else {
            Covering::Ids(&ids)
        };
        self.charge_activities(ctx, field, &ids).await?;
        let lang = language
            .map(|l| crate::notice::Lang::parse(l.tag()).unwrap_or(crate::notice::Lang::En));
        let export = crate::record::Export::new(
            &state.db,
            self.0.clone(),
            kind,
            covering,
            lang,
            as_of,
            None,
        )
        .await
        .gql()?;
        let graph = export.load(&state.db).await.gql()?;
        Ok((export, graph))
    }

    /// Charges a report field for the processing activities it reads: those of `registers`,
    /// or of the whole organisation when none are named ([`super::limits::Charges`]).
    async fn charge_activities(
        &self,
        ctx: &Context<'_>,
        field: &str,
        registers: &[uuid::Uuid],
    ) -> Result<()> {
        let Some(charges) = ctx.data_opt::<std::sync::Arc<super::limits::Charges>>() else {
            return Ok(());
        };
        let state = ctx.data::<AppState>()?;
        let count = crate::service::reads::activity_count(&state.db, self.0.id, registers)
            .await
            .gql()?;
        charges.charge(field, count)
    }

    fn require_audit(&self, ctx: &Context<'_>, field: &str) -> Result<()> {
        super::connection::require_field(
            ctx,
            Action::ReadAudit,
            Scope::Organisation(self.0.id),
            field,
        )
    }
}

/// Root queries for organisations.
#[derive(Default)]
pub struct OrganisationQuery;

/// Root queries for organisations.
#[Object]
impl OrganisationQuery {
    /// Every organisation, in the order they were created.
    async fn organisations(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many items to return, from 0 to 100; 20 when omitted.")]
        first: Option<i32>,
        #[graphql(
            desc = "Return the items after this cursor (the `cursor` of an edge of an earlier page)."
        )]
        after: Option<String>,
    ) -> Result<OrganisationConnection> {
        let page = PageArgs::parse(Organisation::KIND, first, after).gql()?;
        let read = super::connection::read_filter::<Organisation>(ctx)?;
        let rows = reads::organisations(actor(ctx)?, &read, page).await.gql()?;
        connection::<Organisation>(ctx, rows, page)
    }

    /// The organisation with this slug.
    async fn organisation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The organisation's slug.")] slug: String,
    ) -> Result<Option<Organisation>> {
        let found = crate::service::notices::organisation_by_slug(ctx.data::<AppState>()?, &slug)
            .await
            .gql()?;
        match found {
            Some(model) if super::connection::readable::<Organisation>(ctx, &model)? => {
                Ok(Some(Organisation(model)))
            }
            _ => Ok(None),
        }
    }
}
