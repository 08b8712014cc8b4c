//! The company's two-factor policy (SPEC §2.4): **Require two-factor
//! authentication for all agents** with an optional grace date, the longest
//! trusted-computer period, and **Admins always enter a code**; and what the
//! requirement means for a signed-in agent.

use chrono::{NaiveDate, NaiveDateTime};

use crate::agents::{Actor, AgentActionError};
use crate::audit::{self, Event, Outcome};
use crate::db::models::{Agent, Company, CompanyPolicy};
use crate::db::{DbConnection, write_transaction};
use crate::domain::TwoFactorStatus;

/// The trusted-computer periods a company can choose, in days (0: never trusted).
pub const TRUSTED_DAYS_CHOICES: [u32; 4] = [0, 7, 30, 90];

/// Where the company's two-factor requirement leaves a signed-in agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TwoFactorRequirement {
    /// The company does not require 2FA.
    NotRequired,
    /// Required, and the agent has it enabled.
    Met,
    /// Required from `from` on; until then the agent is reminded, not stopped.
    Grace { from: NaiveDateTime },
    /// Required now and not enabled: only Account Setting, the 2FA
    /// confirmation and logout open until it is.
    Enforced,
}

impl TwoFactorRequirement {
    /// True when the agent is not (yet) compliant with a policy that is on.
    pub fn is_unmet(self) -> bool {
        matches!(self, TwoFactorRequirement::Grace { .. } | TwoFactorRequirement::Enforced)
    }
}

/// Whether `agent` must turn 2FA on now. Pending (asked for, code not yet
/// entered) is not enabled: it proves nothing until the code is entered.
pub fn requirement(company: &Company, agent: &Agent, now: NaiveDateTime) -> TwoFactorRequirement {
    requirement_for(company, agent.two_factor_status(), now)
}

/// [`requirement`] for an agent with this two-factor status (the table rows).
pub fn requirement_for(company: &Company, status: TwoFactorStatus, now: NaiveDateTime) -> TwoFactorRequirement {
    if !company.require_two_factor {
        return TwoFactorRequirement::NotRequired;
    }
    if status == TwoFactorStatus::Enabled {
        return TwoFactorRequirement::Met;
    }
    match company.two_factor_grace_until {
        Some(from) if now < from => TwoFactorRequirement::Grace { from },
        _ => TwoFactorRequirement::Enforced,
    }
}

/// The pages an agent under [`TwoFactorRequirement::Enforced`] can still open:
/// Account Setting (where 2FA is turned on), the 2FA pages under
/// `/account/two-factor/` (the confirmation code), and logout.
pub fn path_is_exempt(path: &str) -> bool {
    path == "/account/settings" || path.starts_with("/account/two-factor/") || path == "/logout"
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

/// Why the policy form was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PolicyError {
    #[error("Choose a trusted-computer period of {0}.")]
    TrustedDays(String),
    #[error("The grace date must be a date like 2026-12-31.")]
    GraceDate,
}

/// The policy form as submitted (its checkboxes already read by the page).
#[derive(Debug, Default)]
pub struct PolicyInput<'a> {
    pub require_two_factor: bool,
    pub grace_until: Option<&'a str>,
    pub trusted_days_max: Option<&'a str>,
    pub admins_always_enter_code: bool,
}

/// Validates the form against the server's longest trusted period. Without
/// the requirement a grace date means nothing and is dropped. A missing
/// period keeps the company's current one.
pub fn parse_policy(input: &PolicyInput<'_>, current: &Company, server_days: u32) -> Result<CompanyPolicy, PolicyError> {
    let require_two_factor = input.require_two_factor;
    let choices = trusted_days_choices(server_days);
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
    Ok(CompanyPolicy {
        require_two_factor,
        two_factor_grace_until: grace.filter(|_| require_two_factor),
        trusted_days_max,
        admins_always_enter_code: input.admins_always_enter_code,
    })
}

fn list(choices: &[u32]) -> String {
    let names: Vec<String> = choices.iter().map(|d| d.to_string()).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last} days", rest.join(", ")),
        Some((last, _)) => format!("{last} days"),
        None => "0 days".to_owned(),
    }
}

/// Saves the company's policy, with an audit entry that says what it now is.
pub fn update_policy(conn: &mut DbConnection, actor: &Actor<'_>, policy: &CompanyPolicy, now: NaiveDateTime) -> Result<(), AgentActionError> {
    write_transaction(conn, |conn| {
        Company::update_policy(conn, &actor.company.id, policy)?;
        let grace = policy.two_factor_grace_until.map(|g| format!(" from {}", g.date())).unwrap_or_default();
        let detail = format!(
            "require 2FA: {}{grace}; trusted days: {}; admins always enter a code: {}",
            on_off(policy.require_two_factor),
            policy.trusted_days_max,
            on_off(policy.admins_always_enter_code),
        );
        let entry = audit::Entry { subject_id: None, ..actor.entry(&actor.admin.id, Some(&detail)) };
        audit::record(conn, Event::PolicyChanged, Outcome::Success, &entry, now)?;
        Ok(())
    })
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
        }
    }

    fn day(d: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 12, d).unwrap().and_hms_opt(0, 0, 0).unwrap()
    }

    #[test]
    fn the_requirement_follows_policy_status_and_grace_date() {
        use TwoFactorRequirement::*;
        assert_eq!(requirement_for(&company(false, None), TwoFactorStatus::Disabled, day(1)), NotRequired);
        assert_eq!(requirement_for(&company(true, None), TwoFactorStatus::Enabled, day(1)), Met);
        assert_eq!(requirement_for(&company(true, None), TwoFactorStatus::Pending, day(1)), Enforced);
        assert_eq!(requirement_for(&company(true, Some(day(10))), TwoFactorStatus::Disabled, day(9)), Grace { from: day(10) });
        assert_eq!(requirement_for(&company(true, Some(day(10))), TwoFactorStatus::Disabled, day(10)), Enforced);
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

    #[test]
    fn the_form_is_checked_against_the_server_limit() {
        let current = company(false, None);
        let input = PolicyInput { require_two_factor: true, grace_until: Some("2026-12-10"), trusted_days_max: Some("7"), ..Default::default() };
        let policy = parse_policy(&input, &current, 30).unwrap();
        assert!(policy.require_two_factor && !policy.admins_always_enter_code);
        assert_eq!(policy.two_factor_grace_until, Some(day(10)));
        assert_eq!(policy.trusted_days_max, 7);

        let too_long = PolicyInput { trusted_days_max: Some("90"), ..Default::default() };
        assert_eq!(parse_policy(&too_long, &current, 30), Err(PolicyError::TrustedDays("0, 7 or 30 days".into())));
        let odd = PolicyInput { trusted_days_max: Some("14"), ..Default::default() };
        assert!(parse_policy(&odd, &current, 365).is_err());
        let bad_date = PolicyInput { grace_until: Some("31/12/2026"), ..Default::default() };
        assert_eq!(parse_policy(&bad_date, &current, 30), Err(PolicyError::GraceDate));

        let off_with_date = PolicyInput { grace_until: Some("2026-12-10"), ..Default::default() };
        assert_eq!(parse_policy(&off_with_date, &current, 30).unwrap().two_factor_grace_until, None);
        assert_eq!(effective_trusted_days(&current, 7), 7);
        assert_eq!(trusted_days_choices(0), vec![0]);
    }
}
