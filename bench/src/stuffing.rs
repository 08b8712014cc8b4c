//! Credential stuffing (issue 25, item 5): the benchmark is a trusted proxy
//! at loopback (`AGENTGATE_TRUSTED_PROXIES=127.0.0.1`) and sends a flood of
//! wrong passwords for many accounts, each from another client address
//! (`X-Forwarded-For`), at five times the hash capacity measured just before,
//! for `BENCH_STUFFING_SECONDS` (60). Meanwhile agents log in at a steady
//! rate on the browsers they signed in on before, which hold their device
//! cookie (src/auth/device_cookie.rs): their attempts count against that
//! device, not against their flooded account or an address, and take the
//! hashing pool's own lane. A quarter of the flood aims at exactly their
//! accounts, so those are paused for everyone else.
//!
//! The flood is an open loop: attempts are sent at the offered rate whatever
//! the answers, up to 1,000 in flight (the attackers' connections); an attempt
//! due while 1,000 wait is counted as not sent.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;

use crate::Report;
use crate::journeys::{self, Fixtures, browser_at, complete_login, csrf_token_in, office_ip};
use crate::load::Stats;
use crate::server::{Database, Server, smtp_env};
use crate::smtp::Inbox;

/// The flood's rate, in hashes the machine can do.
const TIMES_HASH_CAPACITY: f64 = 5.0;
/// Attempts waiting for an answer at most.
const IN_FLIGHT: usize = 1_000;
/// Attackers' cookie jars (each holds one CSRF token it reuses).
const ATTACKERS: usize = 64;
/// Agents in the company.
const AGENTS: usize = 5_000;

pub async fn run(report: &mut Report, database: &Database, duration: Duration, cores: usize) -> anyhow::Result<()> {
    let logins_per_second: f64 = std::env::var("BENCH_STUFFING_LOGINS_PER_SECOND").ok().and_then(|s| s.parse().ok()).filter(|r: &f64| *r > 0.0).unwrap_or(2.0);
    let (inbox, smtp_url) = Inbox::start().await?;
    let mut env = smtp_env(&smtp_url);
    env.push(("AGENTGATE_TRUSTED_PROXIES", "127.0.0.1".to_owned()));
    let server = Server::start(database, &env).await?;
    let base = server.base_url.clone();
    let fixtures = {
        let url = database.url();
        tokio::task::spawn_blocking(move || Fixtures::seed(&url, AGENTS, inbox)).await??
    };

    // Agents who signed in on their browser before: enough of them that none
    // asks for more than 4 codes in the run (the limit is 5 per 15 minutes).
    let holders = ((logins_per_second * duration.as_secs_f64() / 3.0).ceil() as usize).max(16);
    let mut devices = Vec::new();
    for n in 0..holders {
        let client = browser_at(&office_ip(n));
        let email = fixtures.next_agent();
        complete_login(&client, &base, &fixtures, &email, false).await.map_err(anyhow::Error::msg)?;
        journeys::log_out(&client, &base).await.map_err(anyhow::Error::msg)?;
        devices.push(Arc::new(tokio::sync::Mutex::new((client, email))));
    }
    let targeted: Vec<String> = devices.iter().map(|d| d.try_lock().expect("unused").1.clone()).collect();

    let capacity = crate::argon2_parallel_rate(cores, Duration::from_secs(1));
    let offered = capacity * TIMES_HASH_CAPACITY;
    eprintln!("  credential stuffing: {offered:.0} wrong passwords a second for {} s, {holders} agents on their own browser at {logins_per_second}/s", duration.as_secs());
    let flood = tokio::spawn(flood(base.clone(), fixtures.clone(), targeted, offered, duration));
    let holders_stats = device_logins(base.clone(), fixtures.clone(), devices, logins_per_second, duration).await;
    let flood = flood.await??;
    let (_, peak_mib) = server.memory_mib();
    drop(server);

    let statuses = flood.statuses.iter().map(|(status, n)| if *status == 0 { format!("{n}x no answer") } else { format!("{n}x {status}") }).collect::<Vec<_>>().join(", ");
    let flood_5xx: u64 = flood.statuses.iter().filter(|(status, _)| **status >= 500).map(|(_, n)| n).sum();
    let unanswered = flood.statuses.get(&0).copied().unwrap_or(0);
    let seconds = duration.as_secs();
    report.add(
        format!("credential stuffing, {seconds} s: wrong passwords offered at {TIMES_HASH_CAPACITY:.0}x the hash capacity ({capacity:.0} hashes/s)"),
        format!(
            "{offered:.0}/s offered, {:.0}/s sent ({} attempts from as many addresses, {} not sent with {IN_FLIGHT} in flight), for {AGENTS} accounts and unknown addresses",
            flood.sent as f64 / flood.elapsed.as_secs_f64(),
            flood.sent,
            flood.not_sent
        ),
        "",
        None,
    );
    report.add(format!("credential stuffing, {seconds} s: answers to the flood"), statuses, "no 5xx, every attempt answered", Some(flood_5xx == 0 && unanswered == 0));
    let holders_5xx = holders_stats.errors_5xx;
    let stats = &holders_stats.stats;
    report.add(
        format!("credential stuffing, {seconds} s: complete logins of {holders} agents on their own browser (device cookie), {logins_per_second}/s"),
        crate::fmt_journeys(stats),
        "p99 < 1 s, 0 errors",
        Some(stats.errors == 0 && stats.ok > 0 && stats.quantile_ms(0.99) < 1000.0),
    );
    report.add(format!("credential stuffing, {seconds} s: 5xx answers"), format!("{} ({flood_5xx} to the flood, {holders_5xx} to the agents)", flood_5xx + holders_5xx), "0", Some(flood_5xx + holders_5xx == 0));
    report.add(format!("credential stuffing, {seconds} s: server's peak resident memory"), format!("{peak_mib:.1} MiB"), "< 200 MiB", Some(peak_mib < 200.0));
    Ok(())
}

