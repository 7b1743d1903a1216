//! For other services: where personal data goes. Filtered lists of recipients, processors and
//! transfers (filters applied in SQL), "where does this data go", and the impact of a change.

use super::AdequacyDecision;
use super::{
    NoticeVersion, Party, PartyConnection, ProcessingActivity, ProcessingActivityConnection,
    Recipient, RecipientConnection, Register, Transfer, TransferConnection,
};
use std::collections::BTreeSet;

use async_graphql::{Context, Enum, InputObject, Object, Result, ID};
use chrono::{NaiveDate, Utc};
use uuid::Uuid;

use super::connection::{connection, decisions, read_filter, GraphNode, PageArgs};
use super::enums::{RecipientKind, TransferMechanism};
use super::loader::load_filtered_page;
use crate::domain::countries;
use crate::error::{AppError, AppResult, GqlResult};
use crate::flow_graph::{Destination, Flows, Subject};
use crate::ids::{self, NodeKind};
use crate::notice::graph::OrganisationGraph;
use crate::state::AppState;
use crate::storage::flow_filter::ListFilter;
use crate::storage::loader::{FilteredPageKey, NodeModel};
use crate::storage::page;

/// Which recipients to list; every condition given must hold (a list given empty matches
/// nothing).
#[derive(InputObject, Clone, Default)]
pub struct RecipientFilter {
    /// Only recipients linked to an activity of one of these registers.
    pub register_ids: Option<Vec<ID>>,
    /// Only recipients of these kinds.
    pub kinds: Option<Vec<RecipientKind>>,
    /// Only recipients in one of these countries (ISO 3166-1 alpha-2): the country of their
    /// party, or the destination of a transfer to them.
    pub countries: Option<Vec<String>>,
    /// True: only recipients outside the EU/EEA (their party's country, a transfer to them to a
    /// third country or an international organisation); false: only the others.
    pub outside_eea: Option<bool>,
    /// Only recipients of activities that process one of these personal data categories.
    pub data_category_ids: Option<Vec<ID>>,
}

/// Which processors (parties of kind processor or sub-processor) to list; every condition given
/// must hold (a list given empty matches nothing).
#[derive(InputObject, Clone, Default)]
pub struct ProcessorFilter {
    /// Only processors that receive data from, or process on behalf of the organisation in, an
    /// activity of one of these registers (as a recipient, or as the activity's counterpart).
    pub register_ids: Option<Vec<ID>>,
    /// Only processors established in one of these countries (ISO 3166-1 alpha-2).
    pub countries: Option<Vec<String>>,
    /// True: only processors established outside the EU/EEA; false: only the others (those
    /// with no country included).
    pub outside_eea: Option<bool>,
    /// Only processors that receive one of these personal data categories.
    pub data_category_ids: Option<Vec<ID>>,
}

/// Whether a transfer's destination has an adequacy decision in force.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AdequacyStatus {
    /// The destination country has an adequacy decision in force on the date.
    InForce,
    /// It has none on the date (never had, lapsed, not yet adopted, or no country named).
    None,
}

/// Which transfers to list; every condition given must hold (a list given empty matches
/// nothing).
#[derive(InputObject, Clone, Default)]
pub struct TransferFilter {
    /// Only transfers to one of these destination countries (ISO 3166-1 alpha-2).
    pub countries: Option<Vec<String>>,
    /// Only transfers under one of these mechanisms.
    pub mechanisms: Option<Vec<TransferMechanism>>,
    /// Only transfers whose destination has (or has not) an adequacy decision in force on
    /// `adequacyOn`.
    pub adequacy: Option<AdequacyStatus>,
    /// The date `adequacy` is judged on; today when omitted.
    pub adequacy_on: Option<NaiveDate>,
    /// Only transfers to one of these recipients.
    pub recipient_ids: Option<Vec<ID>>,
    /// Only transfers of activities of one of these registers.
    pub register_ids: Option<Vec<ID>>,
}

fn ids_of(kind: NodeKind, ids: Option<Vec<ID>>, field: &str) -> AppResult<Option<Vec<Uuid>>> {
    ids.map(|list| {
        list.iter()
            .map(|id| ids::decode_as(kind, id, field))
            .collect()
    })
    .transpose()
}

