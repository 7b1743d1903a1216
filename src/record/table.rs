//! The records as tables: the columns of the controller's and the processor's record and each
//! entry as a row of cell texts, shared by the CSV, XLSX and HTML renderers.
//!
//! The controller's columns follow the order of the UK ICO controller template (business
//! function, purposes, joint controller, individuals, data, recipients, processor contracts,
//! third countries, safeguards, retention, security), then what its later columns and auditors
//! ask for. Lists in a cell are one item per line.

use std::borrow::Cow;

use chrono::NaiveDate;

use super::catalogue::RecordCatalogue;
use super::model::*;
use crate::domain::countries;
use crate::notice::Lang;

/// A column of a table: its key (heading from the catalogue) and its width in characters,
/// fixed so that an XLSX row's height can be set from its wrapped content as it is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Column {
    pub key: &'static str,
    pub width: u16,
}

const fn col(key: &'static str, width: u16) -> Column {
    Column { key, width }
}

/// The columns of the record keeper, Art. 30(1)(a) and 30(2)(a): leading columns of the CSV,
/// repeated on every row so that a file sent on its own is the whole record. The XLSX and HTML
/// records carry them once, on the header sheet and in the header table.
pub const CONTROLLER_KEEPER: [Column; 4] = [
    col("controller", 40),
    col("contact", 30),
    col("dpo", 30),
    col("representative", 30),
];

/// The processor's record's keeper columns.
pub const PROCESSOR_KEEPER: [Column; 4] = [
    col("processor", 40),
    col("contact", 30),
    col("dpo", 30),
    col("representative", 30),
];

/// The controller's record's columns. docs/records.md maps each to its Art. 30(1) element and
/// to the column of the UK ICO controller template (or the CNIL register where the ICO has
/// none).
pub const CONTROLLER_COLUMNS: [Column; 33] = [
    col("id", 26),
    col("register", 30),
    col("activity", 30),
    col("role", 16),
    col("purposes", 50),
    col("joint_controller", 30),
    col("data_subjects", 30),
    col("data_categories", 35),
    col("recipients", 40),
    col("processors", 35),
    col("transfer_countries", 40),
    col("transfer_safeguards", 40),
    col("erasure", 40),
    col("security_measures", 40),
    col("legal_basis", 30),
    col("legal_basis_code", 14),
    col("special_category_condition", 30),
    col("criminal_data_basis", 30),
    col("national_id_justification", 30),
    col("legitimate_interests", 40),
    col("lia_reference", 20),
    col("rights", 36),
    col("automated_decision_making", 16),
    col("profiling", 16),
    col("automated_logic", 40),
    col("sources", 30),
    col("data_location", 30),
    col("dpia_status", 18),
    col("dpia_reference", 20),
    col("last_reviewed_on", 12),
    col("next_review_on", 12),
    col("created_on", 12),
    col("updated_on", 12),
];

/// The processor's record's columns.
pub const PROCESSOR_COLUMNS: [Column; 15] = [
    col("controller", 40),
    col("id", 26),
    col("register", 30),
    col("activity", 30),
    col("categories_of_processing", 50),
    col("data_subjects", 30),
    col("data_categories", 35),
    col("sub_processors", 35),
    col("transfer_countries", 40),
    col("transfer_safeguards", 40),
    col("security_measures", 40),
    col("last_reviewed_on", 12),
    col("next_review_on", 12),
    col("created_on", 12),
    col("updated_on", 12),
];

/// One cell of a record: a value, or one of the three ways a value can be absent, each told
/// in words. No cell is left empty, so an empty cell never reads as "none".
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cell {
    /// A value as text; a list is one item per line.
    Text(String),
    /// A date (the XLSX writes a date cell).
    Date(NaiveDate),
    /// The organisation declared there is none.
    None,
    /// Nobody has recorded it.
    NotRecorded,
    /// It does not apply to the entry, given the entry's other facts (legitimate interests
    /// under another basis, an Art. 9 condition without special categories, …).
    NotApplicable,
}

