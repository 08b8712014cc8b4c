//! Several instances (issue 25, item 3): N `agentgate serve` processes on one
//! PostgreSQL database behind HAProxy (round-robin per request, no sticky
//! sessions, each instance health-checked on `/readyz`), all with the same
//! secret key and public URL as docs/DEPLOYMENT.md says, running complete
//! logins through the proxy at 16 at once. A login's five requests land on
//! different instances, so it works only because everything lives in the
//! database. Each browser connects from a loopback address of its own, which
//! HAProxy forwards as the client's (`X-Forwarded-For`). Every code email is counted at the SMTP server by its
//! Message-ID (the outbox row's id): a duplicate is an email two instances
//! both sent, and a row the database calls sent that never arrived is one lost.
//! One instance behind the same proxy, in the same run, is the comparison.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use base64::Engine;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text, Timestamp};
use tokio::process::{Child, Command};

use crate::Report;
use crate::journeys::{Fixtures, browser_from, complete_login};
use crate::load::{self, Stats};
use crate::server::{Database, Server, free_port, smtp_env};
use crate::smtp::Inbox;

/// Logins at once through the proxy.
const CONCURRENCY: usize = 16;
/// The most connections one instance gets (AgentGate's default pool).
const MAX_POOL: u32 = 10;

/// What PostgreSQL allows, read before the instances start.
struct ConnectionLimits {
    max_connections: i64,
    reserved: i64,
    in_use: i64,
}

impl ConnectionLimits {
    /// The pool of each of `instances` instances: together they take at most
    /// half of the connections left (well within the limit), at most 10 each.
    fn pool_size(&self, instances: usize) -> u32 {
        let left = self.max_connections - self.reserved - self.in_use - 10;
        ((left / 2) / instances as i64).clamp(2, i64::from(MAX_POOL)) as u32
    }
}

/// One configuration's run: N instances behind the proxy.
struct Outcome {
    instances: usize,
    pool: u32,
    stats: Stats,
    mail: MailCheck,
    peak_connections: i64,
    /// Requests each instance answered, as HAProxy counted them.
    spread: Vec<u64>,
}

/// The code emails of one run, as the database and the SMTP server saw them.
#[derive(Default)]
struct MailCheck {
    /// The run's emails that arrived.
    received: usize,
    /// Messages received beyond the first of their Message-ID (warm-up included).
    duplicates: u64,
    /// Rows the outbox marked sent that never arrived.
    lost: usize,
    /// Rows still waiting to be sent when the run was over.
    unsent: usize,
}

