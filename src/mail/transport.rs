//! The three ways an email leaves the outbox (SPEC §5 `AGENTGATE_MAIL`).

mod relay;

use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDateTime;
use lettre::message::header::{Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::{Address, AsyncFileTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::{Config, MailTransportKind};
use crate::mail::outbox::{OutboxRow, single_line};
use relay::SmtpRelay;

/// Where the worker delivers.
#[derive(Clone)]
pub enum Mailer {
    /// `smtp://` (optionally `?tls=required` for STARTTLS) or `smtps://`
    /// (implicit TLS), with the credentials the URL carries.
    Smtp(Arc<SmtpRelay>),
    /// One `.eml` file per email in a directory.
    File(AsyncFileTransport<Tokio1Executor>),
    /// Nothing leaves: the outbox row itself is the message, shown at `/dev/mailbox`.
    Mailbox,
}

/// Why a delivery failed, and whether trying again can help.
#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
    /// The server is busy, answered 4xx, or stalled: try again later.
    #[error("{0}")]
    Transient(String),
    /// This message can never be delivered (550 unknown recipient, an
    /// address lettre refuses).
    #[error("{0}")]
    Permanent(String),
    /// A failure that will hit every email until the configuration or the
    /// relay is fixed (authentication, TLS, STARTTLS required, the sender
    /// refused, the relay unreachable): the email stays queued and is retried.
    #[error("{0}")]
    Configuration(String),
}

impl Mailer {
    /// Builds the transport the configuration names; a bad `SMTP_URL` was
    /// already refused by `Config::from_env`.
    pub fn from_config(config: &Config) -> anyhow::Result<Mailer> {
        Ok(match &config.mail {
            MailTransportKind::Smtp { url } => {
                let relay = SmtpRelay::new(url, config.smtp_connections, config.smtp_timeout, config.smtp_ca_pem.as_deref())
                    .map_err(|e| anyhow::anyhow!("SMTP_URL: {e}"))?;
                Mailer::Smtp(Arc::new(relay))
            }
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
            Mailer::Smtp(relay) => relay.send(message).await,
            Mailer::File(file) => file.send(message).await.map(|_| ()).map_err(|e| DeliveryError::Transient(e.to_string())),
            Mailer::Mailbox => Ok(()),
        }
    }
}

/// The transport in one line for the start-up log: for SMTP the host, the
/// port, the TLS mode and the user, never the password.
pub fn describe(kind: &MailTransportKind) -> String {
    match kind {
        MailTransportKind::Mailbox => "the development mailbox (/dev/mailbox)".to_owned(),
        MailTransportKind::File { dir } => format!(".eml files in {}", dir.display()),
        MailTransportKind::Smtp { url } => {
            let Ok(url) = url::Url::parse(url) else { return "SMTP".to_owned() };
            // The ports without one in the URL are the relay's (lettre's) defaults.
            let (tls, default_port) = if url.scheme() == "smtps" {
                ("implicit TLS", 465)
            } else {
                match url.query_pairs().find(|(k, _)| k == "tls").map(|(_, v)| v.into_owned()).as_deref() {
                    Some("required") => ("STARTTLS (required)", 587),
                    Some("opportunistic") => ("STARTTLS if offered", 587),
                    _ => ("no TLS", 25),
                }
            };
            let port = url.port().unwrap_or(default_port);
            let user = match url.username() {
                "" => "no authentication".to_owned(),
                user => format!("as {user}"),
            };
            format!("SMTP to {}:{port}, {tls}, {user}", url.host_str().unwrap_or("?"))
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
        // RFC 3834: no vacation responder or list should answer a code.
        .header(AutoSubmitted)
        .multipart(MultiPart::alternative_plain_html(row.body_text.clone(), row.body_html.clone()))
        .map_err(|e| DeliveryError::Permanent(format!("cannot build the message: {e}")))
}

/// `Auto-Submitted: auto-generated` (RFC 3834).
#[derive(Clone)]
struct AutoSubmitted;

impl Header for AutoSubmitted {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Auto-Submitted")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(AutoSubmitted)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "auto-generated".to_owned())
    }
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
        let email = crate::mail::Email {
            kind: crate::mail::EmailKind::LoginCode,
            to: crate::domain::EmailAddress::parse("ada@example.com").unwrap(),
            subject: String::new(),
            text: "Your code is 123456.".into(),
            html: "<p>Your code is <b>123456</b>.</p>".into(),
            useful_until: None,
            challenge_id: None,
        };
        let mut row = OutboxRow::sending_now("abc123".into(), &email, chrono::Utc::now().naive_utc());
        // As stored by an older version, or written by hand: not checked yet.
        row.subject = subject.into();
        row.recipient = recipient.into();
        row
    }

    #[test]
    fn a_subject_with_line_breaks_cannot_add_a_header() {
        let from: Mailbox = "AgentGate <no-reply@example.com>".parse().unwrap();
        let message = build_message(&row("Code 123456\r\nBcc: mallory@evil.test", "ada@example.com"), &from).unwrap();
        let raw = String::from_utf8(message.formatted()).unwrap();
        assert!(!raw.lines().any(|line| line.to_ascii_lowercase().starts_with("bcc:")), "{raw}");
        assert_eq!(message.envelope().to().len(), 1);
        assert!(raw.contains("Message-ID: <abc123@example.com>"));
        assert!(raw.contains("Auto-Submitted: auto-generated"), "{raw}");
        assert!(raw.contains("text/plain") && raw.contains("text/html"));
    }

    #[test]
    fn the_transport_is_described_without_its_password() {
        let smtp = |url: &str| describe(&MailTransportKind::Smtp { url: url.to_owned() });
        assert_eq!(smtp("smtps://ada:s3cret@mail.example.com"), "SMTP to mail.example.com:465, implicit TLS, as ada");
        assert_eq!(smtp("smtp://ada:s3cret@mail.example.com:587?tls=required"), "SMTP to mail.example.com:587, STARTTLS (required), as ada");
        assert_eq!(smtp("smtp://127.0.0.1:2525"), "SMTP to 127.0.0.1:2525, no TLS, no authentication");
        assert_eq!(smtp("smtp://ada:s3cret@mail.example.com?tls=required"), "SMTP to mail.example.com:587, STARTTLS (required), as ada");
        assert!(!smtp("smtps://ada:s3cret@mail.example.com").contains("s3cret"));
    }

    #[test]
    fn a_malformed_recipient_is_a_permanent_failure() {
        let from: Mailbox = "AgentGate <no-reply@example.com>".parse().unwrap();
        assert!(matches!(build_message(&row("x", "not an address"), &from), Err(DeliveryError::Permanent(_))));
    }
}
