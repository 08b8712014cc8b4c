//! `/dev/mailbox`: the emails the server sent, newest first. Registered only
//! with the `mailbox` transport (development): it shows every agent's codes.

use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::error::AppError;
use crate::domain::dates::when;
use crate::mail::outbox::{self, OutboxRow};
use crate::state::AppState;
use crate::web::{Layout, render};

/// The most emails the page lists.
const SHOWN: i64 = 50;

struct MailboxEntry {
    row: OutboxRow,
    written: String,
    /// The code in the subject, large on the page, so it reads at a glance.
    code: Option<String>,
}

#[derive(Template)]
#[template(path = "dev_mailbox.html")]
struct MailboxPage {
    layout: Layout,
    to: String,
    entries: Vec<MailboxEntry>,
}

#[derive(Deserialize)]
pub struct MailboxQuery {
    to: Option<String>,
}

/// The six-digit run in a subject, if there is one.
fn code_in(subject: &str) -> Option<String> {
    subject
        .split(|c: char| !c.is_ascii_digit())
        .find(|run| run.len() == crate::domain::CODE_DIGITS)
        .map(str::to_owned)
}

/// `GET /dev/mailbox?to=…`.
pub async fn mailbox(state: web::Data<AppState>, query: web::Query<MailboxQuery>) -> Result<HttpResponse, AppError> {
    let to = query.to.clone().map(|t| t.trim().to_lowercase()).filter(|t| !t.is_empty());
    let filter = to.clone();
    let rows = state.db(move |conn| Ok(outbox::newest(conn, filter.as_deref(), SHOWN)?)).await?;
    let entries = rows
        .into_iter()
        .map(|row| MailboxEntry { written: when(row.created_at), code: code_in(&row.subject), row })
        .collect();
    render(&MailboxPage { layout: Layout::anonymous("Mailbox (development)", String::new()), to: to.unwrap_or_default(), entries })
}

#[cfg(test)]
mod tests {
    use super::code_in;

    #[test]
    fn finds_the_code_in_a_subject() {
        assert_eq!(code_in("AgentGate sign-in code: 042917").as_deref(), Some("042917"));
        assert_eq!(code_in("AgentGate: reset your password"), None);
        assert_eq!(code_in("1234567"), None);
    }
}
