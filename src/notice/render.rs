//! Writes a notice as a standalone HTML page, Markdown, plain text or JSON. Every format is made
//! from the same [`Notice`], so they cannot say different things.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::catalogue::{catalogue, Catalogue};
use super::model::{Notice, Statement};
use super::Lang;
use crate::error::{AppError, AppResult};

/// An output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Html,
    Markdown,
    Text,
    Json,
}

impl Format {
    pub const ALL: [Format; 4] = [Format::Html, Format::Markdown, Format::Text, Format::Json];

    /// `html`, `md` (or `markdown`), `txt` (or `text`), `json`.
    pub fn parse(name: &str) -> Option<Format> {
        match name.trim().to_ascii_lowercase().as_str() {
            "html" => Some(Format::Html),
            "md" | "markdown" => Some(Format::Markdown),
            "txt" | "text" => Some(Format::Text),
            "json" => Some(Format::Json),
            _ => None,
        }
    }

    /// The first format an `Accept` header names (`*/*` and `text/*` mean HTML).
    pub fn from_accept(accept: &str) -> Option<Format> {
        let mut ranked: Vec<(f32, usize, Format)> = Vec::new();
        for (i, entry) in accept.split(',').enumerate() {
            let mut parts = entry.split(';');
            let media = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
            let q = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let format = match media.as_str() {
                "text/html" | "application/xhtml+xml" | "text/*" | "*/*" => Format::Html,
                "text/markdown" | "text/x-markdown" => Format::Markdown,
                "text/plain" => Format::Text,
                "application/json" => Format::Json,
                _ => continue,
            };
            if q > 0.0 {
                ranked.push((q, i, format));
            }
        }
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        ranked.first().map(|(_, _, f)| *f)
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Html => "text/html; charset=utf-8",
            Format::Markdown => "text/markdown; charset=utf-8",
            Format::Text => "text/plain; charset=utf-8",
            Format::Json => "application/json",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Markdown => "md",
            Format::Text => "txt",
            Format::Json => "json",
        }
    }
}

/// A published version, as a rendering names it.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VersionInfo {
    pub number: i32,
    pub published_at: DateTime<Utc>,
    pub content_hash: String,
}

/// How a notice is shown: a draft to its editors (gaps included), or a published version.
#[derive(Clone, Debug)]
pub struct Meta {
    pub version: Option<VersionInfo>,
    pub show_gaps: bool,
}

impl Meta {
    /// An editor's preview of the current graph.
    pub fn draft() -> Self {
        Self {
            version: None,
            show_gaps: true,
        }
    }

    /// A published version as the public reads it.
    pub fn published(version: VersionInfo) -> Self {
        Self {
            version: Some(version),
            show_gaps: false,
        }
    }
}

/// Renders `notice` in `format`.
/// A list of GDPR provisions (`13(1)(a)`, `77`) as a lawyer writes them in `lang`: in Finnish
/// "13 artiklan 1 kohdan a alakohta ja 77 artikla", in Swedish "artiklarna 13.1 a och 77", in
/// English "13(1)(a) and 77". The catalogue's `article` phrase names the Regulation around it.
pub fn cite(lang: Lang, provisions: &[impl AsRef<str>]) -> String {
    let parts: Vec<String> = provisions
        .iter()
        .map(|p| {
            let (article, rest) = p
                .as_ref()
                .split_once('(')
                .map_or((p.as_ref(), ""), |(a, r)| (a, r));
            let mut levels = rest.split(['(', ')']).filter(|l| !l.is_empty());
            let (paragraph, point) = (levels.next(), levels.next());
            match lang {
                Lang::Fi => match (paragraph, point) {
                    (Some(k), Some(a)) => format!("{article} artiklan {k} kohdan {a} alakohta"),
                    (Some(k), None) => format!("{article} artiklan {k} kohta"),
                    _ => format!("{article} artikla"),
                },
                Lang::Sv => match (paragraph, point) {
                    (Some(k), Some(a)) => format!("{article}.{k} {a}"),
                    (Some(k), None) => format!("{article}.{k}"),
                    _ => article.to_owned(),
                },
                Lang::En => p.as_ref().to_owned(),
            }
        })
        .collect();
    let and = match lang {
        Lang::Fi => "ja",
        Lang::Sv => "och",
        Lang::En => "and",
    };
    let listed = match parts.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} {and} {last}", rest.join(", ")),
    };
    match lang {
        Lang::Sv if parts.len() > 1 => format!("artiklarna {listed}"),
        Lang::Sv => format!("artikel {listed}"),
        Lang::En if parts.len() > 1 => format!("Arts. {listed}"),
        Lang::En => format!("Art. {listed}"),
        Lang::Fi => listed,
    }
}

