//! Mutations of the graph: create, update and delete every kind of node, and link activities to
//! what they process. Each resolver reads its input and calls one use case of
//! [`crate::service::graph`], which authorizes, checks, writes and audits.

mod common;
mod compliance;
mod inputs;
mod notice;

use async_graphql::{Context, InputObject, MergedObject, Object, Result, SimpleObject, ID};

pub use common::{DeleteInput, DeletePayload};
pub use inputs::*;

use super::connection::actor;
use super::{
    Contact, DataSource, DataSubjectCategory, Organisation, Party, PersonalDataCategory,
    ProcessingActivity, Recipient, Register, RetentionRule, SecurityMeasure, Transfer,
};
use crate::error::{AppError, AppResult, GqlResult};
use crate::links::Links;
use crate::service::graph;
use entity::{
    contact, data_source, data_subject_category, organisation, party, personal_data_category,
    recipient, register, retention_rule, security_measure, transfer,
};

/// Declares the create, update and delete mutations of a node kind owned by an organisation.
macro_rules! organisation_node {
    (
        $mutation:ident, $module:ident, $wrapper:ident, $fields:ident,
        $create_input:ident, $update_input:ident, $payload:ident, $field:ident,
        $create:ident, $update:ident, $delete:ident,
        $noun:literal
    ) => {
        #[doc = concat!("Creating a ", $noun, ": the organisation it belongs to, and its fields.")]
        #[derive(InputObject)]
        pub struct $create_input {
            /// The organisation the new node belongs to.
            pub organisation_id: ID,
            #[graphql(flatten)]
            pub fields: $fields,
        }

        #[doc = concat!("Changing a ", $noun, ": which one, the version the change is based on, and the fields to change.")]
        #[derive(InputObject)]
        pub struct $update_input {
            /// The node to change.
            pub id: ID,
            /// The version the change is based on; CONFLICT if the node changed since.
            pub version: i32,
            #[graphql(flatten)]
            pub fields: $fields,
        }

        #[doc = concat!("The ", $noun, " as stored after the change.")]
        #[derive(SimpleObject)]
        pub struct $payload {
            #[doc = concat!("The ", $noun, ", with its new version.")]
            pub $field: $wrapper,
        }

        #[doc = concat!("Mutations of ", $noun, " nodes.")]
        #[derive(Default)]
        pub struct $mutation;

        #[Object]
        impl $mutation {
            #[doc = concat!("Creates a ", $noun, " (takes `edit` on the organisation).")]
            async fn $create(
                &self,
                ctx: &Context<'_>,
                #[graphql(desc = "What to create.")] input: $create_input,
            ) -> Result<$payload> {
                let fields = input.fields;
                let model = graph::create::<$module::Model>(actor(ctx)?, &input.organisation_id, "organisationId", |m| fields.apply(m))
                    .await
                    .gql()?;
                Ok($payload { $field: $wrapper(model) })
            }

            #[doc = concat!("Changes a ", $noun, " (takes `edit` on the organisation).")]
            async fn $update(
                &self,
                ctx: &Context<'_>,
                #[graphql(desc = "What to change.")] input: $update_input,
            ) -> Result<$payload> {
                let fields = input.fields;
                let model = graph::update::<$module::Model>(actor(ctx)?, &input.id, input.version, |m| fields.apply(m))
                    .await
                    .gql()?;
                Ok($payload { $field: $wrapper(model) })
            }

            #[doc = concat!("Deletes a ", $noun, " that nothing names any more (takes `edit` on the organisation).")]
            async fn $delete(
                &self,
                ctx: &Context<'_>,
                #[graphql(desc = "What to delete.")] input: DeleteInput,
            ) -> Result<DeletePayload> {
                graph::delete::<$module::Model>(actor(ctx)?, &input.id, input.version).await.gql()?;
                Ok(DeletePayload { deleted_id: input.id })
            }
        }
    };
}

organisation_node!(
    ContactMutation,
    contact,
    Contact,
    ContactFields,
    CreateContactInput,
    UpdateContactInput,
    ContactPayload,
    contact,
    create_contact,
    update_contact,
    delete_contact,
    "contact"
);

organisation_node!(
    PartyMutation,
    party,
    Party,
    PartyFields,
    CreatePartyInput,
    UpdatePartyInput,
    PartyPayload,
    party,
    create_party,
    update_party,
    delete_party,
    "party"
);

organisation_node!(
    DataSubjectCategoryMutation,
    data_subject_category,
    DataSubjectCategory,
    DataSubjectCategoryFields,
    CreateDataSubjectCategoryInput,
    UpdateDataSubjectCategoryInput,
    DataSubjectCategoryPayload,
    data_subject_category,
    create_data_subject_category,
    update_data_subject_category,
    delete_data_subject_category,
    "data subject category"
);

