use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::error::AppError;
use crate::domain::dates::when;
use crate::routes::notice_text;
use crate::web::session::TrustNotice;
use crate::web::{Layout, SignedIn, render};

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    name: String,
    email: String,
    role: &'static str,
    company: String,
    is_admin: bool,
    /// With 2FA on and few recovery codes left: how many (SPEC §7 asks for a new set).
    recovery_codes_low: Option<i32>,
    /// The agent's own two-factor authentication: the badge, its class, and the methods.
    two_factor: &'static str,
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
        layout: Layout::signed_in("Home", &signed_in, "home").with_notice(notice),
        name: agent.name.clone(),
        email: agent.email.clone(),
        role: agent.role().label(),
        company: signed_in.company.name.clone(),
        is_admin: agent.is_admin(),
        recovery_codes_low: (agent.two_factor_status() == crate::domain::TwoFactorStatus::Enabled
            && agent.recovery_codes_left <= crate::auth::recovery_codes::FEW_LEFT)
            .then_some(agent.recovery_codes_left),
        two_factor: agent.two_factor_status().label(),
        two_factor_class: agent.two_factor_status().as_str(),
        methods: own_methods(agent),
    };
    render(&page)
}

/// "Passkey, authenticator app and emailed codes": the agent's second factors.
fn own_methods(agent: &crate::db::models::Agent) -> String {
    let mut methods = Vec::new();
    match agent.passkey_count {
        n if n <= 0 => {}
        1 => methods.push("a passkey".to_owned()),
        n => methods.push(format!("{n} passkeys")),
    }
    if agent.app_enabled {
        methods.push("an authenticator app".to_owned());
    }
    if agent.email_factor_on() {
        methods.push("emailed codes".to_owned());
    }
    match methods.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// What the home page says about the trusted computer of this login.
fn trust_notice_text(notice: TrustNotice) -> Option<String> {
    let at = |secs: i64| chrono::DateTime::from_timestamp(secs, 0).map(|t| when(t.naive_utc()));
    Some(match notice {
        TrustNotice::CodeSkipped { until } => format!(
            "You were not asked for a code because this computer is trusted for your account until {}. You can forget it in Account Setting.",
            at(until)?
        ),
        TrustNotice::ComputerTrusted { until } => format!(
            "This computer is now trusted for your account: logins here skip the code until {}. You can forget it in Account Setting.",
            at(until)?
        ),
    })
}
