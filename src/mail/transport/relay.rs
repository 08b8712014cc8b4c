//! An SMTP relay (SPEC §5 `SMTP_URL`): a few kept-open connections, and one
//! deadline for each whole conversation.
//!
//! lettre speaks SMTP here, but the connections are ours. lettre 0.11's own
//! pool opens its sockets with Nagle's algorithm on and writes a message and
//! its closing `\r\n.\r\n` separately, so those five bytes waited for the
//! relay's delayed ACK, 40 ms on Linux, in every send (seen with tcpdump; set
//! right upstream after 0.11.23). Our sockets set `TCP_NODELAY`.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Mutex;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use lettre::Message;
use lettre::transport::smtp::Error as SmtpError;
use lettre::transport::smtp::authentication::{Credentials, DEFAULT_MECHANISMS};
#[allow(deprecated)] // lettre's TLS stream, the one way to implicit TLS on a socket of our own
use lettre::transport::smtp::client::AsyncNetworkStream;
use lettre::transport::smtp::client::{AsyncSmtpConnection, AsyncTokioStream, Certificate, Tls, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::Semaphore;

use super::DeliveryError;

/// A kept connection unused for this long is closed instead of reused:
/// relays drop quiet clients after a few minutes (lettre's pool: the same).
const IDLE_LIMIT: Duration = Duration::from_secs(60);

pub struct SmtpRelay {
    host: String,
    port: u16,
    tls: Tls,
    credentials: Option<Credentials>,
    hello: ClientId,
    deadline: Duration,
    /// At most `AGENTGATE_SMTP_CONNECTIONS` conversations at once.
    places: Semaphore,
    /// Connections between two sends, with when each was last used.
    idle: Mutex<Vec<(AsyncSmtpConnection, Instant)>>,
}

/// Why a conversation failed.
#[derive(Debug)]
enum Failure {
    Smtp(SmtpError),
    /// No TCP connection to the relay.
    Connect(io::Error),
}

impl From<SmtpError> for Failure {
    fn from(error: SmtpError) -> Self {
        Failure::Smtp(error)
    }
}

impl SmtpRelay {
    /// The relay an `SMTP_URL` names (the grammar of lettre's `from_url`:
    /// `smtp://`, `?tls=required|opportunistic`, `smtps://`, credentials in
    /// the user part, a HELO name in the path), trusting the extra CAs of
    /// `AGENTGATE_SMTP_CA_FILE` as well as the system's.
    pub fn new(url: &str, connections: usize, deadline: Duration, ca_pem: Option<&str>) -> Result<SmtpRelay, String> {
        let url = url::Url::parse(url).map_err(|e| e.to_string())?;
        let host = match url.host() {
            Some(url::Host::Domain(name)) => name.to_owned(),
            Some(url::Host::Ipv4(address)) => address.to_string(),
            Some(url::Host::Ipv6(address)) => address.to_string(),
            None => return Err("the URL names no host".to_owned()),
        };
        let mode = url.query_pairs().find(|(k, _)| k == "tls").map(|(_, v)| v.into_owned());
        let parameters = || tls_parameters(&host, ca_pem);
        let (tls, default_port) = match (url.scheme(), mode.as_deref()) {
            ("smtp", None) => (Tls::None, 25),
            ("smtp", Some("required")) => (Tls::Required(parameters()?), 587),
            ("smtp", Some("opportunistic")) => (Tls::Opportunistic(parameters()?), 587),
            ("smtps", _) => (Tls::Wrapper(parameters()?), 465),
            (scheme, mode) => return Err(format!("unknown scheme {scheme:?} or tls={mode:?}")),
        };
        let decode = |part: &str| percent_encoding::percent_decode_str(part).decode_utf8().map(|s| s.into_owned()).map_err(|e| e.to_string());
        let credentials = match url.password() {
            Some(password) => Some(Credentials::new(decode(url.username())?, decode(password)?)),
            None => None,
        };
        let hello = match url.path().trim_matches('/') {
            "" => ClientId::default(),
            name => ClientId::Domain(name.to_owned()),
        };
        Ok(SmtpRelay {
            host,
            port: url.port().unwrap_or(default_port),
            tls,
            credentials,
            hello,
            deadline,
            places: Semaphore::new(connections.max(1)),
            idle: Mutex::new(Vec::new()),
        })
    }

    /// Sends one message within the deadline. A conversation cut off at the
    /// deadline takes its connection with it: only finished conversations
    /// are kept, so no later send can inherit one stalled halfway.
    pub async fn send(&self, message: Message) -> Result<(), DeliveryError> {
        let (envelope, bytes) = (message.envelope().clone(), message.formatted());
        let Ok(_place) = self.places.acquire().await else { unreachable!("the semaphore is never closed") };
        let conversation = async {
            let mut connection = match self.reuse().await {
                Some(connection) => connection,
                None => self.open().await?,
            };
            connection.send(&envelope, &bytes).await?;
            self.keep(connection);
            Ok::<(), Failure>(())
        };
        match tokio::time::timeout(self.deadline, conversation).await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(failure)) => Err(self.classify(&failure)),
            Err(_) => Err(DeliveryError::Transient(format!(
                "the SMTP server did not finish within {} s (AGENTGATE_SMTP_TIMEOUT_SECONDS)",
                self.deadline.as_secs()
            ))),
        }
    }

    /// A kept connection the relay still answers (NOOP), if there is one.
    async fn reuse(&self) -> Option<AsyncSmtpConnection> {
        loop {
            let (mut connection, since) = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop()?;
            if since.elapsed() < IDLE_LIMIT && connection.test_connected().await {
                return Some(connection);
            }
        }
    }

    fn keep(&self, connection: AsyncSmtpConnection) {
        if !connection.has_broken() {
            self.idle.lock().unwrap_or_else(|e| e.into_inner()).push((connection, Instant::now()));
        }
    }

    /// A new connection: TCP without Nagle, TLS as the URL says, EHLO, AUTH.
    async fn open(&self) -> Result<AsyncSmtpConnection, Failure> {
        let socket = TcpStream::connect((self.host.as_str(), self.port)).await.map_err(Failure::Connect)?;
        socket.set_nodelay(true).map_err(Failure::Connect)?;
        let mut connection = match &self.tls {
            Tls::Wrapper(parameters) => {
                #[allow(deprecated)]
                let mut stream = AsyncNetworkStream::use_existing_tokio1(Box::new(socket));
                stream.upgrade_tls(parameters.clone()).await?;
                AsyncSmtpConnection::connect_with_transport(Box::new(ImplicitTls(stream)), &self.hello).await?
            }
            _ => AsyncSmtpConnection::connect_with_transport(Box::new(socket), &self.hello).await?,
        };
        match &self.tls {
            Tls::Required(parameters) => connection.starttls(parameters.clone(), &self.hello).await?,
            Tls::Opportunistic(parameters) if connection.can_starttls() => connection.starttls(parameters.clone(), &self.hello).await?,
            _ => {}
        }
        if let Some(credentials) = &self.credentials {
            connection.auth(DEFAULT_MECHANISMS, credentials).await?;
        }
        Ok(connection)
    }

    /// Sorts a failure by cause, in one line that says what to change.
    fn classify(&self, failure: &Failure) -> DeliveryError {
        let at = format!("{}:{}", self.host, self.port);
        let error = match failure {
            Failure::Smtp(error) => error,
            Failure::Connect(error) => {
                return DeliveryError::Configuration(format!(
                    "cannot talk to the SMTP server at {at} ({error}): check the host and port in SMTP_URL"
                ));
            }
        };
        let detail = innermost(error);
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
}