pub fn render(notice: &Notice, format: Format, meta: &Meta) -> AppResult<String> {
    let c = catalogue()?;
    let lang = Lang::parse(&notice.language).unwrap_or(Lang::Fi);
    let notice = if meta.show_gaps {
        notice.clone()
    } else {
        notice.clone().public()
    };
    let view = View::new(&notice, lang, c, meta);
    match format {
        Format::Html => html(&view),
        Format::Markdown => Ok(markdown(&view)),
        Format::Text => Ok(text(&view)),
        Format::Json => json(&notice, meta),
    }
}

/// What the templates read: the notice with its fixed words resolved.
#[derive(Serialize)]
struct View<'a> {
    lang: &'static str,
    title: &'a str,
    status: Option<String>,
    draft: bool,
    intro: &'a [Statement],
    contents: &'a str,
    sections: Vec<SectionView<'a>>,
    notes: BTreeMap<&'static str, String>,
    gap_banner: &'a str,
    show_gaps: bool,
    reviewed: Option<String>,
}

#[derive(Serialize)]
struct SectionView<'a> {
    slug: String,
    heading: &'a str,
    articles: String,
    statements: &'a [Statement],
    gaps: Vec<&'a str>,
}

/// A date as people write it in the language.
pub fn date(d: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Fi => d.format("%-d.%-m.%Y").to_string(),
        Lang::Sv => d.format("%Y-%m-%d").to_string(),
        Lang::En => d.format("%-d %B %Y").to_string(),
    }
}

impl<'a> View<'a> {
    fn new(notice: &'a Notice, lang: Lang, c: &'a Catalogue, meta: &Meta) -> Self {
        let status = match &meta.version {
            Some(v) => Some(c.published_version.fill(
                lang,
                &[
                    ("number", &v.number.to_string()),
                    ("date", &date(v.published_at.date_naive(), lang)),
                ],
            )),
            None => Some(c.draft_banner.get(lang).to_owned()),
        };
        let reviewed = notice
            .last_reviewed_on
            .as_deref()
            .and_then(|d| d.parse::<NaiveDate>().ok())
            .map(|d| c.last_reviewed.fill(lang, &[("date", &date(d, lang))]));
        let notes = Lang::ALL
            .into_iter()
            .map(|of| {
                let language = c.language_name(of, lang);
                (of.tag(), c.fallback.fill(lang, &[("language", language)]))
            })
            .collect();
        View {
            lang: lang.tag(),
            title: &notice.title,
            status,
            draft: meta.version.is_none(),
            intro: &notice.intro,
            contents: c.contents.get(lang),
            sections: notice
                .sections
                .iter()
                .map(|s| SectionView {
                    slug: s.id.slug(),
                    heading: &s.heading,
                    articles: if s.articles.is_empty() {
                        String::new()
                    } else {
                        c.article
                            .fill(lang, &[("article", &cite(lang, &s.articles))])
                    },
                    statements: &s.statements,
                    gaps: s.gaps.iter().map(|g| g.message.as_str()).collect(),
                })
                .collect(),
            notes,
            gap_banner: c.gap_banner.get(lang),
            show_gaps: meta.show_gaps,
            reviewed,
        }
    }
}

fn html(view: &View) -> AppResult<String> {
    static ENV: OnceLock<minijinja::Environment<'static>> = OnceLock::new();
    let env = ENV.get_or_init(|| {
        let mut env = minijinja::Environment::new();
        env.add_filter("paragraphs", |text: String| -> Vec<String> {
            paragraphs(&text).into_iter().map(str::to_owned).collect()
        });
        // The `.html` name turns on HTML escaping of every value.
        env.add_template("notice.html", include_str!("notice.html"))
            .map_err(|e| tracing::error!(error = %e, "notice template"))
            .ok();
        env
    });
    let template = env
        .get_template("notice.html")
        .map_err(|e| AppError::Internal(format!("notice template: {e}").into()))?;
    template
        .render(view)
        .map_err(|e| AppError::Internal(format!("notice template: {e}").into()))
}

