//! `agentgate seed-demo --company NAME --agents N`: fills a demo or benchmark
//! database with a company of N made-up agents, with a realistic mix of
//! two-factor statuses, roles, logins, trusted computers, invited and
//! deactivated agents. Refuses a database that already holds a company unless
//! forced, so it cannot pollute a real installation by mistake.

use chrono::{Duration, NaiveDateTime};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use rand::RngExt;
use rand::distr::{Alphanumeric, SampleString};

use crate::agents::list_sql::push_id_in;
use crate::db::sql_text::SqlText;
use crate::crypto::random_token;
use crate::db::models::{Company, INSERT_NAME_PAIRS_OF_WORDS, NewCompany};
use crate::db::schema::companies;
use crate::db::{Backend, DbConnection, write_transaction};
use crate::domain::{CompanyName, new_public_id, search_key, search_words};

/// Rows per INSERT statement: far below both backends' limit on parameters.
const ROWS_PER_INSERT: usize = 400;

/// The names demo agents are drawn from (the benchmark seeds in bulk from them too).
pub const FIRST_NAMES: [&str; 40] = [
    "Ada", "Alan", "Grace", "Linus", "Barbara", "Dennis", "Margaret", "Ken", "Frances", "Edsger", "Radia", "Donald",
    "Hedy", "Claude", "Katherine", "John", "Sophie", "Tim", "Annie", "Guido", "Joan", "Bjarne", "Shafi", "Niklaus",
    "Karen", "Leslie", "Mary", "Yukihiro", "Anita", "Ward", "Carol", "Brian", "Lynn", "Rob", "Evelyn", "James", "Jean",
    "Seán", "Zoë", "Ngozi",
];
pub const LAST_NAMES: [&str; 40] = [
    "Lovelace", "Turing", "Hopper", "Torvalds", "Liskov", "Ritchie", "Hamilton", "Thompson", "Allen", "Dijkstra",
    "Perlman", "Knuth", "Lamarr", "Shannon", "Johnson", "McCarthy", "Wilson", "Berners-Lee", "Easley", "van Rossum",
    "Clarke", "Stroustrup", "Goldwasser", "Wirth", "Spärck Jones", "Lamport", "Keller", "Matsumoto", "Borg",
    "Cunningham", "Shaw", "Kernighan", "Conway", "Pike", "Berezin", "Gosling", "Sammet", "O'Neil", "Okafor", "Nakamura",
];

/// Why seeding was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("{}", crate::i18n::t("agents-seed-real-data"))]
    RealData,
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
}

/// What was seeded.
#[derive(Debug, Clone)]
pub struct SeedReport {
    pub company_id: String,
    pub agents: usize,
}

/// Adds `count` demo agents to the company named `company` (created if
/// needed). All in one transaction; statistics are refreshed afterwards so the
/// query planner knows the new size.
pub fn seed_demo(conn: &mut DbConnection, company: &CompanyName, count: usize, force: bool, now: NaiveDateTime) -> Result<SeedReport, SeedError> {
    let report = write_transaction(conn, |conn| {
        let companies: i64 = companies::table.count().get_result(conn)?;
        if companies > 0 && !force {
            return Err(SeedError::RealData);
        }
        let company_id = match Company::find_by_name(conn, company.as_str())? {
            Some(existing) => existing.id,
            None => {
                let id = new_public_id();
                Company::insert(conn, &NewCompany { id: &id, name: company.as_str(), trusted_days_max: 30, created_at: now, language: "en" })?;
                id
            }
        };
        insert_agents(conn, &company_id, count, now)?;
        Ok(SeedReport { company_id, agents: count })
    })?;
    // Outside the transaction: VACUUM cannot run in one.
    match conn.backend() {
        // The checkpoint moves the bulk insert out of the write-ahead log now,
        // instead of in the middle of the next request that writes.
        Backend::Sqlite => conn.batch_execute("ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);")?,
        // One statement at a time: several in one call form a transaction block.
        Backend::Postgres => {
            for table in ["agents", "agent_name_words", "agent_name_pairs", "agent_counts", "trusted_computers"] {
                conn.batch_execute(&format!("VACUUM ANALYZE {table}"))?;
            }
        }
    }
    Ok(report)
}

struct DemoAgent {
    id: String,
    name: String,
    search_name: String,
    email: String,
    role: &'static str,
    password_hash: Option<String>,
    active: bool,
    two_factor: &'static str,
    /// The factors behind an enabled `two_factor`: emailed codes, an app, or both.
    email_two_factor: &'static str,
    app_enabled: bool,
    recovery_codes_left: i32,
    created_at: NaiveDateTime,
    last_login_at: Option<NaiveDateTime>,
    trusted_computers: u32,
}

