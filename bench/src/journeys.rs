//! What a user does, as the benchmark repeats it: the complete login (login
//! page, password, the emailed code as it reached the SMTP server, code,
//! signed-in home), and the fixtures it needs (a company full of agents with
//! 2FA on).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use agentgate::db::models::{Agent, Company, NewAgent, NewCompany};
use agentgate::db::{PoolSettings, connect};
use agentgate::domain::{Role, TwoFactorStatus, new_public_id};
use diesel::prelude::*;

use crate::smtp::Inbox;

pub const PASSWORD: &str = "correct horse battery staple";

/// The benchmark's view of the server's database.
#[derive(Clone)]
pub struct Fixtures {
    pub emails: Arc<Vec<String>>,
    next: Arc<AtomicUsize>,
    pub inbox: Inbox,
    /// Per journey: from the password POST, and from its answer, to the code
    /// email at the SMTP server.
    handoffs: Arc<std::sync::Mutex<Vec<Handoff>>>,
}

impl Fixtures {
    /// Creates a company with an admin and `agents` agents who all have 2FA on
    /// and one password (hashed once: hashing is what the server is measured on).
    pub fn seed(database_url: &str, agents: usize, inbox: Inbox) -> anyhow::Result<Fixtures> {
        let pool = connect(database_url, &PoolSettings { max_size: 8, connect_timeout: Duration::from_secs(10) })?;
        let mut conn = pool.get()?;
        let now = chrono::Utc::now().naive_utc();
        let company_id = new_public_id();
        Company::insert(&mut conn, &NewCompany { id: &company_id, name: "Bench Support", trusted_days_max: 30, created_at: now, language: "en" })?;
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
                        language: "en",
                    },
                )?;
                if i > 0 {
                    Agent::set_two_factor(conn, &id, TwoFactorStatus::Enabled)?;
                }
                emails.push(email);
            }
            Ok(())
        })?;
        Ok(Fixtures { emails: Arc::new(emails), next: Arc::new(AtomicUsize::new(1)), inbox, handoffs: Default::default() })
    }

    /// The same agents, their codes read at another SMTP server.
    pub fn with_inbox(&self, inbox: Inbox) -> Fixtures {
        Fixtures { emails: self.emails.clone(), next: self.next.clone(), inbox, handoffs: self.handoffs.clone() }
    }

    /// A fresh agent for each journey, so the per-agent code limits (5 codes per
    /// 15 minutes) are never what the benchmark measures.
    pub fn next_agent(&self) -> String {
        let i = self.next.fetch_add(1, Ordering::Relaxed);
        self.emails[1 + (i - 1) % (self.emails.len() - 1)].clone()
    }

    /// The handoff times recorded since the last call, emptied.
    pub fn take_handoffs(&self) -> Vec<Handoff> {
        std::mem::take(&mut *self.handoffs.lock().unwrap())
    }
}

/// When a login's code email reached the SMTP server: after the password POST
/// was sent (argon2 included, and any wait for a hashing slot), and after its
/// answer arrived (the outbox and SMTP alone).
#[derive(Clone, Copy)]
pub struct Handoff {
    pub from_post: Duration,
    pub from_answer: Duration,
}

/// The value of the first `csrf_token` field in a page.
pub fn csrf_token_in(html: &str) -> Option<String> {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_owned())
}

pub fn browser() -> reqwest::Client {
    browser_builder().build().expect("client")
}

/// What every browser of the benchmark is: it keeps cookies and does not
/// follow redirects (the journeys read each `Location`).
fn browser_builder() -> reqwest::ClientBuilder {
    reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none())
}

/// A browser at client address `ip`, as a trusted reverse proxy reports it
/// (`X-Forwarded-For`; the server must list 127.0.0.1 in
/// `AGENTGATE_TRUSTED_PROXIES` to believe it).
pub fn browser_at(ip: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-forwarded-for", ip.parse().expect("an IP is a header value"));
    browser_builder().default_headers(headers).build().expect("client")
}

/// A browser connecting from `ip`, a loopback address of its own
/// (127.0.0.0/8), so that a proxy in front of the server sees, and forwards,
/// a client address per browser.
pub fn browser_from(ip: std::net::IpAddr) -> reqwest::Client {
    browser_builder().local_address(ip).build().expect("client")
}

/// The `n`th of the office addresses the benchmark's agents come from
/// (198.18.0.0/15, the range set aside for benchmarks).
pub fn office_ip(n: usize) -> String {
    format!("198.18.{}.{}", (n / 250) % 250, 1 + n % 250)
}

fn location(response: &reqwest::Response) -> String {
    response.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned()
}

pub async fn page(client: &reqwest::Client, url: &str) -> Result<String, String> {
    let response = client.get(url).send().await.map_err(|e| e.to_string())?;
    let status = response.status();
    let body = response.text().await.map_err(|e| e.to_string())?;
    if status.is_success() { Ok(body) } else { Err(format!("GET {url}: {status}")) }
}

