//! Builds the records from an organisation's graph: the header, then the entries one by one,
//! so a renderer can write each entry as it comes and memory does not grow with the output.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ActiveEnum;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::catalogue::{self as record_catalogue, RecordCatalogue};
use super::model::*;
use crate::domain::adequacy::AdequacyList;
use crate::domain::countries;
use crate::error::AppResult;
use crate::ids::{self, NodeKind};
use crate::links::Links;
use crate::notice::catalogue::{self as notice_catalogue, Catalogue};
use crate::notice::graph::OrganisationGraph;
use crate::notice::Lang;
use entity::{processing_activity, LocalizedText, ProcessingRole, RecipientKind};

/// The version of the graph a record reflects: the first 16 hex digits of the SHA-256 of the
/// sorted lines `uuid:version`, one per node of the organisation (the organisation, its
/// registers, activities, shared nodes, transfers and retention rules).
///
/// Versions only grow and a change of an activity's links is a change of the activity, so any
/// creation, change or deletion gives another value; the live graph and the graph rebuilt from
/// the audit trail for the same moment give the same value.
pub fn graph_version(graph: &OrganisationGraph) -> String {
    let v = &graph.vocabulary;
    let mut nodes: Vec<(Uuid, i32)> = vec![(graph.organisation.id, graph.organisation.version)];
    nodes.extend(graph.registers.iter().map(|n| (n.id, n.version)));
    nodes.extend(graph.activities.iter().map(|n| (n.id, n.version)));
    nodes.extend(v.contacts.values().map(|n| (n.id, n.version)));
    nodes.extend(v.parties.values().map(|n| (n.id, n.version)));
    nodes.extend(v.subjects.values().map(|n| (n.id, n.version)));
    nodes.extend(v.categories.values().map(|n| (n.id, n.version)));
    nodes.extend(v.sources.values().map(|n| (n.id, n.version)));
    nodes.extend(v.recipients.values().map(|n| (n.id, n.version)));
    nodes.extend(v.measures.values().map(|n| (n.id, n.version)));
    nodes.extend(graph.transfers.iter().map(|n| (n.id, n.version)));
    nodes.extend(graph.retention.iter().map(|n| (n.id, n.version)));
    nodes.sort();
    let mut hash = Sha256::new();
    for (id, version) in nodes {
        hash.update(format!("{id}:{version}\n"));
    }
    hex::encode(hash.finalize())[..16].to_owned()
}

/// Everything a record is built with.
pub struct RecordBuilder<'a> {
    g: &'a OrganisationGraph,
    /// The registers in scope, in the graph's order.
    registers: Vec<&'a entity::register::Model>,
    lang: Lang,
    c: &'static RecordCatalogue,
    n: &'static Catalogue,
    adequacy: &'a AdequacyList,
    produced_at: DateTime<Utc>,
    as_of: Option<DateTime<Utc>>,
}

/// The controller's record of the registers `registers` (all when none) of `graph`.
pub fn controller_record(
    graph: &OrganisationGraph,
    registers: Option<&[Uuid]>,
    lang: Lang,
    adequacy: &AdequacyList,
    produced_at: DateTime<Utc>,
    as_of: Option<DateTime<Utc>>,
) -> AppResult<ControllerRecord> {
    let b = RecordBuilder::new(graph, registers, lang, adequacy, produced_at, as_of)?;
    Ok(ControllerRecord {
        header: b.header(RecordKind::Controller),
        entries: b.controller_entries().collect(),
    })
}

/// The processor's record of the registers `registers` (all when none) of `graph`.
pub fn processor_record(
    graph: &OrganisationGraph,
    registers: Option<&[Uuid]>,
    lang: Lang,
    adequacy: &AdequacyList,
    produced_at: DateTime<Utc>,
    as_of: Option<DateTime<Utc>>,
) -> AppResult<ProcessorRecord> {
    let b = RecordBuilder::new(graph, registers, lang, adequacy, produced_at, as_of)?;
    Ok(ProcessorRecord {
        header: b.header(RecordKind::Processor),
        controllers: b.processor_sections(),
    })
}

