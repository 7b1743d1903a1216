//! Publishing a register's privacy notice.

use async_graphql::{Context, InputObject, Object, Result, SimpleObject, ID};
use chrono::Utc;

use super::common::Editing;
use crate::authz::{Action, Scope};
use crate::error::{AppError, GqlResult};
use crate::graphql::notice::{default_language, NoticeVersion};
use crate::graphql::Register;
use crate::ids::{self, NodeKind};
use crate::notice::publish;
use crate::write;
use entity::{organisation, register};

/// Which register's notice to publish.
#[derive(InputObject)]
pub struct PublishNoticeInput {
    /// The register.
    pub register_id: ID,
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
    /// nothing changed since the latest version, or when the register is archived.
    async fn publish_notice(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to publish.")] input: PublishNoticeInput,
    ) -> Result<PublishNoticePayload> {
        async {
            let e = Editing::begin(ctx).await?;
            let id = ids::decode_as(NodeKind::Register, &input.register_id, "registerId")?;
            let what = || format!("register {}", input.register_id.as_str());
            let found = write::find::<register::Model>(&e.w, id)
                .await?
                .ok_or_else(|| AppError::NotFound(what()))?;
            let scope = Scope::Register {
                id,
                organisation: found.organisation_id,
            };
            e.require(Action::Publish, scope, what)?;
            let version =
                publish::publish(&e.w, &e.state.adequacy, Utc::now().date_naive(), id).await?;
            let register = write::find::<register::Model>(&e.w, id)
                .await?
                .ok_or_else(|| AppError::NotFound(what()))?;
            let organisation = write::find::<organisation::Model>(&e.w, register.organisation_id)
                .await?
                .ok_or_else(|| AppError::NotFound(what()))?;
            e.w.commit().await?;
            Ok::<_, AppError>(PublishNoticePayload {
                version: NoticeVersion {
                    model: version,
                    default_language: default_language(&register, &organisation),
                },
                register: Register(register),
            })
        }
        .await
        .gql()
    }
}