/// TLS for `host`, trusting the extra CAs as well as the system's.
fn tls_parameters(host: &str, ca_pem: Option<&str>) -> Result<TlsParameters, String> {
    let mut parameters = TlsParameters::builder(host.to_owned());
    for block in ca_pem.unwrap_or_default().split_inclusive("-----END CERTIFICATE-----").filter(|b| b.contains("-----BEGIN CERTIFICATE-----")) {
        let certificate = Certificate::from_pem(block.trim().as_bytes()).map_err(|e| format!("AGENTGATE_SMTP_CA_FILE: {e}"))?;
        parameters = parameters.add_root_certificate(certificate);
    }
    parameters.build_rustls().map_err(|e| format!("TLS settings: {e}"))
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

/// lettre's TLS stream over our socket, handed back to lettre as the stream
/// an implicit-TLS conversation starts on (lettre takes only tokio streams
/// there, and its TLS stream speaks the `futures` I/O traits).
#[allow(deprecated)]
#[derive(Debug)]
struct ImplicitTls(AsyncNetworkStream);

impl AsyncRead for ImplicitTls {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let unfilled = buf.initialize_unfilled();
        match futures_io::AsyncRead::poll_read(Pin::new(&mut self.0), cx, unfilled) {
            Poll::Ready(Ok(read)) => {
                buf.advance(read);
                Poll::Ready(Ok(()))
            }
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl AsyncWrite for ImplicitTls {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        futures_io::AsyncWrite::poll_write(Pin::new(&mut self.0), cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        futures_io::AsyncWrite::poll_flush(Pin::new(&mut self.0), cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        futures_io::AsyncWrite::poll_close(Pin::new(&mut self.0), cx)
    }
}

impl AsyncTokioStream for ImplicitTls {
    fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.0.peer_addr()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn relay(url: &str) -> SmtpRelay {
        SmtpRelay::new(url, 2, Duration::from_secs(5), None).unwrap()
    }

    #[test]
    fn the_url_gives_host_port_tls_credentials_and_helo_name() {
        let implicit = relay("smtps://ada%40example.com:p%40ss@mail.example.com");
        assert_eq!((implicit.host.as_str(), implicit.port), ("mail.example.com", 465));
        assert!(matches!(implicit.tls, Tls::Wrapper(_)));
        assert_eq!(implicit.credentials, Some(Credentials::new("ada@example.com".to_owned(), "p@ss".to_owned())));

        let starttls = relay("smtp://mail.example.com?tls=required");
        assert_eq!(starttls.port, 587);
        assert!(matches!(starttls.tls, Tls::Required(_)));
        assert!(matches!(relay("smtp://mail.example.com:2587?tls=opportunistic").tls, Tls::Opportunistic(_)));

        let plain = relay("smtp://[::1]:2525/agentgate.example.com");
        assert_eq!((plain.host.as_str(), plain.port), ("::1", 2525));
        assert!(matches!(plain.tls, Tls::None));
        assert_eq!(plain.credentials, None);
        assert_eq!(plain.hello, ClientId::Domain("agentgate.example.com".to_owned()));
    }

    #[test]
    fn an_unknown_tls_mode_or_scheme_is_refused() {
        assert!(SmtpRelay::new("smtp://mail.example.com?tls=sometimes", 2, Duration::from_secs(5), None).is_err());
        assert!(SmtpRelay::new("http://mail.example.com", 2, Duration::from_secs(5), None).is_err());
    }
}
