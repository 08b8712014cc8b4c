//! The company's two-factor policy (SPEC §2.4): **Require two-factor
//! authentication for all agents** with an optional grace date, the longest
//! trusted-computer period, and **Admins always enter a code**; and what the
//! requirement means for a signed-in agent.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::agents::{Actor, AgentActionError};
use crate::audit::{self, Event, Outcome};
use crate::db::models::session;
use crate::db::models::{Agent, Company, CompanyPolicy};
use crate::db::schema::companies;
use crate::db::{DbConnection, write_transaction};
use crate::domain::{AdminFactorRule, FactorsAllowed, TwoFactorStatus};
use crate::i18n::Language;

/// The trusted-computer periods a company can choose, in days (0: never trusted).
pub const TRUSTED_DAYS_CHOICES: [u32; 4] = [0, 7, 30, 90];

/// Where the company's two-factor requirement leaves a signed-in agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TwoFactorRequirement {
    /// The company does not require 2FA.
    NotRequired,
    /// Required, and the agent has a factor that counts.
    Met,
    /// Required from `from` on; until then the agent is reminded, not stopped.
    Grace { from: NaiveDateTime, missing: Missing },
    /// Required now and not met: only Account Setting, the 2FA
    /// pages and logout open until it is.
    Enforced { missing: Missing },
}

/// What an agent who does not meet the policy has to add.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    /// Any second factor the company counts.
    AnyFactor,
    /// An authenticator app or a passkey (emailed codes do not count, or the admin rule).
    AppOrPasskey,
    /// A passkey or security key.
    Passkey,
}

impl TwoFactorRequirement {
    /// True when the agent is not (yet) compliant with a policy that is on.
    pub fn is_unmet(self) -> bool {
        matches!(self, TwoFactorRequirement::Grace { .. } | TwoFactorRequirement::Enforced { .. })
    }

    pub fn is_enforced(self) -> bool {
        matches!(self, TwoFactorRequirement::Enforced { .. })
    }
}

/// What the company's policy reads of an agent's second factors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgentFactors {
    /// Overall: enabled when any factor is confirmed.
    pub status: TwoFactorStatus,
    /// The emailed-code factor is confirmed.
    pub email_on: bool,
    /// A confirmed authenticator app.
    pub app_enabled: bool,
    /// At least one passkey or security key.
    pub passkey: bool,
    pub is_admin: bool,
}

impl AgentFactors {
    pub fn of(agent: &Agent) -> AgentFactors {
        AgentFactors {
            status: agent.two_factor_status(),
            email_on: agent.email_factor_on(),
            app_enabled: agent.app_enabled,
            passkey: agent.has_passkey(),
            is_admin: agent.is_admin(),
        }
    }

    /// Whether the agent has a second factor that counts under `allowed`:
    /// any confirmed one (the overall status), or only the stronger ones.
    pub fn counted(&self, allowed: FactorsAllowed) -> bool {
        match allowed {
            FactorsAllowed::All => self.status == TwoFactorStatus::Enabled,
            FactorsAllowed::AppAndPasskey => self.app_enabled || self.passkey,
            FactorsAllowed::PasskeyOnly => self.passkey,
        }
    }

    /// The agent has second factors, none of which the company counts.
    pub fn none_counts(&self, company: &Company) -> bool {
        self.status == TwoFactorStatus::Enabled && !self.counted(company.factors_allowed())
    }

    /// Whether the admin rule is met (true for agents, and with no rule).
    fn meets_admin_rule(&self, rule: AdminFactorRule) -> bool {
        match rule {
            _ if !self.is_admin => true,
            AdminFactorRule::Any => true,
            AdminFactorRule::AppOrPasskey => self.app_enabled || self.passkey,
            AdminFactorRule::Passkey => self.passkey,
        }
    }
}

/// Whether `agent` must turn 2FA on now. Pending (asked for, code not yet
/// entered) is not enabled: it proves nothing until the code is entered.
pub fn requirement(company: &Company, agent: &Agent, now: NaiveDateTime) -> TwoFactorRequirement {
    requirement_for(company, &AgentFactors::of(agent), now)
}

