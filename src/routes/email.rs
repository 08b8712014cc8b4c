//! `/account/email`: changing the email address (SPEC §2.2 step 6; the rules
//! are in `auth::email_change`). The form asks for the new address and the
//! current password (with 2FA on, a recent code too: step-up), a code goes
//! to the new address, and the change happens when it is entered.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::auth::email_change::{self, Confirmation};
use crate::domain::{EmailAddress, OneTimeCode};
use crate::error::AppError;
use crate::routes::identity::{too_many_codes, wrong_code_message};
use crate::routes::login::refusal_message;
use crate::routes::notice_text;
use crate::web::redirect::see_other;
use crate::state::AppState;
use crate::domain::ClientInfo;
use crate::web::layout::render_with_status;
use crate::web::forms::{CodeForm, NoFields};
use crate::web::{CsrfForm, Layout, SignedIn, render, step_up};

/// This page, as the step-up guard's way back.
const FORM_PAGE: &str = "/account/email";

#[derive(Template)]
#[template(path = "email_change.html")]
struct ChangePage {
    layout: Layout,
    current_email: String,
    /// A change waiting for its code: the new address, masked.
    pending: Option<String>,
    new_email: String,
    errors: Vec<String>,
}

async fn pending_change(state: &AppState, signed_in: &SignedIn) -> Result<Option<email_change::PendingChange>, AppError> {
    let (config, agent, now) = (state.config.clone(), signed_in.agent.clone(), state.now());
    state.db(move |conn| email_change::pending(conn, &config, &agent, now)).await
}

impl ChangePage {
    async fn load(state: &AppState, signed_in: &SignedIn) -> Result<ChangePage, AppError> {
        Ok(ChangePage {
            layout: Layout::signed_in("Change email address", signed_in, "account"),
            current_email: signed_in.agent.email.clone(),
            pending: pending_change(state, signed_in).await?.map(|p| p.masked_new_email),
            new_email: String::new(),
            errors: Vec::new(),
        })
    }
}

/// `GET /account/email`: the form. With 2FA on and no code entered lately,
/// the agent confirms it is them first (so nothing typed is lost).
pub async fn change_page(state: web::Data<AppState>, signed_in: SignedIn) -> Result<HttpResponse, AppError> {
    step_up::require_recent_code(&signed_in, &state, FORM_PAGE)?;
    render(&ChangePage::load(&state, &signed_in).await?)
}

#[derive(Deserialize)]
pub struct ChangeForm {
    #[serde(default)]
    new_email: String,
    #[serde(default)]
    current_password: String,
}

/// `POST /account/email`: checks the password and the address, then emails
/// a code to the new address. Nothing changes yet.
pub async fn change_submit(
    state: web::Data<AppState>,
    signed_in: SignedIn,
    client: ClientInfo,
    CsrfForm(form): CsrfForm<ChangeForm>,
) -> Result<HttpResponse, AppError> {
    step_up::require_recent_code(&signed_in, &state, FORM_PAGE)?;
    let agent = signed_in.agent.clone();
    let mut errors = Vec::new();
    let new_email = EmailAddress::parse(&form.new_email).map_err(|e| errors.push(format!("New email address: {e}"))).ok();
    if form.current_password.is_empty() {
        errors.push("Current password: enter it to change your email address.".to_owned());
    } else {
        if !step_up::check_current_password(&signed_in, &state, &client, &form.current_password, "in the email change form").await? {
            errors.push("Current password: that is not your current password.".to_owned());
        }
    }
    let Some(new_email) = new_email.filter(|_| errors.is_empty()) else {
        return show_again(&state, &signed_in, &form.new_email, errors).await;
    };
    let (config, now) = (state.config.clone(), state.now());
    let requested = state.db(move |conn| email_change::request(conn, &config, &agent, &new_email, &client, now)).await?;
    match requested {
        Err(refusal) => show_again(&state, &signed_in, &form.new_email, vec![format!("New email address: {refusal}")]).await,
        Ok(None) => Ok(see_other("/account/email/confirm?notice=email_code_sent")),
        Ok(Some(_)) => Ok(see_other("/account/email/confirm?notice=code_not_sent")),
    }
}

