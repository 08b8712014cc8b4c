use agentgate::domain::Role;

use crate::helpers::{PASSWORD, location, new_browser, login_with, spawn_app};

#[tokio::test]
async fn an_agent_logs_in_sees_home_and_logs_out() {
    let app = spawn_app().await;
    let email = app.complete_setup().await;

    let response = app.login(&email, PASSWORD).await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/");

    let home = app.get("/").await.text().await.unwrap();
    assert!(home.contains("Welcome, Ada Admin"));
    assert!(home.contains("Admin"));
    assert!(home.contains("Account Setting"));
    assert!(home.contains("Log out"));
    assert_eq!(app.session_count().await, 1);

    let logout = app.submit_form("/", "/logout", &[]).await;
    assert_eq!(logout.status(), 303);
    assert_eq!(app.session_count().await, 0, "logout deletes the server-side session");
    assert_eq!(location(&app.get("/").await), "/login");
}

#[tokio::test]
async fn unknown_email_wrong_password_and_deactivated_account_fail_alike() {
    let app = spawn_app().await;
    let admin = app.complete_setup().await;
    let agent_id = app.add_agent(&admin, "Bob Agent", "bob@acme.test", Role::Agent).await;
    let now = app.clock_now();
    app.db(move |conn| {
        let agent = agentgate::db::models::Agent::find_active(conn, &agent_id).unwrap().unwrap();
        agentgate::auth::accounts::deactivate(conn, &agent, &Default::default(), now).unwrap()
    }).await;

    let mut pages = Vec::new();
    for (email, password) in [("nobody@acme.test", PASSWORD), ("ada@acme.test", "a wrong password here"), ("bob@acme.test", PASSWORD)] {
        let browser = new_browser();
        let response = login_with(&browser, &app.address, email, password).await;
        assert_eq!(response.status(), 401);
        let body = response.text().await.unwrap();
        assert!(body.contains("That email and password do not match an active account."));
        // Identical apart from the echoed email and the per-browser CSRF token.
        let normalised = body.replace(email, "EMAIL");
        let token = crate::helpers::csrf_token_in(&normalised).unwrap();
        pages.push(normalised.replace(&token, "TOKEN"));
    }
    assert_eq!(pages[0], pages[1]);
    assert_eq!(pages[1], pages[2]);
    assert_eq!(app.session_count().await, 0);
}

#[tokio::test]
async fn the_session_id_changes_at_login() {
    let app = spawn_app().await;
    let email = app.complete_setup().await;
    // An attacker-planted session cookie must not survive the login (fixation).
    let planted = app.submit_form("/login", "/login", &[("email", &email), ("password", "wrong password, wrong")]).await;
    assert_eq!(planted.status(), 401);

    let first = app.login(&email, PASSWORD).await;
    let first_id = crate::helpers::cookie_value(&first, "agentgate_session").expect("a session cookie is set");
    let logout = app.submit_form("/", "/logout", &[]).await;
    assert_eq!(logout.status(), 303);
    let second = app.login(&email, PASSWORD).await;
    let second_id = crate::helpers::cookie_value(&second, "agentgate_session").unwrap();
    assert_ne!(first_id, second_id);
}

#[tokio::test]
async fn next_brings_the_agent_back_but_only_to_this_site() {
    let app = spawn_app().await;
    let email = app.complete_setup().await;
    let redirect = app.get("/account/settings").await;
    assert_eq!(redirect.status(), 303);
    assert_eq!(location(&redirect), "/login?next=%2Faccount%2Fsettings");

    let page = app.get("/login?next=%2Faccount%2Fsettings").await.text().await.unwrap();
    assert!(page.contains("name=\"next\" value=\"/account/settings\""));
    let response = app
        .submit_form("/login", "/login", &[("email", &email), ("password", PASSWORD), ("next", "/account/settings")])
        .await;
    assert_eq!(location(&response), "/account/settings");

    let other = new_browser();
    let response = crate::helpers::submit_form_with(&other, &app.address, "/login", "/login",
        &[("email", &email), ("password", PASSWORD), ("next", "//evil.example/")]).await;
    assert_eq!(location(&response), "/");
}

#[tokio::test]
async fn an_anonymous_login_page_writes_nothing_to_the_database() {
    let app = spawn_app().await;
    app.complete_setup().await;
    for _ in 0..5 {
        let browser = new_browser();
        assert_eq!(crate::helpers::get_with(&browser, &app.url("/login")).await.status(), 200);
    }
    assert_eq!(app.session_count().await, 0);
}

