//! `/agents/{id}`: one agent, their facts and the actions on them.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::agents::view::AgentRow;
use crate::db::models::Agent;
use crate::domain::{AgentId, TwoFactorStatus};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::layout::render_with_status;
use crate::web::session_list::{self, SessionLine};
use crate::web::{Admin, Layout, SignedIn};
use crate::routes::notice_text;
use super::list::RowView;

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
    /// Where the agent is signed in now.
    sessions: Vec<SessionLine>,
}

#[derive(Deserialize)]
pub struct NoticeQuery {
    notice: Option<String>,
}

/// `GET /agents/{id}`: one agent, their facts and the actions on them.
pub async fn detail(
    state: web::Data<AppState>,
    Admin(signed_in): Admin,
    path: web::Path<AgentId>,
    query: web::Query<NoticeQuery>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    detail_page(&state, &signed_in, id, notice_text(query.notice.as_deref()), None).await
}

/// The agent's page, with a notice after an action or the reason one was refused (409).
pub(super) async fn detail_page(
    state: &AppState,
    signed_in: &SignedIn,
    id: AgentId,
    notice: Option<String>,
    error: Option<String>,
) -> Result<HttpResponse, AppError> {
    let company_id = signed_in.company.id.clone();
    let now = state.now();
    let idle = chrono::Duration::from_std(state.config.session_idle_timeout).unwrap_or(chrono::Duration::zero());
    let (agent, trusted, invitation, sessions) = state
        .db(move |conn| {
            let agent = Agent::find_in_company(conn, &company_id, &id)?.ok_or(AppError::NotFound)?;
            let trusted = crate::db::models::trusted_computer::count_live_for_agent(conn, &agent.id, now)?;
            let invitation = crate::db::models::invitation::find_for_agent(conn, &agent.id)?;
            let sessions = session_list::list(conn, &agent.id, None, idle, now)?;
            Ok((agent, trusted, invitation, sessions))
        })
        .await?;
    let tr = crate::i18n::current();
    let invitation_expires_at = invitation.as_ref().map(|found| found.expires_at);
    let invitation = match (agent.is_invited() && agent.active, invitation_expires_at) {
        (true, Some(expires)) if expires > now => Some(tr.t1("agent-invitation-open", "until", tr.date_time(expires))),
        (true, _) => Some(tr.t("agent-invitation-expired")),
        (false, _) => None,
    };
    let http_status = if error.is_some() { StatusCode::CONFLICT } else { StatusCode::OK };
    let page = AgentDetailPage {
        layout: Layout::signed_in(agent.name.clone(), signed_in, "agents").with_notice(notice),
        row: RowView::new(&tr, &AgentRow::of(&agent, trusted, invitation_expires_at), &signed_in.company, now),
        is_self: agent.id == signed_in.agent.id,
        created: tr.short_date_time(agent.created_at),
        invitation,
        error,
        sessions,
        agent,
    };
    render_with_status(http_status, &page)
}