fn sorted(ids: &[Uuid]) -> Vec<Uuid> {
    let mut ids = ids.to_vec();
    ids.sort();
    ids.dedup();
    ids
}

impl<'a> RecordBuilder<'a> {
    pub fn new(
        graph: &'a OrganisationGraph,
        registers: Option<&[Uuid]>,
        lang: Lang,
        adequacy: &'a AdequacyList,
        produced_at: DateTime<Utc>,
        as_of: Option<DateTime<Utc>>,
    ) -> AppResult<Self> {
        Ok(Self {
            g: graph,
            registers: graph
                .registers
                .iter()
                .filter(|r| registers.is_none_or(|wanted| wanted.contains(&r.id)))
                .collect(),
            lang,
            c: record_catalogue::catalogue()?,
            n: notice_catalogue::catalogue()?,
            adequacy,
            produced_at,
            as_of,
        })
    }

    /// The day adequacy decisions are looked up for: the record's time.
    fn day(&self) -> NaiveDate {
        self.as_of.unwrap_or(self.produced_at).date_naive()
    }

    /// The activities in scope with `role` among `roles`: registers in order, then by ID.
    fn activities(
        &self,
        roles: &'a [ProcessingRole],
    ) -> impl Iterator<Item = &'a processing_activity::Model> + '_ {
        let g = self.g;
        self.registers.iter().flat_map(move |r| {
            let mut acts: Vec<_> = g
                .activities
                .iter()
                .filter(|a| a.register_id == r.id && roles.contains(&a.role))
                .collect();
            acts.sort_by_key(|a| a.id);
            acts
        })
    }

    fn text(&self, t: &LocalizedText) -> Option<Text> {
        t.resolve(self.lang.tag()).map(|(language, text)| Text {
            text: text.to_owned(),
            language: language.to_owned(),
            fallback: language != self.lang.tag(),
        })
    }

    /// A name that is always there: empty when written in no language.
    fn name(&self, t: &LocalizedText) -> Text {
        self.text(t).unwrap_or(Text {
            text: String::new(),
            language: self.lang.tag().to_owned(),
            fallback: false,
        })
    }

    fn coded(code: impl Into<String>, label: &str) -> Coded {
        let code = code.into();
        Coded {
            label: if label.is_empty() {
                code.clone()
            } else {
                label.to_owned()
            },
            code,
        }
    }

    fn country(&self, code: &str) -> Coded {
        Self::coded(code, countries::name(code, self.lang.tag()).unwrap_or(code))
    }

    fn person(&self, id: Option<Uuid>) -> Option<Person> {
        let c = self.g.vocabulary.contacts.get(&id?)?;
        Some(Person {
            id: ids::encode(NodeKind::Contact, c.id),
            name: c.name.clone(),
            title: self.text(&c.title),
            email: c.email.clone(),
            phone: c.phone.clone(),
            address: c.address.clone(),
        })
    }

    fn party(&self, id: Option<Uuid>) -> Option<Party> {
        let p = self.g.vocabulary.parties.get(&id?)?;
        Some(Party {
            id: ids::encode(NodeKind::Party, p.id),
            name: p.name.clone(),
            kind: Self::coded(
                record_catalogue::key(&p.kind),
                self.c.party_kind(p.kind, self.lang),
            ),
            business_id: p.business_id.clone(),
            country: p.country.as_deref().map(|c| self.country(c)),
            address: p.address.clone(),
            email: p.email.clone(),
            phone: p.phone.clone(),
            website: p.website.clone(),
            contract_reference: p.contract_reference.clone(),
        })
    }

