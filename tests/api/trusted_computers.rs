//! SPEC §2.3 step 4 and the trusted-computer rows of §3: "I am on a trusted
//! computer" skips the code on that browser only, for that agent only, for a
//! limited time; listed in Account Setting and forgotten on every path that
//! should forget it.

use std::sync::Arc;

use agentgate::crypto::token_hash;
use agentgate::db::schema::{audit_events, companies, trusted_computers};
use agentgate::domain::{EmailAddress, Role};
use chrono::Duration;
use diesel::prelude::*;
use reqwest::cookie::{CookieStore, Jar};
use reqwest::{Client, Response, Url};

use crate::helpers::{PASSWORD, TestApp, get_with, location, login_with, spawn_app_with, submit_form_with};
use crate::mail_server::TestSmtp;
use crate::two_factor_steps::{agent_with_two_factor, is_signed_in, set_two_factor_box, spawn_app_with_smtp};

const CHROME_ON_WINDOWS: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";
const FIREFOX_ON_LINUX: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
const COOKIE: &str = "agentgate_trusted";
const DAY_SECS: u64 = 86_400;

/// A browser whose cookies the test can read and plant.
struct Browser {
    client: Client,
    jar: Arc<Jar>,
    url: Url,
}

impl Browser {
    fn new(app: &TestApp, user_agent: &str) -> Browser {
        let jar = Arc::new(Jar::default());
        let client = Client::builder()
            .cookie_provider(jar.clone())
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(user_agent)
            .build()
            .unwrap();
        Browser { client, jar, url: Url::parse(&app.address).unwrap() }
    }

    /// The trusted-computer cookie this browser holds.
    fn trusted_cookie(&self) -> Option<String> {
        let header = self.jar.cookies(&self.url)?;
        header.to_str().unwrap().split("; ").find_map(|pair| pair.strip_prefix(&format!("{COOKIE}=")).map(str::to_owned))
    }

    fn tokens(&self) -> Vec<String> {
        self.trusted_cookie().map(|v| v.split('.').map(str::to_owned).collect()).unwrap_or_default()
    }

    /// Puts a trusted-computer cookie into this browser (one copied from another).
    fn plant_trusted_cookie(&self, value: &str) {
        self.jar.add_cookie_str(&format!("{COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax"), &self.url);
    }

    async fn log_out(&self, app: &TestApp) {
        assert_eq!(submit_form_with(&self.client, &app.address, "/", "/logout", &[]).await.status(), 303);
    }
}

/// Email and password on `/login`; returns where the browser was sent:
/// `/` (signed in without a code) or `/login/verify` (a code is needed).
async fn password(app: &TestApp, browser: &Browser, email: &str) -> (String, Response) {
    let response = login_with(&browser.client, &app.address, email, PASSWORD).await;
    (location(&response), response)
}

/// The password step of a login that must ask for a code; returns the emailed code.
async fn password_then_code_page(app: &TestApp, smtp: &TestSmtp, browser: &Browser, email: &str) -> String {
    // Codes are rationed per agent (5 per 15 min): space the logins out.
    app.advance(Duration::minutes(4));
    let (to, _) = password(app, browser, email).await;
    assert_eq!(to, "/login/verify", "{email} must be asked for a code");
    smtp.next_login_code(email).await
}

/// Enters the code on the code page, with the trusted-computer box ticked or not.
async fn enter_code(app: &TestApp, browser: &Browser, code: &str, trusted: bool) -> Response {
    let mut fields = vec![("code", code)];
    if trusted {
        fields.push(("trusted", "on"));
    }
    submit_form_with(&browser.client, &app.address, "/login/verify", "/login/verify", &fields).await
}

/// A full login with a code and the box ticked; returns the code step's response.
async fn trust_browser(app: &TestApp, smtp: &TestSmtp, browser: &Browser, email: &str) -> Response {
    let code = password_then_code_page(app, smtp, browser, email).await;
    let response = enter_code(app, browser, &code, true).await;
    assert_eq!(location(&response), "/");
    response
}

/// An app that delivers to a test SMTP server, with Ada (admin, from setup) and 2FA on.
async fn app_with_ada() -> (TestApp, TestSmtp, String) {
    let (app, smtp) = spawn_app_with_smtp().await;
    let email = app.complete_setup().await;
    agent_with_two_factor(&app, &smtp, &email, "Ada Admin").await;
    (app, smtp, email)
}

/// Ada (admin, from setup) and Bea (agent), both with 2FA on.
async fn two_agents_with_two_factor(app: &TestApp, smtp: &TestSmtp) -> (String, String) {
    let ada = app.complete_setup().await;
    let bea = "bea@acme.test".to_owned();
    app.add_agent(&ada, "Bea Agent", &bea, Role::Agent).await;
    agent_with_two_factor(app, smtp, &ada, "Ada Admin").await;
    agent_with_two_factor(app, smtp, &bea, "Bea Agent").await;
    (ada, bea)
}

#[derive(Debug, Queryable)]
struct Row {
    id: String,
    agent_id: String,
    token_hash: String,
    label: String,
    ip: String,
    created_at: chrono::NaiveDateTime,
    last_used_at: chrono::NaiveDateTime,
    expires_at: chrono::NaiveDateTime,
}

