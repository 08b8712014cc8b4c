//! `agentgate backup` and `agentgate restore` on SQLite: `VACUUM INTO` makes
//! a consistent copy of a database in use (a read transaction: in WAL mode it
//! neither waits for the server's writer nor holds it up), and a restore
//! swaps a checked copy in with a rename.

use crate::i18n::{arg, t1, t2, tn};
use std::path::{Path, PathBuf};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use diesel::sqlite::SqliteConnection;

/// A backup or restore that cannot be done; `Input` is the operator's to fix
/// (a file in the way, a file that is not an AgentGate database).
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0}")]
    Input(String),
    #[error("{0}")]
    Failure(String),
}

/// What a copy holds, for the command's one-line report.
#[derive(Debug, Clone, Copy)]
pub struct Contents {
    pub agents: i64,
    pub bytes: u64,
}

/// The tables every AgentGate database has.
const REQUIRED_TABLES: [&str; 2] = ["agents", "__diesel_schema_migrations"];

/// Copies the SQLite database at `database` into `to`, which must not exist
/// (it is created with mode 0600: the copy holds password hashes).
pub fn backup(database: &Path, to: &Path) -> Result<Contents, BackupError> {
    if !database.is_file() {
        return Err(BackupError::Failure(t1("cli-no-database", "path", database.display().to_string())));
    }
    create_private(to)?;
    let result = (|| {
        let mut conn = open(database, false)?;
        conn.batch_execute("PRAGMA busy_timeout = 5000;").map_err(|e| failure(database, e))?;
        vacuum_into(&mut conn, to).map_err(|e| BackupError::Failure(tn("cli-cannot-copy-to", vec![("from", arg(database.display().to_string())), ("to", arg(to.display().to_string())), ("error", arg(e.to_string()))])))?;
        check(to)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(to);
    }
    result
}

/// Checks that `file` is an intact AgentGate database; returns what it holds.
pub fn check(file: &Path) -> Result<Contents, BackupError> {
    let mut conn = open(file, true)?;
    let not_ours = |why: String| BackupError::Input(t2("cli-not-ours", "path", file.display().to_string(), "why", why));
    let integrity = quick_check(&mut conn).map_err(|e| not_ours(e.to_string()))?;
    if integrity != "ok" {
        return Err(not_ours(t1("cli-integrity", "result", format!("{integrity:?}"))));
    }
    for table in REQUIRED_TABLES {
        let found: i64 = diesel::sql_query("SELECT count(*) AS value FROM sqlite_master WHERE type = 'table' AND name = ?")
            .bind::<Text, _>(table)
            .get_result::<Count>(&mut conn)
            .map_err(|e| not_ours(e.to_string()))?
            .value;
        if found == 0 {
            return Err(not_ours(t1("cli-no-table", "table", table)));
        }
    }
    let agents = diesel::sql_query("SELECT count(*) AS value FROM agents").get_result::<Count>(&mut conn).map_err(|e| not_ours(e.to_string()))?.value;
    let bytes = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    Ok(Contents { agents, bytes })
}

/// What a restore did.
#[derive(Debug)]
pub struct Restored {
    pub contents: Contents,
    /// Where the database that was replaced now is, if there was one.
    pub previous: Option<PathBuf>,
}

/// Replaces the database at `database` with a copy of `from` after checking
/// it. The caller holds the exclusive lock (no server runs). The replaced
/// database is kept as `<database>.pre-restore` (with its `-wal`, if any).
pub fn restore(database: &Path, from: &Path) -> Result<Restored, BackupError> {
    if !from.is_file() {
        return Err(BackupError::Input(t1("cli-no-file", "path", from.display().to_string())));
    }
    check(from)?;
    if let Some(parent) = database.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| BackupError::Failure(t2("cli-cannot-create", "path", parent.display().to_string(), "error", e.to_string())))?;
    }
    // A fresh copy beside the target (the same file system, so the swap is a
    // rename); VACUUM INTO also folds in a `-wal` the backup file may have.
    let incoming = sibling(database, ".restoring");
    remove_if_present(&incoming)?;
    create_private(&incoming)?;
    let copied = (|| {
        let mut source = open(from, true)?;
        vacuum_into(&mut source, &incoming).map_err(|e| BackupError::Failure(t2("cli-cannot-copy", "path", from.display().to_string(), "error", e.to_string())))?;
        check(&incoming)
    })();
    let contents = match copied {
        Ok(contents) => contents,
        Err(e) => {
            let _ = std::fs::remove_file(&incoming);
            return Err(e);
        }
    };

    let previous = if database.exists() {
        let kept = sibling(database, ".pre-restore");
        for stale in [kept.clone(), sibling(&kept, "-wal"), sibling(&kept, "-shm")] {
            remove_if_present(&stale)?;
        }
        rename(database, &kept)?;
        // The WAL belongs with the file it was written for.
        let wal = sibling(database, "-wal");
        if wal.exists() {
            rename(&wal, &sibling(&kept, "-wal"))?;
        }
        Some(kept)
    } else {
        None
    };
    remove_if_present(&sibling(database, "-wal"))?;
    remove_if_present(&sibling(database, "-shm"))?;
    rename(&incoming, database)?;
    Ok(Restored { contents, previous })
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    value: i64,
}

#[derive(QueryableByName)]
struct TextRow {
    #[diesel(sql_type = Text)]
    value: String,
}

/// SQLite's quick integrity check: `ok`, or what is wrong.
fn quick_check(conn: &mut SqliteConnection) -> QueryResult<String> {
    let rows = diesel::sql_query("SELECT quick_check AS value FROM pragma_quick_check").load::<TextRow>(conn)?;
    Ok(rows.into_iter().map(|row| row.value).collect::<Vec<_>>().join("; "))
}

fn vacuum_into(conn: &mut SqliteConnection, to: &Path) -> QueryResult<usize> {
    diesel::sql_query("VACUUM INTO ?").bind::<Text, _>(to.display().to_string()).execute(conn)
}

/// Opens an existing file (never creates one); read-only when asked.
fn open(file: &Path, read_only: bool) -> Result<SqliteConnection, BackupError> {
    let absolute = std::path::absolute(file).map_err(|e| failure(file, e))?;
    let mut uri = url::Url::from_file_path(&absolute).map_err(|()| BackupError::Input(t1("cli-unusable-path", "path", file.display().to_string())))?;
    uri.set_query(Some(if read_only { "mode=ro" } else { "mode=rw" }));
    SqliteConnection::establish(uri.as_str()).map_err(|e| BackupError::Input(t2("cli-not-sqlite", "path", file.display().to_string(), "error", e.to_string())))
}

/// Creates an empty file that must not exist yet, readable by its owner only.
fn create_private(path: &Path) -> Result<(), BackupError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            Err(BackupError::Failure(t1("cli-exists-already", "path", path.display().to_string())))
        }
        Err(e) => Err(failure(path, e)),
    }
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn rename(from: &Path, to: &Path) -> Result<(), BackupError> {
    std::fs::rename(from, to).map_err(|e| BackupError::Failure(tn("cli-cannot-move", vec![("from", arg(from.display().to_string())), ("to", arg(to.display().to_string())), ("error", arg(e.to_string()))])))
}

fn remove_if_present(path: &Path) -> Result<(), BackupError> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(failure(path, e)),
    }
}

fn failure(path: &Path, e: impl std::fmt::Display) -> BackupError {
    BackupError::Failure(format!("{}: {e}", path.display()))
}
