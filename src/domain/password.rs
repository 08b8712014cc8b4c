use std::collections::HashSet;
use std::sync::LazyLock;

use unicode_normalization::UnicodeNormalization;

use super::EmailAddress;

/// SPEC §3: a password alone guards every login from a trusted computer.
pub const MIN_PASSWORD_CHARS: usize = 15;
pub const MAX_PASSWORD_CHARS: usize = 128;

/// The 10,000 most common passwords (assets/README.md says where they come from).
static COMMON_PASSWORDS: LazyLock<HashSet<String>> = LazyLock::new(|| {
    include_str!("../../assets/common-passwords.txt")
        .lines()
        .map(|line| line.to_lowercase())
        .collect()
});

/// Why a new password was refused; the message is shown to the user.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PasswordError {
    #[error("{}", crate::i18n::t1("validation-password-too-short", "min", MIN_PASSWORD_CHARS))]
    TooShort,
    #[error("{}", crate::i18n::t1("validation-password-too-long", "max", MAX_PASSWORD_CHARS))]
    TooLong,
    #[error("{}", crate::i18n::t("validation-password-common"))]
    Common,
    #[error("{}", crate::i18n::t("validation-password-product-name"))]
    ContainsProductName,
    #[error("{}", crate::i18n::t("validation-password-email"))]
    ContainsEmail,
    /// The part of the address before the @ (4 characters or more), named.
    #[error("{}", crate::i18n::t1("validation-password-email-name", "name", .0))]
    ContainsEmailName(String),
    #[error("{}", crate::i18n::t("validation-password-mismatch"))]
    Mismatch,
    #[error("{}", crate::i18n::t("validation-password-control"))]
    ControlCharacter,
}

/// A password that satisfies SPEC §3, normalised to NFKC: the form that is hashed.
#[derive(Clone)]
pub struct NewPassword(String);

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(<redacted>)")
    }
}

impl NewPassword {
    /// Checks a password an agent chose. `email` is the account's address.
    pub fn parse(raw: &str, email: &EmailAddress) -> Result<NewPassword, PasswordError> {
        // Refuse absurd input before normalising it: NFKC can expand a string.
        if raw.chars().count() > MAX_PASSWORD_CHARS * 4 {
            return Err(PasswordError::TooLong);
        }
        let normalised = normalise(raw);
        let length = normalised.chars().count();
        if length < MIN_PASSWORD_CHARS {
            return Err(PasswordError::TooShort);
        }
        if length > MAX_PASSWORD_CHARS {
            return Err(PasswordError::TooLong);
        }
        // A password with a NUL, CR, LF or tab could be set through a crafted
        // form but never typed into a login field again.
        if normalised.chars().any(char::is_control) {
            return Err(PasswordError::ControlCharacter);
        }
        let lowered = normalised.to_lowercase();
        if COMMON_PASSWORDS.contains(&lowered) {
            return Err(PasswordError::Common);
        }
        if lowered.contains("agentgate") {
            return Err(PasswordError::ContainsProductName);
        }
        if lowered.contains(email.as_str()) {
            return Err(PasswordError::ContainsEmail);
        }
        let local = email.local_part();
        if local.chars().count() >= 4 && lowered.contains(local) {
            return Err(PasswordError::ContainsEmailName(local.to_owned()));
        }
        Ok(NewPassword(normalised))
    }

