//! Rows of `one_time_codes`: only the keyed hash of each code is stored.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::one_time_codes;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = one_time_codes)]
pub struct StoredCode {
    pub id: String,
    pub challenge_id: String,
    pub agent_id: String,
    pub code_hash: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub ended_at: Option<NaiveDateTime>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = one_time_codes)]
pub struct NewStoredCode<'a> {
    pub id: &'a str,
    pub challenge_id: &'a str,
    pub agent_id: &'a str,
    pub code_hash: &'a str,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, new: &NewStoredCode<'_>) -> QueryResult<()> {
    diesel::insert_into(one_time_codes::table).values(new).execute(conn).map(|_| ())
}

/// The codes of a challenge that can still be used.
pub fn live_for_challenge(conn: &mut DbConnection, challenge_id: &str, now: NaiveDateTime) -> QueryResult<Vec<StoredCode>> {
    one_time_codes::table
        .filter(one_time_codes::challenge_id.eq(challenge_id))
        .filter(one_time_codes::ended_at.is_null())
        .filter(one_time_codes::expires_at.gt(now))
        .select(StoredCode::as_select())
        .load(conn)
}

/// When the challenge's newest code was issued.
pub fn newest_for_challenge(conn: &mut DbConnection, challenge_id: &str) -> QueryResult<Option<NaiveDateTime>> {
    one_time_codes::table
        .filter(one_time_codes::challenge_id.eq(challenge_id))
        .select(diesel::dsl::max(one_time_codes::created_at))
        .get_result(conn)
}

/// The codes issued to an agent since `since`: how many, and when the oldest was.
pub fn issued_to_agent_since(conn: &mut DbConnection, agent_id: &str, since: NaiveDateTime) -> QueryResult<(i64, Option<NaiveDateTime>)> {
    one_time_codes::table
        .filter(one_time_codes::agent_id.eq(agent_id))
        .filter(one_time_codes::created_at.gt(since))
        .select((diesel::dsl::count_star(), diesel::dsl::min(one_time_codes::created_at)))
        .get_result(conn)
}

/// Ends every unended code of a challenge in one statement: used by the
/// accepted code (so no other code of that login works afterwards) and when
/// too many wrong codes make them dead. Returns how many it ended.
pub fn end_all_for_challenge(conn: &mut DbConnection, challenge_id: &str, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(one_time_codes::table.filter(one_time_codes::challenge_id.eq(challenge_id)).filter(one_time_codes::ended_at.is_null()))
        .set(one_time_codes::ended_at.eq(now))
        .execute(conn)
}
