//! The command line's use cases besides serving: migrate, import, tokens, notices, checks,
//! exports, backups. Each reads its arguments, calls the service or storage function that does
//! the work, and prints the answer.

use std::path::PathBuf;

use crate::error::Cause;
use crate::ids::{self, NodeKind};
use crate::progress::Progress;
use crate::service::import;
use crate::{db, identity, AppState};

/// A command line that cannot run as written (a malformed option value): the command exits
/// with 2, as for clap's own usage errors, where a failure exits with 1.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Usage(pub String);

/// Whether `err`, or an error it was caused by, is a usage error.
pub fn is_usage(err: &(dyn std::error::Error + 'static)) -> bool {
    causes(err).any(|e| e.is::<Usage>())
}

/// Whether `err` comes from writing to a pipe whose reader has gone (`ropa check | head`): not
/// a failure to report, the reader has what it wanted.
pub fn is_broken_pipe(err: &(dyn std::error::Error + 'static)) -> bool {
    causes(err).any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// `err` and its sources, outermost first.
fn causes<'a>(
    err: &'a (dyn std::error::Error + 'static),
) -> impl Iterator<Item = &'a (dyn std::error::Error + 'static)> {
    std::iter::successors(Some(err), |e| e.source())
}

/// Writes a line to standard output, returning a closed pipe as an error instead of panicking
/// as `println!` does.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*)
    }};
}

/// The file of a SQLite database URL (`sqlite://ropa.db`, `sqlite:ropa.db?mode=rwc`, or a bare
/// path), none for another backend or an in-memory database.
fn sqlite_file(database_url: &str) -> Option<PathBuf> {
    let path = match database_url.strip_prefix("sqlite:") {
        Some(rest) => rest.strip_prefix("//").unwrap_or(rest),
        None if database_url.contains("://") => return None,
        None => database_url,
    };
    let path = path.split('?').next().unwrap_or(path);
    (!path.is_empty() && path != ":memory:").then(|| PathBuf::from(path))
}

/// Connects to a database that must exist already: a command that reads one refuses a SQLite
/// file that is not there, instead of creating an empty `ropa.db` and finding nothing in it.
async fn existing(database_url: &str) -> Result<sea_orm::DatabaseConnection, Cause> {
    if let Some(file) = sqlite_file(database_url) {
        if !file.exists() {
            return Err(format!(
                "no database at {} (--database-url, or ROPA_DATABASE_URL; `ropa init` or \
                 `ropa import` creates one)",
                file.display()
            )
            .into());
        }
    }
    Ok(db::connect(database_url).await?)
}

/// Migrates the database, then grants `role` what the service needs (PostgreSQL).
pub async fn migrate(database_url: &str, role: Option<&str>) -> Result<(), Cause> {
    let db = db::connect(database_url).await?;
    if let Some(role) = role {
        db::grant_service_role(&db, role).await?;
        say!("migrated; `{role}` may run the service, with append-only access to the audit trail")?;
    } else {
        say!("migrated")?;
    }
    Ok(())
}

/// Imports each file as one organisation, all or nothing per file.
pub async fn import_files(database_url: &str, files: &[PathBuf]) -> Result<(), Cause> {
    let db = db::connect(database_url).await?;
    for file in files {
        let source =
            std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
        let doc = import::parse(&source).map_err(|e| format!("{}: {e}", file.display()))?;
        let progress = Progress::start(format!("importing {}", file.display()));
        let summary = import::import(&db, &doc)
            .await
            .map_err(|e| format!("{}: {e}", file.display()))?;
        drop(progress);
        say!(
            "{}: imported organisation {} with {} registers and {} activities",
            file.display(),
            doc.organisation.slug,
            summary.registers,
            summary.activities
        )?;
    }
    Ok(())
}

/// `ropa init`: starts an organisation of one's own with its first admin, on a new or an
/// existing database, and prints the admin's token and nothing else on standard output.
pub async fn init(database_url: &str, new: &import::NewOrganisation) -> Result<(), Cause> {
    let db = db::connect(database_url).await?;
    let adequacy = crate::domain::adequacy::AdequacyList::shipped()?;
    let started = import::init(
        &db,
        &crate::write::WriteGate::default(),
        &adequacy,
        chrono::Utc::now().date_naive(),
        new,
    )
    .await
    .map_err(option_error)?;
    say!("{}", started.secret)?;
    Ok(())
}

/// A refusal in the words of the command line, with its code: `--business-id: … (BAD_USER_INPUT)`.
fn option_error(err: crate::error::AppError) -> Cause {
    use crate::error::AppError;
    let code = err.code();
    match err {
        AppError::InvalidInput { field, message } => {
            format!("--{field}: {message} ({code})").into()
        }
        AppError::Conflict(message) => format!("--{message} ({code})").into(),
        other => other.into(),
    }
}

