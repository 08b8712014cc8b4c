//! Rows of `one_time_codes`: only the keyed hash of each code is stored.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::one_time_codes;
use crate::db::sql_text::SqlText;

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

/// What the code limits look at when a code is asked for: when the
/// challenge's newest code was issued (the resend cooldown), and the codes
/// issued to its agent since the window began (the codes-per-window cap).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IssuedCodes {
    pub newest_for_challenge: Option<NaiveDateTime>,
    pub to_agent_since: i64,
    pub oldest_to_agent_since: Option<NaiveDateTime>,
}

/// [`IssuedCodes`] of a challenge and its agent, in one statement: each
/// figure is a subquery on its own index (a login asks for them three times).
pub fn issued(conn: &mut DbConnection, challenge_id: &str, agent_id: &str, since: NaiveDateTime) -> QueryResult<IssuedCodes> {
    let of_agent_since = || one_time_codes::table.filter(one_time_codes::agent_id.eq(agent_id)).filter(one_time_codes::created_at.gt(since));
    let (newest_for_challenge, to_agent_since, oldest_to_agent_since) = diesel::select((
        one_time_codes::table
            .filter(one_time_codes::challenge_id.eq(challenge_id))
            .select(diesel::dsl::max(one_time_codes::created_at))
            .single_value(),
        // A count is never null; a subquery's type is nullable all the same.
        of_agent_since().select(diesel::dsl::count_star()).single_value().assume_not_null(),
        of_agent_since().select(diesel::dsl::min(one_time_codes::created_at)).single_value(),
    ))
    .get_result(conn)?;
    Ok(IssuedCodes { newest_for_challenge, to_agent_since, oldest_to_agent_since })
}

/// Ends every unended code of a challenge in one statement: used by the
/// accepted code (so no other code of that login works afterwards) and when
/// too many wrong codes make them dead. Returns how many it ended.
pub fn end_all_for_challenge(conn: &mut DbConnection, challenge_id: &str, now: NaiveDateTime) -> QueryResult<usize> {
    let mut sql = SqlText::new(conn.backend());
    sql.push("UPDATE one_time_codes SET ended_at = ")
        .timestamp(now)
        .push(" WHERE challenge_id = ")
        .text(challenge_id)
        .push(" AND ended_at IS NULL");
    sql.into_query().execute(conn)
}
