//! `/agents/new`: adding an agent, who is emailed an invitation.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::agents::invitations::{Invitee, invite_agent};
use crate::agents::{Actor, AgentActionError};
use crate::domain::{EmailAddress, PersonName, Role};
use crate::error::AppError;
use crate::web::redirect::see_other;
use crate::state::AppState;
use crate::domain::ClientInfo;
use crate::web::layout::render_with_status;
use crate::web::{Admin, CsrfForm, Layout, SignedIn, render};

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
        layout: Layout::signed_in(crate::i18n::t("agents-add"), &signed_in, "agents"),
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
    let name = PersonName::parse(&form.name).map_err(|e| errors.push(crate::i18n::t1("agent-new-error-name", "error", e.to_string()))).ok();
    let email = EmailAddress::parse(&form.email).map_err(|e| errors.push(crate::i18n::t1("agent-new-error-email", "error", e.to_string()))).ok();
    let role = Role::parse(form.role.trim());
    if role.is_none() {
        errors.push(crate::i18n::t("agent-new-error-role"));
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
        Err(AgentActionError::EmailInUse) => {
            new_agent_again(&signed_in, form, vec![crate::i18n::t1("agent-new-error-email", "error", AgentActionError::EmailInUse.to_string())])
        }
        Err(other) => Err(other.into()),
    }
}

fn new_agent_again(signed_in: &SignedIn, form: NewAgentForm, errors: Vec<String>) -> Result<HttpResponse, AppError> {
    render_with_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        &NewAgentPage {
            layout: Layout::signed_in(crate::i18n::t("agents-add"), signed_in, "agents"),
            name: form.name,
            email: form.email,
            role: form.role,
            errors,
        },
    )
}
