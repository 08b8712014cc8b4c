//! The emails AgentGate sends, each rendered from the templates under
//! `templates/email/` as plain text and HTML. Codes are in the subject and
//! the body; every message says when and from which browser it was asked for.

use askama::Template;
use chrono::NaiveDateTime;

use crate::domain::{EmailAddress, OneTimeCode};
use crate::mail::{Email, EmailKind};
use crate::domain::{ClientInfo, browser_label};

/// Where and when the request that caused an email came from.
#[derive(Debug, Clone)]
pub struct RequestContext {
    pub at: NaiveDateTime,
    /// A short browser name ("Firefox on Linux"), never the raw header.
    pub browser: String,
    pub ip: String,
}

impl RequestContext {
    pub fn new(at: NaiveDateTime, user_agent: &str, ip: &str) -> RequestContext {
        RequestContext { at, browser: browser_label(user_agent), ip: ip.to_owned() }
    }

    pub fn of(client: &ClientInfo, at: NaiveDateTime) -> RequestContext {
        RequestContext::new(at, &client.user_agent, &client.ip)
    }

    /// "on 2026-11-28 at 14:03 UTC from Firefox on Linux (IP address 192.0.2.1)."
    fn sentence(&self) -> String {
        format!("This happened on {} from {} (IP address {}).", when(self.at), self.browser, self.ip)
    }
}

use crate::domain::dates::when;

/// Who the email goes to: the address codes are sent to, and the name to greet.
pub struct Recipient<'a> {
    pub email: &'a EmailAddress,
    pub name: &'a str,
}

/// What a code email says; rendered by both of its templates.
struct CodeFields<'a> {
    heading: &'a str,
    name: &'a str,
    intro: &'a str,
    code: &'a str,
    lifetime_minutes: i64,
    expires_at: String,
    requested_at: String,
    browser: &'a str,
    ip: &'a str,
    settings_url: String,
    /// What to do if this was not asked for, when it is not "someone knows
    /// your password" (a code to a new address may reach a stranger).
    unrequested: Option<&'a str>,
}

#[derive(Template)]
#[template(path = "email/code.txt")]
struct CodeText<'a> {
    m: &'a CodeFields<'a>,
}

#[derive(Template)]
#[template(path = "email/code.html")]
struct CodeHtml<'a> {
    m: &'a CodeFields<'a>,
}

/// A link in a notice.
pub struct Link {
    pub label: String,
    pub url: String,
}

/// What a notice says; rendered by both of its templates.
struct NoticeFields<'a> {
    name: &'a str,
    title: &'a str,
    paragraphs: &'a [String],
    context: Option<String>,
    warning: Option<&'a str>,
    link: Option<&'a Link>,
}

#[derive(Template)]
#[template(path = "email/notice.txt")]
struct NoticeText<'a> {
    m: &'a NoticeFields<'a>,
}

#[derive(Template)]
#[template(path = "email/notice.html")]
struct NoticeHtml<'a> {
    m: &'a NoticeFields<'a>,
}

/// Why a code is being sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodePurpose {
    Login,
    ConfirmTwoFactor,
    /// "Confirm it is you" before a sensitive change.
    ConfirmIdentity,
    /// Sent to a new address before it replaces the old one.
    ChangeEmail,
}