async fn rows(app: &TestApp) -> Vec<Row> {
    app.db(|conn| trusted_computers::table.order(trusted_computers::created_at.asc()).load::<Row>(conn).unwrap()).await
}

async fn agent_id(app: &TestApp, email: &str) -> String {
    let email = email.to_owned();
    app.db(move |conn| {
        agentgate::db::schema::agents::table
            .filter(agentgate::db::schema::agents::email.eq(email))
            .select(agentgate::db::schema::agents::id)
            .first::<String>(conn)
            .unwrap()
    })
    .await
}

/// The details of the `trusted_computer_forgotten` entries, oldest first.
async fn forgotten_entries(app: &TestApp) -> Vec<String> {
    app.db(|conn| {
        audit_events::table
            .filter(audit_events::event.eq("trusted_computer_forgotten"))
            .order(audit_events::occurred_at.asc())
            .select(audit_events::detail)
            .load::<Option<String>>(conn)
            .unwrap()
    })
    .await
    .into_iter()
    .map(Option::unwrap_or_default)
    .collect()
}

async fn set_company_policy(app: &TestApp, trusted_days_max: i32, admins_always_enter_code: bool) {
    app.db(move |conn| {
        diesel::update(companies::table)
            .set((companies::trusted_days_max.eq(trusted_days_max), companies::admins_always_enter_code.eq(admins_always_enter_code)))
            .execute(conn)
            .unwrap()
    })
    .await;
}

fn trusted_set_cookie(response: &Response) -> reqwest::cookie::Cookie<'_> {
    response.cookies().find(|c| c.name() == COOKIE).expect("a trusted-computer Set-Cookie")
}

/// No sign-in code email went out since the last one handed out.
async fn no_code_was_sent(app: &TestApp, smtp: &TestSmtp, email: &str) {
    app.outbox_settled().await;
    assert_eq!(smtp.unread(email, "sign-in code"), 0, "no code email for {email}");
}

#[tokio::test]
async fn ticking_the_box_once_skips_the_code_on_that_browser_and_only_there() {
    let (app, smtp, email) = app_with_ada().await;

    // The code page offers the box for the server's 30 days.
    let browser = Browser::new(&app, CHROME_ON_WINDOWS);
    let code = password_then_code_page(&app, &smtp, &browser, &email).await;
    let page = get_with(&browser.client, &app.url("/login/verify")).await.text().await.unwrap();
    assert!(page.contains("I am on a trusted computer"));
    assert!(page.contains("skip the code for 30 days"));
    let trusted_at = app.clock_now();
    let response = enter_code(&app, &browser, &code, true).await;
    assert_eq!(location(&response), "/");
    let token = browser.trusted_cookie().expect("the browser holds a trusted-computer cookie");
    assert_eq!(token.len(), 43, "a 256-bit token");
    let home = get_with(&browser.client, &app.url("/")).await.text().await.unwrap();
    assert!(home.contains("This computer is now trusted for your account: logins here skip the code until"), "{home}");

    // Stored: only the hash, bound to the agent, with label, IP and times.
    let stored = rows(&app).await;
    assert_eq!(stored.len(), 1);
    let row = &stored[0];
    assert_eq!(row.agent_id, agent_id(&app, &email).await);
    assert_eq!(row.token_hash, token_hash(&token));
    assert_eq!(row.label, "Chrome on Windows");
    assert_eq!(row.ip, "127.0.0.1");
    assert_eq!((row.created_at, row.last_used_at), (trusted_at, trusted_at));
    assert_eq!(row.expires_at, trusted_at + Duration::days(30));
    for column in [&row.id, &row.agent_id, &row.token_hash, &row.label, &row.ip] {
        assert!(!column.contains(&token), "the token itself is never stored");
    }
    let events: Vec<(String, Option<String>)> = app
        .db(|conn| audit_events::table.filter(audit_events::event.eq("trusted_computer_added")).select((audit_events::event, audit_events::detail)).load(conn).unwrap())
        .await;
    assert_eq!(events, vec![("trusted_computer_added".to_owned(), Some("Chrome on Windows".to_owned()))]);
    let everything_audited: Vec<Option<String>> = app.db(|conn| audit_events::table.select(audit_events::detail).load(conn).unwrap()).await;
    assert!(everything_audited.iter().flatten().all(|d| !d.contains(&token)));

    // The email: browser, time, IP, and where to forget it.
    let notice = smtp.expect_email(&email, "a new trusted computer was added").await;
    for body in [&notice.text, &notice.html] {
        assert!(body.contains("Chrome on Windows"));
        assert!(body.contains(&trusted_at.format("%-d %B %Y, %H:%M UTC").to_string()));
        assert!(body.contains("127.0.0.1"));
        assert!(body.contains("If this was not you, forget that computer"));
        assert!(body.contains(&format!("{}/account/settings#trusted-computers", app.address)));
    }

    // Next login on this browser: the password alone, and no code is sent.
    browser.log_out(&app).await;
    app.advance(Duration::days(3));
    let (to, _) = password(&app, &browser, &email).await;
    assert_eq!(to, "/", "the trusted browser skips the code");
    no_code_was_sent(&app, &smtp, &email).await;
    let home = get_with(&browser.client, &app.url("/")).await;
    assert_eq!(home.status(), 200, "signed in");
    let home = home.text().await.unwrap();
    // In the reader's zone (the company's default, UTC): "5 January 2027, 14:05 UTC".
    let until = (trusted_at + Duration::days(30)).format("%-d %B %Y, %H:%M UTC").to_string();
    assert!(home.contains(&format!("You were not asked for a code because this computer is trusted for your account until {until}")), "{home}");
    let again = get_with(&browser.client, &app.url("/")).await.text().await.unwrap();
    assert!(!again.contains("You were not asked for a code"), "the notice shows once");
    assert_eq!(rows(&app).await[0].last_used_at, app.clock_now(), "last used is updated");
    let detail: Vec<Option<String>> = app
        .db(|conn| audit_events::table.filter(audit_events::event.eq("login_succeeded")).select(audit_events::detail).load(conn).unwrap())
        .await;
    assert!(detail.contains(&Some("password and trusted computer".to_owned())));

    // Any other browser still gets a code.
    let other = Browser::new(&app, CHROME_ON_WINDOWS);
    password_then_code_page(&app, &smtp, &other, &email).await;
    assert!(!is_signed_in(&other.client, &app.address).await);
}

