//! Rate limits counted in the database, so that every instance shares them
//! (SPEC §3 "login throttling"; also the building block for the resend,
//! forgot-password and invitation limits).
//!
//! # The mechanism: buckets with a sliding window
//!
//! A [`Bucket`] is a `(purpose, key)` pair, for example
//! `("login_account", "agent:8fQ…")` or `("login_ip", "203.0.113.7")`. A
//! [`Limit`] allows at most `max` attempts in any window of `window` length
//! (a true sliding window: the times of the counted attempts are stored, not
//! a counter that resets on the hour).
//!
//! * [`hit`] counts one attempt **before** the work it guards, atomically:
//!   when the window already holds `max` attempts it answers
//!   [`Decision::Refused`] with the time until the oldest of them leaves the
//!   window, and counts nothing. Refused attempts are never counted, so
//!   hammering a closed bucket does not extend the wait. Counting first means
//!   a burst of parallel requests cannot all slip through before the first
//!   failure is written.
//! * [`take_back`] un-counts one attempt that turned out not to be a failure
//!   (a correct password does not use up the client IP's allowance).
//! * [`reset`] empties a bucket ("a success resets the account's count").
//! * [`retry_after`] peeks without counting (to show a form as disabled).
//! * [`sweep`] deletes buckets that hold no attempt their limit still counts.
//!
//! All of them take a `&mut DbConnection` and work inside or outside the
//! caller's transaction ([`crate::db::write_transaction`]): every write is a
//! compare-and-swap on the row's version, so two instances never both take
//! the last free attempt. Keys longer than [`MAX_KEY_CHARS`] are stored as
//! their SHA-256, so a key built from user input has a bounded size.
//!
//! # Using it in a feature
//!
//! ```ignore
//! use agentgate::auth::throttle::{self, Bucket, Decision};
//! use agentgate::config::Limit;
//!
//! // At most 5 code emails per agent per 15 minutes (SPEC §3 "resend").
//! const RESEND: Limit = Limit::per_minutes(5, 15);
//! let bucket = Bucket::new("code_resend", format!("agent:{}", agent.id));
//! match throttle::hit(conn, &bucket, RESEND, now)? {
//!     Decision::Refused { retry_after } => {
//!         return Err(throttle::refusal(retry_after, "Too many codes were sent. Wait a little."));
//!     }
//!     Decision::Allowed(_) => { /* enqueue the email in the same transaction */ }
//! }
//! // The same per client IP: Bucket::for_client_ip("code_resend_ip", &client).
//! ```
//!
//! The login throttle (`auth::login_gate`) is the first user and an example
//! of combining two buckets.

use chrono::{Duration, NaiveDateTime};
use diesel::QueryResult;

use crate::crypto::token_hash;
use crate::config::Limit;
use crate::db::DbConnection;
use crate::db::models::rate_bucket;
use crate::auth::AuthError;
use crate::domain::ClientInfo;

/// Keys longer than this are replaced by `sha256:<hex>`.
pub const MAX_KEY_CHARS: usize = 128;

/// How often a write is retried when another request changed the bucket
/// first. Past this the attempt is refused (fail closed), never let through.
const MAX_SWAPS: usize = 16;

/// One rate-limited thing: what is limited (`purpose`) for whom (`key`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bucket {
    purpose: &'static str,
    key: String,
}

impl Bucket {
    /// A bucket. A key longer than [`MAX_KEY_CHARS`], or holding a control
    /// character (PostgreSQL refuses a NUL in text), is stored as its hash, so
    /// any user input can be a key.
    pub fn new(purpose: &'static str, key: impl Into<String>) -> Bucket {
        let key = key.into();
        let storable = key.chars().count() <= MAX_KEY_CHARS && !key.chars().any(char::is_control);
        let key = if storable { key } else { format!("sha256:{}", token_hash(&key)) };
        Bucket { purpose, key }
    }

    /// The bucket of the client's IP address. An IPv6 client is counted by its
    /// /64 network: one subscriber usually holds a whole /64, so counting
    /// single addresses would let them rotate through 2^64 of them.
    pub fn for_client_ip(purpose: &'static str, client: &ClientInfo) -> Bucket {
        Bucket::new(purpose, client_network(&client.ip))
    }

    pub fn purpose(&self) -> &'static str {
        self.purpose
    }

    pub fn key(&self) -> &str {
        &self.key
    }
}

