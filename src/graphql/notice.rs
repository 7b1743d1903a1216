//! Privacy notices over GraphQL: the draft editors preview, its staleness against the latest
//! published version, the published versions, and the public read of a published notice.

use async_graphql::{Context, Enum, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};

use super::text::Language;
use crate::error::{AppError, AppResult, GqlResult};
use crate::notice::model::{Notice, SectionId};
use crate::notice::publish::{self, Difference};
use crate::notice::render::{self, Format, Meta};
use crate::notice::{self as notices, Lang, RegisterGraph};
use crate::service::notices as notice_service;
use crate::state::AppState;
use entity::{notice_version, register};

/// A format a notice can be rendered in.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeFormat {
    /// A standalone, accessible, print-friendly HTML page.
    Html,
    /// Markdown.
    Markdown,
    /// Plain text, wrapped at 78 columns.
    Text,
    /// JSON: the sections as structure, each statement with the IDs of its nodes.
    Json,
}

impl From<NoticeFormat> for Format {
    fn from(f: NoticeFormat) -> Self {
        match f {
            NoticeFormat::Html => Format::Html,
            NoticeFormat::Markdown => Format::Markdown,
            NoticeFormat::Text => Format::Text,
            NoticeFormat::Json => Format::Json,
        }
    }
}

fn lang(language: Language) -> Lang {
    Lang::parse(language.tag()).unwrap_or(Lang::Fi)
}

pub use crate::service::notices::default_language;

fn state<'a>(ctx: &Context<'a>) -> Result<&'a AppState> {
    ctx.data::<AppState>()
}

fn today() -> chrono::NaiveDate {
    Utc::now().date_naive()
}

/// The current notice of a register, built from the graph as it is now, gaps included.
pub struct NoticeDraft {
    pub notice: Notice,
}

/// The current notice of a register, built from the graph as it is now. Never public.
#[Object]
impl NoticeDraft {
    /// The notice as structure, with the gaps the graph leaves.
    async fn document(&self) -> &Notice {
        &self.notice
    }

    /// How many things the notice needs that the graph does not say.
    async fn gap_count(&self) -> i32 {
        i32::try_from(self.notice.gaps().count()).unwrap_or(i32::MAX)
    }

    /// The draft rendered for preview (gaps shown, marked as a draft).
    async fn rendered(
        &self,
        #[graphql(desc = "The format.", default_with = "NoticeFormat::Html")] format: NoticeFormat,
    ) -> Result<String> {
        render::render(&self.notice, format.into(), &Meta::draft()).gql()
    }
}

/// Loads the graph of `register` and builds its draft in `language` (the default one if none).
pub async fn draft(
    ctx: &Context<'_>,
    register: &register::Model,
    language: Option<Language>,
) -> Result<NoticeDraft> {
    let state = state(ctx)?;
    let graph = RegisterGraph::load(&state.db, register.id).await.gql()?;
    let lang = language
        .map(lang)
        .unwrap_or_else(|| default_language(&graph.register, &graph.organisation));
    Ok(NoticeDraft {
        notice: notices::draft(&graph, lang, &state.adequacy, today()).gql()?,
    })
}

/// A published version of a register's notice: frozen, never changed.
pub struct NoticeVersion {
    pub model: notice_version::Model,
    /// The language when none is asked for.
    pub default_language: Lang,
}

impl From<notice_service::Version> for NoticeVersion {
    fn from(version: notice_service::Version) -> Self {
        Self {
            model: version.model,
            default_language: version.default_language,
        }
    }
}

impl NoticeVersion {
    fn notice(&self, language: Option<Language>) -> AppResult<Notice> {
        let lang = language.map(lang).unwrap_or(self.default_language);
        publish::notice_of(&self.model, lang)?
            .map(Notice::public)
            .ok_or_else(|| {
                AppError::NotFound(format!(
                    "version {} has no notice in `{}`",
                    self.model.number,
                    lang.tag()
                ))
            })
    }
}

/// A published version of a register's notice: frozen, never changed.
#[Object]
impl NoticeVersion {
    /// 1, 2, 3… per register.
    async fn number(&self) -> i32 {
        self.model.number
    }

    /// When it was published.
    async fn published_at(&self) -> DateTime<Utc> {
        self.model.published_at
    }

