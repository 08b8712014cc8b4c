//! Public ids: random 22-character strings (about 131 bits) used as primary
//! keys, so ids in URLs are never sequential or guessable across companies.
//! [`AgentId`] and [`CompanyId`] are parsed once at the edge: a malformed id
//! in a URL answers 404 before any query sees it.

use std::fmt;
use std::ops::Deref;

use rand::distr::{Alphanumeric, SampleString};

/// A new public id from the OS-seeded CSPRNG.
pub fn new_public_id() -> String {
    Alphanumeric.sample_string(&mut rand::rng(), 22)
}

/// True for what [`new_public_id`] makes (and nothing a database could choke on).
pub fn is_public_id(raw: &str) -> bool {
    raw.len() == 22 && raw.bytes().all(|b| b.is_ascii_alphanumeric())
}

macro_rules! public_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            /// The id in `raw`, if it is a public id.
            pub fn parse(raw: &str) -> Option<$name> {
                is_public_id(raw).then(|| $name(raw.to_owned()))
            }

            /// A new random id.
            pub fn generate() -> $name {
                $name(new_public_id())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl Deref for $name {
            type Target = str;

            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        /// From a URL path or form: anything but a public id is refused (a
        /// path segment that fails to parse is a 404).
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<$name, D::Error> {
                let raw = String::deserialize(deserializer)?;
                $name::parse(&raw).ok_or_else(|| serde::de::Error::custom(concat!("not a valid ", stringify!($name))))
            }
        }
    };
}

public_id!(
    /// The id of an agent.
    AgentId
);
public_id!(
    /// The id of a company.
    CompanyId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_ids_are_public_ids_and_junk_is_not() {
        assert!(is_public_id(&new_public_id()));
        for junk in ["", "abc", "aaaaaaaaaaaaaaaaaaaaa\0", "aaaaaaaaaaaaaaaaaaaaa/", &"a".repeat(23)] {
            assert!(!is_public_id(junk), "{junk:?}");
            assert_eq!(AgentId::parse(junk), None);
        }
        let id = AgentId::generate();
        assert_eq!(AgentId::parse(id.as_str()), Some(id.clone()));
        assert_eq!(&*id, id.as_str());
    }

    #[test]
    fn a_path_segment_that_is_not_an_id_does_not_deserialize() {
        let id = new_public_id();
        let parsed: AgentId = serde_json::from_str(&format!("\"{id}\"")).unwrap();
        assert_eq!(parsed.as_str(), id);
        assert!(serde_json::from_str::<AgentId>("\"../etc/passwd\"").is_err());
        assert!(serde_json::from_str::<CompanyId>("\"short\"").is_err());
    }
}
