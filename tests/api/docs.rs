//! The examples of README.md and docs/*.md, so that what the documentation shows keeps working:
//! every ```graphql block runs on the demo data, every ```yaml block imports, every `ropa`
//! command parses with the real command line, every `curl` request and service address is
//! answered, and every relative link leads to a file (and heading) that exists. The import format
//! page names every field and closed value of the document types, and the checks page the number
//! of rules.
//!
//! A block's language says what it is; a language this file does not know fails the test, so
//! nothing is skipped silently. Blocks that are shown but not run say so by their language:
//! `graphql-sdl` (schema text), `text`, `json` (payloads and file layouts).
//!
//! A GraphQL block may begin with comment lines that say how to run it:
//! `# as: dpo` (the role it runs as, in every demo organisation; `anonymous` for none; `auditor`
//! when omitted) and `# variables: {…}` (JSON). A variable's string value
//! `@LIST:ORGANISATION/KEY` stands for the ID of the node with that key (slug for registers) in
//! the organisation's `LIST` (`activities`, `parties`, `registers`, `recipients`, …), `@organisation:SLUG`
//! for the organisation's ID, and either with `#version` appended for the node's current version.
//! The blocks of one test run in order of the pages and on one database, so a mutation's
//! effects are there for the blocks after it.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::http::{header, Request};
use entity::Role;
use serde_json::{json, Value};

use crate::backend_test;
use crate::helpers::TestApp;

/// One page of the documentation, its path relative to the repository.
struct Page {
    path: PathBuf,
    text: String,
}

/// A fenced block: its language (the first word after the fence), where it starts and its text.
struct Block {
    language: String,
    place: String,
    body: String,
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// README.md and every page of docs/, in that order (docs/ by name).
fn pages() -> Vec<Page> {
    let mut paths = vec![PathBuf::from("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root().join("docs"))
        .expect("docs/ exists")
        .map(|entry| entry.expect("a docs/ entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "md"))
        .map(|path| {
            path.strip_prefix(root())
                .expect("under the root")
                .to_path_buf()
        })
        .collect();
    docs.sort();
    paths.extend(docs);
    paths
        .into_iter()
        .map(|path| Page {
            text: std::fs::read_to_string(root().join(&path)).expect("the page reads"),
            path,
        })
        .collect()
}

fn blocks(page: &Page) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut open: Option<(String, usize, Vec<&str>)> = None;
    for (n, line) in page.text.lines().enumerate() {
        let fence = line.trim_start().strip_prefix("```");
        match (&mut open, fence) {
            (None, Some(info)) => {
                let language = info.split_whitespace().next().unwrap_or("").to_owned();
                open = Some((language, n + 1, Vec::new()));
            }
            (Some(_), Some(_)) => {
                let (language, start, lines) = open.take().expect("an open block");
                blocks.push(Block {
                    language,
                    place: format!("{}:{start}", page.path.display()),
                    body: lines.join("\n") + "\n",
                });
            }
            (Some((_, _, lines)), None) => lines.push(line),
            (None, None) => {}
        }
    }
    assert!(
        open.is_none(),
        "{}: a block is not closed",
        page.path.display()
    );
    blocks
}

fn all_blocks() -> Vec<Block> {
    let blocks: Vec<Block> = pages().iter().flat_map(blocks).collect();
    for block in &blocks {
        assert!(
            ["graphql", "graphql-sdl", "sh", "yaml", "json", "text"]
                .contains(&block.language.as_str()),
            "{}: a block in `{}`: mark it as graphql, graphql-sdl, sh, yaml, json or text",
            block.place,
            block.language
        );
    }
    blocks
}

fn blocks_in(language: &str) -> Vec<Block> {
    all_blocks()
        .into_iter()
        .filter(|b| b.language == language)
        .collect()
}

/// The shell commands of a block: continuation lines joined, comments and blank lines left out.
fn commands(block: &Block) -> Vec<String> {
    let mut commands = Vec::new();
    let mut current = String::new();
    for line in block.body.lines() {
        let line = strip_comment(line);
        match line.trim_end().strip_suffix('\\') {
            Some(head) => current.push_str(head),
            None => {
                current.push_str(&line);
                if !current.trim().is_empty() {
                    commands.push(current.trim().to_owned());
                }
                current.clear();
            }
        }
    }
    commands
}

/// `line` without a trailing `# comment` (a `#` after a space, outside quotes).
fn strip_comment(line: &str) -> String {
    let mut quote = None;
    let mut previous = ' ';
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '#') if previous.is_whitespace() => return line[..i].to_owned(),
            _ => {}
        }
        previous = c;
    }
    line.to_owned()
}

/// Splits a command into words as a POSIX shell would for these examples: single and double
/// quotes, backslash escapes inside double quotes; no expansion.
fn words(command: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = command.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                for c in chars.by_ref() {
                    if c == '\'' {
                        break;
                    }
                    word.push(c);
                }
            }
            '"' => {
                in_word = true;
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => word.extend(chars.next()),
                        c => word.push(c),
                    }
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    words
}

