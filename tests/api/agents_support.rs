#![allow(dead_code)] // each agents_* journey uses some of these
//! Arranging and inspecting what the Agents tab journeys need: a second
//! company, agents in bulk, trusted computers, the outbox and the audit log.

use agentgate::auth::accounts::{NewAdmin, create_admin};
use agentgate::auth::password::hash_blocking;
use agentgate::db::models::{Agent, NewAgent};
use agentgate::db::schema::{agents, audit_events, outbox, trusted_computers};
use agentgate::domain::{CompanyName, EmailAddress, PersonName, Role, new_public_id};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::helpers::{PASSWORD, TestApp, spawn_app};

/// A fresh app whose first admin (ada@acme.test, company "Acme Support") is logged in.
pub async fn admin_app() -> TestApp {
    let app = spawn_app().await;
    let email = app.complete_setup().await;
    assert_eq!(app.login(&email, PASSWORD).await.status(), 303);
    app
}

pub const ADMIN_EMAIL: &str = "ada@acme.test";

pub async fn agent_id_of(app: &TestApp, email: &str) -> String {
    let email = email.to_owned();
    app.db(move |conn| agents::table.filter(agents::email.eq(&email)).select(agents::id).first::<String>(conn).unwrap()).await
}

pub async fn company_of(app: &TestApp, email: &str) -> String {
    let email = email.to_owned();
    app.db(move |conn| agents::table.filter(agents::email.eq(&email)).select(agents::company_id).first::<String>(conn).unwrap())
        .await
}

pub async fn agent(app: &TestApp, id: &str) -> Agent {
    let id = id.to_owned();
    app.db(move |conn| agents::table.find(&id).select(Agent::as_select()).first(conn).unwrap()).await
}

/// Another company with its own admin (password [`PASSWORD`]); returns the admin's id.
pub async fn add_company(app: &TestApp, company: &str, admin_email: &str) -> String {
    let admin = NewAdmin {
        company: CompanyName::parse(company).unwrap(),
        name: PersonName::parse("Other Admin").unwrap(),
        email: EmailAddress::parse(admin_email).unwrap(),
        password_hash: hash_blocking(PASSWORD).unwrap(),
        language: agentgate::i18n::Language::English,
    };
    let now = app.clock_now();
    app.db(move |conn| create_admin(conn, &admin, now).unwrap().0).await
}

/// One agent as the table tests want them, written directly (no hashing).
#[derive(Clone)]
pub struct Seed {
    pub name: String,
    pub email: String,
    pub role: Role,
    pub two_factor: &'static str,
    pub active: bool,
    pub invited: bool,
    pub last_login_at: Option<NaiveDateTime>,
}

impl Seed {
    pub fn new(name: &str, email: &str) -> Seed {
        Seed {
            name: name.to_owned(),
            email: email.to_owned(),
            role: Role::Agent,
            two_factor: "disabled",
            active: true,
            invited: false,
            last_login_at: None,
        }
    }

    pub fn two_factor(mut self, status: &'static str) -> Seed {
        self.two_factor = status;
        self
    }

    pub fn role(mut self, role: Role) -> Seed {
        self.role = role;
        self
    }

    pub fn deactivated(mut self) -> Seed {
        self.active = false;
        self
    }

    pub fn invited(mut self) -> Seed {
        self.invited = true;
        self
    }

    pub fn last_login(mut self, at: NaiveDateTime) -> Seed {
        self.last_login_at = Some(at);
        self
    }
}

/// Inserts agents into a company; returns their ids in order. The password
/// hash is a placeholder: these agents are for the table, not for logging in.
pub async fn seed_agents(app: &TestApp, company_id: &str, seeds: Vec<Seed>) -> Vec<String> {
    let company_id = company_id.to_owned();
    let now = app.clock_now();
    app.db(move |conn| {
        seeds
            .iter()
            .map(|seed| {
                let id = new_public_id();
                Agent::insert(
                    conn,
                    &NewAgent {
                        id: &id,
                        company_id: &company_id,
                        name: &seed.name,
                        email: &seed.email,
                        role: seed.role.as_str(),
                        password_hash: (!seed.invited).then_some("$argon2id$placeholder"),
                        active: seed.active,
                        created_at: now,
                        password_changed_at: now,
                        language: "en",
                    },
                )
                .unwrap();
                diesel::update(agents::table.find(&id))
                    .set((agents::two_factor.eq(seed.two_factor), agents::last_login_at.eq(seed.last_login_at)))
                    .execute(conn)
                    .unwrap();
                id
            })
            .collect()
    })
    .await
}

pub async fn set_two_factor(app: &TestApp, agent_id: &str, status: &'static str) {
    let id = agent_id.to_owned();
    app.db(move |conn| diesel::update(agents::table.find(&id)).set(agents::two_factor.eq(status)).execute(conn).unwrap()).await;
}

