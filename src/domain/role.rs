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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
