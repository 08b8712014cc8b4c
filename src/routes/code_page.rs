//! Every page that asks for an emailed code (the login's code step, turning
//! 2FA on, confirming identity, a new email address) is one template,
//! `code_page.html`, described by a [`CodePageSpec`]; and every way such a
//! page answers a code or a resend (wrong code, dead codes, no new code
//! sent, codes locked) is worded here, once.

use actix_web::http::{StatusCode, header};
use actix_web::HttpResponse;
use askama::Template;
use chrono::NaiveDateTime;

use crate::auth::codes::IssueRefusal;
use crate::auth::codes::Answer;
use crate::auth::passkeys::Assertion;
use crate::domain::{CodeError, OneTimeCode, RecoveryCode, RecoveryCodeError};
use crate::error::AppError;
use crate::i18n::{Key, Tr, t, t1};
use crate::web::Layout;
use crate::web::layout::render_with_status;

/// A link under a code page's forms.
pub struct Link {
    pub href: &'static str,
    pub text: Key,
}

/// A second form that gives the journey up ("Keep my current address").
pub struct CancelForm {
    pub action: &'static str,
    pub label: Key,
}

/// What one purpose's code page says and where its forms go. Every text is a
/// catalogue [`Key`], said in the reader's language.
pub struct CodePageSpec {
    pub title: Key,
    pub eyebrow: Key,
    pub heading: Key,
    /// What entering the code does, after "We emailed a 6-digit code to …".
    pub purpose: Key,
    /// The lead when no code is awaited (a page shown with nothing open).
    pub nothing_waiting: Key,
    pub action: &'static str,
    pub submit_label: Key,
    pub resend_action: &'static str,
    pub resend_label: Key,
    pub resend_help: Option<Key>,
    /// Said when too many wrong codes have killed the step's codes.
    pub needs_new_code: Key,
    pub cancel: Option<CancelForm>,
    pub links: &'static [Link],
    pub links_note: Option<Key>,
}

/// A code page as rendered.
#[derive(Template)]
#[template(path = "code_page.html")]
pub struct CodePage {
    pub layout: Layout,
    pub spec: &'static CodePageSpec,
    /// Where the codes went, masked; `None`: no code is awaited (no forms).
    pub sent_to: Option<String>,
    pub lifetime_minutes: i64,
    pub error: Option<String>,
    /// A page to go back to, carried through both forms.
    pub next: Option<String>,
    /// "I am on a trusted computer": offered for this many days (login only).
    pub trust_days: Option<u32>,
    /// The box as it was (shown again after a wrong code).
    pub trusted: bool,
    /// Why the box is not offered, when it is not.
    pub trust_unavailable: Option<Key>,
    /// What the code comes from: `email`, `app` or `recovery` (SPEC §7).
    pub method: &'static str,
    /// For `email`: a code was sent (else the page offers to send one).
    pub email_sent: bool,
    /// The login's other methods, offered under the form.
    pub other_methods: OtherMethods,
    /// For `passkey`: where the script gets the ceremony's options, and the
    /// relying party id it must be served from.
    pub passkey: Option<PasskeyStep>,
    /// Why no new code went out, and when one can (not an error of the agent's).
    pub wait: Option<Wait>,
}

/// A code page's word on sending: no code went out, and when one can.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Wait {
    /// Too many codes lately (warning): "you can ask for one at 10:42 CET",
    /// in the reader's time zone.
    NotSent { at: Option<NaiveDateTime> },
    /// Moments after a code (neutral): "you can ask for another in 24 seconds".
    Cooldown { seconds: u64 },
}

impl Wait {
    /// No code was sent because the agent had the most codes the window
    /// allows, free again at `at` (the page's `code_not_sent` notice).
    pub fn not_sent(at: Option<NaiveDateTime>) -> Wait {
        Wait::NotSent { at }
    }

    pub fn is_warning(&self) -> bool {
        matches!(self, Wait::NotSent { .. })
    }

    pub fn text(&self, tr: &Tr) -> String {
        match self {
            Wait::NotSent { at: Some(at) } => tr.t1("code-wait-not-sent-at", "time", tr.time(*at)),
            Wait::NotSent { at: None } => tr.t("code-wait-not-sent"),
            Wait::Cooldown { seconds } => tr.t1("code-wait-cooldown", "seconds", *seconds),
        }
    }
}

