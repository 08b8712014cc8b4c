//! Tenancy on the Agents tab: an admin sees and changes only their own
//! company's agents. Another company's agent id answers 404 on every route
//! and changes nothing.

use agentgate::domain::Role;
use chrono::Duration;

use crate::agents_support::*;
use crate::helpers::PASSWORD;

#[tokio::test]
async fn another_companys_agents_are_invisible_and_untouchable() {
    let app = admin_app().await;
    let own_company = company_of(&app, ADMIN_EMAIL).await;
    let zed_admin = add_company(&app, "Other Co", "zed@other.test").await;
    let other_company = company_of(&app, "zed@other.test").await;
    let ids = seed_agents(
        &app,
        &other_company,
        vec![Seed::new("Yan Other", "yan@other.test").two_factor("enabled"), Seed::new("Xi Invited", "xi@other.test").invited()],
    )
    .await;
    let (yan, xi) = (ids[0].clone(), ids[1].clone());
    trust_computer(&app, &yan, Duration::days(30)).await;
    let before = (agent(&app, &yan).await, agent(&app, &xi).await, agent(&app, &zed_admin).await);

    // Not in the table, the summary, a search or the CSV.
    let html = app.get("/agents").await.text().await.unwrap();
    assert!(html.contains("0 of 1 agent has two-factor authentication enabled"));
    assert_eq!(names_in_table(&html), ["Ada Admin"]);
    for query in ["?q=yan", "?q=other", "?q=zed%40", "?two_factor=enabled", "?sort=-trusted_computers"] {
        let names = names_in_table(&app.get(&format!("/agents{query}")).await.text().await.unwrap());
        assert!(!names.iter().any(|n| n.contains("Other") || n.contains("Yan") || n.contains("Zed")), "{query}: {names:?}");
    }
    let csv = app.get("/agents.csv?q=y").await.text().await.unwrap();
    assert!(!csv.contains("other.test"));

    // Every route with their id: 404.
    for id in [&yan, &xi, &zed_admin] {
        for path in ["", "/deactivate", "/reactivate", "/reset-two-factor"] {
            assert_eq!(app.get(&format!("/agents/{id}{path}")).await.status(), 404, "GET /agents/{{id}}{path}");
        }
        for path in ["/deactivate", "/reactivate", "/reset-two-factor", "/resend-invitation"] {
            let response = app.submit_form("/agents", &format!("/agents/{id}{path}"), &[]).await;
            assert_eq!(response.status(), 404, "POST /agents/{{id}}{path}");
        }
        for role in ["admin", "agent"] {
            let response = app.submit_form("/agents", &format!("/agents/{id}/role"), &[("role", role)]).await;
            assert_eq!(response.status(), 404, "POST /agents/{{id}}/role {role}");
        }
    }

    // Nothing changed: not a flag, not a computer, not an email.
    let after = (agent(&app, &yan).await, agent(&app, &xi).await, agent(&app, &zed_admin).await);
    for (b, a) in [(&before.0, &after.0), (&before.1, &after.1), (&before.2, &after.2)] {
        assert_eq!((b.active, &b.role, &b.two_factor, &b.password_hash), (a.active, &a.role, &a.two_factor, &a.password_hash));
    }
    assert_eq!(trusted_computer_rows(&app, &yan).await, 1);
    assert!(emails_to(&app, "yan@other.test").await.is_empty());
    assert!(emails_to(&app, "xi@other.test").await.is_empty());
    assert!(audit_of(&app, &yan).await.is_empty());

    // The policy form changes only the admin's own company.
    app.submit_form("/agents", "/agents/policy", &[("require_two_factor", "on"), ("trusted_days_max", "7")]).await;
    let (own, other) = app
        .db(move |conn| {
            let mut find = |id: &str| agentgate::db::models::Company::find(conn, id).unwrap().unwrap();
            (find(&own_company), find(&other_company))
        })
        .await;
    assert!(own.require_two_factor && own.trusted_days_max == 7);
    assert!(!other.require_two_factor && other.trusted_days_max == 30);

    // The other company's admin sees only theirs, and cannot reach Ada either.
    let zed = crate::helpers::new_browser();
    crate::helpers::login_with(&zed, &app.address, "zed@other.test", PASSWORD).await;
    let html = zed.get(app.url("/agents")).send().await.unwrap().text().await.unwrap();
    assert_eq!(names_in_table(&html), ["Other Admin", "Xi Invited", "Yan Other"]);
    assert!(html.contains("1 of 3 agents have two-factor authentication enabled"));
    let ada = agent_id_of(&app, ADMIN_EMAIL).await;
    assert_eq!(zed.get(app.url(&format!("/agents/{ada}"))).send().await.unwrap().status(), 404);
    let _ = Role::Agent;
}
