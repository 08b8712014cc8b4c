//! Building the application: database, migrations, session store, routes.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_session::SessionMiddleware;
use actix_session::config::{BrowserSession, CookieContentSecurity, TtlExtensionPolicy};
use actix_web::cookie::{Key, SameSite};
use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::{App, HttpServer, web};
use tokio::sync::{Notify, Semaphore};

use crate::auth::PasswordHasher;
use crate::clock::SharedClock;
use crate::config::{Config, MailTransportKind};
use crate::db::{self, PoolSettings, Pools};
use crate::error::AppError;
use crate::mail::{self, transport::Mailer};
use crate::routes;
use crate::state::AppState;
use crate::web::forms::MAX_FORM_BYTES;
use crate::web::{csrf, middleware};
use crate::web::session_store::DbSessionStore;

/// A built, bound, not yet running server.
pub struct Application {
    port: u16,
    server: Server,
    /// The first-run link, when no agent exists yet (SPEC §2.1).
    pub setup_link: Option<String>,
    pub state: AppState,
    /// The shared lock on `<database>.lock` (SQLite), held while the server
    /// runs so that `agentgate restore` refuses to replace the file.
    database_lock: Option<db::lock::DatabaseLock>,
    mail_worker: mail::worker::WorkerHandle,
}

/// Connects to the database and applies pending migrations; a database that
/// cannot be reached stops the start with a clear message.
pub async fn connect_and_migrate(config: &Config) -> anyhow::Result<Pools> {
    let settings = PoolSettings { max_size: config.db_pool_size, connect_timeout: config.db_connect_timeout };
    let url = config.database_url.clone();
    tokio::task::spawn_blocking(move || -> anyhow::Result<Pools> {
        let shown = db::without_password(&url);
        let pools = db::connect_pools(&url, &settings).map_err(|e| anyhow::anyhow!("DATABASE_URL ({shown}): {e}"))?;
        let mut conn = pools.main.get().map_err(|e| anyhow::anyhow!("DATABASE_URL ({shown}): cannot connect to the database: {e}"))?;
        let applied = db::run_migrations(&mut conn).map_err(|e| match e.to_string() {
            message if crate::error::cannot_write(&message) => {
                anyhow::anyhow!("DATABASE_URL ({shown}): the database cannot be written ({message}): check the file's permissions and the free disk space")
            }
            message => anyhow::anyhow!("DATABASE_URL ({shown}): {message}"),
        })?;
        if applied > 0 {
            tracing::info!(applied, "database migrations applied");
        }
        drop(conn);
        Ok(pools)
    })
    .await?
}

impl Application {
    /// Binds `config.bind` (port 0 picks a free port, as the tests do).
    pub async fn build(mut config: Config, clock: SharedClock) -> anyhow::Result<Application> {
        // Record from the start: /metrics renders what the facade collected.
        crate::metrics::install();
        let early_lock = lock_database(&config.database_url)?;
        let pools = connect_and_migrate(&config).await?;
        let database_lock = match early_lock {
            Some(Ok(lock)) => Some(lock),
            // The first run creates the database's directory: try again now it exists.
            Some(Err(_)) => match lock_database(&config.database_url)? {
                Some(Ok(lock)) => Some(lock),
                Some(Err(e)) => {
                    tracing::warn!(error = %e, "running without the database lock: `agentgate restore` cannot tell that this server uses the database");
                    None
                }
                None => None,
            },
            None => None,
        };
        let listener = TcpListener::bind(config.bind)?;
        let port = listener.local_addr()?.port();
        if config.public_url.port() == Some(0) {
            // Bound to port 0 (tests): links must name the port actually chosen.
            let _ = config.public_url.set_port(Some(port));
        }
        let config = Arc::new(config);
        let passwords = PasswordHasher::new(config.hash_concurrency);
        let mailer = Mailer::from_config(&config)?;
        let state = AppState { config: config.clone(), pool: pools.main, read_pool: pools.reads, clock, passwords, mail_wake: Arc::new(Notify::new()), streams: Arc::new(Semaphore::new(crate::web::streaming::AT_ONCE)), mail_health: Default::default(), db_outage: crate::db::Outage::of(&config.database_url), page_anchors: Default::default(), awaiting_setup: Default::default(), setup_checked_at: Default::default() };

        let setup_token = {
            let state = state.clone();
            let now = state.now();
            state.db(move |conn| Ok(crate::auth::setup::issue_token_if_needed(conn, now)?)).await?
        };
        let setup_link = setup_token.map(|token| format!("{}/setup?token={token}", config.base_url()));
        state.awaiting_setup.store(setup_link.is_some(), std::sync::atomic::Ordering::Relaxed);

        spawn_maintenance(state.clone());
        crate::metrics::spawn_upkeep();
        if config.mail == MailTransportKind::Mailbox {
            tracing::warn!("AGENTGATE_MAIL=mailbox: email is not delivered but shown at /dev/mailbox (development only)");
        } else {
            tracing::info!(transport = %mail::transport::describe(&config.mail), from = %config.mail_from, "email delivery");
        }
        let mail_worker = mail::worker::spawn(state.mail_worker(), mailer);

        let server = build_server(listener, state.clone())?;
        Ok(Application { port, server, setup_link, state, database_lock, mail_worker })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until SIGTERM or SIGINT; then stops accepting, lets requests
    /// in flight finish and the outbox worker record the sends it started
    /// (each within `AGENTGATE_SHUTDOWN_SECONDS`), and returns.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let Application { server, database_lock, mail_worker, state, .. } = self;
        let result = server.await;
        tracing::info!("stopping: no new email is claimed; waiting for the sends in flight");
        if !mail_worker.finish(state.config.shutdown_grace).await {
            tracing::warn!("email still being sent at the deadline: its claim lapses and another instance or the next start sends it");
        }
        drop(database_lock);
        tracing::info!("stopped");
        result
    }
}

