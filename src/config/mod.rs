//! Configuration from the environment (SPEC §5), validated at start: a wrong
//! value stops the server with a message naming the variable.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use url::Url;

mod mail;
mod policies;
mod secret;

pub use mail::MailTransportKind;
use mail::{MailSettings, mail_settings};
pub use policies::{ABANDONED_NOTICE_SPACING, ChallengeHorizons, CodePolicy, Limit, LoginLimits, MailLimits, MailRetryPolicy};
pub use secret::SecretKey;
use secret::load_or_generate_secret;

/// This build's version and the commit it was built from, e.g. `0.1.0 (1a2b3c4)`
/// (`unknown` when built outside a git checkout; see `build.rs`).
pub const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (", env!("AGENTGATE_GIT_COMMIT"), ")");

/// `AGENTGATE_DB_POOL_SIZE` when unset. Each PostgreSQL connection is a
/// server process, and more of them busy at once than the cores can run
/// only lengthen the queue's tail (docs/PERFORMANCE.md):
/// - PostgreSQL on this machine (`database_shares_the_cores`): its
///   processes run on the instance's own cores, so as many connections as
///   cores, at least 2. At 16 Agents tab requests in flight on 2 cores, its
///   costliest view at 100,000 agents answered within 35 ms p99 with 2,
///   46 ms with 4 and 58 ms with 8, at about the same requests a second;
/// - PostgreSQL on another machine: a connection also waits for the
///   network, so twice the cores, at least 4.
///
/// On SQLite the pool holds the read-only connections of the long reads,
/// which a file serves without a process each.
pub fn default_pool_size(backend: Backend, cores: usize, database_shares_the_cores: bool) -> u32 {
    let cores = u32::try_from(cores).unwrap_or(u32::MAX);
    match backend {
        Backend::Postgres if database_shares_the_cores => cores.max(2),
        Backend::Postgres => cores.saturating_mul(2).max(4),
        Backend::Sqlite => 10,
    }
}

/// Whether a PostgreSQL URL names a server on this machine: a loopback
/// host, a Unix socket (a host that is a directory, or no host at all, as
/// libpq reads it), in the URL's authority or its `host` parameter.
pub fn database_shares_the_cores(database_url: &str) -> bool {
    let Ok(url) = Url::parse(database_url) else {
        return false;
    };
    let host = url
        .query_pairs()
        .find(|(key, _)| key == "host")
        .map(|(_, value)| value.into_owned())
        .or_else(|| url.host_str().map(|host| percent_encoding::percent_decode_str(host).decode_utf8_lossy().into_owned()));
    match host {
        None => true,
        Some(host) if host.is_empty() || host.starts_with('/') => true,
        Some(host) => is_loopback_name(&host),
    }
}

/// `DATABASE_URL`, or its default `data/agentgate.sqlite3`.
pub fn database_url(env: &dyn Env) -> String {
    env.get("DATABASE_URL").unwrap_or_else(|| "data/agentgate.sqlite3".to_owned())
}

/// The file the server secret is read from (and generated into on first
/// run) when `AGENTGATE_SECRET_KEY` is not set: `secret.key` beside the
/// SQLite database, or `data/secret.key` with PostgreSQL. The secret is
/// never stored in the database.
pub fn secret_key_file(database_url: &str) -> PathBuf {
    data_dir_of(database_url).join("secret.key")
}

/// Which backend a database URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// `postgres://` and `postgresql://` URLs are PostgreSQL; anything else is a SQLite path.
    pub fn of_url(url: &str) -> Backend {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }
}

