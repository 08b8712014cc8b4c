//! The outbox table: written with the state an email belongs to, delivered by
//! the worker (`mail::worker`). Status moves pending -> sending (claimed by one
//! worker until `claimed_until`) -> sent | failed, or back to pending for a retry.

use std::cell::Cell;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::models::code_challenge::CodeChallenge;
use crate::db::schema::outbox;
use crate::db::sql_text::SqlText;
use crate::domain::new_public_id;
use crate::mail::Email;

pub const PENDING: &str = "pending";
pub const SENDING: &str = "sending";
pub const SENT: &str = "sent";
pub const FAILED: &str = "failed";
/// Not sent because it could no longer help (its code or link expired, its
/// challenge was used or replaced).
pub const DROPPED: &str = "dropped";

thread_local! {
    /// Set by [`enqueue`] so that `AppState::db` can wake the worker once the
    /// work (and its transaction) is over, whoever queued the email.
    static ENQUEUED: Cell<bool> = const { Cell::new(false) };
}

/// True if an email was queued on this thread since the last call; clears the flag.
pub fn take_enqueued_flag() -> bool {
    ENQUEUED.with(|flag| flag.replace(false))
}

/// A row of the outbox.
#[derive(Debug, Clone, Queryable, QueryableByName, Selectable)]
#[diesel(table_name = outbox)]
pub struct OutboxRow {
    pub id: String,
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub claimed_by: Option<String>,
    pub claimed_until: Option<NaiveDateTime>,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
    pub expires_at: Option<NaiveDateTime>,
    pub challenge_id: Option<String>,
}

impl OutboxRow {
    /// The row an email would be, claimed for sending now (for a test email
    /// sent straight through the transport, not queued).
    pub fn sending_now(id: String, email: &Email, now: NaiveDateTime) -> OutboxRow {
        OutboxRow {
            id,
            kind: email.kind.as_str().to_owned(),
            recipient: email.to.as_str().to_owned(),
            subject: single_line(&email.subject),
            body_text: email.text.clone(),
            body_html: email.html.clone(),
            status: SENDING.to_owned(),
            attempts: 1,
            next_attempt_at: now,
            claimed_by: None,
            claimed_until: None,
            last_error: None,
            created_at: now,
            sent_at: None,
            expires_at: email.useful_until,
            challenge_id: email.challenge_id.clone(),
        }
    }
}

/// A subject is one line: control characters (CR, LF, NUL ...) are dropped,
/// so nothing that reaches a subject can start a header of its own.
pub fn single_line(subject: &str) -> String {
    subject.chars().filter(|c| !c.is_control()).collect()
}

/// Queues an email for delivery. Call it inside the transaction that makes
/// the change the email reports, so both happen or neither does.
pub fn enqueue(conn: &mut DbConnection, email: &Email, now: NaiveDateTime) -> QueryResult<String> {
    let id = new_public_id();
    diesel::insert_into(outbox::table)
        .values((
            outbox::id.eq(&id),
            outbox::kind.eq(email.kind.as_str()),
            outbox::recipient.eq(email.to.as_str()),
            outbox::subject.eq(single_line(&email.subject)),
            outbox::body_text.eq(&email.text),
            outbox::body_html.eq(&email.html),
            outbox::status.eq(PENDING),
            outbox::attempts.eq(0),
            outbox::next_attempt_at.eq(now),
            outbox::created_at.eq(now),
            outbox::expires_at.eq(email.useful_until),
            outbox::challenge_id.eq(email.challenge_id.as_deref()),
        ))
        .execute(conn)?;
    ENQUEUED.with(|flag| flag.set(true));
    Ok(id)
}

