//! The database layer: one connection type over SQLite and PostgreSQL, the
//! r2d2 pool, migrations and the write-transaction helper.
//!
//! Lookups that find at most one row end in `get_result`, not `first`:
//! `first` adds `LIMIT ?`, and SQLite re-plans a cached statement every time
//! a bound LIMIT is bound again (its value could change the plan), which made
//! re-preparing a visible share of a login's CPU time.

pub mod backup;
pub mod columns;
pub mod lock;
pub mod models;
pub mod schema;
pub mod sql_text;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, ManageConnection, Pool, PooledConnection};
use diesel::sqlite::SqliteConnection;
use diesel::pg::PgConnection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::error::AppError;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// A connection to whichever backend `DATABASE_URL` names. Queries are written
/// once against this type; only migrations and transactions look inside it.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgres(PgConnection),
    Sqlite(SqliteConnection),
}

impl DbConnection {
    /// Which backend this connection talks to (for the few queries written per dialect).
    pub fn backend(&self) -> Backend {
        match self {
            DbConnection::Postgres(_) => Backend::Postgres,
            DbConnection::Sqlite(_) => Backend::Sqlite,
        }
    }
}

/// The pool every request and worker borrows connections from.
pub type DbPool = Pool<Manager>;
/// A connection borrowed from [`DbPool`].
pub type PooledDb = PooledConnection<Manager>;

/// How long after a connection went back to the pool it is lent again
/// without a check: it just worked, so the check's `SELECT 1` would be one
/// more round trip for nothing (on PostgreSQL about a quarter of the
/// statements of a login, and of an Agents tab view). A connection that
/// died within it fails its first query, which answers 503, as a query
/// would if the server went away during it.
const TRUSTED_AFTER_USE: Duration = Duration::from_secs(1);

/// Opens the connections of a pool and checks an idle one before lending
/// it: on PostgreSQL, once it has been idle for [`TRUSTED_AFTER_USE`] (the
/// server may have closed it meanwhile); on SQLite never, since a file
/// cannot drop a connection the way a server can.
pub struct Manager {
    connections: ConnectionManager<DbConnection>,
    checks_idle_connections: bool,
}

/// A pooled connection, with when it last went back to the pool.
pub struct Pooled {
    conn: DbConnection,
    returned_at: std::time::Instant,
}

impl Pooled {
    fn new(mut conn: DbConnection) -> Pooled {
        if let DbConnection::Postgres(pg) = &mut conn {
            pg.set_instrumentation(ConnectionLoss::default());
        }
        Pooled { conn, returned_at: std::time::Instant::now() }
    }

    /// Whether a statement on this connection failed because the connection
    /// itself is gone (PostgreSQL only; a SQLite file cannot drop one).
    fn is_lost(&mut self) -> bool {
        match &mut self.conn {
            DbConnection::Postgres(pg) => {
                pg.instrumentation().downcast_ref::<ConnectionLoss>().is_some_and(|loss| loss.lost)
            }
            DbConnection::Sqlite(_) => false,
        }
    }
}

/// Watches every statement of a PostgreSQL connection for the errors that
/// mean the connection is gone (libpq reports it closed, or a command could
/// not be sent). diesel counts a PostgreSQL connection as broken only when it
/// is left inside a transaction, so one whose server went away between
/// statements would otherwise go back to the pool and be lent again. Knowing
/// it from the error itself costs nothing: no `SELECT 1` after each refusal.
#[derive(Default)]
struct ConnectionLoss {
    lost: bool,
}

impl diesel::connection::Instrumentation for ConnectionLoss {
    fn on_connection_event(&mut self, event: diesel::connection::InstrumentationEvent<'_>) {
        use diesel::result::{DatabaseErrorKind, Error};
        if let diesel::connection::InstrumentationEvent::FinishQuery {
            error: Some(Error::DatabaseError(DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand, _)),
            ..
        } = event
        {
            self.lost = true;
        }
    }
}

impl std::ops::Deref for Pooled {
    type Target = DbConnection;
    fn deref(&self) -> &DbConnection {
        &self.conn
    }
}

impl std::ops::DerefMut for Pooled {
    fn deref_mut(&mut self) -> &mut DbConnection {
        &mut self.conn
    }
}

impl ManageConnection for Manager {
    type Connection = Pooled;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<Pooled, diesel::r2d2::Error> {
        Ok(Pooled::new(self.connections.connect()?))
    }

    fn is_valid(&self, pooled: &mut Pooled) -> Result<(), diesel::r2d2::Error> {
        if !self.checks_idle_connections || pooled.returned_at.elapsed() < TRUSTED_AFTER_USE {
            return Ok(());
        }
        self.connections.is_valid(&mut pooled.conn)
    }

