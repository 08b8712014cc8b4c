//! The Agents tab (SPEC §2.4, §4): the table, its CSV, adding agents by
//! invitation, the per-agent actions behind a confirmation page, and the
//! company policy. Admins only (the `Admin` guard); every query is scoped to
//! the admin's company, so another company's agent id answers 404.

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::NaiveDateTime;
use serde::Deserialize;

use crate::agents::actions;
use crate::agents::invitations::{Invitee, invite_agent, resend_invitation};
use crate::agents::listing;
use crate::agents::view::{self, AgentPage, AgentRow, ListView, SortColumn, Total};
use crate::agents::policy::{self, PolicyInput, TwoFactorRequirement};
use crate::agents::{Actor, AgentActionError, csv};
use crate::db::models::{Agent, Company};
use crate::domain::{EmailAddress, PersonName, Role, TwoFactorStatus};
use crate::error::AppError;
use crate::web::redirect::see_other;
use crate::state::AppState;
use crate::domain::ClientInfo;
use crate::web::layout::render_with_status;
use crate::web::streaming;
use crate::web::forms::NoFields;
use crate::web::{Admin, CsrfForm, Layout, SignedIn, render};

/// Messages shown after a redirect on these pages, by code.
fn notice_text(code: Option<&str>) -> Option<String> {
    let text = match code? {
        "invited" => "The agent was added and emailed an invitation link, valid for 7 days.",
        "invitation_resent" => "A new invitation link was emailed. The previous link no longer works.",
        "deactivated" => "The agent was deactivated: their sessions ended and their trusted computers were forgotten.",
        "reactivated" => "The agent was reactivated and can log in again.",
        "two_factor_reset" => "Two-factor authentication was reset: it is off, their trusted computers were forgotten, and they were emailed.",
        "role_changed" => "The role was changed.",
        "policy_saved" => "The company policy was saved.",
        _ => return None,
    };
    Some(text.to_owned())
}

