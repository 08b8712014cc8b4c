//! `/agents/policy`: the company's two-factor policy and its defaults for
//! agents (language, time zone); the form lives on the Agents tab.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::agents::view::ListView;
use crate::agents::policy::{self, PolicyInput, ServerLimits, SessionLifetimes};
use crate::agents::Actor;
use crate::error::AppError;
use crate::web::redirect::see_other;
use crate::state::AppState;
use crate::domain::ClientInfo;
use crate::web::forms::ticked;
use crate::web::{Admin, CsrfForm};
use super::list::agents_page;

#[derive(Deserialize)]
pub struct PolicyForm {
    require_two_factor: Option<String>,
    grace_until: Option<String>,
    trusted_days_max: Option<String>,
    admins_always_enter_code: Option<String>,
    session_idle_minutes: Option<String>,
    session_absolute_hours: Option<String>,
    second_factors: Option<String>,
    admins_must_use_app: Option<String>,
    admins_must_use_passkey: Option<String>,
    language: Option<String>,
    time_zone: Option<String>,
}

/// `POST /agents/policy`: the company's two-factor policy, default language and time zone.
pub async fn policy_submit(
    state: web::Data<AppState>,
    Admin(signed_in): Admin,
    client: ClientInfo,
    CsrfForm(form): CsrfForm<PolicyForm>,
) -> Result<HttpResponse, AppError> {
    let input = PolicyInput {
        require_two_factor: ticked(form.require_two_factor.as_deref()),
        grace_until: form.grace_until.as_deref(),
        trusted_days_max: form.trusted_days_max.as_deref(),
        admins_always_enter_code: ticked(form.admins_always_enter_code.as_deref()),
        session_idle_minutes: form.session_idle_minutes.as_deref(),
        session_absolute_hours: form.session_absolute_hours.as_deref(),
        second_factors: form.second_factors.as_deref(),
        admins_must_use_app: ticked(form.admins_must_use_app.as_deref()),
        admins_must_use_passkey: ticked(form.admins_must_use_passkey.as_deref()),
        language: form.language.as_deref(),
        time_zone: form.time_zone.as_deref(),
    };
    // Every field is checked before anything is saved: one refusal changes nothing.
    let parsed = policy::parse_policy(&input, &signed_in.company, &ServerLimits::of(&state.config))
        .and_then(|policy| Ok((policy, policy::parse_defaults(&input, &signed_in.company)?)));
    let (policy, defaults) = match parsed {
        Ok(parsed) => parsed,
        Err(e) => return agents_page(&state, &signed_in, ListView { page: 1, ..Default::default() }, None, Some(e.to_string())).await,
    };
    let now = state.now();
    let server = SessionLifetimes::of_server(&state.config);
    let (admin, company) = (signed_in.agent.clone(), signed_in.company.clone());
    state
        .db(move |conn| {
            let actor = Actor { admin: &admin, company: &company, client: Some(&client) };
            Ok(policy::update_policy(conn, &actor, &policy, &defaults, server, now)?)
        })
        .await?;
    Ok(see_other("/agents?notice=policy_saved"))
}

/// `GET /agents/policy`: the form lives on the Agents tab.
pub async fn policy_page(Admin(_): Admin) -> Result<HttpResponse, AppError> {
    Ok(see_other("/agents#policy"))
}
