//! Page anchors: where every [`ANCHOR_EVERY`]-th row of a view stands, so
//! that a deep page of the Agents tab starts near its first row instead of
//! walking the sort index from the top. Without them page 1,000 of 2,000
//! walked 50,000 index entries: 5 ms on SQLite, 13-23 ms on PostgreSQL, and
//! ten times that with 16 admins paging at once.
//!
//! An anchor is the sort key of the row at position k × [`ANCHOR_EVERY`]
//! (0-based). A page at offset o starts at the anchor at or before it: the
//! rows whose sort key is at or after it, skipping fewer than
//! [`ANCHOR_EVERY`]. The key is bound as values, not read by a subquery:
//! SQLite narrows an index range by a whole row value only when it is given.
//!
//! Anchors are kept per company, two-factor filter and sort, together with
//! the company's list version (table `agent_list_versions`, kept by
//! triggers): an agent joining, leaving or changing a value that places them
//! in an order or a filter (status, factors) changes the version, and the
//! anchors are rebuilt on the next deep page. Each instance keeps its own; the version is in the database,
//! so every instance sees every change. The last-login order has no anchors:
//! logins move agents in it all day, so its version would never hold still.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use diesel::prelude::*;
use diesel::sql_types::{Nullable, Text};

use crate::agents::view::{Sort, SortColumn, TwoFactorFilter};
use crate::db::sql_text::SqlText;
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
    two_factor: Option<TwoFactorFilter>,
    sort: Sort,
}

#[derive(Debug, Clone, Default)]
struct Anchors {
    version: i64,
    /// `keys[k - 1]` is the sort key of the row at position k × ANCHOR_EVERY.
    keys: Vec<SortKey>,
}

/// The values of a row's sort key, one per column of [`SortColumn::keys`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SortKey(Vec<KeyValue>);

#[derive(Debug, Clone, PartialEq, Eq)]
enum KeyValue {
    Text(String),
    Integer(i64),
}

/// Where a page starts: at the row with this sort key, then `skip` rows further.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageStart {
    pub from: SortKey,
    pub skip: i64,
}

/// This instance's page anchors (cheap to clone: one shared map).
#[derive(Clone, Default)]
pub struct PageAnchors {
    views: Arc<Mutex<HashMap<ViewKey, Arc<Anchors>>>>,
}

/// A sort key as read: each value as text, at most three of them.
#[derive(QueryableByName)]
struct KeyRow {
    #[diesel(sql_type = Nullable<Text>)]
    k0: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    k1: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    k2: Option<String>,
}

impl SortKey {
    fn parse(sort: Sort, row: KeyRow) -> Option<SortKey> {
        let texts = [row.k0, row.k1, row.k2];
        let values = sort.column.keys().iter().zip(texts).map(|(column, text)| {
            let text = text?;
            Some(if SortColumn::key_is_integer(column) { KeyValue::Integer(text.parse().ok()?) } else { KeyValue::Text(text) })
        });
        values.collect::<Option<Vec<_>>>().map(SortKey)
    }
}

impl PageAnchors {
    /// Where the page at `offset` of this view (no search) starts, or `None`
    /// when it is near enough to the top, its order has no anchors, or the
    /// view has fewer rows than the offset.
    pub fn page_start(
        &self,
        conn: &mut DbConnection,
        company_id: &str,
        two_factor: Option<TwoFactorFilter>,
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
            _ => Arc::new(Anchors { version, keys: Vec::new() }),
        };
        if anchors.keys.len() < wanted {
            // Copied only to be extended; a page that finds its anchor built only reads.
            let extended = Arc::make_mut(&mut anchors);
            while extended.keys.len() < wanted {
                match next_anchor(conn, company_id, two_factor, sort, extended.keys.last())? {
                    Some(next) => extended.keys.push(next),
                    None => break,
                }
            }
            self.keep(key, anchors.clone());
        }
        Ok(anchors.keys.get(wanted - 1).map(|key| PageStart { from: key.clone(), skip: offset - wanted as i64 * ANCHOR_EVERY }))
    }

    fn keep(&self, key: ViewKey, anchors: Arc<Anchors>) {
        let Ok(mut views) = self.views.lock() else { return };
        if views.len() >= VIEWS_KEPT && !views.contains_key(&key) {
            // Rarely reached (512 deep-paged views): start over rather than track use.
            views.clear();
        }
        // Another request may have built further meanwhile: keep the longer list.
        match views.get(&key) {
            Some(kept) if kept.version == anchors.version && kept.keys.len() >= anchors.keys.len() => {}
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
        .get_result::<i64>(conn)
        .optional()?
        .unwrap_or(0))
}