/// Signs an agent without 2FA in with [`PASSWORD`] and stays signed in.
pub async fn sign_in_without_code(client: &reqwest::Client, base: &str, email: &str) -> anyhow::Result<()> {
    let login = client.get(format!("{base}/login")).send().await?.text().await?;
    let token = csrf_token_in(&login).ok_or_else(|| anyhow::anyhow!("no CSRF token"))?;
    let response = client
        .post(format!("{base}/login"))
        .form(&[("csrf_token", token.as_str()), ("email", email), ("password", PASSWORD)])
        .send()
        .await?;
    anyhow::ensure!(response.status() == 303, "{email} could not log in: {}", response.status());
    Ok(())
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
    let codes_before = fixtures.inbox.codes_received(email);
    let posted = Instant::now();
    let response = client
        .post(format!("{base}/login"))
        .form(&[("csrf_token", token.as_str()), ("email", email), ("password", PASSWORD)])
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let answered = Instant::now();
    let path = match (response.status().as_u16(), location(&response).as_str()) {
        (303, "/") => LoginPath::TrustedComputer,
        (303, "/login/verify") => {
            let (code, arrived) = fixtures.inbox.wait_for_code(email, codes_before).await?;
            let handoff = Handoff { from_post: arrived.saturating_duration_since(posted), from_answer: arrived.saturating_duration_since(answered) };
            fixtures.handoffs.lock().unwrap().push(handoff);
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
    Ok(path)
}

/// Logs the browser's agent out, so that its next journey starts from the
/// login page (a browser used once is simply dropped, as a closed tab).
pub async fn log_out(client: &reqwest::Client, base: &str) -> Result<(), String> {
    let home = page(client, &format!("{base}/")).await?;
    let token = csrf_token_in(&home).ok_or("no CSRF token on /")?;
    let response = client.post(format!("{base}/logout")).form(&[("csrf_token", token.as_str())]).send().await.map_err(|e| e.to_string())?;
    if response.status() == 303 { Ok(()) } else { Err(format!("logout answered {}", response.status())) }
}

/// A mistyped password: the login page, then a wrong password. Answered
/// 401 (wrong) or 429 (the account or address is paused): anything else is an error.
pub async fn wrong_password(client: &reqwest::Client, base: &str, email: &str) -> Result<u16, String> {
    let login = page(client, &format!("{base}/login")).await?;
    let token = csrf_token_in(&login).ok_or("no CSRF token on /login")?;
    let response = client
        .post(format!("{base}/login"))
        .form(&[("csrf_token", token.as_str()), ("email", email), ("password", "not the password at all")])
        .send()
        .await
        .map_err(|e| e.to_string())?;
    match response.status().as_u16() {
        status @ (401 | 429) => Ok(status),
        status => Err(format!("a wrong password answered {status}")),
    }
}

/// A complete login in which the agent asks for another code: login page,
/// password, the first code's email, `cooldown` (the server's
/// `AGENTGATE_CODE_RESEND_SECONDS`), "Resend code", the second code, which
/// is entered, and the signed-in home page.
pub async fn login_with_resend(client: &reqwest::Client, base: &str, fixtures: &Fixtures, email: &str, cooldown: Duration) -> Result<(), String> {
    let login = page(client, &format!("{base}/login")).await?;
    let token = csrf_token_in(&login).ok_or("no CSRF token on /login")?;
    let codes_before = fixtures.inbox.codes_received(email);
    let response = client
        .post(format!("{base}/login"))
        .form(&[("csrf_token", token.as_str()), ("email", email), ("password", PASSWORD)])
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if response.status() != 303 || location(&response) != "/login/verify" {
        return Err(format!("password step answered {} to {:?}", response.status(), location(&response)));
    }
    fixtures.inbox.wait_for_code(email, codes_before).await?;
    tokio::time::sleep(cooldown).await;
    let verify = page(client, &format!("{base}/login/verify")).await?;
    let token = csrf_token_in(&verify).ok_or("no CSRF token on /login/verify")?;
    let response = client.post(format!("{base}/login/resend")).form(&[("csrf_token", token.as_str())]).send().await.map_err(|e| e.to_string())?;
    if response.status() != 303 {
        return Err(format!("resend answered {} to {:?}", response.status(), location(&response)));
    }
    let (code, _) = fixtures.inbox.wait_for_code(email, codes_before + 1).await?;
    let verify = page(client, &format!("{base}/login/verify")).await?;
    let token = csrf_token_in(&verify).ok_or("no CSRF token on /login/verify")?;
    let response =
        client.post(format!("{base}/login/verify")).form(&[("csrf_token", token.as_str()), ("code", code.as_str())]).send().await.map_err(|e| e.to_string())?;
    if response.status() != 303 || location(&response) != "/" {
        return Err(format!("the resent code answered {} to {:?}", response.status(), location(&response)));
    }
    let home = page(client, &format!("{base}/")).await?;
    if !home.contains("Welcome") {
        return Err("the home page did not greet a signed-in agent".to_owned());
    }
    Ok(())
}
