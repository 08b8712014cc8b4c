//! The one error type at the HTTP edge, and the one place it becomes a page.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use askama::Template;

use crate::auth::accounts::AccountError;
use crate::auth::password::HashError;

/// Everything a request can fail with. Each variant maps to one status and page.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    BadRequest(String),
    #[error("This form has expired or did not come from AgentGate. Go back, reload the page and try again.")]
    CsrfRejected,
    #[error("{0}")]
    Forbidden(String),
    #[error("The page you asked for does not exist.")]
    NotFound,
    #[error("That request was too large.")]
    PayloadTooLarge,
    #[error("{message}")]
    TooManyRequests { message: String, retry_after_secs: u64 },
    /// Not signed in: the browser is sent to the login page, then back to `next`.
    #[error("sign in required")]
    SignInRequired { next: Option<String> },
    /// A sensitive change needs a recent confirmation of identity (step-up
    /// re-authentication): the browser is sent to `/account/confirm-identity`,
    /// then back to `next` (a local path).
    #[error("confirm your identity first")]
    ReauthRequired { next: String },
    /// The company requires 2FA and this agent has not turned it on: the
    /// browser is sent to Account Setting (SPEC §2.4).
    #[error("two-factor authentication required")]
    TwoFactorSetupRequired,
    #[error("the database is unavailable: {0}")]
    DatabaseUnavailable(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    pub fn bad_request(message: impl Into<String>) -> AppError {
        AppError::BadRequest(message.into())
    }

    pub fn forbidden() -> AppError {
        AppError::Forbidden("You do not have access to this page.".to_owned())
    }

    fn title(&self) -> &'static str {
        match self {
            AppError::BadRequest(_) => "Bad request",
            AppError::CsrfRejected | AppError::Forbidden(_) => "Access denied",
            AppError::NotFound => "Page not found",
            AppError::PayloadTooLarge => "Request too large",
            AppError::TooManyRequests { .. } => "Too many attempts",
            AppError::SignInRequired { .. } => "Sign in required",
            AppError::ReauthRequired { .. } => "Confirm it is you",
            AppError::TwoFactorSetupRequired => "Two-factor authentication required",
            AppError::DatabaseUnavailable(_) => "Temporarily unavailable",
            AppError::Internal(_) => "Something went wrong",
        }
    }

    /// What the page says. Internal details stay in the log.
    fn public_message(&self) -> String {
        match self {
            AppError::DatabaseUnavailable(_) => {
                "AgentGate cannot reach its database right now. Please try again in a moment.".to_owned()
            }
            AppError::Internal(_) => "An unexpected error happened. It has been logged; please try again.".to_owned(),
            other => other.to_string(),
        }
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(error: diesel::result::Error) -> AppError {
        use diesel::result::{DatabaseErrorKind, Error};
        match error {
            // The connection died under the query: the database went away (503), not a bug (500).
            Error::DatabaseError(DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand, info) => {
                AppError::DatabaseUnavailable(info.message().to_owned())
            }
            Error::BrokenTransactionManager => AppError::DatabaseUnavailable("broken transaction".to_owned()),
            other => AppError::Internal(other.into()),
        }
    }
}

impl From<HashError> for AppError {
    fn from(error: HashError) -> AppError {
        AppError::Internal(error.into())
    }
}

impl From<askama::Error> for AppError {
    fn from(error: askama::Error) -> AppError {
        AppError::Internal(anyhow::anyhow!("template error: {error}"))
    }
}

impl From<AccountError> for AppError {
    fn from(error: AccountError) -> AppError {
        match error {
            AccountError::Db(e) => e.into(),
            AccountError::Unavailable(e) => AppError::DatabaseUnavailable(e),
            other => AppError::BadRequest(other.to_string()),
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    status: u16,
    title: &'a str,
    message: &'a str,
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::CsrfRejected | AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::SignInRequired { .. } | AppError::ReauthRequired { .. } | AppError::TwoFactorSetupRequired => {
                StatusCode::SEE_OTHER
            }
            AppError::DatabaseUnavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            AppError::SignInRequired { next } => {
                let location = match next {
                    Some(next) => format!("/login?next={}", percent_encoding::utf8_percent_encode(next, percent_encoding::NON_ALPHANUMERIC)),
                    None => "/login".to_owned(),
                };
                return HttpResponse::SeeOther().insert_header((header::LOCATION, location)).finish();
            }
            AppError::ReauthRequired { next } => {
                let next = percent_encoding::utf8_percent_encode(next, percent_encoding::NON_ALPHANUMERIC);
                let location = format!("/account/confirm-identity?next={next}");
                return HttpResponse::SeeOther().insert_header((header::LOCATION, location)).finish();
            }
            AppError::TwoFactorSetupRequired => {
                return HttpResponse::SeeOther().insert_header((header::LOCATION, "/account/settings")).finish();
            }
            AppError::Internal(e) => tracing::error!(error = %format!("{e:#}"), "internal error"),
            AppError::DatabaseUnavailable(e) => tracing::warn!(error = %e, "database unavailable"),
            _ => {}
        }
        let status = self.status_code();
        let message = self.public_message();
        let page = ErrorPage { status: status.as_u16(), title: self.title(), message: &message };
        let body = page.render().unwrap_or_else(|_| message.clone());
        let mut response = HttpResponse::build(status);
        response.content_type("text/html; charset=utf-8");
        match self {
            AppError::TooManyRequests { retry_after_secs, .. } => {
                response.insert_header((header::RETRY_AFTER, HeaderValue::from(*retry_after_secs)));
            }
            AppError::DatabaseUnavailable(_) => {
                response.insert_header((header::RETRY_AFTER, HeaderValue::from(5u64)));
            }
            // The rest of the body was never read: the connection cannot be reused.
            AppError::PayloadTooLarge => {
                response.force_close();
            }
            _ => {}
        }
        let mut response = response.body(body);
        crate::web::middleware::insert_security_headers(response.headers_mut());
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        response
    }
}
