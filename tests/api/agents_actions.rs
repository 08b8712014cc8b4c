//! What an admin does to one agent: deactivate, reactivate, reset 2FA, change
//! the role; each behind a confirmation page, audited, with its effects; and
//! the rule that a company always keeps an admin who can sign in.

use agentgate::domain::Role;
use chrono::Duration;

use crate::agents_support::*;
use crate::helpers::{PASSWORD, location, login_with, new_browser, submit_form_with};

#[tokio::test]
async fn each_action_asks_for_confirmation_first() {
    let app = admin_app().await;
    let bo = app.add_agent(ADMIN_EMAIL, "Bo Agent", "bo@acme.test", Role::Agent).await;

    // With 2FA off there is nothing to reset: no button, and the page (or a
    // forged post) says so without emailing Bo.
    let detail = app.get(&format!("/agents/{bo}")).await.text().await.unwrap();
    assert!(!detail.contains("reset-two-factor"), "no reset for an agent whose 2FA is off");
    let page = app.get(&format!("/agents/{bo}/reset-two-factor")).await;
    assert_eq!(page.status(), 409);
    let page = page.text().await.unwrap();
    assert!(page.contains("Two-factor authentication is already off for Bo Agent: there is nothing to reset."));
    assert!(!page.contains(">Reset two-factor authentication</button>"));
    let forged = app.submit_form(&format!("/agents/{bo}"), &format!("/agents/{bo}/reset-two-factor"), &[]).await;
    assert_eq!(forged.status(), 409);
    assert_eq!(audit_details(&app, "two_factor_reset").await.len(), 0, "nothing reset, nobody emailed");

    set_two_factor(&app, &bo, "enabled").await;
    let detail = app.get(&format!("/agents/{bo}")).await.text().await.unwrap();
    for action in ["deactivate", "reset-two-factor"] {
        assert!(detail.contains(&format!("href=\"/agents/{bo}/{action}\"")), "{action}");
    }
    for (action, heading, button) in [
        ("deactivate", "Deactivate Bo Agent?", ">Deactivate</button>"),
        ("reset-two-factor", "Reset two-factor authentication for Bo Agent?", ">Reset two-factor authentication</button>"),
        ("reactivate", "Reactivate Bo Agent?", ">Reactivate</button>"),
    ] {
        let page = app.get(&format!("/agents/{bo}/{action}")).await;
        assert_eq!(page.status(), 200);
        let page = page.text().await.unwrap();
        assert!(page.contains(heading), "{action}");
        assert!(page.contains(button), "{action}");
        assert!(page.contains(&format!("action=\"/agents/{bo}/{action}\"")), "{action}");
        assert!(page.contains(&format!("href=\"/agents/{bo}\">Cancel")), "{action}");
    }
    // Opening a confirmation page changes nothing.
    assert!(agent(&app, &bo).await.active);
    // And a POST without the page's CSRF token is refused.
    assert_eq!(app.post_raw(&format!("/agents/{bo}/deactivate"), &[]).await.status(), 403);
    assert!(agent(&app, &bo).await.active);
}

