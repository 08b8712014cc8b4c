//! Passkeys (SPEC §7) at the API level, with a software authenticator that
//! does what a browser and a security key do (ES256, attestation "none",
//! user verification): registering one, the second step of a login, and
//! passwordless sign-in; and the server's checks, each with an answer a real
//! authenticator would give but that must be refused: the wrong origin, the
//! wrong relying party id, a replayed ceremony, an expired one, another
//! agent's credential, another company's, a counter that goes backwards.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use chrono::Duration;
use diesel::prelude::*;
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use reqwest::Client;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::helpers::{PASSWORD, TestApp, csrf_token_in, get_with, location, login_with, new_browser, spawn_app};
use agentgate::domain::Role;

/// A security key in software: one ES256 credential, with a counter.
pub struct SoftKey {
    key: SigningKey,
    pub credential_id: Vec<u8>,
    user_handle: Vec<u8>,
    counter: u32,
    /// What it writes into the client data (a browser writes the page's origin).
    pub origin: String,
    /// The relying party id it hashes into the authenticator data.
    pub rp_id: String,
}

impl SoftKey {
    /// A key as the browser at `app`'s public address would use it.
    pub fn for_app(app: &TestApp) -> SoftKey {
        let port = app.address.rsplit(':').next().unwrap().to_owned();
        SoftKey {
            key: SigningKey::from_slice(&rand::random::<[u8; 32]>()).unwrap(),
            credential_id: rand::random::<[u8; 16]>().to_vec(),
            user_handle: Vec::new(),
            counter: 0,
            origin: format!("http://localhost:{port}"),
            rp_id: "localhost".to_owned(),
        }
    }

    fn client_data(&self, kind: &str, challenge: &str) -> Vec<u8> {
        json!({ "type": kind, "challenge": challenge, "origin": self.origin, "crossOrigin": false }).to_string().into_bytes()
    }

    fn auth_data(&mut self, attested: bool) -> Vec<u8> {
        self.counter += 1;
        let mut data = Sha256::digest(self.rp_id.as_bytes()).to_vec();
        // User present, user verified, and attested credential data when registering.
        data.push(0x01 | 0x04 | if attested { 0x40 } else { 0 });
        data.extend_from_slice(&self.counter.to_be_bytes());
        if attested {
            data.extend_from_slice(&[0u8; 16]);
            data.extend_from_slice(&(self.credential_id.len() as u16).to_be_bytes());
            data.extend_from_slice(&self.credential_id);
            data.extend_from_slice(&self.cose_key());
        }
        data
    }

    /// The public key as a COSE map {1: 2, 3: -7, -1: 1, -2: x, -3: y} in CBOR.
    fn cose_key(&self) -> Vec<u8> {
        let point = self.key.verifying_key().to_sec1_point(false);
        let xy = &point.as_bytes()[1..];
        let mut cbor = vec![0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21, 0x58, 32];
        cbor.extend_from_slice(&xy[..32]);
        cbor.extend_from_slice(&[0x22, 0x58, 32]);
        cbor.extend_from_slice(&xy[32..]);
        cbor
    }

    /// The answer to `navigator.credentials.create()` with these options.
    pub fn register(&mut self, options: &Value) -> Value {
        let public_key = &options["publicKey"];
        self.user_handle = B64.decode(public_key["user"]["id"].as_str().unwrap()).unwrap();
        let client_data = self.client_data("webauthn.create", public_key["challenge"].as_str().unwrap());
        let auth_data = self.auth_data(true);
        // {"fmt": "none", "attStmt": {}, "authData": bytes}
        let mut attestation = vec![0xa3, 0x63];
        attestation.extend_from_slice(b"fmt");
        attestation.extend_from_slice(&[0x64]);
        attestation.extend_from_slice(b"none");
        attestation.extend_from_slice(&[0x67]);
        attestation.extend_from_slice(b"attStmt");
        attestation.extend_from_slice(&[0xa0, 0x68]);
        attestation.extend_from_slice(b"authData");
        attestation.extend_from_slice(&[0x59]);
        attestation.extend_from_slice(&(auth_data.len() as u16).to_be_bytes());
        attestation.extend_from_slice(&auth_data);
        json!({
            "id": B64.encode(&self.credential_id),
            "rawId": B64.encode(&self.credential_id),
            "type": "public-key",
            "response": { "attestationObject": B64.encode(attestation), "clientDataJSON": B64.encode(client_data) },
        })
    }