/// What a shell command of the docs is, for checking it.
enum Command {
    /// The arguments of `ropa` (also written `cargo run --release -- …`).
    Ropa(Vec<String>),
    /// The arguments of `curl`.
    Curl(Vec<String>),
    /// A command of another program, shown as is (`createdb`, `psql`, `cargo test`, …).
    Other,
}

fn classify(place: &str, command: &str) -> Command {
    let words = words(command);
    let mut rest = words.as_slice();
    // `NAME=value command …`: the environment of the command.
    while rest.first().is_some_and(|w| {
        w.split_once('=').is_some_and(|(name, _)| {
            !name.is_empty() && name.chars().all(|c| c.is_ascii_uppercase() || c == '_')
        })
    }) {
        rest = &rest[1..];
    }
    match rest {
        [] => Command::Other,
        [ropa, args @ ..] if ropa == "ropa" => Command::Ropa(args.to_vec()),
        [cargo, run, more @ ..] if cargo == "cargo" && run == "run" => {
            let dashes = more
                .iter()
                .position(|w| w == "--")
                .unwrap_or_else(|| panic!("{place}: `{command}`: `cargo run` without `--`"));
            assert!(
                more[..dashes].iter().all(|w| w == "--release"),
                "{place}: `{command}`: only `cargo run [--release] -- …` runs ropa"
            );
            Command::Ropa(more[dashes + 1..].to_vec())
        }
        [curl, args @ ..] if curl == "curl" => Command::Curl(args.to_vec()),
        [program, ..] => {
            assert!(
                ["cargo", "createdb", "psql"].contains(&program.as_str()),
                "{place}: `{command}`: a command this test does not know how to check"
            );
            if program == "cargo" {
                assert!(
                    rest.get(1)
                        .is_some_and(|c| ["test", "bench", "fmt", "clippy"].contains(&c.as_str())),
                    "{place}: `{command}`: a cargo command this test does not know how to check"
                );
            }
            Command::Other
        }
    }
}

fn shell_commands() -> Vec<(String, String, Command)> {
    blocks_in("sh")
        .iter()
        .flat_map(|block| {
            commands(block).into_iter().map(|command| {
                let kind = classify(&block.place, &command);
                (block.place.clone(), command, kind)
            })
        })
        .collect()
}

