//! Random tokens, hashes of tokens, keyed hashes and constant-time comparison:
//! the primitives every layer that handles a secret uses.

use hmac::{Hmac, Mac};
use rand::distr::{Alphanumeric, SampleString};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// A random token of 43 alphanumeric characters (about 256 bits) from the
/// OS-seeded CSPRNG: setup links, session keys, CSRF tokens, reset links.
pub fn random_token() -> String {
    Alphanumeric.sample_string(&mut rand::rng(), 43)
}

/// SHA-256 of a high-entropy token, hex encoded: what the database keeps
/// instead of the token. (Low-entropy secrets such as codes use [`keyed_hash`].)
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// HMAC-SHA-256 under the server secret, hex encoded. `purpose` separates the
/// uses of the key so a value made for one cannot be replayed as another.
pub fn keyed_hash(key: &[u8], purpose: &str, message: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC accepts keys of any length");
    mac.update(purpose.as_bytes());
    mac.update(b"\0");
    mac.update(message.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// Compares two secrets in time that depends only on their lengths.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.as_bytes().ct_eq(b.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_and_distinct() {
        let a = random_token();
        assert_eq!(a.len(), 43);
        assert_ne!(a, random_token());
    }

    #[test]
    fn keyed_hash_depends_on_key_and_purpose() {
        let h = keyed_hash(b"k1", "code", "123456");
        assert_ne!(h, keyed_hash(b"k2", "code", "123456"));
        assert_ne!(h, keyed_hash(b"k1", "csrf", "123456"));
        assert!(constant_time_eq(&h, &keyed_hash(b"k1", "code", "123456")));
    }

    #[test]
    fn constant_time_eq_is_equality_of_the_whole_strings() {
        let h = keyed_hash(b"k1", "code", "123456");
        assert!(constant_time_eq(&h, &h.clone()));
        assert!(!constant_time_eq(&h, &keyed_hash(b"k1", "code", "123457")));
        assert!(!constant_time_eq(&h, &h[..63]), "a prefix is not equal");
        assert!(!constant_time_eq(&h, &format!("{h}0")));
        assert!(!constant_time_eq("", &h));
        assert!(constant_time_eq("", ""));
    }
}
