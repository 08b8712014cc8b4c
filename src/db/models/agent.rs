use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::Text;

use crate::db::{Backend, DbConnection};
use crate::db::models::company::Company;
use crate::db::schema::{agent_name_pairs, agent_name_words, agents, companies};
use crate::db::sql_text::SqlText;
use crate::domain::{EmailAddress, Role, TwoFactorStatus, search_key, search_words};

/// An agent of a company. The email is stored normalised (see [`EmailAddress`]).
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = agents)]
pub struct Agent {
    pub id: String,
    pub company_id: String,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub password_hash: Option<String>,
    pub active: bool,
    /// Overall: enabled when any second factor is confirmed (SPEC §7).
    pub two_factor: TwoFactorStatus,
    pub created_at: NaiveDateTime,
    pub last_login_at: Option<NaiveDateTime>,
    pub password_changed_at: NaiveDateTime,
    /// The emailed-code factor of SPEC §2.2 (disabled, pending, enabled).
    pub email_two_factor: TwoFactorStatus,
    /// A confirmed authenticator app.
    pub app_enabled: bool,
    /// Unused recovery codes.
    pub recovery_codes_left: i32,
    /// Registered passkeys and security keys.
    pub passkey_count: i32,
    /// The language of their pages and email ("en", "pl").
    pub language: String,
    /// Their IANA time zone; None: the company's.
    pub time_zone: Option<String>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = agents)]
pub struct NewAgent<'a> {
    pub id: &'a str,
    pub company_id: &'a str,
    pub name: &'a str,
    pub email: &'a str,
    pub role: &'a str,
    pub password_hash: Option<&'a str>,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub password_changed_at: NaiveDateTime,
    /// The company's language until the agent chooses their own.
    pub language: &'a str,
}

impl Agent {
    /// The agent's language and time zone (the company's zone when they chose none).
    pub fn tr(&self, company: &super::Company) -> crate::i18n::Tr {
        crate::i18n::Tr::from_stored(&self.language, self.time_zone.as_deref(), &company.time_zone)
    }

    /// [`Agent::tr`] when the company is not at hand (an email to the agent):
    /// reads the company's zone only if the agent chose none.
    pub fn reader(&self, conn: &mut DbConnection) -> QueryResult<crate::i18n::Tr> {
        let company_zone = match self.time_zone {
            Some(_) => String::new(),
            None => crate::db::schema::companies::table.find(&self.company_id).select(crate::db::schema::companies::time_zone).get_result(conn)?,
        };
        Ok(crate::i18n::Tr::from_stored(&self.language, self.time_zone.as_deref(), &company_zone))
    }

    pub fn role(&self) -> Role {
        self.role
    }

    pub fn is_admin(&self) -> bool {
        self.role() == Role::Admin
    }

    /// Whether a login needs a second step: any confirmed factor.
    pub fn two_factor_status(&self) -> TwoFactorStatus {
        self.two_factor
    }

    /// The emailed-code factor alone (the Account Setting checkbox).
    pub fn email_two_factor_status(&self) -> TwoFactorStatus {
        self.email_two_factor
    }

    pub fn email_factor_on(&self) -> bool {
        self.email_two_factor == TwoFactorStatus::Enabled
    }

    /// The stored address, already validated when it was written.
    pub fn email_address(&self) -> EmailAddress {
        EmailAddress::parse(&self.email).expect("stored emails are validated on write")
    }

    /// The login lookup: emails are unique across the installation.
    pub fn find_by_email(conn: &mut DbConnection, email: &EmailAddress) -> QueryResult<Option<Agent>> {
        agents::table
            .filter(agents::email.eq(email.as_str()))
            .select(Agent::as_select())
            .get_result(conn)
            .optional()
    }

    /// [`Agent::find_by_email`] with the agent's company, in one statement:
    /// the password step's first read, where a login with a second step
    /// would otherwise read the company again.
    pub fn find_by_email_with_company(conn: &mut DbConnection, email: &EmailAddress) -> QueryResult<Option<(Agent, Company)>> {
        agents::table
            .inner_join(companies::table)
            .filter(agents::email.eq(email.as_str()))
            .select((Agent::as_select(), Company::as_select()))
            .get_result(conn)
            .optional()
    }

    /// The signed-in agent, by the id kept in their server-side session.
    pub fn find_active(conn: &mut DbConnection, id: &str) -> QueryResult<Option<Agent>> {
        agents::table
            .find(id)
            .filter(agents::active.eq(true))
            .select(Agent::as_select())
            .get_result(conn)
            .optional()
    }

    /// An agent of the given company; another company's id finds nothing.
    pub fn find_in_company(conn: &mut DbConnection, company_id: &str, id: &str) -> QueryResult<Option<Agent>> {
        agents::table
            .filter(agents::company_id.eq(company_id))
            .filter(agents::id.eq(id))
            .select(Agent::as_select())
            .get_result(conn)
            .optional()
    }

