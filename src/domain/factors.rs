//! Which second factors a company counts (SPEC §7 policy), as one value
//! instead of two flags read everywhere.

/// The policy's "Second factors allowed" choice. Stricter choices drop the
/// phishable factors one by one; passkeys always count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactorsAllowed {
    /// Emailed codes, authenticator apps and passkeys.
    All,
    /// Authenticator apps and passkeys.
    AppAndPasskey,
    /// Passkeys and security keys only.
    PasskeyOnly,
}

impl FactorsAllowed {
    /// From the two stored flags (`companies.email_factor_allowed`, `app_factor_allowed`).
    pub fn from_flags(email: bool, app: bool) -> FactorsAllowed {
        match (email, app) {
            (true, _) => FactorsAllowed::All,
            (false, true) => FactorsAllowed::AppAndPasskey,
            (false, false) => FactorsAllowed::PasskeyOnly,
        }
    }

    /// The stored flags: (email counts, app counts).
    pub fn flags(self) -> (bool, bool) {
        (self.counts_email(), self.counts_app())
    }

    pub fn counts_email(self) -> bool {
        self == FactorsAllowed::All
    }

    pub fn counts_app(self) -> bool {
        self != FactorsAllowed::PasskeyOnly
    }

    /// The policy form's value (the first two are the values of the first release).
    pub fn form_value(self) -> &'static str {
        match self {
            FactorsAllowed::All => "email_and_app",
            FactorsAllowed::AppAndPasskey => "app_only",
            FactorsAllowed::PasskeyOnly => "passkey_only",
        }
    }

    pub fn parse(raw: &str) -> Option<FactorsAllowed> {
        [FactorsAllowed::All, FactorsAllowed::AppAndPasskey, FactorsAllowed::PasskeyOnly].into_iter().find(|f| f.form_value() == raw)
    }

    /// In the audit log.
    pub fn describe(self) -> &'static str {
        match self {
            FactorsAllowed::All => "email codes, authenticator apps and passkeys",
            FactorsAllowed::AppAndPasskey => "authenticator apps and passkeys",
            FactorsAllowed::PasskeyOnly => "passkeys only",
        }
    }
}

/// What the company asks of its admins beyond the rule for everyone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdminFactorRule {
    /// Nothing more.
    Any,
    /// An authenticator app or a passkey ("Admins must use an authenticator app").
    AppOrPasskey,
    /// A passkey or security key: phishing-resistant.
    Passkey,
}

impl AdminFactorRule {
    pub fn from_flags(must_use_app: bool, must_use_passkey: bool) -> AdminFactorRule {
        match (must_use_app, must_use_passkey) {
            (_, true) => AdminFactorRule::Passkey,
            (true, false) => AdminFactorRule::AppOrPasskey,
            (false, false) => AdminFactorRule::Any,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_and_form_values_round_trip() {
        for allowed in [FactorsAllowed::All, FactorsAllowed::AppAndPasskey, FactorsAllowed::PasskeyOnly] {
            let (email, app) = allowed.flags();
            assert_eq!(FactorsAllowed::from_flags(email, app), allowed);
            assert_eq!(FactorsAllowed::parse(allowed.form_value()), Some(allowed));
        }
        assert_eq!(FactorsAllowed::parse("sms"), None);
        assert_eq!(AdminFactorRule::from_flags(true, true), AdminFactorRule::Passkey);
    }
}
