//! Account Setting's second factors beyond email (SPEC §7):
//! `/account/authenticator` (set up with a QR code, turn on with a first
//! code, remove) and `/account/recovery-codes` (how many are left; a new set
//! shown once). Every change needs a recently confirmed identity.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::auth::Context;
use crate::auth::authenticator::{self, RemoveRefusal, Setup, SetupOutcome};
use crate::auth::recovery_codes::{self, FEW_LEFT};
use crate::domain::{ClientInfo, OneTimeCode, RecoveryCode, TwoFactorStatus};
use crate::error::AppError;
use crate::i18n::t;
use crate::state::AppState;
use crate::web::confirm_identity::require_confirmed_identity;
use crate::web::forms::NoFields;
use crate::web::layout::render_with_status;
use crate::web::redirect::see_other;
use crate::web::{CsrfForm, Layout, SignedIn, render};

const SETUP_PAGE: &str = "/account/authenticator";
const RECOVERY_PAGE: &str = "/account/recovery-codes";

#[derive(Template)]
#[template(path = "authenticator.html")]
struct AuthenticatorPage {
    layout: Layout,
    /// `None`: an app is on already (nothing secret is shown again).
    setup: Option<SetupView>,
    error: Option<String>,
}

struct SetupView {
    qr_svg: String,
    grouped_key: String,
}

fn setup_page(signed_in: &SignedIn, setup: Setup, error: Option<String>) -> AuthenticatorPage {
    let setup = match setup {
        Setup::AlreadyOn => None,
        Setup::Pending { secret } => Some(SetupView {
            qr_svg: authenticator::qr_svg(&authenticator::otpauth_uri(&secret, &signed_in.agent.email)),
            grouped_key: authenticator::grouped_key(&secret),
        }),
    };
    AuthenticatorPage { layout: Layout::signed_in(t("authenticator-title"), signed_in, "account"), setup, error }
}

async fn current_setup(state: &AppState, signed_in: &SignedIn) -> Result<Setup, AppError> {
    let (secret, agent, now) = (state.config.secret_key.clone(), signed_in.agent.clone(), state.now());
    state.db(move |conn| Ok(authenticator::setup(conn, secret.bytes(), &agent, now)?)).await
}

/// `GET /account/authenticator`: the QR code and the key, while no app is on.
pub async fn setup_form(state: web::Data<AppState>, signed_in: SignedIn) -> Result<HttpResponse, AppError> {
    require_confirmed_identity(&signed_in, &state, SETUP_PAGE)?;
    let setup = current_setup(&state, &signed_in).await?;
    let mut response = render(&setup_page(&signed_in, setup, None))?;
    uncompressed(&mut response);
    Ok(response)
}

#[derive(Deserialize)]
pub struct SetupForm {
    #[serde(default)]
    code: String,
}

/// `POST /account/authenticator`: a first code from the app turns it on. An
/// agent without recovery codes gets their first set right away, shown once.
pub async fn setup_submit(
    state: web::Data<AppState>,
    signed_in: SignedIn,
    client: ClientInfo,
    CsrfForm(form): CsrfForm<SetupForm>,
) -> Result<HttpResponse, AppError> {
    require_confirmed_identity(&signed_in, &state, SETUP_PAGE)?;
    let code = OneTimeCode::parse(&form.code);
    let (config, agent, now) = (state.config.clone(), signed_in.agent.clone(), state.now());
    let submitted = code.clone().ok();
    let outcome = state
        .db(move |conn| {
            let ctx = Context { config: &config, client: &client, now };
            let outcome = authenticator::confirm_setup(conn, &ctx, &agent, submitted.as_ref())?;
            let first_codes = match outcome {
                SetupOutcome::TurnedOn { .. } if agent.recovery_codes_left == 0 => Some(recovery_codes::generate_set(conn, &ctx, &agent)?),
                _ => None,
            };
            Ok((outcome, first_codes))
        })
        .await?;
    if let (SetupOutcome::TurnedOn { .. }, _) = outcome {
        // A right code from the app is a fresh second factor (step-up).
        signed_in.session.record_code_proof(state.now())?;
    }
    match outcome {
        (SetupOutcome::TurnedOn { .. }, Some(codes)) => show_new_set(&state, &signed_in, codes, true),
        (SetupOutcome::TurnedOn { .. }, None) => Ok(see_other("/account/settings?notice=authenticator_added")),
        (SetupOutcome::NotWaiting, _) => Ok(see_other(SETUP_PAGE)),
        (SetupOutcome::Wrong, _) => {
            let error = match code {
                Err(_) if form.code.trim().is_empty() => t("authenticator-error-empty"),
                Err(_) => t("authenticator-error-format"),
                Ok(_) => t("authenticator-error-wrong"),
            };
            let setup = current_setup(&state, &signed_in).await?;
            let mut response = render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &setup_page(&signed_in, setup, Some(error)))?;
            uncompressed(&mut response);
            Ok(response)
        }
    }
}

