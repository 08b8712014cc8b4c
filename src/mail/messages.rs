//! The emails AgentGate sends, each rendered from the templates under
//! `templates/email/` as plain text and HTML. Codes are in the subject and
//! the body; every message says when and from which browser it was asked for.

use askama::Template;
use chrono::NaiveDateTime;

use crate::domain::{ClientInfo, EmailAddress, OneTimeCode, browser_label_in};
use crate::i18n::{Tr, arg};
use crate::mail::{Email, EmailKind};

/// Where and when the request that caused an email came from.
#[derive(Debug, Clone)]
pub struct RequestContext {
    pub at: NaiveDateTime,
    /// The raw User-Agent: the email names the browser in the recipient's
    /// language ("Firefox on Linux"), never quoting the header.
    pub user_agent: String,
    pub ip: String,
}

impl RequestContext {
    pub fn new(at: NaiveDateTime, user_agent: &str, ip: &str) -> RequestContext {
        RequestContext { at, user_agent: user_agent.to_owned(), ip: ip.to_owned() }
    }

    pub fn of(client: &ClientInfo, at: NaiveDateTime) -> RequestContext {
        RequestContext::new(at, &client.user_agent, &client.ip)
    }

    fn browser(&self, tr: &Tr) -> String {
        browser_label_in(tr, &self.user_agent)
    }

    /// "This happened on 28 November 2026, 14:03 UTC from Firefox on Linux (IP address 192.0.2.1)."
    fn sentence(&self, tr: &Tr) -> String {
        tr.tn("email-context", vec![("at", arg(tr.date_time(self.at))), ("browser", arg(self.browser(tr))), ("ip", arg(&self.ip))])
    }
}

/// Who the email goes to: the address, the name to greet, and the language
/// and time zone to write in (the recipient's, never the sender's).
pub struct Recipient<'a> {
    pub email: &'a EmailAddress,
    pub name: &'a str,
    pub tr: Tr,
}

/// What a code email says, in the recipient's words; rendered by both of its templates.
struct CodeFields<'a> {
    tr: Tr,
    heading: String,
    hello: String,
    intro: String,
    code: &'a str,
    validity: String,
    requested: String,
    settings_url: String,
    /// What to do if this was not asked for, when it is not "someone knows
    /// your password" (a code to a new address may reach a stranger).
    unrequested: Option<String>,
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
    tr: Tr,
    hello: String,
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
    let tr = &to.tr;
    let (kind, prefix) = match purpose {
        CodePurpose::Login => (EmailKind::LoginCode, "email-login-code"),
        CodePurpose::ConfirmTwoFactor => (EmailKind::TwoFactorConfirmation, "email-confirm-code"),
        CodePurpose::ConfirmIdentity => (EmailKind::LoginCode, "email-identity-code"),
        CodePurpose::ChangeEmail => (EmailKind::EmailChange, "email-change-code"),
    };
    let subject = tr.t1(&format!("{prefix}-subject"), "code", code.expose());
    let requested = vec![("at", arg(tr.date_time(context.at))), ("browser", arg(context.browser(tr))), ("ip", arg(&context.ip))];
    let fields = CodeFields {
        tr: *tr,
        heading: tr.t(&format!("{prefix}-heading")),
        hello: tr.t1("email-hello", "name", to.name),
        intro: tr.t(&format!("{prefix}-intro")),
        code: code.expose(),
        validity: tr.t2("email-code-validity", "minutes", lifetime.num_minutes(), "expires", tr.date_time(context.at + lifetime)),
        requested: tr.tn("email-code-requested", requested),
        settings_url: format!("{base_url}/account/settings"),
        unrequested: (purpose == CodePurpose::ChangeEmail).then(|| tr.t("email-code-unrequested")),
    };
    let text = CodeText { m: &fields }.render()?;
    let html = CodeHtml { m: &fields }.render()?;
    Ok(Email { kind, to: to.email.clone(), subject, text, html, useful_until: None, challenge_id: None })
}

