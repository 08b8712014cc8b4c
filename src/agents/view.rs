//! The Agents tab's vocabulary: what a view of the table is (filter,
//! search, sort, page, parsed from the query string) and what a page of it
//! holds. The queries that answer a view are in `agents::listing`.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Integer, Nullable, Text, Timestamp};

use crate::db::Backend;
use crate::domain::{Role, SearchError, SearchText, TwoFactorStatus};
use crate::i18n::Tr;

/// Rows per page.
pub const PAGE_SIZE: i64 = 50;
/// A search with at most this many matches sorts all of them.
pub const NARROW_SEARCH_MAX: i64 = 1000;
/// A broader search pages through its first this many matches only.
pub const BROAD_SEARCH_SHOWN: i64 = 500;
/// A broad search with the two-factor filter counts its matches exactly when
/// at most this many agents have that status (about half a millisecond of
/// index entries); otherwise the page says "at least".
pub const BROAD_COUNT_BUDGET: i64 = 2_000;

/// A column of the table, as the `sort` parameter names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortColumn {
    Name,
    Email,
    Role,
    TwoFactor,
    TrustedComputers,
    LastLogin,
    Status,
}

impl SortColumn {
    pub const ALL: [SortColumn; 7] = [
        SortColumn::Name,
        SortColumn::Email,
        SortColumn::Role,
        SortColumn::TwoFactor,
        SortColumn::TrustedComputers,
        SortColumn::LastLogin,
        SortColumn::Status,
    ];

    /// The value of the `sort` parameter (descending adds a leading `-`).
    pub fn key(self) -> &'static str {
        match self {
            SortColumn::Name => "name",
            SortColumn::Email => "email",
            SortColumn::Role => "role",
            SortColumn::TwoFactor => "two_factor",
            SortColumn::TrustedComputers => "trusted_computers",
            SortColumn::LastLogin => "last_login",
            SortColumn::Status => "status",
        }
    }

    fn parse(key: &str) -> Option<SortColumn> {
        SortColumn::ALL.into_iter().find(|c| c.key() == key)
    }

    /// The columns of `agents` this order sorts by, most significant first;
    /// ties fall to the id so that pages never overlap (emails are unique).
    pub fn keys(self) -> &'static [&'static str] {
        match self {
            SortColumn::Name => &["search_name", "id"],
            SortColumn::Email => &["email"],
            SortColumn::Role => &["role", "search_name", "id"],
            SortColumn::TwoFactor => &["two_factor", "search_name", "id"],
            SortColumn::TrustedComputers => &["trusted_computer_count", "search_name", "id"],
            SortColumn::LastLogin => &["last_login_at", "id"],
            SortColumn::Status => &["status_rank", "search_name", "id"],
        }
    }

    /// Whether a column of [`SortColumn::keys`] holds numbers (the others hold text).
    pub(crate) fn key_is_integer(column: &str) -> bool {
        matches!(column, "trusted_computer_count" | "status_rank")
    }
}

/// A column and a direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Sort {
    pub column: SortColumn,
    pub descending: bool,
}

impl Default for Sort {
    fn default() -> Sort {
        Sort { column: SortColumn::Name, descending: false }
    }
}

impl Sort {
    /// `name` is ascending, `-name` descending.
    pub fn parse(raw: &str) -> Option<Sort> {
        let (descending, key) = match raw.strip_prefix('-') {
            Some(key) => (true, key),
            None => (false, raw),
        };
        SortColumn::parse(key).map(|column| Sort { column, descending })
    }

    pub fn as_param(self) -> String {
        if self.descending { format!("-{}", self.column.key()) } else { self.column.key().to_owned() }
    }

