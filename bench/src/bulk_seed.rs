//! A company of demo agents seeded in bulk on PostgreSQL, for the Agents tab
//! at 100,000 agents.
//!
//! `agentgate::agents::seed::seed_demo` writes 400 rows a statement, but in
//! one transaction every agent fires the triggers that keep the company's
//! counters (`agent_counts`, `agent_list_versions`), and every trusted
//! computer the one that counts them on its agent (which moves the agent in
//! the list version again): the same few rows updated some 200,000 times in one
//! transaction, each update walking the row versions the ones before it left.
//! Here the same rows as `seed_demo`'s (the same mix of statuses, roles,
//! logins, factors and trusted computers, names from the same lists, search
//! words and search names from the app's own functions) are written 10,000 a
//! statement through `unnest` of one array per column, with those three
//! triggers off inside the transaction (`ALTER TABLE … DISABLE TRIGGER` is
//! transactional: no other session ever sees them off), and the counters are
//! then set from the rows, as the triggers would have left them.

use chrono::{Duration, NaiveDateTime};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{Array, Bool, Integer, Nullable, Text, Timestamp};
use rand::RngExt;

use agentgate::db::models::{Company, INSERT_NAME_PAIRS_OF_WORDS, NewCompany};
use agentgate::agents::seed::{FIRST_NAMES, LAST_NAMES};
use agentgate::db::{PoolSettings, connect};
use agentgate::domain::{new_public_id, search_key, search_words};

/// Rows per statement: each column is one array parameter, so this is bounded
/// by memory only.
const ROWS_PER_INSERT: usize = 10_000;


/// The triggers turned off while seeding: (table, trigger).
const COUNTING_TRIGGERS: [(&str, &str); 3] = [
    ("agents", "agent_counts_insert_delete"),
    ("agents", "agent_list_versions_insert_delete"),
    ("trusted_computers", "trusted_computers_count"),
];

/// The columns of the agents written, one vector each.
#[derive(Default)]
struct AgentColumns {
    id: Vec<String>,
    name: Vec<String>,
    search_name: Vec<String>,
    email: Vec<String>,
    role: Vec<String>,
    password_hash: Vec<Option<String>>,
    active: Vec<bool>,
    two_factor: Vec<String>,
    email_two_factor: Vec<String>,
    app_enabled: Vec<bool>,
    recovery_codes_left: Vec<i32>,
    created_at: Vec<NaiveDateTime>,
    last_login_at: Vec<Option<NaiveDateTime>>,
    trusted_computer_count: Vec<i32>,
}

#[derive(Default)]
struct WordColumns {
    word: Vec<String>,
    agent_id: Vec<String>,
    search_name: Vec<String>,
}

#[derive(Default)]
struct ComputerColumns {
    id: Vec<String>,
    agent_id: Vec<String>,
    token_hash: Vec<String>,
    used: Vec<NaiveDateTime>,
    expires_at: Vec<NaiveDateTime>,
}

/// One demo agent as `seed_demo`'s `demo_agent` draws it, added to the columns.
fn draw_agent(i: usize, run: &str, password_hash: &str, now: NaiveDateTime, agents: &mut AgentColumns, words: &mut WordColumns, computers: &mut ComputerColumns) {
    let mut rng = rand::rng();
    let first = FIRST_NAMES[rng.random_range(0..FIRST_NAMES.len())];
    let last = LAST_NAMES[rng.random_range(0..LAST_NAMES.len())];
    let name = format!("{first} {last}");
    let search_name = search_key(&name);
    let local: String = search_name.replace(' ', ".").chars().filter(char::is_ascii).collect();
    let invited = rng.random_range(0..100) < 2;
    let two_factor = match rng.random_range(0..100) {
        _ if invited => "disabled",
        0..60 => "enabled",
        60..65 => "pending",
        _ => "disabled",
    };
    let never_logged_in = invited || rng.random_range(0..100) < 10;
    let app_enabled = two_factor == "enabled" && rng.random_range(0..100) < 33;
    let email_two_factor = match two_factor {
        "enabled" if app_enabled && rng.random_range(0..2) == 0 => "disabled",
        other => other,
    };
    let id = new_public_id();
    let active = rng.random_range(0..100) >= 3;
    let last_login_at = (!never_logged_in).then(|| now - Duration::minutes(rng.random_range(1..90 * 24 * 60)));
    let trusted = if two_factor == "enabled" && rng.random_range(0..100) < 40 { rng.random_range(1..4) } else { 0 };
    // seed_demo gives computers to active agents only; the trigger counts them.
    let trusted = if active { trusted } else { 0 };
    for _ in 0..trusted {
        let used = last_login_at.unwrap_or(now).max(now - Duration::days(29));
        computers.id.push(new_public_id());
        computers.agent_id.push(id.clone());
        computers.token_hash.push(format!("{}{}", new_public_id(), new_public_id()));
        computers.used.push(used);
        computers.expires_at.push(used + Duration::days(30));
    }
    for word in search_words(&search_name) {
        words.word.push(word.to_owned());
        words.agent_id.push(id.clone());
        words.search_name.push(search_name.clone());
    }
    agents.email.push(format!("{local}.{i}@{run}.demo.invalid"));
    agents.role.push(if rng.random_range(0..100) < 2 { "admin" } else { "agent" }.to_owned());
    agents.password_hash.push((!invited).then(|| password_hash.to_owned()));
    agents.active.push(active);
    agents.two_factor.push(two_factor.to_owned());
    agents.email_two_factor.push(email_two_factor.to_owned());
    agents.app_enabled.push(app_enabled);
    agents.recovery_codes_left.push(if app_enabled { rng.random_range(0..=10) } else { 0 });
    agents.created_at.push(now - Duration::days(rng.random_range(90..720)));
    agents.last_login_at.push(last_login_at);
    agents.trusted_computer_count.push(trusted);
    agents.search_name.push(search_name);
    agents.name.push(name);
    agents.id.push(id);
}

