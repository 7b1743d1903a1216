//! Mutations of the graph: create, update and delete every kind of node, and link activities to
//! what they process, each change one transaction with its audit event.
//!
//! Every update and delete carries the `version` it is based on and fails with CONFLICT, changing
//! nothing, when the node has changed since. Rules are checked on the state a change would leave
//! (see [`crate::save_rules`]); a failure is BAD_USER_INPUT naming the input field.

mod common;
mod compliance;
mod inputs;
mod notice;

use async_graphql::{Context, InputObject, MergedObject, Object, Result, SimpleObject, ID};
use chrono::{DateTime, Utc};
use futures_util::future::BoxFuture;
use sea_orm::EntityTrait;
use uuid::Uuid;

pub use common::{DeleteInput, DeletePayload};
pub use inputs::*;

use super::{
    Contact, DataSource, DataSubjectCategory, Organisation, Party, PersonalDataCategory,
    ProcessingActivity, Recipient, Register, RetentionRule, SecurityMeasure, Transfer,
};
use crate::authz::{Action, Scope};
use crate::error::{AppError, AppResult, GqlResult};
use crate::ids::new_id;
use crate::links::{links_of, links_state, store_links, Links};
use crate::save_rules::{self as rules, Rules};
use crate::write::{self, Stored};
use common::Editing;
use entity::*;

/// A node kind whose rules need nothing but the node.
pub trait Checked: Stored {
    fn check<'a>(&'a self, rules: &'a Rules<'a>) -> BoxFuture<'a, AppResult<()>>;
}

macro_rules! checked {
    ($($module:ident),*) => {$(
        impl Checked for $module::Model {
            fn check<'a>(&'a self, rules: &'a Rules<'a>) -> BoxFuture<'a, AppResult<()>> {
                Box::pin(rules.$module(self))
            }
        }
    )*};
}
checked!(
    organisation,
    contact,
    party,
    register,
    data_subject_category,
    personal_data_category,
    data_source,
    recipient,
    security_measure,
    transfer,
    retention_rule
);

type Insertable<M> = <<M as Stored>::Entity as EntityTrait>::ActiveModel;

