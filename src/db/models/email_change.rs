//! Rows of `email_changes`: the new address an email change waits to
//! confirm, one per `change_email` challenge. The rules live in `auth::email_change`.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::email_changes;
use crate::domain::EmailAddress;

/// Remembers the address the challenge's code is sent to.
pub fn insert(conn: &mut DbConnection, challenge_id: &str, agent_id: &str, new_email: &str, now: NaiveDateTime) -> QueryResult<()> {
    diesel::insert_into(email_changes::table)
        .values((
            email_changes::challenge_id.eq(challenge_id),
            email_changes::agent_id.eq(agent_id),
            email_changes::new_email.eq(new_email),
            email_changes::created_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// The new address of a `change_email` challenge (where its codes go). A
/// stored address that no longer parses is a deserialization error.
pub fn new_address_of(conn: &mut DbConnection, challenge_id: &str) -> QueryResult<EmailAddress> {
    let stored: String = email_changes::table.find(challenge_id).select(email_changes::new_email).get_result(conn)?;
    EmailAddress::parse(&stored).map_err(|e| diesel::result::Error::DeserializationError(Box::new(e)))
}
