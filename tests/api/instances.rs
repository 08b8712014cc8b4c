//! Several instances on one database behave as one (issue 6), and the app
//! survives its database going away.

use std::time::{Duration, Instant};

use agentgate::db::{self, DbConnection, PoolSettings};
use diesel::prelude::*;

use crate::helpers::{PASSWORD, TestDatabase, location, on_postgres, spawn_app, spawn_app_on, spawn_app_sharing};
use crate::proxy::CuttableProxy;

#[tokio::test]
async fn a_session_made_on_one_instance_is_honoured_and_ended_on_the_other() {
    let a = spawn_app().await;
    let b = spawn_app_sharing(&a, Vec::new()).await;
    let email = a.complete_setup().await;

    // One browser, two instances behind a load balancer.
    let browser = a.client.clone();
    a.login(&email, PASSWORD).await;
    let on_b = browser.get(b.url("/")).send().await.unwrap();
    assert_eq!(on_b.status(), 200);
    assert!(on_b.text().await.unwrap().contains("Welcome, Ada Admin"));

    // Logging out on B ends the session on A too.
    let page = browser.get(b.url("/")).send().await.unwrap().text().await.unwrap();
    let token = crate::helpers::csrf_token_in(&page).unwrap();
    let logout = browser.post(b.url("/logout")).form(&[("csrf_token", token.as_str())]).send().await.unwrap();
    assert_eq!(logout.status(), 303);
    assert_eq!(location(&browser.get(a.url("/")).send().await.unwrap()), "/login");
}

#[tokio::test]
async fn deactivation_through_one_instance_ends_the_session_on_the_other() {
    let a = spawn_app().await;
    let b = spawn_app_sharing(&a, Vec::new()).await;
    let admin = a.complete_setup().await;
    let bob_id = a.add_agent(&admin, "Bob Agent", "bob@acme.test", agentgate::domain::Role::Agent).await;
    let bob = crate::helpers::new_browser();
    crate::helpers::login_with(&bob, &a.address, "bob@acme.test", PASSWORD).await;
    assert_eq!(bob.get(a.url("/")).send().await.unwrap().status(), 200);

    let now = b.clock_now();
    b.db(move |conn| {
        let agent = agentgate::db::models::Agent::find_active(conn, &bob_id).unwrap().unwrap();
        agentgate::auth::accounts::deactivate(conn, &agent, &Default::default(), now).unwrap();
    })
    .await;
    assert_eq!(location(&bob.get(a.url("/")).send().await.unwrap()), "/login");
}

#[tokio::test]
async fn every_instance_prints_a_working_setup_link_until_setup_is_done() {
    let a = spawn_app().await;
    let b = spawn_app_sharing(&a, Vec::new()).await;
    let link_a = a.setup_link.clone().unwrap();
    let link_b = b.setup_link.clone().unwrap();
    assert_ne!(link_a, link_b);
    assert_eq!(a.get(link_a.trim_start_matches(&a.address)).await.status(), 200);
    b.complete_setup().await;
    assert_eq!(a.get(link_a.trim_start_matches(&a.address)).await.status(), 404);
}

#[tokio::test]
async fn an_older_database_migrates_forward_keeping_its_data() {
    let database = TestDatabase::create();
    let settings = PoolSettings { max_size: 2, connect_timeout: Duration::from_secs(5) };
    let pool = db::connect(&database.url, &settings).unwrap();
    let url = database.url.clone();
    tokio::task::spawn_blocking(move || {
        let mut conn = pool.get().unwrap();
        // The first release's schema, with a company in it.
        db::run_first_migrations(&mut conn, 1).unwrap();
        diesel::sql_query(
            "INSERT INTO companies (id, name, trusted_days_max, created_at) VALUES ('c1', 'Old Co', 30, '2026-01-01 00:00:00')",
        )
        .execute(&mut conn as &mut DbConnection)
        .unwrap();
        assert!(db::run_migrations(&mut conn).unwrap() >= 1, "later migrations apply");
        let name: String = agentgate::db::schema::companies::table
            .select(agentgate::db::schema::companies::name)
            .first(&mut conn as &mut DbConnection)
            .unwrap();
        assert_eq!(name, "Old Co");
        assert_eq!(db::run_migrations(&mut conn).unwrap(), 0, "nothing left to apply");
        let _ = url;
    })
    .await
    .unwrap();
    let app = spawn_app_on(database, Vec::new()).await;
    assert_eq!(app.get("/healthz").await.status(), 200);
}

