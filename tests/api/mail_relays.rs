//! Email through relays that misbehave (issue 18): a relay that stalls in
//! DATA costs one attempt on one connection and holds back no other email,
//! two instances never both send a stalled email, and a code that expires in
//! the queue is dropped, never delivered late.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration as StdDuration, Instant};

use base64::Engine;
use chrono::Duration;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

use crate::helpers::{PASSWORD, spawn_app_sharing, spawn_app_with};
use crate::mail_server::free_port;
use crate::two_factor_steps::set_two_factor_box;

/// How the test relay speaks TLS.
#[derive(Clone, Copy, PartialEq, Eq)]
enum RelayTls {
    None,
    /// Plain at first; STARTTLS offered (port 587 style).
    StartTls,
    /// TLS from the first byte (port 465 style).
    Implicit,
}

/// What the relay does, shared by its connections.
struct Behaviour {
    stalls: usize,
    login: Option<(&'static str, &'static str)>,
    tls: RelayTls,
    acceptor: tokio_rustls::TlsAcceptor,
    accepted: Arc<Mutex<HashMap<String, usize>>>,
    stalled: Arc<Mutex<usize>>,
    /// Whether each accepted message came over TLS.
    over_tls: Arc<Mutex<Vec<bool>>>,
}

/// A real SMTP conversation on 127.0.0.1 whose first `stalls` messages are
/// never acknowledged after their final dot: the relay hangs in DATA, the
/// way an overloaded or broken relay does. With a `login`, it offers AUTH
/// PLAIN and takes mail only after the right user and password (535
/// otherwise), like a provider's submission port; with TLS, it serves the
/// test CA's certificate for localhost (tests/fixtures/smtp-tls). Every other
/// message is accepted and counted by its Message-ID.
struct StallingRelay {
    port: u16,
    accepted: Arc<Mutex<HashMap<String, usize>>>,
    stalled: Arc<Mutex<usize>>,
    over_tls: Arc<Mutex<Vec<bool>>>,
}

fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/smtp-tls").join(name)
}

fn tls_acceptor() -> tokio_rustls::TlsAcceptor {
    use tokio_rustls::rustls;
    let certs = rustls_pemfile::certs(&mut std::io::BufReader::new(std::fs::File::open(fixture("localhost.pem")).unwrap()))
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let key = rustls_pemfile::private_key(&mut std::io::BufReader::new(std::fs::File::open(fixture("localhost-key.pem")).unwrap())).unwrap().unwrap();
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap();
    tokio_rustls::TlsAcceptor::from(Arc::new(config))
}

/// How a conversation ended.
enum Ended<S> {
    Closed,
    /// The client asked for STARTTLS: the plain stream, to upgrade.
    StartTls(S),
}