/// Checks and inserts a new node, and commits.
async fn create<M>(e: Editing<'_>, model: M) -> AppResult<M>
where
    M: Checked + sea_orm::IntoActiveModel<Insertable<M>>,
    Insertable<M>: sea_orm::ActiveModelTrait<Entity = M::Entity> + Send,
{
    model.check(&e.rules()).await?;
    let model = write::insert(&e.w, model, None).await?;
    e.w.commit().await?;
    Ok(model)
}

/// Applies a change to a node the caller may edit, checks it, writes it if `version` is still
/// current, and commits.
async fn update<M>(
    ctx: &Context<'_>,
    id: &ID,
    version: i32,
    change: impl FnOnce(&mut M) -> AppResult<()>,
) -> AppResult<M>
where
    M: Checked + sea_orm::IntoActiveModel<Insertable<M>>,
    Insertable<M>: sea_orm::ActiveModelTrait<Entity = M::Entity> + Send,
{
    let e = Editing::begin(ctx).await?;
    let current: M = e.editable(id, "id").await?;
    write::check_version(&current, version)?;
    let mut next = current.clone();
    change(&mut next)?;
    next.check(&e.rules()).await?;
    let next = write::update(&e.w, &current, next, version, None, None).await?;
    e.w.commit().await?;
    Ok(next)
}

/// Deletes a node the caller may edit and nothing names any more, if `version` is current.
async fn delete<M: Stored>(ctx: &Context<'_>, input: &DeleteInput) -> AppResult<DeletePayload> {
    delete_if::<M>(ctx, input, |_, _| Ok(())).await
}

/// Deletes a node as [`delete`] does, once `allowed` agrees.
async fn delete_if<M: Stored>(
    ctx: &Context<'_>,
    input: &DeleteInput,
    allowed: impl FnOnce(&Editing<'_>, &M) -> AppResult<()>,
) -> AppResult<DeletePayload> {
    let e = Editing::begin(ctx).await?;
    let current: M = e.editable(&input.id, "id").await?;
    allowed(&e, &current)?;
    write::check_version(&current, input.version)?;
    rules::unreferenced(&e.w.txn, M::TABLE, current.id()).await?;
    write::delete(&e.w, &current, input.version, None).await?;
    e.w.commit().await?;
    Ok(DeletePayload {
        deleted_id: input.id.clone(),
    })
}

/// Declares the create, update and delete mutations of a node kind owned by an organisation.
macro_rules! organisation_node {
    (
        $mutation:ident, $module:ident, $wrapper:ident, $fields:ident,
        $create_input:ident, $update_input:ident, $payload:ident, $field:ident,
        $create:ident, $update:ident, $delete:ident,
        $noun:literal, $blank:expr
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
                let e = Editing::begin(ctx).await.gql()?;
                let organisation = e.organisation(&input.organisation_id, "organisationId").await.gql()?;
                let (id, now) = (new_id(), e.w.now);
                let blank: fn(Uuid, Uuid, DateTime<Utc>) -> $module::Model = $blank;
                let mut model = blank(id, organisation, now);
                input.fields.apply(&mut model).gql()?;
                let model = create(e, model).await.gql()?;
                Ok($payload { $field: $wrapper(model) })
            }

            #[doc = concat!("Changes a ", $noun, " (takes `edit` on the organisation).")]
            async fn $update(
                &self,
                ctx: &Context<'_>,
                #[graphql(desc = "What to change.")] input: $update_input,
            ) -> Result<$payload> {
                let fields = input.fields;
                let model = update::<$module::Model>(ctx, &input.id, input.version, |m| fields.apply(m))
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
                delete::<$module::Model>(ctx, &input).await.gql()
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
    "contact",
    |id, organisation_id, now| contact::Model {
        id,
        organisation_id,
        key: String::new(),
        name: String::new(),
        title: LocalizedText::default(),
        email: None,
        phone: None,
        address: None,
        created_at: now,
        updated_at: now,
        version: 1,
    }
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
    "party",
    |id, organisation_id, now| party::Model {
        id,
        organisation_id,
        key: String::new(),
        name: String::new(),
        kind: PartyKind::ThirdParty,
        business_id: None,
        country: None,
        address: None,
        email: None,
        phone: None,
        website: None,
        description: LocalizedText::default(),
        contract_reference: None,
        parent_party_id: None,
        created_at: now,
        updated_at: now,
        version: 1,
    }
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
    "data subject category",
    |id, organisation_id, now| data_subject_category::Model {
        id,
        organisation_id,
        key: String::new(),
        name: LocalizedText::default(),
        description: LocalizedText::default(),
        created_at: now,
        updated_at: now,
        version: 1,
    }
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
    "personal data category",
    |id, organisation_id, now| personal_data_category::Model {
        id,
        organisation_id,
        key: String::new(),
        name: LocalizedText::default(),
        description: LocalizedText::default(),
        kind: DataCategoryKind::Ordinary,
        created_at: now,
        updated_at: now,
        version: 1,
    }
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
    "data source",
    |id, organisation_id, now| data_source::Model {
        id,
        organisation_id,
        key: String::new(),
        name: LocalizedText::default(),
        description: LocalizedText::default(),
        kind: SourceKind::DataSubject,
        party_id: None,
        created_at: now,
        updated_at: now,
        version: 1,
    }
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
    "recipient",
    |id, organisation_id, now| recipient::Model {
        id,
        organisation_id,
        key: String::new(),
        name: LocalizedText::default(),
        description: LocalizedText::default(),
        kind: RecipientKind::ThirdParty,
        party_id: None,
        created_at: now,
        updated_at: now,
        version: 1,
    }
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
    "security measure",
    |id, organisation_id, now| security_measure::Model {
        id,
        organisation_id,
        key: String::new(),
        name: LocalizedText::default(),
        description: LocalizedText::default(),
        kind: SecurityMeasureKind::Organisational,
        internal_details: None,
        created_at: now,
        updated_at: now,
        version: 1,
    }
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

/// Changing a register (archive it by setting `status: ARCHIVED`).
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
            update::<organisation::Model>(ctx, &input.id, input.version, |m| fields.apply(m))
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
        let e = Editing::begin(ctx).await.gql()?;
        let organisation = e
            .organisation(&input.organisation_id, "organisationId")
            .await
            .gql()?;
        let (id, now) = (new_id(), e.w.now);
        let mut model = register::Model {
            id,
            organisation_id: organisation,
            slug: String::new(),
            name: LocalizedText::default(),
            description: LocalizedText::default(),
            kind: RegisterKind::Other,
            status: RegisterStatus::Draft,
            contact_id: None,
            languages: LanguageList(Vec::new()),
            rights_instructions: LocalizedText::default(),
            internal_notes: None,
            last_reviewed_on: None,
            next_review_on: None,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        if !input.fields.kind.is_value() {
            return Err(AppError::invalid("kind", "is required")).gql();
        }
        input.fields.apply(&mut model).gql()?;
        let scope = Scope::Register { id, organisation };
        if model.status == RegisterStatus::Published {
            e.require(Action::Publish, scope, || {
                "a register's status to PUBLISHED".into()
            })
            .gql()?;
        }
        let model = create(e, model).await.gql()?;
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
        let decisions = ctx.data::<crate::authz::Decisions>()?;
        let fields = input.fields;
        let model = update::<register::Model>(ctx, &input.id, input.version, |m| {
            let was = m.status;
            fields.apply(m)?;
            let publishing =
                (was == RegisterStatus::Published) != (m.status == RegisterStatus::Published);
            let scope = Scope::Register {
                id: m.id,
                organisation: m.organisation_id,
            };
            if publishing && !decisions.allows(Action::Publish, scope) {
                return Err(AppError::Forbidden(
                    "publishing or unpublishing a register takes the `publish` permission".into(),
                ));
            }
            Ok(())
        })
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
        delete_if::<register::Model>(ctx, &input, |e, register| {
            e.require(
                Action::Edit,
                Scope::Organisation(register.organisation_id),
                || format!("register {}", input.id.as_str()),
            )
        })
        .await
        .gql()
    }

    /// Creates a processing activity with its links (takes `edit` on the register).
    async fn create_processing_activity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to create.")] input: CreateProcessingActivityInput,
    ) -> Result<ProcessingActivityPayload> {
        let e = Editing::begin(ctx).await.gql()?;
        let register: register::Model = e.editable(&input.register_id, "registerId").await.gql()?;
        let (id, now) = (new_id(), e.w.now);
        let mut model = processing_activity::Model {
            id,
            organisation_id: register.organisation_id,
            register_id: register.id,
            key: String::new(),
            name: LocalizedText::default(),
            purpose: LocalizedText::default(),
            legal_basis: None,
            legitimate_interests: LocalizedText::default(),
            special_category_condition: None,
            criminal_data_basis: LocalizedText::default(),
            national_id_justification: LocalizedText::default(),
            consent_withdrawal: LocalizedText::default(),
            provision_requirement: None,
            provision_consequence: LocalizedText::default(),
            role: ProcessingRole::Controller,
            counterpart_party_id: None,
            automated_decision_making: false,
            profiling: false,
            automated_logic: LocalizedText::default(),
            automated_consequences: LocalizedText::default(),
            dpia_status: DpiaStatus::NotAssessed,
            dpia_reference: None,
            internal_notes: None,
            last_reviewed_on: None,
            next_review_on: None,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        let links = input.fields.apply(&mut model).gql()?.unwrap_or_default();
        e.rules()
            .processing_activity(&model, &links, "linkedIds")
            .await
            .gql()?;
        let extra = links_state(&links)?;
        let model = write::insert(&e.w, model, Some(&extra)).await.gql()?;
        store_links(&e.w, model.id, &Links::default(), &links)
            .await
            .gql()?;
        e.w.commit().await.gql()?;
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
        let model = change_activity(
            ctx,
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
        let e = Editing::begin(ctx).await.gql()?;
        let current: processing_activity::Model = e.editable(&input.id, "id").await.gql()?;
        write::check_version(&current, input.version).gql()?;
        rules::unreferenced(&e.w.txn, "processing_activity", current.id)
            .await
            .gql()?;
        let links = links_of(&e.w.txn, current.id).await.gql()?;
        write::delete(&e.w, &current, input.version, Some(&links_state(&links)?))
            .await
            .gql()?;
        e.w.commit().await.gql()?;
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
        let e = Editing::begin(ctx).await.gql()?;
        let activity: processing_activity::Model =
            e.editable(&input.activity_id, "activityId").await.gql()?;
        let (id, now) = (new_id(), e.w.now);
        let mut model = transfer::Model {
            id,
            organisation_id: activity.organisation_id,
            register_id: activity.register_id,
            activity_id: activity.id,
            recipient_id: None,
            country: None,
            international_organisation: None,
            mechanism: None,
            safeguards_reference: None,
            safeguards_copy: LocalizedText::default(),
            description: LocalizedText::default(),
            created_at: now,
            updated_at: now,
            version: 1,
        };
        input.fields.apply(&mut model).gql()?;
        let model = create(e, model).await.gql()?;
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
        let model = update::<transfer::Model>(ctx, &input.id, input.version, |m| fields.apply(m))
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
        delete::<transfer::Model>(ctx, &input).await.gql()
    }

    /// Creates a retention rule of an activity (takes `edit` on its register).
    async fn create_retention_rule(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to create.")] input: CreateRetentionRuleInput,
    ) -> Result<RetentionRulePayload> {
        let e = Editing::begin(ctx).await.gql()?;
        let activity: processing_activity::Model =
            e.editable(&input.activity_id, "activityId").await.gql()?;
        let (id, now) = (new_id(), e.w.now);
        let mut model = retention_rule::Model {
            id,
            organisation_id: activity.organisation_id,
            register_id: activity.register_id,
            activity_id: activity.id,
            data_category_id: None,
            period: None,
            criteria: LocalizedText::default(),
            starts_from: LocalizedText::default(),
            created_at: now,
            updated_at: now,
            version: 1,
        };
        input.fields.apply(&mut model).gql()?;
        let model = create(e, model).await.gql()?;
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
            update::<retention_rule::Model>(ctx, &input.id, input.version, |m| fields.apply(m))
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
        delete::<retention_rule::Model>(ctx, &input).await.gql()
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
    let model = change_activity(
        ctx,
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

/// Changes an activity and its links as one versioned change with one audit event.
async fn change_activity(
    ctx: &Context<'_>,
    id: &ID,
    field: &str,
    version: i32,
    links_field: &str,
    change: impl FnOnce(&mut processing_activity::Model, &mut Links) -> AppResult<()>,
) -> AppResult<processing_activity::Model> {
    let e = Editing::begin(ctx).await?;
    let current: processing_activity::Model = e.editable(id, field).await?;
    write::check_version(&current, version)?;
    let old_links = links_of(&e.w.txn, current.id).await?;
    let mut next = current.clone();
    let mut links = old_links.clone();
    change(&mut next, &mut links)?;
    e.rules()
        .processing_activity(&next, &links, links_field)
        .await?;
    let next = write::update(
        &e.w,
        &current,
        next,
        version,
        Some(&links_state(&old_links)?),
        Some(&links_state(&links)?),
    )
    .await?;
    store_links(&e.w, next.id, &old_links, &links).await?;
    e.w.commit().await?;
    Ok(next)
}