/// The email carrying a one-time code.
pub fn code_email(
    to: &Recipient<'_>,
    purpose: CodePurpose,
    code: &OneTimeCode,
    lifetime: chrono::Duration,
    context: &RequestContext,
    base_url: &str,
) -> Result<Email, askama::Error> {
    let (kind, subject, heading, intro) = match purpose {
        CodePurpose::Login => (
            EmailKind::LoginCode,
            format!("AgentGate sign-in code: {}", code.expose()),
            "Your sign-in code",
            "Someone entered your password on the AgentGate login page. To finish logging in, enter this code:",
        ),
        CodePurpose::ConfirmTwoFactor => (
            EmailKind::TwoFactorConfirmation,
            format!("AgentGate confirmation code: {}", code.expose()),
            "Confirm two-factor authentication",
            "You asked to turn on two-factor authentication. To confirm that this address receives your codes, enter this code in Account Setting:",
        ),
        CodePurpose::ConfirmIdentity => (
            EmailKind::LoginCode,
            format!("AgentGate security code: {}", code.expose()),
            "Confirm it is you",
            "You are about to change a security setting of your AgentGate account (your password, your email address or two-factor authentication). To confirm it is you, enter this code:",
        ),
        CodePurpose::ChangeEmail => (
            EmailKind::EmailChange,
            format!("AgentGate email change code: {}", code.expose()),
            "Confirm your new email address",
            "You asked to use this address for your AgentGate account. To confirm that it receives your mail, enter this code in AgentGate; the address changes only then:",
        ),
    };
    let unrequested = (purpose == CodePurpose::ChangeEmail).then_some(
        "If you did not ask for this, ignore this email: nothing changes unless the code is entered. Never give this code to anyone.",
    );
    let fields = CodeFields {
        heading,
        name: to.name,
        intro,
        code: code.expose(),
        lifetime_minutes: lifetime.num_minutes(),
        expires_at: when(context.at + lifetime),
        requested_at: when(context.at),
        browser: &context.browser,
        ip: &context.ip,
        settings_url: format!("{base_url}/account/settings"),
        unrequested,
    };
    let text = CodeText { m: &fields }.render()?;
    let html = CodeHtml { m: &fields }.render()?;
    Ok(Email { kind, to: to.email.clone(), subject, text, html, useful_until: None, challenge_id: None })
}

/// A notice: a title, a few paragraphs, optionally the request it is about,
/// a warning line and one link.
struct Notice<'a> {
    kind: EmailKind,
    subject: &'a str,
    title: &'a str,
    paragraphs: Vec<String>,
    context: Option<&'a RequestContext>,
    warning: Option<&'a str>,
    link: Option<Link>,
}

fn render_notice(to: &Recipient<'_>, notice: Notice<'_>) -> Result<Email, askama::Error> {
    let fields = NoticeFields {
        name: to.name,
        title: notice.title,
        paragraphs: &notice.paragraphs,
        context: notice.context.map(RequestContext::sentence),
        warning: notice.warning,
        link: notice.link.as_ref(),
    };
    let text = NoticeText { m: &fields }.render()?;
    let html = NoticeHtml { m: &fields }.render()?;
    Ok(Email { useful_until: None, challenge_id: None, kind: notice.kind, to: to.email.clone(), subject: notice.subject.to_owned(), text, html })
}

const NOT_YOU_CHANGE_PASSWORD: &str = "If this was not you, change your password now: whoever did it knows it.";
const NOT_YOU_REMOVE_PASSKEY: &str = "If this was not you, remove that passkey in Account Setting now, and tell your admin.";

fn settings_link(base_url: &str) -> Option<Link> {
    Some(Link { label: "Open Account Setting".to_owned(), url: format!("{base_url}/account/settings") })
}

fn reset_link(base_url: &str) -> Option<Link> {
    Some(Link { label: "Reset your password".to_owned(), url: format!("{base_url}/password/forgot") })
}

/// SPEC §3: the agent is emailed at each code lock-out, because whoever is
/// guessing knows the password. `until` is `None` for the lock that lasts
/// until a password reset.
pub fn codes_locked(
    to: &Recipient<'_>,
    wrong_codes: i32,
    until: Option<NaiveDateTime>,
    context: &RequestContext,
    base_url: &str,
) -> Result<Email, askama::Error> {
    let (subject, first, link) = match until {
        Some(until) => (
            "AgentGate: sign-in codes locked for your account",
            format!("{wrong_codes} wrong sign-in codes in a row were entered for your account, so no code will be sent or accepted until {}.", when(until)),
            settings_link(base_url),
        ),
        None => (
            "AgentGate: sign-in codes locked until your password is reset",
            format!("{wrong_codes} wrong sign-in codes in a row were entered for your account, so no code will be sent or accepted until your password is reset or an admin resets your two-factor authentication."),
            reset_link(base_url),
        ),
    };
    render_notice(
        to,
        Notice {
            kind: EmailKind::SecurityNotice,
            subject,
            title: "Too many wrong sign-in codes",
            paragraphs: vec![first, "Each of those attempts began with your correct password.".to_owned()],
            context: Some(context),
            warning: Some("Change your password now: whoever entered those codes knows it."),
            link,
        },
    )
}

