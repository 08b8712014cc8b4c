//! Rows of `invitations`: the open invitation of an agent added by an admin.
//! Only the SHA-256 of the emailed token is stored; using or replacing an
//! invitation deletes its row, which is what makes the link single use.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::invitations;

/// An invitation waiting to be accepted.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = invitations)]
pub struct Invitation {
    pub agent_id: String,
    pub token_hash: String,
    pub invited_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

/// Replaces the agent's invitation (if any) with a new one: the old link dies.
pub fn replace(
    conn: &mut DbConnection,
    agent_id: &str,
    token_hash: &str,
    invited_by: Option<&str>,
    now: NaiveDateTime,
    expires_at: NaiveDateTime,
) -> QueryResult<()> {
    delete_for_agent(conn, agent_id)?;
    diesel::insert_into(invitations::table)
        .values((
            invitations::agent_id.eq(agent_id),
            invitations::token_hash.eq(token_hash),
            invitations::invited_by.eq(invited_by),
            invitations::created_at.eq(now),
            invitations::expires_at.eq(expires_at),
        ))
        .execute(conn)
        .map(|_| ())
}

/// The unexpired invitation with this token hash.
pub fn find_open(conn: &mut DbConnection, token_hash: &str, now: NaiveDateTime) -> QueryResult<Option<Invitation>> {
    invitations::table
        .filter(invitations::token_hash.eq(token_hash))
        .filter(invitations::expires_at.gt(now))
        .select(Invitation::as_select())
        .get_result(conn)
        .optional()
}

/// Deletes the unexpired invitation with this token hash; the agent it was
/// for, or `None` if another request used it first (or it expired).
pub fn consume(conn: &mut DbConnection, token_hash: &str, now: NaiveDateTime) -> QueryResult<Option<String>> {
    diesel::delete(
        invitations::table.filter(invitations::token_hash.eq(token_hash)).filter(invitations::expires_at.gt(now)),
    )
    .returning(invitations::agent_id)
    .get_result(conn)
    .optional()
}

/// Forgets invitations that expired before `before` (the agent stays, shown
/// as invited with no valid link; an admin can send a new one).
pub fn delete_expired_before(conn: &mut DbConnection, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(invitations::table.filter(invitations::expires_at.lt(before))).execute(conn)
}

pub fn delete_for_agent(conn: &mut DbConnection, agent_id: &str) -> QueryResult<usize> {
    diesel::delete(invitations::table.filter(invitations::agent_id.eq(agent_id))).execute(conn)
}

pub fn find_for_agent(conn: &mut DbConnection, agent_id: &str) -> QueryResult<Option<Invitation>> {
    invitations::table.find(agent_id).select(Invitation::as_select()).get_result(conn).optional()
}
