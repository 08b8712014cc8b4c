//! `agentgate-bench`: starts AgentGate in release mode on a fresh database and
//! prints a table of what it measured (see docs/PERFORMANCE.md).
//!
//! Run: `scripts/bench` (builds both binaries in release mode first).

mod agents_tab;
mod bulk_seed;
mod instances;
mod journeys;
mod load;
mod server;
mod smtp;
mod soak;
mod stuffing;

use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_web::{App, HttpResponse, HttpServer, web};

use load::Stats;
use server::Server;

use journeys::{Fixtures, LoginPath, browser, complete_login, csrf_token_in};

/// One row of the results table.
struct Row {
    what: String,
    value: String,
    target: String,
    met: Option<bool>,
}

pub(crate) struct Report {
    rows: Vec<Row>,
    /// Markdown tables printed after the main one (the Agents tab's views, the soak's tables).
    pub tables: Vec<String>,
}

impl Report {
    fn add(&mut self, what: impl Into<String>, value: impl Into<String>, target: impl Into<String>, met: Option<bool>) {
        let row = Row { what: what.into(), value: value.into(), target: target.into(), met };
        eprintln!("  {:<58} {:>28}  {}", row.what, row.value, row.target);
        self.rows.push(row);
    }

    /// A row for a part that stopped with an error.
    fn failed(&mut self, part: &str, outcome: anyhow::Result<()>) {
        if let Err(e) = outcome {
            // One line of the table: no line breaks, no column separators.
            let message = format!("{e:#}").split_whitespace().collect::<Vec<_>>().join(" ").replace('|', "\\|");
            self.add(format!("{part}: the part stopped"), message, "runs to the end", Some(false));
        }
    }

    fn print(&self) {
        println!("| measurement | result | target | met |");
        println!("| --- | --- | --- | --- |");
        for row in &self.rows {
            let met = match row.met {
                Some(true) => "yes",
                Some(false) => "**no**",
                None => "",
            };
            println!("| {} | {} | {} | {} |", row.what, row.value, row.target, met);
        }
        for table in &self.tables {
            println!();
            print!("{table}");
        }
    }
}

/// Whether this run measures `part` (`BENCH_ONLY=logins,agents` runs just
/// those; the default, every part but the opt-in ones, see [`listed`]).
fn measures(part: &str) -> bool {
    std::env::var("BENCH_ONLY").map_or(true, |_| listed(part))
}

/// Whether `BENCH_ONLY` names `part`: the parts that run only when asked for
/// (`instances`, `soak`) are asked for so or by their flag.
fn listed(part: &str) -> bool {
    std::env::var("BENCH_ONLY").is_ok_and(|only| only.split(',').any(|wanted| wanted.trim() == part))
}

/// The command line.
struct Options {
    /// `--database postgres://user@host:port/db`: the server to create (and
    /// drop) the benchmark's databases on; SQLite without it.
    database: Option<String>,
    /// `--instances 2,4`: the several-instance part with these counts.
    instances: Option<Vec<usize>>,
    /// `--soak MINUTES`: the long run, this long.
    soak_minutes: Option<u64>,
}

impl Options {
    fn parse(args: &[String]) -> anyhow::Result<Options> {
        let mut options = Options { database: None, instances: None, soak_minutes: None };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let mut value = || args.next().cloned().ok_or_else(|| anyhow::anyhow!("{arg} needs a value"));
            match arg.as_str() {
                "--database" => options.database = Some(value()?),
                "--instances" => {
                    let counts = value()?.split(',').map(|n| n.trim().parse::<usize>()).collect::<Result<Vec<_>, _>>();
                    match counts {
                        Ok(counts) if counts.iter().all(|n| (1..=16).contains(n)) && !counts.is_empty() => options.instances = Some(counts),
                        _ => anyhow::bail!("--instances takes counts of 1 to 16 separated by commas, like 2,4"),
                    }
                }
                "--soak" => match value()?.parse::<u64>() {
                    Ok(minutes) if soak::MINUTES.contains(&minutes) => options.soak_minutes = Some(minutes),
                    _ => anyhow::bail!("--soak takes minutes, {} to {}", soak::MINUTES.start(), soak::MINUTES.end()),
                },
                other => anyhow::bail!("unknown argument {other:?}: scripts/bench [--database postgres://…] [--instances 2,4] [--soak MINUTES]"),
            }
        }
        Ok(options)
    }
}

