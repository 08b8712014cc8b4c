//! The SMTP server the benchmarked AgentGate delivers to: it accepts every
//! message over plain SMTP on loopback, notes the sign-in code in its subject
//! and when it arrived, and counts each Message-ID (AgentGate's is the outbox
//! row's id, so a message delivered twice arrives twice with the same one).
//! The journeys read their codes here, so every login's email really went
//! through the outbox, lettre and SMTP.

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
    /// How many times each Message-ID arrived (a message without one is
    /// counted under the empty string).
    message_ids: Arc<Mutex<HashMap<String, u32>>>,
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

    /// How many times each Message-ID has arrived so far.
    pub fn message_ids(&self) -> HashMap<String, u32> {
        self.message_ids.lock().unwrap().clone()
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
                    let Headers { subject, message_id } = read_message(&mut reader).await?;
                    let at = Instant::now();
                    *self.message_ids.lock().unwrap().entry(message_id.unwrap_or_default()).or_insert(0) += 1;
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

/// The headers the benchmark reads.
struct Headers {
    subject: Option<String>,
    message_id: Option<String>,
}

/// Reads a message up to the lone dot; returns its Subject and Message-ID headers.
async fn read_message(reader: &mut BufReader<tokio::net::tcp::OwnedReadHalf>) -> std::io::Result<Headers> {
    let mut headers = Headers { subject: None, message_id: None };
    let mut in_headers = true;
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).await? == 0 || line == ".\r\n" {
            return Ok(headers);
        }
        if line == "\r\n" {
            in_headers = false;
        }
        if !in_headers {
            continue;
        }
        let lower = line.to_ascii_lowercase();
        if headers.subject.is_none() && lower.starts_with("subject:") {
            headers.subject = Some(line.trim_end().to_owned());
        } else if headers.message_id.is_none() && lower.starts_with("message-id:") {
            headers.message_id = Some(line["message-id:".len()..].trim().to_owned());
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
