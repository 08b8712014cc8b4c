//! The finish of the pages (issue 22), measured in Chromium: hidden fields
//! stay hidden, the Agents tab fits every width with long names, deactivated
//! agents and the policy on (cards on a phone), Account Setting's sections
//! each have their own button clear of the next card, and badges and dates
//! stay on one line at a laptop's width.

use chrono::Duration;
use serde_json::Value;

use crate::agents_support::{Seed, agent_id_of, emails_to, link_path, seed_agents, set_two_factor};
use crate::helpers::{PASSWORD, TestApp, spawn_app};

use super::harness::{Browser, browser_test};

const WIDTHS: [u32; 5] = [320, 390, 768, 1280, 1920];

/// How many lines `selector`'s elements' text takes, the most of them.
async fn most_lines(browser: &Browser, selector: &str) -> u64 {
    let script = format!(
        "return Math.max(0, ...Array.from(document.querySelectorAll({selector:?})).map(el => {{ \
           const r = document.createRange(); r.selectNodeContents(el); \
           return new Set(Array.from(r.getClientRects()).map(rect => Math.round(rect.top))).size; }}))"
    );
    browser.client().execute(&script, vec![]).await.expect("measuring lines").as_u64().unwrap_or(0)
}

/// Every `.table-wrap` shows its whole table (no scrolling inside it).
async fn assert_tables_fit(browser: &Browser, width: u32) {
    let overflow = browser
        .client()
        .execute("return Array.from(document.querySelectorAll('.table-wrap')).map(w => w.scrollWidth - w.clientWidth)", vec![])
        .await
        .expect("table widths");
    for extra in overflow.as_array().cloned().unwrap_or_default() {
        assert!(extra.as_i64().unwrap_or(0) <= 0, "a table scrolls sideways by {extra} px at {width} px on {}", browser.path().await);
    }
}

async fn company_of(app: &TestApp, email: &str) -> String {
    let email = email.to_owned();
    app.db(move |conn| {
        use agentgate::db::schema::agents;
        use diesel::prelude::*;
        agents::table.filter(agents::email.eq(email)).select(agents::company_id).first::<String>(conn).unwrap()
    })
    .await
}

#[tokio::test]
async fn the_agents_tab_fits_every_width_and_is_cards_on_a_phone() {
    browser_test("finish_agents_tab", |browser| async move {
        let app = spawn_app().await;
        let email = app.complete_setup().await;
        let company = company_of(&app, &email).await;
        let now = app.clock_now();
        seed_agents(
            &app,
            &company,
            vec![
                Seed::new("Maximiliana Alexandrina Wolfeschlegelsteinhausenberger-Montgomery", "maximiliana.alexandrina.wolfeschlegelsteinhausenberger@acme-support-international.test")
                    .two_factor("enabled")
                    .last_login(now - Duration::hours(3)),
                Seed::new("Ken Thompson", "ken@acme.test").two_factor("enabled").deactivated(),
                Seed::new("Grace Hopper", "grace@acme.test").two_factor("pending").last_login(now - Duration::days(2)),
                Seed::new("Radia Perlman", "radia@acme.test").invited(),
            ],
        )
        .await;
        browser.log_in(&app, &email, PASSWORD).await;
        // The admin has 2FA, so the policy keeps the tab open to her.
        set_two_factor(&app, &agent_id_of(&app, &email).await, "enabled").await;
        // The policy on: "Not compliant" tags in the table.
        browser.visit(&app, "/agents").await;
        browser.click("#require_two_factor").await;
        browser.click_and_load("Save policy").await;

        browser.visit(&app, "/agents").await;
        browser.wait_for_text("tbody", "Not compliant").await;
        for width in WIDTHS {
            browser.resize(width, 900).await;
            browser.assert_no_horizontal_scroll().await;
            assert_tables_fit(&browser, width).await;
            browser.screenshot(&format!("finish-agents-{width}")).await;
        }
        // At a laptop's width, badges, dates and ordinary names take one line.
        browser.resize(1280, 900).await;
        assert_eq!(most_lines(&browser, "tbody .badge").await, 1, "a badge wraps");
        assert_eq!(most_lines(&browser, "tbody td.nowrap").await, 1, "a date wraps");
        assert_eq!(most_lines(&browser, "tbody td.status").await, 1, "a status wraps (\"Deactivated\")");
        // Sortable headers say so; dates sort newest first on the first click.
        assert_eq!(browser.text("thead th:nth-child(1) .sort-arrow").await, "▲");
        assert_eq!(browser.text("thead th:nth-child(2) .sort-arrow").await, "↕");
        browser.mark_page().await;
        browser.click("thead th:nth-child(6) a").await;
        browser.wait_for_new_page().await;
        assert!(browser.path().await.contains("sort=-last_login"), "{}", browser.path().await);
        // Ada signed in just now, Maximiliana three hours ago.
        assert_eq!(browser.text("tbody tr:nth-child(1) td.name").await, "Ada Admin", "the latest login first");
        assert!(browser.text("tbody tr:nth-child(2) td.name").await.starts_with("Maximiliana"));

        // A phone: each agent is a card whose name, email and 2FA status are in view.
        browser.resize(320, 900).await;
        let outside: Value = browser
            .client()
            .execute(
                "return Array.from(document.querySelectorAll('tbody td.name, tbody td.email, tbody .badge')).filter(el => { \
                   const r = el.getBoundingClientRect(); return r.left < 0 || r.right > window.innerWidth; }).length",
                vec![],
            )
            .await
            .expect("measuring cards");
        assert_eq!(outside.as_u64(), Some(0), "a name, email or badge is outside a 320 px screen");
    })
    .await;
}

