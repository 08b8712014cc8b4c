//! `agentgate seed-demo`, and the search index of names written before it existed.

use std::process::Command;

use agentgate::db::models::Agent;
use agentgate::db::schema::{agent_name_pairs, agent_name_words, agents};
use diesel::prelude::*;

use crate::agents_support::*;

fn agentgate(dir: &std::path::Path, args: &[&str]) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_agentgate"))
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("DATABASE_URL", dir.join("seed.sqlite3"))
        .env("RUST_LOG", "warn")
        .output()
        .expect("the binary runs");
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    (output.status.code().unwrap_or(-1), text)
}

#[test]
fn seed_demo_fills_an_empty_database_and_refuses_a_used_one() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();

    let (code, out) = agentgate(dir, &["seed-demo", "--company", "Demo Co", "--agents", "120"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Seeded 120 demo agents"), "{out}");

    let mut conn = SqliteConnection::establish(dir.join("seed.sqlite3").to_str().unwrap()).unwrap();
    let count: i64 = agents::table.count().get_result(&mut conn).unwrap();
    assert_eq!(count, 120);
    let statuses: Vec<String> = agents::table.select(agents::two_factor).distinct().load(&mut conn).unwrap();
    assert!(statuses.len() >= 2, "a mix of two-factor statuses: {statuses:?}");
    // Every agent with 2FA has a factor behind it; some use an app.
    let factors: Vec<(String, String, bool)> = agents::table.select((agents::two_factor, agents::email_two_factor, agents::app_enabled)).load(&mut conn).unwrap();
    assert!(factors.iter().all(|(overall, email, app)| (overall == "enabled") == (email == "enabled" || *app)), "{factors:?}");
    assert!(factors.iter().any(|(_, _, app)| *app), "some demo agents use an app");
    let words: i64 = agent_name_words::table.count().get_result(&mut conn).unwrap();
    assert!(words >= 240, "every name is searchable by its words");
    let pairs: i64 = agent_name_pairs::table.count().get_result(&mut conn).unwrap();
    let expected: i64 = diesel::dsl::sql::<diesel::sql_types::BigInt>("SELECT SUM(n * (n - 1)) FROM (SELECT COUNT(*) AS n FROM agent_name_words GROUP BY agent_id) w")
        .get_result(&mut conn)
        .unwrap();
    assert!(pairs >= 240, "{pairs}");
    assert_eq!(pairs, expected, "each two words of a name, each with the other");
    let counted: i64 = diesel::dsl::sql::<diesel::sql_types::BigInt>("SELECT COALESCE(SUM(total), 0) FROM agent_counts").get_result(&mut conn).unwrap();
    assert_eq!(counted, 120, "the counters follow the inserts");

    // A database with a company in it is refused (exit 2), unless forced.
    let (code, out) = agentgate(dir, &["seed-demo", "--company", "Demo Co", "--agents", "10"]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("--force"), "{out}");
    assert_eq!(out.trim().lines().count(), 1, "one-line message: {out}");
    let (code, out) = agentgate(dir, &["seed-demo", "--company", "Demo Co", "--agents", "10", "--force"]);
    assert_eq!(code, 0, "{out}");
    let count: i64 = agents::table.count().get_result(&mut conn).unwrap();
    assert_eq!(count, 130);

    for bad in [["--agents", "0"], ["--agents", "many"]] {
        let (code, _) = agentgate(dir, &["seed-demo", "--company", "Demo Co", bad[0], bad[1]]);
        assert_eq!(code, 2);
    }
}

#[tokio::test]
async fn names_written_before_the_search_index_are_indexed_by_the_migration_step() {
    let app = admin_app().await;
    let company = company_of(&app, ADMIN_EMAIL).await;
    seed_agents(&app, &company, vec![Seed::new("Émile O'Brien", "emile@acme.test")]).await;
    // As a database migrated from before: no search form, no words.
    app.db(|conn| {
        diesel::update(agents::table).set(agents::search_name.eq("")).execute(conn).unwrap();
        diesel::delete(agent_name_words::table).execute(conn).unwrap();
    })
    .await;
    assert!(names_in_table(&app.get("/agents?q=brien").await.text().await.unwrap()).is_empty());

    let reindexed = app.db(|conn| agentgate::db::write_transaction(conn, Agent::reindex_all_names).unwrap()).await;
    assert_eq!(reindexed, 2);
    assert_eq!(names_in_table(&app.get("/agents?q=brien").await.text().await.unwrap()), ["Émile O&#39;Brien"]);
    assert_eq!(names_in_table(&app.get("/agents?q=%C3%A9mile").await.text().await.unwrap()), ["Émile O&#39;Brien"]);
}

#[tokio::test]
async fn demo_trusted_computers_are_live_and_housekeeping_removes_them_all_once_expired() {
    use agentgate::db::schema::trusted_computers;
    let app = admin_app().await;
    let now = app.clock_now();
    app.db(move |conn| {
        let name = agentgate::domain::CompanyName::parse("Acme Support").unwrap();
        agentgate::agents::seed::seed_demo(conn, &name, 5_000, true, now).unwrap();
    })
    .await;
    let (live, expired): (i64, i64) = app
        .db(move |conn| {
            let live = trusted_computers::table.filter(trusted_computers::expires_at.gt(now)).count().get_result(conn).unwrap();
            let expired = trusted_computers::table.filter(trusted_computers::expires_at.le(now)).count().get_result(conn).unwrap();
            (live, expired)
        })
        .await;
    assert_eq!(expired, 0, "a demo computer is trusted at most 30 days after its last use");
    assert!(live > 1_000, "more than one housekeeping batch: {live}");

    // A month later every one has expired; one round of housekeeping removes
    // them all, batch after batch, and the counts the table sorts by follow.
    app.clock.advance(chrono::Duration::days(31));
    agentgate::startup::run_maintenance(&app.state).await.unwrap();
    let (left, counted): (i64, i64) = app
        .db(|conn| {
            let left = trusted_computers::table.count().get_result(conn).unwrap();
            let counted: Option<i64> = agents::table.select(diesel::dsl::sum(agents::trusted_computer_count)).first(conn).unwrap();
            (left, counted.unwrap_or(0))
        })
        .await;
    assert_eq!((left, counted), (0, 0));
}
