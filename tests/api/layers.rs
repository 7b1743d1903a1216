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

/// The top-level modules of `src/` each one names (`crate::x`), leaving out tests and comments.
fn module_graph(
    root: &Path,
) -> std::collections::BTreeMap<String, std::collections::BTreeSet<String>> {
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    let mut graph = std::collections::BTreeMap::<String, std::collections::BTreeSet<String>>::new();
    for file in &files {
        let relative = file
            .strip_prefix(root.join("src"))
            .expect("a file under src/");
        let top = relative
            .components()
            .next()
            .and_then(|c| c.as_os_str().to_str())
            .map(|name| name.trim_end_matches(".rs").to_owned())
            .expect("a module name");
        if top == "lib" || top == "main" {
            continue;
        }
        let source = std::fs::read_to_string(file).expect("a readable source file");
        let code = source.split("#[cfg(test)]").next().unwrap_or_default();
        let names = graph.entry(top.clone()).or_default();
        for line in code.lines() {
            let line = line.split("//").next().unwrap_or_default();
            for (at, _) in line.match_indices("crate::") {
                let name: String = line[at + "crate::".len()..]
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_' || c.is_ascii_digit())
                    .collect();
                if !name.is_empty() && name != top {
                    names.insert(name);
                }
            }
        }
    }
    let modules: std::collections::BTreeSet<String> = graph.keys().cloned().collect();
    for names in graph.values_mut() {
        names.retain(|n| modules.contains(n));
    }
    graph
}

/// A path from `from` back to itself, if one exists.
fn circle(
    graph: &std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
    from: &str,
) -> Option<Vec<String>> {
    let mut stack = vec![(from.to_owned(), vec![from.to_owned()])];
    let mut seen = std::collections::BTreeSet::new();
    while let Some((node, path)) = stack.pop() {
        for next in graph.get(&node).into_iter().flatten() {
            if next == from {
                let mut path = path.clone();
                path.push(next.clone());
                return Some(path);
            }
            if seen.insert(next.clone()) {
                let mut path = path.clone();
                path.push(next.clone());
                stack.push((next.clone(), path));
            }
        }
    }
    None
}

#[test]
fn no_module_of_the_service_imports_one_that_imports_it_back() {
    let graph = module_graph(Path::new(env!("CARGO_MANIFEST_DIR")));
    assert!(
        graph.len() > 20 && graph.contains_key("service") && graph.contains_key("graphql"),
        "{graph:?}"
    );
    let circles: Vec<String> = graph
        .keys()
        .filter_map(|module| circle(&graph, module))
        .map(|path| path.join(" → "))
        .collect();
    assert!(
        circles.is_empty(),
        "import circles between modules:\n{}",
        circles.join("\n")
    );
}

#[test]
fn the_circle_check_finds_a_circle() {
    let graph: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> = [
        ("audit", &["write"][..]),
        ("write", &["links"][..]),
        ("links", &["audit"][..]),
        ("ids", &[][..]),
    ]
    .into_iter()
    .map(|(m, names)| {
        (
            m.to_owned(),
            names.iter().map(|n| (*n).to_owned()).collect(),
        )
    })
    .collect();
    assert_eq!(
        circle(&graph, "audit"),
        Some(vec![
            "audit".into(),
            "write".into(),
            "links".into(),
            "audit".into()
        ])
    );
    assert_eq!(circle(&graph, "ids"), None);
}
