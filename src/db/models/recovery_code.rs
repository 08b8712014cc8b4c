//! Rows of `recovery_codes`: an agent's current set, each code stored as
//! its keyed hash (see `auth::recovery_codes`).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::recovery_codes;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = recovery_codes)]
pub struct StoredRecoveryCode {
    pub id: String,
    pub agent_id: String,
    pub code_hash: String,
    pub created_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
}

/// The agent's unused codes.
pub fn unused(conn: &mut DbConnection, agent_id: &str) -> QueryResult<Vec<StoredRecoveryCode>> {
    recovery_codes::table
        .filter(recovery_codes::agent_id.eq(agent_id))
        .filter(recovery_codes::used_at.is_null())
        .select(StoredRecoveryCode::as_select())
        .load(conn)
}

pub fn insert(conn: &mut DbConnection, id: &str, agent_id: &str, code_hash: &str, now: NaiveDateTime) -> QueryResult<()> {
    diesel::insert_into(recovery_codes::table)
        .values((
            recovery_codes::id.eq(id),
            recovery_codes::agent_id.eq(agent_id),
            recovery_codes::code_hash.eq(code_hash),
            recovery_codes::created_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Spends a code; false when it was spent already.
pub fn mark_used(conn: &mut DbConnection, id: &str, now: NaiveDateTime) -> QueryResult<bool> {
    let updated = diesel::update(recovery_codes::table.find(id).filter(recovery_codes::used_at.is_null()))
        .set(recovery_codes::used_at.eq(now))
        .execute(conn)?;
    Ok(updated == 1)
}

/// Voids the agent's whole set.
pub fn delete_all(conn: &mut DbConnection, agent_id: &str) -> QueryResult<usize> {
    diesel::delete(recovery_codes::table.filter(recovery_codes::agent_id.eq(agent_id))).execute(conn)
}
