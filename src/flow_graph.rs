//! Where personal data goes: the data flows of an organisation's graph, derived once and read
//! two ways, as "where does this data go" and as "what would a change affect".
//!
//! A flow is one way an activity's data leaves it: to a recipient it is linked to (in the
//! country of the recipient's party, when known), or through a transfer (to its recipient and
//! destination). Every question below filters the same flows.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;
use uuid::Uuid;

use crate::domain::adequacy::AdequacyList;
use crate::notice::graph::OrganisationGraph;
use entity::{ProcessingRole, TransferMechanism};

/// One way data leaves an activity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flow {
    pub activity: Uuid,
    pub recipient: Option<Uuid>,
    /// The recipient's party.
    pub party: Option<Uuid>,
    /// The destination: the transfer's country, or the country of the recipient's party.
    pub country: Option<String>,
    pub transfer: Option<Uuid>,
}

/// The flows of the activities a caller may read.
pub struct Flows<'g> {
    pub graph: &'g OrganisationGraph,
    /// Activities the caller may read, by ID.
    readable: HashMap<Uuid, &'g entity::processing_activity::Model>,
    pub flows: Vec<Flow>,
}

/// Where the data of one category goes: the recipients and countries it reaches, and through
/// which activities.
#[derive(Clone, Debug, Default)]
pub struct Reach {
    /// Every activity that processes the data, in ID order.
    pub activities: Vec<Uuid>,
    /// Per recipient: the countries it is in or receives the data in, and the activities.
    pub recipients: BTreeMap<Uuid, Destination>,
    /// Per country: the recipients there, the activities and transfers that take data there.
    pub countries: BTreeMap<String, Destination>,
}

/// What reaches one recipient or one country.
#[derive(Clone, Debug, Default)]
pub struct Destination {
    pub activities: BTreeSet<Uuid>,
    pub recipients: BTreeSet<Uuid>,
    pub countries: BTreeSet<String>,
    pub transfers: BTreeSet<Uuid>,
}

/// What would change if a party, a country or a data category were dropped.
#[derive(Clone, Debug, Default)]
pub struct Impact {
    pub activities: BTreeSet<Uuid>,
    pub registers: BTreeSet<Uuid>,
    /// Registers whose published notice says something the change alters (an affected
    /// activity done as controller or joint controller: processing for another controller is
    /// not in the notice).
    pub noticed_registers: BTreeSet<Uuid>,
    pub transfers: BTreeSet<Uuid>,
    /// For a country: the transfers that rely on an adequacy decision for it.
    pub adequacy_transfers: BTreeSet<Uuid>,
}

/// What an impact is asked about.
#[derive(Clone, Debug)]
pub enum Subject {
    Party(Uuid),
    Country(String),
    DataCategory(Uuid),
}

impl<'g> Flows<'g> {
    /// The flows of the activities `may_read` allows.
    pub fn derive(
        graph: &'g OrganisationGraph,
        may_read: impl Fn(&entity::processing_activity::Model) -> bool,
    ) -> Self {
        let readable: HashMap<Uuid, _> = graph
            .activities
            .iter()
            .filter(|a| may_read(a))
            .map(|a| (a.id, a))
            .collect();
        let vocabulary = &graph.vocabulary;
        let party_of = |recipient: Option<Uuid>| {
            recipient
                .and_then(|r| vocabulary.recipients.get(&r))
                .and_then(|r| r.party_id)
        };
        let country_of = |party: Option<Uuid>| {
            party
                .and_then(|p| vocabulary.parties.get(&p))
                .and_then(|p| p.country.clone())
        };
        let mut flows = Vec::new();
        for activity in graph
            .activities
            .iter()
            .filter(|a| readable.contains_key(&a.id))
        {
            let linked = graph
                .links
                .get(&activity.id)
                .map(|l| l.recipients.as_slice())
                .unwrap_or_default();
            for recipient in linked {
                let party = party_of(Some(*recipient));
                flows.push(Flow {
                    activity: activity.id,
                    recipient: Some(*recipient),
                    party,
                    country: country_of(party),
                    transfer: None,
                });
            }
        }
        for transfer in graph
            .transfers
            .iter()
            .filter(|t| readable.contains_key(&t.activity_id))
        {
            let party = party_of(transfer.recipient_id);
            flows.push(Flow {
                activity: transfer.activity_id,
                recipient: transfer.recipient_id,
                party,
                country: transfer.country.clone(),
                transfer: Some(transfer.id),
            });
        }
        Self {
            graph,
            readable,
            flows,
        }
    }

