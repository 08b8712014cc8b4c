//! Password hashing with argon2id (SPEC §3), off the async workers on a pool
//! of its own: as many threads as allowed hashes (each hash takes 19 MiB, so a
//! flood of logins queues instead of exhausting memory), running at a lower CPU
//! priority so that page requests stay fast while logins saturate the cores.
//! Each hashing thread keeps its 19 MiB working memory from one hash to the
//! next and gives it back after a second without work.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use argon2::password_hash::phc::{Output, ParamsString, PasswordHash, Salt};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use crossbeam_channel::RecvTimeoutError;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, oneshot};

use crate::domain::NewPassword;
use crate::error::AppError;

/// OWASP minimum for argon2id: m=19456 KiB, t=2, p=1.
fn params() -> Params {
    Params::new(19_456, 2, 1, Some(Params::DEFAULT_OUTPUT_LEN)).expect("the OWASP parameters are valid")
}

pub fn argon2() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params())
}

/// The memory argon2 works in: 19 MiB with our parameters. Reusing it is what
/// makes a hash cost only its computation: a fresh 19 MiB for every hash is
/// mapped, zeroed page by page by the kernel and unmapped again, which doubled
/// the time of a hash (on the 2-core reference machine 34-40 ms instead of
/// 18 ms, most of it system time) and halved the logins per second.
pub struct Workspace {
    blocks: Vec<Block>,
}

impl Default for Workspace {
    fn default() -> Workspace {
        Workspace { blocks: vec![Block::new(); params().block_count()] }
    }
}

impl Workspace {
    /// The PHC string of a new password, with a fresh random salt.
    pub fn hash(&mut self, password: &str) -> Result<String, HashError> {
        let salt = Salt::generate();
        let mut output = [0u8; Params::DEFAULT_OUTPUT_LEN];
        argon2().hash_password_into_with_memory(password.as_bytes(), &salt, &mut output, &mut self.blocks[..])
            .map_err(HashError::from_argon2)?;
        let phc = PasswordHash {
            algorithm: Algorithm::Argon2id.ident(),
            version: Some(Version::V0x13.into()),
            params: ParamsString::try_from(&params()).map_err(HashError::from_argon2)?,
            salt: Some(salt),
            hash: Some(Output::new(&output).map_err(HashError::from_argon2)?),
        };
        Ok(phc.to_string())
    }

    /// Whether `candidate` is the password that `stored` (a PHC string) was
    /// made from. A hash made with other parameters is still checked by its
    /// own; a string that is not an argon2 hash matches nothing.
    pub fn verify(&mut self, candidate: &str, stored: &str) -> bool {
        let Ok(stored) = PasswordHash::new(stored) else { return false };
        let (Some(salt), Some(expected)) = (&stored.salt, &stored.hash) else { return false };
        let Ok(algorithm) = Algorithm::try_from(stored.algorithm.as_str()) else { return false };
        let Ok(version) = Version::try_from(stored.version.unwrap_or(Version::V0x13.into())) else { return false };
        let Ok(params) = Params::try_from(&stored) else { return false };
        let hasher = Argon2::new(algorithm, version, params.clone());
        let mut computed = vec![0u8; expected.len()];
        let hashed = if params.block_count() <= self.blocks.len() {
            hasher.hash_password_into_with_memory(candidate.as_bytes(), salt, &mut computed, &mut self.blocks[..])
        } else {
            hasher.hash_password_into(candidate.as_bytes(), salt, &mut computed)
        };
        // Output's equality is constant time.
        hashed.is_ok() && Output::new(&computed).is_ok_and(|computed| computed == *expected)
    }
}

/// Work for a hashing thread, run with that thread's workspace.
type Job = Box<dyn FnOnce(&mut Workspace) + Send>;

/// How much nicer than the web workers the hashing threads are (Linux nice).
const HASH_THREAD_NICENESS: i32 = 10;

/// How long a hashing thread keeps its workspace without work: long enough to
/// serve a morning's burst of logins from warm memory, short enough that an
/// idle server holds none of it.
const WORKSPACE_KEPT_IDLE: Duration = Duration::from_secs(1);

/// Places on the hashing pool per hashing thread: one hashing and one
/// waiting. A login takes its place before its throttle check (a trip to the
/// database); with one place per thread, every hash waited for the next
/// attempt's trip, and the threads idled for about a tenth of a login flood.
const PLACES_PER_THREAD: usize = 2;

