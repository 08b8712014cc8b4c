//! The Agents tab's table: who sees it, the two-factor column and summary,
//! filter, search, sort, pages, the CSV export, and refusing bad query values.

use agentgate::agents::anchors::{self, ANCHOR_EVERY, PageAnchors};
use agentgate::agents::listing;
use agentgate::agents::view::{self, ListView};
use agentgate::domain::Role;
use chrono::Duration;

use crate::agents_support::*;
use crate::helpers::{PASSWORD, location, new_browser, login_with, spawn_app};

/// The text of the table row that shows `name`.
fn row_text(html: &str, name: &str) -> String {
    let body = html.split("<tbody>").nth(1).unwrap().split("</tbody>").next().unwrap();
    let row = body.split("<tr").find(|row| row.contains(&format!(">{name}</a>"))).unwrap_or_else(|| panic!("no row for {name}"));
    text_of(row.split_once('>').unwrap().1)
}

#[tokio::test]
async fn only_admins_see_the_agents_tab() {
    let app = spawn_app().await;
    let admin = app.complete_setup().await;
    app.add_agent(&admin, "Bo Agent", "bo@acme.test", Role::Agent).await;

    // A visitor is sent to log in, and back afterwards.
    for path in ["/agents", "/agents.csv", "/agents/new"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 303, "{path}");
        assert!(location(&response).starts_with("/login?next="), "{path}");
    }

    // An agent gets 403, and no Agents tab in the top bar.
    let agent = new_browser();
    assert_eq!(login_with(&agent, &app.address, "bo@acme.test", PASSWORD).await.status(), 303);
    let home = agent.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(!home.contains("href=\"/agents\""));
    for path in ["/agents", "/agents.csv", "/agents/new"] {
        assert_eq!(agent.get(app.url(path)).send().await.unwrap().status(), 403, "{path}");
    }

    // The admin has the tab.
    app.login(&admin, PASSWORD).await;
    let home = app.get("/").await.text().await.unwrap();
    assert!(home.contains("href=\"/agents\""));
    let page = app.get("/agents").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("<h1>Agents</h1>"));
    for column in ["Name", "Email", "Role", "Two-factor authentication", "Trusted computers", "Last login", "Status"] {
        assert!(html.contains(&format!(">{column}")), "column {column}");
    }
}

#[tokio::test]
async fn the_two_factor_column_and_summary_follow_every_status_change() {
    let app = admin_app().await;
    let company = company_of(&app, ADMIN_EMAIL).await;
    let ids = seed_agents(
        &app,
        &company,
        vec![
            Seed::new("Bo Enabled", "bo@acme.test").two_factor("enabled"),
            Seed::new("Cy Pending", "cy@acme.test").two_factor("pending"),
            Seed::new("Di Disabled", "di@acme.test"),
            Seed::new("Ed Gone", "ed@acme.test").two_factor("enabled").deactivated(),
        ],
    )
    .await;
    let (bo, cy) = (&ids[0], &ids[1]);

    let html = app.get("/agents").await.text().await.unwrap();
    // Deactivated agents are listed but do not count: they cannot sign in.
    assert!(html.contains("1 of 4 agents have two-factor authentication enabled"), "{}", text_of(&html));
    assert!(row_text(&html, "Bo Enabled").contains("Enabled"));
    assert!(html.contains("<span class=\"badge enabled\">Enabled</span>"));
    assert!(row_text(&html, "Cy Pending").contains("Pending"));
    assert!(row_text(&html, "Di Disabled").contains("Disabled"));
    assert!(row_text(&html, "Ed Gone").contains("Deactivated"));

    // Cy enters the confirmation code (issue 3 writes this column).
    set_two_factor(&app, cy, "enabled").await;
    let html = app.get("/agents").await.text().await.unwrap();
    assert!(html.contains("2 of 4 agents have two-factor authentication enabled"));
    assert!(row_text(&html, "Cy Pending").contains("Enabled"));

    // Bo turns it off himself.
    set_two_factor(&app, bo, "disabled").await;
    let html = app.get("/agents").await.text().await.unwrap();
    assert!(html.contains("1 of 4 agents have two-factor authentication enabled"));

    // The admin resets Cy's 2FA.
    let response = app.submit_form(&format!("/agents/{cy}/reset-two-factor"), &format!("/agents/{cy}/reset-two-factor"), &[]).await;
    assert_eq!(response.status(), 303);
    let html = app.get("/agents").await.text().await.unwrap();
    assert!(html.contains("0 of 4 agents have two-factor authentication enabled"));
    assert!(row_text(&html, "Cy Pending").contains("Disabled"));

    // Deactivating an agent takes them out of M.
    app.submit_form(&format!("/agents/{bo}/deactivate"), &format!("/agents/{bo}/deactivate"), &[]).await;
    let html = app.get("/agents").await.text().await.unwrap();
    assert!(html.contains("0 of 3 agents have two-factor authentication enabled"));
    assert_counters_match(&app, &company).await;
}

#[tokio::test]
async fn rows_show_trusted_computers_last_login_and_status() {
    let app = admin_app().await;
    let company = company_of(&app, ADMIN_EMAIL).await;
    let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap().and_hms_opt(14, 5, 0).unwrap();
    let ids = seed_agents(
        &app,
        &company,
        vec![Seed::new("Bo Trusting", "bo@acme.test").two_factor("enabled").last_login(at), Seed::new("Ivy Invited", "ivy@acme.test").invited()],
    )
    .await;
    trust_computer(&app, &ids[0], Duration::days(30)).await;
    trust_computer(&app, &ids[0], Duration::days(3)).await;
    trust_computer(&app, &ids[0], Duration::days(-1)).await; // expired: not counted

    let html = app.get("/agents").await.text().await.unwrap();
    let bo = row_text(&html, "Bo Trusting");
    // In the admin's zone (the company's: UTC), with its abbreviation.
    assert_eq!(bo, "Bo Trusting bo@acme.test Agent Enabled 2 2 Nov 2026, 14:05 UTC Active");
    let ivy = row_text(&html, "Ivy Invited");
    assert!(ivy.contains("Never"), "{ivy}");
    assert!(ivy.contains("Invited"), "{ivy}");
}

