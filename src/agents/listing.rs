//! The Agents tab's table (SPEC §2.4): filter, search, sort and pages, built
//! to stay fast with 100,000 agents in a company.
//!
//! How it stays fast (docs/PERFORMANCE.md has the measurements):
//! - every sort, alone and after the two-factor filter, has an index that
//!   returns the page in order and holds what the search test reads, so a
//!   page's ids come from the index alone ("deferred join"), then 50 rows;
//! - the totals, of every filter, are a few counters kept by triggers, not a count;
//! - a search is first counted through the name-word and email indexes, no
//!   further than [`NARROW_SEARCH_MAX`] matches. A narrow search then looks its
//!   matches up in a covering index by id and sorts them; a broad one walks the
//!   sort index and stops after the page, and only its first
//!   [`BROAD_SEARCH_SHOWN`] matches are paged;
//! - the trusted-computer counts of a page are 50 index probes in its query.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};

use crate::agents::anchors::{ANCHOR_EVERY, PageAnchors, push_two_factor_filter};
use crate::agents::list_sql::{Plan, RowsQuery, Window, push_id_in, push_match_predicate, push_matches, push_row_columns, push_rows_query};
use crate::db::sql_text::{SqlText, with_generic_plans};
use crate::agents::view::{
    AgentFilter, AgentGroup, AgentPage, AgentRow, BROAD_COUNT_BUDGET, BROAD_SEARCH_SHOWN, ListView, NARROW_SEARCH_MAX, PAGE_SIZE, Sort, Summary, Total,
    TwoFactorFilter,
};
use crate::db::schema::{agent_counts, agents};
use crate::db::{Backend, DbConnection};
use crate::domain::{SearchText, TwoFactorStatus};

/// The company's agents by active flag, two-factor status and factors: at
/// most 48 rows of counters that triggers keep (see migration 000180), not a
/// count of the agents.
pub fn summary(conn: &mut DbConnection, company_id: &str) -> QueryResult<Summary> {
    let groups: Vec<(bool, TwoFactorStatus, TwoFactorStatus, bool, bool, i32)> = agent_counts::table
        .filter(agent_counts::company_id.eq(company_id))
        .select((
            agent_counts::active,
            agent_counts::two_factor,
            agent_counts::email_two_factor,
            agent_counts::app_enabled,
            agent_counts::has_passkey,
            agent_counts::total,
        ))
        .load(conn)?;
    Ok(Summary::of(groups.into_iter().map(|(active, two_factor, email_two_factor, app_enabled, has_passkey, total)| {
        AgentGroup { active, two_factor, email_two_factor, app_enabled, has_passkey, total: i64::from(total) }
    })))
}

