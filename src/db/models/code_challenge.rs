//! Rows of `code_challenges`: a pending login or a 2FA confirmation waiting
//! for its emailed code. The rules live in `auth::codes`.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::models::agent::Agent;
use crate::db::models::company::Company;
use crate::db::models::code_lockout::CodeLockout;
use crate::db::schema::{agents, code_challenges, code_lockouts, companies};
use crate::db::sql_text::SqlText;

/// What a challenge's code proves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChallengePurpose {
    /// The second step of a login (SPEC §2.3).
    Login,
    /// The code that turns 2FA on, proving the address receives mail (SPEC §2.2).
    EnableTwoFactor,
    /// "Confirm it is you" before a sensitive change (step-up
    /// re-authentication; stored as `step_up`, the name rows already carry).
    ConfirmIdentity,
    /// The code sent to a new address before it replaces the old one (SPEC §2.2 step 6).
    ChangeEmail,
}

impl ChallengePurpose {
    pub const ALL: [ChallengePurpose; 4] =
        [ChallengePurpose::Login, ChallengePurpose::EnableTwoFactor, ChallengePurpose::ConfirmIdentity, ChallengePurpose::ChangeEmail];

    pub fn as_str(self) -> &'static str {
        match self {
            ChallengePurpose::Login => "login",
            ChallengePurpose::EnableTwoFactor => "enable_two_factor",
            ChallengePurpose::ConfirmIdentity => "step_up",
            ChallengePurpose::ChangeEmail => "change_email",
        }
    }

    /// The purpose stored as `raw`, if it is one.
    pub fn parse(raw: &str) -> Option<ChallengePurpose> {
        ChallengePurpose::ALL.into_iter().find(|p| p.as_str() == raw)
    }

    /// Whether wrong codes count towards the agent's code lock-out (SPEC §3).
    /// They do wherever a guesser who knows the password could be trying to
    /// prove the mailbox: the login, and confirming identity before a
    /// sensitive change. Confirmation codes (turning 2FA on, a new address)
    /// prove an address the agent chose, so guessing them gains nothing.
    pub fn counts_towards_lockout(self) -> bool {
        matches!(self, ChallengePurpose::Login | ChallengePurpose::ConfirmIdentity)
    }

    /// How audit entries name this purpose's code.
    pub fn code_label(self) -> &'static str {
        match self {
            ChallengePurpose::Login => "login code",
            ChallengePurpose::EnableTwoFactor => "confirmation code",
            ChallengePurpose::ConfirmIdentity => "code to confirm identity",
            ChallengePurpose::ChangeEmail => "code to a new email address",
        }
    }
}

/// Why a challenge was closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloseReason {
    /// Its code was accepted.
    Completed,
    /// The same browser started again (a new login, a new enabling).
    Superseded,
    /// The agent cancelled it (unticked 2FA while pending).
    Cancelled,
    /// The password was reset, 2FA turned off or reset: nothing may complete now.
    Revoked,
    /// It ran out without a code and the agent was told.
    ReportedAbandoned,
}

impl CloseReason {
    pub fn as_str(self) -> &'static str {
        match self {
            CloseReason::Completed => "completed",
            CloseReason::Superseded => "superseded",
            CloseReason::Cancelled => "cancelled",
            CloseReason::Revoked => "revoked",
            CloseReason::ReportedAbandoned => "reported_abandoned",
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = code_challenges)]
pub struct CodeChallenge {
    pub id: String,
    pub agent_id: String,
    pub purpose: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub wrong_codes: i32,
    pub closed_at: Option<NaiveDateTime>,
    pub closed_reason: Option<String>,
    pub ip: String,
    pub user_agent: String,
    pub abandoned_notice_at: Option<NaiveDateTime>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = code_challenges)]
pub struct NewCodeChallenge<'a> {
    pub id: &'a str,
    pub agent_id: &'a str,
    pub purpose: &'a str,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub ip: &'a str,
    pub user_agent: &'a str,
}

/// A challenge read with its active agent, the agent's company and the
/// agent's code lock-out row (`None` before the agent's first code).
#[derive(Debug, Clone)]
pub struct ChallengeWithAgent {
    pub challenge: CodeChallenge,
    pub agent: Agent,
    pub company: Company,
    pub lockout: Option<CodeLockout>,
}

impl CodeChallenge {
    pub fn is_for(&self, purpose: ChallengePurpose) -> bool {
        self.purpose == purpose.as_str()
    }

    /// The stored purpose (`None` only for a row no code wrote).
    pub fn purpose(&self) -> Option<ChallengePurpose> {
        ChallengePurpose::parse(&self.purpose)
    }

