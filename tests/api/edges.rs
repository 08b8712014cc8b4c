//! SPEC §3 "bad input": every form field of the app at its limits, empty,
//! duplicated, with CR/LF and NUL, over-long and not UTF-8 gets a 4xx page and
//! changes nothing; the values exactly at the limits are accepted. And no
//! response ever carries a password hash, a session id or a spent token.

use agentgate::db::schema::{agents, companies, sessions, setup_tokens};
use diesel::prelude::*;
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::{Client, Response};

use crate::helpers::{PASSWORD, TestApp, cookie_value, csrf_token_in, get_with, login_with, new_browser, spawn_app, spawn_app_with, submit_form_with};

/// Everything a bad form could have changed: agents, companies, sessions, the setup token.
async fn fingerprint(app: &TestApp) -> String {
    app.db(|conn| {
        let agents: Vec<(String, String, String, String, Option<String>, bool)> = agents::table
            .order(agents::id)
            .select((agents::id, agents::name, agents::email, agents::role, agents::password_hash, agents::active))
            .load(conn)
            .unwrap();
        let companies: Vec<(String, String)> = companies::table.order(companies::id).select((companies::id, companies::name)).load(conn).unwrap();
        let sessions: i64 = sessions::table.count().get_result(conn).unwrap();
        let tokens: i64 = setup_tokens::table.count().get_result(conn).unwrap();
        format!("{agents:?} {companies:?} sessions={sessions} setup_tokens={tokens}")
    })
    .await
}

fn enc(value: &str) -> String {
    utf8_percent_encode(value, NON_ALPHANUMERIC).to_string()
}

/// Posts a hand-made urlencoded body; `{csrf}` in it becomes the page's token.
async fn post_body(browser: &Client, app: &TestApp, form_page: &str, action: &str, body: &str) -> Response {
    let page = get_with(browser, &app.url(form_page)).await.text().await.unwrap();
    let token = csrf_token_in(&page).unwrap_or_else(|| panic!("{form_page} has a form"));
    browser
        .post(app.url(action))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.replace("{csrf}", &token))
        .send()
        .await
        .unwrap()
}

/// Asserts a refusal: a 4xx status, an HTML page, and not a crash.
async fn assert_refused(response: Response, case: &str) -> String {
    let status = response.status();
    let body = response.text().await.unwrap();
    assert!(status.is_client_error(), "{case}: expected 4xx, got {status}: {body}");
    assert!(body.contains("<html"), "{case}: a page, not a bare error");
    body
}

