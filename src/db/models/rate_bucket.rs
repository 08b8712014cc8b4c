//! Rows of `rate_buckets`: the storage under `auth::throttle`. Every change is
//! a compare-and-swap on `version`, so the rules in `auth::throttle` hold when
//! several instances (or requests) touch one bucket at once, on both backends,
//! inside or outside the caller's transaction.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::rate_buckets;
use crate::db::sql_text::SqlText;

/// A bucket's stored state: the attempt times (Unix milliseconds, oldest
/// first, comma-separated) and the version to compare against when writing.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = rate_buckets)]
pub struct RateBucketRow {
    pub hits: String,
    pub version: i64,
}

pub fn find(conn: &mut DbConnection, purpose: &str, key: &str) -> QueryResult<Option<RateBucketRow>> {
    rate_buckets::table
        .find((purpose, key))
        .select(RateBucketRow::as_select())
        .get_result(conn)
        .optional()
}

/// Creates the bucket unless it exists; true when this call created it.
/// `ON CONFLICT DO NOTHING` (per backend: `MultiConnection` has no upsert)
/// keeps a concurrent creation from failing, and from aborting the caller's
/// PostgreSQL transaction as a unique violation would.
pub fn insert_if_absent(conn: &mut DbConnection, purpose: &str, key: &str, hits: &str, now: NaiveDateTime) -> QueryResult<bool> {
    let values = (
        rate_buckets::purpose.eq(purpose),
        rate_buckets::bucket_key.eq(key),
        rate_buckets::hits.eq(hits),
        rate_buckets::version.eq(1i64),
        rate_buckets::updated_at.eq(now),
    );
    let inserted = match conn {
        DbConnection::Sqlite(c) => diesel::insert_into(rate_buckets::table).values(values).on_conflict_do_nothing().execute(c)?,
        DbConnection::Postgres(c) => diesel::insert_into(rate_buckets::table).values(values).on_conflict_do_nothing().execute(c)?,
    };
    Ok(inserted == 1)
}

/// Writes new hits if the bucket is still at `version`; false when someone
/// else changed it first (the caller reads again and retries).
pub fn compare_and_swap(
    conn: &mut DbConnection,
    purpose: &str,
    key: &str,
    version: i64,
    hits: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    // SQL text, kept prepared (see `db::sql_text`): every login swaps a few buckets.
    let mut sql = SqlText::new(conn.backend());
    sql.push("UPDATE rate_buckets SET hits = ")
        .text(hits)
        .push(", version = ")
        .big_int(version + 1)
        .push(", updated_at = ")
        .timestamp(now)
        .push(" WHERE purpose = ")
        .text(purpose)
        .push(" AND bucket_key = ")
        .text(key)
        .push(" AND version = ")
        .big_int(version);
    Ok(sql.into_query().execute(conn)? == 1)
}

pub fn delete(conn: &mut DbConnection, purpose: &str, key: &str) -> QueryResult<()> {
    diesel::delete(rate_buckets::table.find((purpose, key))).execute(conn).map(|_| ())
}

/// Deletes the buckets of `purpose` not written since `before`.
pub fn delete_idle(conn: &mut DbConnection, purpose: &str, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(rate_buckets::table.filter(rate_buckets::purpose.eq(purpose)).filter(rate_buckets::updated_at.lt(before))).execute(conn)
}

/// Deletes the buckets of every purpose but `listed` not written since `before`.
pub fn delete_idle_except(conn: &mut DbConnection, listed: &[&str], before: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(rate_buckets::table.filter(rate_buckets::purpose.ne_all(listed)).filter(rate_buckets::updated_at.lt(before))).execute(conn)
}