organisation_node!(
    PersonalDataCategoryMutation,
    personal_data_category,
    PersonalDataCategory,
    PersonalDataCategoryFields,
    CreatePersonalDataCategoryInput,
    UpdatePersonalDataCategoryInput,
    PersonalDataCategoryPayload,
    personal_data_category,
    create_personal_data_category,
    update_personal_data_category,
    delete_personal_data_category,
    "personal data category"
);

organisation_node!(
    DataSourceMutation,
    data_source,
    DataSource,
    DataSourceFields,
    CreateDataSourceInput,
    UpdateDataSourceInput,
    DataSourcePayload,
    data_source,
    create_data_source,
    update_data_source,
    delete_data_source,
    "data source"
);

organisation_node!(
    RecipientMutation,
    recipient,
    Recipient,
    RecipientFields,
    CreateRecipientInput,
    UpdateRecipientInput,
    RecipientPayload,
    recipient,
    create_recipient,
    update_recipient,
    delete_recipient,
    "recipient"
);

organisation_node!(
    SecurityMeasureMutation,
    security_measure,
    SecurityMeasure,
    SecurityMeasureFields,
    CreateSecurityMeasureInput,
    UpdateSecurityMeasureInput,
    SecurityMeasurePayload,
    security_measure,
    create_security_measure,
    update_security_measure,
    delete_security_measure,
    "security measure"
);

/// Changing the organisation: the version the change is based on, and the fields to change.
#[derive(InputObject)]
pub struct UpdateOrganisationInput {
    /// The organisation.
    pub id: ID,
    /// The version the change is based on; CONFLICT if it changed since.
    pub version: i32,
    #[graphql(flatten)]
    pub fields: OrganisationFields,
}

/// The organisation as stored after the change.
#[derive(SimpleObject)]
pub struct OrganisationPayload {
    /// The organisation, with its new version.
    pub organisation: Organisation,
}

/// Creating a register in an organisation.
#[derive(InputObject)]
pub struct CreateRegisterInput {
    /// The organisation the register belongs to.
    pub organisation_id: ID,
    #[graphql(flatten)]
    pub fields: RegisterFields,
}

/// Changing a register (archive it by setting `status: ARCHIVED`). A text sets the languages it
/// names and keeps the others; an empty text removes its language, `null` every language. The
/// register's default language (the first of `languages`, else the organisation's) cannot be
/// removed from a text that keeps other languages.
#[derive(InputObject)]
pub struct UpdateRegisterInput {
    /// The register.
    pub id: ID,
    /// The version the change is based on; CONFLICT if it changed since.
    pub version: i32,
    #[graphql(flatten)]
    pub fields: RegisterFields,
}

/// The register as stored after the change.
#[derive(SimpleObject)]
pub struct RegisterPayload {
    /// The register, with its new version.
    pub register: Register,
}

/// Creating a processing activity in a register, with its links.
#[derive(InputObject)]
pub struct CreateProcessingActivityInput {
    /// The register the activity belongs to (for good: an activity never moves).
    pub register_id: ID,
    #[graphql(flatten)]
    pub fields: ProcessingActivityFields,
}

/// Changing a processing activity.
#[derive(InputObject)]
pub struct UpdateProcessingActivityInput {
    /// The activity.
    pub id: ID,
    /// The version the change is based on; CONFLICT if it changed since.
    pub version: i32,
    #[graphql(flatten)]
    pub fields: ProcessingActivityFields,
}

/// Linking an activity to nodes, or unlinking it from them.
#[derive(InputObject)]
pub struct ActivityLinksInput {
    /// The activity.
    pub activity_id: ID,
    /// The version of the activity the change is based on; CONFLICT if it changed since.
    pub version: i32,
    /// Data subject categories, personal data categories, data sources, recipients and
    /// security measures of the organisation, in any mix.
    pub target_ids: Vec<ID>,
}

/// The activity as stored after the change.
#[derive(SimpleObject)]
pub struct ProcessingActivityPayload {
    /// The activity, with its new version.
    pub processing_activity: ProcessingActivity,
}

/// Creating a transfer of an activity's data outside the EU/EEA.
#[derive(InputObject)]
pub struct CreateTransferInput {
    /// The activity whose data is transferred.
    pub activity_id: ID,
    #[graphql(flatten)]
    pub fields: TransferFields,
}