    /// The answer to `navigator.credentials.get()` with these options.
    pub fn assert(&mut self, options: &Value) -> Value {
        let challenge = options["publicKey"]["challenge"].as_str().unwrap().to_owned();
        let client_data = self.client_data("webauthn.get", &challenge);
        let auth_data = self.auth_data(false);
        let mut signed = auth_data.clone();
        signed.extend_from_slice(&Sha256::digest(&client_data));
        let signature: Signature = self.key.sign(&signed);
        json!({
            "id": B64.encode(&self.credential_id),
            "rawId": B64.encode(&self.credential_id),
            "type": "public-key",
            "response": {
                "authenticatorData": B64.encode(auth_data),
                "clientDataJSON": B64.encode(client_data),
                "signature": B64.encode(signature.to_der().as_bytes()),
                "userHandle": B64.encode(&self.user_handle),
            },
        })
    }

    /// Sets the counter back, as a cloned authenticator would be.
    pub fn rewind(&mut self, by: u32) {
        self.counter = self.counter.saturating_sub(by);
    }
}

/// The CSRF token of a page of `browser`.
async fn token(app: &TestApp, browser: &Client, page: &str) -> String {
    csrf_token_in(&get_with(browser, &app.url(page)).await.text().await.unwrap()).expect("the page has a CSRF token")
}

/// POSTs for a ceremony's options: (ceremony id, options).
async fn start(app: &TestApp, browser: &Client, page: &str, action: &str) -> (String, Value) {
    let csrf = token(app, browser, page).await;
    let response = browser.post(app.url(action)).form(&[("csrf_token", csrf.as_str())]).send().await.unwrap();
    assert_eq!(response.status(), 200, "options from {action}");
    assert_eq!(response.headers().get("cache-control").unwrap(), "no-store");
    let body: Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    (body["ceremony"].as_str().unwrap().to_owned(), body["options"].clone())
}

async fn post_form(app: &TestApp, browser: &Client, page: &str, action: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let csrf = token(app, browser, page).await;
    let mut all = vec![("csrf_token", csrf.as_str())];
    all.extend_from_slice(fields);
    browser.post(app.url(action)).form(&all).send().await.unwrap()
}

/// Registers `key` for the agent signed in on `browser` under `name`.
pub async fn add_passkey(app: &TestApp, browser: &Client, key: &mut SoftKey, name: &str) -> reqwest::Response {
    let (ceremony, options) = start(app, browser, "/account/passkeys", "/account/passkeys/options").await;
    let credential = key.register(&options).to_string();
    post_form(app, browser, "/account/passkeys", "/account/passkeys", &[("name", name), ("ceremony", &ceremony), ("credential", &credential)]).await
}

/// Signs `email` in with the password, to the code step of a login.
async fn to_second_step(app: &TestApp, email: &str) -> Client {
    let browser = new_browser();
    let response = login_with(&browser, &app.address, email, PASSWORD).await;
    assert_eq!(location(&response), "/login/verify");
    browser
}

/// Answers the pending login's passkey step with `answer` (built from the options).
async fn answer_second_step(app: &TestApp, browser: &Client, answer: impl FnOnce(&Value) -> Value) -> reqwest::Response {
    let (ceremony, options) = start(app, browser, "/login/verify", "/login/verify/passkey").await;
    let credential = answer(&options).to_string();
    post_form(app, browser, "/login/verify", "/login/verify", &[("method", "passkey"), ("ceremony", &ceremony), ("credential", &credential)]).await
}