/// Hashes and verifies passwords, at most `concurrency` at a time.
#[derive(Clone)]
pub struct PasswordHasher {
    permits: Arc<Semaphore>,
    /// A lane of its own for attempts from browsers that hold a device
    /// cookie (an agent's usual browser): they never queue behind a flood of
    /// attempts from elsewhere, only behind the few jobs already handed to
    /// the threads.
    priority_permits: Arc<Semaphore>,
    jobs: crossbeam_channel::Sender<Job>,
    /// Attempts waiting for a place (either lane): with the jobs not yet
    /// taken by a thread, the queue `/metrics` reports.
    waiting: Arc<AtomicUsize>,
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

impl HashError {
    fn from_argon2(error: impl std::fmt::Display) -> HashError {
        HashError::Hash(error.to_string())
    }
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
        let matches = self.hasher.on_pool(move |workspace| workspace.verify(&candidate, &stored)).await?;
        Ok(matches && has_account)
    }
}

impl PasswordHasher {
    pub fn new(concurrency: usize) -> PasswordHasher {
        let concurrency = concurrency.max(1);
        let dummy_hash = hash_blocking("a password nobody has, hashed once at start").expect("hashing a constant works");
        let (jobs, queue) = crossbeam_channel::unbounded::<Job>();
        for index in 0..concurrency {
            let queue = queue.clone();
            std::thread::Builder::new()
                .name(format!("argon2-{index}"))
                .spawn(move || run_hashing_thread(&queue))
                .expect("the hashing threads start");
        }
        PasswordHasher {
            permits: Arc::new(Semaphore::new(concurrency * PLACES_PER_THREAD)),
            priority_permits: Arc::new(Semaphore::new(concurrency)),
            jobs,
            waiting: Arc::new(AtomicUsize::new(0)),
            dummy_hash: dummy_hash.into(),
        }
    }

    /// Waits for a place on the pool: as many attempts as [`PLACES_PER_THREAD`]
    /// per thread are in flight at once; the threads hash one at a time each.
    pub async fn reserve(&self) -> Result<HashSlot, HashError> {
        self.take_place(&self.permits).await
    }

    /// A place in the device holders' lane (see `priority_permits`).
    pub async fn reserve_priority(&self) -> Result<HashSlot, HashError> {
        self.take_place(&self.priority_permits).await
    }

    /// Waits for a place in `lane`, counted as waiting meanwhile (also when
    /// the request is dropped while it waits).
    async fn take_place(&self, lane: &Arc<Semaphore>) -> Result<HashSlot, HashError> {
        struct Waiting<'a>(&'a PasswordHasher);
        impl Drop for Waiting<'_> {
            fn drop(&mut self) {
                self.0.waiting.fetch_sub(1, Ordering::Relaxed);
                self.0.report_queue();
            }
        }
        self.waiting.fetch_add(1, Ordering::Relaxed);
        self.report_queue();
        let _waiting = Waiting(self);
        let permit = lane.clone().acquire_owned().await.map_err(|_| HashError::PoolClosed)?;
        Ok(HashSlot { hasher: self.clone(), _permit: permit })
    }

    /// Attempts waiting for a place, and jobs waiting for a thread.
    fn report_queue(&self) {
        crate::metrics::hash_queue(self.waiting.load(Ordering::Relaxed) + self.jobs.len());
    }

    /// The PHC string of a new password.
    pub async fn hash(&self, password: &NewPassword) -> Result<String, HashError> {
        let password = password.expose().to_owned();
        let _slot = self.reserve().await?;
        self.on_pool(move |workspace| workspace.hash(&password)).await?
    }

    /// Checks a password. With no stored hash (unknown email, invited agent)
    /// the dummy hash is verified instead, so the work is the same either way.
    /// `candidate` is `None` for an over-long password, refused without hashing.
    pub async fn verify(&self, candidate: Option<String>, stored_hash: Option<String>) -> Result<bool, HashError> {
        self.reserve().await?.verify(candidate, stored_hash).await
    }

    async fn on_pool<T: Send + 'static>(&self, work: impl FnOnce(&mut Workspace) -> T + Send + 'static) -> Result<T, HashError> {
        let (reply, answer) = oneshot::channel();
        let job: Job = Box::new(move |workspace| {
            let started = std::time::Instant::now();
            let result = work(workspace);
            crate::metrics::hash_time(started.elapsed());
            let _ = reply.send(result);
        });
        self.jobs.send(job).map_err(|_| HashError::PoolClosed)?;
        self.report_queue();
        answer.await.map_err(|_| HashError::PoolClosed)
    }
}

