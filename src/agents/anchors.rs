//! Page anchors: where every [`ANCHOR_EVERY`]-th row of a view stands, so
//! that a deep page of the Agents tab starts near its first row instead of
//! walking the sort index from the top. Without them page 1,000 of 2,000
//! walked 50,000 index entries: 5 ms on SQLite, 13-23 ms on PostgreSQL, and
//! ten times that with 16 admins paging at once.
//!
//! An anchor is the id of the row at position k × [`ANCHOR_EVERY`] (0-based).
//! A page at offset o starts at the anchor at or before it: the rows whose
//! sort key is at or after that row's, skipping fewer than [`ANCHOR_EVERY`].
//!
//! Anchors are kept per company, two-factor filter and sort, together with
//! the company's list version (table `agent_list_versions`, kept by
//! triggers): an agent joining, leaving or changing a value that places them
//! in an order changes the version, and the anchors are rebuilt on the next
//! deep page. Each instance keeps its own; the version is in the database,
//! so every instance sees every change. The last-login order has no anchors:
//! logins move agents in it all day, so its version would never hold still.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use diesel::prelude::*;
use diesel::sql_types::Text;

use crate::agents::listing::{Sort, SortColumn};
use crate::agents::sql::SqlText;
use crate::db::DbConnection;
use crate::db::schema::agent_list_versions;
use crate::domain::TwoFactorStatus;

/// Rows between two anchors: the most rows a page walks past its anchor.
pub const ANCHOR_EVERY: i64 = 1000;

/// Views whose anchors an instance keeps (a few bytes per 1,000 agents each).
const VIEWS_KEPT: usize = 512;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct ViewKey {
    company_id: String,
    two_factor: Option<TwoFactorStatus>,
    sort: Sort,
}

#[derive(Debug, Clone, Default)]
struct Anchors {
    version: i64,
    /// `ids[k - 1]` is the row at position k × ANCHOR_EVERY.
    ids: Vec<String>,
}

/// Where a page starts: at this row, then `skip` rows further.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageStart {
    pub anchor_id: String,
    pub skip: i64,
}

/// This instance's page anchors (cheap to clone: one shared map).
#[derive(Clone, Default)]
pub struct PageAnchors {
    views: Arc<Mutex<HashMap<ViewKey, Anchors>>>,
}

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = Text)]
    id: String,
}

impl PageAnchors {
    /// Where the page at `offset` of this view (no search) starts, or `None`
    /// when it is near enough to the top, its order has no anchors, or the
    /// view has fewer rows than the offset.
    pub fn page_start(
        &self,
        conn: &mut DbConnection,
        company_id: &str,
        two_factor: Option<TwoFactorStatus>,
        sort: Sort,
        offset: i64,
    ) -> QueryResult<Option<PageStart>> {
        let wanted = usize::try_from(offset / ANCHOR_EVERY).unwrap_or(0);
        if wanted == 0 || sort.column == SortColumn::LastLogin {
            return Ok(None);
        }
        let version = list_version(conn, company_id)?;
        let key = ViewKey { company_id: company_id.to_owned(), two_factor, sort };
        let mut anchors = match self.views.lock().ok().and_then(|views| views.get(&key).cloned()) {
            Some(kept) if kept.version == version => kept,
            _ => Anchors { version, ids: Vec::new() },
        };
        let known = anchors.ids.len();
        while anchors.ids.len() < wanted {
            match next_anchor(conn, company_id, two_factor, sort, anchors.ids.last().map(String::as_str))? {
                Some(id) => anchors.ids.push(id),
                None => break,
            }
        }
        let start = anchors.ids.get(wanted - 1).map(|id| PageStart { anchor_id: id.clone(), skip: offset - wanted as i64 * ANCHOR_EVERY });
        if anchors.ids.len() > known {
            self.keep(key, anchors);
        }
        Ok(start)
    }

    fn keep(&self, key: ViewKey, anchors: Anchors) {
        let Ok(mut views) = self.views.lock() else { return };
        if views.len() >= VIEWS_KEPT && !views.contains_key(&key) {
            // Rarely reached (512 deep-paged views): start over rather than track use.
            views.clear();
        }
        // Another request may have built further meanwhile: keep the longer list.
        match views.get(&key) {
            Some(kept) if kept.version == anchors.version && kept.ids.len() >= anchors.ids.len() => {}
            _ => {
                views.insert(key, anchors);
            }
        }
    }
}

/// The company's list version; 0 before its first agent.
pub fn list_version(conn: &mut DbConnection, company_id: &str) -> QueryResult<i64> {
    Ok(agent_list_versions::table
        .find(company_id)
        .select(agent_list_versions::version)
        .first::<i64>(conn)
        .optional()?
        .unwrap_or(0))
}

/// The id of the row [`ANCHOR_EVERY`] rows after `after` (or at position
/// ANCHOR_EVERY from the top): one walk of that many index entries.
fn next_anchor(
    conn: &mut DbConnection,
    company_id: &str,
    two_factor: Option<TwoFactorStatus>,
    sort: Sort,
    after: Option<&str>,
) -> QueryResult<Option<String>> {
    let backend = conn.backend();
    let mut sql = SqlText::new(backend);
    sql.push("SELECT s.id AS id FROM agents s WHERE s.company_id = ").text(company_id);
    if let Some(status) = two_factor {
        sql.push(" AND s.two_factor = ").text(status.as_str());
    }
    if let Some(after) = after {
        sql.push(" AND ");
        push_from_row(&mut sql, "s", sort, after);
    }
    sql.push(" ORDER BY ").push(&sort.order_by("s", backend));
    // From the top the anchor is row ANCHOR_EVERY itself; after an anchor, the
    // rows counted start at that anchor.
    sql.push(" LIMIT 1 OFFSET ").big_int(ANCHOR_EVERY);
    Ok(sql.into_query().get_result::<Id>(conn).optional()?.map(|row| row.id))
}

/// `alias`'s row is this row or comes after it in the sort: a range of the
/// sort index, from the row's current sort key.
pub fn push_from_row(sql: &mut SqlText, alias: &str, sort: Sort, row_id: &str) {
    let keys = sort.column.keys();
    let ours = keys.iter().map(|key| format!("{alias}.{key}")).collect::<Vec<_>>().join(", ");
    let theirs = keys.iter().map(|key| format!("r.{key}")).collect::<Vec<_>>().join(", ");
    let at_or_after = if sort.descending { "<=" } else { ">=" };
    sql.push(&format!("({ours}) {at_or_after} (SELECT {theirs} FROM agents r WHERE r.id = ")).text(row_id).push(")");
}
