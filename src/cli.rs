//! The command line of SPEC §5. Exit status: 0 success, 2 bad arguments or
//! input, 1 any other failure, always with a one-line message.

use std::io::{BufRead, IsTerminal};
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};

use crate::auth::accounts::{self, AccountError, AdminPlacement, NewAdmin};
use crate::auth::password::hash_blocking;
use crate::auth::two_factor;
use crate::clock::{Clock, SystemClock};
use crate::config::{Backend, Config, Env, MailTransportKind, ProcessEnv};
use crate::db::backup::BackupError;
use crate::i18n::{self, Language, Tr, arg, t, t1, t2};
use crate::mail::messages::{self, Recipient};
use crate::mail::outbox::OutboxRow;
use crate::mail::transport::{Mailer, describe};
use crate::domain::{CompanyName, EmailAddress, NewPassword, PersonName};
use crate::startup::{Application, connect_and_migrate};

mod manual;

#[derive(Debug, Parser)]
#[command(name = "agentgate", version = crate::config::VERSION, about = "Sign-in with email two-factor authentication for a helpdesk")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server (the default); applies pending migrations first.
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Create a company and its first admin, or add an admin to the company of that name.
    /// The password is read from standard input (one line) or prompted for on a terminal.
    CreateAdmin {
        /// The company's name (created when no company has it).
        #[arg(long)]
        company: String,
        /// The admin's full name.
        #[arg(long)]
        name: String,
        /// The admin's email address, their login.
        #[arg(long)]
        email: String,
    },
    /// Turn two-factor authentication off for an agent and forget their trusted
    /// computers (for an agent, or the last admin, locked out). Also lifts a code lock-out.
    ResetTwoFactor {
        /// The agent's email address.
        #[arg(long)]
        email: String,
    },
    /// Deactivate an agent and end all their sessions.
    Deactivate {
        /// The agent's email address.
        #[arg(long)]
        email: String,
    },
    /// Send a test email through the configured transport (AGENTGATE_MAIL,
    /// SMTP_URL, MAIL_FROM) and say in one line what worked or what failed.
    CheckMail {
        /// Where the test email goes.
        #[arg(long)]
        to: String,
    },
    /// Copy the SQLite database into FILE while the server runs (a consistent
    /// copy, made with SQLite's VACUUM INTO; it does not stop the server's writes).
    ///
    /// FILE must not exist (nothing is overwritten) and is created readable by
    /// its owner only: it holds password hashes. The server secret is not in the
    /// database but in AGENTGATE_SECRET_KEY or the secret.key file beside it, so
    /// the copy holds no secret unless --include-secret. Without that secret,
    /// a restored database still signs agents in with their passwords, but
    /// sessions, trusted computers, authenticator apps and recovery codes no
    /// longer work. On PostgreSQL it makes nothing, prints the pg_dump command
    /// to use, and exits 1.
    Backup {
        /// The backup file to create.
        #[arg(long, value_name = "FILE")]
        to: PathBuf,
        /// Also copy the secret file (secret.key) to FILE.secret, mode 0600. A
        /// secret given in AGENTGATE_SECRET_KEY is not written out: keep it
        /// where that variable is set.
        #[arg(long)]
        include_secret: bool,
    },
    /// Replace the SQLite database of DATABASE_URL with a backup made by
    /// `agentgate backup`, after checking that FILE is an intact AgentGate
    /// database. Refuses while a server uses the database: stop every
    /// instance first. The replaced database is kept as <database>.pre-restore.
    /// A FILE.secret beside the backup is installed as the secret file when
    /// there is none yet. On PostgreSQL it prints the pg_restore command and exits 1.
    Restore {
        /// The backup file to restore.
        #[arg(long, value_name = "FILE")]
        from: PathBuf,
    },
    /// Fill a demo or benchmark database with a company of N made-up agents.
    /// Refuses a database that already holds a company unless --force.
    SeedDemo {
        /// The name of the company to create.
        #[arg(long)]
        company: String,
        /// How many agents to make (at most 1,000,000).
        #[arg(long)]
        agents: usize,
        /// Add the agents even though the database already holds companies.
        #[arg(long)]
        force: bool,
    },
    /// Print the manual page agentgate(1), in roff (scripts/package gzips it into the package).
    #[command(hide = true)]
    Manpage,
    /// Print the completion script of a shell (bash, zsh, fish, elvish, powershell).
    #[command(hide = true)]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// A failed command: `Input` exits 2, `Failure` exits 1.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{0}")]
    Input(String),
    #[error("{0}")]
    Failure(String),
}

impl CliError {
    pub fn exit_code(&self) -> i32 {
        match self {
            CliError::Input(_) => 2,
            CliError::Failure(_) => 1,
        }
    }
}

