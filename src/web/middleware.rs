//! Middleware for every response: security headers (SPEC §3), the request log
//! line, and the anonymous CSRF cookie.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, web};

use crate::error::AppError;
use crate::state::AppState;
use crate::i18n::{self, Language, Tr};
use crate::web::{csrf, request_id};
use tracing::Instrument;

pub const CSP: &str = "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/// Adds the security headers, `Cache-Control: no-store` on every page that is
/// not a static asset, and HSTS under https.
pub async fn security_headers(req: ServiceRequest, next: Next<impl MessageBody>) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let is_static = req.path().starts_with("/static/");
    let https = req.app_data::<web::Data<AppState>>().map(|s| s.config.is_https()).unwrap_or(false);
    let mut res = next.call(req).await?;
    let headers = res.headers_mut();
    insert_security_headers(headers);
    if !is_static {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if https {
        headers.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    }
    Ok(res)
}

/// The headers every response carries, static assets included.
pub fn insert_security_headers(headers: &mut actix_web::http::header::HeaderMap) {
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
}

/// One log line per request: its id, method, route template, path (never
/// the query string, which can hold tokens), status, time and the signed-in
/// agent's id; no header or body. The request runs in a span carrying its id
/// (so every line it logs has it) and answers with `X-Request-Id`. Its
/// route, status class and time go to `/metrics` too.
pub async fn request_log(req: ServiceRequest, next: Next<impl MessageBody>) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let trusted = req.app_data::<web::Data<AppState>>().map(|s| s.config.trusted_proxies.clone()).unwrap_or_default();
    let id = request_id::of(&req, &trusted);
    let method = req.method().clone();
    let path = req.path().to_owned();
    let span = tracing::info_span!("request", request_id = %id);
    // Before the signed-in guard knows the agent, the browser's languages decide.
    let language = req.headers().get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).map(Language::from_accept_language).unwrap_or_default();
    let tr = Tr::new(language, chrono_tz::Tz::UTC);
    let result = request_id::scope(id.clone(), i18n::scope(tr, next.call(req).instrument(span.clone()))).await;
    let (status, route, agent_id) = match &result {
        Ok(res) => (
            res.status(),
            res.request().match_pattern().unwrap_or_else(|| "unmatched".to_owned()),
            res.request().extensions().get::<SignedInAgent>().map(|a| a.0.clone()),
        ),
        Err(error) => (error.as_response_error().status_code(), "unmatched".to_owned(), None),
    };
    let took = started.elapsed();
    crate::metrics::http_request(&route, status.as_u16(), took);
    span.in_scope(|| {
        tracing::info!(
            method = %method,
            route = %route,
            path = %path,
            status = status.as_u16(),
            ms = format!("{:.1}", took.as_secs_f64() * 1000.0),
            agent_id = agent_id.as_deref().unwrap_or(""),
            "request"
        )
    });
    let mut result = result;
    if let Ok(res) = &mut result
        && let Ok(value) = HeaderValue::from_str(&id) {
            res.headers_mut().insert(header::HeaderName::from_static(request_id::HEADER), value);
        }
    result
}

/// Put in a request's extensions by the signed-in guard: whose request it
/// was, for its log line.
#[derive(Debug, Clone)]
pub struct SignedInAgent(pub String);

/// Gives an anonymous browser its signed CSRF cookie, without touching the database.
pub async fn csrf_cookie(req: ServiceRequest, next: Next<impl MessageBody>) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if req.path().starts_with("/static/") {
        return next.call(req).await;
    }
    let state = req.app_data::<web::Data<AppState>>().expect("AppState is registered").clone();
    let token = csrf::cookie_token(&state, req.request());
    let new_token = token.is_new.then(|| token.token.clone());
    req.extensions_mut().insert(token);
    let mut res = next.call(req).await?;
    if let Some(token) = new_token {
        res.response_mut().add_cookie(&csrf::cookie_for(&state, &token))?;
    }
    Ok(res)
}

/// The session store is the one component that fails outside a handler: when
/// it cannot reach the database, actix-session answers with a bare 500. This
/// turns that into the 503 page a handler would give, with `Retry-After`
/// (AppError's page carries the security headers itself, since an error
/// returned here bypasses the outer middleware).
pub async fn session_store_errors(req: ServiceRequest, next: Next<impl MessageBody>) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    next.call(req).await.map_err(|error| {
        tracing::warn!(error = %error, "session store unavailable");
        AppError::DatabaseUnavailable(error.to_string()).into()
    })
}
