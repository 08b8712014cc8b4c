//! `/account/confirm-identity`: step-up re-authentication before a sensitive
//! change (see `auth::confirm_identity`). The current password, then, with
//! 2FA on, a second factor the agent logs in with (a passkey, the app's code
//! or an emailed code); then back to `next`.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::auth::Context;
use crate::auth::code_step::{self, CodeOutcome, CodeView, Resent};
use crate::auth::codes::IssueRefusal;
use crate::auth::confirm_identity::{self, CodeRequest};
use crate::db::DbConnection;
use crate::db::models::code_challenge::ChallengePurpose;
use crate::domain::{OneTimeCode, TwoFactorStatus};
use crate::error::AppError;
use crate::i18n::key;
use crate::auth::login::{LoginMethod, LoginMethods};
use crate::auth::passkeys::{self, Assertion};
use crate::db::models::Agent;
use crate::routes::code_page::{CodePage, CodePageSpec, Link, OtherMethods, ParsedAnswer, PasskeyStep, codes_locked, notice_and_wait};
use crate::routes::notice_text;
use crate::web::redirect::{query_value, safe_next, see_other};
use crate::state::AppState;
use crate::domain::ClientInfo;
use crate::web::layout::render_with_status;
use crate::web::{CsrfForm, Layout, SignedIn, render, confirm_identity as guard};

/// Where to go back to when `next` is missing or not a local path.
const DEFAULT_NEXT: &str = "/account/settings";

fn next_or_default(raw: Option<&str>) -> String {
    safe_next(raw).unwrap_or_else(|| DEFAULT_NEXT.to_owned())
}

/// `path?next=<next>` (and a notice), with `next` encoded.
fn with_next(path: &str, next: &str, notice: Option<&str>) -> String {
    let mut url = format!("{path}?next={}", query_value(next));
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
    /// What the second step will ask for (`passkey`, `app` or `email`).
    method: &'static str,
    masked_email: String,
    reauth_minutes: i64,
    next: String,
    error: Option<String>,
}

impl PasswordPage {
    fn new(state: &AppState, signed_in: &SignedIn, next: String, notice: Option<String>) -> PasswordPage {
        PasswordPage {
            layout: Layout::signed_in(crate::i18n::t("confirm-identity-title"), signed_in, "account").with_notice(notice),
            two_factor: signed_in.agent.two_factor_status() == TwoFactorStatus::Enabled,
            method: method_for(&methods_of(signed_in, &signed_in.agent), None).as_str(),
            masked_email: signed_in.agent.email_address().masked(),
            reauth_minutes: state.config.reauth_window.num_minutes(),
            next,
            error: None,
        }
    }
}

/// The code step's page.
const CODE_PAGE: CodePageSpec = CodePageSpec {
    title: key("confirm-identity-title"),
    eyebrow: key("code-step-2-of-2"),
    heading: key("confirm-identity-title"),
    purpose: key("confirm-identity-purpose"),
    nothing_waiting: key("confirm-identity-nothing-waiting"),
    action: "/account/confirm-identity/code",
    submit_label: key("confirm-identity-confirm"),
    resend_action: "/account/confirm-identity/resend",
    resend_label: key("confirm-identity-resend"),
    resend_help: None,
    needs_new_code: key("confirm-identity-needs-new-code"),
    cancel: None,
    links: &[Link { href: "/account/settings", text: key("confirm-identity-back") }],
    links_note: None,
};

/// The second factors the agent could log in with (`agent` as the step
/// read it): the ones the step accepts.
fn methods_of(signed_in: &SignedIn, agent: &Agent) -> LoginMethods {
    LoginMethods::of(&signed_in.company, agent)
}

/// The method the step asks for: the one requested if the agent has it,
/// else their login's first (a passkey, the app, email). Never a recovery
/// code (see `auth::confirm_identity`).
fn method_for(methods: &LoginMethods, requested: Option<&str>) -> LoginMethod {
    let requested = requested.and_then(LoginMethod::parse).filter(|m| *m != LoginMethod::Recovery);
    methods.method(requested)
}