/// A notice: a title, a few paragraphs, optionally the request it is about,
/// a warning line and one link, all in the recipient's words.
struct Notice<'a> {
    kind: EmailKind,
    subject: String,
    title: String,
    paragraphs: Vec<String>,
    context: Option<&'a RequestContext>,
    warning: Option<String>,
    link: Option<Link>,
}

fn render_notice(to: &Recipient<'_>, notice: Notice<'_>) -> Result<Email, askama::Error> {
    let tr = &to.tr;
    let fields = NoticeFields {
        tr: *tr,
        hello: tr.t1("email-hello", "name", to.name),
        title: &notice.title,
        paragraphs: &notice.paragraphs,
        context: notice.context.map(|context| context.sentence(tr)),
        warning: notice.warning.as_deref(),
        link: notice.link.as_ref(),
    };
    let text = NoticeText { m: &fields }.render()?;
    let html = NoticeHtml { m: &fields }.render()?;
    Ok(Email { useful_until: None, challenge_id: None, kind: notice.kind, to: to.email.clone(), subject: notice.subject, text, html })
}

/// A security notice whose keys share `prefix`: `-subject`, `-title`, and
/// the paragraphs given.
fn security_notice<'a>(tr: &Tr, prefix: &str, paragraphs: Vec<String>, context: Option<&'a RequestContext>, warning: &str, link: Option<Link>) -> Notice<'a> {
    Notice {
        kind: EmailKind::SecurityNotice,
        subject: tr.t(&format!("{prefix}-subject")),
        title: tr.t(&format!("{prefix}-title")),
        paragraphs,
        context,
        warning: Some(tr.t(warning)),
        link,
    }
}

fn settings_link(tr: &Tr, base_url: &str) -> Option<Link> {
    Some(Link { label: tr.t("email-open-account-setting"), url: format!("{base_url}/account/settings") })
}

fn reset_link(tr: &Tr, base_url: &str) -> Option<Link> {
    Some(Link { label: tr.t("email-reset-your-password"), url: format!("{base_url}/password/forgot") })
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
    let tr = &to.tr;
    let (subject, first, link) = match until {
        Some(until) => (
            "email-codes-locked-subject",
            tr.t2("email-codes-locked-until", "count", wrong_codes, "until", tr.date_time(until)),
            settings_link(tr, base_url),
        ),
        None => ("email-codes-locked-reset-subject", tr.t1("email-codes-locked-until-reset", "count", wrong_codes), reset_link(tr, base_url)),
    };
    let paragraphs = vec![first, tr.t("email-codes-locked-password-was-right")];
    let mut notice = security_notice(tr, "email-codes-locked", paragraphs, Some(context), "email-codes-locked-warning", link);
    notice.subject = tr.t(subject);
    render_notice(to, notice)
}

/// Sign-ins to the account from browsers it was never used on were paused
/// after `failures` wrong passwords (someone may be guessing). The agent's
/// own browsers are not affected.
pub fn account_under_attack(to: &Recipient<'_>, failures: u32, since: NaiveDateTime, base_url: &str) -> Result<Email, askama::Error> {
    let tr = &to.tr;
    let paragraphs = vec![tr.t2("email-under-attack-count", "count", failures, "since", tr.date_time(since)), tr.t("email-under-attack-paused")];
    render_notice(to, security_notice(tr, "email-under-attack", paragraphs, None, "email-under-attack-warning", settings_link(tr, base_url)))
}

/// Someone passed the password step but no code followed in time.
pub fn abandoned_login(to: &Recipient<'_>, context: &RequestContext, base_url: &str) -> Result<Email, askama::Error> {
    let tr = &to.tr;
    let paragraphs = vec![tr.t("email-abandoned-what"), tr.t("email-abandoned-ignore")];
    render_notice(to, security_notice(tr, "email-abandoned", paragraphs, Some(context), "email-not-you-change-password", settings_link(tr, base_url)))
}

