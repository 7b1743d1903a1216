//! Builds a register's notice from its graph: every statement from a node, every fixed sentence
//! from the catalogue, and a gap wherever the graph is silent on something the law asks for.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use entity::{
    DataCategoryKind, LegalBasis, LocalizedText, ProcessingRole, RecipientKind,
    SecurityMeasureKind, SourceKind, SpecialCategoryCondition, TransferMechanism,
};
use sea_orm::Iterable;
use uuid::Uuid;

use super::catalogue::{Catalogue, Tr};
use super::graph::RegisterGraph;
use super::model::{Fact, Gap, Notice, Section, SectionId, Statement};
use super::Lang;
use crate::domain::adequacy::AdequacyList;
use crate::domain::countries;
use crate::domain::facts::{self, Transfers};
use crate::domain::rights::{self, Processing, Right};
use crate::ids::{encode, NodeKind};
use entity::{contact, party, processing_activity};

/// Builds the notice of `graph` in `lang`; adequacy decisions are those in force on `today`.
pub fn build(
    graph: &RegisterGraph,
    lang: Lang,
    catalogue: &Catalogue,
    adequacy: &AdequacyList,
    today: NaiveDate,
) -> Notice {
    Builder {
        g: graph,
        lang,
        c: catalogue,
        adequacy,
        today,
        activities: graph
            .activities
            .iter()
            // Processing done for another controller is that controller's to tell.
            .filter(|a| a.role != ProcessingRole::Processor)
            .collect(),
    }
    .notice()
}

struct Builder<'a> {
    g: &'a RegisterGraph,
    lang: Lang,
    c: &'a Catalogue,
    adequacy: &'a AdequacyList,
    today: NaiveDate,
    activities: Vec<&'a processing_activity::Model>,
}

/// A section under construction.
struct Part {
    id: SectionId,
    articles: Vec<&'static str>,
    statements: Vec<Statement>,
    gaps: Vec<Gap>,
}

impl Part {
    fn new(id: SectionId, articles: &[&'static str]) -> Self {
        Self {
            id,
            articles: articles.to_vec(),
            statements: Vec::new(),
            gaps: Vec::new(),
        }
    }
}

/// Statements that say the same thing told once, naming every node they came from.
fn merge_statements(statements: Vec<Statement>) -> Vec<Statement> {
    fn absorb(into: &mut Statement, from: Statement) {
        for id in from.node_ids {
            if !into.node_ids.contains(&id) {
                into.node_ids.push(id);
            }
        }
        for (a, b) in into.items.iter_mut().zip(from.items) {
            absorb(a, b);
        }
    }
    let mut merged: Vec<Statement> = Vec::new();
    for statement in statements {
        let same = merged
            .iter_mut()
            .find(|m| m.label == statement.label && m.texts() == statement.texts());
        match same {
            Some(m) => absorb(m, statement),
            None => merged.push(statement),
        }
    }
    merged
}

/// One gap per message, naming every node it concerns.
fn merge(gaps: Vec<Gap>) -> Vec<Gap> {
    let mut merged: Vec<Gap> = Vec::new();
    for gap in gaps {
        match merged.iter_mut().find(|g| g.message == gap.message) {
            Some(g) => g.node_ids.extend(gap.node_ids),
            None => merged.push(gap),
        }
    }
    merged
}

fn id(kind: NodeKind, uuid: Uuid) -> String {
    encode(kind, uuid)
}

impl<'a> Builder<'a> {
    fn notice(&self) -> Notice {
        let art14 = self.art14_sources().next().is_some();
        let register_name = self.name(&self.g.register.name, &self.g.register.slug);
        let parts = vec![
            self.register(),
            self.controller(),
            self.dpo(),
            self.data_subjects(),
            self.purposes(),
            self.legitimate_interests(),
            self.data_categories(art14),
            self.sources(),
            self.obtained_elsewhere(),
            self.recipients(),
            self.transfers(),
            self.retention(),
            self.rights(),
            self.direct_marketing(),
            self.withdraw_consent(),
            self.complaint(),
            self.provision(),
            self.automated(),
            self.cookies(),
            self.security(),
            self.exercise_rights(),
        ];
        // The claim of being drawn up under Art. 13 (and 14) is made only by a notice that says
        // everything those articles ask.
        let complete = parts.iter().all(|p| p.gaps.is_empty());
        let intro = match (complete, art14) {
            (true, true) => &self.c.intro_13_14,
            (true, false) => &self.c.intro_13,
            (false, true) => &self.c.intro_partial_14,
            (false, false) => &self.c.intro_partial,
        };
        Notice {
            organisation: self.g.organisation.slug.clone(),
            register: self.g.register.slug.clone(),
            language: self.lang.tag().to_owned(),
            title: format!("{} – {register_name}", self.t(&self.c.title)),
            intro: vec![self.fixed(
                intro.fill(self.lang, &[("register", &register_name)]),
                vec![self.register_id()],
            )],
            articles: if art14 {
                vec!["13".into(), "14".into()]
            } else {
                vec!["13".into()]
            },
            sections: parts
                .into_iter()
                .filter(|p| !p.statements.is_empty() || !p.gaps.is_empty())
                .map(|mut p| Section {
                    gaps: merge(std::mem::take(&mut p.gaps)),
                    id: p.id,
                    heading: self.c.heading(p.id, self.lang).to_owned(),
                    articles: p
                        .articles
                        .iter()
                        .filter(|a| art14 || !a.starts_with("14("))
                        .map(|a| (*a).to_owned())
                        .collect(),
                    statements: p.statements,
                })
                .collect(),
            last_reviewed_on: self.g.register.last_reviewed_on.map(|d| d.to_string()),
        }
    }

    // --- words -----------------------------------------------------------------------------

    fn t(&self, tr: &Tr) -> String {
        tr.get(self.lang).to_owned()
    }