#[tokio::test]
async fn every_login_field_at_its_edges_is_refused_and_signs_nobody_in() {
    // Every case below fails from one address: keep the IP throttle out of the way.
    let app = spawn_app_with(vec![("AGENTGATE_LOGIN_IP_MAX_FAILURES", "1000".to_owned())]).await;
    let email = app.complete_setup().await;
    let before = fingerprint(&app).await;
    let pw = enc(PASSWORD);
    let long_email = format!("{}@acme.test", "a".repeat(60_000));
    let cases: Vec<(&str, String)> = vec![
        ("empty fields", "csrf_token={csrf}&email=&password=".into()),
        ("missing password", format!("csrf_token={{csrf}}&email={email}")),
        ("missing email", format!("csrf_token={{csrf}}&password={pw}")),
        ("duplicated email, right password", format!("csrf_token={{csrf}}&email={email}&email=x%40y.z&password={pw}")),
        ("duplicated password", format!("csrf_token={{csrf}}&email={email}&password={pw}&password={pw}")),
        ("duplicated csrf token", format!("csrf_token={{csrf}}&csrf_token={{csrf}}&email={email}&password={pw}")),
        ("empty csrf token", format!("csrf_token=&email={email}&password={pw}")),
        ("no csrf token", format!("email={email}&password={pw}")),
        ("CR/LF inside the email", format!("csrf_token={{csrf}}&email={}&password={pw}", enc("ada@acme.test\r\nBcc: x@evil.test"))),
        ("NUL inside the email", format!("csrf_token={{csrf}}&email={}&password={pw}", enc("ada\0@acme.test"))),
        ("email over 254 characters", format!("csrf_token={{csrf}}&email={}&password={pw}", enc(&format!("{}@acme.test", "a".repeat(250))))),
        ("email of 60,000 characters", format!("csrf_token={{csrf}}&email={}&password={pw}", enc(&long_email))),
        ("NUL in the password", format!("csrf_token={{csrf}}&email={email}&password={}", enc(&format!("{PASSWORD}\0")))),
        ("CR/LF in the password", format!("csrf_token={{csrf}}&email={email}&password={}", enc(&format!("{PASSWORD}\r\n")))),
        ("password over any limit", format!("csrf_token={{csrf}}&email={email}&password={}", "p".repeat(5_000))),
        ("not UTF-8", format!("csrf_token={{csrf}}&email={email}&password=%FF%FE")),
        ("broken escape", format!("csrf_token={{csrf}}&email={email}&password=%E2%82")),
        ("body over 64 KiB", format!("csrf_token={{csrf}}&email={email}&password={}", "p".repeat(70_000))),
    ];
    for (case, body) in &cases {
        let response = post_body(&new_browser(), &app, "/login", "/login", body).await;
        let page = assert_refused(response, case).await;
        assert!(!page.contains("\r\nBcc"), "{case}: the raw input is not echoed unescaped");
    }
    // A hostile `next` is dropped, not echoed, not followed.
    let next_cases = [("CR/LF in next", "/a\r\nSet-Cookie: x=y".to_owned()), ("next of 5,000 characters", format!("/{}", "n".repeat(5_000)))];
    for (case, next) in next_cases {
        let body = format!("csrf_token={{csrf}}&email={email}&password=wrong+password+here&next={}", enc(&next));
        let page = assert_refused(post_body(&new_browser(), &app, "/login", "/login", &body).await, case).await;
        assert!(!page.contains("name=\"next\""), "{case}: {page}");
    }
    assert_eq!(fingerprint(&app).await, before, "no session, no change");
    // The right input still works afterwards (one IP, under the throttle's limit).
    assert_eq!(login_with(&new_browser(), &app.address, &email, PASSWORD).await.status(), 303);
}

#[tokio::test]
async fn every_setup_field_at_its_edges_is_refused_and_creates_nothing() {
    let app = spawn_app().await;
    let link = app.setup_link.clone().unwrap();
    let page = link.trim_start_matches(&app.address).to_owned();
    let token = page.rsplit('=').next().unwrap().to_owned();
    let before = fingerprint(&app).await;
    let field = |name: &str, value: &str| -> String {
        let mut fields = [
            ("token", token.clone()),
            ("company", "Acme Support".to_owned()),
            ("name", "Ada Admin".to_owned()),
            ("email", "ada@acme.test".to_owned()),
            ("password", PASSWORD.to_owned()),
            ("password_confirm", PASSWORD.to_owned()),
        ];
        for (n, v) in fields.iter_mut() {
            if *n == name {
                *v = value.to_owned();
            }
        }
        let body: Vec<String> = fields.iter().map(|(n, v)| format!("{n}={}", enc(v))).collect();
        format!("csrf_token={{csrf}}&{}", body.join("&"))
    };
    let mut cases: Vec<(String, String)> = Vec::new();
    for name in ["company", "name", "email", "password", "password_confirm", "token"] {
        cases.push((format!("{name} empty"), field(name, "")));
        cases.push((format!("{name} with CR/LF"), field(name, "Ada\r\nBcc: x@evil.test")));
        cases.push((format!("{name} with NUL"), field(name, "Ada\0Admin")));
        cases.push((format!("{name} duplicated"), format!("{}&{name}=again", field(name, "x"))));
        cases.push((format!("{name} missing"), field(name, "").replace(&format!("&{name}="), "&")));
        cases.push((format!("{name} not UTF-8"), format!("{}%FF", field(name, "x"))));
    }
    cases.push(("company of 101 characters".into(), field("company", &"c".repeat(101))));
    cases.push(("name of 101 characters".into(), field("name", &"n".repeat(101))));
    cases.push(("email of 255 characters".into(), field("email", &format!("{}@acme.test", "a".repeat(245)))));
    let long_password = "correct horse ".repeat(10);
    cases.push(("password of 129 characters".into(), field("password", &long_password[..129]).replace(&enc(PASSWORD), &enc(&long_password[..129]))));
    cases.push(("password of 14 characters".into(), field("password", "fourteen chars").replace(&enc(PASSWORD), "fourteen+chars")));
    cases.push(("wrong token".into(), field("token", "not-the-token")));
    for (case, body) in &cases {
        assert_refused(post_body(&new_browser(), &app, &page, "/setup", body).await, case).await;
        assert_eq!(fingerprint(&app).await, before, "{case}: nothing was created");
    }

    // Exactly at the limits, it works.
    // 64 + 1 + 189 = 254 characters, the RFC 5321 maximum.
    let at_limit_email = format!("{}@{}.{}.{}.test", "a".repeat(64), "d".repeat(63), "d".repeat(63), "d".repeat(56));
    assert_eq!(at_limit_email.len(), 254);
    let at_limit_password: String = "correct horse ".repeat(10).chars().take(128).collect();
    let body = format!(
        "csrf_token={{csrf}}&token={token}&company={}&name={}&email={}&password={}&password_confirm={}",
        "c".repeat(100),
        "n".repeat(100),
        enc(&at_limit_email),
        enc(&at_limit_password),
        enc(&at_limit_password)
    );
    let response = post_body(&new_browser(), &app, &page, "/setup", &body).await;
    assert_eq!(response.status(), 303, "{}", response.text().await.unwrap());
    assert_eq!(login_with(&new_browser(), &app.address, &at_limit_email, &at_limit_password).await.status(), 303);
}