/// Adds `count` demo agents to a new company named `company` on the
/// PostgreSQL database at `url`; returns the company's id.
pub fn seed_postgres(url: &str, company: &str, count: usize, now: NaiveDateTime) -> anyhow::Result<String> {
    let company_id = new_public_id();
    {
        let pool = connect(url, &PoolSettings { max_size: 1, connect_timeout: std::time::Duration::from_secs(10) })?;
        let mut conn = pool.get()?;
        Company::insert(&mut conn, &NewCompany { id: &company_id, name: company, trusted_days_max: 30, created_at: now, language: "en" })?;
    }
    // Demo agents share the hash of a password nobody knows, as in seed_demo.
    let password_hash = agentgate::auth::password::hash_blocking(&new_public_id())?;
    let run = new_public_id()[..6].to_lowercase();
    let mut conn = PgConnection::establish(url)?;
    conn.transaction::<_, anyhow::Error, _>(|conn| {
        for (table, trigger) in COUNTING_TRIGGERS {
            conn.batch_execute(&format!("ALTER TABLE {table} DISABLE TRIGGER {trigger}"))?;
        }
        let mut done = 0;
        while done < count {
            let (mut agents, mut words, mut computers) = (AgentColumns::default(), WordColumns::default(), ComputerColumns::default());
            for i in done..count.min(done + ROWS_PER_INSERT) {
                draw_agent(i, &run, &password_hash, now, &mut agents, &mut words, &mut computers);
            }
            done += agents.id.len();
            insert_chunk(conn, &company_id, agents, words, computers)?;
        }
        for (table, trigger) in COUNTING_TRIGGERS {
            conn.batch_execute(&format!("ALTER TABLE {table} ENABLE TRIGGER {trigger}"))?;
        }
        // The company is new: its name pairs in one statement, from its words.
        diesel::sql_query(format!("{INSERT_NAME_PAIRS_OF_WORDS} WHERE w.company_id = $1")).bind::<Text, _>(&company_id).execute(conn)?;
        // What the triggers would have counted, row by row.
        diesel::sql_query(
            "INSERT INTO agent_counts (company_id, active, two_factor, email_two_factor, app_enabled, has_passkey, total) \
             SELECT company_id, active, two_factor, email_two_factor, app_enabled, passkey_count > 0, COUNT(*) FROM agents \
             WHERE company_id = $1 GROUP BY company_id, active, two_factor, email_two_factor, app_enabled, passkey_count > 0 \
             ON CONFLICT (company_id, active, two_factor, email_two_factor, app_enabled, has_passkey) DO UPDATE SET total = EXCLUDED.total",
        )
        .bind::<Text, _>(&company_id)
        .execute(conn)?;
        diesel::sql_query("SELECT agent_list_versions_bump($1)").bind::<Text, _>(&company_id).execute(conn)?;
        Ok(())
    })?;
    // As seed_demo: fresh statistics, one table at a time (outside the transaction).
    for table in ["agents", "agent_name_words", "agent_name_pairs", "agent_counts", "trusted_computers"] {
        conn.batch_execute(&format!("VACUUM ANALYZE {table}"))?;
    }
    // The seed writes about 500 MB of WAL, past max_wal_size: left alone,
    // PostgreSQL starts a checkpoint for it seconds later, in the middle of
    // the views measured next (on 2026-12-07 one view read 789 ms p99 in a
    // run where it did). Writing the seed's pages now keeps that cost in the
    // setup, as a database that has been running would have.
    // Needs a superuser or pg_checkpoint; without them the run goes on.
    if let Err(error) = conn.batch_execute("CHECKPOINT") {
        eprintln!("  (no CHECKPOINT after the seed: {error}; the views may meet the seed's own checkpoint)");
    }
    Ok(company_id)
}

