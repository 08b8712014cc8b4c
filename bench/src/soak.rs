//! The long run (issue 25, item 4): `--soak MINUTES` of a mixed load (logins
//! with an emailed code, logins on trusted computers, logins that ask for the
//! code again, wrong passwords, Agents tab views) on a server whose lifetimes
//! are cut to their minimums, so that what expires does so within the run
//! and the server's sweep (once a minute) has something to forget. Every
//! minute the server's resident memory and each table's rows and size are
//! sampled; each table's peak in the later half of the samples after the
//! warm-up is compared with its peak in the earlier half.
//!
//! The agents who log in are a company of 3,000 cycled in order, so tables
//! that hold one row per agent (code lock-outs, the per-agent code counters)
//! have one for every agent by the end of the warm-up: they are bounded by
//! the company's size, as in a real helpdesk, not by the run's length.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};

use crate::Report;
use crate::journeys::{self, Fixtures, browser_at, complete_login, office_ip};
use crate::load::{self, Stats};
use crate::server::{Database, Server, smtp_env};
use crate::smtp::Inbox;

/// The warm-up, in minutes: the longest any row below is kept (a code
/// challenge, with its codes: the pending login's minute, then the code
/// window's minute and two rounds of margin, src/config/policies.rs
/// `ended_challenge_horizons`) and one round of the server's sweep, so that
/// every kind of row that expires has expired and been swept by the first
/// sample compared.
pub const WARM_UP_MINUTES: u64 = 5;

/// The soak's bounds, in minutes: the warm-up and at least one minute after it.
pub const MINUTES: std::ops::RangeInclusive<u64> = WARM_UP_MINUTES + 1..=120;

/// Server settings that make things expire within minutes (each at its
/// minimum, src/config/, but the idle session; sent email is forgotten at
/// the next sweep, the codes being read at the benchmark's SMTP server, not
/// at /dev/mailbox); the rest keep their defaults.
/// Idle sessions end after 2 minutes, so those of dropped browsers end
/// within the warm-up, while the admin's, whose deadline moves as it views
/// (in steps of up to half the lifetime, src/web/session_store.rs
/// `IDLE_DEADLINE_STEP`), lasts the whole run.
const SHORT_LIFETIMES: [(&str, &str); 10] = [
    ("AGENTGATE_SESSION_IDLE_MINUTES", "2"),
    ("AGENTGATE_PENDING_LOGIN_MINUTES", "1"),
    ("AGENTGATE_CODE_LIFETIME_MINUTES", "1"),
    ("AGENTGATE_CODE_RESEND_SECONDS", "1"),
    ("AGENTGATE_CODE_WINDOW_MINUTES", "1"),
    ("AGENTGATE_CODE_LOCK_MINUTES", "1"),
    ("AGENTGATE_LOGIN_WINDOW_MINUTES", "1"),
    ("AGENTGATE_RESET_LINK_MINUTES", "1"),
    ("AGENTGATE_REAUTH_MINUTES", "1"),
    ("AGENTGATE_SENT_EMAIL_RETENTION_HOURS", "0"),
];

/// Tables that grow with use by design: the company's agents (none join
/// during the soak) and the audit log (kept for AGENTGATE_AUDIT_RETENTION_DAYS,
/// at least 30 days).
const GROWING_BY_DESIGN: [&str; 2] = ["agents", "audit_events"];

/// Agents in the company that logs in.
const AGENTS: usize = 3_000;
/// Browsers that logged in on a trusted computer before the soak.
const TRUSTED_BROWSERS: usize = 4;
/// Office addresses the agents come from (through the benchmark as a trusted proxy).
const OFFICES: usize = 250;

/// One table at one moment.
#[derive(Clone, Debug)]
struct TableSample {
    name: String,
    rows: i64,
    /// Bytes of the table with its indexes (`None`: SQLite without `dbstat`).
    bytes: Option<i64>,
}

/// One minute's sample.
struct Sample {
    minute: u64,
    rss_mib: f64,
    tables: Vec<TableSample>,
    /// The whole database: the SQLite file with its WAL, or `pg_database_size`.
    database_bytes: i64,
}

