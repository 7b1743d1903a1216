//! Published versions: a notice frozen as it was published (number, time, languages, content
//! hash), never changed afterwards, and the difference between the latest version and the
//! current draft.

use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};
use serde::Serialize;
use uuid::Uuid;

use super::model::{Notice, SectionId};
use super::render::VersionInfo;
use super::{content_hash, Content, Lang, RegisterGraph};
use crate::audit::{Change, Event};
use crate::domain::adequacy::AdequacyList;
use crate::error::{AppError, AppResult};
use crate::ids::new_id;
use crate::write::Write;
use entity::{notice_version, LanguageList, RegisterStatus};

/// The versions of a register's notice, newest first.
pub async fn versions<C: ConnectionTrait>(
    db: &C,
    register_id: Uuid,
) -> AppResult<Vec<notice_version::Model>> {
    Ok(notice_version::Entity::find()
        .filter(notice_version::Column::RegisterId.eq(register_id))
        .order_by_desc(notice_version::Column::Number)
        .all(db)
        .await?)
}

/// Version `number` of a register's notice, or the latest when `number` is none.
pub async fn version<C: ConnectionTrait>(
    db: &C,
    register_id: Uuid,
    number: Option<i32>,
) -> AppResult<Option<notice_version::Model>> {
    let mut query =
        notice_version::Entity::find().filter(notice_version::Column::RegisterId.eq(register_id));
    if let Some(number) = number {
        query = query.filter(notice_version::Column::Number.eq(number));
    }
    Ok(query
        .order_by_desc(notice_version::Column::Number)
        .one(db)
        .await?)
}

/// The frozen notice of a version in one language.
pub fn notice_of(version: &notice_version::Model, lang: Lang) -> AppResult<Option<Notice>> {
    let content: Content =
        serde_json::from_value(version.content.clone()).map_err(AppError::internal)?;
    Ok(content.get(lang.tag()).cloned())
}

pub fn info(version: &notice_version::Model) -> VersionInfo {
    VersionInfo {
        number: version.number,
        published_at: version.published_at,
        content_hash: version.content_hash.clone(),
    }
}

/// What a publication knowingly leaves unsaid, recorded with the version: the gaps and open
/// findings (as JSON, see [`notice_version::Model::published_with_gaps`]) and the reason given
/// for publishing over them.
pub struct Unsaid {
    pub record: serde_json::Value,
    pub override_reason: Option<String>,
}

/// Publishes the current notice of `register_id` as its next version, inside the write `w`:
/// the version is recorded in the audit trail, and a draft register becomes published. Whether
/// it may be published with what it leaves unsaid is the caller's to decide
/// ([`crate::service::notices::publish_in`]).
pub async fn publish(
    w: &Write,
    adequacy: &AdequacyList,
    today: NaiveDate,
    register_id: Uuid,
    unsaid: Unsaid,
) -> AppResult<notice_version::Model> {
    let graph = RegisterGraph::load(&w.txn, register_id).await?;
    let register = &graph.register;
    if register.status == RegisterStatus::Archived {
        return Err(AppError::invalid(
            "registerId",
            "the register is archived; make it a draft again before publishing its notice",
        ));
    }
    let content = super::draft_content(&graph, adequacy, today)?;
    let hash = content_hash(&content)?;
    let latest = version(&w.txn, register_id, None).await?;
    if let Some(latest) = &latest {
        if latest.content_hash == hash {
            return Err(AppError::invalid(
                "registerId",
                format!(
                    "the notice has not changed since version {}; there is nothing new to publish",
                    latest.number
                ),
            ));
        }
    }
    let model = notice_version::ActiveModel {
        id: Set(new_id()),
        organisation_id: Set(register.organisation_id),
        register_id: Set(register_id),
        number: Set(latest.map_or(1, |v| v.number + 1)),
        published_at: Set(w.now),
        account_id: Set(w.author.account_id),
        token_id: Set(w.author.token_id),
        languages: Set(LanguageList(
            Lang::ALL
                .iter()
                .map(|l| l.tag().to_owned())
                .filter(|tag| content.contains_key(tag))
                .collect(),
        )),
        content: Set(serde_json::to_value(&content).map_err(AppError::internal)?),
        content_hash: Set(hash),
        published_with_gaps: Set(Some(unsaid.record)),
        override_reason: Set(unsaid.override_reason),
    }
    .insert(&w.txn)
    .await
    .map_err(crate::write::clash)?;
    w.record(Event {
        organisation_id: model.organisation_id,
        node_kind: "notice_version",
        node_id: model.id,
        change: Change::Create,
        version: Some(model.number),
        before: None,
        after: Some(&model),
    })
    .await?;
    if register.status == RegisterStatus::Draft {
        let mut published = register.clone();
        published.status = RegisterStatus::Published;
        // Publishing puts the register in use: the rule of setting its status applies.
        let rules = crate::save_rules::Rules { w, adequacy, today };
        rules.register(&published).await.map_err(|err| match err {
            AppError::InvalidInput { message, .. } => AppError::invalid("registerId", message),
            other => other,
        })?;
        crate::write::update(w, register, published, register.version, None, None).await?;
    }
    Ok(model)
}

/// How the published notice stands against the graph.
#[derive(Clone, Debug, Serialize)]
pub struct Staleness {
    /// False when nothing was published yet, or the graph still says what was published.
    pub stale: bool,
    /// Section by section, what the published version says that the draft no longer does,
    /// and what the draft says that was not published.
    pub differences: Vec<Difference>,
}

/// The difference in one section.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Difference {
    pub section: SectionId,
    pub heading: String,
    pub removed: Vec<String>,
    pub added: Vec<String>,
}

/// Compares the latest published version with the current draft content.
pub fn staleness(
    latest: Option<&notice_version::Model>,
    draft: &Content,
    lang: Lang,
) -> AppResult<Staleness> {
    let Some(latest) = latest else {
        return Ok(Staleness {
            stale: false,
            differences: Vec::new(),
        });
    };
    let stale = latest.content_hash != content_hash(draft)?;
    let differences = match (notice_of(latest, lang)?, draft.get(lang.tag())) {
        (Some(published), Some(draft)) if stale => differences(&published, draft),
        _ => Vec::new(),
    };
    Ok(Staleness { stale, differences })
}

/// The lines of each section that one notice has and the other lacks (gaps aside: they are
/// the editors' notes, not what the notice says).
pub fn differences(published: &Notice, draft: &Notice) -> Vec<Difference> {
    let lines = |notice: &Notice, id: SectionId| -> Vec<String> {
        notice
            .section(id)
            .map(|s| s.statements.iter().flat_map(|st| st.texts()).collect())
            .unwrap_or_default()
    };
    let minus = |a: &[String], b: &[String]| -> Vec<String> {
        let mut rest: Vec<&String> = b.iter().collect();
        a.iter()
            .filter(|line| match rest.iter().position(|r| r == line) {
                Some(i) => {
                    rest.remove(i);
                    false
                }
                None => true,
            })
            .cloned()
            .collect()
    };
    SectionId::ALL
        .into_iter()
        .filter_map(|id| {
            let (old, new) = (lines(published, id), lines(draft, id));
            let (removed, added) = (minus(&old, &new), minus(&new, &old));
            if removed.is_empty() && added.is_empty() {
                return None;
            }
            let heading = draft
                .section(id)
                .or_else(|| published.section(id))
                .map(|s| s.heading.clone())
                .unwrap_or_default();
            Some(Difference {
                section: id,
                heading,
                removed,
                added,
            })
        })
        .collect()
}