fn country_codes(codes: Option<Vec<String>>, field: &str) -> AppResult<Option<Vec<String>>> {
    codes
        .map(|list| {
            list.into_iter()
                .map(|code| {
                    if countries::is_country(&code) {
                        Ok(code)
                    } else {
                        Err(AppError::invalid(
                            field,
                            format!("`{code}` is not an ISO 3166-1 alpha-2 country code"),
                        ))
                    }
                })
                .collect()
        })
        .transpose()
}

impl RecipientFilter {
    fn validate(self) -> AppResult<ListFilter> {
        Ok(ListFilter::Recipients {
            registers: ids_of(NodeKind::Register, self.register_ids, "filter.registerIds")?,
            kinds: self.kinds.map(|k| k.into_iter().map(Into::into).collect()),
            countries: country_codes(self.countries, "filter.countries")?,
            outside_eea: self.outside_eea,
            categories: ids_of(
                NodeKind::PersonalDataCategory,
                self.data_category_ids,
                "filter.dataCategoryIds",
            )?,
        })
    }
}

impl ProcessorFilter {
    fn validate(self) -> AppResult<ListFilter> {
        Ok(ListFilter::Processors {
            registers: ids_of(NodeKind::Register, self.register_ids, "filter.registerIds")?,
            countries: country_codes(self.countries, "filter.countries")?,
            outside_eea: self.outside_eea,
            categories: ids_of(
                NodeKind::PersonalDataCategory,
                self.data_category_ids,
                "filter.dataCategoryIds",
            )?,
        })
    }
}

impl TransferFilter {
    fn validate(self, state: &AppState) -> AppResult<ListFilter> {
        if self.adequacy_on.is_some() && self.adequacy.is_none() {
            return Err(AppError::invalid(
                "filter.adequacyOn",
                "is the date `adequacy` is judged on; give `adequacy` too",
            ));
        }
        let on = self.adequacy_on.unwrap_or_else(|| Utc::now().date_naive());
        let adequate = self.adequacy.map(|status| {
            let decided: BTreeSet<String> = state
                .adequacy
                .all()
                .iter()
                .filter(|d| {
                    d.kind == crate::domain::adequacy::DestinationKind::Country && d.in_force_on(on)
                })
                .map(|d| d.destination.clone())
                .collect();
            (
                status == AdequacyStatus::InForce,
                decided.into_iter().collect(),
            )
        });
        Ok(ListFilter::Transfers {
            countries: country_codes(self.countries, "filter.countries")?,
            mechanisms: self
                .mechanisms
                .map(|m| m.into_iter().map(Into::into).collect()),
            adequate,
            recipients: ids_of(
                NodeKind::Recipient,
                self.recipient_ids,
                "filter.recipientIds",
            )?,
            registers: ids_of(NodeKind::Register, self.register_ids, "filter.registerIds")?,
        })
    }
}

/// One page of an organisation's nodes that pass `filter`, batched with the other pages of
/// the request.
async fn filtered<N: GraphNode>(
    ctx: &Context<'_>,
    organisation: Uuid,
    filter: ListFilter,
    first: Option<i32>,
    after: Option<String>,
) -> Result<N::Connection> {
    let page = PageArgs::parse(N::KIND, first, after).gql()?;
    let rows = if page.first == 0 {
        Vec::new()
    } else {
        let key = FilteredPageKey {
            organisation,
            filter,
            after: page.after,
            limit: page.limit(),
            read: read_filter::<N>(ctx)?,
        };
        load_filtered_page::<N::Entity>(ctx, key).await?
    };
    connection::<N>(ctx, rows, page)
}

/// The organisation's recipients that pass `filter`.
pub async fn recipients(
    ctx: &Context<'_>,
    organisation: Uuid,
    filter: RecipientFilter,
    first: Option<i32>,
    after: Option<String>,
) -> Result<RecipientConnection> {
    let filter = filter.validate().gql()?;
    filtered::<Recipient>(ctx, organisation, filter, first, after).await
}

/// The organisation's processors and sub-processors that pass `filter`.
pub async fn processors(
    ctx: &Context<'_>,
    organisation: Uuid,
    filter: Option<ProcessorFilter>,
    first: Option<i32>,
    after: Option<String>,
) -> Result<PartyConnection> {
    let filter = filter.unwrap_or_default().validate().gql()?;
    filtered::<Party>(ctx, organisation, filter, first, after).await
}