/// Runs the first `migrations` on a fresh database, then these statements
/// (the rows an older version wrote), then the rest of the migrations, and
/// hands the connection to `check`.
async fn migrate_over(migrations: usize, statements: &'static [&'static str], check: impl FnOnce(&mut DbConnection) + Send + 'static) {
    let database = TestDatabase::create();
    let settings = PoolSettings { max_size: 2, connect_timeout: Duration::from_secs(5) };
    let pool = db::connect(&database.url, &settings).unwrap();
    tokio::task::spawn_blocking(move || {
        let mut conn = pool.get().unwrap();
        db::run_first_migrations(&mut conn, migrations).unwrap();
        for statement in statements {
            diesel::sql_query(*statement).execute(&mut conn as &mut DbConnection).unwrap();
        }
        assert!(db::run_migrations(&mut conn).unwrap() >= 1);
        check(&mut conn);
    })
    .await
    .unwrap();
}

const OLD_COMPANY: &str = "INSERT INTO companies (id, name, trusted_days_max, created_at) VALUES ('c1', 'Old Co', 30, '2026-01-01 00:00:00')";

#[tokio::test]
async fn name_words_written_before_they_carried_the_name_get_it_from_the_migration() {
    use agentgate::db::schema::agent_name_words;
    // Every migration before `000080_name_words_carry_the_name`.
    let old_rows = &[
        OLD_COMPANY,
        "INSERT INTO agents (id, company_id, name, search_name, email, role, password_hash, created_at, password_changed_at) \
         VALUES ('a1', 'c1', 'Grace Hopper', 'grace hopper', 'grace@old.test', 'agent', 'x', '2026-01-01 00:00:00', '2026-01-01 00:00:00')",
        "INSERT INTO agent_name_words (company_id, word, agent_id) VALUES ('c1', 'grace', 'a1'), ('c1', 'hopper', 'a1')",
    ];
    migrate_over(9, old_rows, |conn| {
        let carried: Vec<String> = agent_name_words::table.select(agent_name_words::search_name).load(conn).unwrap();
        assert_eq!(carried, ["grace hopper", "grace hopper"]);
    })
    .await;
}

#[tokio::test]
async fn names_written_before_the_word_pairs_get_them_from_the_migration() {
    use agentgate::db::schema::agent_name_pairs;
    // Every migration before `000200_name_word_pairs`.
    let old_rows = &[
        OLD_COMPANY,
        "INSERT INTO agents (id, company_id, name, search_name, email, role, password_hash, created_at, password_changed_at) VALUES \
         ('a1', 'c1', 'Grace Hopper', 'grace hopper', 'grace@old.test', 'agent', 'x', '2026-01-01 00:00:00', '2026-01-01 00:00:00'), \
         ('a2', 'c1', 'Cher', 'cher', 'cher@old.test', 'agent', 'x', '2026-01-01 00:00:00', '2026-01-01 00:00:00')",
        "INSERT INTO agent_name_words (company_id, word, agent_id, search_name) VALUES \
         ('c1', 'grace', 'a1', 'grace hopper'), ('c1', 'hopper', 'a1', 'grace hopper'), ('c1', 'cher', 'a2', 'cher')",
    ];
    migrate_over(21, old_rows, |conn| {
        let pairs: Vec<(String, String, String, String)> = agent_name_pairs::table
            .select((agent_name_pairs::company_id, agent_name_pairs::word, agent_name_pairs::other, agent_name_pairs::agent_id))
            .order((agent_name_pairs::word, agent_name_pairs::other))
            .load(conn)
            .unwrap();
        let pair = |word: &str, other: &str| ("c1".to_owned(), word.to_owned(), other.to_owned(), "a1".to_owned());
        assert_eq!(pairs, [pair("grace", "hopper"), pair("hopper", "grace")], "the two words of Grace Hopper; none for Cher");
    })
    .await;
}

