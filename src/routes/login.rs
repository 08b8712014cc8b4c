use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};
use askama::Template;
use chrono::NaiveDateTime;
use serde::Deserialize;

use crate::audit::{self, Event, Outcome};
use crate::auth::codes::IssueRefusal;
use crate::auth::trusted_computers::TrustOffer;
use crate::auth::login::{
    self, BrowserAtLogin, CodeStepOutcome, LoginDecision, PasswordOutcome, PendingLoginView, ResendOutcome, throttled_message,
};
use crate::auth::throttle::{self, LoginGate};
use crate::db::models::Agent;
use crate::domain::{OneTimeCode, login_candidate};
use crate::error::AppError;
use crate::mail::messages::when;
use crate::routes::notice_text;
use crate::web::redirect::{safe_next, see_other};
use crate::state::AppState;
use crate::domain::ClientInfo;
use crate::web::layout::render_with_status;
use crate::web::session::TrustNotice;
use crate::web::forms::NoFields;
use crate::web::{CsrfForm, Layout, TypedSession, csrf, render, trusted_cookie};

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

/// The anonymous login page with a given CSRF token, rendered and nothing
/// else: the benchmark's "bare actix-web + askama" baseline serves exactly this.
pub fn bare_login_page(csrf_token: &str) -> Result<String, AppError> {
    let page = LoginPage { layout: Layout::anonymous("Log in", csrf_token.to_owned()), email: String::new(), next: String::new(), error: None };
    Ok(page.render()?)
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

/// `POST /login`: the password step. With 2FA on, the browser is left in a
/// pending login (not signed in) and sent to the code page, unless it is a
/// trusted computer of this agent. Stale entries of the trusted-computer
/// cookie are cleared whatever the outcome.
pub async fn login_submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: TypedSession,
    client: ClientInfo,
    CsrfForm(form): CsrfForm<LoginForm>,
) -> Result<HttpResponse, AppError> {
    let next = safe_next(form.next.as_deref());
    let browser = BrowserAtLogin { previous_pending: session.pending_login()?, trusted_cookie: trusted_cookie::read(&state, &req) };
    match password_step(&state, &client, &form, browser).await? {
        PasswordOutcome::Accepted { decision, trusted_cookie: kept } => {
            let now = state.now();
            let mut response = match *decision {
                LoginDecision::SignIn(agent) => {
                    session.sign_in(&agent.id)?;
                    // The password was just proven (step-up re-authentication).
                    session.record_password_proof(now)?;
                    see_other(next.as_deref().unwrap_or("/"))
                }
                LoginDecision::TrustedComputer { agent, trusted_until } => {
                    session.sign_in(&agent.id)?;
                    session.set_trust_notice(TrustNotice::CodeSkipped { until: trusted_until.and_utc().timestamp() })?;
                    // The password was just proven; the trusted computer stood
                    // in for the code, which is not a fresh code proof.
                    session.record_password_proof(now)?;
                    see_other(next.as_deref().unwrap_or("/"))
                }
                LoginDecision::CodeRequired { challenge_id, refusal } => {
                    session.begin_pending_login(&challenge_id, next.as_deref())?;
                    see_other(if refusal.is_some() { "/login/verify?notice=code_not_sent" } else { "/login/verify" })
                }
                LoginDecision::CodesLocked { until } => codes_locked(until, now).error_response(),
            };
            trusted_cookie::write(&mut response, &state, &kept, now)?;
            Ok(response)
        }
        PasswordOutcome::Throttled { retry_after } => Err(throttle::refusal(retry_after, throttled_message(retry_after))),
        PasswordOutcome::Rejected => {
            let page = LoginPage {
                layout: Layout::anonymous("Log in", csrf::form_token(&req, &session)),
                // Echoed so the agent need not retype it; never a control character.
                email: form.email.chars().filter(|c| !c.is_control()).take(254).collect(),
                next: next.unwrap_or_default(),
                error: Some(LOGIN_FAILED),
            };
            render_with_status(StatusCode::UNAUTHORIZED, &page)
        }
    }
}

/// The password step: the attempt is counted before its hash (one argon2
/// verification whatever the outcome, unless throttled), then settled.
async fn password_step(state: &AppState, client: &ClientInfo, form: &LoginForm, browser: BrowserAtLogin) -> Result<PasswordOutcome, AppError> {
    // Taking the hashing slot before the throttle counts the attempt means
    // only attempts about to hash are in flight in that count, so a crowd of
    // agents behind one office IP is not refused for logging in at once.
    let slot = state.passwords.reserve().await?;
    let (limits, now) = (state.config.login_limits, state.now());
    let (owned_client, email_raw) = (client.clone(), form.email.clone());
    let (agent, gate) = state.db(move |conn| Ok(login::open_password_step(conn, limits, &owned_client, &email_raw, now)?)).await?;
    let tickets = match gate {
        LoginGate::Closed { retry_after } => return Ok(PasswordOutcome::Throttled { retry_after }),
        LoginGate::Open(tickets) => tickets,
    };
    let stored_hash = agent.as_ref().and_then(|a| a.password_hash.clone());
    let password_ok = slot.verify(login_candidate(&form.password), stored_hash).await?;
    let (config, client, now) = (state.config.clone(), client.clone(), state.now());
    state.db(move |conn| login::settle_password(conn, &config, agent, password_ok, tickets, &client, browser, now)).await
}