    /// Art. 30(1)(a) or 30(2)(a), and what the record covers.
    pub fn header(&self, kind: RecordKind) -> Header {
        let o = &self.g.organisation;
        let roles: &[ProcessingRole] = &[ProcessingRole::JointController];
        let joint: BTreeSet<Uuid> = self
            .activities(roles)
            .filter_map(|a| a.counterpart_party_id)
            .collect();
        Header {
            kind,
            title: match kind {
                RecordKind::Controller => self.c.controller_title.get(self.lang),
                RecordKind::Processor => self.c.processor_title.get(self.lang),
            }
            .to_owned(),
            language: self.lang.tag().to_owned(),
            produced_at: self.produced_at,
            as_of: self.as_of,
            graph_version: graph_version(self.g),
            organisation: Organisation {
                id: ids::encode(NodeKind::Organisation, o.id),
                slug: o.slug.clone(),
                name: o.name.clone(),
                business_id: o.business_id.clone(),
                country: self.country(&o.country),
                address: o.address.clone(),
                email: o.email.clone(),
                phone: o.phone.clone(),
                website: o.website.clone(),
            },
            contact: self.person(o.contact_id),
            dpo: self.person(o.dpo_contact_id),
            representative: self.person(o.representative_contact_id),
            joint_controllers: joint
                .into_iter()
                .filter_map(|p| self.party(Some(p)))
                .collect(),
            supervisory_authority: self.party(o.supervisory_authority_id),
            registers: self
                .registers
                .iter()
                .map(|r| Register {
                    id: ids::encode(NodeKind::Register, r.id),
                    slug: r.slug.clone(),
                    name: self.name(&r.name),
                    kind: Self::coded(
                        record_catalogue::key(&r.kind),
                        self.c.register_kind(r.kind, self.lang),
                    ),
                    status: Self::coded(
                        record_catalogue::key(&r.status),
                        self.c.register_status(r.status, self.lang),
                    ),
                    last_reviewed_on: r.last_reviewed_on,
                    next_review_on: r.next_review_on,
                })
                .collect(),
        }
    }