/// [`requirement`] for an agent with these factors (the table rows). The
/// company may require 2FA of everyone, counting only the factors it allows
/// (SPEC §7), and an app or a passkey of its admins even when it does not;
/// the grace date applies to both.
pub fn requirement_for(company: &Company, factors: &AgentFactors, now: NaiveDateTime) -> TwoFactorRequirement {
    let admin_rule = if factors.is_admin { company.admin_factor_rule() } else { AdminFactorRule::Any };
    if !company.require_two_factor && admin_rule == AdminFactorRule::Any {
        return TwoFactorRequirement::NotRequired;
    }
    let allowed = company.factors_allowed();
    let everyone_met = !company.require_two_factor || factors.counted(allowed);
    if everyone_met && factors.meets_admin_rule(admin_rule) {
        return TwoFactorRequirement::Met;
    }
    // The strictest of the two rules says what to add.
    let everyone = |f: FactorsAllowed| company.require_two_factor && allowed == f;
    let missing = if admin_rule == AdminFactorRule::Passkey || everyone(FactorsAllowed::PasskeyOnly) {
        Missing::Passkey
    } else if admin_rule == AdminFactorRule::AppOrPasskey || everyone(FactorsAllowed::AppAndPasskey) {
        Missing::AppOrPasskey
    } else {
        Missing::AnyFactor
    };
    match company.two_factor_grace_until {
        Some(from) if now < from => TwoFactorRequirement::Grace { from, missing },
        _ => TwoFactorRequirement::Enforced { missing },
    }
}

/// The pages an agent under [`TwoFactorRequirement::Enforced`] can still open:
/// Account Setting (where 2FA is turned on), the 2FA pages under
/// `/account/two-factor/` (the confirmation code), and logout.
pub fn path_is_exempt(path: &str) -> bool {
    path == "/account/settings"
        || path.starts_with("/account/two-factor/")
        || path == "/account/authenticator"
        || path == "/account/recovery-codes"
        || path == "/account/passkeys"
        || path == "/account/passkeys/options"
        || path.starts_with("/account/confirm-identity")
        || path == "/logout"
}

/// The longest a browser stays trusted for this company: its own choice,
/// never longer than the server's `AGENTGATE_TRUSTED_DAYS`.
pub fn effective_trusted_days(company: &Company, server_days: u32) -> u32 {
    u32::try_from(company.trusted_days_max).unwrap_or(0).min(server_days)
}

/// The trusted-computer periods this server lets a company choose.
pub fn trusted_days_choices(server_days: u32) -> Vec<u32> {
    TRUSTED_DAYS_CHOICES.into_iter().filter(|days| *days <= server_days).collect()
}

/// What the server allows a company's policy (its own settings are the caps).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServerLimits {
    pub trusted_days: u32,
    pub session_idle_minutes: u32,
    pub session_absolute_hours: u32,
}

impl ServerLimits {
    pub fn of(config: &crate::config::Config) -> ServerLimits {
        ServerLimits {
            trusted_days: config.trusted_days,
            session_idle_minutes: u32::try_from(config.session_idle_timeout.as_secs() / 60).unwrap_or(u32::MAX),
            session_absolute_hours: u32::try_from(config.session_absolute_timeout.as_secs() / 3600).unwrap_or(u32::MAX),
        }
    }
}

/// The shortest idle lifetime a company may choose: a shorter one signs an
/// agent out while they write a reply.
pub const MIN_SESSION_IDLE_MINUTES: u32 = 5;

/// How long a signed-in session of the company's agents lasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionLifetimes {
    /// Without a page view.
    pub idle: std::time::Duration,
    /// From sign-in, however active.
    pub absolute: std::time::Duration,
}

impl SessionLifetimes {
    /// The server's own (`AGENTGATE_SESSION_IDLE_MINUTES`, `AGENTGATE_SESSION_ABSOLUTE_HOURS`).
    pub fn of_server(config: &crate::config::Config) -> SessionLifetimes {
        SessionLifetimes { idle: config.session_idle_timeout, absolute: config.session_absolute_timeout }
    }
}

/// The company's session lifetimes, each never longer than the server's.
pub fn session_lifetimes(idle_minutes: Option<i32>, absolute_hours: Option<i32>, server: SessionLifetimes) -> SessionLifetimes {
    let capped = |chosen: Option<i32>, unit: u64, server: std::time::Duration| {
        chosen
            .and_then(|n| u64::try_from(n).ok())
            .filter(|n| *n > 0)
            .map(|n| std::time::Duration::from_secs(n * unit).min(server))
            .unwrap_or(server)
    };
    SessionLifetimes { idle: capped(idle_minutes, 60, server.idle), absolute: capped(absolute_hours, 3600, server.absolute) }
}