async fn names(app: &crate::helpers::TestApp, query: &str) -> Vec<String> {
    let response = app.get(&format!("/agents{query}")).await;
    assert_eq!(response.status(), 200, "{query}");
    names_in_table(&response.text().await.unwrap())
}

/// Renames the company's agent called `from`, as the account page does.
async fn rename(app: &crate::helpers::TestApp, company_id: &str, from: &str, to: &'static str) {
    let (company_id, from) = (company_id.to_owned(), from.to_owned());
    app.db(move |conn| {
        use agentgate::db::schema::agents;
        use diesel::prelude::*;
        let id: String = agents::table.filter(agents::company_id.eq(&company_id)).filter(agents::name.eq(&from)).select(agents::id).get_result(conn).unwrap();
        agentgate::db::models::Agent::update_name(conn, &id, to).unwrap();
    })
    .await;
}

#[tokio::test]
async fn filter_search_and_sort_are_in_the_query_string() {
    let app = admin_app().await;
    let company = company_of(&app, ADMIN_EMAIL).await;
    // Days before now: the admin's own login (now) is the most recent.
    let now = app.clock_now();
    let day = |d: i64| now - Duration::days(30 - d);
    seed_agents(
        &app,
        &company,
        vec![
            Seed::new("Zoë Okafor", "zoe@acme.test").two_factor("enabled").last_login(day(3)),
            Seed::new("bob lowercase", "bob@acme.test").two_factor("pending").last_login(day(20)),
            Seed::new("Seán O'Neil", "sean@elsewhere.test").role(Role::Admin).last_login(day(10)),
            Seed::new("Mary-Jane Smith", "mj@acme.test").two_factor("enabled"),
            Seed::new("Old Timer", "old@acme.test").deactivated(),
            Seed::new("New Hire", "hire@acme.test").invited(),
        ],
    )
    .await;
    let everyone = ["Ada Admin", "bob lowercase", "Mary-Jane Smith", "New Hire", "Old Timer", "Seán O'Neil", "Zoë Okafor"];

    // Name order ignores case (bob between Ada and Mary-Jane).
    let html = app.get("/agents").await.text().await.unwrap();
    assert_eq!(names_in_table(&html).iter().map(|n| n.replace("&#39;", "'")).collect::<Vec<_>>(), everyone);
    let reversed: Vec<String> = names(&app, "?sort=-name").await;
    assert_eq!(reversed.first().map(String::as_str), Some("Zoë Okafor"));
    assert_eq!(reversed.last().map(String::as_str), Some("Ada Admin"));

    // Filter by status.
    assert_eq!(names(&app, "?two_factor=enabled").await, ["Mary-Jane Smith", "Zoë Okafor"]);
    assert_eq!(names(&app, "?two_factor=pending").await, ["bob lowercase"]);
    assert_eq!(names(&app, "?two_factor=disabled").await.len(), 4);

    // Search: any word of the name by its beginning, or the email by its beginning; any case.
    assert_eq!(names(&app, "?q=smi").await, ["Mary-Jane Smith"]);
    assert_eq!(names(&app, "?q=JANE").await, ["Mary-Jane Smith"]);
    assert_eq!(names(&app, "?q=mary+smith").await, ["Mary-Jane Smith"]);
    assert_eq!(names(&app, "?q=o+neil").await.len(), 1);
    assert_eq!(names(&app, "?q=zoe").await, ["Zoë Okafor"], "zoe@ matches the email");
    assert_eq!(names(&app, "?q=Zo%C3%AB").await, ["Zoë Okafor"]);
    assert_eq!(names(&app, "?q=sean%40else").await.len(), 1);
    assert!(names(&app, "?q=elsewhere").await.is_empty(), "the email matches from its start only");
    assert!(names(&app, "?q=nobody").await.is_empty());
    assert_eq!(names(&app, "?q=%25").await, Vec::<String>::new(), "% and _ are plain characters");
    assert_eq!(names(&app, "?q=o&two_factor=enabled").await, ["Zoë Okafor"]);
    let empty = app.get("/agents?q=nobody").await.text().await.unwrap();
    assert!(empty.contains("No agents match."));
    // A search of several words follows a rename: every word, in any order.
    rename(&app, &company, "Mary-Jane Smith", "Mary-Jane Brewster Hopper").await;
    assert!(names(&app, "?q=mary+smith").await.is_empty());
    assert_eq!(names(&app, "?q=hopper+jane+m").await, ["Mary-Jane Brewster Hopper"]);
    assert!(names(&app, "?q=hopper+ada").await.is_empty(), "every word must begin a word of the name");

    // Sorts: each column, both ways.
    assert_eq!(names(&app, "?sort=email").await.first().map(String::as_str), Some("Ada Admin"));
    assert_eq!(names(&app, "?sort=-email").await.first().map(String::as_str), Some("Zoë Okafor"));
    // Admin before Agent, as the labels read; names within a role.
    assert_eq!(&names(&app, "?sort=role").await[..2], ["Ada Admin", "Seán O&#39;Neil"]);
    assert_eq!(&names(&app, "?sort=-role").await[5..], ["Seán O&#39;Neil", "Ada Admin"]);
    assert_eq!(names(&app, "?sort=two_factor").await.first().map(String::as_str), Some("Ada Admin"), "disabled < enabled < pending");
    assert_eq!(names(&app, "?sort=-two_factor").await.first().map(String::as_str), Some("bob lowercase"));
    // Never logged in counts as the oldest login, on both backends.
    let by_login = names(&app, "?sort=-last_login").await;
    assert_eq!(&by_login[..4], ["Ada Admin", "bob lowercase", "Seán O&#39;Neil", "Zoë Okafor"]);
    assert_eq!(&names(&app, "?sort=last_login").await[5..], ["bob lowercase", "Ada Admin"]);
    // Status: active, then invited, then deactivated.
    let by_status = names(&app, "?sort=status").await;
    assert_eq!(&by_status[5..], ["New Hire", "Old Timer"]);
    assert_eq!(names(&app, "?sort=-status").await.first().map(String::as_str), Some("Old Timer"));

    // The page links keep the view.
    let html = app.get("/agents?q=o&two_factor=enabled&sort=-email").await.text().await.unwrap();
    assert!(html.contains("href=\"/agents.csv?q=o&#38;two_factor=enabled&#38;sort=-email\""), "the CSV link keeps the view");
    assert!(html.contains("href=\"/agents?q=o&#38;two_factor=enabled&#38;sort=email\""), "the sorted header turns the direction");
    assert!(html.contains("aria-sort=\"descending\""));
}