/// The page of a browser whose codes are locked (SPEC §3 code lock-out).
pub(crate) fn codes_locked(until: Option<NaiveDateTime>, now: NaiveDateTime) -> AppError {
    match until {
        Some(until) => AppError::TooManyRequests {
            message: format!(
                "Too many wrong codes were entered for this account, so sign-in codes are locked until {}. We emailed you about it. If you did not enter them, change your password.",
                when(until)
            ),
            retry_after_secs: IssueRefusal::Locked { until: Some(until) }.retry_after_secs(now),
        },
        None => AppError::TooManyRequests {
            message: "Too many wrong codes were entered for this account, so sign-in codes are locked until the password is reset. Use \"Forgot your password?\" on the login page, or ask an admin to reset your two-factor authentication.".to_owned(),
            retry_after_secs: 3600,
        },
    }
}

#[derive(Template)]
#[template(path = "login_verify.html")]
struct VerifyPage {
    layout: Layout,
    masked_email: String,
    lifetime_minutes: i64,
    error: Option<String>,
    trusted: bool,
    /// How many days a trusted computer skips the code; `None`: the box is not offered.
    trust_days: Option<u32>,
    /// Why the box is not offered.
    trust_unavailable: Option<&'static str>,
}

#[derive(Deserialize)]
pub struct NoticeQuery {
    notice: Option<String>,
}

impl VerifyPage {
    fn new(state: &AppState, req: &HttpRequest, session: &TypedSession, view: &PendingLoginView, notice: Option<String>) -> VerifyPage {
        let error = view.needs_new_code.then(|| NEEDS_NEW_CODE.to_owned());
        VerifyPage {
            layout: Layout::anonymous("Two-factor authentication", csrf::form_token(req, session)).with_notice(notice),
            masked_email: view.masked_email.clone(),
            lifetime_minutes: state.config.codes.code_lifetime.num_minutes(),
            error,
            trusted: false,
            trust_days: match view.trust_offer {
                TrustOffer::Offered { days } => Some(days),
                _ => None,
            },
            trust_unavailable: view.trust_offer.reason(),
        }
    }
}

const NEEDS_NEW_CODE: &str = "Too many wrong codes were entered for this login, so its codes no longer work. Choose Resend code to get a new one.";

/// The pending login of this browser's session, or where to send it instead.
fn pending_challenge(session: &TypedSession) -> Result<Result<String, HttpResponse>, AppError> {
    match session.pending_login()? {
        Some(challenge_id) => Ok(Ok(challenge_id)),
        None => Ok(Err(see_other(if session.agent_id()?.is_some() { "/" } else { "/login" }))),
    }
}

/// The pending login of this browser, or where to send it instead.
async fn pending_view(state: &AppState, session: &TypedSession) -> Result<Result<(String, PendingLoginView), HttpResponse>, AppError> {
    let challenge_id = match pending_challenge(session)? {
        Ok(challenge_id) => challenge_id,
        Err(redirect) => return Ok(Err(redirect)),
    };
    let (config, id, now) = (state.config.clone(), challenge_id.clone(), state.now());
    match state.db(move |conn| Ok(login::pending_login_view(conn, &config, &id, now)?)).await? {
        Some(view) => Ok(Ok((challenge_id, view))),
        None => {
            // The password step is forgotten after its lifetime: start again.
            session.log_out();
            Ok(Err(see_other("/login?notice=login_expired")))
        }
    }
}

/// `GET /login/verify`: the two-factor authentication window.
pub async fn verify_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: TypedSession,
    query: web::Query<NoticeQuery>,
) -> Result<HttpResponse, AppError> {
    let (_, view) = match pending_view(&state, &session).await? {
        Ok(found) => found,
        Err(redirect) => return Ok(redirect),
    };
    if let Some(until) = view.locked {
        session.log_out();
        return Err(codes_locked(until, state.now()));
    }
    render(&VerifyPage::new(&state, &req, &session, &view, notice_text(query.notice.as_deref())))
}

#[derive(Deserialize)]
pub struct VerifyForm {
    #[serde(default)]
    code: String,
    trusted: Option<String>,
}