/// The same figures counted from the agents themselves: what the counters
/// must always equal (the tests compare the two).
pub fn summary_by_counting(conn: &mut DbConnection, company_id: &str) -> QueryResult<Summary> {
    let groups: Vec<(bool, TwoFactorStatus, TwoFactorStatus, bool, i32, i64)> = agents::table
        .filter(agents::company_id.eq(company_id))
        .group_by((agents::active, agents::two_factor, agents::email_two_factor, agents::app_enabled, agents::passkey_count))
        .select((agents::active, agents::two_factor, agents::email_two_factor, agents::app_enabled, agents::passkey_count, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(Summary::of(groups.into_iter().map(|(active, two_factor, email_two_factor, app_enabled, passkeys, total)| {
        AgentGroup { active, two_factor, email_two_factor, app_enabled, has_passkey: passkeys > 0, total }
    })))
}

/// The view's page of the company's agents.
pub fn list_page(conn: &mut DbConnection, anchors: &PageAnchors, company_id: &str, view: &ListView, now: NaiveDateTime) -> QueryResult<AgentPage> {
    list_page_with_limit(conn, anchors, company_id, view, now, NARROW_SEARCH_MAX)
}

/// [`list_page`] with the narrow-search threshold as a parameter, so tests can
/// check that both ways of answering a search return the same rows.
pub fn list_page_with_limit(
    conn: &mut DbConnection,
    anchors: &PageAnchors,
    company_id: &str,
    view: &ListView,
    now: NaiveDateTime,
    narrow_max: i64,
) -> QueryResult<AgentPage> {
    let summary = summary(conn, company_id)?;
    let filter = &view.filter;
    let offset = view.offset();
    let Some(search) = &filter.search else {
        let total = summary.rows_with(filter.two_factor);
        let query = RowsQuery::new(company_id, filter, view.sort, Plan::All);
        let rows = page_rows(conn, anchors, query, offset, total, now)?;
        return Ok(AgentPage { rows, total: Total::Exact(total), summary });
    };
    if let Some(matches) = matching_ids(conn, company_id, search, narrow_max)? {
        // Few matches: look them all up, filter and sort them; show the page.
        let ids = sorted_ids(conn, company_id, filter, view.sort, &matches)?;
        let total = Total::Exact(ids.len() as i64);
        let page: Vec<String> = ids.into_iter().skip(offset as usize).take(PAGE_SIZE as usize).collect();
        let rows = load_rows_by_id(conn, &page, view.sort, now)?;
        return Ok(AgentPage { rows, total, summary });
    }
    // Many matches: walk the sort index. Without a filter the count above
    // already says "at least". With one, a status held by few agents is
    // counted exactly; for a common one, counting would walk as far as the
    // page does again for a mere lower bound, so the page's rows are the bound.
    let total = match filter.two_factor {
        None => Total::AtLeast(narrow_max),
        Some(two_factor) if summary.rows_with(Some(two_factor)) <= BROAD_COUNT_BUDGET => {
            match count_broad_matches(conn, company_id, two_factor, search, narrow_max)? {
                n if n > narrow_max => Total::AtLeast(narrow_max),
                n => Total::Exact(n),
            }
        }
        Some(_) => Total::AtLeast(0),
    };
    let query = RowsQuery::new(company_id, filter, view.sort, Plan::Broad(search));
    let rows = match total {
        Total::Exact(n) => page_rows(conn, anchors, query, offset, n, now)?,
        Total::AtLeast(_) if offset < BROAD_SEARCH_SHOWN => load_rows(conn, query.window(PAGE_SIZE, offset), now)?,
        Total::AtLeast(_) => Vec::new(),
    };
    let total = match total {
        // A walk that found less than a page after some rows, or nothing from
        // the top, went to the end of the index: it counted every match.
        Total::AtLeast(_) if (rows.len() as i64) < PAGE_SIZE && (offset == 0 || !rows.is_empty()) => Total::Exact(offset + rows.len() as i64),
        // The rows this page shows are matches too.
        Total::AtLeast(n) => Total::AtLeast(n.max(offset + rows.len() as i64)),
        exact => exact,
    };
    Ok(AgentPage { rows, total, summary })
}

/// A page of a view whose total is known. A deep page of a view without a
/// search starts from a page anchor (see `agents::anchors`); otherwise a page
/// in the second half is read from the other end (the sort turned, then the
/// rows reversed), so no page walks more than half the index.
fn page_rows(
    conn: &mut DbConnection,
    anchors: &PageAnchors,
    query: RowsQuery<'_>,
    offset: i64,
    total: i64,
    now: NaiveDateTime,
) -> QueryResult<Vec<AgentRow>> {
    if offset >= total {
        return Ok(Vec::new());
    }
    let limit = PAGE_SIZE.min(total - offset);
    let near_the_end = total - offset - limit < ANCHOR_EVERY;
    if matches!(query.plan, Plan::All) && !near_the_end
        && let Some(start) = anchors.page_start(conn, query.company_id, query.filter.two_factor, query.sort, offset)? {
            let window = Window { limit, offset: start.skip, from_key: Some(&start.from) };
            return load_rows(conn, RowsQuery { window: Some(window), ..query }, now);
        }
    if offset <= total / 2 {
        return load_rows(conn, query.window(limit, offset), now);
    }
    let turned = RowsQuery { sort: Sort { descending: !query.sort.descending, ..query.sort }, ..query };
    let mut rows = load_rows(conn, turned.window(limit, total - offset - limit), now)?;
    rows.reverse();
    Ok(rows)
}

/// Rows per chunk of [`for_each_chunk`]: about 100 KiB of CSV.
pub const EXPORT_CHUNK: usize = 1000;

/// Hands every row of the filtered view, in its order, to `each`, at most
/// [`EXPORT_CHUNK`] rows at a time, so an export of 100,000 agents never holds
/// more than one chunk. The rows come from one query, so from one consistent
/// snapshot: SQLite steps its statement row by row; PostgreSQL (whose client
/// would otherwise receive the whole result at once) reads it through a
/// cursor in a read-only transaction.
pub fn for_each_chunk<E>(
    conn: &mut DbConnection,
    company_id: &str,
    filter: &AgentFilter,
    sort: Sort,
    now: NaiveDateTime,
    mut each: impl FnMut(Vec<AgentRow>) -> Result<(), E>,
) -> Result<(), E>
where
    E: From<diesel::result::Error>,
{
    let backend = conn.backend();
    let plan = export_plan(filter);
    match backend {
        Backend::Sqlite => {
            let mut sql = SqlText::new(backend);
            push_rows_query(&mut sql, RowsQuery::new(company_id, filter, sort, plan), now);
            let mut chunk = Vec::with_capacity(EXPORT_CHUNK);
            for row in sql.into_query().load_iter::<AgentRow, diesel::connection::DefaultLoadingMode>(conn)? {
                chunk.push(row?);
                if chunk.len() == EXPORT_CHUNK {
                    each(std::mem::replace(&mut chunk, Vec::with_capacity(EXPORT_CHUNK)))?;
                }
            }
            if chunk.is_empty() { Ok(()) } else { each(chunk) }
        }
        Backend::Postgres => conn.transaction(|conn| {
            diesel::sql_query("SET TRANSACTION READ ONLY").execute(conn)?;
            let mut sql = SqlText::new(backend);
            sql.push("DECLARE agents_export NO SCROLL CURSOR FOR ");
            push_rows_query(&mut sql, RowsQuery::new(company_id, filter, sort, plan), now);
            sql.into_query().execute(conn)?;
            loop {
                let rows: Vec<AgentRow> = diesel::sql_query(format!("FETCH FORWARD {EXPORT_CHUNK} FROM agents_export")).load(conn)?;
                if rows.is_empty() {
                    return Ok(());
                }
                each(rows)?;
            }
        }),
    }
}

/// Unpaged, one pass over the sort index, testing each entry against the
/// search, is the simpler way to read every row.
fn export_plan(filter: &AgentFilter) -> Plan<'_> {
    match &filter.search {
        None => Plan::All,
        Some(search) => Plan::Broad(search),
    }
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = Text)]
    id: String,
}

