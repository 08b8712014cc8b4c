use actix_web::{HttpResponse, web};
use diesel::RunQueryDsl;

use crate::error::AppError;
use crate::state::AppState;

/// `GET /healthz`: 200 `ok` when the database answers, 503 otherwise.
pub async fn healthz(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    state
        .db(|conn| {
            diesel::sql_query("SELECT 1").execute(conn).map_err(|e| AppError::DatabaseUnavailable(e.to_string()))?;
            Ok(())
        })
        .await?;
    Ok(HttpResponse::Ok().content_type("text/plain; charset=utf-8").body("ok"))
}
