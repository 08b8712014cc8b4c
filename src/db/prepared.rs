//! Keeping the hot path's writes prepared.
//!
//! diesel keeps a SELECT prepared on its connection (parsed and planned
//! once), but never an UPDATE or an upsert: their SQL can vary with the
//! values set, so it prepares them afresh on every run. A login runs about
//! a dozen of them, and on SQLite their parsing and code generation was a
//! visible share of a login's CPU time (on PostgreSQL each was an unnamed
//! statement, parsed and planned by the server every time).
//!
//! [`KeepPrepared::keep_prepared`] marks one statement as safe to keep: the
//! cache then finds it by its SQL text and bind types, so a statement whose
//! SQL does vary is kept once per variant, never confused with another. Use
//! it only where the variants are few (not on `IN` lists of any length).

use diesel::backend::Backend;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::{QueryResult, RunQueryDsl};

/// A statement kept prepared on its connection (see the module).
#[derive(Debug, Clone, Copy)]
pub struct Kept<Q>(Q);

/// Adds [`keep_prepared`](KeepPrepared::keep_prepared) to every statement.
pub trait KeepPrepared: Sized {
    fn keep_prepared(self) -> Kept<Self> {
        Kept(self)
    }
}

impl<Q> KeepPrepared for Q {}

impl<Q, DB> QueryFragment<DB> for Kept<Q>
where
    Q: QueryFragment<DB>,
    DB: Backend,
{
    fn walk_ast<'b>(&'b self, pass: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        self.0.walk_ast(pass)
    }

    fn is_safe_to_cache_prepared(&self, _backend: &DB) -> QueryResult<bool> {
        Ok(true)
    }
}

impl<Q: QueryId> QueryId for Kept<Q> {
    // Only a statement whose SQL is fixed by its type has a static id; the
    // others are found by their SQL text.
    type QueryId = Q::QueryId;
    const HAS_STATIC_QUERY_ID: bool = Q::HAS_STATIC_QUERY_ID;
}

impl<Q: Query> Query for Kept<Q> {
    type SqlType = Q::SqlType;
}

impl<Q, Conn> RunQueryDsl<Conn> for Kept<Q> {}