#[derive(QueryableByName)]
struct CountedId {
    #[diesel(sql_type = BigInt)]
    n: i64,
    #[diesel(sql_type = Nullable<Text>)]
    id: Option<String>,
}

/// The agents the search finds, ignoring the two-factor filter, through the
/// word and email indexes only; `None` when they are more than `limit` (the
/// search is broad). The two branches are disjoint; an agent with two name
/// words that begin with the same search word comes twice, which only makes
/// a search look broad a little early.
fn matching_ids(conn: &mut DbConnection, company_id: &str, search: &SearchText, limit: i64) -> QueryResult<Option<Vec<String>>> {
    let backend = conn.backend();
    let mut sql = SqlText::new(backend);
    let mut ids: Vec<String> = match backend {
        // Each id is a row sent over the network: a broad search's first
        // `limit + 1` are counted in the database instead. One statement
        // returns (count, NULL) when there are none or too many, else one
        // row per id.
        Backend::Postgres => {
            sql.push("WITH m AS MATERIALIZED (SELECT f.id AS id FROM (");
            push_matches(&mut sql, company_id, search, "UNION ALL");
            sql.push(") f LIMIT ").big_int(limit + 1);
            sql.push(") SELECT c.n AS n, m.id AS id FROM (SELECT COUNT(*) AS n FROM m) c LEFT JOIN m ON c.n <= ").big_int(limit);
            let rows = sql.into_query().load::<CountedId>(conn)?;
            if rows.first().is_some_and(|row| row.n > limit) {
                return Ok(None);
            }
            rows.into_iter().filter_map(|row| row.id).collect()
        }
        // In process, reading the ids costs less than keeping them to count.
        Backend::Sqlite => {
            sql.push("SELECT m.id AS id FROM (");
            push_matches(&mut sql, company_id, search, "UNION ALL");
            sql.push(") m LIMIT ").big_int(limit + 1);
            let ids: Vec<String> = sql.into_query().load::<Id>(conn)?.into_iter().map(|row| row.id).collect();
            if ids.len() as i64 > limit {
                return Ok(None);
            }
            ids
        }
    };
    ids.sort_unstable();
    ids.dedup();
    Ok(Some(ids))
}