pub async fn run(report: &mut Report, database: &Database, minutes: u64) -> anyhow::Result<()> {
    let (inbox, smtp_url) = Inbox::start().await?;
    let mut env = smtp_env(&smtp_url);
    env.push(("AGENTGATE_TRUSTED_PROXIES", "127.0.0.1".to_owned()));
    env.extend(SHORT_LIFETIMES.iter().map(|(key, value)| (*key, (*value).to_owned())));
    let server = Server::start(database, &env).await?;
    let base = server.base_url.clone();
    let url = database.url();
    let fixtures = {
        let url = url.clone();
        tokio::task::spawn_blocking(move || Fixtures::seed(&url, AGENTS, inbox)).await??
    };
    report.add(
        format!("soak: server settings ({} agents logging in)", AGENTS),
        SHORT_LIFETIMES.iter().map(|(key, value)| format!("{key}={value}")).collect::<Vec<_>>().join(", "),
        "",
        None,
    );

    let admin = browser_at(&office_ip(0));
    journeys::sign_in_without_code(&admin, &base, "admin@bench.test").await?;
    let mut trusted = Vec::new();
    for n in 0..TRUSTED_BROWSERS {
        let client = browser_at(&office_ip(1 + n));
        let email = fixtures.next_agent();
        complete_login(&client, &base, &fixtures, &email, true).await.map_err(anyhow::Error::msg)?;
        journeys::log_out(&client, &base).await.map_err(anyhow::Error::msg)?;
        trusted.push((client, email));
    }
    let trusted = Arc::new(trusted);

    let duration = Duration::from_secs(minutes * 60);
    eprintln!("  soak: {minutes} minutes of mixed load, a sample every minute");
    let started = Instant::now();
    let sampler = {
        let (database_url, pid) = (url.clone(), server.pid());
        tokio::spawn(async move {
            let mut samples = Vec::new();
            for minute in 0..=minutes {
                tokio::time::sleep_until((started + Duration::from_secs(minute * 60)).into()).await;
                let url = database_url.clone();
                let (tables, database_bytes) = tokio::task::spawn_blocking(move || table_samples(&url)).await??;
                let rss_mib = crate::server::status_mib(pid, "VmRSS:");
                eprintln!("  soak minute {minute}: {rss_mib:.1} MiB resident, {} rows in all", tables.iter().map(|t| t.rows).sum::<i64>());
                samples.push(Sample { minute, rss_mib, tables, database_bytes });
            }
            anyhow::Ok(samples)
        })
    };

    let ip = Arc::new(AtomicUsize::new(0));
    let next_office = move || office_ip(ip.fetch_add(1, Ordering::Relaxed) % OFFICES);
    let (code_logins, trusted_logins, resends, wrong, views) = tokio::join!(
        {
            let (fixtures, base, next_office) = (fixtures.clone(), base.clone(), next_office.clone());
            load::run(6, duration, move |_| {
                let (fixtures, base, client) = (fixtures.clone(), base.clone(), browser_at(&next_office()));
                async move { complete_login(&client, &base, &fixtures, &fixtures.next_agent(), false).await.map(|_| ()) }
            })
        },
        {
            let (fixtures, base, trusted) = (fixtures.clone(), base.clone(), trusted.clone());
            load::run(TRUSTED_BROWSERS, duration, move |worker| {
                let (fixtures, base, trusted) = (fixtures.clone(), base.clone(), trusted.clone());
                async move {
                    let (client, email) = &trusted[worker];
                    complete_login(client, &base, &fixtures, email, false).await?;
                    journeys::log_out(client, &base).await
                }
            })
        },
        {
            let (fixtures, base, next_office) = (fixtures.clone(), base.clone(), next_office.clone());
            load::run(1, duration, move |_| {
                let (fixtures, base, client) = (fixtures.clone(), base.clone(), browser_at(&next_office()));
                async move { journeys::login_with_resend(&client, &base, &fixtures, &fixtures.next_agent(), Duration::from_millis(1200)).await }
            })
        },
        wrong_passwords(fixtures.clone(), base.clone(), duration, next_office.clone()),
        {
            let (admin, base) = (admin.clone(), base.clone());
            let views = Arc::new(crate::agents_tab::views(AGENTS));
            let next = Arc::new(AtomicUsize::new(0));
            load::run(2, duration, move |_| {
                let url = format!("{base}{}", views[next.fetch_add(1, Ordering::Relaxed) % views.len()]);
                let admin = admin.clone();
                // About 20 views a second per connection: a busy admin, not a flood.
                async move { paced(Duration::from_millis(50), crate::get_ok(&admin, &url)).await }
            })
        },
    );
    let samples = sampler.await??;
    drop(server);

    let journeys = [
        ("logins with an emailed code, 6 at once", &code_logins),
        ("logins on a trusted computer (no code), 4 at once", &trusted_logins),
        ("logins that ask for the code again (resend), 1 at once", &resends),
        ("Agents tab views, 2 connections at about 20/s each", &views),
    ];
    for (what, stats) in journeys {
        report.add(format!("soak, {minutes} minutes: {what}"), crate::fmt_journeys(stats), "0 errors", Some(stats.errors == 0));
    }
    let (wrong_stats, answered_401, answered_429) = wrong;
    report.add(
        format!("soak, {minutes} minutes: wrong passwords from {OFFICES} office addresses, 2 at about 2/s each"),
        format!("{} ({answered_401}x 401, {answered_429}x 429), {} errors{}", wrong_stats.ok, wrong_stats.errors, wrong_stats.first_error.as_deref().map(|e| format!(": {e}")).unwrap_or_default()),
        "0 errors (401 or 429)",
        Some(wrong_stats.errors == 0),
    );
    summarise(report, minutes, &samples);
    Ok(())
}

