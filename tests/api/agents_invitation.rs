//! Adding an agent: the invitation email, choosing a password through its
//! single-use link, logging in; resending; refusals.

use chrono::Duration;

use crate::agents_support::*;
use crate::helpers::{PASSWORD, location, new_browser, submit_form_with};
use crate::two_factor_steps::spawn_app_with_smtp;

const NEW_PASSWORD: &str = "a brand new long passphrase";

#[tokio::test]
async fn an_invited_agent_chooses_a_password_and_logs_in() {
    // Through a real SMTP server, as in production.
    let (app, smtp) = spawn_app_with_smtp().await;
    let admin = app.complete_setup().await;
    assert_eq!(app.login(&admin, PASSWORD).await.status(), 303);
    let form = app.get("/agents/new").await.text().await.unwrap();
    assert!(form.contains("name=\"name\"") && form.contains("name=\"email\"") && form.contains("name=\"role\""));

    // The admin adds Bo.
    let response = app
        .submit_form("/agents/new", "/agents/new", &[("name", "Bo Builder"), ("email", " Bo@Acme.TEST "), ("role", "agent")])
        .await;
    assert_eq!(response.status(), 303);
    let bo = agent_id_of(&app, "bo@acme.test").await;
    assert_eq!(location(&response), format!("/agents/{bo}?notice=invited"));
    let detail = app.get(&location(&response)).await.text().await.unwrap();
    assert!(detail.contains("emailed an invitation link"));
    assert!(detail.contains("Resend invitation"));

    // Bo exists without a password, in the admin's company, shown as invited.
    let stored = agent(&app, &bo).await;
    assert!(stored.password_hash.is_none() && stored.active);
    assert_eq!(stored.company_id, company_of(&app, ADMIN_EMAIL).await, "added to the admin's own company");
    let table = app.get("/agents").await.text().await.unwrap();
    assert!(text_of(&table).contains("Bo Builder bo@acme.test Agent Disabled 0 Never Invited"), "{}", text_of(&table));

    // The invitation arrives, in text and HTML, with its link.
    let email = smtp.expect_email("bo@acme.test", "You are invited to the Acme Support helpdesk on AgentGate").await;
    assert!(email.text.contains("Ada Admin invited you to sign in to the Acme Support helpdesk"), "{}", email.text);
    assert!(email.text.contains("Your login name is bo@acme.test."));
    let url = email.link_containing("/invitation?token=");
    assert!(email.html.contains(&url), "{}", email.html);
    let link = url.trim_start_matches(&app.address).to_owned();
    let token = link.split("token=").nth(1).unwrap().to_owned();
    assert!(token.len() >= 43);
    // Only a hash of the token is stored.
    let stored_hash: String = app
        .db(|conn| {
            use diesel::prelude::*;
            agentgate::db::schema::invitations::table.select(agentgate::db::schema::invitations::token_hash).first(conn).unwrap()
        })
        .await;
    assert_ne!(stored_hash, token);

    // Bo opens the link in his own browser and chooses a password.
    let browser = new_browser();
    let page = browser.get(&url).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(page.contains("Welcome, Bo Builder"));
    assert!(page.contains("bo@acme.test"));

    // The password rules apply.
    let weak = submit_form_with(&browser, &app.address, &link, "/invitation", &[("token", &token), ("password", "short"), ("password_confirm", "short")]).await;
    assert_eq!(weak.status(), 422);
    assert!(weak.text().await.unwrap().contains("at least 15 characters"));
    let mismatch = submit_form_with(&browser, &app.address, &link, "/invitation", &[("token", &token), ("password", NEW_PASSWORD), ("password_confirm", "something else entirely")]).await;
    assert_eq!(mismatch.status(), 422);

    let accepted = submit_form_with(&browser, &app.address, &link, "/invitation", &[("token", &token), ("password", NEW_PASSWORD), ("password_confirm", NEW_PASSWORD)]).await;
    assert_eq!(accepted.status(), 303);
    assert_eq!(location(&accepted), "/login?notice=invitation_accepted&email=bo%40acme%2Etest");
    let login_page = browser.get(app.url(&location(&accepted))).send().await.unwrap().text().await.unwrap();
    assert!(login_page.contains("Your password is set."));
    // The server knows the address: it is filled in, and the password field has the focus.
    assert!(login_page.contains("value=\"bo@acme.test\""), "the email is filled in");

    // And logs in.
    let login = crate::helpers::login_with(&browser, &app.address, "bo@acme.test", NEW_PASSWORD).await;
    assert_eq!(location(&login), "/");
    let home = browser.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(home.contains("Bo Builder"));

    // The link was single use.
    assert_eq!(browser.get(&url).send().await.unwrap().status(), 400);
    let again = submit_form_with(&new_browser(), &app.address, "/login", "/invitation", &[("token", &token), ("password", NEW_PASSWORD), ("password_confirm", NEW_PASSWORD)]).await;
    assert_eq!(again.status(), 400);

    // The admin now sees Bo as active.
    let table = text_of(&app.get("/agents").await.text().await.unwrap());
    assert!(table.contains("Bo Builder bo@acme.test Agent Disabled 0"), "{table}");
    assert!(!table.contains("Invited"));
    let events = audit_of(&app, &bo).await;
    for event in ["agent_added", "invitation_sent", "invitation_accepted", "login_succeeded"] {
        assert!(events.contains(&event.to_owned()), "{event} in {events:?}");
    }
}