#[tokio::test]
async fn trusted_computer_sort_follows_the_computers() {
    let app = admin_app().await;
    let company = company_of(&app, ADMIN_EMAIL).await;
    let ids = seed_agents(&app, &company, vec![Seed::new("One Computer", "one@acme.test"), Seed::new("Two Computers", "two@acme.test")]).await;
    trust_computer(&app, &ids[0], Duration::days(30)).await;
    trust_computer(&app, &ids[1], Duration::days(30)).await;
    trust_computer(&app, &ids[1], Duration::days(30)).await;
    assert_eq!(names(&app, "?sort=-trusted_computers").await, ["Two Computers", "One Computer", "Ada Admin"]);
    assert_eq!(names(&app, "?sort=trusted_computers").await, ["Ada Admin", "One Computer", "Two Computers"]);
}

#[tokio::test]
async fn pages_hold_fifty_agents() {
    let app = admin_app().await;
    let company = company_of(&app, ADMIN_EMAIL).await;
    let seeds = (0..120).map(|i| Seed::new(&format!("Agent {i:03}"), &format!("agent{i:03}@acme.test"))).collect();
    seed_agents(&app, &company, seeds).await;

    let first = app.get("/agents").await.text().await.unwrap();
    assert_eq!(names_in_table(&first).len(), 50);
    assert!(first.contains("Showing 1–50 of 121 agents."));
    assert!(first.contains("Page 1 of 3"));
    assert!(first.contains("href=\"/agents?page=2\""));

    let second = names(&app, "?page=2").await;
    assert_eq!(second.len(), 50);
    assert_eq!(second[0], "Agent 049");
    let third = app.get("/agents?page=3").await.text().await.unwrap();
    assert_eq!(names_in_table(&third).len(), 21);
    assert!(third.contains("Showing 101–121 of 121 agents."));
    assert!(!third.contains("rel=\"next\""));

    // Pages never overlap or skip, whatever the sort.
    for sort in ["name", "-name", "email", "role", "-two_factor", "trusted_computers", "-last_login", "status"] {
        let mut seen = Vec::new();
        for page in 1..=3 {
            seen.extend(names(&app, &format!("?sort={sort}&page={page}")).await);
        }
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), 121, "sort {sort}");
    }

    let past = app.get("/agents?page=9").await;
    assert_eq!(past.status(), 200);
    assert!(past.text().await.unwrap().contains("This page is past the last one."));
    assert_eq!(names(&app, "?two_factor=enabled&page=2").await.len(), 0);
}

#[tokio::test]
async fn bad_query_values_answer_400_not_500() {
    let app = admin_app().await;
    let long = format!("?q={}", "a".repeat(101));
    for query in [
        "?two_factor=on",
        "?two_factor=ENABLED",
        "?sort=password_hash",
        "?sort=--name",
        "?page=0",
        "?page=-1",
        "?page=abc",
        "?page=99999999999",
        "?q=a+b+c+d+e+f",
        "?q=%00",
        long.as_str(),
        "?page=1&page=2",
    ] {
        for path in ["/agents", "/agents.csv"] {
            let response = app.get(&format!("{path}{query}")).await;
            assert_eq!(response.status(), 400, "{path}{query}");
        }
    }
    let page = app.get("/agents?sort=bogus").await.text().await.unwrap();
    assert!(page.contains("Unknown sort"));
    // Unknown parameters and empty values are ignored.
    assert_eq!(app.get("/agents?q=&two_factor=&sort=&page=&utm=x").await.status(), 200);
}

