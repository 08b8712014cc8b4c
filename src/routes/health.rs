//! `/healthz` (the process and its database answer) and `/readyz` (this
//! instance can serve logins now), for load balancers and monitors.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, web};
use diesel::RunQueryDsl;

use crate::db;
use crate::error::AppError;
use crate::mail::outbox;
use crate::state::AppState;

/// How long a due email may wait before the outbox counts as stuck.
const OUTBOX_STUCK_AFTER: chrono::Duration = chrono::Duration::minutes(15);

/// The header of `/healthz` that names this build (`0.1.0 (1a2b3c4)`).
pub const VERSION_HEADER: &str = "x-agentgate-version";

/// `GET /healthz`: 200 `ok` when the database answers, 503 otherwise. The
/// body stays the bare `ok` monitors match on; the `X-AgentGate-Version`
/// header names the version and commit (to see which build each instance
/// runs during a rolling upgrade).
pub async fn healthz(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    state
        .db(|conn| {
            diesel::sql_query("SELECT 1").execute(conn).map_err(|e| AppError::DatabaseUnavailable(e.to_string()))?;
            Ok(())
        })
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .insert_header((VERSION_HEADER, crate::config::VERSION))
        .body("ok"))
}

/// `GET /readyz`: 200 when the database takes a write and the outbox is
/// being worked off; otherwise 503 with `Retry-After` and a JSON body naming
/// each failed check (`database`, `outbox`). A load balancer should route by
/// this, not by `/healthz`: a node whose disk is full answers, but cannot
/// sign anyone in.
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let now = state.now();
    let checks = state
        .db(move |conn| {
            let database = db::probe_write(conn, now).err().map(|e| format!("the database cannot be written: {e}"));
            let outbox = match outbox::next_due(conn) {
                Ok(Some(due)) if now - due > OUTBOX_STUCK_AFTER => {
                    Some(format!("an email has waited {} minutes to be sent: is an outbox worker running?", (now - due).num_minutes()))
                }
                Ok(_) => None,
                Err(e) => Some(format!("cannot read the outbox: {e}")),
            };
            Ok((database, outbox))
        })
        .await
        .unwrap_or_else(|e| (Some(format!("the database is unreachable: {e}")), None));
    let mut failed = serde_json::Map::new();
    if let Some(problem) = checks.0 {
        failed.insert("database".to_owned(), problem.into());
    }
    if let Some(problem) = checks.1 {
        failed.insert("outbox".to_owned(), problem.into());
    }
    if failed.is_empty() {
        return HttpResponse::Ok().content_type("application/json").body(r#"{"status":"ready"}"#);
    }
    let body = serde_json::json!({ "status": "not ready", "failed": failed });
    let mut response = HttpResponse::ServiceUnavailable().content_type("application/json").body(body.to_string());
    response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(5u64));
    response
}