fn format_count(n: i64) -> String {
    let digits = n.abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

fn format_time(at: Option<NaiveDateTime>) -> String {
    at.map(|t| t.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_else(|| "Never".to_owned())
}

/// An agent id in a URL: a public id is 22 letters and digits. Anything else
/// cannot name an agent, so it is 404 without a query.
fn agent_id(path: web::Path<String>) -> Result<String, AppError> {
    checked_agent_id(path.into_inner())
}

fn checked_agent_id(id: String) -> Result<String, AppError> {
    if id.len() == 22 && id.chars().all(|c| c.is_ascii_alphanumeric()) { Ok(id) } else { Err(AppError::NotFound) }
}

// ---------------------------------------------------------------- the table

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
struct RowView {
    id: String,
    name: String,
    email: String,
    role: &'static str,
    two_factor: &'static str,
    /// The badge's CSS class: enabled, pending or disabled.
    two_factor_class: &'static str,
    /// "Not compliant" (policy in force) or "Due 2026-12-31" (grace period).
    compliance: Option<String>,
    trusted_computers: i64,
    last_login: String,
    status: String,
    status_class: &'static str,
}

impl RowView {
    fn new(row: &AgentRow, company: &Company, now: NaiveDateTime) -> RowView {
        let status = row.two_factor_status();
        let compliance = if row.active {
            match policy::requirement_for(company, status, now) {
                TwoFactorRequirement::Enforced => Some("Not compliant".to_owned()),
                TwoFactorRequirement::Grace { from } => Some(format!("Due {}", from.format("%Y-%m-%d"))),
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
            compliance,
            trusted_computers: row.trusted_computers,
            last_login: format_time(row.last_login_at),
            status: status_text,
            status_class,
        }
    }
}

/// The policy form, filled with the company's current values.
struct PolicyView {
    require_two_factor: bool,
    grace_until: String,
    trusted_days: Vec<(u32, bool)>,
    admins_always_enter_code: bool,
    server_trusted_days: u32,
    /// The admin has not enabled 2FA: turning the requirement on applies to them too.
    admin_without_two_factor: bool,
}

impl PolicyView {
    fn new(signed_in: &SignedIn, server_trusted_days: u32) -> PolicyView {
        let company = &signed_in.company;
        let current = policy::effective_trusted_days(company, server_trusted_days);
        PolicyView {
            require_two_factor: company.require_two_factor,
            grace_until: company.two_factor_grace_until.map(|g| g.format("%Y-%m-%d").to_string()).unwrap_or_default(),
            trusted_days: policy::trusted_days_choices(server_trusted_days).into_iter().map(|d| (d, d == current)).collect(),
            admins_always_enter_code: company.admins_always_enter_code,
            server_trusted_days,
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
    policy_line: Option<String>,
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
            target.sort.descending = current && !view.sort.descending;
            Header {
                label: column_label(column),
                href: href(&target),
                aria_sort: current.then_some(if view.sort.descending { "descending" } else { "ascending" }),
                arrow: match (current, view.sort.descending) {
                    (false, _) => "",
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
    let noun = if view.filter.search.is_some() { "matching agents" } else { "agents" };
    match page.total {
        Total::Exact(0) => "No agents match.".to_owned(),
        Total::Exact(_) if page.rows.is_empty() => "This page is past the last one.".to_owned(),
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
    if !company.require_two_factor {
        return None;
    }
    Some(match company.two_factor_grace_until {
        Some(from) => format!("Two-factor authentication is required for all agents from {} (UTC).", from.format("%Y-%m-%d")),
        None => "Two-factor authentication is required for all agents.".to_owned(),
    })
}

async fn agents_page(
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
        policy_line: policy_line(&signed_in.company),
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
        policy: PolicyView::new(signed_in, state.config.trusted_days),
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

// ---------------------------------------------------------------- policy

#[derive(Deserialize)]
pub struct PolicyForm {
    require_two_factor: Option<String>,
    grace_until: Option<String>,
    trusted_days_max: Option<String>,
    admins_always_enter_code: Option<String>,
}

/// `POST /agents/policy`: the company's two-factor policy.
pub async fn policy_submit(
    state: web::Data<AppState>,
    Admin(signed_in): Admin,
    client: ClientInfo,
    CsrfForm(form): CsrfForm<PolicyForm>,
) -> Result<HttpResponse, AppError> {
    let input = PolicyInput {
        require_two_factor: form.require_two_factor.as_deref(),
        grace_until: form.grace_until.as_deref(),
        trusted_days_max: form.trusted_days_max.as_deref(),
        admins_always_enter_code: form.admins_always_enter_code.as_deref(),
    };
    let policy = match policy::parse_policy(&input, &signed_in.company, state.config.trusted_days) {
        Ok(policy) => policy,
        Err(e) => return agents_page(&state, &signed_in, ListView { page: 1, ..Default::default() }, None, Some(e.to_string())).await,
    };
    let now = state.now();
    let (admin, company) = (signed_in.agent.clone(), signed_in.company.clone());
    state
        .db(move |conn| {
            let actor = Actor { admin: &admin, company: &company, client: Some(&client) };
            Ok(policy::update_policy(conn, &actor, &policy, now)?)
        })
        .await?;
    Ok(see_other("/agents?notice=policy_saved"))
}

/// `GET /agents/policy`: the form lives on the Agents tab.
pub async fn policy_page(Admin(_): Admin) -> Result<HttpResponse, AppError> {
    Ok(see_other("/agents#policy"))
}

// ---------------------------------------------------------------- adding

#[derive(Template)]
#[template(path = "agent_new.html")]
struct NewAgentPage {
    layout: Layout,
    name: String,
    email: String,
    role: String,
    errors: Vec<String>,
}

/// `GET /agents/new`: the "Add agent" form.
pub async fn new_page(Admin(signed_in): Admin) -> Result<HttpResponse, AppError> {
    render(&NewAgentPage {
        layout: Layout::signed_in("Add agent", &signed_in, "agents"),
        name: String::new(),
        email: String::new(),
        role: Role::Agent.as_str().to_owned(),
        errors: Vec::new(),
    })
}

#[derive(Deserialize)]
pub struct NewAgentForm {
    name: String,
    email: String,
    role: String,
}

/// `POST /agents/new`: creates the agent and emails their invitation.
pub async fn new_submit(
    state: web::Data<AppState>,
    Admin(signed_in): Admin,
    client: ClientInfo,
    CsrfForm(form): CsrfForm<NewAgentForm>,
) -> Result<HttpResponse, AppError> {
    let mut errors = Vec::new();
    let name = PersonName::parse(&form.name).map_err(|e| errors.push(format!("Name: {e}"))).ok();
    let email = EmailAddress::parse(&form.email).map_err(|e| errors.push(format!("Email: {e}"))).ok();
    let role = Role::parse(form.role.trim());
    if role.is_none() {
        errors.push("Role: choose Agent or Admin.".to_owned());
    }
    let invitee = match (name, email, role) {
        (Some(name), Some(email), Some(role)) if errors.is_empty() => Invitee { name, email, role },
        _ => return new_agent_again(&signed_in, form, errors),
    };
    let now = state.now();
    let base_url = state.config.base_url();
    let (admin, company, config) = (signed_in.agent.clone(), signed_in.company.clone(), state.config.clone());
    let added = state
        .db(move |conn| {
            let actor = Actor { admin: &admin, company: &company, client: Some(&client) };
            Ok(invite_agent(conn, &actor, &invitee, &config.mail_limits, &base_url, now))
        })
        .await?;
    match added {
        Ok(agent_id) => Ok(see_other(&format!("/agents/{agent_id}?notice=invited"))),
        Err(AgentActionError::EmailInUse) => new_agent_again(&signed_in, form, vec![format!("Email: {}", AgentActionError::EmailInUse)]),
        Err(other) => Err(other.into()),
    }
}

fn new_agent_again(signed_in: &SignedIn, form: NewAgentForm, errors: Vec<String>) -> Result<HttpResponse, AppError> {
    render_with_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        &NewAgentPage {
            layout: Layout::signed_in("Add agent", signed_in, "agents"),
            name: form.name,
            email: form.email,
            role: form.role,
            errors,
        },
    )
}

// ---------------------------------------------------------------- one agent

#[derive(Template)]
#[template(path = "agent.html")]
struct AgentDetailPage {
    layout: Layout,
    agent: Agent,
    row: RowView,
    is_self: bool,
    created: String,
    invitation: Option<String>,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct NoticeQuery {
    notice: Option<String>,
}

/// `GET /agents/{id}`: one agent, their facts and the actions on them.
pub async fn detail(
    state: web::Data<AppState>,
    Admin(signed_in): Admin,
    path: web::Path<String>,
    query: web::Query<NoticeQuery>,
) -> Result<HttpResponse, AppError> {
    let id = agent_id(path)?;
    detail_page(&state, &signed_in, id, notice_text(query.notice.as_deref()), None).await
}

/// The agent's page, with a notice after an action or the reason one was refused (409).
async fn detail_page(
    state: &AppState,
    signed_in: &SignedIn,
    id: String,
    notice: Option<String>,
    error: Option<String>,
) -> Result<HttpResponse, AppError> {
    let company_id = signed_in.company.id.clone();
    let now = state.now();
    let (agent, trusted, invitation) = state
        .db(move |conn| {
            let agent = Agent::find_in_company(conn, &company_id, &id)?.ok_or(AppError::NotFound)?;
            let trusted = crate::db::models::trusted_computer::count_live_for_agent(conn, &agent.id, now)?;
            let invitation = crate::db::models::invitation::find_for_agent(conn, &agent.id)?;
            Ok((agent, trusted, invitation))
        })
        .await?;
    let invitation_expires_at = invitation.as_ref().map(|found| found.expires_at);
    let invitation = match (agent.is_invited() && agent.active, invitation_expires_at) {
        (true, Some(expires)) if expires > now => Some(format!("Invitation sent; the link works until {} UTC.", expires.format("%Y-%m-%d %H:%M"))),
        (true, _) => Some("The invitation link has expired or was never sent: send a new one.".to_owned()),
        (false, _) => None,
    };
    let http_status = if error.is_some() { StatusCode::CONFLICT } else { StatusCode::OK };
    let page = AgentDetailPage {
        layout: Layout::signed_in(agent.name.clone(), signed_in, "agents").with_notice(notice),
        row: RowView::new(&AgentRow::of(&agent, trusted, invitation_expires_at), &signed_in.company, now),
        is_self: agent.id == signed_in.agent.id,
        created: format_time(Some(agent.created_at)),
        invitation,
        error,
        agent,
    };
    render_with_status(http_status, &page)
}

/// The actions that change an agent, each confirmed on its own page first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Deactivate,
    Reactivate,
    ResetTwoFactor,
}

impl Action {
    fn parse(segment: &str) -> Option<Action> {
        [Action::Deactivate, Action::Reactivate, Action::ResetTwoFactor].into_iter().find(|a| a.path() == segment)
    }

    fn path(self) -> &'static str {
        match self {
            Action::Deactivate => "deactivate",
            Action::Reactivate => "reactivate",
            Action::ResetTwoFactor => "reset-two-factor",
        }
    }

    fn title(self, name: &str) -> String {
        match self {
            Action::Deactivate => format!("Deactivate {name}?"),
            Action::Reactivate => format!("Reactivate {name}?"),
            Action::ResetTwoFactor => format!("Reset two-factor authentication for {name}?"),
        }
    }

    fn explanation(self) -> &'static str {
        match self {
            Action::Deactivate => {
                "They will not be able to log in. Every session they have ends now, their trusted computers are forgotten, and an open invitation stops working. You can reactivate them later."
            }
            Action::Reactivate => "They will be able to log in again with their password. An agent who never chose a password needs a new invitation.",
            Action::ResetTwoFactor => {
                "Two-factor authentication is turned off for them and every computer they trusted is forgotten. They are emailed about it. If the company requires two-factor authentication, they must turn it on again at their next page. Use this when an agent lost access to their email codes."
            }
        }
    }

    fn button(self) -> &'static str {
        match self {
            Action::Deactivate => "Deactivate",
            Action::Reactivate => "Reactivate",
            Action::ResetTwoFactor => "Reset two-factor authentication",
        }
    }

    fn notice(self) -> &'static str {
        match self {
            Action::Deactivate => "deactivated",
            Action::Reactivate => "reactivated",
            Action::ResetTwoFactor => "two_factor_reset",
        }
    }
}

#[derive(Template)]
#[template(path = "agent_confirm.html")]
struct ConfirmPage {
    layout: Layout,
    heading: String,
    explanation: &'static str,
    action: String,
    button: &'static str,
    danger: bool,
    cancel: String,
    error: Option<String>,
}

fn confirm_page(signed_in: &SignedIn, agent: &Agent, action: Action, error: Option<String>) -> Result<HttpResponse, AppError> {
    let status = if error.is_some() { StatusCode::CONFLICT } else { StatusCode::OK };
    let heading = action.title(&agent.name);
    render_with_status(
        status,
        &ConfirmPage {
            layout: Layout::signed_in(heading.clone(), signed_in, "agents"),
            heading,
            explanation: action.explanation(),
            action: format!("/agents/{}/{}", agent.id, action.path()),
            button: action.button(),
            danger: action != Action::Reactivate,
            cancel: format!("/agents/{}", agent.id),
            error,
        },
    )
}

async fn confirm(state: &AppState, signed_in: &SignedIn, id: String, action: Action) -> Result<HttpResponse, AppError> {
    let company_id = signed_in.company.id.clone();
    let agent = state.db(move |conn| Agent::find_in_company(conn, &company_id, &id)?.ok_or(AppError::NotFound)).await?;
    confirm_page(signed_in, &agent, action, None)
}

async fn perform(
    state: &AppState,
    signed_in: SignedIn,
    client: ClientInfo,
    id: String,
    action: Action,
) -> Result<HttpResponse, AppError> {
    let now = state.now();
    let (admin, company) = (signed_in.agent.clone(), signed_in.company.clone());
    let target = id.clone();
    let config = state.config.clone();
    let done = state
        .db(move |conn| {
            let actor = Actor { admin: &admin, company: &company, client: Some(&client) };
            Ok(match action {
                Action::Deactivate => actions::deactivate(conn, &actor, &target, now),
                Action::Reactivate => actions::reactivate(conn, &actor, &target, now),
                Action::ResetTwoFactor => actions::reset_two_factor(conn, &config, &actor, &target, now),
            })
        })
        .await?;
    match done {
        Ok(agent) if action == Action::Deactivate && agent.id == signed_in.agent.id => {
            // An admin who deactivated themselves has just ended their own session.
            signed_in.session.log_out();
            Ok(see_other("/login"))
        }
        Ok(agent) => Ok(see_other(&format!("/agents/{}?notice={}", agent.id, action.notice()))),
        Err(refused @ AgentActionError::LastAdmin(_)) => {
            let company_id = signed_in.company.id.clone();
            let agent = state.db(move |conn| Agent::find_in_company(conn, &company_id, &id)?.ok_or(AppError::NotFound)).await?;
            confirm_page(&signed_in, &agent, action, Some(refused.to_string()))
        }
        Err(other) => Err(other.into()),
    }
}

/// `GET /agents/{id}/{action}` (deactivate, reactivate, reset-two-factor):
/// the confirmation page, with the button that posts the action.
pub async fn action_page(state: web::Data<AppState>, Admin(signed_in): Admin, path: web::Path<(String, String)>) -> Result<HttpResponse, AppError> {
    let (id, action) = path.into_inner();
    let action = Action::parse(&action).ok_or(AppError::NotFound)?;
    confirm(&state, &signed_in, checked_agent_id(id)?, action).await
}

/// `POST /agents/{id}/{action}`: the confirmed action.
pub async fn action_submit(
    state: web::Data<AppState>,
    Admin(signed_in): Admin,
    client: ClientInfo,
    path: web::Path<(String, String)>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    let (id, action) = path.into_inner();
    let action = Action::parse(&action).ok_or(AppError::NotFound)?;
    // Resetting someone's 2FA is sensitive: the admin confirms it is them first.
    if action == Action::ResetTwoFactor {
        crate::web::confirm_identity::require_confirmed_identity(&signed_in, &state, "/agents")?;
    }
    perform(&state, signed_in, client, checked_agent_id(id)?, action).await
}

/// `POST /agents/{id}/resend-invitation`: a new link; the old one dies.
pub async fn resend_invitation_submit(
    state: web::Data<AppState>,
    Admin(signed_in): Admin,
    client: ClientInfo,
    path: web::Path<String>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    let id = agent_id(path)?;
    let now = state.now();
    let base_url = state.config.base_url();
    let (admin, company, config) = (signed_in.agent.clone(), signed_in.company.clone(), state.config.clone());
    let agent = state
        .db(move |conn| {
            let actor = Actor { admin: &admin, company: &company, client: Some(&client) };
            Ok(resend_invitation(conn, &actor, &id, &config.mail_limits, &base_url, now)?)
        })
        .await?;
    Ok(see_other(&format!("/agents/{}?notice=invitation_resent", agent.id)))
}

#[derive(Deserialize)]
pub struct RoleForm {
    role: String,
}

/// `POST /agents/{id}/role`: make the agent an admin or a plain agent.
pub async fn role_submit(
    state: web::Data<AppState>,
    Admin(signed_in): Admin,
    client: ClientInfo,
    path: web::Path<String>,
    CsrfForm(form): CsrfForm<RoleForm>,
) -> Result<HttpResponse, AppError> {
    let id = agent_id(path)?;
    let role = Role::parse(form.role.trim()).ok_or_else(|| AppError::bad_request("Choose the role Agent or Admin."))?;
    let now = state.now();
    let (admin, company) = (signed_in.agent.clone(), signed_in.company.clone());
    let target = id.clone();
    let changed = state
        .db(move |conn| {
            let actor = Actor { admin: &admin, company: &company, client: Some(&client) };
            Ok(actions::change_role(conn, &actor, &target, role, now))
        })
        .await?;
    match changed {
        Ok(agent) if agent.id == signed_in.agent.id && role == Role::Agent => {
            // No longer an admin: the Agents tab is closed to them now.
            Ok(see_other("/"))
        }
        Ok(agent) => Ok(see_other(&format!("/agents/{}?notice=role_changed", agent.id))),
        Err(refused @ AgentActionError::LastAdmin(_)) => detail_page(&state, &signed_in, id, None, Some(refused.to_string())).await,
        Err(other) => Err(other.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::format_count;

    #[test]
    fn counts_have_thousands_separators() {
        assert_eq!(format_count(0), "0");
        assert_eq!(format_count(999), "999");
        assert_eq!(format_count(1000), "1,000");
        assert_eq!(format_count(100000), "100,000");
        assert_eq!(format_count(1234567), "1,234,567");
    }
}