#[tokio::test]
async fn the_csv_has_the_same_rows_quoted_and_inert() {
    let app = admin_app().await;
    let company = company_of(&app, ADMIN_EMAIL).await;
    seed_agents(
        &app,
        &company,
        vec![
            Seed::new("Lovelace, Ada", "lovelace@acme.test").two_factor("enabled"),
            Seed::new("Quote \"Q\" Person", "quote@acme.test"),
            Seed::new("=HYPERLINK(\"http://evil.test\",\"x\")", "formula@acme.test").two_factor("enabled"),
            Seed::new("+1 Plus", "plus@acme.test"),
            Seed::new("-2 Minus", "minus@acme.test"),
            Seed::new("@Sum", "at@acme.test"),
        ],
    )
    .await;

    let response = app.get("/agents.csv").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(response.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"));
    let body = response.text().await.unwrap();
    let lines: Vec<&str> = body.split("\r\n").collect();
    assert_eq!(lines[0], "Name,Email,Role,Two-factor authentication,Trusted computers,\"Last login (UTC, ISO 8601)\",Status,Email codes,Authenticator app,Recovery codes left,Passkeys");
    assert_eq!(lines.len(), 1 + 7 + 1, "header, seven agents, and the final CRLF: {body}");
    assert!(lines.contains(&"\"Lovelace, Ada\",lovelace@acme.test,Agent,Enabled,0,,Active,Disabled,Disabled,0,0"), "{body}");
    assert!(lines.contains(&"\"Quote \"\"Q\"\" Person\",quote@acme.test,Agent,Disabled,0,,Active,Disabled,Disabled,0,0"), "{body}");
    assert!(lines.contains(&"\"'=HYPERLINK(\"\"http://evil.test\"\",\"\"x\"\")\",formula@acme.test,Agent,Enabled,0,,Active,Disabled,Disabled,0,0"), "{body}");
    assert!(lines.contains(&"'+1 Plus,plus@acme.test,Agent,Disabled,0,,Active,Disabled,Disabled,0,0"), "{body}");
    assert!(lines.contains(&"'-2 Minus,minus@acme.test,Agent,Disabled,0,,Active,Disabled,Disabled,0,0"), "{body}");
    assert!(lines.contains(&"'@Sum,at@acme.test,Agent,Disabled,0,,Active,Disabled,Disabled,0,0"), "{body}");
    assert!(!body.lines().any(|line| line.starts_with('=') || line.starts_with('+') || line.starts_with('@')));

    // The same filter, search and sort as the page; every page at once.
    let filtered = app.get("/agents.csv?two_factor=enabled&sort=-name").await.text().await.unwrap();
    let rows: Vec<&str> = filtered.split("\r\n").skip(1).filter(|l| !l.is_empty()).collect();
    assert_eq!(rows.len(), 2);
    assert!(rows[0].starts_with("\"Lovelace, Ada\""), "{filtered}");
    let searched = app.get("/agents.csv?q=lovelace").await.text().await.unwrap();
    assert_eq!(searched.split("\r\n").filter(|l| !l.is_empty()).count(), 2);
}

/// The view's page answered both ways: as a narrow search (its matches
/// looked up and sorted) and as a broad one (the sort index walked, each
/// entry tested), when the search finds more than `broad_above` agents.
async fn narrow_and_broad(app: &crate::helpers::TestApp, company: &str, view: ListView, now: chrono::NaiveDateTime, broad_above: i64) -> (view::AgentPage, view::AgentPage) {
    let company = company.to_owned();
    app.db(move |conn| {
        let narrow = listing::list_page_with_limit(conn, &PageAnchors::default(), &company, &view, now, 10_000).unwrap();
        let broad = listing::list_page_with_limit(conn, &PageAnchors::default(), &company, &view, now, broad_above).unwrap();
        (narrow, broad)
    })
    .await
}

#[tokio::test]
async fn a_broad_search_walks_the_sort_index_and_finds_the_same_agents() {
    let app = admin_app().await;
    let company = company_of(&app, ADMIN_EMAIL).await;
    let seeds = (0..80)
        .map(|i| {
            let seed = Seed::new(&format!("{} Lovelace {i}", ["Ada", "Adam", "Bea"][i % 3]), &format!("a{i:02}@acme.test"));
            if i % 4 == 0 { seed.two_factor("enabled") } else { seed }
        })
        .collect();
    seed_agents(&app, &company, seeds).await;
    let now = app.clock_now();

    let views = [
        "q=ada",
        "q=ad&sort=-email",
        "q=a&two_factor=enabled&sort=last_login",
        "q=lovelace+ad&sort=-status",
        "q=a0&sort=trusted_computers",
        "q=ada&page=2&sort=role",
    ];
    for raw in views {
        let query: std::collections::HashMap<String, String> = url::form_urlencoded::parse(raw.as_bytes()).into_owned().collect();
        let view = ListView::parse(query.get("q").map(String::as_str), query.get("two_factor").map(String::as_str), query.get("sort").map(String::as_str), query.get("page").map(String::as_str)).unwrap();
        let (narrow, broad) = narrow_and_broad(&app, &company, view, now, 1).await;
        let ids = |page: &view::AgentPage| page.rows.iter().map(|r| r.id.clone()).collect::<Vec<_>>();
        assert!(matches!(narrow.total, view::Total::Exact(_)), "{raw}");
        // Broad: "at least" the threshold, or an exact count that agrees.
        match broad.total {
            view::Total::AtLeast(n) => assert!(n >= 1 && n >= broad.rows.len() as i64, "{raw}: at least {n}"),
            view::Total::Exact(n) => assert_eq!(narrow.total, view::Total::Exact(n), "{raw}"),
        }
        assert_eq!(ids(&narrow), ids(&broad), "{raw}");
    }
}

#[tokio::test]
async fn a_search_of_two_words_finds_every_name_holding_both_through_the_word_pairs() {
    let app = admin_app().await;
    let company = company_of(&app, ADMIN_EMAIL).await;
    let seeded = [
        "Grace Hopper",
        "Grace Brewster Murray Hopper",
        "Hopper Grace",
        "Grace Kelly",
        "Gracie Hopperton",
        "Hop Grace Hopper",
        "Ann Ann Annabel",
        "Annabel Lee",
        "Mary Spencer",
        "Mary Sparks",
        "Maryam Spoor",
        "Spencer",
    ];
    let seeds = seeded.iter().enumerate().map(|(i, name)| Seed::new(name, &format!("p{i:02}@acme.test"))).collect();
    seed_agents(&app, &company, seeds).await;
    let now = app.clock_now();

    // What the pairs hold: each two distinct words of a name, both ways.
    let company_id = company.clone();
    let (pairs, expected) = app
        .db(move |conn| {
            use agentgate::db::schema::{agent_name_pairs, agent_name_words};
            use diesel::prelude::*;
            let pairs: i64 = agent_name_pairs::table.filter(agent_name_pairs::company_id.eq(&company_id)).count().get_result(conn).unwrap();
            let words: Vec<(String, i64)> = agent_name_words::table
                .filter(agent_name_words::company_id.eq(&company_id))
                .group_by(agent_name_words::agent_id)
                .select((agent_name_words::agent_id, diesel::dsl::count_star()))
                .load(conn)
                .unwrap();
            (pairs, words.iter().map(|(_, n)| n * (n - 1)).sum::<i64>())
        })
        .await;
    assert_eq!(pairs, expected);
    // Nine names (and Ada Admin) of two distinct words ("Ann Ann Annabel" is
    // one of them), one of three, one of four, one of one.
    assert_eq!(pairs, 10 * 2 + 6 + 12);

    // Each search as the pairs answer it (narrow) and as the sort index's
    // test on the whole name answers it (broad): the same agents.
    let expectations: [(&str, &[&str]); 11] = [
        ("grace hopper", &["Grace Brewster Murray Hopper", "Grace Hopper", "Hop Grace Hopper", "Hopper Grace"]),
        ("hopper grace", &["Grace Brewster Murray Hopper", "Grace Hopper", "Hop Grace Hopper", "Hopper Grace"]),
        ("gra hop", &["Grace Brewster Murray Hopper", "Grace Hopper", "Gracie Hopperton", "Hop Grace Hopper", "Hopper Grace"]),
        ("hopperton grac", &["Gracie Hopperton"]),
        ("murray brew", &["Grace Brewster Murray Hopper"]),
        ("ann annabel", &["Ann Ann Annabel", "Annabel Lee"]),
        ("annabel ann", &["Ann Ann Annabel", "Annabel Lee"]),
        ("mary.sp", &["Mary Sparks", "Mary Spencer", "Maryam Spoor"]),
        ("mary spe", &["Mary Spencer"]),
        ("spencer kelly", &[]),
        ("lee ann", &["Annabel Lee"]),
    ];
    for (search, expected) in expectations {
        let view = ListView::parse(Some(search), None, None, None).unwrap();
        let (narrow, broad) = narrow_and_broad(&app, &company, view, now, 0).await;
        let shown = |page: &view::AgentPage| page.rows.iter().map(|r| r.name.clone()).collect::<Vec<_>>();
        assert_eq!(shown(&narrow), expected, "{search}");
        assert_eq!(shown(&broad), expected, "{search}, broad");
    }

    // A rename rewrites the pairs: the old two words no longer find the agent.
    rename(&app, &company, "Grace Kelly", "Kelly Spencer").await;
    assert!(names(&app, "?q=grace+kelly").await.is_empty());
    assert_eq!(names(&app, "?q=spencer+kel").await, ["Kelly Spencer"]);
}

#[tokio::test]
async fn the_csv_streams_every_row_of_a_large_company_in_the_order_of_the_pages() {
    let app = admin_app().await;
    let company = company_of(&app, ADMIN_EMAIL).await;
    let now = app.clock_now();
    // More agents than one chunk of the export, so the rows cross chunk boundaries.
    let seeded = 2 * listing::EXPORT_CHUNK + 345;
    app.db(move |conn| {
        let name = agentgate::domain::CompanyName::parse("Acme Support").unwrap();
        agentgate::agents::seed::seed_demo(conn, &name, seeded, true, now).unwrap();
    })
    .await;

    for raw in ["sort=-last_login", "two_factor=enabled&sort=email", "q=a&sort=-status"] {
        let query: std::collections::HashMap<String, String> = url::form_urlencoded::parse(raw.as_bytes()).into_owned().collect();
        let view = ListView::parse(query.get("q").map(String::as_str), query.get("two_factor").map(String::as_str), query.get("sort").map(String::as_str), None).unwrap();
        let company = company.clone();
        // What the admin would read, page after page (a search counted as
        // narrow, so that its pages do not stop after the first matches).
        let paged: Vec<String> = app
            .db(move |conn| {
                let mut emails = Vec::new();
                for page in 1.. {
                    let rows = listing::list_page_with_limit(conn, &PageAnchors::default(), &company, &ListView { page, ..view.clone() }, now, 1_000_000).unwrap().rows;
                    if rows.is_empty() {
                        break;
                    }
                    emails.extend(rows.into_iter().map(|row| row.email));
                }
                emails
            })
            .await;

        let response = app.get(&format!("/agents.csv?{raw}")).await;
        assert_eq!(response.status(), 200, "{raw}");
        assert!(response.headers().get("content-length").is_none(), "{raw}: streamed, not built in memory first");
        let body = response.text().await.unwrap();
        let exported: Vec<String> =
            body.split("\r\n").skip(1).filter(|line| !line.is_empty()).map(|line| line.split(',').nth(1).unwrap().to_owned()).collect();
        assert!(!exported.is_empty(), "{raw}");
        if !raw.starts_with('q') {
            assert!(exported.len() > listing::EXPORT_CHUNK, "{raw}: {} rows", exported.len());
        }
        if raw.starts_with("sort") {
            assert_eq!(exported.len(), seeded + 1, "{raw}: every agent and the admin");
        }
        assert_eq!(exported, paged, "{raw}");
    }
}

/// Each running download holds a pooled connection, so an instance runs
/// `streaming::AT_ONCE` of them; the next is told to come back (429 with
/// `Retry-After`), and a download whose reader went away frees its place.
#[tokio::test]
async fn at_most_two_downloads_stream_at_once_and_one_abandoned_frees_its_place() {
    use agentgate::error::AppError;
    use agentgate::web::streaming::{self, AT_ONCE, ChunkSender, StreamError};
    use futures_util::StreamExt;

    fn endless(_: &mut agentgate::db::DbConnection, out: &ChunkSender) -> Result<(), StreamError> {
        loop {
            out.send("a row nobody reads\n")?;
        }
    }
    let app = spawn_app().await;
    let mut running = Vec::new();
    for _ in 0..AT_ONCE {
        running.push(streaming::from_database(&app.state, endless).await.expect("a place is free"));
    }
    match streaming::from_database(&app.state, endless).await {
        Err(error @ AppError::TooManyRequests { .. }) => assert!(error.to_string().contains("Another large download"), "{error}"),
        Err(other) => panic!("expected 429, got {other}"),
        Ok(_) => panic!("a download beyond the limit started"),
    }

    // The reader of the first goes away: its producer stops at its next chunk.
    drop(running.remove(0));
    let started = std::time::Instant::now();
    let mut finished = loop {
        match streaming::from_database(&app.state, |_, out| out.send("done")).await {
            Ok(body) => break body,
            Err(AppError::TooManyRequests { .. }) if started.elapsed() < std::time::Duration::from_secs(5) => {
                tokio::time::sleep(std::time::Duration::from_millis(10)).await
            }
            Err(other) => panic!("expected the freed place, got {other}"),
        }
    };
    assert_eq!(finished.next().await.unwrap().unwrap(), "done");
    assert!(finished.next().await.is_none());
}

#[tokio::test]
async fn deep_pages_start_from_anchors_that_follow_every_change_of_order() {
    let app = admin_app().await;
    let company = company_of(&app, ADMIN_EMAIL).await;
    let now = app.clock_now();
    // Enough agents for pages past the first anchors and far from the end.
    let seeded = 3 * ANCHOR_EVERY as usize + 210;
    app.db(move |conn| {
        let name = agentgate::domain::CompanyName::parse("Acme Support").unwrap();
        agentgate::agents::seed::seed_demo(conn, &name, seeded, true, now).unwrap();
    })
    .await;

    let shared = PageAnchors::default();
    let views = ["sort=name", "sort=-name", "sort=email", "sort=-role", "sort=two_factor", "sort=-trusted_computers", "sort=status", "two_factor=enabled&sort=-email", "sort=last_login",
        "two_factor=not_phishing_resistant&sort=email", "two_factor=email_only&sort=-name"];
    // Pages around, on and between anchors; the same anchors serve every check.
    let pages = [21, 22, 40, 41, 55];
    let check = |label: &'static str| {
        let (company, shared) = (company.clone(), shared.clone());
        app.db(move |conn| {
            for raw in views {
                let query: std::collections::HashMap<String, String> = url::form_urlencoded::parse(raw.as_bytes()).into_owned().collect();
                let view = ListView::parse(None, query.get("two_factor").map(String::as_str), query.get("sort").map(String::as_str), None).unwrap();
                // Every row in order, read in one pass as the export does (no anchors).
                let mut all = Vec::new();
                listing::for_each_chunk::<diesel::result::Error>(conn, &company, &view.filter, view.sort, now, |rows| {
                    all.extend(rows.into_iter().map(|row| row.email));
                    Ok(())
                })
                .unwrap();
                // The total the page shows comes from the counters: it must be the rows'.
                let first = listing::list_page(conn, &shared, &company, &view, now).unwrap();
                assert_eq!(first.total, view::Total::Exact(all.len() as i64), "{label}: {raw}");
                if view.filter.two_factor.is_none() {
                    assert!(all.len() > 2 * ANCHOR_EVERY as usize + 60, "{raw}: {} rows", all.len());
                    // The deep pages below do start from anchors (but not in the last-login order).
                    let start = shared.page_start(conn, &company, None, view.sort, ANCHOR_EVERY + 7).unwrap();
                    assert_eq!(start.map(|s| s.skip), (view.sort.column != view::SortColumn::LastLogin).then_some(7), "{raw}");
                }
                for page in pages {
                    let rows = listing::list_page(conn, &shared, &company, &ListView { page, ..view.clone() }, now).unwrap().rows;
                    let emails: Vec<String> = rows.into_iter().map(|row| row.email).collect();
                    let from = (page as usize - 1) * view::PAGE_SIZE as usize;
                    let expected = all.get(from..(from + 50).min(all.len())).unwrap_or_default();
                    assert_eq!(emails, expected, "{label}: {raw} page {page}");
                }
            }
        })
    };
    check("first reading").await;

    // Each change moves agents in the orders; the anchors built before it
    // must not be used after it.
    let company_id = company.clone();
    let version_before = app.db(move |conn| anchors::list_version(conn, &company_id).unwrap()).await;
    let company_id = company.clone();
    app.db(move |conn| {
        use agentgate::db::schema::agents;
        use diesel::prelude::*;
        let ids: Vec<String> = agents::table.filter(agents::company_id.eq(&company_id)).order(agents::search_name.desc()).select(agents::id).limit(5).load(conn).unwrap();
        // A late name becomes the first; another agent leaves 2FA; one more
        // is deactivated; one sets up an app, one adds a passkey.
        diesel::update(agents::table.find(&ids[0])).set(agents::search_name.eq("aaaa first now")).execute(conn).unwrap();
        diesel::update(agents::table.find(&ids[1])).set(agents::two_factor.eq("disabled")).execute(conn).unwrap();
        diesel::update(agents::table.find(&ids[2])).set(agents::active.eq(false)).execute(conn).unwrap();
        diesel::update(agents::table.find(&ids[3])).set((agents::two_factor.eq("enabled"), agents::app_enabled.eq(true))).execute(conn).unwrap();
        diesel::update(agents::table.find(&ids[4])).set(agents::passkey_count.eq(1)).execute(conn).unwrap();
    })
    .await;
    assert_counters_match(&app, &company).await;
    let company_id = company.clone();
    let version_after = app.db(move |conn| anchors::list_version(conn, &company_id).unwrap()).await;
    assert!(version_after > version_before, "{version_before} -> {version_after}");
    check("after renaming, leaving 2FA and deactivating").await;

    // A login moves an agent only in the last-login order, which has no
    // anchors: it leaves the version alone.
    let company_id = company.clone();
    let unchanged = app
        .db(move |conn| {
            use agentgate::db::schema::agents;
            use diesel::prelude::*;
            diesel::update(agents::table.filter(agents::company_id.eq(&company_id))).set(agents::last_login_at.eq(Some(now))).execute(conn).unwrap();
            anchors::list_version(conn, &company_id).unwrap()
        })
        .await;
    assert_eq!(unchanged, version_after);
}