/// The organisation's transfers that pass `filter`.
pub async fn transfers(
    ctx: &Context<'_>,
    organisation: Uuid,
    filter: TransferFilter,
    first: Option<i32>,
    after: Option<String>,
) -> Result<TransferConnection> {
    let state = ctx.data::<AppState>()?;
    let filter = filter.validate(state).gql()?;
    filtered::<Transfer>(ctx, organisation, filter, first, after).await
}

/// A page of nodes held in memory, in ID order, of those the caller may read (left out before
/// the page is cut, as the SQL lists do).
fn page_of<N: GraphNode>(
    ctx: &Context<'_>,
    rows: Vec<N::Model>,
    first: Option<i32>,
    after: Option<String>,
) -> Result<N::Connection> {
    let page = PageArgs::parse(N::KIND, first, after).gql()?;
    let decisions = decisions(ctx)?;
    let rows = page::in_memory(rows, NodeModel::id, |m| N::READ.allows(decisions, m), page);
    connection::<N>(ctx, rows, page)
}

/// An organisation's graph with the flows of the activities the caller may read.
struct FlowGraph {
    graph: OrganisationGraph,
}

impl FlowGraph {
    async fn load(ctx: &Context<'_>, organisation: Uuid) -> Result<Self> {
        let state = ctx.data::<AppState>()?;
        let graph = OrganisationGraph::load(&state.db, organisation)
            .await
            .gql()?;
        Ok(Self { graph })
    }

    fn flows(&self, ctx: &Context<'_>) -> Result<Flows<'_>> {
        let decisions = decisions(ctx)?;
        Ok(Flows::derive(&self.graph, |a| {
            ProcessingActivity::READ.allows(decisions, a)
        }))
    }

    fn activities(&self, ids: &BTreeSet<Uuid>) -> Vec<entity::processing_activity::Model> {
        self.graph
            .activities
            .iter()
            .filter(|a| ids.contains(&a.id))
            .cloned()
            .collect()
    }

    fn transfers(&self, ids: &BTreeSet<Uuid>) -> Vec<entity::transfer::Model> {
        self.graph
            .transfers
            .iter()
            .filter(|t| ids.contains(&t.id))
            .cloned()
            .collect()
    }

    fn recipients(&self, ids: &BTreeSet<Uuid>) -> Vec<Recipient> {
        ids.iter()
            .filter_map(|id| self.graph.vocabulary.recipients.get(id))
            .cloned()
            .map(Recipient)
            .collect()
    }
}

/// Where the data of one category goes: every recipient and country it reaches, and the
/// activities it goes through (only activities of registers the caller may read count).
pub struct DataFlow {
    graph: std::sync::Arc<FlowGraph>,
    reach: crate::flow_graph::Reach,
}

/// Where the data of one category goes: every recipient and country it reaches, and the
/// activities it goes through (only activities of registers the caller may read count).
#[Object]
impl DataFlow {
    /// The activities that process the data, in the order they were created.
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
        let ids = self.reach.activities.iter().copied().collect();
        page_of::<ProcessingActivity>(ctx, self.graph.activities(&ids), first, after)
    }

    /// Every recipient the data reaches (linked to one of the activities, or receiving a
    /// transfer of one), with the countries and the activities, in the order the recipients
    /// were created.
    async fn recipients(&self) -> Vec<RecipientReach> {
        self.reach
            .recipients
            .iter()
            .filter_map(|(id, to)| {
                let recipient = self.graph.graph.vocabulary.recipients.get(id)?;
                Some(RecipientReach {
                    graph: self.graph.clone(),
                    recipient: Recipient(recipient.clone()),
                    to: to.clone(),
                })
            })
            .collect()
    }

    /// Every country the data reaches (a transfer's destination, or the country of a
    /// recipient's party), in code order.
    async fn countries(&self) -> Vec<CountryReach> {
        self.reach
            .countries
            .iter()
            .map(|(country, to)| CountryReach {
                graph: self.graph.clone(),
                country: country.clone(),
                to: to.clone(),
            })
            .collect()
    }
}

/// A recipient the data reaches.
pub struct RecipientReach {
    graph: std::sync::Arc<FlowGraph>,
    recipient: Recipient,
    to: Destination,
}

