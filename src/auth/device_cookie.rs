//! The device cookie (OWASP's "device cookie" pattern): a browser where an
//! agent has signed in before carries a signed, per-agent token. Password
//! attempts from that browser count against the agent's own device, not
//! against the account's untrusted count or the client IP, so an attacker
//! who guesses from elsewhere can lock out untrusted clients only: the real
//! agent on their usual browser still signs in. It never skips the code:
//! that is the trusted computer's job, with its own consent.

use crate::crypto::{constant_time_eq, keyed_hash, random_token};

/// The cookie's name (`__Host-` prefixed under https, like the others).
pub const COOKIE_BASE_NAME: &str = "agentgate_device";
/// Agents remembered per browser (a shared desk), oldest dropped first.
pub const MAX_AGENTS: usize = 5;
/// How long a device is remembered after its last sign-in.
pub const LIFETIME_DAYS: i64 = 365;

const SEPARATOR: char = '.';
const FIELD: char = '~';

/// The verified entries of a browser's device cookie.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeviceCookie {
    /// (agent id, device nonce), oldest first.
    entries: Vec<(String, String)>,
    changed: bool,
}

fn signature(secret: &[u8], agent_id: &str, nonce: &str) -> String {
    keyed_hash(secret, "device-cookie", &format!("{agent_id}{FIELD}{nonce}"))
}

impl DeviceCookie {
    /// Reads a cookie value; entries whose signature does not verify (forged,
    /// damaged, another installation's) are dropped.
    pub fn parse(raw: Option<&str>, secret: &[u8]) -> DeviceCookie {
        let mut cookie = DeviceCookie::default();
        for part in raw.unwrap_or_default().split(SEPARATOR).filter(|p| !p.is_empty()) {
            let mut fields = part.split(FIELD);
            let (Some(agent_id), Some(nonce), Some(mac), None) = (fields.next(), fields.next(), fields.next(), fields.next()) else {
                cookie.changed = true;
                continue;
            };
            let known = cookie.entries.iter().any(|(a, _)| a == agent_id);
            if known || cookie.entries.len() >= MAX_AGENTS || !constant_time_eq(mac, &signature(secret, agent_id, nonce)) {
                cookie.changed = true;
                continue;
            }
            cookie.entries.push((agent_id.to_owned(), nonce.to_owned()));
        }
        cookie
    }

    /// This browser's device id for the agent, if it signed the agent in before.
    pub fn device_of(&self, agent_id: &str) -> Option<&str> {
        self.entries.iter().find(|(a, _)| a == agent_id).map(|(_, nonce)| nonce.as_str())
    }

    /// The cookie after the agent signed in on this browser: a new device id
    /// the first time (the oldest agent dropped beyond [`MAX_AGENTS`]).
    pub fn after_sign_in(mut self, agent_id: &str) -> DeviceCookie {
        if self.device_of(agent_id).is_none() {
            if self.entries.len() >= MAX_AGENTS {
                self.entries.remove(0);
            }
            self.entries.push((agent_id.to_owned(), random_token()));
        }
        // Written at every sign-in, so the cookie lives a year past the last one.
        self.changed = true;
        self
    }

    /// True when the browser holds no verified entry.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn changed(&self) -> bool {
        self.changed
    }

    /// The cookie value, each entry signed.
    pub fn value(&self, secret: &[u8]) -> String {
        self.entries
            .iter()
            .map(|(agent_id, nonce)| format!("{agent_id}{FIELD}{nonce}{FIELD}{}", signature(secret, agent_id, nonce)))
            .collect::<Vec<_>>()
            .join(&SEPARATOR.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_device_is_remembered_per_agent_and_a_forged_entry_is_dropped() {
        let secret = b"secret of this installation";
        let cookie = DeviceCookie::parse(None, secret).after_sign_in("agentA");
        let value = cookie.value(secret);
        let read = DeviceCookie::parse(Some(&value), secret);
        assert!(read.device_of("agentA").is_some());
        assert!(read.device_of("agentB").is_none(), "A's device gives B nothing");
        assert!(!read.changed());

        let forged = value.replace("agentA", "agentB");
        assert!(DeviceCookie::parse(Some(&forged), secret).device_of("agentB").is_none());
        assert!(DeviceCookie::parse(Some(&value), b"another installation").device_of("agentA").is_none());
        assert!(DeviceCookie::parse(Some("junk.~~~.a~b~c~d"), secret).changed());
    }

    #[test]
    fn at_most_five_agents_are_remembered_and_the_oldest_goes_first() {
        let secret = b"k";
        let mut cookie = DeviceCookie::default();
        for n in 0..7 {
            cookie = cookie.after_sign_in(&format!("agent{n}"));
        }
        let read = DeviceCookie::parse(Some(&cookie.value(secret)), secret);
        assert!(read.device_of("agent0").is_none() && read.device_of("agent1").is_none());
        assert!((2..7).all(|n| read.device_of(&format!("agent{n}")).is_some()));
    }
}
