//! The Agents tab under load: a company of N made-up agents (as `agentgate
//! seed-demo` makes them; on PostgreSQL in bulk, `bulk_seed`) and its admin, every kind of view (filters,
//! searches, sorts, deep pages) at 16 connections, and the CSV export of
//! every row while the server's memory is watched.

use std::time::{Duration, Instant};

use agentgate::auth::accounts::{NewAdmin, create_admin};
use agentgate::db::{PoolSettings, connect};
use agentgate::domain::{CompanyName, EmailAddress, PersonName};

use crate::journeys::{self, browser};
use crate::load::Stats;

/// A seeded company, with its admin signed in.
pub struct SeededCompany {
    pub agents: usize,
    pub admin: reqwest::Client,
    pub seeding: Duration,
}

/// Seeds `agents` demo agents into a new company named `name` and signs its admin in.
pub async fn seed_company(base: &str, database_url: &str, name: &str, agents: usize) -> anyhow::Result<SeededCompany> {
    let admin_email = format!("admin@{}.bench.test", name.to_lowercase().replace(' ', "-"));
    let (database_url, name_owned, email) = (database_url.to_owned(), name.to_owned(), admin_email.clone());
    let started = Instant::now();
    tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
        let pool = connect(&database_url, &PoolSettings { max_size: 1, connect_timeout: Duration::from_secs(10) })?;
        let mut conn = pool.get()?;
        let now = chrono::Utc::now().naive_utc();
        let company = CompanyName::parse(&name_owned).map_err(anyhow::Error::msg)?;
        if database_url.starts_with("postgres") {
            // seed_demo takes minutes per 100,000 agents there (see bulk_seed).
            let company_id = crate::bulk_seed::seed_postgres(&database_url, company.as_str(), agents, now)?;
            anyhow::ensure!(crate::bulk_seed::counters_agree(&database_url, &company_id)?, "the bulk seeding left the company's counters wrong");
        } else {
            agentgate::agents::seed::seed_demo(&mut conn, &company, agents, true, now)?;
        }
        let admin = NewAdmin {
            company,
            name: PersonName::parse("Bench Admin").map_err(anyhow::Error::msg)?,
            email: EmailAddress::parse(&email).map_err(anyhow::Error::msg)?,
            password_hash: agentgate::auth::password::hash_blocking(journeys::PASSWORD)?,
            language: agentgate::i18n::Language::English,
        };
        create_admin(&mut conn, &admin, now)?;
        Ok(())
    })
    .await??;
    let seeding = started.elapsed();

    let admin = browser();
    journeys::sign_in_without_code(&admin, base, &admin_email).await?;
    Ok(SeededCompany { agents, admin, seeding })
}

/// The views timed: every sort, the filter on each status, searches narrow
/// and broad (by name words, two words, an email prefix, nothing found), and
/// pages in the middle of the list, where OFFSET paging costs the most.
pub fn views(agents: usize) -> Vec<String> {
    let middle = (agents + 1).div_ceil(50) / 2;
    let middle_disabled = middle / 3 + 1;
    [
        "/agents".to_owned(),
        format!("/agents?sort=-name&page={middle}"),
        format!("/agents?sort=email&page={middle}"),
        "/agents?sort=-role".to_owned(),
        format!("/agents?sort=two_factor&page={middle}"),
        "/agents?sort=-trusted_computers".to_owned(),
        "/agents?sort=-last_login".to_owned(),
        format!("/agents?sort=status&page={middle}"),
        "/agents?two_factor=enabled".to_owned(),
        "/agents?two_factor=pending&sort=-last_login".to_owned(),
        "/agents?two_factor=app".to_owned(),
        "/agents?two_factor=email_only&sort=-last_login".to_owned(),
        format!("/agents?two_factor=app&sort=email&page={}", middle / 5 + 1),
        format!("/agents?two_factor=disabled&sort=email&page={middle_disabled}"),
        "/agents?q=ada".to_owned(),
        "/agents?q=a&sort=-last_login&page=5".to_owned(),
        "/agents?q=lovelace&two_factor=enabled&sort=trusted_computers".to_owned(),
        "/agents?q=grace+hopper&sort=-status".to_owned(),
        "/agents?q=mary.sp".to_owned(),
        "/agents?q=nobody+here".to_owned(),
    ]
    .into()
}

/// How long each view runs at full concurrency before it is measured.
const WARM_UP: Duration = Duration::from_millis(250);

/// Each view for `duration` from `connections` connections of the admin's
/// browser; `BENCH_VIEWS=q=mary,sort=-role` measures only the views whose
/// path holds one of those strings (to look at a few again).
pub async fn measure_views(base: &str, company: &SeededCompany, connections: usize, duration: Duration) -> Vec<(String, Stats)> {
    let picked = std::env::var("BENCH_VIEWS").ok();
    let wanted = |view: &str| picked.as_deref().is_none_or(|picked| picked.split(',').any(|part| view.contains(part.trim())));
    let mut results = Vec::new();
    for view in views(company.agents).into_iter().filter(|view| wanted(view)) {
        let url = format!("{base}{view}");
        // Warm up: the first request of a view reads its index pages from
        // disk, and the first burst at full concurrency opens the pool's
        // connections (on PostgreSQL a new server process each): a server
        // that has been running has done both.
        for _ in 0..3 {
            let _ = crate::get_ok(&company.admin, &url).await;
        }
        let _ = crate::page_rps_with(vec![company.admin.clone(); connections], url.clone(), WARM_UP).await;
        let stats = crate::page_rps_with(vec![company.admin.clone(); connections], url, duration).await;
        results.push((view, stats));
    }
    results
}

/// What downloading the CSV of every agent measured.
pub struct Export {
    pub rows: usize,
    pub bytes: usize,
    pub first_byte: Duration,
    pub total: Duration,
    /// The server's largest resident memory during the download, above what it
    /// held just before.
    pub growth_mib: f64,
}

/// Downloads `/agents.csv?sort=-last_login` as a browser would, a chunk at a
/// time, while sampling the server's resident memory every 2 ms.
pub async fn measure_export(base: &str, company: &SeededCompany, server_pid: u32) -> anyhow::Result<Export> {
    let before = resident_mib(server_pid);
    let sampling = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let sampler = {
        let sampling = sampling.clone();
        tokio::spawn(async move {
            let mut highest = before;
            while sampling.load(std::sync::atomic::Ordering::Relaxed) {
                highest = highest.max(resident_mib(server_pid));
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
            highest
        })
    };
    let started = Instant::now();
    let mut response = company.admin.get(format!("{base}/agents.csv?sort=-last_login")).send().await?;
    anyhow::ensure!(response.status() == 200, "/agents.csv answered {}", response.status());
    let (mut bytes, mut rows, mut first_byte) = (0usize, 0usize, None);
    while let Some(chunk) = response.chunk().await? {
        first_byte.get_or_insert_with(|| started.elapsed());
        bytes += chunk.len();
        rows += chunk.iter().filter(|b| **b == b'\n').count();
    }
    let total = started.elapsed();
    sampling.store(false, std::sync::atomic::Ordering::Relaxed);
    let highest = sampler.await?;
    Ok(Export { rows: rows.saturating_sub(1), bytes, first_byte: first_byte.unwrap_or(total), total, growth_mib: highest - before })
}

fn resident_mib(pid: u32) -> f64 {
    crate::server::status_mib(pid, "VmRSS:")
}
