//! The advisory lock that tells `agentgate restore` a server holds a SQLite
//! database: every server holds a shared `flock` on `<database>.lock` for its
//! lifetime (several instances may share one file); a restore takes it
//! exclusively, so it fails while any server runs, and a server cannot start
//! while a restore replaces the file. PostgreSQL needs no lock file.

use std::fs::File;
use std::path::{Path, PathBuf};

use crate::config::Backend;

/// A held lock; released when dropped (or when the process ends, however it ends).
#[derive(Debug)]
pub struct DatabaseLock {
    _file: File,
    path: PathBuf,
}

impl DatabaseLock {
    /// The lock file this lock holds.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Why a lock was not taken.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Someone else holds it in a conflicting mode.
    #[error("{} is locked by another process", path.display())]
    Held { path: PathBuf },
    /// The lock file cannot be created or locked (a read-only directory, say).
    #[error("cannot lock {}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
}

/// `<database>.lock`, beside the SQLite file of `url`; `None` on PostgreSQL.
pub fn lock_path(url: &str) -> Option<PathBuf> {
    match Backend::of_url(url) {
        Backend::Postgres => None,
        Backend::Sqlite => Some(PathBuf::from(format!("{url}.lock"))),
    }
}

/// The server's lock: shared, so instances on one file coexist; fails at
/// once (no waiting) while a restore holds it exclusively.
pub fn lock_shared(url: &str) -> Option<Result<DatabaseLock, LockError>> {
    lock_path(url).map(|path| take(path, false))
}

/// The restore's lock: exclusive, fails at once while any server holds it.
pub fn lock_exclusive(url: &str) -> Option<Result<DatabaseLock, LockError>> {
    lock_path(url).map(|path| take(path, true))
}

fn take(path: PathBuf, exclusive: bool) -> Result<DatabaseLock, LockError> {
    let file = match std::fs::OpenOptions::new().read(true).write(true).create(true).truncate(false).open(&path) {
        Ok(file) => file,
        Err(source) => return Err(LockError::Io { path, source }),
    };
    match flock(&file, exclusive) {
        Ok(()) => Ok(DatabaseLock { _file: file, path }),
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => Err(LockError::Held { path }),
        Err(source) => Err(LockError::Io { path, source }),
    }
}

#[cfg(unix)]
fn flock(file: &File, exclusive: bool) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;
    let operation = if exclusive { libc::LOCK_EX } else { libc::LOCK_SH } | libc::LOCK_NB;
    loop {
        // SAFETY: flock on a file descriptor this function borrows for the call.
        if unsafe { libc::flock(file.as_raw_fd(), operation) } == 0 {
            return Ok(());
        }
        let error = std::io::Error::last_os_error();
        if error.kind() != std::io::ErrorKind::Interrupted {
            return Err(error);
        }
    }
}

#[cfg(not(unix))]
fn flock(_file: &File, _exclusive: bool) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn servers_share_the_lock_and_a_restore_waits_for_none_of_them() {
        let dir = tempfile::tempdir().unwrap();
        let url = dir.path().join("agentgate.sqlite3").display().to_string();
        let first = lock_shared(&url).unwrap().unwrap();
        let second = lock_shared(&url).unwrap().unwrap();
        assert!(matches!(lock_exclusive(&url), Some(Err(LockError::Held { .. }))));
        drop((first, second));
        let restore = lock_exclusive(&url).unwrap().unwrap();
        assert!(matches!(lock_shared(&url), Some(Err(LockError::Held { .. }))));
        assert_eq!(restore.path(), Path::new(&format!("{url}.lock")));
        assert!(lock_shared("postgres://db/agentgate").is_none());
    }
}
