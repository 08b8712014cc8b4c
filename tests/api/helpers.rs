#![allow(dead_code)] // helpers used only by some test modules
//! `spawn_app()`: the real server on port 0 with a fresh database, and a
//! client that behaves like a browser (cookie jar, redirects not followed).
//!
//! The backend is SQLite unless `TEST_BACKEND=postgres`, in which case each
//! test gets its own database on the server named by `TEST_DATABASE_URL`,
//! dropped when the test ends.

use std::sync::Arc;

use agentgate::auth::password::hash_blocking;
use agentgate::clock::ManualClock;
use agentgate::config::Config;
use agentgate::db::DbConnection;
use agentgate::db::models::{Agent, NewAgent};
use agentgate::domain::{Role, new_public_id};
use agentgate::startup::Application;
use agentgate::state::AppState;
use base64::Engine;
use diesel::prelude::*;
use reqwest::{Client, Response};

/// A password that satisfies every rule, for fixtures.
pub const PASSWORD: &str = "correct horse battery staple";

/// A running app and the means to drive it.
pub struct TestApp {
    pub address: String,
    pub client: Client,
    pub clock: ManualClock,
    pub setup_link: Option<String>,
    pub state: AppState,
    pub database_url: String,
    _database: TestDatabase,
}

/// Extra environment for one test, on top of the test defaults.
pub type ExtraEnv = Vec<(&'static str, String)>;

pub async fn spawn_app() -> TestApp {
    spawn_app_with(Vec::new()).await
}

pub async fn spawn_app_with(extra: ExtraEnv) -> TestApp {
    let database = TestDatabase::create();
    spawn_app_on(database, extra).await
}

/// A second instance on the same database (for tests of several instances).
pub async fn spawn_app_sharing(other: &TestApp, extra: ExtraEnv) -> TestApp {
    let database = TestDatabase { url: other.database_url.clone(), cleanup: Cleanup::None };
    let mut env = vec![("AGENTGATE_SECRET_KEY", secret_of(other))];
    env.extend(extra);
    spawn_app_on(database, env).await
}

pub fn secret_of(app: &TestApp) -> String {
    base64::engine::general_purpose::STANDARD.encode(app.state.config.secret_key.bytes())
}

/// Starts the app on a database the test prepared (e.g. behind a proxy it can cut).
pub async fn spawn_app_on(database: TestDatabase, extra: ExtraEnv) -> TestApp {
    let secret = base64::engine::general_purpose::STANDARD.encode([7u8; 64].map(|b| b ^ rand_byte()));
    let mut env: Vec<(&'static str, String)> = vec![
        ("AGENTGATE_BIND", "127.0.0.1:0".to_owned()),
        ("DATABASE_URL", database.url.clone()),
        ("AGENTGATE_SECRET_KEY", secret),
        ("AGENTGATE_WORKERS", "2".to_owned()),
        ("AGENTGATE_DB_POOL_SIZE", "8".to_owned()),
    ];
    for (key, value) in extra {
        env.retain(|(k, _)| *k != key);
        env.push((key, value));
    }
    let lookup = move |name: &str| env.iter().find(|(k, _)| *k == name).map(|(_, v)| v.clone());
    let config = Config::from_env(&lookup).expect("test configuration is valid");
    let clock = ManualClock::default();
    let app = Application::build(config, Arc::new(clock.clone())).await.expect("the app starts");
    let address = format!("http://127.0.0.1:{}", app.port());
    let setup_link = app.setup_link.clone();
    let state = app.state.clone();
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        client: new_browser(),
        clock,
        setup_link,
        state,
        database_url: database.url.clone(),
        _database: database,
    }
}

fn rand_byte() -> u8 {
    rand::random()
}

