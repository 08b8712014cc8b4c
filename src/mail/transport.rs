//! The three ways an email leaves the outbox (SPEC §5 `AGENTGATE_MAIL`).

use std::sync::{Arc, RwLock};
use std::time::Duration;

use chrono::NaiveDateTime;
use lettre::message::header::{Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::PoolConfig;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{Address, AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::{Config, MailTransportKind};
use crate::mail::outbox::{OutboxRow, single_line};

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
                let relay = SmtpRelay {
                    url: url.clone(),
                    connections: config.smtp_connections as u32,
                    deadline: config.smtp_timeout,
                    ca_pem: config.smtp_ca_pem.clone(),
                    transport: RwLock::new(None),
                };
                let transport = relay.connect().map_err(|e| anyhow::anyhow!("SMTP_URL: {e}"))?;
                *relay.transport.write().unwrap_or_else(|e| e.into_inner()) = Some(transport);
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

/// An SMTP relay: a pool of kept-open connections, and one deadline for
/// each whole attempt (lettre's own timeout covers each read and write, not
/// a relay that trickles or stalls in DATA).
pub struct SmtpRelay {
    url: String,
    connections: u32,
    deadline: Duration,
    /// Extra CAs for the relay's certificate (`AGENTGATE_SMTP_CA_FILE`).
    ca_pem: Option<String>,
    transport: RwLock<Option<AsyncSmtpTransport<Tokio1Executor>>>,
}

impl SmtpRelay {
    fn connect(&self) -> Result<AsyncSmtpTransport<Tokio1Executor>, String> {
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(&self.url)
            .map_err(|e| e.to_string())?
            .timeout(Some(self.deadline))
            .pool_config(PoolConfig::new().max_size(self.connections));
        if let Some(pem) = &self.ca_pem {
            builder = builder.tls(self.tls_trusting(pem)?);
        }
        Ok(builder.build())
    }

    /// The URL's TLS mode, trusting the extra CAs as well as the system's.
    fn tls_trusting(&self, pem: &str) -> Result<Tls, String> {
        let url = url::Url::parse(&self.url).map_err(|e| e.to_string())?;
        let host = url.host_str().unwrap_or_default().to_owned();
        let mut parameters = TlsParameters::builder(host);
        for block in pem.split_inclusive("-----END CERTIFICATE-----").filter(|b| b.contains("-----BEGIN CERTIFICATE-----")) {
            let certificate = Certificate::from_pem(block.trim().as_bytes()).map_err(|e| format!("AGENTGATE_SMTP_CA_FILE: {e}"))?;
            parameters = parameters.add_root_certificate(certificate);
        }
        let parameters = parameters.build_rustls().map_err(|e| format!("TLS settings: {e}"))?;
        let mode = url.query_pairs().find(|(k, _)| k == "tls").map(|(_, v)| v.into_owned());
        Ok(match (url.scheme(), mode.as_deref()) {
            ("smtps", _) => Tls::Wrapper(parameters),
            (_, Some("required")) => Tls::Required(parameters),
            (_, Some("opportunistic")) => Tls::Opportunistic(parameters),
            _ => Tls::None,
        })
    }

    /// Sends one message within the deadline. A connection abandoned at the
    /// deadline would go back to lettre's pool mid-conversation and hang the
    /// next send (its NOOP check has no timeout), so the whole pool is
    /// replaced: sends under way keep the old one until they end.
    async fn send(&self, message: Message) -> Result<(), DeliveryError> {
        let transport = self.transport.read().unwrap_or_else(|e| e.into_inner()).clone();
        let Some(transport) = transport else { return Err(DeliveryError::Transient("the SMTP transport could not be rebuilt".to_owned())) };
        match tokio::time::timeout(self.deadline, transport.send(message)).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => Err(self.classify(&e)),
            Err(_) => {
                *self.transport.write().unwrap_or_else(|e| e.into_inner()) = self.connect().ok();
                Err(DeliveryError::Transient(format!(
                    "the SMTP server did not finish within {} s (AGENTGATE_SMTP_TIMEOUT_SECONDS)",
                    self.deadline.as_secs()
                )))
            }
        }
    }
}

impl SmtpRelay {
    /// Sorts a failure by cause, in one line that says what to change.
    fn classify(&self, error: &lettre::transport::smtp::Error) -> DeliveryError {
        let detail = innermost(error);
        let at = self.address();
        if let Some(code) = error.status() {
            let answer = format!("{code} {detail}");
            return match code.to_string().as_str() {
                "535" | "534" | "454" => DeliveryError::Configuration(format!(
                    "SMTP authentication failed ({answer}): check the user and password in SMTP_URL"
                )),
                "530" | "538" => DeliveryError::Configuration(format!(
                    "the SMTP server at {at} wants TLS first ({answer}): use smtps:// or ?tls=required in SMTP_URL"
                )),
                "553" | "554" | "555" => DeliveryError::Configuration(format!(
                    "the SMTP server refused the sender ({answer}): check that MAIL_FROM is an address your provider lets you send from"
                )),
                _ if error.is_permanent() => DeliveryError::Permanent(format!("the SMTP server refused this email ({answer})")),
                _ => DeliveryError::Transient(format!("the SMTP server answered {answer}")),
            };
        }
        if error.is_tls() || detail.contains("certificate") || detail.contains("tls") || detail.contains("TLS") {
            let hint = if detail.contains("UnknownIssuer") {
                "its certificate is signed by a CA this machine does not trust: add the CA to the system trust store (read at start) or give it in AGENTGATE_SMTP_CA_FILE"
            } else if detail.contains("NotValidForName") {
                "its certificate does not name this host: use the host name the certificate names in SMTP_URL"
            } else if detail.contains("Expired") {
                "its certificate has expired"
            } else {
                "check that SMTP_URL names the host its certificate names, that a CA in the system trust store (read at start) \
                 or in AGENTGATE_SMTP_CA_FILE signed it, and that the port speaks the TLS mode the URL says (465: smtps://, 587: ?tls=required)"
            };
            return DeliveryError::Configuration(format!("TLS with the SMTP server at {at} failed ({detail}): {hint}"));
        }
        if error.is_timeout() {
            return DeliveryError::Transient(format!("the SMTP server at {at} did not answer in time ({detail})"));
        }
        DeliveryError::Configuration(format!("cannot talk to the SMTP server at {at} ({detail}): check the host and port in SMTP_URL"))
    }

    /// `host:port` of the relay, for messages.
    fn address(&self) -> String {
        match url::Url::parse(&self.url) {
            Ok(url) => format!("{}:{}", url.host_str().unwrap_or("?"), url.port().unwrap_or(if url.scheme() == "smtps" { 465 } else { 25 })),
            Err(_) => "SMTP_URL".to_owned(),
        }
    }
}

/// The innermost cause of an error, once: lettre nests errors whose
/// messages repeat their prefixes ("Connection error: Connection error: …").
fn innermost(error: &(dyn std::error::Error + 'static)) -> String {
    let mut deepest = error;
    while let Some(source) = deepest.source() {
        deepest = source;
    }
    deepest.to_string()
}

/// The transport in one line for the start-up log: for SMTP the host, the
/// port, the TLS mode and the user, never the password.
pub fn describe(kind: &MailTransportKind) -> String {
    match kind {
        MailTransportKind::Mailbox => "the development mailbox (/dev/mailbox)".to_owned(),
        MailTransportKind::File { dir } => format!(".eml files in {}", dir.display()),
        MailTransportKind::Smtp { url } => {
            let Ok(url) = url::Url::parse(url) else { return "SMTP".to_owned() };
            let implicit = url.scheme() == "smtps";
            let tls = if implicit {
                "implicit TLS"
            } else {
                match url.query_pairs().find(|(k, _)| k == "tls").map(|(_, v)| v.into_owned()).as_deref() {
                    Some("required") => "STARTTLS (required)",
                    Some("opportunistic") => "STARTTLS if offered",
                    _ => "no TLS",
                }
            };
            let port = url.port().unwrap_or(if implicit { 465 } else { 25 });
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
        assert!(!smtp("smtps://ada:s3cret@mail.example.com").contains("s3cret"));
    }

    #[test]
    fn a_malformed_recipient_is_a_permanent_failure() {
        let from: Mailbox = "AgentGate <no-reply@example.com>".parse().unwrap();
        assert!(matches!(build_message(&row("x", "not an address"), &from), Err(DeliveryError::Permanent(_))));
    }
}