/// Runs `step`, then waits for the rest of `period`.
async fn paced(period: Duration, step: impl Future<Output = Result<(), String>>) -> Result<(), String> {
    let started = Instant::now();
    let outcome = step.await;
    tokio::time::sleep(period.saturating_sub(started.elapsed())).await;
    outcome
}

/// Two agents mistyping their passwords, each about twice a second, from the
/// offices' addresses; returns the attempts, and how many were answered 401 and 429.
async fn wrong_passwords(fixtures: Fixtures, base: String, duration: Duration, next_office: impl Fn() -> String + Send + Sync + 'static) -> (Stats, u64, u64) {
    let (unauthorized, too_many) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let stats = {
        let (unauthorized, too_many) = (unauthorized.clone(), too_many.clone());
        load::run(2, duration, move |_| {
            let (fixtures, base, client) = (fixtures.clone(), base.clone(), browser_at(&next_office()));
            let (unauthorized, too_many) = (unauthorized.clone(), too_many.clone());
            async move {
                paced(Duration::from_millis(500), async {
                    let status = journeys::wrong_password(&client, &base, &fixtures.next_agent()).await?;
                    let counter = if status == 401 { &unauthorized } else { &too_many };
                    counter.fetch_add(1, Ordering::Relaxed);
                    Ok(())
                })
                .await
            }
        })
        .await
    };
    (stats, unauthorized.load(Ordering::Relaxed), too_many.load(Ordering::Relaxed))
}

/// Adds the memory and table rows to the report, and the growth table.
fn summarise(report: &mut Report, minutes: u64, samples: &[Sample]) {
    let (Some(warm), Some(last)) = (samples.iter().find(|s| s.minute == WARM_UP_MINUTES), samples.last()) else {
        report.add("soak", "not measured: no sample after the warm-up", "", None);
        return;
    };
    let rss_growth = last.rss_mib / warm.rss_mib - 1.0;
    report.add(
        format!("soak, {minutes} minutes: server resident memory, after the {WARM_UP_MINUTES}-minute warm-up and at the end"),
        format!(
            "{:.1} MiB -> {:.1} MiB ({:+.1} %); each minute: {}",
            warm.rss_mib,
            last.rss_mib,
            rss_growth * 100.0,
            samples.iter().map(|s| format!("{:.1}", s.rss_mib)).collect::<Vec<_>>().join(", ")
        ),
        "< 10 % growth after warm-up",
        Some(rss_growth < 0.10),
    );

    // The server sweeps once a minute on its own timer, and the samples come
    // once a minute on the benchmark's: a table whose rows live for minutes
    // (sessions, code challenges) holds up to a minute's more rows at one
    // sample than at the next, and follows the login rate, which drifts on a
    // shared machine. So each table is judged by its peak: the peak of the
    // later half of the samples after the warm-up against the peak of the
    // earlier half. A table that grows with every minute still shows it.
    let after_warm_up: Vec<&Sample> = samples.iter().filter(|s| s.minute >= WARM_UP_MINUTES).collect();
    let (earlier, later) = after_warm_up.split_at(after_warm_up.len().div_ceil(2));
    let later = if later.is_empty() { earlier } else { later };
    let minutes_of = |half: &[&Sample]| match (half.first(), half.last()) {
        (Some(first), Some(last)) if first.minute != last.minute => format!("minutes {}-{}", first.minute, last.minute),
        (Some(only), _) => format!("minute {}", only.minute),
        _ => String::new(),
    };
    let mut table = String::new();
    table.push_str(&format!(
        "Soak of {minutes} minutes: each table's peak in the earlier and the later half of the samples after the \
         {WARM_UP_MINUTES}-minute warm-up ({} and {}; bound: +10 % or +100 rows, +10 % or +1 MiB):\n\n\
         | table | peak rows, earlier | peak rows, later | peak size, earlier | peak size, later | within bound |\n\
         | --- | ---: | ---: | ---: | ---: | --- |\n",
        minutes_of(earlier),
        minutes_of(later)
    ));
    let mut outside = Vec::new();
    for end in &last.tables {
        let start = peak(earlier, &end.name);
        let end = peak(later, &end.name);
        let rows_ok = end.rows <= start.rows + (start.rows / 10).max(100);
        let bytes_ok = match (start.bytes, end.bytes) {
            (Some(a), Some(b)) => b <= a + (a / 10).max(1 << 20),
            _ => true,
        };
        let judged = !GROWING_BY_DESIGN.contains(&end.name.as_str());
        let verdict = match (judged, rows_ok && bytes_ok) {
            (false, _) => "(grows by design)",
            (true, true) => "yes",
            (true, false) => "**no**",
        };
        if judged && !(rows_ok && bytes_ok) {
            let bytes = match (start.bytes, end.bytes) {
                (Some(a), Some(b)) => format!(", {:+.2} MiB", (b - a) as f64 / 1_048_576.0),
                _ => String::new(),
            };
            outside.push(format!("{} ({:+} rows{bytes})", end.name, end.rows - start.rows));
        }
        table.push_str(&format!("| {} | {} | {} | {} | {} | {verdict} |\n", end.name, start.rows, end.rows, mib(start.bytes), mib(end.bytes)));
    }
    table.push_str(&format!("| (whole database) |  |  | {} | {} |  |\n", mib(Some(warm.database_bytes)), mib(Some(last.database_bytes))));
    report.add(
        format!("soak, {minutes} minutes: tables but agents and audit_events, peak of the later half after the warm-up within a small bound of the earlier half's"),
        if outside.is_empty() { "all".to_owned() } else { format!("not: {}", outside.join(", ")) },
        "+10 % (or 100 rows, 1 MiB) at most",
        Some(outside.is_empty()),
    );
    report.tables.push(table);
}

