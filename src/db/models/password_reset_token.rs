//! Rows of `password_reset_tokens`: only the SHA-256 of each emailed token.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::password_reset_tokens;

pub fn insert(conn: &mut DbConnection, token_hash: &str, agent_id: &str, now: NaiveDateTime, expires_at: NaiveDateTime) -> QueryResult<()> {
    diesel::insert_into(password_reset_tokens::table)
        .values((
            password_reset_tokens::token_hash.eq(token_hash),
            password_reset_tokens::agent_id.eq(agent_id),
            password_reset_tokens::created_at.eq(now),
            password_reset_tokens::expires_at.eq(expires_at),
        ))
        .execute(conn)
        .map(|_| ())
}

/// The agent a live (unused, unexpired) token belongs to.
pub fn live_agent(conn: &mut DbConnection, token_hash: &str, now: NaiveDateTime) -> QueryResult<Option<String>> {
    password_reset_tokens::table
        .filter(password_reset_tokens::token_hash.eq(token_hash))
        .filter(password_reset_tokens::used_at.is_null())
        .filter(password_reset_tokens::expires_at.gt(now))
        .select(password_reset_tokens::agent_id)
        .get_result(conn)
        .optional()
}

/// Spends a live token; false if it was used, expired or unknown. The
/// conditional UPDATE is what makes a link single use under concurrency.
pub fn consume(conn: &mut DbConnection, token_hash: &str, now: NaiveDateTime) -> QueryResult<bool> {
    let updated = diesel::update(
        password_reset_tokens::table
            .filter(password_reset_tokens::token_hash.eq(token_hash))
            .filter(password_reset_tokens::used_at.is_null())
            .filter(password_reset_tokens::expires_at.gt(now)),
    )
    .set(password_reset_tokens::used_at.eq(now))
    .execute(conn)?;
    Ok(updated == 1)
}

/// How many links were sent to an agent since `since` (a bound on reset email).
pub fn count_since(conn: &mut DbConnection, agent_id: &str, since: NaiveDateTime) -> QueryResult<i64> {
    password_reset_tokens::table
        .filter(password_reset_tokens::agent_id.eq(agent_id))
        .filter(password_reset_tokens::created_at.gt(since))
        .count()
        .get_result(conn)
}

/// Ends every other link of the agent once one was used.
pub fn delete_for_agent(conn: &mut DbConnection, agent_id: &str) -> QueryResult<usize> {
    diesel::delete(password_reset_tokens::table.filter(password_reset_tokens::agent_id.eq(agent_id))).execute(conn)
}

/// Housekeeping.
pub fn delete_expired(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(password_reset_tokens::table.filter(password_reset_tokens::expires_at.le(now))).execute(conn)
}
