use rand::distr::{Alphanumeric, SampleString};

/// A new public id: 22 alphanumeric characters (about 131 bits) from the OS-seeded
/// CSPRNG. Used as primary key, so ids in URLs are never sequential or guessable.
pub fn new_public_id() -> String {
    Alphanumeric.sample_string(&mut rand::rng(), 22)
}

/// True for what [`new_public_id`] makes (and nothing a database could choke
/// on): an id from a URL is checked with this before any query uses it.
pub fn is_public_id(raw: &str) -> bool {
    raw.len() == 22 && raw.bytes().all(|b| b.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_ids_are_public_ids_and_junk_is_not() {
        assert!(is_public_id(&new_public_id()));
        for junk in ["", "abc", "aaaaaaaaaaaaaaaaaaaaa\0", "aaaaaaaaaaaaaaaaaaaaa/", &"a".repeat(23)] {
            assert!(!is_public_id(junk), "{junk:?}");
        }
    }
}
