//! The CLI, run as the real binary against a fresh SQLite file.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::helpers::PASSWORD;

fn agentgate(dir: &std::path::Path, args: &[&str], stdin: &str) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_agentgate"))
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("DATABASE_URL", dir.join("cli.sqlite3"))
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    (output.status.code().unwrap_or(-1), text)
}

#[test]
fn create_admin_and_deactivate_follow_the_exit_code_contract() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let create = ["create-admin", "--company", "Acme", "--name", "Ada Admin", "--email", "ada@acme.test"];

    let (code, out) = agentgate(dir, &create, &format!("{PASSWORD}\n"));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Created the company"), "{out}");

    let (code, out) = agentgate(dir, &create, &format!("{PASSWORD}\n"));
    assert_eq!(code, 2, "an email in use is bad input: {out}");
    assert_eq!(out.trim().lines().count(), 1, "one-line message: {out}");

    let (code, out) = agentgate(dir, &["create-admin", "--company", "Acme", "--name", "Bo", "--email", "bo@acme.test"], "short\n");
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("at least 15 characters"), "{out}");

    let (code, out) = agentgate(dir, &["create-admin", "--company", "Acme", "--name", "Bo", "--email", "not-an-email"], &format!("{PASSWORD}\n"));
    assert_eq!(code, 2, "{out}");

    let (code, out) = agentgate(dir, &["create-admin", "--company", "Acme", "--name", "Bo Second", "--email", "bo@acme.test"], &format!("{PASSWORD}\n"));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("existing company"), "{out}");

    let (code, out) = agentgate(dir, &["deactivate", "--email", "bo@acme.test"], "");
    assert_eq!(code, 0, "{out}");
    let (code, _) = agentgate(dir, &["deactivate", "--email", "nobody@acme.test"], "");
    assert_eq!(code, 2);

    let (code, _) = agentgate(dir, &["no-such-command"], "");
    assert_eq!(code, 2);
    let (code, out) = agentgate(dir, &["migrate"], "");
    assert_eq!(code, 0, "{out}");
}

#[test]
fn bad_configuration_names_the_variable() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_agentgate"))
        .arg("migrate")
        .current_dir(dir.path())
        .env_clear()
        .env("AGENTGATE_BIND", "nonsense")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("AGENTGATE_BIND"));
}

#[test]
fn an_unreachable_database_stops_the_start_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_agentgate"))
        .arg("migrate")
        .current_dir(dir.path())
        .env_clear()
        .env("DATABASE_URL", "postgres://nobody@127.0.0.1:1/none")
        .env("AGENTGATE_DB_TIMEOUT_SECONDS", "1")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("database"), "{stderr}");
}