#[tokio::test]
async fn deactivation_ends_sessions_forgets_computers_and_stops_logins_until_reactivated() {
    let app = admin_app().await;
    let bo = app.add_agent(ADMIN_EMAIL, "Bo Agent", "bo@acme.test", Role::Agent).await;
    trust_computer(&app, &bo, Duration::days(30)).await;
    trust_computer(&app, &bo, Duration::days(10)).await;
    let laptop = new_browser();
    let phone = new_browser();
    assert_eq!(login_with(&laptop, &app.address, "bo@acme.test", PASSWORD).await.status(), 303);
    assert_eq!(login_with(&phone, &app.address, "bo@acme.test", PASSWORD).await.status(), 303);
    assert_eq!(sessions_of(&app, &bo).await, 2);

    let response = app.submit_form(&format!("/agents/{bo}/deactivate"), &format!("/agents/{bo}/deactivate"), &[]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), format!("/agents/{bo}?notice=deactivated"));
    let detail = app.get(&location(&response)).await.text().await.unwrap();
    assert!(detail.contains("The agent was deactivated"));
    assert!(detail.contains(">Deactivated<"));

    // At once: no session, no trusted computer, no login.
    assert_eq!(sessions_of(&app, &bo).await, 0);
    assert_eq!(trusted_computer_rows(&app, &bo).await, 0);
    assert_eq!(laptop.get(app.url("/")).send().await.unwrap().status(), 303, "the open session is gone");
    assert_eq!(login_with(&new_browser(), &app.address, "bo@acme.test", PASSWORD).await.status(), 401);
    assert!(text_of(&app.get("/agents").await.text().await.unwrap()).contains("Bo Agent bo@acme.test Agent Disabled 0"));

    // Reactivated, Bo logs in again with his password.
    let response = app.submit_form(&format!("/agents/{bo}/reactivate"), &format!("/agents/{bo}/reactivate"), &[]).await;
    assert_eq!(location(&response), format!("/agents/{bo}?notice=reactivated"));
    assert!(agent(&app, &bo).await.active);
    assert_eq!(login_with(&new_browser(), &app.address, "bo@acme.test", PASSWORD).await.status(), 303);

    let events = audit_of(&app, &bo).await;
    assert!(events.contains(&"agent_deactivated".to_owned()) && events.contains(&"agent_reactivated".to_owned()), "{events:?}");
    let company = company_of(&app, ADMIN_EMAIL).await;
    assert_counters_match(&app, &company).await;
}

#[tokio::test]
async fn resetting_two_factor_turns_it_off_forgets_computers_and_emails_the_agent() {
    let app = admin_app().await;
    let bo = app.add_agent(ADMIN_EMAIL, "Bo Agent", "bo@acme.test", Role::Agent).await;
    let session = new_browser();
    login_with(&session, &app.address, "bo@acme.test", PASSWORD).await;
    // Bo has 2FA on (as if confirmed) and a trusted computer.
    set_two_factor(&app, &bo, "enabled").await;
    trust_computer(&app, &bo, Duration::days(30)).await;

    let response = app.submit_form(&format!("/agents/{bo}/reset-two-factor"), &format!("/agents/{bo}/reset-two-factor"), &[]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), format!("/agents/{bo}?notice=two_factor_reset"));

    let after = agent(&app, &bo).await;
    assert_eq!(after.two_factor, agentgate::domain::TwoFactorStatus::Disabled);
    assert!(after.active);
    assert_eq!(trusted_computer_rows(&app, &bo).await, 0);
    // Sessions are not ended by a reset (SPEC §2.4 names only 2FA and trusted computers).
    assert_eq!(session.get(app.url("/")).send().await.unwrap().status(), 200);

    let emails = emails_to(&app, "bo@acme.test").await;
    assert_eq!(emails.len(), 1);
    assert_eq!(emails[0].kind, "security_notice");
    assert_eq!(emails[0].subject, "AgentGate: your two-factor authentication was reset");
    assert!(emails[0].text.contains("Ada Admin, an admin of Acme Support, turned off two-factor authentication for your account"), "{}", emails[0].text);
    assert!(emails[0].html.contains("your trusted computers were forgotten"));
    assert!(audit_of(&app, &bo).await.contains(&"two_factor_reset".to_owned()));
}

