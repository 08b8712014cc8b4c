//! `/account/confirm-identity`: step-up re-authentication before a sensitive
//! change (see `auth::step_up`). The current password, then, with 2FA on, a
//! code emailed to the agent; then back to `next`.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use askama::Template;
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Deserialize;

use crate::auth::codes::IssueRefusal;
use crate::auth::step_up::{self, CodeOutcome, CodeRequest};
use crate::domain::{CodeError, OneTimeCode, TwoFactorStatus};
use crate::error::AppError;
use crate::routes::login::{codes_locked, refusal_message};
use crate::routes::notice_text;
use crate::web::redirect::{safe_next, see_other};
use crate::state::AppState;
use crate::domain::ClientInfo;
use crate::web::layout::render_with_status;
use crate::web::{CsrfForm, Layout, SignedIn, render, step_up as guard};

/// Where to go back to when `next` is missing or not a local path.
const DEFAULT_NEXT: &str = "/account/settings";

fn next_or_default(raw: Option<&str>) -> String {
    safe_next(raw).unwrap_or_else(|| DEFAULT_NEXT.to_owned())
}

/// `path?next=<next>` (and a notice), with `next` encoded.
fn with_next(path: &str, next: &str, notice: Option<&str>) -> String {
    let mut url = format!("{path}?next={}", utf8_percent_encode(next, NON_ALPHANUMERIC));
    if let Some(notice) = notice {
        url.push_str("&notice=");
        url.push_str(notice);
    }
    url
}

#[derive(Template)]
#[template(path = "confirm_identity.html")]
struct PasswordPage {
    layout: Layout,
    two_factor: bool,
    masked_email: String,
    reauth_minutes: i64,
    next: String,
    error: Option<String>,
}

impl PasswordPage {
    fn new(state: &AppState, signed_in: &SignedIn, next: String, notice: Option<String>) -> PasswordPage {
        PasswordPage {
            layout: Layout::signed_in("Confirm it is you", signed_in, "account").with_notice(notice),
            two_factor: signed_in.agent.two_factor_status() == TwoFactorStatus::Enabled,
            masked_email: signed_in.agent.email_address().masked(),
            reauth_minutes: state.config.reauth_window.num_minutes(),
            next,
            error: None,
        }
    }
}

#[derive(Template)]
#[template(path = "confirm_identity_code.html")]
struct CodePage {
    layout: Layout,
    masked_email: String,
    lifetime_minutes: i64,
    next: String,
    error: Option<String>,
}

const NEEDS_NEW_CODE: &str = "Too many wrong codes were entered, so this code no longer works. Choose Send a new code.";

impl CodePage {
    fn new(state: &AppState, signed_in: &SignedIn, view: &step_up::CodeView, next: String, notice: Option<String>) -> CodePage {
        CodePage {
            layout: Layout::signed_in("Confirm it is you", signed_in, "account").with_notice(notice),
            masked_email: view.masked_email.clone(),
            lifetime_minutes: state.config.codes.code_lifetime.num_minutes(),
            next,
            error: view.needs_new_code.then(|| NEEDS_NEW_CODE.to_owned()),
        }
    }
}

#[derive(Deserialize)]
pub struct IdentityQuery {
    next: Option<String>,
    notice: Option<String>,
}

/// `GET /account/confirm-identity?next=…`: the password step.
pub async fn password_page(state: web::Data<AppState>, signed_in: SignedIn, query: web::Query<IdentityQuery>) -> Result<HttpResponse, AppError> {
    let next = next_or_default(query.next.as_deref());
    render(&PasswordPage::new(&state, &signed_in, next, notice_text(query.notice.as_deref())))
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    next: Option<String>,
}

