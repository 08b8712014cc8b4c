use rand::distr::{Alphanumeric, SampleString};

/// A new public id: 22 alphanumeric characters (about 131 bits) from the OS-seeded
/// CSPRNG. Used as primary key, so ids in URLs are never sequential or guessable.
pub fn new_public_id() -> String {
    Alphanumeric.sample_string(&mut rand::rng(), 22)
}
