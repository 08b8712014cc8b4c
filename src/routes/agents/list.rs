//! `/agents` and `/agents.csv`: the table of the company's agents (filter,
//! search, sort, pages), its summary line, and the policy form under it.

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::NaiveDateTime;
use serde::Deserialize;

use crate::agents::listing;
use crate::agents::view::{self, AgentPage, AgentRow, ListView, SortColumn, Total, role_label, two_factor_label};
use crate::agents::policy::{self, AgentFactors, ServerLimits, TwoFactorRequirement};
use crate::agents::csv;
use crate::db::models::Company;
use crate::domain::{AdminFactorRule, FactorsAllowed, Role, TwoFactorStatus};
use crate::error::AppError;
use crate::i18n::{Language, Tr, arg};
use crate::state::AppState;
use crate::web::layout::render_with_status;
use crate::web::streaming;
use crate::web::{Admin, Layout, SignedIn};
use crate::routes::notice_text;
use super::format_count;

/// A column header: a link that sorts by it (or turns the direction).
struct Header {
    label: String,
    href: String,
    /// `ascending` / `descending` on the sorted column, for aria-sort.
    aria_sort: Option<&'static str>,
    /// ▲ or ▼ on the sorted column.
    arrow: &'static str,
}

/// A table row as the page shows it.
pub(super) struct RowView {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) email: String,
    pub(super) role: String,
    pub(super) two_factor: String,
    /// The badge's CSS class: enabled, pending or disabled.
    pub(super) two_factor_class: &'static str,
    /// The agent's methods, "App · Email · 7 codes" (empty without any).
    pub(super) methods: String,
    /// "Not compliant" (policy in force) or "Due 31 December 2026" (grace period).
    pub(super) compliance: Option<String>,
    pub(super) trusted_computers: i64,
    pub(super) last_login: String,
    pub(super) status: String,
    pub(super) status_class: &'static str,
}

impl RowView {
    /// The row in the reader's language, its times in their zone.
    pub(super) fn new(tr: &Tr, row: &AgentRow, company: &Company, now: NaiveDateTime) -> RowView {
        let status = row.two_factor_status();
        let factors = AgentFactors {
            status,
            email_on: row.email_on(),
            app_enabled: row.app_enabled,
            passkey: row.passkey_count > 0,
            is_admin: row.role() == Role::Admin,
        };
        let compliance = if row.active {
            match policy::requirement_for(company, &factors, now) {
                TwoFactorRequirement::Enforced { .. } => Some(tr.t("agents-not-compliant")),
                TwoFactorRequirement::Grace { from, .. } => Some(tr.t1("agents-due", "date", tr.date(from))),
                TwoFactorRequirement::NotRequired | TwoFactorRequirement::Met => None,
            }
        } else {
            None
        };
        let (status_text, status_class) = match (row.active, row.invited, row.invitation_expires_at) {
            (false, _, _) => (tr.t("agents-status-deactivated"), "deactivated"),
            (true, true, Some(expires)) if expires > now => (tr.t("agents-status-invited"), "invited"),
            (true, true, _) => (tr.t("agents-status-invited-no-link"), "invited"),
            (true, false, _) => (tr.t("agents-status-active"), "active"),
        };
        RowView {
            id: row.id.clone(),
            name: row.name.clone(),
            email: row.email.clone(),
            role: role_label(tr, row.role()),
            two_factor: two_factor_label(tr, status),
            two_factor_class: status.as_str(),
            methods: methods(tr, row, company),
            compliance,
            trusted_computers: row.trusted_computers,
            last_login: tr.short_date_time_or_never(row.last_login_at),
            status: status_text,
            status_class,
        }
    }
}

/// "2 passkeys · App · Email · 7 codes": the second factors the agent has.
/// Factors that the company no longer counts say so.
pub(super) fn methods(tr: &Tr, row: &AgentRow, company: &Company) -> String {
    let allowed = company.factors_allowed();
    let mut parts: Vec<String> = Vec::new();
    if row.passkey_count > 0 {
        parts.push(tr.t1("agents-method-passkeys", "count", row.passkey_count));
    }
    if row.app_enabled {
        parts.push(if allowed.counts_app() { tr.t("agents-method-app") } else { tr.t("agents-method-app-not-counted") });
    }
    if row.email_on() {
        parts.push(if allowed.counts_email() { tr.t("agents-method-email") } else { tr.t("agents-method-email-not-counted") });
    }
    if row.recovery_codes_left > 0 {
        parts.push(tr.t1("agents-method-codes", "count", row.recovery_codes_left));
    }
    parts.join(" · ")
}