/// The address as counted: IPv4 as is, IPv6 reduced to its /64.
fn client_network(ip: &str) -> String {
    match ip.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V6(v6)) if v6.to_ipv4_mapped().is_none() => {
            let s = v6.segments();
            let network = std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0);
            format!("{network}/64")
        }
        Ok(std::net::IpAddr::V6(v6)) => v6.to_ipv4_mapped().map(|v4| v4.to_string()).unwrap_or_default(),
        Ok(v4) => v4.to_string(),
        Err(_) => ip.to_owned(),
    }
}

/// One counted attempt, as [`hit`] returns it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    at_ms: i64,
    /// Attempts still allowed in the window after this one.
    pub remaining: u32,
}

impl Hit {
    /// True when this attempt used the window's last allowance: if it fails,
    /// the bucket is now closed (the moment a lock-out starts).
    pub fn filled_the_window(&self) -> bool {
        self.remaining == 0
    }
}

/// What [`hit`] decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// The attempt was counted; go ahead.
    Allowed(Hit),
    /// The window is full; nothing was counted. After `retry_after` (exact, to
    /// the millisecond; [`whole_seconds_up`] for a header) an attempt is admitted.
    Refused { retry_after: Duration },
}

/// Counts one attempt against `bucket` if `limit` allows it (see the module docs).
pub fn hit(conn: &mut DbConnection, bucket: &Bucket, limit: Limit, now: NaiveDateTime) -> QueryResult<Decision> {
    let now_ms = millis(now);
    let max = limit.max as usize;
    for _ in 0..MAX_SWAPS {
        match rate_bucket::find(conn, bucket.purpose, &bucket.key)? {
            None => {
                if max == 0 {
                    return Ok(Decision::Refused { retry_after: limit.window });
                }
                if rate_bucket::insert_if_absent(conn, bucket.purpose, &bucket.key, &encode(&[now_ms]), now)? {
                    return Ok(Decision::Allowed(Hit { at_ms: now_ms, remaining: limit.max - 1 }));
                }
            }
            Some(row) => match admit(&decode(&row.hits), limit, now_ms) {
                Err(retry_after) => return Ok(Decision::Refused { retry_after }),
                Ok((hits, remaining)) => {
                    if rate_bucket::compare_and_swap(conn, bucket.purpose, &bucket.key, row.version, &encode(&hits), now)? {
                        return Ok(Decision::Allowed(Hit { at_ms: now_ms, remaining }));
                    }
                }
            },
        }
    }
    tracing::warn!(purpose = bucket.purpose, "rate bucket too contended; attempt refused");
    Ok(Decision::Refused { retry_after: Duration::seconds(1) })
}

/// How long until `bucket` accepts an attempt; `None` when it would now. Counts nothing.
pub fn retry_after(conn: &mut DbConnection, bucket: &Bucket, limit: Limit, now: NaiveDateTime) -> QueryResult<Option<Duration>> {
    let now_ms = millis(now);
    Ok(match rate_bucket::find(conn, bucket.purpose, &bucket.key)? {
        None if limit.max == 0 => Some(limit.window),
        None => None,
        Some(row) => wait_for_room(&live_hits(&decode(&row.hits), limit.window, now_ms), limit, now_ms),
    })
}

/// Un-counts the attempt `hit` recorded (it turned out not to be a failure).
pub fn take_back(conn: &mut DbConnection, bucket: &Bucket, hit: &Hit, now: NaiveDateTime) -> QueryResult<()> {
    for _ in 0..MAX_SWAPS {
        let Some(row) = rate_bucket::find(conn, bucket.purpose, &bucket.key)? else { return Ok(()) };
        let mut hits = decode(&row.hits);
        let Some(position) = hits.iter().position(|&t| t == hit.at_ms) else { return Ok(()) };
        hits.remove(position);
        if rate_bucket::compare_and_swap(conn, bucket.purpose, &bucket.key, row.version, &encode(&hits), now)? {
            return Ok(());
        }
    }
    Ok(())
}

/// Counts one attempt in every bucket, or in none: when one refuses, the
/// attempts already counted in the others are taken back, and the answer is
/// the longest wait among the buckets that are full.
pub fn hit_all(conn: &mut DbConnection, buckets: &[(Bucket, Limit)], now: NaiveDateTime) -> QueryResult<Result<Vec<(Bucket, Hit)>, Duration>> {
    let mut counted: Vec<(Bucket, Hit)> = Vec::with_capacity(buckets.len());
    for (index, (bucket, limit)) in buckets.iter().enumerate() {
        match hit(conn, bucket, *limit, now)? {
            Decision::Allowed(hit) => counted.push((bucket.clone(), hit)),
            Decision::Refused { retry_after } => {
                for (bucket, hit) in &counted {
                    take_back(conn, bucket, hit, now)?;
                }
                let mut wait = retry_after;
                for (bucket, limit) in &buckets[index + 1..] {
                    if let Some(other) = self::retry_after(conn, bucket, *limit, now)? {
                        wait = wait.max(other);
                    }
                }
                return Ok(Err(wait));
            }
        }
    }
    Ok(Ok(counted))
}