/// A table's most rows and most bytes over `samples` (each may come from
/// another sample); an absent table counts as empty.
fn peak(samples: &[&Sample], name: &str) -> TableSample {
    let of_table = || samples.iter().filter_map(|s| s.tables.iter().find(|t| t.name == name));
    TableSample {
        name: name.to_owned(),
        rows: of_table().map(|t| t.rows).max().unwrap_or(0),
        bytes: of_table().map(|t| t.bytes).max().unwrap_or(Some(0)),
    }
}

fn mib(bytes: Option<i64>) -> String {
    bytes.map_or("?".to_owned(), |b| format!("{:.2} MiB", b as f64 / 1_048_576.0))
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    count: i64,
}

#[derive(QueryableByName)]
struct Size {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Nullable<BigInt>)]
    bytes: Option<i64>,
}

/// Every table's rows and bytes, and the whole database's bytes.
fn table_samples(url: &str) -> anyhow::Result<(Vec<TableSample>, i64)> {
    if url.starts_with("postgres") {
        let mut conn = PgConnection::establish(url)?;
        let sizes: Vec<Size> = diesel::sql_query(
            "SELECT tablename AS name, pg_total_relation_size(format('%I', tablename)::regclass) AS bytes \
             FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE '\\_\\_diesel%' ORDER BY tablename",
        )
        .load(&mut conn)?;
        let tables = sizes
            .into_iter()
            .map(|size| Ok(TableSample { rows: count_rows(&mut conn, &size.name)?, name: size.name, bytes: size.bytes }))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let database: Count = diesel::sql_query("SELECT pg_database_size(current_database()) AS count").get_result(&mut conn)?;
        Ok((tables, database.count))
    } else {
        let mut conn = diesel::SqliteConnection::establish(url)?;
        let names: Vec<Name> =
            diesel::sql_query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE '\\_\\_diesel%' ESCAPE '\\' ORDER BY name")
                .load(&mut conn)?;
        // Pages in use per table with its indexes (dbstat, when SQLite has it).
        let sizes: Vec<Size> = diesel::sql_query(
            "SELECT m.tbl_name AS name, SUM(d.pgsize) AS bytes FROM dbstat d JOIN sqlite_master m ON m.name = d.name GROUP BY m.tbl_name",
        )
        .load(&mut conn)
        .unwrap_or_default();
        let tables = names
            .into_iter()
            .map(|table| {
                let bytes = sizes.iter().find(|s| s.name == table.name).map_or(if sizes.is_empty() { None } else { Some(0) }, |s| s.bytes);
                Ok(TableSample { rows: count_rows(&mut conn, &table.name)?, name: table.name, bytes })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let file = |suffix: &str| std::fs::metadata(format!("{url}{suffix}")).map_or(0, |m| m.len() as i64);
        Ok((tables, file("") + file("-wal")))
    }
}

fn count_rows<C: diesel::Connection>(conn: &mut C, table: &str) -> anyhow::Result<i64>
where
    diesel::query_builder::SqlQuery: diesel::query_dsl::LoadQuery<'static, C, Count>,
{
    let count: Count = diesel::sql_query(format!("SELECT COUNT(*) AS count FROM \"{table}\"")).get_result(conn)?;
    Ok(count.count)
}