#[tokio::test]
async fn an_admin_can_be_invited_too() {
    let app = admin_app().await;
    app.submit_form("/agents/new", "/agents/new", &[("name", "Cy Chief"), ("email", "cy@acme.test"), ("role", "admin")]).await;
    let cy = agent_id_of(&app, "cy@acme.test").await;
    assert!(agent(&app, &cy).await.is_admin());
}

#[tokio::test]
async fn resending_an_invitation_kills_the_old_link() {
    let app = admin_app().await;
    app.submit_form("/agents/new", "/agents/new", &[("name", "Bo Builder"), ("email", "bo@acme.test"), ("role", "agent")]).await;
    let bo = agent_id_of(&app, "bo@acme.test").await;
    let first = link_path(&emails_to(&app, "bo@acme.test").await[0].text, "/invitation?token=");

    // Six days later the admin resends it.
    app.clock.advance(Duration::days(6));
    app.login(ADMIN_EMAIL, PASSWORD).await;
    let response = app.submit_form(&format!("/agents/{bo}"), &format!("/agents/{bo}/resend-invitation"), &[]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), format!("/agents/{bo}?notice=invitation_resent"));
    let emails = emails_to(&app, "bo@acme.test").await;
    assert_eq!(emails.len(), 2);
    let second = link_path(&emails[1].text, "/invitation?token=");
    assert_ne!(first, second);

    let browser = new_browser();
    assert_eq!(browser.get(app.url(&first)).send().await.unwrap().status(), 400, "the old link is dead");
    assert_eq!(browser.get(app.url(&second)).send().await.unwrap().status(), 200);

    // The new link lasts 7 days from the resend.
    app.clock.advance(Duration::days(7) - Duration::minutes(1));
    assert_eq!(browser.get(app.url(&second)).send().await.unwrap().status(), 200);
    app.clock.advance(Duration::minutes(2));
    let expired = browser.get(app.url(&second)).send().await.unwrap();
    assert_eq!(expired.status(), 400);
    assert!(expired.text().await.unwrap().contains("Ask your admin to send a new invitation"));

    // The table says the link expired; an active agent cannot be re-invited.
    app.login(ADMIN_EMAIL, PASSWORD).await;
    assert!(app.get("/agents").await.text().await.unwrap().contains("Invited (no valid link)"));
    let admin = agent_id_of(&app, ADMIN_EMAIL).await;
    let refused = app.submit_form(&format!("/agents/{bo}"), &format!("/agents/{admin}/resend-invitation"), &[]).await;
    assert_eq!(refused.status(), 400);
    assert!(refused.text().await.unwrap().contains("has already chosen a password"));
}

