use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};
use askama::Template;
use serde::Deserialize;

use crate::audit::{self, Event, Outcome};
use crate::auth::codes::IssueRefusal;
use crate::auth::trusted_computers::TrustOffer;
use crate::auth::Context;
use crate::auth::code_step::{self, CodeOutcome, Resent};
use crate::auth::login::{self, BrowserAtLogin, LoginDecision, LoginMethod, PasswordOutcome, PendingLoginView, SignedInByCode, throttled_message};
use crate::db::models::code_challenge::ChallengePurpose;
use crate::auth::passkeys::{self, Assertion};
use crate::routes::code_page::{CodePage, CodePageSpec, Link, OtherMethods, ParsedAnswer, PasskeyStep, codes_locked, dead_login, notice_and_wait};
use crate::auth::login_gate::LoginGate;
use crate::auth::throttle;
use crate::db::models::Agent;
use crate::domain::{OneTimeCode, RecoveryCode, login_candidate};
use crate::error::AppError;
use crate::i18n::key;
use crate::metrics::{self, LoginOutcome};
use crate::routes::notice_text;
use crate::web::redirect::{safe_next, see_other};
use crate::state::AppState;
use crate::domain::ClientInfo;
use crate::web::layout::render_with_status;
use crate::web::session::TrustNotice;
use crate::web::forms::{NoFields, ticked};
use crate::web::{CsrfForm, Layout, TypedSession, csrf, device_cookie, render, trusted_cookie};

/// The one message for every failed login (SPEC §3).
fn login_failed() -> String {
    crate::i18n::t("login-failed")
}

/// The login page's title.
fn login_title() -> String {
    crate::i18n::t("login-title")
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    layout: Layout,
    email: String,
    next: String,
    error: Option<String>,
    /// Passkeys are available here (the relying party id the script checks).
    passkey_rp_id: Option<String>,
    /// No company exists yet: the page points at the setup link instead of a form that cannot work.
    setup_pending: bool,
}

/// The anonymous login page with a given CSRF token, rendered and nothing
/// else: the benchmark's "bare actix-web + askama" baseline serves exactly this.
pub fn bare_login_page(csrf_token: &str) -> Result<String, AppError> {
    let page = LoginPage { layout: Layout::anonymous(login_title(), csrf_token.to_owned()), email: String::new(), next: String::new(), error: None, passkey_rp_id: None, setup_pending: false };
    Ok(page.render()?)
}

#[derive(Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
    notice: Option<String>,
    /// Filled in when the server sent the browser here knowing the address.
    email: Option<String>,
}

/// An email to echo into the login form: printable, at most 254 characters.
fn echoed_email(raw: &str) -> String {
    raw.chars().filter(|c| !c.is_control()).take(254).collect()
}