#[test]
fn every_ropa_command_of_the_docs_parses_with_the_real_command_line() {
    let mut checked = 0;
    for (place, command, kind) in shell_commands() {
        let Command::Ropa(args) = kind else { continue };
        // clap parses every argument before `--help` (unknown flags, subcommands and values
        // it validates fail), then prints the help of that subcommand instead of running it.
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_ropa"))
            .args(&args)
            .arg("--help")
            .env_remove("ROPA_DATABASE_URL")
            .output()
            .expect("the binary runs");
        assert!(
            output.status.success(),
            "{place}: `{command}` does not parse: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        checked += 1;
    }
    assert!(checked >= 10, "the docs show the commands: {checked} found");
}

/// A `curl` command as the request it sends: method, path (with query) and body.
fn curl_request(place: &str, command: &str, args: &[String]) -> (String, String, Option<String>) {
    let mut method = None;
    let mut body = None;
    let mut url = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-X" => method = args.next().cloned(),
            "-d" | "--data" => body = args.next().cloned(),
            "-H" | "-o" => {
                args.next();
            }
            "-s" | "-OJ" | "-i" | "-f" => {}
            other if other.starts_with("http://") => url = Some(other.to_owned()),
            other => panic!("{place}: `{command}`: the option `{other}` is not known here"),
        }
    }
    let url = url.unwrap_or_else(|| panic!("{place}: `{command}` names no URL"));
    let path = url
        .strip_prefix("http://127.0.0.1:8080")
        .unwrap_or_else(|| panic!("{place}: `{command}`: the examples ask http://127.0.0.1:8080"))
        .to_owned();
    let method = method.unwrap_or_else(|| if body.is_some() { "POST" } else { "GET" }.to_owned());
    (method, path, body)
}

/// The ID (or, with `#version`, the version) of the node a `@…` reference names.
async fn resolve(app: &TestApp, admin: &str, reference: &str) -> Value {
    let (node, want) = match reference.split_once('#') {
        Some((node, "version")) => (node, "version"),
        None => (reference, "id"),
        Some((_, other)) => panic!("`{reference}`: `#{other}` is not known"),
    };
    let (list, path) = node
        .split_once(':')
        .unwrap_or_else(|| panic!("`{reference}`: `@LIST:ORGANISATION/KEY`"));
    let (organisation, key) = path.split_once('/').unwrap_or((path, ""));
    let key_field = if list == "registers" { "slug" } else { "key" };
    let selection = if list == "organisation" {
        String::new()
    } else {
        format!("{list}(first: 100) {{ nodes {{ id version {key_field} }} }}")
    };
    let response = app
        .graphql_as(
            Some(admin),
            &format!(
                "query($o: String!) {{ organisation(slug: $o) {{ id version {selection} }} }}"
            ),
            json!({"o": organisation}),
        )
        .await;
    assert!(
        response.get("errors").is_none(),
        "`{reference}`: {response:#}"
    );
    let found = &response["data"]["organisation"];
    let node = if list == "organisation" {
        found.clone()
    } else {
        found[list]["nodes"]
            .as_array()
            .and_then(|nodes| nodes.iter().find(|n| n[key_field] == json!(key)))
            .unwrap_or_else(|| panic!("`{reference}` names no node"))
            .clone()
    };
    node[want].clone()
}

/// The variables of a block, its `@…` references resolved.
async fn variables(app: &TestApp, admin: &str, text: &str, place: &str) -> Value {
    let mut variables: Value = serde_json::from_str(text)
        .unwrap_or_else(|e| panic!("{place}: `# variables:` is not JSON: {e}"));
    if let Some(map) = variables.as_object_mut() {
        for value in map.values_mut() {
            if let Some(reference) = value.as_str().and_then(|s| s.strip_prefix('@')) {
                *value = resolve(app, admin, reference).await;
            }
        }
    }
    variables
}

fn role(place: &str, name: &str) -> Option<Role> {
    Some(match name {
        "anonymous" => return None,
        "admin" => Role::Admin,
        "dpo" => Role::Dpo,
        "editor" => Role::Editor,
        "auditor" => Role::Auditor,
        "viewer" => Role::Viewer,
        "service" => Role::Service,
        other => panic!("{place}: `# as: {other}` is not a role"),
    })
}

