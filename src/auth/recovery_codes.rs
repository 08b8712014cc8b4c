//! Recovery codes (SPEC §7; NIST SP 800-63B-4 §4.2, ASVS 5.0 6.5.2): sets of
//! 10 single-use codes of 120 bits each, shown once. At 120 bits a keyed
//! hash (HMAC-SHA-256 under the server secret, bound to the agent) is the
//! stored form ASVS allows, and a login can check one without argon2.
//! A new set voids the old one; a used code emails the agent at once.

use chrono::NaiveDateTime;

use crate::audit::{self, Event, Outcome};
use crate::auth::{AuthError, Context};
use crate::crypto::{constant_time_eq, keyed_hash};
use crate::db::models::{Agent, recovery_code};
use crate::db::{DbConnection, write_transaction};
use crate::domain::{RecoveryCode, new_public_id};
use crate::mail::messages::{self, Recipient, RequestContext};
use crate::mail::outbox;

/// Codes in a set.
pub const SET_SIZE: usize = 10;
/// At or below this many left, the home page asks for a new set.
pub const FEW_LEFT: i32 = 3;

fn code_hash(server_secret: &[u8], agent_id: &str, code: &RecoveryCode) -> String {
    keyed_hash(server_secret, &format!("recovery-code:{agent_id}"), code.expose())
}

/// Makes a new set for the agent, voiding the old one, with an audit entry
/// and an email; returns the codes to show, once.
pub fn generate_set(conn: &mut DbConnection, ctx: &Context<'_>, agent: &Agent) -> Result<Vec<RecoveryCode>, AuthError> {
    let codes: Vec<RecoveryCode> = (0..SET_SIZE).map(|_| RecoveryCode::generate()).collect();
    write_transaction(conn, |conn| {
        recovery_code::delete_all(conn, &agent.id)?;
        for code in &codes {
            recovery_code::insert(conn, &new_public_id(), &agent.id, &code_hash(ctx.config.secret_key.bytes(), &agent.id, code), ctx.now)?;
        }
        Agent::set_recovery_codes_left(conn, &agent.id, SET_SIZE as i32)?;
        let entry = audit::Entry { detail: Some("10 recovery codes; earlier codes void"), ..audit::Entry::for_agent(agent, Some(ctx.client)) };
        audit::record(conn, Event::RecoveryCodesGenerated, Outcome::Success, &entry, ctx.now)?;
        let email = agent.email_address();
        let message = messages::recovery_codes_generated(&Recipient { email: &email, name: &agent.name, tr: agent.reader(conn)? }, &RequestContext::of(ctx.client, ctx.now), &ctx.config.base_url())?;
        outbox::enqueue(conn, &message, ctx.now)?;
        Ok::<(), AuthError>(())
    })?;
    Ok(codes)
}

/// Spends `code` if it is one of the agent's unused codes (compared with
/// each in constant time), in the caller's agent code transaction; true when
/// it was. The journey then tells the agent ([`announce_used`]).
pub fn spend(conn: &mut DbConnection, server_secret: &[u8], agent_id: &str, code: &RecoveryCode, now: NaiveDateTime) -> diesel::QueryResult<bool> {
    let hash = code_hash(server_secret, agent_id, code);
    let unused = recovery_code::unused(conn, agent_id)?;
    let matched = unused.iter().fold(None, |found, stored| if constant_time_eq(&stored.code_hash, &hash) { Some(stored.id.clone()) } else { found });
    let Some(id) = matched else { return Ok(false) };
    if !recovery_code::mark_used(conn, &id, now)? {
        return Ok(false);
    }
    Agent::set_recovery_codes_left(conn, agent_id, i32::try_from(unused.len()).unwrap_or(i32::MAX) - 1)?;
    Ok(true)
}

/// Audits a spent code and emails the agent at once, saying how many are left.
pub fn announce_used(conn: &mut DbConnection, ctx: &Context<'_>, agent: &Agent) -> Result<(), AuthError> {
    let left = i32::try_from(recovery_code::unused(conn, &agent.id)?.len()).unwrap_or(0);
    let detail = format!("signed in with a recovery code; {left} left");
    audit::record(conn, Event::RecoveryCodeUsed, Outcome::Success, &audit::Entry { detail: Some(&detail), ..audit::Entry::for_agent(agent, Some(ctx.client)) }, ctx.now)?;
    let email = agent.email_address();
    let message = messages::recovery_code_used(&Recipient { email: &email, name: &agent.name, tr: agent.reader(conn)? }, left, &RequestContext::of(ctx.client, ctx.now), &ctx.config.base_url())?;
    outbox::enqueue(conn, &message, ctx.now)?;
    Ok(())
}

/// Voids the agent's set (their last factor went, or an admin reset them).
pub fn void_all(conn: &mut DbConnection, agent_id: &str) -> diesel::QueryResult<()> {
    recovery_code::delete_all(conn, agent_id)?;
    Agent::set_recovery_codes_left(conn, agent_id, 0)
}

/// The text file of a set, for Download, in the request's language and time zone.
pub fn as_text_file(codes: &[RecoveryCode], account: &str, made_at: NaiveDateTime) -> String {
    let tr = crate::i18n::current();
    let mut text = format!(
        "{}\n{}\n{}\n\n",
        tr.t1("auth-recovery-file-title", "account", account),
        tr.t1("auth-recovery-file-made", "time", tr.date_time(made_at)),
        tr.t("auth-recovery-file-keep"),
    );
    for code in codes {
        text.push_str(&code.grouped());
        text.push('\n');
    }
    text
}