#[tokio::test]
async fn account_setting_saves_each_section_on_its_own_and_hidden_fields_stay_hidden() {
    browser_test("finish_account_setting", |browser| async move {
        let app = spawn_app().await;
        let email = app.complete_setup().await;
        browser.log_in(&app, &email, PASSWORD).await;
        browser.visit(&app, "/account/settings").await;
        for width in [390, 1280] {
            browser.resize(width, 900).await;
            browser.assert_no_horizontal_scroll().await;
            // Each section's button sits inside its own card, clear of the next one.
            let gaps: Value = browser
                .client()
                .execute(
                    "return Array.from(document.querySelectorAll('main .card')).slice(0, -1).map(card => { \
                       const next = card.nextElementSibling; const button = card.querySelector('button[type=submit]'); \
                       return button && next ? next.getBoundingClientRect().top - button.getBoundingClientRect().bottom : 99; })",
                    vec![],
                )
                .await
                .expect("measuring gaps");
            for gap in gaps.as_array().cloned().unwrap_or_default() {
                assert!(gap.as_f64().unwrap_or(0.0) >= 16.0, "a button touches the next card ({gap} px) at {width} px");
            }
        }
        assert_eq!(most_lines(&browser, "main .badge").await, 1, "a badge wraps on Account Setting");
        assert_tables_fit(&browser, 1280).await;
        assert_eq!(most_lines(&browser, "#sign-ins-heading ~ .table-wrap td:first-child").await, 1, "a sign-in time wraps");
        // The name saves on its own, and the seed's path still turns 2FA on.
        browser.fill("#name", "Ada Lovelace").await;
        browser.click_and_load("Save profile").await;
        browser.wait_for_text("[role=status]", "Your settings were updated.").await;
        browser.wait_for_text("#two-factor-status", "Off").await;
        browser.click("#two_factor_enabled").await;
        browser.click_and_load("Update").await;
        browser.wait_for_path("/account/two-factor/confirm").await;

        // The reset page's email field (for password managers) is not shown.
        browser.log_out().await;
        browser.visit(&app, "/password/forgot").await;
        browser.fill("#email", &email).await;
        browser.click_and_load("Email me a link").await;
        let link = link_path(&emails_to(&app, &email).await.last().expect("the reset email").text, "/password/reset?token=");
        browser.visit(&app, &link).await;
        browser.wait_for_text("h1", "password").await;
        let shown: Value = browser
            .client()
            .execute("return Array.from(document.querySelectorAll('input[hidden]')).filter(el => el.offsetWidth > 0 || el.offsetHeight > 0).length", vec![])
            .await
            .expect("hidden inputs");
        assert_eq!(shown.as_u64(), Some(0), "a hidden field is visible on the reset page");
    })
    .await;
}

