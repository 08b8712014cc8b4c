//! SQL text written in this crate, for the statements the diesel DSL cannot
//! express on the multi-backend connection (the Agents tab's index-shaped
//! subqueries, per-dialect `NULLS FIRST`), and for the hot writes of a login
//! that diesel would prepare again on every run (it never keeps an `UPDATE`
//! or an upsert prepared, since their shape may vary with their values).
//!
//! Only fixed fragments written in this crate go into the text; every value
//! is a bind parameter.

use chrono::NaiveDateTime;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::sql_types::{BigInt, Bool, Integer, Nullable, Text, Timestamp, Untyped};
use diesel::connection::SimpleConnection;
use diesel::{QueryResult, RunQueryDsl};

use crate::db::{Backend, DbConnection, MultiBackend};

enum Bind {
    Text(String),
    OptionalText(Option<String>),
    Int(i32),
    OptionalInt(Option<i32>),
    BigInt(i64),
    Bool(bool),
    Timestamp(NaiveDateTime),
    OptionalTimestamp(Option<NaiveDateTime>),
}

/// SQL text with its binds, numbered for the backend (`?` or `$n`) when it runs.
///
/// The connection keeps each distinct text as a prepared statement, so a
/// page's queries are parsed and planned once per connection, not on every
/// view (on PostgreSQL planning a page of the Agents tab, with its many
/// indexes, cost as much as running it). A text whose shape follows the
/// input (a list of ids, a search of many words) is not kept: there would
/// be no end to them. [`SqlText::not_kept`] marks it.
pub struct SqlText {
    backend: Backend,
    /// The fixed text before each bind, then the text after the last one.
    pieces: Vec<String>,
    tail: String,
    binds: Vec<Bind>,
    kept: bool,
}

