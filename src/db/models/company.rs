use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::companies;
use crate::domain::{AdminFactorRule, FactorsAllowed};

/// A tenant: a helpdesk company and its policies.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = companies)]
pub struct Company {
    pub id: String,
    pub name: String,
    pub require_two_factor: bool,
    pub two_factor_grace_until: Option<NaiveDateTime>,
    pub trusted_days_max: i32,
    pub admins_always_enter_code: bool,
    pub created_at: NaiveDateTime,
    /// Sign agents out after this long without a page view (NULL: the server's setting).
    pub session_idle_minutes: Option<i32>,
    /// Sign agents out this long after they signed in, however active (NULL: the server's setting).
    pub session_absolute_hours: Option<i32>,
    /// Emailed codes count as a second factor.
    pub email_factor_allowed: bool,
    /// Admins must have an authenticator app (or a passkey).
    pub admins_must_use_app: bool,
    /// Authenticator apps count (off with email off: passkeys only).
    pub app_factor_allowed: bool,
    /// Admins must have a passkey or security key (phishing-resistant).
    pub admins_must_use_passkey: bool,
    /// The language of new agents and invitations ("en", "pl").
    pub language: String,
    /// The IANA time zone of agents who choose none.
    pub time_zone: String,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = companies)]
pub struct NewCompany<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub trusted_days_max: i32,
    pub created_at: NaiveDateTime,
    pub language: &'a str,
}

/// A company's two-factor settings (the policy form of the Agents tab).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompanyPolicy {
    pub require_two_factor: bool,
    /// Agents without 2FA may postpone it until this moment (UTC).
    pub two_factor_grace_until: Option<NaiveDateTime>,
    pub trusted_days_max: i32,
    pub admins_always_enter_code: bool,
    pub session_idle_minutes: Option<i32>,
    pub session_absolute_hours: Option<i32>,
    pub email_factor_allowed: bool,
    pub admins_must_use_app: bool,
    pub app_factor_allowed: bool,
    pub admins_must_use_passkey: bool,
}

impl Company {
    /// The company's defaults: for someone it invited who has not chosen yet.
    pub fn tr(&self) -> crate::i18n::Tr {
        crate::i18n::Tr::from_stored(&self.language, None, &self.time_zone)
    }

    /// Which second factors count for this company.
    pub fn factors_allowed(&self) -> FactorsAllowed {
        FactorsAllowed::from_flags(self.email_factor_allowed, self.app_factor_allowed)
    }

    /// What the company asks of its admins.
    pub fn admin_factor_rule(&self) -> AdminFactorRule {
        AdminFactorRule::from_flags(self.admins_must_use_app, self.admins_must_use_passkey)
    }

    pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<Company>> {
        companies::table.find(id).select(Company::as_select()).get_result(conn).optional()
    }

    pub fn find_by_name(conn: &mut DbConnection, name: &str) -> QueryResult<Option<Company>> {
        companies::table
            .filter(companies::name.eq(name))
            .select(Company::as_select())
            .get_result(conn)
            .optional()
    }

    /// Takes the company row's write lock until the transaction ends, so that
    /// two admins acting at once on PostgreSQL cannot both pass a per-company
    /// rule (the last admin). SQLite's `BEGIN IMMEDIATE` already serialises writers.
    pub fn lock(conn: &mut DbConnection, id: &str) -> QueryResult<bool> {
        let locked = diesel::update(companies::table.find(id)).set(companies::name.eq(companies::name)).execute(conn)?;
        Ok(locked == 1)
    }

    /// The session lifetimes (idle minutes, absolute hours) chosen by the
    /// agent's company; `None` when there is no such agent.
    pub fn session_policy_of_agent(conn: &mut DbConnection, agent_id: &str) -> QueryResult<Option<(Option<i32>, Option<i32>)>> {
        use crate::db::schema::agents;
        agents::table
            .inner_join(companies::table)
            .filter(agents::id.eq(agent_id))
            .select((companies::session_idle_minutes, companies::session_absolute_hours))
            .get_result(conn)
            .optional()
    }

    /// Writes the company's two-factor policy (SPEC §2.4).
    pub fn update_policy(conn: &mut DbConnection, id: &str, policy: &CompanyPolicy) -> QueryResult<()> {
        diesel::update(companies::table.find(id))
            .set((
                companies::require_two_factor.eq(policy.require_two_factor),
                companies::two_factor_grace_until.eq(policy.two_factor_grace_until),
                companies::trusted_days_max.eq(policy.trusted_days_max),
                companies::admins_always_enter_code.eq(policy.admins_always_enter_code),
                companies::session_idle_minutes.eq(policy.session_idle_minutes),
                companies::session_absolute_hours.eq(policy.session_absolute_hours),
                companies::email_factor_allowed.eq(policy.email_factor_allowed),
                companies::admins_must_use_app.eq(policy.admins_must_use_app),
                companies::app_factor_allowed.eq(policy.app_factor_allowed),
                companies::admins_must_use_passkey.eq(policy.admins_must_use_passkey),
            ))
            .execute(conn)
            .map(|_| ())
    }

    /// The policy columns, as [`Company::update_policy`] writes them.
    pub fn policy(&self) -> CompanyPolicy {
        CompanyPolicy {
            require_two_factor: self.require_two_factor,
            two_factor_grace_until: self.two_factor_grace_until,
            trusted_days_max: self.trusted_days_max,
            admins_always_enter_code: self.admins_always_enter_code,
            session_idle_minutes: self.session_idle_minutes,
            session_absolute_hours: self.session_absolute_hours,
            email_factor_allowed: self.email_factor_allowed,
            admins_must_use_app: self.admins_must_use_app,
            app_factor_allowed: self.app_factor_allowed,
            admins_must_use_passkey: self.admins_must_use_passkey,
        }
    }

    pub fn insert(conn: &mut DbConnection, new: &NewCompany<'_>) -> QueryResult<()> {
        diesel::insert_into(companies::table).values(new).execute(conn).map(|_| ())
    }
}
