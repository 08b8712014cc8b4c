use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::domain::{Role, TwoFactorStatus};
use crate::error::AppError;
use crate::i18n::{t, t1};
use crate::routes::notice_text;
use crate::web::session::TrustNotice;
use crate::web::{Layout, SignedIn, render};

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    name: String,
    email: String,
    role: String,
    company: String,
    is_admin: bool,
    /// With 2FA on and few recovery codes left: how many (SPEC §7 asks for a new set).
    recovery_codes_low: Option<i32>,
    /// The agent's own two-factor authentication: the badge, its class, and the methods.
    two_factor: String,
    two_factor_class: &'static str,
    methods: String,
}

#[derive(Deserialize)]
pub struct NoticeQuery {
    notice: Option<String>,
}

/// `GET /`: who is signed in, their role, and where to go next; once after
/// a login, whether a trusted computer let it skip the code.
pub async fn home(signed_in: SignedIn, query: web::Query<NoticeQuery>) -> Result<HttpResponse, AppError> {
    let agent = &signed_in.agent;
    let notice = notice_text(query.notice.as_deref()).or_else(|| signed_in.session.take_trust_notice().and_then(trust_notice_text));
    let page = HomePage {
        layout: Layout::signed_in(t("home-title"), &signed_in, "home").with_notice(notice),
        name: agent.name.clone(),
        email: agent.email.clone(),
        role: match agent.role() {
            Role::Admin => t("home-role-admin"),
            Role::Agent => t("home-role-agent"),
        },
        company: signed_in.company.name.clone(),
        is_admin: agent.is_admin(),
        recovery_codes_low: (agent.two_factor_status() == TwoFactorStatus::Enabled
            && agent.recovery_codes_left <= crate::auth::recovery_codes::FEW_LEFT)
            .then_some(agent.recovery_codes_left),
        two_factor: match agent.two_factor_status() {
            TwoFactorStatus::Enabled => t("home-two-factor-enabled"),
            TwoFactorStatus::Pending => t("home-two-factor-pending"),
            TwoFactorStatus::Disabled => t("home-two-factor-disabled"),
        },
        two_factor_class: agent.two_factor_status().as_str(),
        methods: own_methods(agent),
    };
    render(&page)
}

/// "a passkey, an authenticator app and emailed codes": the agent's second
/// factors, in the reader's language.
fn own_methods(agent: &crate::db::models::Agent) -> String {
    let mut methods = Vec::new();
    if agent.passkey_count > 0 {
        methods.push(t1("home-method-passkeys", "count", agent.passkey_count));
    }
    if agent.app_enabled {
        methods.push(t("home-method-app"));
    }
    if agent.email_factor_on() {
        methods.push(t("home-method-email"));
    }
    match methods.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => crate::i18n::t2("home-methods-and", "rest", rest.join(", "), "last", last),
    }
}

/// What the home page says about the trusted computer of this login (the
/// time in the reader's zone).
fn trust_notice_text(notice: TrustNotice) -> Option<String> {
    let at = |secs: i64| chrono::DateTime::from_timestamp(secs, 0).map(|at| crate::i18n::current().date_time(at.naive_utc()));
    Some(match notice {
        TrustNotice::CodeSkipped { until } => t1("home-trust-code-skipped", "time", at(until)?),
        TrustNotice::ComputerTrusted { until } => t1("home-trust-computer-trusted", "time", at(until)?),
    })
}