impl From<AccountError> for CliError {
    fn from(error: AccountError) -> CliError {
        match error {
            AccountError::EmailInUse | AccountError::UnknownEmail | AccountError::SetupClosed => CliError::Input(error.to_string()),
            other => CliError::Failure(other.to_string()),
        }
    }
}

fn failure(e: impl std::fmt::Display) -> CliError {
    CliError::Failure(e.to_string())
}

/// `agentgate check-mail --to ADDRESS`: one email straight through the
/// transport (not the outbox), with the worker's own deadline and wording.
async fn check_mail(config: &Config, to: &str) -> Result<(), CliError> {
    let to = EmailAddress::parse(to).map_err(|e| CliError::Input(format!("--to: {e}")))?;
    if config.mail == MailTransportKind::Mailbox {
        return Err(CliError::Input(t("cli-mailbox-sends-nothing")));
    }
    let from: lettre::message::Mailbox = config.mail_from.parse().map_err(|e| CliError::Input(format!("MAIL_FROM: {e}")))?;
    let mailer = Mailer::from_config(config).map_err(failure)?;
    let transport = describe(&config.mail);
    let email = messages::check_mail(&Recipient { email: &to, name: "", tr: crate::i18n::current() }, &transport).map_err(failure)?;
    let now = SystemClock.now();
    let row = OutboxRow::sending_now(crate::domain::new_public_id(), &email, now);
    match mailer.deliver(&row, &from).await {
        Ok(()) => {
            let sent = vec![("to", arg(to.to_string())), ("transport", arg(&transport)), ("from", arg(&config.mail_from))];
            println!("{}", crate::i18n::current().tn("cli-check-mail-sent", sent));
            Ok(())
        }
        Err(e) => Err(CliError::Failure(format!("check-mail: {e}"))),
    }
}

/// Runs one command to completion, speaking the language of the environment
/// (`LC_ALL`, `LC_MESSAGES`, `LANG`).
pub async fn run(cli: Cli) -> Result<(), CliError> {
    i18n::scope(Tr::new(Language::from_environment(), chrono_tz::Tz::UTC), run_command(cli)).await
}

async fn run_command(cli: Cli) -> Result<(), CliError> {
    let command = cli.command.unwrap_or(Command::Serve);
    // These read at most DATABASE_URL and where the secret is: they must not
    // generate a secret.key, nor need the rest of the configuration.
    let command = match command {
        Command::Backup { to, include_secret } => return blocking(move || backup(&ProcessEnv, &to, include_secret)).await,
        Command::Restore { from } => return blocking(move || restore(&ProcessEnv, &from)).await,
        Command::Manpage => return manual::manpage(&mut std::io::stdout().lock()).map_err(failure),
        Command::Completions { shell } => {
            manual::completions(shell, &mut std::io::stdout().lock());
            return Ok(());
        }
        other => other,
    };
    let config = Config::from_process_env().map_err(|e| CliError::Input(t1("cli-configuration", "error", e.to_string())))?;
    match command {
        Command::Serve => serve(config).await,
        Command::Migrate => {
            connect_and_migrate(&config).await.map_err(failure)?;
            println!("{}", t("cli-database-up-to-date"));
            Ok(())
        }
        Command::CreateAdmin { company, name, email } => create_admin(config, &company, &name, &email).await,
        Command::CheckMail { to } => check_mail(&config, &to).await,
        Command::ResetTwoFactor { email } => {
            let email = EmailAddress::parse(&email).map_err(|e| CliError::Input(format!("--email: {e}")))?;
            let pool = connect_and_migrate(&config).await.map_err(failure)?.main;
            let now = SystemClock.now();
            let agent = blocking(move || {
                let mut conn = pool.get().map_err(failure)?;
                two_factor::reset_by_email(&mut conn, &config, &email, now).map_err(failure)
            })
            .await?
            .ok_or_else(|| CliError::Input(AccountError::UnknownEmail.to_string()))?;
            println!("{}", t1("cli-two-factor-reset", "email", &agent.email));
            Ok(())
        }
        Command::Deactivate { email } => {
            let email = EmailAddress::parse(&email).map_err(|e| CliError::Input(format!("--email: {e}")))?;
            let pool = connect_and_migrate(&config).await.map_err(failure)?.main;
            let now = SystemClock.now();
            let agent = blocking(move || {
                let mut conn = pool.get().map_err(failure)?;
                Ok(accounts::deactivate_by_email(&mut conn, &email, now)?)
            })
            .await?;
            println!("{}", t1("cli-deactivated", "email", &agent.email));
            Ok(())
        }
        Command::SeedDemo { company, agents, force } => seed_demo(config, &company, agents, force).await,
        Command::Backup { .. } | Command::Restore { .. } | Command::Manpage | Command::Completions { .. } => {
            unreachable!("handled before the configuration is read")
        }
    }
}