/// Everything the server reads from its environment.
#[derive(Debug, Clone)]
pub struct Config {
    pub bind: SocketAddr,
    pub public_url: Url,
    pub database_url: String,
    pub secret_key: SecretKey,
    pub mail: MailTransportKind,
    pub mail_from: String,
    pub trusted_days: u32,
    /// How long audit entries are kept (`AGENTGATE_AUDIT_RETENTION_DAYS`; 0: forever).
    pub audit_retention_days: u32,
    /// How long delivered, failed and dropped email stays in the outbox after
    /// it was written (`AGENTGATE_SENT_EMAIL_RETENTION_HOURS`; zero: until the
    /// next housekeeping round). `/dev/mailbox` shows these rows.
    pub sent_email_retention: chrono::Duration,
    pub session_idle_timeout: Duration,
    pub session_absolute_timeout: Duration,
    pub db_pool_size: u32,
    pub db_connect_timeout: Duration,
    /// How many argon2 hashes may run at once (SPEC §3: off the async workers, bounded).
    pub hash_concurrency: usize,
    /// HTTP worker threads; `None` is one per core.
    pub workers: Option<usize>,
    /// Reverse proxies whose `X-Forwarded-For` is believed (never anyone else's).
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// `/metrics` from anywhere with this bearer token (`AGENTGATE_METRICS_TOKEN`);
    /// without one, from loopback only.
    pub metrics_token: Option<String>,
    /// How long a stopping server waits for requests in flight and email
    /// being sent (`AGENTGATE_SHUTDOWN_SECONDS`).
    pub shutdown_grace: Duration,
    /// The code rules of SPEC §3.
    pub codes: CodePolicy,
    /// The outbox worker's retries (SPEC §6).
    pub mail_retry: MailRetryPolicy,
    /// Emails one instance hands to SMTP at once, over kept-open connections.
    pub smtp_connections: usize,
    /// The deadline of one whole SMTP attempt (connect, TLS, AUTH, MAIL, RCPT, DATA, QUIT).
    pub smtp_timeout: Duration,
    /// Extra certificate authorities (PEM) the SMTP relay's certificate may
    /// be signed by, besides the system trust store (`AGENTGATE_SMTP_CA_FILE`).
    pub smtp_ca_pem: Option<String>,
    /// `AGENTGATE_TLS_TERMINATED_BY_PROXY=true`: browsers reach this server over
    /// https through a proxy, even though the public URL says `http://`.
    pub tls_terminated_by_proxy: bool,
    /// Failed password steps allowed per account and per client IP (SPEC §3).
    pub login_limits: LoginLimits,
    /// How long a confirmation of identity (the password, and with 2FA on a
    /// code) allows sensitive changes: turning 2FA off, changing the email
    /// address or the password, an admin resetting someone's 2FA.
    pub reauth_window: chrono::Duration,
    /// Limits on the emails requests can cause (`auth::mail_limits`).
    pub mail_limits: MailLimits,
}

/// A configuration value that is wrong: the message names the variable.
#[derive(Debug, thiserror::Error)]
#[error("{variable}: {problem}")]
pub struct ConfigError {
    pub variable: &'static str,
    pub problem: String,
}

fn bad(variable: &'static str, problem: impl Into<String>) -> ConfigError {
    ConfigError { variable, problem: problem.into() }
}

/// A lookup of environment variables, so tests can pass their own.
pub trait Env {
    fn get(&self, name: &str) -> Option<String>;
}

/// The process environment (after `.env` was loaded).
pub struct ProcessEnv;

impl Env for ProcessEnv {
    fn get(&self, name: &str) -> Option<String> {
        std::env::var(name).ok().filter(|v| !v.trim().is_empty())
    }
}

impl<F: Fn(&str) -> Option<String>> Env for F {
    fn get(&self, name: &str) -> Option<String> {
        self(name)
    }
}

fn parse_number<T: std::str::FromStr>(env: &dyn Env, variable: &'static str, default: T) -> Result<T, ConfigError> {
    match env.get(variable) {
        None => Ok(default),
        Some(raw) => raw.trim().parse().map_err(|_| bad(variable, format!("expected a whole number, got {raw:?}"))),
    }
}

