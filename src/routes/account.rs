use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::audit;
use crate::auth::accounts::update_account;
use crate::web::client::{ClientInfo, browser_summary};
use crate::domain::{NewPassword, PersonName, login_candidate};
use crate::error::AppError;
use crate::routes::{notice_text, see_other};
use crate::state::AppState;
use crate::web::layout::render_with_status;
use crate::web::{CsrfForm, Layout, SignedIn, render};

#[derive(Template)]
#[template(path = "account_settings.html")]
struct SettingsPage {
    layout: Layout,
    name: String,
    email: String,
    errors: Vec<String>,
    sign_ins: Vec<SignIn>,
}

/// One of the agent's recent sign-in attempts, as Account Setting lists them.
struct SignIn {
    when: String,
    succeeded: bool,
    ip: String,
    browser: String,
    user_agent: String,
}

/// How many recent sign-ins Account Setting shows.
const RECENT_SIGN_INS: i64 = 10;

impl SettingsPage {
    /// The page for `signed_in`, with their latest sign-in attempts.
    async fn load(state: &AppState, signed_in: &SignedIn, notice: Option<String>) -> Result<SettingsPage, AppError> {
        let agent_id = signed_in.agent.id.clone();
        let events = state.db(move |conn| Ok(audit::recent_sign_ins(conn, &agent_id, RECENT_SIGN_INS)?)).await?;
        let sign_ins = events
            .iter()
            .map(|event| SignIn {
                when: crate::routes::activity::when(event),
                succeeded: event.outcome == audit::Outcome::Success.as_str(),
                ip: event.ip.clone().unwrap_or_default(),
                browser: event.user_agent.as_deref().map(browser_summary).unwrap_or_default(),
                user_agent: event.user_agent.clone().unwrap_or_default(),
            })
            .collect();
        Ok(SettingsPage {
            layout: Layout::signed_in("Account Setting", signed_in, "account").with_notice(notice),
            name: signed_in.agent.name.clone(),
            email: signed_in.agent.email.clone(),
            errors: Vec::new(),
            sign_ins,
        })
    }
}

#[derive(Deserialize)]
pub struct SettingsQuery {
    notice: Option<String>,
}

/// `GET /account/settings`: the Account Setting page.
pub async fn settings_page(state: web::Data<AppState>, signed_in: SignedIn, query: web::Query<SettingsQuery>) -> Result<HttpResponse, AppError> {
    render(&SettingsPage::load(&state, &signed_in, notice_text(query.notice.as_deref())).await?)
}

#[derive(Deserialize)]
pub struct SettingsForm {
    name: String,
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm_password: String,
}

/// `POST /account/settings`: the Update button. Everything is validated before
/// anything is written; a password change needs the current password.
pub async fn settings_submit(
    state: web::Data<AppState>,
    signed_in: SignedIn,
    client: ClientInfo,
    CsrfForm(form): CsrfForm<SettingsForm>,
) -> Result<HttpResponse, AppError> {
    let agent = &signed_in.agent;
    let mut errors = Vec::new();
    let name = PersonName::parse(&form.name).map_err(|e| errors.push(format!("Name: {e}"))).ok();

    let wants_new_password = !form.new_password.is_empty() || !form.confirm_password.is_empty();
    let mut new_password = None;
    if wants_new_password {
        match NewPassword::parse_confirmed(&form.new_password, &form.confirm_password, &agent.email_address()) {
            Err(e) => errors.push(format!("New password: {e}")),
            Ok(password) => {
                let current_ok = state.passwords.verify(login_candidate(&form.current_password), agent.password_hash.clone()).await?;
                if current_ok {
                    new_password = Some(password);
                } else {
                    errors.push("Current password: that is not your current password.".to_owned());
                }
            }
        }
    }

    let Some(name) = name.filter(|_| errors.is_empty()) else {
        let mut page = SettingsPage::load(&state, &signed_in, None).await?;
        page.name = form.name;
        page.errors = errors;
        return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };

    let audited_agent = agent.clone();
    let name_changed = name.as_str() != agent.name;
    let hash = match &new_password {
        Some(password) => Some(state.passwords.hash(password).await?),
        None => None,
    };
    let now = state.now();
    state
        .db(move |conn| {
            let new_name = name_changed.then_some(name.as_str());
            let entry = audit::Entry::for_agent(&audited_agent, Some(&client));
            Ok(update_account(conn, &audited_agent.id, new_name, hash.as_deref(), &entry, now)?)
        })
        .await?;

    if new_password.is_some() {
        // Every session of the agent ended, this one included; this browser
        // carries on with a fresh session id.
        signed_in.session.rotate();
        return Ok(see_other("/account/settings?notice=password_changed"));
    }
    Ok(see_other("/account/settings?notice=saved"))
}