    /// The ORDER BY of this sort on the agents table aliased `alias`. Every
    /// key turns together, so one index serves both directions. A never-used
    /// last login sorts as the oldest on both backends.
    pub(crate) fn order_by(self, alias: &str, backend: Backend) -> String {
        let dir = if self.descending { "DESC" } else { "ASC" };
        self.column
            .keys()
            .iter()
            .map(|key| {
                let nulls = match (backend, *key, self.descending) {
                    (Backend::Postgres, "last_login_at", false) => " NULLS FIRST",
                    (Backend::Postgres, "last_login_at", true) => " NULLS LAST",
                    _ => "",
                };
                format!("{alias}.{key} {dir}{nulls}")
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The two-factor filter of the table: the overall status (SPEC §2.4), or
/// the methods an agent has (SPEC §7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TwoFactorFilter {
    /// `enabled`, `pending`, `disabled`: the overall status.
    Status(TwoFactorStatus),
    /// `email_only`: 2FA enabled by emailed codes alone (no authenticator app).
    EmailOnly,
    /// `app`: an authenticator app is on.
    App,
    /// `phishing_resistant`: at least one passkey or security key.
    PhishingResistant,
    /// `not_phishing_resistant`: no passkey (whatever else the agent has).
    NotPhishingResistant,
}

impl TwoFactorFilter {
    pub fn parse(raw: &str) -> Option<TwoFactorFilter> {
        match raw {
            "email_only" => Some(TwoFactorFilter::EmailOnly),
            "app" => Some(TwoFactorFilter::App),
            "phishing_resistant" => Some(TwoFactorFilter::PhishingResistant),
            "not_phishing_resistant" => Some(TwoFactorFilter::NotPhishingResistant),
            other => TwoFactorStatus::parse(other).map(TwoFactorFilter::Status),
        }
    }

    /// The value of the `two_factor` parameter.
    pub fn as_str(self) -> &'static str {
        match self {
            TwoFactorFilter::Status(status) => status.as_str(),
            TwoFactorFilter::EmailOnly => "email_only",
            TwoFactorFilter::App => "app",
            TwoFactorFilter::PhishingResistant => "phishing_resistant",
            TwoFactorFilter::NotPhishingResistant => "not_phishing_resistant",
        }
    }

    /// Whether the agents of this group pass the filter: what
    /// `agents::anchors::push_two_factor_filter` asks of a row, in Rust.
    pub fn keeps(self, group: &AgentGroup) -> bool {
        match self {
            TwoFactorFilter::Status(status) => group.two_factor == status,
            TwoFactorFilter::App => group.app_enabled,
            TwoFactorFilter::EmailOnly => {
                group.two_factor == TwoFactorStatus::Enabled
                    && group.email_two_factor == TwoFactorStatus::Enabled
                    && !group.app_enabled
                    && !group.has_passkey
            }
            TwoFactorFilter::PhishingResistant => group.has_passkey,
            TwoFactorFilter::NotPhishingResistant => !group.has_passkey,
        }
    }
}

impl From<TwoFactorStatus> for TwoFactorFilter {
    fn from(status: TwoFactorStatus) -> TwoFactorFilter {
        TwoFactorFilter::Status(status)
    }
}

/// Which agents the table shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AgentFilter {
    pub search: Option<SearchText>,
    pub two_factor: Option<TwoFactorFilter>,
}

/// A view of the table: what the query string of `/agents` says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListView {
    pub filter: AgentFilter,
    pub sort: Sort,
    /// 1-based.
    pub page: u32,
}

/// A query-string value that is not one the tab offers: the page answers 400.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ViewError {
    #[error("{}", crate::i18n::t("agents-error-two-factor-filter"))]
    TwoFactor,
    #[error("{}", crate::i18n::t("agents-error-sort"))]
    Sort,
    #[error("{}", crate::i18n::t("agents-error-page"))]
    Page,
    #[error(transparent)]
    Search(#[from] SearchError),
}

/// A query-string value, `None` when absent or blank.
fn given(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

impl ListView {
    /// Parses the query-string values; empty values mean "not given".
    pub fn parse(q: Option<&str>, two_factor: Option<&str>, sort: Option<&str>, page: Option<&str>) -> Result<ListView, ViewError> {
        let search = match q {
            Some(q) => SearchText::parse(q)?,
            None => None,
        };
        let two_factor = match given(two_factor) {
            Some(raw) => Some(TwoFactorFilter::parse(raw).ok_or(ViewError::TwoFactor)?),
            None => None,
        };
        let sort = match given(sort) {
            Some(raw) => Sort::parse(raw).ok_or(ViewError::Sort)?,
            None => Sort::default(),
        };
        let page = match given(page) {
            Some(raw) => raw.parse::<u32>().ok().filter(|p| *p >= 1).ok_or(ViewError::Page)?,
            None => 1,
        };
        Ok(ListView { filter: AgentFilter { search, two_factor }, sort, page })
    }

    /// The query string of this view (without the `?`), leaving out defaults,
    /// so links are short and bookmarkable.
    pub fn query_string(&self) -> String {
        let mut pairs = url::form_urlencoded::Serializer::new(String::new());
        if let Some(search) = &self.filter.search {
            pairs.append_pair("q", search.as_str());
        }
        if let Some(filter) = self.filter.two_factor {
            pairs.append_pair("two_factor", filter.as_str());
        }
        if self.sort != Sort::default() {
            pairs.append_pair("sort", &self.sort.as_param());
        }
        if self.page != 1 {
            pairs.append_pair("page", &self.page.to_string());
        }
        pairs.finish()
    }

    pub(crate) fn offset(&self) -> i64 {
        (i64::from(self.page) - 1) * PAGE_SIZE
    }
}


/// How many agents a company has, by status and second factors: the rows
/// of the company's counters (`agent_counts`, at most 48, kept by triggers),
/// from which every figure and filter total of the tab is a sum.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Sorted, so that two summaries of the same agents are equal.
    groups: Vec<AgentGroup>,
}

