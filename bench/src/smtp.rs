//! The SMTP server the benchmarked AgentGate delivers to: it accepts every
//! message over plain SMTP on loopback, notes the sign-in code in its subject
//! and when it arrived, and nothing else. The journeys read their codes here,
//! so every login's email really went through the outbox, lettre and SMTP.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;

/// The last code each recipient received, how many they received, and when
/// the last one arrived.
#[derive(Clone, Default)]
pub struct Inbox {
    codes: Arc<Mutex<HashMap<String, Received>>>,
    arrived: Arc<Notify>,
}

#[derive(Clone)]
struct Received {
    count: u64,
    code: String,
    at: Instant,
}

impl Inbox {
    /// Listens on a free loopback port; returns the `SMTP_URL` to give AgentGate.
    pub async fn start() -> anyhow::Result<(Inbox, String)> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("smtp://127.0.0.1:{}", listener.local_addr()?.port());
        let inbox = Inbox::default();
        let accepting = inbox.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let inbox = accepting.clone();
                tokio::spawn(async move {
                    let _ = inbox.session(stream).await;
                });
            }
        });
        Ok((inbox, url))
    }

    /// How many sign-in codes `email` has received so far.
    pub fn codes_received(&self, email: &str) -> u64 {
        self.codes.lock().unwrap().get(email).map(|r| r.count).unwrap_or(0)
    }

    /// Waits for a code newer than the `before`-th one sent to `email`;
    /// returns it and when it reached this server.
    pub async fn wait_for_code(&self, email: &str, before: u64) -> Result<(String, Instant), String> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let notified = self.arrived.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if let Some(received) = self.codes.lock().unwrap().get(email).filter(|received| received.count > before) {
                return Ok((received.code.clone(), received.at));
            }
            if tokio::time::timeout_at(deadline.into(), notified).await.is_err() {
                return Err(format!("no code for {email} reached the SMTP server within 10 s"));
            }
        }
    }

    /// One SMTP conversation: greet, accept every envelope, read each message.
    async fn session(&self, stream: TcpStream) -> std::io::Result<()> {
        let (reader, mut writer) = stream.into_split();
        let mut reader = BufReader::new(reader);
        writer.write_all(b"220 bench-sink ESMTP\r\n").await?;
        let mut line = String::new();
        let mut recipients = Vec::new();
        loop {
            line.clear();
            if reader.read_line(&mut line).await? == 0 {
                return Ok(());
            }
            let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
            match verb.as_str() {
                "EHLO" | "HELO" => writer.write_all(b"250-bench-sink\r\n250 8BITMIME\r\n").await?,
                "RCPT" => {
                    if let Some(address) = line.split('<').nth(1).and_then(|rest| rest.split('>').next()) {
                        recipients.push(address.to_owned());
                    }
                    writer.write_all(b"250 OK\r\n").await?
                }
                "DATA" => {
                    writer.write_all(b"354 go ahead\r\n").await?;
                    let subject = read_message(&mut reader).await?;
                    let at = Instant::now();
                    if let Some(code) = subject.as_deref().and_then(six_digits) {
                        let mut codes = self.codes.lock().unwrap();
                        for recipient in recipients.drain(..) {
                            let entry = codes.entry(recipient).or_insert(Received { count: 0, code: String::new(), at });
                            *entry = Received { count: entry.count + 1, code: code.clone(), at };
                        }
                    }
                    recipients.clear();
                    self.arrived.notify_waiters();
                    writer.write_all(b"250 queued\r\n").await?
                }
                "QUIT" => {
                    writer.write_all(b"221 bye\r\n").await?;
                    return Ok(());
                }
                "RSET" => {
                    recipients.clear();
                    writer.write_all(b"250 OK\r\n").await?
                }
                _ => writer.write_all(b"250 OK\r\n").await?,
            }
        }
    }
}

/// Reads a message up to the lone dot; returns its Subject header.
async fn read_message(reader: &mut BufReader<tokio::net::tcp::OwnedReadHalf>) -> std::io::Result<Option<String>> {
    let mut subject = None;
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).await? == 0 || line == ".\r\n" {
            return Ok(subject);
        }
        if subject.is_none() && line.to_ascii_lowercase().starts_with("subject:") {
            subject = Some(line.trim_end().to_owned());
        }
    }
}

/// The first run of exactly six digits.
pub fn six_digits(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    (0..bytes.len().saturating_sub(5))
        .find(|&i| {
            bytes[i..i + 6].iter().all(u8::is_ascii_digit)
                && bytes.get(i + 6).is_none_or(|b| !b.is_ascii_digit())
                && (i == 0 || !bytes[i - 1].is_ascii_digit())
        })
        .map(|i| text[i..i + 6].to_owned())
}

#[cfg(test)]
mod tests {
    #[test]
    fn finds_the_code_in_a_subject() {
        assert_eq!(super::six_digits("Subject: AgentGate sign-in code: 042917").as_deref(), Some("042917"));
        assert_eq!(super::six_digits("no code 1234567"), None);
    }
}