/// "a minute" or "12 minutes": a wait as a page says it, rounded up, in the
/// request's language.
pub fn wait_in_words(wait: Duration) -> String {
    let minutes = whole_seconds_up(wait).div_ceil(60).max(1);
    crate::i18n::t1("auth-wait-minutes", "count", minutes)
}

/// Empties the bucket.
pub fn reset(conn: &mut DbConnection, bucket: &Bucket) -> QueryResult<()> {
    rate_bucket::delete(conn, bucket.purpose, &bucket.key)
}

/// How long a bucket whose purpose is not listed to [`sweep`] is kept idle:
/// as long as the longest window in use (the attack notice's day).
const UNLISTED_IDLE: Duration = Duration::days(1);

/// Deletes every bucket that holds no attempt its limit still counts: not
/// written for longer than its purpose's window (`windows`, see
/// `auth::rate_limit_windows`), or for [`UNLISTED_IDLE`] if its purpose is not
/// listed. Every hit is older than the bucket's last write, so such a bucket
/// is as good as an empty one.
pub fn sweep(conn: &mut DbConnection, now: NaiveDateTime, windows: &[(&str, Duration)]) -> QueryResult<usize> {
    let mut deleted = 0;
    for (purpose, window) in windows {
        deleted += rate_bucket::delete_idle(conn, purpose, now - *window)?;
    }
    let listed: Vec<&str> = windows.iter().map(|(purpose, _)| *purpose).collect();
    deleted += rate_bucket::delete_idle_except(conn, &listed, now - UNLISTED_IDLE)?;
    Ok(deleted)
}

/// The 429 page for a refused attempt, with its `Retry-After`.
pub fn refusal(retry_after: Duration, message: impl Into<String>) -> AuthError {
    AuthError::Limited { message: message.into(), retry_after_secs: whole_seconds_up(retry_after) }
}

/// A duration in whole seconds, rounded up (a `Retry-After` that is too
/// short would only earn another refusal).
pub fn whole_seconds_up(duration: Duration) -> u64 {
    let ms = duration.num_milliseconds().max(0) as u64;
    ms.div_ceil(1000).max(1)
}

/// The rule itself, without storage: given the stored attempt times, either
/// the hits to store with this attempt added (and how many remain), or how
/// long to wait. Only the newest `max` hits are kept: older ones can never
/// decide anything again.
fn admit(stored: &[i64], limit: Limit, now_ms: i64) -> Result<(Vec<i64>, u32), Duration> {
    let max = limit.max as usize;
    let mut live = live_hits(stored, limit.window, now_ms);
    if let Some(wait) = wait_for_room(&live, limit, now_ms) {
        return Err(wait);
    }
    live.push(now_ms);
    let keep_from = live.len().saturating_sub(max);
    let live = live.split_off(keep_from);
    let remaining = (max - live.len()) as u32;
    Ok((live, remaining))
}

/// When the window holds `max` or more attempts: how long until enough of
/// them have left it for one more. `live` is sorted, oldest first.
fn wait_for_room(live: &[i64], limit: Limit, now_ms: i64) -> Option<Duration> {
    let max = limit.max as usize;
    if live.len() < max {
        return None;
    }
    // After live[len - max] leaves the window, max - 1 attempts remain in it.
    let frees_at = live.get(live.len() - max).map(|t| t + limit.window.num_milliseconds()).unwrap_or(now_ms);
    // Positive: every live hit is later than `now - window`.
    Some(Duration::milliseconds((frees_at - now_ms).max(1)))
}

/// The stored attempts still inside the window, oldest first. Only the newest
/// `max` could ever matter, and the write keeps no more than that.
fn live_hits(stored: &[i64], window: Duration, now_ms: i64) -> Vec<i64> {
    let cutoff = now_ms - window.num_milliseconds();
    let mut live: Vec<i64> = stored.iter().copied().filter(|&t| t > cutoff).collect();
    // Instances' clocks may differ by a little: keep the list ordered.
    live.sort_unstable();
    live
}

fn millis(at: NaiveDateTime) -> i64 {
    at.and_utc().timestamp_millis()
}

