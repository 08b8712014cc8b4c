//! `agentgate-bench`: starts AgentGate in release mode on a fresh database and
//! prints a table of what it measured (see README, "Performance").
//!
//! Run: `scripts/bench` (builds both binaries in release mode first).

mod load;
mod server;

use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_web::{App, HttpResponse, HttpServer, web};

use load::Stats;
use server::Server;

const PASSWORD: &str = "correct horse battery staple";

/// One row of the results table.
struct Row {
    what: String,
    value: String,
    target: String,
    met: Option<bool>,
}

struct Report {
    rows: Vec<Row>,
}

impl Report {
    fn add(&mut self, what: impl Into<String>, value: impl Into<String>, target: impl Into<String>, met: Option<bool>) {
        let row = Row { what: what.into(), value: value.into(), target: target.into(), met };
        eprintln!("  {:<58} {:>28}  {}", row.what, row.value, row.target);
        self.rows.push(row);
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
    }
}

fn duration_from_env() -> Duration {
    let seconds = std::env::var("BENCH_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(5);
    Duration::from_secs(seconds)
}

fn fmt_rps(stats: &Stats) -> String {
    format!("{:.0}/s (p50 {:.2} ms, p99 {:.2} ms)", stats.per_second(), stats.quantile_ms(0.5), stats.quantile_ms(0.99))
}

/// Median time of one argon2id hash with the server's parameters.
fn argon2_hash_time() -> Duration {
    let mut times: Vec<Duration> = (0..15)
        .map(|_| {
            let started = Instant::now();
            agentgate::auth::password::hash_blocking(PASSWORD).expect("hash");
            started.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
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
    let clients: Arc<Vec<reqwest::Client>> = Arc::new((0..concurrency).map(|_| reqwest::Client::new()).collect());
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
    let duration = duration_from_env();
    let mut report = Report { rows: Vec::new() };
    eprintln!("AgentGate benchmark on {cores} cores, {} s per measurement", duration.as_secs());

    let binary = server::agentgate_binary();
    let size = std::fs::metadata(&binary).map(|m| m.len() as f64 / 1_048_576.0).unwrap_or(f64::NAN);
    report.add("release binary size", format!("{size:.1} MiB"), "", None);

    let hash = argon2_hash_time();
    let bound = cores as f64 / hash.as_secs_f64();
    report.add("one argon2id hash (m=19456 KiB, t=2, p=1)", format!("{:.1} ms", hash.as_secs_f64() * 1000.0), "", None);
    report.add("argon2 bound on complete logins (cores / hash time)", format!("{bound:.0}/s"), "", None);

    let (bare_url, bare) = start_bare_baseline(cores)?;
    let baseline = page_rps(format!("{bare_url}/login"), 32, duration).await;
    bare.stop(true).await;
    report.add("bare actix-web + askama, same login template", fmt_rps(&baseline), "", None);

    let server = Server::start(&[]).await?;
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

    let (_, peak) = server.memory_mib();
    report.add("peak resident memory over the run", format!("{peak:.1} MiB"), "< 200 MiB", Some(peak < 200.0));
    drop(server);

    println!();
    println!("AgentGate benchmark, {} on {cores} cores", chrono::Utc::now().format("%Y-%m-%d"));
    println!();
    report.print();
    Ok(())
}