/// `GET /login`. Writes nothing to the database: the form's CSRF token lives in a signed cookie.
pub async fn login_page(req: HttpRequest, state: web::Data<AppState>, session: TypedSession, query: web::Query<LoginQuery>) -> Result<HttpResponse, AppError> {
    let next = safe_next(query.next.as_deref());
    if session.agent_id()?.is_some() {
        return Ok(see_other(next.as_deref().unwrap_or("/")));
    }
    let page = LoginPage {
        layout: Layout::anonymous(login_title(), csrf::form_token(&req, &session)).with_notice(notice_text(query.notice.as_deref())),
        email: query.email.as_deref().map(echoed_email).unwrap_or_default(),
        next: next.unwrap_or_default(),
        error: None,
        passkey_rp_id: passkeys::rp_id(&state.config),
        setup_pending: state.setup_pending().await?,
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
    match password_step(&state, &req, &client, &form, browser).await? {
        PasswordOutcome::Accepted { decision, trusted_cookie: kept } => {
            let now = state.now();
            let mut response = match *decision {
                LoginDecision::SignIn(agent) => {
                    metrics::login(LoginOutcome::SignedIn);
                    session.sign_in(&agent.id, &client)?;
                    // The password was just proven (step-up re-authentication).
                    session.record_password_proof(now)?;
                    let mut response = see_other(next.as_deref().unwrap_or("/"));
                    device_cookie::remember(&mut response, &state, &req, &agent.id)?;
                    response
                }
                LoginDecision::TrustedComputer { agent, trusted_until } => {
                    metrics::login(LoginOutcome::TrustedComputer);
                    session.sign_in(&agent.id, &client)?;
                    session.set_trust_notice(TrustNotice::CodeSkipped { until: trusted_until.and_utc().timestamp() })?;
                    // The password was just proven; the trusted computer stood
                    // in for the code, which is not a fresh code proof.
                    session.record_password_proof(now)?;
                    let mut response = see_other(next.as_deref().unwrap_or("/"));
                    device_cookie::remember(&mut response, &state, &req, &agent.id)?;
                    response
                }
                LoginDecision::CodeRequired { challenge_id, refusal } => {
                    metrics::login(LoginOutcome::CodeSent);
                    session.begin_pending_login(&challenge_id, next.as_deref())?;
                    see_other(if refusal.is_some() { "/login/verify?notice=code_not_sent" } else { "/login/verify" })
                }
                LoginDecision::CodesLocked { until } => {
                    metrics::login(LoginOutcome::Locked);
                    codes_locked(until, now).error_response()
                }
            };
            trusted_cookie::write(&mut response, &state, &kept, now)?;
            Ok(response)
        }
        PasswordOutcome::Throttled { retry_after } => {
            metrics::login(LoginOutcome::Throttled);
            Err(throttle::refusal(retry_after, throttled_message(retry_after)).into())
        }
        PasswordOutcome::Rejected => {
            metrics::login(LoginOutcome::WrongPassword);
            let page = LoginPage {
                layout: Layout::anonymous(login_title(), csrf::form_token(&req, &session)),
                // Echoed so the agent need not retype it; never a control character.
                email: echoed_email(&form.email),
                next: next.unwrap_or_default(),
                error: Some(login_failed()),
                passkey_rp_id: passkeys::rp_id(&state.config),
                setup_pending: false,
            };
            render_with_status(StatusCode::UNAUTHORIZED, &page)
        }
    }
}

/// The password step: the attempt is counted before its hash (one argon2
/// verification whatever the outcome, unless throttled), then settled.
async fn password_step(state: &AppState, req: &HttpRequest, client: &ClientInfo, form: &LoginForm, browser: BrowserAtLogin) -> Result<PasswordOutcome, AppError> {
    let device = device_cookie::read(state, req);
    // Taking the hashing slot before the throttle counts the attempt means
    // only attempts about to hash are in flight in that count, so a crowd of
    // agents behind one office IP is not refused for logging in at once.
    // A browser an agent signed in on before has a lane of its own, so a
    // flood of guesses from elsewhere does not make it wait.
    let slot = if device.is_empty() { state.passwords.reserve().await? } else { state.passwords.reserve_priority().await? };
    let (limits, now) = (state.config.login_limits, state.now());
    let (owned_client, email_raw) = (client.clone(), form.email.clone());
    let (agent, gate) = state.db(move |conn| Ok(login::open_password_step(conn, limits, &owned_client, &email_raw, &device, now)?)).await?;
    let tickets = match gate {
        LoginGate::Closed { retry_after } => return Ok(PasswordOutcome::Throttled { retry_after }),
        LoginGate::Open(tickets) => tickets,
    };
    let stored_hash = agent.as_ref().and_then(|(a, _)| a.password_hash.clone());
    let password_ok = slot.verify(login_candidate(&form.password), stored_hash).await?;
    let (config, client, now) = (state.config.clone(), client.clone(), state.now());
    state.db(move |conn| Ok(login::settle_password(conn, &Context { config: &config, client: &client, now }, agent, password_ok, tickets, browser)?)).await
}

/// The code step of a login: the two-factor authentication window.
const VERIFY_PAGE: CodePageSpec = CodePageSpec {
    title: key("code-login-title"),
    eyebrow: key("code-step-2-of-2"),
    heading: key("code-login-title"),
    purpose: key("code-login-purpose"),
    nothing_waiting: key("code-login-nothing-waiting"),
    action: "/login/verify",
    submit_label: key("login-submit"),
    resend_action: "/login/resend",
    resend_label: key("code-login-resend"),
    resend_help: Some(key("code-login-resend-help")),
    needs_new_code: key("code-login-needs-new-code"),
    cancel: None,
    links: &[Link { href: "/login", text: key("code-login-other-account") }],
    links_note: None,
};

#[derive(Deserialize)]
pub struct VerifyQuery {
    notice: Option<String>,
    method: Option<String>,
}

fn requested_method(raw: Option<&str>) -> Option<LoginMethod> {
    raw.and_then(LoginMethod::parse)
}

fn parse_answer(method: LoginMethod, form: &VerifyForm) -> ParsedAnswer {
    let raw = form.code.as_str();
    match method {
        LoginMethod::Email => ParsedAnswer::Emailed(OneTimeCode::parse(raw)),
        LoginMethod::App => ParsedAnswer::App(OneTimeCode::parse(raw)),
        LoginMethod::Recovery => ParsedAnswer::Recovery(RecoveryCode::parse(raw)),
        LoginMethod::Passkey => ParsedAnswer::Passkey(Assertion::parse(&form.ceremony, &form.credential)),
    }
}

/// The code step's page for `method`, with the other methods the agent has.
fn verify_page(state: &AppState, req: &HttpRequest, session: &TypedSession, view: &PendingLoginView, method: LoginMethod, notice: Option<&str>) -> CodePage {
    let (notice, wait) = notice_and_wait(notice, view.next_code_at);
    let layout = Layout::anonymous(crate::i18n::current().say(VERIFY_PAGE.title), csrf::form_token(req, session)).with_notice(notice);
    let lifetime = state.config.codes.code_lifetime.num_minutes();
    let mut page = CodePage::new(&VERIFY_PAGE, layout, Some(view.masked_email.clone()), lifetime, view.needs_new_code && method == LoginMethod::Email);
    page.trust_days = match view.trust_offer {
        TrustOffer::Offered { days } => Some(days),
        _ => None,
    };
    page.trust_unavailable = view.trust_offer.reason();
    page.method = method.as_str();
    page.email_sent = view.email_sent;
    page.wait = wait.filter(|_| method == LoginMethod::Email);
    page.other_methods = OtherMethods {
        app: view.methods.has_app && method != LoginMethod::App,
        email: view.methods.email_offered && method != LoginMethod::Email,
        recovery: view.methods.recovery_left > 0 && method != LoginMethod::Recovery,
        passkey: view.methods.has_passkey && method != LoginMethod::Passkey,
    };
    if method == LoginMethod::Passkey {
        page.passkey = passkeys::rp_id(&state.config).map(|rp_id| PasskeyStep { options_url: "/login/verify/passkey", rp_id });
    }
    if view.needs_new_code && method != LoginMethod::Email {
        page.error = Some(dead_login());
    }
    page
}

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
pub async fn verify_step_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: TypedSession,
    query: web::Query<VerifyQuery>,
) -> Result<HttpResponse, AppError> {
    let (_, view) = match pending_view(&state, &session).await? {
        Ok(found) => found,
        Err(redirect) => return Ok(redirect),
    };
    if let Some(until) = view.locked {
        session.log_out();
        return Err(codes_locked(until, state.now()));
    }
    let method = view.methods.method(requested_method(query.method.as_deref()));
    render(&verify_page(&state, &req, &session, &view, method, query.notice.as_deref()))
}