/// `POST /account/authenticator/remove`: removes the app (identity confirmed
/// first); refused when it is the last factor a company's policy requires.
pub async fn remove(
    state: web::Data<AppState>,
    signed_in: SignedIn,
    client: ClientInfo,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    require_confirmed_identity(&signed_in, &state, "/account/settings")?;
    let (config, agent, now) = (state.config.clone(), signed_in.agent.clone(), state.now());
    let removed = state.db(move |conn| Ok(authenticator::remove(conn, &Context { config: &config, client: &client, now }, &agent)?)).await?;
    match removed {
        Ok(()) => Ok(see_other("/account/settings?notice=authenticator_removed")),
        Err(RemoveRefusal::NoApp) => Ok(see_other("/account/settings")),
        Err(refusal @ RemoveRefusal::LastFactorRequired) => Err(AppError::bad_request(refusal.to_string())),
    }
}

#[derive(Template)]
#[template(path = "recovery_codes.html")]
struct RecoveryCodesPage {
    layout: Layout,
    /// A new set, shown this once.
    new_codes: Vec<String>,
    /// The set as a text file, for Download (a data: URL: nothing is stored in clear).
    download_href: String,
    /// The set was made because a factor was just turned on.
    first_set: bool,
    /// How many codes a new set has.
    set_size: usize,
    left: i32,
    few_left: bool,
    has_two_factor: bool,
}

pub(crate) fn show_new_set(state: &AppState, signed_in: &SignedIn, codes: Vec<RecoveryCode>, first_set: bool) -> Result<HttpResponse, AppError> {
    let text = recovery_codes::as_text_file(&codes, &signed_in.agent.email, state.now());
    let page = RecoveryCodesPage {
        layout: Layout::signed_in(t("recovery-title"), signed_in, "account"),
        new_codes: codes.iter().map(RecoveryCode::grouped).collect(),
        download_href: format!("data:text/plain;charset=utf-8,{}", percent_encoding::utf8_percent_encode(&text, percent_encoding::NON_ALPHANUMERIC)),
        first_set,
        set_size: recovery_codes::SET_SIZE,
        left: codes.len() as i32,
        few_left: false,
        has_two_factor: true,
    };
    let mut response = render(&page)?;
    // Shown once: never kept by a cache or restored by the back button.
    response.headers_mut().insert(actix_web::http::header::CACHE_CONTROL, actix_web::http::header::HeaderValue::from_static("no-store"));
    uncompressed(&mut response);
    Ok(response)
}

/// A page that shows a secret (the app's key, recovery codes) is never
/// compressed: its size must not depend on the secret (BREACH).
fn uncompressed(response: &mut HttpResponse) {
    response.headers_mut().insert(actix_web::http::header::CONTENT_ENCODING, actix_web::http::header::HeaderValue::from_static("identity"));
}

/// `GET /account/recovery-codes`: how many are left (the codes themselves
/// are never shown again).
pub async fn recovery_codes_page(signed_in: SignedIn) -> Result<HttpResponse, AppError> {
    let left = signed_in.agent.recovery_codes_left;
    render(&RecoveryCodesPage {
        layout: Layout::signed_in(t("recovery-title"), &signed_in, "account"),
        new_codes: Vec::new(),
        download_href: String::new(),
        first_set: false,
        set_size: recovery_codes::SET_SIZE,
        left,
        few_left: left <= FEW_LEFT,
        has_two_factor: signed_in.agent.two_factor_status() == TwoFactorStatus::Enabled,
    })
}

/// `POST /account/recovery-codes`: a new set, voiding the old one (identity
/// confirmed first); only with a second factor on.
pub async fn generate(
    state: web::Data<AppState>,
    signed_in: SignedIn,
    client: ClientInfo,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    if signed_in.agent.two_factor_status() != TwoFactorStatus::Enabled {
        return Err(AppError::bad_request(t("recovery-error-no-factor")));
    }
    require_confirmed_identity(&signed_in, &state, RECOVERY_PAGE)?;
    let (config, agent, now) = (state.config.clone(), signed_in.agent.clone(), state.now());
    let codes = state.db(move |conn| Ok(recovery_codes::generate_set(conn, &Context { config: &config, client: &client, now }, &agent)?)).await?;
    show_new_set(&state, &signed_in, codes, false)
}
