//! Email through relays that misbehave (issue 18): a relay that stalls in
//! DATA costs one attempt on one connection and holds back no other email,
//! two instances never both send a stalled email, and a code that expires in
//! the queue is dropped, never delivered late.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration as StdDuration, Instant};

use agentgate::domain::EmailAddress;
use agentgate::mail::outbox;
use agentgate::mail::{Email, EmailKind};
use base64::Engine;
use chrono::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

use crate::helpers::{PASSWORD, TestApp, spawn_app_sharing, spawn_app_with};
use crate::mail_server::free_port;
use crate::two_factor_steps::set_two_factor_box;

/// A real SMTP conversation on 127.0.0.1 whose first `stalls` messages are
/// never acknowledged after their final dot: the relay hangs in DATA, the
/// way an overloaded or broken relay does. With a `login`, it offers AUTH
/// PLAIN and takes mail only after the right user and password (535
/// otherwise), like a provider's submission port. Every other message is
/// accepted and counted by its Message-ID.
struct StallingRelay {
    port: u16,
    accepted: Arc<Mutex<HashMap<String, usize>>>,
    stalled: Arc<Mutex<usize>>,
}

impl StallingRelay {
    async fn start(stalls: usize) -> StallingRelay {
        StallingRelay::start_with(stalls, None).await
    }

    async fn start_with(stalls: usize, login: Option<(&'static str, &'static str)>) -> StallingRelay {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let accepted = Arc::new(Mutex::new(HashMap::new()));
        let stalled = Arc::new(Mutex::new(0));
        let (accepted_by_server, stalled_by_server) = (accepted.clone(), stalled.clone());
        tokio::spawn(async move {
            loop {
                let Ok((socket, _)) = listener.accept().await else { return };
                let (accepted, stalled) = (accepted_by_server.clone(), stalled_by_server.clone());
                tokio::spawn(async move {
                    let (read, mut write) = socket.into_split();
                    let mut lines = BufReader::new(read).lines();
                    write.write_all(b"220 stall.test ESMTP\r\n").await.ok();
                    let mut authenticated = login.is_none();
                    while let Ok(Some(line)) = lines.next_line().await {
                        let verb = line.split_whitespace().next().unwrap_or("").to_ascii_uppercase();
                        let reply: &[u8] = match verb.as_str() {
                            "EHLO" if login.is_some() => b"250-stall.test\r\n250 AUTH PLAIN\r\n",
                            "EHLO" | "HELO" => b"250 stall.test\r\n",
                            "AUTH" => {
                                let mut response = line.split_whitespace().nth(2).map(str::to_owned);
                                if response.is_none() {
                                    write.write_all(b"334 \r\n").await.ok();
                                    response = lines.next_line().await.ok().flatten();
                                }
                                let decoded = response
                                    .and_then(|r| base64::engine::general_purpose::STANDARD.decode(r.trim()).ok())
                                    .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
                                    .unwrap_or_default();
                                let (user, password) = login.unwrap_or(("", ""));
                                authenticated = decoded == format!("\0{user}\0{password}");
                                if authenticated { b"235 2.7.0 Authentication successful\r\n" } else { b"535 5.7.8 Authentication credentials invalid\r\n" }
                            }
                            "MAIL" if !authenticated => b"530 5.7.0 Authentication required\r\n",
                            "DATA" => {
                                write.write_all(b"354 go ahead\r\n").await.ok();
                                let mut message_id = String::new();
                                while let Ok(Some(data)) = lines.next_line().await {
                                    if data == "." {
                                        break;
                                    }
                                    if data.to_ascii_lowercase().starts_with("message-id:") {
                                        message_id = data;
                                    }
                                }
                                let stall = {
                                    let mut count = stalled.lock().unwrap();
                                    let stall = *count < stalls;
                                    *count += usize::from(stall);
                                    stall
                                };
                                if stall {
                                    // Hang: hold the connection, answer nothing.
                                    tokio::time::sleep(StdDuration::from_secs(3600)).await;
                                    return;
                                }
                                *accepted.lock().unwrap().entry(message_id).or_insert(0) += 1;
                                b"250 queued\r\n"
                            }
                            "QUIT" => {
                                write.write_all(b"221 bye\r\n").await.ok();
                                return;
                            }
                            _ => b"250 OK\r\n",
                        };
                        if write.write_all(reply).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
        StallingRelay { port, accepted, stalled }
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

/// Queues `count` security notices (they never expire) and wakes the worker.
async fn queue_notices(app: &TestApp, first: usize, count: usize) {
    let now = app.clock_now();
    app.db(move |conn| {
        for n in first..first + count {
            let email = Email {
                kind: EmailKind::SecurityNotice,
                to: EmailAddress::parse(&format!("agent{n}@acme.test")).unwrap(),
                subject: format!("Notice {n}"),
                text: format!("Notice number {n}."),
                html: format!("<p>Notice number {n}.</p>"),
                useful_until: None,
                challenge_id: None,
            };
            outbox::enqueue(conn, &email, now).unwrap();
        }
    })
    .await;
    app.state.wake_mailer();
}

#[tokio::test]
async fn a_relay_that_stalls_in_data_delays_only_the_email_on_that_connection() {
    let relay = StallingRelay::start(1).await;
    let app = spawn_app_with(relay.env(2)).await;
    queue_notices(&app, 0, 1).await;
    relay.wait_for("the first message stall", |_, stalled| stalled == 1).await;

    // While that connection hangs, new email goes out on the others.
    queue_notices(&app, 1, 3).await;
    relay.wait_for("the three later messages", |accepted, _| accepted.len() == 3).await;
    let rows = app.outbox_rows().await;
    assert_eq!(rows.iter().filter(|r| r.status == "sent").count(), 3, "{rows:#?}");

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
    queue_notices(&first, 0, 12).await;
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
    let relay = StallingRelay::start_with(0, Some(("ada", "right"))).await;
    let with_password = |password: &str| {
        let mut env = relay.env(5);
        env.retain(|(name, _)| *name != "SMTP_URL");
        env.push(("SMTP_URL", format!("smtp://ada:{password}@127.0.0.1:{}", relay.port)));
        env
    };
    let app = spawn_app_with(with_password("wrong")).await;
    let admin = app.complete_setup().await;
    app.login(&admin, PASSWORD).await;
    queue_notices(&app, 0, 1).await;

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