/// Someone passed the password step but no code followed in time.
/// Sign-ins to the account from browsers it was never used on were paused
/// after `failures` wrong passwords (someone may be guessing). The agent's
/// own browsers are not affected.
pub fn account_under_attack(to: &Recipient<'_>, failures: u32, since: NaiveDateTime, base_url: &str) -> Result<Email, askama::Error> {
    render_notice(
        to,
        Notice {
            kind: EmailKind::SecurityNotice,
            subject: "AgentGate: failed sign-ins to your account from new browsers",
            title: "Someone may be guessing your password",
            paragraphs: vec![
                format!("{failures} failed sign-ins to your account from browsers you have not signed in on came since {}.", when(since)),
                "Sign-ins from new browsers are paused for a while. Browsers where you signed in before are not affected: you can keep working as usual.".to_owned(),
            ],
            context: None,
            warning: Some("If your password is weak or used elsewhere, change it now."),
            link: settings_link(base_url),
        },
    )
}

pub fn abandoned_login(to: &Recipient<'_>, context: &RequestContext, base_url: &str) -> Result<Email, askama::Error> {
    render_notice(
        to,
        Notice {
            kind: EmailKind::SecurityNotice,
            subject: "AgentGate: your password was used but no code followed",
            title: "Your password was entered, but the sign-in was not finished",
            paragraphs: vec![
                "Someone entered your correct password on the AgentGate login page, and no sign-in code was entered afterwards.".to_owned(),
                "If you started a login and gave up, you can ignore this email.".to_owned(),
            ],
            context: Some(context),
            warning: Some(NOT_YOU_CHANGE_PASSWORD),
            link: settings_link(base_url),
        },
    )
}

pub fn two_factor_enabled(to: &Recipient<'_>, context: &RequestContext, base_url: &str) -> Result<Email, askama::Error> {
    render_notice(
        to,
        Notice {
            kind: EmailKind::SecurityNotice,
            subject: "AgentGate: two-factor authentication is on",
            title: "Two-factor authentication is on",
            paragraphs: vec!["From now on, each login asks for a code sent to this address.".to_owned()],
            context: Some(context),
            warning: Some(NOT_YOU_CHANGE_PASSWORD),
            link: settings_link(base_url),
        },
    )
}

pub fn two_factor_disabled(to: &Recipient<'_>, context: &RequestContext, base_url: &str) -> Result<Email, askama::Error> {
    render_notice(
        to,
        Notice {
            kind: EmailKind::SecurityNotice,
            subject: "AgentGate: two-factor authentication was turned off",
            title: "Two-factor authentication was turned off",
            paragraphs: vec![
                "Two-factor authentication was turned off for your account. Logins now need only your password.".to_owned(),
            ],
            context: Some(context),
            warning: Some(NOT_YOU_CHANGE_PASSWORD),
            link: settings_link(base_url),
        },
    )
}

/// An authenticator app was added to the agent's account (SPEC §7).
pub fn authenticator_added(to: &Recipient<'_>, context: &RequestContext, base_url: &str) -> Result<Email, askama::Error> {
    render_notice(
        to,
        Notice {
            kind: EmailKind::SecurityNotice,
            subject: "AgentGate: an authenticator app was added to your account",
            title: "An authenticator app was added",
            paragraphs: vec!["From now on, each login asks for the code your authenticator app shows.".to_owned()],
            context: Some(context),
            warning: Some(NOT_YOU_CHANGE_PASSWORD),
            link: settings_link(base_url),
        },
    )
}

/// A passkey or security key was added (its name as the agent gave it).
pub fn passkey_added(to: &Recipient<'_>, name: &str, context: &RequestContext, base_url: &str) -> Result<Email, askama::Error> {
    render_notice(
        to,
        Notice {
            kind: EmailKind::SecurityNotice,
            subject: "AgentGate: a passkey was added to your account",
            title: "A passkey was added",
            paragraphs: vec![format!("The passkey or security key \"{name}\" can now sign you in to AgentGate.")],
            context: Some(context),
            warning: Some(NOT_YOU_CHANGE_PASSWORD),
            link: settings_link(base_url),
        },
    )
}