    /// The languages it was published in.
    async fn languages(&self) -> Vec<Language> {
        self.model
            .languages
            .0
            .iter()
            .filter_map(|t| Language::from_tag(t))
            .collect()
    }

    /// SHA-256 (hex) of the frozen content in all its languages.
    async fn content_hash(&self) -> &str {
        &self.model.content_hash
    }

    /// The notice as published, as structure.
    async fn document(
        &self,
        #[graphql(desc = "The language; the register's first language when omitted.")]
        language: Option<Language>,
    ) -> Result<Notice> {
        self.notice(language).gql()
    }

    /// The notice as published, rendered.
    async fn rendered(
        &self,
        #[graphql(desc = "The language; the register's first language when omitted.")]
        language: Option<Language>,
        #[graphql(desc = "The format.", default_with = "NoticeFormat::Html")] format: NoticeFormat,
    ) -> Result<String> {
        let notice = self.notice(language).gql()?;
        render::render(
            &notice,
            format.into(),
            &Meta::published(publish::info(&self.model)),
        )
        .gql()
    }
}

/// What differs in one section between the published notice and the current draft.
#[derive(SimpleObject)]
pub struct NoticeDifference {
    /// The section that differs.
    pub section: SectionId,
    /// Its heading, in the language asked for.
    pub heading: String,
    /// Lines the published version says and the draft no longer does.
    pub removed: Vec<String>,
    /// Lines the draft says that were not published.
    pub added: Vec<String>,
}

impl From<Difference> for NoticeDifference {
    fn from(d: Difference) -> Self {
        Self {
            section: d.section,
            heading: d.heading,
            removed: d.removed,
            added: d.added,
        }
    }
}

/// How a register's published notice stands against its graph.
#[derive(SimpleObject)]
pub struct NoticeStatus {
    /// The latest published version, if any.
    pub latest_version: Option<NoticeVersion>,
    /// True when the graph says something else than the latest published version.
    pub stale: bool,
    /// Section by section, what changed since the latest version (in the language asked for).
    pub differences: Vec<NoticeDifference>,
    /// How many things the current draft needs that the graph does not say.
    pub draft_gap_count: i32,
}

/// The status of a register's notice in `language`.
pub async fn status(
    ctx: &Context<'_>,
    register: &register::Model,
    language: Option<Language>,
) -> Result<NoticeStatus> {
    let state = state(ctx)?;
    let graph = RegisterGraph::load(&state.db, register.id).await.gql()?;
    let default = default_language(&graph.register, &graph.organisation);
    let lang = language.map(lang).unwrap_or(default);
    let content = notices::draft_content(&graph, &state.adequacy, today()).gql()?;
    let latest = publish::version(&state.db, register.id, None).await.gql()?;
    let staleness = publish::staleness(latest.as_ref(), &content, lang).gql()?;
    let gaps = content.get(lang.tag()).map_or(0, |n| n.gaps().count());
    Ok(NoticeStatus {
        latest_version: latest.map(|model| NoticeVersion {
            model,
            default_language: default,
        }),
        stale: staleness.stale,
        differences: staleness.differences.into_iter().map(Into::into).collect(),
        draft_gap_count: i32::try_from(gaps).unwrap_or(i32::MAX),
    })
}

/// The published versions of a register, newest first.
pub async fn versions(ctx: &Context<'_>, register: &register::Model) -> Result<Vec<NoticeVersion>> {
    Ok(notice_service::versions(state(ctx)?, register)
        .await
        .gql()?
        .into_iter()
        .map(NoticeVersion::from)
        .collect())
}

/// The public root field.
#[derive(Default)]
pub struct NoticeQuery;

#[Object]
impl NoticeQuery {
    /// A published privacy notice, readable by anyone, signed in or not: the latest version,
    /// or the one numbered `version`. Null when there is none (drafts are never public).
    async fn published_notice(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The organisation's slug.")] organisation: String,
        #[graphql(desc = "The register's slug.")] register: String,
        #[graphql(desc = "A version number; the latest when omitted.")] version: Option<i32>,
    ) -> Result<Option<NoticeVersion>> {
        Ok(
            notice_service::published(state(ctx)?, &organisation, &register, version)
                .await
                .gql()?
                .map(NoticeVersion::from),
        )
    }
}