/// A fresh browser: its own cookie jar, redirects not followed.
pub fn new_browser() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client builds")
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> Response {
        get_with(&self.client, &self.url(path)).await
    }

    /// GETs `form_page` to learn its CSRF token, then posts `fields` with it to `action`.
    pub async fn submit_form(&self, form_page: &str, action: &str, fields: &[(&str, &str)]) -> Response {
        submit_form_with(&self.client, &self.address, form_page, action, fields).await
    }

    /// Posts exactly `fields` (no CSRF token added).
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        self.client.post(self.url(path)).form(fields).send().await.expect("request sent")
    }

    /// Runs a query against the app's database (for arranging and asserting).
    pub async fn db<T: Send + 'static>(&self, work: impl FnOnce(&mut DbConnection) -> T + Send + 'static) -> T {
        let pool = self.state.pool.clone();
        tokio::task::spawn_blocking(move || work(&mut pool.get().expect("test database connection")))
            .await
            .expect("db task")
    }

    /// Creates a company with one admin through the first-run page, and returns the admin's email.
    pub async fn complete_setup(&self) -> String {
        let link = self.setup_link.clone().expect("a fresh app prints a setup link");
        let path = link.trim_start_matches(&self.address).to_owned();
        let token = path.split("token=").nth(1).unwrap().to_owned();
        let response = self
            .submit_form(
                &path,
                "/setup",
                &[
                    ("token", &token),
                    ("company", "Acme Support"),
                    ("name", "Ada Admin"),
                    ("email", "ada@acme.test"),
                    ("password", PASSWORD),
                    ("password_confirm", PASSWORD),
                ],
            )
            .await;
        assert_eq!(response.status(), 303, "setup should succeed");
        "ada@acme.test".to_owned()
    }

    /// Adds an agent directly to the admin's company and returns their id.
    pub async fn add_agent(&self, company_of: &str, name: &str, email: &str, role: Role) -> String {
        let (company_of, name, email) = (company_of.to_owned(), name.to_owned(), email.to_owned());
        let now = self.clock_now();
        self.db(move |conn| {
            use agentgate::db::schema::{agents, companies};
            // A new agent speaks the company's language, as an invited one does.
            let (company_id, language): (String, String) = agents::table
                .inner_join(companies::table)
                .filter(agents::email.eq(&company_of))
                .select((agents::company_id, companies::language))
                .first(conn)
                .expect("the admin exists");
            let id = new_public_id();
            let hash = hash_blocking(PASSWORD).unwrap();
            Agent::insert(
                conn,
                &NewAgent {
                    id: &id,
                    company_id: &company_id,
                    name: &name,
                    email: &email,
                    role: role.as_str(),
                    password_hash: Some(&hash),
                    active: true,
                    created_at: now,
                    password_changed_at: now,
                    language: &language,
                },
            )
            .unwrap();
            id
        })
        .await
    }

    pub fn clock_now(&self) -> chrono::NaiveDateTime {
        use agentgate::clock::Clock;
        self.clock.now()
    }

    /// Logs this app's browser in with the password and returns the response to the password step.
    pub async fn login(&self, email: &str, password: &str) -> Response {
        login_with(&self.client, &self.address, email, password).await
    }

    pub async fn session_count(&self) -> i64 {
        self.db(|conn| agentgate::db::schema::sessions::table.count().get_result::<i64>(conn).unwrap()).await
    }
}

pub async fn get_with(client: &Client, url: &str) -> Response {
    client.get(url).send().await.expect("request sent")
}

pub async fn submit_form_with(client: &Client, address: &str, form_page: &str, action: &str, fields: &[(&str, &str)]) -> Response {
    let page = get_with(client, &format!("{address}{form_page}")).await.text().await.unwrap();
    let token = csrf_token_in(&page).unwrap_or_else(|| panic!("{form_page} has a CSRF token: {page}"));
    let mut all: Vec<(&str, &str)> = vec![("csrf_token", &token)];
    all.extend_from_slice(fields);
    client.post(format!("{address}{action}")).form(&all).send().await.expect("request sent")
}

pub async fn login_with(client: &Client, address: &str, email: &str, password: &str) -> Response {
    submit_form_with(client, address, "/login", "/login", &[("email", email), ("password", password)]).await
}

/// Changes the password of the agent signed in on `client` through Account
/// Setting, keeping the name "Ada Admin" (the setup admin's).
pub async fn change_password_with(client: &Client, address: &str, current: &str, new: &str) -> Response {
    let fields = [("name", "Ada Admin"), ("current_password", current), ("new_password", new), ("confirm_password", new)];
    submit_form_with(client, address, "/account/settings", "/account/settings", &fields).await
}

/// The value of the first `csrf_token` field in a page.
pub fn csrf_token_in(html: &str) -> Option<String> {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_owned())
}

pub fn location(response: &Response) -> String {
    response.headers().get("location").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default()
}

/// The session cookie a client holds for the app (to compare ids across a login).
pub fn cookie_value(response: &Response, name: &str) -> Option<String> {
    response.cookies().find(|c| c.name() == name).map(|c| c.value().to_owned())
}

enum Cleanup {
    None,
    SqliteDir(#[allow(dead_code)] tempfile::TempDir),
    PostgresDatabase { admin_url: String, name: String },
}

/// A database that exists for one test.
pub struct TestDatabase {
    pub url: String,
    cleanup: Cleanup,
}

/// True when this run of the suite is the PostgreSQL one.
pub fn on_postgres() -> bool {
    std::env::var("TEST_BACKEND").as_deref() == Ok("postgres")
}

impl TestDatabase {
    /// The same database reached at another URL (a proxy); this handle does not drop it.
    pub fn alias(&self, url: String) -> TestDatabase {
        TestDatabase { url, cleanup: Cleanup::None }
    }

    pub fn create() -> TestDatabase {
        if on_postgres() {
            let admin_url = std::env::var("TEST_DATABASE_URL")
                .expect("TEST_BACKEND=postgres needs TEST_DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/postgres");
            let name = format!("agentgate_test_{}", new_public_id().to_lowercase());
            let mut admin = PgConnection::establish(&admin_url).expect("TEST_DATABASE_URL is reachable");
            diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut admin).expect("create test database");
            let base = admin_url.rsplit_once('/').map(|(base, _)| base).unwrap_or(&admin_url);
            TestDatabase { url: format!("{base}/{name}"), cleanup: Cleanup::PostgresDatabase { admin_url, name } }
        } else {
            let dir = tempfile::tempdir().expect("temp dir");
            let url = dir.path().join("agentgate.sqlite3").display().to_string();
            TestDatabase { url, cleanup: Cleanup::SqliteDir(dir) }
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Cleanup::PostgresDatabase { admin_url, name } = &self.cleanup
            && let Ok(mut admin) = PgConnection::establish(admin_url) {
                let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut admin);
            }
    }
}