fn code_page(state: &AppState, signed_in: &SignedIn, view: &CodeView, method: LoginMethod, next: String, notice: Option<&str>) -> CodePage {
    let methods = methods_of(signed_in, &view.agent);
    let (notice, wait) = notice_and_wait(notice, view.next_code_at);
    let layout = Layout::signed_in(crate::i18n::current().say(CODE_PAGE.title), signed_in, "account").with_notice(notice);
    let lifetime = state.config.codes.code_lifetime.num_minutes();
    let mut page = CodePage::new(&CODE_PAGE, layout, Some(view.sent_to.masked()), lifetime, view.needs_new_code && method == LoginMethod::Email).with_next(next);
    page.method = method.as_str();
    page.email_sent = view.email_sent;
    page.wait = wait;
    page.other_methods = OtherMethods {
        app: methods.has_app && method != LoginMethod::App,
        passkey: methods.has_passkey && method != LoginMethod::Passkey,
        email: methods.email_offered && method != LoginMethod::Email,
        recovery: false,
    };
    if method == LoginMethod::Passkey {
        page.passkey = passkeys::rp_id(&state.config).map(|rp_id| PasskeyStep { options_url: "/account/confirm-identity/passkey", rp_id });
    }
    page
}

#[derive(Deserialize)]
pub struct IdentityQuery {
    next: Option<String>,
    notice: Option<String>,
    method: Option<String>,
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
    req: HttpRequest,
    state: web::Data<AppState>,
    signed_in: SignedIn,
    client: ClientInfo,
    CsrfForm(form): CsrfForm<PasswordForm>,
) -> Result<HttpResponse, AppError> {
    let next = next_or_default(form.next.as_deref());
    let agent = signed_in.agent.clone();
    if !guard::check_current_password(&req, &signed_in, &state, &client, &form.current_password, "on the confirm-identity page").await? {
        let mut page = PasswordPage::new(&state, &signed_in, next, None);
        page.error = Some(crate::i18n::t("confirm-identity-wrong-password"));
        return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let now = state.now();
    let config = state.config.clone();
    if agent.two_factor_status() != TwoFactorStatus::Enabled {
        state.db(move |conn| Ok(confirm_identity::record_confirmed(conn, &agent, &client, "password", now)?)).await?;
        return Ok(see_other(&next));
    }
    let previous = signed_in.session.confirm_identity_challenge();
    let methods = methods_of(&signed_in, &agent);
    let request = state.db(move |conn| Ok(confirm_identity::start_code(conn, &config, &agent, methods, previous.as_deref(), &client, now)?)).await?;
    match request {
        CodeRequest::Locked { until } => Err(codes_locked(until, now)),
        CodeRequest::Started { challenge_id, refusal } => {
            signed_in.session.begin_confirm_identity(&challenge_id)?;
            let notice = refusal.map(|_| "code_not_sent");
            Ok(see_other(&with_next("/account/confirm-identity/code", &next, notice)))
        }
    }
}

/// This browser's open confirm-identity challenge and what its page shows,
/// or where to send the browser instead (back to the password step).
async fn open_code_step(state: &AppState, signed_in: &SignedIn, next: &str) -> Result<Result<(String, CodeView), HttpResponse>, AppError> {
    let restart = || see_other(&with_next("/account/confirm-identity", next, Some("step_up_expired")));
    let Some(challenge_id) = signed_in.session.confirm_identity_challenge() else { return Ok(Err(restart())) };
    let (config, agent, now, id) = (state.config.clone(), signed_in.agent.clone(), state.now(), challenge_id.clone());
    let holder_view = move |conn: &mut DbConnection| code_step::view(conn, &config, confirm_identity::holder(&agent, &id), ChallengePurpose::ConfirmIdentity, now);
    match state.db(move |conn| Ok(holder_view(conn)?)).await? {
        Some(view) => Ok(Ok((challenge_id, view))),
        None => {
            signed_in.session.end_confirm_identity();
            Ok(Err(restart()))
        }
    }
}

/// `GET /account/confirm-identity/code?next=…`: the code step.
pub async fn code_step_page(state: web::Data<AppState>, signed_in: SignedIn, query: web::Query<IdentityQuery>) -> Result<HttpResponse, AppError> {
    let next = next_or_default(query.next.as_deref());
    let (_, view) = match open_code_step(&state, &signed_in, &next).await? {
        Ok(found) => found,
        Err(redirect) => return Ok(redirect),
    };
    let method = method_for(&methods_of(&signed_in, &view.agent), query.method.as_deref());
    render(&code_page(&state, &signed_in, &view, method, next, query.notice.as_deref()))
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
    next: Option<String>,
    method: Option<String>,
    /// With `passkey`: the ceremony and the browser's answer (JSON).
    #[serde(default)]
    ceremony: String,
    #[serde(default)]
    credential: String,
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
    let method = method_for(&methods_of(&signed_in, &view.agent), form.method.as_deref());
    let parsed = match method {
        LoginMethod::App => ParsedAnswer::App(OneTimeCode::parse(&form.code)),
        LoginMethod::Passkey => ParsedAnswer::Passkey(Assertion::parse(&form.ceremony, &form.credential)),
        LoginMethod::Email | LoginMethod::Recovery => ParsedAnswer::Emailed(OneTimeCode::parse(&form.code)),
    };
    let (config, agent, now, submitted) = (state.config.clone(), signed_in.agent.clone(), state.now(), parsed.clone());
    let outcome = state
        .db(move |conn| {
            let ctx = Context { config: &config, client: &client, now };
            Ok(confirm_identity::check_code(conn, &ctx, &agent, &challenge_id, submitted.answer())?)
        })
        .await?;
    let page = code_page(&state, &signed_in, &view, method, next.clone(), None);
    match outcome {
        CodeOutcome::Accepted(()) => {
            signed_in.session.record_code_proof(now)?;
            signed_in.session.end_confirm_identity();
            Ok(see_other(&next))
        }
        CodeOutcome::Wrong { attempts_left } => page.wrong_answer(&parsed, attempts_left),
        CodeOutcome::NeedsNewCode => page.needs_new_code(),
        CodeOutcome::Locked { until } => {
            signed_in.session.end_confirm_identity();
            Err(codes_locked(until, now))
        }
        CodeOutcome::Expired => {
            signed_in.session.end_confirm_identity();
            Ok(see_other(&with_next("/account/confirm-identity", &next, Some("step_up_expired"))))
        }
    }
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
    let methods = methods_of(&signed_in, &view.agent);
    if method_for(&methods, Some("email")) != LoginMethod::Email {
        // No emailed codes for an agent whose company does not count them: nothing is sent.
        return Ok(see_other(&with_next("/account/confirm-identity/code", &next, None)));
    }
    let (config, agent, now) = (state.config.clone(), signed_in.agent.clone(), state.now());
    let sent = state
        .db(move |conn| {
            let ctx = Context { config: &config, client: &client, now };
            Ok(code_step::resend(conn, &ctx, confirm_identity::holder(&agent, &challenge_id), ChallengePurpose::ConfirmIdentity)?)
        })
        .await?;
    match sent {
        Resent::Expired => Ok(see_other(&with_next("/account/confirm-identity", &next, Some("step_up_expired")))),
        Resent::Sent if method_for(&methods, None) != LoginMethod::Email => Ok(see_other(&format!("{}&method=email", with_next("/account/confirm-identity/code", &next, Some("code_resent"))))),
        Resent::Sent => Ok(see_other(&with_next("/account/confirm-identity/code", &next, Some("code_resent")))),
        Resent::Refused(IssueRefusal::Locked { until }) => {
            signed_in.session.end_confirm_identity();
            Err(codes_locked(until, now))
        }
        Resent::Refused(refusal) => code_page(&state, &signed_in, &view, LoginMethod::Email, next, None).not_sent(&refusal, now),
    }
}