fn demo_agent(i: usize, run: &str, password_hash: &str, now: NaiveDateTime) -> DemoAgent {
    let mut rng = rand::rng();
    let first = FIRST_NAMES[rng.random_range(0..FIRST_NAMES.len())];
    let last = LAST_NAMES[rng.random_range(0..LAST_NAMES.len())];
    let name = format!("{first} {last}");
    let local: String = search_key(&format!("{first} {last}")).replace(' ', ".").chars().filter(char::is_ascii).collect();
    let invited = rng.random_range(0..100) < 2;
    let two_factor = match rng.random_range(0..100) {
        _ if invited => "disabled",
        0..60 => "enabled",
        60..65 => "pending",
        _ => "disabled",
    };
    let never_logged_in = invited || rng.random_range(0..100) < 10;
    // Of the agents with 2FA, a third use an app (half of those without email codes).
    let app_enabled = two_factor == "enabled" && rng.random_range(0..100) < 33;
    let email_two_factor = match two_factor {
        "enabled" if app_enabled && rng.random_range(0..2) == 0 => "disabled",
        other => other,
    };
    DemoAgent {
        id: new_public_id(),
        search_name: search_key(&name),
        name,
        email: format!("{local}.{i}@{run}.demo.invalid"),
        role: if rng.random_range(0..100) < 2 { "admin" } else { "agent" },
        password_hash: (!invited).then(|| password_hash.to_owned()),
        active: rng.random_range(0..100) >= 3,
        two_factor,
        email_two_factor,
        app_enabled,
        recovery_codes_left: if app_enabled { rng.random_range(0..=10) } else { 0 },
        created_at: now - Duration::days(rng.random_range(90..720)),
        last_login_at: (!never_logged_in).then(|| now - Duration::minutes(rng.random_range(1..90 * 24 * 60))),
        trusted_computers: if two_factor == "enabled" && rng.random_range(0..100) < 40 { rng.random_range(1..4) } else { 0 },
    }
}

fn insert_agents(conn: &mut DbConnection, company_id: &str, count: usize, now: NaiveDateTime) -> Result<(), SeedError> {
    // Demo agents share the hash of a password nobody knows: they look like
    // real accounts, and nobody can sign in as one.
    let password_hash = crate::auth::password::hash_blocking(&random_token()).map_err(|e| {
        diesel::result::Error::QueryBuilderError(format!("cannot hash the demo password: {e}").into())
    })?;
    let run = Alphanumeric.sample_string(&mut rand::rng(), 6).to_lowercase();
    let backend = conn.backend();
    let mut done = 0;
    while done < count {
        let chunk: Vec<DemoAgent> = (done..count.min(done + ROWS_PER_INSERT)).map(|i| demo_agent(i, &run, &password_hash, now)).collect();
        done += chunk.len();

        let mut agents = SqlText::new(backend);
        agents.not_kept(); // its rows vary in number
        agents.push(
            "INSERT INTO agents (id, company_id, name, search_name, email, role, password_hash, active, two_factor, email_two_factor, app_enabled, recovery_codes_left, created_at, last_login_at, password_changed_at) VALUES ",
        );
        for (n, agent) in chunk.iter().enumerate() {
            agents.push(if n == 0 { "(" } else { ", (" });
            agents.text(agent.id.as_str()).push(", ").text(company_id).push(", ").text(agent.name.as_str()).push(", ");
            agents.text(agent.search_name.as_str()).push(", ").text(agent.email.as_str()).push(", ").text(agent.role).push(", ");
            agents.optional_text(agent.password_hash.clone()).push(", ").bool(agent.active).push(", ").text(agent.two_factor).push(", ");
            agents.text(agent.email_two_factor).push(", ").bool(agent.app_enabled).push(", ").push(&agent.recovery_codes_left.to_string()).push(", ");
            agents.timestamp(agent.created_at).push(", ").optional_timestamp(agent.last_login_at).push(", ").timestamp(agent.created_at);
            agents.push(")");
        }
        agents.into_query().execute(conn)?;

        let mut words = SqlText::new(backend);
        words.not_kept();
        words.push("INSERT INTO agent_name_words (company_id, word, agent_id, search_name) VALUES ");
        let mut first = true;
        for agent in &chunk {
            for word in search_words(&agent.search_name) {
                words.push(if first { "(" } else { ", (" });
                first = false;
                words.text(company_id).push(", ").text(word).push(", ").text(agent.id.as_str()).push(", ").text(agent.search_name.as_str()).push(")");
            }
        }
        if !first {
            words.into_query().execute(conn)?;
            let mut pairs = SqlText::new(backend);
            pairs.push(INSERT_NAME_PAIRS_OF_WORDS).push(" WHERE ");
            let ids: Vec<String> = chunk.iter().map(|agent| agent.id.clone()).collect();
            push_id_in(&mut pairs, "w.agent_id", &ids);
            pairs.into_query().execute(conn)?;
        }

        let mut computers = SqlText::new(backend);
        computers.not_kept();
        computers.push("INSERT INTO trusted_computers (id, agent_id, token_hash, label, ip, created_at, last_used_at, expires_at) VALUES ");
        let mut first = true;
        for agent in chunk.iter().filter(|a| a.active) {
            for _ in 0..agent.trusted_computers {
                // Last used at the agent's last login, and still valid: a
                // computer unused for 30 days is no longer trusted.
                let used = agent.last_login_at.unwrap_or(now).max(now - Duration::days(29));
                computers.push(if first { "(" } else { ", (" });
                first = false;
                computers.text(new_public_id()).push(", ").text(agent.id.as_str()).push(", ").text(random_token()).push(", ");
                computers.text("Demo browser").push(", ").text("192.0.2.1").push(", ").timestamp(used).push(", ");
                computers.timestamp(used).push(", ").timestamp(used + Duration::days(30)).push(")");
            }
        }
        if !first {
            computers.into_query().execute(conn)?;
        }
    }
    Ok(())
}
