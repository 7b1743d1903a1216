//! Acknowledging compliance findings, and withdrawing an acknowledgement.

use async_graphql::{Context, InputObject, Object, Result, SimpleObject, ID};

use super::common::{DeleteInput, DeletePayload};
use crate::error::GqlResult;
use crate::graphql::compliance::AcknowledgementNode;
use crate::graphql::connection::actor;
use crate::service::compliance;

/// A finding to accept: the rule, the node, and why.
#[derive(InputObject)]
pub struct AcknowledgeFindingInput {
    /// The rule's code, as a finding gives it (`NO_RETENTION`, …).
    pub rule: String,
    /// The node the finding is on.
    pub node_id: ID,
    /// Why the finding is accepted (1 to 2,000 characters); kept with the person who decided.
    pub reason: String,
}

/// The acknowledgement made.
#[derive(SimpleObject)]
pub struct AcknowledgeFindingPayload {
    /// It: the finding no longer counts, and shows this acknowledgement.
    pub acknowledgement: AcknowledgementNode,
}

#[derive(Default)]
pub struct ComplianceMutation;

#[Object]
impl ComplianceMutation {
    /// Accepts a finding with a reason (takes `acknowledge`: roles dpo and admin). It stays in
    /// reports, marked, but no longer counts, and `ropa check` no longer fails on it. Refused
    /// when the rule finds nothing on the node today, or it is already acknowledged.
    async fn acknowledge_finding(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to acknowledge.")] input: AcknowledgeFindingInput,
    ) -> Result<AcknowledgeFindingPayload> {
        let model =
            compliance::acknowledge(actor(ctx)?, &input.rule, &input.node_id, &input.reason)
                .await
                .gql()?;
        Ok(AcknowledgeFindingPayload {
            acknowledgement: AcknowledgementNode(model),
        })
    }

    /// Withdraws an acknowledgement (takes `acknowledge`): the finding counts again.
    async fn withdraw_acknowledgement(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The acknowledgement and the version last read.")] input: DeleteInput,
    ) -> Result<DeletePayload> {
        compliance::withdraw(actor(ctx)?, &input.id, input.version)
            .await
            .gql()?;
        Ok(DeletePayload {
            deleted_id: input.id,
        })
    }
}
