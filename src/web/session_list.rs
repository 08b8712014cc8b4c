//! An agent's signed-in sessions, as Account Setting and the admin's agent
//! page list them, and signing one or all of them out (OWASP ASVS 5.0 7.4.5,
//! 7.5.2). A session is named by its own public id (kept in its state across
//! id rotations), never by its key.

use chrono::{Duration, NaiveDateTime};
use diesel::QueryResult;

use crate::db::DbConnection;
use crate::db::models::session::{self, SessionRow};
use crate::domain::browser_label;
use crate::web::session::{CLIENT_AGENT_KEY, CLIENT_IP_KEY, SESSION_ID_KEY};

/// One signed-in session as a list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionLine {
    /// The session's public id (empty for a session from before ids).
    pub id: String,
    pub browser: String,
    pub user_agent: String,
    pub ip: String,
    pub signed_in: String,
    /// When a page was last opened in it, to the minute (the idle deadline
    /// is moved at most once a minute).
    pub last_seen: String,
    /// The session of the browser looking at the list.
    pub this_session: bool,
}

/// A value of a stored session state (values are JSON, keys plain).
fn value(state: &serde_json::Map<String, serde_json::Value>, key: &str) -> Option<String> {
    let raw = state.get(key)?.as_str()?;
    serde_json::from_str::<serde_json::Value>(raw).ok().map(|v| match v {
        serde_json::Value::String(s) => s,
        other => other.to_string(),
    })
}

fn state_of(row: &SessionRow) -> serde_json::Map<String, serde_json::Value> {
    serde_json::from_str(&row.state).unwrap_or_default()
}

/// The session's own id (empty for a session from before ids).
fn id_of(row: &SessionRow) -> String {
    value(&state_of(row), SESSION_ID_KEY).unwrap_or_default()
}

fn line(row: &SessionRow, current: Option<&str>, idle: Duration) -> SessionLine {
    // Times in the reader's language and zone (the request's, on this blocking thread too).
    let tr = crate::i18n::current();
    let state = state_of(row);
    let id = value(&state, SESSION_ID_KEY).unwrap_or_default();
    let user_agent = value(&state, CLIENT_AGENT_KEY).unwrap_or_default();
    let signed_in_at = value(&state, "signed_in_at")
        .and_then(|s| s.parse::<i64>().ok())
        .and_then(|secs| chrono::DateTime::from_timestamp(secs, 0))
        .map(|at| at.naive_utc())
        .unwrap_or(row.created_at);
    SessionLine {
        this_session: !id.is_empty() && current == Some(id.as_str()),
        browser: browser_label(&user_agent),
        ip: value(&state, CLIENT_IP_KEY).unwrap_or_default(),
        signed_in: tr.short_date_time(signed_in_at),
        last_seen: tr.short_date_time(row.idle_expires_at - session::idle_lifetime(row.idle_seconds, idle)),
        user_agent,
        id,
    }
}

/// The agent's live sessions, newest first; `current` marks this browser's.
pub fn list(conn: &mut DbConnection, agent_id: &str, current: Option<&str>, idle: Duration, now: NaiveDateTime) -> QueryResult<Vec<SessionLine>> {
    Ok(session::live_for_agent(conn, agent_id, now)?.iter().map(|row| line(row, current, idle)).collect())
}

/// Signs out the agent's session `id`; false when they have none by that id.
pub fn sign_out(conn: &mut DbConnection, agent_id: &str, id: &str, now: NaiveDateTime) -> QueryResult<bool> {
    for row in session::live_for_agent(conn, agent_id, now)? {
        if id_of(&row) == id {
            return session::delete_of_agent(conn, agent_id, &row.key_hash);
        }
    }
    Ok(false)
}

/// Signs out every session of the agent but `keep` (this browser's); how many ended.
pub fn sign_out_others(conn: &mut DbConnection, agent_id: &str, keep: &str, now: NaiveDateTime) -> QueryResult<usize> {
    let mut ended = 0;
    for row in session::live_for_agent(conn, agent_id, now)? {
        if id_of(&row) != keep && session::delete_of_agent(conn, agent_id, &row.key_hash)? {
            ended += 1;
        }
    }
    Ok(ended)
}