#[tokio::test]
async fn every_account_setting_field_at_its_edges_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let email = app.complete_setup().await;
    app.login(&email, PASSWORD).await;
    let before = fingerprint(&app).await;
    let pw = enc(PASSWORD);
    let new = enc("a brand new passphrase for ada");
    let settings = |name: &str, current: &str, new_password: &str, confirm: &str| {
        format!("csrf_token={{csrf}}&name={}&current_password={}&new_password={}&confirm_password={}", enc(name), enc(current), enc(new_password), enc(confirm))
    };
    let np = "a brand new passphrase for ada";
    let cases: Vec<(&str, String)> = vec![
        ("empty name", settings("", "", "", "")),
        ("blank name", settings("   ", "", "", "")),
        ("name of 101 characters", settings(&"n".repeat(101), "", "", "")),
        ("CR/LF in the name", settings("Ada\r\nBcc: x@evil.test", "", "", "")),
        ("NUL in the name", settings("Ada\0", "", "", "")),
        ("duplicated name", format!("{}&name=Mallory", settings("Ada Admin", "", "", ""))),
        ("missing name", format!("csrf_token={{csrf}}&current_password={pw}")),
        ("not UTF-8", "csrf_token={csrf}&name=Ada%FF".to_owned()),
        ("duplicated csrf token", format!("{}&csrf_token=other", settings("Mallory", "", "", ""))),
        ("new password of 14 characters", settings("Ada Admin", PASSWORD, "fourteen chars", "fourteen chars")),
        ("new password of 129 characters", settings("Ada Admin", PASSWORD, &"x".repeat(129), &"x".repeat(129))),
        ("NUL in the new password", settings("Ada Admin", PASSWORD, &format!("{np}\0"), &format!("{np}\0"))),
        ("CR/LF in the new password", settings("Ada Admin", PASSWORD, &format!("{np}\r\n"), &format!("{np}\r\n"))),
        ("mismatched confirmation", settings("Ada Admin", PASSWORD, np, "a brand new passphrase for bob")),
        ("empty confirmation", settings("Ada Admin", PASSWORD, np, "")),
        ("wrong current password", settings("Ada Admin", "not my password at all", np, np)),
        ("empty current password", settings("Ada Admin", "", np, np)),
        ("over-long current password", settings("Ada Admin", &"p".repeat(5_000), np, np)),
        ("duplicated new password", format!("{}&new_password={new}", settings("Ada Admin", PASSWORD, np, np))),
    ];
    for (case, body) in &cases {
        assert_refused(post_body(&app.client, &app, "/account/settings", "/account/settings", body).await, case).await;
        assert_eq!(fingerprint(&app).await, before, "{case}: nothing changed");
        assert_eq!(app.get("/").await.status(), 200, "{case}: still signed in");
    }

    // Exactly at the limits, it works.
    let name = "n".repeat(100);
    let password: String = "correct horse ".repeat(10).chars().take(128).collect();
    let response = post_body(&app.client, &app, "/account/settings", "/account/settings", &settings(&name, PASSWORD, &password, &password)).await;
    assert_eq!(response.status(), 303);
    assert!(app.get("/account/settings").await.text().await.unwrap().contains(&format!("value=\"{name}\"")));
    assert_eq!(login_with(&new_browser(), &app.address, &email, &password).await.status(), 303);
}