/// The sort key of the row [`ANCHOR_EVERY`] rows after `after` (or at
/// position ANCHOR_EVERY from the top): one walk of that many index entries.
fn next_anchor(
    conn: &mut DbConnection,
    company_id: &str,
    two_factor: Option<TwoFactorFilter>,
    sort: Sort,
    after: Option<&SortKey>,
) -> QueryResult<Option<SortKey>> {
    let backend = conn.backend();
    let mut sql = SqlText::new(backend);
    let keys = sort.column.keys();
    let columns = (0..3)
        .map(|i| match keys.get(i) {
            Some(column) => format!("CAST(s.{column} AS TEXT) AS k{i}"),
            None => format!("CAST(NULL AS TEXT) AS k{i}"),
        })
        .collect::<Vec<_>>()
        .join(", ");
    sql.push(&format!("SELECT {columns} FROM agents s WHERE s.company_id = ")).text(company_id);
    if let Some(filter) = two_factor {
        sql.push(" AND ");
        push_two_factor_filter(&mut sql, "s", filter);
    }
    if let Some(after) = after {
        sql.push(" AND ");
        push_from_key(&mut sql, "s", sort, after);
    }
    sql.push(" ORDER BY ").push(&sort.order_by("s", backend));
    // Counted from the previous anchor, which is itself the first row here.
    sql.push(" LIMIT 1 OFFSET ").big_int(ANCHOR_EVERY);
    Ok(sql.into_query().get_result::<KeyRow>(conn).optional()?.and_then(|row| SortKey::parse(sort, row)))
}

/// `alias`'s row passes the two-factor filter. A status is one column of the
/// `agents_list_2fa_*` indexes; "has an app" is the first column of
/// `agents_list_app_name` after the company; "email only" is the enabled
/// status, then tested on the row (its email factor on, no app).
/// [`TwoFactorFilter::keeps`] is the same test on a group of the counters:
/// the two must stay in step (tests compare the totals with a count).
pub fn push_two_factor_filter(sql: &mut SqlText, alias: &str, filter: TwoFactorFilter) {
    match filter {
        TwoFactorFilter::Status(status) => {
            sql.push(&format!("{alias}.two_factor = ")).text(status.as_str());
        }
        TwoFactorFilter::App => {
            sql.push(&format!("{alias}.app_enabled = ")).bool(true);
        }
        TwoFactorFilter::EmailOnly => {
            sql.push(&format!("({alias}.two_factor = ")).text(TwoFactorStatus::Enabled.as_str());
            sql.push(&format!(" AND {alias}.email_two_factor = ")).text(TwoFactorStatus::Enabled.as_str());
            sql.push(&format!(" AND {alias}.app_enabled = ")).bool(false);
            sql.push(&format!(" AND {alias}.passkey_count = 0)"));
        }
        TwoFactorFilter::PhishingResistant => {
            sql.push(&format!("{alias}.passkey_count > 0"));
        }
        TwoFactorFilter::NotPhishingResistant => {
            sql.push(&format!("{alias}.passkey_count = 0"));
        }
    }
}

/// `alias`'s row has this sort key or comes after it in the sort: a range
/// of the sort index.
pub fn push_from_key(sql: &mut SqlText, alias: &str, sort: Sort, key: &SortKey) {
    let ours = sort.column.keys().iter().map(|column| format!("{alias}.{column}")).collect::<Vec<_>>().join(", ");
    let at_or_after = if sort.descending { "<=" } else { ">=" };
    sql.push(&format!("({ours}) {at_or_after} ("));
    for (i, value) in key.0.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        match value {
            KeyValue::Text(text) => sql.text(text.as_str()),
            KeyValue::Integer(number) => sql.big_int(*number),
        };
    }
    sql.push(")");
}