#[tokio::test]
async fn without_the_box_nothing_is_trusted() {
    let (app, smtp, email) = app_with_ada().await;
    let browser = Browser::new(&app, FIREFOX_ON_LINUX);
    let code = password_then_code_page(&app, &smtp, &browser, &email).await;
    let response = enter_code(&app, &browser, &code, false).await;
    assert_eq!(location(&response), "/");
    assert!(response.cookies().all(|c| c.name() != COOKIE));
    assert!(rows(&app).await.is_empty());
    browser.log_out(&app).await;
    password_then_code_page(&app, &smtp, &browser, &email).await;
}

#[tokio::test]
async fn the_cookie_is_http_only_same_site_lax_on_the_whole_site_for_the_lifetime() {
    let (app, smtp, email) = app_with_ada().await;
    let browser = Browser::new(&app, FIREFOX_ON_LINUX);
    let response = trust_browser(&app, &smtp, &browser, &email).await;
    let raw: Vec<String> = response.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_owned()).collect();
    let cookie = trusted_set_cookie(&response);
    assert!(cookie.http_only(), "{raw:?}");
    assert!(cookie.same_site_lax(), "{raw:?}");
    assert_eq!(cookie.path(), Some("/"));
    assert_eq!(cookie.max_age(), Some(std::time::Duration::from_secs(30 * DAY_SECS)));
    assert!(!cookie.secure(), "plain http: no Secure (it would never come back)");
    assert!(cookie.domain().is_none(), "host-only");
}

#[tokio::test]
async fn under_https_the_cookie_is_secure_with_the_host_prefix() {
    let smtp = TestSmtp::start();
    let mut env = smtp.env();
    env.push(("AGENTGATE_PUBLIC_URL", "https://agentgate.example".to_owned()));
    let app = spawn_app_with(env).await;
    let email = app.complete_setup_over_https().await;
    // The test talks plain http to the server, so it carries the cookies by
    // hand, as a browser would over https.
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let mut jar = ManualJar::default();
    jar.form(&http, &app, "/login", "/login", &[("email", &email), ("password", PASSWORD)]).await;
    enable_two_factor_by_hand(&http, &app, &smtp, &mut jar, &email).await;
    jar.form(&http, &app, "/", "/logout", &[]).await;
    app.advance(Duration::minutes(4));
    let to = jar.form(&http, &app, "/login", "/login", &[("email", &email), ("password", PASSWORD)]).await;
    assert_eq!(location(&to), "/login/verify");
    let code = smtp.next_login_code(&email).await;
    let response = jar.form(&http, &app, "/login/verify", "/login/verify", &[("code", &code), ("trusted", "on")]).await;
    assert_eq!(location(&response), "/");
    let cookie = response.cookies().find(|c| c.name() == "__Host-agentgate_trusted").expect("the __Host- prefixed cookie");
    assert!(cookie.secure() && cookie.http_only() && cookie.same_site_lax());
    assert_eq!(cookie.path(), Some("/"));
    assert!(cookie.domain().is_none(), "__Host- cookies have no Domain");
    assert!(response.cookies().all(|c| c.name() != COOKIE), "no unprefixed cookie");

    // And it works: the next login skips the code.
    jar.form(&http, &app, "/", "/logout", &[]).await;
    let to = jar.form(&http, &app, "/login", "/login", &[("email", &email), ("password", PASSWORD)]).await;
    assert_eq!(location(&to), "/");
}

/// Cookies carried by hand (reqwest's store keeps Secure cookies off plain http).
#[derive(Default)]
struct ManualJar {
    cookies: Vec<(String, String)>,
}

impl ManualJar {
    fn header(&self) -> String {
        self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
    }

