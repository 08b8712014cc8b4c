//! Passkeys and security keys (SPEC §7): Account Setting's page that lists,
//! adds and removes them (`/account/passkeys`), the two sign-ins with one:
//! the login's second step (`/login/verify`, `method=passkey`, with its
//! options from `/login/verify/passkey`) and passwordless sign-in
//! (`/login/passkey`), and the second step of confirming it is you
//! (`/account/confirm-identity/code`, options from
//! `/account/confirm-identity/passkey`). The browser's half is `static/passkeys.js`: the
//! options come as JSON from a POST with the form's CSRF token, and the
//! answer goes back in the form's hidden fields, so every change is a form
//! post like any other.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::auth::Context;
use crate::auth::code_step;
use crate::auth::confirm_identity;
use crate::auth::login::{self as login_steps, LoginMethods};
use crate::auth::passkeys::{self, Assertion, Passwordless, RegisterRefusal, RemoveRefusal, Started};
use crate::auth::recovery_codes;
use crate::db::models::code_challenge::ChallengePurpose;
use crate::db::models::passkey::StoredPasskey;
use crate::domain::{ClientInfo, PasskeyName};
use crate::error::AppError;
use crate::i18n::t;
use crate::metrics::{self, LoginOutcome};
use crate::routes::code_page::codes_locked;
use crate::routes::notice_text;
use crate::routes::second_factors::show_new_set;
use crate::state::AppState;
use crate::web::confirm_identity::require_confirmed_identity;
use crate::web::forms::NoFields;
use crate::web::layout::render_with_status;
use crate::web::redirect::{safe_next, see_other};
use crate::web::{CsrfForm, Layout, SignedIn, TypedSession, device_cookie, render};

const PAGE: &str = "/account/passkeys";

#[derive(Template)]
#[template(path = "passkeys.html")]
struct PasskeysPage {
    layout: Layout,
    passkeys: Vec<PasskeyRow>,
    /// The relying party id (`None`: passkeys are unavailable on this server).
    rp_id: Option<String>,
    name: String,
    error: Option<String>,
    max: usize,
}

struct PasskeyRow {
    id: String,
    name: String,
    added: String,
    last_used: String,
}

impl PasskeyRow {
    /// A row, its times in the reader's language and zone.
    fn of(passkey: &StoredPasskey) -> PasskeyRow {
        let tr = crate::i18n::current();
        PasskeyRow {
            id: passkey.id.clone(),
            name: passkey.name.clone(),
            added: tr.short_date_time(passkey.created_at),
            last_used: tr.short_date_time_or_never(passkey.last_used_at),
        }
    }
}

async fn page(state: &AppState, signed_in: &SignedIn, notice: Option<String>, name: String, error: Option<String>) -> Result<PasskeysPage, AppError> {
    let agent_id = signed_in.agent.id.clone();
    let passkeys = state.db(move |conn| Ok(passkeys::list(conn, &agent_id)?)).await?;
    Ok(PasskeysPage {
        layout: Layout::signed_in(t("passkeys-title"), signed_in, "account").with_notice(notice),
        passkeys: passkeys.iter().map(PasskeyRow::of).collect(),
        rp_id: passkeys::rp_id(&state.config),
        name,
        error,
        max: passkeys::MAX_PER_AGENT,
    })
}

#[derive(Deserialize)]
pub struct NoticeQuery {
    notice: Option<String>,
}

/// `GET /account/passkeys`: the agent's passkeys, and the form that adds one.
pub async fn passkeys_page(state: web::Data<AppState>, signed_in: SignedIn, query: web::Query<NoticeQuery>) -> Result<HttpResponse, AppError> {
    require_confirmed_identity(&signed_in, &state, PAGE)?;
    render(&page(&state, &signed_in, notice_text(query.notice.as_deref()), String::new(), None).await?)
}

/// The options of a ceremony as the script reads them (or 409 when there is
/// nothing to start: passkeys unavailable, or no passkey to ask for).
fn started(started: Option<Started>) -> HttpResponse {
    match started {
        Some(started) => HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).json(started),
        None => HttpResponse::Conflict().content_type("text/plain; charset=utf-8").body(t("passkeys-no-ceremony")),
    }
}