    /// Parses a new password typed twice.
    pub fn parse_confirmed(raw: &str, confirmation: &str, email: &EmailAddress) -> Result<NewPassword, PasswordError> {
        let password = NewPassword::parse(raw, email)?;
        if normalise(confirmation) != password.0 {
            return Err(PasswordError::Mismatch);
        }
        Ok(password)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// The form a password is hashed and verified in (SPEC §3: NFKC).
pub fn normalise(raw: &str) -> String {
    raw.nfkc().collect()
}

/// A password typed at login, normalised; `None` when it is longer than any
/// valid password could be, so it is refused before any hashing.
pub fn login_candidate(raw: &str) -> Option<String> {
    if raw.chars().count() > MAX_PASSWORD_CHARS * 4 {
        return None;
    }
    let normalised = normalise(raw);
    (normalised.chars().count() <= MAX_PASSWORD_CHARS).then_some(normalised)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn email() -> EmailAddress {
        EmailAddress::parse("grace.hopper@example.com").unwrap()
    }

    #[test]
    fn enforces_the_length_bounds_in_code_points() {
        assert_eq!(NewPassword::parse("short phrase", &email()).unwrap_err(), PasswordError::TooShort);
        assert!(NewPassword::parse("correct horse battery", &email()).is_ok());
        // 15 code points of a 2-byte character are long enough.
        assert!(NewPassword::parse(&"é".repeat(15), &email()).is_ok());
        assert_eq!(NewPassword::parse(&"x".repeat(129), &email()).unwrap_err(), PasswordError::TooLong);
        assert!(NewPassword::parse(&"xy".repeat(64), &email()).is_ok());
    }

    #[test]
    fn refuses_common_passwords_product_name_and_email() {
        assert_eq!(NewPassword::parse("1qaz2wsx3edc4rfv", &email()).unwrap_err(), PasswordError::Common);
        assert_eq!(NewPassword::parse("my AgentGate password", &email()).unwrap_err(), PasswordError::ContainsProductName);
        assert_eq!(NewPassword::parse("grace.hopper@example.com!", &email()).unwrap_err(), PasswordError::ContainsEmail);
        // The part before the @ is named, so the agent sees what matched.
        let named = NewPassword::parse("I am grace.hopper really", &email()).unwrap_err();
        assert_eq!(named, PasswordError::ContainsEmailName("grace.hopper".into()));
        assert_eq!(named.to_string(), "The password cannot contain \u{201c}grace.hopper\u{201d}, the part of your email address before the @.");
    }

    #[test]
    fn normalises_to_nfkc() {
        // U+FB01 (the "fi" ligature) becomes "fi".
        let password = NewPassword::parse("\u{FB01}ne tuned violin strings", &email()).unwrap();
        assert_eq!(password.expose(), "fine tuned violin strings");
    }

    #[test]
    fn control_characters_are_refused() {
        for bad in ["correct horse\nbattery staple", "correct horse\0battery staple", "correct\thorse battery staple"] {
            assert_eq!(NewPassword::parse(bad, &email()).unwrap_err(), PasswordError::ControlCharacter, "{bad:?}");
        }
    }

    #[test]
    fn confirmation_must_match() {
        let err = NewPassword::parse_confirmed("correct horse battery", "correct horse battery!", &email());
        assert_eq!(err.unwrap_err(), PasswordError::Mismatch);
    }

    proptest::proptest! {
        /// Any input: no panic; an accepted password is NFKC, 15 to 128 code
        /// points, parses to itself, and typing the same raw text at login
        /// gives exactly what was hashed (or nobody could log in).
        #[test]
        fn accepted_passwords_are_normalised_and_match_at_login(raw in proptest::prelude::any::<String>()) {
            let email = email();
            if let Ok(password) = NewPassword::parse(&raw, &email) {
                let text = password.expose();
                proptest::prop_assert_eq!(normalise(text), text);
                proptest::prop_assert!(!text.chars().any(char::is_control));
                proptest::prop_assert!((MIN_PASSWORD_CHARS..=MAX_PASSWORD_CHARS).contains(&text.chars().count()));
                proptest::prop_assert!(NewPassword::parse(text, &email).is_ok());
                let at_login = login_candidate(&raw);
                proptest::prop_assert_eq!(at_login.as_deref(), Some(text));
            }
        }

        /// Long phrases of ordinary words are accepted, and NFKC-equivalent
        /// spellings are one password.
        #[test]
        fn compatibility_forms_are_one_password(words in proptest::collection::vec("[a-z]{3,8}", 4..8)) {
            let plain = words.join(" ");
            proptest::prop_assume!(!plain.contains("agentgate") && !plain.contains("grace"));
            let password = NewPassword::parse(&plain, &email()).unwrap();
            // U+FF41.. are the fullwidth forms of a..z; NFKC folds them back.
            let fullwidth: String = plain.chars().map(|c| if c.is_ascii_lowercase() { char::from_u32(c as u32 - 'a' as u32 + 0xFF41).unwrap() } else { c }).collect();
            let at_login = login_candidate(&fullwidth);
            proptest::prop_assert_eq!(at_login.as_deref(), Some(password.expose()));
        }

        /// Anything longer than any valid password is refused before hashing.
        #[test]
        fn over_long_input_is_refused_without_work(extra in 1usize..2000) {
            let raw = "x".repeat(MAX_PASSWORD_CHARS * 4 + extra);
            proptest::prop_assert_eq!(login_candidate(&raw), None);
            proptest::prop_assert_eq!(NewPassword::parse(&raw, &email()).unwrap_err(), PasswordError::TooLong);
        }
    }
}