fn insert_chunk(conn: &mut PgConnection, company_id: &str, agents: AgentColumns, words: WordColumns, computers: ComputerColumns) -> QueryResult<()> {
    diesel::sql_query(
        "INSERT INTO agents (id, company_id, name, search_name, email, role, password_hash, active, two_factor, email_two_factor, \
         app_enabled, recovery_codes_left, created_at, last_login_at, password_changed_at, trusted_computer_count) \
         SELECT a.id, $1, a.name, a.search_name, a.email, a.role, a.password_hash, a.active, a.two_factor, a.email_two_factor, \
         a.app_enabled, a.recovery_codes_left, a.created_at, a.last_login_at, a.created_at, a.trusted_computer_count \
         FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bool[], $9::text[], $10::text[], \
         $11::bool[], $12::int4[], $13::timestamp[], $14::timestamp[], $15::int4[]) \
         AS a (id, name, search_name, email, role, password_hash, active, two_factor, email_two_factor, app_enabled, \
         recovery_codes_left, created_at, last_login_at, trusted_computer_count)",
    )
    .bind::<Text, _>(company_id)
    .bind::<Array<Text>, _>(agents.id)
    .bind::<Array<Text>, _>(agents.name)
    .bind::<Array<Text>, _>(agents.search_name)
    .bind::<Array<Text>, _>(agents.email)
    .bind::<Array<Text>, _>(agents.role)
    .bind::<Array<Nullable<Text>>, _>(agents.password_hash)
    .bind::<Array<Bool>, _>(agents.active)
    .bind::<Array<Text>, _>(agents.two_factor)
    .bind::<Array<Text>, _>(agents.email_two_factor)
    .bind::<Array<Bool>, _>(agents.app_enabled)
    .bind::<Array<Integer>, _>(agents.recovery_codes_left)
    .bind::<Array<Timestamp>, _>(agents.created_at)
    .bind::<Array<Nullable<Timestamp>>, _>(agents.last_login_at)
    .bind::<Array<Integer>, _>(agents.trusted_computer_count)
    .execute(conn)?;
    diesel::sql_query(
        "INSERT INTO agent_name_words (company_id, word, agent_id, search_name) \
         SELECT $1, w.word, w.agent_id, w.search_name FROM unnest($2::text[], $3::text[], $4::text[]) AS w (word, agent_id, search_name)",
    )
    .bind::<Text, _>(company_id)
    .bind::<Array<Text>, _>(words.word)
    .bind::<Array<Text>, _>(words.agent_id)
    .bind::<Array<Text>, _>(words.search_name)
    .execute(conn)?;
    diesel::sql_query(
        "INSERT INTO trusted_computers (id, agent_id, token_hash, label, ip, created_at, last_used_at, expires_at) \
         SELECT c.id, c.agent_id, c.token_hash, 'Demo browser', '192.0.2.1', c.used, c.used, c.expires_at \
         FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamp[], $5::timestamp[]) AS c (id, agent_id, token_hash, used, expires_at)",
    )
    .bind::<Array<Text>, _>(computers.id)
    .bind::<Array<Text>, _>(computers.agent_id)
    .bind::<Array<Text>, _>(computers.token_hash)
    .bind::<Array<Timestamp>, _>(computers.used)
    .bind::<Array<Timestamp>, _>(computers.expires_at)
    .execute(conn)?;
    Ok(())
}

/// Whether the company's counters agree with its rows (they would not if a
/// trigger this module does not know of had been skipped).
pub fn counters_agree(url: &str, company_id: &str) -> anyhow::Result<bool> {
    #[derive(QueryableByName)]
    struct Agreement {
        #[diesel(sql_type = Bool)]
        agree: bool,
    }
    let mut conn = PgConnection::establish(url)?;
    let row: Agreement = diesel::sql_query(
        "SELECT (SELECT COALESCE(SUM(total), 0) FROM agent_counts WHERE company_id = $1) = (SELECT COUNT(*) FROM agents WHERE company_id = $1) \
         AND (SELECT COUNT(*) FROM trusted_computers t JOIN agents a ON a.id = t.agent_id WHERE a.company_id = $1) \
           = (SELECT COALESCE(SUM(trusted_computer_count), 0) FROM agents WHERE company_id = $1) AS agree",
    )
    .bind::<Text, _>(company_id)
    .get_result(&mut conn)?;
    Ok(row.agree)
}