#[tokio::test]
async fn a_post_without_a_valid_csrf_token_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let email = app.complete_setup().await;

    let no_token = app.post_raw("/login", &[("email", &email), ("password", PASSWORD)]).await;
    assert_eq!(no_token.status(), 403);
    let _ = app.get("/login").await;
    let wrong_token = app.post_raw("/login", &[("email", &email), ("password", PASSWORD), ("csrf_token", "forged")]).await;
    assert_eq!(wrong_token.status(), 403);
    assert_eq!(app.session_count().await, 0);

    app.login(&email, PASSWORD).await;
    let rename = app.post_raw("/account/settings", &[("name", "Mallory"), ("csrf_token", "forged")]).await;
    assert_eq!(rename.status(), 403);
    assert!(rename.text().await.unwrap().contains("This form has expired"));
    let logout = app.post_raw("/logout", &[]).await;
    assert_eq!(logout.status(), 403);
    assert!(app.get("/").await.text().await.unwrap().contains("Welcome, Ada Admin"));
}

#[tokio::test]
async fn a_cross_site_post_is_refused_even_with_a_token() {
    let app = spawn_app().await;
    let email = app.complete_setup().await;
    let page = app.get("/login").await.text().await.unwrap();
    let token = crate::helpers::csrf_token_in(&page).unwrap();
    let response = app
        .client
        .post(app.url("/login"))
        .header("Origin", "https://evil.example")
        .form(&[("email", email.as_str()), ("password", PASSWORD), ("csrf_token", &token)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);

    // Headers the client writes cannot make the other site ours.
    for (name, value) in [("X-Forwarded-Host", "evil.example"), ("Forwarded", "host=evil.example;proto=https"), ("Host", "evil.example")] {
        let response = app
            .client
            .post(app.url("/login"))
            .header("Origin", "https://evil.example")
            .header(name, value)
            .form(&[("email", email.as_str()), ("password", PASSWORD), ("csrf_token", &token)])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403, "{name}: {value}");
    }
    // The app's own origin, as a browser on this machine writes it, passes.
    let port = app.address.rsplit(':').next().unwrap().to_owned();
    let response = app
        .client
        .post(app.url("/login"))
        .header("Origin", format!("http://localhost:{port}"))
        .form(&[("email", email.as_str()), ("password", PASSWORD), ("csrf_token", &token)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = spawn_app().await;
    for path in ["/login", "/missing", "/healthz"] {
        let response = app.get(path).await;
        let headers = response.headers();
        assert_eq!(headers["content-security-policy"], "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'");
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert!(headers.contains_key("referrer-policy"));
        assert_eq!(headers["cache-control"], "no-store", "{path}");
    }
    let cookie = crate::helpers::get_with(&crate::helpers::new_browser(), &app.url("/login")).await;
    let set_cookie = cookie.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"), "{set_cookie}");
}

#[tokio::test]
async fn healthz_answers_ok_and_unknown_pages_get_a_404_page() {
    let app = spawn_app().await;
    let health = app.get("/healthz").await;
    assert_eq!(health.status(), 200);
    assert_eq!(health.text().await.unwrap(), "ok");
    let missing = app.get("/no/such/page").await;
    assert_eq!(missing.status(), 404);
    assert!(missing.text().await.unwrap().contains("Page not found"));
}

#[tokio::test]
async fn a_browser_that_prefers_polish_gets_the_login_page_and_its_refusal_in_polish() {
    let app = spawn_app().await;
    let email = app.complete_setup().await;
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::ACCEPT_LANGUAGE, reqwest::header::HeaderValue::from_static("pl-PL,pl;q=0.9"));
    let browser = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(headers)
        .build()
        .unwrap();

    let page = crate::helpers::get_with(&browser, &app.url("/login")).await.text().await.unwrap();
    assert!(page.contains("<html lang=\"pl\">"), "{page}");
    assert!(page.contains("<title>Logowanie · AgentGate</title>"), "{page}");
    assert!(page.contains("<h1 id=\"login-heading\">Zaloguj się</h1>"), "{page}");
    assert!(page.contains("<label for=\"password\">Hasło</label>"), "{page}");
    assert!(page.contains(">Zaloguj się</button>"), "{page}");
    assert!(page.contains(">Nie pamiętasz hasła?</a>"), "{page}");
    assert!(!page.contains("Log In") && !page.contains("Forgot your password?"), "no English left: {page}");

    let response = login_with(&browser, &app.address, &email, "a wrong password here").await;
    assert_eq!(response.status(), 401);
    let body = response.text().await.unwrap();
    assert!(body.contains("<html lang=\"pl\">"), "{body}");
    assert!(body.contains("Ten adres e-mail i hasło nie pasują do żadnego aktywnego konta."), "{body}");
    assert!(!body.contains("That email and password do not match"), "{body}");
}
