//! Operating AgentGate (issue 23): `/metrics` after a login journey, who may
//! read it, and request ids.

use crate::helpers::{PASSWORD, get_with, location, login_with, new_browser, spawn_app_with};

/// The value of one sample line (`name{labels} value`) of a Prometheus page.
fn sample(page: &str, series: &str) -> Option<f64> {
    page.lines().find_map(|line| line.strip_prefix(series).and_then(|rest| rest.strip_prefix(' ')).and_then(|v| v.trim().parse().ok()))
}

#[tokio::test]
async fn metrics_count_exactly_what_a_login_journey_did() {
    let app = spawn_app_with(vec![]).await;
    let email = app.complete_setup().await;
    // One wrong password, one sign-in, from two browsers.
    assert_eq!(login_with(&new_browser(), &app.address, &email, "not the password at all").await.status(), 401);
    let browser = new_browser();
    assert_eq!(location(&login_with(&browser, &app.address, &email, PASSWORD).await), "/");
    assert_eq!(get_with(&browser, &app.url("/")).await.status(), 200);

    let response = get_with(&new_browser(), &app.url("/metrics")).await;
    assert_eq!(response.status(), 200, "loopback may read it");
    assert!(response.headers().get("content-type").unwrap().to_str().unwrap().starts_with("text/plain"));
    let page = response.text().await.unwrap();
    assert_eq!(sample(&page, r#"agentgate_logins_total{outcome="signed_in"}"#), Some(1.0), "{page}");
    assert_eq!(sample(&page, r#"agentgate_logins_total{outcome="wrong_password"}"#), Some(1.0));
    assert_eq!(sample(&page, r#"agentgate_logins_total{outcome="code_sent"}"#), None, "no 2FA, no code");
    assert_eq!(sample(&page, r#"agentgate_http_requests_total{route="/",status="2xx"}"#), Some(1.0));
    assert_eq!(sample(&page, r#"agentgate_http_requests_total{route="/login",status="4xx"}"#), Some(1.0));
    assert!(sample(&page, r#"agentgate_http_request_duration_seconds_count{route="/login"}"#).unwrap() >= 4.0, "two pages and two posts");
    assert_eq!(sample(&page, "agentgate_sessions_active"), Some(1.0));
    assert_eq!(sample(&page, r#"agentgate_agents_with_second_factor{method="any"}"#), Some(0.0));
    assert!(sample(&page, "agentgate_password_hash_duration_seconds_count").unwrap() >= 3.0, "setup, and two logins");
    assert!(page.contains("agentgate_db_pool_wait_seconds_bucket"));
    assert!(sample(&page, "agentgate_outbox_waiting").is_some());
    // No per-company or per-agent label, ever.
    assert!(!page.contains("Acme") && !page.contains(&email) && !page.contains("company"));
}

#[tokio::test]
async fn metrics_are_for_loopback_or_the_bearer_token_only() {
    let token = "a-long-enough-metrics-token";
    let app = spawn_app_with(vec![("AGENTGATE_TRUSTED_PROXIES", "127.0.0.1".to_owned()), ("AGENTGATE_METRICS_TOKEN", token.to_owned())]).await;
    let from_afar = |bearer: Option<&str>| {
        let mut request = new_browser().get(app.url("/metrics")).header("X-Forwarded-For", "203.0.113.7");
        if let Some(bearer) = bearer {
            request = request.header("Authorization", format!("Bearer {bearer}"));
        }
        request.send()
    };
    assert_eq!(from_afar(None).await.unwrap().status(), 404, "a client elsewhere, through the proxy, without the token");
    assert_eq!(from_afar(Some("a-wrong-token-of-some-length")).await.unwrap().status(), 404);
    assert_eq!(from_afar(Some(token)).await.unwrap().status(), 200);
    assert_eq!(get_with(&new_browser(), &app.url("/metrics")).await.status(), 200, "loopback itself");
}

#[tokio::test]
async fn every_response_names_its_request_and_a_trusted_proxy_may_name_it() {
    let app = spawn_app_with(vec![("AGENTGATE_TRUSTED_PROXIES", "127.0.0.1".to_owned())]).await;
    let response = get_with(&new_browser(), &app.url("/login")).await;
    let id = response.headers().get("x-request-id").unwrap().to_str().unwrap().to_owned();
    assert_eq!(id.len(), 16);
    let other = get_with(&new_browser(), &app.url("/login")).await;
    assert_ne!(other.headers().get("x-request-id").unwrap().to_str().unwrap(), id);
    let proxied = new_browser().get(app.url("/login")).header("X-Request-Id", "lb-7f3a.2").send().await.unwrap();
    assert_eq!(proxied.headers().get("x-request-id").unwrap(), "lb-7f3a.2");
    let odd = new_browser().get(app.url("/login")).header("X-Request-Id", "<script>").send().await.unwrap();
    assert_ne!(odd.headers().get("x-request-id").unwrap(), "<script>");
}

#[tokio::test]
async fn a_client_not_behind_a_trusted_proxy_cannot_name_its_request() {
    let app = spawn_app_with(vec![]).await;
    let response = new_browser().get(app.url("/login")).header("X-Request-Id", "chosen-by-client").send().await.unwrap();
    assert_ne!(response.headers().get("x-request-id").unwrap(), "chosen-by-client");
}

/// The real binary, serving `app`'s database on its own port with its
/// secret, delivering to `smtp`, with `extra` settings; its standard error
/// is kept for the test to read when `keep_log`.
fn serve_binary(app: &crate::helpers::TestApp, smtp: &crate::mail_server::TestSmtp, port: u16, extra: &[(&str, &str)], keep_log: bool) -> std::process::Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_agentgate"))
        .arg("serve")
        .env_clear()
        .env("DATABASE_URL", &app.database_url)
        .env("AGENTGATE_SECRET_KEY", crate::helpers::secret_of(app))
        .env("AGENTGATE_BIND", format!("127.0.0.1:{port}"))
        .envs(smtp.env())
        .envs(extra.iter().copied())
        .stdout(std::process::Stdio::null())
        .stderr(if keep_log { std::process::Stdio::piped() } else { std::process::Stdio::null() })
        .spawn()
        .expect("the binary starts")
}

#[tokio::test]
async fn sigterm_lets_logins_in_flight_finish_and_leaves_no_email_half_sent() {
    let (app, smtp) = crate::two_factor_steps::spawn_app_with_smtp().await;
    let email = app.complete_setup().await;
    crate::two_factor_steps::agent_with_two_factor(&app, &smtp, &email, "Ada Admin").await;
    let port = crate::mail_server::free_port();
    let settings = [
        ("AGENTGATE_SHUTDOWN_SECONDS", "10"),
        ("RUST_LOG", "warn"),
        // Twelve logins of one agent from one address: above the code limits otherwise.
        ("AGENTGATE_CODES_PER_WINDOW", "50"),
        ("AGENTGATE_CODE_EMAILS_PER_IP", "50"),
        // One hashing thread: the logins queue, so several are still running
        // when the signal comes, long after every request has arrived.
        ("AGENTGATE_HASH_CONCURRENCY", "1"),
    ];
    let mut server = serve_binary(&app, &smtp, port, &settings, false);
    let address = format!("http://127.0.0.1:{port}");
    let mut up = false;
    for _ in 0..200 {
        if new_browser().get(format!("{address}/healthz")).send().await.is_ok_and(|r| r.status() == 200) {
            up = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(up, "the server answers /healthz");

    // Twelve password steps, each on its own connection, all held by the
    // server before the signal; with one hashing thread most of them are
    // still waiting for it at SIGTERM.
    let mut browsers = Vec::new();
    for _ in 0..12 {
        let browser = new_browser();
        let page = browser.get(format!("{address}/login")).send().await.unwrap().text().await.unwrap();
        browsers.push((browser, crate::helpers::csrf_token_in(&page).unwrap()));
    }
    let logins: Vec<_> = browsers
        .into_iter()
        .map(|(browser, token)| {
            let (address, email) = (address.clone(), email.clone());
            tokio::spawn(async move {
                browser.post(format!("{address}/login")).form(&[("csrf_token", token.as_str()), ("email", email.as_str()), ("password", PASSWORD)]).send().await
            })
        })
        .collect();
    // Wait until the server holds every login: each is waiting for its turn
    // to hash (the queue `/metrics` reports), hashing, or done. On a busy
    // machine requests take a while to arrive; a fixed pause was too short.
    let mut in_flight = 0;
    for _ in 0..500 {
        let metrics = new_browser().get(format!("{address}/metrics")).send().await.unwrap().text().await.unwrap();
        let value = |name: &str| -> usize {
            metrics.lines().find_map(|line| line.strip_prefix(name)?.strip_prefix(' ')?.parse::<f64>().ok()).map_or(0, |v| v as usize)
        };
        let (queued, hashed) = (value("agentgate_password_hash_queue"), value("agentgate_password_hash_duration_seconds_count"));
        // Besides those, at most the places on the pool (two per thread)
        // are taken by logins between their turn and their hash.
        if queued + hashed + 2 >= 12 {
            in_flight = 12 - hashed;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    // Usually most are; on a slow machine the last requests may arrive
    // after the first hashes, but the signal must still find some running.
    assert!(in_flight >= 1, "logins still in flight at the signal: {in_flight} of 12");
    // SAFETY: kill(2) with a child's pid and SIGTERM has no memory-safety preconditions.
    assert_eq!(unsafe { libc::kill(server.id() as libc::pid_t, libc::SIGTERM) }, 0);

    // Every login gets its whole answer: each was sent on the connection
    // its login page came on, which the server finishes before it exits.
    // (actix-server before 2.9.1 dropped a worker's connections when the
    // listener closed before the worker heard of the stop: half of the
    // logins were cut off in about one run in eight under load.)
    for login in logins {
        let response = login.await.unwrap().expect("an answer, not a closed connection");
        assert_eq!(response.status(), 303, "an answer, never an error page");
        assert_eq!(location(&response), "/login/verify");
    }
    let exit = tokio::task::spawn_blocking(move || server.wait()).await.unwrap().unwrap();
    assert!(exit.success(), "exits 0 after SIGTERM: {exit:?}");
    assert!(new_browser().get(format!("{address}/healthz")).send().await.is_err(), "no longer listening");

    // Every code promised is delivered or still queued: none is left claimed.
    let statuses: Vec<String> = app
        .db(|conn| {
            use agentgate::db::schema::outbox;
            use diesel::prelude::*;
            outbox::table.filter(outbox::kind.eq("login_code")).select(outbox::status).load(conn).unwrap()
        })
        .await;
    assert_eq!(statuses.len(), 12, "one code email for each login: {statuses:?}");
    assert!(statuses.iter().all(|s| s == "sent" || s == "pending"), "{statuses:?}");
    let sent = statuses.iter().filter(|s| *s == "sent").count();
    assert_eq!(smtp.all().iter().filter(|m| m.subject.contains("sign-in code")).count(), sent, "each sent row arrived once");
}

#[tokio::test]
async fn json_logs_are_one_object_per_line_with_the_request_id() {
    let (app, smtp) = crate::two_factor_steps::spawn_app_with_smtp().await;
    let port = crate::mail_server::free_port();
    let mut server = serve_binary(&app, &smtp, port, &[("AGENTGATE_LOG_FORMAT", "json"), ("RUST_LOG", "info")], true);
    let address = format!("http://127.0.0.1:{port}");
    let mut id = None;
    for _ in 0..200 {
        if let Ok(response) = new_browser().get(format!("{address}/login?token=secret-looking")).send().await {
            id = Some(response.headers().get("x-request-id").unwrap().to_str().unwrap().to_owned());
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let id = id.expect("the server answered");
    // SAFETY: kill(2) with a child's pid and SIGTERM has no memory-safety preconditions.
    unsafe { libc::kill(server.id() as libc::pid_t, libc::SIGTERM) };
    let output = tokio::task::spawn_blocking(move || {
        let _ = server.wait();
        let mut text = String::new();
        std::io::Read::read_to_string(&mut server.stderr.take().unwrap(), &mut text).unwrap();
        text
    })
    .await
    .unwrap();
    let lines: Vec<serde_json::Value> = output.lines().map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"))).collect();
    let request = lines
        .iter()
        .find(|l| l["fields"]["message"] == "request" && l["span"]["request_id"] == id.as_str())
        .unwrap_or_else(|| panic!("no request line with id {id}: {output}"));
    assert_eq!(request["fields"]["route"], "/login");
    assert_eq!(request["fields"]["status"], 200);
    assert!(request["timestamp"].is_string() && request["level"] == "INFO");
    assert!(!output.contains("secret-looking"), "never the query string");
    assert!(!output.contains('\u{1b}'), "no colour codes");
}