    fn take(&mut self, response: &Response) {
        for cookie in response.cookies() {
            self.cookies.retain(|(k, _)| k != cookie.name());
            if cookie.max_age() != Some(std::time::Duration::ZERO) && !cookie.value().is_empty() {
                self.cookies.push((cookie.name().to_owned(), cookie.value().to_owned()));
            }
        }
    }

    async fn get(&mut self, http: &Client, app: &TestApp, path: &str) -> String {
        let response = http.get(app.url(path)).header("cookie", self.header()).send().await.unwrap();
        self.take(&response);
        response.text().await.unwrap()
    }

    async fn form(&mut self, http: &Client, app: &TestApp, page: &str, action: &str, fields: &[(&str, &str)]) -> Response {
        let html = self.get(http, app, page).await;
        let token = crate::helpers::csrf_token_in(&html).unwrap_or_else(|| panic!("{page} has a form"));
        let mut all = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        let response = http.post(app.url(action)).header("cookie", self.header()).form(&all).send().await.unwrap();
        self.take(&response);
        response
    }
}

async fn enable_two_factor_by_hand(http: &Client, app: &TestApp, smtp: &TestSmtp, jar: &mut ManualJar, email: &str) {
    let fields = [("name", "Ada Admin"), ("two_factor_shown", "1"), ("two_factor_enabled", "on"), ("current_password", "")];
    let response = jar.form(http, app, "/account/settings", "/account/settings", &fields).await;
    assert_eq!(location(&response), "/account/two-factor/confirm?notice=confirmation_sent");
    let code = smtp.expect_email(email, "confirmation code").await.code();
    let response = jar.form(http, app, "/account/two-factor/confirm", "/account/two-factor/confirm", &[("code", &code)]).await;
    assert_eq!(location(&response), "/account/settings?notice=two_factor_enabled");
}

impl TestApp {
    /// `complete_setup` for an app whose cookies are `__Host-` and Secure.
    async fn complete_setup_over_https(&self) -> String {
        let link = self.setup_link.clone().unwrap();
        let path = link[link.find("/setup").unwrap()..].to_owned();
        let token = path.split("token=").nth(1).unwrap().to_owned();
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let mut jar = ManualJar::default();
        let fields = [
            ("token", token.as_str()),
            ("company", "Acme Support"),
            ("name", "Ada Admin"),
            ("email", "ada@acme.test"),
            ("password", PASSWORD),
            ("password_confirm", PASSWORD),
        ];
        assert_eq!(jar.form(&http, self, &path, "/setup", &fields).await.status(), 303);
        "ada@acme.test".to_owned()
    }
}

#[tokio::test]
async fn on_a_shared_browser_each_agent_trusts_it_for_themselves_only() {
    let (app, smtp) = spawn_app_with_smtp().await;
    let (ada, bea) = two_agents_with_two_factor(&app, &smtp).await;
    let shared = Browser::new(&app, FIREFOX_ON_LINUX);

    // Ada trusts the shared browser.
    trust_browser(&app, &smtp, &shared, &ada).await;
    let adas_token = shared.tokens();
    assert_eq!(adas_token.len(), 1);
    shared.log_out(&app).await;

    // Ada's trust never exempts Bea, and Bea's code step leaves Ada's token alone.
    let code = password_then_code_page(&app, &smtp, &shared, &bea).await;
    assert_eq!(shared.tokens(), adas_token);
    let response = enter_code(&app, &shared, &code, true).await;
    assert_eq!(location(&response), "/");
    let both = shared.tokens();
    assert_eq!(both.len(), 2, "one cookie, two agents' tokens");
    assert_eq!(both[0], adas_token[0], "Bea trusting the browser did not undo Ada's trust");
    shared.log_out(&app).await;

    // Each of them now logs in there without a code.
    for email in [&ada, &bea] {
        app.advance(Duration::minutes(4));
        assert_eq!(password(&app, &shared, email).await.0, "/", "{email} skips the code");
        no_code_was_sent(&app, &smtp, email).await;
        shared.log_out(&app).await;
    }
    assert_eq!(shared.tokens(), both);

    // Each row is bound to its agent; each agent lists only their own.
    let stored = rows(&app).await;
    assert_eq!(stored.len(), 2);
    assert_eq!(stored[0].agent_id, agent_id(&app, &ada).await);
    assert_eq!(stored[1].agent_id, agent_id(&app, &bea).await);
    assert_ne!(stored[0].token_hash, stored[1].token_hash);

    // Forgetting Bea's trust leaves Ada's.
    app.advance(Duration::minutes(4));
    password(&app, &shared, &bea).await;
    let settings = get_with(&shared.client, &app.url("/account/settings")).await.text().await.unwrap();
    assert_eq!(settings.matches("class=\"trusted-item\"").count(), 1, "Bea sees her own trusted computer only");
    let response = submit_form_with(&shared.client, &app.address, "/account/settings", "/account/trusted-computers/revoke-all", &[]).await;
    assert_eq!(location(&response), "/account/settings?notice=trusted_computers_forgotten");
    assert_eq!(shared.tokens(), adas_token, "Forget all took Bea's token out of the cookie, not Ada's");
    shared.log_out(&app).await;
    password_then_code_page(&app, &smtp, &shared, &bea).await;
    app.advance(Duration::minutes(4));
    assert_eq!(password(&app, &shared, &ada).await.0, "/");
}

