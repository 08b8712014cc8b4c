//! The three ways an email leaves the outbox (SPEC §5 `AGENTGATE_MAIL`).

use std::time::Duration;

use chrono::NaiveDateTime;
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::PoolConfig;
use lettre::{Address, AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::{Config, MailTransportKind};
use crate::mail::outbox::{OutboxRow, single_line};

/// How long one SMTP conversation may take before it counts as failed.
const SMTP_TIMEOUT: Duration = Duration::from_secs(20);

/// Where the worker delivers.
#[derive(Clone)]
pub enum Mailer {
    /// `smtp://` (optionally `?tls=required` for STARTTLS) or `smtps://`
    /// (implicit TLS), with the credentials the URL carries.
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// One `.eml` file per email in a directory.
    File(AsyncFileTransport<Tokio1Executor>),
    /// Nothing leaves: the outbox row itself is the message, shown at `/dev/mailbox`.
    Mailbox,
}

/// Why a delivery failed, and whether trying again can help.
#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
    /// The server is down, busy or answered 4xx: try again later.
    #[error("{0}")]
    Transient(String),
    /// The message can never be delivered (5xx, an address lettre refuses).
    #[error("{0}")]
    Permanent(String),
}

impl Mailer {
    /// Builds the transport the configuration names; a bad `SMTP_URL` was
    /// already refused by `Config::from_env`.
    pub fn from_config(config: &Config) -> anyhow::Result<Mailer> {
        Ok(match &config.mail {
            MailTransportKind::Smtp { url } => Mailer::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| anyhow::anyhow!("SMTP_URL: {e}"))?
                    .timeout(Some(SMTP_TIMEOUT))
                    .pool_config(PoolConfig::new().max_size(config.smtp_connections as u32))
                    .build(),
            ),
            MailTransportKind::File { dir } => {
                std::fs::create_dir_all(dir).map_err(|e| anyhow::anyhow!("AGENTGATE_MAIL: cannot create {}: {e}", dir.display()))?;
                Mailer::File(AsyncFileTransport::new(dir))
            }
            MailTransportKind::Mailbox => Mailer::Mailbox,
        })
    }

    /// True when delivered rows keep their content (the dev mailbox reads it).
    pub fn keeps_content(&self) -> bool {
        matches!(self, Mailer::Mailbox)
    }

    /// Delivers one outbox row.
    pub async fn deliver(&self, row: &OutboxRow, from: &Mailbox) -> Result<(), DeliveryError> {
        if let Mailer::Mailbox = self {
            return Ok(());
        }
        let message = build_message(row, from)?;
        match self {
            Mailer::Smtp(smtp) => smtp.send(message).await.map(|_| ()).map_err(|e| {
                if e.is_permanent() { DeliveryError::Permanent(e.to_string()) } else { DeliveryError::Transient(e.to_string()) }
            }),
            Mailer::File(file) => file.send(message).await.map(|_| ()).map_err(|e| DeliveryError::Transient(e.to_string())),
            Mailer::Mailbox => Ok(()),
        }
    }
}

/// The MIME message of a row: plain text and HTML alternatives. Every header
/// is built by lettre from typed values: the recipient is a parsed address,
/// the subject a single line, the sender the validated `MAIL_FROM`.
pub fn build_message(row: &OutboxRow, from: &Mailbox) -> Result<Message, DeliveryError> {
    let to: Address = row.recipient.parse().map_err(|e| DeliveryError::Permanent(format!("bad recipient: {e}")))?;
    let domain = from.email.domain().to_owned();
    Message::builder()
        .from(from.clone())
        .to(Mailbox::new(None, to))
        .subject(single_line(&row.subject))
        .date(system_time(row.created_at))
        // The outbox id names the message, so a copy delivered twice would show.
        .message_id(Some(format!("<{}@{}>", row.id, domain)))
        .multipart(MultiPart::alternative_plain_html(row.body_text.clone(), row.body_html.clone()))
        .map_err(|e| DeliveryError::Permanent(format!("cannot build the message: {e}")))
}

fn system_time(at: NaiveDateTime) -> std::time::SystemTime {
    let utc = at.and_utc();
    let secs = utc.timestamp().max(0) as u64;
    std::time::UNIX_EPOCH + Duration::from_secs(secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(subject: &str, recipient: &str) -> OutboxRow {
        let now = chrono::Utc::now().naive_utc();
        OutboxRow {
            id: "abc123".into(),
            kind: "login_code".into(),
            recipient: recipient.into(),
            subject: subject.into(),
            body_text: "Your code is 123456.".into(),
            body_html: "<p>Your code is <b>123456</b>.</p>".into(),
            status: "sending".into(),
            attempts: 1,
            next_attempt_at: now,
            claimed_by: None,
            claimed_until: None,
            last_error: None,
            created_at: now,
            sent_at: None,
        }
    }

    #[test]
    fn a_subject_with_line_breaks_cannot_add_a_header() {
        let from: Mailbox = "AgentGate <no-reply@example.com>".parse().unwrap();
        let message = build_message(&row("Code 123456\r\nBcc: mallory@evil.test", "ada@example.com"), &from).unwrap();
        let raw = String::from_utf8(message.formatted()).unwrap();
        assert!(!raw.lines().any(|line| line.to_ascii_lowercase().starts_with("bcc:")), "{raw}");
        assert_eq!(message.envelope().to().len(), 1);
        assert!(raw.contains("Message-ID: <abc123@example.com>"));
        assert!(raw.contains("text/plain") && raw.contains("text/html"));
    }

    #[test]
    fn a_malformed_recipient_is_a_permanent_failure() {
        let from: Mailbox = "AgentGate <no-reply@example.com>".parse().unwrap();
        assert!(matches!(build_message(&row("x", "not an address"), &from), Err(DeliveryError::Permanent(_))));
    }
}
