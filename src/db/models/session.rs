//! Rows of the server-side session store (see `web::session_store`).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::sessions;
use crate::db::sql_text::SqlText;

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = sessions)]
pub struct SessionRow {
    pub key_hash: String,
    pub agent_id: Option<String>,
    pub state: String,
    pub created_at: NaiveDateTime,
    pub idle_expires_at: NaiveDateTime,
    pub absolute_expires_at: NaiveDateTime,
    /// The session's idle lifetime (NULL: the server's).
    pub idle_seconds: Option<i32>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = sessions)]
pub struct NewSession<'a> {
    pub key_hash: &'a str,
    pub agent_id: Option<&'a str>,
    pub state: &'a str,
    pub created_at: NaiveDateTime,
    pub idle_expires_at: NaiveDateTime,
    pub absolute_expires_at: NaiveDateTime,
    pub idle_seconds: Option<i32>,
}

/// The session's idle lifetime: its own, or the server's `default`.
pub fn idle_lifetime(idle_seconds: Option<i32>, default: chrono::Duration) -> chrono::Duration {
    idle_seconds.map(|s| chrono::Duration::seconds(i64::from(s))).unwrap_or(default)
}

/// The state of a live session (neither idle nor past its absolute
/// lifetime), whose idle deadline is moved to now plus its idle lifetime on
/// the way, writing only when it moves by more than `min_step`, so that a
/// burst of page views costs one write, not one each.
pub fn load_live_and_touch(
    conn: &mut DbConnection,
    key_hash: &str,
    now: NaiveDateTime,
    default_idle: chrono::Duration,
    min_step: chrono::Duration,
) -> QueryResult<Option<String>> {
    let live: Option<(String, NaiveDateTime, Option<i32>)> = sessions::table
        .filter(sessions::key_hash.eq(key_hash))
        .filter(sessions::idle_expires_at.gt(now))
        .filter(sessions::absolute_expires_at.gt(now))
        .select((sessions::state, sessions::idle_expires_at, sessions::idle_seconds))
        .get_result(conn)
        .optional()?;
    let Some((state, deadline, idle_seconds)) = live else { return Ok(None) };
    let lifetime = idle_lifetime(idle_seconds, default_idle);
    let idle_expires_at = now + lifetime;
    // Never a step as long as the lifetime itself: a one-minute idle
    // lifetime would then never move, and a busy agent be signed out.
    if deadline < idle_expires_at - min_step.min(lifetime / 2) {
        let mut sql = SqlText::new(conn.backend());
        sql.push("UPDATE sessions SET idle_expires_at = ").timestamp(idle_expires_at).push(" WHERE key_hash = ").text(key_hash);
        sql.into_query().execute(conn)?;
    }
    Ok(Some(state))
}

pub fn insert(conn: &mut DbConnection, new: &NewSession<'_>) -> QueryResult<()> {
    diesel::insert_into(sessions::table).values(new).execute(conn).map(|_| ())
}

/// Replaces the state; false when the row is gone (ended from elsewhere).
/// The idle deadline already moved when the session was loaded.
pub fn update_state(conn: &mut DbConnection, key_hash: &str, agent_id: Option<&str>, state: &str) -> QueryResult<bool> {
    let mut sql = SqlText::new(conn.backend());
    sql.push("UPDATE sessions SET agent_id = ")
        .optional_text(agent_id.map(str::to_owned))
        .push(", state = ")
        .text(state)
        .push(" WHERE key_hash = ")
        .text(key_hash);
    Ok(sql.into_query().execute(conn)? == 1)
}