fn json(notice: &Notice, meta: &Meta) -> AppResult<String> {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Document<'a> {
        draft: bool,
        version: Option<&'a VersionInfo>,
        notice: &'a Notice,
    }
    let mut out = serde_json::to_string_pretty(&Document {
        draft: meta.version.is_none(),
        version: meta.version.as_ref(),
        notice,
    })
    .map_err(AppError::internal)?;
    out.push('\n');
    Ok(out)
}

/// Escapes the characters Markdown would read as markup.
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        if matches!(
            ch,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '{' | '}'
        ) {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

/// The paragraphs of a text: its non-blank lines.
fn paragraphs(text: &str) -> Vec<&str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect()
}

fn statement_line(s: &Statement, view: &View, markup: bool) -> String {
    let esc = |t: &str| if markup { md(t) } else { t.to_owned() };
    let mut line = String::new();
    if let Some(label) = &s.label {
        let label = if s.text.is_empty() {
            esc(label)
        } else {
            format!("{}:", esc(label))
        };
        if markup {
            line.push_str(&format!("**{label}**"));
        } else {
            line.push_str(&label);
        }
        if !s.text.is_empty() {
            line.push(' ');
        }
    }
    line.push_str(&esc(&s.text));
    if s.fallback && !s.text.is_empty() {
        let note = view
            .notes
            .get(s.language.as_str())
            .cloned()
            .unwrap_or_default();
        if markup {
            line.push_str(&format!(" *{}*", md(&note)));
        } else {
            line.push_str(&format!(" {note}"));
        }
    }
    line
}

fn markdown(view: &View) -> String {
    let mut out = format!("# {}\n\n", md(view.title));
    if let Some(status) = &view.status {
        out.push_str(&format!("> {}\n\n", md(status)));
    }
    for s in view.intro {
        for paragraph in paragraphs(&s.text) {
            out.push_str(&format!("{}\n\n", md(paragraph)));
        }
    }
    out.push_str(&format!("## {}\n\n", md(view.contents)));
    for (i, s) in view.sections.iter().enumerate() {
        out.push_str(&format!("{}. {}\n", i + 1, md(s.heading)));
    }
    out.push('\n');
    fn list(out: &mut String, items: &[Statement], depth: usize, view: &View) {
        let indent = "  ".repeat(depth);
        for s in items {
            let line = statement_line(s, view, true);
            for (i, paragraph) in paragraphs(&line).into_iter().enumerate() {
                if i == 0 {
                    out.push_str(&format!("{indent}- {paragraph}\n"));
                } else {
                    out.push_str(&format!("\n{indent}  {paragraph}\n"));
                }
            }
            list(out, &s.items, depth + 1, view);
        }
    }
    for s in &view.sections {
        out.push_str(&format!("## {}\n\n", md(s.heading)));
        if !s.articles.is_empty() {
            out.push_str(&format!("*{}*\n\n", md(&s.articles)));
        }
        if !s.statements.is_empty() {
            list(&mut out, s.statements, 0, view);
            out.push('\n');
        }
        if view.show_gaps && !s.gaps.is_empty() {
            out.push_str(&format!("> **{}**\n", md(view.gap_banner)));
            for g in &s.gaps {
                out.push_str(&format!("> - {}\n", md(g)));
            }
            out.push('\n');
        }
    }
    if let Some(reviewed) = &view.reviewed {
        out.push_str(&format!("---\n\n{}\n", md(reviewed)));
    }
    out
}

const WIDTH: usize = 78;

fn wrapped(out: &mut String, text: &str, first: &str, rest: &str) {
    let options = textwrap::Options::new(WIDTH)
        .initial_indent(first)
        .subsequent_indent(rest);
    for line in textwrap::wrap(text, options) {
        out.push_str(line.trim_end());
        out.push('\n');
    }
}