    /// Called as the connection goes back to the pool.
    fn has_broken(&self, pooled: &mut Pooled) -> bool {
        pooled.returned_at = std::time::Instant::now();
        pooled.is_lost() || self.connections.has_broken(&mut pooled.conn)
    }
}

pub use crate::config::Backend;

/// Errors of the database layer.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("cannot reach the database: {0}")]
    Unavailable(String),
    #[error("database migration failed: {0}")]
    Migration(String),
    #[error("a database task failed: {0}")]
    TaskFailed(String),
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
}

impl From<DbError> for AppError {
    fn from(error: DbError) -> AppError {
        match error {
            DbError::Unavailable(e) => AppError::DatabaseUnavailable(e),
            DbError::Query(e) => e.into(),
            other => AppError::Internal(other.into()),
        }
    }
}

/// A database URL fit for a log line or an error: a PostgreSQL password is
/// replaced by `***`.
pub fn without_password(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_owned(),
    }
}

/// Writes the readiness probe's row: fails when the database cannot be
/// written (a full disk, a read-only file, an unreachable server).
pub fn probe_write(conn: &mut DbConnection, now: chrono::NaiveDateTime) -> QueryResult<()> {
    use crate::db::schema::readiness_probe;
    // One row, written by a migration: an UPDATE, so probes of several
    // instances at once queue on the row instead of racing to insert it.
    diesel::update(readiness_probe::table.find(1)).set(readiness_probe::checked_at.eq(now)).execute(conn).map(|_| ())
}

/// Runs `work` with a connection of `pool` on the blocking pool: diesel is
/// synchronous, and a pooled connection must never be held across an `.await`.
/// While `outage` knows the database to be down, a checkout waits at most
/// [`CHECKOUT_WHILE_DOWN`] instead of the pool's full timeout.
pub async fn run_blocking<T, E, F>(pool: DbPool, outage: &Outage, work: F) -> Result<T, E>
where
    T: Send + 'static,
    E: From<DbError> + Send + 'static,
    F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
{
    let outage = outage.clone();
    tokio::task::spawn_blocking(move || {
        let wait = outage.checkout_wait(pool.connection_timeout());
        let asked = std::time::Instant::now();
        let checkout = pool.get_timeout(wait);
        crate::metrics::pool_wait(asked.elapsed());
        let mut conn = match checkout {
            Ok(conn) => {
                outage.ended();
                conn
            }
            Err(e) => {
                outage.began(&e.to_string());
                return Err(DbError::Unavailable(e.to_string()).into());
            }
        };
        let result = work(&mut conn);
        // A connection lent without a check (see `TRUSTED_AFTER_USE`) may
        // find the server gone: the next checkouts then wait no longer than
        // during any outage, the log says so once, and the pool drops it.
        if result.is_err() && conn.is_lost() {
            outage.began("the connection broke during a query");
        }
        result
    })
    .await
    .map_err(|e| DbError::TaskFailed(e.to_string()))?
}

/// How long a checkout waits while the database is known to be down: a
/// request answers 503 in about this long, not after the pool's whole
/// timeout. (The pool keeps reconnecting in the background.)
pub const CHECKOUT_WHILE_DOWN: Duration = Duration::from_millis(500);

/// Whether this instance's database is unreachable, and since when: the
/// log says so once when an outage begins (with the cause) and once when it
/// ends, instead of a line per failed checkout.
#[derive(Debug, Clone)]
pub struct Outage {
    url: Arc<String>,
    /// Read on every checkout, so it is an atomic; `since` is taken only
    /// when an outage begins or ends.
    down: Arc<std::sync::atomic::AtomicBool>,
    since: Arc<Mutex<Option<std::time::Instant>>>,
}

impl Outage {
    /// The outage state of the database at `url` (named in the log without its password).
    pub fn of(url: &str) -> Outage {
        Outage { url: Arc::new(url.to_owned()), down: Arc::default(), since: Arc::default() }
    }

    fn checkout_wait(&self, normal: Duration) -> Duration {
        if self.is_down() { normal.min(CHECKOUT_WHILE_DOWN) } else { normal }
    }

    /// True while the last checkout failed.
    pub fn is_down(&self) -> bool {
        self.down.load(std::sync::atomic::Ordering::Relaxed)
    }

    fn began(&self, pool_error: &str) {
        let mut since = self.since.lock().unwrap_or_else(|e| e.into_inner());
        if since.is_some() {
            return;
        }
        *since = Some(std::time::Instant::now());
        self.down.store(true, std::sync::atomic::Ordering::Relaxed);
        drop(since);
        // r2d2's error names the multi-backend connection, not the cause:
        // one direct attempt says what is wrong.
        let cause = match Backend::of_url(&self.url) {
            Backend::Postgres => PgConnection::establish(&self.url).err().map(|e| e.to_string()).unwrap_or_else(|| pool_error.to_owned()),
            Backend::Sqlite => pool_error.to_owned(),
        };
        tracing::error!(database = %without_password(&self.url), cause = %cause.trim(), "the database cannot be reached; requests answer 503 until it is back");
    }

