//! Creating, changing and deleting the nodes of the graph, and linking activities to what they
//! process: each change one transaction with its audit event.
//!
//! Every change and deletion carries the `version` it is based on and fails with CONFLICT,
//! changing nothing, when the node has changed since. The [save rules](crate::save_rules) are
//! checked on the state a change would leave, so creating and changing a node obey the same
//! rules; a failure is BAD_USER_INPUT naming the field.

use chrono::{DateTime, Utc};
use futures_util::future::BoxFuture;
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel};
use uuid::Uuid;

use super::{Actor, Editing};
use crate::authz::{Action, Scope};
use crate::error::{AppError, AppResult};
use crate::ids::new_id;
use crate::links::{links_of, links_state, store_links, Links};
use crate::save_rules::{self, Rules};
use crate::write::{self, Stored};
use entity::*;

type Insertable<M> = <<M as Stored>::Entity as EntityTrait>::ActiveModel;

/// A node kind whose save rules need nothing but the node.
pub trait Checked: Stored + IntoActiveModel<Insertable<Self>>
where
    Insertable<Self>: ActiveModelTrait<Entity = Self::Entity> + Send,
{
    fn check<'a>(&'a self, rules: &'a Rules<'a>) -> BoxFuture<'a, AppResult<()>>;
}

/// A node kind created under a parent: an organisation's node, a register's activity, an
/// activity's transfer. `blank` is the new node before the caller's fields are applied.
pub trait Blank: Checked
where
    Insertable<Self>: ActiveModelTrait<Entity = Self::Entity> + Send,
{
    type Parent: Stored;
    fn blank(id: Uuid, parent: &Self::Parent, now: DateTime<Utc>) -> Self;

    /// What creating this node takes besides `edit` on its parent.
    fn authorize(&self, _e: &Editing<'_>) -> AppResult<()> {
        Ok(())
    }
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

/// Creates a node under the parent `parent_id` names (which the caller must be allowed to
/// edit), with `fill` applied to its blank, checked, and commits.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn create<M>(
    actor: Actor<'_>,
    parent_id: &str,
    parent_field: &str,
    fill: impl FnOnce(&mut M) -> AppResult<()>,
) -> AppResult<M>
where
    M: Blank,
    Insertable<M>: ActiveModelTrait<Entity = M::Entity> + Send,
{
    let e = Editing::begin(actor).await?;
    let parent: M::Parent = e.editable(parent_id, parent_field).await?;
    let mut model = M::blank(new_id(), &parent, e.w.now);
    fill(&mut model)?;
    model.authorize(&e)?;
    model.check(&e.rules()).await?;
    let model = write::insert(&e.w, model, None).await?;
    e.w.commit().await?;
    Ok(model)
}

/// Applies `change` to a node the caller may edit, checks it, writes it if `version` is still
/// current, and commits.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn update<M>(
    actor: Actor<'_>,
    id: &str,
    version: i32,
    change: impl FnOnce(&mut M) -> AppResult<()>,
) -> AppResult<M>
where
    M: Checked,
    Insertable<M>: ActiveModelTrait<Entity = M::Entity> + Send,
{
    let e = Editing::begin(actor).await?;
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
#[tracing::instrument(level = "debug", skip_all)]
pub async fn delete<M: Stored>(actor: Actor<'_>, id: &str, version: i32) -> AppResult<()> {
    delete_if::<M>(actor, id, version, |_, _| Ok(())).await
}

/// Deletes a node as [`delete`] does, once `allowed` agrees.
async fn delete_if<M: Stored>(
    actor: Actor<'_>,
    id: &str,
    version: i32,
    allowed: impl FnOnce(&Editing<'_>, &M) -> AppResult<()>,
) -> AppResult<()> {
    let e = Editing::begin(actor).await?;
    let current: M = e.editable(id, "id").await?;
    allowed(&e, &current)?;
    write::check_version(&current, version)?;
    save_rules::unreferenced(&e.w.txn, M::TABLE, current.id()).await?;
    write::delete(&e.w, &current, version, None).await?;
    e.w.commit().await?;
    Ok(())
}

/// Changes a register; publishing or unpublishing it also takes `publish`.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn update_register(
    actor: Actor<'_>,
    id: &str,
    version: i32,
    change: impl FnOnce(&mut register::Model) -> AppResult<()>,
) -> AppResult<register::Model> {
    let e = Editing::begin(actor).await?;
    let current: register::Model = e.editable(id, "id").await?;
    write::check_version(&current, version)?;
    let organisation = organisation::Entity::find_by_id(current.organisation_id)
        .one(&e.w.txn)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("register {id}")))?;
    let mut next = current.clone();
    change(&mut next)?;
    let publishing =
        (current.status == RegisterStatus::Published) != (next.status == RegisterStatus::Published);
    let scope = Scope::Register {
        id: next.id,
        organisation: next.organisation_id,
    };
    if publishing && !actor.decisions.allows(Action::Publish, scope) {
        return Err(AppError::Forbidden(
            "publishing or unpublishing a register takes the `publish` permission".into(),
        ));
    }
    keeps_default_language(&current, &next, &organisation)?;
    next.check(&e.rules()).await?;
    let next = write::update(&e.w, &current, next, version, None, None).await?;
    e.w.commit().await?;
    Ok(next)
}