pub fn passkey_removed(to: &Recipient<'_>, name: &str, context: &RequestContext, base_url: &str) -> Result<Email, askama::Error> {
    render_notice(
        to,
        Notice {
            kind: EmailKind::SecurityNotice,
            subject: "AgentGate: a passkey was removed from your account",
            title: "A passkey was removed",
            paragraphs: vec![format!("The passkey or security key \"{name}\" no longer signs you in to AgentGate.")],
            context: Some(context),
            warning: Some(NOT_YOU_CHANGE_PASSWORD),
            link: settings_link(base_url),
        },
    )
}

/// A passwordless sign-in from a browser the agent has not signed in on before.
pub fn passkey_sign_in(to: &Recipient<'_>, name: &str, context: &RequestContext, base_url: &str) -> Result<Email, askama::Error> {
    render_notice(
        to,
        Notice {
            kind: EmailKind::SecurityNotice,
            subject: "AgentGate: you signed in with a passkey on a new browser",
            title: "Signed in with a passkey",
            paragraphs: vec![format!("Your passkey \"{name}\" signed you in, without a password, on a browser you had not used for AgentGate before.")],
            context: Some(context),
            warning: Some(NOT_YOU_REMOVE_PASSKEY),
            link: settings_link(base_url),
        },
    )
}

pub fn authenticator_removed(to: &Recipient<'_>, context: &RequestContext, base_url: &str) -> Result<Email, askama::Error> {
    render_notice(
        to,
        Notice {
            kind: EmailKind::SecurityNotice,
            subject: "AgentGate: the authenticator app was removed from your account",
            title: "The authenticator app was removed",
            paragraphs: vec!["Logins no longer accept codes from that app.".to_owned()],
            context: Some(context),
            warning: Some(NOT_YOU_CHANGE_PASSWORD),
            link: settings_link(base_url),
        },
    )
}

pub fn recovery_codes_generated(to: &Recipient<'_>, context: &RequestContext, base_url: &str) -> Result<Email, askama::Error> {
    render_notice(
        to,
        Notice {
            kind: EmailKind::SecurityNotice,
            subject: "AgentGate: new recovery codes for your account",
            title: "New recovery codes were made",
            paragraphs: vec!["A new set of 10 recovery codes was made for your account. Codes of earlier sets no longer work.".to_owned()],
            context: Some(context),
            warning: Some(NOT_YOU_CHANGE_PASSWORD),
            link: settings_link(base_url),
        },
    )
}

/// A recovery code signed the agent in; `left` remain.
pub fn recovery_code_used(to: &Recipient<'_>, left: i32, context: &RequestContext, base_url: &str) -> Result<Email, askama::Error> {
    let remaining = match left {
        0 => "No recovery codes are left: make a new set in Account Setting now.".to_owned(),
        1 => "1 recovery code is left.".to_owned(),
        n if n <= 3 => format!("{n} recovery codes are left: make a new set in Account Setting soon."),
        n => format!("{n} recovery codes are left."),
    };
    render_notice(
        to,
        Notice {
            kind: EmailKind::SecurityNotice,
            subject: "AgentGate: a recovery code was used to sign in",
            title: "A recovery code was used",
            paragraphs: vec!["A recovery code was used to sign in to your account. Each code works once.".to_owned(), remaining],
            context: Some(context),
            warning: Some(NOT_YOU_CHANGE_PASSWORD),
            link: settings_link(base_url),
        },
    )
}

/// 2FA was reset for the agent by someone else (an admin, or the command line).
pub fn two_factor_reset(to: &Recipient<'_>, by: &str, at: NaiveDateTime, base_url: &str) -> Result<Email, askama::Error> {
    render_notice(
        to,
        Notice {
            kind: EmailKind::SecurityNotice,
            subject: "AgentGate: your two-factor authentication was reset",
            title: "Your two-factor authentication was reset",
            paragraphs: vec![
                format!("{by} turned off two-factor authentication for your account on {}, and your trusted computers were forgotten.", when(at)),
                "Turn it on again in Account Setting.".to_owned(),
            ],
            context: None,
            warning: Some("If you did not ask for this, tell your admin."),
            link: settings_link(base_url),
        },
    )
}

