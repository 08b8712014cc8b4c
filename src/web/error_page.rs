//! The one place an [`AppError`] becomes a page: its status, headers and the
//! error template.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use askama::Template;

use crate::error::AppError;

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    tr: crate::i18n::Tr,
    status: u16,
    title: &'a str,
    message: &'a str,
    /// On a 500 page: the id of the request's log lines, to quote when reporting it.
    request_id: Option<String>,
    /// The next step the page offers (a used or expired link: ask for a new one).
    next: Option<(&'a str, &'a str)>,
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::BadRequest(_) | AppError::LinkNotValid { .. } => StatusCode::BAD_REQUEST,
            AppError::CsrfRejected | AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::SignInRequired { .. } | AppError::ConfirmIdentityRequired { .. } | AppError::TwoFactorSetupRequired => {
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
                    Some(next) => format!("/login?next={}", crate::web::redirect::query_value(next)),
                    None => "/login".to_owned(),
                };
                return HttpResponse::SeeOther().insert_header((header::LOCATION, location)).finish();
            }
            AppError::ConfirmIdentityRequired { next } => {
                let location = format!("/account/confirm-identity?next={}", crate::web::redirect::query_value(next));
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
        let request_id = (status == StatusCode::INTERNAL_SERVER_ERROR).then(super::request_id::current).flatten();
        let next = match self {
            AppError::LinkNotValid { next: (href, label), .. } => Some((*href, label.as_str())),
            _ => None,
        };
        let title = self.title();
        let page = ErrorPage { tr: crate::i18n::current(), status: status.as_u16(), title: &title, message: &message, request_id, next };
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
        super::middleware::insert_security_headers(response.headers_mut());
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        response
    }
}
