//! Rows of `trusted_computers`. The login rules that use them live in
//! `auth::trusted_computers`; this module is the storage.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::trusted_computers;

/// A browser an agent trusted.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = trusted_computers)]
pub struct TrustedComputer {
    pub id: String,
    pub agent_id: String,
    pub token_hash: String,
    pub label: String,
    pub ip: String,
    pub created_at: NaiveDateTime,
    pub last_used_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

/// A new trusted browser: only the token's hash, never the token.
#[derive(Debug, Insertable)]
#[diesel(table_name = trusted_computers)]
pub struct NewTrustedComputer<'a> {
    pub id: &'a str,
    pub agent_id: &'a str,
    pub token_hash: &'a str,
    pub label: &'a str,
    pub ip: &'a str,
    pub created_at: NaiveDateTime,
    pub last_used_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, new: &NewTrustedComputer<'_>) -> QueryResult<()> {
    diesel::insert_into(trusted_computers::table).values(new).execute(conn).map(|_| ())
}

/// The rows behind the tokens a browser presented (any agent's, expired or not).
pub fn find_by_hashes(conn: &mut DbConnection, hashes: &[String]) -> QueryResult<Vec<TrustedComputer>> {
    if hashes.is_empty() {
        return Ok(Vec::new());
    }
    trusted_computers::table
        .filter(trusted_computers::token_hash.eq_any(hashes))
        .select(TrustedComputer::as_select())
        .load(conn)
}

/// Every trusted computer of an agent, expired ones included, most recently used first.
pub fn all_for_agent(conn: &mut DbConnection, agent_id: &str) -> QueryResult<Vec<TrustedComputer>> {
    trusted_computers::table
        .filter(trusted_computers::agent_id.eq(agent_id))
        .order((trusted_computers::last_used_at.desc(), trusted_computers::id.asc()))
        .select(TrustedComputer::as_select())
        .load(conn)
}

/// Records a login that the computer let skip the code.
pub fn touch(conn: &mut DbConnection, id: &str, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(trusted_computers::table.find(id)).set(trusted_computers::last_used_at.eq(now)).execute(conn).map(|_| ())
}

/// Forgets one computer, only if it is this agent's: another agent's id
/// deletes nothing. Returns the forgotten row.
pub fn delete_of_agent(conn: &mut DbConnection, agent_id: &str, id: &str) -> QueryResult<Option<TrustedComputer>> {
    let Some(row) = trusted_computers::table
        .filter(trusted_computers::id.eq(id))
        .filter(trusted_computers::agent_id.eq(agent_id))
        .select(TrustedComputer::as_select())
        .get_result(conn)
        .optional()?
    else {
        return Ok(None);
    };
    diesel::delete(trusted_computers::table.find(&row.id)).execute(conn)?;
    Ok(Some(row))
}

/// Forgets the rows with these ids.
pub fn delete_ids(conn: &mut DbConnection, ids: &[String]) -> QueryResult<usize> {
    if ids.is_empty() {
        return Ok(0);
    }
    diesel::delete(trusted_computers::table.filter(trusted_computers::id.eq_any(ids))).execute(conn)
}

/// Forgets every trusted computer of an agent. Prefer
/// `auth::trusted_computers::forget_all`, which also writes the audit log.
pub fn delete_for_agent(conn: &mut DbConnection, agent_id: &str) -> QueryResult<usize> {
    diesel::delete(trusted_computers::table.filter(trusted_computers::agent_id.eq(agent_id))).execute(conn)
}

/// How many unexpired trusted computers an agent has.
pub fn count_live_for_agent(conn: &mut DbConnection, agent_id: &str, now: NaiveDateTime) -> QueryResult<i64> {
    trusted_computers::table
        .filter(trusted_computers::agent_id.eq(agent_id))
        .filter(trusted_computers::expires_at.gt(now))
        .count()
        .get_result(conn)
}

/// Housekeeping: rows that expired before `before` can skip no code any more.
/// Deleted a thousand at a time, each batch its own transaction: each row
/// also updates its agent's count, and on a day when tens of thousands expire
/// together one statement held SQLite's write lock for seconds.
pub fn delete_expired(conn: &mut DbConnection, before: NaiveDateTime) -> QueryResult<usize> {
    const BATCH: i64 = 1000;
    let mut deleted = 0;
    loop {
        let batch: Vec<String> =
            trusted_computers::table.filter(trusted_computers::expires_at.le(before)).select(trusted_computers::id).limit(BATCH).load(conn)?;
        let removed = diesel::delete(trusted_computers::table.filter(trusted_computers::id.eq_any(&batch))).execute(conn)?;
        deleted += removed;
        if (removed as i64) < BATCH {
            return Ok(deleted);
        }
    }
}