async fn passwordless(app: &TestApp, browser: &Client, answer: impl FnOnce(&Value) -> Value) -> reqwest::Response {
    let (ceremony, options) = start(app, browser, "/login", "/login/passkey/options").await;
    assert_eq!(options["mediation"], "conditional", "the login page's options serve the browser's passkey autofill");
    let credential = answer(&options).to_string();
    post_form(app, browser, "/login", "/login/passkey", &[("ceremony", &ceremony), ("credential", &credential)]).await
}

/// Every detail of the audit log.
async fn audit(app: &TestApp) -> Vec<String> {
    use agentgate::db::schema::audit_events;
    app.db(|conn| audit_events::table.select(audit_events::detail).load::<Option<String>>(conn).unwrap()).await.into_iter().flatten().collect()
}

async fn passkey_count(app: &TestApp, email: &str) -> (i32, String) {
    let email = email.to_owned();
    app.db(move |conn| {
        use agentgate::db::schema::agents;
        agents::table.filter(agents::email.eq(email)).select((agents::passkey_count, agents::two_factor)).first(conn).unwrap()
    })
    .await
}

/// An app whose admin has signed in (on `app.client`) and added `key`.
async fn admin_with_passkey() -> (TestApp, String, SoftKey) {
    let app = spawn_app().await;
    let email = app.complete_setup().await;
    app.login(&email, PASSWORD).await;
    let mut key = SoftKey::for_app(&app);
    let response = add_passkey(&app, &app.client, &mut key, "YubiKey 5").await;
    assert_eq!(response.status(), 200, "the first factor shows the first recovery codes");
    assert!(response.text().await.unwrap().contains("Recovery codes"));
    (app, email, key)
}

#[tokio::test]
async fn an_agent_adds_a_passkey_and_it_becomes_their_second_step() {
    let (app, email, mut key) = admin_with_passkey().await;
    assert_eq!(passkey_count(&app, &email).await, (1, "enabled".to_owned()), "a passkey turns 2FA on");
    let page = app.get("/account/passkeys").await.text().await.unwrap();
    assert!(page.contains("YubiKey 5") && page.contains("Never"), "named, and not used yet");
    assert!(audit(&app).await.iter().any(|d| d == "passkey \"YubiKey 5\" added"));

    // The next login asks for the passkey first, sends no email, and the passkey finishes it.
    let browser = to_second_step(&app, &email).await;
    let page = get_with(&browser, &app.url("/login/verify")).await.text().await.unwrap();
    assert!(page.contains("Use your passkey or security key"), "{page}");
    assert!(page.contains("data-passkey=\"second-factor\""));
    let response = answer_second_step(&app, &browser, |o| key.assert(o)).await;
    assert_eq!(location(&response), "/");
    let home = get_with(&browser, &app.url("/")).await.text().await.unwrap();
    assert!(home.contains("Welcome"), "signed in");
    let page = app.get("/account/passkeys").await.text().await.unwrap();
    assert!(!page.contains("Never"), "last used is recorded");
}

#[tokio::test]
async fn a_passkey_signs_in_without_a_password() {
    let (app, email, mut key) = admin_with_passkey().await;
    let browser = new_browser();
    let response = passwordless(&app, &browser, |o| key.assert(o)).await;
    assert_eq!(location(&response), "/");
    assert!(get_with(&browser, &app.url("/")).await.text().await.unwrap().contains("Welcome"));
    assert!(audit(&app).await.iter().any(|d| d == "passkey \"YubiKey 5\" without a password"));
    // A new browser: the agent is told.
    let subjects: Vec<String> = app
        .db(|conn| agentgate::db::schema::outbox::table.select(agentgate::db::schema::outbox::subject).load(conn).unwrap())
        .await;
    assert!(subjects.iter().any(|s| s.contains("signed in with a passkey")), "{subjects:?}");
    let _ = email;
}