/// A browser became a trusted computer (SPEC §2.3 step 4): from now on it
/// skips the code, so the agent hears about it and can forget it.
pub fn trusted_computer_added(
    to: &Recipient<'_>,
    label: &str,
    until: NaiveDateTime,
    context: &RequestContext,
    base_url: &str,
) -> Result<Email, askama::Error> {
    render_notice(
        to,
        Notice {
            kind: EmailKind::SecurityNotice,
            subject: "AgentGate: a new trusted computer was added",
            title: "A new trusted computer was added",
            paragraphs: vec![
                format!("{label} was marked as a trusted computer for your account, after your password and a sign-in code were entered on it."),
                format!("Logins to your account from that browser skip the sign-in code until {}. Every other browser and device still asks for one.", when(until)),
            ],
            context: Some(context),
            warning: Some("If this was not you, forget that computer in Account Setting (Trusted computers) and change your password: whoever did it knows it and could read your code."),
            link: Some(Link { label: "Review your trusted computers".to_owned(), url: format!("{base_url}/account/settings#trusted-computers") }),
        },
    )
}

pub fn password_changed(to: &Recipient<'_>, context: &RequestContext, base_url: &str) -> Result<Email, askama::Error> {
    render_notice(
        to,
        Notice {
            kind: EmailKind::SecurityNotice,
            subject: "AgentGate: your password was changed",
            title: "Your password was changed",
            paragraphs: vec![
                "The password of your AgentGate account was changed. Your other sessions were signed out and your trusted computers forgotten.".to_owned(),
            ],
            context: Some(context),
            warning: Some("If this was not you, reset your password now and tell your admin."),
            link: reset_link(base_url),
        },
    )
}

/// Told to the OLD address after the account's email address changed
/// (SPEC §2.2 step 6): whoever changed it may have taken the account.
pub fn email_changed(to: &Recipient<'_>, new_address: &EmailAddress, context: &RequestContext) -> Result<Email, askama::Error> {
    render_notice(
        to,
        Notice {
            kind: EmailKind::SecurityNotice,
            subject: "AgentGate: your email address was changed",
            title: "Your email address was changed",
            paragraphs: vec![
                format!(
                    "The email address of your AgentGate account was changed from this one to {}. Sign-in codes and notices now go there, and you log in with it.",
                    new_address.masked()
                ),
                "Your other sessions were signed out and your trusted computers forgotten.".to_owned(),
            ],
            context: Some(context),
            warning: Some("If this was not you, tell your admin at once: whoever did it knows your password and now receives your codes."),
            link: None,
        },
    )
}

/// The password reset link (`link` holds the single-use token).
pub fn password_reset(to: &Recipient<'_>, link: &str, lifetime: chrono::Duration, context: &RequestContext) -> Result<Email, askama::Error> {
    render_notice(
        to,
        Notice {
            kind: EmailKind::PasswordReset,
            subject: "AgentGate: reset your password",
            title: "Reset your password",
            paragraphs: vec![
                format!("Someone asked to reset the password of your AgentGate account. The link below works once, for {} minutes.", lifetime.num_minutes()),
                "With two-factor authentication on, logging in afterwards still asks for a code.".to_owned(),
            ],
            context: Some(context),
            warning: Some("If this was not you, ignore this email: your password stays as it is."),
            link: Some(Link { label: "Choose a new password".to_owned(), url: link.to_owned() }),
        },
    )
}

/// An invitation to an agent an admin added: the single-use link (it holds
/// the token) to the page where they choose their password.
pub fn invitation(to: &Recipient<'_>, inviter: &str, company: &str, link: &str, expires_at: NaiveDateTime) -> Result<Email, askama::Error> {
    let subject = format!("You are invited to the {company} helpdesk on AgentGate");
    render_notice(
        to,
        Notice {
            kind: EmailKind::Invitation,
            subject: &subject,
            title: "Choose your password",
            paragraphs: vec![
                format!("{inviter} invited you to sign in to the {company} helpdesk with AgentGate. Your login name is {}.", to.email),
                format!("Choose your password with the link below. It works once, until {}.", when(expires_at)),
            ],
            context: None,
            warning: Some("If you did not expect this invitation, you can ignore this email."),
            link: Some(Link { label: "Choose your password".to_owned(), url: link.to_owned() }),
        },
    )
}