/// A recipient the data reaches.
#[Object]
impl RecipientReach {
    /// The recipient.
    async fn recipient(&self) -> &Recipient {
        &self.recipient
    }

    /// The countries it receives the data in (its party's country, the destinations of
    /// transfers to it), in code order.
    async fn countries(&self) -> Vec<&str> {
        self.to.countries.iter().map(String::as_str).collect()
    }

    /// The activities through which it receives the data.
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
        page_of::<ProcessingActivity>(
            ctx,
            self.graph.activities(&self.to.activities),
            first,
            after,
        )
    }

    /// The transfers outside the EU/EEA that take the data to it.
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
        page_of::<Transfer>(ctx, self.graph.transfers(&self.to.transfers), first, after)
    }
}

/// A country the data reaches.
pub struct CountryReach {
    graph: std::sync::Arc<FlowGraph>,
    country: String,
    to: Destination,
}

/// A country the data reaches.
#[Object]
impl CountryReach {
    /// ISO 3166-1 alpha-2.
    async fn country(&self) -> &str {
        &self.country
    }

    /// Whether the country is in the EU/EEA.
    async fn in_eea(&self) -> bool {
        countries::is_eea(&self.country)
    }

    /// The adequacy decision in force for the country on a date (today when omitted); null
    /// when none is.
    async fn adequacy(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The date; today when omitted.")] on: Option<NaiveDate>,
    ) -> Result<Option<AdequacyDecision>> {
        super::adequacy::in_force(ctx, Some(&self.country), on)
    }

    /// The recipients there that receive the data.
    async fn recipients(&self) -> Vec<Recipient> {
        self.graph.recipients(&self.to.recipients)
    }

    /// The activities through which the data goes there.
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
        page_of::<ProcessingActivity>(
            ctx,
            self.graph.activities(&self.to.activities),
            first,
            after,
        )
    }

    /// The transfers that take the data there.
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
        page_of::<Transfer>(ctx, self.graph.transfers(&self.to.transfers), first, after)
    }
}

/// What would change if a party, a country or a data category were dropped (or a country
/// lost its adequacy decision); only what the caller may read counts.
pub struct Impact {
    graph: std::sync::Arc<FlowGraph>,
    impact: crate::flow_graph::Impact,
    country: Option<String>,
    on: NaiveDate,
    notices: Vec<entity::notice_version::Model>,
}

/// What would change if a party, a country or a data category were dropped (or a country
/// lost its adequacy decision); only what the caller may read counts.
#[Object]
impl Impact {
    /// The activities that would change.
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
        page_of::<ProcessingActivity>(
            ctx,
            self.graph.activities(&self.impact.activities),
            first,
            after,
        )
    }

    /// The registers of those activities, in the order they were created.
    async fn registers(&self) -> Vec<Register> {
        self.graph
            .graph
            .registers
            .iter()
            .filter(|r| self.impact.registers.contains(&r.id))
            .cloned()
            .map(Register)
            .collect()
    }

    /// The published notices that would change: the latest version of each register with an
    /// affected activity it tells of (processing done for another controller is not in a
    /// notice).
    async fn published_notices(&self) -> Vec<NoticeVersion> {
        let graph = &self.graph.graph;
        self.notices
            .iter()
            .filter_map(|model| {
                let register = graph.registers.iter().find(|r| r.id == model.register_id)?;
                Some(NoticeVersion {
                    model: model.clone(),
                    default_language: crate::service::notices::default_language(
                        register,
                        &graph.organisation,
                    ),
                })
            })
            .collect()
    }

    /// The transfers that would change (to the party's recipients, to the country, or of the
    /// activities processing the data category).
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
        page_of::<Transfer>(
            ctx,
            self.graph.transfers(&self.impact.transfers),
            first,
            after,
        )
    }

    /// For a country: the adequacy decision in force on the date asked about; null when none is
    /// (or the impact is not of a country).
    async fn adequacy_decision(&self, ctx: &Context<'_>) -> Result<Option<AdequacyDecision>> {
        super::adequacy::in_force(ctx, self.country.as_deref(), Some(self.on))
    }

    /// For a country: the transfers that rely on its adequacy decision (mechanism
    /// `ADEQUACY_DECISION`), which would need another safeguard if the decision lapsed.
    async fn adequacy_transfers(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many items to return, from 0 to 100; 20 when omitted.")]
        first: Option<i32>,
        #[graphql(
            desc = "Return the items after this cursor (the `cursor` of an edge of an earlier page)."
        )]
        after: Option<String>,
    ) -> Result<TransferConnection> {
        page_of::<Transfer>(
            ctx,
            self.graph.transfers(&self.impact.adequacy_transfers),
            first,
            after,
        )
    }
}