#[tokio::test]
async fn a_broad_search_never_counts_fewer_matches_than_it_shows() {
    let app = admin_app().await;
    let company = company_of(&app, ADMIN_EMAIL).await;
    let now = app.clock_now();
    // More agents with 2FA on than the count's budget, and a name that sorts
    // after all of those a walk in name order within the budget would reach.
    app.db(move |conn| {
        let name = agentgate::domain::CompanyName::parse("Acme Support").unwrap();
        agentgate::agents::seed::seed_demo(conn, &name, 4_000, true, now).unwrap();
    })
    .await;
    let view = ListView::parse(Some("zoë"), Some("enabled"), None, None).unwrap();
    let company_id = company.clone();
    let page = app
        .db(move |conn| listing::list_page_with_limit(conn, &PageAnchors::default(), &company_id, &view, now, 20).unwrap())
        .await;
    assert!(!page.rows.is_empty());
    assert!(page.rows.iter().all(|row| row.name.starts_with("Zoë") && row.two_factor == agentgate::domain::TwoFactorStatus::Enabled));
    let company_id = company.clone();
    let truth: i64 = app
        .db(move |conn| {
            use agentgate::db::schema::agents;
            use diesel::prelude::*;
            agents::table
                .filter(agents::company_id.eq(&company_id))
                .filter(agents::two_factor.eq("enabled"))
                .filter(agents::name.like("Zoë %"))
                .count()
                .get_result(conn)
                .unwrap()
        })
        .await;
    let shown = page.rows.len() as i64;
    match page.total {
        view::Total::AtLeast(n) => assert!(shown <= n && n <= truth, "at least {n}, showing {shown}, {truth} match"),
        // Less than a page from the top: the walk went to the end and counted every match.
        view::Total::Exact(n) => assert!(n == truth && shown == truth && shown < view::PAGE_SIZE, "exactly {n}, showing {shown}, {truth} match"),
    }

    // A broad search (past a threshold of 1) whose walk ends before a page is
    // full has counted every match: the page says how many, not "at least".
    let quux = vec![
        Seed::new("Quentin Quux", "q1@acme.test").two_factor("enabled"),
        Seed::new("Quincy Quux", "q2@acme.test").two_factor("enabled"),
        Seed::new("Quinn Quux", "q3@acme.test"),
    ];
    seed_agents(&app, &company, quux).await;
    let view = ListView::parse(Some("quux"), Some("enabled"), Some("-trusted_computers"), None).unwrap();
    let page = app.db(move |conn| listing::list_page_with_limit(conn, &PageAnchors::default(), &company, &view, now, 1).unwrap()).await;
    assert_eq!(page.total, view::Total::Exact(2));
    assert_eq!(page.rows.len(), 2);
}