/// One SMTP conversation on `stream` (`tls`: the stream is encrypted).
async fn converse<S: AsyncRead + AsyncWrite + Unpin>(stream: S, relay: &Behaviour, tls: bool, greet: bool) -> Ended<S> {
    let mut stream = BufReader::new(stream);
    if greet && stream.write_all(b"220 stall.test ESMTP\r\n").await.is_err() {
        return Ended::Closed;
    }
    let offer_starttls = relay.tls == RelayTls::StartTls && !tls;
    let mut authenticated = relay.login.is_none();
    let mut line = String::new();
    loop {
        line.clear();
        if stream.read_line(&mut line).await.unwrap_or(0) == 0 {
            return Ended::Closed;
        }
        let command = line.trim_end().to_owned();
        let verb = command.split_whitespace().next().unwrap_or("").to_ascii_uppercase();
        let reply: Vec<u8> = match verb.as_str() {
            "EHLO" => {
                let mut lines = vec!["250-stall.test".to_owned()];
                if offer_starttls {
                    lines.push("250-STARTTLS".to_owned());
                }
                if relay.login.is_some() && !offer_starttls {
                    lines.push("250-AUTH PLAIN".to_owned());
                }
                lines.push("250 8BITMIME".to_owned());
                format!("{}\r\n", lines.join("\r\n")).into_bytes()
            }
            "HELO" => b"250 stall.test\r\n".to_vec(),
            "STARTTLS" if offer_starttls => {
                if stream.write_all(b"220 ready for TLS\r\n").await.is_err() {
                    return Ended::Closed;
                }
                return Ended::StartTls(stream.into_inner());
            }
            "AUTH" => {
                let mut response = command.split_whitespace().nth(2).map(str::to_owned);
                if response.is_none() {
                    stream.write_all(b"334 \r\n").await.ok();
                    let mut next = String::new();
                    stream.read_line(&mut next).await.ok();
                    response = Some(next);
                }
                let decoded = response
                    .and_then(|r| base64::engine::general_purpose::STANDARD.decode(r.trim()).ok())
                    .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
                    .unwrap_or_default();
                let (user, password) = relay.login.unwrap_or(("", ""));
                authenticated = decoded == format!("\0{user}\0{password}");
                if authenticated { b"235 2.7.0 Authentication successful\r\n".to_vec() } else { b"535 5.7.8 Authentication credentials invalid\r\n".to_vec() }
            }
            "MAIL" if !authenticated => b"530 5.7.0 Authentication required\r\n".to_vec(),
            "DATA" => {
                stream.write_all(b"354 go ahead\r\n").await.ok();
                let mut message_id = String::new();
                let mut data = String::new();
                loop {
                    data.clear();
                    if stream.read_line(&mut data).await.unwrap_or(0) == 0 {
                        return Ended::Closed;
                    }
                    let data = data.trim_end();
                    if data == "." {
                        break;
                    }
                    if data.to_ascii_lowercase().starts_with("message-id:") {
                        message_id = data.to_owned();
                    }
                }
                let stall = {
                    let mut count = relay.stalled.lock().unwrap();
                    let stall = *count < relay.stalls;
                    *count += usize::from(stall);
                    stall
                };
                if stall {
                    // Hang: hold the connection, answer nothing.
                    tokio::time::sleep(StdDuration::from_secs(3600)).await;
                    return Ended::Closed;
                }
                *relay.accepted.lock().unwrap().entry(message_id).or_insert(0) += 1;
                relay.over_tls.lock().unwrap().push(tls);
                b"250 queued\r\n".to_vec()
            }
            "QUIT" => {
                stream.write_all(b"221 bye\r\n").await.ok();
                return Ended::Closed;
            }
            _ => b"250 OK\r\n".to_vec(),
        };
        if stream.write_all(&reply).await.is_err() {
            return Ended::Closed;
        }
    }
}

impl StallingRelay {
    async fn start(stalls: usize) -> StallingRelay {
        StallingRelay::start_with(stalls, None, RelayTls::None).await
    }

    async fn start_with(stalls: usize, login: Option<(&'static str, &'static str)>, tls: RelayTls) -> StallingRelay {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let behaviour = Arc::new(Behaviour {
            stalls,
            login,
            tls,
            acceptor: tls_acceptor(),
            accepted: Arc::new(Mutex::new(HashMap::new())),
            stalled: Arc::new(Mutex::new(0)),
            over_tls: Arc::new(Mutex::new(Vec::new())),
        });
        let relay = StallingRelay {
            port,
            accepted: behaviour.accepted.clone(),
            stalled: behaviour.stalled.clone(),
            over_tls: behaviour.over_tls.clone(),
        };
        tokio::spawn(async move {
            loop {
                let Ok((socket, _)) = listener.accept().await else { return };
                let behaviour = behaviour.clone();
                tokio::spawn(async move {
                    if behaviour.tls == RelayTls::Implicit {
                        if let Ok(tls) = behaviour.acceptor.accept(socket).await {
                            converse(tls, &behaviour, true, true).await;
                        }
                        return;
                    }
                    if let Ended::StartTls(plain) = converse(socket, &behaviour, false, true).await
                        && let Ok(tls) = behaviour.acceptor.accept(plain).await {
                            converse(tls, &behaviour, true, false).await;
                        }
                });
            }
        });
        relay
    }

    fn env(&self, timeout_secs: u64) -> Vec<(&'static str, String)> {
        vec![
            ("AGENTGATE_MAIL", "smtp".to_owned()),
            ("SMTP_URL", format!("smtp://127.0.0.1:{}", self.port)),
            ("MAIL_FROM", "AgentGate <no-reply@agentgate.test>".to_owned()),
            ("AGENTGATE_SMTP_TIMEOUT_SECONDS", timeout_secs.to_string()),
            ("AGENTGATE_SMTP_CONNECTIONS", "4".to_owned()),
        ]
    }

    fn accepted(&self) -> HashMap<String, usize> {
        self.accepted.lock().unwrap().clone()
    }

    fn stalled(&self) -> usize {
        *self.stalled.lock().unwrap()
    }