/// A hashing thread: runs jobs until every [`PasswordHasher`] is gone.
fn run_hashing_thread(queue: &crossbeam_channel::Receiver<Job>) {
    lower_this_threads_priority();
    let mut workspace: Option<Workspace> = None;
    loop {
        let job = if workspace.is_some() {
            match queue.recv_timeout(WORKSPACE_KEPT_IDLE) {
                Ok(job) => job,
                Err(RecvTimeoutError::Timeout) => {
                    workspace = None;
                    continue;
                }
                Err(RecvTimeoutError::Disconnected) => return,
            }
        } else {
            match queue.recv() {
                Ok(job) => job,
                Err(_) => return,
            }
        };
        job(workspace.get_or_insert_with(Workspace::default));
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

/// Hashes on the current thread in a workspace of its own: for the CLI, start-up
/// and tests, not for the web workers.
pub fn hash_blocking(password: &str) -> Result<String, HashError> {
    Workspace::default().hash(password)
}

impl From<HashError> for AppError {
    fn from(error: HashError) -> AppError {
        AppError::Internal(error.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_device_holder_does_not_queue_behind_a_full_pool() {
        let hasher = PasswordHasher::new(1);
        // Every general place taken (a flood of attempts from elsewhere).
        let _held: Vec<HashSlot> = vec![hasher.reserve().await.unwrap(), hasher.reserve().await.unwrap()];
        let waiting = tokio::time::timeout(Duration::from_millis(50), hasher.reserve()).await;
        assert!(waiting.is_err(), "the general lane is full");
        let slot = tokio::time::timeout(Duration::from_millis(50), hasher.reserve_priority()).await;
        assert!(slot.is_ok(), "the device holders' lane is not");
    }

    #[tokio::test]
    async fn each_thread_has_one_attempt_hashing_and_one_waiting() {
        let hasher = PasswordHasher::new(1);
        let hashing = hasher.reserve().await.unwrap();
        let waiting = hasher.reserve().await.unwrap();
        let wait = std::time::Duration::from_millis(50);
        assert!(tokio::time::timeout(wait, hasher.reserve()).await.is_err(), "a third attempt waits for a place");
        drop(hashing);
        assert!(tokio::time::timeout(std::time::Duration::from_secs(5), hasher.reserve()).await.is_ok());
        drop(waiting);
    }

    #[test]
    fn hashes_are_argon2id_with_the_owasp_parameters() {
        let mut workspace = Workspace::default();
        let hash = workspace.hash("correct horse battery staple").unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        assert!(workspace.verify("correct horse battery staple", &hash));
        assert!(!workspace.verify("correct horse battery stapler", &hash));
    }

    #[test]
    fn hashes_agree_with_the_argon2_crates_own_verifier() {
        use argon2::password_hash::PasswordVerifier as _;
        let hash = hash_blocking("correct horse battery staple").unwrap();
        let parsed = PasswordHash::new(&hash).unwrap();
        assert!(argon2().verify_password(b"correct horse battery staple", &parsed).is_ok());
        assert!(argon2().verify_password(b"correct horse battery stapler", &parsed).is_err());
    }

    #[test]
    fn hashes_made_with_other_parameters_still_verify() {
        use argon2::password_hash::PasswordHasher as _;
        let cheaper = Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::new(4_096, 3, 1, None).unwrap());
        let older = cheaper.hash_password(b"an older password").unwrap().to_string();
        let bigger = Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::new(32_768, 1, 2, None).unwrap());
        let bigger = bigger.hash_password(b"a bigger password").unwrap().to_string();
        let mut workspace = Workspace::default();
        assert!(workspace.verify("an older password", &older));
        assert!(!workspace.verify("an older passwore", &older));
        assert!(workspace.verify("a bigger password", &bigger));
        assert!(!workspace.verify("a bigger passwore", &bigger));
    }

    #[test]
    fn what_is_not_an_argon2_hash_matches_nothing() {
        let mut workspace = Workspace::default();
        for stored in ["", "plain text", "$argon2id$v=19$m=19456,t=2,p=1$", "$pbkdf2-sha256$i=1000$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo"] {
            assert!(!workspace.verify("", stored), "{stored}");
            assert!(!workspace.verify("plain text", stored), "{stored}");
        }
    }
}
