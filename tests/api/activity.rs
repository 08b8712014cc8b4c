//! The audit log as people read it: the admins' Activity page (their company
//! only, filtered, paged, newest first) and an agent's own recent sign-ins in
//! Account Setting. Plus: the log tells a complete, secret-free story.

use agentgate::audit::{self, Event, Outcome};
use agentgate::auth::accounts::{NewAdmin, create_admin};
use agentgate::db::schema::{audit_events, sessions};
use agentgate::domain::{CompanyName, EmailAddress, PersonName, Role};
use chrono::Duration;
use diesel::prelude::*;
use reqwest::Client;

use crate::helpers::{PASSWORD, TestApp, change_password_with, get_with, location, login_with, spawn_app, submit_form_with};

const FIREFOX: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";

fn firefox() -> Client {
    Client::builder()
        .cookie_store(true)
        .user_agent(FIREFOX)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn events_in_db(app: &TestApp) -> Vec<(String, String)> {
    app.db(|conn| {
        audit_events::table
            .order((audit_events::occurred_at.asc(), audit_events::id.asc()))
            .select((audit_events::event, audit_events::outcome))
            .load(conn)
            .unwrap()
    })
    .await
}

/// Creates another company with its own admin, directly.
async fn other_company(app: &TestApp) -> String {
    let now = app.clock_now();
    app.db(move |conn| {
        let admin = NewAdmin {
            company: CompanyName::parse("Globex").unwrap(),
            name: PersonName::parse("Gus Globex").unwrap(),
            email: EmailAddress::parse("gus@globex.test").unwrap(),
            password_hash: agentgate::auth::password::hash_blocking(PASSWORD).unwrap(),
            language: agentgate::i18n::Language::English,
        };
        create_admin(conn, &admin, now).unwrap().0
    })
    .await
}

#[tokio::test]
async fn admins_see_a_login_journey_newest_first_with_ip_and_browser() {
    let app = spawn_app().await;
    let admin = app.complete_setup().await;
    app.add_agent(&admin, "Bob Agent", "bob@acme.test", Role::Agent).await;
    let bob = firefox();
    assert_eq!(login_with(&bob, &app.address, "bob@acme.test", "not bob's password!").await.status(), 401);
    app.clock.advance(Duration::minutes(1));
    assert_eq!(login_with(&bob, &app.address, "bob@acme.test", PASSWORD).await.status(), 303);
    app.clock.advance(Duration::minutes(1));
    assert_eq!(submit_form_with(&bob, &app.address, "/", "/logout", &[]).await.status(), 303);
    app.clock.advance(Duration::minutes(1));

    app.login(&admin, PASSWORD).await;
    let page = app.get("/activity").await;
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    let order: Vec<usize> = ["Signed in", "Session ended", "Sign-in failed"]
        .iter()
        .map(|label| page.find(&format!("<td>{label}</td>")).unwrap_or_else(|| panic!("{label} is listed: {page}")))
        .collect();
    // The admin's own sign-in is newest, then Bob's logout, his sign-in, his failure.
    let bob_signed_in = page[order[0] + 1..].find("<td>Signed in</td>").map(|i| i + order[0] + 1).unwrap();
    assert!(order[0] < order[1] && order[1] < bob_signed_in && bob_signed_in < order[2], "newest first");
    assert!(page.contains("Bob Agent"));
    assert!(page.contains("127.0.0.1"));
    assert!(page.contains("Firefox on Linux"));
    assert!(page.contains("logged out"));
    assert!(page.contains("href=\"/activity\" aria-current=\"page\">Activity</a>"), "the top bar links to it");
}

#[tokio::test]
async fn an_agent_is_refused_the_activity_page_and_the_refusal_is_logged() {
    let app = spawn_app().await;
    let admin = app.complete_setup().await;
    app.add_agent(&admin, "Bob Agent", "bob@acme.test", Role::Agent).await;
    let bob = firefox();
    login_with(&bob, &app.address, "bob@acme.test", PASSWORD).await;
    let home = get_with(&bob, &app.url("/")).await.text().await.unwrap();
    assert!(!home.contains("/activity"), "no Activity link for agents");
    let refused = get_with(&bob, &app.url("/activity?event=login_failed")).await;
    assert_eq!(refused.status(), 403);

    app.login(&admin, PASSWORD).await;
    let page = app.get("/activity?event=access_refused").await.text().await.unwrap();
    assert!(page.contains("<td>Access refused</td>"), "{page}");
    assert!(page.contains("GET /activity"), "the path is kept");
    assert!(!page.contains("event=login_failed</td>"), "never the query string");
}

#[tokio::test]
async fn an_admin_sees_only_their_own_company() {
    let app = spawn_app().await;
    let admin = app.complete_setup().await;
    let gus_id = other_company(&app).await;
    let gus = firefox();
    assert_eq!(login_with(&gus, &app.address, "gus@globex.test", PASSWORD).await.status(), 303);
    login_with(&firefox(), &app.address, "gus@globex.test", "wrong password for gus").await;

    app.login(&admin, PASSWORD).await;
    let page = app.get("/activity").await.text().await.unwrap();
    assert!(!page.contains("Gus Globex"), "{page}");
    assert_eq!(page.matches("<td>Signed in</td>").count(), 1, "only Ada's own sign-in");
    let filtered = app.get(&format!("/activity?agent={gus_id}")).await.text().await.unwrap();
    assert!(filtered.contains("No agent of your company matches that filter."));
    assert!(!filtered.contains("<td>Signed in</td>"));
    let by_email = app.get("/activity?email=gus%40globex.test").await.text().await.unwrap();
    assert!(by_email.contains("No agent of your company matches that filter."));
}

#[tokio::test]
async fn the_log_filters_by_agent_and_event_and_pages() {
    let app = spawn_app().await;
    let admin = app.complete_setup().await;
    let bob_id = app.add_agent(&admin, "Bob Agent", "bob@acme.test", Role::Agent).await;
    // 60 failures of Bob and 1 of Ada, written directly (the throttle would stop real ones).
    let now = app.clock_now();
    let company_id = app
        .db(|conn| agentgate::db::schema::companies::table.select(agentgate::db::schema::companies::id).first::<String>(conn).unwrap())
        .await;
    let bob = bob_id.clone();
    app.db(move |conn| {
        for i in 0..60 {
            let entry = audit::Entry { company_id: Some(&company_id), subject_id: Some(&bob), actor_id: Some(&bob), ..Default::default() };
            audit::record(conn, Event::LoginFailed, Outcome::Failure, &entry, now + Duration::seconds(i)).unwrap();
        }
        let entry = audit::Entry { company_id: Some(&company_id), detail: Some("ada marker"), ..Default::default() };
        audit::record(conn, Event::PolicyChanged, Outcome::Success, &entry, now - Duration::minutes(5)).unwrap();
    })
    .await;
    app.clock.advance(Duration::minutes(5));
    app.login(&admin, PASSWORD).await;

    let first = app.get(&format!("/activity?agent={bob_id}&event=login_failed")).await.text().await.unwrap();
    assert_eq!(first.matches("<td>Sign-in failed</td>").count(), 50);
    assert!(first.contains("Showing the activity of Bob Agent"));
    assert!(!first.contains("rel=\"prev\""));
    let older = format!("/activity?agent={bob_id}&#38;event=login_failed&#38;page=2");
    assert!(first.contains(&format!("href=\"{older}\" rel=\"next\">Older")), "{first}");
    let second = app.get(&older.replace("&#38;", "&")).await.text().await.unwrap();
    assert_eq!(second.matches("<td>Sign-in failed</td>").count(), 10);
    assert!(second.contains("rel=\"prev\"") && !second.contains("rel=\"next\""));

    let by_email = app.get("/activity?email=BOB%40acme.test&event=").await.text().await.unwrap();
    assert!(by_email.contains("Showing the activity of Bob Agent"));
    assert!(!by_email.contains("ada marker"));
    let policy = app.get("/activity?event=policy_changed").await.text().await.unwrap();
    assert!(policy.contains("ada marker") && !policy.contains("<td>Sign-in failed</td>"));
    let beyond = app.get("/activity?page=99").await;
    assert_eq!(beyond.status(), 200);
    assert!(beyond.text().await.unwrap().contains("No activity to show on this page."));

    for junk in ["/activity?agent=%00", "/activity?agent=x%27%20OR%201%3D1", "/activity?email=%00%40x.test"] {
        let response = app.get(junk).await;
        assert_eq!(response.status(), 200, "{junk}");
        assert!(response.text().await.unwrap().contains("No agent of your company matches that filter."), "{junk}");
    }
    for bad in ["/activity?event=drop_tables", "/activity?page=-1", "/activity?page=abc", "/activity?event=%00"] {
        let response = app.get(bad).await;
        assert_eq!(response.status(), 400, "{bad}");
    }
}

#[tokio::test]
async fn account_setting_lists_the_agents_last_ten_sign_ins() {
    let app = spawn_app().await;
    let email = app.complete_setup().await;
    let browser = firefox();
    for i in 0..6 {
        assert_eq!(login_with(&browser, &app.address, &email, "wrong password, again").await.status(), 401);
        app.clock.advance(Duration::minutes(1));
        assert_eq!(login_with(&crate::helpers::new_browser(), &app.address, &email, PASSWORD).await.status(), 303, "{i}");
        app.clock.advance(Duration::minutes(1));
    }
    assert_eq!(login_with(&browser, &app.address, &email, PASSWORD).await.status(), 303);
    let page = get_with(&browser, &app.url("/account/settings")).await.text().await.unwrap();
    let section = &page[page.find("Recent sign-ins").expect("the section is shown")..];
    let section = &section[..section.find("</section>").unwrap()];
    assert_eq!(section.matches("<tr>").count() - 1, 10, "a header row and ten sign-ins");
    let first_row = &section[section.find("<tbody>").unwrap()..];
    let newest = &first_row[..first_row.find("</tr>").unwrap()];
    assert!(newest.contains("Signed in") && newest.contains("Firefox on Linux") && newest.contains("127.0.0.1"), "{newest}");
    assert!(section.contains("Failed"));
}

#[tokio::test]
async fn the_audit_log_tells_a_complete_secret_free_story() {
    let app = spawn_app().await;
    let email = app.complete_setup().await;
    // (The test clock stands still unless moved; the log sorts by time.)
    app.clock.advance(Duration::seconds(1));
    let browser = firefox();
    login_with(&browser, &app.address, &email, "a wrong password here").await;
    app.clock.advance(Duration::seconds(1));
    let login = login_with(&browser, &app.address, &email, PASSWORD).await;
    app.clock.advance(Duration::seconds(1));
    let session_cookie = crate::helpers::cookie_value(&login, "agentgate_session").unwrap();
    let page = get_with(&browser, &app.url("/account/settings")).await.text().await.unwrap();
    let csrf = crate::helpers::csrf_token_in(&page).unwrap();
    let new_password = "a completely new passphrase";
    let change = change_password_with(&browser, &app.address, PASSWORD, new_password).await;
    assert_eq!(change.status(), 303);
    app.clock.advance(Duration::seconds(1));
    assert_eq!(submit_form_with(&browser, &app.address, "/", "/logout", &[]).await.status(), 303);
    assert_eq!(location(&get_with(&browser, &app.url("/")).await), "/login");

    let story: Vec<String> = events_in_db(&app).await.into_iter().map(|(e, o)| format!("{e}:{o}")).collect();
    assert_eq!(story, ["agent_added:success", "login_failed:failure", "login_succeeded:success", "password_changed:success", "session_ended:success"]);

    let setup_token = app.setup_link.clone().unwrap().rsplit('=').next().unwrap().to_owned();
    let (hash, session_hashes) = app
        .db(|conn| {
            let hash: Option<String> = agentgate::db::schema::agents::table.select(agentgate::db::schema::agents::password_hash).first(conn).unwrap();
            let keys: Vec<String> = sessions::table.select(sessions::key_hash).load(conn).unwrap();
            (hash.unwrap(), keys)
        })
        .await;
    let rows: Vec<String> = app
        .db(|conn| {
            audit_events::table
                .select(audit::AuditEvent::as_select())
                .load::<audit::AuditEvent>(conn)
                .unwrap()
                .into_iter()
                .map(|row| format!("{row:?}"))
                .collect()
        })
        .await;
    let mut secrets = vec![PASSWORD.to_owned(), new_password.to_owned(), "a wrong password here".to_owned(), session_cookie, csrf, setup_token, hash];
    secrets.extend(session_hashes);
    secrets.push("$argon2".to_owned());
    for row in &rows {
        for secret in &secrets {
            assert!(!row.contains(secret.as_str()), "an audit entry holds a secret: {row}");
        }
    }
}

/// An admin who reads Polish, in Warsaw: the Activity page in Polish, each
/// time to the second in their zone with its abbreviation.
#[tokio::test]
async fn an_admin_who_reads_polish_sees_the_activity_in_polish_in_their_zone() {
    let app = spawn_app().await;
    let admin = app.complete_setup().await;
    app.add_agent(&admin, "Bob Agent", "bob@acme.test", Role::Agent).await;
    assert_eq!(login_with(&firefox(), &app.address, "bob@acme.test", "not bob's password!").await.status(), 401);
    assert_eq!(app.login(&admin, PASSWORD).await.status(), 303);
    app.db(|conn| {
        use agentgate::db::schema::agents;
        diesel::update(agents::table.filter(agents::email.eq("ada@acme.test")))
            .set((agents::language.eq("pl"), agents::time_zone.eq(Some("Europe/Warsaw"))))
            .execute(conn)
            .unwrap()
    })
    .await;

    let page = app.get("/activity").await.text().await.unwrap();
    assert!(page.contains("<h1>Aktywność</h1>"), "{page}");
    assert!(page.contains("Godziny podano w strefie Europe/Warsaw."));
    assert!(page.contains("<td>Nieudane logowanie</td>") && page.contains("<td>Zalogowano</td>"), "{page}");
    assert!(page.contains(">Niepowodzenie</span>") && page.contains(">Powodzenie</span>"));
    assert!(page.contains("<option value=\"login_failed\">Nieudane logowanie</option>"), "the filter keeps the stored names as values");
    let signed_in_at: chrono::NaiveDateTime = app
        .db(|conn| {
            audit_events::table.filter(audit_events::event.eq("login_succeeded")).select(audit_events::occurred_at).first(conn).unwrap()
        })
        .await;
    let warsaw = agentgate::i18n::Tr::new(agentgate::i18n::Language::Polish, "Europe/Warsaw".parse().unwrap());
    let when = warsaw.date_time_seconds(signed_in_at);
    assert!(when.ends_with(" CET") || when.ends_with(" CEST"), "{when}");
    assert!(page.contains(&format!("<td class=\"nowrap\">{when}</td>")), "{when} in {page}");

    let nobody = app.get("/activity?email=nobody@acme.test").await.text().await.unwrap();
    assert!(nobody.contains("Żaden agent Twojej firmy nie pasuje do tego filtra."));
    assert!(nobody.contains("Brak aktywności do wyświetlenia."));
    let bad = app.get("/activity?event=bogus").await;
    assert_eq!(bad.status(), 400);
    assert!(bad.text().await.unwrap().contains("AgentGate nie rejestruje takiego zdarzenia."));
}
