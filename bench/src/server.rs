//! The server under test: the release `agentgate` binary as a child process
//! on a fresh database, and its memory as the kernel reports it.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use tokio::process::{Child, Command};

pub struct Server {
    pub child: Child,
    pub base_url: String,
    /// Holds the working directory until the server is dropped.
    _dir: tempfile::TempDir,
    pub startup: Duration,
    pub database_url: String,
}

/// The benchmark's own fresh database: a SQLite file in a temporary
/// directory, or a new database on a PostgreSQL server (`--database
/// postgres://…`), created at the start and dropped at the end
/// (`BENCH_KEEP_DATABASE=1` keeps it and prints its name, to look at a
/// slow view's plan afterwards).
pub enum Database {
    Sqlite { dir: tempfile::TempDir },
    Postgres { admin_url: String, name: String, url: String },
}

impl Database {
    /// `server`: a PostgreSQL URL to create the database on, or `None` for SQLite.
    pub fn create(server: Option<&str>) -> anyhow::Result<Database> {
        use diesel::{Connection, RunQueryDsl};
        match server {
            None => Ok(Database::Sqlite { dir: tempfile::tempdir()? }),
            Some(admin_url) => {
                anyhow::ensure!(admin_url.starts_with("postgres://") || admin_url.starts_with("postgresql://"), "--database takes a postgres:// URL");
                let name = format!("agentgate_bench_{}", agentgate::domain::new_public_id().to_lowercase());
                let mut admin = diesel::PgConnection::establish(admin_url)?;
                diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut admin)?;
                let base = admin_url.rsplit_once('/').map(|(base, _)| base).unwrap_or(admin_url);
                Ok(Database::Postgres { admin_url: admin_url.to_owned(), url: format!("{base}/{name}"), name })
            }
        }
    }

    pub fn url(&self) -> String {
        match self {
            Database::Sqlite { dir } => dir.path().join("bench.sqlite3").display().to_string(),
            Database::Postgres { url, .. } => url.clone(),
        }
    }

    /// The PostgreSQL database's name (`None` on SQLite).
    pub fn postgres_name(&self) -> Option<&str> {
        match self {
            Database::Sqlite { .. } => None,
            Database::Postgres { name, .. } => Some(name),
        }
    }

    /// "SQLite" or "PostgreSQL", for the table.
    pub fn backend(&self) -> &'static str {
        match self {
            Database::Sqlite { .. } => "SQLite",
            Database::Postgres { .. } => "PostgreSQL",
        }
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        use diesel::{Connection, RunQueryDsl};
        if let Database::Postgres { admin_url, name, .. } = self {
            if std::env::var_os("BENCH_KEEP_DATABASE").is_some() {
                eprintln!("BENCH_KEEP_DATABASE: kept the PostgreSQL database {name}");
                return;
            }
            if let Ok(mut admin) = diesel::PgConnection::establish(admin_url) {
                let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut admin);
            }
        }
    }
}

/// The release binary next to this benchmark's own executable.
pub fn agentgate_binary() -> PathBuf {
    let me = std::env::current_exe().expect("current exe");
    me.with_file_name("agentgate")
}

/// The environment that makes the server deliver its email to the
/// benchmark's SMTP server at `smtp_url`.
pub fn smtp_env(smtp_url: &str) -> Vec<(&'static str, String)> {
    vec![("AGENTGATE_MAIL", "smtp".to_owned()), ("SMTP_URL", smtp_url.to_owned()), ("MAIL_FROM", "AgentGate <no-reply@bench.test>".to_owned())]
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl Server {
    /// Starts `agentgate serve` with `env` on `database` and waits for /healthz.
    pub async fn start(database: &Database, env: &[(&str, String)]) -> anyhow::Result<Server> {
        let dir = tempfile::tempdir()?;
        let port = free_port();
        let database_url = database.url();
        let mut command = Command::new(agentgate_binary());
        command
            .arg("serve")
            .current_dir(dir.path())
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("AGENTGATE_BIND", format!("127.0.0.1:{port}"))
            .env("DATABASE_URL", &database_url)
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .kill_on_drop(true);
        // Settings given to the benchmark reach the server (say
        // AGENTGATE_DB_POOL_SIZE, to measure another pool); the run's own
        // below take precedence.
        for (key, value) in std::env::vars().filter(|(key, _)| key.starts_with("AGENTGATE_") && key != "AGENTGATE_BIND") {
            command.env(key, value);
        }
        for (key, value) in env {
            command.env(key, value);
        }
        let started = Instant::now();
        let child = command.spawn()?;
        let base_url = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::new();
        loop {
            if let Ok(response) = client.get(format!("{base_url}/healthz")).send().await
                && response.status().is_success()
            {
                break;
            }
            anyhow::ensure!(started.elapsed() < Duration::from_secs(30), "the server did not start");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let startup = started.elapsed();
        Ok(Server { child, base_url, _dir: dir, startup, database_url })
    }

    pub fn pid(&self) -> u32 {
        self.child.id().unwrap_or(0)
    }

    /// Current and peak resident memory in MiB (VmRSS, VmHWM).
    pub fn memory_mib(&self) -> (f64, f64) {
        (status_mib(self.pid(), "VmRSS:"), status_mib(self.pid(), "VmHWM:"))
    }
}

/// CPU time (user + system) that a process has used so far, split into the
/// server's hashing threads (named `argon2-N`) and everything else.
#[derive(Debug, Clone, Copy, Default)]
pub struct CpuTime {
    pub hashing: Duration,
    pub other: Duration,
}

impl std::ops::Sub for CpuTime {
    type Output = CpuTime;
    fn sub(self, earlier: CpuTime) -> CpuTime {
        CpuTime { hashing: self.hashing.saturating_sub(earlier.hashing), other: self.other.saturating_sub(earlier.other) }
    }
}

/// Reads [`CpuTime`] from `/proc`: the process's own total (which keeps the
/// time of threads that have exited) less its live hashing threads' time.
pub fn cpu_time(pid: u32) -> CpuTime {
    let total = stat_cpu(&format!("/proc/{pid}/stat")).map_or(Duration::ZERO, |(_, spent)| spent);
    let hashing = std::fs::read_dir(format!("/proc/{pid}/task"))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|task| stat_cpu(&task.path().join("stat").display().to_string()))
        .filter(|(name, _)| name.starts_with("argon2-"))
        .map(|(_, spent)| spent)
        .sum();
    CpuTime { hashing, other: total.saturating_sub(hashing) }
}

/// The name and utime + stime of a `stat` file (proc(5)).
fn stat_cpu(path: &str) -> Option<(String, Duration)> {
    let stat = std::fs::read_to_string(path).ok()?;
    // The name is in parentheses and may hold anything: fields are counted after the last ')'.
    let (open, close) = (stat.find('(')?, stat.rfind(')')?);
    let fields: Vec<&str> = stat[close + 1..].split_whitespace().collect();
    // utime and stime are fields 14 and 15, the 12th and 13th after the name.
    let ticks: u64 = fields.get(11..13)?.iter().map(|t| t.parse::<u64>().ok()).sum::<Option<u64>>()?;
    // SAFETY: sysconf has no preconditions.
    let ticks_per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as u64;
    Some((stat[open + 1..close].to_owned(), Duration::from_micros(ticks * 1_000_000 / ticks_per_second)))
}

/// A memory field of `/proc/<pid>/status`, in MiB.
pub fn status_mib(pid: u32, field: &str) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}
