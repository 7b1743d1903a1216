//! The records as tables: the columns of the controller's and the processor's record and each
//! entry as a row of cell texts, shared by the CSV, XLSX and HTML renderers.
//!
//! The controller's columns follow the order of the UK ICO controller template (business
//! function, purposes, joint controller, individuals, data, recipients, processor contracts,
//! third countries, safeguards, retention, security), then what its later columns and auditors
//! ask for. Lists in a cell are one item per line.

use super::catalogue::RecordCatalogue;
use super::model::*;
use crate::notice::Lang;

/// The controller's record's columns, by key (headings from the catalogue).
pub const CONTROLLER_COLUMNS: [&str; 23] = [
    "id",
    "register",
    "activity",
    "role",
    "purposes",
    "joint_controller",
    "data_subjects",
    "data_categories",
    "recipients",
    "processors",
    "transfer_countries",
    "transfer_safeguards",
    "erasure",
    "security_measures",
    "legal_basis",
    "legal_basis_code",
    "special_category_condition",
    "legitimate_interests",
    "sources",
    "automated_decision_making",
    "dpia_status",
    "dpia_reference",
    "last_reviewed_on",
];

/// The processor's record's columns.
pub const PROCESSOR_COLUMNS: [&str; 11] = [
    "controller",
    "id",
    "register",
    "activity",
    "categories_of_processing",
    "data_subjects",
    "data_categories",
    "sub_processors",
    "transfer_countries",
    "transfer_safeguards",
    "security_measures",
];

/// The record's language, from its header.
pub fn lang_of(header: &Header) -> Lang {
    Lang::parse(&header.language).unwrap_or(Lang::En)
}