/// Refuses a change that takes the register's default language (the first of its notice's
/// languages) out of one of its texts while other languages stay: the notice would lose its
/// text in its main language. Removing every language (`null`) stays possible.
fn keeps_default_language(
    before: &register::Model,
    after: &register::Model,
    organisation: &organisation::Model,
) -> AppResult<()> {
    let default = crate::service::notices::default_language(after, organisation).tag();
    let texts = [
        ("name", &before.name, &after.name),
        ("description", &before.description, &after.description),
        (
            "rightsInstructions",
            &before.rights_instructions,
            &after.rights_instructions,
        ),
    ];
    for (field, was, now) in texts {
        if was.0.contains_key(default) && !now.0.contains_key(default) && !now.0.is_empty() {
            return Err(AppError::invalid(
                format!("{field}.{default}"),
                format!(
                    "`{default}` is the register's default language and cannot be removed while \
                     the text has other languages; give its new text, or remove every language \
                     with null"
                ),
            ));
        }
    }
    Ok(())
}

/// Deletes a register with no activities; takes `edit` on its organisation.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn delete_register(actor: Actor<'_>, id: &str, version: i32) -> AppResult<()> {
    delete_if::<register::Model>(actor, id, version, |e, register| {
        e.require(
            Action::Edit,
            Scope::Organisation(register.organisation_id),
            || format!("register {id}"),
        )
    })
    .await
}

/// Creates a processing activity in the register `register_id` names, with the links `fill`
/// returns; `links_field` names them in errors.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn create_activity(
    actor: Actor<'_>,
    register_id: &str,
    links_field: &str,
    fill: impl FnOnce(&mut processing_activity::Model) -> AppResult<Option<Links>>,
) -> AppResult<processing_activity::Model> {
    let e = Editing::begin(actor).await?;
    let register: register::Model = e.editable(register_id, "registerId").await?;
    let mut model = blank_activity(new_id(), register.organisation_id, register.id, e.w.now);
    let links = fill(&mut model)?.unwrap_or_default();
    e.rules()
        .processing_activity(&model, &links, links_field)
        .await?;
    let extra = links_state(&links)?;
    let model = write::insert(&e.w, model, Some(&extra)).await?;
    store_links(&e.w, model.id, &Links::default(), &links).await?;
    e.w.commit().await?;
    Ok(model)
}

/// Changes an activity and its links as one versioned change with one audit event; `field`
/// and `links_field` name the activity and its links in errors.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn change_activity(
    actor: Actor<'_>,
    id: &str,
    field: &str,
    version: i32,
    links_field: &str,
    change: impl FnOnce(&mut processing_activity::Model, &mut Links) -> AppResult<()>,
) -> AppResult<processing_activity::Model> {
    let e = Editing::begin(actor).await?;
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

/// Deletes a processing activity and its links; its transfers and retention rules must be
/// deleted first.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn delete_activity(actor: Actor<'_>, id: &str, version: i32) -> AppResult<()> {
    let e = Editing::begin(actor).await?;
    let current: processing_activity::Model = e.editable(id, "id").await?;
    write::check_version(&current, version)?;
    save_rules::unreferenced(&e.w.txn, "processing_activity", current.id).await?;
    let links = links_of(&e.w.txn, current.id).await?;
    write::delete(&e.w, &current, version, Some(&links_state(&links)?)).await?;
    e.w.commit().await?;
    Ok(())
}

