//! The layers keep to their jobs: the edges (GraphQL resolvers, HTTP routes, the CLI) read their
//! input, call the service layer (`src/service/`) and convert its answer. None of them queries
//! the database, opens a transaction, writes, records an audit event or sends a change
//! notification by itself; that happens in `src/service/` and below it (`src/storage/`,
//! `src/write.rs`, ...).

use std::path::{Path, PathBuf};

/// The modules of the edges.
const EDGES: &[&str] = &[
    "src/graphql",
    "src/app.rs",
    "src/server.rs",
    "src/cli.rs",
    "src/main.rs",
    "src/exports.rs",
    "src/guard.rs",
];

/// What only the service and storage layers may do, each with what it is.
const FORBIDDEN: &[(&str, &str)] = &[
    ("Entity::find", "a query"),
    ("find_by_id(", "a query"),
    ("::find()", "a query"),
    ("of_organisation(", "a query"),
    (".all(&", "a query"),
    (".one(&", "a query"),
    (".count(&", "a query"),
    ("query_all(", "raw SQL"),
    ("query_one(", "raw SQL"),
    ("Statement::", "raw SQL"),
    ("sea_query::Query", "raw SQL"),
    (".exec(", "a write"),
    ("exec_without_returning", "a write"),
    ("execute_unprepared", "raw SQL"),
    ("insert_many(", "a write"),
    ("Write::begin", "a transaction"),
    ("TransactionTrait", "a transaction"),
    (".begin()", "a transaction"),
    ("write::insert", "a write"),
    ("write::update", "a write"),
    ("write::delete", "a write"),
    ("write::find", "a read inside a write"),
    ("store_links", "a write"),
    ("audit::record", "an audit event"),
    (".record(", "an audit event"),
    ("changes::notify", "a change notification"),
    (".notify(", "a change notification"),
    ("pg_notify", "a change notification"),
];

fn rust_files(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(path)
            .expect("a readable directory")
            .map(|e| e.expect("a directory entry").path())
            .collect();
        entries.sort();
        for entry in entries {
            rust_files(&entry, out);
        }
    } else if path.extension().is_some_and(|e| e == "rs") {
        out.push(path.to_owned());
    }
}

/// Each forbidden call in `source`, as `line: what (pattern)`; comments are not code.
fn violations(source: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (number, line) in source.lines().enumerate() {
        let code = line.split("//").next().unwrap_or_default();
        for (pattern, what) in FORBIDDEN {
            if code.contains(pattern) {
                found.push(format!("{}: {what} (`{pattern}`)", number + 1));
            }
        }
    }
    found
}

#[test]
fn the_edges_call_the_service_layer_and_never_the_database_the_audit_trail_or_the_notifications() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for edge in EDGES {
        rust_files(&root.join(edge), &mut files);
    }
    assert!(
        files.len() > 20,
        "the edge modules are where this test looks: {files:?}"
    );
    let mut found = Vec::new();
    for file in &files {
        let source = std::fs::read_to_string(file).expect("a readable source file");
        for violation in violations(&source) {
            found.push(format!(
                "{}:{violation}",
                file.strip_prefix(root).unwrap_or(file).display()
            ));
        }
    }
    assert!(
        found.is_empty(),
        "these belong in a function of src/service/ (or below it, in src/storage/), called by the edge:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_check_finds_each_kind_of_call_and_ignores_comments() {
    let source = "let rows = entity::party::Entity::find().all(&db).await?;\n\
                  // Entity::find() in a comment is not code\n\
                  let w = Write::begin(&db, &gate, author).await?;\n\
                  crate::audit::record(&txn, author, event).await?;\n\
                  state.write_gate.changes.notify(change);\n\
                  let fine = service::graph::update(actor, &id, 1, change).await?;";
    let found = violations(source);
    assert!(
        found.iter().any(|v| v.starts_with("1: a query")),
        "{found:?}"
    );
    assert!(!found.iter().any(|v| v.starts_with("2:")), "{found:?}");
    assert!(
        found.iter().any(|v| v.starts_with("3: a transaction")),
        "{found:?}"
    );
    assert!(
        found.iter().any(|v| v.starts_with("4: an audit event")),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|v| v.starts_with("5: a change notification")),
        "{found:?}"
    );
    assert!(!found.iter().any(|v| v.starts_with("6:")), "{found:?}");
}