    /// The readable activities linked to a personal data category (`subjects`: to a data
    /// subject category), in ID order.
    fn linked_to(&self, id: Uuid, subjects: bool) -> BTreeSet<Uuid> {
        self.graph
            .links
            .iter()
            .filter(|(activity, _)| self.readable.contains_key(activity))
            .filter(|(_, links)| {
                let list = if subjects {
                    &links.data_subject_categories
                } else {
                    &links.personal_data_categories
                };
                list.contains(&id)
            })
            .map(|(activity, _)| *activity)
            .collect()
    }

    /// Where the data of a personal data category (or, with `subjects`, the data about a data
    /// subject category) goes.
    pub fn reach(&self, category: Uuid, subjects: bool) -> Reach {
        let activities = self.linked_to(category, subjects);
        let mut reach = Reach {
            activities: activities.iter().copied().collect(),
            ..Reach::default()
        };
        for flow in self
            .flows
            .iter()
            .filter(|f| activities.contains(&f.activity))
        {
            if let Some(recipient) = flow.recipient {
                let to = reach.recipients.entry(recipient).or_default();
                to.activities.insert(flow.activity);
                to.countries.extend(flow.country.clone());
                to.transfers.extend(flow.transfer);
            }
            if let Some(country) = &flow.country {
                let to = reach.countries.entry(country.clone()).or_default();
                to.activities.insert(flow.activity);
                to.recipients.extend(flow.recipient);
                to.transfers.extend(flow.transfer);
            }
        }
        reach
    }

    /// What dropping `subject` would change (for a country: also what relies on its adequacy
    /// decision in force on `on`).
    pub fn impact(&self, subject: &Subject, adequacy: &AdequacyList, on: NaiveDate) -> Impact {
        let mut impact = Impact::default();
        match subject {
            Subject::Party(party) => {
                let parties = self.party_and_engaged(*party);
                for flow in &self.flows {
                    if flow.party.is_some_and(|p| parties.contains(&p)) {
                        impact.activities.insert(flow.activity);
                        impact.transfers.extend(flow.transfer);
                    }
                }
                let sources: BTreeSet<Uuid> = self
                    .graph
                    .vocabulary
                    .sources
                    .values()
                    .filter(|s| s.party_id.is_some_and(|p| parties.contains(&p)))
                    .map(|s| s.id)
                    .collect();
                for (id, activity) in &self.readable {
                    let from_source = self
                        .graph
                        .links
                        .get(id)
                        .is_some_and(|l| l.data_sources.iter().any(|s| sources.contains(s)));
                    if from_source
                        || activity
                            .counterpart_party_id
                            .is_some_and(|p| parties.contains(&p))
                    {
                        impact.activities.insert(*id);
                    }
                }
            }
            Subject::Country(country) => {
                let decided = adequacy.in_force(country, on).is_some();
                for flow in self
                    .flows
                    .iter()
                    .filter(|f| f.country.as_ref() == Some(country))
                {
                    impact.activities.insert(flow.activity);
                    impact.transfers.extend(flow.transfer);
                }
                if decided {
                    impact.adequacy_transfers = self
                        .graph
                        .transfers
                        .iter()
                        .filter(|t| {
                            self.readable.contains_key(&t.activity_id)
                                && t.country.as_ref() == Some(country)
                                && t.mechanism == Some(TransferMechanism::AdequacyDecision)
                        })
                        .map(|t| t.id)
                        .collect();
                }
            }
            Subject::DataCategory(category) => {
                impact.activities = self.linked_to(*category, false);
                impact.transfers = self
                    .graph
                    .transfers
                    .iter()
                    .filter(|t| impact.activities.contains(&t.activity_id))
                    .map(|t| t.id)
                    .collect();
            }
        }
        for id in &impact.activities {
            if let Some(activity) = self.readable.get(id) {
                impact.registers.insert(activity.register_id);
                if activity.role != ProcessingRole::Processor {
                    impact.noticed_registers.insert(activity.register_id);
                }
            }
        }
        impact
    }

    /// A party and the sub-processors it engaged, directly or through others: dropping a
    /// processor drops what it engaged.
    fn party_and_engaged(&self, party: Uuid) -> BTreeSet<Uuid> {
        let mut found = BTreeSet::from([party]);
        loop {
            let more: Vec<Uuid> = self
                .graph
                .vocabulary
                .parties
                .values()
                .filter(|p| {
                    !found.contains(&p.id) && p.parent_party_id.is_some_and(|q| found.contains(&q))
                })
                .map(|p| p.id)
                .collect();
            if more.is_empty() {
                return found;
            }
            found.extend(more);
        }
    }
}