/// Claims up to `limit` due rows for `claim_id` until `lease_until` and returns them.
///
/// One UPDATE picks the oldest due rows in a subquery and claims them, and
/// its WHERE repeats the due condition: on PostgreSQL a second worker racing
/// for the same rows waits for the first one's row locks, re-checks the
/// condition on the updated rows, and skips them; on SQLite writers are
/// serialised. Either way each row goes to one worker. The claimed rows come
/// back from the UPDATE itself, oldest first.
/// Rows stuck in `sending` past their lease (a worker died) are due again.
///
/// SQL text, kept prepared (see `db::sql_text`): diesel would prepare it
/// again for every email. The limit is written into the text, not bound
/// (SQLite plans a statement again whenever a bound LIMIT changes); it is
/// the worker's free sending places, so there are only a few such texts.
pub fn claim_due(
    conn: &mut DbConnection,
    claim_id: &str,
    now: NaiveDateTime,
    lease_until: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<OutboxRow>> {
    let due = |sql: &mut SqlText| {
        sql.push("((status = ").text(PENDING).push(" AND next_attempt_at <= ").timestamp(now);
        sql.push(") OR (status = ").text(SENDING).push(" AND claimed_until < ").timestamp(now).push("))");
    };
    let mut sql = SqlText::new(conn.backend());
    sql.push("UPDATE outbox SET status = ")
        .text(SENDING)
        .push(", claimed_by = ")
        .text(claim_id)
        .push(", claimed_until = ")
        .timestamp(lease_until)
        .push(", attempts = attempts + 1 WHERE id IN (SELECT id FROM outbox WHERE ");
    due(&mut sql);
    sql.push(&format!(" ORDER BY next_attempt_at LIMIT {}) AND ", limit.max(1)));
    due(&mut sql);
    sql.push(
        " RETURNING id, kind, recipient, subject, body_text, body_html, status, attempts, next_attempt_at, \
         claimed_by, claimed_until, last_error, created_at, sent_at, expires_at, challenge_id",
    );
    let mut claimed: Vec<OutboxRow> = sql.into_query().load(conn)?;
    claimed.sort_by_key(|row| row.created_at);
    Ok(claimed)
}

/// Records a delivery. With `scrub`, the subject and bodies are blanked: a
/// delivered email's code or link has no business staying in the database.
/// False if the claim was lost meanwhile (the lease ran out).
pub fn mark_sent(conn: &mut DbConnection, id: &str, claim_id: &str, now: NaiveDateTime, scrub: bool) -> QueryResult<bool> {
    // SQL text, kept prepared (see `db::sql_text`): it runs for every email.
    let mut sql = SqlText::new(conn.backend());
    sql.push("UPDATE outbox SET status = ").text(SENT).push(", sent_at = ").timestamp(now);
    sql.push(", claimed_until = NULL, last_error = NULL");
    // Scrubbing in the same statement: a delivered code is never visible in the table.
    if scrub {
        sql.push(", subject = '', body_text = '', body_html = ''");
    }
    sql.push(" WHERE id = ").text(id).push(" AND claimed_by = ").text(claim_id).push(" AND status = ").text(SENDING);
    Ok(sql.into_query().execute(conn)? == 1)
}

/// Puts a row back in the queue for another attempt at `next_attempt_at`.
pub fn mark_retry(conn: &mut DbConnection, id: &str, claim_id: &str, next_attempt_at: NaiveDateTime, error: &str) -> QueryResult<()> {
    diesel::update(outbox::table.filter(outbox::id.eq(id)).filter(outbox::claimed_by.eq(claim_id)).filter(outbox::status.eq(SENDING)))
        .set((
            outbox::status.eq(PENDING),
            outbox::next_attempt_at.eq(next_attempt_at),
            outbox::claimed_until.eq(None::<NaiveDateTime>),
            outbox::last_error.eq(truncate(error)),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Gives up on a row for good; its content is blanked like a delivered one's.
pub fn mark_failed(conn: &mut DbConnection, id: &str, claim_id: &str, error: &str) -> QueryResult<()> {
    // One statement: nobody can see the row failed with its code still in it.
    diesel::update(outbox::table.filter(outbox::id.eq(id)).filter(outbox::claimed_by.eq(claim_id)).filter(outbox::status.eq(SENDING)))
        .set((
            outbox::status.eq(FAILED),
            outbox::claimed_until.eq(None::<NaiveDateTime>),
            outbox::last_error.eq(truncate(error)),
            outbox::subject.eq(""),
            outbox::body_text.eq(""),
            outbox::body_html.eq(""),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Drops a row that can no longer help (blanked like a delivered one).
pub fn mark_dropped(conn: &mut DbConnection, id: &str, claim_id: &str, reason: &str) -> QueryResult<()> {
    diesel::update(outbox::table.filter(outbox::id.eq(id)).filter(outbox::claimed_by.eq(claim_id)).filter(outbox::status.eq(SENDING)))
        .set((
            outbox::status.eq(DROPPED),
            outbox::claimed_until.eq(None::<NaiveDateTime>),
            outbox::last_error.eq(truncate(reason)),
            outbox::subject.eq(""),
            outbox::body_text.eq(""),
            outbox::body_html.eq(""),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Why a row past its `expires_at` is not sent.
pub const EXPIRED: &str = "expired before it could be delivered";
/// Why a code's email whose challenge is over is not sent.
pub const CHALLENGE_OVER: &str = "its code was used, replaced or expired before it could be delivered";

impl OutboxRow {
    /// Past the time it could help (a code's or a link's expiry).
    pub fn expired(&self, now: NaiveDateTime) -> bool {
        self.expires_at.is_some_and(|at| at <= now)
    }

    /// The challenge to look up before this attempt: only a retry of a
    /// code's email (a first attempt follows its challenge at once).
    pub fn challenge_to_check(&self) -> Option<&str> {
        self.challenge_id.as_deref().filter(|_| self.attempts > 1)
    }
}

/// True when the challenge is closed, expired or gone.
pub fn challenge_is_over(conn: &mut DbConnection, challenge_id: &str, now: NaiveDateTime) -> QueryResult<bool> {
    Ok(!CodeChallenge::find(conn, challenge_id)?.is_some_and(|c| c.is_open(now)))
}

/// What `/metrics` says of the outbox: emails waiting (pending or being
/// sent), the oldest one's creation, and their attempts so far.
pub fn backlog(conn: &mut DbConnection) -> QueryResult<(i64, Option<NaiveDateTime>, i64)> {
    use diesel::dsl::{count_star, min, sum};
    let waiting = outbox::table.filter(outbox::status.eq(PENDING).or(outbox::status.eq(SENDING)));
    let (count, oldest) = waiting.select((count_star(), min(outbox::created_at))).get_result::<(i64, Option<NaiveDateTime>)>(conn)?;
    let attempts: Option<i64> = waiting.select(sum(outbox::attempts)).get_result(conn)?;
    Ok((count, oldest, attempts.unwrap_or(0)))
}

/// When the next queued row comes due, if any row is queued: the earliest
/// pending attempt or lapsing lease, in one statement (each a subquery on
/// its own index; the worker asks after every claim).
pub fn next_due(conn: &mut DbConnection) -> QueryResult<Option<NaiveDateTime>> {
    let (pending, lapsing): (Option<NaiveDateTime>, Option<NaiveDateTime>) = diesel::select((
        outbox::table.filter(outbox::status.eq(PENDING)).select(diesel::dsl::min(outbox::next_attempt_at)).single_value(),
        outbox::table.filter(outbox::status.eq(SENDING)).select(diesel::dsl::min(outbox::claimed_until)).single_value(),
    ))
    .get_result(conn)?;
    Ok(match (pending, lapsing) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    })
}

/// The newest rows, for `/dev/mailbox`; `recipient` narrows them to one address.
pub fn newest(conn: &mut DbConnection, recipient: Option<&str>, limit: i64) -> QueryResult<Vec<OutboxRow>> {
    let mut query = outbox::table.select(OutboxRow::as_select()).order((outbox::created_at.desc(), outbox::id.desc())).limit(limit).into_boxed();
    if let Some(recipient) = recipient {
        query = query.filter(outbox::recipient.eq(recipient.to_owned()));
    }
    query.load(conn)
}

/// Forgets delivered and failed rows written before `before` (housekeeping).
pub fn delete_finished_before(conn: &mut DbConnection, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(outbox::table.filter(outbox::status.eq_any([SENT, FAILED, DROPPED])).filter(outbox::created_at.lt(before))).execute(conn)
}

/// Error texts are kept short: they are for the operator, not an archive.
fn truncate(error: &str) -> String {
    error.chars().filter(|c| !c.is_control()).take(500).collect()
}

#[cfg(test)]
mod tests {
    use super::single_line;

    #[test]
    fn subjects_lose_line_breaks_and_control_characters() {
        assert_eq!(single_line("Your code\r\nBcc: mallory@evil.test"), "Your codeBcc: mallory@evil.test");
        assert_eq!(single_line("a\u{0}b\u{7}c\td"), "abcd");
    }
}