impl Config {
    /// Reads the `.env` file if present, then the environment.
    pub fn from_process_env() -> Result<Config, ConfigError> {
        let _ = dotenvy::dotenv();
        Config::from_env(&ProcessEnv)
    }

    /// Reads and validates every variable of SPEC §5. Generates the secret key
    /// into the data directory when it is not given.
    pub fn from_env(env: &dyn Env) -> Result<Config, ConfigError> {
        let bind_raw = env.get("AGENTGATE_BIND").unwrap_or_else(|| "127.0.0.1:8080".to_owned());
        let bind: SocketAddr = bind_raw
            .parse()
            .map_err(|_| bad("AGENTGATE_BIND", format!("expected host:port like 127.0.0.1:8080, got {bind_raw:?}")))?;

        let public_url_raw = env.get("AGENTGATE_PUBLIC_URL").unwrap_or_else(|| format!("http://{bind}"));
        let public_url = Url::parse(&public_url_raw)
            .map_err(|e| bad("AGENTGATE_PUBLIC_URL", format!("not a URL ({e}): {public_url_raw:?}")))?;
        if !matches!(public_url.scheme(), "http" | "https") || public_url.host_str().is_none() {
            return Err(bad("AGENTGATE_PUBLIC_URL", "must be an http:// or https:// URL with a host"));
        }

        let database_url = database_url(env);

        let secret_key = match env.get("AGENTGATE_SECRET_KEY") {
            Some(encoded) => {
                let bytes = BASE64
                    .decode(encoded.trim())
                    .map_err(|e| bad("AGENTGATE_SECRET_KEY", format!("not valid base64: {e}")))?;
                SecretKey::from_bytes(bytes).map_err(|p| bad("AGENTGATE_SECRET_KEY", p))?
            }
            None => load_or_generate_secret(&secret_key_file(&database_url))?,
        };

        let MailSettings { mail, mail_from, smtp_connections, smtp_timeout, smtp_ca_pem } = mail_settings(env)?;

        let trusted_days: u32 = parse_number(env, "AGENTGATE_TRUSTED_DAYS", 30)?;
        if trusted_days > 365 {
            return Err(bad("AGENTGATE_TRUSTED_DAYS", "must be between 0 and 365"));
        }
        let audit_retention_days: u32 = parse_number(env, "AGENTGATE_AUDIT_RETENTION_DAYS", 365)?;
        // Bounded above too: the housekeeping subtracts it from today's date.
        if audit_retention_days != 0 && !(30..=36_500).contains(&audit_retention_days) {
            return Err(bad("AGENTGATE_AUDIT_RETENTION_DAYS", "must be 0 (keep forever) or between 30 and 36500 days"));
        }
        let sent_email_hours: i64 = parse_number(env, "AGENTGATE_SENT_EMAIL_RETENTION_HOURS", 168)?;
        if !(0..=MAX_SENT_EMAIL_HOURS).contains(&sent_email_hours) {
            let problem = format!("must be between 0 (forget it at the next housekeeping round) and {MAX_SENT_EMAIL_HOURS} (a year)");
            return Err(bad("AGENTGATE_SENT_EMAIL_RETENTION_HOURS", problem));
        }
        let idle_minutes: u64 = parse_number(env, "AGENTGATE_SESSION_IDLE_MINUTES", 60)?;
        let absolute_hours: u64 = parse_number(env, "AGENTGATE_SESSION_ABSOLUTE_HOURS", 12)?;
        if idle_minutes == 0 || absolute_hours == 0 {
            return Err(bad("AGENTGATE_SESSION_IDLE_MINUTES", "session timeouts must be at least 1"));
        }
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
        let db_pool_size: u32 = parse_number(env, "AGENTGATE_DB_POOL_SIZE", default_pool_size(Backend::of_url(&database_url), cores, database_shares_the_cores(&database_url)))?;
        if db_pool_size == 0 {
            return Err(bad("AGENTGATE_DB_POOL_SIZE", "must be at least 1"));
        }
        let db_connect_timeout_secs: u64 = parse_number(env, "AGENTGATE_DB_TIMEOUT_SECONDS", 5)?;
        let hash_concurrency: usize = parse_number(env, "AGENTGATE_HASH_CONCURRENCY", cores)?;
        if hash_concurrency == 0 {
            return Err(bad("AGENTGATE_HASH_CONCURRENCY", "must be at least 1"));
        }

        let workers = match env.get("AGENTGATE_WORKERS") {
            None => None,
            Some(_) => Some(parse_number::<usize>(env, "AGENTGATE_WORKERS", 1)?.max(1)),
        };

        let trusted_proxies = match env.get("AGENTGATE_TRUSTED_PROXIES") {
            None => Vec::new(),
            Some(list) => list
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|ip| ip.parse().map_err(|_| bad("AGENTGATE_TRUSTED_PROXIES", format!("not an IP address: {ip:?}"))))
                .collect::<Result<_, _>>()?,
        };

