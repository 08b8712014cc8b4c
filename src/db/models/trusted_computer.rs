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

/// Forgets every trusted computer of an agent (password change, 2FA reset,
/// deactivation, "Forget all"). Returns how many were forgotten.
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
