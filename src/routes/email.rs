//! `/account/email`: changing the email address (SPEC §2.2 step 6; the rules
//! are in `auth::email_change`). The form asks for the new address and the
//! current password (with 2FA on, a recent code too: step-up), a code goes
//! to the new address, and the change happens when it is entered.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::auth::Context;
use crate::auth::code_step::{self, CodeOutcome, CodeView, Resent};
use crate::auth::email_change::{self, Changed};
use crate::db::models::code_challenge::ChallengePurpose;
use crate::domain::{EmailAddress, OneTimeCode};
use crate::error::AppError;
use crate::i18n::{t, t1, key};
use crate::routes::code_page::{CancelForm, CodePage, CodePageSpec, Link, notice_and_wait};
use crate::web::redirect::see_other;
use crate::state::AppState;
use crate::domain::ClientInfo;
use crate::web::layout::render_with_status;
use crate::web::forms::{CodeForm, NoFields};
use crate::web::{CsrfForm, Layout, SignedIn, render, confirm_identity};

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

async fn pending_change(state: &AppState, signed_in: &SignedIn) -> Result<Option<CodeView>, AppError> {
    let (config, agent, now) = (state.config.clone(), signed_in.agent.clone(), state.now());
    state.db(move |conn| Ok(email_change::pending(conn, &config, &agent, now)?)).await
}

impl ChangePage {
    async fn load(state: &AppState, signed_in: &SignedIn) -> Result<ChangePage, AppError> {
        Ok(ChangePage {
            layout: Layout::signed_in(t("email-change-title"), signed_in, "account"),
            current_email: signed_in.agent.email.clone(),
            pending: pending_change(state, signed_in).await?.map(|p| p.sent_to.masked()),
            new_email: String::new(),
            errors: Vec::new(),
        })
    }
}

