//! Publishing a register's privacy notice.

use async_graphql::{Context, InputObject, Object, Result, SimpleObject, ID};

use crate::error::GqlResult;
use crate::graphql::connection::actor;
use crate::graphql::notice::NoticeVersion;
use crate::graphql::Register;
use crate::service::notices;

/// Which register's notice to publish.
#[derive(InputObject)]
pub struct PublishNoticeInput {
    /// The register.
    pub register_id: ID,
    /// Why the notice is published while it has draft gaps or its register has unacknowledged
    /// error-level findings; without it such a notice is refused. Takes `acknowledge` too
    /// (dpo and admin); the version records the reason and what it was published with.
    pub override_reason: Option<String>,
}

/// The version just published, and the register (published, if it was a draft).
#[derive(SimpleObject)]
pub struct PublishNoticePayload {
    /// The version just published.
    pub version: NoticeVersion,
    /// The register, with its status after publishing.
    pub register: Register,
}

#[derive(Default)]
pub struct NoticeMutation;

#[Object]
impl NoticeMutation {
    /// Freezes the register's current notice, in every language, as its next immutable version
    /// (takes `publish`: roles dpo and admin). A draft register becomes published. Refused when
    /// nothing changed since the latest version, when the register is archived, and while the
    /// notice has draft gaps or the register unacknowledged error-level findings, unless
    /// `overrideReason` is given.
    async fn publish_notice(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to publish.")] input: PublishNoticeInput,
    ) -> Result<PublishNoticePayload> {
        let (version, register) = notices::publish(
            actor(ctx)?,
            &input.register_id,
            input.override_reason.as_deref(),
        )
        .await
        .gql()?;
        Ok(PublishNoticePayload {
            version: version.into(),
            register: Register(register),
        })
    }
}
