//! "I am on a trusted computer" (SPEC §2.3 step 4, §3): a browser that an
//! agent trusted skips the emailed code at that agent's later logins, and
//! only there.
//!
//! The browser holds a random 256-bit token per trusting agent, in one cookie
//! (`agentgate_trusted`, SPEC §4); the database keeps only each token's
//! SHA-256, bound to one agent. So a token found in the cookie exempts only
//! the agent its row names (agent A's trust never exempts agent B), and
//! trusting the browser for B adds B's token beside A's instead of replacing
//! it. The cookie names no agent: it is a list of opaque tokens.
//!
//! How long trust lasts: the server's `AGENTGATE_TRUSTED_DAYS`, capped by the
//! company's longest period (0, 7, 30 or 90 days). Lowering the cap shortens
//! trust already given: a computer counts as trusted until the earlier of its
//! stored expiry and its creation plus the current cap.

use chrono::{Duration, NaiveDateTime};

use crate::audit::{self, Event, Outcome};
use crate::crypto::{random_token, token_hash};
use crate::config::Config;
use crate::db::DbConnection;
use crate::db::models::trusted_computer::{self, NewTrustedComputer, TrustedComputer};
use crate::db::models::{Agent, Company};
use crate::domain::new_public_id;
use crate::auth::AuthError;
use crate::mail::messages::{self, Recipient, RequestContext};
use crate::mail::outbox;
use crate::domain::{ClientInfo, browser_label};
use crate::i18n::{Key, key};

/// The cookie's name before the `__Host-` prefix that https adds (SPEC §4).
pub const COOKIE_BASE_NAME: &str = "agentgate_trusted";

/// At most this many agents' tokens in one browser's cookie, the oldest
/// dropped first: 10 tokens of 44 bytes stay far below the 4,096 bytes a
/// browser keeps for a cookie, and a shared desk rarely has more agents.
pub const MAX_TOKENS: usize = 10;

/// `random_token()` makes 43 alphanumeric characters (about 256 bits).
const TOKEN_LEN: usize = 43;
/// Between tokens in the cookie's value (a cookie value may not hold commas).
const SEPARATOR: char = '.';

/// The tokens a browser's trusted-computer cookie holds, oldest first, as
/// read from the request and changed by the login rules. The route writes it
/// back only when it [`changed`](TrustedCookie::changed).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedCookie {
    tokens: Vec<String>,
    changed: bool,
    /// The latest end of trust among the kept tokens, when known: the cookie's Max-Age.
    expires_at: Option<NaiveDateTime>,
}

impl TrustedCookie {
    /// Reads a cookie value. Anything that is not a well-formed token (a
    /// forged or damaged entry, a duplicate, entries beyond [`MAX_TOKENS`])
    /// is left out, and the cookie is marked changed so it gets rewritten.
    pub fn parse(raw: Option<&str>) -> TrustedCookie {
        let Some(raw) = raw else { return TrustedCookie::default() };
        let mut cookie = TrustedCookie::default();
        for part in raw.split(SEPARATOR) {
            let well_formed = part.len() == TOKEN_LEN && part.bytes().all(|b| b.is_ascii_alphanumeric());
            if well_formed && !cookie.tokens.iter().any(|t| t == part) {
                cookie.tokens.push(part.to_owned());
            } else {
                cookie.changed = true;
            }
        }
        if cookie.tokens.len() > MAX_TOKENS {
            let excess = cookie.tokens.len() - MAX_TOKENS;
            cookie.tokens.drain(..excess);
            cookie.changed = true;
        }
        cookie
    }

    /// The cookie's value: the tokens joined by dots.
    pub fn value(&self) -> String {
        self.tokens.join(&SEPARATOR.to_string())
    }

    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    /// True when the browser's cookie must be rewritten (or removed, when empty).
    pub fn changed(&self) -> bool {
        self.changed
    }

    /// When the last of the kept trusts ends, if known.
    pub fn expires_at(&self) -> Option<NaiveDateTime> {
        self.expires_at
    }