impl Cell {
    /// `text`, or `absent` when it is empty.
    fn or(text: String, absent: Cell) -> Cell {
        if text.is_empty() {
            absent
        } else {
            Cell::Text(text)
        }
    }

    /// The cell as text in `lang`: dates as ISO 8601, absences in words.
    pub fn text<'a>(&'a self, c: &'a RecordCatalogue, lang: Lang) -> Cow<'a, str> {
        match self {
            Cell::Text(t) => Cow::Borrowed(t.as_str()),
            Cell::Date(d) => Cow::Owned(d.to_string()),
            Cell::None => Cow::Borrowed(c.word_none.get(lang)),
            Cell::NotRecorded => Cow::Borrowed(c.word_undeclared.get(lang)),
            Cell::NotApplicable => Cow::Borrowed(c.word_not_applicable.get(lang)),
        }
    }

    /// True for the three absences.
    pub fn is_absent(&self) -> bool {
        matches!(self, Cell::None | Cell::NotRecorded | Cell::NotApplicable)
    }
}

/// The record's language, from its header.
pub fn lang_of(header: &Header) -> Lang {
    Lang::parse(&header.language).unwrap_or(Lang::En)
}

/// The headings of `columns` in `lang`.
pub fn headings(c: &RecordCatalogue, columns: &[Column], lang: Lang) -> Vec<String> {
    columns
        .iter()
        .map(|k| c.column(k.key, lang).to_owned())
        .collect()
}

fn opt(t: &Option<Text>) -> String {
    t.as_ref().map(Text::display).unwrap_or_default()
}

fn lines<T>(items: &[T], f: impl Fn(&T) -> String) -> String {
    items.iter().map(f).collect::<Vec<_>>().join("\n")
}

fn join_some(parts: &[Option<&str>], sep: &str) -> String {
    parts
        .iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(sep)
}

/// A party on one line: name, business ID, country and contact details.
pub fn party_line(p: &Party) -> String {
    join_some(
        &[
            Some(p.name.as_str()),
            p.business_id.as_deref(),
            p.country.as_ref().map(|c| c.label.as_str()),
            p.address.as_deref(),
            p.email.as_deref(),
            p.phone.as_deref(),
        ],
        ", ",
    )
}

/// A contact person on one line.
pub fn person_line(p: &Person) -> String {
    let title = p.title.as_ref().map(Text::display);
    join_some(
        &[
            Some(p.name.as_str()),
            title.as_deref(),
            p.address.as_deref(),
            p.email.as_deref(),
            p.phone.as_deref(),
        ],
        ", ",
    )
}

fn contracts(c: &RecordCatalogue, lang: Lang, parties: &[Party]) -> String {
    lines(parties, |p| match &p.contract_reference {
        Some(r) => format!("{} ({}: {r})", p.name, c.contract.get(lang)),
        None => p.name.clone(),
    })
}

fn list<T>(items: &[T], f: impl Fn(&T) -> String) -> Cell {
    Cell::or(lines(items, f), Cell::NotRecorded)
}

fn text_or(t: &Option<Text>, absent: Cell) -> Cell {
    Cell::or(opt(t), absent)
}

fn string_or(s: &Option<String>, absent: Cell) -> Cell {
    Cell::or(s.clone().unwrap_or_default(), absent)
}

fn date_or(d: Option<NaiveDate>) -> Cell {
    d.map(Cell::Date).unwrap_or(Cell::NotRecorded)
}

/// Yes, no, or not recorded for a three-valued fact.
fn fact(c: &RecordCatalogue, lang: Lang, value: Option<bool>) -> Cell {
    match value {
        Some(_) => Cell::Text(c.yes_no(value, lang).to_owned()),
        None => Cell::NotRecorded,
    }
}

/// What is absent from the transfer columns of an entry with no transfer listed: none, when
/// the organisation declared that nothing leaves the EU/EEA.
fn no_transfers(declared: Option<bool>) -> Cell {
    match declared {
        Some(false) => Cell::None,
        _ => Cell::NotRecorded,
    }
}

