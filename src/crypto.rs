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

/// Lowercase hex of `bytes`. `hex::encode` builds its string a `char` at a
/// time, which showed in a login's profile (session keys, CSRF tokens and
/// keyed hashes are all hex); writing into a buffer of the right size does not.
pub fn to_hex(bytes: impl AsRef<[u8]>) -> String {
    let bytes = bytes.as_ref();
    let mut out = vec![0u8; bytes.len() * 2];
    hex::encode_to_slice(bytes, &mut out).expect("the buffer holds two digits a byte");
    String::from_utf8(out).expect("hex digits are ASCII")
}

/// SHA-256 of a high-entropy token, hex encoded: what the database keeps
/// instead of the token. (Low-entropy secrets such as codes use [`keyed_hash`].)
pub fn token_hash(token: &str) -> String {
    to_hex(Sha256::digest(token.as_bytes()))
}

/// HMAC-SHA-256 under the server secret, hex encoded. `purpose` separates the
/// uses of the key so a value made for one cannot be replayed as another.
pub fn keyed_hash(key: &[u8], purpose: &str, message: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC accepts keys of any length");
    mac.update(purpose.as_bytes());
    mac.update(b"\0");
    mac.update(message.as_bytes());
    to_hex(mac.finalize().into_bytes())
}

/// `n` random bytes from the OS-seeded CSPRNG.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    use rand::RngExt;
    let mut bytes = [0u8; N];
    rand::rng().fill(&mut bytes[..]);
    bytes
}

/// The 256-bit key of one use (`purpose`) of the server secret.
fn derived_key(server_secret: &[u8], purpose: &str) -> [u8; 32] {
    let mut mac = Hmac::<Sha256>::new_from_slice(server_secret).expect("HMAC accepts keys of any length");
    mac.update(b"seal-key\0");
    mac.update(purpose.as_bytes());
    mac.finalize().into_bytes().into()
}

/// Encrypts a small secret that must be read back (an authenticator app's
/// key) with XChaCha20-Poly1305 under a key derived from the server secret
/// for `purpose`, bound to `context` (its owner's id) so that a sealed value
/// copied to another row does not open. Hex of nonce and ciphertext.
pub fn seal(server_secret: &[u8], purpose: &str, context: &str, plaintext: &[u8]) -> String {
    use chacha20poly1305::aead::{Aead, KeyInit, Payload};
    use chacha20poly1305::{XChaCha20Poly1305, XNonce};
    let cipher = XChaCha20Poly1305::new_from_slice(&derived_key(server_secret, purpose)).expect("a 32-byte key");
    let nonce: [u8; 24] = random_bytes();
    let sealed = cipher
        .encrypt(XNonce::from_slice(&nonce), Payload { msg: plaintext, aad: context.as_bytes() })
        .expect("encryption of a small buffer cannot fail");
    format!("{}{}", to_hex(nonce), to_hex(sealed))
}

/// The plaintext of [`seal`]; `None` when the value was not sealed by this
/// server secret for this purpose and context, or was altered.
pub fn open(server_secret: &[u8], purpose: &str, context: &str, sealed: &str) -> Option<Vec<u8>> {
    use chacha20poly1305::aead::{Aead, KeyInit, Payload};
    use chacha20poly1305::{XChaCha20Poly1305, XNonce};
    let bytes = hex::decode(sealed).ok()?;
    if bytes.len() < 24 {
        return None;
    }
    let (nonce, ciphertext) = bytes.split_at(24);
    let cipher = XChaCha20Poly1305::new_from_slice(&derived_key(server_secret, purpose)).ok()?;
    cipher.decrypt(XNonce::from_slice(nonce), Payload { msg: ciphertext, aad: context.as_bytes() }).ok()
}

/// Compares two secrets in time that depends only on their lengths.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.as_bytes().ct_eq(b.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_two_lowercase_digits_a_byte() {
        assert_eq!(to_hex([0x00, 0x0f, 0xab, 0xff]), "000fabff");
        assert_eq!(to_hex([]), "");
        assert_eq!(token_hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

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
    fn a_sealed_secret_opens_only_with_its_key_purpose_and_context() {
        let sealed = seal(b"server secret", "totp", "agent-a", b"twenty bytes of key!");
        assert!(!sealed.contains(&to_hex(b"twenty bytes of key!")));
        assert_eq!(open(b"server secret", "totp", "agent-a", &sealed).unwrap(), b"twenty bytes of key!");
        assert_ne!(sealed, seal(b"server secret", "totp", "agent-a", b"twenty bytes of key!"), "a fresh nonce each time");
        assert_eq!(open(b"other secret", "totp", "agent-a", &sealed), None);
        assert_eq!(open(b"server secret", "other", "agent-a", &sealed), None);
        assert_eq!(open(b"server secret", "totp", "agent-b", &sealed), None, "moved to another agent");
        let mut altered = sealed.clone().into_bytes();
        let last = altered.len() - 1;
        altered[last] = if altered[last] == b'0' { b'1' } else { b'0' };
        assert_eq!(open(b"server secret", "totp", "agent-a", &String::from_utf8(altered).unwrap()), None);
        assert_eq!(open(b"server secret", "totp", "agent-a", "zz"), None);
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