/// A change to the account's factors, told with one paragraph (`{prefix}-what`).
fn factor_changed(to: &Recipient<'_>, prefix: &str, context: &RequestContext, base_url: &str) -> Result<Email, askama::Error> {
    let tr = &to.tr;
    let paragraphs = vec![tr.t(&format!("{prefix}-what"))];
    render_notice(to, security_notice(tr, prefix, paragraphs, Some(context), "email-not-you-change-password", settings_link(tr, base_url)))
}

pub fn two_factor_enabled(to: &Recipient<'_>, context: &RequestContext, base_url: &str) -> Result<Email, askama::Error> {
    factor_changed(to, "email-2fa-on", context, base_url)
}

pub fn two_factor_disabled(to: &Recipient<'_>, context: &RequestContext, base_url: &str) -> Result<Email, askama::Error> {
    factor_changed(to, "email-2fa-off", context, base_url)
}

/// An authenticator app was added to the agent's account (SPEC §7).
pub fn authenticator_added(to: &Recipient<'_>, context: &RequestContext, base_url: &str) -> Result<Email, askama::Error> {
    factor_changed(to, "email-app-added", context, base_url)
}

pub fn authenticator_removed(to: &Recipient<'_>, context: &RequestContext, base_url: &str) -> Result<Email, askama::Error> {
    factor_changed(to, "email-app-removed", context, base_url)
}

pub fn recovery_codes_generated(to: &Recipient<'_>, context: &RequestContext, base_url: &str) -> Result<Email, askama::Error> {
    factor_changed(to, "email-recovery-made", context, base_url)
}

/// A passkey event, told with the passkey's name as the agent gave it.
fn passkey_notice(to: &Recipient<'_>, prefix: &str, name: &str, warning: &str, context: &RequestContext, base_url: &str) -> Result<Email, askama::Error> {
    let tr = &to.tr;
    let paragraphs = vec![tr.t1(&format!("{prefix}-what"), "name", name)];
    render_notice(to, security_notice(tr, prefix, paragraphs, Some(context), warning, settings_link(tr, base_url)))
}

/// A passkey or security key was added (its name as the agent gave it).
pub fn passkey_added(to: &Recipient<'_>, name: &str, context: &RequestContext, base_url: &str) -> Result<Email, askama::Error> {
    passkey_notice(to, "email-passkey-added", name, "email-not-you-change-password", context, base_url)
}

pub fn passkey_removed(to: &Recipient<'_>, name: &str, context: &RequestContext, base_url: &str) -> Result<Email, askama::Error> {
    passkey_notice(to, "email-passkey-removed", name, "email-not-you-change-password", context, base_url)
}

/// A passwordless sign-in from a browser the agent has not signed in on before.
pub fn passkey_sign_in(to: &Recipient<'_>, name: &str, context: &RequestContext, base_url: &str) -> Result<Email, askama::Error> {
    passkey_notice(to, "email-passkey-sign-in", name, "email-not-you-remove-passkey", context, base_url)
}

/// A recovery code signed the agent in; `left` remain.
pub fn recovery_code_used(to: &Recipient<'_>, left: i32, context: &RequestContext, base_url: &str) -> Result<Email, askama::Error> {
    let tr = &to.tr;
    let paragraphs = vec![tr.t("email-recovery-used-what"), tr.t1("email-recovery-used-left", "left", left)];
    render_notice(to, security_notice(tr, "email-recovery-used", paragraphs, Some(context), "email-not-you-change-password", settings_link(tr, base_url)))
}

/// 2FA was reset for the agent by someone else (an admin, or the command line).
/// `by`: the admin's name, or None for the server's command line.
pub fn two_factor_reset(to: &Recipient<'_>, by: Option<&str>, at: NaiveDateTime, base_url: &str) -> Result<Email, askama::Error> {
    let tr = &to.tr;
    let by = by.map_or_else(|| tr.t("email-2fa-reset-by-cli"), str::to_owned);
    let paragraphs = vec![tr.t2("email-2fa-reset-what", "by", by, "at", tr.date_time(at)), tr.t("email-2fa-reset-again")];
    render_notice(to, security_notice(tr, "email-2fa-reset", paragraphs, None, "email-2fa-reset-warning", settings_link(tr, base_url)))
}

