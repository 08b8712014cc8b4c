//! Rows of `code_lockouts`: an agent's consecutive wrong login codes and the
//! lock they caused (SPEC §3). The row is also the agent's lock for code work:
//! every change to the agent's codes first updates it, which serialises them
//! on PostgreSQL as `BEGIN IMMEDIATE` does on SQLite.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::code_lockouts;
use crate::db::sql_text::SqlText;

#[derive(Debug, Clone, Queryable, QueryableByName, Selectable)]
#[diesel(table_name = code_lockouts)]
pub struct CodeLockout {
    pub agent_id: String,
    pub consecutive_wrong: i32,
    pub locked_until: Option<NaiveDateTime>,
    pub locked_until_reset: bool,
    pub updated_at: NaiveDateTime,
}

impl CodeLockout {
    /// `Some(None)`: locked until a reset; `Some(Some(t))`: locked until `t`; `None`: not locked.
    pub fn lock_at(&self, now: NaiveDateTime) -> Option<Option<NaiveDateTime>> {
        if self.locked_until_reset {
            return Some(None);
        }
        self.locked_until.filter(|until| *until > now).map(Some)
    }

    /// No wrong codes counted and no lock, expired or not: nothing to clear.
    pub fn is_clear(&self) -> bool {
        self.consecutive_wrong == 0 && self.locked_until.is_none() && !self.locked_until_reset
    }
}

/// Takes the agent's row lock for the rest of the transaction and returns
/// the row, creating it on the agent's first code: one statement, which on
/// PostgreSQL waits for a concurrent first insert instead of failing.
/// Written as SQL text, which the connection keeps prepared: diesel prepares
/// an upsert again on every run, and this one runs in every code transaction.
pub fn lock(conn: &mut DbConnection, agent_id: &str, now: NaiveDateTime) -> QueryResult<CodeLockout> {
    let mut sql = SqlText::new(conn.backend());
    sql.push("INSERT INTO code_lockouts (agent_id, consecutive_wrong, locked_until_reset, updated_at) VALUES (")
        .text(agent_id)
        .push(", 0, ")
        .bool(false)
        .push(", ")
        .timestamp(now)
        .push(
            ") ON CONFLICT (agent_id) DO UPDATE SET updated_at = excluded.updated_at \
             RETURNING agent_id, consecutive_wrong, locked_until, locked_until_reset, updated_at",
        );
    sql.into_query().get_result(conn)
}

/// One more consecutive wrong code, atomically; returns the new count.
pub fn add_wrong(conn: &mut DbConnection, agent_id: &str) -> QueryResult<i32> {
    diesel::update(code_lockouts::table.find(agent_id))
        .set(code_lockouts::consecutive_wrong.eq(code_lockouts::consecutive_wrong + 1))
        .returning(code_lockouts::consecutive_wrong)
        .get_result(conn)
}

/// Locks the agent's codes until `until`, or until a reset when `None`.
pub fn set_lock(conn: &mut DbConnection, agent_id: &str, until: Option<NaiveDateTime>) -> QueryResult<()> {
    diesel::update(code_lockouts::table.find(agent_id))
        .set((code_lockouts::locked_until.eq(until), code_lockouts::locked_until_reset.eq(until.is_none())))
        .execute(conn)
        .map(|_| ())
}

/// A right code, a password reset or an admin's 2FA reset: the count starts
/// again and any lock ends.
pub fn clear(conn: &mut DbConnection, agent_id: &str) -> QueryResult<()> {
    diesel::update(code_lockouts::table.find(agent_id))
        .set((
            code_lockouts::consecutive_wrong.eq(0),
            code_lockouts::locked_until.eq(None::<NaiveDateTime>),
            code_lockouts::locked_until_reset.eq(false),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn find(conn: &mut DbConnection, agent_id: &str) -> QueryResult<Option<CodeLockout>> {
    code_lockouts::table.find(agent_id).select(CodeLockout::as_select()).get_result(conn).optional()
}
