//! A small builder for the few queries written as SQL text: the Agents tab
//! listing needs index-shaped subqueries and per-dialect `NULLS FIRST` that the
//! diesel DSL cannot express on the multi-backend connection.
//!
//! Only fixed fragments written in this crate go into the text; every value
//! is a bind parameter.

use chrono::NaiveDateTime;
use diesel::query_builder::{BoxedSqlQuery, SqlQuery};
use diesel::sql_types::{BigInt, Bool, Nullable, Text, Timestamp};

use crate::db::{Backend, MultiBackend};

enum Bind {
    Text(String),
    OptionalText(Option<String>),
    BigInt(i64),
    Bool(bool),
    Timestamp(NaiveDateTime),
    OptionalTimestamp(Option<NaiveDateTime>),
}

/// SQL text with its binds, numbered for the backend (`?` or `$n`).
pub struct SqlText {
    backend: Backend,
    text: String,
    binds: Vec<Bind>,
}

impl SqlText {
    pub fn new(backend: Backend) -> SqlText {
        SqlText { backend, text: String::new(), binds: Vec::new() }
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Appends a fixed fragment (never user input).
    pub fn push(&mut self, fragment: &str) -> &mut SqlText {
        self.text.push_str(fragment);
        self
    }

    pub fn text(&mut self, value: impl Into<String>) -> &mut SqlText {
        self.bind(Bind::Text(value.into()))
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
        self.binds.push(bind);
        match self.backend {
            Backend::Sqlite => self.text.push('?'),
            Backend::Postgres => {
                let n = self.binds.len();
                self.text.push_str(&format!("${n}"));
            }
        }
        self
    }

    /// The query, ready for `load` / `get_result`.
    pub fn into_query(self) -> BoxedSqlQuery<'static, MultiBackend, SqlQuery> {
        let mut query = diesel::sql_query(self.text).into_boxed::<MultiBackend>();
        for bind in self.binds {
            query = match bind {
                Bind::Text(value) => query.bind::<Text, _>(value),
                Bind::BigInt(value) => query.bind::<BigInt, _>(value),
                Bind::Timestamp(value) => query.bind::<Timestamp, _>(value),
                Bind::OptionalText(value) => query.bind::<Nullable<Text>, _>(value),
                Bind::Bool(value) => query.bind::<Bool, _>(value),
                Bind::OptionalTimestamp(value) => query.bind::<Nullable<Timestamp>, _>(value),
            };
        }
        query
    }

    #[cfg(test)]
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_follow_the_backend() {
        let mut sqlite = SqlText::new(Backend::Sqlite);
        sqlite.push("a = ").text("x").push(" AND b = ").big_int(1);
        assert_eq!(sqlite.as_str(), "a = ? AND b = ?");
        let mut pg = SqlText::new(Backend::Postgres);
        pg.push("a = ").text("x").push(" AND b = ").big_int(1);
        assert_eq!(pg.as_str(), "a = $1 AND b = $2");
    }
}
