use std::fmt;

/// What an agent may do: every agent manages their own account; admins also
/// manage their company's agents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Agent,
    Admin,
}

impl Role {
    pub fn parse(raw: &str) -> Option<Role> {
        match raw {
            "agent" => Some(Role::Agent),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }

    /// The value stored in the `role` column.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Agent => "agent",
            Role::Admin => "admin",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Agent => "Agent",
            Role::Admin => "Admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// An agent's two-factor state (SPEC §2.2): pending between ticking the box and
/// entering the confirmation code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TwoFactorStatus {
    Disabled,
    Pending,
    Enabled,
}

impl TwoFactorStatus {
    pub fn parse(raw: &str) -> Option<TwoFactorStatus> {
        match raw {
            "disabled" => Some(TwoFactorStatus::Disabled),
            "pending" => Some(TwoFactorStatus::Pending),
            "enabled" => Some(TwoFactorStatus::Enabled),
            _ => None,
        }
    }

    /// The value stored in the `two_factor` column.
    pub fn as_str(self) -> &'static str {
        match self {
            TwoFactorStatus::Disabled => "disabled",
            TwoFactorStatus::Pending => "pending",
            TwoFactorStatus::Enabled => "enabled",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            TwoFactorStatus::Disabled => "Disabled",
            TwoFactorStatus::Pending => "Pending",
            TwoFactorStatus::Enabled => "Enabled",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_values_round_trip() {
        for role in [Role::Agent, Role::Admin] {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        for status in [TwoFactorStatus::Disabled, TwoFactorStatus::Pending, TwoFactorStatus::Enabled] {
            assert_eq!(TwoFactorStatus::parse(status.as_str()), Some(status));
        }
    }

    proptest::proptest! {
        /// Only the exact stored spellings parse: no case folding, no padding,
        /// so a crafted form value can never become "admin".
        #[test]
        fn only_exact_values_parse(raw in proptest::prelude::any::<String>()) {
            match Role::parse(&raw) {
                Some(role) => proptest::prop_assert_eq!(role.as_str(), raw.as_str()),
                None => proptest::prop_assert!(raw != "agent" && raw != "admin"),
            }
            match TwoFactorStatus::parse(&raw) {
                Some(status) => proptest::prop_assert_eq!(status.as_str(), raw.as_str()),
                None => proptest::prop_assert!(!["disabled", "pending", "enabled"].contains(&raw.as_str())),
            }
        }
    }
}