#[tokio::test]
async fn a_bad_logout_form_keeps_the_session() {
    let app = spawn_app().await;
    let email = app.complete_setup().await;
    app.login(&email, PASSWORD).await;
    for (case, body) in [
        ("empty token", "csrf_token="),
        ("duplicated token", "csrf_token={csrf}&csrf_token={csrf}"),
        ("not UTF-8", "csrf_token={csrf}%FF"),
        ("no token", ""),
    ] {
        assert_refused(post_body(&app.client, &app, "/", "/logout", body).await, case).await;
        assert_eq!(app.get("/").await.status(), 200, "{case}: still signed in");
    }
}

#[tokio::test]
async fn no_response_carries_a_password_hash_a_session_id_or_a_spent_token() {
    let app = spawn_app().await;
    let setup_token = app.setup_link.clone().unwrap().rsplit('=').next().unwrap().to_owned();
    let email = app.complete_setup().await;
    app.add_agent(&email, "Bob Agent", "bob@acme.test", agentgate::domain::Role::Agent).await;
    let mut responses: Vec<(String, Response)> = Vec::new();

    let browser = new_browser();
    responses.push(("login page".into(), get_with(&browser, &app.url("/login")).await));
    responses.push(("failed login".into(), login_with(&browser, &app.address, &email, "wrong password here").await));
    let login = login_with(&browser, &app.address, &email, PASSWORD).await;
    let session_id = cookie_value(&login, "agentgate_session").unwrap();
    responses.push(("login".into(), login));
    for path in ["/", "/account/settings", "/activity", "/activity?event=login_failed", "/no/such/page", "/setup", &format!("/setup?token={setup_token}")] {
        responses.push((path.to_owned(), get_with(&browser, &app.url(path)).await));
    }
    responses.push((
        "settings with errors".into(),
        submit_form_with(&browser, &app.address, "/account/settings", "/account/settings", &[("name", "Ada Admin"), ("current_password", "wrong"), ("new_password", "x"), ("confirm_password", "y")]).await,
    ));
    let bob = new_browser();
    login_with(&bob, &app.address, "bob@acme.test", PASSWORD).await;
    responses.push(("403 page".into(), get_with(&bob, &app.url("/activity")).await));
    for _ in 0..10 {
        login_with(&new_browser(), &app.address, "bob@acme.test", "wrong password here").await;
    }
    responses.push(("429 page".into(), login_with(&new_browser(), &app.address, "bob@acme.test", PASSWORD).await));

    let (hashes, key_hashes) = app
        .db(|conn| {
            let hashes: Vec<Option<String>> = agents::table.select(agents::password_hash).load(conn).unwrap();
            let keys: Vec<String> = sessions::table.select(sessions::key_hash).load(conn).unwrap();
            (hashes.into_iter().flatten().collect::<Vec<_>>(), keys)
        })
        .await;
    let mut forbidden = vec!["$argon2".to_owned(), session_id, setup_token];
    forbidden.extend(hashes);
    forbidden.extend(key_hashes);
    for (what, response) in responses {
        let headers = format!("{:?}", response.headers().iter().filter(|(name, _)| *name != "set-cookie").collect::<Vec<_>>());
        let body = response.text().await.unwrap();
        for secret in &forbidden {
            assert!(!body.contains(secret.as_str()), "{what}: the body holds a secret");
            assert!(!headers.contains(secret.as_str()), "{what}: a header holds a secret");
        }
    }
}

