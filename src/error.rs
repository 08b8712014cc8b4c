//! The one error type at the HTTP edge. Each lower layer converts its own
//! errors into it beside their definition; `web::error_page` is the one place
//! it becomes a page. What a page says comes from the catalogue, in the
//! request's language.

use crate::i18n::t;

/// Everything a request can fail with. Each variant maps to one status and page.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    BadRequest(String),
    /// An emailed link that was used, replaced or has expired: the page says
    /// so and offers the next step (`next`: where, and its words).
    #[error("{message}")]
    LinkNotValid { message: String, next: (&'static str, String) },
    #[error("{}", t("error-csrf-rejected"))]
    CsrfRejected,
    #[error("{0}")]
    Forbidden(String),
    #[error("{}", t("error-not-found-message"))]
    NotFound,
    #[error("{}", t("error-too-large-message"))]
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
    ConfirmIdentityRequired { next: String },
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
        AppError::Forbidden(t("error-forbidden-message"))
    }

    pub(crate) fn title(&self) -> String {
        t(match self {
            AppError::BadRequest(_) => "error-bad-request",
            AppError::LinkNotValid { .. } => "error-link-not-valid",
            AppError::CsrfRejected | AppError::Forbidden(_) => "error-access-denied",
            AppError::NotFound => "error-not-found",
            AppError::PayloadTooLarge => "error-too-large",
            AppError::TooManyRequests { .. } => "error-too-many-requests",
            AppError::SignInRequired { .. } => "error-sign-in-required",
            AppError::ConfirmIdentityRequired { .. } => "error-confirm-identity",
            AppError::TwoFactorSetupRequired => "error-two-factor-required",
            AppError::DatabaseUnavailable(_) => "error-unavailable",
            AppError::Internal(_) => "error-internal",
        })
    }

    /// What the page says. Internal details stay in the log.
    pub(crate) fn public_message(&self) -> String {
        match self {
            AppError::DatabaseUnavailable(_) => t("error-unavailable-message"),
            AppError::Internal(_) => t("error-internal-message"),
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
            // The database cannot be written (a full disk, a read-only file or
            // server): 503 with Retry-After, and the next request tries again.
            Error::DatabaseError(_, info) if cannot_write(info.message()) => AppError::DatabaseUnavailable(info.message().to_owned()),
            other => AppError::Internal(other.into()),
        }
    }
}

/// SQLite's and PostgreSQL's words for a database that cannot take a write.
pub fn cannot_write(message: &str) -> bool {
    const SIGNS: [&str; 7] = [
        "database or disk is full",
        "attempt to write a readonly database",
        "disk I/O error",
        "No space left on device",
        "could not extend file",
        "read-only transaction",
        "database is locked",
    ];
    SIGNS.iter().any(|sign| message.contains(sign))
}

impl From<askama::Error> for AppError {
    fn from(error: askama::Error) -> AppError {
        AppError::Internal(anyhow::anyhow!("template error: {error}"))
    }
}