    fn ended(&self) {
        if !self.is_down() {
            return;
        }
        let mut since = self.since.lock().unwrap_or_else(|e| e.into_inner());
        self.down.store(false, std::sync::atomic::Ordering::Relaxed);
        if let Some(began) = since.take() {
            tracing::info!(database = %without_password(&self.url), after_secs = began.elapsed().as_secs(), "the database is reachable again");
        }
    }
}

/// Pool settings (SPEC §5 leaves them to the operator).
#[derive(Debug, Clone)]
pub struct PoolSettings {
    pub max_size: u32,
    pub connect_timeout: Duration,
}

/// Sets the per-connection SQLite pragmas; PostgreSQL needs none.
#[derive(Debug)]
struct ConnectionSetup {
    read_only: bool,
}

impl CustomizeConnection<Pooled, diesel::r2d2::Error> for ConnectionSetup {
    fn on_acquire(&self, pooled: &mut Pooled) -> Result<(), diesel::r2d2::Error> {
        if let DbConnection::Sqlite(sqlite) = &mut pooled.conn {
            // busy_timeout makes writers queue instead of failing with "database is locked".
            sqlite
                .batch_execute(
                    "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL;",
                )
                .map_err(diesel::r2d2::Error::QueryError)?;
            if self.read_only {
                sqlite.batch_execute("PRAGMA query_only = ON;").map_err(diesel::r2d2::Error::QueryError)?;
            }
        }
        Ok(())
    }
}

/// The pools of one instance.
///
/// On SQLite, `main` is a single connection that every transaction of the
/// request path runs on. SQLite admits one writer at a time whatever the
/// pool size, and a connection drops its whole page cache whenever another
/// connection has written since its last transaction: with several writers
/// taking turns, each transaction read its pages back from the file (and
/// writers that met the lock slept in the busy handler). With one, the pages
/// a login touches stay in memory and writers queue in order. `reads` holds
/// read-only connections for the long reads (the Agents tab, the activity
/// log, CSV downloads), which in WAL mode neither wait for the writer nor
/// hold it up. On PostgreSQL both are the same pool of `max_size`.
#[derive(Clone)]
pub struct Pools {
    pub main: DbPool,
    pub reads: DbPool,
}

/// Builds the pools of an instance (see [`Pools`]).
pub fn connect_pools(url: &str, settings: &PoolSettings) -> Result<Pools, DbError> {
    match Backend::of_url(url) {
        Backend::Postgres => {
            let pool = connect(url, settings)?;
            Ok(Pools { main: pool.clone(), reads: pool })
        }
        Backend::Sqlite => {
            let main = connect(url, &PoolSettings { max_size: 1, ..settings.clone() })?;
            let reads = build_pool(url, settings, ConnectionSetup { read_only: true }, 0)?;
            Ok(Pools { main, reads })
        }
    }
}

/// Builds the pool, creating the SQLite file (and its directory) when needed.
pub fn connect(url: &str, settings: &PoolSettings) -> Result<DbPool, DbError> {
    if Backend::of_url(url) == Backend::Sqlite {
        if let Some(parent) = std::path::Path::new(url).parent()
            && !parent.as_os_str().is_empty() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| DbError::Unavailable(format!("cannot create {}: {e}", parent.display())))?;
            }
        // WAL is a property of the file, set once: readers no longer block the writer.
        let mut conn = SqliteConnection::establish(url).map_err(|e| DbError::Unavailable(e.to_string()))?;
        conn.batch_execute("PRAGMA journal_mode = WAL;")
            .map_err(|e| DbError::Unavailable(e.to_string()))?;
    }
    build_pool(url, settings, ConnectionSetup { read_only: false }, settings.max_size)
}

/// `min_idle` connections are opened at once (and reconnected); the rest
/// when first needed. The read-only pool opens none ahead: a CLI command
/// never reads through it, and a server whose admins never open the Agents
/// tab keeps no idle connections for it.
fn build_pool(url: &str, settings: &PoolSettings, setup: ConnectionSetup, min_idle: u32) -> Result<DbPool, DbError> {
    let manager = Manager {
        connections: ConnectionManager::<DbConnection>::new(url),
        checks_idle_connections: Backend::of_url(url) == Backend::Postgres,
    };
    Pool::builder()
        .max_size(settings.max_size)
        .min_idle(Some(min_idle))
        // The manager decides which connections need the check.
        .test_on_check_out(true)
        .connection_timeout(settings.connect_timeout)
        .connection_customizer(Box::new(setup))
        // Failed connects are logged once per outage by `Outage`, with the cause.
        .error_handler(Box::new(diesel::r2d2::NopErrorHandler))
        .build(manager)
        .map_err(|e| DbError::Unavailable(e.to_string()))
}