/// Why the policy form was refused (shown above the form, in the admin's language).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PolicyError {
    /// The choices the server allows, as [`list`] writes them.
    #[error("{}", crate::i18n::t1("policy-error-trusted-days", "choices", .0))]
    TrustedDays(String),
    #[error("{}", crate::i18n::t("policy-error-grace-date"))]
    GraceDate,
    #[error("{}", crate::i18n::t2("policy-error-session-idle", "min", MIN_SESSION_IDLE_MINUTES, "max", .0))]
    SessionIdle(u32),
    #[error("{}", crate::i18n::t1("policy-error-session-absolute", "max", .0))]
    SessionAbsolute(u32),
    #[error("{}", crate::i18n::t("policy-error-second-factors"))]
    SecondFactors,
    /// Not a language AgentGate speaks.
    #[error("{}", crate::i18n::t("policy-error-language"))]
    Language,
    /// Not one of the time zones the form offers.
    #[error("{}", crate::i18n::t("policy-error-time-zone"))]
    TimeZone,
}

/// The policy form as submitted (its checkboxes already read by the page).
#[derive(Debug, Default)]
pub struct PolicyInput<'a> {
    pub require_two_factor: bool,
    pub grace_until: Option<&'a str>,
    pub trusted_days_max: Option<&'a str>,
    pub admins_always_enter_code: bool,
    /// Empty: the server's setting.
    pub session_idle_minutes: Option<&'a str>,
    pub session_absolute_hours: Option<&'a str>,
    /// "email_and_app", "app_only" or "passkey_only"; missing keeps the current choice.
    pub second_factors: Option<&'a str>,
    pub admins_must_use_app: bool,
    pub admins_must_use_passkey: bool,
    /// The company's language ("en", "pl"); missing keeps the current one.
    pub language: Option<&'a str>,
    /// The company's time zone (an IANA name the form offers); missing keeps the current one.
    pub time_zone: Option<&'a str>,
}

/// The company's defaults for its agents: the language of new agents and
/// invitations, and the time zone of agents who chose none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CompanyDefaults {
    pub language: Language,
    /// One of [`crate::i18n::time_zones`].
    pub time_zone: &'static str,
}

/// Checks the form's language and time zone: only a language AgentGate
/// speaks and a zone the form offers; a missing field keeps the company's.
pub fn parse_defaults(input: &PolicyInput<'_>, current: &Company) -> Result<CompanyDefaults, PolicyError> {
    let language = match input.language {
        None => Language::from_stored(&current.language),
        Some(raw) => Language::parse(raw).ok_or(PolicyError::Language)?,
    };
    let offered = |name: &str| crate::i18n::time_zones().find(|zone| *zone == name.trim());
    let time_zone = match input.time_zone {
        None => offered(&current.time_zone).unwrap_or("UTC"),
        Some(raw) => offered(raw).ok_or(PolicyError::TimeZone)?,
    };
    Ok(CompanyDefaults { language, time_zone })
}

/// Validates the form against the server's limits. Without the requirement
/// (nor the admins' app requirement) a grace date means nothing and is dropped. A missing period keeps the
/// company's current one; an empty session lifetime follows the server's.
pub fn parse_policy(input: &PolicyInput<'_>, current: &Company, limits: &ServerLimits) -> Result<CompanyPolicy, PolicyError> {
    let require_two_factor = input.require_two_factor;
    let choices = trusted_days_choices(limits.trusted_days);
    let trusted_days_max = match input.trusted_days_max.map(str::trim).filter(|v| !v.is_empty()) {
        None => current.trusted_days_max,
        Some(raw) => {
            let days: u32 = raw.parse().ok().filter(|d| choices.contains(d)).ok_or_else(|| PolicyError::TrustedDays(list(&choices)))?;
            i32::try_from(days).unwrap_or(0)
        }
    };
    let grace = match input.grace_until.map(str::trim).filter(|v| !v.is_empty()) {
        None => None,
        Some(raw) => {
            let date = NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| PolicyError::GraceDate)?;
            Some(date.and_hms_opt(0, 0, 0).ok_or(PolicyError::GraceDate)?)
        }
    };
    let allowed = match input.second_factors.map(str::trim) {
        None => current.factors_allowed(),
        Some(raw) => FactorsAllowed::parse(raw).ok_or(PolicyError::SecondFactors)?,
    };
    let (email_factor_allowed, app_factor_allowed) = allowed.flags();
    Ok(CompanyPolicy {
        require_two_factor,
        // The grace date applies to the admins' app requirement too.
        two_factor_grace_until: grace.filter(|_| require_two_factor || input.admins_must_use_app || input.admins_must_use_passkey),
        trusted_days_max,
        admins_always_enter_code: input.admins_always_enter_code,
        session_idle_minutes: whole_number(input.session_idle_minutes, MIN_SESSION_IDLE_MINUTES, limits.session_idle_minutes)
            .map_err(|_| PolicyError::SessionIdle(limits.session_idle_minutes))?,
        session_absolute_hours: whole_number(input.session_absolute_hours, 1, limits.session_absolute_hours)
            .map_err(|_| PolicyError::SessionAbsolute(limits.session_absolute_hours))?,
        email_factor_allowed,
        app_factor_allowed,
        admins_must_use_app: input.admins_must_use_app,
        admins_must_use_passkey: input.admins_must_use_passkey,
    })
}

