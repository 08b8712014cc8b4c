//! Builds the request's [`ClientInfo`]: the socket's IP, or the proxy's
//! forwarded header only when the socket is a configured trusted proxy, and
//! the User-Agent.

use std::future::{Ready, ready};
use std::net::IpAddr;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};

use crate::domain::ClientInfo;
use crate::state::AppState;

/// The client of `req`, as throttling and the audit log record it.
pub fn client_of(req: &HttpRequest) -> ClientInfo {
    let trusted = req
        .app_data::<web::Data<AppState>>()
        .map(|s| s.config.trusted_proxies.clone())
        .unwrap_or_default();
    let peer = req.peer_addr().map(|a| a.ip());
    let ip = match peer {
        Some(peer) if trusted.contains(&peer) => forwarded_client(req).unwrap_or(peer),
        Some(peer) => peer,
        None => IpAddr::from([0, 0, 0, 0]),
    };
    let user_agent = req.headers().get("user-agent").and_then(|v| v.to_str().ok()).unwrap_or("");
    ClientInfo::new(ip.to_string(), user_agent)
}

/// The right-most address of `X-Forwarded-For`: the one our proxy appended.
fn forwarded_client(req: &HttpRequest) -> Option<IpAddr> {
    let header = req.headers().get("x-forwarded-for")?.to_str().ok()?;
    header.rsplit(',').next()?.trim().parse().ok()
}

impl FromRequest for ClientInfo {
    type Error = actix_web::Error;
    type Future = Ready<Result<ClientInfo, actix_web::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(client_of(req)))
    }
}