    /// The controller's entries, one by one.
    pub fn controller_entries(&self) -> impl Iterator<Item = ControllerEntry> + '_ {
        const ROLES: &[ProcessingRole] =
            &[ProcessingRole::Controller, ProcessingRole::JointController];
        self.activities(ROLES).map(|a| self.controller_entry(a))
    }

    /// The processor's sections: one per controller (by ID; activities naming none last).
    pub fn processor_sections(&self) -> Vec<ControllerSection> {
        const ROLES: &[ProcessingRole] = &[ProcessingRole::Processor];
        let mut controllers: Vec<Option<Uuid>> = self
            .activities(ROLES)
            .map(|a| a.counterpart_party_id)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        // `None` sorts first in a set; the unnamed go last.
        controllers.sort_by_key(|c| (c.is_none(), *c));
        controllers
            .into_iter()
            .map(|controller| ControllerSection {
                controller: self.party(controller),
                entries: self
                    .activities(ROLES)
                    .filter(|a| a.counterpart_party_id == controller)
                    .map(|a| self.processor_entry(a))
                    .collect(),
            })
            .collect()
    }

    fn links(&self, a: &processing_activity::Model) -> Links {
        self.g.links.get(&a.id).cloned().unwrap_or_default()
    }

    fn register_of(&self, a: &processing_activity::Model) -> Named {
        Named {
            id: ids::encode(NodeKind::Register, a.register_id),
            name: self
                .g
                .registers
                .iter()
                .find(|r| r.id == a.register_id)
                .map(|r| self.name(&r.name))
                .unwrap_or_else(|| self.name(&LocalizedText::default())),
        }
    }

    fn subjects(&self, l: &Links) -> Vec<Named> {
        sorted(&l.data_subject_categories)
            .iter()
            .filter_map(|id| self.g.vocabulary.subjects.get(id))
            .map(|s| Named {
                id: ids::encode(NodeKind::DataSubjectCategory, s.id),
                name: self.name(&s.name),
            })
            .collect()
    }

    fn categories(&self, l: &Links) -> Vec<DataCategory> {
        sorted(&l.personal_data_categories)
            .iter()
            .filter_map(|id| self.g.vocabulary.categories.get(id))
            .map(|c| DataCategory {
                id: ids::encode(NodeKind::PersonalDataCategory, c.id),
                name: self.name(&c.name),
                kind: Self::coded(
                    record_catalogue::key(&c.kind),
                    self.n.data_category_kind(c.kind, self.lang),
                ),
            })
            .collect()
    }

    fn measures(&self, l: &Links) -> Vec<SecurityMeasure> {
        sorted(&l.security_measures)
            .iter()
            .filter_map(|id| self.g.vocabulary.measures.get(id))
            .map(|m| SecurityMeasure {
                id: ids::encode(NodeKind::SecurityMeasure, m.id),
                name: self.name(&m.name),
                kind: Self::coded(
                    record_catalogue::key(&m.kind),
                    self.n.security_kind(m.kind, self.lang),
                ),
                description: self.text(&m.description),
            })
            .collect()
    }

    fn recipient_models(&self, l: &Links) -> Vec<&'a entity::recipient::Model> {
        let g = self.g;
        sorted(&l.recipients)
            .iter()
            .filter_map(|id| g.vocabulary.recipients.get(id))
            .collect()
    }

    /// The parties of the recipients of kind processor, with their contracts.
    fn processors(&self, l: &Links) -> Vec<Party> {
        self.recipient_models(l)
            .into_iter()
            .filter(|r| r.kind == RecipientKind::Processor)
            .filter_map(|r| r.party_id)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .filter_map(|p| self.party(Some(p)))
            .collect()
    }

    /// Where a recipient is or receives data outside the EU/EEA: its party's country, and the
    /// destinations of every transfer to it, whichever activity makes it.
    fn third_countries(
        &self,
        r: &entity::recipient::Model,
        party: Option<&entity::party::Model>,
    ) -> Vec<Coded> {
        let mut out: Vec<Coded> = Vec::new();
        let mut add = |c: Coded| {
            if !out.iter().any(|o| o.code == c.code) {
                out.push(c);
            }
        };
        if let Some(c) = party
            .and_then(|p| p.country.as_deref())
            .filter(|c| !countries::is_eea(c))
        {
            add(self.country(c));
        }
        for t in self
            .g
            .transfers
            .iter()
            .filter(|t| t.recipient_id == Some(r.id))
        {
            if let Some(c) = t.country.as_deref().filter(|c| !countries::is_eea(c)) {
                add(self.country(c));
            }
            if let Some(o) = &t.international_organisation {
                add(Self::coded(o, o));
            }
        }
        out.sort_by(|a, b| a.code.cmp(&b.code));
        out
    }

    /// The rights that apply and those that depend on an undeclared fact, named in the
    /// record's language.
    fn rights(&self, a: &processing_activity::Model) -> (Vec<Coded>, Vec<Coded>) {
        use crate::domain::rights;
        let p = rights::Processing::of(a);
        let named = |list: Vec<rights::Right>| {
            list.into_iter()
                .map(|r| {
                    let code = record_catalogue::key(&r);
                    let label = self.c.right(&code, self.lang).to_owned();
                    Coded { code, label }
                })
                .collect()
        };
        (
            named(rights::applicable(&p)),
            named(rights::undetermined(&p)),
        )
    }

    fn transfers(&self, a: &processing_activity::Model) -> Vec<Transfer> {
        let mut rows: Vec<_> = self
            .g
            .transfers
            .iter()
            .filter(|t| t.activity_id == a.id)
            .collect();
        rows.sort_by_key(|t| t.id);
        rows.into_iter()
            .map(|t| Transfer {
                id: ids::encode(NodeKind::Transfer, t.id),
                recipient: t
                    .recipient_id
                    .and_then(|r| self.g.vocabulary.recipients.get(&r))
                    .map(|r| Named {
                        id: ids::encode(NodeKind::Recipient, r.id),
                        name: self.name(&r.name),
                    }),
                country: t.country.as_deref().map(|c| self.country(c)),
                international_organisation: t.international_organisation.clone(),
                mechanism: t
                    .mechanism
                    .map(|m| Self::coded(m.to_value(), self.n.mechanism(m, self.lang))),
                derogation: t.mechanism.is_some_and(|m| m.is_derogation()),
                adequacy_decision: t
                    .country
                    .as_deref()
                    .or(t.international_organisation.as_deref())
                    .and_then(|d| self.adequacy.in_force(d, self.day()))
                    .map(|d| d.decision.clone()),
                safeguards_reference: t.safeguards_reference.clone(),
                description: self.text(&t.description),
            })
            .collect()
    }

    /// Art. 30(1)(f): for each category of the activity, the rules for it, else the rules for
    /// the whole activity; rules for categories the activity does not link come last.
    fn erasure(&self, a: &processing_activity::Model, l: &Links) -> Vec<Erasure> {
        let mut rules: Vec<_> = self
            .g
            .retention
            .iter()
            .filter(|r| r.activity_id == a.id)
            .collect();
        rules.sort_by_key(|r| r.id);
        let category = |id: Uuid| {
            self.g.vocabulary.categories.get(&id).map(|c| Named {
                id: ids::encode(NodeKind::PersonalDataCategory, c.id),
                name: self.name(&c.name),
            })
        };
        let entry = |r: &entity::retention_rule::Model, cat: Option<Named>| Erasure {
            data_category: cat,
            rule_id: ids::encode(NodeKind::RetentionRule, r.id),
            period: r
                .period
                .as_deref()
                .map(|p| Self::coded(p, &duration(self.n, self.lang, p))),
            starts_from: self.text(&r.starts_from),
            criteria: self.text(&r.criteria),
            general: r.data_category_id.is_none(),
        };
        let linked = sorted(&l.personal_data_categories);
        let general: Vec<_> = rules
            .iter()
            .filter(|r| r.data_category_id.is_none())
            .collect();
        let mut out = Vec::new();
        if linked.is_empty() {
            out.extend(general.iter().map(|r| entry(r, None)));
        }
        for id in &linked {
            let specific: Vec<_> = rules
                .iter()
                .filter(|r| r.data_category_id == Some(*id))
                .collect();
            let apply = if specific.is_empty() {
                &general
            } else {
                &specific
            };
            out.extend(apply.iter().map(|r| entry(r, category(*id))));
        }
        out.extend(
            rules
                .iter()
                .filter(|r| r.data_category_id.is_some_and(|c| !linked.contains(&c)))
                .map(|r| entry(r, r.data_category_id.and_then(category))),
        );
        out
    }

    fn controller_entry(&self, a: &processing_activity::Model) -> ControllerEntry {
        let l = self.links(a);
        let (rights, undetermined_rights) = self.rights(a);
        ControllerEntry {
            id: ids::encode(NodeKind::ProcessingActivity, a.id),
            key: a.key.clone(),
            register: self.register_of(a),
            name: self.name(&a.name),
            role: Self::coded(
                record_catalogue::key(&a.role),
                self.c.role(a.role, self.lang),
            ),
            joint_controller: match a.role {
                ProcessingRole::JointController => self.party(a.counterpart_party_id),
                _ => None,
            },
            purposes: self.text(&a.purpose),
            legal_basis: a
                .legal_basis
                .map(|b| Self::coded(b.to_value(), self.n.legal_basis(b, self.lang))),
            legitimate_interests: self.text(&a.legitimate_interests),
            special_category_condition: a
                .special_category_condition
                .map(|s| Self::coded(s.to_value(), self.n.special_condition(s, self.lang))),
            criminal_data_basis: self.text(&a.criminal_data_basis),
            national_id_justification: self.text(&a.national_id_justification),
            data_subjects: self.subjects(&l),
            data_categories: self.categories(&l),
            sources: sorted(&l.data_sources)
                .iter()
                .filter_map(|id| self.g.vocabulary.sources.get(id))
                .map(|s| Source {
                    id: ids::encode(NodeKind::DataSource, s.id),
                    name: self.name(&s.name),
                    kind: Self::coded(
                        record_catalogue::key(&s.kind),
                        self.c.source_kind(s.kind, self.lang),
                    ),
                    party: s
                        .party_id
                        .and_then(|p| self.g.vocabulary.parties.get(&p))
                        .map(|p| p.name.clone()),
                })
                .collect(),
            recipients: self
                .recipient_models(&l)
                .into_iter()
                .map(|r| {
                    let party = r.party_id.and_then(|p| self.g.vocabulary.parties.get(&p));
                    Recipient {
                        id: ids::encode(NodeKind::Recipient, r.id),
                        name: self.name(&r.name),
                        kind: Self::coded(
                            record_catalogue::key(&r.kind),
                            self.n.recipient_kind(r.kind, self.lang),
                        ),
                        party: party.map(|p| p.name.clone()),
                        third_countries: self.third_countries(r, party),
                    }
                })
                .collect(),
            processors: self.processors(&l),
            transfers_outside_eea: a.transfers_outside_eea,
            transfers: self.transfers(a),
            erasure: self.erasure(a, &l),
            security_measures: self.measures(&l),
            automated_decision_making: a.automated_decision_making,
            profiling: a.profiling,
            automated_logic: self.text(&a.automated_logic),
            dpia_status: Self::coded(
                record_catalogue::key(&a.dpia_status),
                self.c.dpia_status(a.dpia_status, self.lang),
            ),
            dpia_reference: a.dpia_reference.clone(),
            lia_reference: a.lia_reference.clone(),
            rights,
            undetermined_rights,
            data_location: a.data_location.clone(),
            last_reviewed_on: a.last_reviewed_on,
            next_review_on: a.next_review_on,
            created_at: a.created_at,
            updated_at: a.updated_at,
        }
    }

    fn processor_entry(&self, a: &processing_activity::Model) -> ProcessorEntry {
        let l = self.links(a);
        ProcessorEntry {
            id: ids::encode(NodeKind::ProcessingActivity, a.id),
            key: a.key.clone(),
            register: self.register_of(a),
            name: self.name(&a.name),
            categories_of_processing: self.text(&a.purpose),
            data_subjects: self.subjects(&l),
            data_categories: self.categories(&l),
            sub_processors: self.processors(&l),
            transfers_outside_eea: a.transfers_outside_eea,
            transfers: self.transfers(a),
            security_measures: self.measures(&l),
            last_reviewed_on: a.last_reviewed_on,
            next_review_on: a.next_review_on,
            created_at: a.created_at,
            updated_at: a.updated_at,
        }
    }
}