/// The headings of `columns` in `lang`.
pub fn headings(c: &RecordCatalogue, columns: &[&str], lang: Lang) -> Vec<String> {
    columns
        .iter()
        .map(|k| c.column(k, lang).to_owned())
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

fn transfer_countries(transfers: &[Transfer]) -> String {
    lines(transfers, |t| {
        let destination = join_some(
            &[
                t.country.as_ref().map(|c| c.label.as_str()),
                t.international_organisation.as_deref(),
            ],
            ", ",
        );
        match (&t.recipient, destination.is_empty()) {
            (Some(r), false) => format!("{destination} ({})", r.name.display()),
            (Some(r), true) => format!("? ({})", r.name.display()),
            (None, _) => destination,
        }
    })
}

fn transfer_safeguards(c: &RecordCatalogue, lang: Lang, transfers: &[Transfer]) -> String {
    lines(transfers, |t| {
        let adequacy = t
            .adequacy_decision
            .as_ref()
            .map(|d| format!("{}: {d}", c.adequacy.get(lang)));
        let reference = t
            .safeguards_reference
            .as_ref()
            .map(|r| format!("{}: {r}", c.safeguards.get(lang)));
        join_some(
            &[
                t.mechanism.as_ref().map(|m| m.label.as_str()),
                adequacy.as_deref(),
                reference.as_deref(),
            ],
            "; ",
        )
    })
}

fn measures(items: &[SecurityMeasure]) -> String {
    lines(items, |m| {
        format!("{} ({})", m.name.display(), m.kind.label)
    })
}

fn categories(items: &[DataCategory]) -> String {
    lines(items, |d| {
        if d.kind.code == "ordinary" {
            d.name.display()
        } else {
            format!("{} ({})", d.name.display(), d.kind.label)
        }
    })
}

fn named(items: &[Named]) -> String {
    lines(items, |n| n.name.display())
}

fn date(d: &Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

/// One controller entry as cells, in the order of [`CONTROLLER_COLUMNS`].
pub fn controller_row(c: &RecordCatalogue, lang: Lang, e: &ControllerEntry) -> Vec<String> {
    vec![
        e.id.clone(),
        e.register.name.display(),
        e.name.display(),
        e.role.label.clone(),
        opt(&e.purposes),
        e.joint_controller
            .as_ref()
            .map(party_line)
            .unwrap_or_default(),
        named(&e.data_subjects),
        categories(&e.data_categories),
        lines(&e.recipients, |r| {
            let mut s = format!("{} ({})", r.name.display(), r.kind.label);
            if let Some(p) = &r.party {
                s.push_str(&format!(": {p}"));
            }
            if let Some(country) = &r.third_country {
                s.push_str(&format!(", {}", country.label));
            }
            s
        }),
        contracts(c, lang, &e.processors),
        transfer_countries(&e.transfers),
        transfer_safeguards(c, lang, &e.transfers),
        lines(&e.erasure, |r| {
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
            format!(
                "{category}: {}",
                join_some(&[Some(rule.as_str()), criteria.as_deref()], "; ")
            )
        }),
        measures(&e.security_measures),
        e.legal_basis
            .as_ref()
            .map(|b| b.label.clone())
            .unwrap_or_default(),
        e.legal_basis
            .as_ref()
            .map(|b| b.code.clone())
            .unwrap_or_default(),
        e.special_category_condition
            .as_ref()
            .map(|b| b.label.clone())
            .unwrap_or_default(),
        opt(&e.legitimate_interests),
        lines(&e.sources, |s| {
            format!("{} ({})", s.name.display(), s.kind.label)
        }),
        {
            let mut s = c.yes_no(e.automated_decision_making, lang).to_owned();
            s.push_str(&format!(
                "\n{}: {}",
                c.profiling.get(lang),
                c.yes_no(e.profiling, lang)
            ));
            if let Some(logic) = &e.automated_logic {
                s.push_str(&format!("\n{}", logic.display()));
            }
            s
        },
        e.dpia_status.label.clone(),
        e.dpia_reference.clone().unwrap_or_default(),
        date(&e.last_reviewed_on),
    ]
}

/// One processor entry as cells, in the order of [`PROCESSOR_COLUMNS`].
pub fn processor_row(
    c: &RecordCatalogue,
    lang: Lang,
    controller: Option<&Party>,
    e: &ProcessorEntry,
) -> Vec<String> {
    vec![
        controller
            .map(party_line)
            .unwrap_or_else(|| c.unknown_controller.get(lang).to_owned()),
        e.id.clone(),
        e.register.name.display(),
        e.name.display(),
        opt(&e.categories_of_processing),
        named(&e.data_subjects),
        categories(&e.data_categories),
        contracts(c, lang, &e.sub_processors),
        transfer_countries(&e.transfers),
        transfer_safeguards(c, lang, &e.transfers),
        measures(&e.security_measures),
    ]
}

/// The header as label–value pairs: what the XLSX header sheet and the HTML header show.
pub fn header_rows(c: &RecordCatalogue, h: &Header) -> Vec<(String, String)> {
    let lang = lang_of(h);
    let l = &c.header;
    let o = &h.organisation;
    let mut rows = vec![
        (l.organisation.get(lang), o.name.clone()),
        (
            l.business_id.get(lang),
            o.business_id.clone().unwrap_or_default(),
        ),
        (l.country.get(lang), o.country.label.clone()),
        (l.address.get(lang), o.address.clone().unwrap_or_default()),
        (l.email.get(lang), o.email.clone().unwrap_or_default()),
        (l.phone.get(lang), o.phone.clone().unwrap_or_default()),
        (l.website.get(lang), o.website.clone().unwrap_or_default()),
        (
            l.contact.get(lang),
            h.contact.as_ref().map(person_line).unwrap_or_default(),
        ),
        (
            l.dpo.get(lang),
            h.dpo.as_ref().map(person_line).unwrap_or_default(),
        ),
        (
            l.representative.get(lang),
            h.representative
                .as_ref()
                .map(person_line)
                .unwrap_or_default(),
        ),
        (
            l.joint_controllers.get(lang),
            lines(&h.joint_controllers, party_line),
        ),
        (
            l.supervisory_authority.get(lang),
            h.supervisory_authority
                .as_ref()
                .map(party_line)
                .unwrap_or_default(),
        ),
        (
            l.registers.get(lang),
            lines(&h.registers, |r| r.name.display()),
        ),
        (l.language.get(lang), h.language.clone()),
        (l.produced_at.get(lang), h.produced_at.to_rfc3339()),
    ];
    if let Some(at) = h.as_of {
        rows.push((l.as_of.get(lang), at.to_rfc3339()));
    }
    rows.push((l.graph_version.get(lang), h.graph_version.clone()));
    rows.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}