/// The tops of two elements, to see whether they line up.
async fn top_of(browser: &Browser, selector: &str) -> f64 {
    browser.find(selector).await.rectangle().await.expect("a box").1
}

#[tokio::test]
async fn the_smaller_finishes_of_issue_22() {
    browser_test("finish_smaller", |browser| async move {
        let app = spawn_app().await;
        // Before the setup, the login page points at the printed link instead of a form.
        browser.visit(&app, "/").await;
        browser.wait_for_text("#setup-pending", "printed a setup link").await;
        assert!(!browser.exists("#password").await, "no login form that cannot work");
        // After it, the login page knows the email.
        let email = browser.complete_setup(&app, PASSWORD).await;
        assert_eq!(browser.value("#email").await, email, "the email is filled in after setup");
        browser.log_in(&app, &email, PASSWORD).await;

        // The home page says the agent's own 2FA status.
        browser.wait_for_text("#own-two-factor", "Disabled").await;
        assert!(browser.text("#own-two-factor").await.contains("Turn it on"));

        // The Agents tab's two filter labels line up.
        browser.visit(&app, "/agents").await;
        browser.resize(1280, 900).await;
        let (search, filter) = (top_of(&browser, "label[for=q]").await, top_of(&browser, "label[for=two_factor]").await);
        assert!((search - filter).abs() < 1.0, "filter labels {search} and {filter} do not line up");

        // An invitation: its link is clickable in /dev/mailbox.
        browser.click_and_load("Add agent").await;
        browser.fill("#name", "Eve Newcomer").await;
        browser.fill("#email", "eve@acme.test").await;
        browser.click_and_load("Add agent and send invitation").await;
        browser.visit(&app, "/dev/mailbox").await;
        let link = browser.find(".mailbox-link a").await;
        let href = link.attr("href").await.unwrap().unwrap_or_default();
        assert!(href.contains("/invitation?token="), "{href}");

        // A confirmation's two buttons side by side, at equal width.
        browser.visit(&app, "/agents").await;
        browser.click_on("Eve Newcomer").await;
        browser.wait_for_text("h1", "Eve Newcomer").await;
        assert!(!browser.text("main").await.contains("Reset two-factor authentication"), "nothing to reset for Eve");
        browser.click_and_load("Deactivate").await;
        let buttons: Value = browser
            .client()
            .execute("return Array.from(document.querySelectorAll('.confirm-actions > *')).map(b => { const r = b.getBoundingClientRect(); return [r.top, r.width]; })", vec![])
            .await
            .expect("buttons");
        let buttons = buttons.as_array().cloned().unwrap_or_default();
        assert_eq!(buttons.len(), 2);
        assert_eq!(buttons[0][0], buttons[1][0], "side by side");
        assert!((buttons[0][1].as_f64().unwrap() - buttons[1][1].as_f64().unwrap()).abs() < 1.0, "equal width: {buttons:?}");
        // Its title fits the narrow card in at most two lines.
        assert!(most_lines(&browser, "h1").await <= 2, "the title wraps onto three lines");

        // The Activity page: one line per event for its time, event and outcome.
        browser.visit(&app, "/activity").await;
        assert_eq!(most_lines(&browser, "table.activity td:nth-child(-n+2)").await, 1, "an event wraps");
        assert_eq!(most_lines(&browser, "table.activity .badge").await, 1, "an outcome wraps");
        browser.assert_no_horizontal_scroll().await;
    })
    .await;
}