#[derive(Deserialize)]
pub struct VerifyForm {
    #[serde(default)]
    code: String,
    trusted: Option<String>,
    /// `app`, `email`, `recovery` or `passkey` (SPEC §7); the agent's default without it.
    method: Option<String>,
    /// With `passkey`: the ceremony and the browser's answer (JSON).
    #[serde(default)]
    ceremony: String,
    #[serde(default)]
    credential: String,
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
    let trust_requested = ticked(form.trusted.as_deref());
    let next = session.pending_next();
    let presented = trusted_cookie::read(&state, &req);
    let (config, now) = (state.config.clone(), state.now());
    let (id, code_client) = (challenge_id.clone(), client.clone());
    // One trip to the database: which method the answer is for (as the
    // page that sent it shows it), then the answer's check.
    let checked = state
        .db(move |conn| {
            let Some(pending) = login::pending_login_methods(conn, &id, now)? else { return Ok(None) };
            let method = pending.methods.method(requested_method(form.method.as_deref()));
            let parsed = parse_answer(method, &form);
            let ctx = Context { config: &config, client: &code_client, now };
            let outcome = login::verify_login_code(conn, &ctx, &id, &pending, parsed.answer(), trust_requested, presented)?;
            Ok::<_, AppError>(Some((method, parsed, outcome)))
        })
        .await?;
    let Some((method, parsed, outcome)) = checked else {
        session.log_out();
        return Ok(see_other("/login?notice=login_expired"));
    };
    // A refused code shows the page again as it now stands.
    let page_again = || async {
        let (config, now) = (state.config.clone(), state.now());
        let view = state.db(move |conn| Ok(login::pending_login_view(conn, &config, &challenge_id, now)?)).await?;
        match view {
            Some(view) => {
                let mut page = verify_page(&state, &req, &session, &view, method, None);
                page.trusted = trust_requested;
                Ok(Ok(page))
            }
            None => {
                session.log_out();
                Ok::<_, AppError>(Err(see_other("/login?notice=login_expired")))
            }
        }
    };
    match outcome {
        CodeOutcome::Accepted(SignedInByCode { agent, trusted }) => {
            metrics::login(LoginOutcome::SignedIn);
            // Second privilege change of the login: a new session id again.
            session.sign_in(&agent.id, &client)?;
            // Both factors were just proven (step-up re-authentication).
            session.record_password_proof(now)?;
            session.record_code_proof(now)?;
            let mut response = see_other(safe_next(next.as_deref()).as_deref().unwrap_or("/"));
            device_cookie::remember(&mut response, &state, &req, &agent.id)?;
            if let Some(granted) = trusted {
                session.set_trust_notice(TrustNotice::ComputerTrusted { until: granted.until.and_utc().timestamp() })?;
                trusted_cookie::write(&mut response, &state, &granted.cookie, now)?;
            }
            Ok(response)
        }
        CodeOutcome::Wrong { attempts_left } => {
            metrics::login(LoginOutcome::WrongCode);
            match page_again().await? {
                Ok(page) => page.wrong_answer(&parsed, attempts_left),
                Err(redirect) => Ok(redirect),
            }
        }
        CodeOutcome::NeedsNewCode => match page_again().await? {
            Ok(page) => page.needs_new_code(),
            Err(redirect) => Ok(redirect),
        },
        CodeOutcome::Locked { until } => {
            metrics::login(LoginOutcome::Locked);
            session.log_out();
            Err(codes_locked(until, now))
        }
        CodeOutcome::Expired => {
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
    if view.methods.method(Some(LoginMethod::Email)) != LoginMethod::Email {
        // Emailed codes do not count for this agent (company policy): none is sent.
        return Ok(see_other("/login/verify"));
    }
    let now = state.now();
    let config = state.config.clone();
    let sent = state
        .db(move |conn| Ok(code_step::resend(conn, &Context { config: &config, client: &client, now }, login::holder(&challenge_id), ChallengePurpose::Login)?))
        .await?;
    match sent {
        // An agent with an app asked for an email: the page now asks for that code.
        Resent::Sent if view.methods.has_app => Ok(see_other("/login/verify?method=email&notice=code_resent")),
        Resent::Sent => Ok(see_other("/login/verify?notice=code_resent")),
        Resent::Refused(IssueRefusal::Locked { until }) => {
            session.log_out();
            Err(codes_locked(until, now))
        }
        Resent::Refused(refusal) => verify_page(&state, &req, &session, &view, LoginMethod::Email, None).not_sent(&refusal, now),
        Resent::Expired => {
            session.log_out();
            Ok(see_other("/login?notice=login_expired"))
        }
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