/// These agents (a narrow search's matches), filtered and in the sort order.
/// Each is looked up in `agents_listing_by_id`, an index that holds all that
/// the filter and the sorts read, so the table itself is not touched.
fn sorted_ids(conn: &mut DbConnection, company_id: &str, filter: &AgentFilter, sort: Sort, ids: &[String]) -> QueryResult<Vec<String>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let backend = conn.backend();
    let mut sql = SqlText::new(backend);
    sql.push("SELECT s.id AS id FROM agents s");
    if backend == Backend::Sqlite {
        // SQLite's planner would rather walk the filter's sort index and test
        // each entry against the list (tens of thousands of entries); looking
        // up at most NARROW_SEARCH_MAX ids is what keeps this query small.
        sql.push(" INDEXED BY agents_listing_by_id");
    }
    sql.push(" WHERE ");
    push_id_in(&mut sql, "s.id", ids);
    sql.push(" AND s.company_id = ").text(company_id);
    if let Some(two_factor) = filter.two_factor {
        // The methods' columns are not in agents_listing_by_id: those
        // filters read the rows (at most NARROW_SEARCH_MAX of them).
        sql.push(" AND ");
        push_two_factor_filter(&mut sql, "s", two_factor);
    }
    sql.push(" ORDER BY ").push(&sort.order_by("s", backend));
    Ok(sql.into_query().load::<Id>(conn)?.into_iter().map(|row| row.id).collect())
}

/// How many agents a broad search finds among those the two-factor filter
/// keeps, for a filter that keeps at most [`BROAD_COUNT_BUDGET`] agents: walks
/// that filter's index entries and stops after `limit + 1` matches.
fn count_broad_matches(conn: &mut DbConnection, company_id: &str, two_factor: TwoFactorFilter, search: &SearchText, limit: i64) -> QueryResult<i64> {
    let mut sql = SqlText::new(conn.backend());
    sql.push("SELECT COUNT(*) AS n FROM (SELECT 1 AS hit FROM agents s WHERE s.company_id = ").text(company_id).push(" AND ");
    push_two_factor_filter(&mut sql, "s", two_factor);
    sql.push(" AND ");
    push_match_predicate(&mut sql, "s", search);
    // Ordered as agents_list_2fa_name (and agents_list_app_name) are, so
    // both backends walk that index.
    sql.push(" ORDER BY s.search_name, s.id LIMIT ").big_int(limit + 1).push(") m");
    Ok(sql.into_query().get_result::<Count>(conn)?.n)
}

/// The rows of these agents (at most a page), in the sort order.
fn load_rows_by_id(conn: &mut DbConnection, ids: &[String], sort: Sort, now: NaiveDateTime) -> QueryResult<Vec<AgentRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let backend = conn.backend();
    let mut sql = SqlText::new(backend);
    push_row_columns(&mut sql, now);
    sql.push(" FROM agents a WHERE ");
    push_id_in(&mut sql, "a.id", ids);
    sql.push(" ORDER BY ").push(&sort.order_by("a", backend));
    sql.into_query().load(conn)
}

/// A page of rows. When an index holds the view in its order, the plan is
/// the same for every company and page (walk it, testing each entry against
/// the search, and stop after the page): it is made once per connection.
fn load_rows(conn: &mut DbConnection, query: RowsQuery<'_>, now: NaiveDateTime) -> QueryResult<Vec<AgentRow>> {
    let mut sql = SqlText::new(conn.backend());
    push_rows_query(&mut sql, query, now);
    if query.walks_its_sort_index() {
        with_generic_plans(conn, |conn| sql.into_query().load(conn))
    } else {
        sql.into_query().load(conn)
    }
}