impl From<BackupError> for CliError {
    fn from(error: BackupError) -> CliError {
        match error {
            BackupError::Input(message) => CliError::Input(message),
            BackupError::Failure(message) => CliError::Failure(message),
        }
    }
}

/// `agentgate backup --to FILE [--include-secret]`.
fn backup(env: &dyn Env, to: &Path, include_secret: bool) -> Result<(), CliError> {
    let url = crate::config::database_url(env);
    if Backend::of_url(&url) == Backend::Postgres {
        let file = shell_quote(&to.display().to_string());
        let message = t2("cli-backup-postgres", "file", file, "url", shell_quote(&crate::db::without_password(&url)));
        return Err(CliError::Failure(message + &password_note(&url)));
    }
    let secret_copy = PathBuf::from(format!("{}.secret", to.display()));
    let secret_file = crate::config::secret_key_file(&url);
    let secret_from_file = env.get("AGENTGATE_SECRET_KEY").is_none();
    if include_secret && secret_from_file {
        if !secret_file.is_file() {
            return Err(CliError::Failure(t1("cli-no-secret-file", "path", secret_file.display().to_string())));
        }
        if secret_copy.exists() {
            return Err(CliError::Failure(t1("cli-exists-already", "path", secret_copy.display().to_string())));
        }
    }
    let contents = crate::db::backup::backup(Path::new(&url), to)?;
    let backed_up = vec![("url", arg(&url)), ("path", arg(to.display().to_string())), ("agents", arg(contents.agents)), ("kib", arg(contents.bytes.div_ceil(1024)))];
    println!("{}", crate::i18n::current().tn("cli-backed-up", backed_up));
    match (include_secret, secret_from_file) {
        (true, true) => {
            copy_private(&secret_file, &secret_copy)?;
            println!("{}", t2("cli-secret-copied", "from", secret_file.display().to_string(), "to", secret_copy.display().to_string()));
        }
        (true, false) => println!("{}", t("cli-secret-in-variable")),
        (false, true) => println!("{}", t1("cli-secret-file-not-in-backup", "path", secret_file.display().to_string())),
        (false, false) => println!("{}", t("cli-secret-variable-not-in-backup")),
    }
    Ok(())
}

/// `agentgate restore --from FILE`.
fn restore(env: &dyn Env, from: &Path) -> Result<(), CliError> {
    let url = crate::config::database_url(env);
    if Backend::of_url(&url) == Backend::Postgres {
        let file = shell_quote(&from.display().to_string());
        let message = t2("cli-restore-postgres", "url", shell_quote(&crate::db::without_password(&url)), "file", file);
        return Err(CliError::Failure(message + &password_note(&url)));
    }
    let database = Path::new(&url);
    if let Some(parent) = database.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| failure(t2("cli-cannot-create", "path", parent.display().to_string(), "error", e.to_string())))?;
    }
    let _lock = match crate::db::lock::lock_exclusive(&url) {
        Some(Ok(lock)) => Some(lock),
        Some(Err(crate::db::lock::LockError::Held { path })) => {
            return Err(CliError::Failure(t2("cli-restore-server-running", "url", &url, "lock", path.display().to_string())));
        }
        Some(Err(e)) => return Err(failure(e)),
        None => None,
    };
    let restored = crate::db::backup::restore(database, from)?;
    println!("{}", crate::i18n::current().tn("cli-restored", vec![("path", arg(from.display().to_string())), ("url", arg(&url)), ("agents", arg(restored.contents.agents))]));
    if let Some(previous) = restored.previous {
        println!("{}", t1("cli-previous-kept", "path", previous.display().to_string()));
    }
    let backup_secret = PathBuf::from(format!("{}.secret", from.display()));
    if backup_secret.is_file() {
        let secret_file = crate::config::secret_key_file(&url);
        if env.get("AGENTGATE_SECRET_KEY").is_some() {
            println!("{}", t1("cli-secret-variable-wins", "path", backup_secret.display().to_string()));
        } else if !secret_file.exists() {
            copy_private(&backup_secret, &secret_file)?;
            println!("{}", t2("cli-secret-installed", "from", backup_secret.display().to_string(), "to", secret_file.display().to_string()));
        } else if std::fs::read(&secret_file).ok() != std::fs::read(&backup_secret).ok() {
            println!("{}", t2("cli-secret-differs", "current", secret_file.display().to_string(), "backup", backup_secret.display().to_string()));
        }
    }
    Ok(())
}

/// Copies a secret into a new file (never over an existing one), mode 0600.
fn copy_private(from: &Path, to: &Path) -> Result<(), CliError> {
    use std::io::Write;
    let contents = std::fs::read(from).map_err(|e| failure(t2("cli-cannot-read", "path", from.display().to_string(), "error", e.to_string())))?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(to).map_err(|e| failure(t2("cli-cannot-create", "path", to.display().to_string(), "error", e.to_string())))?;
    file.write_all(&contents).and_then(|()| file.sync_all()).map_err(|e| failure(t2("cli-cannot-write", "path", to.display().to_string(), "error", e.to_string())))
}

