use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::audit::{self, Event, Outcome};
use crate::auth::login::{PasswordCheck, check_password, throttled_message};
use crate::auth::throttle;
use crate::db::models::Agent;
use crate::db::write_transaction;
use crate::web::client::ClientInfo;
use crate::error::AppError;
use crate::routes::{notice_text, safe_next, see_other};
use crate::state::AppState;
use crate::web::layout::render_with_status;
use crate::web::{CsrfForm, Layout, TypedSession, csrf, render};

/// The one message for every failed login (SPEC §3).
const LOGIN_FAILED: &str = "That email and password do not match an active account.";

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    layout: Layout,
    email: String,
    next: String,
    error: Option<&'static str>,
}

#[derive(Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
    notice: Option<String>,
}

/// `GET /login`. Writes nothing to the database: the form's CSRF token lives in a signed cookie.
pub async fn login_page(req: HttpRequest, session: TypedSession, query: web::Query<LoginQuery>) -> Result<HttpResponse, AppError> {
    let next = safe_next(query.next.as_deref());
    if session.agent_id()?.is_some() {
        return Ok(see_other(next.as_deref().unwrap_or("/")));
    }
    let page = LoginPage {
        layout: Layout::anonymous("Log in", csrf::form_token(&req, &session)).with_notice(notice_text(query.notice.as_deref())),
        email: String::new(),
        next: next.unwrap_or_default(),
        error: None,
    };
    render(&page)
}

#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
    next: Option<String>,
}

/// `POST /login`: the password step.
pub async fn login_submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: TypedSession,
    client: ClientInfo,
    CsrfForm(form): CsrfForm<LoginForm>,
) -> Result<HttpResponse, AppError> {
    match check_password(&state, &client, &form.email, &form.password).await? {
        PasswordCheck::Accepted(agent) => {
            session.sign_in(&agent.id)?;
            let now = state.now();
            state
                .db(move |conn| {
                    write_transaction(conn, |conn| {
                        Agent::record_login(conn, &agent.id, now)?;
                        let entry = audit::Entry::for_agent(&agent, Some(&client));
                        audit::record(conn, Event::LoginSucceeded, Outcome::Success, &entry, now)
                    })
                    .map_err(AppError::from)
                })
                .await?;
            Ok(see_other(safe_next(form.next.as_deref()).as_deref().unwrap_or("/")))
        }
        PasswordCheck::Throttled { retry_after } => Err(throttle::refusal(retry_after, throttled_message(retry_after))),
        PasswordCheck::Rejected => {
            let page = LoginPage {
                layout: Layout::anonymous("Log in", csrf::form_token(&req, &session)),
                // Echoed so the agent need not retype it; never a control character.
                email: form.email.chars().filter(|c| !c.is_control()).take(254).collect(),
                next: safe_next(form.next.as_deref()).unwrap_or_default(),
                error: Some(LOGIN_FAILED),
            };
            render_with_status(StatusCode::UNAUTHORIZED, &page)
        }
    }
}

#[derive(Deserialize)]
pub struct LogoutForm {}

/// `POST /logout`: deletes the server-side session and records that it ended.
pub async fn logout(
    state: web::Data<AppState>,
    session: TypedSession,
    client: ClientInfo,
    CsrfForm(_): CsrfForm<LogoutForm>,
) -> Result<HttpResponse, AppError> {
    if let Some(agent_id) = session.agent_id()? {
        let now = state.now();
        state
            .db(move |conn| {
                if let Some(agent) = Agent::find_active(conn, &agent_id)? {
                    let entry = audit::Entry { detail: Some("logged out"), ..audit::Entry::for_agent(&agent, Some(&client)) };
                    audit::record(conn, Event::SessionEnded, Outcome::Success, &entry, now)?;
                }
                Ok(())
            })
            .await?;
    }
    session.log_out();
    Ok(see_other("/login?notice=logged_out"))
}
