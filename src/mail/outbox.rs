//! The outbox table: written with the state an email belongs to.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::outbox;
use crate::domain::new_public_id;
use crate::mail::Email;

/// Queues an email for delivery. Call it inside the transaction that makes
/// the change the email reports, so both happen or neither does.
pub fn enqueue(conn: &mut DbConnection, email: &Email, now: NaiveDateTime) -> QueryResult<String> {
    let id = new_public_id();
    // A subject is one line; a newline could only come from a bug, never reach a header.
    let subject: String = email.subject.chars().filter(|c| !c.is_control()).collect();
    diesel::insert_into(outbox::table)
        .values((
            outbox::id.eq(&id),
            outbox::kind.eq(email.kind.as_str()),
            outbox::recipient.eq(email.to.as_str()),
            outbox::subject.eq(&subject),
            outbox::body_text.eq(&email.text),
            outbox::body_html.eq(&email.html),
            outbox::status.eq("pending"),
            outbox::attempts.eq(0),
            outbox::next_attempt_at.eq(now),
            outbox::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(id)
}