#[tokio::test]
async fn answers_for_another_origin_or_relying_party_are_refused() {
    let (app, email, mut key) = admin_with_passkey().await;
    // A phishing page relays the ceremony: its origin is in the client data.
    key.origin = "http://localhost.evil.example".to_owned();
    let browser = new_browser();
    assert_eq!(location(&passwordless(&app, &browser, |o| key.assert(o)).await), "/login?notice=passkey_failed");
    key.origin = SoftKey::for_app(&app).origin;
    key.rp_id = "evil.example".to_owned();
    assert_eq!(location(&passwordless(&app, &browser, |o| key.assert(o)).await), "/login?notice=passkey_failed");
    // As a second step the failure counts like a wrong code (5 per login).
    let browser = to_second_step(&app, &email).await;
    let response = answer_second_step(&app, &browser, |o| key.assert(o)).await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("4 attempts left"));
    assert!(get_with(&browser, &app.url("/")).await.status().is_redirection(), "not signed in");
}

#[tokio::test]
async fn a_ceremony_is_used_once_and_expires() {
    let (app, email, mut key) = admin_with_passkey().await;
    let browser = new_browser();
    let (ceremony, options) = start(&app, &browser, "/login", "/login/passkey/options").await;
    let credential = key.assert(&options).to_string();
    let fields = [("ceremony", ceremony.as_str()), ("credential", credential.as_str())];
    assert_eq!(location(&post_form(&app, &browser, "/login", "/login/passkey", &fields).await), "/");
    // The same answer again (a replayed challenge), from another browser.
    let thief = new_browser();
    assert_eq!(location(&post_form(&app, &thief, "/login", "/login/passkey", &fields).await), "/login?notice=passkey_expired");

    // A ceremony answered after its 5 minutes.
    let late = new_browser();
    let (ceremony, options) = start(&app, &late, "/login", "/login/passkey/options").await;
    app.clock.advance(Duration::minutes(5) + Duration::seconds(1));
    let credential = key.assert(&options).to_string();
    let response = post_form(&app, &late, "/login", "/login/passkey", &[("ceremony", &ceremony), ("credential", &credential)]).await;
    assert_eq!(location(&response), "/login?notice=passkey_expired");
    let _ = email;
}

#[tokio::test]
async fn another_agents_or_another_companys_passkey_does_not_answer_a_login() {
    let (app, admin, mut admin_key) = admin_with_passkey().await;
    // Grace, an agent of the same company, with a passkey of her own.
    app.add_agent(&admin, "Grace Hopper", "grace@acme.test", Role::Agent).await;
    let grace = new_browser();
    login_with(&grace, &app.address, "grace@acme.test", PASSWORD).await;
    let mut grace_key = SoftKey::for_app(&app);
    add_passkey(&app, &grace, &mut grace_key, "Grace's key").await;

    // The admin's login, answered with Grace's passkey: refused and counted.
    let browser = to_second_step(&app, &admin).await;
    let response = answer_second_step(&app, &browser, |o| grace_key.assert(o)).await;
    assert_eq!(response.status(), 422);
    // Grace's key is still good for Grace, and the admin's for the admin.
    let response = answer_second_step(&app, &browser, |o| admin_key.assert(o)).await;
    assert_eq!(location(&response), "/");

    // A key registered in another company: its credential is not the admin's.
    let other = crate::agents_support::add_company(&app, "Globex", "hank@globex.test").await;
    let _ = other;
    let hank = new_browser();
    login_with(&hank, &app.address, "hank@globex.test", PASSWORD).await;
    let mut hank_key = SoftKey::for_app(&app);
    add_passkey(&app, &hank, &mut hank_key, "Hank's key").await;
    let browser = to_second_step(&app, &admin).await;
    let response = answer_second_step(&app, &browser, |o| hank_key.assert(o)).await;
    assert_eq!(response.status(), 422);
    // The same credential cannot be registered to a second account.
    let response = add_passkey(&app, &app.client, &mut hank_key, "Stolen").await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("registered already"));
}