    /// The hashes of the tokens, as the database keeps them.
    pub fn hashes(&self) -> Vec<String> {
        self.tokens.iter().map(|t| token_hash(t)).collect()
    }

    fn remove(&mut self, token: &str) {
        let before = self.tokens.len();
        self.tokens.retain(|t| t != token);
        self.changed |= self.tokens.len() != before;
    }

    /// Appends a new token; returns the oldest ones pushed out to stay within [`MAX_TOKENS`].
    fn push(&mut self, token: String) -> Vec<String> {
        self.tokens.push(token);
        self.changed = true;
        let excess = self.tokens.len().saturating_sub(MAX_TOKENS);
        self.tokens.drain(..excess).collect()
    }
}

/// Whether the code page offers "I am on a trusted computer" to an agent, and why not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrustOffer {
    /// Offered: a trusted computer skips the code for this many days.
    Offered { days: u32 },
    /// The company's longest trusted-computer period (or the server's) is 0 days.
    NotAllowed,
    /// The company's "Admins always enter a code", and this agent is an admin.
    AdminsAlwaysEnterCode,
}

impl TrustOffer {
    /// Why the box is missing from the code page (a catalogue key).
    pub fn reason(self) -> Option<Key> {
        match self {
            TrustOffer::Offered { .. } => None,
            TrustOffer::NotAllowed => Some(key("auth-trust-not-allowed")),
            TrustOffer::AdminsAlwaysEnterCode => Some(key("auth-trust-admins-enter-code")),
        }
    }
}

/// The longest trust for the agents of `company`: the server's setting capped by the company's.
pub fn lifetime_days(config: &Config, company: &Company) -> u32 {
    capped(config.trusted_days, company.trusted_days_max)
}

fn capped(server_days: u32, company_days: i32) -> u32 {
    server_days.min(u32::try_from(company_days).unwrap_or(0))
}

/// What the code page offers `agent`.
pub fn offer(config: &Config, company: &Company, agent: &Agent) -> TrustOffer {
    offer_of(lifetime_days(config, company), company.admins_always_enter_code && agent.is_admin())
}

fn offer_of(days: u32, must_enter_code: bool) -> TrustOffer {
    match days {
        _ if must_enter_code => TrustOffer::AdminsAlwaysEnterCode,
        0 => TrustOffer::NotAllowed,
        days => TrustOffer::Offered { days },
    }
}

/// When a computer stops being trusted, under the company's current cap of `days`.
fn trusted_until(row: &TrustedComputer, days: u32) -> NaiveDateTime {
    row.expires_at.min(row.created_at + Duration::days(i64::from(days)))
}

/// Looks up the rows behind the cookie's tokens and drops every token that
/// trusts no one any more: forged, revoked (no row), or ended (by `until_of`).
/// Returns the rows of the kept tokens and the rows whose trust has ended.
fn clean(
    conn: &mut DbConnection,
    cookie: &mut TrustedCookie,
    now: NaiveDateTime,
    until_of: impl Fn(&TrustedComputer) -> NaiveDateTime,
) -> diesel::QueryResult<(Vec<TrustedComputer>, Vec<TrustedComputer>)> {
    let rows = trusted_computer::find_by_hashes(conn, &cookie.hashes())?;
    let (mut kept, mut ended) = (Vec::new(), Vec::new());
    for token in cookie.tokens.clone() {
        let hash = token_hash(&token);
        match rows.iter().find(|row| row.token_hash == hash) {
            Some(row) if until_of(row) > now => kept.push(row.clone()),
            Some(row) => {
                ended.push(row.clone());
                cookie.remove(&token);
            }
            None => cookie.remove(&token),
        }
    }
    cookie.expires_at = kept.iter().map(&until_of).max();
    Ok((kept, ended))
}

/// What the trusted-computer cookie says about a login whose password was right.
#[derive(Debug)]
pub struct TrustCheck {
    /// This browser is trusted for this agent until then: no code is needed.
    pub trusted_until: Option<NaiveDateTime>,
    /// The cookie without its stale entries.
    pub cookie: TrustedCookie,
}