    /// See [`ChallengePurpose::counts_towards_lockout`].
    pub fn counts_towards_lockout(&self) -> bool {
        self.purpose().is_some_and(ChallengePurpose::counts_towards_lockout)
    }

    /// Still waiting for its code: not closed and within its lifetime.
    pub fn is_open(&self, now: NaiveDateTime) -> bool {
        self.closed_at.is_none() && self.expires_at > now
    }

    pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<CodeChallenge>> {
        code_challenges::table.find(id).select(CodeChallenge::as_select()).get_result(conn).optional()
    }

    /// The challenge with its agent, if the agent is active, the agent's
    /// company and code lock-out row: one statement where the code page and
    /// the code step would otherwise ask four times (on PostgreSQL each is a
    /// round trip).
    pub fn find_with_active_agent(conn: &mut DbConnection, id: &str) -> QueryResult<Option<ChallengeWithAgent>> {
        code_challenges::table
            .inner_join(agents::table.inner_join(companies::table))
            .left_join(code_lockouts::table.on(code_lockouts::agent_id.eq(code_challenges::agent_id)))
            .filter(code_challenges::id.eq(id))
            .filter(agents::active.eq(true))
            .select((CodeChallenge::as_select(), Agent::as_select(), Company::as_select(), Option::<CodeLockout>::as_select()))
            .get_result(conn)
            .optional()
            .map(|found| found.map(|(challenge, agent, company, lockout)| ChallengeWithAgent { challenge, agent, company, lockout }))
    }

    /// The challenge with its agent if the agent is active: what the code
    /// step reads under the agent's lock, in one statement.
    pub fn find_with_agent_if_active(conn: &mut DbConnection, id: &str) -> QueryResult<Option<(CodeChallenge, Option<Agent>)>> {
        code_challenges::table
            .left_join(agents::table.on(agents::id.eq(code_challenges::agent_id).and(agents::active.eq(true))))
            .filter(code_challenges::id.eq(id))
            .select((CodeChallenge::as_select(), Option::<Agent>::as_select()))
            .get_result(conn)
            .optional()
    }

    /// The agent's newest open challenge of a purpose.
    pub fn find_open(conn: &mut DbConnection, agent_id: &str, purpose: ChallengePurpose, now: NaiveDateTime) -> QueryResult<Option<CodeChallenge>> {
        code_challenges::table
            .filter(code_challenges::agent_id.eq(agent_id))
            .filter(code_challenges::purpose.eq(purpose.as_str()))
            .filter(code_challenges::closed_at.is_null())
            .filter(code_challenges::expires_at.gt(now))
            .order(code_challenges::created_at.desc())
            .select(CodeChallenge::as_select())
            .get_result(conn)
            .optional()
    }

    /// Stores a new challenge and returns it as stored.
    pub fn insert(conn: &mut DbConnection, new: &NewCodeChallenge<'_>) -> QueryResult<CodeChallenge> {
        // (Per backend: `MultiConnection` cannot return a whole row.)
        let insert = diesel::insert_into(code_challenges::table).values(new);
        match conn {
            DbConnection::Sqlite(c) => insert.returning(CodeChallenge::as_returning()).get_result(c),
            DbConnection::Postgres(c) => insert.returning(CodeChallenge::as_returning()).get_result(c),
        }
    }

    /// Counts one more wrong code, atomically; returns the new count.
    pub fn add_wrong_code(conn: &mut DbConnection, id: &str) -> QueryResult<i32> {
        diesel::update(code_challenges::table.find(id))
            .set(code_challenges::wrong_codes.eq(code_challenges::wrong_codes + 1))
            .returning(code_challenges::wrong_codes)
            .get_result(conn)
    }

    /// A new code starts a fresh count of wrong codes (SPEC §3).
    pub fn reset_wrong_codes(conn: &mut DbConnection, id: &str) -> QueryResult<()> {
        diesel::update(code_challenges::table.find(id)).set(code_challenges::wrong_codes.eq(0)).execute(conn).map(|_| ())
    }

    /// Closes the challenge if it is still open; false if something closed it first.
    pub fn close(conn: &mut DbConnection, id: &str, reason: CloseReason, now: NaiveDateTime) -> QueryResult<bool> {
        let mut sql = SqlText::new(conn.backend());
        sql.push("UPDATE code_challenges SET closed_at = ")
            .timestamp(now)
            .push(", closed_reason = ")
            .text(reason.as_str())
            .push(" WHERE id = ")
            .text(id)
            .push(" AND closed_at IS NULL");
        Ok(sql.into_query().execute(conn)? == 1)
    }