/// `POST /account/passkeys/options`: starts adding a passkey (JSON).
pub async fn registration_options(state: web::Data<AppState>, signed_in: SignedIn, CsrfForm(_): CsrfForm<NoFields>) -> Result<HttpResponse, AppError> {
    require_confirmed_identity(&signed_in, &state, PAGE)?;
    let (config, agent, now) = (state.config.clone(), signed_in.agent.clone(), state.now());
    Ok(started(state.db(move |conn| Ok(passkeys::start_registration(conn, &config, &agent, now)?)).await?))
}

#[derive(Deserialize)]
pub struct AddForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    ceremony: String,
    #[serde(default)]
    credential: String,
}

/// `POST /account/passkeys`: the browser's new credential, under the name
/// the agent gave it. A first second factor also gets a first set of
/// recovery codes, shown once.
pub async fn add(state: web::Data<AppState>, signed_in: SignedIn, client: ClientInfo, CsrfForm(form): CsrfForm<AddForm>) -> Result<HttpResponse, AppError> {
    require_confirmed_identity(&signed_in, &state, PAGE)?;
    let name = match PasskeyName::parse(&form.name) {
        Ok(name) => name,
        Err(e) => return refused(&state, &signed_in, form.name, e.to_string()).await,
    };
    let (config, agent, now) = (state.config.clone(), signed_in.agent.clone(), state.now());
    let (ceremony, credential) = (form.ceremony.clone(), form.credential.clone());
    let added = state
        .db(move |conn| {
            let ctx = Context { config: &config, client: &client, now };
            let added = passkeys::finish_registration(conn, &ctx, &agent, ceremony.trim(), &name, &credential)?;
            let first_codes = match &added {
                Ok(added) if added.first_factor && agent.recovery_codes_left == 0 => Some(recovery_codes::generate_set(conn, &ctx, &agent)?),
                _ => None,
            };
            Ok((added, first_codes))
        })
        .await?;
    match added {
        (Ok(_), Some(codes)) => {
            // The new passkey was just used (user verification): a fresh second factor.
            signed_in.session.record_code_proof(state.now())?;
            show_new_set(&state, &signed_in, codes, true)
        }
        (Ok(_), None) => Ok(see_other("/account/passkeys?notice=passkey_added")),
        (Err(refusal @ (RegisterRefusal::Expired | RegisterRefusal::Failed | RegisterRefusal::AlreadyRegistered | RegisterRefusal::TooMany)), _) => {
            refused(&state, &signed_in, form.name, refusal.to_string()).await
        }
    }
}

async fn refused(state: &AppState, signed_in: &SignedIn, name: String, error: String) -> Result<HttpResponse, AppError> {
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page(state, signed_in, None, name, Some(error)).await?)
}

/// `POST /account/passkeys/{id}/remove`: removes one (identity confirmed first).
pub async fn remove(
    state: web::Data<AppState>,
    signed_in: SignedIn,
    client: ClientInfo,
    path: web::Path<String>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    require_confirmed_identity(&signed_in, &state, PAGE)?;
    let (config, agent, now, id) = (state.config.clone(), signed_in.agent.clone(), state.now(), path.into_inner());
    let removed = state.db(move |conn| Ok(passkeys::remove(conn, &Context { config: &config, client: &client, now }, &agent, &id)?)).await?;
    match removed {
        Ok(()) => Ok(see_other("/account/passkeys?notice=passkey_removed")),
        Err(RemoveRefusal::NotFound) => Err(AppError::NotFound),
        Err(refusal @ RemoveRefusal::LastFactorRequired) => Err(AppError::bad_request(refusal.to_string())),
    }
}

/// `POST /login/verify/passkey`: starts the passkey ceremony of this
/// browser's pending login (JSON).
pub async fn second_factor_options(state: web::Data<AppState>, session: TypedSession, CsrfForm(_): CsrfForm<NoFields>) -> Result<HttpResponse, AppError> {
    let Some(login_id) = session.pending_login()? else { return Ok(started(None)) };
    let (config, now) = (state.config.clone(), state.now());
    let options = state
        .db(move |conn| {
            let Some(pending) = login_steps::pending_login_methods(conn, &login_id, now)? else { return Ok(None) };
            if !pending.methods.has_passkey {
                return Ok(None);
            }
            Ok(passkeys::start_second_factor(conn, &config, &login_id, &pending.agent.id, now)?)
        })
        .await?;
    Ok(started(options))
}