/// Trusts a browser for the agent directly in the table (issue 4 owns the
/// real flow); `expires_in` may be negative for an expired one.
pub async fn trust_computer(app: &TestApp, agent_id: &str, expires_in: Duration) {
    let id = agent_id.to_owned();
    let now = app.clock_now();
    app.db(move |conn| {
        diesel::insert_into(trusted_computers::table)
            .values((
                trusted_computers::id.eq(new_public_id()),
                trusted_computers::agent_id.eq(&id),
                trusted_computers::token_hash.eq(new_public_id()),
                trusted_computers::label.eq("Firefox on Linux"),
                trusted_computers::ip.eq("192.0.2.7"),
                trusted_computers::created_at.eq(now),
                trusted_computers::last_used_at.eq(now),
                trusted_computers::expires_at.eq(now + expires_in),
            ))
            .execute(conn)
            .unwrap()
    })
    .await;
}

pub async fn trusted_computer_rows(app: &TestApp, agent_id: &str) -> i64 {
    let id = agent_id.to_owned();
    app.db(move |conn| trusted_computers::table.filter(trusted_computers::agent_id.eq(&id)).count().get_result(conn).unwrap()).await
}

/// Sessions of one agent in the session store.
pub async fn sessions_of(app: &TestApp, agent_id: &str) -> i64 {
    let id = agent_id.to_owned();
    app.db(move |conn| {
        agentgate::db::schema::sessions::table
            .filter(agentgate::db::schema::sessions::agent_id.eq(&id))
            .count()
            .get_result(conn)
            .unwrap()
    })
    .await
}

/// An email in the outbox.
#[derive(Debug)]
pub struct QueuedEmail {
    pub kind: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Every email queued for `recipient`, oldest first.
pub async fn emails_to(app: &TestApp, recipient: &str) -> Vec<QueuedEmail> {
    let recipient = recipient.to_owned();
    app.db(move |conn| {
        outbox::table
            .filter(outbox::recipient.eq(&recipient))
            .order(outbox::created_at.asc())
            .select((outbox::kind, outbox::subject, outbox::body_text, outbox::body_html))
            .load::<(String, String, String, String)>(conn)
            .unwrap()
            .into_iter()
            .map(|(kind, subject, text, html)| QueuedEmail { kind, subject, text, html })
            .collect()
    })
    .await
}

/// The path and query of the first `http(s)://…/{path_start}` link in a text body.
pub fn link_path(text: &str, path_start: &str) -> String {
    let start = text.find(path_start).unwrap_or_else(|| panic!("no {path_start} link in:\n{text}"));
    text[start..].split_whitespace().next().unwrap().to_owned()
}

/// The audit events about an agent, oldest first.
pub async fn audit_of(app: &TestApp, subject_id: &str) -> Vec<String> {
    let id = subject_id.to_owned();
    app.db(move |conn| {
        audit_events::table
            .filter(audit_events::subject_id.eq(&id))
            .order(audit_events::occurred_at.asc())
            .select(audit_events::event)
            .load::<String>(conn)
            .unwrap()
    })
    .await
}

/// The counters behind "N of M" must equal a count of the agents themselves.
pub async fn assert_counters_match(app: &TestApp, company_id: &str) {
    let company_id = company_id.to_owned();
    app.db(move |conn| {
        let kept = agentgate::agents::listing::summary(conn, &company_id).unwrap();
        let counted = agentgate::agents::listing::summary_by_counting(conn, &company_id).unwrap();
        assert_eq!(kept, counted, "the trigger-kept counters drifted from the agents");
    })
    .await;
}

/// The text of an element's content in a page, without tags, whitespace collapsed.
pub fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The names in the Agents table of a page, in order.
pub fn names_in_table(html: &str) -> Vec<String> {
    let body = html.split("<tbody>").nth(1).unwrap_or("").split("</tbody>").next().unwrap_or("");
    body.split("<tr")
        .skip(1)
        .filter_map(|row| {
            let cell = row.split("<td class=\"name\">").nth(1)?;
            let link_text = cell.split('>').nth(1)?.split('<').next()?;
            Some(link_text.to_owned())
        })
        .collect()
}

/// Acme Support's row, as the policy form left it.
pub async fn company_row(app: &TestApp) -> agentgate::db::models::Company {
    app.db(|conn| {
        agentgate::db::schema::companies::table
            .select(agentgate::db::models::Company::as_select())
            .filter(agentgate::db::schema::companies::name.eq("Acme Support"))
            .first(conn)
            .unwrap()
    })
    .await
}

/// The details of every audit entry of `event`.
pub async fn audit_details(app: &TestApp, event: &'static str) -> Vec<Option<String>> {
    app.db(move |conn| audit_events::table.filter(audit_events::event.eq(event)).select(audit_events::detail).load(conn).unwrap()).await
}

/// Sets an agent's own language ("en", "pl") and time zone (None: the company's).
pub async fn set_language(app: &TestApp, agent_id: &str, language: &'static str, time_zone: Option<&'static str>) {
    let id = agent_id.to_owned();
    app.db(move |conn| {
        diesel::update(agents::table.find(&id)).set((agents::language.eq(language), agents::time_zone.eq(time_zone))).execute(conn).unwrap()
    })
    .await;
}

/// The words of `text` (a page's text) that only the English catalogue uses:
/// what a page shown in Polish must not hold.
pub fn english_words_in(text: &str) -> Vec<String> {
    let english = crate::catalogue::english_only_words();
    let mut found: Vec<String> =
        text.split(|c: char| !c.is_alphabetic()).map(str::to_lowercase).filter(|word| english.contains(word)).collect();
    found.sort();
    found.dedup();
    found
}