/// Splits a code page's `notice` parameter: `code_not_sent` becomes the
/// page's [`Wait`] (said in the card, where it can agree with it), any other
/// notice stays a notice.
pub fn notice_and_wait(raw: Option<&str>, next_code_at: Option<NaiveDateTime>) -> (Option<String>, Option<Wait>) {
    match raw {
        Some("code_not_sent") => (None, Some(Wait::not_sent(next_code_at))),
        other => (crate::routes::notice_text(other), None),
    }
}

/// What a code page's passkey form needs.
pub struct PasskeyStep {
    pub options_url: &'static str,
    pub rp_id: String,
}

/// The methods a login's code page offers besides the one it asks for.
#[derive(Debug, Clone, Copy, Default)]
pub struct OtherMethods {
    /// "Use your authenticator app".
    pub app: bool,
    /// "Email me a code instead".
    pub email: bool,
    /// "Use a recovery code".
    pub recovery: bool,
    /// "Use your passkey or security key".
    pub passkey: bool,
}

impl OtherMethods {
    pub fn any(&self) -> bool {
        self.app || self.email || self.recovery || self.passkey
    }

    /// The links offered (not the email button), each a method and its
    /// words, to place the separators.
    pub fn links(&self, tr: &Tr) -> Vec<(&'static str, String)> {
        let mut links = Vec::new();
        if self.passkey {
            links.push(("passkey", tr.t("code-use-passkey")));
        }
        if self.app {
            links.push(("app", tr.t("code-use-app")));
        }
        if self.recovery {
            links.push(("recovery", tr.t("code-use-recovery")));
        }
        links
    }
}

/// An answer to a code page as parsed from its `code` field: six digits
/// (emailed or from the app) or a recovery code; a parse error counts as a
/// wrong answer.
#[derive(Debug, Clone)]
pub enum ParsedAnswer {
    Emailed(Result<OneTimeCode, CodeError>),
    App(Result<OneTimeCode, CodeError>),
    Recovery(Result<RecoveryCode, RecoveryCodeError>),
    /// The passkey's answer (`None`: cancelled in the browser, or unreadable).
    Passkey(Option<Assertion>),
}

impl ParsedAnswer {
    pub fn answer(&self) -> Answer<'_> {
        match self {
            ParsedAnswer::Emailed(code) => Answer::Emailed(code.as_ref().ok()),
            ParsedAnswer::App(code) => Answer::App(code.as_ref().ok()),
            ParsedAnswer::Recovery(code) => Answer::Recovery(code.as_ref().ok()),
            ParsedAnswer::Passkey(answer) => Answer::Passkey(answer.as_ref()),
        }
    }

    /// Why it could not be read, in words; `None` when it was well formed.
    fn parse_error(&self) -> Option<String> {
        match self {
            ParsedAnswer::Emailed(Err(e)) => Some(e.to_string()),
            ParsedAnswer::App(Err(CodeError::Empty)) => Some(t("code-app-empty")),
            ParsedAnswer::App(Err(CodeError::Malformed)) => Some(t("code-app-malformed")),
            ParsedAnswer::Recovery(Err(e)) => Some(e.to_string()),
            ParsedAnswer::Passkey(None) => Some(t("code-passkey-cancelled")),
            _ => None,
        }
    }
}

impl CodePage {
    /// The page of `spec` for codes sent to `sent_to`, with the dead-codes
    /// message when `needs_new_code`. The page's title is the spec's.
    pub fn new(spec: &'static CodePageSpec, mut layout: Layout, sent_to: Option<String>, lifetime_minutes: i64, needs_new_code: bool) -> CodePage {
        layout.title = layout.tr.say(spec.title);
        CodePage {
            error: needs_new_code.then(|| layout.tr.say(spec.needs_new_code)),
            layout,
            spec,
            sent_to,
            lifetime_minutes,
            next: None,
            trust_days: None,
            trusted: false,
            trust_unavailable: None,
            method: "email",
            email_sent: true,
            other_methods: OtherMethods::default(),
            passkey: None,
            wait: None,
        }
    }

    /// A text of the spec in the reader's language (templates: `self.say(spec.heading)`).
    pub fn say(&self, key: &Key) -> String {
        self.layout.tr.say(*key)
    }

    pub fn with_next(mut self, next: String) -> CodePage {
        self.next = Some(next);
        self
    }