/// One word for a POSIX shell.
fn shell_quote(word: &str) -> String {
    format!("'{}'", word.replace('\'', "'\\''"))
}

/// Said when a printed PostgreSQL URL had its password hidden.
fn password_note(url: &str) -> String {
    if crate::db::without_password(url) != url { format!(" {}", t("cli-password-hidden")) } else { String::new() }
}

/// The most agents one `seed-demo` adds.
const MAX_SEED_AGENTS: usize = 1_000_000;

async fn seed_demo(config: Config, company: &str, count: usize, force: bool) -> Result<(), CliError> {
    let company = CompanyName::parse(company).map_err(|e| CliError::Input(format!("--company: {e}")))?;
    if count == 0 || count > MAX_SEED_AGENTS {
        return Err(CliError::Input(t1("cli-seed-count", "max", MAX_SEED_AGENTS)));
    }
    let pool = connect_and_migrate(&config).await.map_err(failure)?.main;
    let now = SystemClock.now();
    let started = std::time::Instant::now();
    let report = blocking(move || {
        let mut conn = pool.get().map_err(failure)?;
        crate::agents::seed::seed_demo(&mut conn, &company, count, force, now).map_err(|e| match e {
            crate::agents::seed::SeedError::RealData => CliError::Input(e.to_string()),
            other => failure(other),
        })
    })
    .await?;
    let seconds = format!("{:.1}", started.elapsed().as_secs_f64());
    println!("{}", crate::i18n::current().tn("cli-seeded", vec![("agents", arg(report.agents)), ("company", arg(&report.company_id)), ("seconds", arg(seconds))]));
    Ok(())
}

async fn serve(config: Config) -> Result<(), CliError> {
    let app = Application::build(config.clone(), std::sync::Arc::new(SystemClock)).await.map_err(|e| failure(format!("{e:#}")))?;
    tracing::info!(address = %config.bind, public_url = %config.base_url(), version = crate::config::VERSION, "AgentGate is listening");
    if let Some(link) = &app.setup_link {
        println!();
        println!("  {}", t("cli-setup-link"));
        println!();
        println!("    {link}");
        println!();
    }
    app.run_until_stopped().await.map_err(failure)
}

async fn create_admin(config: Config, company: &str, name: &str, email: &str) -> Result<(), CliError> {
    let company = CompanyName::parse(company).map_err(|e| CliError::Input(format!("--company: {e}")))?;
    let name = PersonName::parse(name).map_err(|e| CliError::Input(format!("--name: {e}")))?;
    let email = EmailAddress::parse(email).map_err(|e| CliError::Input(format!("--email: {e}")))?;
    let raw_password = read_password()?;
    let password = NewPassword::parse(&raw_password, &email).map_err(|e| CliError::Input(format!("password: {e}")))?;
    let pool = connect_and_migrate(&config).await.map_err(failure)?.main;
    let now = SystemClock.now();
    let (placement, email) = blocking(move || {
        let password_hash = hash_blocking(password.expose()).map_err(failure)?;
        let admin = NewAdmin { company, name, email, password_hash, language: crate::i18n::Language::from_environment() };
        let mut conn = pool.get().map_err(failure)?;
        let (_, placement) = accounts::create_admin(&mut conn, &admin, now)?;
        Ok((placement, admin.email))
    })
    .await?;
    match placement {
        AdminPlacement::NewCompany => println!("{}", t1("cli-admin-created", "email", email.to_string())),
        AdminPlacement::ExistingCompany => println!("{}", t1("cli-admin-added", "email", email.to_string())),
    }
    Ok(())
}

/// One line from standard input, or a hidden prompt (asked twice) on a terminal.
fn read_password() -> Result<String, CliError> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password(format!("{} ", t("cli-password-prompt"))).map_err(failure)?;
        let second = rpassword::prompt_password(format!("{} ", t("cli-password-repeat"))).map_err(failure)?;
        if first != second {
            return Err(CliError::Input(t("cli-passwords-differ")));
        }
        return Ok(first);
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).map_err(|e| CliError::Input(t1("cli-cannot-read-password", "error", e.to_string())))?;
    let password = line.trim_end_matches(['\n', '\r']).to_owned();
    if password.is_empty() {
        return Err(CliError::Input(t("cli-no-password")));
    }
    Ok(password)
}

async fn blocking<T: Send + 'static>(work: impl FnOnce() -> Result<T, CliError> + Send + 'static) -> Result<T, CliError> {
    // The blocking thread speaks the command's language too.
    let tr = i18n::current();
    tokio::task::spawn_blocking(move || i18n::sync_scope(tr, work)).await.map_err(failure)?
}

