//! The email settings (SPEC §5): where email goes (`AGENTGATE_MAIL`,
//! `SMTP_URL`), who sends it (`MAIL_FROM`), and how the SMTP relay is used
//! (connections, the deadline of an attempt, extra CAs). A setting that
//! would fail every email, or send a password in clear, stops the start.

use std::path::PathBuf;
use std::time::Duration;

use url::Url;

use super::{ConfigError, Env, bad, is_loopback_name, positive};

/// Where emails go (SPEC §5 `AGENTGATE_MAIL`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailTransportKind {
    /// Kept in the database and shown at `/dev/mailbox` (development only).
    Mailbox,
    /// Delivered through `SMTP_URL`.
    Smtp { url: String },
    /// Written as `.eml` files into a directory.
    File { dir: PathBuf },
}

/// The email part of [`super::Config`].
pub(super) struct MailSettings {
    pub mail: MailTransportKind,
    pub mail_from: String,
    pub smtp_connections: usize,
    pub smtp_timeout: Duration,
    pub smtp_ca_pem: Option<String>,
}

pub(super) fn mail_settings(env: &dyn Env) -> Result<MailSettings, ConfigError> {
    let mail = match env.get("AGENTGATE_MAIL").as_deref() {
        None | Some("mailbox") => MailTransportKind::Mailbox,
        Some("smtp") => {
            let url = env.get("SMTP_URL").ok_or_else(|| bad("SMTP_URL", "must be set when AGENTGATE_MAIL=smtp"))?;
            let parsed = Url::parse(&url).map_err(|e| bad("SMTP_URL", format!("not a URL: {e} ({PERCENT_ENCODING_HINT})")))?;
            if !matches!(parsed.scheme(), "smtp" | "smtps") {
                return Err(bad("SMTP_URL", "must start with smtp:// or smtps://"));
            }
            // Let lettre read it now, so a URL it cannot use stops the start
            // instead of failing every email later.
            lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::from_url(&url)
                .map_err(|e| bad("SMTP_URL", format!("lettre cannot use it: {e} ({PERCENT_ENCODING_HINT})")))?;
            check_smtp_credentials_use_tls(&parsed)?;
            if env.get("MAIL_FROM").is_none() {
                return Err(bad("MAIL_FROM", "must be set when AGENTGATE_MAIL=smtp: an address your relay lets you send from, e.g. 'AgentGate <no-reply@example.com>'"));
            }
            MailTransportKind::Smtp { url }
        }
        Some(other) => match other.strip_prefix("file:") {
            Some(dir) if !dir.is_empty() => MailTransportKind::File { dir: PathBuf::from(dir) },
            _ => return Err(bad("AGENTGATE_MAIL", format!("expected mailbox, smtp or file:<dir>, got {other:?}"))),
        },
    };

    let mail_from = env.get("MAIL_FROM").unwrap_or_else(|| "AgentGate <no-reply@localhost>".to_owned());
    if mail_from.parse::<lettre::message::Mailbox>().is_err() {
        return Err(bad("MAIL_FROM", format!("not a valid mailbox like 'AgentGate <no-reply@example.com>': {mail_from:?}")));
    }

    let smtp_connections = positive(env, "AGENTGATE_SMTP_CONNECTIONS", 8)?;
    if smtp_connections > 100 {
        return Err(bad("AGENTGATE_SMTP_CONNECTIONS", "must be at most 100"));
    }
    let smtp_ca_pem = match env.get("AGENTGATE_SMTP_CA_FILE") {
        None => None,
        Some(path) => {
            let pem = std::fs::read_to_string(&path).map_err(|e| bad("AGENTGATE_SMTP_CA_FILE", format!("cannot read {path}: {e}")))?;
            if !pem.contains("-----BEGIN CERTIFICATE-----") {
                return Err(bad("AGENTGATE_SMTP_CA_FILE", format!("{path} holds no PEM certificate (-----BEGIN CERTIFICATE-----)")));
            }
            Some(pem)
        }
    };
    let smtp_timeout_secs = positive(env, "AGENTGATE_SMTP_TIMEOUT_SECONDS", 30)?;
    if smtp_timeout_secs > 600 {
        return Err(bad("AGENTGATE_SMTP_TIMEOUT_SECONDS", "must be at most 600"));
    }
    Ok(MailSettings {
        mail,
        mail_from,
        smtp_connections: smtp_connections as usize,
        smtp_timeout: Duration::from_secs(smtp_timeout_secs as u64),
        smtp_ca_pem,
    })
}

/// What a malformed `SMTP_URL` most often lacks.
const PERCENT_ENCODING_HINT: &str = "a '/', '@', ':' or '%' in the user or password must be percent-encoded, e.g. %2F for '/'";

/// Refuses an `SMTP_URL` that would send its password (and then the codes)
/// in clear: credentials need `smtps://` (implicit TLS) or
/// `smtp://…?tls=required` (STARTTLS), unless the relay is on this machine.
fn check_smtp_credentials_use_tls(url: &Url) -> Result<(), ConfigError> {
    let has_credentials = !url.username().is_empty() || url.password().is_some();
    let tls_required = url.scheme() == "smtps" || url.query_pairs().any(|(k, v)| k == "tls" && v == "required");
    // smtp:// is not a scheme the URL standard knows, so its host is opaque text.
    let loopback = url.host_str().is_some_and(is_loopback_name);
    if has_credentials && !tls_required && !loopback {
        let host = url.host_str().unwrap_or("smtp.example.com");
        return Err(bad(
            "SMTP_URL",
            format!(
                "carries a user and password but no TLS, so they would cross the network in clear: \
                 use smtps://USER:PASSWORD@{host}:465 (implicit TLS) or smtp://USER:PASSWORD@{host}:587?tls=required (STARTTLS)"
            ),
        ));
    }
    Ok(())
}