/// Art. 30(1)(e): each transfer on a line: destination (recipient): what is transferred.
fn transfer_countries(
    c: &RecordCatalogue,
    lang: Lang,
    declared: Option<bool>,
    transfers: &[Transfer],
) -> Cell {
    if transfers.is_empty() {
        return match declared {
            Some(true) => Cell::Text(c.transfers_destinations_undeclared.get(lang).to_owned()),
            other => no_transfers(other),
        };
    }
    Cell::Text(lines(transfers, |t| {
        let destination = join_some(
            &[
                t.country.as_ref().map(|c| c.label.as_str()),
                t.international_organisation.as_deref(),
            ],
            ", ",
        );
        let destination = if destination.is_empty() {
            c.destination_undeclared.get(lang).to_owned()
        } else {
            destination
        };
        let recipient = t
            .recipient
            .as_ref()
            .map(|r| r.name.display())
            .unwrap_or_else(|| c.recipient_undeclared.get(lang).to_owned());
        match &t.description {
            Some(d) => format!("{destination} ({recipient}): {}", d.display()),
            None => format!("{destination} ({recipient})"),
        }
    }))
}

fn transfer_safeguards(
    c: &RecordCatalogue,
    lang: Lang,
    declared: Option<bool>,
    transfers: &[Transfer],
) -> Cell {
    if transfers.is_empty() {
        return no_transfers(declared);
    }
    Cell::Text(lines(transfers, |t| {
        let adequacy = t
            .adequacy_decision
            .as_ref()
            .map(|d| format!("{}: {d}", c.adequacy.get(lang)));
        let reference = t
            .safeguards_reference
            .as_ref()
            .map(|r| format!("{}: {r}", c.safeguards.get(lang)));
        let mechanism = t
            .mechanism
            .as_ref()
            .map(|m| m.label.as_str())
            .unwrap_or_else(|| c.mechanism_undeclared.get(lang));
        join_some(
            &[Some(mechanism), adequacy.as_deref(), reference.as_deref()],
            "; ",
        )
    }))
}

fn measures(items: &[SecurityMeasure]) -> Cell {
    list(items, |m| {
        format!("{} ({})", m.name.display(), m.kind.label)
    })
}

fn categories(items: &[DataCategory]) -> Cell {
    list(items, |d| {
        if d.kind.code == "ordinary" {
            d.name.display()
        } else {
            format!("{} ({})", d.name.display(), d.kind.label)
        }
    })
}

fn named(items: &[Named]) -> Cell {
    list(items, |n| n.name.display())
}

fn day(t: chrono::DateTime<chrono::Utc>) -> Cell {
    Cell::Date(t.date_naive())
}

/// A value the entry needs only when `needed`: not recorded then, not applicable otherwise.
fn needed_when(needed: bool) -> Cell {
    if needed {
        Cell::NotRecorded
    } else {
        Cell::NotApplicable
    }
}