    /// The link to this step with another `method`, keeping `next`.
    pub fn method_href(&self, method: &str) -> String {
        let mut href = format!("{}?method={method}", self.spec.action);
        if let Some(next) = &self.next {
            href.push_str("&next=");
            href.push_str(&crate::web::redirect::query_value(next));
        }
        href
    }

    /// Shown again after a code that did not work: 422 with why.
    pub fn refused(mut self, error: String) -> Result<HttpResponse, AppError> {
        self.error = Some(error);
        render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &self)
    }

    /// Why an emailed code was not accepted, for the outcomes that show the page again.
    pub fn wrong_code(self, parsed: &Result<OneTimeCode, CodeError>, attempts_left: i32) -> Result<HttpResponse, AppError> {
        self.wrong_answer(&ParsedAnswer::Emailed(parsed.clone()), attempts_left)
    }

    /// Why an answer was not accepted, for the outcomes that show the page again.
    pub fn wrong_answer(self, parsed: &ParsedAnswer, attempts_left: i32) -> Result<HttpResponse, AppError> {
        let reason = parsed.parse_error().unwrap_or_else(|| match parsed {
            ParsedAnswer::Recovery(_) => t("code-recovery-wrong"),
            ParsedAnswer::Passkey(_) => t("code-passkey-wrong"),
            _ => t("code-wrong"),
        });
        let error = match attempts_left {
            0 if matches!(parsed, ParsedAnswer::Emailed(_)) => format!("{reason} {}", self.say(&self.spec.needs_new_code)),
            0 => format!("{reason} {}", dead_login()),
            n => format!("{reason} {}", t1("code-attempts-left", "count", n)),
        };
        self.refused(error)
    }

    /// Too many wrong codes: a new code must be sent (or, for the app and
    /// recovery codes, the login started over).
    pub fn needs_new_code(self) -> Result<HttpResponse, AppError> {
        let error = if self.method == "email" { self.say(&self.spec.needs_new_code) } else { dead_login() };
        self.refused(error)
    }

    /// Shown again with why no new code was sent: 429 with `Retry-After`.
    /// Waiting is not a mistake of the agent's: it is said as a wait, not as
    /// an error, and the code field is left as it was.
    pub fn not_sent(mut self, refusal: &IssueRefusal, now: NaiveDateTime) -> Result<HttpResponse, AppError> {
        match refusal {
            IssueRefusal::Cooldown { .. } => self.wait = Some(Wait::Cooldown { seconds: refusal.retry_after_secs(now) }),
            IssueRefusal::TooManyCodes { retry_after } => self.wait = Some(Wait::not_sent(Some(now + *retry_after))),
            IssueRefusal::Locked { .. } | IssueRefusal::TooManyFromNetwork { .. } => self.error = Some(refusal_message(refusal, now)),
        }
        let mut response = render_with_status(StatusCode::TOO_MANY_REQUESTS, &self)?;
        response.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from(refusal.retry_after_secs(now)));
        Ok(response)
    }
}

/// Too many wrong answers for this login, and no new email code is the way
/// out (the app's and the recovery codes cannot be sent again).
pub fn dead_login() -> String {
    t("code-dead-login")
}

/// Why no new code was sent, in words.
pub fn refusal_message(refusal: &IssueRefusal, now: NaiveDateTime) -> String {
    let secs = refusal.retry_after_secs(now);
    match refusal {
        IssueRefusal::Cooldown { .. } => t1("code-refused-cooldown", "seconds", secs),
        IssueRefusal::TooManyCodes { .. } => t1("code-refused-too-many", "minutes", secs.div_ceil(60)),
        IssueRefusal::Locked { .. } => t("code-refused-locked"),
        IssueRefusal::TooManyFromNetwork { .. } => t1("code-refused-network", "minutes", secs.div_ceil(60)),
    }
}

/// The page of a browser whose codes are locked (SPEC §3 code lock-out).
pub fn codes_locked(until: Option<NaiveDateTime>, now: NaiveDateTime) -> AppError {
    match until {
        Some(until) => AppError::TooManyRequests {
            message: t1("code-locked-until", "time", crate::i18n::current().date_time(until)),
            retry_after_secs: IssueRefusal::Locked { until: Some(until) }.retry_after_secs(now),
        },
        None => AppError::TooManyRequests {
            message: t1("code-locked-until-reset", "forgot", t("login-forgot-password")),
            retry_after_secs: 3600,
        },
    }
}
