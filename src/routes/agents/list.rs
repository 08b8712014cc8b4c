//! `/agents` and `/agents.csv`: the table of the company's agents (filter,
//! search, sort, pages), its summary line, and the policy form under it.

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::NaiveDateTime;
use serde::Deserialize;

use crate::agents::listing;
use crate::agents::view::{self, AgentPage, AgentRow, ListView, SortColumn, Total};
use crate::agents::policy::{self, AgentFactors, ServerLimits, TwoFactorRequirement};
use crate::agents::csv;
use crate::db::models::Company;
use crate::domain::{AdminFactorRule, FactorsAllowed, Role, TwoFactorStatus, dates};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::layout::render_with_status;
use crate::web::streaming;
use crate::web::{Admin, Layout, SignedIn};
use crate::routes::notice_text;
use super::format_count;

/// A column header: a link that sorts by it (or turns the direction).
struct Header {
    label: &'static str,
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
    pub(super) role: &'static str,
    pub(super) two_factor: &'static str,
    /// The badge's CSS class: enabled, pending or disabled.
    pub(super) two_factor_class: &'static str,
    /// The agent's methods, "App · Email · 7 codes" (empty without any).
    pub(super) methods: String,
    /// "Not compliant" (policy in force) or "Due 2026-12-31" (grace period).
    pub(super) compliance: Option<String>,
    pub(super) trusted_computers: i64,
    pub(super) last_login: String,
    pub(super) status: String,
    pub(super) status_class: &'static str,
}

impl RowView {
    pub(super) fn new(row: &AgentRow, company: &Company, now: NaiveDateTime) -> RowView {
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
                TwoFactorRequirement::Enforced { .. } => Some("Not compliant".to_owned()),
                TwoFactorRequirement::Grace { from, .. } => Some(format!("Due {}", dates::day(from))),
                TwoFactorRequirement::NotRequired | TwoFactorRequirement::Met => None,
            }
        } else {
            None
        };
        let (status_text, status_class) = match (row.active, row.invited, row.invitation_expires_at) {
            (false, _, _) => ("Deactivated".to_owned(), "deactivated"),
            (true, true, Some(expires)) if expires > now => ("Invited".to_owned(), "invited"),
            (true, true, _) => ("Invited (no valid link)".to_owned(), "invited"),
            (true, false, _) => ("Active".to_owned(), "active"),
        };
        RowView {
            id: row.id.clone(),
            name: row.name.clone(),
            email: row.email.clone(),
            role: row.role().label(),
            two_factor: status.label(),
            two_factor_class: status.as_str(),
            methods: methods(row, company),
            compliance,
            trusted_computers: row.trusted_computers,
            last_login: dates::minute_or_never(row.last_login_at),
            status: status_text,
            status_class,
        }
    }
}