    /// A graph text in the notice's language, or in another with `fallback` set.
    fn localized(&self, text: &LocalizedText, nodes: Vec<String>) -> Option<Statement> {
        let (language, text) = text.resolve(self.lang.tag())?;
        Some(Statement {
            text: text.trim().to_owned(),
            language: language.to_owned(),
            fallback: language != self.lang.tag(),
            node_ids: nodes,
            ..Statement::default()
        })
    }

    /// A name: the text in the best language, else the key it is known by.
    fn name(&self, text: &LocalizedText, key: &str) -> String {
        text.resolve(self.lang.tag())
            .map(|(_, t)| t.trim().to_owned())
            .unwrap_or_else(|| key.to_owned())
    }

    /// A node's name as a statement: in the best language, fallback marked; else its key.
    fn named(&self, text: &LocalizedText, key: &str, nodes: Vec<String>) -> Statement {
        let fallback = nodes.clone();
        self.localized(text, nodes)
            .unwrap_or_else(|| self.fixed(key.to_owned(), fallback))
    }

    /// A sentence in the notice's language.
    fn fixed(&self, text: String, nodes: Vec<String>) -> Statement {
        Statement {
            text,
            language: self.lang.tag().to_owned(),
            node_ids: nodes,
            ..Statement::default()
        }
    }

    /// A fixed sentence stating that something is not done, resting on the declared facts
    /// `(node ID, field)` that say so.
    fn resting(&self, text: String, facts: Vec<(String, &str)>) -> Statement {
        let mut nodes: Vec<String> = facts.iter().map(|(id, _)| id.clone()).collect();
        nodes.dedup();
        Statement {
            rests_on: facts
                .into_iter()
                .map(|(node_id, field)| Fact {
                    node_id,
                    field: field.to_owned(),
                })
                .collect(),
            ..self.fixed(text, nodes)
        }
    }

    fn labelled(&self, label: &Tr, text: impl Into<String>, nodes: Vec<String>) -> Statement {
        Statement {
            label: Some(self.t(label)),
            ..self.fixed(text.into(), nodes)
        }
    }

    /// A labelled graph text, with the fallback marked.
    fn labelled_text(
        &self,
        label: &Tr,
        text: &LocalizedText,
        nodes: Vec<String>,
    ) -> Option<Statement> {
        self.localized(text, nodes).map(|s| Statement {
            label: Some(self.t(label)),
            ..s
        })
    }

    fn gap(&self, tr: &Tr, values: &[(&str, &str)], nodes: Vec<String>) -> Gap {
        Gap {
            message: tr.fill(self.lang, values),
            node_ids: nodes,
        }
    }

    fn register_id(&self) -> String {
        id(NodeKind::Register, self.g.register.id)
    }

    fn activity_id(a: &processing_activity::Model) -> String {
        id(NodeKind::ProcessingActivity, a.id)
    }

    fn activity_name(&self, a: &processing_activity::Model) -> String {
        self.name(&a.name, &a.key)
    }

    fn links(&self, a: &processing_activity::Model) -> Option<&'a crate::links::Links> {
        self.g.links.get(&a.id)
    }

    /// Each target linked by any notice activity, once, in the order first met.
    fn linked(&self, pick: fn(&crate::links::Links) -> &Vec<Uuid>) -> Vec<Uuid> {
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for a in &self.activities {
            if let Some(links) = self.links(a) {
                for target in pick(links) {
                    if seen.insert(*target) {
                        out.push(*target);
                    }
                }
            }
        }
        out
    }