impl SqlText {
    pub fn new(backend: Backend) -> SqlText {
        SqlText { backend, pieces: Vec::new(), tail: String::new(), binds: Vec::new(), kept: true }
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Appends a fixed fragment (never user input).
    pub fn push(&mut self, fragment: &str) -> &mut SqlText {
        self.tail.push_str(fragment);
        self
    }

    /// The text being built depends on the input's shape: run it without
    /// keeping it as a prepared statement.
    pub fn not_kept(&mut self) -> &mut SqlText {
        self.kept = false;
        self
    }

    pub fn text(&mut self, value: impl Into<String>) -> &mut SqlText {
        self.bind(Bind::Text(value.into()))
    }

    pub fn int(&mut self, value: i32) -> &mut SqlText {
        self.bind(Bind::Int(value))
    }

    pub fn optional_int(&mut self, value: Option<i32>) -> &mut SqlText {
        self.bind(Bind::OptionalInt(value))
    }

    pub fn big_int(&mut self, value: i64) -> &mut SqlText {
        self.bind(Bind::BigInt(value))
    }

    pub fn timestamp(&mut self, value: NaiveDateTime) -> &mut SqlText {
        self.bind(Bind::Timestamp(value))
    }

    pub fn optional_text(&mut self, value: Option<String>) -> &mut SqlText {
        self.bind(Bind::OptionalText(value))
    }

    pub fn bool(&mut self, value: bool) -> &mut SqlText {
        self.bind(Bind::Bool(value))
    }

    pub fn optional_timestamp(&mut self, value: Option<NaiveDateTime>) -> &mut SqlText {
        self.bind(Bind::OptionalTimestamp(value))
    }

    fn bind(&mut self, bind: Bind) -> &mut SqlText {
        self.pieces.push(std::mem::take(&mut self.tail));
        self.binds.push(bind);
        self
    }

    /// The query, ready for `load` / `get_result`.
    pub fn into_query(self) -> SqlTextQuery {
        SqlTextQuery { text: self }
    }

    /// Whether the connection keeps this text prepared.
    #[cfg(test)]
    pub fn is_kept(&self) -> bool {
        self.kept
    }

    /// The text as the backend sees it.
    #[cfg(test)]
    pub fn to_sql(&self) -> String {
        let mut sql = String::new();
        for (n, piece) in self.pieces.iter().enumerate() {
            sql.push_str(piece);
            match self.backend {
                Backend::Sqlite => sql.push('?'),
                Backend::Postgres => sql.push_str(&format!("${}", n + 1)),
            }
        }
        sql + &self.tail
    }
}

/// Runs `run` with PostgreSQL using each statement's generic plan, the one
/// made without looking at the bound values, from the first run on.
///
/// A kept statement whose LIMIT and OFFSET are bound values never gets there
/// by itself: the generic plan's estimate (a tenth of the rows for an
/// unknown LIMIT) always looks dearer than a plan made for the values, so
/// PostgreSQL planned a page of the Agents tab again on every view, as long
/// as running it. A statement run here must have one right plan whatever
/// its values, and the shape of its text must force it.
pub fn with_generic_plans<T>(conn: &mut DbConnection, run: impl FnOnce(&mut DbConnection) -> QueryResult<T>) -> QueryResult<T> {
    if conn.backend() == Backend::Sqlite {
        return run(conn);
    }
    conn.batch_execute("SET plan_cache_mode = force_generic_plan")?;
    let result = run(conn);
    // Reset even after an error: the connection goes back to the pool.
    let reset = conn.batch_execute("RESET plan_cache_mode");
    let value = result?;
    reset?;
    Ok(value)
}

/// A [`SqlText`] to run.
pub struct SqlTextQuery {
    text: SqlText,
}

impl QueryId for SqlTextQuery {
    type QueryId = ();
    // Kept statements are found by their text.
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl Query for SqlTextQuery {
    type SqlType = Untyped;
}

impl<Conn> RunQueryDsl<Conn> for SqlTextQuery {}

impl QueryFragment<MultiBackend> for SqlTextQuery {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
        let text = &self.text;
        if !text.kept {
            out.unsafe_to_cache_prepared();
        }
        for (piece, bind) in text.pieces.iter().zip(&text.binds) {
            out.push_sql(piece);
            match bind {
                Bind::Text(value) => out.push_bind_param::<Text, _>(value)?,
                Bind::Int(value) => out.push_bind_param::<Integer, _>(value)?,
                Bind::OptionalInt(value) => out.push_bind_param::<Nullable<Integer>, _>(value)?,
                Bind::BigInt(value) => out.push_bind_param::<BigInt, _>(value)?,
                Bind::Timestamp(value) => out.push_bind_param::<Timestamp, _>(value)?,
                Bind::OptionalText(value) => out.push_bind_param::<Nullable<Text>, _>(value)?,
                Bind::Bool(value) => out.push_bind_param::<Bool, _>(value)?,
                Bind::OptionalTimestamp(value) => out.push_bind_param::<Nullable<Timestamp>, _>(value)?,
            }
        }
        out.push_sql(&text.tail);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_follow_the_backend() {
        let mut sqlite = SqlText::new(Backend::Sqlite);
        sqlite.push("a = ").text("x").push(" AND b = ").big_int(1);
        assert_eq!(sqlite.to_sql(), "a = ? AND b = ?");
        let mut pg = SqlText::new(Backend::Postgres);
        pg.push("a = ").text("x").push(" AND b = ").big_int(1);
        assert_eq!(pg.to_sql(), "a = $1 AND b = $2");
    }

    /// What the hot writes of a login rely on: a kept text is prepared once
    /// per connection and found again by its text, whatever its values.
    #[test]
    fn a_kept_text_is_prepared_once_per_connection_and_a_text_not_kept_on_every_run() {
        use std::sync::{Arc, Mutex};
        use diesel::Connection;
        use diesel::connection::InstrumentationEvent;

        let mut conn = DbConnection::Sqlite(diesel::SqliteConnection::establish(":memory:").unwrap());
        let prepared = Arc::new(Mutex::new(Vec::<String>::new()));
        let seen = prepared.clone();
        conn.set_instrumentation(move |event: InstrumentationEvent<'_>| {
            if let InstrumentationEvent::CacheQuery { sql, .. } = event {
                seen.lock().unwrap().push(sql.to_owned());
            }
        });
        let run = |conn: &mut DbConnection, value: i64, kept: bool| {
            let mut sql = SqlText::new(conn.backend());
            sql.push("SELECT 1 WHERE ").big_int(value).push(" > 0");
            if !kept {
                sql.push(" AND 1 = 1").not_kept();
            }
            sql.into_query().execute(conn).unwrap();
        };
        for value in [1, 2, -3] {
            run(&mut conn, value, true);
        }
        assert_eq!(*prepared.lock().unwrap(), vec!["SELECT 1 WHERE ? > 0".to_owned()], "prepared once, then found by its text");
        run(&mut conn, 1, false);
        run(&mut conn, 2, false);
        assert_eq!(prepared.lock().unwrap().len(), 1, "a text not kept is never added to the connection's statements");
    }
}
