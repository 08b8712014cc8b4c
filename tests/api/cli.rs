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

// ---- backup, restore, --version (issue 23) ----

/// `agentgate ARGS` with DATABASE_URL (and nothing else of the test's environment), run off the async threads.
async fn agentgate_on(database_url: &str, args: &[&str]) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    let env = vec![("DATABASE_URL", database_url.to_owned())];
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        agentgate_with(dir.path(), &args, "", &env)
    })
    .await
    .unwrap()
}

fn agents_in(file: &std::path::Path) -> Vec<String> {
    use agentgate::db::schema::agents;
    use diesel::prelude::*;
    let mut conn = SqliteConnection::establish(file.to_str().unwrap()).expect("the backup opens as SQLite");
    agents::table.select(agents::email).order(agents::email).load(&mut conn).unwrap()
}

#[tokio::test]
async fn backup_copies_a_database_in_use_during_logins_and_never_overwrites() {
    use crate::helpers::{location, login_with, new_browser, on_postgres, spawn_app};
    use agentgate::domain::Role;

    let app = spawn_app().await;
    let admin = app.complete_setup().await;
    let mut emails = vec![admin.clone()];
    for n in 0..4 {
        let email = format!("agent{n}@acme.test");
        app.add_agent(&admin, &format!("Agent {n}"), &email, Role::Agent).await;
        emails.push(email);
    }
    let out_dir = tempfile::tempdir().unwrap();
    let file = out_dir.path().join("backup.sqlite3");
    let file_arg = file.display().to_string();

    if on_postgres() {
        let (code, out) = agentgate_on(&app.database_url, &["backup", "--to", &file_arg]).await;
        assert_eq!(code, 1, "{out}");
        assert!(out.contains(&format!("pg_dump --format=custom --file '{file_arg}' '{}'", app.database_url)), "{out}");
        assert_eq!(out.trim().lines().count(), 1, "{out}");
        assert!(!file.exists(), "nothing is made on PostgreSQL");
        return;
    }

    // Five logins (each a few writes) while the backup runs.
    let logins = futures_util::future::join_all(emails.iter().map(|email| {
        let address = app.address.clone();
        async move {
            let browser = new_browser();
            let response = login_with(&browser, &address, email, PASSWORD).await;
            (response.status().as_u16(), location(&response))
        }
    }));
    let backup_args = ["backup", "--to", file_arg.as_str()];
    let backup = agentgate_on(&app.database_url, &backup_args);
    let ((code, out), answers) = tokio::join!(backup, logins);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("(5 agents"), "{out}");
    assert!(out.contains("The server secret is not in the backup"), "{out}");
    for answer in answers {
        assert_eq!(answer, (303, "/".to_owned()), "logins are served during the backup");
    }
    let mut expected = emails.clone();
    expected.sort();
    assert_eq!(agents_in(&file), expected);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600, "the copy holds password hashes");
    }

    // An existing file is never overwritten.
    let before = std::fs::read(&file).unwrap();
    let (code, out) = agentgate_on(&app.database_url, &["backup", "--to", &file_arg]).await;
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("already exists"), "{out}");
    assert_eq!(out.trim().lines().count(), 1, "{out}");
    assert_eq!(std::fs::read(&file).unwrap(), before);
}

#[tokio::test]
async fn restore_refuses_while_a_server_holds_the_database_and_restores_when_none_does() {
    use crate::helpers::{TestDatabase, location, on_postgres, spawn_app, spawn_app_on};
    use agentgate::domain::Role;

    let app = spawn_app().await;
    if on_postgres() {
        let (code, out) = agentgate_on(&app.database_url, &["restore", "--from", "agentgate.dump"]).await;
        assert_eq!(code, 1, "{out}");
        assert!(out.contains(&format!("pg_restore --no-owner --dbname '{}' 'agentgate.dump'", app.database_url)), "{out}");
        return;
    }
    let admin = app.complete_setup().await;
    app.add_agent(&admin, "Bob Agent", "bob@acme.test", Role::Agent).await;
    let out_dir = tempfile::tempdir().unwrap();
    let file = out_dir.path().join("backup.sqlite3");
    let file_arg = file.display().to_string();
    let (code, out) = agentgate_on(&app.database_url, &["backup", "--to", &file_arg]).await;
    assert_eq!(code, 0, "{out}");

    // The running server holds the database: nothing is touched.
    let (code, out) = agentgate_on(&app.database_url, &["restore", "--from", &file_arg]).await;
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("a running AgentGate server uses"), "{out}");
    assert_eq!(out.trim().lines().count(), 1, "{out}");
    assert!(!std::path::Path::new(&format!("{}.pre-restore", app.database_url)).exists());

    // Not an AgentGate database: bad input, exit 2.
    let stranger = out_dir.path().join("other.sqlite3");
    {
        use diesel::connection::SimpleConnection;
        use diesel::prelude::*;
        SqliteConnection::establish(stranger.to_str().unwrap()).unwrap().batch_execute("CREATE TABLE notes (body TEXT)").unwrap();
    }
    let fresh = TestDatabase::create();
    let (code, out) = agentgate_on(&fresh.url, &["restore", "--from", stranger.to_str().unwrap()]).await;
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("is not an AgentGate database: it has no agents table"), "{out}");
    let (code, out) = agentgate_on(&fresh.url, &["restore", "--from", &out_dir.path().join("missing").display().to_string()]).await;
    assert_eq!(code, 2, "{out}");

    // No server on a fresh database: restored, and it serves the same agents.
    let (code, out) = agentgate_on(&fresh.url, &["restore", "--from", &file_arg]).await;
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("(2 agents)"), "{out}");
    let restored = spawn_app_on(fresh, Vec::new()).await;
    assert!(restored.setup_link.is_none(), "the restored database has its company");
    for email in [admin.as_str(), "bob@acme.test"] {
        let response = restored.login(email, PASSWORD).await;
        assert_eq!((response.status().as_u16(), location(&response)), (303, "/".to_owned()), "{email} signs in");
        restored.submit_form("/", "/logout", &[]).await;
    }
    // And now that server holds the restored one.
    let (code, out) = agentgate_on(&restored.database_url, &["restore", "--from", &file_arg]).await;
    assert_eq!(code, 1, "{out}");
}