#[tokio::test]
async fn the_last_admin_can_be_neither_deactivated_nor_demoted() {
    let app = admin_app().await;
    let ada = agent_id_of(&app, ADMIN_EMAIL).await;

    // Alone, Ada cannot deactivate or demote herself.
    let refused = app.submit_form(&format!("/agents/{ada}/deactivate"), &format!("/agents/{ada}/deactivate"), &[]).await;
    assert_eq!(refused.status(), 409);
    assert!(refused.text().await.unwrap().contains("Ada Admin is the last active admin of the company."));
    let refused = app.submit_form(&format!("/agents/{ada}"), &format!("/agents/{ada}/role"), &[("role", "agent")]).await;
    assert_eq!(refused.status(), 409);
    assert!(refused.text().await.unwrap().contains("is the last active admin"));
    let ada_now = agent(&app, &ada).await;
    assert!(ada_now.active && ada_now.is_admin());

    // An invited admin, who cannot sign in yet, does not count.
    app.submit_form("/agents/new", "/agents/new", &[("name", "Ivy Invited"), ("email", "ivy@acme.test"), ("role", "admin")]).await;
    let refused = app.submit_form(&format!("/agents/{ada}/deactivate"), &format!("/agents/{ada}/deactivate"), &[]).await;
    assert_eq!(refused.status(), 409);

    // A second admin who can sign in: now Ada may step down...
    let bo = app.add_agent(ADMIN_EMAIL, "Bo Agent", "bo@acme.test", Role::Agent).await;
    let promoted = app.submit_form(&format!("/agents/{bo}"), &format!("/agents/{bo}/role"), &[("role", "admin")]).await;
    assert_eq!(location(&promoted), format!("/agents/{bo}?notice=role_changed"));
    assert!(agent(&app, &bo).await.is_admin());
    assert!(audit_of(&app, &bo).await.contains(&"role_changed".to_owned()));

    let demoted = app.submit_form(&format!("/agents/{ada}"), &format!("/agents/{ada}/role"), &[("role", "agent")]).await;
    assert_eq!(demoted.status(), 303);
    assert_eq!(location(&demoted), "/");
    assert!(!agent(&app, &ada).await.is_admin());
    assert_eq!(app.get("/agents").await.status(), 403, "the role is read on every request");

    // ...and Bo, now the last admin, cannot deactivate himself either.
    let bo_browser = new_browser();
    login_with(&bo_browser, &app.address, "bo@acme.test", PASSWORD).await;
    let refused = submit_form_with(&bo_browser, &app.address, &format!("/agents/{bo}/deactivate"), &format!("/agents/{bo}/deactivate"), &[]).await;
    assert_eq!(refused.status(), 409);
    // He can deactivate Ada, a plain agent now.
    let done = submit_form_with(&bo_browser, &app.address, &format!("/agents/{ada}/deactivate"), &format!("/agents/{ada}/deactivate"), &[]).await;
    assert_eq!(done.status(), 303);
    assert!(!agent(&app, &ada).await.active);
}

#[tokio::test]
async fn an_admin_who_deactivates_themselves_is_signed_out() {
    let app = admin_app().await;
    let ada = agent_id_of(&app, ADMIN_EMAIL).await;
    let bo = app.add_agent(ADMIN_EMAIL, "Bo Second", "bo@acme.test", Role::Admin).await;
    let response = app.submit_form(&format!("/agents/{ada}/deactivate"), &format!("/agents/{ada}/deactivate"), &[]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/login");
    assert_eq!(app.get("/agents").await.status(), 303);
    assert!(!agent(&app, &ada).await.active);
    assert!(agent(&app, &bo).await.active);
}

#[tokio::test]
async fn a_bad_role_or_agent_id_is_refused() {
    let app = admin_app().await;
    let ada = agent_id_of(&app, ADMIN_EMAIL).await;
    let response = app.submit_form(&format!("/agents/{ada}"), &format!("/agents/{ada}/role"), &[("role", "owner")]).await;
    assert_eq!(response.status(), 400);
    for path in ["/agents/nope", "/agents/AAAAAAAAAAAAAAAAAAAAAA", "/agents/%27%20OR%201%3D1", "/agents/AAAAAAAAAAAAAAAAAAAAAA/deactivate"] {
        assert_eq!(app.get(path).await.status(), 404, "{path}");
    }
}
