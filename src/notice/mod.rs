//! Privacy notices (GDPR Art. 13/14, a *tietosuojaseloste* per register), derived from the graph.
//!
//! - [`graph`] reads the part of the graph a register's notice is made from;
//! - [`build`] makes the notice as structure ([`model`]): sections of statements that carry the
//!   IDs of their nodes, and gaps where the graph is silent;
//! - [`render`] writes that structure as HTML, Markdown, plain text or JSON;
//! - [`publish`] freezes it as an immutable, numbered version, and tells whether the graph has
//!   moved on since.
//!
//! Fixed words and legal sentences come from the translation catalogue ([`catalogue`]).

pub mod build;
pub mod catalogue;
pub mod graph;
pub mod model;
pub mod publish;
pub mod render;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use sea_orm::ConnectionTrait;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::domain::adequacy::AdequacyList;
use crate::error::{AppError, AppResult};
pub use graph::RegisterGraph;
pub use model::{Gap, Notice, Section, SectionId, Statement};

/// The languages notices are written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    Fi,
    Sv,
    En,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Fi, Lang::Sv, Lang::En];

    /// The BCP 47 tag.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Fi => "fi",
            Lang::Sv => "sv",
            Lang::En => "en",
        }
    }

    /// A tag, or a tag with a region (`fi-FI`), case-insensitive.
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next()?.trim().to_ascii_lowercase();
        Lang::ALL.into_iter().find(|l| l.tag() == primary)
    }

    /// The best language for an `Accept-Language` header, by its quality values.
    pub fn negotiate(accept_language: &str) -> Option<Lang> {
        let mut best: Option<(f32, Lang)> = None;
        for entry in accept_language.split(',') {
            let mut parts = entry.split(';');
            let Some(lang) = parts.next().and_then(Lang::parse) else {
                continue;
            };
            let q = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if q > 0.0 && best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, lang));
            }
        }
        best.map(|(_, l)| l)
    }
}

/// The notice of a register in every language, keyed by tag: what a version freezes.
pub type Content = BTreeMap<String, Notice>;

/// Builds the current (draft) notice of `graph` in `lang`.
pub fn draft(
    graph: &RegisterGraph,
    lang: Lang,
    adequacy: &AdequacyList,
    today: NaiveDate,
) -> AppResult<Notice> {
    Ok(build::build(
        graph,
        lang,
        catalogue::catalogue()?,
        adequacy,
        today,
    ))
}

/// The languages the register's notice is published in, in the register's order: those it
/// declares, or the organisation's default language when it declares none (Finnish when that
/// is none of ours). A notice in a language nobody declared would be made of fallbacks. The
/// first is the language shown when none is asked for.
pub fn declared_languages(
    register: &entity::register::Model,
    organisation: &entity::organisation::Model,
) -> Vec<Lang> {
    let mut declared: Vec<Lang> = Vec::new();
    for lang in register
        .languages
        .0
        .iter()
        .filter_map(|tag| Lang::parse(tag))
    {
        if !declared.contains(&lang) {
            declared.push(lang);
        }
    }
    if declared.is_empty() {
        declared.push(Lang::parse(&organisation.default_language).unwrap_or(Lang::Fi));
    }
    declared
}

/// The draft in each language the register declares: what publishing freezes.
pub fn draft_content(
    graph: &RegisterGraph,
    adequacy: &AdequacyList,
    today: NaiveDate,
) -> AppResult<Content> {
    declared_languages(&graph.register, &graph.organisation)
        .into_iter()
        .map(|lang| Ok((lang.tag().to_owned(), draft(graph, lang, adequacy, today)?)))
        .collect()
}

/// Reads the register and builds its draft in every language.
pub async fn load_draft_content<C: ConnectionTrait>(
    db: &C,
    register_id: Uuid,
    adequacy: &AdequacyList,
    today: NaiveDate,
) -> AppResult<Content> {
    let graph = RegisterGraph::load(db, register_id).await?;
    draft_content(&graph, adequacy, today)
}

/// SHA-256 of the content's canonical JSON (object keys sorted, no white space), hex.
pub fn content_hash(content: &Content) -> AppResult<String> {
    // serde_json's maps are sorted (no `preserve_order`), and struct fields keep their order.
    let value = serde_json::to_value(content).map_err(AppError::internal)?;
    let bytes = serde_json::to_vec(&value).map_err(AppError::internal)?;
    Ok(hex::encode(Sha256::digest(bytes)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_parse_and_negotiate() {
        assert_eq!(Lang::parse("fi-FI"), Some(Lang::Fi));
        assert_eq!(Lang::parse("SV"), Some(Lang::Sv));
        assert_eq!(Lang::parse("de"), None);
        assert_eq!(Lang::negotiate("de, sv;q=0.8, en;q=0.9"), Some(Lang::En));
        assert_eq!(Lang::negotiate("fi-FI,fi;q=0.9"), Some(Lang::Fi));
        assert_eq!(Lang::negotiate("de, fr"), None);
        assert_eq!(Lang::negotiate("en;q=0, sv"), Some(Lang::Sv));
    }
}