        let metrics_token = env.get("AGENTGATE_METRICS_TOKEN").filter(|t| !t.is_empty());
        if metrics_token.as_ref().is_some_and(|t| t.len() < 16) {
            return Err(bad("AGENTGATE_METRICS_TOKEN", "must be at least 16 characters"));
        }

        let shutdown_grace = Duration::from_secs(parse_number(env, "AGENTGATE_SHUTDOWN_SECONDS", 30u64)?.clamp(1, 3600));

        let codes = code_policy(env)?;
        let mail_retry = MailRetryPolicy {
            poll_interval: Duration::from_millis(parse_number(env, "AGENTGATE_MAIL_POLL_MS", 5000u64)?.clamp(50, 60_000)),
            give_up_after: chrono::Duration::hours(positive(env, "AGENTGATE_MAIL_RETRY_HOURS", 24)?),
            ..MailRetryPolicy::default()
        };
        let tls_terminated_by_proxy = match env.get("AGENTGATE_TLS_TERMINATED_BY_PROXY").as_deref().map(str::trim) {
            None | Some("false") => false,
            Some("true") => true,
            Some(other) => return Err(bad("AGENTGATE_TLS_TERMINATED_BY_PROXY", format!("expected true or false, got {other:?}"))),
        };
        check_transport_safety(&public_url, bind, &mail, tls_terminated_by_proxy)?;

        let login_limits = {
            let defaults = LoginLimits::default();
            let per_account: u32 = parse_number(env, "AGENTGATE_LOGIN_MAX_FAILURES", defaults.per_account.max)?;
            let per_ip: u32 = parse_number(env, "AGENTGATE_LOGIN_IP_MAX_FAILURES", defaults.per_ip.max)?;
            let minutes: u32 = parse_number(env, "AGENTGATE_LOGIN_WINDOW_MINUTES", 15)?;
            if per_account == 0 {
                return Err(bad("AGENTGATE_LOGIN_MAX_FAILURES", "must be at least 1"));
            }
            if per_ip == 0 {
                return Err(bad("AGENTGATE_LOGIN_IP_MAX_FAILURES", "must be at least 1"));
            }
            if minutes == 0 || minutes > 24 * 60 {
                return Err(bad("AGENTGATE_LOGIN_WINDOW_MINUTES", "must be between 1 and 1440"));
            }
            LoginLimits {
                per_account: Limit::per_minutes(per_account, i64::from(minutes)),
                per_ip: Limit::per_minutes(per_ip, i64::from(minutes)),
            }
        };

        let reauth_minutes: i64 = parse_number(env, "AGENTGATE_REAUTH_MINUTES", 10)?;
        if !(1..=24 * 60).contains(&reauth_minutes) {
            return Err(bad("AGENTGATE_REAUTH_MINUTES", "must be between 1 and 1440"));
        }
        let mail_limits = mail_limits(env)?;