/// An optional whole number from `min` to `max` (empty: none).
fn whole_number(raw: Option<&str>, min: u32, max: u32) -> Result<Option<i32>, ()> {
    match raw.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(raw) => {
            let n: u32 = raw.parse().map_err(|_| ())?;
            if n < min || n > max {
                return Err(());
            }
            i32::try_from(n).map(Some).map_err(|_| ())
        }
    }
}

/// "0, 7 or 30 days", in the current language.
fn list(choices: &[u32]) -> String {
    match choices.split_last() {
        Some((last, rest)) if !rest.is_empty() => {
            let others: Vec<String> = rest.iter().map(|d| d.to_string()).collect();
            crate::i18n::t2("policy-days-choices", "others", others.join(", "), "last", *last)
        }
        Some((last, _)) => crate::i18n::t1("policy-days-choice", "last", *last),
        None => crate::i18n::t1("policy-days-choice", "last", 0u32),
    }
}

/// Saves the company's policy and defaults, with an audit entry that says
/// what the policy now is (and the language and time zone when they
/// changed). Shorter session lifetimes apply at once to the agents'
/// signed-in sessions, counted from now at the latest.
pub fn update_policy(
    conn: &mut DbConnection,
    actor: &Actor<'_>,
    policy: &CompanyPolicy,
    defaults: &CompanyDefaults,
    server: SessionLifetimes,
    now: NaiveDateTime,
) -> Result<(), AgentActionError> {
    write_transaction(conn, |conn| {
        Company::update_policy(conn, &actor.company.id, policy)?;
        diesel::update(companies::table.find(&actor.company.id))
            .set((companies::language.eq(defaults.language.code()), companies::time_zone.eq(defaults.time_zone)))
            .execute(conn)?;
        let lifetimes = session_lifetimes(policy.session_idle_minutes, policy.session_absolute_hours, server);
        let idle_seconds = policy.session_idle_minutes.map(|_| i32::try_from(lifetimes.idle.as_secs()).unwrap_or(i32::MAX));
        session::apply_company_lifetimes(conn, &actor.company.id, idle_seconds, now + to_chrono(lifetimes.idle), now + to_chrono(lifetimes.absolute))?;
        let grace = policy.two_factor_grace_until.map(|g| format!(" from {}", g.date())).unwrap_or_default();
        let detail = format!(
            "require 2FA: {}{grace}; trusted days: {}; admins always enter a code: {}; sign out after {} idle, {} after sign-in; second factors: {}; admins must use an authenticator app: {}; admins must use a passkey: {}",
            on_off(policy.require_two_factor),
            policy.trusted_days_max,
            on_off(policy.admins_always_enter_code),
            minutes(lifetimes.idle),
            minutes(lifetimes.absolute),
            FactorsAllowed::from_flags(policy.email_factor_allowed, policy.app_factor_allowed).describe(),
            on_off(policy.admins_must_use_app),
            on_off(policy.admins_must_use_passkey),
        );
        // The audit keeps stored codes and zone names, not words.
        let defaults_changed = defaults.language.code() != actor.company.language || defaults.time_zone != actor.company.time_zone;
        let detail = if defaults_changed {
            format!("{detail}; language: {}; time zone: {}", defaults.language.code(), defaults.time_zone)
        } else {
            detail
        };
        let entry = audit::Entry { subject_id: None, ..actor.entry(&actor.admin.id, Some(&detail)) };
        audit::record(conn, Event::PolicyChanged, Outcome::Success, &entry, now)?;
        Ok(())
    })
}

