use std::fmt;

/// An email address, trimmed and lower-cased: the login name, unique across
/// the installation.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EmailAddress(String);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum EmailError {
    #[error("{}", crate::i18n::t("validation-email-empty"))]
    Empty,
    #[error("{}", crate::i18n::t("validation-email-too-long"))]
    TooLong,
    #[error("{}", crate::i18n::t1("validation-email-invalid", "example", "name@example.com"))]
    Invalid,
}

/// RFC 5321 limits a forward path to 254 characters.
const MAX_EMAIL_LEN: usize = 254;

impl EmailAddress {
    /// Accepts `local@domain` with a dotted domain; rejects whitespace, control
    /// characters and anything that could break an email header.
    pub fn parse(raw: &str) -> Result<EmailAddress, EmailError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(EmailError::Empty);
        }
        // Refuse absurd input before lower-casing it, then check the stored
        // form: lower case can be longer in UTF-8 ('Ⱥ' is 2 bytes, 'ⱥ' is 3).
        if trimmed.len() > MAX_EMAIL_LEN {
            return Err(EmailError::TooLong);
        }
        let lowered = trimmed.to_lowercase();
        if lowered.len() > MAX_EMAIL_LEN {
            return Err(EmailError::TooLong);
        }
        let (local, domain) = lowered.rsplit_once('@').ok_or(EmailError::Invalid)?;
        let forbidden = |c: char| c.is_whitespace() || c.is_control() || "<>()[]\\,;:\"@".contains(c);
        let local_ok = !local.is_empty() && local.len() <= 64 && !local.chars().any(forbidden);
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '.');
        if local_ok && domain_ok {
            Ok(EmailAddress(lowered))
        } else {
            Err(EmailError::Invalid)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `a***@example.com`: enough to recognise the address, not enough to harvest it.
    pub fn masked(&self) -> String {
        let (local, domain) = self.0.rsplit_once('@').unwrap_or((&self.0, ""));
        let first: String = local.chars().take(1).collect();
        format!("{first}***@{domain}")
    }

    /// The part before the `@`.
    pub fn local_part(&self) -> &str {
        self.0.rsplit_once('@').map(|(l, _)| l).unwrap_or(&self.0)
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for EmailAddress {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_case_and_whitespace() {
        let email = EmailAddress::parse("  Ada@Example.COM ").unwrap();
        assert_eq!(email.as_str(), "ada@example.com");
    }

    #[test]
    fn rejects_malformed_addresses() {
        for bad in ["", "ada", "ada@", "@example.com", "ada@example", "a b@example.com", "ada@exa mple.com",
            "ada@example.com\r\nBcc: x@y.z", "ada@.example.com", "ada@example..com", "a<b>@example.com"] {
            assert!(EmailAddress::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn masks_the_local_part() {
        assert_eq!(EmailAddress::parse("ada@example.com").unwrap().masked(), "a***@example.com");
    }

    proptest::proptest! {
        /// Any input: no panic; an accepted address is already in its stored
        /// form (parsing it again gives itself), has no whitespace or control
        /// character, fits RFC 5321, and masks without panicking.
        #[test]
        fn accepted_addresses_are_normal_and_reparse_to_themselves(raw in proptest::prelude::any::<String>()) {
            if let Ok(email) = EmailAddress::parse(&raw) {
                proptest::prop_assert_eq!(EmailAddress::parse(email.as_str()), Ok(email.clone()));
                proptest::prop_assert!(email.as_str().len() <= MAX_EMAIL_LEN);
                proptest::prop_assert!(!email.as_str().chars().any(|c| c.is_whitespace() || c.is_control()));
                proptest::prop_assert_eq!(email.as_str().matches('@').count(), 1);
                proptest::prop_assert!(email.masked().ends_with(email.as_str().rsplit_once('@').unwrap().1));
            }
        }

        /// Letters whose lower case is longer in UTF-8 (U+023A 'Ⱥ' becomes the
        /// 3-byte 'ⱥ') near the length limit: still normal, still re-parsing.
        #[test]
        fn lower_casing_cannot_push_an_address_past_the_limit(
            local in "[aȺİ]{1,40}",
            label_len in 100usize..130,
            letter in proptest::sample::select(vec!['a', 'Ⱥ', 'Ω']),
        ) {
            let raw = format!("{local}@{}.com", letter.to_string().repeat(label_len));
            if let Ok(email) = EmailAddress::parse(&raw) {
                proptest::prop_assert!(email.as_str().len() <= MAX_EMAIL_LEN, "{} bytes", email.as_str().len());
                proptest::prop_assert_eq!(EmailAddress::parse(email.as_str()), Ok(email.clone()));
            }
        }

        /// Case and surrounding whitespace never make two logins of one address.
        #[test]
        fn case_and_padding_do_not_matter(
            local in "[a-zA-Z0-9._%+-]{1,30}",
            domain in "[a-zA-Z0-9-]{1,20}(\\.[a-zA-Z]{2,6}){1,2}",
            pad in "[ \t]{0,3}",
        ) {
            let plain = EmailAddress::parse(&format!("{local}@{domain}")).unwrap();
            let padded = EmailAddress::parse(&format!("{pad}{}@{}{pad}", local.to_uppercase(), domain.to_lowercase())).unwrap();
            proptest::prop_assert_eq!(plain, padded);
        }

        /// Nothing that could end a header line or start a new one survives.
        #[test]
        fn header_breaking_characters_are_refused(
            local in "[a-z]{1,10}",
            bad in proptest::sample::select(vec!['\r', '\n', '\0', '<', '>', ',', ';', ':', '"', ' ']),
        ) {
            let raw = format!("{local}{bad}x@example.com");
            proptest::prop_assert!(EmailAddress::parse(&raw).is_err());
        }
    }
}