/// Takes the server's shared lock on a SQLite database (`None` on
/// PostgreSQL). A restore in progress stops the start; a lock file that
/// cannot be made is left to the caller (the database may not exist yet).
fn lock_database(url: &str) -> anyhow::Result<Option<Result<db::lock::DatabaseLock, db::lock::LockError>>> {
    match db::lock::lock_shared(url) {
        Some(Err(db::lock::LockError::Held { path })) => Err(anyhow::anyhow!(
            "DATABASE_URL ({}): `agentgate restore` is replacing the database (it holds {}); start the server when it has finished",
            db::without_password(url),
            path.display()
        )),
        other => Ok(other),
    }
}

fn build_server(listener: TcpListener, state: AppState) -> std::io::Result<Server> {
    let config = state.config.clone();
    let secret = Key::from(state.config.secret_key.bytes());
    let store = DbSessionStore::new(state.pool.clone(), state.db_outage.clone(), state.clock.clone(), config.session_idle_timeout, config.session_absolute_timeout);
    let session_cookie = csrf::cookie_name(&state, "agentgate_session");
    let idle = actix_web::cookie::time::Duration::seconds(config.session_idle_timeout.as_secs() as i64);
    let workers = config.workers;
    let shutdown_grace = config.shutdown_grace.as_secs();
    let blocking_threads = (config.db_pool_size as usize + 3).max(4);
    let dev_mailbox = config.mail == MailTransportKind::Mailbox;
    let data = web::Data::new(state);
    let server = HttpServer::new(move || {
        let sessions = SessionMiddleware::builder(store.clone(), secret.clone())
            .cookie_name(session_cookie.clone())
            .cookie_secure(config.is_https())
            .cookie_http_only(true)
            .cookie_same_site(SameSite::Lax)
            .cookie_path("/".to_owned())
            .cookie_content_security(CookieContentSecurity::Signed)
            .session_lifecycle(
                BrowserSession::default().state_ttl(idle).state_ttl_extension_policy(TtlExtensionPolicy::OnEveryRequest),
            )
            .build();
        App::new()
            .app_data(data.clone())
            .app_data(web::PayloadConfig::new(MAX_FORM_BYTES))
            .app_data(web::QueryConfig::default().error_handler(|_, _| {
                AppError::bad_request("The address of this page is malformed.").into()
            }))
            .app_data(web::PathConfig::default().error_handler(|_, _| AppError::NotFound.into()))
            // Pages and files compressed (gzip, brotli) as the client accepts.
            // Safe for pages because their CSRF token is masked afresh each
            // time (web::csrf::mask); the two pages that show a secret opt out.
            .wrap(actix_web::middleware::Compress::default())
            .wrap(from_fn(middleware::csrf_cookie))
            .wrap(sessions)
            .wrap(from_fn(middleware::session_store_errors))
            .wrap(from_fn(middleware::security_headers))
            .wrap(from_fn(middleware::request_log))
            .configure(routes::configure)
            .configure(|cfg| {
                if dev_mailbox {
                    routes::configure_dev_mailbox(cfg);
                }
            })
            .default_service(web::to(routes::not_found))
    })
    .listen(listener)?
    .shutdown_timeout(shutdown_grace)
    // Database work runs on the blocking threads, one pooled connection each:
    // more threads than connections would only wait, and each idle thread's
    // allocator arena stays resident (a login flood once grew memory this way).
    .worker_max_blocking_threads(blocking_threads);
    let server = match workers {
        Some(workers) => server.workers(workers),
        None => server,
    };
    Ok(server.run())
}

