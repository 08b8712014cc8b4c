//! A real SMTP server inside the test process (mailin-embedded on
//! 127.0.0.1), collecting what it receives so tests read codes and links
//! from the delivered email, as an agent would.

use std::net::{IpAddr, TcpListener};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine;
use mailin_embedded::response::OK;
use mailin_embedded::{Handler, Response, Server, SslConfig};

/// One message as the SMTP server received it, decoded.
#[derive(Debug, Clone)]
pub struct ReceivedEmail {
    /// The envelope recipients (RCPT TO).
    pub to: Vec<String>,
    pub raw: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

impl ReceivedEmail {
    fn parse(to: Vec<String>, raw: String) -> ReceivedEmail {
        let (headers, body) = split_head(&raw);
        let subject = header(&headers, "subject").unwrap_or_default();
        let content_type = header(&headers, "content-type").unwrap_or_default();
        let mut text = String::new();
        let mut html = String::new();
        match boundary_of(&content_type) {
            Some(boundary) => {
                for part in body.split(&format!("--{boundary}")) {
                    let (part_headers, part_body) = split_head(part.trim_start_matches("\r\n"));
                    let kind = header(&part_headers, "content-type").unwrap_or_default();
                    let encoding = header(&part_headers, "content-transfer-encoding").unwrap_or_default();
                    let decoded = decode(&encoding, part_body);
                    if kind.starts_with("text/plain") {
                        text = decoded;
                    } else if kind.starts_with("text/html") {
                        html = decoded;
                    }
                }
            }
            None => text = decode(&header(&headers, "content-transfer-encoding").unwrap_or_default(), body),
        }
        ReceivedEmail { to, raw, subject, text, html }
    }

    /// The six-digit code in the subject.
    pub fn code(&self) -> String {
        self.subject
            .split(|c: char| !c.is_ascii_digit())
            .find(|run| run.len() == 6)
            .unwrap_or_else(|| panic!("no code in the subject {:?}", self.subject))
            .to_owned()
    }

    /// The first link in the plain text that contains `needle`.
    pub fn link_containing(&self, needle: &str) -> String {
        self.text
            .split_whitespace()
            .find(|word| word.starts_with("http") && word.contains(needle))
            .unwrap_or_else(|| panic!("no link with {needle:?} in {}", self.text))
            .to_owned()
    }

    /// The names of the message's top-level headers, lower-cased.
    pub fn header_names(&self) -> Vec<String> {
        let (headers, _) = split_head(&self.raw);
        headers.iter().filter_map(|line| line.split_once(':').map(|(name, _)| name.trim().to_ascii_lowercase())).collect()
    }
}

/// Unfolded header lines and the body.
fn split_head(raw: &str) -> (Vec<String>, &str) {
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((raw, ""));
    let mut lines: Vec<String> = Vec::new();
    for line in head.split("\r\n") {
        if (line.starts_with(' ') || line.starts_with('\t')) && !lines.is_empty() {
            let last = lines.last_mut().unwrap();
            last.push(' ');
            last.push_str(line.trim_start());
        } else {
            lines.push(line.to_owned());
        }
    }
    (lines, body)
}

fn header(lines: &[String], name: &str) -> Option<String> {
    lines.iter().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.trim().eq_ignore_ascii_case(name).then(|| value.trim().to_owned())
    })
}

fn boundary_of(content_type: &str) -> Option<String> {
    let start = content_type.find("boundary=")? + "boundary=".len();
    Some(content_type[start..].split(';').next()?.trim_matches('"').to_owned())
}

fn decode(encoding: &str, body: &str) -> String {
    match encoding.to_ascii_lowercase().as_str() {
        "base64" => {
            let joined: String = body.split_whitespace().collect();
            String::from_utf8(base64::engine::general_purpose::STANDARD.decode(joined).expect("base64 body")).expect("utf-8 body")
        }
        "quoted-printable" => decode_quoted_printable(body),
        _ => body.to_owned(),
    }
}

fn decode_quoted_printable(body: &str) -> String {
    let joined = body.replace("=\r\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len()
            && let Some(byte) = std::str::from_utf8(&bytes[i + 1..i + 3]).ok().and_then(|hex| u8::from_str_radix(hex, 16).ok()) {
                out.push(byte);
                i += 3;
                continue;
            }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).expect("utf-8 body")
}

#[derive(Default)]
struct Inbox {
    emails: Vec<ReceivedEmail>,
    /// Indices handed to a test by `expect_email`.
    taken: Vec<bool>,
}

#[derive(Clone)]
struct Collector {
    inbox: Arc<Mutex<Inbox>>,
    to: Vec<String>,
    data: Vec<u8>,
}