/// A browser became a trusted computer (SPEC §2.3 step 4): from now on it
/// skips the code, so the agent hears about it and can forget it.
pub fn trusted_computer_added(to: &Recipient<'_>, until: NaiveDateTime, context: &RequestContext, base_url: &str) -> Result<Email, askama::Error> {
    let tr = &to.tr;
    let paragraphs = vec![tr.t1("email-trusted-what", "browser", context.browser(tr)), tr.t1("email-trusted-until", "until", tr.date_time(until))];
    let link = Link { label: tr.t("email-trusted-review"), url: format!("{base_url}/account/settings#trusted-computers") };
    render_notice(to, security_notice(tr, "email-trusted", paragraphs, Some(context), "email-trusted-warning", Some(link)))
}

pub fn password_changed(to: &Recipient<'_>, context: &RequestContext, base_url: &str) -> Result<Email, askama::Error> {
    let tr = &to.tr;
    let paragraphs = vec![tr.t("email-password-changed-what")];
    render_notice(to, security_notice(tr, "email-password-changed", paragraphs, Some(context), "email-password-changed-warning", reset_link(tr, base_url)))
}

/// Told to the OLD address after the account's email address changed
/// (SPEC §2.2 step 6): whoever changed it may have taken the account.
pub fn email_changed(to: &Recipient<'_>, new_address: &EmailAddress, context: &RequestContext) -> Result<Email, askama::Error> {
    let tr = &to.tr;
    let paragraphs = vec![tr.t1("email-address-changed-what", "address", new_address.masked()), tr.t("email-address-changed-signed-out")];
    render_notice(to, security_notice(tr, "email-address-changed", paragraphs, Some(context), "email-address-changed-warning", None))
}

/// The password reset link (`link` holds the single-use token).
pub fn password_reset(to: &Recipient<'_>, link: &str, lifetime: chrono::Duration, context: &RequestContext) -> Result<Email, askama::Error> {
    let tr = &to.tr;
    let paragraphs = vec![tr.t1("email-reset-what", "minutes", lifetime.num_minutes()), tr.t("email-reset-still-code")];
    let link = Link { label: tr.t("email-reset-link"), url: link.to_owned() };
    let mut notice = security_notice(tr, "email-reset", paragraphs, Some(context), "email-reset-warning", Some(link));
    notice.kind = EmailKind::PasswordReset;
    render_notice(to, notice)
}

/// An invitation to an agent an admin added: the single-use link (it holds
/// the token) to the page where they choose their password.
pub fn invitation(to: &Recipient<'_>, inviter: &str, company: &str, link: &str, expires_at: NaiveDateTime) -> Result<Email, askama::Error> {
    let tr = &to.tr;
    let what = vec![("inviter", arg(inviter)), ("company", arg(company)), ("email", arg(to.email.to_string()))];
    let paragraphs = vec![tr.tn("email-invitation-what", what), tr.t1("email-invitation-until", "until", tr.date_time(expires_at))];
    let notice = Notice {
        kind: EmailKind::Invitation,
        subject: tr.t1("email-invitation-subject", "company", company),
        title: tr.t("email-invitation-title"),
        paragraphs,
        context: None,
        warning: Some(tr.t("email-invitation-warning")),
        link: Some(Link { label: tr.t("email-invitation-link"), url: link.to_owned() }),
    };
    render_notice(to, notice)
}