/// `GET /account/email`: the form. With 2FA on and no code entered lately,
/// the agent confirms it is them first (so nothing typed is lost).
pub async fn change_page(state: web::Data<AppState>, signed_in: SignedIn) -> Result<HttpResponse, AppError> {
    confirm_identity::require_recent_code(&signed_in, &state, FORM_PAGE)?;
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
    req: HttpRequest,
    state: web::Data<AppState>,
    signed_in: SignedIn,
    client: ClientInfo,
    CsrfForm(form): CsrfForm<ChangeForm>,
) -> Result<HttpResponse, AppError> {
    confirm_identity::require_recent_code(&signed_in, &state, FORM_PAGE)?;
    let agent = signed_in.agent.clone();
    let mut errors = Vec::new();
    let new_email = EmailAddress::parse(&form.new_email).map_err(|e| errors.push(t1("email-change-error-new", "error", e.to_string()))).ok();
    if form.current_password.is_empty() {
        errors.push(t("email-change-error-password-missing"));
    } else {
        if !confirm_identity::check_current_password(&req, &signed_in, &state, &client, &form.current_password, "in the email change form").await? {
            errors.push(t("account-error-current-password"));
        }
    }
    let Some(new_email) = new_email.filter(|_| errors.is_empty()) else {
        return show_again(&state, &signed_in, &form.new_email, errors).await;
    };
    let (config, now) = (state.config.clone(), state.now());
    let requested = state.db(move |conn| Ok(email_change::request(conn, &config, &agent, &new_email, &client, now)?)).await?;
    match requested {
        Err(refusal) => show_again(&state, &signed_in, &form.new_email, vec![t1("email-change-error-new", "error", refusal.to_string())]).await,
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

/// The page that confirms the new address.
const CONFIRM_PAGE: CodePageSpec = CodePageSpec {
    title: key("email-change-confirm-title"),
    eyebrow: key("email-change-confirm-eyebrow"),
    heading: key("email-change-confirm-title"),
    purpose: key("email-change-confirm-purpose"),
    nothing_waiting: key("email-change-confirm-nothing-waiting"),
    action: "/account/email/confirm",
    submit_label: key("email-change-confirm-submit"),
    resend_action: "/account/email/resend",
    resend_label: key("email-change-confirm-resend"),
    resend_help: None,
    needs_new_code: key("email-change-confirm-needs-new-code"),
    cancel: Some(CancelForm { action: "/account/email/cancel", label: key("email-change-confirm-keep") }),
    links: &[
        Link { href: "/account/email", text: key("email-change-confirm-use-another") },
        Link { href: "/account/settings", text: key("account-back") },
    ],
    links_note: None,
};

async fn confirm_page_for(state: &AppState, signed_in: &SignedIn, notice: Option<&str>) -> Result<CodePage, AppError> {
    let pending = pending_change(state, signed_in).await?;
    let (notice, wait) = notice_and_wait(notice, pending.as_ref().and_then(|p| p.next_code_at));
    let layout = Layout::signed_in(crate::i18n::current().say(CONFIRM_PAGE.title), signed_in, "account").with_notice(notice);
    let needs_new_code = pending.as_ref().is_some_and(|p| p.needs_new_code);
    let lifetime = state.config.codes.code_lifetime.num_minutes();
    let mut page = CodePage::new(&CONFIRM_PAGE, layout, pending.map(|p| p.sent_to.masked()), lifetime, needs_new_code);
    page.wait = wait;
    Ok(page)
}

#[derive(Deserialize)]
pub struct NoticeQuery {
    notice: Option<String>,
}

/// `GET /account/email/confirm`: enter the code sent to the new address.
pub async fn confirm_page(state: web::Data<AppState>, signed_in: SignedIn, query: web::Query<NoticeQuery>) -> Result<HttpResponse, AppError> {
    render(&confirm_page_for(&state, &signed_in, query.notice.as_deref()).await?)
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
    let outcome = state
        .db(move |conn| Ok(email_change::confirm(conn, &Context { config: &config, client: &client, now }, &agent, submitted.as_ref())?))
        .await?;
    let page = confirm_page_for(&state, &signed_in, None).await?;
    match outcome {
        CodeOutcome::Accepted(Changed::Done { .. }) => {
            // Every session of the agent ended, this one's row included.
            signed_in.session.rotate()?;
            Ok(see_other("/account/settings?notice=email_changed"))
        }
        CodeOutcome::Accepted(Changed::InUse) => page.refused(t("email-change-in-use")),
        CodeOutcome::Wrong { attempts_left } => page.wrong_code(&parsed, attempts_left),
        CodeOutcome::NeedsNewCode => page.needs_new_code(),
        // Codes to a new address are not subject to the login lock-out.
        CodeOutcome::Locked { .. } | CodeOutcome::Expired => page.refused(t("email-change-nothing-waiting")),
    }
}

/// `POST /account/email/resend`: another code to the new address.
pub async fn resend(
    state: web::Data<AppState>,
    signed_in: SignedIn,
    client: ClientInfo,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    let (config, agent, now) = (state.config.clone(), signed_in.agent.clone(), state.now());
    let sent = state
        .db(move |conn| {
            let ctx = Context { config: &config, client: &client, now };
            Ok(code_step::resend(conn, &ctx, email_change::holder(&agent), ChallengePurpose::ChangeEmail)?)
        })
        .await?;
    match sent {
        Resent::Expired => Ok(see_other(FORM_PAGE)),
        Resent::Sent => Ok(see_other("/account/email/confirm?notice=code_resent")),
        Resent::Refused(refusal) => confirm_page_for(&state, &signed_in, None).await?.not_sent(&refusal, now),
    }
}

/// `POST /account/email/cancel`: keep the current address.
pub async fn cancel(state: web::Data<AppState>, signed_in: SignedIn, CsrfForm(_): CsrfForm<NoFields>) -> Result<HttpResponse, AppError> {
    let (agent, now) = (signed_in.agent.clone(), state.now());
    state.db(move |conn| Ok(email_change::cancel(conn, &agent, now)?)).await?;
    Ok(see_other("/account/settings?notice=email_change_cancelled"))
}
