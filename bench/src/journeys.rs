//! What a user does, as the benchmark repeats it: the complete login (login
//! page, password, the emailed code read from the outbox, code, signed-in
//! home), and the fixtures it needs (a company full of agents with 2FA on).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use agentgate::db::models::{Agent, Company, NewAgent, NewCompany};
use agentgate::db::schema::outbox;
use agentgate::db::{DbConnection, PoolSettings, connect};
use agentgate::domain::{Role, TwoFactorStatus, new_public_id};
use diesel::prelude::*;

pub const PASSWORD: &str = "correct horse battery staple";

/// The benchmark's view of the server's database.
#[derive(Clone)]
pub struct Fixtures {
    pub emails: Arc<Vec<String>>,
    next: Arc<AtomicUsize>,
    feed: Arc<CodeFeed>,
}

impl Fixtures {
    /// Creates a company with an admin and `agents` agents who all have 2FA on
    /// and one password (hashed once: hashing is what the server is measured on).
    pub fn seed(database_url: &str, agents: usize) -> anyhow::Result<Fixtures> {
        let pool = connect(database_url, &PoolSettings { max_size: 8, connect_timeout: Duration::from_secs(10) })?;
        let mut conn = pool.get()?;
        let now = chrono::Utc::now().naive_utc();
        let company_id = new_public_id();
        Company::insert(&mut conn, &NewCompany { id: &company_id, name: "Bench Support", trusted_days_max: 30, created_at: now })?;
        let hash = agentgate::auth::password::hash_blocking(PASSWORD)?;
        let mut emails = Vec::with_capacity(agents + 1);
        conn.transaction::<_, diesel::result::Error, _>(|conn| {
            for i in 0..=agents {
                let email = if i == 0 { "admin@bench.test".to_owned() } else { format!("agent{i}@bench.test") };
                let id = new_public_id();
                Agent::insert(
                    conn,
                    &NewAgent {
                        id: &id,
                        company_id: &company_id,
                        name: &format!("Bench Agent {i}"),
                        email: &email,
                        role: if i == 0 { Role::Admin.as_str() } else { Role::Agent.as_str() },
                        password_hash: Some(&hash),
                        active: true,
                        created_at: now,
                        password_changed_at: now,
                    },
                )?;
                if i > 0 {
                    Agent::set_two_factor(conn, &id, TwoFactorStatus::Enabled)?;
                }
                emails.push(email);
            }
            Ok(())
        })?;
        Ok(Fixtures { emails: Arc::new(emails), next: Arc::new(AtomicUsize::new(1)), feed: spawn_code_feed(pool) })
    }

    /// A fresh agent for each journey, so the per-agent code limits (5 codes per
    /// 15 minutes) are never what the benchmark measures.
    pub fn next_agent(&self) -> String {
        let i = self.next.fetch_add(1, Ordering::Relaxed);
        self.emails[1 + (i - 1) % (self.emails.len() - 1)].clone()
    }

    /// How many login codes `email` has been sent so far (see [`CodeFeed`]).
    pub fn codes_sent(&self, email: &str) -> u64 {
        self.feed.codes.lock().unwrap().get(email).map(|(n, _)| *n).unwrap_or(0)
    }

    /// Waits for a login code newer than the `before`-th one sent to `email`.
    pub async fn wait_for_code(&self, email: &str, before: u64) -> Result<String, String> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let notified = self.feed.arrived.notified();
            if let Some((count, code)) = self.feed.codes.lock().unwrap().get(email) {
                if *count > before {
                    return Ok(code.clone());
                }
            }
            if tokio::time::timeout_at(deadline.into(), notified).await.is_err() {
                return Err(format!("no code for {email} within 10 s"));
            }
        }
    }
}

/// One task reads new login-code emails from the outbox for every journey,
/// so the benchmark's own polling stays small beside the server's work.
struct CodeFeed {
    codes: std::sync::Mutex<std::collections::HashMap<String, (u64, String)>>,
    arrived: tokio::sync::Notify,
}