    pub fn email_in_use(conn: &mut DbConnection, email: &EmailAddress) -> QueryResult<bool> {
        diesel::select(diesel::dsl::exists(agents::table.filter(agents::email.eq(email.as_str())))).get_result(conn)
    }

    /// True once the first agent exists: the first-run setup is then closed.
    pub fn any_exists(conn: &mut DbConnection) -> QueryResult<bool> {
        diesel::select(diesel::dsl::exists(agents::table.select(agents::id))).get_result(conn)
    }

    /// Inserts the agent with the search form of their name (see [`search_key`]).
    pub fn insert(conn: &mut DbConnection, new: &NewAgent<'_>) -> QueryResult<()> {
        let key = search_key(new.name);
        diesel::insert_into(agents::table).values((new, agents::search_name.eq(&key))).execute(conn)?;
        insert_name_words(conn, new.company_id, new.id, &key)
    }

    /// SQL text, kept prepared (see `db::sql_text`): it runs at every login.
    pub fn record_login(conn: &mut DbConnection, id: &str, at: NaiveDateTime) -> QueryResult<()> {
        let mut sql = SqlText::new(conn.backend());
        sql.push("UPDATE agents SET last_login_at = ").timestamp(at).push(" WHERE id = ").text(id);
        sql.into_query().execute(conn).map(|_| ())
    }

    /// Renames the agent and re-indexes the name for search.
    pub fn update_name(conn: &mut DbConnection, id: &str, name: &str) -> QueryResult<()> {
        let key = search_key(name);
        let company_id: String = diesel::update(agents::table.find(id))
            .set((agents::name.eq(name), agents::search_name.eq(&key)))
            .returning(agents::company_id)
            .get_result(conn)?;
        diesel::delete(agent_name_pairs::table.filter(agent_name_pairs::agent_id.eq(id))).execute(conn)?;
        diesel::delete(agent_name_words::table.filter(agent_name_words::agent_id.eq(id))).execute(conn)?;
        insert_name_words(conn, &company_id, id, &key)
    }

    /// Fills `search_name` and the name words of every agent: run once, by
    /// `db::run_migrations`, when the migration that added them is applied.
    pub fn reindex_all_names(conn: &mut DbConnection) -> QueryResult<usize> {
        let all: Vec<(String, String, String)> =
            agents::table.select((agents::id, agents::company_id, agents::name)).load(conn)?;
        diesel::delete(agent_name_pairs::table).execute(conn)?;
        diesel::delete(agent_name_words::table).execute(conn)?;
        for (id, company_id, name) in &all {
            let key = search_key(name);
            diesel::update(agents::table.find(id)).set(agents::search_name.eq(&key)).execute(conn)?;
            insert_name_words(conn, company_id, id, &key)?;
        }
        Ok(all.len())
    }

    pub fn set_role(conn: &mut DbConnection, id: &str, role: Role) -> QueryResult<()> {
        diesel::update(agents::table.find(id)).set(agents::role.eq(role.as_str())).execute(conn).map(|_| ())
    }

    /// Admins of the company who can sign in: active, with a password chosen
    /// (an invited admin cannot act yet). Used by the last-admin rule.
    pub fn count_admins_who_can_sign_in(conn: &mut DbConnection, company_id: &str) -> QueryResult<i64> {
        agents::table
            .filter(agents::company_id.eq(company_id))
            .filter(agents::role.eq(Role::Admin.as_str()))
            .filter(agents::active.eq(true))
            .filter(agents::password_hash.is_not_null())
            .count()
            .get_result(conn)
    }

    /// Sets the first password of an invited agent; false if the agent is not
    /// (or no longer) an active agent without a password.
    pub fn set_first_password(conn: &mut DbConnection, id: &str, hash: &str, at: NaiveDateTime) -> QueryResult<bool> {
        let updated = diesel::update(
            agents::table.find(id).filter(agents::password_hash.is_null()).filter(agents::active.eq(true)),
        )
        .set((agents::password_hash.eq(hash), agents::password_changed_at.eq(at)))
        .execute(conn)?;
        Ok(updated == 1)
    }

    /// An agent who has not chosen a password yet (added by invitation).
    pub fn is_invited(&self) -> bool {
        self.password_hash.is_none()
    }

    /// Changes the login address (already validated and normalised); a
    /// unique violation if another agent has it.
    pub fn update_email(conn: &mut DbConnection, id: &str, email: &str) -> QueryResult<()> {
        diesel::update(agents::table.find(id)).set(agents::email.eq(email)).execute(conn).map(|_| ())
    }

    pub fn update_password(conn: &mut DbConnection, id: &str, hash: &str, at: NaiveDateTime) -> QueryResult<()> {
        diesel::update(agents::table.find(id))
            .set((agents::password_hash.eq(hash), agents::password_changed_at.eq(at)))
            .execute(conn)
            .map(|_| ())
    }

