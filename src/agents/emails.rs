//! The emails the Agents tab sends: each a text and an HTML template under
//! `templates/email/`, queued in the transaction of the change it reports.

use askama::Template;
use chrono::NaiveDateTime;

use crate::domain::EmailAddress;
use crate::mail::{Email, EmailKind};

/// What an invitation says.
pub struct InvitationMessage<'a> {
    pub to: &'a EmailAddress,
    pub name: &'a str,
    pub inviter: &'a str,
    pub company: &'a str,
    /// The single-use link with its token.
    pub link: &'a str,
    pub expires_at: NaiveDateTime,
}

#[derive(Template)]
#[template(path = "email/invitation.txt")]
struct InvitationText<'a> {
    m: &'a InvitationMessage<'a>,
    expires: &'a str,
}

#[derive(Template)]
#[template(path = "email/invitation.html")]
struct InvitationHtml<'a> {
    m: &'a InvitationMessage<'a>,
    expires: &'a str,
}

/// The invitation email: who invited whom to which company, and the link.
pub fn invitation(message: &InvitationMessage<'_>) -> Result<Email, askama::Error> {
    let expires = message.expires_at.format("%Y-%m-%d %H:%M").to_string();
    Ok(Email {
        kind: EmailKind::Invitation,
        to: message.to.clone(),
        subject: format!("You are invited to the {} helpdesk on AgentGate", message.company),
        text: InvitationText { m: message, expires: &expires }.render()?,
        html: InvitationHtml { m: message, expires: &expires }.render()?,
    })
}

/// What the "your 2FA was reset" notice says.
pub struct TwoFactorResetMessage<'a> {
    pub to: &'a EmailAddress,
    pub name: &'a str,
    /// Who did it, as the sentence starts: "Ada Lovelace, an admin of Acme,"
    /// or "The operator of this AgentGate server".
    pub by: &'a str,
    pub company: &'a str,
    pub at: NaiveDateTime,
    /// The company requires 2FA: the agent will be asked to turn it on again.
    pub required: bool,
}

#[derive(Template)]
#[template(path = "email/two_factor_reset.txt")]
struct TwoFactorResetText<'a> {
    m: &'a TwoFactorResetMessage<'a>,
    when: &'a str,
}

#[derive(Template)]
#[template(path = "email/two_factor_reset.html")]
struct TwoFactorResetHtml<'a> {
    m: &'a TwoFactorResetMessage<'a>,
    when: &'a str,
}

/// Tells an agent that their two-factor authentication was reset.
pub fn two_factor_reset(message: &TwoFactorResetMessage<'_>) -> Result<Email, askama::Error> {
    let when = message.at.format("%Y-%m-%d %H:%M").to_string();
    Ok(Email {
        kind: EmailKind::SecurityNotice,
        to: message.to.clone(),
        subject: "Your two-factor authentication was reset".to_owned(),
        text: TwoFactorResetText { m: message, when: &when }.render()?,
        html: TwoFactorResetHtml { m: message, when: &when }.render()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 12, 5).unwrap().and_hms_opt(9, 30, 0).unwrap()
    }

    #[test]
    fn the_invitation_carries_the_link_in_both_parts_and_escapes_html() {
        let to = EmailAddress::parse("bo@acme.test").unwrap();
        let email = invitation(&InvitationMessage {
            to: &to,
            name: "Bo <b>",
            inviter: "Ada",
            company: "Acme & Co",
            link: "http://127.0.0.1:8080/invitation?token=abc",
            expires_at: at(),
        })
        .unwrap();
        assert_eq!(email.subject, "You are invited to the Acme & Co helpdesk on AgentGate");
        assert!(email.text.contains("http://127.0.0.1:8080/invitation?token=abc"));
        assert!(email.text.contains("Hello Bo <b>,"), "text is not escaped");
        assert!(email.text.contains("until 2026-12-05 09:30 UTC"));
        assert!(email.html.contains("Hello Bo &#60;b&#62;,") || email.html.contains("Hello Bo &lt;b&gt;,"), "{}", email.html);
        assert!(email.html.contains("Acme &#38; Co") || email.html.contains("Acme &amp; Co"));
        assert!(email.html.contains("invitation?token=abc"));
    }

    #[test]
    fn the_reset_notice_says_whether_2fa_must_be_turned_on_again() {
        let to = EmailAddress::parse("bo@acme.test").unwrap();
        let message = |required| TwoFactorResetMessage { to: &to, name: "Bo", by: "Ada, an admin of Acme,", company: "Acme", at: at(), required };
        let required = two_factor_reset(&message(true)).unwrap();
        assert!(required.text.contains("Ada, an admin of Acme, reset two-factor authentication on your AgentGate account on 2026-12-05 09:30 UTC."));
        assert!(required.text.contains("you will be asked to turn it on again"));
        assert!(required.html.contains("you will be asked to turn it on again"));
        let optional = two_factor_reset(&message(false)).unwrap();
        assert!(optional.text.contains("You can turn it on again in Account Setting."));
        assert_eq!(optional.kind, EmailKind::SecurityNotice);
    }
}