/// The bundled SQLite is built as `.cargo/config.toml` says: without the
/// process-wide mutexes (shared page cache, allocation statistics, every call)
/// that made pooled connections wait on each other.
#[test]
fn the_bundled_sqlite_is_built_without_process_wide_mutexes() {
    #[derive(QueryableByName)]
    struct CompileOption {
        #[diesel(sql_type = diesel::sql_types::Text)]
        compile_options: String,
    }
    let mut conn = diesel::SqliteConnection::establish(":memory:").unwrap();
    let options: Vec<String> =
        diesel::sql_query("PRAGMA compile_options").load::<CompileOption>(&mut conn).unwrap().into_iter().map(|o| o.compile_options).collect();
    assert!(options.iter().any(|o| o == "THREADSAFE=2"), "{options:?}");
    assert!(options.iter().any(|o| o == "DEFAULT_MEMSTATUS=0"), "{options:?}");
    assert!(!options.iter().any(|o| o == "ENABLE_MEMORY_MANAGEMENT"), "{options:?}");
}

/// PostgreSQL only: the database is reached through a proxy the test cuts.
#[tokio::test]
async fn when_the_database_goes_away_pages_answer_503_and_the_app_recovers_alone() {
    if !on_postgres() {
        eprintln!("runs in the PostgreSQL pass of the suite (TEST_BACKEND=postgres)");
        return;
    }
    let database = TestDatabase::create();
    let mut url = url::Url::parse(&database.url).unwrap();
    let upstream = format!("{}:{}", url.host_str().unwrap(), url.port().unwrap_or(5432));
    let upstream = tokio::net::lookup_host(upstream).await.unwrap().next().unwrap();
    let proxy = CuttableProxy::start(upstream).await;
    url.set_port(Some(proxy.port)).unwrap();
    let through_proxy = database.alias(url.to_string());
    let app = spawn_app_on(through_proxy, vec![("AGENTGATE_DB_TIMEOUT_SECONDS", "5".to_owned())]).await;
    let email = app.complete_setup().await;
    app.login(&email, PASSWORD).await;
    assert_eq!(app.get("/").await.status(), 200);

    proxy.cut();
    for (n, path) in ["/healthz", "/", "/account/settings", "/login"].into_iter().enumerate() {
        let started = Instant::now();
        let response = app.get(path).await;
        if path == "/login" {
            // Writes nothing: the login page does not need the database.
            continue;
        }
        assert_eq!(response.status(), 503, "{path}");
        assert!(response.headers().contains_key("retry-after"));
        assert!(response.text().await.unwrap().contains("cannot reach its database"));
        if n > 0 {
            // Once the outage is known, a request fails fast, not after the pool's 5 s.
            assert!(started.elapsed() < Duration::from_millis(1500), "{path} took {:?}", started.elapsed());
        }
    }
    // A load balancer's probe (no session cookie) is told why.
    let ready = crate::helpers::new_browser().get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 503);
    let body = ready.text().await.unwrap();
    assert!(body.contains("\"database\""), "{body}");

    proxy.restore();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let status = app.get("/").await.status();
        if status == 200 {
            break;
        }
        assert!(Instant::now() < deadline, "the app did not recover on its own (last status {status})");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    drop(database);
}

