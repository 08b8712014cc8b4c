//! The SQL text of the Agents tab's queries: how a view's rows are found
//! ([`Plan`], [`RowsQuery`]) and the statements that find them, built on
//! [`SqlText`] with bound values. The queries that run them are in
//! `agents::listing`.

use chrono::NaiveDateTime;

use crate::agents::anchors::{self, SortKey};
use crate::db::sql_text::SqlText;
use crate::agents::view::{AgentFilter, Sort, SortColumn, TwoFactorFilter};
use crate::db::Backend;
use crate::domain::{SearchText, prefix_upper_bound};

/// How the rows of a view are found when paged by the database.
#[derive(Clone, Copy)]
pub(super) enum Plan<'a> {
    /// No search: walk the sort index.
    All,
    /// Many matches: walk the sort index, testing each entry.
    Broad(&'a SearchText),
}

/// One query of a view's rows, in its order.
#[derive(Clone, Copy)]
pub(super) struct RowsQuery<'a> {
    pub(super) company_id: &'a str,
    pub(super) filter: &'a AgentFilter,
    pub(super) sort: Sort,
    pub(super) plan: Plan<'a>,
    /// A page; `None` reads every row (the export).
    pub(super) window: Option<Window<'a>>,
}

impl<'a> RowsQuery<'a> {
    pub(super) fn new(company_id: &'a str, filter: &'a AgentFilter, sort: Sort, plan: Plan<'a>) -> RowsQuery<'a> {
        RowsQuery { company_id, filter, sort, plan, window: None }
    }

    /// The page of `limit` rows after the first `offset`.
    pub(super) fn window(self, limit: i64, offset: i64) -> RowsQuery<'a> {
        RowsQuery { window: Some(Window { limit, offset, from_key: None }), ..self }
    }

    /// Whether an index holds the view's rows in its order (the migrations'
    /// `agents_list_*` and `agents_list_2fa_*`, and `agents_list_app_name`),
    /// so walking it and stopping after the page is the one right plan for
    /// any company, large or small, and any page. The other filters have no
    /// such index: their best plan depends on how many agents they keep.
    pub(super) fn walks_its_sort_index(&self) -> bool {
        match self.filter.two_factor {
            None | Some(TwoFactorFilter::Status(_)) => true,
            Some(TwoFactorFilter::App) => self.sort.column == SortColumn::Name,
            Some(TwoFactorFilter::EmailOnly | TwoFactorFilter::PhishingResistant | TwoFactorFilter::NotPhishingResistant) => false,
        }
    }
}

#[derive(Clone, Copy)]
pub(super) struct Window<'a> {
    pub(super) limit: i64,
    pub(super) offset: i64,
    /// The offset counts from this sort key (a page anchor) instead of the top.
    pub(super) from_key: Option<&'a SortKey>,
}

/// `column` is one of these ids. On PostgreSQL the ids are one bound value,
/// split by the server, so the statement's text is the same for any list and
/// stays prepared (parsing and planning a list of hundreds of values cost as
/// much as running it). SQLite prepares in microseconds: there each id is a
/// bound value of an `IN` list, not kept.
pub(super) fn push_id_in(sql: &mut SqlText, column: &str, ids: &[String]) {
    match sql.backend() {
        Backend::Postgres => {
            // Public ids are letters and digits (domain::new_public_id): a
            // comma cannot be part of one.
            debug_assert!(ids.iter().all(|id| !id.contains(',')));
            sql.push(&format!("{column} = ANY(string_to_array(")).text(ids.join(",")).push(", ','))");
        }
        Backend::Sqlite => {
            sql.not_kept();
            sql.push(&format!("{column} IN ("));
            for (i, id) in ids.iter().enumerate() {
                if i > 0 {
                    sql.push(", ");
                }
                sql.text(id.as_str());
            }
            sql.push(")");
        }
    }
}

/// Searches of at most this many words keep their statements prepared.
/// A search's text follows the number of its words only (every word is a
/// bound value), so these are a few texts per view, and PostgreSQL no
/// longer plans a search on every request. Longer searches (three to
/// `MAX_SEARCH_WORDS` words) are rare: they are planned each time, which
/// keeps the number of kept texts small.
pub(super) const KEPT_SEARCH_WORDS: usize = 2;

fn keep_if_few_words(sql: &mut SqlText, search: &SearchText) {
    if search.words().len() > KEPT_SEARCH_WORDS {
        sql.not_kept();
    }
}