/// The test email of `agentgate check-mail`.
pub fn check_mail(to: &Recipient<'_>, transport: &str) -> Result<Email, askama::Error> {
    let tr = &to.tr;
    let paragraphs = vec![tr.t1("email-check-what", "transport", transport), tr.t("email-check-same-way")];
    let mut notice = security_notice(tr, "email-check", paragraphs, None, "email-check-same-way", None);
    notice.warning = None;
    render_notice(to, notice)
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
        let to = Recipient { email: &email, name: "Ada <b>Lovelace</b>", tr: Tr::default() };
        let code = OneTimeCode::from_number(42);
        let message = code_email(&to, CodePurpose::Login, &code, chrono::Duration::minutes(10), &context(), "http://x.test").unwrap();
        assert!(message.subject.contains("000042"));
        for body in [&message.text, &message.html] {
            assert!(body.contains("000042"));
            assert!(body.contains("10 minutes"));
            assert!(body.contains("28 November 2026, 14:03 UTC"));
            assert!(body.contains("Firefox on Linux"));
            assert!(body.contains("change your password"));
        }
        assert!(message.html.contains("Ada &#60;b&#62;Lovelace") || message.html.contains("Ada &lt;b&gt;Lovelace"), "names are escaped in HTML");
        assert!(message.text.contains("Ada <b>Lovelace</b>"), "plain text is not escaped");
    }

    #[test]
    fn a_new_addresss_code_does_not_tell_a_stranger_to_change_a_password() {
        let email = EmailAddress::parse("new@example.com").unwrap();
        let to = Recipient { email: &email, name: "Ada", tr: Tr::default() };
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
        let message = email_changed(&Recipient { email: &old, name: "Ada", tr: Tr::default() }, &new, &context()).unwrap();
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
        let to = Recipient { email: &email, name: "Ada", tr: Tr::default() };
        let until = context().at + chrono::Duration::days(30);
        let message = trusted_computer_added(&to, until, &context(), "http://x.test").unwrap();
        assert_eq!(message.subject, "AgentGate: a new trusted computer was added");
        for body in [&message.text, &message.html] {
            assert!(body.contains("Firefox on Linux"));
            assert!(body.contains("28 November 2026, 14:03 UTC"), "when");
            assert!(body.contains("192.0.2.7"), "the IP");
            assert!(body.contains("28 December 2026, 14:03 UTC"), "until when");
            assert!(body.contains("If this was not you, forget that computer"));
            assert!(body.contains("http://x.test/account/settings#trusted-computers"));
        }
    }

    #[test]
    fn a_polish_agent_gets_a_polish_code_email_with_times_in_their_zone() {
        let email = EmailAddress::parse("jan@example.com").unwrap();
        let warsaw = crate::i18n::parse_time_zone("Europe/Warsaw").unwrap();
        let to = Recipient { email: &email, name: "Jan", tr: Tr::new(crate::i18n::Language::Polish, warsaw) };
        let code = OneTimeCode::from_number(42);
        let message = code_email(&to, CodePurpose::Login, &code, chrono::Duration::minutes(10), &context(), "http://x.test").unwrap();
        assert_eq!(message.subject, "Kod logowania AgentGate: 000042");
        assert!(message.html.contains(r#"<html lang="pl">"#));
        for body in [&message.text, &message.html] {
            assert!(body.contains("Cześć Jan,"));
            assert!(body.contains("Kod działa przez 10 minut, do 28 listopada 2026, 15:13 CET, i tylko raz."), "{body}");
            assert!(body.contains("28 listopada 2026, 15:03 CET"), "the request, in Warsaw time");
            assert!(body.contains("Firefox w systemie Linux"));
            assert!(body.contains("zmień je teraz"));
            for english in ["Hello", "minutes", "Requested", "If this was not you", "Never give"] {
                assert!(!body.contains(english), "{english} in {body}");
            }
        }
        let left = recovery_code_used(&to, 2, &context(), "http://x.test").unwrap();
        assert!(left.text.contains("Zostały Ci 2 kody odzyskiwania"), "{}", left.text);
        let left = recovery_code_used(&to, 5, &context(), "http://x.test").unwrap();
        assert!(left.text.contains("Zostało Ci 5 kodów odzyskiwania"), "{}", left.text);
    }
}