/// "2 passkeys · App · Email · 7 codes": the second factors the agent has.
/// Factors that the company no longer counts say so.
pub(super) fn methods(row: &AgentRow, company: &Company) -> String {
    let allowed = company.factors_allowed();
    let mut parts: Vec<String> = Vec::new();
    match row.passkey_count {
        n if n <= 0 => {}
        1 => parts.push("Passkey".to_owned()),
        n => parts.push(format!("{n} passkeys")),
    }
    if row.app_enabled {
        parts.push(if allowed.counts_app() { "App" } else { "App (does not count)" }.to_owned());
    }
    if row.email_on() {
        parts.push(if allowed.counts_email() { "Email" } else { "Email (does not count)" }.to_owned());
    }
    match row.recovery_codes_left {
        n if n <= 0 => {}
        1 => parts.push("1 code".to_owned()),
        n => parts.push(format!("{n} codes")),
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
}

impl PolicyView {
    fn new(signed_in: &SignedIn, server: ServerLimits) -> PolicyView {
        let server_trusted_days = server.trusted_days;
        let company = &signed_in.company;
        let current = policy::effective_trusted_days(company, server_trusted_days);
        PolicyView {
            require_two_factor: company.require_two_factor,
            grace_until: company.two_factor_grace_until.map(dates::day).unwrap_or_default(),
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
        }
    }
}

#[derive(Template)]
#[template(path = "agents.html")]
struct AgentsPage {
    layout: Layout,
    enabled: String,
    active: String,
    /// Active agents with an authenticator app.
    with_app: String,
    /// Active agents with a passkey.
    with_passkey: String,
    /// "1 of 1 agent has", not "agents have".
    one_agent: bool,
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

fn column_label(column: SortColumn) -> &'static str {
    match column {
        SortColumn::Name => "Name",
        SortColumn::Email => "Email",
        SortColumn::Role => "Role",
        SortColumn::TwoFactor => "Two-factor authentication",
        SortColumn::TrustedComputers => "Trusted computers",
        SortColumn::LastLogin => "Last login (UTC)",
        SortColumn::Status => "Status",
    }
}

fn headers(view: &ListView) -> Vec<Header> {
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
                label: column_label(column),
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

fn showing(view: &ListView, page: &AgentPage) -> String {
    let first = (i64::from(view.page) - 1) * view::PAGE_SIZE + 1;
    let last = first + page.rows.len() as i64 - 1;
    let noun = match (view.filter.search.is_some(), page.total) {
        (true, Total::Exact(1)) => "matching agent",
        (true, _) => "matching agents",
        (false, Total::Exact(1)) => "agent",
        (false, _) => "agents",
    };
    match page.total {
        Total::Exact(0) => "No agents match.".to_owned(),
        Total::Exact(_) if page.rows.is_empty() => "This page is past the last one.".to_owned(),
        Total::Exact(1) => format!("Showing the only {noun}."),
        Total::Exact(n) => format!("Showing {}–{} of {} {noun}.", format_count(first), format_count(last), format_count(n)),
        Total::AtLeast(n) if page.rows.is_empty() => format!(
            "At least {} agents match; only the first {} are listed. Refine the search to see the others.",
            format_count(n),
            format_count(view::BROAD_SEARCH_SHOWN)
        ),
        Total::AtLeast(n) => format!(
            "Showing {}–{} of at least {} matching agents (only the first {} are listed; refine the search to see the others).",
            format_count(first),
            format_count(last),
            format_count(n),
            format_count(view::BROAD_SEARCH_SHOWN)
        ),
    }
}

fn policy_line(company: &Company) -> Option<String> {
    let from = company.two_factor_grace_until.map(|from| format!(" from {} (UTC)", dates::day(from))).unwrap_or_default();
    let mut lines = Vec::new();
    if company.require_two_factor {
        lines.push(format!("Two-factor authentication is required for all agents{from}."));
    }
    match company.admin_factor_rule() {
        AdminFactorRule::Passkey => lines.push(format!("Admins must use a passkey or security key{from}.")),
        AdminFactorRule::AppOrPasskey => lines.push(format!("Admins must use an authenticator app or a passkey{from}.")),
        AdminFactorRule::Any => {}
    }
    match company.factors_allowed() {
        FactorsAllowed::All => {}
        FactorsAllowed::AppAndPasskey => lines.push("Only authenticator apps and passkeys count as second factors; emailed codes do not.".to_owned()),
        FactorsAllowed::PasskeyOnly => lines.push("Only passkeys and security keys count as second factors.".to_owned()),
    }
    (!lines.is_empty()).then(|| lines.join(" "))
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
    let html = AgentsPage {
        layout: Layout::signed_in("Agents", signed_in, "agents").with_notice(notice),
        enabled: format_count(page.summary.enabled()),
        active: format_count(page.summary.active()),
        with_app: format_count(page.summary.with_app()),
        with_passkey: format_count(page.summary.active_passkey),
        one_agent: page.summary.active() == 1,
        policy_line: policy_line(&signed_in.company),
        mail_warning: state
            .mail_health
            .failing()
            .map(|failure| format!("Email is not being delivered since {}: {}", dates::when(failure.since), failure.cause)),
        search: view.filter.search.as_ref().map(|s| s.as_str().to_owned()).unwrap_or_default(),
        two_factor: view.filter.two_factor.map(|s| s.as_str().to_owned()).unwrap_or_default(),
        sort: if view.sort == Default::default() { String::new() } else { view.sort.as_param() },
        headers: headers(&view),
        rows: page.rows.iter().map(|row| RowView::new(row, &signed_in.company, now)).collect(),
        showing: showing(&view, &page),
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

/// `GET /agents.csv`: every row of the same view (all pages), streamed.
pub async fn export_csv(state: web::Data<AppState>, Admin(signed_in): Admin, query: web::Query<AgentsQuery>) -> Result<HttpResponse, AppError> {
    let view = parse_view(&query)?;
    let company_id = signed_in.company.id.clone();
    let now = state.now();
    let body = streaming::from_database(&state, move |conn, out| {
        // The header goes with the first rows, so that a query that fails
        // at once is still an error page, not a download of a header.
        let mut header = Some(csv::header());
        listing::for_each_chunk(conn, &company_id, &view.filter, view.sort, now, |rows| {
            let mut chunk = header.take().unwrap_or_default();
            chunk.push_str(&csv::records(&rows));
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