#[tokio::test]
async fn an_email_in_use_anywhere_is_refused_and_nothing_changes() {
    let app = admin_app().await;
    add_company(&app, "Other Co", "zed@other.test").await;
    let before = app.db(|conn| {
        use diesel::prelude::*;
        agentgate::db::schema::agents::table.count().get_result::<i64>(conn).unwrap()
    });
    let before = before.await;

    for email in ["ADA@acme.test", "zed@other.test"] {
        let response = app.submit_form("/agents/new", "/agents/new", &[("name", "Dup Licate"), ("email", email), ("role", "agent")]).await;
        assert_eq!(response.status(), 422, "{email}");
        let page = response.text().await.unwrap();
        assert!(page.contains("An account with that email address already exists."), "{email}");
        assert!(page.contains("value=\"Dup Licate\""), "the form keeps what was typed");
    }
    for (name, email, role, message) in [
        ("", "new@acme.test", "agent", "Name: Enter a name."),
        ("Newbie", "not-an-email", "agent", "Email: Enter a valid email address"),
        ("Newbie", "new@acme.test", "owner", "Role: choose Agent or Admin."),
    ] {
        let response = app.submit_form("/agents/new", "/agents/new", &[("name", name), ("email", email), ("role", role)]).await;
        assert_eq!(response.status(), 422);
        assert!(response.text().await.unwrap().contains(message), "{message}");
    }
    let after = app.db(|conn| {
        use diesel::prelude::*;
        agentgate::db::schema::agents::table.count().get_result::<i64>(conn).unwrap()
    });
    assert_eq!(after.await, before);
    assert!(emails_to(&app, "zed@other.test").await.is_empty());
    assert!(emails_to(&app, "new@acme.test").await.is_empty());

    // Without a CSRF token nothing happens either.
    let forged = app.post_raw("/agents/new", &[("name", "Forged"), ("email", "forged@acme.test"), ("role", "admin")]).await;
    assert_eq!(forged.status(), 403);
}

#[tokio::test]
async fn an_invitation_link_without_a_valid_token_is_refused() {
    let app = admin_app().await;
    for path in ["/invitation", "/invitation?token=", "/invitation?token=nonsense"] {
        assert_eq!(app.get(path).await.status(), 400, "{path}");
    }
    // A deactivated invitee's link dies with the deactivation.
    app.submit_form("/agents/new", "/agents/new", &[("name", "Bo Builder"), ("email", "bo@acme.test"), ("role", "agent")]).await;
    let bo = agent_id_of(&app, "bo@acme.test").await;
    let link = link_path(&emails_to(&app, "bo@acme.test").await[0].text, "/invitation?token=");
    app.submit_form(&format!("/agents/{bo}/deactivate"), &format!("/agents/{bo}/deactivate"), &[]).await;
    let dead = new_browser().get(app.url(&link)).send().await.unwrap();
    assert_eq!(dead.status(), 400);
    let page = dead.text().await.unwrap();
    assert!(page.contains("This link no longer works") && page.contains("Ask your admin to send a new invitation"), "{page}");
    // Reactivated, they need a new invitation.
    app.submit_form(&format!("/agents/{bo}/reactivate"), &format!("/agents/{bo}/reactivate"), &[]).await;
    let response = app.submit_form(&format!("/agents/{bo}"), &format!("/agents/{bo}/resend-invitation"), &[]).await;
    assert_eq!(response.status(), 303);
    let fresh = link_path(&emails_to(&app, "bo@acme.test").await[1].text, "/invitation?token=");
    assert_eq!(new_browser().get(app.url(&fresh)).send().await.unwrap().status(), 200);
}
