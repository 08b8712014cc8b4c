//! Every request's id (`X-Request-Id`): taken from a trusted proxy when it
//! sends a sane one, else made here; on the response, in the request's log
//! lines (its tracing span) and on the 500 page, so that an agent's
//! screenshot can be matched to a log line.

use std::net::IpAddr;

use actix_web::dev::ServiceRequest;

pub const HEADER: &str = "x-request-id";

tokio::task_local! {
    static CURRENT: String;
}

/// Runs `future` as the request `id`: [`current`] reads it inside.
pub async fn scope<F: std::future::Future>(id: String, future: F) -> F::Output {
    CURRENT.scope(id, future).await
}

/// The id of the request being handled, if any.
pub fn current() -> Option<String> {
    CURRENT.try_with(Clone::clone).ok()
}

/// The proxy's id when the peer is a trusted proxy and the id is short and
/// plain (letters, digits, `-`, `_`, `.`); a new random one otherwise.
pub fn of(req: &ServiceRequest, trusted_proxies: &[IpAddr]) -> String {
    let from_trusted_proxy = req.peer_addr().is_some_and(|peer| trusted_proxies.contains(&peer.ip()));
    let offered = req.headers().get(HEADER).and_then(|v| v.to_str().ok()).filter(|id| is_sane(id));
    match offered {
        Some(id) if from_trusted_proxy => id.to_owned(),
        _ => crate::crypto::to_hex(crate::crypto::random_bytes::<8>()),
    }
}

fn is_sane(id: &str) -> bool {
    (1..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_short_plain_ids_are_taken() {
        assert!(is_sane("3f2a-19c0_lb1.example"));
        for bad in ["", "a b", "x\ny", &"a".repeat(65), "<script>", "ü"] {
            assert!(!is_sane(bad), "{bad:?}");
        }
    }
}