/// `POST /account/confirm-identity/passkey`: starts the passkey ceremony of
/// this browser's confirm-identity step (JSON), for the agent's own passkeys.
pub async fn step_up_options(state: web::Data<AppState>, signed_in: SignedIn, CsrfForm(_): CsrfForm<NoFields>) -> Result<HttpResponse, AppError> {
    let Some(challenge_id) = signed_in.session.confirm_identity_challenge() else { return Ok(started(None)) };
    if !LoginMethods::of(&signed_in.company, &signed_in.agent).has_passkey {
        return Ok(started(None));
    }
    let (config, agent, now) = (state.config.clone(), signed_in.agent.clone(), state.now());
    let options = state
        .db(move |conn| {
            let holder = confirm_identity::holder(&agent, &challenge_id);
            if code_step::open_challenge(conn, holder, ChallengePurpose::ConfirmIdentity, now)?.is_none() {
                return Ok(None);
            }
            Ok(passkeys::start_second_factor(conn, &config, &challenge_id, &agent.id, now)?)
        })
        .await?;
    Ok(started(options))
}

/// `POST /login/passkey/options`: starts a passwordless sign-in (JSON).
pub async fn sign_in_options(state: web::Data<AppState>, client: ClientInfo, CsrfForm(_): CsrfForm<NoFields>) -> Result<HttpResponse, AppError> {
    let (config, now) = (state.config.clone(), state.now());
    let options = state.db(move |conn| Ok(passkeys::start_passwordless(conn, &Context { config: &config, client: &client, now })?)).await?;
    match options {
        Ok(options) => Ok(started(options)),
        Err(retry_after) => Err(crate::auth::throttle::refusal(retry_after, t("passkeys-too-many-sign-ins")).into()),
    }
}

#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    ceremony: String,
    #[serde(default)]
    credential: String,
    next: Option<String>,
}

/// `POST /login/passkey`: passwordless sign-in with the browser's answer.
/// A passkey proves both factors (the device, and the PIN or biometric that
/// unlocked it): the browser is signed in at once, as after a code.
pub async fn sign_in(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: TypedSession,
    client: ClientInfo,
    CsrfForm(form): CsrfForm<SignInForm>,
) -> Result<HttpResponse, AppError> {
    let Some(answer) = Assertion::parse(&form.ceremony, &form.credential) else {
        metrics::login(LoginOutcome::WrongPassword);
        return Ok(see_other("/login?notice=passkey_failed"));
    };
    let device = device_cookie::read(&state, &req);
    let (config, now, owned_client) = (state.config.clone(), state.now(), client.clone());
    let outcome = state
        .db(move |conn| {
            let ctx = Context { config: &config, client: &owned_client, now };
            Ok(passkeys::finish_passwordless(conn, &ctx, &answer, |agent_id| device.device_of(agent_id).is_some())?)
        })
        .await?;
    match outcome {
        Passwordless::SignedIn(agent) => {
            metrics::login(LoginOutcome::SignedIn);
            session.sign_in(&agent.id, &client)?;
            session.record_password_proof(now)?;
            session.record_code_proof(now)?;
            let mut response = see_other(safe_next(form.next.as_deref()).as_deref().unwrap_or("/"));
            device_cookie::remember(&mut response, &state, &req, &agent.id)?;
            Ok(response)
        }
        Passwordless::Failed => {
            metrics::login(LoginOutcome::WrongPassword);
            Ok(see_other("/login?notice=passkey_failed"))
        }
        Passwordless::Expired => Ok(see_other("/login?notice=passkey_expired")),
        Passwordless::Throttled { retry_after } => {
            metrics::login(LoginOutcome::Throttled);
            Err(crate::auth::throttle::refusal(retry_after, login_steps::throttled_message(retry_after)).into())
        }
        Passwordless::Locked { until } => {
            metrics::login(LoginOutcome::Locked);
            Err(codes_locked(until, now))
        }
    }
}