/// Applies the pending migrations of the connection's backend.
pub fn run_migrations(conn: &mut DbConnection) -> Result<usize, DbError> {
    let applied = match conn {
        DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|v| v.iter().map(|m| m.to_string()).collect::<Vec<_>>()),
        DbConnection::Postgres(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS).map(|v| v.iter().map(|m| m.to_string()).collect::<Vec<_>>()),
    }
    .map_err(|e| DbError::Migration(e.to_string()))?;
    // The search form of names is computed in Rust (Unicode-aware lower-casing
    // that SQL cannot match on both backends): fill it in once, when the
    // migration that added it has just run.
    if applied.iter().any(|version| version == AGENTS_TAB_MIGRATION) {
        write_transaction(conn, models::Agent::reindex_all_names)?;
    }
    // SQLite plans by the statistics ANALYZE left (seed-demo runs it): an
    // index added since has none, and looks cheaper than it is. Refresh them
    // when a migration ran on a database that has statistics.
    if !applied.is_empty() && matches!(conn, DbConnection::Sqlite(_)) {
        use diesel::connection::SimpleConnection;
        let has_statistics: i64 = diesel::dsl::sql::<diesel::sql_types::BigInt>("SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
            .get_result(conn)
            .map_err(|e| DbError::Migration(e.to_string()))?;
        if has_statistics > 0 {
            conn.batch_execute("ANALYZE").map_err(|e| DbError::Migration(e.to_string()))?;
        }
    }
    Ok(applied.len())
}

/// The version of the migration that added `agents.search_name`
/// (`2026-11-28-000030_agents_tab`).
const AGENTS_TAB_MIGRATION: &str = "20261128000030";

/// Applies only the first `count` migrations: how an upgrade test builds a
/// database "from an older version".
pub fn run_first_migrations(conn: &mut DbConnection, count: usize) -> Result<(), DbError> {
    for _ in 0..count {
        let result = match conn {
            DbConnection::Sqlite(c) => c.run_next_migration(SQLITE_MIGRATIONS).map(|_| ()),
            DbConnection::Postgres(c) => c.run_next_migration(POSTGRES_MIGRATIONS).map(|_| ()),
        };
        result.map_err(|e| DbError::Migration(e.to_string()))?;
    }
    Ok(())
}

/// Runs `work`, whose writes are each safe on their own (compare-and-swap
/// on a version, as `auth::throttle` writes), grouped in one write
/// transaction on SQLite, where it saves a commit per write, and without a
/// transaction on PostgreSQL, where `BEGIN` and `COMMIT` would be two more
/// round trips (and would hold each row's lock until the end). Do not use it
/// for writes that must stand or fall together.
pub fn grouped_writes<T, E>(conn: &mut DbConnection, work: impl FnOnce(&mut DbConnection) -> Result<T, E>) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    match conn {
        DbConnection::Postgres(_) => work(conn),
        DbConnection::Sqlite(_) => write_transaction(conn, work),
    }
}

/// Runs `work` in a transaction that takes the write lock at once.
///
/// On SQLite a deferred transaction that reads and then writes can fail with
/// SQLITE_BUSY without waiting for the busy timeout; `BEGIN IMMEDIATE` queues
/// instead. PostgreSQL uses an ordinary transaction. Do not nest.
pub fn write_transaction<T, E>(
    conn: &mut DbConnection,
    work: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    match conn {
        DbConnection::Postgres(_) => conn.transaction(work),
        DbConnection::Sqlite(_) => {
            conn.batch_execute("BEGIN IMMEDIATE")?;
            let mut guard = RollbackOnDrop { conn: Some(conn) };
            let result = work(guard.conn.as_deref_mut().expect("connection present until commit"));
            let conn = guard.conn.take().expect("connection present until commit");
            match result {
                Ok(value) => {
                    if let Err(e) = conn.batch_execute("COMMIT") {
                        let _ = conn.batch_execute("ROLLBACK");
                        return Err(e.into());
                    }
                    Ok(value)
                }
                Err(e) => {
                    conn.batch_execute("ROLLBACK")?;
                    Err(e)
                }
            }
        }
    }
}

/// Rolls a manual SQLite transaction back if the work panics, so the pooled
/// connection is not returned mid-transaction.
struct RollbackOnDrop<'a> {
    conn: Option<&'a mut DbConnection>,
}

impl Drop for RollbackOnDrop<'_> {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            let _ = conn.batch_execute("ROLLBACK");
        }
    }
}