fn to_chrono(d: std::time::Duration) -> chrono::Duration {
    chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX)
}

/// "90 min" or "12 h".
fn minutes(d: std::time::Duration) -> String {
    let minutes = d.as_secs() / 60;
    if minutes.is_multiple_of(60) { format!("{} h", minutes / 60) } else { format!("{minutes} min") }
}

fn on_off(value: bool) -> &'static str {
    if value { "on" } else { "off" }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn company(require: bool, grace: Option<NaiveDateTime>) -> Company {
        Company {
            id: "c".into(),
            name: "Acme".into(),
            require_two_factor: require,
            two_factor_grace_until: grace,
            trusted_days_max: 30,
            admins_always_enter_code: false,
            created_at: NaiveDateTime::default(),
            session_idle_minutes: None,
            session_absolute_hours: None,
            email_factor_allowed: true,
            admins_must_use_app: false,
            app_factor_allowed: true,
            admins_must_use_passkey: false,
            language: "en".into(),
            time_zone: "UTC".into(),
        }
    }

    fn day(d: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 12, d).unwrap().and_hms_opt(0, 0, 0).unwrap()
    }

    /// An agent with this overall status and no app (email on when enabled).
    fn status(status: TwoFactorStatus) -> AgentFactors {
        AgentFactors { status, email_on: status == TwoFactorStatus::Enabled, app_enabled: false, passkey: false, is_admin: false }
    }

    const EMAIL_ONLY: AgentFactors = AgentFactors { status: TwoFactorStatus::Enabled, email_on: true, app_enabled: false, passkey: false, is_admin: false };
    const APP_ONLY: AgentFactors = AgentFactors { status: TwoFactorStatus::Enabled, email_on: false, app_enabled: true, passkey: false, is_admin: false };
    const PASSKEY_ONLY: AgentFactors = AgentFactors { status: TwoFactorStatus::Enabled, email_on: false, app_enabled: false, passkey: true, is_admin: false };
    const NONE: AgentFactors = AgentFactors { status: TwoFactorStatus::Disabled, email_on: false, app_enabled: false, passkey: false, is_admin: false };

    fn admin(factors: AgentFactors) -> AgentFactors {
        AgentFactors { is_admin: true, ..factors }
    }

    fn app_only(mut company: Company) -> Company {
        company.email_factor_allowed = false;
        company
    }

    fn admins_use_app(mut company: Company) -> Company {
        company.admins_must_use_app = true;
        company
    }

    #[test]
    fn the_requirement_follows_policy_status_and_grace_date() {
        use TwoFactorRequirement::*;
        assert_eq!(requirement_for(&company(false, None), &status(TwoFactorStatus::Disabled), day(1)), NotRequired);
        assert_eq!(requirement_for(&company(true, None), &status(TwoFactorStatus::Enabled), day(1)), Met);
        assert_eq!(requirement_for(&company(true, None), &status(TwoFactorStatus::Pending), day(1)), Enforced { missing: Missing::AnyFactor });
        assert_eq!(requirement_for(&company(true, Some(day(10))), &status(TwoFactorStatus::Disabled), day(9)), Grace { from: day(10), missing: Missing::AnyFactor });
        assert_eq!(requirement_for(&company(true, Some(day(10))), &status(TwoFactorStatus::Disabled), day(10)), Enforced { missing: Missing::AnyFactor });
    }

    #[test]
    fn with_app_only_emailed_codes_do_not_count() {
        use TwoFactorRequirement::*;
        let required = app_only(company(true, None));
        assert_eq!(requirement_for(&required, &EMAIL_ONLY, day(1)), Enforced { missing: Missing::AppOrPasskey });
        assert_eq!(requirement_for(&required, &APP_ONLY, day(1)), Met);
        assert_eq!(requirement_for(&required, &PASSKEY_ONLY, day(1)), Met);
        assert_eq!(requirement_for(&required, &AgentFactors { email_on: true, ..APP_ONLY }, day(1)), Met);
        assert_eq!(requirement_for(&app_only(company(true, Some(day(10)))), &EMAIL_ONLY, day(9)), Grace { from: day(10), missing: Missing::AppOrPasskey });
        // Not required: app only changes nothing for anyone.
        assert_eq!(requirement_for(&app_only(company(false, None)), &EMAIL_ONLY, day(1)), NotRequired);
        assert!(EMAIL_ONLY.none_counts(&required) && !APP_ONLY.none_counts(&required));
        assert!(!EMAIL_ONLY.none_counts(&company(true, None)));
    }

    #[test]
    fn with_passkeys_only_nothing_else_counts() {
        use TwoFactorRequirement::*;
        let mut required = company(true, None);
        (required.email_factor_allowed, required.app_factor_allowed) = FactorsAllowed::PasskeyOnly.flags();
        for factors in [EMAIL_ONLY, APP_ONLY, AgentFactors { email_on: true, ..APP_ONLY }] {
            assert_eq!(requirement_for(&required, &factors, day(1)), Enforced { missing: Missing::Passkey });
            assert!(factors.none_counts(&required));
        }
        assert_eq!(requirement_for(&required, &PASSKEY_ONLY, day(1)), Met);
        // Admins must use a passkey, whatever counts for everyone.
        let mut admins = company(false, None);
        admins.admins_must_use_passkey = true;
        assert_eq!(requirement_for(&admins, &admin(APP_ONLY), day(1)), Enforced { missing: Missing::Passkey });
        assert_eq!(requirement_for(&admins, &admin(PASSKEY_ONLY), day(1)), Met);
        assert_eq!(requirement_for(&admins, &APP_ONLY, day(1)), NotRequired);
        // An app-only rule for admins is met by a passkey too.
        assert_eq!(requirement_for(&admins_use_app(company(false, None)), &admin(PASSKEY_ONLY), day(1)), Met);
    }

    #[test]
    fn admins_must_use_an_app_even_when_2fa_is_not_required() {
        use TwoFactorRequirement::*;
        let policy = admins_use_app(company(false, None));
        assert_eq!(requirement_for(&policy, &admin(EMAIL_ONLY), day(1)), Enforced { missing: Missing::AppOrPasskey });
        assert_eq!(requirement_for(&policy, &admin(NONE), day(1)), Enforced { missing: Missing::AppOrPasskey });
        assert_eq!(requirement_for(&policy, &admin(APP_ONLY), day(1)), Met);
        // Agents are not concerned unless the company requires 2FA of all.
        assert_eq!(requirement_for(&policy, &NONE, day(1)), NotRequired);
        assert_eq!(requirement_for(&admins_use_app(company(true, None)), &EMAIL_ONLY, day(1)), Met);
        assert_eq!(requirement_for(&admins_use_app(company(true, None)), &admin(EMAIL_ONLY), day(1)), Enforced { missing: Missing::AppOrPasskey });
        // The grace date applies.
        let graced = admins_use_app(company(false, Some(day(10))));
        assert_eq!(requirement_for(&graced, &admin(EMAIL_ONLY), day(9)), Grace { from: day(10), missing: Missing::AppOrPasskey });
        assert_eq!(requirement_for(&graced, &admin(EMAIL_ONLY), day(10)), Enforced { missing: Missing::AppOrPasskey });
    }

    #[test]
    fn the_second_factors_choice_is_parsed() {
        let current = company(false, None);
        let parse = |second_factors, admins_must_use_app| {
            let input = PolicyInput { second_factors, admins_must_use_app, grace_until: Some("2026-12-10"), ..Default::default() };
            parse_policy(&input, &current, &limits(30))
        };
        let policy = parse(Some("app_only"), true).unwrap();
        assert!(!policy.email_factor_allowed && policy.admins_must_use_app);
        assert_eq!(policy.two_factor_grace_until, Some(day(10)), "the grace date applies to the admins' app requirement");
        assert!(parse(Some("email_and_app"), false).unwrap().email_factor_allowed);
        assert!(parse(None, false).unwrap().email_factor_allowed, "missing keeps the current choice");
        let passkeys = parse(Some("passkey_only"), false).unwrap();
        assert!(!passkeys.email_factor_allowed && !passkeys.app_factor_allowed);
        assert_eq!(parse(None, false).unwrap().two_factor_grace_until, None);
        assert_eq!(parse(Some("sms"), false), Err(PolicyError::SecondFactors));
    }

    #[test]
    fn the_default_language_and_zone_are_checked_at_the_edge() {
        let current = company(false, None);
        let parse = |language, time_zone| parse_defaults(&PolicyInput { language, time_zone, ..Default::default() }, &current);
        assert_eq!(parse(None, None), Ok(CompanyDefaults { language: Language::English, time_zone: "UTC" }), "missing keeps the current ones");
        assert_eq!(parse(Some("pl"), Some(" Europe/Warsaw ")), Ok(CompanyDefaults { language: Language::Polish, time_zone: "Europe/Warsaw" }));
        for language in ["de", "PL", "", "pl-PL"] {
            assert_eq!(parse(Some(language), None), Err(PolicyError::Language), "{language:?}");
        }
        // A name chrono-tz knows but the form does not offer is refused too.
        for zone in ["Mars/Olympus", "", "EST5EDT", "europe/warsaw"] {
            assert_eq!(parse(None, Some(zone)), Err(PolicyError::TimeZone), "{zone:?}");
        }
    }

    #[test]
    fn only_the_setup_pages_stay_open() {
        for open in ["/account/settings", "/account/two-factor/confirm", "/logout"] {
            assert!(path_is_exempt(open), "{open}");
        }
        for closed in ["/", "/agents", "/account/settingsx", "/account/trusted-computers/revoke-all"] {
            assert!(!path_is_exempt(closed), "{closed}");
        }
    }

    fn limits(trusted_days: u32) -> ServerLimits {
        ServerLimits { trusted_days, session_idle_minutes: 60, session_absolute_hours: 12 }
    }

    #[test]
    fn session_lifetimes_are_the_companys_within_the_servers() {
        use std::time::Duration;
        let server = SessionLifetimes { idle: Duration::from_secs(3600), absolute: Duration::from_secs(12 * 3600) };
        assert_eq!(session_lifetimes(None, None, server), server);
        let shorter = session_lifetimes(Some(15), Some(8), server);
        assert_eq!((shorter.idle.as_secs(), shorter.absolute.as_secs()), (15 * 60, 8 * 3600));
        // A stored value above a server setting that was lowered since is capped.
        assert_eq!(session_lifetimes(Some(600), Some(48), server), server);

        let current = company(false, None);
        let input = PolicyInput { session_idle_minutes: Some(" 15 "), session_absolute_hours: Some("8"), ..Default::default() };
        let policy = parse_policy(&input, &current, &limits(30)).unwrap();
        assert_eq!((policy.session_idle_minutes, policy.session_absolute_hours), (Some(15), Some(8)));
        for (idle, absolute) in [("61", ""), ("4", ""), ("1.5", ""), ("-5", ""), ("", "13"), ("", "0"), ("", "x")] {
            let input = PolicyInput { session_idle_minutes: Some(idle), session_absolute_hours: Some(absolute), ..Default::default() };
            assert!(parse_policy(&input, &current, &limits(30)).is_err(), "{idle:?} {absolute:?}");
        }
    }

    #[test]
    fn the_form_is_checked_against_the_server_limit() {
        let current = company(false, None);
        let input = PolicyInput { require_two_factor: true, grace_until: Some("2026-12-10"), trusted_days_max: Some("7"), ..Default::default() };
        let policy = parse_policy(&input, &current, &limits(30)).unwrap();
        assert!(policy.require_two_factor && !policy.admins_always_enter_code);
        assert_eq!(policy.two_factor_grace_until, Some(day(10)));
        assert_eq!(policy.trusted_days_max, 7);

        let too_long = PolicyInput { trusted_days_max: Some("90"), ..Default::default() };
        assert_eq!(parse_policy(&too_long, &current, &limits(30)), Err(PolicyError::TrustedDays("0, 7 or 30 days".into())));
        let odd = PolicyInput { trusted_days_max: Some("14"), ..Default::default() };
        assert!(parse_policy(&odd, &current, &limits(365)).is_err());
        let bad_date = PolicyInput { grace_until: Some("31/12/2026"), ..Default::default() };
        assert_eq!(parse_policy(&bad_date, &current, &limits(30)), Err(PolicyError::GraceDate));

        let off_with_date = PolicyInput { grace_until: Some("2026-12-10"), ..Default::default() };
        assert_eq!(parse_policy(&off_with_date, &current, &limits(30)).unwrap().two_factor_grace_until, None);
        assert_eq!(effective_trusted_days(&current, 7), 7);
        assert_eq!(trusted_days_choices(0), vec![0]);
    }
}
