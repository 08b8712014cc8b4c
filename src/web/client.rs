//! Who is on the other end: the client IP (the socket's, or the proxy's
//! forwarded header only when the socket is a configured trusted proxy) and
//! the User-Agent, for throttling and the audit log.

use std::future::{Ready, ready};
use std::net::IpAddr;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};

use crate::state::AppState;

/// The longest User-Agent kept: enough to name a browser, no more.
const MAX_USER_AGENT: usize = 256;

#[derive(Debug, Clone)]
pub struct ClientInfo {
    pub ip: String,
    pub user_agent: String,
}

impl ClientInfo {
    pub fn of(req: &HttpRequest) -> ClientInfo {
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
        let user_agent = req
            .headers()
            .get("user-agent")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .chars()
            .filter(|c| !c.is_control())
            .take(MAX_USER_AGENT)
            .collect();
        ClientInfo { ip: ip.to_string(), user_agent }
    }
}

/// A short name for a User-Agent ("Firefox on Windows"), for the sign-in
/// lists; the full string stays in the audit entry.
pub fn browser_summary(user_agent: &str) -> String {
    let browser = [("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari"), ("curl/", "curl")]
        .into_iter()
        .find(|(marker, _)| user_agent.contains(marker))
        .map(|(_, name)| name);
    let system = [("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Windows", "Windows"), ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"), ("Linux", "Linux")]
        .into_iter()
        .find(|(marker, _)| user_agent.contains(marker))
        .map(|(_, name)| name);
    match (browser, system) {
        (Some(b), Some(s)) => format!("{b} on {s}"),
        (Some(b), None) => b.to_owned(),
        (None, Some(s)) => format!("A browser on {s}"),
        (None, None) if user_agent.trim().is_empty() => "Unknown browser".to_owned(),
        (None, None) => user_agent.chars().take(40).collect(),
    }
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
        ready(Ok(ClientInfo::of(req)))
    }
}

#[cfg(test)]
mod tests {
    use super::browser_summary;

    #[test]
    fn user_agents_are_summarised() {
        let firefox = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
        assert_eq!(browser_summary(firefox), "Firefox on Windows");
        let chrome = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";
        assert_eq!(browser_summary(chrome), "Chrome on macOS");
        assert_eq!(browser_summary(""), "Unknown browser");
        assert_eq!(browser_summary("reqwest"), "reqwest");
    }
}