fn encode(hits: &[i64]) -> String {
    hits.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// Unreadable entries are dropped: a damaged row must not stop logins.
fn decode(stored: &str) -> Vec<i64> {
    stored.split(',').filter_map(|t| t.trim().parse().ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_is_until_the_oldest_counted_attempt_leaves_the_window() {
        let limit = Limit::per_minutes(3, 15);
        let t0 = 1_000_000_000;
        let minute = 60_000;
        let live = [t0, t0 + minute, t0 + 2 * minute];
        assert_eq!(wait_for_room(&live[..2], limit, t0 + 2 * minute), None);
        assert_eq!(wait_for_room(&live, limit, t0 + 2 * minute), Some(Duration::minutes(13)));
        // A lower limit configured later: the wait is for enough of them to leave.
        assert_eq!(wait_for_room(&live, Limit::per_minutes(2, 15), t0 + 2 * minute), Some(Duration::minutes(14)));
    }

    #[test]
    fn expired_and_unreadable_hits_are_ignored() {
        let now = 10_000_000;
        let stored = format!("{},garbage,{},{}", now - 20 * 60_000, now - 60_000, now - 1);
        assert_eq!(live_hits(&decode(&stored), Duration::minutes(15), now), vec![now - 60_000, now - 1]);
        assert_eq!(decode(""), Vec::<i64>::new());
    }

    #[test]
    fn retry_after_rounds_up_to_whole_seconds() {
        assert_eq!(whole_seconds_up(Duration::milliseconds(1)), 1);
        assert_eq!(whole_seconds_up(Duration::milliseconds(1001)), 2);
        assert_eq!(whole_seconds_up(Duration::minutes(15)), 900);
        assert_eq!(whole_seconds_up(Duration::seconds(-5)), 1);
    }

    #[test]
    fn long_keys_are_hashed_and_ipv6_is_counted_per_64() {
        let long = Bucket::new("login_account", "x".repeat(1000));
        assert!(long.key().starts_with("sha256:") && long.key().len() < MAX_KEY_CHARS);
        assert!(Bucket::new("login_account", "email:ada\0@x.test").key().starts_with("sha256:"));
        let client = |ip: &str| ClientInfo { ip: ip.to_owned(), user_agent: String::new() };
        assert_eq!(Bucket::for_client_ip("login_ip", &client("2001:db8:1:2:3:4:5:6")).key(), "2001:db8:1:2::/64");
        assert_eq!(Bucket::for_client_ip("login_ip", &client("203.0.113.7")).key(), "203.0.113.7");
        assert_eq!(Bucket::for_client_ip("login_ip", &client("::ffff:203.0.113.7")).key(), "203.0.113.7");
    }

    proptest::proptest! {
        /// Whatever the order and spacing of attempts: no window ever holds
        /// more than `max` admitted attempts; a refusal happens only when the
        /// window is full; and the wait it gives is exact (one millisecond
        /// earlier is still refused, at the end of the wait it is admitted).
        #[test]
        fn the_sliding_window_admits_at_most_max_per_window(
            max in 1u32..6,
            window_s in 1i64..120,
            gaps_ms in proptest::collection::vec(0i64..40_000, 1..60),
        ) {
            let limit = Limit { max, window: Duration::seconds(window_s) };
            let window_ms = window_s * 1000;
            let mut stored: Vec<i64> = Vec::new();
            let mut admitted: Vec<i64> = Vec::new();
            let mut now = 1_000_000_000_000i64;
            for gap in gaps_ms {
                now += gap;
                let in_window = admitted.iter().filter(|&&t| t > now - window_ms).count();
                match admit(&stored, limit, now) {
                    Ok((hits, remaining)) => {
                        proptest::prop_assert!(in_window < max as usize);
                        proptest::prop_assert_eq!(remaining as usize, max as usize - (in_window + 1));
                        proptest::prop_assert!(hits.len() <= max as usize);
                        stored = hits;
                        admitted.push(now);
                    }
                    Err(wait) => {
                        proptest::prop_assert!(in_window >= max as usize);
                        let wait_ms = wait.num_milliseconds();
                        proptest::prop_assert!(wait_ms >= 1 && wait_ms <= window_ms);
                        if wait_ms > 1 {
                            proptest::prop_assert!(admit(&stored, limit, now + wait_ms - 1).is_err());
                        }
                        proptest::prop_assert!(admit(&stored, limit, now + wait_ms).is_ok());
                    }
                }
            }
        }

        /// A damaged row never panics and never admits more than the limit allows.
        #[test]
        fn any_stored_text_is_read_safely(stored in ".{0,200}", now in 0i64..4_000_000_000_000) {
            let hits = decode(&stored);
            let _ = admit(&hits, Limit::per_minutes(3, 15), now);
            proptest::prop_assert_eq!(decode(&encode(&hits)), hits);
        }
    }

}
