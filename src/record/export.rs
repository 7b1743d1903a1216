//! One export of a record, as the download route and `ropa export art30` make it: which record,
//! of which registers, as of when, in which language and format. Both read their options as
//! text and go through [`Options::resolve`], so they refuse the same input with the same words
//! and write the same bytes.

use std::io::Write;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::model::{ControllerRecord, ProcessorRecord, RecordKind};
use super::{load, write_controller, write_processor, Format, RecordBuilder};
use crate::domain::adequacy::AdequacyList;
use crate::error::{AppError, AppResult};
use crate::notice::graph::OrganisationGraph;
use crate::notice::Lang;
use entity::{organisation, register};

impl RecordKind {
    /// `controller` or `processor`, as in file names and options.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Controller => "controller",
            RecordKind::Processor => "processor",
        }
    }

    pub fn parse(name: &str) -> Option<RecordKind> {
        [RecordKind::Controller, RecordKind::Processor]
            .into_iter()
            .find(|k| k.as_str() == name)
    }
}

impl Format {
    pub fn parse(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.extension() == name)
    }
}

/// The options of an export as text, the way a query string or a command line gives them.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// `controller` or `processor`.
    pub kind: String,
    /// `xlsx`, `csv`, `json`, `html` or `jsonld`.
    pub format: String,
    /// Slugs of the registers to cover; every register when empty.
    pub registers: Vec<String>,
    /// `fi`, `sv` or `en`; the organisation's default language when none.
    pub lang: Option<String>,
    /// RFC 3339: the record as it was then, rebuilt from the audit trail.
    pub as_of: Option<String>,
    /// RFC 3339: the production time the record states, for reproducible files; now when none.
    pub produced_at: Option<String>,
    /// The CSV delimiter, `comma` (when none) or `semicolon`; only for `csv`.
    pub delimiter: Option<String>,
}

/// What a record covers, resolved and checked: of which organisation, which kind, which
/// registers, in which language, as of when and produced when.
#[derive(Clone, Debug)]
pub struct Export {
    pub organisation: organisation::Model,
    pub kind: RecordKind,
    /// The registers covered; all when none.
    pub registers: Option<Vec<Uuid>>,
    pub lang: Lang,
    pub as_of: Option<DateTime<Utc>>,
    pub produced_at: DateTime<Utc>,
}

fn time(field: &str, text: &str) -> AppResult<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| {
            AppError::invalid(
                field,
                format!("must be an RFC 3339 time such as 2026-03-01T00:00:00Z, not {text:?}"),
            )
        })
}