    /// Waits (polling, up to 10 s) until `done` holds for the accepted messages.
    async fn wait_for(&self, what: &str, done: impl Fn(&HashMap<String, usize>, usize) -> bool) {
        let started = Instant::now();
        while !done(&self.accepted(), self.stalled()) {
            assert!(started.elapsed() < StdDuration::from_secs(10), "the relay never saw {what}: {:?}", self.accepted());
            tokio::time::sleep(StdDuration::from_millis(20)).await;
        }
    }
}

#[tokio::test]
async fn a_relay_that_stalls_in_data_delays_only_the_email_on_that_connection() {
    let relay = StallingRelay::start(1).await;
    let app = spawn_app_with(relay.env(2)).await;
    app.queue_notices(0, 1).await;
    relay.wait_for("the first message stall", |_, stalled| stalled == 1).await;

    // While that connection hangs, new email goes out on the others.
    app.queue_notices(1, 3).await;
    relay.wait_for("the three later messages", |accepted, _| accepted.len() == 3).await;
    // The relay has them; the worker marks them sent a moment later.
    let started = Instant::now();
    loop {
        let rows = app.outbox_rows().await;
        if rows.iter().filter(|r| r.status == "sent").count() == 3 {
            break;
        }
        assert!(started.elapsed() < StdDuration::from_secs(10), "{rows:#?}");
        tokio::time::sleep(StdDuration::from_millis(20)).await;
    }

    // The stalled attempt ends at the deadline and is retried, once.
    let failed = app
        .wait_for_outbox("the stalled attempt given up at the deadline", |rows| rows.iter().any(|r| r.status == "pending" && r.attempts == 1))
        .await;
    let stalled_row = failed.iter().find(|r| r.status == "pending").unwrap();
    assert!(stalled_row.last_error.as_deref().unwrap_or("").contains("did not finish within 2 s"), "{stalled_row:?}");
    app.advance(Duration::seconds(10));
    relay.wait_for("the retried message", |accepted, _| accepted.len() == 4).await;
    app.outbox_settled().await;
    assert!(relay.accepted().values().all(|copies| *copies == 1), "each email exactly once: {:?}", relay.accepted());
}

#[tokio::test]
async fn two_instances_and_a_stalling_relay_deliver_each_email_exactly_once() {
    let relay = StallingRelay::start(2).await;
    let first = spawn_app_with(relay.env(1)).await;
    let second = spawn_app_sharing(&first, relay.env(1)).await;
    first.queue_notices(0, 12).await;
    second.state.wake_mailer();
    relay.wait_for("ten messages and two stalls", |accepted, stalled| accepted.len() == 10 && stalled == 2).await;
    // Past the deadline the stalled ones are retried (by either instance).
    first.wait_for_outbox("both stalls given up", |rows| rows.iter().filter(|r| r.status == "pending").count() == 2).await;
    first.advance(Duration::seconds(10));
    second.advance(Duration::seconds(10));
    relay.wait_for("all twelve", |accepted, _| accepted.len() == 12).await;
    first.outbox_settled().await;
    let accepted = relay.accepted();
    assert!(accepted.values().all(|copies| *copies == 1), "each email exactly once: {accepted:?}");
    assert_eq!(accepted.values().sum::<usize>(), 12);
}

#[tokio::test]
async fn a_code_that_expires_in_the_queue_is_dropped_not_delivered_late() {
    // Nothing listens on the relay's port: every attempt fails.
    let port = free_port();
    let app = spawn_app_with(vec![
        ("AGENTGATE_MAIL", "smtp".to_owned()),
        ("SMTP_URL", format!("smtp://127.0.0.1:{port}")),
        ("MAIL_FROM", "AgentGate <no-reply@agentgate.test>".to_owned()),
    ])
    .await;
    let email = app.complete_setup().await;
    app.login(&email, PASSWORD).await;
    set_two_factor_box(&app.client, &app.address, "Ada Admin", true, "").await;
    app.wait_for_outbox("a failed attempt", |rows| rows.iter().any(|r| r.attempts == 1 && r.status == "pending")).await;

    // The next attempt comes after the code's 10 minutes: it is not sent.
    app.advance(Duration::minutes(11));
    let rows = app.wait_for_outbox("the code dropped", |rows| rows.iter().any(|r| r.status == "dropped")).await;
    let dropped = rows.iter().find(|r| r.status == "dropped").unwrap();
    assert!(dropped.subject.is_empty() && dropped.body_text.is_empty(), "the code does not stay in the database");
    assert!(dropped.last_error.as_deref().unwrap_or("").contains("expired"), "{dropped:?}");
    assert_eq!(dropped.attempts, 2, "claimed once more, then dropped instead of sent");
}

