//! How fast the Agents tab answers with 100,000 agents in one company.
//!
//!     cargo bench --bench agents_tab
//!     DATABASE_URL=postgres://postgres@127.0.0.1:5432/agentgate_bench cargo bench --bench agents_tab
//!
//! Seeds the database on the first run (with `agentgate::agents::seed`, as
//! `agentgate seed-demo` does; an empty database or one made by this bench
//! only), starts the real server on a free port, logs in as an admin, and
//! times `/agents` for a set of filters, searches, sorts and pages, one
//! request at a time. Prints p50, p99 and max per view as a Markdown table.
//! Environment: `DATABASE_URL` (default: target/agents-bench.sqlite3),
//! `BENCH_AGENTS` (default 100000), `BENCH_REQUESTS` per view (default 200).

use std::sync::Arc;
use std::time::Instant;

use agentgate::auth::accounts::{NewAdmin, create_admin};
use agentgate::auth::password::hash_blocking;
use agentgate::clock::{Clock, SystemClock};
use agentgate::config::Config;
use agentgate::db::models::Company;
use agentgate::domain::{CompanyName, EmailAddress, PersonName};
use agentgate::startup::{Application, connect_and_migrate};
use base64::Engine;

const COMPANY: &str = "Bench Co";
const ADMIN: &str = "bench-admin@bench.invalid";
const PASSWORD: &str = "a bench password nobody uses";

/// The views timed: every sort, both directions, the filter, deep pages, and
/// searches narrow and broad, one word and two, by name and by email.
const VIEWS: &[&str] = &[
    "/agents",
    "/agents?sort=-name&page=1000",
    "/agents?page=2000",
    "/agents?sort=email&page=500",
    "/agents?sort=-role",
    "/agents?sort=two_factor&page=1500",
    "/agents?sort=-trusted_computers",
    "/agents?sort=-last_login",
    "/agents?sort=status&page=1000",
    "/agents?two_factor=enabled",
    "/agents?two_factor=pending&sort=-last_login&page=40",
    "/agents?two_factor=disabled&sort=email&page=300",
    "/agents?two_factor=app",
    "/agents?two_factor=app&sort=email&page=200",
    "/agents?two_factor=email_only&sort=-last_login&page=100",
    "/agents?q=ada",
    "/agents?q=a&sort=-last_login&page=10",
    "/agents?q=lovelace&two_factor=enabled&sort=trusted_computers",
    "/agents?q=ngozi&two_factor=disabled&sort=role",
    "/agents?q=ada+lov",
    "/agents?q=grace+hopper&sort=-status",
    "/agents?q=mary.sp",
    "/agents?q=nobody+here",
];

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn main() -> anyhow::Result<()> {
    let runtime = actix_web::rt::System::new();
    runtime.block_on(run())
}

async fn run() -> anyhow::Result<()> {
    let database_url = std::env::var("DATABASE_URL").unwrap_or_else(|_| "target/agents-bench.sqlite3".to_owned());
    let agents: usize = std::env::var("BENCH_AGENTS").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    let requests: usize = std::env::var("BENCH_REQUESTS").ok().and_then(|v| v.parse().ok()).unwrap_or(200);
    let secret = base64::engine::general_purpose::STANDARD.encode((0..64).map(|_| rand::random::<u8>()).collect::<Vec<u8>>());
    let env = [
        ("AGENTGATE_BIND", "127.0.0.1:0".to_owned()),
        ("DATABASE_URL", database_url.clone()),
        ("AGENTGATE_SECRET_KEY", secret),
    ];
    let lookup = move |name: &str| env.iter().find(|(k, _)| *k == name).map(|(_, v)| v.clone());
    let config = Config::from_env(&lookup)?;

    let pool = connect_and_migrate(&config).await?.main;
    let seeded = tokio::task::spawn_blocking(move || -> anyhow::Result<bool> {
        let mut conn = pool.get()?;
        let now = SystemClock.now();
        if Company::find_by_name(&mut conn, COMPANY)?.is_some() {
            return Ok(false);
        }
        let started = Instant::now();
        let company = CompanyName::parse(COMPANY).map_err(anyhow::Error::msg)?;
        agentgate::agents::seed::seed_demo(&mut conn, &company, agents, false, now)?;
        let admin = NewAdmin {
            company,
            name: PersonName::parse("Bench Admin").map_err(anyhow::Error::msg)?,
            email: EmailAddress::parse(ADMIN).map_err(anyhow::Error::msg)?,
            password_hash: hash_blocking(PASSWORD)?,
            language: agentgate::i18n::Language::English,
        };
        create_admin(&mut conn, &admin, now)?;
        eprintln!("seeded {agents} agents in {:.1} s", started.elapsed().as_secs_f64());
        Ok(true)
    })
    .await??;
    if !seeded {
        eprintln!("reusing the agents already seeded in {database_url}");
    }

    let app = Application::build(config, Arc::new(SystemClock)).await?;
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());

    let client = reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build()?;
    let login_page = client.get(format!("{base}/login")).send().await?.text().await?;
    let marker = "name=\"csrf_token\" value=\"";
    let start = login_page.find(marker).ok_or_else(|| anyhow::anyhow!("no CSRF token"))? + marker.len();
    let token = &login_page[start..start + login_page[start..].find('"').unwrap_or(0)];
    let login = client.post(format!("{base}/login")).form(&[("csrf_token", token), ("email", ADMIN), ("password", PASSWORD)]).send().await?;
    anyhow::ensure!(login.status() == 303, "the bench admin could not log in");

    let backend = if database_url.starts_with("postgres") { "PostgreSQL" } else { "SQLite" };
    println!("| view ({backend}, {agents} agents, {requests} requests each) | p50 ms | p99 ms | max ms |");
    println!("| --- | ---: | ---: | ---: |");
    for view in VIEWS {
        for _ in 0..5 {
            client.get(format!("{base}{view}")).send().await?.bytes().await?;
        }
        let mut times = Vec::with_capacity(requests);
        for _ in 0..requests {
            let started = Instant::now();
            let response = client.get(format!("{base}{view}")).send().await?;
            anyhow::ensure!(response.status() == 200, "{view} answered {}", response.status());
            response.bytes().await?;
            times.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        println!(
            "| `{view}` | {:.1} | {:.1} | {:.1} |",
            percentile(&times, 50.0),
            percentile(&times, 99.0),
            times.last().copied().unwrap_or_default()
        );
    }
    Ok(())
}
