//! Password hashing with argon2id (SPEC §3), off the async workers on a pool
//! of its own: as many threads as allowed hashes (each hash takes 19 MiB, so a
//! flood of logins queues instead of exhausting memory, and only those threads'
//! allocator arenas ever hold hash memory), running at a lower CPU priority so
//! that page requests stay fast while logins saturate the cores.

use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, oneshot};

use crate::domain::NewPassword;

/// OWASP minimum for argon2id: m=19456 KiB, t=2, p=1.
pub fn argon2() -> Argon2<'static> {
    let params = Params::new(19_456, 2, 1, None).expect("the OWASP parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

type Job = Box<dyn FnOnce() + Send>;

/// How much nicer than the web workers the hashing threads are (Linux nice).
const HASH_THREAD_NICENESS: i32 = 10;

/// Hashes and verifies passwords, at most `concurrency` at a time.
#[derive(Clone)]
pub struct PasswordHasher {
    permits: Arc<Semaphore>,
    jobs: mpsc::Sender<Job>,
    /// Verified against when the email is unknown, so every failed login costs one hash.
    dummy_hash: Arc<str>,
}

#[derive(Debug, thiserror::Error)]
pub enum HashError {
    #[error("password hashing failed: {0}")]
    Hash(String),
    #[error("the hashing pool is gone")]
    PoolClosed,
}

/// A reserved place on the hashing pool. Holding one before checking limits
/// (login throttling) means the limit is checked right before the hash runs,
/// so a burst of parallel attempts cannot all pass the check at once.
pub struct HashSlot {
    hasher: PasswordHasher,
    _permit: OwnedSemaphorePermit,
}

impl HashSlot {
    /// Checks a login attempt (see [`PasswordHasher::verify`]).
    pub async fn verify(self, candidate: Option<String>, stored_hash: Option<String>) -> Result<bool, HashError> {
        let Some(candidate) = candidate else { return Ok(false) };
        let has_account = stored_hash.is_some();
        let stored = stored_hash.unwrap_or_else(|| self.hasher.dummy_hash.to_string());
        let matches = self.hasher.on_pool(move || verify_blocking(&candidate, &stored)).await?;
        Ok(matches && has_account)
    }
}

impl PasswordHasher {
    pub fn new(concurrency: usize) -> PasswordHasher {
        let concurrency = concurrency.max(1);
        let dummy_hash = hash_blocking("a password nobody has, hashed once at start").expect("hashing a constant works");
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for index in 0..concurrency {
            let queue = queue.clone();
            std::thread::Builder::new()
                .name(format!("argon2-{index}"))
                .spawn(move || {
                    lower_this_threads_priority();
                    loop {
                        let job = match queue.lock() {
                            Ok(receiver) => receiver.recv(),
                            Err(_) => return,
                        };
                        match job {
                            Ok(job) => job(),
                            Err(_) => return, // every PasswordHasher is gone
                        }
                    }
                })
                .expect("the hashing threads start");
        }
        PasswordHasher { permits: Arc::new(Semaphore::new(concurrency)), jobs, dummy_hash: dummy_hash.into() }
    }

    /// Waits for a place on the pool.
    pub async fn reserve(&self) -> Result<HashSlot, HashError> {
        let permit = self.permits.clone().acquire_owned().await.map_err(|_| HashError::PoolClosed)?;
        Ok(HashSlot { hasher: self.clone(), _permit: permit })
    }

    /// The PHC string of a new password.
    pub async fn hash(&self, password: &NewPassword) -> Result<String, HashError> {
        let password = password.expose().to_owned();
        let _slot = self.reserve().await?;
        self.on_pool(move || hash_blocking(&password)).await?
    }

    /// Checks a password. With no stored hash (unknown email, invited agent)
    /// the dummy hash is verified instead, so the work is the same either way.
    /// `candidate` is `None` for an over-long password, refused without hashing.
    pub async fn verify(&self, candidate: Option<String>, stored_hash: Option<String>) -> Result<bool, HashError> {
        self.reserve().await?.verify(candidate, stored_hash).await
    }

    async fn on_pool<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Result<T, HashError> {
        let (reply, answer) = oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = reply.send(work());
        });
        self.jobs.send(job).map_err(|_| HashError::PoolClosed)?;
        answer.await.map_err(|_| HashError::PoolClosed)
    }
}

#[cfg(target_os = "linux")]
fn lower_this_threads_priority() {
    // On Linux the nice value is per thread: this lowers only the hashing thread.
    // SAFETY: gettid and setpriority have no memory-safety preconditions.
    unsafe {
        let tid = libc::gettid();
        libc::setpriority(libc::PRIO_PROCESS, tid as libc::id_t, HASH_THREAD_NICENESS);
    }
}

#[cfg(not(target_os = "linux"))]
fn lower_this_threads_priority() {}

/// Hashes on the current thread: call only from the blocking pool or the CLI.
pub fn hash_blocking(password: &str) -> Result<String, HashError> {
    argon2()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|e| HashError::Hash(e.to_string()))
}

fn verify_blocking(candidate: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        // verify_password compares the digests in constant time.
        Ok(parsed) => argon2().verify_password(candidate.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_with_the_owasp_parameters() {
        let hash = hash_blocking("correct horse battery staple").unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        assert!(verify_blocking("correct horse battery staple", &hash));
        assert!(!verify_blocking("correct horse battery stapler", &hash));
    }
}