/// Changing a transfer.
#[derive(InputObject)]
pub struct UpdateTransferInput {
    /// The transfer.
    pub id: ID,
    /// The version the change is based on; CONFLICT if it changed since.
    pub version: i32,
    #[graphql(flatten)]
    pub fields: TransferFields,
}

/// The transfer as stored after the change.
#[derive(SimpleObject)]
pub struct TransferPayload {
    /// The transfer, with its new version.
    pub transfer: Transfer,
}

/// Creating a retention rule of an activity.
#[derive(InputObject)]
pub struct CreateRetentionRuleInput {
    /// The activity the rule is for.
    pub activity_id: ID,
    #[graphql(flatten)]
    pub fields: RetentionRuleFields,
}

/// Changing a retention rule.
#[derive(InputObject)]
pub struct UpdateRetentionRuleInput {
    /// The retention rule.
    pub id: ID,
    /// The version the change is based on; CONFLICT if it changed since.
    pub version: i32,
    #[graphql(flatten)]
    pub fields: RetentionRuleFields,
}

/// The retention rule as stored after the change.
#[derive(SimpleObject)]
pub struct RetentionRulePayload {
    /// The retention rule, with its new version.
    pub retention_rule: RetentionRule,
}

/// Mutations of the organisation, its registers, activities, transfers and retention rules.
#[derive(Default)]
pub struct RecordMutation;