/// Sets an agent's passkeys, authenticator app and recovery codes directly.
async fn set_methods(app: &crate::helpers::TestApp, agent_id: &str, passkeys: i32, app_on: bool, codes: i32) {
    use agentgate::db::schema::agents;
    use diesel::prelude::*;
    let id = agent_id.to_owned();
    app.db(move |conn| {
        diesel::update(agents::table.find(&id))
            .set((agents::passkey_count.eq(passkeys), agents::app_enabled.eq(app_on), agents::recovery_codes_left.eq(codes)))
            .execute(conn)
            .unwrap()
    })
    .await;
}

/// The text of a page's `<main>`, without the language and time zone menus
/// (their options are names, not words of the page).
fn main_text(html: &str) -> String {
    let main = html.split("<main").nth(1).unwrap().split_once('>').unwrap().1.split("</main>").next().unwrap();
    let mut text = main.to_owned();
    for menu in ["<select id=\"language\"", "<select id=\"time_zone\""] {
        if let Some(start) = text.find(menu) {
            let end = start + text[start..].find("</select>").unwrap();
            text.replace_range(start..end, "");
        }
    }
    text_of(&text)
}

/// An admin who reads Polish, in Warsaw: the tab's words, the plural forms
/// the catalogue chooses for 1, 2 and 5 agents, and every time in their zone
/// with its abbreviation; the CSV's header is Polish and its times stay UTC.
#[tokio::test]
async fn an_admin_who_reads_polish_sees_the_tab_in_polish_with_times_in_their_zone() {
    let app = admin_app().await;
    let company = company_of(&app, ADMIN_EMAIL).await;
    let ada = agent_id_of(&app, ADMIN_EMAIL).await;
    set_language(&app, &ada, "pl", Some("Europe/Warsaw")).await;

    // One active agent (Ada): the "one" forms.
    let html = app.get("/agents").await.text().await.unwrap();
    assert!(html.contains("<html lang=\"pl\">"));
    assert!(html.contains("<h1>Agenci</h1>"));
    assert!(html.contains("<strong>0 z 1 agenta ma włączone uwierzytelnianie dwuskładnikowe</strong>"), "{}", text_of(&html));
    assert!(html.contains("0 z 1 agenta używa aplikacji uwierzytelniającej"), "{}", text_of(&html));
    assert!(html.contains("Na liście jest tylko jeden agent."), "{}", text_of(&html));
    for column in ["Imię i nazwisko", "Adres e-mail", "Rola", "Uwierzytelnianie dwuskładnikowe", "Zaufane komputery", "Ostatnie logowanie", "Status"] {
        assert!(html.contains(&format!(">{column}")), "column {column}");
    }
    assert!(row_text(&html, "Ada Admin").starts_with("Ada Admin ada@acme.test Administrator Wyłączone 0"), "{}", row_text(&html, "Ada Admin"));

    // Two: the "few" forms, and a login at 14:05 UTC read at 15:05 in Warsaw.
    let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap().and_hms_opt(14, 5, 0).unwrap();
    let zofia = seed_agents(&app, &company, vec![Seed::new("Zofia Nowak", "zofia@acme.test").two_factor("enabled").last_login(at)]).await.remove(0);
    set_methods(&app, &zofia, 2, true, 5).await;
    let html = app.get("/agents").await.text().await.unwrap();
    assert!(html.contains("1 z 2 agentów ma włączone uwierzytelnianie dwuskładnikowe"), "{}", text_of(&html));
    assert!(html.contains("1 z 2 agentów używa klucza dostępu lub klucza bezpieczeństwa (odpornego na phishing)"), "{}", text_of(&html));
    assert!(html.contains("Wyświetlono 1–2 z 2 agentów."), "{}", text_of(&html));
    assert_eq!(row_text(&html, "Zofia Nowak"), "Zofia Nowak zofia@acme.test Agent Włączone 2 klucze dostępu · Aplikacja · 5 kodów 0 2 lis 2026, 15:05 CET Aktywne");

    // Five: the "many" forms (a deactivated agent does not count).
    let more = seed_agents(
        &app,
        &company,
        vec![
            Seed::new("Jan Kowalski", "jan@acme.test").invited(),
            Seed::new("Ewa Wiśniewska", "ewa@acme.test"),
            Seed::new("Piotr Zieliński", "piotr@acme.test").two_factor("pending"),
            Seed::new("Stary Pracownik", "stary@acme.test").deactivated(),
        ],
    )
    .await;
    set_methods(&app, &more[1], 5, false, 1).await;
    let html = app.get("/agents").await.text().await.unwrap();
    assert!(html.contains("1 z 5 agentów ma włączone uwierzytelnianie dwuskładnikowe"), "{}", text_of(&html));
    assert!(html.contains("1 z 5 agentów używa aplikacji uwierzytelniającej"), "{}", text_of(&html));
    assert!(html.contains("Wyświetlono 1–6 z 6 agentów."), "{}", text_of(&html));
    assert_eq!(row_text(&html, "Jan Kowalski"), "Jan Kowalski jan@acme.test Agent Wyłączone 0 Nigdy Zaproszenie (link nieważny)");
    assert_eq!(row_text(&html, "Ewa Wiśniewska"), "Ewa Wiśniewska ewa@acme.test Agent Wyłączone 5 kluczy dostępu · 1 kod 0 Nigdy Aktywne");
    assert!(row_text(&html, "Piotr Zieliński").contains("Oczekuje"));
    assert!(row_text(&html, "Stary Pracownik").ends_with("Dezaktywowane"));
    let search = app.get("/agents?q=zofia").await.text().await.unwrap();
    assert!(search.contains("Pasuje tylko jeden agent."), "{}", text_of(&search));
    let search = app.get("/agents?q=nobody").await.text().await.unwrap();
    assert!(search.contains("Nie pasuje żaden agent."), "{}", text_of(&search));

    // No English on the page but the data (names, addresses, the company).
    let mut text = main_text(&html);
    for data in ["Ada Admin", "Acme Support", "Zofia Nowak", "Jan Kowalski", "Ewa Wiśniewska", "Piotr Zieliński", "Stary Pracownik"] {
        text = text.replace(data, "");
    }
    let text: String = text.split_whitespace().filter(|word| !word.contains('@')).collect::<Vec<_>>().join(" ");
    assert_eq!(english_words_in(&text), Vec::<String>::new(), "{text}");

    // The agent's page: Polish, the login and the day added in Warsaw time.
    let page = app.get(&format!("/agents/{zofia}")).await.text().await.unwrap();
    let facts = text_of(page.split("<dl class=\"facts\">").nth(1).unwrap().split("</dl>").next().unwrap());
    assert!(facts.contains("Ostatnie logowanie 2 lis 2026, 15:05 CET Status Aktywne Dodano"), "{facts}");
    assert!(facts.ends_with("CET") || facts.ends_with("CEST"), "{facts}");
    assert!(page.contains("Zresetuj uwierzytelnianie dwuskładnikowe") && page.contains("Brak zalogowanych sesji."));

    // The CSV: the header in Polish says UTC and ISO 8601; the times stay UTC.
    let csv = app.get("/agents.csv").await.text().await.unwrap();
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(
        lines[0],
        "Imię i nazwisko,Adres e-mail,Rola,Uwierzytelnianie dwuskładnikowe,Zaufane komputery,\"Ostatnie logowanie (UTC, ISO 8601)\",Status,Kody z e-maila,Aplikacja uwierzytelniająca,Pozostałe kody odzyskiwania,Klucze dostępu"
    );
    assert!(lines.contains(&"Zofia Nowak,zofia@acme.test,Agent,Włączone,0,2026-11-02T14:05:00Z,Aktywne,Wyłączone,Włączona,5,2"), "{csv}");
}