/// The ids of the agents a search finds, through indexes only: agents having
/// a name word that begins with each search word, and, disjoint from those,
/// agents whose email begins with the search text.
///
/// The name branch reads the fewest index entries it can:
/// - one search word (after [`unimplied_words`]): the range of that word
///   prefix in `agent_name_words`;
/// - two: the pairs of name words that begin with both, in
///   `agent_name_pairs`: under each distinct word beginning with the longer
///   (a longer prefix has fewer), the range of the shorter;
/// - more (rare): the range of the longest, each entry tested for the others
///   on the whole name it carries.
pub(super) fn push_matches(sql: &mut SqlText, company_id: &str, search: &SearchText, union: &str) {
    keep_if_few_words(sql, search);
    let words = unimplied_words(search);
    match words.as_slice() {
        [] => {}
        [driver] => {
            push_word_range(sql, company_id, driver);
            sql.push(" ").push(union).push(" ");
        }
        [driver, other] => {
            push_pair_ranges(sql, company_id, driver, other);
            sql.push(" ").push(union).push(" ");
        }
        [driver, others @ ..] => {
            push_word_range(sql, company_id, driver);
            sql.push(" AND ");
            push_name_predicate(sql, "w", others.iter().copied());
            sql.push(" ").push(union).push(" ");
        }
    }
    let email = search.email_prefix();
    sql.push("SELECT e.id AS id FROM agents e WHERE e.company_id = ").text(company_id).push(" AND ");
    push_prefix_test(sql, "e.email", email);
    if !words.is_empty() {
        sql.push(" AND NOT ");
        push_name_predicate(sql, "e", words.iter().copied());
    }
}

/// The search words a name must be tested for, longest first: a word that
/// begins another search word ("ann" of "ann annabel") is found wherever the
/// longer one is, by the same name word.
fn unimplied_words(search: &SearchText) -> Vec<&String> {
    let all = search.words();
    let mut words: Vec<&String> = all.iter().filter(|word| !all.iter().any(|longer| longer != *word && longer.starts_with(word.as_str()))).collect();
    words.sort_by_key(|word| std::cmp::Reverse(word.chars().count()));
    words
}

/// The name words that begin with `prefix`, as `w`.
fn push_word_range(sql: &mut SqlText, company_id: &str, prefix: &str) {
    sql.push("SELECT w.agent_id AS id FROM agent_name_words w WHERE w.company_id = ").text(company_id).push(" AND ");
    push_prefix_test(sql, "w.word", prefix);
}

/// The names holding a word that begins with `driver` and another that
/// begins with `other`. The distinct words of the driver's range are found
/// one index probe each (a loose index scan, written as a recursive query:
/// neither backend does it by itself); under each, the pairs are the range of
/// `other`.
fn push_pair_ranges(sql: &mut SqlText, company_id: &str, driver: &str, other: &str) {
    let driver_end = prefix_upper_bound(driver);
    sql.push("SELECT p.agent_id AS id FROM (WITH RECURSIVE d (word) AS (SELECT (SELECT x.word FROM agent_name_words x WHERE x.company_id = ")
        .text(company_id)
        .push(" AND x.word >= ")
        .text(driver)
        .push(" AND x.word < ")
        .text(driver_end.clone())
        .push(" ORDER BY x.word LIMIT 1) UNION ALL SELECT (SELECT x.word FROM agent_name_words x WHERE x.company_id = ")
        .text(company_id)
        .push(" AND x.word > d.word AND x.word < ")
        .text(driver_end)
        .push(" ORDER BY x.word LIMIT 1) FROM d WHERE d.word IS NOT NULL) SELECT d.word FROM d WHERE d.word IS NOT NULL) d \
               CROSS JOIN agent_name_pairs p WHERE p.company_id = ")
        .text(company_id)
        .push(" AND p.word = d.word AND ");
    push_prefix_test(sql, "p.other", other);
}

/// True when each of these search words begins a word of the name: on one
/// index entry, the same test as the word index answers. Comparisons and a plain
/// substring search only: building `' ' || name` for every entry walked made
/// the test half again as slow.
pub(super) fn push_name_predicate<'w>(sql: &mut SqlText, alias: &str, words: impl IntoIterator<Item = &'w String>) {
    let find = position_function(sql.backend());
    sql.push("(");
    for (i, word) in words.into_iter().enumerate() {
        if i > 0 {
            sql.push(" AND ");
        }
        // The first word of "ada lovelace" begins with "ada"; a later one
        // follows a space: the name contains " lov".
        sql.push("(");
        push_prefix_test(sql, &format!("{alias}.search_name"), word);
        sql.push(&format!(" OR {find}({alias}.search_name, ")).text(format!(" {word}")).push(") > 0)");
    }
    sql.push(")");
}

/// `column` begins with `prefix`: a range in the byte order both backends
/// compare these columns in.
pub(super) fn push_prefix_test(sql: &mut SqlText, column: &str, prefix: &str) {
    sql.push(&format!("({column} >= ")).text(prefix).push(&format!(" AND {column} < ")).text(prefix_upper_bound(prefix)).push(")");
}

/// The same test as [`push_matches`], on one entry of a sort index.
pub(super) fn push_match_predicate(sql: &mut SqlText, alias: &str, search: &SearchText) {
    keep_if_few_words(sql, search);
    sql.push("(");
    if !search.words().is_empty() {
        push_name_predicate(sql, alias, search.words());
        sql.push(" OR ");
    }
    push_prefix_test(sql, &format!("{alias}.email"), search.email_prefix());
    sql.push(")");
}

/// The substring search of each dialect. A comparison of its result, unlike
/// LIKE, gets PostgreSQL's default selectivity, so the planner walks the sort
/// index and stops after the page instead of sorting every candidate.
pub(super) fn position_function(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "instr",
        Backend::Postgres => "strpos",
    }
}