    /// Closes every open challenge of an agent (of one purpose, or all).
    pub fn close_all_for_agent(
        conn: &mut DbConnection,
        agent_id: &str,
        purpose: Option<ChallengePurpose>,
        reason: CloseReason,
        now: NaiveDateTime,
    ) -> QueryResult<usize> {
        let mut query = diesel::update(code_challenges::table)
            .filter(code_challenges::agent_id.eq(agent_id.to_owned()))
            .filter(code_challenges::closed_at.is_null())
            .into_boxed();
        if let Some(purpose) = purpose {
            query = query.filter(code_challenges::purpose.eq(purpose.as_str()));
        }
        query.set((code_challenges::closed_at.eq(now), code_challenges::closed_reason.eq(reason.as_str()))).execute(conn)
    }

    /// Pending logins that ran out without a code and were not reported yet.
    pub fn abandoned_logins(conn: &mut DbConnection, now: NaiveDateTime, limit: i64) -> QueryResult<Vec<CodeChallenge>> {
        code_challenges::table
            .filter(code_challenges::purpose.eq(ChallengePurpose::Login.as_str()))
            .filter(code_challenges::closed_at.is_null())
            .filter(code_challenges::abandoned_notice_at.is_null())
            .filter(code_challenges::expires_at.le(now))
            .order(code_challenges::expires_at.asc())
            .limit(limit)
            .select(CodeChallenge::as_select())
            .load(conn)
    }

    /// Marks an abandoned login as reported; false if another instance did first.
    pub fn mark_abandoned_reported(conn: &mut DbConnection, id: &str, now: NaiveDateTime) -> QueryResult<bool> {
        let updated = diesel::update(code_challenges::table.find(id).filter(code_challenges::abandoned_notice_at.is_null()))
            .set(code_challenges::abandoned_notice_at.eq(now))
            .execute(conn)?;
        Ok(updated == 1)
    }

    /// True if the agent was told about an abandoned login since `since`
    /// (one such email per quarter hour is enough).
    pub fn abandoned_reported_since(conn: &mut DbConnection, agent_id: &str, since: NaiveDateTime) -> QueryResult<bool> {
        diesel::select(diesel::dsl::exists(
            code_challenges::table
                .filter(code_challenges::agent_id.eq(agent_id))
                .filter(code_challenges::closed_reason.eq(CloseReason::ReportedAbandoned.as_str()))
                .filter(code_challenges::closed_at.gt(since)),
        ))
        .get_result(conn)
    }

    /// True if the agent completed a login that began after `after`: an
    /// abandoned attempt followed by a successful one is the agent starting over.
    pub fn completed_login_since(conn: &mut DbConnection, agent_id: &str, after: NaiveDateTime) -> QueryResult<bool> {
        diesel::select(diesel::dsl::exists(
            code_challenges::table
                .filter(code_challenges::agent_id.eq(agent_id))
                .filter(code_challenges::purpose.eq(ChallengePurpose::Login.as_str()))
                .filter(code_challenges::closed_reason.eq(CloseReason::Completed.as_str()))
                .filter(code_challenges::created_at.gt(after)),
        ))
        .get_result(conn)
    }

    /// Housekeeping: forgets ended challenges (and, by cascade, their codes
    /// and an email change's address). A login reported as abandoned goes once
    /// it was closed before `reported_before`; any other challenge once it
    /// expired before `expired_before` and ended: closed, marked as abandoned
    /// or — for every purpose but a login, which is reported first — simply
    /// run out. (`CodePolicy::ended_challenge_horizons` says why those times.)
    pub fn delete_ended(conn: &mut DbConnection, expired_before: NaiveDateTime, reported_before: NaiveDateTime) -> QueryResult<usize> {
        let reported = CloseReason::ReportedAbandoned.as_str();
        let reported_abandoned = diesel::delete(
            code_challenges::table.filter(code_challenges::closed_reason.eq(reported)).filter(code_challenges::closed_at.lt(reported_before)),
        )
        .execute(conn)?;
        let others = diesel::delete(
            code_challenges::table
                .filter(code_challenges::expires_at.lt(expired_before))
                .filter(code_challenges::closed_reason.is_null().or(code_challenges::closed_reason.ne(reported)))
                .filter(
                    code_challenges::closed_at
                        .is_not_null()
                        .or(code_challenges::abandoned_notice_at.is_not_null())
                        .or(code_challenges::purpose.ne(ChallengePurpose::Login.as_str())),
                ),
        )
        .execute(conn)?;
        Ok(reported_abandoned + others)
    }
}
