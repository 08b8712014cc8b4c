use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::setup_tokens;

/// Stores a first-run token's hash. Earlier tokens stay valid, so that every
/// instance started before setup prints a link that works; setup spends them all.
pub fn insert(conn: &mut DbConnection, token_hash: &str, now: NaiveDateTime) -> QueryResult<()> {
    diesel::insert_into(setup_tokens::table)
        .values((setup_tokens::token_hash.eq(token_hash), setup_tokens::created_at.eq(now)))
        .execute(conn)
        .map(|_| ())
}

/// Deletes the token if it exists; true when it did. Deleting is what makes it single use.
pub fn consume(conn: &mut DbConnection, token_hash: &str) -> QueryResult<bool> {
    let deleted = diesel::delete(setup_tokens::table.filter(setup_tokens::token_hash.eq(token_hash))).execute(conn)?;
    Ok(deleted == 1)
}

pub fn exists(conn: &mut DbConnection, token_hash: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(setup_tokens::table.filter(setup_tokens::token_hash.eq(token_hash)))).get_result(conn)
}

pub fn delete_all(conn: &mut DbConnection) -> QueryResult<()> {
    diesel::delete(setup_tokens::table).execute(conn).map(|_| ())
}