async fn show_again(state: &AppState, signed_in: &SignedIn, typed: &str, errors: Vec<String>) -> Result<HttpResponse, AppError> {
    let mut page = ChangePage::load(state, signed_in).await?;
    // Echoed so the agent need not retype it; never a control character.
    page.new_email = typed.chars().filter(|c| !c.is_control()).take(254).collect();
    page.errors = errors;
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

#[derive(Template)]
#[template(path = "email_change_confirm.html")]
struct ConfirmPage {
    layout: Layout,
    masked_new_email: Option<String>,
    lifetime_minutes: i64,
    error: Option<String>,
}

const NEEDS_NEW_CODE: &str = "Too many wrong codes were entered, so this code no longer works. Choose Send a new code.";

impl ConfirmPage {
    async fn load(state: &AppState, signed_in: &SignedIn, notice: Option<String>) -> Result<ConfirmPage, AppError> {
        let pending = pending_change(state, signed_in).await?;
        Ok(ConfirmPage {
            layout: Layout::signed_in("Confirm your new email address", signed_in, "account").with_notice(notice),
            error: pending.as_ref().filter(|p| p.needs_new_code).map(|_| NEEDS_NEW_CODE.to_owned()),
            masked_new_email: pending.map(|p| p.masked_new_email),
            lifetime_minutes: state.config.codes.code_lifetime.num_minutes(),
        })
    }
}

#[derive(Deserialize)]
pub struct NoticeQuery {
    notice: Option<String>,
}

/// `GET /account/email/confirm`: enter the code sent to the new address.
pub async fn confirm_page(state: web::Data<AppState>, signed_in: SignedIn, query: web::Query<NoticeQuery>) -> Result<HttpResponse, AppError> {
    render(&ConfirmPage::load(&state, &signed_in, notice_text(query.notice.as_deref())).await?)
}

/// `POST /account/email/confirm`: the right code changes the address; every
/// session of the agent ends and this browser carries on with a new one.
pub async fn confirm_submit(
    state: web::Data<AppState>,
    signed_in: SignedIn,
    client: ClientInfo,
    CsrfForm(form): CsrfForm<CodeForm>,
) -> Result<HttpResponse, AppError> {
    let parsed = OneTimeCode::parse(&form.code);
    let (config, agent, now, submitted) = (state.config.clone(), signed_in.agent.clone(), state.now(), parsed.clone().ok());
    let outcome = state.db(move |conn| email_change::confirm(conn, &config, &agent, submitted.as_ref(), &client, now)).await?;
    let error = match outcome {
        Confirmation::Changed { .. } => {
            // Every session of the agent ended, this one's row included.
            signed_in.session.rotate()?;
            return Ok(see_other("/account/settings?notice=email_changed"));
        }
        Confirmation::Wrong { attempts_left } => wrong_code_message(&parsed, attempts_left, NEEDS_NEW_CODE),
        Confirmation::NeedsNewCode => NEEDS_NEW_CODE.to_owned(),
        Confirmation::Expired => "No change of address is waiting for a code any more (it expired, or was cancelled or replaced). Start again.".to_owned(),
        Confirmation::InUse => "Another account started using that address meanwhile, so your address was not changed. Choose a different one.".to_owned(),
    };
    let mut page = ConfirmPage::load(&state, &signed_in, None).await?;
    page.error = Some(error);
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

/// `POST /account/email/resend`: another code to the new address.
pub async fn resend(
    state: web::Data<AppState>,
    signed_in: SignedIn,
    client: ClientInfo,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    let (config, agent, now) = (state.config.clone(), signed_in.agent.clone(), state.now());
    match state.db(move |conn| email_change::resend(conn, &config, &agent, &client, now)).await? {
        None => Ok(see_other(FORM_PAGE)),
        Some(Ok(())) => Ok(see_other("/account/email/confirm?notice=code_resent")),
        Some(Err(refusal)) => {
            let mut page = ConfirmPage::load(&state, &signed_in, None).await?;
            page.error = Some(refusal_message(&refusal, now));
            too_many_codes(&page, &refusal, now)
        }
    }
}

/// `POST /account/email/cancel`: keep the current address.
pub async fn cancel(state: web::Data<AppState>, signed_in: SignedIn, CsrfForm(_): CsrfForm<NoFields>) -> Result<HttpResponse, AppError> {
    let (agent, now) = (signed_in.agent.clone(), state.now());
    state.db(move |conn| Ok(email_change::cancel(conn, &agent, now)?)).await?;
    Ok(see_other("/account/settings?notice=email_change_cancelled"))
}