#[tokio::test]
async fn trust_is_kept_while_admins_must_enter_codes_and_trusting_again_replaces_it() {
    let (app, smtp, email) = app_with_ada().await;
    let browser = Browser::new(&app, FIREFOX_ON_LINUX);
    trust_browser(&app, &smtp, &browser, &email).await;
    let first = browser.tokens();
    // Admins must now always enter a code; when that ends, the box is ticked again.
    set_company_policy(&app, 30, true).await;
    browser.log_out(&app).await;
    let code = password_then_code_page(&app, &smtp, &browser, &email).await;
    assert_eq!(location(&enter_code(&app, &browser, &code, false).await), "/");
    browser.log_out(&app).await;
    set_company_policy(&app, 30, false).await;
    assert_eq!(password(&app, &browser, &email).await.0, "/", "the earlier trust was kept while admins had to enter codes");
    assert_eq!(browser.tokens(), first);
    // Trusting the same browser again (e.g. from the code page after a Forget elsewhere) keeps one entry.
    browser.log_out(&app).await;
    set_company_policy(&app, 30, true).await;
    let code = password_then_code_page(&app, &smtp, &browser, &email).await;
    set_company_policy(&app, 30, false).await;
    enter_code(&app, &browser, &code, true).await;
    assert_eq!(browser.tokens().len(), 1);
    assert_ne!(browser.tokens(), first);
    assert_eq!(rows(&app).await.len(), 1, "listed once");
}

#[tokio::test]
async fn a_cookie_copied_to_another_browser_never_exempts_a_different_agent() {
    let (app, smtp) = spawn_app_with_smtp().await;
    let (ada, bea) = two_agents_with_two_factor(&app, &smtp).await;
    let adas_browser = Browser::new(&app, FIREFOX_ON_LINUX);
    trust_browser(&app, &smtp, &adas_browser, &ada).await;
    let copied = adas_browser.trusted_cookie().unwrap();

    let elsewhere = Browser::new(&app, CHROME_ON_WINDOWS);
    elsewhere.plant_trusted_cookie(&copied);
    let code = password_then_code_page(&app, &smtp, &elsewhere, &bea).await;
    assert_eq!(elsewhere.trusted_cookie().as_deref(), Some(copied.as_str()), "Ada's token is not Bea's to clear");
    assert_eq!(location(&enter_code(&app, &elsewhere, &code, false).await), "/");
    let stored = rows(&app).await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].agent_id, agent_id(&app, &ada).await);
}

#[tokio::test]
async fn a_forged_or_damaged_cookie_means_a_code_and_is_cleared() {
    let (app, smtp, email) = app_with_ada().await;
    for forged in [agentgate::crypto::random_token(), "not-a-token".to_owned(), "x".repeat(3000)] {
        let browser = Browser::new(&app, FIREFOX_ON_LINUX);
        browser.plant_trusted_cookie(&forged);
        app.advance(Duration::minutes(4));
        let (to, response) = password(&app, &browser, &email).await;
        assert_eq!(to, "/login/verify");
        smtp.next_login_code(&email).await;
        let cleared = trusted_set_cookie(&response);
        assert_eq!(cleared.max_age(), Some(std::time::Duration::ZERO), "the stale cookie is removed");
        assert_eq!(browser.trusted_cookie(), None);
    }
}

#[tokio::test]
async fn an_expired_trust_asks_for_a_code_again_and_clears_the_cookie() {
    let (app, smtp, email) = app_with_ada().await;
    let browser = Browser::new(&app, FIREFOX_ON_LINUX);
    trust_browser(&app, &smtp, &browser, &email).await;
    browser.log_out(&app).await;

    // Just before the end it still works; just after, a code.
    app.advance(Duration::days(30) - Duration::minutes(5));
    assert_eq!(password(&app, &browser, &email).await.0, "/");
    browser.log_out(&app).await;
    app.advance(Duration::minutes(6));
    let (to, response) = password(&app, &browser, &email).await;
    assert_eq!(to, "/login/verify");
    smtp.next_login_code(&email).await;
    assert_eq!(trusted_set_cookie(&response).max_age(), Some(std::time::Duration::ZERO));
    assert_eq!(browser.trusted_cookie(), None);
    assert!(rows(&app).await.is_empty(), "the expired trust is forgotten");
}

#[tokio::test]
async fn a_company_period_of_zero_days_removes_the_box_and_says_why() {
    let (app, smtp, email) = app_with_ada().await;
    set_company_policy(&app, 0, false).await;
    let browser = Browser::new(&app, FIREFOX_ON_LINUX);
    let code = password_then_code_page(&app, &smtp, &browser, &email).await;
    let page = get_with(&browser.client, &app.url("/login/verify")).await.text().await.unwrap();
    assert!(!page.contains("name=\"trusted\""), "no checkbox");
    assert!(page.contains("Your company does not allow trusted computers, so every login asks for a code."));
    // A crafted post with the box is ignored.
    let response = enter_code(&app, &browser, &code, true).await;
    assert_eq!(location(&response), "/");
    assert!(response.cookies().all(|c| c.name() != COOKIE));
    assert!(rows(&app).await.is_empty());
}

