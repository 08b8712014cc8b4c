//! The command line of SPEC §5. Exit status: 0 success, 2 bad arguments or
//! input, 1 any other failure, always with a one-line message.

use std::io::{BufRead, IsTerminal};

use clap::{Parser, Subcommand};

use crate::auth::accounts::{self, AccountError, AdminPlacement, NewAdmin};
use crate::auth::password::hash_blocking;
use crate::auth::two_factor;
use crate::clock::{Clock, SystemClock};
use crate::config::{Config, MailTransportKind};
use crate::mail::messages::{self, Recipient};
use crate::mail::outbox::OutboxRow;
use crate::mail::transport::{Mailer, describe};
use crate::domain::{CompanyName, EmailAddress, NewPassword, PersonName};
use crate::startup::{Application, connect_and_migrate};

#[derive(Debug, Parser)]
#[command(name = "agentgate", version, about = "Sign-in with email two-factor authentication for a helpdesk")]
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
        #[arg(long)]
        company: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        email: String,
    },
    /// Turn two-factor authentication off for an agent and forget their trusted
    /// computers (for an agent, or the last admin, locked out). Also lifts a code lock-out.
    ResetTwoFactor {
        #[arg(long)]
        email: String,
    },
    /// Deactivate an agent and end all their sessions.
    Deactivate {
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
    /// Fill a demo or benchmark database with a company of N made-up agents.
    /// Refuses a database that already holds a company unless --force.
    SeedDemo {
        #[arg(long)]
        company: String,
        #[arg(long)]
        agents: usize,
        /// Add the agents even though the database already holds companies.
        #[arg(long)]
        force: bool,
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
        return Err(CliError::Input(
            "AGENTGATE_MAIL=mailbox sends nothing (emails are shown at /dev/mailbox): set AGENTGATE_MAIL=smtp, SMTP_URL and MAIL_FROM".to_owned(),
        ));
    }
    let from: lettre::message::Mailbox = config.mail_from.parse().map_err(|e| CliError::Input(format!("MAIL_FROM: {e}")))?;
    let mailer = Mailer::from_config(config).map_err(failure)?;
    let transport = describe(&config.mail);
    let email = messages::check_mail(&Recipient { email: &to, name: "" }, &transport).map_err(failure)?;
    let now = SystemClock.now();
    let row = OutboxRow::sending_now(crate::domain::new_public_id(), &email, now);
    match mailer.deliver(&row, &from).await {
        Ok(()) => {
            println!("check-mail: sent a test email to {to} through {transport}, from {}; look for it in that inbox.", config.mail_from);
            Ok(())
        }
        Err(e) => Err(CliError::Failure(format!("check-mail: {e}"))),
    }
}

/// Runs one command to completion.
pub async fn run(cli: Cli) -> Result<(), CliError> {
    let config = Config::from_process_env().map_err(|e| CliError::Input(format!("configuration: {e}")))?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config).await,
        Command::Migrate => {
            connect_and_migrate(&config).await.map_err(failure)?;
            println!("Database is up to date.");
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
            println!(
                "Two-factor authentication is off for {} and their trusted computers are forgotten. They were emailed about it (sent by the running server).",
                agent.email
            );
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
            println!("Deactivated {} and ended their sessions.", agent.email);
            Ok(())
        }
        Command::SeedDemo { company, agents, force } => seed_demo(config, &company, agents, force).await,
    }
}

/// The most agents one `seed-demo` adds.
const MAX_SEED_AGENTS: usize = 1_000_000;

async fn seed_demo(config: Config, company: &str, count: usize, force: bool) -> Result<(), CliError> {
    let company = CompanyName::parse(company).map_err(|e| CliError::Input(format!("--company: {e}")))?;
    if count == 0 || count > MAX_SEED_AGENTS {
        return Err(CliError::Input(format!("--agents: between 1 and {MAX_SEED_AGENTS}")));
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
    println!("Seeded {} demo agents into company {} in {:.1} s.", report.agents, report.company_id, started.elapsed().as_secs_f64());
    Ok(())
}

async fn serve(config: Config) -> Result<(), CliError> {
    let app = Application::build(config.clone(), std::sync::Arc::new(SystemClock)).await.map_err(|e| failure(format!("{e:#}")))?;
    tracing::info!(address = %config.bind, public_url = %config.base_url(), "AgentGate is listening");
    if let Some(link) = &app.setup_link {
        println!();
        println!("  No agent exists yet. Open this one-time link to create your company and its first admin:");
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
        let admin = NewAdmin { company, name, email, password_hash };
        let mut conn = pool.get().map_err(failure)?;
        let (_, placement) = accounts::create_admin(&mut conn, &admin, now)?;
        Ok((placement, admin.email))
    })
    .await?;
    match placement {
        AdminPlacement::NewCompany => println!("Created the company and its admin {email}."),
        AdminPlacement::ExistingCompany => println!("Added the admin {email} to the existing company."),
    }
    Ok(())
}

/// One line from standard input, or a hidden prompt (asked twice) on a terminal.
fn read_password() -> Result<String, CliError> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ").map_err(failure)?;
        let second = rpassword::prompt_password("Repeat the password: ").map_err(failure)?;
        if first != second {
            return Err(CliError::Input("the two passwords do not match".to_owned()));
        }
        return Ok(first);
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).map_err(|e| CliError::Input(format!("cannot read the password from standard input: {e}")))?;
    let password = line.trim_end_matches(['\n', '\r']).to_owned();
    if password.is_empty() {
        return Err(CliError::Input("no password on standard input".to_owned()));
    }
    Ok(password)
}

async fn blocking<T: Send + 'static>(work: impl FnOnce() -> Result<T, CliError> + Send + 'static) -> Result<T, CliError> {
    tokio::task::spawn_blocking(work).await.map_err(failure)?
}