#[test]
fn include_secret_copies_the_secret_file_beside_the_backup_and_restore_installs_it() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let (code, out) = agentgate(dir, &["create-admin", "--company", "Acme", "--name", "Ada Admin", "--email", "ada@acme.test"], &format!("{PASSWORD}\n"));
    assert_eq!(code, 0, "{out}");
    let secret = std::fs::read(dir.join("secret.key")).expect("the first run wrote the secret file");

    let file = dir.join("backups").join("b.sqlite3");
    std::fs::create_dir(dir.join("backups")).unwrap();
    let (code, out) = agentgate(dir, &["backup", "--to", "backups/b.sqlite3", "--include-secret"], "");
    assert_eq!(code, 0, "{out}");
    let copy = dir.join("backups").join("b.sqlite3.secret");
    assert_eq!(std::fs::read(&copy).unwrap(), secret);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&copy).unwrap().permissions().mode() & 0o777, 0o600);
    }
    assert_eq!(agents_in(&file), vec!["ada@acme.test".to_owned()]);

    // A secret given in the environment is not written out.
    let env = [("AGENTGATE_SECRET_KEY", BASE64_KEY.to_owned())];
    let (code, out) = agentgate_with(dir, &["backup", "--to", "backups/c.sqlite3", "--include-secret"], "", &env);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("AGENTGATE_SECRET_KEY"), "{out}");
    assert!(!dir.join("backups").join("c.sqlite3.secret").exists());

    // Restored into a fresh directory, the backup's secret comes along.
    let env = [("DATABASE_URL", dir.join("restored").join("agentgate.sqlite3").display().to_string())];
    let (code, out) = agentgate_with(dir, &["restore", "--from", "backups/b.sqlite3"], "", &env);
    assert_eq!(code, 0, "{out}");
    assert_eq!(std::fs::read(dir.join("restored").join("secret.key")).unwrap(), secret);
    assert_eq!(agents_in(&dir.join("restored").join("agentgate.sqlite3")), vec!["ada@acme.test".to_owned()]);
    let (code, out) = agentgate_with(dir, &["deactivate", "--email", "ada@acme.test"], "", &env);
    assert_eq!(code, 0, "the restored database is usable: {out}");
}

#[test]
fn version_names_the_commit_it_was_built_from() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out) = agentgate(dir.path(), &["--version"], "");
    assert_eq!(code, 0, "{out}");
    let commit = env!("AGENTGATE_GIT_COMMIT");
    assert_eq!(out.trim(), format!("agentgate {} ({commit})", env!("CARGO_PKG_VERSION")));
    let git = |args: &[&str]| Command::new("git").args(args).current_dir(env!("CARGO_MANIFEST_DIR")).output().ok().filter(|o| o.status.success());
    if git(&["rev-parse", "HEAD"]).is_some() {
        // Built in a checkout: the commit is real (HEAD may have moved on since the build).
        assert!(commit.len() >= 7 && commit.chars().all(|c| c.is_ascii_hexdigit()), "{commit}");
        assert!(git(&["cat-file", "-e", &format!("{commit}^{{commit}}")]).is_some(), "{commit} is a commit of this repository");
    }
}

#[tokio::test]
async fn healthz_names_the_version_in_a_header_and_keeps_its_body() {
    let app = crate::helpers::spawn_app().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), 200);
    let version = response.headers()["x-agentgate-version"].to_str().unwrap().to_owned();
    assert_eq!(version, format!("{} ({})", env!("CARGO_PKG_VERSION"), env!("AGENTGATE_GIT_COMMIT")));
    assert_eq!(response.text().await.unwrap(), "ok");
}