/// The CSV keeps every time in UTC (ISO 8601) whatever the admin's zone,
/// and its header says so; the page shows the same login in their zone.
#[tokio::test]
async fn the_csv_writes_times_in_utc_iso_8601_whatever_the_admins_zone() {
    let app = admin_app().await;
    let company = company_of(&app, ADMIN_EMAIL).await;
    set_language(&app, &agent_id_of(&app, ADMIN_EMAIL).await, "en", Some("America/New_York")).await;
    let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap().and_hms_opt(14, 5, 9).unwrap();
    seed_agents(&app, &company, vec![Seed::new("Bo Zoned", "bo@acme.test").two_factor("enabled").last_login(at)]).await;

    let html = app.get("/agents").await.text().await.unwrap();
    assert!(row_text(&html, "Bo Zoned").contains(" 2 Nov 2026, 09:05 EST "), "{}", row_text(&html, "Bo Zoned"));
    let csv = app.get("/agents.csv").await.text().await.unwrap();
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert!(lines[0].contains(",\"Last login (UTC, ISO 8601)\","), "{}", lines[0]);
    assert!(lines.contains(&"Bo Zoned,bo@acme.test,Agent,Enabled,0,2026-11-02T14:05:09Z,Active,Disabled,Disabled,0,0"), "{csv}");
    // Every time cell is ISO 8601 UTC (the admin's own login too) or empty.
    for line in &lines[1..] {
        if let Some(cell) = line.split(',').nth(5).filter(|cell| !cell.is_empty()) {
            assert!(chrono::NaiveDateTime::parse_from_str(cell, "%Y-%m-%dT%H:%M:%SZ").is_ok(), "{cell}");
        }
    }
}