/// The test email of `agentgate check-mail`.
pub fn check_mail(to: &Recipient<'_>, transport: &str) -> Result<Email, askama::Error> {
    render_notice(
        to,
        Notice {
            kind: EmailKind::SecurityNotice,
            subject: "AgentGate test email",
            title: "Email from AgentGate works",
            paragraphs: vec![
                format!("This test email was sent by `agentgate check-mail` through {transport}."),
                "Sign-in codes, invitations and security notices reach agents the same way.".to_owned(),
            ],
            context: None,
            warning: None,
            link: None,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context() -> RequestContext {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap().and_hms_opt(14, 3, 0).unwrap();
        RequestContext::new(at, "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", "192.0.2.7")
    }

    #[test]
    fn a_code_email_has_the_code_lifetime_time_browser_and_warning() {
        let email = EmailAddress::parse("ada@example.com").unwrap();
        let to = Recipient { email: &email, name: "Ada <b>Lovelace</b>" };
        let code = OneTimeCode::from_number(42);
        let message = code_email(&to, CodePurpose::Login, &code, chrono::Duration::minutes(10), &context(), "http://x.test").unwrap();
        assert!(message.subject.contains("000042"));
        for body in [&message.text, &message.html] {
            assert!(body.contains("000042"));
            assert!(body.contains("10 minutes"));
            assert!(body.contains("2026-11-28 at 14:03 UTC"));
            assert!(body.contains("Firefox on Linux"));
            assert!(body.contains("change your password"));
        }
        assert!(message.html.contains("Ada &#60;b&#62;Lovelace") || message.html.contains("Ada &lt;b&gt;Lovelace"), "names are escaped in HTML");
        assert!(message.text.contains("Ada <b>Lovelace</b>"), "plain text is not escaped");
    }

    #[test]
    fn a_new_addresss_code_does_not_tell_a_stranger_to_change_a_password() {
        let email = EmailAddress::parse("new@example.com").unwrap();
        let to = Recipient { email: &email, name: "Ada" };
        let code = OneTimeCode::from_number(123_456);
        let message = code_email(&to, CodePurpose::ChangeEmail, &code, chrono::Duration::minutes(10), &context(), "http://x.test").unwrap();
        assert_eq!(message.kind, EmailKind::EmailChange);
        assert!(message.subject.contains("123456"));
        for body in [&message.text, &message.html] {
            assert!(body.contains("123456") && body.contains("nothing changes unless the code is entered"));
            assert!(!body.contains("someone knows your password"));
        }
    }

    #[test]
    fn the_old_address_is_told_where_the_account_went() {
        let old = EmailAddress::parse("ada@example.com").unwrap();
        let new = EmailAddress::parse("lovelace@example.org").unwrap();
        let message = email_changed(&Recipient { email: &old, name: "Ada" }, &new, &context()).unwrap();
        assert_eq!(message.to, old);
        for body in [&message.text, &message.html] {
            assert!(body.contains("l***@example.org"));
            assert!(body.contains("tell your admin"));
            assert!(body.contains("Firefox on Linux"));
        }
    }

    #[test]
    fn the_trusted_computer_email_names_the_browser_time_ip_and_how_to_forget_it() {
        let email = EmailAddress::parse("ada@example.com").unwrap();
        let to = Recipient { email: &email, name: "Ada" };
        let until = context().at + chrono::Duration::days(30);
        let message = trusted_computer_added(&to, "Firefox on Linux", until, &context(), "http://x.test").unwrap();
        assert_eq!(message.subject, "AgentGate: a new trusted computer was added");
        for body in [&message.text, &message.html] {
            assert!(body.contains("Firefox on Linux"));
            assert!(body.contains("2026-11-28 at 14:03 UTC"), "when");
            assert!(body.contains("192.0.2.7"), "the IP");
            assert!(body.contains("2026-12-28 at 14:03 UTC"), "until when");
            assert!(body.contains("If this was not you, forget that computer"));
            assert!(body.contains("http://x.test/account/settings#trusted-computers"));
        }
    }
}