/// The pool lends a connection that went back to it less than a second ago
/// without its `SELECT 1`. When the server has ended such connections
/// meanwhile, each fails its request once with a 503 (never a 500), is
/// dropped, and the pool opens new ones: the app answers again at once.
#[tokio::test]
async fn connections_the_server_ended_fail_once_with_503_and_are_replaced() {
    if !on_postgres() {
        eprintln!("runs in the PostgreSQL pass of the suite (TEST_BACKEND=postgres)");
        return;
    }
    let database = TestDatabase::create();
    let url = database.url.clone();
    let app = spawn_app_on(database, Vec::new()).await;
    let email = app.complete_setup().await;
    app.login(&email, PASSWORD).await;
    assert_eq!(app.get("/").await.status(), 200);

    let ended = tokio::task::spawn_blocking(move || {
        let mut conn = PgConnection::establish(&url).unwrap();
        #[derive(QueryableByName)]
        struct Ended {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        diesel::sql_query(
            "SELECT COUNT(pg_terminate_backend(pid)) AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
        )
        .get_result::<Ended>(&mut conn)
        .unwrap()
        .n
    })
    .await
    .unwrap();
    assert!(ended >= 1, "the app's connections were ended");

    let mut statuses = Vec::new();
    loop {
        let status = app.get("/").await.status().as_u16();
        statuses.push(status);
        if status == 200 {
            break;
        }
        assert_eq!(status, 503, "{statuses:?}");
        assert!(statuses.len() as i64 <= ended, "more failures than ended connections: {statuses:?}");
    }
}

/// A login started on one instance finishes on the other; the trusted
/// computer, the code-attempt counter and the login throttle are shared.
#[tokio::test]
async fn two_instances_share_pending_logins_trusted_computers_and_counters() {
    use crate::two_factor_steps::{agent_with_two_factor, password_step, spawn_app_with_smtp};

    let (a, smtp) = spawn_app_with_smtp().await;
    let b = spawn_app_sharing(&a, smtp.env()).await;
    let email = a.complete_setup().await;
    agent_with_two_factor(&a, &smtp, &email, "Ada Admin").await;

    // Password on A, code (with the trusted box) on B: signed in on both.
    let browser = crate::helpers::new_browser();
    password_step(&browser, &a.address, &email).await;
    let code = smtp.next_login_code(&email).await;
    let response = crate::helpers::submit_form_with(&browser, &b.address, "/login/verify", "/login/verify", &[("code", &code), ("trusted", "on")]).await;
    assert_eq!(location(&response), "/");
    assert_eq!(browser.get(a.url("/")).send().await.unwrap().status(), 200);
    assert_eq!(browser.get(b.url("/")).send().await.unwrap().status(), 200);

    // The computer trusted through B skips the code on A.
    let logout = crate::helpers::submit_form_with(&browser, &a.address, "/", "/logout", &[]).await;
    assert_eq!(logout.status(), 303);
    let again = crate::helpers::login_with(&browser, &a.address, &email, PASSWORD).await;
    assert_eq!(location(&again), "/", "trusted on B, honoured on A");

    // Wrong codes counted on both instances add up in one counter.
    let other = crate::helpers::new_browser();
    password_step(&other, &a.address, &email).await;
    let code = smtp.next_login_code(&email).await;
    let wrong = crate::two_factor_steps::other_code(&code);
    for instance in [&a, &b, &a] {
        let response = crate::helpers::submit_form_with(&other, &instance.address, "/login/verify", "/login/verify", &[("code", &wrong)]).await;
        assert_ne!(location(&response), "/");
    }
    let agent_email = email.clone();
    let wrong_so_far: i32 = a
        .db(move |conn| {
            use agentgate::db::schema::{agents, code_lockouts};
            code_lockouts::table
                .inner_join(agents::table.on(agents::id.eq(code_lockouts::agent_id)))
                .filter(agents::email.eq(&agent_email))
                .select(code_lockouts::consecutive_wrong)
                .first(conn)
                .unwrap()
        })
        .await;
    assert_eq!(wrong_so_far, 3);

    // Five wrong passwords on each instance: the account is throttled on both,
    // even for the right password.
    for instance in [&a, &b] {
        for _ in 0..5 {
            let response = crate::helpers::login_with(&crate::helpers::new_browser(), &instance.address, &email, "not the right password").await;
            assert_eq!(response.status(), 401);
        }
    }
    for instance in [&a, &b] {
        let response = crate::helpers::login_with(&crate::helpers::new_browser(), &instance.address, &email, PASSWORD).await;
        assert_eq!(response.status(), 429);
        assert!(response.headers().contains_key("retry-after"));
    }
}