/// Where the data of a personal data category or about a data subject category goes.
pub async fn data_flow(
    ctx: &Context<'_>,
    organisation: Uuid,
    data_category_id: Option<ID>,
    data_subject_category_id: Option<ID>,
) -> Result<DataFlow> {
    let (category, subjects) = match (data_category_id, data_subject_category_id) {
        (Some(id), None) => (
            ids::decode_as(NodeKind::PersonalDataCategory, &id, "dataCategoryId").gql()?,
            false,
        ),
        (None, Some(id)) => (
            ids::decode_as(NodeKind::DataSubjectCategory, &id, "dataSubjectCategoryId").gql()?,
            true,
        ),
        _ => {
            return Err(AppError::invalid(
                "dataCategoryId",
                "give exactly one of `dataCategoryId` and `dataSubjectCategoryId`",
            ))
            .gql()
        }
    };
    let graph = FlowGraph::load(ctx, organisation).await?;
    let known = if subjects {
        graph.graph.vocabulary.subjects.contains_key(&category)
    } else {
        graph.graph.vocabulary.categories.contains_key(&category)
    };
    if !known {
        let kind = if subjects {
            NodeKind::DataSubjectCategory
        } else {
            NodeKind::PersonalDataCategory
        };
        return Err(AppError::NotFound(ids::encode(kind, category))).gql();
    }
    let reach = graph.flows(ctx)?.reach(category, subjects);
    Ok(DataFlow {
        graph: std::sync::Arc::new(graph),
        reach,
    })
}

/// What dropping a party, a country or a data category would change.
pub async fn impact(
    ctx: &Context<'_>,
    organisation: Uuid,
    party_id: Option<ID>,
    country: Option<String>,
    data_category_id: Option<ID>,
    on: Option<NaiveDate>,
) -> Result<Impact> {
    let subject = match (party_id, country, data_category_id) {
        (Some(id), None, None) => {
            Subject::Party(ids::decode_as(NodeKind::Party, &id, "partyId").gql()?)
        }
        (None, Some(code), None) => {
            if !countries::is_country(&code) {
                return Err(AppError::invalid(
                    "country",
                    format!("`{code}` is not an ISO 3166-1 alpha-2 country code"),
                ))
                .gql();
            }
            Subject::Country(code)
        }
        (None, None, Some(id)) => Subject::DataCategory(
            ids::decode_as(NodeKind::PersonalDataCategory, &id, "dataCategoryId").gql()?,
        ),
        _ => {
            return Err(AppError::invalid(
                "partyId",
                "give exactly one of `partyId`, `country` and `dataCategoryId`",
            ))
            .gql()
        }
    };
    let state = ctx.data::<AppState>()?;
    let graph = FlowGraph::load(ctx, organisation).await?;
    let missing = match &subject {
        Subject::Party(id) => (!graph.graph.vocabulary.parties.contains_key(id))
            .then(|| ids::encode(NodeKind::Party, *id)),
        Subject::DataCategory(id) => (!graph.graph.vocabulary.categories.contains_key(id))
            .then(|| ids::encode(NodeKind::PersonalDataCategory, *id)),
        Subject::Country(_) => None,
    };
    if let Some(id) = missing {
        return Err(AppError::NotFound(id)).gql();
    }
    let on = on.unwrap_or_else(|| Utc::now().date_naive());
    let impact = graph.flows(ctx)?.impact(&subject, &state.adequacy, on);
    let notices = crate::service::reads::latest_notices(state, &impact.noticed_registers)
        .await
        .gql()?;
    Ok(Impact {
        graph: std::sync::Arc::new(graph),
        impact,
        country: match subject {
            Subject::Country(code) => Some(code),
            _ => None,
        },
        on,
        notices,
    })
}