pub async fn run(report: &mut Report, database: &Database, counts: &[usize], duration: Duration) -> anyhow::Result<()> {
    let what = format!("complete logins through HAProxy, {} instances", counts.iter().map(|n| n.to_string()).collect::<Vec<_>>().join(" and "));
    let (Database::Postgres { admin_url, url, .. }, Some(name)) = (database, database.postgres_name()) else {
        report.add(what, "not measured: several instances need PostgreSQL (--database postgres://…)", "", None);
        return Ok(());
    };
    let Some(haproxy) = find_in_path("haproxy") else {
        report.add(what, "not measured: haproxy is not installed (apt-get install -y haproxy; scripts/bench installs it when run as root)", "", None);
        return Ok(());
    };
    let limits = connection_limits(admin_url)?;
    let secret = base64::engine::general_purpose::STANDARD.encode(random_bytes::<64>()?);
    let proxy_port = free_port();
    let public_url = format!("http://127.0.0.1:{proxy_port}");
    // N instances on this one machine share its cores, as N machines would
    // not: each gets its share of hashing threads and workers (at least one),
    // so that together they hash no more at once than one instance does.
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let environment = |smtp_url: &str, pool: u32, instances: usize| {
        let share = (cores / instances).max(1).to_string();
        let mut env = smtp_env(smtp_url);
        env.extend([
            ("AGENTGATE_SECRET_KEY", secret.clone()),
            ("AGENTGATE_PUBLIC_URL", public_url.clone()),
            ("AGENTGATE_TRUSTED_PROXIES", "127.0.0.1".to_owned()),
            ("AGENTGATE_DB_POOL_SIZE", pool.to_string()),
            ("AGENTGATE_HASH_CONCURRENCY", share.clone()),
            ("AGENTGATE_WORKERS", share),
        ]);
        env
    };

    // One instance migrates the new database; the agents are added to it.
    let (inbox, smtp_url) = Inbox::start().await?;
    let fixtures = {
        let _migrating = Server::start(database, &environment(&smtp_url, 2, 1)).await?;
        let url = url.clone();
        tokio::task::spawn_blocking(move || Fixtures::seed(&url, 2_000, inbox)).await??
    };

    let mut outcomes: Vec<Outcome> = Vec::new();
    for instances in std::iter::once(1).chain(counts.iter().copied().filter(|&n| n > 1)) {
        let pool = limits.pool_size(instances);
        eprintln!("  {instances} instance(s) behind HAProxy, AGENTGATE_DB_POOL_SIZE={pool}, AGENTGATE_HASH_CONCURRENCY and AGENTGATE_WORKERS {} each", (cores / instances).max(1));
        let (inbox, smtp_url) = Inbox::start().await?;
        let fixtures = fixtures.with_inbox(inbox.clone());
        let mut servers = Vec::new();
        for _ in 0..instances {
            servers.push(Server::start(database, &environment(&smtp_url, pool, instances)).await?);
        }
        let proxy = Proxy::start(&haproxy, proxy_port, &servers).await?;
        let browsers = Arc::new(AtomicUsize::new(0));
        // A second of logins first: fresh instances' first hashes and queries are not what is compared.
        let _ = logins(&fixtures, &public_url, &browsers, Duration::from_secs(1)).await;
        let started_at = chrono::Utc::now().naive_utc();
        let watching = Arc::new(AtomicBool::new(true));
        let watcher = watch_connections(admin_url.clone(), name.to_owned(), watching.clone());
        let stats = logins(&fixtures, &public_url, &browsers, duration).await;
        watching.store(false, Ordering::Relaxed);
        let peak_connections = watcher.await??;
        let spread = proxy.requests_per_server().await.unwrap_or_default();
        let mail = check_mail(url, started_at, &inbox).await?;
        drop(proxy);
        drop(servers);
        outcomes.push(Outcome { instances, pool, stats, mail, peak_connections, spread });
    }

    let one = outcomes.first().map_or(f64::NAN, |o| o.stats.per_second());
    for outcome in &outcomes {
        let n = outcome.instances;
        let ratio = outcome.stats.per_second() / one;
        let spread = outcome.spread.iter().map(u64::to_string).collect::<Vec<_>>().join(" / ");
        let (value, target, met) = if n == 1 {
            (crate::fmt_journeys(&outcome.stats), "0 errors".to_owned(), outcome.stats.errors == 0)
        } else {
            (format!("{} = {ratio:.2} of one instance's", crate::fmt_journeys(&outcome.stats)), "0 errors; >= 0.9 of one instance's".to_owned(), outcome.stats.errors == 0 && ratio >= 0.9)
        };
        report.add(
            format!("complete logins through HAProxy, {n} instance{} (requests per instance {spread}), {CONCURRENCY} at once", if n == 1 { "" } else { "s" }),
            value,
            target,
            Some(met),
        );
        let mail = &outcome.mail;
        report.add(
            format!("code emails at the SMTP server by Message-ID, {n} instance{}", if n == 1 { "" } else { "s" }),
            format!("{} emails, {} delivered twice, {} sent but not received, {} never sent", mail.received, mail.duplicates, mail.lost, mail.unsent),
            "each exactly once",
            Some(mail.duplicates == 0 && mail.lost == 0 && mail.unsent == 0 && mail.received > 0),
        );
        let within = outcome.peak_connections <= limits.max_connections - limits.reserved;
        report.add(
            format!("PostgreSQL connections, {n} instance{}", if n == 1 { "" } else { "s" }),
            format!(
                "AGENTGATE_DB_POOL_SIZE={} each: {n} x {} = {} of max_connections {} ({} reserved); peak {} in the database",
                outcome.pool,
                outcome.pool,
                n as u32 * outcome.pool,
                limits.max_connections,
                limits.reserved,
                outcome.peak_connections
            ),
            "within max_connections",
            Some(within),
        );
    }
    Ok(())
}