macro_rules! of_organisation {
    ($($module:ident => |$id:ident, $organisation_id:ident, $now:ident| $blank:expr;)*) => {$(
        impl Blank for $module::Model {
            type Parent = organisation::Model;
            fn blank($id: Uuid, parent: &organisation::Model, $now: DateTime<Utc>) -> Self {
                let $organisation_id = parent.id;
                $blank
            }
        }
    )*};
}

of_organisation! {
    contact => |id, organisation_id, now| contact::Model {
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
    };
    party => |id, organisation_id, now| party::Model {
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
    };
    data_subject_category => |id, organisation_id, now| data_subject_category::Model {
        id,
        organisation_id,
        key: String::new(),
        name: LocalizedText::default(),
        description: LocalizedText::default(),
        created_at: now,
        updated_at: now,
        version: 1,
    };
    personal_data_category => |id, organisation_id, now| personal_data_category::Model {
        id,
        organisation_id,
        key: String::new(),
        name: LocalizedText::default(),
        description: LocalizedText::default(),
        kind: DataCategoryKind::Ordinary,
        created_at: now,
        updated_at: now,
        version: 1,
    };
    data_source => |id, organisation_id, now| data_source::Model {
        id,
        organisation_id,
        key: String::new(),
        name: LocalizedText::default(),
        description: LocalizedText::default(),
        kind: SourceKind::DataSubject,
        publicly_accessible: None,
        party_id: None,
        created_at: now,
        updated_at: now,
        version: 1,
    };
    recipient => |id, organisation_id, now| recipient::Model {
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
    };
    security_measure => |id, organisation_id, now| security_measure::Model {
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
    };
}

impl Blank for register::Model {
    type Parent = organisation::Model;
    fn blank(id: Uuid, organisation: &organisation::Model, now: DateTime<Utc>) -> Self {
        register::Model {
            id,
            organisation_id: organisation.id,
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
        }
    }

    /// A register created as published also takes `publish`.
    fn authorize(&self, e: &Editing<'_>) -> AppResult<()> {
        if self.status != RegisterStatus::Published {
            return Ok(());
        }
        let scope = Scope::Register {
            id: self.id,
            organisation: self.organisation_id,
        };
        e.require(Action::Publish, scope, || {
            "a register's status to PUBLISHED".into()
        })
    }
}

/// An activity as it stands before anything is declared of it.
#[cfg(test)]
pub fn blank_activity_for_tests() -> processing_activity::Model {
    blank_activity(new_id(), new_id(), new_id(), Utc::now())
}

/// A new activity of a register, before the caller's fields are applied: every fact unknown.
fn blank_activity(
    id: Uuid,
    organisation_id: Uuid,
    register_id: Uuid,
    now: DateTime<Utc>,
) -> processing_activity::Model {
    {
        processing_activity::Model {
            id,
            organisation_id,
            register_id,
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
            automated_decision_making: None,
            profiling: None,
            automated_logic: LocalizedText::default(),
            automated_consequences: LocalizedText::default(),
            transfers_outside_eea: None,
            direct_marketing: None,
            automated_means: None,
            dpia_status: DpiaStatus::NotAssessed,
            dpia_reference: None,
            lia_reference: None,
            data_location: None,
            internal_notes: None,
            last_reviewed_on: None,
            next_review_on: None,
            created_at: now,
            updated_at: now,
            version: 1,
        }
    }
}

impl Blank for transfer::Model {
    type Parent = processing_activity::Model;
    fn blank(id: Uuid, activity: &processing_activity::Model, now: DateTime<Utc>) -> Self {
        Self {
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
        }
    }
}

impl Blank for retention_rule::Model {
    type Parent = processing_activity::Model;
    fn blank(id: Uuid, activity: &processing_activity::Model, now: DateTime<Utc>) -> Self {
        Self {
            id,
            organisation_id: activity.organisation_id,
            register_id: activity.register_id,
            activity_id: activity.id,
            data_category_id: None,
            period: None,
            criteria: LocalizedText::default(),
            starts_from: LocalizedText::default(),
            required_by: LocalizedText::default(),
            created_at: now,
            updated_at: now,
            version: 1,
        }
    }
}
