//! `GET /activity`: the company's security log, for its admins. Newest first,
//! filtered by agent and by event, paged. Only the admin's own company's
//! entries, and nothing secret (the log never holds a password, code, token
//! or session id).

use std::collections::HashMap;

use actix_web::{HttpResponse, web};
use askama::Template;
use diesel::prelude::*;
use serde::Deserialize;

use crate::audit::{self, AuditEvent, Event, Filter};
use crate::db::DbConnection;
use crate::db::models::Agent;
use crate::db::schema::agents;
use crate::domain::{EmailAddress, is_public_id};
use crate::error::AppError;
use crate::state::AppState;
use crate::domain::browser_label;
use crate::web::{Admin, Layout, render};

/// Entries per page.
pub const PER_PAGE: u32 = 50;

/// The query of `/activity`: `agent` (an id, from the links in the table),
/// `email` (typed into the filter), `event` (a stored event name), `page` (from 1).
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ActivityQuery {
    pub(crate) agent: Option<String>,
    pub(crate) email: Option<String>,
    pub(crate) event: Option<String>,
    pub(crate) page: Option<u32>,
}

/// An agent as a row names them: a link that filters by them.
pub(crate) struct AgentRef {
    id: String,
    name: String,
}

/// One entry as the table shows it.
pub(crate) struct ActivityRow {
    when: String,
    event: String,
    succeeded: bool,
    subject: Option<AgentRef>,
    actor: Option<AgentRef>,
    ip: String,
    browser: String,
    user_agent: String,
    detail: String,
}

pub(crate) struct EventOption {
    value: &'static str,
    label: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "activity.html")]
struct ActivityPage {
    layout: Layout,
    rows: Vec<ActivityRow>,
    events: Vec<EventOption>,
    email: String,
    filtered_agent: Option<AgentRef>,
    problem: Option<String>,
    page: u32,
    newer: Option<String>,
    older: Option<String>,
}

/// The filter a query asks for, checked: an unknown event is a 400.
pub(crate) fn parse_event(raw: Option<&str>) -> Result<Option<Event>, AppError> {
    match raw.map(str::trim).filter(|e| !e.is_empty()) {
        None => Ok(None),
        Some(raw) => Event::parse(raw).map(Some).ok_or_else(|| AppError::bad_request(crate::i18n::t("activity-error-event"))),
    }
}

/// The agent a filter names, only if they belong to `company_id`.
fn find_filtered_agent(conn: &mut DbConnection, company_id: &str, query: &ActivityQuery) -> QueryResult<Option<Option<Agent>>> {
    if let Some(email) = query.email.as_deref().map(str::trim).filter(|e| !e.is_empty()) {
        let agent = match EmailAddress::parse(email) {
            Ok(email) => Agent::find_by_email(conn, &email)?.filter(|a| a.company_id == company_id),
            Err(_) => None,
        };
        return Ok(Some(agent));
    }
    if let Some(id) = query.agent.as_deref().filter(|id| !id.is_empty()) {
        // Not an id AgentGate makes: no agent, and no query with junk in it.
        if !is_public_id(id) {
            return Ok(Some(None));
        }
        return Ok(Some(Agent::find_in_company(conn, company_id, id)?));
    }
    Ok(None)
}

/// The names of the agents the entries mention, from this company only.
fn names_of(conn: &mut DbConnection, company_id: &str, rows: &[AuditEvent]) -> QueryResult<HashMap<String, String>> {
    let mut ids: Vec<&str> = rows.iter().flat_map(|r| [r.actor_id.as_deref(), r.subject_id.as_deref()]).flatten().collect();
    ids.sort_unstable();
    ids.dedup();
    let found: Vec<(String, String)> = agents::table
        .filter(agents::company_id.eq(company_id))
        .filter(agents::id.eq_any(ids))
        .select((agents::id, agents::name))
        .load(conn)?;
    Ok(found.into_iter().collect())
}

/// When an entry happened, to the second, in the reader's zone ("6 Dec
/// 2026, 14:05:09 CET"); also used for an agent's own sign-ins.
pub(crate) fn when(row: &AuditEvent) -> String {
    crate::i18n::current().date_time_seconds(row.occurred_at)
}

/// `GET /activity`.
pub async fn activity_page(state: web::Data<AppState>, Admin(admin): Admin, query: web::Query<ActivityQuery>) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let event = parse_event(query.event.as_deref())?;
    let page = query.page.unwrap_or(1).max(1);
    let company_id = admin.company.id.clone();
    let email = query.email.clone().unwrap_or_default();

    let (filtered_agent, rows, has_more, names) = state
        .db_read(move |conn| {
            let filtered = find_filtered_agent(conn, &company_id, &query)?;
            let (rows, has_more) = match &filtered {
                // A filter that names no agent of this company shows nothing.
                Some(None) => (Vec::new(), false),
                Some(Some(agent)) => {
                    let filter = Filter { agent_id: Some(agent.id.clone()), event };
                    audit::company_page(conn, &company_id, &filter, page, PER_PAGE)?
                }
                None => audit::company_page(conn, &company_id, &Filter { agent_id: None, event }, page, PER_PAGE)?,
            };
            let names = names_of(conn, &company_id, &rows)?;
            Ok((filtered, rows, has_more, names))
        })
        .await?;

    let another_company = crate::i18n::t("activity-another-company");
    let agent_ref = |id: &Option<String>| {
        id.as_ref().map(|id| AgentRef { id: id.clone(), name: names.get(id).cloned().unwrap_or_else(|| another_company.clone()) })
    };
    let rows = rows
        .iter()
        .map(|row| ActivityRow {
            when: when(row),
            event: Event::parse(&row.event).map(Event::label).unwrap_or_else(|| crate::i18n::t("activity-event-other")),
            succeeded: row.outcome == audit::Outcome::Success.as_str(),
            subject: agent_ref(&row.subject_id),
            actor: agent_ref(&row.actor_id),
            ip: row.ip.clone().unwrap_or_default(),
            browser: row.user_agent.as_deref().map(browser_label).unwrap_or_default(),
            user_agent: row.user_agent.clone().unwrap_or_default(),
            detail: row.detail.clone().unwrap_or_default(),
        })
        .collect();

    let problem = matches!(filtered_agent, Some(None)).then(|| crate::i18n::t("activity-no-agent"));
    let agent_id = filtered_agent.as_ref().and_then(|a| a.as_ref()).map(|a| a.id.clone());
    let link = |page: u32| {
        let mut params: Vec<(&str, String)> = Vec::new();
        if let Some(id) = &agent_id {
            params.push(("agent", id.clone()));
        }
        if let Some(event) = event {
            params.push(("event", event.as_str().to_owned()));
        }
        params.push(("page", page.to_string()));
        format!("/activity?{}", serde_urlencoded::to_string(&params).unwrap_or_default())
    };
    let page_view = ActivityPage {
        layout: Layout::signed_in(crate::i18n::t("activity-heading"), &admin, "activity"),
        rows,
        events: Event::ALL
            .into_iter()
            .map(|e| EventOption { value: e.as_str(), label: e.label(), selected: Some(e) == event })
            .collect(),
        email,
        filtered_agent: filtered_agent.flatten().map(|a| AgentRef { id: a.id, name: a.name }),
        problem,
        page,
        newer: (page > 1).then(|| link(page - 1)),
        older: has_more.then(|| link(page + 1)),
    };
    render(&page_view)
}
