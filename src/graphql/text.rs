//! Multilingual text and the language enum as GraphQL types.

use async_graphql::{Enum, Object, SimpleObject};

/// A language the service writes and translates (BCP 47 primary tags).
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Language {
    /// Finnish (`fi`).
    Fi,
    /// Swedish (`sv`).
    Sv,
    /// English (`en`).
    En,
}

impl Language {
    /// The BCP 47 tag.
    pub fn tag(self) -> &'static str {
        match self {
            Self::Fi => "fi",
            Self::Sv => "sv",
            Self::En => "en",
        }
    }

    /// The language of a BCP 47 tag, if supported.
    pub fn from_tag(tag: &str) -> Option<Self> {
        match tag {
            "fi" => Some(Self::Fi),
            "sv" => Some(Self::Sv),
            "en" => Some(Self::En),
            _ => None,
        }
    }
}

/// A text written in one or more languages. Fallback rule when the requested language is
/// missing: the first of Finnish, Swedish, English that is present.
pub struct LocalizedText(pub entity::LocalizedText);

impl From<&entity::LocalizedText> for LocalizedText {
    fn from(text: &entity::LocalizedText) -> Self {
        Self(text.clone())
    }
}

/// The text in one language.
#[derive(SimpleObject)]
pub struct Translation {
    /// The language of the text.
    pub language: Language,
    /// The text.
    pub text: String,
}

/// A text resolved for a requested language.
#[derive(SimpleObject)]
pub struct ResolvedText {
    /// The text.
    pub text: String,
    /// The language the text is in.
    pub language: Language,
    /// True when the text is not in the requested language (shown to readers as a fallback).
    pub is_fallback: bool,
}

/// A text written in one or more languages. Fallback rule when the requested language is
/// missing: the first of Finnish, Swedish, English that is present.
#[Object]
impl LocalizedText {
    /// The text in every language it is written in, in the order fi, sv, en.
    async fn translations(&self) -> Vec<Translation> {
        entity::SUPPORTED_LANGUAGES
            .iter()
            .filter_map(|tag| {
                let text = self.0.exact(tag)?;
                Some(Translation {
                    language: Language::from_tag(tag)?,
                    text: text.to_owned(),
                })
            })
            .collect()
    }

    /// The text in `language`, or by the fallback rule; null when the text is written in no language.
    async fn text(
        &self,
        #[graphql(desc = "The language wanted.")] language: Language,
    ) -> Option<ResolvedText> {
        let (tag, text) = self.0.resolve(language.tag())?;
        let resolved = Language::from_tag(tag)?;
        Some(ResolvedText {
            text: text.to_owned(),
            language: resolved,
            is_fallback: resolved != language,
        })
    }

    /// True when the text is written in no language.
    async fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
