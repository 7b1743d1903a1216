//! A published version of a register's privacy notice, frozen as published. Immutable.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::LanguageList;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "notice_version")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub register_id: Uuid,
    /// 1, 2, 3… per register.
    pub number: i32,
    pub published_at: DateTimeUtc,
    /// Who published it.
    pub account_id: Option<Uuid>,
    pub token_id: Option<Uuid>,
    /// The languages it was published in.
    pub languages: LanguageList,
    /// The notice in each language (`{"fi": {…}, "sv": {…}, "en": {…}}`), as the service's
    /// notice model serialises it.
    pub content: Json,
    /// SHA-256 of `content` in its canonical JSON form, hex.
    pub content_hash: String,
    /// What the notice left unsaid when it was published: its draft gaps and the open
    /// error-level findings of its register (`{"gaps": […], "findings": […]}`); empty lists for
    /// a complete notice; none for a version published before this was recorded.
    pub published_with_gaps: Option<Json>,
    /// Why it was published over those gaps, by whom the version names.
    pub override_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

crate::organisation_scoped!();

impl ActiveModelBehavior for ActiveModel {}
