//! The `Node` interface and the `node(id:)` lookup.

use super::{
    Contact, DataSource, DataSubjectCategory, Organisation, Party, PersonalDataCategory,
    ProcessingActivity, Recipient, Register, RetentionRule, SecurityMeasure, Transfer,
};
use async_graphql::{Context, Interface, Object, Result, ID};

use super::connection::node;
use crate::ids::{self, NodeKind};

/// Anything in the graph that has an ID.
#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID", desc = "Opaque, stable ID of this node."))]
pub enum Node {
    Organisation(Organisation),
    Contact(Contact),
    Party(Party),
    Register(Register),
    ProcessingActivity(ProcessingActivity),
    DataSubjectCategory(DataSubjectCategory),
    PersonalDataCategory(PersonalDataCategory),
    DataSource(DataSource),
    Recipient(Recipient),
    SecurityMeasure(SecurityMeasure),
    Transfer(Transfer),
    RetentionRule(RetentionRule),
}

/// Root query for looking up any node by ID.
#[derive(Default)]
pub struct NodeQuery;

/// Root query for looking up any node by ID.
#[Object]
impl NodeQuery {
    /// The node with this ID; null when there is none.
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The node's ID.")] id: ID,
    ) -> Result<Option<Node>> {
        let Some((kind, uuid)) = ids::decode(&id) else {
            return Ok(None);
        };
        Ok(match kind {
            NodeKind::Organisation => node::<Organisation>(ctx, uuid).await?.map(Node::from),
            NodeKind::Contact => node::<Contact>(ctx, uuid).await?.map(Node::from),
            NodeKind::Party => node::<Party>(ctx, uuid).await?.map(Node::from),
            NodeKind::Register => node::<Register>(ctx, uuid).await?.map(Node::from),
            NodeKind::ProcessingActivity => {
                node::<ProcessingActivity>(ctx, uuid).await?.map(Node::from)
            }
            NodeKind::DataSubjectCategory => node::<DataSubjectCategory>(ctx, uuid)
                .await?
                .map(Node::from),
            NodeKind::PersonalDataCategory => node::<PersonalDataCategory>(ctx, uuid)
                .await?
                .map(Node::from),
            NodeKind::DataSource => node::<DataSource>(ctx, uuid).await?.map(Node::from),
            NodeKind::Recipient => node::<Recipient>(ctx, uuid).await?.map(Node::from),
            NodeKind::SecurityMeasure => node::<SecurityMeasure>(ctx, uuid).await?.map(Node::from),
            NodeKind::Transfer => node::<Transfer>(ctx, uuid).await?.map(Node::from),
            NodeKind::RetentionRule => node::<RetentionRule>(ctx, uuid).await?.map(Node::from),
            // Identity records are not nodes of the graph.
            NodeKind::Account
            | NodeKind::Membership
            | NodeKind::ApiToken
            | NodeKind::AuditEvent
            | NodeKind::Acknowledgement => None,
        })
    }
}