/// The trusted-computer rule of the login (SPEC §2.3 step 2): is this browser
/// trusted for `agent`? A match records its use (last used). Expired, revoked
/// and forged tokens are dropped from the cookie; tokens of other agents stay.
pub fn check(
    conn: &mut DbConnection,
    config: &Config,
    agent: &Agent,
    company: &Company,
    mut cookie: TrustedCookie,
    now: NaiveDateTime,
) -> diesel::QueryResult<TrustCheck> {
    if cookie.is_empty() {
        return Ok(TrustCheck { trusted_until: None, cookie });
    }
    let days = lifetime_days(config, company);
    // This agent's trust ends under their company's current cap; another
    // agent's rows are judged by their stored expiry (their company may differ).
    let until_of = |row: &TrustedComputer| if row.agent_id == agent.id { trusted_until(row, days) } else { row.expires_at };
    let (kept, ended) = clean(conn, &mut cookie, now, until_of)?;
    let ended_here: Vec<String> = ended.into_iter().filter(|row| row.agent_id == agent.id).map(|row| row.id).collect();
    trusted_computer::delete_ids(conn, &ended_here)?;
    let Some(row) = kept.iter().find(|row| row.agent_id == agent.id) else {
        return Ok(TrustCheck { trusted_until: None, cookie });
    };
    if !matches!(offer(config, company, agent), TrustOffer::Offered { .. }) {
        // Admins always enter a code: the trust is kept for when the company changes its mind.
        return Ok(TrustCheck { trusted_until: None, cookie });
    }
    trusted_computer::touch(conn, &row.id, now)?;
    Ok(TrustCheck { trusted_until: Some(trusted_until(row, days)), cookie })
}

/// A browser newly trusted at the code step.
#[derive(Debug)]
pub struct Granted {
    /// Logins of this agent from this browser skip the code until then.
    pub until: NaiveDateTime,
    /// The cookie with the new token, for the browser.
    pub cookie: TrustedCookie,
}

/// Trusts this browser for `agent` (the right code was entered with the box
/// ticked), in the caller's transaction: stores the new token's hash, emails
/// the agent, records it. `None` when the company does not allow it.
///
/// This browser's earlier trust of the same agent is replaced, so it is
/// listed once; other agents' tokens stay, unless the cookie is full, when
/// the oldest are dropped and forgotten (they could skip no code any more).
pub fn grant(
    conn: &mut DbConnection,
    config: &Config,
    agent: &Agent,
    company: &Company,
    client: &ClientInfo,
    mut cookie: TrustedCookie,
    now: NaiveDateTime,
) -> Result<Option<Granted>, AuthError> {
    let TrustOffer::Offered { days } = offer(config, company, agent) else { return Ok(None) };
    let (kept, _) = clean(conn, &mut cookie, now, |row| row.expires_at)?;
    let mut replaced = Vec::new();
    for row in kept.iter().filter(|row| row.agent_id == agent.id) {
        replaced.push(row.id.clone());
        cookie.tokens.retain(|t| token_hash(t) != row.token_hash);
    }
    trusted_computer::delete_ids(conn, &replaced)?;

    let token = random_token();
    let until = now + Duration::days(i64::from(days));
    let label = browser_label(&client.user_agent);
    trusted_computer::insert(
        conn,
        &NewTrustedComputer {
            id: &new_public_id(),
            agent_id: &agent.id,
            token_hash: &token_hash(&token),
            label: &label,
            ip: &client.ip,
            created_at: now,
            last_used_at: now,
            expires_at: until,
        },
    )?;
    for pushed_out in cookie.push(token) {
        let hash = token_hash(&pushed_out);
        if let Some(row) = kept.iter().find(|row| row.token_hash == hash) {
            trusted_computer::delete_ids(conn, std::slice::from_ref(&row.id))?;
            forgotten_elsewhere(conn, row, client, "this browser holds the trust of at most 10 agents; the oldest was dropped", now)?;
        }
    }
    let still_held = cookie.hashes();
    cookie.expires_at = kept.iter().filter(|row| still_held.contains(&row.token_hash)).map(|row| row.expires_at).chain([until]).max();

    let entry = audit::Entry { detail: Some(&label), ..audit::Entry::for_agent(agent, Some(client)) };
    audit::record(conn, Event::TrustedComputerAdded, Outcome::Success, &entry, now)?;
    let email = agent.email_address();
    let message = messages::trusted_computer_added(
        &Recipient { email: &email, name: &agent.name, tr: agent.reader(conn)? },
        until,
        &RequestContext::of(client, now),
        &config.base_url(),
    )?;
    outbox::enqueue(conn, &message, now)?;
    Ok(Some(Granted { until, cookie }))
}