/// `POST /account/confirm-identity`: checks the password (through the login
/// throttle); with 2FA on, emails a code and goes to the code step.
pub async fn password_submit(
    state: web::Data<AppState>,
    signed_in: SignedIn,
    client: ClientInfo,
    CsrfForm(form): CsrfForm<PasswordForm>,
) -> Result<HttpResponse, AppError> {
    let next = next_or_default(form.next.as_deref());
    let agent = signed_in.agent.clone();
    if !guard::check_current_password(&signed_in, &state, &client, &form.current_password, "on the confirm-identity page").await? {
        let mut page = PasswordPage::new(&state, &signed_in, next, None);
        page.error = Some("That is not your current password.".to_owned());
        return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let now = state.now();
    let config = state.config.clone();
    if agent.two_factor_status() != TwoFactorStatus::Enabled {
        state.db(move |conn| step_up::record_confirmed(conn, &agent, &client, "password", now)).await?;
        return Ok(see_other(&next));
    }
    let previous = signed_in.session.step_up_challenge();
    let request = state.db(move |conn| step_up::start_code(conn, &config, &agent, previous.as_deref(), &client, now)).await?;
    match request {
        CodeRequest::Locked { until } => Err(codes_locked(until, now)),
        CodeRequest::Started { challenge_id, refusal } => {
            signed_in.session.begin_step_up(&challenge_id)?;
            let notice = refusal.map(|_| "code_not_sent");
            Ok(see_other(&with_next("/account/confirm-identity/code", &next, notice)))
        }
    }
}

/// This browser's open confirm-identity challenge and what its page shows,
/// or where to send the browser instead (back to the password step).
async fn open_code_step(state: &AppState, signed_in: &SignedIn, next: &str) -> Result<Result<(String, step_up::CodeView), HttpResponse>, AppError> {
    let restart = || see_other(&with_next("/account/confirm-identity", next, Some("step_up_expired")));
    let Some(challenge_id) = signed_in.session.step_up_challenge() else { return Ok(Err(restart())) };
    let (config, agent, now, id) = (state.config.clone(), signed_in.agent.clone(), state.now(), challenge_id.clone());
    match state.db(move |conn| Ok(step_up::code_view(conn, &config, &agent, &id, now)?)).await? {
        Some(view) => Ok(Ok((challenge_id, view))),
        None => {
            signed_in.session.end_step_up();
            Ok(Err(restart()))
        }
    }
}

/// `GET /account/confirm-identity/code?next=…`: the code step.
pub async fn code_page(state: web::Data<AppState>, signed_in: SignedIn, query: web::Query<IdentityQuery>) -> Result<HttpResponse, AppError> {
    let next = next_or_default(query.next.as_deref());
    let (_, view) = match open_code_step(&state, &signed_in, &next).await? {
        Ok(found) => found,
        Err(redirect) => return Ok(redirect),
    };
    render(&CodePage::new(&state, &signed_in, &view, next, notice_text(query.notice.as_deref())))
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
    next: Option<String>,
}

/// `POST /account/confirm-identity/code`: the right code confirms the
/// identity for the re-authentication window and goes back to `next`.
pub async fn code_submit(
    state: web::Data<AppState>,
    signed_in: SignedIn,
    client: ClientInfo,
    CsrfForm(form): CsrfForm<CodeForm>,
) -> Result<HttpResponse, AppError> {
    let next = next_or_default(form.next.as_deref());
    let (challenge_id, view) = match open_code_step(&state, &signed_in, &next).await? {
        Ok(found) => found,
        Err(redirect) => return Ok(redirect),
    };
    let parsed = OneTimeCode::parse(&form.code);
    let (config, agent, now, submitted) = (state.config.clone(), signed_in.agent.clone(), state.now(), parsed.clone().ok());
    let outcome = state.db(move |conn| step_up::check_code(conn, &config, &agent, &challenge_id, submitted.as_ref(), &client, now)).await?;
    let mut page = CodePage::new(&state, &signed_in, &view, next.clone(), None);
    match outcome {
        CodeOutcome::Confirmed => {
            signed_in.session.record_code_proof(now)?;
            signed_in.session.end_step_up();
            return Ok(see_other(&next));
        }
        CodeOutcome::Wrong { attempts_left } => page.error = Some(wrong_code_message(&parsed, attempts_left, NEEDS_NEW_CODE)),
        CodeOutcome::NeedsNewCode => page.error = Some(NEEDS_NEW_CODE.to_owned()),
        CodeOutcome::Locked { until } => {
            signed_in.session.end_step_up();
            return Err(codes_locked(until, now));
        }
        CodeOutcome::Expired => {
            signed_in.session.end_step_up();
            return Ok(see_other(&with_next("/account/confirm-identity", &next, Some("step_up_expired"))));
        }
    }
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

#[derive(Deserialize)]
pub struct ResendForm {
    next: Option<String>,
}

/// `POST /account/confirm-identity/resend`: another code.
pub async fn resend(
    state: web::Data<AppState>,
    signed_in: SignedIn,
    client: ClientInfo,
    CsrfForm(form): CsrfForm<ResendForm>,
) -> Result<HttpResponse, AppError> {
    let next = next_or_default(form.next.as_deref());
    let (challenge_id, view) = match open_code_step(&state, &signed_in, &next).await? {
        Ok(found) => found,
        Err(redirect) => return Ok(redirect),
    };
    let (config, agent, now) = (state.config.clone(), signed_in.agent.clone(), state.now());
    let sent = state.db(move |conn| step_up::resend_code(conn, &config, &agent, &challenge_id, &client, now)).await?;
    match sent {
        None => Ok(see_other(&with_next("/account/confirm-identity", &next, Some("step_up_expired")))),
        Some(Ok(())) => Ok(see_other(&with_next("/account/confirm-identity/code", &next, Some("code_resent")))),
        Some(Err(IssueRefusal::Locked { until })) => {
            signed_in.session.end_step_up();
            Err(codes_locked(until, now))
        }
        Some(Err(refusal)) => {
            let mut page = CodePage::new(&state, &signed_in, &view, next, None);
            page.error = Some(refusal_message(&refusal, now));
            too_many_codes(&page, &refusal, now)
        }
    }
}

/// Why a code was refused and what is left: "That code is not right. 3
/// attempts left." (a malformed code says what is wrong with it); at none
/// left, `needs_new_code` says what to do.
pub(crate) fn wrong_code_message(parsed: &Result<OneTimeCode, CodeError>, attempts_left: i32, needs_new_code: &str) -> String {
    let reason = parsed.as_ref().err().map(|e| e.to_string()).unwrap_or_else(|| "That code is not right.".to_owned());
    match attempts_left {
        0 => format!("{reason} {needs_new_code}"),
        1 => format!("{reason} 1 attempt left."),
        n => format!("{reason} {n} attempts left."),
    }
}

/// A code page shown again with why no new code was sent: 429 with `Retry-After`.
pub(crate) fn too_many_codes(page: &impl Template, refusal: &IssueRefusal, now: chrono::NaiveDateTime) -> Result<HttpResponse, AppError> {
    let mut response = render_with_status(StatusCode::TOO_MANY_REQUESTS, page)?;
    response.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from(refusal.retry_after_secs(now)));
    Ok(response)
}