backend_test! {
    async fn every_graphql_example_of_the_docs_runs_and_every_curl_path_is_served(backend) {
        let app = TestApp::with_demo(backend).await;
        ropa::demo::publish_notices(&app.state).await.expect("the demo notices publish");
        let mut tokens: HashMap<Role, String> = HashMap::new();
        for role in [Role::Admin, Role::Dpo, Role::Editor, Role::Auditor, Role::Viewer, Role::Service] {
            tokens.insert(role, app.token_everywhere(role).await);
        }
        let admin = tokens[&Role::Admin].clone();

        let graphql = blocks_in("graphql");
        assert!(graphql.len() >= 10, "the docs show GraphQL: {} blocks found", graphql.len());
        for block in &graphql {
            let mut as_role = Some(Role::Auditor);
            let mut vars = json!({});
            for line in block.body.lines().map(str::trim).take_while(|l| l.starts_with('#')) {
                if let Some(name) = line.strip_prefix("# as:") {
                    as_role = role(&block.place, name.trim());
                } else if let Some(text) = line.strip_prefix("# variables:") {
                    vars = variables(&app, &admin, text.trim(), &block.place).await;
                }
            }
            let bearer = as_role.map(|r| tokens[&r].clone());
            let response = app.graphql_as(bearer.as_deref(), &block.body, vars).await;
            assert!(response.get("errors").is_none(), "{}: {response:#}", block.place);
            let data = response["data"].as_object().unwrap_or_else(|| panic!("{}: no data", block.place));
            assert!(!data.is_empty() && data.values().all(|v| !v.is_null()), "{}: {response:#}", block.place);
        }

        let auditor = &tokens[&Role::Auditor];
        let mut curls = 0;
        for (place, command, kind) in shell_commands() {
            let Command::Curl(args) = kind else { continue };
            let (method, path, body) = curl_request(&place, &command, &args);
            let request = Request::builder()
                .method(method.as_str())
                .uri(path.as_str())
                .header(header::AUTHORIZATION, format!("Bearer {auditor}"))
                .header(header::CONTENT_TYPE, "application/json")
                .body(body.map(Body::from).unwrap_or_else(Body::empty))
                .expect("a request");
            let (status, text) = app.send(request).await;
            assert!(status.is_success(), "{place}: `{command}`: {method} {path} answers {status}: {text}");
            curls += 1;
        }
        assert!(curls >= 3, "the docs show curl: {curls} found");

        // The addresses the pages send a reader to, such as `<http://127.0.0.1:8080/graphiql>`.
        const SERVICE: &str = "<http://127.0.0.1:8080";
        for page in pages() {
            let mut rest = page.text.as_str();
            while let Some(at) = rest.find(SERVICE) {
                rest = &rest[at + SERVICE.len()..];
                let path = &rest[..rest.find('>').expect("an address ends")];
                let (status, text) = app.get(path).await;
                assert!(status.is_success(), "{}: <{path}> answers {status}: {text}", page.path.display());
            }
        }

        // The import format's examples import, each as a new organisation.
        let yaml = blocks_in("yaml");
        assert!(!yaml.is_empty(), "docs/import-format.md shows a document");
        for block in &yaml {
            let document = ropa::service::import::parse(&block.body)
                .unwrap_or_else(|e| panic!("{}: {e:?}", block.place));
            ropa::service::import::import(&app.db, &document)
                .await
                .unwrap_or_else(|e| panic!("{}: {e:?}", block.place));
        }
    }
}

/// GitHub's anchor of a heading: lower case, punctuation but `-` and `_` dropped, spaces `-`.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

fn anchors(text: &str) -> BTreeSet<String> {
    let mut in_block = false;
    let mut anchors = BTreeSet::new();
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_block = !in_block;
        } else if !in_block && line.starts_with('#') {
            anchors.insert(anchor(line.trim_start_matches('#')));
        }
    }
    anchors
}

#[test]
fn every_relative_link_of_the_docs_leads_to_a_file_and_heading_that_exist() {
    let pages = pages();
    assert!(pages.len() >= 10, "README.md and the docs/ pages");
    let mut checked = 0;
    for page in &pages {
        let mut rest = page.text.as_str();
        while let Some(at) = rest.find("](") {
            rest = &rest[at + 2..];
            let end = rest.find(')').expect("a link ends");
            let target = &rest[..end];
            if target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            let (file, fragment) = target.split_once('#').unwrap_or((target, ""));
            let path = if file.is_empty() {
                root().join(&page.path)
            } else {
                root()
                    .join(page.path.parent().expect("a directory"))
                    .join(file)
            };
            assert!(
                path.exists(),
                "{}: `{target}`: no such file",
                page.path.display()
            );
            if !fragment.is_empty() {
                let text = std::fs::read_to_string(&path).expect("the linked page reads");
                assert!(
                    anchors(&text).contains(fragment),
                    "{}: `{target}`: no such heading",
                    page.path.display()
                );
            }
            checked += 1;
        }
    }
    assert!(
        checked >= 10,
        "the pages link to each other: {checked} links found"
    );
}