/// Moves a session to a new key with new state and fresh deadlines (the id
/// rotation of SPEC §3), in one statement: the old key finds nothing from
/// then on. When the old row is already gone (ended elsewhere, or expired),
/// the new one is inserted: a rotation always leaves a live session.
/// (The hot writes of a session are SQL text, kept prepared: see `db::sql_text`.)
pub fn rotate(conn: &mut DbConnection, old_key_hash: &str, new: &NewSession<'_>) -> QueryResult<()> {
    let mut sql = SqlText::new(conn.backend());
    sql.push("UPDATE sessions SET key_hash = ")
        .text(new.key_hash)
        .push(", agent_id = ")
        .optional_text(new.agent_id.map(str::to_owned))
        .push(", state = ")
        .text(new.state)
        .push(", created_at = ")
        .timestamp(new.created_at)
        .push(", idle_expires_at = ")
        .timestamp(new.idle_expires_at)
        .push(", absolute_expires_at = ")
        .timestamp(new.absolute_expires_at)
        .push(", idle_seconds = ")
        .optional_int(new.idle_seconds)
        .push(" WHERE key_hash = ")
        .text(old_key_hash);
    let moved = sql.into_query().execute(conn)?;
    if moved == 0 {
        insert(conn, new)?;
    }
    Ok(())
}

pub fn delete(conn: &mut DbConnection, key_hash: &str) -> QueryResult<()> {
    diesel::delete(sessions::table.find(key_hash)).execute(conn).map(|_| ())
}

/// Ends every session of an agent (password change, deactivation).
pub fn delete_for_agent(conn: &mut DbConnection, agent_id: &str) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::agent_id.eq(agent_id))).execute(conn)
}

/// The agent's live sessions (signed in, neither idle nor past their end), newest first.
pub fn live_for_agent(conn: &mut DbConnection, agent_id: &str, now: NaiveDateTime) -> QueryResult<Vec<SessionRow>> {
    sessions::table
        .filter(sessions::agent_id.eq(agent_id))
        .filter(sessions::idle_expires_at.gt(now))
        .filter(sessions::absolute_expires_at.gt(now))
        .order(sessions::created_at.desc())
        .select(SessionRow::as_select())
        .load(conn)
}

/// Ends one session of the agent (the agent id guards against another's key).
pub fn delete_of_agent(conn: &mut DbConnection, agent_id: &str, key_hash: &str) -> QueryResult<bool> {
    let deleted = diesel::delete(sessions::table.filter(sessions::key_hash.eq(key_hash)).filter(sessions::agent_id.eq(agent_id))).execute(conn)?;
    Ok(deleted == 1)
}

pub fn count_for_agent(conn: &mut DbConnection, agent_id: &str) -> QueryResult<i64> {
    sessions::table.filter(sessions::agent_id.eq(agent_id)).count().get_result(conn)
}

/// A company's new session lifetimes, applied to its agents' signed-in
/// sessions: their idle lifetime becomes `idle_seconds`, and no deadline
/// stays later than the cut-offs (a shorter lifetime counts from now at the
/// latest; a longer idle lifetime applies from the next page view, a longer
/// absolute one from the next sign-in).
pub fn apply_company_lifetimes(
    conn: &mut DbConnection,
    company_id: &str,
    idle_seconds: Option<i32>,
    idle_cutoff: NaiveDateTime,
    absolute_cutoff: NaiveDateTime,
) -> QueryResult<()> {
    use crate::db::schema::agents;
    let of_company = || agents::table.filter(agents::company_id.eq(company_id)).select(agents::id.nullable());
    diesel::update(sessions::table.filter(sessions::agent_id.eq_any(of_company())))
        .set(sessions::idle_seconds.eq(idle_seconds))
        .execute(conn)?;
    diesel::update(sessions::table.filter(sessions::agent_id.eq_any(of_company())).filter(sessions::idle_expires_at.gt(idle_cutoff)))
        .set(sessions::idle_expires_at.eq(idle_cutoff))
        .execute(conn)?;
    diesel::update(sessions::table.filter(sessions::agent_id.eq_any(of_company())).filter(sessions::absolute_expires_at.gt(absolute_cutoff)))
        .set(sessions::absolute_expires_at.eq(absolute_cutoff))
        .execute(conn)?;
    Ok(())
}

/// Signed-in sessions that are still live, for `/metrics`.
pub fn count_live_signed_in(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<i64> {
    sessions::table
        .filter(sessions::agent_id.is_not_null())
        .filter(sessions::idle_expires_at.gt(now))
        .filter(sessions::absolute_expires_at.gt(now))
        .count()
        .get_result(conn)
}

/// Removes sessions that can no longer be used.
pub fn delete_expired(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::idle_expires_at.le(now).or(sessions::absolute_expires_at.le(now))))
        .execute(conn)
}