#[tokio::test]
async fn a_counter_that_goes_backwards_is_refused() {
    let (app, _email, mut key) = admin_with_passkey().await;
    assert_eq!(location(&passwordless(&app, &new_browser(), |o| key.assert(o)).await), "/");
    key.rewind(2);
    assert_eq!(location(&passwordless(&app, &new_browser(), |o| key.assert(o)).await), "/login?notice=passkey_failed");
}

#[tokio::test]
async fn removing_a_passkey_needs_a_confirmed_identity_and_is_emailed() {
    let (app, email, _key) = admin_with_passkey().await;
    let id: String = app.db(|conn| agentgate::db::schema::passkeys::table.select(agentgate::db::schema::passkeys::id).first(conn).unwrap()).await;
    // Later than the step-up window, the removal asks who is there first.
    app.clock.advance(Duration::minutes(30));
    let response = post_form(&app, &app.client, "/account/settings", &format!("/account/passkeys/{id}/remove"), &[]).await;
    assert!(location(&response).starts_with("/account/confirm-identity"), "{}", location(&response));
    assert_eq!(passkey_count(&app, &email).await.0, 1, "nothing removed");

    // Signed in afresh (password and passkey), the removal goes through.
    let fresh = new_browser();
    let mut key = _key;
    let response = passwordless(&app, &fresh, |o| key.assert(o)).await;
    assert_eq!(location(&response), "/");
    let response = post_form(&app, &fresh, "/account/passkeys", &format!("/account/passkeys/{id}/remove"), &[]).await;
    assert_eq!(location(&response), "/account/passkeys?notice=passkey_removed");
    assert_eq!(passkey_count(&app, &email).await, (0, "disabled".to_owned()), "the last factor gone, 2FA is off");
    assert!(audit(&app).await.iter().any(|d| d == "passkey \"YubiKey 5\" removed"));
    // Another agent's passkey id is not found.
    let response = post_form(&app, &fresh, "/account/passkeys", "/account/passkeys/AAAAAAAAAAAAAAAAAAAAAA/remove", &[]).await;
    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn an_admins_reset_removes_the_agents_passkeys() {
    let app = spawn_app().await;
    let admin = app.complete_setup().await;
    app.login(&admin, PASSWORD).await;
    let bo = app.add_agent(&admin, "Bo Agent", "bo@acme.test", Role::Agent).await;
    let browser = new_browser();
    assert_eq!(location(&login_with(&browser, &app.address, "bo@acme.test", PASSWORD).await), "/");
    let mut key = SoftKey::for_app(&app);
    add_passkey(&app, &browser, &mut key, "Bo's key").await;
    assert_eq!(passkey_count(&app, "bo@acme.test").await, (1, "enabled".to_owned()));
    // The Agents tab: Bo is phishing-resistant, Ada (no factor) is not.
    let resistant = app.get("/agents?two_factor=phishing_resistant").await.text().await.unwrap();
    assert!(resistant.contains("bo@acme.test") && !resistant.contains("ada@acme.test"));
    assert!(resistant.contains("1 of 2 agents use a passkey or security key"));
    let not_resistant = app.get("/agents?two_factor=not_phishing_resistant").await.text().await.unwrap();
    assert!(!not_resistant.contains("bo@acme.test") && not_resistant.contains("ada@acme.test"));
    let csv = app.get("/agents.csv").await.text().await.unwrap();
    assert!(csv.lines().any(|l| l.starts_with("Bo Agent,") && l.ends_with(",1")), "{csv}");

    let response = app.submit_form(&format!("/agents/{bo}"), &format!("/agents/{bo}/reset-two-factor"), &[]).await;
    assert_eq!(response.status(), 303, "{}", location(&response));
    assert_eq!(passkey_count(&app, "bo@acme.test").await, (0, "disabled".to_owned()));
    let stored: i64 = app.db(|conn| agentgate::db::schema::passkeys::table.count().get_result(conn).unwrap()).await;
    assert_eq!(stored, 0);
    // The key no longer signs Bo in.
    assert_eq!(location(&passwordless(&app, &new_browser(), |o| key.assert(o)).await), "/login?notice=passkey_failed");
}

/// The outbox's rows: what the agent has been emailed.
async fn emails_queued(app: &TestApp) -> i64 {
    app.db(|conn| agentgate::db::schema::outbox::table.count().get_result(conn).unwrap()).await
}

#[tokio::test]
async fn confirming_it_is_you_takes_the_passkey_and_emails_no_code() {
    let (app, _email, mut key) = admin_with_passkey().await;
    app.clock.advance(Duration::minutes(30));
    let next = "/account/recovery-codes";
    let step_up = format!("/account/confirm-identity?next={}", next.replace('/', "%2F"));
    let page = app.get(&step_up).await.text().await.unwrap();
    assert!(page.contains("needs your password and your passkey or security key"), "{page}");

    let before = emails_queued(&app).await;
    let response = post_form(&app, &app.client, &step_up, "/account/confirm-identity", &[("current_password", PASSWORD), ("next", next)]).await;
    let code_step = location(&response);
    assert!(code_step.starts_with("/account/confirm-identity/code"), "{code_step}");
    assert_eq!(emails_queued(&app).await, before, "no code is emailed to an agent who has a passkey");
    let page = app.get(&code_step).await.text().await.unwrap();
    assert!(page.contains("Use your passkey or security key"), "{page}");
    assert!(page.contains("data-options-url=\"/account/confirm-identity/passkey\""), "{page}");
    assert!(!page.contains("Email me a code instead"), "email is not one of this agent's factors");

    // An answer for another relying party counts as a wrong code, and confirms nothing.
    key.rp_id = "evil.example".to_owned();
    let (ceremony, options) = start(&app, &app.client, &code_step, "/account/confirm-identity/passkey").await;
    let credential = key.assert(&options).to_string();
    key.rp_id = SoftKey::for_app(&app).rp_id;
    let fields = [("method", "passkey"), ("ceremony", ceremony.as_str()), ("credential", credential.as_str()), ("next", next)];
    let response = post_form(&app, &app.client, &code_step, "/account/confirm-identity/code", &fields).await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("4 attempts left"));
    // Nor does a passwordless sign-in's ceremony, answered by the right key.
    let (ceremony, options) = start(&app, &app.client, "/account/settings", "/login/passkey/options").await;
    let credential = key.assert(&options).to_string();
    let fields = [("method", "passkey"), ("ceremony", ceremony.as_str()), ("credential", credential.as_str()), ("next", next)];
    let response = post_form(&app, &app.client, &code_step, "/account/confirm-identity/code", &fields).await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("3 attempts left"));
    let response = app.submit_form("/account/recovery-codes", "/account/recovery-codes", &[]).await;
    assert!(location(&response).starts_with("/account/confirm-identity"), "still unconfirmed");

    // The step's own ceremony, answered by the agent's key: confirmed.
    let (ceremony, options) = start(&app, &app.client, &code_step, "/account/confirm-identity/passkey").await;
    let credential = key.assert(&options).to_string();
    let fields = [("method", "passkey"), ("ceremony", ceremony.as_str()), ("credential", credential.as_str()), ("next", next)];
    let response = post_form(&app, &app.client, &code_step, "/account/confirm-identity/code", &fields).await;
    assert_eq!(location(&response), next);
    assert!(audit(&app).await.iter().any(|d| d == "password and passkey"));
    assert_eq!(app.submit_form("/account/recovery-codes", "/account/recovery-codes", &[]).await.status(), 200, "identity confirmed");
    // The ceremony is used up: the same answer again confirms nothing more.
    let response = post_form(&app, &app.client, "/account/settings", "/account/confirm-identity/code", &fields).await;
    assert!(location(&response).starts_with("/account/confirm-identity"), "{}", location(&response));
}