/// The registers a record covers, as the caller names them.
#[derive(Clone, Copy, Debug)]
pub enum Covering<'a> {
    /// Every register of the organisation.
    All,
    /// These registers, by slug (the download route and the command line).
    Slugs(&'a [String]),
    /// These registers, by ID (GraphQL).
    Ids(&'a [Uuid]),
}

impl Options {
    /// Checks the options against the organisation: each refusal names its option and rule.
    pub async fn resolve<C: ConnectionTrait>(
        &self,
        db: &C,
        organisation: organisation::Model,
    ) -> AppResult<(Export, Format)> {
        let kind = RecordKind::parse(&self.kind)
            .ok_or_else(|| AppError::invalid("kind", "must be controller or processor"))?;
        let mut format = Format::parse(&self.format).ok_or_else(|| {
            AppError::invalid("format", "must be one of xlsx, csv, json, html, jsonld")
        })?;
        if let Some(name) = &self.delimiter {
            let delimiter = super::csv::Delimiter::parse(name)
                .ok_or_else(|| AppError::invalid("delimiter", "must be comma or semicolon"))?;
            match format {
                Format::Csv(_) => format = Format::Csv(delimiter),
                _ => {
                    return Err(AppError::invalid(
                        "delimiter",
                        "applies to the csv format only",
                    ))
                }
            }
        }
        let lang = self
            .lang
            .as_deref()
            .map(|tag| {
                Lang::parse(tag)
                    .ok_or_else(|| AppError::invalid("lang", "must be one of fi, sv, en"))
            })
            .transpose()?;
        let produced_at = self
            .produced_at
            .as_deref()
            .map(|text| time("producedAt", text))
            .transpose()?;
        let as_of = self
            .as_of
            .as_deref()
            .map(|text| time("asOf", text))
            .transpose()?;
        let covering = if self.registers.is_empty() {
            Covering::All
        } else {
            Covering::Slugs(&self.registers)
        };
        let export =
            Export::new(db, organisation, kind, covering, lang, as_of, produced_at).await?;
        Ok((export, format))
    }
}

impl Export {
    /// An export of `organisation`'s record, checked: the registers must be the
    /// organisation's, and `as_of` no later than the production time (now when none) nor before
    /// the organisation's record began. The language defaults to the organisation's.
    #[allow(clippy::too_many_arguments)]
    pub async fn new<C: ConnectionTrait>(
        db: &C,
        organisation: organisation::Model,
        kind: RecordKind,
        covering: Covering<'_>,
        lang: Option<Lang>,
        as_of: Option<DateTime<Utc>>,
        produced_at: Option<DateTime<Utc>>,
    ) -> AppResult<Export> {
        let produced_at = produced_at.unwrap_or_else(Utc::now);
        if let Some(at) = as_of {
            if at > produced_at {
                return Err(AppError::invalid(
                    "asOf",
                    "must not be later than the time the record is produced",
                ));
            }
            if at < organisation.created_at {
                return Err(AppError::invalid(
                    "asOf",
                    format!(
                        "is before the organisation's record began ({})",
                        organisation.created_at.to_rfc3339()
                    ),
                ));
            }
        }
        let registers = match covering {
            Covering::All => None,
            named => {
                let known = register::Entity::find()
                    .filter(register::Column::OrganisationId.eq(organisation.id))
                    .order_by_asc(register::Column::Id)
                    .all(db)
                    .await?;
                let mut ids: Vec<Uuid> = Vec::new();
                let mut add = |found: Option<&register::Model>, field: &str, name: String| {
                    let found = found.ok_or_else(|| {
                        AppError::invalid(
                            field,
                            format!("no register {name} in organisation {}", organisation.slug),
                        )
                    })?;
                    if !ids.contains(&found.id) {
                        ids.push(found.id);
                    }
                    Ok::<_, AppError>(())
                };
                match named {
                    Covering::Slugs(slugs) => {
                        for slug in slugs {
                            add(
                                known.iter().find(|r| &r.slug == slug),
                                "register",
                                format!("{slug:?}"),
                            )?;
                        }
                    }
                    Covering::Ids(wanted) => {
                        for id in wanted {
                            let public = crate::ids::encode(crate::ids::NodeKind::Register, *id);
                            add(known.iter().find(|r| r.id == *id), "registerIds", public)?;
                        }
                    }
                    Covering::All => {}
                }
                Some(ids)
            }
        };
        Ok(Export {
            lang: lang
                .unwrap_or_else(|| Lang::parse(&organisation.default_language).unwrap_or(Lang::En)),
            organisation,
            kind,
            registers,
            as_of,
            produced_at,
        })
    }

    /// The name a download is saved under: `puuha-art30-controller.xlsx`, with the date shown
    /// for a record as it was (`puuha-art30-controller-2026-03-01.xlsx`).
    pub fn file_name(&self, format: Format) -> String {
        let as_of = self
            .as_of
            .map(|t| format!("-{}", t.format("%Y-%m-%d")))
            .unwrap_or_default();
        format!(
            "{}-art30-{}{as_of}.{}",
            self.organisation.slug,
            self.kind.as_str(),
            format.extension()
        )
    }

    /// Reads the graph the record is made of: now, or rebuilt for `as_of`.
    pub async fn load<C: ConnectionTrait>(&self, db: &C) -> AppResult<OrganisationGraph> {
        load(db, self.organisation.id, self.as_of).await
    }

    /// Writes the record of `graph` to `out`; the controller's record entry by entry.
    pub fn write<W: Write>(
        &self,
        graph: &OrganisationGraph,
        adequacy: &AdequacyList,
        format: Format,
        out: W,
    ) -> AppResult<()> {
        let b = self.builder(graph, adequacy)?;
        match self.kind {
            RecordKind::Controller => write_controller(
                format,
                out,
                &b.header(RecordKind::Controller),
                b.controller_entries(),
            ),
            RecordKind::Processor => {
                let record = ProcessorRecord {
                    header: b.header(RecordKind::Processor),
                    controllers: b.processor_sections(),
                };
                write_processor(format, out, &record)
            }
        }
    }

    fn builder<'g>(
        &self,
        graph: &'g OrganisationGraph,
        adequacy: &'g AdequacyList,
    ) -> AppResult<RecordBuilder<'g>> {
        RecordBuilder::new(
            graph,
            self.registers.as_deref(),
            self.lang,
            adequacy,
            self.produced_at,
            self.as_of,
        )
    }

    /// The controller's record of `graph`, whole.
    pub fn controller_record(
        &self,
        graph: &OrganisationGraph,
        adequacy: &AdequacyList,
    ) -> AppResult<ControllerRecord> {
        let b = self.builder(graph, adequacy)?;
        Ok(ControllerRecord {
            header: b.header(RecordKind::Controller),
            entries: b.controller_entries().collect(),
        })
    }

    /// The processor's record of `graph`.
    pub fn processor_record(
        &self,
        graph: &OrganisationGraph,
        adequacy: &AdequacyList,
    ) -> AppResult<ProcessorRecord> {
        let b = self.builder(graph, adequacy)?;
        Ok(ProcessorRecord {
            header: b.header(RecordKind::Processor),
            controllers: b.processor_sections(),
        })
    }
}