/// The agents who share an active flag, a two-factor status and a set of factors.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct AgentGroup {
    pub active: bool,
    pub two_factor: TwoFactorStatus,
    /// The emailed codes' own state (SPEC §7).
    pub email_two_factor: TwoFactorStatus,
    pub app_enabled: bool,
    pub has_passkey: bool,
    pub total: i64,
}

impl Summary {
    /// The summary of these groups; a group may come more than once (its totals add up).
    pub fn of(groups: impl IntoIterator<Item = AgentGroup>) -> Summary {
        let mut groups: Vec<AgentGroup> = groups.into_iter().filter(|group| group.total != 0).collect();
        groups.sort();
        groups.dedup_by(|later, kept| {
            let same = AgentGroup { total: kept.total, ..later.clone() } == *kept;
            if same {
                kept.total += later.total;
            }
            same
        });
        Summary { groups }
    }

    fn active_where(&self, keep: impl Fn(&AgentGroup) -> bool) -> i64 {
        self.groups.iter().filter(|group| group.active && keep(group)).map(|group| group.total).sum()
    }

    /// The M of "N of M agents have two-factor authentication enabled": the
    /// active agents (deactivated ones cannot sign in, so they do not count).
    pub fn active(&self) -> i64 {
        self.active_where(|_| true)
    }

    /// The N: active agents with 2FA enabled.
    pub fn enabled(&self) -> i64 {
        self.active_where(|group| group.two_factor == TwoFactorStatus::Enabled)
    }

    /// The N of "N of M agents use an authenticator app".
    pub fn with_app(&self) -> i64 {
        self.active_where(|group| group.app_enabled)
    }

    /// The N of "N of M agents use a passkey".
    pub fn with_passkey(&self) -> i64 {
        self.active_where(|group| group.has_passkey)
    }

    /// Every agent (deactivated ones too) the table shows with this two-factor filter.
    pub fn rows_with(&self, filter: Option<TwoFactorFilter>) -> i64 {
        self.groups.iter().filter(|group| filter.is_none_or(|filter| filter.keeps(group))).map(|group| group.total).sum()
    }
}

/// One line of the table.
#[derive(Debug, Clone, QueryableByName)]
pub struct AgentRow {
    #[diesel(sql_type = Text)]
    pub id: String,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Text)]
    pub email: String,
    #[diesel(sql_type = Text)]
    pub role: Role,
    #[diesel(sql_type = Text)]
    pub two_factor: TwoFactorStatus,
    #[diesel(sql_type = Bool)]
    pub active: bool,
    /// No password chosen yet: the agent was added by invitation.
    #[diesel(sql_type = Bool)]
    pub invited: bool,
    #[diesel(sql_type = Nullable<Timestamp>)]
    pub last_login_at: Option<NaiveDateTime>,
    /// Unexpired trusted computers.
    #[diesel(sql_type = BigInt)]
    pub trusted_computers: i64,
    #[diesel(sql_type = Nullable<Timestamp>)]
    pub invitation_expires_at: Option<NaiveDateTime>,
    /// The emailed-code factor alone.
    #[diesel(sql_type = Text)]
    pub email_two_factor: TwoFactorStatus,
    #[diesel(sql_type = Bool)]
    pub app_enabled: bool,
    #[diesel(sql_type = Integer)]
    pub recovery_codes_left: i32,
    #[diesel(sql_type = Integer)]
    pub passkey_count: i32,
}

impl AgentRow {
    /// The row of one agent already loaded (their own page).
    pub fn of(agent: &crate::db::models::Agent, trusted_computers: i64, invitation_expires_at: Option<NaiveDateTime>) -> AgentRow {
        AgentRow {
            id: agent.id.clone(),
            name: agent.name.clone(),
            email: agent.email.clone(),
            role: agent.role,
            two_factor: agent.two_factor,
            active: agent.active,
            invited: agent.is_invited(),
            last_login_at: agent.last_login_at,
            trusted_computers,
            invitation_expires_at,
            email_two_factor: agent.email_two_factor,
            app_enabled: agent.app_enabled,
            recovery_codes_left: agent.recovery_codes_left,
            passkey_count: agent.passkey_count,
        }
    }