/// What the flood saw.
struct Flood {
    sent: u64,
    not_sent: u64,
    elapsed: Duration,
    /// Answers by status (0: no answer).
    statuses: BTreeMap<u16, u64>,
}

/// Sends wrong passwords at `rate` a second for `duration`, each from its own
/// address: every fourth for one of `targeted`, the others for the company's
/// agents and unknown addresses in turn. Waits for the last answers.
async fn flood(base: String, fixtures: Fixtures, targeted: Vec<String>, rate: f64, duration: Duration) -> anyhow::Result<Flood> {
    let mut attackers = Vec::new();
    for _ in 0..ATTACKERS {
        // The address is per attempt; the cookie jar and its CSRF token are reused.
        let client = reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).timeout(Duration::from_secs(120)).build()?;
        let login = client.get(format!("{base}/login")).send().await?.text().await?;
        let token = csrf_token_in(&login).ok_or_else(|| anyhow::anyhow!("no CSRF token on /login"))?;
        attackers.push((client, token));
    }
    let attackers = Arc::new(attackers);
    let statuses = Arc::new(Mutex::new(BTreeMap::new()));
    let in_flight = Arc::new(Semaphore::new(IN_FLIGHT));
    let (mut sent, mut not_sent, mut owed) = (0u64, 0u64, 0.0f64);
    let started = Instant::now();
    let mut ticks = tokio::time::interval(Duration::from_millis(10));
    let mut last = started;
    while started.elapsed() < duration {
        ticks.tick().await;
        let now = Instant::now();
        owed += rate * now.duration_since(last).as_secs_f64();
        last = now;
        while owed >= 1.0 {
            owed -= 1.0;
            let Ok(permit) = in_flight.clone().try_acquire_owned() else {
                not_sent += 1;
                continue;
            };
            let n = sent as usize;
            sent += 1;
            let email = match n % 4 {
                0 => targeted[(n / 4) % targeted.len()].clone(),
                3 => format!("nobody{n}@bench.test"),
                _ => fixtures.emails[1 + n % (fixtures.emails.len() - 1)].clone(),
            };
            let (attackers, statuses, base) = (attackers.clone(), statuses.clone(), base.clone());
            tokio::spawn(async move {
                let (client, token) = &attackers[n % attackers.len()];
                // One address per attempt, across 10.0.0.0/8.
                let address = format!("10.{}.{}.{}", (n >> 16) & 255, (n >> 8) & 255, n & 255);
                let password = format!("Summer{}!", 2000 + n % 30);
                let status = client
                    .post(format!("{base}/login"))
                    .header("x-forwarded-for", address)
                    .form(&[("csrf_token", token.as_str()), ("email", email.as_str()), ("password", password.as_str())])
                    .send()
                    .await
                    .map_or(0, |response| response.status().as_u16());
                *statuses.lock().unwrap().entry(status).or_insert(0u64) += 1;
                drop(permit);
            });
        }
    }
    let elapsed = started.elapsed();
    // The last answers (the attempts still queued for a hash).
    let _ = in_flight.acquire_many(IN_FLIGHT as u32).await;
    let statuses = statuses.lock().unwrap().clone();
    Ok(Flood { sent, not_sent, elapsed, statuses })
}

