//! The notice as structure: sections of statements, each statement carrying the IDs of the
//! graph nodes it came from, and the gaps the graph leaves. Every format is rendered from it,
//! and a published version freezes it.

use async_graphql::{Enum, SimpleObject};
use serde::{Deserialize, Serialize};

/// The sections of a notice, in the order they appear.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Enum, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[graphql(name = "NoticeSectionId")]
pub enum SectionId {
    /// The register's name and description.
    Register,
    /// Art. 13(1)(a): the controller, its representative and contact.
    Controller,
    /// Art. 13(1)(b): the data protection officer.
    Dpo,
    /// The categories of data subjects.
    DataSubjects,
    /// Art. 13(1)(c): purposes, each with its legal basis.
    Purposes,
    /// Art. 13(1)(d): legitimate interests, where the basis is Art. 6(1)(f).
    LegitimateInterests,
    /// The categories of personal data (Art. 14(1)(d) where data comes from elsewhere).
    DataCategories,
    /// The regular sources of the data.
    Sources,
    /// Art. 14(1)(d), 14(2)(f): data obtained from others than the data subject.
    ObtainedElsewhere,
    /// Art. 13(1)(e): recipients and categories of recipients.
    Recipients,
    /// Art. 13(1)(f): transfers outside the EU/EEA.
    Transfers,
    /// Art. 13(2)(a): retention.
    Retention,
    /// Art. 13(2)(b): the rights, per purpose.
    Rights,
    /// Art. 21(2)–(4): the right to object to direct marketing, apart from the rest.
    DirectMarketing,
    /// Art. 13(2)(c): withdrawing consent.
    WithdrawConsent,
    /// Art. 13(2)(d): the complaint to a supervisory authority.
    Complaint,
    /// Art. 13(2)(e): whether the data must be provided.
    Provision,
    /// Art. 13(2)(f): automated decisions and profiling.
    Automated,
    /// Cookies, analytics and other data observed from the use of a service.
    Cookies,
    /// Art. 32, in general terms: security.
    Security,
    /// Art. 12: how to exercise the rights.
    ExerciseRights,
}

impl SectionId {
    pub const ALL: [SectionId; 21] = [
        SectionId::Register,
        SectionId::Controller,
        SectionId::Dpo,
        SectionId::DataSubjects,
        SectionId::Purposes,
        SectionId::LegitimateInterests,
        SectionId::DataCategories,
        SectionId::Sources,
        SectionId::ObtainedElsewhere,
        SectionId::Recipients,
        SectionId::Transfers,
        SectionId::Retention,
        SectionId::Rights,
        SectionId::DirectMarketing,
        SectionId::WithdrawConsent,
        SectionId::Complaint,
        SectionId::Provision,
        SectionId::Automated,
        SectionId::Cookies,
        SectionId::Security,
        SectionId::ExerciseRights,
    ];

    /// The anchor of the section in HTML, and its key in JSON.
    pub fn slug(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }
}

/// A privacy notice in one language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, SimpleObject)]
#[serde(rename_all = "camelCase")]
#[graphql(name = "NoticeDocument")]
pub struct Notice {
    /// The organisation's slug.
    pub organisation: String,
    /// The register's slug.
    pub register: String,
    /// The language the notice is written in (`fi`, `sv` or `en`).
    pub language: String,
    /// The title: the notice and the register.
    pub title: String,
    /// The opening statements: whose notice this is and the articles it is given under.
    pub intro: Vec<Statement>,
    /// The GDPR articles the notice is given under: `13`, or `13` and `14`.
    pub articles: Vec<String>,
    /// The sections that have something to say, in order.
    pub sections: Vec<Section>,
    /// When the register was last reviewed (ISO date), if recorded.
    pub last_reviewed_on: Option<String>,
}

/// One section of a notice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, SimpleObject)]
#[serde(rename_all = "camelCase")]
#[graphql(name = "NoticeSection")]
pub struct Section {
    /// Which section this is; also its anchor in HTML.
    pub id: SectionId,
    /// The heading, in the notice's language.
    pub heading: String,
    /// The GDPR provisions the section answers, as `13(1)(a)`.
    pub articles: Vec<String>,
    /// What the section says.
    pub statements: Vec<Statement>,
    /// What the graph does not say and the section needs; shown to editors, never to the public.
    pub gaps: Vec<Gap>,
}

/// One statement: a sentence or a labelled value, possibly with statements under it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, SimpleObject)]
#[serde(rename_all = "camelCase")]
#[graphql(name = "NoticeStatement")]
pub struct Statement {
    /// A short label before the text ("E-mail", an activity's name), if any.
    pub label: Option<String>,
    /// The text; empty for a label that only heads its items.
    pub text: String,
    /// The language the text is written in.
    pub language: String,
    /// True when the text exists only in another language than the notice's.
    pub fallback: bool,
    /// The public IDs of the graph nodes the statement came from.
    pub node_ids: Vec<String>,
    /// The declared facts a statement of something not done rests on ("not transferred",
    /// "not used for profiling"): each a node and the field that declares it. Such a statement
    /// is made only when every fact it names is declared.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rests_on: Vec<Fact>,
    /// Statements under this one.
    pub items: Vec<Statement>,
}

/// A declared fact: the field of a node that says it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, SimpleObject)]
#[serde(rename_all = "camelCase")]
#[graphql(name = "NoticeFact")]
pub struct Fact {
    /// The public ID of the node.
    pub node_id: String,
    /// The field of the node, as the GraphQL API names it (`transfersOutsideEea`).
    pub field: String,
}

/// Something a section needs that the graph does not say.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, SimpleObject)]
#[serde(rename_all = "camelCase")]
#[graphql(name = "NoticeGap")]
pub struct Gap {
    /// What is missing and where, in the notice's language.
    pub message: String,
    /// The nodes to fix.
    pub node_ids: Vec<String>,
}

impl Notice {
    /// The notice as the public sees it: no gaps.
    pub fn public(mut self) -> Self {
        for section in &mut self.sections {
            section.gaps.clear();
        }
        self.sections.retain(|s| !s.statements.is_empty());
        self
    }

    /// Every gap of the notice.
    pub fn gaps(&self) -> impl Iterator<Item = (&Section, &Gap)> {
        self.sections
            .iter()
            .flat_map(|s| s.gaps.iter().map(move |g| (s, g)))
    }

    pub fn section(&self, id: SectionId) -> Option<&Section> {
        self.sections.iter().find(|s| s.id == id)
    }
}

impl Statement {
    /// Every statement of the tree, depth first, this one included.
    pub fn walk(&self) -> Vec<&Statement> {
        let mut out = vec![self];
        for item in &self.items {
            out.extend(item.walk());
        }
        out
    }

    /// Every text of the statement and its items, depth first, labels included.
    pub fn texts(&self) -> Vec<String> {
        let mut out = Vec::new();
        let own = match (&self.label, self.text.is_empty()) {
            (Some(label), true) => label.clone(),
            (Some(label), false) => format!("{label}: {}", self.text),
            (None, _) => self.text.clone(),
        };
        if !own.is_empty() {
            out.push(own);
        }
        for item in &self.items {
            out.extend(item.texts());
        }
        out
    }
}