    /// The activities that link `target` through `pick`.
    fn activities_linking(
        &self,
        target: Uuid,
        pick: fn(&crate::links::Links) -> &Vec<Uuid>,
    ) -> Vec<&'a processing_activity::Model> {
        self.activities
            .iter()
            .copied()
            .filter(|a| self.links(a).is_some_and(|l| pick(l).contains(&target)))
            .collect()
    }

    /// Contact details as labelled items.
    fn details(&self, nodes: &[String], fields: [(&Tr, Option<&String>); 4]) -> Vec<Statement> {
        fields
            .into_iter()
            .filter_map(|(label, value)| {
                value
                    .filter(|v| !v.trim().is_empty())
                    .map(|v| self.labelled(label, v.trim(), nodes.to_vec()))
            })
            .collect()
    }

    fn contact(&self, label: &Tr, contact: &contact::Model) -> Statement {
        let nodes = vec![id(NodeKind::Contact, contact.id)];
        let mut name = contact.name.clone();
        if let Some((_, title)) = contact.title.resolve(self.lang.tag()) {
            name = format!("{name}, {}", title.trim());
        }
        let l = &self.c.labels;
        Statement {
            items: self.details(
                &nodes,
                [
                    (&l.email, contact.email.as_ref()),
                    (&l.phone, contact.phone.as_ref()),
                    (&l.address, contact.address.as_ref()),
                    (&l.website, None),
                ],
            ),
            ..self.labelled(label, name, nodes.clone())
        }
    }

    fn party_statement(&self, party: &party::Model) -> Statement {
        let nodes = vec![id(NodeKind::Party, party.id)];
        let l = &self.c.labels;
        let mut items = self.details(
            &nodes,
            [
                (&l.address, party.address.as_ref()),
                (&l.phone, party.phone.as_ref()),
                (&l.email, party.email.as_ref()),
                (&l.website, party.website.as_ref()),
            ],
        );
        if let Some(country) = &party.country {
            items.insert(
                0,
                self.labelled(&l.country, self.country(country), nodes.clone()),
            );
        }
        Statement {
            items,
            ..self.fixed(party.name.clone(), nodes)
        }
    }

    fn country(&self, code: &str) -> String {
        countries::name(code, self.lang.tag())
            .map(|name| name.to_owned())
            .unwrap_or_else(|| code.to_owned())
    }

    fn names(&self, activities: &[&processing_activity::Model]) -> String {
        activities
            .iter()
            .map(|a| self.activity_name(a))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// Statements under a heading label, if there are any.
    fn group(&self, label: &str, items: Vec<Statement>) -> Option<Statement> {
        (!items.is_empty()).then(|| Statement {
            label: Some(label.to_owned()),
            items,
            ..self.fixed(String::new(), Vec::new())
        })
    }

    /// A gap when the register's activities name nothing of a kind the notice needs.
    fn none_recorded(&self, part: &mut Part, nothing: bool, gap: &Tr) {
        if nothing && !self.activities.is_empty() {
            part.gaps.push(self.gap(gap, &[], vec![self.register_id()]));
        }
    }

    // --- sections --------------------------------------------------------------------------

    fn register(&self) -> Part {
        let mut part = Part::new(SectionId::Register, &[]);
        let r = &self.g.register;
        part.statements
            .extend(self.localized(&r.name, vec![self.register_id()]));
        part.statements
            .extend(self.localized(&r.description, vec![self.register_id()]));
        part
    }

    fn controller(&self) -> Part {
        let mut part = Part::new(SectionId::Controller, &["13(1)(a)", "14(1)(a)"]);
        let o = &self.g.organisation;
        let nodes = vec![id(NodeKind::Organisation, o.id)];
        let l = &self.c.labels;
        let mut items = Vec::new();
        if let Some(business_id) = &o.business_id {
            items.push(self.labelled(&l.business_id, business_id, nodes.clone()));
        }
        items.extend(self.details(
            &nodes,
            [
                (&l.address, o.address.as_ref()),
                (&l.email, o.email.as_ref()),
                (&l.phone, o.phone.as_ref()),
                (&l.website, o.website.as_ref()),
            ],
        ));
        let has_details = !items.is_empty();
        part.statements.push(Statement {
            items,
            ..self.fixed(o.name.clone(), nodes.clone())
        });
        let contact = self
            .g
            .register
            .contact_id
            .or(o.contact_id)
            .and_then(|c| self.g.vocabulary.contacts.get(&c));
        if let Some(contact) = contact {
            part.statements
                .push(self.contact(&l.contact_person, contact));
        }
        if let Some(rep) = o
            .representative_contact_id
            .and_then(|c| self.g.vocabulary.contacts.get(&c))
        {
            part.statements.push(self.contact(&l.representative, rep));
        }
        if !has_details && contact.is_none() {
            part.gaps
                .push(self.gap(&self.c.gaps.no_contact, &[], nodes));
        }
        part
    }

    fn dpo(&self) -> Part {
        let mut part = Part::new(SectionId::Dpo, &["13(1)(b)", "14(1)(b)"]);
        let o = &self.g.organisation;
        match o
            .dpo_contact_id
            .and_then(|c| self.g.vocabulary.contacts.get(&c))
        {
            Some(dpo) => {
                let s = self.contact(&self.c.labels.contact_person, dpo);
                part.statements.push(Statement { label: None, ..s });
            }
            None if o.dpo_required => part.gaps.push(self.gap(
                &self.c.gaps.dpo_missing,
                &[],
                vec![id(NodeKind::Organisation, o.id)],
            )),
            None => {}
        }
        part
    }

    fn data_subjects(&self) -> Part {
        let mut part = Part::new(SectionId::DataSubjects, &[]);
        for target in self.linked(|l| &l.data_subject_categories) {
            if let Some(s) = self.g.vocabulary.subjects.get(&target) {
                let nodes = vec![id(NodeKind::DataSubjectCategory, s.id)];
                part.statements.push(Statement {
                    items: self
                        .localized(&s.description, nodes.clone())
                        .into_iter()
                        .collect(),
                    ..self.named(&s.name, &s.key, nodes)
                });
            }
        }
        let nothing = part.statements.is_empty();
        self.none_recorded(&mut part, nothing, &self.c.gaps.no_data_subjects);
        part
    }

    fn purposes(&self) -> Part {
        let mut part = Part::new(SectionId::Purposes, &["13(1)(c)", "14(1)(c)"]);
        let l = &self.c.labels;
        if self.activities.is_empty() {
            part.gaps
                .push(self.gap(&self.c.gaps.no_activities, &[], vec![self.register_id()]));
        }
        for a in &self.activities {
            let name = self.activity_name(a);
            let nodes = vec![Self::activity_id(a)];
            let mut items = Vec::new();
            match a.legal_basis {
                Some(basis) => items.push(self.labelled(
                    &l.legal_basis,
                    self.c.legal_basis(basis, self.lang),
                    nodes.clone(),
                )),
                None => part.gaps.push(self.gap(
                    &self.c.gaps.no_legal_basis,
                    &[("activity", &name)],
                    nodes.clone(),
                )),
            }
            if let Some(condition) = a.special_category_condition {
                items.push(self.labelled(
                    &l.special_condition,
                    self.c.special_condition(condition, self.lang),
                    nodes.clone(),
                ));
            }
            items.extend(self.labelled_text(
                &l.criminal_basis,
                &a.criminal_data_basis,
                nodes.clone(),
            ));
            items.extend(self.labelled_text(
                &l.national_id,
                &a.national_id_justification,
                nodes.clone(),
            ));
            let national_id = self.links(a).is_some_and(|links| {
                links.personal_data_categories.iter().any(|c| {
                    self.g
                        .vocabulary
                        .categories
                        .get(c)
                        .is_some_and(|c| c.kind == DataCategoryKind::NationalId)
                })
            });
            if national_id && a.national_id_justification.is_empty() {
                part.gaps.push(self.gap(
                    &self.c.gaps.no_national_id_justification,
                    &[("activity", &name)],
                    nodes.clone(),
                ));
            }
            if a.role == ProcessingRole::JointController {
                if let Some(p) = a
                    .counterpart_party_id
                    .and_then(|p| self.g.vocabulary.parties.get(&p))
                {
                    items.push(self.labelled(
                        &l.joint_controller,
                        p.name.clone(),
                        vec![id(NodeKind::Party, p.id)],
                    ));
                }
            }
            let purpose = self.localized(&a.purpose, nodes.clone());
            if purpose.is_none() {
                part.gaps.push(self.gap(
                    &self.c.gaps.no_purpose,
                    &[("activity", &name)],
                    nodes.clone(),
                ));
            }
            let base = purpose.unwrap_or_else(|| self.fixed(String::new(), nodes));
            part.statements.push(Statement {
                label: Some(name),
                items,
                ..base
            });
        }
        part
    }

    fn legitimate_interests(&self) -> Part {
        let mut part = Part::new(SectionId::LegitimateInterests, &["13(1)(d)", "14(2)(b)"]);
        for a in self
            .activities
            .iter()
            .filter(|a| a.legal_basis == Some(LegalBasis::LegitimateInterests))
        {
            let name = self.activity_name(a);
            let nodes = vec![Self::activity_id(a)];
            match self.localized(&a.legitimate_interests, nodes.clone()) {
                Some(s) => part.statements.push(Statement {
                    label: Some(name),
                    ..s
                }),
                None => part.gaps.push(self.gap(
                    &self.c.gaps.no_legitimate_interests,
                    &[("activity", &name)],
                    nodes,
                )),
            }
        }
        part
    }

    fn data_categories(&self, art14: bool) -> Part {
        let articles: &[&str] = if art14 { &["14(1)(d)"] } else { &[] };
        let mut part = Part::new(SectionId::DataCategories, articles);
        for target in self.linked(|l| &l.personal_data_categories) {
            if let Some(c) = self.g.vocabulary.categories.get(&target) {
                let nodes = vec![id(NodeKind::PersonalDataCategory, c.id)];
                let mut items: Vec<Statement> = self
                    .localized(&c.description, nodes.clone())
                    .into_iter()
                    .collect();
                let kind = self.c.data_category_kind(c.kind, self.lang);
                let named_so = self
                    .name(&c.name, &c.key)
                    .to_lowercase()
                    .contains(&kind.to_lowercase());
                if c.kind != DataCategoryKind::Ordinary && !named_so {
                    items.push(self.fixed(
                        self.c.data_category_kind(c.kind, self.lang).to_owned(),
                        nodes.clone(),
                    ));
                }
                part.statements.push(Statement {
                    items,
                    ..self.named(&c.name, &c.key, nodes)
                });
            }
        }
        if part.statements.is_empty() && !self.activities.is_empty() {
            part.gaps.push(self.gap(
                &self.c.gaps.no_data_categories,
                &[],
                vec![self.register_id()],
            ));
        }
        part
    }

    fn source_statement(&self, s: &entity::data_source::Model) -> Statement {
        let nodes = vec![id(NodeKind::DataSource, s.id)];
        let mut items: Vec<Statement> = self
            .localized(&s.description, nodes.clone())
            .into_iter()
            .collect();
        let name = self.name(&s.name, &s.key);
        if let Some(p) = s
            .party_id
            .and_then(|p| self.g.vocabulary.parties.get(&p))
            .filter(|p| p.name != name)
        {
            items.push(self.labelled(
                &self.c.labels.provided_by,
                p.name.clone(),
                vec![id(NodeKind::Party, p.id)],
            ));
        }
        Statement {
            items,
            ..self.named(&s.name, &s.key, nodes)
        }
    }

    /// Sources other than observation of the data subject: cookies and analytics have their
    /// own section.
    fn sources(&self) -> Part {
        let mut part = Part::new(SectionId::Sources, &[]);
        let linked = self.linked(|l| &l.data_sources);
        for s in linked
            .iter()
            .filter_map(|t| self.g.vocabulary.sources.get(t))
        {
            if s.kind != SourceKind::Observed {
                part.statements.push(self.source_statement(s));
            }
        }
        let nothing = linked.is_empty();
        self.none_recorded(&mut part, nothing, &self.c.gaps.no_sources);
        part
    }

    /// The sources that make Art. 14 apply: third parties and public sources.
    fn art14_sources(&self) -> impl Iterator<Item = &'a entity::data_source::Model> + '_ {
        self.linked(|l| &l.data_sources)
            .into_iter()
            .filter_map(|t| self.g.vocabulary.sources.get(&t))
            .filter(|s| matches!(s.kind, SourceKind::ThirdParty | SourceKind::Public))
    }

    fn obtained_elsewhere(&self) -> Part {
        let mut part = Part::new(SectionId::ObtainedElsewhere, &["14(1)(d)", "14(2)(f)"]);
        for s in self.art14_sources() {
            let nodes = vec![id(NodeKind::DataSource, s.id)];
            let public = match facts::publicly_accessible(s) {
                Some(true) => {
                    Some(self.fixed(self.t(&self.c.sentences.public_source), nodes.clone()))
                }
                Some(false) => Some(self.resting(
                    self.t(&self.c.sentences.not_public_source),
                    vec![(nodes[0].clone(), "publiclyAccessible")],
                )),
                None => {
                    part.gaps.push(self.gap(
                        &self.c.gaps.source_public_unknown,
                        &[("source", &self.name(&s.name, &s.key))],
                        nodes.clone(),
                    ));
                    None
                }
            };
            let mut categories = Vec::new();
            let mut category_nodes = Vec::new();
            let mut seen = BTreeSet::new();
            for a in self.activities_linking(s.id, |l| &l.data_sources) {
                for c in self
                    .links(a)
                    .map(|l| &l.personal_data_categories)
                    .into_iter()
                    .flatten()
                {
                    if let Some(c) = self
                        .g
                        .vocabulary
                        .categories
                        .get(c)
                        .filter(|_| seen.insert(*c))
                    {
                        categories.push(self.name(&c.name, &c.key));
                        category_nodes.push(id(NodeKind::PersonalDataCategory, c.id));
                    }
                }
            }
            let mut items: Vec<Statement> = public.into_iter().collect();
            if !categories.is_empty() {
                items.push(self.labelled(
                    &self.c.labels.data_categories,
                    categories.join(", "),
                    category_nodes,
                ));
            }
            part.statements.push(Statement {
                items,
                ..self.named(&s.name, &s.key, nodes)
            });
        }
        part
    }

    fn recipients(&self) -> Part {
        let mut part = Part::new(SectionId::Recipients, &["13(1)(e)", "14(1)(e)"]);
        let linked: Vec<_> = self
            .linked(|l| &l.recipients)
            .into_iter()
            .filter_map(|r| self.g.vocabulary.recipients.get(&r))
            .collect();
        for kind in RecipientKind::iter() {
            let items: Vec<Statement> = linked
                .iter()
                .filter(|r| r.kind == kind)
                .map(|r| {
                    let nodes = vec![id(NodeKind::Recipient, r.id)];
                    let mut items: Vec<Statement> = self
                        .localized(&r.description, nodes.clone())
                        .into_iter()
                        .collect();
                    if let Some(p) = r.party_id.and_then(|p| self.g.vocabulary.parties.get(&p)) {
                        let mut party = self.party_statement(p);
                        if p.name == self.name(&r.name, &r.key) {
                            // Named alike: the party's details, without its name again.
                            items.extend(party.items);
                        } else {
                            party.label = Some(self.t(&self.c.labels.provided_by));
                            items.push(party);
                        }
                    }
                    Statement {
                        items,
                        ..self.named(&r.name, &r.key, nodes)
                    }
                })
                .collect();
            part.statements
                .extend(self.group(self.c.recipient_kind(kind, self.lang), items));
        }
        let nothing = linked.is_empty();
        self.none_recorded(&mut part, nothing, &self.c.gaps.no_recipients);
        part
    }

    fn transfers(&self) -> Part {
        let mut part = Part::new(SectionId::Transfers, &["13(1)(f)", "14(1)(f)"]);
        let l = &self.c.labels;
        let s = &self.c.sentences;
        let notice_activities: BTreeSet<Uuid> = self.activities.iter().map(|a| a.id).collect();
        let transfers: Vec<_> = self
            .g
            .transfers
            .iter()
            .filter(|t| notice_activities.contains(&t.activity_id))
            .collect();
        let mut none_declared = Vec::new();
        for a in &self.activities {
            let listed = transfers.iter().any(|t| t.activity_id == a.id);
            match facts::transfers(a, listed) {
                Transfers::Listed => {}
                Transfers::NoneDeclared => none_declared.push(a),
                Transfers::Unknown => part.gaps.push(self.gap(
                    &self.c.gaps.transfers_unknown,
                    &[("activity", &self.activity_name(a))],
                    vec![Self::activity_id(a)],
                )),
            }
        }
        // "Not transferred" only when every activity of the notice declares it.
        if transfers.is_empty() && part.gaps.is_empty() && !none_declared.is_empty() {
            let facts = none_declared
                .iter()
                .map(|a| (Self::activity_id(a), "transfersOutsideEea"))
                .collect();
            part.statements
                .push(self.resting(self.t(&s.no_transfers), facts));
        }
        for t in transfers {
            let nodes = vec![id(NodeKind::Transfer, t.id)];
            let destination = match (&t.country, &t.international_organisation) {
                (Some(c), _) => Some(self.country(c)),
                (None, Some(o)) => Some(o.clone()),
                (None, None) => None,
            };
            let mut items = Vec::new();
            if let Some(r) = t
                .recipient_id
                .and_then(|r| self.g.vocabulary.recipients.get(&r))
            {
                items.push(self.labelled(
                    &l.recipient,
                    self.name(&r.name, &r.key),
                    vec![id(NodeKind::Recipient, r.id)],
                ));
            }
            match t.mechanism {
                Some(m) => {
                    let mut mechanism =
                        self.labelled(&l.mechanism, self.c.mechanism(m, self.lang), nodes.clone());
                    if let Some(reference) = &t.safeguards_reference {
                        mechanism.text = format!("{} ({reference})", mechanism.text);
                    }
                    items.push(mechanism);
                }
                None => {
                    part.gaps
                        .push(self.gap(&self.c.gaps.transfer_no_mechanism, &[], nodes.clone()))
                }
            }
            let code = t
                .country
                .as_deref()
                .or(t.international_organisation.as_deref());
            if let (Some(code), Some(destination)) = (code, &destination) {
                match self.adequacy.in_force(code, self.today) {
                    Some(decision) => {
                        items.push(self.fixed(
                            s.adequacy_in_force.fill(
                                self.lang,
                                &[
                                    ("destination", destination),
                                    ("decision", &decision.decision),
                                ],
                            ),
                            nodes.clone(),
                        ));
                        if let Some(scope) = decision.scope_in(self.lang.tag()) {
                            items.push(self.fixed(
                                s.adequacy_scope.fill(self.lang, &[("scope", scope)]),
                                nodes.clone(),
                            ));
                        }
                    }
                    None => {
                        items.push(
                            self.fixed(
                                s.no_adequacy
                                    .fill(self.lang, &[("destination", destination)]),
                                nodes.clone(),
                            ),
                        );
                        if t.mechanism == Some(TransferMechanism::AdequacyDecision) {
                            part.gaps.push(self.gap(
                                &self.c.gaps.adequacy_not_in_force,
                                &[("destination", destination)],
                                nodes.clone(),
                            ));
                        }
                    }
                }
            }
            if destination.is_none() {
                part.gaps
                    .push(self.gap(&self.c.gaps.transfer_no_destination, &[], nodes.clone()));
            }
            let needs_copy = t
                .mechanism
                .is_some_and(|m| m != TransferMechanism::AdequacyDecision && !m.is_derogation());
            match self.labelled_text(&l.safeguards_copy, &t.safeguards_copy, nodes.clone()) {
                Some(copy) => items.push(copy),
                None if needs_copy => {
                    items.push(self.fixed(self.t(&s.safeguards_on_request), nodes.clone()));
                    part.gaps
                        .push(self.gap(&self.c.gaps.transfer_no_copy, &[], nodes.clone()));
                }
                None => {}
            }
            let description = self.localized(&t.description, nodes.clone());
            let label = match (&destination, &t.country) {
                (Some(d), Some(_)) => Some(format!("{}: {d}", self.t(&l.country))),
                (Some(d), None) => Some(format!("{}: {d}", self.t(&l.international_organisation))),
                // The description says it all.
                (None, _) if description.is_some() => None,
                (None, _) => Some(self.t(&l.transfer)),
            };
            let description = description.unwrap_or_else(|| self.fixed(String::new(), nodes));
            part.statements.push(Statement {
                label,
                items,
                ..description
            });
        }
        part.statements = merge_statements(std::mem::take(&mut part.statements));
        part.gaps = merge(std::mem::take(&mut part.gaps));
        part
    }

    fn duration(&self, iso: &str) -> String {
        let d = &self.c.duration;
        let mut parts = Vec::new();
        let mut number = String::new();
        let body = iso.strip_prefix('P').unwrap_or(iso);
        if body.contains('T') {
            return iso.to_owned();
        }
        for ch in body.chars() {
            if ch.is_ascii_digit() {
                number.push(ch);
                continue;
            }
            let Ok(n) = number.parse::<u64>() else {
                return iso.to_owned();
            };
            number.clear();
            let unit = match ch {
                'Y' => &d.years,
                'M' => &d.months,
                'W' => &d.weeks,
                'D' => &d.days,
                _ => return iso.to_owned(),
            };
            parts.push(unit.get(self.lang, n));
        }
        if parts.is_empty() || !number.is_empty() {
            return iso.to_owned();
        }
        let and = format!(" {} ", d.and.get(self.lang));
        match parts.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{}{and}{last}", rest.join(", ")),
            _ => parts.join(""),
        }
    }

    fn retention(&self) -> Part {
        let mut part = Part::new(SectionId::Retention, &["13(2)(a)", "14(2)(a)"]);
        let l = &self.c.labels;
        // Rules saying the same thing for several activities are told once.
        let mut groups: Vec<(
            Vec<Statement>,
            Vec<&processing_activity::Model>,
            Vec<String>,
        )> = Vec::new();
        for a in &self.activities {
            let rules: Vec<_> = self
                .g
                .retention
                .iter()
                .filter(|r| r.activity_id == a.id)
                .filter(|r| r.period.is_some() || !r.criteria.is_empty())
                .collect();
            if rules.is_empty() {
                part.gaps.push(self.gap(
                    &self.c.gaps.no_retention,
                    &[("activity", &self.activity_name(a))],
                    vec![Self::activity_id(a)],
                ));
                continue;
            }
            for r in rules {
                let nodes = vec![id(NodeKind::RetentionRule, r.id)];
                let mut items = Vec::new();
                if let Some(c) = r
                    .data_category_id
                    .and_then(|c| self.g.vocabulary.categories.get(&c))
                {
                    items.push(self.labelled(
                        &l.data_category_retention,
                        self.name(&c.name, &c.key),
                        vec![id(NodeKind::PersonalDataCategory, c.id)],
                    ));
                }
                if let Some(period) = &r.period {
                    items.push(self.labelled(&l.period, self.duration(period), nodes.clone()));
                }
                items.extend(self.labelled_text(&l.starts_from, &r.starts_from, nodes.clone()));
                items.extend(self.labelled_text(&l.criteria, &r.criteria, nodes.clone()));
                let same =
                    |s: &Statement, t: &Statement| (&s.label, &s.text) == (&t.label, &t.text);
                match groups.iter_mut().find(|(g, _, _)| {
                    g.len() == items.len() && g.iter().zip(&items).all(|(x, y)| same(x, y))
                }) {
                    Some((existing, activities, ids)) => {
                        if !activities.iter().any(|x| x.id == a.id) {
                            activities.push(a);
                        }
                        ids.extend(nodes);
                        for (e, i) in existing.iter_mut().zip(items) {
                            e.node_ids.extend(i.node_ids);
                            e.node_ids.dedup();
                        }
                    }
                    None => groups.push((items, vec![a], nodes)),
                }
            }
        }
        let all = self.activities.len();
        for (items, activities, mut nodes) in groups {
            nodes.extend(activities.iter().map(|a| Self::activity_id(a)));
            let applies = if activities.len() == all && all > 1 {
                self.t(&l.all_purposes)
            } else {
                self.names(&activities)
            };
            part.statements.push(Statement {
                items,
                ..self.labelled(&l.applies_to, applies, nodes)
            });
        }
        part
    }

    fn rights(&self) -> Part {
        let mut part = Part::new(SectionId::Rights, &["13(2)(b)", "14(2)(c)"]);
        let per_activity: Vec<(&processing_activity::Model, Vec<Right>)> = self
            .activities
            .iter()
            .map(|a| (*a, rights::applicable(&Processing::of(a))))
            .collect();
        // Which of erasure, portability and objection apply depends on the basis: unknown, it
        // is a gap, never fewer rights stated as if that were all.
        for a in &self.activities {
            let name = self.activity_name(a);
            let undetermined = rights::undetermined(&Processing::of(a));
            let gap = if a.legal_basis.is_none() {
                Some(&self.c.gaps.rights_basis_unknown)
            } else if undetermined.contains(&Right::Portability) {
                Some(&self.c.gaps.automated_means_unknown)
            } else {
                None
            };
            if let Some(gap) = gap {
                part.gaps
                    .push(self.gap(gap, &[("activity", &name)], vec![Self::activity_id(a)]));
            }
        }
        for right in Right::ALL {
            if matches!(
                right,
                Right::WithdrawConsent | Right::Complaint | Right::ObjectToDirectMarketing
            ) {
                continue; // their own sections
            }
            let applies: Vec<_> = per_activity
                .iter()
                .filter(|(_, rights)| rights.contains(&right))
                .map(|(a, _)| *a)
                .collect();
            if applies.is_empty() {
                continue;
            }
            let nodes: Vec<String> = applies.iter().map(|a| Self::activity_id(a)).collect();
            let scope = if applies.len() == per_activity.len() {
                self.fixed(self.t(&self.c.sentences.right_applies_all), nodes.clone())
            } else {
                self.labelled(
                    &self.c.labels.applies_to,
                    self.names(&applies),
                    nodes.clone(),
                )
            };
            let mut items = vec![scope];
            if right == Right::Erasure {
                items.extend(self.kept_by_law(&applies));
            }
            part.statements.push(Statement {
                items,
                ..self.fixed(self.c.right(right, self.lang).to_owned(), nodes)
            });
        }
        part
    }

    /// Art. 17(3)(b): where a retention rule of the activities rests on a law that requires the
    /// data be kept, erasure of that data waits for the end of the period.
    fn kept_by_law(&self, activities: &[&processing_activity::Model]) -> Option<Statement> {
        let mut laws: Vec<String> = Vec::new();
        let mut nodes = Vec::new();
        for r in self
            .g
            .retention
            .iter()
            .filter(|r| activities.iter().any(|a| a.id == r.activity_id))
        {
            if let Some((_, law)) = r.required_by.resolve(self.lang.tag()) {
                let law = law.trim().to_owned();
                if !laws.contains(&law) {
                    laws.push(law);
                }
                nodes.push(id(NodeKind::RetentionRule, r.id));
            }
        }
        if laws.is_empty() {
            return None;
        }
        let text = self
            .c
            .sentences
            .erasure_kept_by_law
            .fill(self.lang, &[("law", &laws.join("; "))]);
        Some(self.fixed(text, nodes))
    }

    /// Art. 21(2)–(4): the right to object to direct marketing, for every direct-marketing
    /// purpose whatever its basis, in a section of its own.
    fn direct_marketing(&self) -> Part {
        let mut part = Part::new(SectionId::DirectMarketing, &["21(2)", "21(3)", "21(4)"]);
        let marketing: Vec<_> = self
            .activities
            .iter()
            .filter(|a| a.direct_marketing == Some(true))
            .copied()
            .collect();
        for a in self
            .activities
            .iter()
            .filter(|a| a.direct_marketing.is_none())
        {
            part.gaps.push(self.gap(
                &self.c.gaps.direct_marketing_unknown,
                &[("activity", &self.activity_name(a))],
                vec![Self::activity_id(a)],
            ));
        }
        if marketing.is_empty() {
            return part;
        }
        let nodes: Vec<String> = marketing.iter().map(|a| Self::activity_id(a)).collect();
        let scope = if marketing.len() == self.activities.len() {
            self.fixed(self.t(&self.c.sentences.right_applies_all), nodes.clone())
        } else {
            self.labelled(
                &self.c.labels.applies_to,
                self.names(&marketing),
                nodes.clone(),
            )
        };
        part.statements.push(Statement {
            items: vec![scope],
            ..self.fixed(
                self.c
                    .right(Right::ObjectToDirectMarketing, self.lang)
                    .to_owned(),
                nodes,
            )
        });
        part
    }

    fn withdraw_consent(&self) -> Part {
        let mut part = Part::new(SectionId::WithdrawConsent, &["13(2)(c)", "14(2)(d)"]);
        let consent: Vec<_> = self
            .activities
            .iter()
            .filter(|a| {
                a.legal_basis == Some(LegalBasis::Consent)
                    || a.special_category_condition
                        == Some(SpecialCategoryCondition::ExplicitConsent)
            })
            .collect();
        if consent.is_empty() {
            return part;
        }
        let nodes: Vec<String> = consent.iter().map(|a| Self::activity_id(a)).collect();
        part.statements
            .push(self.fixed(self.t(&self.c.sentences.withdraw_consent), nodes));
        for a in consent {
            let name = self.activity_name(a);
            match self.localized(&a.consent_withdrawal, vec![Self::activity_id(a)]) {
                Some(s) => part.statements.push(Statement {
                    label: Some(name),
                    ..s
                }),
                None => part.gaps.push(self.gap(
                    &self.c.gaps.no_withdrawal,
                    &[("activity", &name)],
                    vec![Self::activity_id(a)],
                )),
            }
        }
        part
    }

    fn complaint(&self) -> Part {
        let mut part = Part::new(SectionId::Complaint, &["13(2)(d)", "14(2)(e)", "77"]);
        let o = &self.g.organisation;
        part.statements.push(self.fixed(
            self.t(&self.c.sentences.complaint),
            vec![id(NodeKind::Organisation, o.id)],
        ));
        match o
            .supervisory_authority_id
            .and_then(|p| self.g.vocabulary.parties.get(&p))
        {
            Some(authority) => {
                let mut s = self.party_statement(authority);
                s.label = Some(self.t(&self.c.sentences.supervisory_authority));
                part.statements.push(s);
            }
            None => part.gaps.push(self.gap(
                &self.c.gaps.no_supervisory_authority,
                &[],
                vec![id(NodeKind::Organisation, o.id)],
            )),
        }
        part
    }

    /// Art. 13(2)(e) concerns data collected from the data subject.
    fn provision(&self) -> Part {
        let mut part = Part::new(SectionId::Provision, &["13(2)(e)"]);
        for a in &self.activities {
            let from_subject = self.links(a).is_some_and(|l| {
                l.data_sources.iter().any(|s| {
                    self.g
                        .vocabulary
                        .sources
                        .get(s)
                        .is_some_and(|s| s.kind == SourceKind::DataSubject)
                })
            });
            if !from_subject {
                continue;
            }
            let name = self.activity_name(a);
            let nodes = vec![Self::activity_id(a)];
            match a.provision_requirement {
                Some(requirement) => {
                    let items = self
                        .labelled_text(
                            &self.c.labels.consequence,
                            &a.provision_consequence,
                            nodes.clone(),
                        )
                        .into_iter()
                        .collect();
                    part.statements.push(Statement {
                        label: Some(name),
                        items,
                        ..self.resting(
                            self.c.provision(requirement, self.lang).to_owned(),
                            vec![(nodes[0].clone(), "provisionRequirement")],
                        )
                    });
                }
                None => part.gaps.push(self.gap(
                    &self.c.gaps.no_provision,
                    &[("activity", &name)],
                    nodes,
                )),
            }
        }
        part
    }

    fn automated(&self) -> Part {
        let mut part = Part::new(SectionId::Automated, &["13(2)(f)", "14(2)(g)", "22"]);
        let s = &self.c.sentences;
        let l = &self.c.labels;
        for a in self
            .activities
            .iter()
            .filter(|a| facts::automated_undeclared(a))
        {
            part.gaps.push(self.gap(
                &self.c.gaps.automated_unknown,
                &[("activity", &self.activity_name(a))],
                vec![Self::activity_id(a)],
            ));
        }
        // "Not used" only when every activity of the notice declares neither.
        if !self.activities.is_empty()
            && self
                .activities
                .iter()
                .all(|a| facts::no_automated_declared(a))
        {
            let facts = self
                .activities
                .iter()
                .flat_map(|a| {
                    [
                        (Self::activity_id(a), "profiling"),
                        (Self::activity_id(a), "automatedDecisionMaking"),
                    ]
                })
                .collect();
            part.statements
                .push(self.resting(self.t(&s.no_automated), facts));
        }
        for a in self
            .activities
            .iter()
            .filter(|a| facts::automated_declared(a))
        {
            let name = self.activity_name(a);
            let nodes = vec![Self::activity_id(a)];
            let mut sentences = Vec::new();
            if a.profiling == Some(true) {
                sentences.push(self.t(&s.profiling));
            }
            if a.automated_decision_making == Some(true) {
                sentences.push(self.t(&s.automated_decisions));
            }
            let mut items = Vec::new();
            items.extend(self.labelled_text(&l.logic, &a.automated_logic, nodes.clone()));
            items.extend(self.labelled_text(
                &l.consequences,
                &a.automated_consequences,
                nodes.clone(),
            ));
            if a.automated_logic.is_empty() || a.automated_consequences.is_empty() {
                part.gaps.push(self.gap(
                    &self.c.gaps.no_automated_logic,
                    &[("activity", &name)],
                    nodes.clone(),
                ));
            }
            part.statements.push(Statement {
                label: Some(name),
                items,
                ..self.fixed(sentences.join(" "), nodes)
            });
        }
        part
    }

    fn cookies(&self) -> Part {
        let mut part = Part::new(SectionId::Cookies, &[]);
        for s in self
            .linked(|l| &l.data_sources)
            .into_iter()
            .filter_map(|t| self.g.vocabulary.sources.get(&t))
            .filter(|s| s.kind == SourceKind::Observed)
        {
            part.statements.push(self.source_statement(s));
        }
        part
    }

    fn security(&self) -> Part {
        let mut part = Part::new(SectionId::Security, &["32"]);
        let linked: Vec<_> = self
            .linked(|l| &l.security_measures)
            .into_iter()
            .filter_map(|m| self.g.vocabulary.measures.get(&m))
            .collect();
        for kind in SecurityMeasureKind::iter() {
            let items: Vec<Statement> = linked
                .iter()
                .filter(|m| m.kind == kind)
                .map(|m| {
                    let nodes = vec![id(NodeKind::SecurityMeasure, m.id)];
                    // The public description; internal details never leave the record.
                    match self.localized(&m.description, nodes.clone()) {
                        Some(d) => Statement {
                            label: Some(self.name(&m.name, &m.key)),
                            ..d
                        },
                        None => self.named(&m.name, &m.key, nodes),
                    }
                })
                .collect();
            part.statements
                .extend(self.group(self.c.security_kind(kind, self.lang), items));
        }
        let nothing = linked.is_empty();
        self.none_recorded(&mut part, nothing, &self.c.gaps.no_security);
        part
    }

    fn exercise_rights(&self) -> Part {
        let mut part = Part::new(SectionId::ExerciseRights, &["12"]);
        let r = &self.g.register;
        part.statements
            .extend(self.localized(&r.rights_instructions, vec![self.register_id()]));
        let contact = r
            .contact_id
            .or(self.g.organisation.contact_id)
            .and_then(|c| self.g.vocabulary.contacts.get(&c));
        if let Some(contact) = contact {
            let mut s = self.contact(&self.c.labels.contact_person, contact);
            s.label = Some(self.t(&self.c.sentences.exercise_contact));
            part.statements.push(s);
        }
        if part.statements.is_empty() {
            part.gaps.push(self.gap(
                &self.c.gaps.no_rights_instructions,
                &[],
                vec![self.register_id()],
            ));
        }
        part
    }
}