/// The policy form, filled with the company's current values.
struct PolicyView {
    require_two_factor: bool,
    grace_until: String,
    trusted_days: Vec<(u32, bool)>,
    admins_always_enter_code: bool,
    /// The "Second factors allowed" choice's form value.
    factors_allowed: &'static str,
    admins_must_use_app: bool,
    admins_must_use_passkey: bool,
    server_trusted_days: u32,
    /// Empty: the server's setting.
    session_idle_minutes: String,
    session_absolute_hours: String,
    server: ServerLimits,
    /// The admin has not enabled 2FA: turning the requirement on applies to them too.
    admin_without_two_factor: bool,
    /// Every language's code and own name ("pl", "Polski"), and whether it is the company's.
    languages: Vec<(&'static str, String, bool)>,
    /// Every zone the form offers, and whether it is the company's.
    time_zones: Vec<(&'static str, bool)>,
}

impl PolicyView {
    fn new(signed_in: &SignedIn, server: ServerLimits) -> PolicyView {
        let server_trusted_days = server.trusted_days;
        let company = &signed_in.company;
        let current = policy::effective_trusted_days(company, server_trusted_days);
        PolicyView {
            require_two_factor: company.require_two_factor,
            // The date field's value: always ISO 8601, whatever the language.
            grace_until: company.two_factor_grace_until.map(|from| from.date().to_string()).unwrap_or_default(),
            trusted_days: policy::trusted_days_choices(server_trusted_days).into_iter().map(|d| (d, d == current)).collect(),
            admins_always_enter_code: company.admins_always_enter_code,
            factors_allowed: company.factors_allowed().form_value(),
            admins_must_use_app: company.admins_must_use_app,
            admins_must_use_passkey: company.admins_must_use_passkey,
            server_trusted_days,
            session_idle_minutes: company.session_idle_minutes.map(|n| n.to_string()).unwrap_or_default(),
            session_absolute_hours: company.session_absolute_hours.map(|n| n.to_string()).unwrap_or_default(),
            server,
            admin_without_two_factor: signed_in.agent.two_factor_status() != TwoFactorStatus::Enabled,
            languages: {
                let current = Language::from_stored(&company.language);
                Language::ALL.into_iter().map(|language| (language.code(), language.own_name(), language == current)).collect()
            },
            time_zones: crate::i18n::time_zones().map(|zone| (zone, zone == company.time_zone)).collect(),
        }
    }
}

#[derive(Template)]
#[template(path = "agents.html")]
struct AgentsPage {
    layout: Layout,
    /// "N of M agents have two-factor authentication enabled".
    summary_enabled: String,
    /// Active agents with an authenticator app.
    summary_app: String,
    /// Active agents with a passkey.
    summary_passkey: String,
    policy_line: Option<String>,
    /// Email is not getting through (the outbox worker's last failure).
    mail_warning: Option<String>,
    search: String,
    two_factor: String,
    sort: String,
    headers: Vec<Header>,
    rows: Vec<RowView>,
    showing: String,
    page: u32,
    pages: u32,
    previous_href: Option<String>,
    next_href: Option<String>,
    csv_href: String,
    policy: PolicyView,
    policy_error: Option<String>,
}

#[derive(Deserialize)]
pub struct AgentsQuery {
    q: Option<String>,
    two_factor: Option<String>,
    sort: Option<String>,
    page: Option<String>,
    notice: Option<String>,
}

fn parse_view(query: &AgentsQuery) -> Result<ListView, AppError> {
    ListView::parse(query.q.as_deref(), query.two_factor.as_deref(), query.sort.as_deref(), query.page.as_deref())
        .map_err(|e| AppError::bad_request(e.to_string()))
}

fn href(view: &ListView) -> String {
    let query = view.query_string();
    if query.is_empty() { "/agents".to_owned() } else { format!("/agents?{query}") }
}

fn column_label(tr: &Tr, column: SortColumn) -> String {
    match column {
        SortColumn::Name => tr.t("agents-column-name"),
        SortColumn::Email => tr.t("agents-column-email"),
        SortColumn::Role => tr.t("agents-column-role"),
        SortColumn::TwoFactor => tr.t("agents-column-two-factor"),
        SortColumn::TrustedComputers => tr.t("agents-column-trusted-computers"),
        SortColumn::LastLogin => tr.t("agents-column-last-login"),
        SortColumn::Status => tr.t("agents-column-status"),
    }
}

fn headers(tr: &Tr, view: &ListView) -> Vec<Header> {
    SortColumn::ALL
        .into_iter()
        .map(|column| {
            let current = view.sort.column == column;
            let mut target = view.clone();
            target.page = 1;
            target.sort.column = column;
            // A first click on a date or a count puts the newest (the most)
            // first, as people expect; a second click turns the direction.
            let newest_first = matches!(column, SortColumn::LastLogin | SortColumn::TrustedComputers);
            target.sort.descending = if current { !view.sort.descending } else { newest_first };
            Header {
                label: column_label(tr, column),
                href: href(&target),
                aria_sort: current.then_some(if view.sort.descending { "descending" } else { "ascending" }),
                // ↕ marks a column that sorts; ▲ / ▼ the sorted one and its direction.
                arrow: match (current, view.sort.descending) {
                    (false, _) => "↕",
                    (true, false) => "▲",
                    (true, true) => "▼",
                },
            }
        })
        .collect()
}

/// "Showing 1–50 of 121 agents.": which rows the page shows. The catalogue
/// chooses the wording ("the only agent", "matching agents") from the count
/// and whether a search is given.
fn showing(tr: &Tr, view: &ListView, page: &AgentPage) -> String {
    let first = (i64::from(view.page) - 1) * view::PAGE_SIZE + 1;
    let last = first + page.rows.len() as i64 - 1;
    let search = if view.filter.search.is_some() { "yes" } else { "no" };
    match page.total {
        Total::Exact(0) => tr.t("agents-showing-none"),
        Total::Exact(_) if page.rows.is_empty() => tr.t("agents-showing-past"),
        Total::Exact(n) => tr.tn(
            "agents-showing",
            vec![
                ("search", arg(search)),
                ("count", arg(n)),
                ("first", arg(format_count(first))),
                ("last", arg(format_count(last))),
                ("total", arg(format_count(n))),
            ],
        ),
        Total::AtLeast(n) if page.rows.is_empty() => tr.tn(
            "agents-showing-broad-past",
            vec![("count", arg(n)), ("total", arg(format_count(n))), ("shown", arg(format_count(view::BROAD_SEARCH_SHOWN)))],
        ),
        Total::AtLeast(n) => tr.tn(
            "agents-showing-broad",
            vec![
                ("first", arg(format_count(first))),
                ("last", arg(format_count(last))),
                ("total", arg(format_count(n))),
                ("shown", arg(format_count(view::BROAD_SEARCH_SHOWN))),
            ],
        ),
    }
}

/// What the company's policy asks, above the table; the grace date as the
/// agents' reminder writes it (the day, in the reader's zone).
fn policy_line(tr: &Tr, company: &Company) -> Option<String> {
    let from = company.two_factor_grace_until.map(|from| tr.date(from));
    let line = |key: &str, key_from: &str| match &from {
        Some(date) => tr.t1(key_from, "date", date),
        None => tr.t(key),
    };
    let mut lines = Vec::new();
    if company.require_two_factor {
        lines.push(line("policy-line-required", "policy-line-required-from"));
    }
    match company.admin_factor_rule() {
        AdminFactorRule::Passkey => lines.push(line("policy-line-admins-passkey", "policy-line-admins-passkey-from")),
        AdminFactorRule::AppOrPasskey => lines.push(line("policy-line-admins-app", "policy-line-admins-app-from")),
        AdminFactorRule::Any => {}
    }
    match company.factors_allowed() {
        FactorsAllowed::All => {}
        FactorsAllowed::AppAndPasskey => lines.push(tr.t("policy-line-app-and-passkey")),
        FactorsAllowed::PasskeyOnly => lines.push(tr.t("policy-line-passkey-only")),
    }
    (!lines.is_empty()).then(|| lines.join(" "))
}

/// The three lines of the summary: how many of the active agents have 2FA,
/// an app, a passkey. The catalogue chooses "agent has" or "agents have"
/// from the number of active agents.
fn summary_lines(tr: &Tr, summary: &view::Summary) -> [String; 3] {
    let active = summary.active();
    let line = |key: &str, name: &'static str, n: i64| {
        tr.tn(key, vec![("count", arg(active)), ("active", arg(format_count(active))), (name, arg(format_count(n)))])
    };
    [
        line("agents-summary-enabled", "enabled", summary.enabled()),
        line("agents-summary-app", "with_app", summary.with_app()),
        line("agents-summary-passkey", "with_passkey", summary.with_passkey()),
    ]
}

pub(super) async fn agents_page(
    state: &AppState,
    signed_in: &SignedIn,
    view: ListView,
    notice: Option<String>,
    policy_error: Option<String>,
) -> Result<HttpResponse, AppError> {
    let company_id = signed_in.company.id.clone();
    let now = state.now();
    let db_view = view.clone();
    let anchors = state.page_anchors.clone();
    let page = state.db_read(move |conn| Ok(listing::list_page(conn, &anchors, &company_id, &db_view, now)?)).await?;
    let pages = page.total.pages();
    let previous_href = (view.page > 1).then(|| href(&ListView { page: (view.page - 1).min(pages), ..view.clone() }));
    let next_href = (view.page < pages).then(|| href(&ListView { page: view.page + 1, ..view.clone() }));
    let csv_view = ListView { page: 1, ..view.clone() };
    let csv_query = csv_view.query_string();
    let status = if policy_error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let tr = crate::i18n::current();
    let [summary_enabled, summary_app, summary_passkey] = summary_lines(&tr, &page.summary);
    let html = AgentsPage {
        layout: Layout::signed_in(tr.t("agents-heading"), signed_in, "agents").with_notice(notice),
        summary_enabled,
        summary_app,
        summary_passkey,
        policy_line: policy_line(&tr, &signed_in.company),
        mail_warning: state
            .mail_health
            .failing()
            .map(|failure| tr.t2("agents-mail-warning", "since", tr.date_time(failure.since), "cause", &failure.cause)),
        search: view.filter.search.as_ref().map(|s| s.as_str().to_owned()).unwrap_or_default(),
        two_factor: view.filter.two_factor.map(|s| s.as_str().to_owned()).unwrap_or_default(),
        sort: if view.sort == Default::default() { String::new() } else { view.sort.as_param() },
        headers: headers(&tr, &view),
        rows: page.rows.iter().map(|row| RowView::new(&tr, row, &signed_in.company, now)).collect(),
        showing: showing(&tr, &view, &page),
        page: view.page,
        pages,
        previous_href,
        next_href,
        csv_href: if csv_query.is_empty() { "/agents.csv".to_owned() } else { format!("/agents.csv?{csv_query}") },
        policy: PolicyView::new(signed_in, ServerLimits::of(&state.config)),
        policy_error,
    };
    render_with_status(status, &html)
}

/// `GET /agents`: the table, filtered, searched, sorted and paged by the query string.
pub async fn list(state: web::Data<AppState>, Admin(signed_in): Admin, query: web::Query<AgentsQuery>) -> Result<HttpResponse, AppError> {
    let view = parse_view(&query)?;
    agents_page(&state, &signed_in, view, notice_text(query.notice.as_deref()), None).await
}

/// `GET /agents.csv`: every row of the same view (all pages), streamed. The
/// words are in the admin's language; the times stay UTC (ISO 8601).
pub async fn export_csv(state: web::Data<AppState>, Admin(signed_in): Admin, query: web::Query<AgentsQuery>) -> Result<HttpResponse, AppError> {
    let view = parse_view(&query)?;
    let company_id = signed_in.company.id.clone();
    let now = state.now();
    // The stream is written on another thread: the words are looked up here.
    let tr = crate::i18n::current();
    let words = csv::Words::new(&tr);
    let first_header = csv::header(&tr);
    let body = streaming::from_database(&state, move |conn, out| {
        // The header goes with the first rows, so that a query that fails
        // at once is still an error page, not a download of a header.
        let mut header = Some(first_header);
        listing::for_each_chunk(conn, &company_id, &view.filter, view.sort, now, |rows| {
            let mut chunk = header.take().unwrap_or_default();
            chunk.push_str(&csv::records(&words, &rows));
            out.send(chunk)
        })?;
        header.map_or(Ok(()), |header| out.send(header))
    })
    .await?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((header::CONTENT_DISPOSITION, "attachment; filename=\"agents.csv\""))
        .streaming(body))
}
