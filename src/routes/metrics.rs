//! `GET /metrics`: the Prometheus text of `crate::metrics`, with the gauges
//! read from the database at the scrape (outbox backlog, live sessions,
//! agents by second factor, for the whole installation). Served only to
//! loopback clients, or to anyone with `AGENTGATE_METRICS_TOKEN` as a bearer
//! token; to everyone else it does not exist (404).

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};

use crate::crypto::constant_time_eq;
use crate::db::models::Agent;
use crate::db::models::session;
use crate::domain::ClientInfo;
use crate::error::AppError;
use crate::mail::outbox;
use crate::state::AppState;

pub async fn metrics_page(req: HttpRequest, state: web::Data<AppState>, client: ClientInfo) -> Result<HttpResponse, AppError> {
    if !allowed(&req, &state, &client) {
        return Err(AppError::NotFound);
    }
    let now = state.now();
    let (backlog, sessions, agents) = state
        .db(move |conn| Ok((outbox::backlog(conn)?, session::count_live_signed_in(conn, now)?, Agent::count_by_method(conn)?)))
        .await?;
    let (waiting, oldest, attempts) = backlog;
    metrics::gauge!("agentgate_outbox_waiting").set(waiting as f64);
    metrics::gauge!("agentgate_outbox_oldest_waiting_seconds").set(oldest.map(|at| (now - at).num_seconds().max(0) as f64).unwrap_or(0.0));
    metrics::gauge!("agentgate_outbox_waiting_attempts").set(attempts as f64);
    metrics::gauge!("agentgate_sessions_active").set(sessions as f64);
    let (any, email, app, recovery) = agents;
    for (method, count) in [("any", any), ("email", email), ("app", app), ("recovery_codes", recovery)] {
        metrics::gauge!("agentgate_agents_with_second_factor", "method" => method).set(count as f64);
    }
    Ok(HttpResponse::Ok().content_type("text/plain; version=0.0.4; charset=utf-8").body(crate::metrics::install().render()))
}

/// A bearer token that matches the configured one, or, with none, a client
/// on this machine (its address as seen through a trusted proxy, so a proxy
/// on loopback does not open it to the world).
fn allowed(req: &HttpRequest, state: &AppState, client: &ClientInfo) -> bool {
    let bearer = req.headers().get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    match (&state.config.metrics_token, bearer) {
        (Some(token), Some(offered)) => constant_time_eq(token, offered),
        _ => client.ip.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback()),
    }
}
