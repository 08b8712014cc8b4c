//! Password hashing with argon2id (SPEC §3), on the blocking pool and bounded
//! so that a flood of logins queues instead of exhausting memory (19 MiB a hash).

use std::sync::Arc;

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::Semaphore;

use crate::domain::NewPassword;

/// OWASP minimum for argon2id: m=19456 KiB, t=2, p=1.
pub fn argon2() -> Argon2<'static> {
    let params = Params::new(19_456, 2, 1, None).expect("the OWASP parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes and verifies passwords, at most `concurrency` at a time.
#[derive(Clone)]
pub struct PasswordHasher {
    permits: Arc<Semaphore>,
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

impl PasswordHasher {
    pub fn new(concurrency: usize) -> PasswordHasher {
        let dummy_hash = hash_blocking("a password nobody has, hashed once at start").expect("hashing a constant works");
        PasswordHasher { permits: Arc::new(Semaphore::new(concurrency.max(1))), dummy_hash: dummy_hash.into() }
    }

    /// The PHC string of a new password.
    pub async fn hash(&self, password: &NewPassword) -> Result<String, HashError> {
        let password = password.expose().to_owned();
        self.run(move || hash_blocking(&password)).await?
    }

    /// Checks a login attempt. With no stored hash (unknown email, invited agent)
    /// the dummy hash is verified instead, so the work is the same either way.
    /// `candidate` is `None` for an over-long password, refused without hashing.
    pub async fn verify(&self, candidate: Option<String>, stored_hash: Option<String>) -> Result<bool, HashError> {
        let Some(candidate) = candidate else { return Ok(false) };
        let has_account = stored_hash.is_some();
        let stored = stored_hash.unwrap_or_else(|| self.dummy_hash.to_string());
        let matches = self.run(move || verify_blocking(&candidate, &stored)).await?;
        Ok(matches && has_account)
    }

    async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Result<T, HashError> {
        let _permit = self.permits.acquire().await.map_err(|_| HashError::PoolClosed)?;
        tokio::task::spawn_blocking(work).await.map_err(|e| HashError::Hash(e.to_string()))
    }
}

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