#[test]
fn the_shell_words_of_the_examples_split_as_a_shell_splits_them() {
    assert_eq!(
        words(r#"curl -s -H 'A: b c' -d '{"q":"{ x }"}' "a \"b\"" c"#),
        [
            "curl",
            "-s",
            "-H",
            "A: b c",
            "-d",
            r#"{"q":"{ x }"}"#,
            r#"a "b""#,
            "c"
        ]
    );
    assert_eq!(
        strip_comment("ropa backup -o x.json   # every one"),
        "ropa backup -o x.json   "
    );
    assert_eq!(strip_comment("curl 'http://h/#x'"), "curl 'http://h/#x'");
    assert_eq!(
        anchor("Backups, and moving from SQLite to PostgreSQL"),
        "backups-and-moving-from-sqlite-to-postgresql"
    );
}

/// The names of the fields of the document types of `src/service/import.rs` (`Document` and every
/// `…Doc`), read from the source, so that a field added there must be described here.
fn document_fields() -> Vec<(String, String)> {
    let source = std::fs::read_to_string(root().join("src/service/import.rs"))
        .expect("src/service/import.rs");
    let mut fields = Vec::new();
    let mut current: Option<String> = None;
    for line in source.lines() {
        if let Some(name) = line
            .strip_prefix("pub struct ")
            .and_then(|rest| rest.strip_suffix(" {"))
        {
            current = (name == "Document" || name.ends_with("Doc")).then(|| name.to_owned());
        } else if line == "}" {
            current = None;
        } else if let (Some(name), Some(field)) = (&current, line.trim().strip_prefix("pub ")) {
            let field = field.split(':').next().expect("a field name");
            fields.push((name.clone(), field.to_owned()));
        }
    }
    fields
}

#[test]
fn the_import_format_page_describes_every_field_and_closed_value_of_a_document() {
    use sea_orm::Iterable;
    let page = std::fs::read_to_string(root().join("docs/import-format.md")).expect("the page");
    let fields = document_fields();
    assert!(
        fields.len() > 80,
        "the document types have their fields: {fields:?}"
    );
    for (name, field) in fields {
        assert!(
            page.contains(&format!("`{field}`")),
            "docs/import-format.md does not describe `{field}` of {name}"
        );
    }
    /// How a document writes each value of a closed type.
    fn written<T: Iterable + serde::Serialize>() -> Vec<String> {
        T::iter()
            .map(|v| {
                json!(v)
                    .as_str()
                    .expect("a closed value is written as a string")
                    .to_owned()
            })
            .collect()
    }
    let closed = [
        written::<entity::LegalBasis>(),
        written::<entity::SpecialCategoryCondition>(),
        written::<entity::TransferMechanism>(),
        written::<entity::DataCategoryKind>(),
        written::<entity::SourceKind>(),
        written::<entity::RecipientKind>(),
        written::<entity::PartyKind>(),
        written::<entity::SecurityMeasureKind>(),
        written::<entity::RegisterKind>(),
        written::<entity::RegisterStatus>(),
        written::<entity::ProvisionRequirement>(),
        written::<entity::ProcessingRole>(),
        written::<entity::DpiaStatus>(),
    ]
    .concat();
    for value in closed {
        assert!(
            page.contains(&format!("`{value}`")),
            "docs/import-format.md does not list `{value}`"
        );
    }
    for language in entity::SUPPORTED_LANGUAGES {
        assert!(
            page.contains(&format!("`{language}`")),
            "the language `{language}`"
        );
    }
}

#[test]
fn the_checks_page_counts_the_rules_there_are() {
    let page = std::fs::read_to_string(root().join("docs/checks.md")).expect("the page");
    let count = format!("{} rules", ropa::checks::RULES.len());
    assert!(
        page.contains(&count),
        "docs/checks.md says how many rules there are: {count}"
    );
}
