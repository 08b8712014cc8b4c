//! `/dev/mailbox`: the emails the server sent, newest first. Registered only
//! with the `mailbox` transport (development): it shows every agent's codes.

use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::error::AppError;
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
    /// The links of the text (invitations, password resets), to click.
    links: Vec<String>,
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
    let tr = crate::i18n::current();
    let entries = rows
        .into_iter()
        .map(|row| MailboxEntry { written: tr.date_time(row.created_at), code: code_in(&row.subject), links: links_in(&row.body_text), row })
        .collect();
    render(&MailboxPage { layout: Layout::anonymous(tr.t("dev-mailbox-title"), String::new()), to: to.unwrap_or_default(), entries })
}

/// The http(s) links of an email's text, in order, each once.
fn links_in(text: &str) -> Vec<String> {
    let mut links: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        let link = word.trim_end_matches(['.', ',', ')', '>']).trim_start_matches(['(', '<']);
        if (link.starts_with("http://") || link.starts_with("https://")) && !links.iter().any(|l| l == link) {
            links.push(link.to_owned());
        }
    }
    links
}

#[cfg(test)]
mod tests {
    use super::{code_in, links_in};

    #[test]
    fn finds_the_code_in_a_subject() {
        assert_eq!(code_in("AgentGate sign-in code: 042917").as_deref(), Some("042917"));
        assert_eq!(code_in("AgentGate: reset your password"), None);
        assert_eq!(code_in("1234567"), None);
        assert_eq!(
            links_in("Choose a password: http://127.0.0.1:8080/invitation?token=abc.\nOr (https://x.test/a). http://127.0.0.1:8080/invitation?token=abc"),
            ["http://127.0.0.1:8080/invitation?token=abc", "https://x.test/a"]
        );
    }
}