#[tokio::test]
async fn every_field_of_the_email_change_and_confirm_identity_forms_at_its_edges_is_refused_and_changes_nothing() {
    use agentgate::db::schema::outbox;
    let app = spawn_app().await;
    let email = app.complete_setup().await;
    app.login(&email, PASSWORD).await;
    let emails_sent = || app.db(|conn| outbox::table.count().get_result::<i64>(conn).unwrap());
    let before = fingerprint(&app).await;
    let pw = enc(PASSWORD);
    let change = |new_email: &str, password: &str| format!("csrf_token={{csrf}}&new_email={}&current_password={}", enc(new_email), enc(password));
    let cases: Vec<(&str, String)> = vec![
        ("empty fields", change("", "")),
        ("no fields", "csrf_token={csrf}".to_owned()),
        ("duplicated new email", format!("{}&new_email=mallory%40evil.test", change("new@example.org", PASSWORD))),
        ("duplicated password", format!("{}&current_password={pw}", change("new@example.org", PASSWORD))),
        ("CR/LF in the new email", change("new@example.org\r\nBcc: x@evil.test", PASSWORD)),
        ("NUL in the new email", change("new\0@example.org", PASSWORD)),
        ("new email over 254 characters", change(&format!("{}@example.org", "a".repeat(250)), PASSWORD)),
        ("new email of 60,000 characters", change(&format!("{}@example.org", "a".repeat(60_000)), PASSWORD)),
        ("NUL in the password", change("new@example.org", &format!("{PASSWORD}\0"))),
        ("password over any limit", change("new@example.org", &"p".repeat(5_000))),
        ("not UTF-8", format!("csrf_token={{csrf}}&new_email=new%FF%40example.org&current_password={pw}")),
        ("body over 64 KiB", change("new@example.org", &"p".repeat(70_000))),
    ];
    for (case, body) in &cases {
        let page = assert_refused(post_body(&app.client, &app, "/account/email", "/account/email", body).await, case).await;
        assert!(!page.contains("\r\nBcc"), "{case}");
        assert_eq!(fingerprint(&app).await, before, "{case}: nothing changed");
        assert_eq!(emails_sent().await, 0, "{case}: no code was sent");
    }

    // A change waiting for its code, then every bad code.
    let response = post_body(&app.client, &app, "/account/email", "/account/email", &change("new@example.org", PASSWORD)).await;
    assert_eq!(response.status(), 303);
    let before = fingerprint(&app).await;
    for (case, body) in [
        ("non-ASCII digits", format!("csrf_token={{csrf}}&code={}", enc("١٢٣٤٥٦"))),
        ("seven digits", "csrf_token={csrf}&code=1234567".to_owned()),
        ("NUL in the code", format!("csrf_token={{csrf}}&code={}", enc("123\u{0}456"))),
        ("a code of 5,000 digits", format!("csrf_token={{csrf}}&code={}", "1".repeat(5_000))),
        ("duplicated code", "csrf_token={csrf}&code=123456&code=654321".to_owned()),
        ("no code", "csrf_token={csrf}".to_owned()),
    ] {
        assert_refused(post_body(&app.client, &app, "/account/email/confirm", "/account/email/confirm", &body).await, case).await;
        assert_eq!(fingerprint(&app).await, before, "{case}: the address did not change");
    }

    // The confirm-identity page: a bad `next` falls back to Account Setting.
    for (case, body, expected) in [
        ("NUL in next", format!("csrf_token={{csrf}}&current_password={pw}&next={}", enc("/account\0/email")), "/account/settings"),
        ("next of 5,000 characters", format!("csrf_token={{csrf}}&current_password={pw}&next=/{}", "a".repeat(5_000)), "/account/settings"),
        ("CR/LF in next", format!("csrf_token={{csrf}}&current_password={pw}&next={}", enc("/x\r\nSet-Cookie: a=b")), "/account/settings"),
    ] {
        let response = post_body(&app.client, &app, "/account/confirm-identity", "/account/confirm-identity", &body).await;
        assert_eq!(crate::helpers::location(&response), expected, "{case}");
    }
    for (case, body) in [
        ("duplicated next", format!("csrf_token={{csrf}}&current_password={pw}&next=/a&next=/b")),
        ("NUL in the password", format!("csrf_token={{csrf}}&current_password={}", enc(&format!("{PASSWORD}\0")))),
        ("no password", "csrf_token={csrf}".to_owned()),
        ("body over 64 KiB", format!("csrf_token={{csrf}}&current_password={}", "p".repeat(70_000))),
    ] {
        assert_refused(post_body(&app.client, &app, "/account/confirm-identity", "/account/confirm-identity", &body).await, case).await;
    }
    assert_eq!(fingerprint(&app).await, before);
    assert_eq!(app.get("/").await.status(), 200, "still signed in");
}