    /// The emailed-code factor is confirmed.
    pub fn email_on(&self) -> bool {
        self.email_two_factor == TwoFactorStatus::Enabled
    }

    pub fn role(&self) -> Role {
        self.role
    }

    pub fn two_factor_status(&self) -> TwoFactorStatus {
        self.two_factor
    }
}

/// What the Agents tab and its CSV call a role, in the reader's language.
pub fn role_label(tr: &Tr, role: Role) -> String {
    match role {
        Role::Agent => tr.t("agents-role-agent"),
        Role::Admin => tr.t("agents-role-admin"),
    }
}

/// What the Agents tab and its CSV call a two-factor status, in the reader's language.
pub fn two_factor_label(tr: &Tr, status: TwoFactorStatus) -> String {
    match status {
        TwoFactorStatus::Enabled => tr.t("agents-two-factor-enabled"),
        TwoFactorStatus::Pending => tr.t("agents-two-factor-pending"),
        TwoFactorStatus::Disabled => tr.t("agents-two-factor-disabled"),
    }
}

/// How many rows the view has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Total {
    Exact(i64),
    /// A broad search: at least this many agents match (counting stopped
    /// there); its first [`BROAD_SEARCH_SHOWN`] matches are paged.
    AtLeast(i64),
}

impl Total {
    /// The number of pages the view offers (at least 1).
    pub fn pages(self) -> u32 {
        let rows = match self {
            Total::Exact(n) => n,
            Total::AtLeast(_) => BROAD_SEARCH_SHOWN,
        };
        u32::try_from(((rows + PAGE_SIZE - 1) / PAGE_SIZE).max(1)).unwrap_or(u32::MAX)
    }
}

/// A page of the table and what the tab shows around it.
#[derive(Debug, Clone)]
pub struct AgentPage {
    pub rows: Vec<AgentRow>,
    pub total: Total,
    pub summary: Summary,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn views_parse_and_print_their_query_string() {
        let view = ListView::parse(Some(" Ada "), Some("enabled"), Some("-last_login"), Some("3")).unwrap();
        assert_eq!(view.filter.two_factor, Some(TwoFactorFilter::Status(TwoFactorStatus::Enabled)));
        assert_eq!(view.sort, Sort { column: SortColumn::LastLogin, descending: true });
        assert_eq!(view.page, 3);
        assert_eq!(view.query_string(), "q=Ada&two_factor=enabled&sort=-last_login&page=3");
        assert_eq!(ListView::parse(None, Some(""), Some(""), Some("")).unwrap(), ListView { page: 1, ..Default::default() });
        assert_eq!(ListView::parse(None, None, None, None).unwrap().query_string(), "");
        for (raw, filter) in [("email_only", TwoFactorFilter::EmailOnly), ("app", TwoFactorFilter::App)] {
            let view = ListView::parse(None, Some(raw), None, None).unwrap();
            assert_eq!(view.filter.two_factor, Some(filter));
            assert_eq!(view.query_string(), format!("two_factor={raw}"));
        }
    }

    #[test]
    fn bad_view_values_are_refused() {
        assert_eq!(ListView::parse(None, Some("on"), None, None), Err(ViewError::TwoFactor));
        assert_eq!(ListView::parse(None, None, Some("password_hash"), None), Err(ViewError::Sort));
        assert_eq!(ListView::parse(None, None, Some("--name"), None), Err(ViewError::Sort));
        for page in ["0", "-1", "x", "99999999999"] {
            assert_eq!(ListView::parse(None, None, None, Some(page)), Err(ViewError::Page), "{page}");
        }
    }

    #[test]
    fn sorts_turn_every_key_and_place_never_as_oldest() {
        let sort = Sort { column: SortColumn::Role, descending: true };
        assert_eq!(sort.order_by("a", Backend::Sqlite), "a.role DESC, a.search_name DESC, a.id DESC");
        let login = Sort { column: SortColumn::LastLogin, descending: false };
        assert_eq!(login.order_by("a", Backend::Postgres), "a.last_login_at ASC NULLS FIRST, a.id ASC");
        assert_eq!(login.order_by("a", Backend::Sqlite), "a.last_login_at ASC, a.id ASC");
    }

    #[test]
    fn pages_cover_the_total() {
        assert_eq!(Total::Exact(0).pages(), 1);
        assert_eq!(Total::Exact(50).pages(), 1);
        assert_eq!(Total::Exact(51).pages(), 2);
        assert_eq!(Total::AtLeast(NARROW_SEARCH_MAX).pages(), (BROAD_SEARCH_SHOWN / PAGE_SIZE) as u32);
    }
}
