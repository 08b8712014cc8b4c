//! The CLI, run as the real binary against a fresh SQLite file.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::helpers::PASSWORD;

fn agentgate(dir: &std::path::Path, args: &[&str], stdin: &str) -> (i32, String) {
    agentgate_with(dir, args, stdin, &[])
}

fn agentgate_with(dir: &std::path::Path, args: &[&str], stdin: &str, env: &[(&str, String)]) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_agentgate"))
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("DATABASE_URL", dir.join("cli.sqlite3"))
        .env("RUST_LOG", "warn")
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
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

#[test]
fn reset_two_factor_turns_it_off_forgets_trusted_computers_and_is_recorded() {
    use agentgate::db::schema::{agents, audit_events, outbox, trusted_computers};
    use diesel::prelude::*;

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    let (code, out) = agentgate(path, &["create-admin", "--company", "Acme", "--name", "Ada Admin", "--email", "ada@acme.test"], &format!("{PASSWORD}\n"));
    assert_eq!(code, 0, "{out}");

    // Arrange: 2FA on and one trusted computer.
    let mut conn = SqliteConnection::establish(path.join("cli.sqlite3").to_str().unwrap()).unwrap();
    let now = chrono::Utc::now().naive_utc();
    let agent_id: String = agents::table.select(agents::id).first(&mut conn).unwrap();
    diesel::update(agents::table).set(agents::two_factor.eq("enabled")).execute(&mut conn).unwrap();
    diesel::insert_into(trusted_computers::table)
        .values((
            trusted_computers::id.eq("tc1"),
            trusted_computers::agent_id.eq(&agent_id),
            trusted_computers::token_hash.eq("hash"),
            trusted_computers::label.eq("Firefox on Linux"),
            trusted_computers::ip.eq("127.0.0.1"),
            trusted_computers::created_at.eq(now),
            trusted_computers::last_used_at.eq(now),
            trusted_computers::expires_at.eq(now + chrono::Duration::days(30)),
        ))
        .execute(&mut conn)
        .unwrap();

    let (code, out) = agentgate(path, &["reset-two-factor", "--email", "ADA@acme.test"], "");
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Two-factor authentication is off for ada@acme.test"), "{out}");
    let status: String = agents::table.select(agents::two_factor).first(&mut conn).unwrap();
    assert_eq!(status, "disabled");
    let trusted: i64 = trusted_computers::table.count().get_result(&mut conn).unwrap();
    assert_eq!(trusted, 0);
    let events: Vec<(String, Option<String>)> = audit_events::table.select((audit_events::event, audit_events::detail)).load(&mut conn).unwrap();
    assert!(events.contains(&("two_factor_reset".to_owned(), Some("via the command line".to_owned()))), "{events:?}");
    let notices: Vec<String> = outbox::table.select(outbox::subject).load(&mut conn).unwrap();
    assert_eq!(notices, vec!["AgentGate: your two-factor authentication was reset".to_owned()], "the agent is told (by the next server run)");

    let (code, out) = agentgate(path, &["reset-two-factor", "--email", "nobody@acme.test"], "");
    assert_eq!(code, 2, "{out}");
    assert_eq!(out.trim().lines().count(), 1, "{out}");
    let (code, _) = agentgate(path, &["reset-two-factor", "--email", "not an email"], "");
    assert_eq!(code, 2);
}

#[test]
fn check_mail_sends_a_test_email_or_says_in_one_line_why_not() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let smtp = crate::mail_server::TestSmtp::start();
    let env: Vec<(&str, String)> = smtp.env().into_iter().collect();
    let (code, out) = agentgate_with(dir, &["check-mail", "--to", "ops@acme.test"], "", &env);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("sent a test email to ops@acme.test through SMTP to 127.0.0.1"), "{out}");
    assert_eq!(smtp.count(), 1);
    assert!(smtp.all()[0].to.iter().any(|to| to.contains("ops@acme.test")));

    // Nothing listens there: exit 1, one line naming what to check.
    let port = crate::mail_server::free_port();
    let env = vec![
        ("AGENTGATE_MAIL", "smtp".to_owned()),
        ("SMTP_URL", format!("smtp://127.0.0.1:{port}")),
        ("MAIL_FROM", "AgentGate <no-reply@acme.test>".to_owned()),
    ];
    let (code, out) = agentgate_with(dir, &["check-mail", "--to", "ops@acme.test"], "", &env);
    assert_eq!(code, 1, "{out}");
    assert_eq!(out.trim().lines().count(), 1, "{out}");
    assert!(out.contains("check the host and port in SMTP_URL"), "{out}");

    let (code, out) = agentgate(dir, &["check-mail", "--to", "ops@acme.test"], "");
    assert_eq!(code, 2, "the dev mailbox sends nothing: {out}");
    let (code, _) = agentgate_with(dir, &["check-mail", "--to", "not an address"], "", &env);
    assert_eq!(code, 2);
}


#[test]
fn a_database_that_cannot_be_opened_names_database_url() {
    let dir = tempfile::tempdir().unwrap();
    // No one can create a directory under /proc, root included.
    let env = [("DATABASE_URL", "/proc/agentgate-nowhere/agentgate.sqlite3".to_owned()), ("AGENTGATE_SECRET_KEY", BASE64_KEY.to_owned())];
    let (code, out) = agentgate_with(dir.path(), &["migrate"], "", &env);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("DATABASE_URL (/proc/agentgate-nowhere/agentgate.sqlite3)"), "{out}");
    assert_eq!(out.trim().lines().count(), 1, "{out}");
}

/// 64 bytes of zeros, base64: a valid AGENTGATE_SECRET_KEY for a test that
/// must not write `secret.key` beside an unusable database path.
const BASE64_KEY: &str = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
