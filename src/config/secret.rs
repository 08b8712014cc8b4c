//! The server secret (`AGENTGATE_SECRET_KEY`): signs cookies and keys code
//! hashes; shared by every instance.

use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;

use super::{ConfigError, bad};

/// The server secret: signs cookies and keys code hashes. Shared by all instances.
#[derive(Clone)]
pub struct SecretKey(Vec<u8>);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(<redacted>)")
    }
}

impl SecretKey {
    /// At least 64 bytes, as actix's cookie key requires.
    pub const MIN_BYTES: usize = 64;

    pub fn from_bytes(bytes: Vec<u8>) -> Result<SecretKey, String> {
        if bytes.len() < Self::MIN_BYTES {
            return Err(format!("must decode to at least {} bytes, got {}", Self::MIN_BYTES, bytes.len()));
        }
        Ok(SecretKey(bytes))
    }

    pub fn generate() -> SecretKey {
        let mut bytes = vec![0u8; Self::MIN_BYTES];
        rand::fill(&mut bytes[..]);
        SecretKey(bytes)
    }

    pub fn bytes(&self) -> &[u8] {
        &self.0
    }

    fn encoded(&self) -> String {
        BASE64.encode(&self.0)
    }
}

/// Reads `secret.key`, or creates it with mode 0600 on first run.
pub(super) fn load_or_generate_secret(path: &Path) -> Result<SecretKey, ConfigError> {
    const VAR: &str = "AGENTGATE_SECRET_KEY";
    if path.exists() {
        let encoded = std::fs::read_to_string(path).map_err(|e| bad(VAR, format!("cannot read {}: {e}", path.display())))?;
        let bytes = BASE64
            .decode(encoded.trim())
            .map_err(|e| bad(VAR, format!("{} is not valid base64: {e}", path.display())))?;
        return SecretKey::from_bytes(bytes).map_err(|p| bad(VAR, format!("{}: {p}", path.display())));
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| bad(VAR, format!("cannot create {}: {e}", parent.display())))?;
    }
    let key = SecretKey::generate();
    write_private_file(path, key.encoded().as_bytes()).map_err(|e| bad(VAR, format!("cannot write {}: {e}", path.display())))?;
    Ok(key)
}

#[cfg(unix)]
fn write_private_file(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?;
    file.write_all(contents)
}

#[cfg(not(unix))]
fn write_private_file(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, contents)
}