/// `ropa token create`: prints the new token and nothing else on standard output.
pub async fn create_token(
    database_url: &str,
    organisation: &str,
    role: entity::Role,
    register: Option<&str>,
    name: &str,
    expires_in: Option<&str>,
) -> Result<(), Cause> {
    let db = existing(database_url).await?;
    let (_, secret) =
        identity::create_service_token(&db, organisation, role, register, name, expires_in).await?;
    say!("{secret}")?;
    Ok(())
}

/// `ropa token list`.
pub async fn list_tokens(database_url: &str, organisation: Option<&str>) -> Result<(), Cause> {
    let db = existing(database_url).await?;
    let now = chrono::Utc::now();
    say!(
        "{:<38} {:<8} {:<24} {:<40} {:<17} {:<17} {:<17}",
        "ID",
        "STATUS",
        "NAME",
        "ROLES",
        "CREATED",
        "EXPIRES",
        "LAST USED"
    )?;
    let time = |t: Option<chrono::DateTime<chrono::Utc>>| {
        t.map(|t| t.format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_else(|| "-".into())
    };
    for listing in identity::list_tokens(&db, organisation).await? {
        let t = &listing.token;
        let status = if t.revoked_at.is_some() {
            "revoked"
        } else if t.expires_at.is_some_and(|e| e <= now) {
            "expired"
        } else {
            "active"
        };
        let roles: Vec<String> = listing
            .memberships
            .iter()
            .map(|(m, org, register)| match register {
                Some(register) => format!("{}@{org}/{register}", m.role.as_str()),
                None => format!("{}@{org}", m.role.as_str()),
            })
            .collect();
        say!(
            "{:<38} {:<8} {:<24} {:<40} {:<17} {:<17} {:<17}",
            ids::encode(NodeKind::ApiToken, t.id),
            status,
            t.name,
            roles.join(","),
            time(Some(t.created_at)),
            time(t.expires_at),
            time(t.last_used_at)
        )?;
    }
    Ok(())
}

/// `ropa token revoke`.
pub async fn revoke_token(database_url: &str, id: &str) -> Result<(), Cause> {
    let db = existing(database_url).await?;
    let uuid = ids::decode_as(NodeKind::ApiToken, id, "id")?;
    identity::revoke_token_as_operator(&db, uuid).await?;
    say!("revoked {id}")?;
    Ok(())
}

/// `ropa notice`: prints a register's notice, the current draft (gaps shown) or a published
/// version, in one language and format.
pub async fn print_notice(
    database_url: &str,
    organisation: &str,
    register: &str,
    lang: Option<&str>,
    format: &str,
    version: Option<i32>,
) -> Result<(), Cause> {
    use crate::notice::render::{render, Format, Meta};
    use crate::notice::{publish, Lang, RegisterGraph};
    let format = Format::parse(format)
        .ok_or_else(|| Usage("--format must be one of html, md, txt, json".into()))?;
    let lang = lang
        .map(|tag| Lang::parse(tag).ok_or_else(|| Usage("--lang must be one of fi, sv, en".into())))
        .transpose()?;
    let db = existing(database_url).await?;
    let state = AppState::new(db)?;
    let missing = || format!("no register {register} in organisation {organisation}");
    let output = match version {
        Some(number) => {
            let number = (number > 0).then_some(number);
            let version =
                crate::service::notices::published(&state, organisation, register, number)
                    .await?
                    .ok_or_else(|| format!("{}, or it has no such published version", missing()))?;
            let lang = lang.unwrap_or(version.default_language);
            let notice = publish::notice_of(&version.model, lang)?
                .ok_or("that version has no notice in this language")?;
            render(
                &notice,
                format,
                &Meta::published(publish::info(&version.model)),
            )?
        }
        None => {
            let found = crate::service::notices::register_by_slugs(&state, organisation, register)
                .await?
                .ok_or_else(missing)?;
            let graph = RegisterGraph::load(&state.db, found.id).await?;
            let lang = lang.unwrap_or_else(|| {
                crate::service::notices::default_language(&graph.register, &graph.organisation)
            });
            let today = chrono::Utc::now().date_naive();
            let notice = crate::notice::draft(&graph, lang, &state.adequacy, today)?;
            render(&notice, format, &Meta::draft())?
        }
    };
    {
        use std::io::Write as _;
        std::io::stdout().lock().write_all(output.as_bytes())?;
    }
    Ok(())
}

/// The organisation with this slug, or an error that says there is none.
async fn organisation_by_slug(
    state: &AppState,
    slug: &str,
) -> Result<entity::organisation::Model, Cause> {
    Ok(crate::service::notices::organisation_by_slug(state, slug)
        .await?
        .ok_or_else(|| format!("no organisation {slug}"))?)
}

/// `ropa export art30`: writes a record to `output` (standard output for `-`) exactly as the
/// download serves it. A file is written beside its final name and renamed when complete, so
/// a failure leaves no half-written file behind.
pub async fn export_art30(
    database_url: &str,
    organisation: &str,
    options: &crate::record::Options,
    output: &std::path::Path,
) -> Result<(), Cause> {
    let db = existing(database_url).await?;
    let state = AppState::new(db)?;
    let org = organisation_by_slug(&state, organisation).await?;
    let _progress = Progress::start(format!("exporting the record of {organisation}"));
    let (export, format) = options.resolve(&state.db, org).await.map_err(cli_option)?;
    let graph = export.load(&state.db).await?;
    write_output(output, |out| {
        Ok(export.write(&graph, &state.adequacy, format, out)?)
    })
}

/// Writes what `write` writes to `output`, or to standard output for `-`. A file is written
/// beside its final name, synced and renamed when complete, so a failure leaves no
/// half-written file behind.
fn write_output(
    output: &std::path::Path,
    write: impl FnOnce(&mut dyn std::io::Write) -> Result<(), Cause>,
) -> Result<(), Cause> {
    use std::io::Write;
    if output.as_os_str() == "-" {
        let mut out = Watched::new(std::io::BufWriter::new(std::io::stdout().lock()));
        let written = write(&mut out).and_then(|()| Ok(out.flush()?));
        // A format's writer may hide the cause of its failure: the pipe tells it.
        return match written {
            Err(_) if out.broken => {
                Err(std::io::Error::from(std::io::ErrorKind::BrokenPipe).into())
            }
            other => other,
        };
    }
    let name = output
        .file_name()
        .ok_or_else(|| format!("--output: {} is not a file name", output.display()))?;
    let mut partial_name = std::ffi::OsString::from(".");
    partial_name.push(name);
    partial_name.push(format!(".{}.partial", std::process::id()));
    let partial = output.with_file_name(partial_name);
    let written = (|| -> Result<(), Cause> {
        let file = std::fs::File::create(&partial)
            .map_err(|e| format!("--output: cannot write {}: {e}", output.display()))?;
        let mut out = std::io::BufWriter::new(file);
        write(&mut out)?;
        out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        std::fs::rename(&partial, output)?;
        Ok(())
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    written
}

/// A writer that remembers whether its reader went away (a closed pipe).
struct Watched<W> {
    inner: W,
    broken: bool,
}

impl<W: std::io::Write> Watched<W> {
    fn new(inner: W) -> Self {
        Self {
            inner,
            broken: false,
        }
    }

    fn watch<T>(&mut self, result: std::io::Result<T>) -> std::io::Result<T> {
        if let Err(e) = &result {
            self.broken |= e.kind() == std::io::ErrorKind::BrokenPipe;
        }
        result
    }
}

impl<W: std::io::Write> std::io::Write for Watched<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let result = self.inner.write(buf);
        self.watch(result)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let result = self.inner.flush();
        self.watch(result)
    }
}

/// `ropa backup`: every organisation, or the ones named, with their history, to `output`.
pub async fn backup(
    database_url: &str,
    organisations: &[String],
    output: &std::path::Path,
) -> Result<(), Cause> {
    use crate::backup::{self, Scope};
    let db = existing(database_url).await?;
    let state = AppState::new(db)?;
    let scope = if organisations.is_empty() {
        Scope::All
    } else {
        let mut ids = Vec::new();
        for slug in organisations {
            ids.push(organisation_by_slug(&state, slug).await?.id);
        }
        Scope::Organisations(ids)
    };
    let progress = Progress::start("backing up");
    let made = backup::backup(&state.db, &scope).await?;
    let rows: usize = made.tables.iter().map(|t| t.rows.len()).sum();
    write_output(output, |out| Ok(backup::write(&made, out)?))?;
    drop(progress);
    eprintln!(
        "backed up {} organisations ({}), {rows} rows",
        made.organisations.len(),
        made.organisations.join(", ")
    );
    Ok(())
}

/// `ropa restore`: loads a backup into an empty database.
pub async fn restore(database_url: &str, input: &std::path::Path) -> Result<(), Cause> {
    use crate::backup;
    let file =
        std::fs::File::open(input).map_err(|e| format!("cannot read {}: {e}", input.display()))?;
    let progress = Progress::start(format!("restoring {}", input.display()));
    let made = backup::read(std::io::BufReader::new(file))?;
    let db = db::connect(database_url).await?;
    let summary = backup::restore(&db, &made).await?;
    drop(progress);
    eprintln!(
        "restored {} organisations ({}), {} rows in {} tables",
        summary.organisations.len(),
        summary.organisations.join(", "),
        summary.rows,
        summary.tables
    );
    Ok(())
}

/// An export's refusal in the words of the command line: `--as-of: must be …`.
fn cli_option(err: crate::error::AppError) -> Cause {
    match err {
        crate::error::AppError::InvalidInput { field, message } => {
            let option = match field.as_str() {
                "asOf" => "as-of",
                "producedAt" => "produced-at",
                other => other,
            };
            let text = format!("--{option}: {message}");
            // An option value the command cannot use is a usage error; a missing register is not.
            if matches!(
                option,
                "as-of" | "produced-at" | "kind" | "format" | "lang" | "delimiter"
            ) {
                Usage(text).into()
            } else {
                text.into()
            }
        }
        other => other.into(),
    }
}

/// `ropa check`: prints the compliance findings of an organisation (or one register) and
/// fails when any error-level finding is not acknowledged.
pub async fn check(
    database_url: &str,
    organisation: &str,
    register: Option<&str>,
    format: &str,
    lang: Option<&str>,
) -> Result<bool, Cause> {
    use crate::checks::{self, Severity};
    use crate::notice::Lang;
    use std::fmt::Write as _;
    if !matches!(format, "text" | "json") {
        return Err(Usage("--format must be text or json".into()).into());
    }
    let db = existing(database_url).await?;
    let state = AppState::new(db)?;
    let org = organisation_by_slug(&state, organisation).await?;
    let lang = match lang {
        Some(tag) => {
            Lang::parse(tag).ok_or_else(|| Usage("--lang must be one of fi, sv, en".into()))?
        }
        None => Lang::parse(&org.default_language).unwrap_or(Lang::En),
    };
    let registers = crate::service::notices::registers_of(&state, &org).await?;
    let only = match register {
        Some(slug) => Some(
            registers
                .iter()
                .find(|r| r.slug == slug)
                .ok_or_else(|| format!("no register {slug} in {organisation}"))?
                .id,
        ),
        None => None,
    };
    let today = chrono::Utc::now().date_naive();
    let findings: Vec<_> = checks::check_organisation(&state.db, &state.adequacy, org.id, today)
        .await?
        .into_iter()
        .filter(|f| only.is_none_or(|r| f.registers.contains(&r)))
        .collect();
    let slug_of = |id: Option<uuid::Uuid>| {
        id.and_then(|id| registers.iter().find(|r| r.id == id))
            .map(|r| r.slug.clone())
    };
    let count = |s: Severity| {
        checks::open(&findings)
            .filter(|f| f.rule.severity == s)
            .count()
    };
    let (errors, warnings, infos) = (
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info),
    );
    let acknowledged = findings.len() - checks::open(&findings).count();
    let mut report = String::new();
    if format == "json" {
        let items: Vec<_> = findings
            .iter()
            .map(|f| {
                serde_json::json!({
                    "rule": f.rule.code,
                    "severity": f.rule.severity.as_str(),
                    "article": f.rule.article,
                    "nodeId": f.node_id(),
                    "register": slug_of(f.hit.register),
                    "message": f.message(lang),
                    "acknowledged": f.acknowledgement.as_ref().map(|a| serde_json::json!({
                        "reason": a.reason,
                        "at": a.created_at,
                        "accountId": a.account_id.map(|id| crate::ids::encode(crate::ids::NodeKind::Account, id)),
                    })),
                })
            })
            .collect();
        let summary = serde_json::json!({
            "organisation": organisation,
            "register": register,
            "checkedOn": today,
            "counts": {"error": errors, "warning": warnings, "info": infos, "acknowledged": acknowledged},
            "findings": items,
        });
        writeln!(
            report,
            "{}",
            serde_json::to_string_pretty(&summary).map_err(|e| e.to_string())?
        )?;
    } else {
        let scope = register.map_or_else(
            || organisation.to_owned(),
            |r| format!("{organisation}/{r}"),
        );
        writeln!(
            report,
            "{scope}, checked on {today}: {errors} errors, {warnings} warnings, {infos} info ({acknowledged} acknowledged)"
        )?;
        for f in &findings {
            let place = slug_of(f.hit.register)
                .map(|s| format!(" [{s}]"))
                .unwrap_or_default();
            let ack = if f.acknowledgement.is_some() {
                " (acknowledged)"
            } else {
                ""
            };
            writeln!(
                report,
                "\n{:<7} {} ({}) {}{place}{ack}\n        {}",
                f.rule.severity.as_str().to_uppercase(),
                f.rule.code,
                f.rule.article,
                f.node_id(),
                f.message(lang)
            )?;
        }
    }
    // A reader that stopped early (`ropa check | head`) still gets the verdict as the exit code.
    use std::io::Write as _;
    match std::io::stdout().lock().write_all(report.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => return Err(e.into()),
        _ => {}
    }
    Ok(errors == 0)
}