#[tokio::test]
async fn a_wrong_smtp_password_keeps_email_queued_warns_admins_and_a_fixed_one_delivers_it() {
    let relay = StallingRelay::start_with(0, Some(("ada", "right")), RelayTls::None).await;
    let with_password = |password: &str| {
        let mut env = relay.env(5);
        env.retain(|(name, _)| *name != "SMTP_URL");
        env.push(("SMTP_URL", format!("smtp://ada:{password}@127.0.0.1:{}", relay.port)));
        env
    };
    let app = spawn_app_with(with_password("wrong")).await;
    let admin = app.complete_setup().await;
    app.login(&admin, PASSWORD).await;
    app.queue_notices(0, 1).await;

    let rows = app.wait_for_outbox("a refused attempt", |rows| rows.iter().any(|r| r.status == "pending" && r.attempts == 1)).await;
    let error = rows[0].last_error.clone().unwrap_or_default();
    assert!(error.starts_with("SMTP authentication failed (535"), "{error}");
    assert!(error.contains("check the user and password in SMTP_URL"), "{error}");
    assert!(!rows[0].body_text.is_empty(), "the email keeps its content for the next attempt");
    let page = app.get("/agents").await.text().await.unwrap();
    assert!(page.contains("Email is not being delivered since"), "{page}");
    assert!(page.contains("SMTP authentication failed (535"), "{page}");

    // The operator fixes the password and restarts: the queued email goes out.
    let fixed = spawn_app_sharing(&app, with_password("right")).await;
    fixed.advance(Duration::seconds(10));
    relay.wait_for("the queued notice", |accepted, _| accepted.len() == 1).await;
    fixed.outbox_settled().await;
    assert!(fixed.state.mail_health.failing().is_none());
}

/// The relay's settings for a TLS test: localhost (the name its certificate
/// names) and the test CA given as the private relay's CA.
fn tls_env(url: String) -> Vec<(&'static str, String)> {
    vec![
        ("AGENTGATE_MAIL", "smtp".to_owned()),
        ("SMTP_URL", url),
        ("MAIL_FROM", "AgentGate <no-reply@agentgate.test>".to_owned()),
        ("AGENTGATE_SMTP_CA_FILE", fixture("ca.pem").display().to_string()),
        ("AGENTGATE_SMTP_TIMEOUT_SECONDS", "10".to_owned()),
    ]
}

#[tokio::test]
async fn starttls_then_auth_delivers_with_a_private_ca() {
    let relay = StallingRelay::start_with(0, Some(("ada", "right")), RelayTls::StartTls).await;
    let app = spawn_app_with(tls_env(format!("smtp://ada:right@localhost:{}?tls=required", relay.port))).await;
    app.queue_notices(0, 2).await;
    relay.wait_for("both notices", |accepted, _| accepted.len() == 2).await;
    assert_eq!(*relay.over_tls.lock().unwrap(), vec![true, true], "nothing was sent before STARTTLS");
}

#[tokio::test]
async fn implicit_tls_then_auth_delivers_with_a_private_ca() {
    let relay = StallingRelay::start_with(0, Some(("ada", "right")), RelayTls::Implicit).await;
    let app = spawn_app_with(tls_env(format!("smtps://ada:right@localhost:{}", relay.port))).await;
    app.queue_notices(0, 1).await;
    relay.wait_for("the notice", |accepted, _| accepted.len() == 1).await;
    assert_eq!(*relay.over_tls.lock().unwrap(), vec![true]);
}

#[tokio::test]
async fn a_certificate_nobody_trusts_keeps_email_queued_and_says_what_to_check() {
    let relay = StallingRelay::start_with(0, Some(("ada", "right")), RelayTls::Implicit).await;
    let mut env = tls_env(format!("smtps://ada:right@localhost:{}", relay.port));
    env.retain(|(name, _)| *name != "AGENTGATE_SMTP_CA_FILE");
    let app = spawn_app_with(env).await;
    app.queue_notices(0, 1).await;
    let rows = app.wait_for_outbox("a refused attempt", |rows| rows.iter().any(|r| r.status == "pending" && r.attempts == 1)).await;
    let error = rows[0].last_error.clone().unwrap_or_default();
    assert!(error.starts_with("TLS with the SMTP server at localhost:"), "{error}");
    assert!(error.contains("trust store"), "{error}");
    assert!(!error.contains("error: tls error") && !error.contains("Connection error: Connection error"), "no doubled prefixes: {error}");
    assert!(relay.accepted().is_empty());
    assert!(app.state.mail_health.failing().is_some());
}