/// The columns of a table row, from `agents a`. The trusted computers still
/// valid are counted by an index probe, only for an agent who has any (the
/// kept count includes expired ones until they are swept); an invitation is
/// looked up only for an agent who has no password yet, the only one it is
/// shown for. Most rows need neither probe: a page read half as many blocks.
pub(super) fn push_row_columns(sql: &mut SqlText, now: NaiveDateTime) {
    sql.push(
        "SELECT a.id, a.name, a.email, a.role, a.two_factor, a.email_two_factor, a.app_enabled, a.recovery_codes_left, a.passkey_count, \
         a.active, a.password_hash IS NULL AS invited, a.last_login_at, \
         CASE WHEN a.trusted_computer_count = 0 THEN 0 \
         ELSE (SELECT COUNT(*) FROM trusted_computers t WHERE t.agent_id = a.id AND t.expires_at > ",
    )
    .timestamp(now)
    .push(
        ") END AS trusted_computers, \
         CASE WHEN a.password_hash IS NULL THEN (SELECT i.expires_at FROM invitations i WHERE i.agent_id = a.id) END AS invitation_expires_at",
    );
}

/// The query of the view's rows, in its order: a window of them (a page) or
/// all of them (the export).
pub(super) fn push_rows_query(sql: &mut SqlText, query: RowsQuery<'_>, now: NaiveDateTime) {
    let backend = sql.backend();
    let RowsQuery { company_id, filter, sort, plan, window } = query;
    push_row_columns(sql, now);
    // A page: its ids from the sort index alone, then only those rows are
    // read. Every row (the export): one walk of the sort index.
    let alias = if window.is_some() { "s" } else { "a" };
    if window.is_some() {
        sql.push(" FROM (SELECT s.id FROM agents s");
    } else {
        sql.push(" FROM agents a");
    }
    sql.push(&format!(" WHERE {alias}.company_id = ")).text(company_id);
    if let Some(two_factor) = filter.two_factor {
        sql.push(" AND ");
        anchors::push_two_factor_filter(sql, alias, two_factor);
    }
    if let Plan::Broad(search) = plan {
        sql.push(" AND ");
        push_match_predicate(sql, alias, search);
    }
    if let Some(key) = window.and_then(|w| w.from_key) {
        sql.push(" AND ");
        anchors::push_from_key(sql, alias, sort, key);
    }
    sql.push(" ORDER BY ").push(&sort.order_by(alias, backend));
    if let Some(window) = window {
        sql.push(" LIMIT ").big_int(window.limit).push(" OFFSET ").big_int(window.offset);
        match backend {
            // Each of the page's ids is one probe of the primary key. The
            // generic plan PostgreSQL may run this with (see
            // `db::sql_text::with_generic_plans`) guesses a tenth of the agents for
            // an unknown LIMIT, and would hash-join every row against them;
            // a LATERAL subquery with OFFSET 0 cannot be turned into that join.
            Backend::Postgres => sql.push(") p CROSS JOIN LATERAL (SELECT * FROM agents r WHERE r.id = p.id OFFSET 0) a"),
            Backend::Sqlite => sql.push(") p CROSS JOIN agents a WHERE a.id = p.id"),
        };
        sql.push(" ORDER BY ").push(&sort.order_by("a", backend));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Backend;

    fn matches_sql(search: &str) -> SqlText {
        let mut sql = SqlText::new(Backend::Postgres);
        push_matches(&mut sql, "company", &SearchText::parse(search).unwrap().unwrap(), "UNION ALL");
        sql
    }

    #[test]
    fn a_search_of_few_words_is_one_kept_text_whatever_its_words() {
        // The words are bound values: the texts the connection keeps are as
        // many as the word counts up to KEPT_SEARCH_WORDS, not as the searches.
        for (one, other) in [("ada", "mary"), ("ada lovelace", "grace hopper")] {
            let (one, other) = (matches_sql(one), matches_sql(other));
            assert!(one.is_kept() && other.is_kept());
            assert_eq!(one.to_sql(), other.to_sql());
        }
        assert!(!matches_sql("ada king lovelace").is_kept());
    }

    #[test]
    fn a_word_that_begins_another_is_not_searched_for_and_two_words_read_the_pairs() {
        let words = |search: &str| {
            let search = SearchText::parse(search).unwrap().unwrap();
            unimplied_words(&search).into_iter().cloned().collect::<Vec<String>>()
        };
        assert_eq!(words("ann annabel"), ["annabel"]);
        assert_eq!(words("grace hopper"), ["hopper", "grace"]);
        assert_eq!(words("ann annabel lee"), ["annabel", "lee"]);
        assert_eq!(words("a b c"), ["a", "b", "c"]);
        assert!(matches_sql("grace hopper").to_sql().contains("agent_name_pairs"));
        assert!(!matches_sql("ann annabel").to_sql().contains("agent_name_pairs"));
        assert!(!matches_sql("ada king lovelace").to_sql().contains("agent_name_pairs"));
    }
}