fn spawn_code_feed(pool: agentgate::db::DbPool) -> Arc<CodeFeed> {
    let feed = Arc::new(CodeFeed { codes: Default::default(), arrived: tokio::sync::Notify::new() });
    let shared = feed.clone();
    tokio::spawn(async move {
        let mut seen = std::collections::HashSet::<String>::new();
        let mut since = chrono::Utc::now().naive_utc() - chrono::Duration::hours(1);
        loop {
            let pool = pool.clone();
            let rows = tokio::task::spawn_blocking(move || -> Vec<(String, String, String, chrono::NaiveDateTime)> {
                let Ok(mut conn) = pool.get() else { return Vec::new() };
                outbox::table
                    .filter(outbox::kind.eq("login_code"))
                    // Rows commit out of created_at order: look back a little; `seen` drops repeats.
                    .filter(outbox::created_at.ge(since - chrono::Duration::seconds(3)))
                    .order(outbox::created_at.asc())
                    .select((outbox::id, outbox::recipient, outbox::subject, outbox::created_at))
                    .load(&mut conn as &mut DbConnection)
                    .unwrap_or_default()
            })
            .await
            .unwrap_or_default();
            let mut any = false;
            for (id, recipient, subject, created_at) in rows {
                since = since.max(created_at);
                if !seen.insert(id) {
                    continue;
                }
                if let Some(code) = six_digits(&subject) {
                    let mut codes = shared.codes.lock().unwrap();
                    let entry = codes.entry(recipient).or_insert((0, String::new()));
                    *entry = (entry.0 + 1, code);
                    any = true;
                }
            }
            if any {
                shared.arrived.notify_waiters();
            }
            tokio::time::sleep(Duration::from_millis(3)).await;
        }
    });
    feed
}

/// The first run of six digits in a subject.
fn six_digits(subject: &str) -> Option<String> {
    let bytes = subject.as_bytes();
    (0..bytes.len().saturating_sub(5))
        .find(|&i| bytes[i..i + 6].iter().all(u8::is_ascii_digit) && bytes.get(i + 6).is_none_or(|b| !b.is_ascii_digit()))
        .map(|i| subject[i..i + 6].to_owned())
}

/// The value of the first `csrf_token` field in a page.
pub fn csrf_token_in(html: &str) -> Option<String> {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_owned())
}

pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

fn location(response: &reqwest::Response) -> String {
    response.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned()
}

async fn page(client: &reqwest::Client, url: &str) -> Result<String, String> {
    let response = client.get(url).send().await.map_err(|e| e.to_string())?;
    let status = response.status();
    let body = response.text().await.map_err(|e| e.to_string())?;
    if status.is_success() { Ok(body) } else { Err(format!("GET {url}: {status}")) }
}

/// How a complete login ended.
pub enum LoginPath {
    WithCode,
    TrustedComputer,
}

/// One complete login in `client` (its cookie jar is the browser): login page,
/// password, and when asked the emailed code (ticking "I am on a trusted
/// computer" when `trust` is set), ending on the signed-in home page.
pub async fn complete_login(
    client: &reqwest::Client,
    base: &str,
    fixtures: &Fixtures,
    email: &str,
    trust: bool,
) -> Result<LoginPath, String> {
    let login = page(client, &format!("{base}/login")).await?;
    let token = csrf_token_in(&login).ok_or("no CSRF token on /login")?;
    let codes_before = fixtures.codes_sent(email);
    let response = client
        .post(format!("{base}/login"))
        .form(&[("csrf_token", token.as_str()), ("email", email), ("password", PASSWORD)])
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let path = match (response.status().as_u16(), location(&response).as_str()) {
        (303, "/") => LoginPath::TrustedComputer,
        (303, "/login/verify") => {
            let code = fixtures.wait_for_code(email, codes_before).await?;
            let verify = page(client, &format!("{base}/login/verify")).await?;
            let token = csrf_token_in(&verify).ok_or("no CSRF token on /login/verify")?;
            let mut fields = vec![("csrf_token", token.as_str()), ("code", code.as_str())];
            if trust {
                fields.push(("trusted", "on"));
            }
            let response = client.post(format!("{base}/login/verify")).form(&fields).send().await.map_err(|e| e.to_string())?;
            if response.status() != 303 || location(&response) != "/" {
                return Err(format!("code step answered {} to {}", response.status(), location(&response)));
            }
            LoginPath::WithCode
        }
        (status, to) => return Err(format!("password step answered {status} to {to:?}")),
    };
    let home = page(client, &format!("{base}/")).await?;
    if !home.contains("Welcome") {
        return Err("the home page did not greet a signed-in agent".to_owned());
    }
    // Log out, so the next journey in this browser starts from the login page.
    let token = csrf_token_in(&home).ok_or("no CSRF token on /")?;
    client.post(format!("{base}/logout")).form(&[("csrf_token", token.as_str())]).send().await.map_err(|e| e.to_string())?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    #[test]
    fn finds_the_code_in_a_subject() {
        assert_eq!(super::six_digits("AgentGate code 042917 for you").as_deref(), Some("042917"));
        assert_eq!(super::six_digits("no code 1234567"), None);
    }
}
