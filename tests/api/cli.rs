//! The command line's habits: exit codes, a database that must exist, a closed pipe, colour.

use std::process::{Command, Stdio};

use crate::backend_test;
use crate::helpers::TestApp;

/// An export of organisation `acme` to standard output.
const EXPORT: [&str; 8] = [
    "export",
    "art30",
    "--organisation",
    "acme",
    "--format",
    "csv",
    "-o",
    "-",
];

/// The binary with `args`, its own environment cleared of the service's variables.
fn ropa(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ropa"));
    command
        .args(args)
        .env_remove("ROPA_DATABASE_URL")
        .env_remove("ROPA_LOG")
        .env_remove("NO_COLOR");
    command
}

/// Runs `command`; returns the exit code, stdout and stderr.
fn run(command: &mut Command) -> (i32, String, String) {
    let output = command.output().expect("the binary runs");
    (
        output.status.code().expect("an exit code"),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn commands_that_read_a_database_refuse_a_missing_sqlite_file_and_create_none() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("missing.db");
    let url = format!("sqlite://{}", file.display());
    for (args, expected) in [
        (&["check", "--organisation", "acme"][..], 2),
        (
            &["notice", "--organisation", "acme", "--register", "r"][..],
            1,
        ),
        (&EXPORT[..], 1),
        (&["token", "list"][..], 1),
        (
            &[
                "token",
                "create",
                "--organisation",
                "acme",
                "--role",
                "viewer",
                "--name",
                "x",
            ][..],
            1,
        ),
        (&["backup", "-o", "-"][..], 1),
    ] {
        let (code, out, err) = run(ropa(args).args(["--database-url", &url]));
        assert_eq!(code, expected, "{args:?}: {err}");
        assert_eq!(out, "", "{args:?}");
        assert!(
            err.contains("no database at") && err.contains("missing.db"),
            "{args:?}: {err}"
        );
        assert!(!file.exists(), "{args:?} created the database");
    }
    // A bare path is a SQLite file too.
    let (code, _, err) = run(&mut ropa(&[
        "token",
        "list",
        "--database-url",
        file.to_str().unwrap(),
    ]));
    assert_eq!(code, 1, "{err}");
    assert!(!file.exists());
}

#[test]
fn usage_errors_exit_with_2_and_failures_with_1() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("ropa.db").display());
    for args in [
        &["no-such-command"][..],
        &["check"][..],
        &["check", "--organisation", "acme", "--format", "xml"][..],
        &[
            "notice",
            "--organisation",
            "a",
            "--register",
            "r",
            "--lang",
            "de",
        ][..],
        &[
            "export",
            "art30",
            "--organisation",
            "a",
            "--format",
            "pdf",
            "-o",
            "-",
        ][..],
        &[
            "token",
            "create",
            "--organisation",
            "a",
            "--role",
            "owner",
            "--name",
            "x",
        ][..],
        &["init", "--name", "Acme Oy"][..],
    ] {
        let (code, out, err) = run(ropa(args).args(["--database-url", &url]));
        assert_eq!(code, 2, "{args:?}: {err}");
        assert_eq!(out, "", "{args:?}");
        assert!(!err.is_empty(), "{args:?} says why");
    }
    // A database that exists, and a command that fails on it.
    let init = ["init", "--organisation", "acme", "--name", "Acme Oy"];
    assert_eq!(run(ropa(&init).args(["--database-url", &url])).0, 0);
    let (code, _, err) = run(ropa(&init).args(["--database-url", &url]));
    assert_eq!(code, 1, "{err}");
    let (code, _, err) = run(&mut ropa(&[
        "token",
        "revoke",
        "tok_nope",
        "--database-url",
        &url,
    ]));
    assert_eq!(code, 1, "{err}");
    // A malformed export option is a usage error; a register that does not exist, a failure.
    let export = EXPORT;
    let (code, _, err) = run(ropa(&export).args(["--as-of", "last week", "--database-url", &url]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--as-of"), "{err}");
    let (code, _, err) = run(ropa(&export).args(["--register", "nope", "--database-url", &url]));
    assert_eq!(code, 1, "{err}");
}

#[test]
fn logs_on_standard_error_carry_no_colour_codes_when_it_is_not_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("ropa.db").display());
    let (code, _, err) = run(ropa(&[
        "init",
        "--organisation",
        "acme",
        "--name",
        "Acme Oy",
        "--database-url",
        &url,
    ])
    .env("ROPA_LOG", "info"));
    assert_eq!(code, 0, "{err}");
    assert!(!err.is_empty(), "the log says something");
    assert!(!err.contains('\u{1b}'), "{err:?}");
}

/// Runs `args` with standard output a pipe closed before anything is written to it.
fn with_closed_stdout(args: &[&str]) -> (i32, String) {
    let mut child = ropa(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    drop(child.stdout.take());
    let output = child.wait_with_output().expect("it ends");
    (
        output.status.code().expect("an exit code, not a signal"),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

backend_test! {
    async fn a_closed_pipe_ends_a_command_quietly_and_check_still_gives_its_verdict(backend) {
        let app = TestApp::with_demo(backend).await;
        let url = app.url.as_str();
        // The demo has open error-level findings: the verdict is 1, whoever reads the report.
        let (code, err) = with_closed_stdout(&["check", "--organisation", "puuha", "--database-url", url]);
        assert_eq!(code, 1, "{err}");
        assert!(!err.contains("panicked") && !err.contains("Broken pipe"), "{err}");
        for args in [
            &["token", "list", "--database-url", url][..],
            &["notice", "--organisation", "puuha", "--register", "asiakasrekisteri", "--database-url", url][..],
            &["export", "art30", "--organisation", "puuha", "--format", "csv", "-o", "-", "--database-url", url][..],
        ] {
            let (code, err) = with_closed_stdout(args);
            assert_eq!(code, 0, "{args:?}: {err}");
            assert_eq!(err, "", "{args:?}");
        }
    }
}