/// Complete logins through the proxy at `base`, [`CONCURRENCY`] at once, each
/// browser from a loopback address of its own, as HAProxy forwards it (from
/// one address, every password attempt in flight counts against it before
/// its hash, and N instances have N times the attempts in flight).
async fn logins(fixtures: &Fixtures, base: &str, browsers: &Arc<AtomicUsize>, duration: Duration) -> Stats {
    let (fixtures, base, browsers) = (fixtures.clone(), base.to_owned(), browsers.clone());
    load::run(CONCURRENCY, duration, move |_| {
        let (fixtures, base) = (fixtures.clone(), base.clone());
        let n = browsers.fetch_add(1, Ordering::Relaxed);
        let client = browser_from(std::net::Ipv4Addr::new(127, 1, (n / 250 % 250) as u8, (1 + n % 250) as u8).into());
        async move { complete_login(&client, &base, &fixtures, &fixtures.next_agent(), false).await.map(|_| ()) }
    })
    .await
}

/// HAProxy in front of the instances, with a generated configuration; stopped when dropped.
struct Proxy {
    _child: Child,
    stats_url: String,
    _dir: tempfile::TempDir,
}

impl Proxy {
    async fn start(haproxy: &Path, port: u16, servers: &[Server]) -> anyhow::Result<Proxy> {
        let dir = tempfile::tempdir()?;
        let stats_port = free_port();
        let backends: String = servers
            .iter()
            .enumerate()
            .map(|(i, server)| format!("    server agentgate{} {}\n", i + 1, server.base_url.trim_start_matches("http://")))
            .collect();
        // Round-robin for every request (HAProxy balances each request of a
        // kept-alive connection on its own), no stickiness, the client's
        // address overwritten into X-Forwarded-For as docs/DEPLOYMENT.md asks.
        let config = format!(
            "global\n    maxconn 4096\n\n\
             defaults\n    mode http\n    timeout connect 5s\n    timeout client 60s\n    timeout server 60s\n\n\
             frontend agentgate\n    bind 127.0.0.1:{port}\n    http-request set-header X-Forwarded-For %[src]\n    default_backend instances\n\n\
             backend instances\n    balance roundrobin\n    option httpchk GET /readyz\n    http-check expect status 200\n\
             \x20   default-server check inter 2s fall 2 rise 1\n{backends}\n\
             frontend stats\n    bind 127.0.0.1:{stats_port}\n    stats enable\n    stats uri /stats\n"
        );
        let config_path = dir.path().join("haproxy.cfg");
        std::fs::write(&config_path, config)?;
        let log = std::fs::File::create(dir.path().join("haproxy.log"))?;
        let mut child = Command::new(haproxy)
            .arg("-db")
            .arg("-f")
            .arg(&config_path)
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .kill_on_drop(true)
            .spawn()?;
        let proxy_url = format!("http://127.0.0.1:{port}/readyz");
        let client = reqwest::Client::new();
        let started = Instant::now();
        loop {
            if let Ok(response) = client.get(&proxy_url).send().await
                && response.status().is_success()
            {
                break;
            }
            if let Some(status) = child.try_wait()? {
                let log = std::fs::read_to_string(dir.path().join("haproxy.log")).unwrap_or_default();
                anyhow::bail!("haproxy exited ({status}): {log}");
            }
            anyhow::ensure!(started.elapsed() < Duration::from_secs(10), "haproxy did not answer on port {port}");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        Ok(Proxy { _child: child, stats_url: format!("http://127.0.0.1:{stats_port}/stats;csv"), _dir: dir })
    }

    /// The HTTP answers each server gave, from HAProxy's statistics (CSV).
    async fn requests_per_server(&self) -> anyhow::Result<Vec<u64>> {
        let csv = reqwest::get(&self.stats_url).await?.text().await?;
        let mut lines = csv.lines();
        let header: Vec<&str> = lines.next().unwrap_or_default().trim_start_matches("# ").split(',').collect();
        let column = |name: &str| header.iter().position(|h| *h == name);
        let (proxy, server) = (column("pxname").unwrap_or(0), column("svname").unwrap_or(1));
        let classes: Vec<usize> = ["hrsp_1xx", "hrsp_2xx", "hrsp_3xx", "hrsp_4xx", "hrsp_5xx", "hrsp_other"].iter().filter_map(|c| column(c)).collect();
        Ok(lines
            .map(|line| line.split(',').collect::<Vec<_>>())
            .filter(|fields| fields.get(proxy) == Some(&"instances") && fields.get(server).is_some_and(|s| s.starts_with("agentgate")))
            .map(|fields| classes.iter().filter_map(|&c| fields.get(c)?.parse::<u64>().ok()).sum())
            .collect())
    }
}

fn find_in_path(program: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .chain(["/usr/sbin", "/sbin"])
        .map(|dir| Path::new(dir).join(program))
        .find(|candidate| candidate.is_file())
}

fn random_bytes<const N: usize>() -> std::io::Result<[u8; N]> {
    use std::io::Read;
    let mut bytes = [0u8; N];
    std::fs::File::open("/dev/urandom")?.read_exact(&mut bytes)?;
    Ok(bytes)
}

#[derive(QueryableByName)]
struct Setting {
    #[diesel(sql_type = Text)]
    setting: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    count: i64,
}

fn connection_limits(admin_url: &str) -> anyhow::Result<ConnectionLimits> {
    let mut conn = PgConnection::establish(admin_url)?;
    let mut setting = |name: &str| -> anyhow::Result<i64> {
        let row: Setting = diesel::sql_query("SELECT setting FROM pg_settings WHERE name = $1").bind::<Text, _>(name).get_result(&mut conn)?;
        Ok(row.setting.parse()?)
    };
    let (max_connections, reserved) = (setting("max_connections")?, setting("superuser_reserved_connections")?);
    let in_use: Count = diesel::sql_query("SELECT COUNT(*) AS count FROM pg_stat_activity WHERE backend_type = 'client backend'").get_result(&mut conn)?;
    Ok(ConnectionLimits { max_connections, reserved, in_use: in_use.count })
}

/// Samples the connections to the database `name` every 100 ms while
/// `watching` holds; returns the most seen.
fn watch_connections(admin_url: String, name: String, watching: Arc<AtomicBool>) -> tokio::task::JoinHandle<anyhow::Result<i64>> {
    tokio::task::spawn_blocking(move || {
        let mut conn = PgConnection::establish(&admin_url)?;
        let mut peak = 0;
        while watching.load(Ordering::Relaxed) {
            let now: Count = diesel::sql_query("SELECT COUNT(*) AS count FROM pg_stat_activity WHERE datname = $1").bind::<Text, _>(&name).get_result(&mut conn)?;
            peak = peak.max(now.count);
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(peak)
    })
}

#[derive(QueryableByName)]
struct OutboxRow {
    #[diesel(sql_type = Text)]
    id: String,
    #[diesel(sql_type = Text)]
    status: String,
}

/// Compares the emails the outbox wrote since `since` with what reached the
/// SMTP server, once nothing is left to send (at most 15 s after the load).
async fn check_mail(url: &str, since: chrono::NaiveDateTime, inbox: &Inbox) -> anyhow::Result<MailCheck> {
    let url = url.to_owned();
    let read_outbox = move || -> anyhow::Result<Vec<OutboxRow>> {
        let mut conn = PgConnection::establish(&url)?;
        Ok(diesel::sql_query("SELECT id, status FROM outbox WHERE created_at >= $1").bind::<Timestamp, _>(since).load(&mut conn)?)
    };
    let waiting = |rows: &[OutboxRow]| rows.iter().filter(|r| r.status == agentgate::mail::outbox::PENDING).count();
    let deadline = Instant::now() + Duration::from_secs(15);
    let mut rows = tokio::task::spawn_blocking(read_outbox.clone()).await??;
    while waiting(&rows) > 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(250)).await;
        rows = tokio::task::spawn_blocking(read_outbox.clone()).await??;
    }
    // A Message-ID is <outbox row id@domain>.
    let received: HashMap<String, u32> = inbox
        .message_ids()
        .into_iter()
        .map(|(message_id, count)| (message_id.trim_start_matches('<').split('@').next().unwrap_or_default().to_owned(), count))
        .collect();
    Ok(MailCheck {
        received: rows.iter().filter(|r| received.contains_key(&r.id)).count(),
        duplicates: received.values().map(|&count| u64::from(count.saturating_sub(1))).sum(),
        lost: rows.iter().filter(|r| r.status == agentgate::mail::outbox::SENT && !received.contains_key(&r.id)).count(),
        unsent: waiting(&rows),
    })
}