/// Records that another agent's trusted computer was forgotten by this request.
fn forgotten_elsewhere(conn: &mut DbConnection, row: &TrustedComputer, client: &ClientInfo, why: &str, now: NaiveDateTime) -> Result<(), AuthError> {
    let company_id = Agent::find_active(conn, &row.agent_id)?.map(|a| a.company_id);
    let detail = format!("{}: {why}", row.label);
    let entry = audit::Entry { company_id: company_id.as_deref(), subject_id: Some(&row.agent_id), client: Some(client), detail: Some(&detail), ..Default::default() };
    audit::record(conn, Event::TrustedComputerForgotten, Outcome::Success, &entry, now)?;
    Ok(())
}

/// One line of the Trusted computers section of Account Setting.
#[derive(Debug, Clone)]
pub struct TrustedComputerView {
    pub id: String,
    /// "Chrome on Windows".
    pub label: String,
    /// Where it was trusted from.
    pub ip: String,
    pub trusted_at: NaiveDateTime,
    pub last_used_at: NaiveDateTime,
    pub trusted_until: NaiveDateTime,
    /// The browser showing the page.
    pub this_computer: bool,
}

/// The agent's trusted computers still in force, most recently used first;
/// `cookie` is the browser asking, to mark "this computer".
pub fn list(
    conn: &mut DbConnection,
    config: &Config,
    agent: &Agent,
    company: &Company,
    cookie: &TrustedCookie,
    now: NaiveDateTime,
) -> diesel::QueryResult<Vec<TrustedComputerView>> {
    let days = lifetime_days(config, company);
    let here = cookie.hashes();
    Ok(trusted_computer::all_for_agent(conn, &agent.id)?
        .into_iter()
        .map(|row| (trusted_until(&row, days), row))
        .filter(|(until, _)| *until > now)
        .map(|(until, row)| TrustedComputerView {
            this_computer: here.contains(&row.token_hash),
            id: row.id,
            label: row.label,
            ip: row.ip,
            trusted_at: row.created_at,
            last_used_at: row.last_used_at,
            trusted_until: until,
        })
        .collect())
}

/// "Forget" on one computer, scoped to the agent: another agent's id
/// forgets nothing and gives `None`.
pub fn forget(conn: &mut DbConnection, agent: &Agent, id: &str, client: &ClientInfo, now: NaiveDateTime) -> diesel::QueryResult<Option<TrustedComputer>> {
    crate::db::write_transaction(conn, |conn| {
        let Some(row) = trusted_computer::delete_of_agent(conn, &agent.id, id)? else { return Ok(None) };
        let detail = format!("{}: forgotten by the agent", row.label);
        audit::record(conn, Event::TrustedComputerForgotten, Outcome::Success, &audit::Entry { detail: Some(&detail), ..audit::Entry::for_agent(agent, Some(client)) }, now)?;
        Ok(Some(row))
    })
}

/// Forgets every trusted computer of an agent, in the caller's transaction,
/// and records each one still in force in the audit log: "Forget all", a
/// password change or reset, 2FA turned off or reset, deactivation (SPEC §3).
/// `entry` says who did it and from where (its subject must be the agent);
/// `reason` says why, in words. Returns how many were in force.
pub fn forget_all(conn: &mut DbConnection, agent_id: &str, entry: &audit::Entry<'_>, reason: &str, now: NaiveDateTime) -> diesel::QueryResult<usize> {
    let rows = trusted_computer::all_for_agent(conn, agent_id)?;
    trusted_computer::delete_for_agent(conn, agent_id)?;
    let live: Vec<&TrustedComputer> = rows.iter().filter(|row| row.expires_at > now).collect();
    for row in &live {
        let detail = format!("{}: {reason}", row.label);
        audit::record(conn, Event::TrustedComputerForgotten, Outcome::Success, &audit::Entry { detail: Some(&detail), ..entry.clone() }, now)?;
    }
    Ok(live.len())
}