#[tokio::test]
async fn a_company_period_of_seven_days_caps_new_and_earlier_trust() {
    let (app, smtp, email) = app_with_ada().await;

    // Trusted for the server's 30 days, then the company lowers its period to 7.
    let earlier = Browser::new(&app, FIREFOX_ON_LINUX);
    trust_browser(&app, &smtp, &earlier, &email).await;
    earlier.log_out(&app).await;
    set_company_policy(&app, 7, false).await;

    // A new trust lasts 7 days.
    let browser = Browser::new(&app, CHROME_ON_WINDOWS);
    let code = password_then_code_page(&app, &smtp, &browser, &email).await;
    let page = get_with(&browser.client, &app.url("/login/verify")).await.text().await.unwrap();
    assert!(page.contains("skip the code for 7 days"));
    let response = enter_code(&app, &browser, &code, true).await;
    assert_eq!(trusted_set_cookie(&response).max_age(), Some(std::time::Duration::from_secs(7 * DAY_SECS)));
    let newest = rows(&app).await.into_iter().find(|r| r.label == "Chrome on Windows").unwrap();
    assert_eq!(newest.expires_at, newest.created_at + Duration::days(7));
    browser.log_out(&app).await;

    app.advance(Duration::days(6));
    assert_eq!(password(&app, &browser, &email).await.0, "/");
    browser.log_out(&app).await;
    app.advance(Duration::days(2));
    password_then_code_page(&app, &smtp, &browser, &email).await;
    // The earlier 30-day trust ended after 7 days too.
    password_then_code_page(&app, &smtp, &earlier, &email).await;
}

#[tokio::test]
async fn admins_always_enter_a_code_when_the_company_says_so() {
    let (app, smtp) = spawn_app_with_smtp().await;
    let (ada, bea) = two_agents_with_two_factor(&app, &smtp).await;
    let adas = Browser::new(&app, FIREFOX_ON_LINUX);
    trust_browser(&app, &smtp, &adas, &ada).await;
    adas.log_out(&app).await;
    set_company_policy(&app, 30, true).await;

    // The admin's trusted browser asks for a code, and offers no box.
    let code = password_then_code_page(&app, &smtp, &adas, &ada).await;
    let page = get_with(&adas.client, &app.url("/login/verify")).await.text().await.unwrap();
    assert!(!page.contains("name=\"trusted\""));
    assert!(page.contains("Your company asks admins to enter a code at every login"));
    assert_eq!(location(&enter_code(&app, &adas, &code, false).await), "/");
    let settings = get_with(&adas.client, &app.url("/account/settings")).await.text().await.unwrap();
    assert!(settings.contains("This computer"), "the trust is kept");
    assert!(settings.contains("Your company asks admins to enter a code at every login"), "Account Setting says why it skips nothing now");

    // An agent of the same company still may trust a browser.
    let beas = Browser::new(&app, CHROME_ON_WINDOWS);
    trust_browser(&app, &smtp, &beas, &bea).await;
    beas.log_out(&app).await;
    app.advance(Duration::minutes(4));
    assert_eq!(password(&app, &beas, &bea).await.0, "/");
}

/// Ada with 2FA on and one trusted browser (Firefox on Linux).
async fn ada_with_a_trusted_browser() -> (TestApp, TestSmtp, String, Browser) {
    let (app, smtp, email) = app_with_ada().await;
    let browser = Browser::new(&app, FIREFOX_ON_LINUX);
    trust_browser(&app, &smtp, &browser, &email).await;
    assert_eq!(rows(&app).await.len(), 1);
    (app, smtp, email, browser)
}

#[tokio::test]
async fn account_setting_lists_trusted_computers_and_marks_this_one() {
    let (app, smtp, email, firefox) = ada_with_a_trusted_browser().await;
    let chrome = Browser::new(&app, CHROME_ON_WINDOWS);
    trust_browser(&app, &smtp, &chrome, &email).await;

    let page = get_with(&chrome.client, &app.url("/account/settings")).await.text().await.unwrap();
    let section = page.find("<h2 id=\"trusted-heading\">Trusted computers</h2>").expect("a Trusted computers section");
    let main_form = page.find("id=\"two-factor-form\"").unwrap();
    let main_form_end = main_form + page[main_form..].find("</form>").unwrap();
    let update = page.find(">Update</button>").unwrap();
    assert!(main_form < update && update < main_form_end && main_form_end < section, "the section's forms are not inside the 2FA form; Update ends it");
    let items: Vec<&str> = page[section..].split("<li class=\"trusted-item\">").skip(1).collect();
    assert_eq!(items.len(), 2);
    let chrome_item = items.iter().find(|i| i.contains("Chrome on Windows")).unwrap();
    let firefox_item = items.iter().find(|i| i.contains("Firefox on Linux")).unwrap();
    assert!(chrome_item.contains("This computer"));
    assert!(!firefox_item.contains("This computer"));
    for item in &items {
        for words in ["Trusted</dt>", "Last used</dt>", "Expires</dt>", "127.0.0.1", ">Forget</button>", "name=\"csrf_token\""] {
            assert!(item.contains(words), "{words} in {item}");
        }
    }
    assert!(page[section..].contains(">Forget all</button>"));

    let page = get_with(&firefox.client, &app.url("/account/settings")).await.text().await.unwrap();
    let section = page.find("Trusted computers</h2>").unwrap();
    let firefox_item = page[section..].split("<li class=\"trusted-item\">").find(|i| i.contains("Firefox on Linux")).unwrap();
    assert!(firefox_item.contains("This computer"));
}