/// `POST /login/verify`: the code step. The right code signs the browser in
/// on a new session id; with "I am on a trusted computer" ticked, the
/// browser also gets its trusted-computer token.
pub async fn verify_submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: TypedSession,
    client: ClientInfo,
    CsrfForm(form): CsrfForm<VerifyForm>,
) -> Result<HttpResponse, AppError> {
    let challenge_id = match pending_challenge(&session)? {
        Ok(challenge_id) => challenge_id,
        Err(redirect) => return Ok(redirect),
    };
    let parsed = OneTimeCode::parse(&form.code);
    let trust_requested = form.trusted.as_deref() == Some("on");
    let next = session.pending_next();
    let presented = trusted_cookie::read(&state, &req);
    let (config, submitted, now) = (state.config.clone(), parsed.clone().ok(), state.now());
    let outcome = state
        .db(move |conn| login::verify_login_code(conn, &config, &challenge_id, submitted, trust_requested, presented, &client, now))
        .await?;
    let page_again = |view: &PendingLoginView, error: String| {
        let mut page = VerifyPage::new(&state, &req, &session, view, None);
        page.trusted = trust_requested;
        page.error = Some(error);
        render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
    };
    match outcome {
        CodeStepOutcome::SignedIn { agent, trusted } => {
            // Second privilege change of the login: a new session id again.
            session.sign_in(&agent.id)?;
            // Both factors were just proven (step-up re-authentication).
            let now = state.now();
            session.record_password_proof(now)?;
            session.record_code_proof(now)?;
            let mut response = see_other(safe_next(next.as_deref()).as_deref().unwrap_or("/"));
            if let Some(granted) = trusted {
                session.set_trust_notice(TrustNotice::ComputerTrusted { until: granted.until.and_utc().timestamp() })?;
                trusted_cookie::write(&mut response, &state, &granted.cookie, now)?;
            }
            Ok(response)
        }
        CodeStepOutcome::Wrong { attempts_left, view } => {
            let reason = match &parsed {
                Ok(_) => "That code is not right.".to_owned(),
                Err(e) => e.to_string(),
            };
            let error = if attempts_left == 0 {
                format!("{reason} {NEEDS_NEW_CODE}")
            } else {
                format!("{reason} {attempts_left} {} left before you need a new code.", if attempts_left == 1 { "attempt" } else { "attempts" })
            };
            page_again(&view, error)
        }
        CodeStepOutcome::NeedsNewCode { view } => page_again(&view, NEEDS_NEW_CODE.to_owned()),
        CodeStepOutcome::Locked { until } => {
            session.log_out();
            Err(codes_locked(until, state.now()))
        }
        CodeStepOutcome::Expired => {
            session.log_out();
            Ok(see_other("/login?notice=login_expired"))
        }
    }
}

/// `POST /login/resend`: another code for the pending login.
pub async fn resend(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: TypedSession,
    client: ClientInfo,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    let (challenge_id, view) = match pending_view(&state, &session).await? {
        Ok(found) => found,
        Err(redirect) => return Ok(redirect),
    };
    let now = state.now();
    let config = state.config.clone();
    match state.db(move |conn| login::resend_login_code(conn, &config, &challenge_id, &client, now)).await? {
        ResendOutcome::Sent => Ok(see_other("/login/verify?notice=code_resent")),
        ResendOutcome::Refused(IssueRefusal::Locked { until }) => {
            session.log_out();
            Err(codes_locked(until, now))
        }
        ResendOutcome::Refused(refusal) => {
            let mut page = VerifyPage::new(&state, &req, &session, &view, None);
            page.error = Some(refusal_message(&refusal, now));
            let mut response = render_with_status(StatusCode::TOO_MANY_REQUESTS, &page)?;
            response.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from(refusal.retry_after_secs(now)));
            Ok(response)
        }
        ResendOutcome::Expired => {
            session.log_out();
            Ok(see_other("/login?notice=login_expired"))
        }
    }
}

/// Why no new code was sent, in words.
pub fn refusal_message(refusal: &IssueRefusal, now: NaiveDateTime) -> String {
    let secs = refusal.retry_after_secs(now);
    match refusal {
        IssueRefusal::Cooldown { .. } => format!("A code was sent moments ago. You can ask for another in {secs} seconds; the earlier code still works."),
        IssueRefusal::TooManyCodes { .. } => format!(
            "Too many codes were sent to your address lately. You can ask for another in {} minutes; codes already sent still work.",
            secs.div_ceil(60)
        ),
        IssueRefusal::Locked { .. } => "Sign-in codes are locked for this account after too many wrong codes.".to_owned(),
        IssueRefusal::TooManyFromNetwork { .. } => format!(
            "Too many codes were asked for from your network lately. You can ask for another in {} minutes; codes already sent still work.",
            secs.div_ceil(60)
        ),
    }
}

/// `POST /logout`: deletes the server-side session and records that it ended.
pub async fn logout(
    state: web::Data<AppState>,
    session: TypedSession,
    client: ClientInfo,
    CsrfForm(_): CsrfForm<NoFields>,
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