/// How often the housekeeping runs.
const MAINTENANCE_INTERVAL: Duration = Duration::from_secs(60);

/// Reports abandoned logins (SPEC §6 security notice) and forgets what has
/// expired, once a minute. Every instance runs it; the work is claimed row
/// by row, so running it twice at once sends nothing twice.
fn spawn_maintenance(state: AppState) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(MAINTENANCE_INTERVAL);
        loop {
            ticks.tick().await;
            if let Err(e) = run_maintenance(&state).await {
                tracing::warn!(error = %e, "maintenance failed");
            }
        }
    });
}

/// Forgets what has expired, so that no table but the agents and the audit
/// log grows with use. Each kind of row goes once nothing reads it any more:
/// sessions when they end; rate buckets once idle past their limit's window
/// (`auth::rate_limit_windows`); ended code challenges, with their codes,
/// after the horizons derived from the code policy
/// (`CodePolicy::ended_challenge_horizons`: minutes, not days); reset tokens
/// a day after they expired; trusted computers and passkey ceremonies when
/// they expire; invitations 30 days past their expiry; delivered, failed and
/// dropped email after `AGENTGATE_SENT_EMAIL_RETENTION_HOURS`; audit entries
/// past `AGENTGATE_AUDIT_RETENTION_DAYS` (in batches).
pub fn sweep(conn: &mut crate::db::DbConnection, config: &Config, now: chrono::NaiveDateTime) -> Result<(), AppError> {
    use crate::db::models::{code_challenge::CodeChallenge, invitation, passkey, password_reset_token, session, trusted_computer};
    let day = chrono::Duration::days(1);
    session::delete_expired(conn, now)?;
    crate::auth::throttle::sweep(conn, now, &crate::auth::rate_limit_windows(config))?;
    let challenges = config.codes.ended_challenge_horizons();
    CodeChallenge::delete_ended(conn, now - challenges.after_expiry, now - challenges.after_abandoned_report)?;
    password_reset_token::delete_expired(conn, now - day)?;
    trusted_computer::delete_expired(conn, now)?;
    passkey::delete_expired_ceremonies(conn, now)?;
    invitation::delete_expired_before(conn, now - chrono::Duration::days(30))?;
    mail::outbox::delete_finished_before(conn, now - config.sent_email_retention)?;
    if config.audit_retention_days > 0 {
        crate::audit::expire_before(conn, now - chrono::Duration::days(i64::from(config.audit_retention_days)), AUDIT_BATCH)?;
    }
    vacuum_busy_tables(conn)?;
    Ok(())
}

/// The PostgreSQL tables that are rewritten all day: small, but each update
/// and delete leaves a dead row version behind.
const BUSY_TABLES: &str = "sessions, rate_buckets, code_lockouts, code_challenges, one_time_codes, outbox";

/// Reclaims the dead row versions of the busy tables on PostgreSQL, whether
/// or not the server's autovacuum runs (it can be off: it was on the
/// benchmark's machine, where the outbox grew from 28 to 76 MiB in ten
/// minutes while holding 200 rows). Vacuuming a small table with little to
/// reclaim takes a few milliseconds; `SKIP_LOCKED` passes over a table
/// another instance (or autovacuum) is vacuuming at that moment. SQLite
/// reuses freed pages by itself.
fn vacuum_busy_tables(conn: &mut crate::db::DbConnection) -> Result<(), AppError> {
    use diesel::connection::SimpleConnection;
    if conn.backend() == crate::db::Backend::Postgres {
        conn.batch_execute(&format!("VACUUM (SKIP_LOCKED) {BUSY_TABLES}"))?;
    }
    Ok(())
}

/// The most audit entries one round forgets (a round a minute).
const AUDIT_BATCH: i64 = 5_000;

/// One round of housekeeping; public so tests run it instead of waiting.
pub async fn run_maintenance(state: &AppState) -> Result<usize, AppError> {
    let config = state.config.clone();
    let now = state.now();
    let notified = state
        .db(move |conn| {
            let notified = crate::auth::login::notify_abandoned_logins(conn, &config, now)?;
            sweep(conn, &config, now)?;
            Ok(notified)
        })
        .await?;
    // Off the async threads: trimming walks every arena under its lock.
    let _ = tokio::task::spawn_blocking(give_freed_memory_back).await;
    Ok(notified)
}

/// Returns the heap memory freed since the last round to the system. Each
/// blocking thread that ran a query keeps a glibc arena of its own, and a
/// free block in the middle of an arena stays resident until trimmed: without
/// this, the server's memory creeps up under a steady load (the soak,
/// docs/PERFORMANCE.md).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn give_freed_memory_back() {
    // SAFETY: malloc_trim only releases free pages; any thread may call it at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn give_freed_memory_back() {}