/// The id of the trusted computer labelled `label`.
async fn id_of(app: &TestApp, label: &str) -> String {
    rows(app).await.into_iter().find(|r| r.label == label).unwrap().id
}

#[tokio::test]
async fn forget_brings_the_code_back_and_only_for_the_agents_own_computers() {
    let (app, smtp) = spawn_app_with_smtp().await;
    let (ada, bea) = two_agents_with_two_factor(&app, &smtp).await;
    let adas = Browser::new(&app, FIREFOX_ON_LINUX);
    trust_browser(&app, &smtp, &adas, &ada).await;
    let beas = Browser::new(&app, CHROME_ON_WINDOWS);
    trust_browser(&app, &smtp, &beas, &bea).await;
    let adas_id = id_of(&app, "Firefox on Linux").await;

    // Bea cannot forget Ada's computer: not found, nothing changes.
    let response = submit_form_with(&beas.client, &app.address, "/account/settings", &format!("/account/trusted-computers/{adas_id}/revoke"), &[]).await;
    assert_eq!(response.status(), 404);
    assert_eq!(rows(&app).await.len(), 2);
    let response = submit_form_with(&beas.client, &app.address, "/account/settings", "/account/trusted-computers/no-such-id/revoke", &[]).await;
    assert_eq!(response.status(), 404);
    // Without a CSRF token nothing is forgotten either.
    let response = adas.client.post(app.url(&format!("/account/trusted-computers/{adas_id}/revoke"))).form(&[("x", "y")]).send().await.unwrap();
    assert_eq!(response.status(), 403);
    assert_eq!(rows(&app).await.len(), 2);

    // Ada forgets her browser from another one: her next login there asks for a code.
    let elsewhere = Browser::new(&app, CHROME_ON_WINDOWS);
    let code = password_then_code_page(&app, &smtp, &elsewhere, &ada).await;
    enter_code(&app, &elsewhere, &code, false).await;
    let response = submit_form_with(&elsewhere.client, &app.address, "/account/settings", &format!("/account/trusted-computers/{adas_id}/revoke"), &[]).await;
    assert_eq!(location(&response), "/account/settings?notice=trusted_computer_forgotten");
    let page = get_with(&elsewhere.client, &app.url("/account/settings?notice=trusted_computer_forgotten")).await.text().await.unwrap();
    assert!(page.contains("That computer is forgotten"));
    // The Recent sign-ins table still names the browser; the Trusted computers section does not.
    let trusted_section = &page[page.find("id=\"trusted-computers\"").expect("the Trusted computers section")..];
    assert!(!trusted_section.contains("Firefox on Linux"));
    assert_eq!(forgotten_entries(&app).await, vec!["Firefox on Linux: forgotten by the agent".to_owned()]);
    adas.log_out(&app).await;
    let (to, response) = password(&app, &adas, &ada).await;
    assert_eq!(to, "/login/verify");
    smtp.next_login_code(&ada).await;
    assert_eq!(trusted_set_cookie(&response).max_age(), Some(std::time::Duration::ZERO), "the stale cookie is cleared");
    // Bea's trust is untouched.
    assert_eq!(rows(&app).await.len(), 1);

    // Forgetting the computer you are on takes the token out of its cookie at once.
    beas.log_out(&app).await;
    password(&app, &beas, &bea).await;
    let beas_id = id_of(&app, "Chrome on Windows").await;
    let response = submit_form_with(&beas.client, &app.address, "/account/settings", &format!("/account/trusted-computers/{beas_id}/revoke"), &[]).await;
    assert_eq!(location(&response), "/account/settings?notice=trusted_computer_forgotten");
    assert_eq!(beas.trusted_cookie(), None);
}

#[tokio::test]
async fn forget_all_forgets_every_computer_of_the_agent() {
    let (app, smtp, email, firefox) = ada_with_a_trusted_browser().await;
    let chrome = Browser::new(&app, CHROME_ON_WINDOWS);
    trust_browser(&app, &smtp, &chrome, &email).await;
    let response = submit_form_with(&chrome.client, &app.address, "/account/settings", "/account/trusted-computers/revoke-all", &[]).await;
    assert_eq!(location(&response), "/account/settings?notice=trusted_computers_forgotten");
    assert!(rows(&app).await.is_empty());
    assert_eq!(forgotten_entries(&app).await.len(), 2);
    let page = get_with(&chrome.client, &app.url("/account/settings?notice=trusted_computers_forgotten")).await.text().await.unwrap();
    assert!(page.contains("All your trusted computers are forgotten"));
    assert!(page.contains("No computer is trusted"));
    firefox.log_out(&app).await;
    password_then_code_page(&app, &smtp, &firefox, &email).await;
}