fn seconds_from_env(name: &str, default: u64) -> Duration {
    Duration::from_secs(std::env::var(name).ok().and_then(|s| s.parse().ok()).unwrap_or(default))
}

pub(crate) fn fmt_journeys(stats: &Stats) -> String {
    format!("{:.1}/s (p50 {:.0} ms, p99 {:.0} ms, {} errors{})", stats.per_second(), stats.quantile_ms(0.5), stats.quantile_ms(0.99), stats.errors,
        stats.first_error.as_deref().map(|e| format!(": {e}")).unwrap_or_default())
}

fn fmt_rps(stats: &Stats) -> String {
    format!("{:.0}/s (p50 {:.2} ms, p99 {:.2} ms)", stats.per_second(), stats.quantile_ms(0.5), stats.quantile_ms(0.99))
}

/// p50, p99 and max of these durations, and the p99 alone.
fn fmt_quantiles(mut times: Vec<Duration>) -> (String, Duration) {
    if times.is_empty() {
        return ("no code emails".to_owned(), Duration::MAX);
    }
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    (format!("p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms ({} emails)", ms(at(0.5)), ms(at(0.99)), ms(at(1.0)), times.len()), at(0.99))
}

/// Median time of one argon2id hash with the server's parameters, in warm
/// memory as the server's hashing threads do it: the fastest a hash can be.
fn argon2_hash_time() -> Duration {
    let mut workspace = agentgate::auth::password::Workspace::default();
    let mut times: Vec<Duration> = (0..15)
        .map(|_| {
            let started = Instant::now();
            workspace.hash(journeys::PASSWORD).expect("hash");
            started.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

/// Hashes per second with one thread per core hashing flat out, each in warm
/// memory: the most logins per second this machine can complete, since a login
/// needs one hash. Measured, because hashes running side by side slow each
/// other down (shared memory bandwidth and cache, a neighbour on the host), so
/// cores / hash time overstates what the cores can do together.
pub(crate) fn argon2_parallel_rate(cores: usize, duration: Duration) -> f64 {
    let started = Instant::now();
    let hashes: u64 = std::thread::scope(|scope| {
        let threads: Vec<_> = (0..cores)
            .map(|_| {
                scope.spawn(move || {
                    let mut workspace = agentgate::auth::password::Workspace::default();
                    let mut hashes = 0u64;
                    while started.elapsed() < duration {
                        workspace.hash(journeys::PASSWORD).expect("hash");
                        hashes += 1;
                    }
                    hashes
                })
            })
            .collect();
        threads.into_iter().map(|thread| thread.join().expect("hashing thread")).sum()
    });
    hashes as f64 / started.elapsed().as_secs_f64()
}

/// The baseline: bare actix-web + askama rendering the same login template,
/// with no session, database or middleware.
fn start_bare_baseline(workers: usize) -> anyhow::Result<(String, actix_web::dev::ServerHandle)> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let port = listener.local_addr()?.port();
    let server = HttpServer::new(|| {
        App::new().route(
            "/login",
            web::get().to(|| async {
                match agentgate::routes::login::bare_login_page("baseline-token-of-the-same-length-as-ours-xxx") {
                    Ok(html) => HttpResponse::Ok().content_type("text/html; charset=utf-8").body(html),
                    Err(_) => HttpResponse::InternalServerError().finish(),
                }
            }),
        )
    })
    .workers(workers)
    .listen(listener)?
    .run();
    let handle = server.handle();
    std::thread::spawn(move || actix_web::rt::System::new().block_on(server));
    Ok((format!("http://127.0.0.1:{port}"), handle))
}

async fn get_ok(client: &reqwest::Client, url: &str) -> Result<(), String> {
    let response = client.get(url).send().await.map_err(|e| e.to_string())?;
    let status = response.status();
    response.bytes().await.map_err(|e| e.to_string())?;
    if status.is_success() { Ok(()) } else { Err(format!("GET {url}: {status}")) }
}

async fn page_rps(url: String, concurrency: usize, duration: Duration) -> Stats {
    page_rps_with((0..concurrency).map(|_| reqwest::Client::new()).collect(), url, duration).await
}

/// GETs `url` from each client in a loop (one task per client).
async fn page_rps_with(clients: Vec<reqwest::Client>, url: String, duration: Duration) -> Stats {
    let concurrency = clients.len();
    let clients = Arc::new(clients);
    load::run(concurrency, duration, move |worker| {
        let client = clients[worker].clone();
        let url = url.clone();
        async move { get_ok(&client, &url).await }
    })
    .await
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let duration = seconds_from_env("BENCH_SECONDS", 5);
    let mut report = Report { rows: Vec::new(), tables: Vec::new() };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let options = Options::parse(&args)?;
    let fresh_database = || server::Database::create(options.database.as_deref());
    // The parts: the single-instance table (core, with its logins and agents
    // parts), credential stuffing, and the opt-in several instances and soak.
    let core = measures("core") || measures("logins") || measures("agents");
    let stuffing = measures("stuffing");
    let instances = options.instances.clone().or_else(|| listed("instances").then(|| vec![2, 4]));
    let soak_minutes = options.soak_minutes.or_else(|| listed("soak").then_some(10));
    let backend = if options.database.is_some() { "PostgreSQL" } else { "SQLite" };
    eprintln!("AgentGate benchmark on {cores} cores, {} s per measurement, on {backend}", duration.as_secs());
    report.add("database", backend, "", None);

    let binary = server::agentgate_binary();
    let size = std::fs::metadata(&binary).map(|m| m.len() as f64 / 1_048_576.0).unwrap_or(f64::NAN);
    report.add("release binary size", format!("{size:.1} MiB"), "", None);

    let hash = argon2_hash_time();
    let formula_bound = cores as f64 / hash.as_secs_f64();
    report.add("one argon2id hash alone (m=19456 KiB, t=2, p=1)", format!("{:.1} ms", hash.as_secs_f64() * 1000.0), "", None);
    report.add("cores / hash time", format!("{formula_bound:.0}/s"), "", None);

    // A part that fails is a row of the table; the parts after it still run.
    if core {
        let outcome = core_parts(&mut report, &fresh_database()?, cores, duration, formula_bound).await;
        report.failed("single instance", outcome);
    }
    if stuffing {
        let outcome = stuffing::run(&mut report, &fresh_database()?, seconds_from_env("BENCH_STUFFING_SECONDS", 60), cores).await;
        report.failed("credential stuffing", outcome);
    }
    if let Some(counts) = instances {
        let outcome = instances::run(&mut report, &fresh_database()?, &counts, duration).await;
        report.failed("several instances", outcome);
    }
    if let Some(minutes) = soak_minutes {
        let outcome = soak::run(&mut report, &fresh_database()?, minutes).await;
        report.failed("soak", outcome);
    }

    println!();
    println!("AgentGate benchmark, {} on {cores} cores", chrono::Utc::now().format("%Y-%m-%d"));
    println!();
    report.print();
    Ok(())
}

/// The single-instance table: the bare baseline, `GET /login`, complete
/// logins at 1 to 64 at once (`logins`), trusted computers, pages while
/// logins saturate the CPU, the Agents tab at 1,000 and 100,000 agents
/// (`agents`), and the flood of 1,000 wrong passwords.
async fn core_parts(report: &mut Report, database: &server::Database, cores: usize, duration: Duration, formula_bound: f64) -> anyhow::Result<()> {
    let view_duration = seconds_from_env("BENCH_VIEW_SECONDS", 2);
    let (bare_url, bare) = start_bare_baseline(cores)?;
    let baseline = page_rps(format!("{bare_url}/login"), 32, duration).await;
    bare.stop(true).await;
    report.add("bare actix-web + askama, same login template", fmt_rps(&baseline), "", None);

    let (inbox, smtp_url) = smtp::Inbox::start().await?;
    let server = Server::start(database, &server::smtp_env(&smtp_url)).await?;
    report.add("start-up time (spawn to /healthz answering)", format!("{:.0} ms", server.startup.as_secs_f64() * 1000.0), "", None);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (idle_rss, _) = server.memory_mib();
    report.add("idle resident memory", format!("{idle_rss:.1} MiB"), "< 30 MiB", Some(idle_rss < 30.0));

    let login_page = page_rps(format!("{}/login", server.base_url), 32, duration).await;
    let ratio = login_page.per_second() / baseline.per_second();
    report.add(
        "GET /login (anonymous, 32 connections)",
        fmt_rps(&login_page),
        ">= 0.5 x bare baseline",
        Some(ratio >= 0.5 && login_page.errors == 0),
    );
    report.add("GET /login relative to the bare baseline", format!("{ratio:.2}x"), ">= 0.50x", Some(ratio >= 0.5));

    let fixtures = Fixtures::seed(&server.database_url, 20_000, inbox)?;
    let base = server.base_url.clone();

    // Complete logins: login page, password, code from the outbox, code, home.
    // Each run is set against the machine's hash rate measured right before
    // and after it: a shared machine's speed drifts from minute to minute.
    let mut best: Option<(f64, f64, usize)> = None; // (fraction, bound, concurrency)
    for concurrency in [1usize, 4, 16, 64].into_iter().filter(|_| measures("logins")) {
        let rate_before = argon2_parallel_rate(cores, Duration::from_secs(1));
        let (journey_fixtures, base) = (fixtures.clone(), base.clone());
        let cpu_before = (server::cpu_time(server.pid()), server::cpu_time(std::process::id()));
        let stats = load::run(concurrency, duration, move |_| {
            let (fixtures, base) = (journey_fixtures.clone(), base.clone());
            async move {
                let email = fixtures.next_agent();
                complete_login(&browser(), &base, &fixtures, &email, false).await.map(|_| ())
            }
        })
        .await;
        let (server_cpu, bench_cpu) = (server::cpu_time(server.pid()) - cpu_before.0, server::cpu_time(std::process::id()) - cpu_before.1);
        let bound = (rate_before + argon2_parallel_rate(cores, Duration::from_secs(1))) / 2.0;
        let fraction = stats.per_second() / bound;
        if best.is_none_or(|(best_fraction, _, _)| fraction > best_fraction) {
            best = Some((fraction, bound, concurrency));
        }
        let target = if concurrency == 64 && database.backend() == "SQLite" { "0 errors (SQLite: no 'database is locked')" } else { "0 errors" };
        report.add(
            format!("complete logins with an emailed code, {concurrency} at once"),
            format!("{} = {fraction:.2} of {bound:.0} hashes/s", fmt_journeys(&stats)),
            target,
            Some(stats.errors == 0),
        );
        if concurrency >= 16 && stats.ok > 0 {
            // Where the cores went: a login's hash, and everything else on the
            // same cores, whose share is what keeps logins below the bound.
            let per_login = |spent: Duration| spent.as_secs_f64() * 1000.0 / stats.ok as f64;
            let (hashing, other, load) = (per_login(server_cpu.hashing), per_login(server_cpu.other), per_login(bench_cpu.hashing + bench_cpu.other));
            report.add(
                format!("CPU per complete login, {concurrency} at once"),
                // With every core busy, the hash's share of a login's CPU is
                // the most of the bound logins can reach: a steadier reading
                // than the fraction, whose bound is measured in a second.
                format!(
                    "argon2 {hashing:.1} ms; rest of the server {other:.1} ms ({:.2} of argon2); load generator and SMTP server {load:.1} ms ({:.2}); so at most {:.2} of the bound",
                    other / hashing,
                    load / hashing,
                    hashing / (hashing + other + load)
                ),
                // The guard that replaced the retired 0.9-of-the-bound target
                // (issue 25): the server's own work stays small beside the hash.
                "rest of the server < 0.2 of argon2",
                Some(other / hashing < 0.2),
            );
        }
        let handoffs = fixtures.take_handoffs();
        let (from_post, p99) = fmt_quantiles(handoffs.iter().map(|h| h.from_post).collect());
        let under_a_second = "p99 < 1 s (SPEC 6: well under a second)";
        if concurrency <= 16 {
            report.add(format!("password POST to code email at the SMTP server, {concurrency} at once"), from_post, under_a_second, Some(p99 < Duration::from_secs(1)));
        } else {
            // Past the argon2 bound, logins queue for a hashing slot before any
            // email is written: that wait is shown, the mail path is judged.
            report.add(format!("password POST to code email at the SMTP server, {concurrency} at once (queued for argon2)"), from_post, "", None);
            let (from_answer, p99) = fmt_quantiles(handoffs.iter().map(|h| h.from_answer).collect());
            report.add(format!("password step's answer to code email at the SMTP server, {concurrency} at once"), from_answer, under_a_second, Some(p99 < Duration::from_secs(1)));
        }
    }
    if let Some((fraction, bound, concurrency)) = best {
        report.add(
            format!("best complete logins / argon2 bound ({cores} threads hashing at once, measured around each run)"),
            format!("{fraction:.2} ({concurrency} at once, bound {bound:.0}/s)"),
            "(retired target: 0.90)",
            None,
        );
        report.add("the same against cores / hash time", format!("{:.2}", fraction * bound / formula_bound), "", None);
    }

    // Half the agents on trusted computers: each trusted agent has its own browser.
    let trusted_browsers = 8usize;
    let mut trusted = Vec::new();
    for _ in 0..trusted_browsers {
        let client = browser();
        let email = fixtures.next_agent();
        complete_login(&client, &base, &fixtures, &email, true).await.map_err(anyhow::Error::msg)?;
        journeys::log_out(&client, &base).await.map_err(anyhow::Error::msg)?;
        trusted.push((client, email));
    }
    let trusted = Arc::new(trusted);
    let skipped = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let stats = {
        let (fixtures, base, trusted, skipped) = (fixtures.clone(), base.clone(), trusted.clone(), skipped.clone());
        load::run(trusted_browsers * 2, duration, move |worker| {
            let (fixtures, base, trusted, skipped) = (fixtures.clone(), base.clone(), trusted.clone(), skipped.clone());
            async move {
                let path = if worker % 2 == 0 {
                    let (client, email) = &trusted[worker / 2];
                    let path = complete_login(client, &base, &fixtures, email, false).await?;
                    journeys::log_out(client, &base).await?;
                    path
                } else {
                    complete_login(&browser(), &base, &fixtures, &fixtures.next_agent(), false).await?
                };
                if matches!(path, LoginPath::TrustedComputer) {
                    skipped.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
                Ok(())
            }
        })
        .await
    };
    let skipped = skipped.load(std::sync::atomic::Ordering::Relaxed);
    report.add(
        format!("complete logins, half on trusted computers, {} at once", trusted_browsers * 2),
        format!("{} ({skipped} skipped the code)", fmt_journeys(&stats)),
        "0 errors",
        Some(stats.errors == 0),
    );

    // Isolation: pages stay fast while logins saturate the CPU.
    let signed_in = browser();
    journeys::sign_in_without_code(&signed_in, &base, "admin@bench.test").await?;
    let background = {
        let (fixtures, base) = (fixtures.clone(), base.clone());
        tokio::spawn(load::run(32, duration + Duration::from_secs(1), move |_| {
            let (fixtures, base) = (fixtures.clone(), base.clone());
            async move { complete_login(&browser(), &base, &fixtures, &fixtures.next_agent(), false).await.map(|_| ()) }
        }))
    };
    tokio::time::sleep(Duration::from_millis(500)).await;
    let login_during = page_rps_with(vec![reqwest::Client::new(); 2], format!("{base}/login"), duration).await;
    let home_during = page_rps_with(vec![signed_in.clone(); 2], format!("{base}/"), duration).await;
    let _ = background.await;
    report.add("GET /login p99 while logins saturate the CPU", format!("{:.2} ms", login_during.quantile_ms(0.99)), "< 10 ms", Some(login_during.quantile_ms(0.99) < 10.0 && login_during.errors == 0));
    report.add("GET / (signed in) p99 while logins saturate the CPU", format!("{:.2} ms", home_during.quantile_ms(0.99)), "< 10 ms", Some(home_during.quantile_ms(0.99) < 10.0 && home_during.errors == 0));

    // The Agents tab: companies of 1,000 and 100,000 agents. Before the
    // flood, whose wrong passwords from this one address lock it out.
    let mut view_details = Vec::new();
    let companies = [("Thousand Agents", 1_000usize), ("Hundred Thousand Agents", 100_000)];
    for (name, agents) in companies.into_iter().filter(|_| measures("agents")) {
        let company = agents_tab::seed_company(&base, &server.database_url, name, agents).await?;
        eprintln!("  seeded {agents} agents in {:.1} s", company.seeding.as_secs_f64());
        let results = agents_tab::measure_views(&base, &company, 16, view_duration).await;
        let (worst_view, worst) = results
            .iter()
            .max_by(|a, b| a.1.quantile_ms(0.99).total_cmp(&b.1.quantile_ms(0.99)))
            .map(|(view, stats)| (view.clone(), stats.clone()))
            .expect("views");
        let errors: u64 = results.iter().map(|(_, stats)| stats.errors).sum();
        let p99 = worst.quantile_ms(0.99);
        report.add(
            format!("GET /agents, {agents} agents, {} views (filter, search, sort, middle pages), 16 connections: worst p99", results.len()),
            format!("{p99:.1} ms ({worst_view}), {errors} errors"),
            "< 50 ms",
            Some(p99 < 50.0 && errors == 0),
        );
        let export = agents_tab::measure_export(&base, &company, server.pid()).await?;
        let all_rows = export.rows == agents + 1;
        report.add(
            format!("GET /agents.csv, {agents} agents: memory growth while streaming"),
            format!(
                "{:.1} MiB for {:.1} MiB of CSV ({} rows, first byte {:.0} ms, all in {:.2} s)",
                export.growth_mib,
                export.bytes as f64 / 1_048_576.0,
                export.rows,
                export.first_byte.as_secs_f64() * 1000.0,
                export.total.as_secs_f64()
            ),
            "bounded: < 8 MiB, whatever the size; every row",
            Some(export.growth_mib < 8.0 && all_rows),
        );
        view_details.push((agents, results));
    }

    let (_, peak_before_flood) = server.memory_mib();
    report.add("peak resident memory before the flood", format!("{peak_before_flood:.1} MiB"), "< 200 MiB", Some(peak_before_flood < 200.0));

    // A flood of 1,000 concurrent wrong passwords.
    let (flood_5xx, flood_statuses) = wrong_password_flood(&base, 1000).await;
    report.add("1,000 concurrent wrong-password attempts: 5xx answers", format!("{flood_5xx} ({flood_statuses})"), "0", Some(flood_5xx == 0));

    let (_, peak) = server.memory_mib();
    report.add("peak resident memory over the run", format!("{peak:.1} MiB"), "< 200 MiB", Some(peak < 200.0));
    drop(server);

    if !view_details.is_empty() {
        let mut table = format!(
            "GET /agents at 16 connections, {} s per view:\n\n| agents | view | requests/s | p50 ms | p99 ms | errors |\n| ---: | --- | ---: | ---: | ---: | ---: |\n",
            view_duration.as_secs()
        );
        for (agents, results) in &view_details {
            for (view, stats) in results {
                table.push_str(&format!(
                    "| {agents} | `{view}` | {:.0} | {:.1} | {:.1} | {} |\n",
                    stats.per_second(),
                    stats.quantile_ms(0.5),
                    stats.quantile_ms(0.99),
                    stats.errors
                ));
            }
        }
        report.tables.push(table);
    }
    Ok(())
}

/// 1,000 browsers post a wrong password at once; returns the count of 5xx
/// answers and a summary of the statuses.
async fn wrong_password_flood(base: &str, attempts: usize) -> (usize, String) {
    let mut tasks = Vec::new();
    for i in 0..attempts {
        let base = base.to_owned();
        tasks.push(tokio::spawn(async move {
            let client = browser();
            let login = client.get(format!("{base}/login")).send().await.ok()?.text().await.ok()?;
            let token = csrf_token_in(&login)?;
            let email = format!("agent{}@bench.test", 1 + i % 500);
            let response = client
                .post(format!("{base}/login"))
                .form(&[("csrf_token", token.as_str()), ("email", email.as_str()), ("password", "not the password at all")])
                .send()
                .await
                .ok()?;
            Some(response.status().as_u16())
        }));
    }
    let mut counts = std::collections::BTreeMap::new();
    for task in tasks {
        let status = task.await.ok().flatten().unwrap_or(0);
        *counts.entry(status).or_insert(0usize) += 1;
    }
    let errors = counts.iter().filter(|(s, _)| **s >= 500 || **s == 0).map(|(_, n)| n).sum();
    let summary = counts.iter().map(|(s, n)| format!("{n}x {s}")).collect::<Vec<_>>().join(", ");
    (errors, summary)
}