fn text(view: &View) -> String {
    let mut out = String::new();
    let underline = |out: &mut String, title: &str, ch: char| {
        out.push_str(title);
        out.push('\n');
        out.push_str(&ch.to_string().repeat(title.chars().count()));
        out.push_str("\n\n");
    };
    underline(&mut out, view.title, '=');
    if let Some(status) = &view.status {
        wrapped(&mut out, status, "", "");
        out.push('\n');
    }
    for s in view.intro {
        wrapped(&mut out, &s.text, "", "");
        out.push('\n');
    }
    underline(&mut out, view.contents, '-');
    for (i, s) in view.sections.iter().enumerate() {
        out.push_str(&format!("{:>2}. {}\n", i + 1, s.heading));
    }
    out.push('\n');
    fn list(out: &mut String, items: &[Statement], depth: usize, view: &View) {
        for s in items {
            let indent = "  ".repeat(depth);
            let line = statement_line(s, view, false);
            for (i, paragraph) in paragraphs(&line).into_iter().enumerate() {
                let first = if i == 0 {
                    format!("{indent}- ")
                } else {
                    format!("{indent}  ")
                };
                wrapped(out, paragraph, &first, &format!("{indent}  "));
            }
            list(out, &s.items, depth + 1, view);
        }
    }
    for (i, s) in view.sections.iter().enumerate() {
        underline(&mut out, &format!("{}. {}", i + 1, s.heading), '-');
        if !s.articles.is_empty() {
            wrapped(&mut out, &format!("({})", s.articles), "", "");
            out.push('\n');
        }
        list(&mut out, s.statements, 0, view);
        if view.show_gaps && !s.gaps.is_empty() {
            out.push('\n');
            wrapped(&mut out, &format!("!! {}", view.gap_banner), "", "");
            for g in &s.gaps {
                wrapped(&mut out, g, "!! - ", "!!   ");
            }
        }
        out.push('\n');
    }
    if let Some(reviewed) = &view.reviewed {
        wrapped(&mut out, reviewed, "", "");
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn provisions_are_cited_as_each_language_writes_them() {
        use super::{cite, Lang};
        assert_eq!(
            cite(Lang::Fi, &["13(1)(a)", "14(1)(a)"]),
            "13 artiklan 1 kohdan a alakohta ja 14 artiklan 1 kohdan a alakohta"
        );
        assert_eq!(
            cite(Lang::Fi, &["13(2)(d)", "14(2)(e)", "77"]),
            "13 artiklan 2 kohdan d alakohta, 14 artiklan 2 kohdan e alakohta ja 77 artikla"
        );
        assert_eq!(cite(Lang::Fi, &["32"]), "32 artikla");
        assert_eq!(cite(Lang::Fi, &["21(2)"]), "21 artiklan 2 kohta");
        assert_eq!(
            cite(Lang::Sv, &["13(1)(a)", "14(1)(a)"]),
            "artiklarna 13.1 a och 14.1 a"
        );
        assert_eq!(cite(Lang::Sv, &["32"]), "artikel 32");
        assert_eq!(
            cite(Lang::En, &["13(2)(d)", "14(2)(e)", "77"]),
            "Arts. 13(2)(d), 14(2)(e) and 77"
        );
        assert_eq!(cite(Lang::En, &["12"]), "Art. 12");
    }

    use super::*;

    #[test]
    fn formats_parse_and_negotiate() {
        assert_eq!(Format::parse("MD"), Some(Format::Markdown));
        assert_eq!(Format::parse("pdf"), None);
        assert_eq!(Format::from_accept("application/json"), Some(Format::Json));
        assert_eq!(
            Format::from_accept("text/plain;q=0.5, text/markdown"),
            Some(Format::Markdown)
        );
        assert_eq!(Format::from_accept("image/png"), None);
        assert_eq!(Format::from_accept("*/*"), Some(Format::Html));
    }

    #[test]
    fn markdown_escapes_markup() {
        assert_eq!(md("a *b* [c](d) <e>"), "a \\*b\\* \\[c\\](d) \\<e\\>");
    }

    #[test]
    fn dates_follow_the_language() {
        let d = NaiveDate::from_ymd_opt(2018, 5, 25).unwrap();
        assert_eq!(date(d, Lang::Fi), "25.5.2018");
        assert_eq!(date(d, Lang::Sv), "2018-05-25");
        assert_eq!(date(d, Lang::En), "25 May 2018");
    }
}