    /// Active agents of the whole installation by second factor, for
    /// `/metrics`: (any 2FA, email codes, an app, recovery codes).
    pub fn count_by_method(conn: &mut DbConnection) -> QueryResult<(i64, i64, i64, i64)> {
        let active = || agents::table.filter(agents::active.eq(true));
        Ok((
            active().filter(agents::two_factor.eq(TwoFactorStatus::Enabled.as_str())).count().get_result(conn)?,
            active().filter(agents::email_two_factor.eq(TwoFactorStatus::Enabled.as_str())).count().get_result(conn)?,
            active().filter(agents::app_enabled.eq(true)).count().get_result(conn)?,
            active().filter(agents::recovery_codes_left.gt(0)).count().get_result(conn)?,
        ))
    }

    /// Sets the email factor's state (SPEC §2.2: disabled, pending
    /// confirmation, enabled) and with it the overall state.
    pub fn set_two_factor(conn: &mut DbConnection, id: &str, status: TwoFactorStatus) -> QueryResult<()> {
        diesel::update(agents::table.find(id)).set(agents::email_two_factor.eq(status.as_str())).execute(conn)?;
        Agent::refresh_two_factor(conn, id)
    }

    /// Turns the authenticator-app factor on or off, and with it the overall state.
    pub fn set_app_enabled(conn: &mut DbConnection, id: &str, enabled: bool) -> QueryResult<()> {
        diesel::update(agents::table.find(id)).set(agents::app_enabled.eq(enabled)).execute(conn)?;
        Agent::refresh_two_factor(conn, id)
    }

    /// Counts the agent's passkeys again, and with them the overall state.
    pub fn refresh_passkey_count(conn: &mut DbConnection, id: &str) -> QueryResult<i32> {
        use crate::db::schema::passkeys;
        let count: i64 = passkeys::table.filter(passkeys::agent_id.eq(id)).count().get_result(conn)?;
        let count = i32::try_from(count).unwrap_or(i32::MAX);
        diesel::update(agents::table.find(id)).set(agents::passkey_count.eq(count)).execute(conn)?;
        Agent::refresh_two_factor(conn, id)?;
        Ok(count)
    }

    pub fn has_passkey(&self) -> bool {
        self.passkey_count > 0
    }

    pub fn set_recovery_codes_left(conn: &mut DbConnection, id: &str, left: i32) -> QueryResult<()> {
        diesel::update(agents::table.find(id)).set(agents::recovery_codes_left.eq(left)).execute(conn).map(|_| ())
    }

    /// Derives the overall state from the factors, in the database: enabled
    /// with any confirmed factor, pending while only email waits for its
    /// confirmation. The Agents tab's counters follow (see its triggers).
    fn refresh_two_factor(conn: &mut DbConnection, id: &str) -> QueryResult<()> {
        use diesel::dsl::sql;
        use diesel::sql_types::Text;
        let overall = sql::<Text>("CASE WHEN app_enabled OR passkey_count > 0 OR email_two_factor = 'enabled' THEN 'enabled' WHEN email_two_factor = 'pending' THEN 'pending' ELSE 'disabled' END");
        diesel::update(agents::table.find(id)).set(agents::two_factor.eq(overall)).execute(conn).map(|_| ())
    }

    pub fn set_active(conn: &mut DbConnection, id: &str, active: bool) -> QueryResult<()> {
        diesel::update(agents::table.find(id)).set(agents::active.eq(active)).execute(conn).map(|_| ())
    }
}

/// Fills `agent_name_pairs` from `agent_name_words` (as `w`) for bulk
/// inserts, which write the words in SQL: append a `WHERE` on `w` to choose
/// the agents. [`Agent::insert`] and renames write them with it too.
pub const INSERT_NAME_PAIRS_OF_WORDS: &str = "INSERT INTO agent_name_pairs (company_id, word, other, agent_id) \
     SELECT w.company_id, w.word, o.word, w.agent_id FROM agent_name_words w \
     JOIN agent_name_words o ON o.agent_id = w.agent_id AND o.word <> w.word";

/// One row per distinct word of the name, so a word prefix is an index range;
/// each row carries the whole name for the other words of a search. Then
/// each two of those words as a pair, for searches of two words (see the
/// migration `000200_name_word_pairs`): one statement, however many words.
/// (Words row by row: the multi-backend connection has no batch insert; a name has few words.)
fn insert_name_words(conn: &mut DbConnection, company_id: &str, agent_id: &str, key: &str) -> QueryResult<()> {
    for word in search_words(key) {
        diesel::insert_into(agent_name_words::table)
            .values((
                agent_name_words::company_id.eq(company_id),
                agent_name_words::word.eq(word),
                agent_name_words::agent_id.eq(agent_id),
                agent_name_words::search_name.eq(key),
            ))
            .execute(conn)?;
    }
    // The pairs of this agent, by the one rule the bulk inserts use too.
    let agent_bind = match conn.backend() {
        Backend::Sqlite => "?",
        Backend::Postgres => "$1",
    };
    diesel::sql_query(format!("{INSERT_NAME_PAIRS_OF_WORDS} WHERE w.agent_id = {agent_bind}")).bind::<Text, _>(agent_id).execute(conn)?;
    Ok(())
}