#[tokio::test]
async fn a_password_change_forgets_trusted_computers() {
    let (app, _smtp, email, browser) = ada_with_a_trusted_browser().await;
    let new_password = "another long passphrase here";
    let fields = [("name", "Ada Admin"), ("current_password", PASSWORD), ("new_password", new_password), ("confirm_password", new_password)];
    let response = submit_form_with(&browser.client, &app.address, "/account/settings", "/account/settings", &fields).await;
    assert_eq!(location(&response), "/account/settings?notice=password_changed");
    assert!(rows(&app).await.is_empty());
    assert_eq!(forgotten_entries(&app).await, vec!["Firefox on Linux: password changed".to_owned()]);
    browser.log_out(&app).await;
    app.advance(Duration::minutes(4));
    let response = login_with(&browser.client, &app.address, &email, new_password).await;
    assert_eq!(location(&response), "/login/verify");
}

#[tokio::test]
async fn a_password_reset_forgets_trusted_computers() {
    let (app, smtp, email, browser) = ada_with_a_trusted_browser().await;
    let new_password = crate::password_reset::reset_password_by_email(&app, &smtp, &email).await;
    assert!(rows(&app).await.is_empty());
    assert_eq!(forgotten_entries(&app).await, vec!["Firefox on Linux: password reset".to_owned()]);
    app.advance(Duration::minutes(4));
    let response = login_with(&browser.client, &app.address, &email, &new_password).await;
    assert_eq!(location(&response), "/login/verify", "a reset never bypasses 2FA, nor does the old trust");
}

#[tokio::test]
async fn turning_two_factor_off_forgets_trusted_computers() {
    let (app, smtp, email, browser) = ada_with_a_trusted_browser().await;
    let response = set_two_factor_box(&browser.client, &app.address, "Ada Admin", false, PASSWORD).await;
    assert_eq!(location(&response), "/account/settings?notice=two_factor_disabled");
    assert!(rows(&app).await.is_empty());
    assert_eq!(forgotten_entries(&app).await, vec!["Firefox on Linux: two-factor authentication turned off".to_owned()]);
    // Turned on again, the old trust does not come back.
    crate::two_factor_steps::enable_two_factor(&browser.client, &app, &smtp, &email, "Ada Admin").await;
    browser.log_out(&app).await;
    password_then_code_page(&app, &smtp, &browser, &email).await;
}

#[tokio::test]
async fn an_admin_reset_of_two_factor_forgets_trusted_computers() {
    let (app, _smtp, email, _browser) = ada_with_a_trusted_browser().await;
    let (config, now) = (app.state.config.clone(), app.clock_now());
    app.db(move |conn| agentgate::auth::two_factor::reset_by_email(conn, &config, &EmailAddress::parse(&email).unwrap(), now).unwrap().unwrap())
        .await;
    assert!(rows(&app).await.is_empty());
    assert_eq!(forgotten_entries(&app).await, vec!["Firefox on Linux: two-factor authentication reset".to_owned()]);
}

#[tokio::test]
async fn deactivation_forgets_trusted_computers() {
    let (app, _smtp, email, browser) = ada_with_a_trusted_browser().await;
    let now = app.clock_now();
    app.db(move |conn| agentgate::auth::accounts::deactivate_by_email(conn, &EmailAddress::parse(&email).unwrap(), now).unwrap()).await;
    assert!(rows(&app).await.is_empty());
    assert_eq!(forgotten_entries(&app).await, vec!["Firefox on Linux: agent deactivated".to_owned()]);
    assert!(!is_signed_in(&browser.client, &app.address).await);
}

#[tokio::test]
async fn a_browser_keeps_at_most_ten_agents_tokens_dropping_the_oldest() {
    let (app, smtp) = spawn_app_with_smtp().await;
    let admin = app.complete_setup().await;
    let shared = Browser::new(&app, FIREFOX_ON_LINUX);
    let mut emails = Vec::new();
    for n in 0..11 {
        let email = format!("agent{n}@acme.test");
        app.add_agent(&admin, &format!("Agent {n}"), &email, Role::Agent).await;
        agent_with_two_factor(&app, &smtp, &email, &format!("Agent {n}")).await;
        trust_browser(&app, &smtp, &shared, &email).await;
        shared.log_out(&app).await;
        emails.push(email);
    }
    let tokens = shared.tokens();
    assert_eq!(tokens.len(), 10);
    assert!(shared.trusted_cookie().unwrap().len() < 4096);
    // The first agent's trust was dropped (and forgotten: it could skip no code any more).
    password_then_code_page(&app, &smtp, &shared, &emails[0]).await;
    app.advance(Duration::minutes(4));
    assert_eq!(password(&app, &shared, &emails[10]).await.0, "/");
    assert_eq!(rows(&app).await.len(), 10);
    assert_eq!(forgotten_entries(&app).await.len(), 1);
}