/// Drops from the cookie the tokens that trust no one any more (after a
/// Forget), keeping other agents' tokens.
pub fn without_stale(conn: &mut DbConnection, mut cookie: TrustedCookie, now: NaiveDateTime) -> diesel::QueryResult<TrustedCookie> {
    clean(conn, &mut cookie, now, |row| row.expires_at)?;
    Ok(cookie)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(c: char) -> String {
        std::iter::repeat_n(c, TOKEN_LEN).collect()
    }

    #[test]
    fn a_missing_cookie_is_empty_and_unchanged() {
        let cookie = TrustedCookie::parse(None);
        assert!(cookie.is_empty());
        assert!(!cookie.changed());
    }

    #[test]
    fn well_formed_tokens_are_read_in_order() {
        let value = format!("{}.{}", token('a'), token('b'));
        let cookie = TrustedCookie::parse(Some(&value));
        assert_eq!(cookie.len(), 2);
        assert!(!cookie.changed());
        assert_eq!(cookie.value(), value);
    }

    #[test]
    fn forged_damaged_and_repeated_entries_are_dropped_and_the_cookie_rewritten() {
        for value in [
            format!("{}.short", token('a')),
            format!("{}.{}", token('a'), token('a')),
            format!("{}.{}!", token('a'), &token('b')[1..]),
            format!("{}..", token('a')),
            format!("{}.{}", token('a'), "é".repeat(TOKEN_LEN)),
        ] {
            let cookie = TrustedCookie::parse(Some(&value));
            assert_eq!(cookie.value(), token('a'), "{value}");
            assert!(cookie.changed(), "{value}");
        }
        let garbage = TrustedCookie::parse(Some("garbage"));
        assert!(garbage.is_empty() && garbage.changed());
    }

    #[test]
    fn at_most_ten_tokens_are_kept_the_oldest_dropped_first() {
        let tokens: Vec<String> = "abcdefghijkl".chars().map(token).collect();
        let cookie = TrustedCookie::parse(Some(&tokens.join(".")));
        assert_eq!(cookie.len(), MAX_TOKENS);
        assert!(cookie.changed());
        assert_eq!(cookie.value(), tokens[2..].join("."));

        let mut full = TrustedCookie::parse(Some(&tokens[..MAX_TOKENS].join(".")));
        let pushed_out = full.push(token('z'));
        assert_eq!(pushed_out, vec![token('a')]);
        assert_eq!(full.len(), MAX_TOKENS);
        assert!(full.value().ends_with(&token('z')));
        assert!(full.value().len() < 4096 - 64, "within a browser's cookie size limit, with room for the name and attributes");
    }

    #[test]
    fn a_real_token_fits_the_format() {
        let cookie = TrustedCookie::parse(Some(&random_token()));
        assert_eq!(cookie.len(), 1);
        assert!(!cookie.changed());
    }

    #[test]
    fn the_company_caps_the_server_lifetime() {
        assert_eq!(capped(30, 90), 30);
        assert_eq!(capped(30, 7), 7);
        assert_eq!(capped(30, 0), 0);
        assert_eq!(capped(30, -1), 0);
        assert_eq!(capped(0, 30), 0);
    }

    #[test]
    fn the_box_is_offered_only_with_a_lifetime_and_never_to_admins_who_must_enter_a_code() {
        assert_eq!(offer_of(7, false), TrustOffer::Offered { days: 7 });
        assert_eq!(offer_of(0, false), TrustOffer::NotAllowed);
        assert_eq!(offer_of(30, true), TrustOffer::AdminsAlwaysEnterCode);
        assert!(offer_of(0, false).reason().is_some() && offer_of(30, true).reason().is_some());
        assert_eq!(offer_of(30, false).reason(), None);
    }
}