/// The device holders' logins and the 5xx among their errors.
struct HolderLogins {
    stats: Stats,
    errors_5xx: u64,
}

/// One complete login every 1/`rate` seconds, by each device holder in
/// turn on their own browser (then a log-out, not timed), for `duration`.
async fn device_logins(base: String, fixtures: Fixtures, devices: Vec<Arc<tokio::sync::Mutex<(reqwest::Client, String)>>>, rate: f64, duration: Duration) -> HolderLogins {
    let results = Arc::new(Mutex::new(HolderLogins { stats: Stats::default(), errors_5xx: 0 }));
    let started = Instant::now();
    let mut logins = Vec::new();
    let mut ticks = tokio::time::interval(Duration::from_secs_f64(1.0 / rate));
    for n in 0.. {
        ticks.tick().await;
        if started.elapsed() >= duration {
            break;
        }
        let (device, base, fixtures, results) = (devices[n % devices.len()].clone(), base.clone(), fixtures.clone(), results.clone());
        logins.push(tokio::spawn(async move {
            let browser = device.lock().await;
            let (client, email) = &*browser;
            let begun = Instant::now();
            let outcome = complete_login(client, &base, &fixtures, email, false).await.map(|_| begun.elapsed());
            let outcome = match outcome {
                Ok(latency) => journeys::log_out(client, &base).await.map(|_| latency),
                Err(e) => Err(e),
            };
            let mut results = results.lock().unwrap();
            if let Err(e) = &outcome
                && mentions_5xx(e)
            {
                results.errors_5xx += 1;
            }
            results.stats.record(outcome);
        }));
    }
    for login in logins {
        let _ = login.await;
    }
    let mut results = std::mem::replace(&mut *results.lock().unwrap(), HolderLogins { stats: Stats::default(), errors_5xx: 0 });
    results.stats.elapsed = started.elapsed();
    results
}

/// Whether a journey's error names a 5xx status ("answered 503", "GET /: 500 …").
fn mentions_5xx(error: &str) -> bool {
    ["answered ", ": "].iter().any(|before| {
        error.match_indices(before).any(|(at, _)| {
            let status = &error.as_bytes()[at + before.len()..];
            status.len() >= 3 && status[0] == b'5' && status[1..3].iter().all(u8::is_ascii_digit) && status.get(3).is_none_or(|b| !b.is_ascii_digit())
        })
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn finds_a_5xx_in_an_error() {
        assert!(super::mentions_5xx("password step answered 503 to \"\""));
        assert!(super::mentions_5xx("GET http://127.0.0.1:1/: 500 Internal Server Error"));
        assert!(!super::mentions_5xx("password step answered 429 to \"\""));
        assert!(!super::mentions_5xx("no code for agent512@bench.test reached the SMTP server within 10 s"));
    }
}
