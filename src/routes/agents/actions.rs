//! `/agents/{id}/{action}` (deactivate, reactivate, reset 2FA: confirmed on
//! a page first), resending an invitation, and changing the role.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::agents::actions;
use crate::agents::invitations::resend_invitation;
use crate::agents::{Actor, AgentActionError};
use crate::db::models::Agent;
use crate::domain::{AgentId, Role, TwoFactorStatus};
use crate::error::AppError;
use crate::web::redirect::see_other;
use crate::state::AppState;
use crate::domain::ClientInfo;
use crate::web::layout::render_with_status;
use crate::web::forms::NoFields;
use crate::web::{Admin, CsrfForm, Layout, SignedIn};
use super::agent::detail_page;

/// The actions that change an agent, each confirmed on its own page first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Deactivate,
    Reactivate,
    ResetTwoFactor,
    SignOutEverywhere,
}

impl Action {
    fn parse(segment: &str) -> Option<Action> {
        [Action::Deactivate, Action::Reactivate, Action::ResetTwoFactor, Action::SignOutEverywhere].into_iter().find(|a| a.path() == segment)
    }

    fn path(self) -> &'static str {
        match self {
            Action::Deactivate => "deactivate",
            Action::Reactivate => "reactivate",
            Action::ResetTwoFactor => "reset-two-factor",
            Action::SignOutEverywhere => "sign-out-everywhere",
        }
    }

    /// The confirmation page's question, in the reader's language.
    fn title(self, name: &str) -> String {
        match self {
            Action::Deactivate => crate::i18n::t1("agent-confirm-deactivate-title", "name", name),
            Action::Reactivate => crate::i18n::t1("agent-confirm-reactivate-title", "name", name),
            Action::ResetTwoFactor => crate::i18n::t1("agent-confirm-reset-two-factor-title", "name", name),
            Action::SignOutEverywhere => crate::i18n::t1("agent-confirm-sign-out-everywhere-title", "name", name),
        }
    }

    fn explanation(self) -> String {
        match self {
            Action::Deactivate => crate::i18n::t("agent-confirm-deactivate-explanation"),
            Action::Reactivate => crate::i18n::t("agent-confirm-reactivate-explanation"),
            Action::ResetTwoFactor => crate::i18n::t("agent-confirm-reset-two-factor-explanation"),
            Action::SignOutEverywhere => crate::i18n::t("agent-confirm-sign-out-everywhere-explanation"),
        }
    }

    fn button(self) -> String {
        match self {
            Action::Deactivate => crate::i18n::t("agent-deactivate"),
            Action::Reactivate => crate::i18n::t("agent-reactivate"),
            Action::ResetTwoFactor => crate::i18n::t("agent-reset-two-factor"),
            Action::SignOutEverywhere => crate::i18n::t("agent-sign-out-everywhere"),
        }
    }

    fn notice(self) -> &'static str {
        match self {
            Action::Deactivate => "deactivated",
            Action::Reactivate => "reactivated",
            Action::ResetTwoFactor => "two_factor_reset",
            Action::SignOutEverywhere => "signed_out_everywhere",
        }
    }
}

#[derive(Template)]
#[template(path = "agent_confirm.html")]
struct ConfirmPage {
    layout: Layout,
    heading: String,
    explanation: String,
    action: String,
    button: String,
    danger: bool,
    cancel: String,
    offer: bool,
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
            // A refusal leaves nothing to confirm: only the way back.
            offer: error.is_none(),
            error,
        },
    )
}

async fn confirm(state: &AppState, signed_in: &SignedIn, id: AgentId, action: Action) -> Result<HttpResponse, AppError> {
    let company_id = signed_in.company.id.clone();
    let agent = state.db(move |conn| Agent::find_in_company(conn, &company_id, &id)?.ok_or(AppError::NotFound)).await?;
    // Nothing to reset: say so instead of offering a button that only emails the agent.
    let refusal = (action == Action::ResetTwoFactor && agent.two_factor_status() == TwoFactorStatus::Disabled)
        .then(|| AgentActionError::TwoFactorAlreadyOff(agent.name.clone()).to_string());
    confirm_page(signed_in, &agent, action, refusal)
}

async fn perform(
    state: &AppState,
    signed_in: SignedIn,
    client: ClientInfo,
    id: AgentId,
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
                Action::SignOutEverywhere => actions::sign_out_everywhere(conn, &actor, &target, now),
            })
        })
        .await?;
    match done {
        Ok(agent) if matches!(action, Action::Deactivate | Action::SignOutEverywhere) && agent.id == signed_in.agent.id => {
            // An admin who deactivated (or signed out) themselves has just ended their own session.
            signed_in.session.log_out();
            Ok(see_other("/login"))
        }
        Ok(agent) => Ok(see_other(&format!("/agents/{}?notice={}", agent.id, action.notice()))),
        Err(refused @ (AgentActionError::LastAdmin(_) | AgentActionError::TwoFactorAlreadyOff(_))) => {
            let company_id = signed_in.company.id.clone();
            let agent = state.db(move |conn| Agent::find_in_company(conn, &company_id, &id)?.ok_or(AppError::NotFound)).await?;
            confirm_page(&signed_in, &agent, action, Some(refused.to_string()))
        }
        Err(other) => Err(other.into()),
    }
}

/// `GET /agents/{id}/{action}` (deactivate, reactivate, reset-two-factor):
/// the confirmation page, with the button that posts the action.
pub async fn action_page(state: web::Data<AppState>, Admin(signed_in): Admin, path: web::Path<(AgentId, String)>) -> Result<HttpResponse, AppError> {
    let (id, action) = path.into_inner();
    let action = Action::parse(&action).ok_or(AppError::NotFound)?;
    confirm(&state, &signed_in, id, action).await
}

/// `POST /agents/{id}/{action}`: the confirmed action.
pub async fn action_submit(
    state: web::Data<AppState>,
    Admin(signed_in): Admin,
    client: ClientInfo,
    path: web::Path<(AgentId, String)>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    let (id, action) = path.into_inner();
    let action = Action::parse(&action).ok_or(AppError::NotFound)?;
    // Resetting someone's 2FA or ending their sessions is sensitive: the admin confirms it is them first.
    if matches!(action, Action::ResetTwoFactor | Action::SignOutEverywhere) {
        crate::web::confirm_identity::require_confirmed_identity(&signed_in, &state, "/agents")?;
    }
    perform(&state, signed_in, client, id, action).await
}

/// `POST /agents/{id}/resend-invitation`: a new link; the old one dies.
pub async fn resend_invitation_submit(
    state: web::Data<AppState>,
    Admin(signed_in): Admin,
    client: ClientInfo,
    path: web::Path<AgentId>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
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
    path: web::Path<AgentId>,
    CsrfForm(form): CsrfForm<RoleForm>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let role = Role::parse(form.role.trim()).ok_or_else(|| AppError::bad_request(crate::i18n::t("agent-error-role")))?;
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
