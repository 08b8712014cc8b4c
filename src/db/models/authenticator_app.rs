//! Rows of `authenticator_apps`: one per agent, pending until a first code.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::authenticator_apps;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = authenticator_apps)]
pub struct AuthenticatorApp {
    pub agent_id: String,
    /// The TOTP secret, sealed (see `auth::authenticator`).
    pub secret_sealed: String,
    pub created_at: NaiveDateTime,
    /// `None` while the setup page waits for the first code.
    pub confirmed_at: Option<NaiveDateTime>,
    /// The newest time step accepted; a step is accepted once.
    pub last_used_step: Option<i64>,
}

pub fn find(conn: &mut DbConnection, agent_id: &str) -> QueryResult<Option<AuthenticatorApp>> {
    authenticator_apps::table.find(agent_id).select(AuthenticatorApp::as_select()).get_result(conn).optional()
}

/// Starts a setup with a new sealed secret, replacing any earlier row of the
/// agent that was never confirmed. Does nothing when an app is confirmed.
pub fn start_setup(conn: &mut DbConnection, agent_id: &str, secret_sealed: &str, now: NaiveDateTime) -> QueryResult<()> {
    diesel::delete(authenticator_apps::table.find(agent_id).filter(authenticator_apps::confirmed_at.is_null())).execute(conn)?;
    if find(conn, agent_id)?.is_some() {
        return Ok(());
    }
    diesel::insert_into(authenticator_apps::table)
        .values((
            authenticator_apps::agent_id.eq(agent_id),
            authenticator_apps::secret_sealed.eq(secret_sealed),
            authenticator_apps::created_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Confirms a pending app with the step of its first code; false when
/// there is no pending app (confirmed meanwhile, or removed).
pub fn confirm(conn: &mut DbConnection, agent_id: &str, step: i64, now: NaiveDateTime) -> QueryResult<bool> {
    let updated = diesel::update(authenticator_apps::table.find(agent_id).filter(authenticator_apps::confirmed_at.is_null()))
        .set((authenticator_apps::confirmed_at.eq(now), authenticator_apps::last_used_step.eq(step)))
        .execute(conn)?;
    Ok(updated == 1)
}

/// Records an accepted step, only if it is newer than the last one: false
/// when another request used this step (or a later one) first.
pub fn use_step(conn: &mut DbConnection, agent_id: &str, step: i64) -> QueryResult<bool> {
    let updated = diesel::update(
        authenticator_apps::table
            .find(agent_id)
            .filter(authenticator_apps::confirmed_at.is_not_null())
            .filter(authenticator_apps::last_used_step.is_null().or(authenticator_apps::last_used_step.lt(step))),
    )
    .set(authenticator_apps::last_used_step.eq(step))
    .execute(conn)?;
    Ok(updated == 1)
}

pub fn delete(conn: &mut DbConnection, agent_id: &str) -> QueryResult<bool> {
    Ok(diesel::delete(authenticator_apps::table.find(agent_id)).execute(conn)? == 1)
}
