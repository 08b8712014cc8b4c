//! SPEC §3 "login failure message: ... the same work (a hash) is done in each
//! case": the answer to an unknown email must not come back measurably faster
//! than the answer to a wrong password.
//!
//! The test measures three kinds of failed login, interleaved, many times, and compares the lower quartiles of the three distributions:
//! an unknown email, a known email with a wrong password, and, as a control,
//! a password so long that it is refused before any hashing (what an unknown
//! email would cost if the dummy hash were skipped). The tolerance is half of
//! one argon2 verification, measured in the same process. It then asserts both
//! directions: unknown and wrong are within the tolerance, AND the control is
//! beyond it, proving the measurement can see a missing hash at all.

use std::time::{Duration, Instant};

use reqwest::Client;

use crate::helpers::{PASSWORD, csrf_token_in, new_browser, spawn_app_with};

const ROUNDS: usize = 40;

/// The lower quartile: load from other processes only ever adds time, so the
/// faster answers show the work a request itself does with the least noise.
fn lower_quartile(samples: &mut [Duration]) -> Duration {
    samples.sort_unstable();
    samples[samples.len() / 4]
}

async fn timed_login(browser: &Client, url: &str, token: &str, email: &str, password: &str) -> Duration {
    let started = Instant::now();
    let response = browser
        .post(url)
        .form(&[("csrf_token", token), ("email", email), ("password", password)])
        .send()
        .await
        .unwrap();
    let status = response.status();
    let _ = response.bytes().await.unwrap();
    let elapsed = started.elapsed();
    assert_eq!(status, 401, "every measured login fails the same way");
    elapsed
}

#[tokio::test]
async fn an_unknown_email_and_a_wrong_password_take_the_same_time() {
    // The throttle would stop the run long before it ends.
    let app = spawn_app_with(vec![
        ("AGENTGATE_LOGIN_MAX_FAILURES", "100000".to_owned()),
        ("AGENTGATE_LOGIN_IP_MAX_FAILURES", "100000".to_owned()),
    ])
    .await;
    let email = app.complete_setup().await;
    let browser = new_browser();
    let page = browser.get(app.url("/login")).send().await.unwrap().text().await.unwrap();
    let token = csrf_token_in(&page).unwrap();
    let url = app.url("/login");
    let wrong_password = "not the right password at all";
    let beyond_any_password = "x".repeat(600);

    // What one argon2 verification of a stored hash costs, measured directly
    // on this thread in the same rounds as the logins, so both see the same
    // machine load (the machine is shared: other builds come and go).
    let hash = agentgate::auth::password::hash_blocking(PASSWORD).unwrap();
    let mut workspace = agentgate::auth::password::Workspace::default();
    let mut verify_once = || {
        let started = Instant::now();
        assert!(!workspace.verify(wrong_password, &hash));
        started.elapsed()
    };

    let (mut unknown, mut wrong, mut unhashed, mut hash_costs) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for round in 0..ROUNDS + 3 {
        // Rotate the order so no kind always runs first after a pause.
        let mut kinds = [0, 1, 2, 3];
        kinds.rotate_left(round % 4);
        for kind in kinds {
            let elapsed = match kind {
                0 => timed_login(&browser, &url, &token, &format!("nobody{round}@acme.test"), wrong_password).await,
                1 => timed_login(&browser, &url, &token, &email, wrong_password).await,
                2 => timed_login(&browser, &url, &token, &email, &beyond_any_password).await,
                _ => verify_once(),
            };
            // The first rounds warm up connections and caches.
            if round >= 3 {
                [&mut unknown, &mut wrong, &mut unhashed, &mut hash_costs][kind].push(elapsed);
            }
        }
    }
    let (unknown, wrong, unhashed) = (lower_quartile(&mut unknown), lower_quartile(&mut wrong), lower_quartile(&mut unhashed));
    let hash_cost = lower_quartile(&mut hash_costs);
    let tolerance = hash_cost / 2;
    let report = format!("lower quartiles: unknown {unknown:?}, wrong {wrong:?}, no hash {unhashed:?}; one hash {hash_cost:?}, tolerance {tolerance:?}");
    eprintln!("{report}");

    assert!(unknown.abs_diff(wrong) < tolerance, "the answers differ by more than half a hash: {report}");
    assert!(
        wrong.saturating_sub(unhashed) > tolerance,
        "the measurement cannot see a skipped hash, so it proves nothing: {report}"
    );
}
