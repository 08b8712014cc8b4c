//! `/password/forgot` and `/password/reset`: a new password by emailed link.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::auth::password_reset::{self, ResetError};
use crate::domain::{EmailAddress, NewPassword};
use crate::error::AppError;
use crate::i18n::{t, t2};
use crate::web::redirect::{login_with_email, see_other};
use crate::state::AppState;
use crate::domain::ClientInfo;
use crate::web::layout::render_with_status;
use crate::web::{CsrfForm, Layout, TypedSession, csrf, render};

#[derive(Template)]
#[template(path = "password_forgot.html")]
struct ForgotPage {
    layout: Layout,
    email: String,
    error: Option<String>,
    /// After a valid request: the same words whether the address has an account or not.
    sent: bool,
    lifetime_minutes: i64,
}

/// `GET /password/forgot`.
pub async fn forgot_page(req: HttpRequest, state: web::Data<AppState>, session: TypedSession) -> Result<HttpResponse, AppError> {
    render(&ForgotPage {
        layout: Layout::anonymous(t("password-forgot-title"), csrf::form_token(&req, &session)),
        email: String::new(),
        error: None,
        sent: false,
        lifetime_minutes: state.config.codes.reset_link_lifetime.num_minutes(),
    })
}

#[derive(Deserialize)]
pub struct ForgotForm {
    email: String,
}

/// `POST /password/forgot`: emails a link if the address has an active
/// account, and answers the same either way.
pub async fn forgot_submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: TypedSession,
    client: ClientInfo,
    CsrfForm(form): CsrfForm<ForgotForm>,
) -> Result<HttpResponse, AppError> {
    let mut page = ForgotPage {
        layout: Layout::anonymous(t("password-forgot-title"), csrf::form_token(&req, &session)),
        email: form.email.chars().take(254).collect(),
        error: None,
        sent: false,
        lifetime_minutes: state.config.codes.reset_link_lifetime.num_minutes(),
    };
    let email = match EmailAddress::parse(&form.email) {
        Ok(email) => email,
        Err(e) => {
            page.error = Some(e.to_string());
            return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    let (config, now) = (state.config.clone(), state.now());
    state.db(move |conn| Ok(password_reset::request(conn, &config, &email, &client, now)?)).await?;
    page.sent = true;
    render(&page)
}

#[derive(Template)]
#[template(path = "password_reset.html")]
struct ResetPage {
    layout: Layout,
    token: String,
    email: String,
    errors: Vec<String>,
}

#[derive(Deserialize)]
pub struct ResetQuery {
    token: Option<String>,
}

fn link_not_valid() -> AppError {
    AppError::LinkNotValid { message: ResetError::LinkNotValid.to_string(), next: ("/password/forgot", t("error-request-new-link")) }
}

/// `GET /password/reset?token=…`: the form behind the emailed link.
pub async fn reset_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: TypedSession,
    query: web::Query<ResetQuery>,
) -> Result<HttpResponse, AppError> {
    let token = query.token.clone().ok_or_else(link_not_valid)?;
    let now = state.now();
    let lookup = token.clone();
    let agent = state.db(move |conn| Ok(password_reset::agent_for_token(conn, &lookup, now)?)).await?.ok_or_else(link_not_valid)?;
    render(&ResetPage { layout: Layout::anonymous(t("password-reset-title"), csrf::form_token(&req, &session)), token, email: agent.email, errors: Vec::new() })
}

#[derive(Deserialize)]
pub struct ResetForm {
    token: String,
    password: String,
    password_confirm: String,
}

/// `POST /password/reset`: sets the new password, ends every session of the
/// agent, and sends the browser to log in (with a code, if 2FA is on).
pub async fn reset_submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: TypedSession,
    client: ClientInfo,
    CsrfForm(form): CsrfForm<ResetForm>,
) -> Result<HttpResponse, AppError> {
    let now = state.now();
    let lookup = form.token.clone();
    let agent = state.db(move |conn| Ok(password_reset::agent_for_token(conn, &lookup, now)?)).await?.ok_or_else(link_not_valid)?;
    let password = match NewPassword::parse_confirmed(&form.password, &form.password_confirm, &agent.email_address()) {
        Ok(password) => password,
        Err(e) => {
            let page = ResetPage {
                layout: Layout::anonymous(t("password-reset-title"), csrf::form_token(&req, &session)),
                token: form.token,
                email: agent.email,
                errors: vec![t2("validation-field", "field", t("password-new-label"), "error", e.to_string())],
            };
            return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    let hash = state.passwords.hash(&password).await?;
    let config = state.config.clone();
    let token = form.token;
    let login = login_with_email("password_reset", &agent.email);
    let done = state
        .db(move |conn| match password_reset::complete(conn, &config, &token, &agent, &hash, &client, now) {
            Ok(()) => Ok(true),
            Err(ResetError::LinkNotValid) => Ok(false),
            Err(ResetError::Auth(e)) => Err(e.into()),
        })
        .await?;
    if !done {
        return Err(link_not_valid());
    }
    // This browser's own session (if any) ended with the others.
    session.log_out();
    Ok(see_other(&login))
}