/// Mutations of the organisation, its registers, activities, transfers and retention rules.
#[Object]
impl RecordMutation {
    /// Changes the organisation (takes `edit` on it).
    async fn update_organisation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to change.")] input: UpdateOrganisationInput,
    ) -> Result<OrganisationPayload> {
        let fields = input.fields;
        let model =
            graph::update::<organisation::Model>(actor(ctx)?, &input.id, input.version, |m| {
                fields.apply(m)
            })
            .await
            .gql()?;
        Ok(OrganisationPayload {
            organisation: Organisation(model),
        })
    }

    /// Creates a register, as a draft unless told otherwise (takes `edit` on the organisation).
    async fn create_register(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to create.")] input: CreateRegisterInput,
    ) -> Result<RegisterPayload> {
        if !input.fields.kind.is_value() {
            return Err(AppError::invalid("kind", "is required")).gql();
        }
        let fields = input.fields;
        let model = graph::create::<register::Model>(
            actor(ctx)?,
            &input.organisation_id,
            "organisationId",
            |m| fields.apply(m),
        )
        .await
        .gql()?;
        Ok(RegisterPayload {
            register: Register(model),
        })
    }

    /// Changes a register (takes `edit` on it; publishing or unpublishing also takes `publish`).
    async fn update_register(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to change.")] input: UpdateRegisterInput,
    ) -> Result<RegisterPayload> {
        let fields = input.fields;
        let model =
            graph::update_register(actor(ctx)?, &input.id, input.version, |m| fields.apply(m))
                .await
                .gql()?;
        Ok(RegisterPayload {
            register: Register(model),
        })
    }

    /// Deletes a register with no activities (takes `edit` on the organisation); to keep it for
    /// the record, archive it instead.
    async fn delete_register(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to delete.")] input: DeleteInput,
    ) -> Result<DeletePayload> {
        graph::delete_register(actor(ctx)?, &input.id, input.version)
            .await
            .gql()?;
        Ok(DeletePayload {
            deleted_id: input.id,
        })
    }

    /// Creates a processing activity with its links (takes `edit` on the register).
    async fn create_processing_activity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to create.")] input: CreateProcessingActivityInput,
    ) -> Result<ProcessingActivityPayload> {
        let fields = input.fields;
        let model = graph::create_activity(actor(ctx)?, &input.register_id, "linkedIds", |m| {
            fields.apply(m)
        })
        .await
        .gql()?;
        Ok(ProcessingActivityPayload {
            processing_activity: ProcessingActivity(model),
        })
    }

    /// Changes a processing activity, and its links when `linkedIds` is given (takes `edit` on
    /// its register).
    async fn update_processing_activity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to change.")] input: UpdateProcessingActivityInput,
    ) -> Result<ProcessingActivityPayload> {
        let fields = input.fields;
        let model = graph::change_activity(
            actor(ctx)?,
            &input.id,
            "id",
            input.version,
            "linkedIds",
            |m, links| {
                if let Some(new) = fields.apply(m)? {
                    *links = new;
                }
                Ok(())
            },
        )
        .await
        .gql()?;
        Ok(ProcessingActivityPayload {
            processing_activity: ProcessingActivity(model),
        })
    }

    /// Links an activity to data subject categories, data categories, sources, recipients and
    /// security measures (takes `edit` on its register).
    async fn link_activity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to link.")] input: ActivityLinksInput,
    ) -> Result<ProcessingActivityPayload> {
        relink(ctx, input, Links::add).await
    }

    /// Unlinks an activity from nodes it is linked to (takes `edit` on its register).
    async fn unlink_activity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to unlink.")] input: ActivityLinksInput,
    ) -> Result<ProcessingActivityPayload> {
        relink(ctx, input, Links::remove).await
    }

    /// Deletes a processing activity and its links; its transfers and retention rules must be
    /// deleted first (takes `edit` on its register).
    async fn delete_processing_activity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to delete.")] input: DeleteInput,
    ) -> Result<DeletePayload> {
        graph::delete_activity(actor(ctx)?, &input.id, input.version)
            .await
            .gql()?;
        Ok(DeletePayload {
            deleted_id: input.id,
        })
    }

    /// Creates a transfer of an activity's data outside the EU/EEA (takes `edit` on its register).
    async fn create_transfer(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to create.")] input: CreateTransferInput,
    ) -> Result<TransferPayload> {
        let fields = input.fields;
        let model =
            graph::create::<transfer::Model>(actor(ctx)?, &input.activity_id, "activityId", |m| {
                fields.apply(m)
            })
            .await
            .gql()?;
        Ok(TransferPayload {
            transfer: Transfer(model),
        })
    }

    /// Changes a transfer (takes `edit` on its register).
    async fn update_transfer(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to change.")] input: UpdateTransferInput,
    ) -> Result<TransferPayload> {
        let fields = input.fields;
        let model = graph::update::<transfer::Model>(actor(ctx)?, &input.id, input.version, |m| {
            fields.apply(m)
        })
        .await
        .gql()?;
        Ok(TransferPayload {
            transfer: Transfer(model),
        })
    }

    /// Deletes a transfer (takes `edit` on its register).
    async fn delete_transfer(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to delete.")] input: DeleteInput,
    ) -> Result<DeletePayload> {
        graph::delete::<transfer::Model>(actor(ctx)?, &input.id, input.version)
            .await
            .gql()?;
        Ok(DeletePayload {
            deleted_id: input.id,
        })
    }

    /// Creates a retention rule of an activity (takes `edit` on its register).
    async fn create_retention_rule(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to create.")] input: CreateRetentionRuleInput,
    ) -> Result<RetentionRulePayload> {
        let fields = input.fields;
        let model = graph::create::<retention_rule::Model>(
            actor(ctx)?,
            &input.activity_id,
            "activityId",
            |m| fields.apply(m),
        )
        .await
        .gql()?;
        Ok(RetentionRulePayload {
            retention_rule: RetentionRule(model),
        })
    }

    /// Changes a retention rule (takes `edit` on its register).
    async fn update_retention_rule(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to change.")] input: UpdateRetentionRuleInput,
    ) -> Result<RetentionRulePayload> {
        let fields = input.fields;
        let model =
            graph::update::<retention_rule::Model>(actor(ctx)?, &input.id, input.version, |m| {
                fields.apply(m)
            })
            .await
            .gql()?;
        Ok(RetentionRulePayload {
            retention_rule: RetentionRule(model),
        })
    }

    /// Deletes a retention rule (takes `edit` on its register).
    async fn delete_retention_rule(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to delete.")] input: DeleteInput,
    ) -> Result<DeletePayload> {
        graph::delete::<retention_rule::Model>(actor(ctx)?, &input.id, input.version)
            .await
            .gql()?;
        Ok(DeletePayload {
            deleted_id: input.id,
        })
    }
}

/// Every mutation of the graph.
#[derive(MergedObject, Default)]
pub struct GraphMutation(
    RecordMutation,
    ContactMutation,
    PartyMutation,
    DataSubjectCategoryMutation,
    PersonalDataCategoryMutation,
    DataSourceMutation,
    RecipientMutation,
    SecurityMeasureMutation,
    notice::NoticeMutation,
    compliance::ComplianceMutation,
);

/// Adds or removes links of an activity.
async fn relink(
    ctx: &Context<'_>,
    input: ActivityLinksInput,
    change: fn(&mut Links, &str, &[ID]) -> AppResult<()>,
) -> Result<ProcessingActivityPayload> {
    let targets = input.target_ids;
    let model = graph::change_activity(
        actor(ctx)?,
        &input.activity_id,
        "activityId",
        input.version,
        "targetIds",
        |_, links| change(links, "targetIds", &targets),
    )
    .await
    .gql()?;
    Ok(ProcessingActivityPayload {
        processing_activity: ProcessingActivity(model),
    })
}