/// One controller entry as cells, in the order of [`CONTROLLER_COLUMNS`].
pub fn controller_row(c: &RecordCatalogue, lang: Lang, e: &ControllerEntry) -> Vec<Cell> {
    let has_kind = |kind: &str| e.data_categories.iter().any(|d| d.kind.code == kind);
    // An unknown basis may turn out to be legitimate interests: not recorded, not "n/a".
    let on_legitimate_interests = e.legal_basis.as_ref().is_none_or(|b| b.code == "A6-1-f");
    let decides_or_profiles =
        e.automated_decision_making != Some(false) || e.profiling != Some(false);
    let dpia_done = matches!(e.dpia_status.code.as_str(), "in_progress" | "completed");
    vec![
        Cell::Text(e.id.clone()),
        Cell::Text(e.register.name.display()),
        Cell::Text(e.name.display()),
        Cell::Text(e.role.label.clone()),
        text_or(&e.purposes, Cell::NotRecorded),
        match &e.joint_controller {
            Some(p) => Cell::Text(party_line(p)),
            None => needed_when(e.role.code == "joint_controller"),
        },
        named(&e.data_subjects),
        categories(&e.data_categories),
        list(&e.recipients, |r| {
            let mut s = format!("{} ({})", r.name.display(), r.kind.label);
            if let Some(p) = &r.party {
                s.push_str(&format!(": {p}"));
            }
            if !r.third_countries.is_empty() {
                let names: Vec<&str> = r.third_countries.iter().map(|c| c.label.as_str()).collect();
                s.push_str(&format!(
                    "; {}: {}",
                    c.third_countries.get(lang),
                    names.join(", ")
                ));
            }
            s
        }),
        Cell::or(contracts(c, lang, &e.processors), Cell::NotRecorded),
        transfer_countries(c, lang, e.transfers_outside_eea, &e.transfers),
        transfer_safeguards(c, lang, e.transfers_outside_eea, &e.transfers),
        list(&e.erasure, |r| {
            let category = r
                .data_category
                .as_ref()
                .map(|n| n.name.display())
                .unwrap_or_else(|| c.all_categories.get(lang).to_owned());
            let from = r
                .starts_from
                .as_ref()
                .map(|s| format!("{} {}", c.from.get(lang), s.display()));
            let rule = join_some(
                &[r.period.as_ref().map(|p| p.label.as_str()), from.as_deref()],
                " ",
            );
            let criteria = r.criteria.as_ref().map(Text::display);
            let told = join_some(&[Some(rule.as_str()), criteria.as_deref()], "; ");
            let told = if told.is_empty() {
                c.word_undeclared.get(lang).to_owned()
            } else {
                told
            };
            format!("{category}: {told}")
        }),
        measures(&e.security_measures),
        e.legal_basis
            .as_ref()
            .map(|b| Cell::Text(b.label.clone()))
            .unwrap_or(Cell::NotRecorded),
        e.legal_basis
            .as_ref()
            .map(|b| Cell::Text(b.code.clone()))
            .unwrap_or(Cell::NotRecorded),
        e.special_category_condition
            .as_ref()
            .map(|b| Cell::Text(b.label.clone()))
            .unwrap_or_else(|| needed_when(has_kind("special"))),
        text_or(&e.criminal_data_basis, needed_when(has_kind("criminal"))),
        text_or(
            &e.national_id_justification,
            needed_when(has_kind("national_id")),
        ),
        text_or(
            &e.legitimate_interests,
            needed_when(on_legitimate_interests),
        ),
        string_or(&e.lia_reference, needed_when(on_legitimate_interests)),
        {
            let mut rights = lines(&e.rights, |r| r.label.clone());
            if !e.undetermined_rights.is_empty() {
                let names: Vec<&str> = e
                    .undetermined_rights
                    .iter()
                    .map(|r| r.label.as_str())
                    .collect();
                if !rights.is_empty() {
                    rights.push('\n');
                }
                rights.push_str(&format!(
                    "{}: {}",
                    c.rights_undetermined.get(lang),
                    names.join(", ")
                ));
            }
            Cell::or(rights, Cell::NotRecorded)
        },
        fact(c, lang, e.automated_decision_making),
        fact(c, lang, e.profiling),
        text_or(&e.automated_logic, needed_when(decides_or_profiles)),
        list(&e.sources, |s| {
            format!("{} ({})", s.name.display(), s.kind.label)
        }),
        string_or(&e.data_location, Cell::NotRecorded),
        Cell::Text(e.dpia_status.label.clone()),
        string_or(&e.dpia_reference, needed_when(dpia_done)),
        date_or(e.last_reviewed_on),
        date_or(e.next_review_on),
        day(e.created_at),
        day(e.updated_at),
    ]
}

