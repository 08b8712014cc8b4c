//! The first-run setup link (SPEC §2.1): printed on the console only, single use,
//! gone once an agent exists.

use chrono::NaiveDateTime;

use crate::crypto::{random_token, token_hash};
use crate::db::models::{Agent, setup_token};
use crate::db::{DbConnection, write_transaction};

/// When no agent exists, stores a fresh token's hash and returns the token.
pub fn issue_token_if_needed(conn: &mut DbConnection, now: NaiveDateTime) -> diesel::QueryResult<Option<String>> {
    write_transaction(conn, |conn| {
        if Agent::any_exists(conn)? {
            setup_token::delete_all(conn)?;
            return Ok(None);
        }
        let token = random_token();
        setup_token::insert(conn, &token_hash(&token), now)?;
        Ok(Some(token))
    })
}

/// True while the token can still create the first admin.
pub fn token_is_open(conn: &mut DbConnection, token: &str) -> diesel::QueryResult<bool> {
    Ok(!Agent::any_exists(conn)? && setup_token::exists(conn, &token_hash(token))?)
}
