//! Rows of `passkeys` (an agent's WebAuthn credentials) and of
//! `webauthn_ceremonies` (the server-side state of a ceremony under way).
//! What they mean is `auth::passkeys`'s business.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{passkeys, webauthn_ceremonies};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = passkeys)]
pub struct StoredPasskey {
    /// Public id, for the remove button's URL.
    pub id: String,
    pub agent_id: String,
    /// The credential id, base64url.
    pub credential_id: String,
    /// The agent's WebAuthn user handle (a UUID).
    pub user_handle: String,
    /// The name the agent gave it ("YubiKey 5").
    pub name: String,
    /// webauthn-rs's `Passkey`, as JSON.
    pub credential: String,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = passkeys)]
pub struct NewPasskey<'a> {
    pub id: &'a str,
    pub agent_id: &'a str,
    pub credential_id: &'a str,
    pub user_handle: &'a str,
    pub name: &'a str,
    pub credential: &'a str,
    pub created_at: NaiveDateTime,
}

/// The agent's passkeys, oldest first.
pub fn of_agent(conn: &mut DbConnection, agent_id: &str) -> QueryResult<Vec<StoredPasskey>> {
    passkeys::table
        .filter(passkeys::agent_id.eq(agent_id))
        .order((passkeys::created_at.asc(), passkeys::id.asc()))
        .select(StoredPasskey::as_select())
        .load(conn)
}

/// The passkey with this credential id, whoever's it is.
pub fn by_credential_id(conn: &mut DbConnection, credential_id: &str) -> QueryResult<Option<StoredPasskey>> {
    passkeys::table.filter(passkeys::credential_id.eq(credential_id)).select(StoredPasskey::as_select()).get_result(conn).optional()
}

pub fn credential_id_taken(conn: &mut DbConnection, credential_id: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(passkeys::table.filter(passkeys::credential_id.eq(credential_id)))).get_result(conn)
}

pub fn insert(conn: &mut DbConnection, new: &NewPasskey<'_>) -> QueryResult<()> {
    diesel::insert_into(passkeys::table).values(new).execute(conn).map(|_| ())
}

/// After a sign-in: the updated credential (counter, backup state) and when.
pub fn record_use(conn: &mut DbConnection, id: &str, credential: Option<&str>, now: NaiveDateTime) -> QueryResult<()> {
    match credential {
        Some(credential) => diesel::update(passkeys::table.find(id)).set((passkeys::credential.eq(credential), passkeys::last_used_at.eq(now))).execute(conn)?,
        None => diesel::update(passkeys::table.find(id)).set(passkeys::last_used_at.eq(now)).execute(conn)?,
    };
    Ok(())
}

/// Removes one of the agent's passkeys; false when the agent has no such passkey.
pub fn delete(conn: &mut DbConnection, agent_id: &str, id: &str) -> QueryResult<bool> {
    let deleted = diesel::delete(passkeys::table.filter(passkeys::agent_id.eq(agent_id)).filter(passkeys::id.eq(id))).execute(conn)?;
    Ok(deleted == 1)
}

pub fn delete_all(conn: &mut DbConnection, agent_id: &str) -> QueryResult<usize> {
    diesel::delete(passkeys::table.filter(passkeys::agent_id.eq(agent_id))).execute(conn)
}

/// The WebAuthn user handle of the agent's passkeys, if they have any.
pub fn user_handle_of(conn: &mut DbConnection, agent_id: &str) -> QueryResult<Option<String>> {
    passkeys::table.filter(passkeys::agent_id.eq(agent_id)).select(passkeys::user_handle).first(conn).optional()
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = webauthn_ceremonies)]
pub struct Ceremony {
    pub id: String,
    pub purpose: String,
    pub agent_id: Option<String>,
    pub login_id: Option<String>,
    /// webauthn-rs's registration or authentication state, as JSON.
    pub state: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = webauthn_ceremonies)]
pub struct NewCeremony<'a> {
    pub id: &'a str,
    pub purpose: &'a str,
    pub agent_id: Option<&'a str>,
    pub login_id: Option<&'a str>,
    pub state: &'a str,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

pub fn insert_ceremony(conn: &mut DbConnection, new: &NewCeremony<'_>) -> QueryResult<()> {
    diesel::insert_into(webauthn_ceremonies::table).values(new).execute(conn).map(|_| ())
}

/// Takes the ceremony out: it is used once, whatever its outcome. `None`
/// when it does not exist (used already, or never made) or has expired.
pub fn take_ceremony(conn: &mut DbConnection, id: &str, purpose: &str, now: NaiveDateTime) -> QueryResult<Option<Ceremony>> {
    // (Per backend: `MultiConnection` cannot return a whole row.)
    let delete = diesel::delete(webauthn_ceremonies::table.find(id).filter(webauthn_ceremonies::purpose.eq(purpose)));
    let taken: Option<Ceremony> = match conn {
        DbConnection::Sqlite(c) => delete.returning(Ceremony::as_returning()).get_result(c).optional()?,
        DbConnection::Postgres(c) => delete.returning(Ceremony::as_returning()).get_result(c).optional()?,
    };
    Ok(taken.filter(|c| c.expires_at > now))
}

/// Forgets the ceremonies that expired before `now` (the sweeper).
pub fn delete_expired_ceremonies(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(webauthn_ceremonies::table.filter(webauthn_ceremonies::expires_at.le(now))).execute(conn)
}