/// One processor entry as cells, in the order of [`PROCESSOR_COLUMNS`].
pub fn processor_row(
    c: &RecordCatalogue,
    lang: Lang,
    controller: Option<&Party>,
    e: &ProcessorEntry,
) -> Vec<Cell> {
    vec![
        controller
            .map(|p| Cell::Text(party_line(p)))
            .unwrap_or(Cell::NotRecorded),
        Cell::Text(e.id.clone()),
        Cell::Text(e.register.name.display()),
        Cell::Text(e.name.display()),
        text_or(&e.categories_of_processing, Cell::NotRecorded),
        named(&e.data_subjects),
        categories(&e.data_categories),
        Cell::or(contracts(c, lang, &e.sub_processors), Cell::NotRecorded),
        transfer_countries(c, lang, e.transfers_outside_eea, &e.transfers),
        transfer_safeguards(c, lang, e.transfers_outside_eea, &e.transfers),
        measures(&e.security_measures),
        date_or(e.last_reviewed_on),
        date_or(e.next_review_on),
        day(e.created_at),
        day(e.updated_at),
    ]
}

/// The organisation keeping the record on one line: name, business ID, country and contact
/// details.
fn organisation_line(o: &Organisation) -> String {
    join_some(
        &[
            Some(o.name.as_str()),
            o.business_id.as_deref(),
            Some(o.country.label.as_str()),
            o.address.as_deref(),
            o.email.as_deref(),
            o.phone.as_deref(),
            o.website.as_deref(),
        ],
        ", ",
    )
}

/// An Art. 27 representative is needed only by an organisation established outside the
/// EU/EEA.
fn representative(h: &Header) -> Cell {
    match &h.representative {
        Some(p) => Cell::Text(person_line(p)),
        None => needed_when(!countries::is_eea(&h.organisation.country.code)),
    }
}

fn person_or(p: &Option<Person>) -> Cell {
    p.as_ref()
        .map(|p| Cell::Text(person_line(p)))
        .unwrap_or(Cell::NotRecorded)
}

/// The cells of [`CONTROLLER_KEEPER`] (or [`PROCESSOR_KEEPER`]) for the record's header.
pub fn keeper_row(h: &Header) -> Vec<Cell> {
    vec![
        Cell::Text(organisation_line(&h.organisation)),
        person_or(&h.contact),
        person_or(&h.dpo),
        representative(h),
    ]
}

/// The header as label–value pairs: what the XLSX header sheet and the HTML header show.
pub fn header_rows(c: &RecordCatalogue, h: &Header) -> Vec<(String, Cell)> {
    let lang = lang_of(h);
    let l = &c.header;
    let o = &h.organisation;
    let some = |s: &Option<String>| string_or(s, Cell::NotRecorded);
    let mut rows = vec![
        (l.organisation.get(lang), Cell::Text(o.name.clone())),
        (l.business_id.get(lang), some(&o.business_id)),
        (l.country.get(lang), Cell::Text(o.country.label.clone())),
        (l.address.get(lang), some(&o.address)),
        (l.email.get(lang), some(&o.email)),
        (l.phone.get(lang), some(&o.phone)),
        (l.website.get(lang), some(&o.website)),
        (l.contact.get(lang), person_or(&h.contact)),
        (l.dpo.get(lang), person_or(&h.dpo)),
        (l.representative.get(lang), representative(h)),
        (
            l.joint_controllers.get(lang),
            // The activities' roles declare it: none is jointly controlled.
            Cell::or(lines(&h.joint_controllers, party_line), Cell::None),
        ),
        (
            l.supervisory_authority.get(lang),
            h.supervisory_authority
                .as_ref()
                .map(|p| Cell::Text(party_line(p)))
                .unwrap_or(Cell::NotRecorded),
        ),
        (
            l.registers.get(lang),
            Cell::or(lines(&h.registers, |r| r.name.display()), Cell::None),
        ),
        (l.language.get(lang), Cell::Text(h.language.clone())),
        (
            l.produced_at.get(lang),
            Cell::Text(h.produced_at.to_rfc3339()),
        ),
    ];
    if let Some(at) = h.as_of {
        rows.push((l.as_of.get(lang), Cell::Text(at.to_rfc3339())));
    }
    rows.push((
        l.graph_version.get(lang),
        Cell::Text(h.graph_version.clone()),
    ));
    rows.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}