impl Handler for Collector {
    fn data_start(&mut self, _domain: &str, _from: &str, _is8bit: bool, to: &[String]) -> Response {
        self.to = to.to_vec();
        self.data.clear();
        OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.data.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        let raw = String::from_utf8_lossy(&self.data).into_owned();
        let email = ReceivedEmail::parse(std::mem::take(&mut self.to), raw);
        let mut inbox = self.inbox.lock().unwrap();
        inbox.emails.push(email);
        inbox.taken.push(false);
        OK
    }

    fn helo(&mut self, _ip: IpAddr, _domain: &str) -> Response {
        OK
    }
}

/// A running SMTP server. It runs until the test process ends.
pub struct TestSmtp {
    pub port: u16,
    inbox: Arc<Mutex<Inbox>>,
}

/// A port nothing listens on (for "the SMTP server is down"), chosen below
/// Linux's ephemeral range (32768-60999): a port the kernel handed out would
/// be handed out again to some client socket of a parallel test before the
/// test server binds it ("Address already in use").
pub fn free_port() -> u16 {
    loop {
        let port = 20_000 + rand::random::<u16>() % 12_000;
        if TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
}

impl TestSmtp {
    pub fn start() -> TestSmtp {
        TestSmtp::serve(TcpListener::bind("127.0.0.1:0").expect("bind the test SMTP server"))
    }

    /// Starts on a given port (the port the app was told about while nothing listened).
    pub fn start_on(port: u16) -> TestSmtp {
        TestSmtp::serve(TcpListener::bind(("127.0.0.1", port)).expect("bind the test SMTP server on its port"))
    }

    fn serve(listener: TcpListener) -> TestSmtp {
        let port = listener.local_addr().unwrap().port();
        let inbox = Arc::new(Mutex::new(Inbox::default()));
        let collector = Collector { inbox: inbox.clone(), to: Vec::new(), data: Vec::new() };
        std::thread::spawn(move || {
            let mut server = Server::new(collector);
            // Enough threads for every connection two instances keep open (a thread
            // per connection), as a real server would accept them.
            server.with_name("smtp.test").with_num_threads(64).with_ssl(SslConfig::None).expect("no TLS").with_tcp_listener(listener);
            let _ = server.serve();
        });
        TestSmtp { port, inbox }
    }

    /// What the app needs to deliver here.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        smtp_env(self.port)
    }

    pub fn all(&self) -> Vec<ReceivedEmail> {
        self.inbox.lock().unwrap().emails.clone()
    }

    pub fn count(&self) -> usize {
        self.inbox.lock().unwrap().emails.len()
    }

    /// Waits (polling, up to 10 s) for an email to `to` whose subject contains
    /// `subject`, not handed out before, and hands out the oldest such email.
    pub async fn expect_email(&self, to: &str, subject: &str) -> ReceivedEmail {
        let started = Instant::now();
        loop {
            {
                let mut inbox = self.inbox.lock().unwrap();
                let Inbox { emails, taken } = &mut *inbox;
                if let Some(index) = (0..emails.len()).find(|&i| !taken[i] && emails[i].to.iter().any(|t| t == to) && emails[i].subject.contains(subject)) {
                    taken[index] = true;
                    return emails[index].clone();
                }
            }
            if started.elapsed() > Duration::from_secs(10) {
                let subjects: Vec<String> = self.all().iter().map(|e| format!("{:?} -> {}", e.to, e.subject)).collect();
                panic!("no email to {to} about {subject:?} arrived; received: {subjects:#?}");
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// The code of the next sign-in code email to `to` (subject "AgentGate
    /// sign-in code: 123456"; not "sign-in codes locked", which may arrive
    /// first now that emails are sent side by side).
    pub async fn next_login_code(&self, to: &str) -> String {
        self.expect_email(to, "sign-in code:").await.code()
    }

    /// Emails to `to` not handed out yet whose subject contains `subject`.
    pub fn unread(&self, to: &str, subject: &str) -> usize {
        let inbox = self.inbox.lock().unwrap();
        (0..inbox.emails.len())
            .filter(|&i| !inbox.taken[i] && inbox.emails[i].to.iter().any(|t| t == to) && inbox.emails[i].subject.contains(subject))
            .count()
    }
}

/// The app configuration that delivers to `127.0.0.1:port` over plain SMTP.
pub fn smtp_env(port: u16) -> Vec<(&'static str, String)> {
    vec![
        ("AGENTGATE_MAIL", "smtp".to_owned()),
        ("SMTP_URL", format!("smtp://127.0.0.1:{port}")),
        ("MAIL_FROM", "AgentGate <no-reply@agentgate.test>".to_owned()),
    ]
}