        Ok(Config {
            bind,
            public_url,
            database_url,
            secret_key,
            mail,
            mail_from,
            trusted_days,
            audit_retention_days,
            sent_email_retention: chrono::Duration::hours(sent_email_hours),
            session_idle_timeout: Duration::from_secs(idle_minutes * 60),
            session_absolute_timeout: Duration::from_secs(absolute_hours * 3600),
            db_pool_size,
            db_connect_timeout: Duration::from_secs(db_connect_timeout_secs.max(1)),
            hash_concurrency,
            workers,
            trusted_proxies,
            metrics_token,
            shutdown_grace,
            codes,
            mail_retry,
            smtp_connections,
            smtp_timeout,
            smtp_ca_pem,
            tls_terminated_by_proxy,
            login_limits,
            reauth_window: chrono::Duration::minutes(reauth_minutes),
            mail_limits,
        })
    }

    /// Cookies get `Secure` and the `__Host-` prefix, and responses HSTS, when
    /// browsers use https: the public URL is https, or TLS ends at a proxy.
    pub fn is_https(&self) -> bool {
        self.public_url.scheme() == "https" || self.tls_terminated_by_proxy
    }

    /// The public URL without a trailing slash, for links in emails and the console.
    pub fn base_url(&self) -> String {
        self.public_url.as_str().trim_end_matches('/').to_owned()
    }
}

/// The longest `AGENTGATE_SENT_EMAIL_RETENTION_HOURS`: a year. The outbox is
/// a queue, not an archive (the audit log is that).
const MAX_SENT_EMAIL_HOURS: i64 = 365 * 24;

/// A whole number of at least 1.
fn positive(env: &dyn Env, variable: &'static str, default: i64) -> Result<i64, ConfigError> {
    let value: i64 = parse_number(env, variable, default)?;
    if value < 1 {
        return Err(bad(variable, "must be at least 1"));
    }
    Ok(value)
}

/// The mail-bombing limits: how many of each email per window.
fn mail_limits(env: &dyn Env) -> Result<MailLimits, ConfigError> {
    let defaults = MailLimits::default();
    let count = |variable: &'static str, default: Limit| -> Result<Limit, ConfigError> {
        let max: i64 = positive(env, variable, i64::from(default.max))?;
        let max = u32::try_from(max).map_err(|_| bad(variable, "is too large"))?;
        Ok(Limit { max, window: default.window })
    };
    Ok(MailLimits {
        code_emails_per_ip: count("AGENTGATE_CODE_EMAILS_PER_IP", defaults.code_emails_per_ip)?,
        email_changes_per_agent: count("AGENTGATE_EMAIL_CHANGES_PER_HOUR", defaults.email_changes_per_agent)?,
        resets_per_address: count("AGENTGATE_RESETS_PER_ADDRESS_PER_HOUR", defaults.resets_per_address)?,
        resets_per_ip: count("AGENTGATE_RESETS_PER_IP_PER_HOUR", defaults.resets_per_ip)?,
        invitations_per_admin: count("AGENTGATE_INVITATIONS_PER_ADMIN_PER_HOUR", defaults.invitations_per_admin)?,
        invitations_per_address: count("AGENTGATE_INVITATIONS_PER_ADDRESS_PER_HOUR", defaults.invitations_per_address)?,
        invitations_per_ip: count("AGENTGATE_INVITATIONS_PER_IP_PER_HOUR", defaults.invitations_per_ip)?,
    })
}