/// An ISO 8601 duration of years, months, weeks and days in words (`P1Y6M`: "1 year and 6
/// months"); anything else as it is.
pub fn duration(n: &Catalogue, lang: Lang, iso: &str) -> String {
    let d = &n.duration;
    let body = iso.strip_prefix('P').unwrap_or(iso);
    if body.contains('T') {
        return iso.to_owned();
    }
    let mut parts = Vec::new();
    let mut number = String::new();
    for ch in body.chars() {
        if ch.is_ascii_digit() {
            number.push(ch);
            continue;
        }
        let Ok(count) = number.parse::<u64>() else {
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
        parts.push(unit.get(lang, count));
    }
    if parts.is_empty() || !number.is_empty() {
        return iso.to_owned();
    }
    let and = format!(" {} ", d.and.get(lang));
    match parts.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{}{and}{last}", rest.join(", ")),
        _ => parts.join(""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_words() {
        let n = notice_catalogue::catalogue().unwrap();
        assert_eq!(duration(n, Lang::En, "P10Y"), "10 years");
        assert_eq!(duration(n, Lang::En, "P1Y6M"), "1 year and 6 months");
        assert_eq!(duration(n, Lang::Fi, "P2Y"), "2 vuotta");
        assert_eq!(duration(n, Lang::En, "PT5H"), "PT5H");
    }
}