/// The `AGENTGATE_CODE_*` variables (SPEC §3 numbers).
fn code_policy(env: &dyn Env) -> Result<CodePolicy, ConfigError> {
    use chrono::Duration as Span;
    let policy = CodePolicy {
        code_lifetime: Span::minutes(positive(env, "AGENTGATE_CODE_LIFETIME_MINUTES", 10)?),
        pending_login_lifetime: Span::minutes(positive(env, "AGENTGATE_PENDING_LOGIN_MINUTES", 10)?),
        resend_cooldown: Span::seconds(positive(env, "AGENTGATE_CODE_RESEND_SECONDS", 30)?),
        codes_per_window: positive(env, "AGENTGATE_CODES_PER_WINDOW", 5)?,
        codes_window: Span::minutes(positive(env, "AGENTGATE_CODE_WINDOW_MINUTES", 15)?),
        attempts_per_login: positive(env, "AGENTGATE_CODE_ATTEMPTS", 5)? as i32,
        lock_after: positive(env, "AGENTGATE_CODE_LOCK_AFTER", 10)? as i32,
        lock_duration: Span::minutes(positive(env, "AGENTGATE_CODE_LOCK_MINUTES", 15)?),
        lock_until_reset_after: positive(env, "AGENTGATE_CODE_LOCK_UNTIL_RESET_AFTER", 100)? as i32,
        reset_link_lifetime: Span::minutes(positive(env, "AGENTGATE_RESET_LINK_MINUTES", 60)?),
    };
    if policy.lock_until_reset_after < policy.lock_after {
        return Err(bad("AGENTGATE_CODE_LOCK_UNTIL_RESET_AFTER", "must be at least AGENTGATE_CODE_LOCK_AFTER"));
    }
    Ok(policy)
}

/// [`is_loopback_host`] for the host of a URL whose scheme the URL standard
/// does not know (`smtp://`, `postgres://`): there the host is opaque text.
pub fn is_loopback_name(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    match host.parse::<std::net::IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => is_loopback_host(&url::Host::Domain(host)),
    }
}

/// True for `localhost` (and `*.localhost`, RFC 6761), 127.0.0.0/8 and ::1.
pub fn is_loopback_host(host: &url::Host<&str>) -> bool {
    match host {
        url::Host::Domain(name) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            name == "localhost" || name.ends_with(".localhost")
        }
        url::Host::Ipv4(ip) => ip.is_loopback(),
        url::Host::Ipv6(ip) => ip.is_loopback(),
    }
}

/// Refuses configurations that would expose secrets on the network:
/// - the `mailbox` transport shows every email (login codes included) at
///   `/dev/mailbox`, so it runs only where nobody else can reach the server:
///   a loopback public URL and a loopback listen address;
/// - an `http://` public URL off loopback would carry passwords and session
///   cookies in clear, unless the operator says TLS ends at a proxy in front.
fn check_transport_safety(public_url: &Url, bind: SocketAddr, mail: &MailTransportKind, tls_by_proxy: bool) -> Result<(), ConfigError> {
    let url_is_loopback = public_url.host().as_ref().is_some_and(is_loopback_host);
    if *mail == MailTransportKind::Mailbox && !(url_is_loopback && bind.ip().is_loopback()) {
        return Err(bad(
            "AGENTGATE_MAIL",
            format!(
                "the mailbox transport shows every email, sign-in codes included, at /dev/mailbox; it is for development on \
                 loopback only, but the server would be reachable at {public_url} (listening on {bind}). Use smtp or file:<dir>"
            ),
        ));
    }
    if public_url.scheme() == "http" && !url_is_loopback && !tls_by_proxy {
        return Err(bad(
            "AGENTGATE_PUBLIC_URL",
            format!(
                "{public_url} is plain http on a non-loopback host: passwords and session cookies would cross the network in \
                 clear. Use an https:// URL, or set AGENTGATE_TLS_TERMINATED_BY_PROXY=true if a TLS proxy is in front"
            ),
        ));
    }
    Ok(())
}

/// The directory that holds the SQLite file, or `data/` for PostgreSQL.
fn data_dir_of(database_url: &str) -> PathBuf {
    if Backend::of_url(database_url) == Backend::Sqlite {
        if let Some(parent) = Path::new(database_url).parent()
            && !parent.as_os_str().is_empty() {
                return parent.to_path_buf();
            }
        return PathBuf::from(".");
    }
    PathBuf::from("data")
}

#[cfg(test)]
mod tests;
