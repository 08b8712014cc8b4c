/// Errors for free-text names.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum NameError {
    #[error("Enter a name.")]
    Empty,
    #[error("That name is too long (at most {0} characters).")]
    TooLong(usize),
    #[error("Names cannot contain control characters.")]
    ControlCharacter,
}

fn parse_name(raw: &str, max: usize) -> Result<String, NameError> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(NameError::Empty);
    }
    if trimmed.chars().count() > max {
        return Err(NameError::TooLong(max));
    }
    // Control characters (CR, LF, NUL...) could break email headers and CSV rows.
    if trimmed.chars().any(char::is_control) {
        return Err(NameError::ControlCharacter);
    }
    Ok(trimmed.to_owned())
}

/// An agent's display name: 1 to 100 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName(String);

impl PersonName {
    pub const MAX_CHARS: usize = 100;

    pub fn parse(raw: &str) -> Result<PersonName, NameError> {
        parse_name(raw, Self::MAX_CHARS).map(PersonName)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Up to two initials for the round account button ("Ada Lovelace" -> "AL").
    pub fn initials(name: &str) -> String {
        let initials: String = name
            .split_whitespace()
            .filter_map(|word| word.chars().next())
            .take(2)
            .flat_map(char::to_uppercase)
            .collect();
        if initials.is_empty() { "?".to_owned() } else { initials }
    }
}

/// A company's name: 1 to 100 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompanyName(String);

impl CompanyName {
    pub fn parse(raw: &str) -> Result<CompanyName, NameError> {
        parse_name(raw, 100).map(CompanyName)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_take_the_first_two_words() {
        assert_eq!(PersonName::initials("Ada King Lovelace"), "AK");
        assert_eq!(PersonName::initials("émile"), "É");
        assert_eq!(PersonName::initials("  "), "?");
    }

    #[test]
    fn names_reject_control_characters_and_length() {
        assert_eq!(PersonName::parse("Ada\r\nBcc: x"), Err(NameError::ControlCharacter));
        assert_eq!(PersonName::parse(" "), Err(NameError::Empty));
        assert!(PersonName::parse(&"a".repeat(101)).is_err());
        assert_eq!(PersonName::parse(" Ada ").unwrap().as_str(), "Ada");
    }

    proptest::proptest! {
        /// Any input: no panic; an accepted name is trimmed, 1 to 100
        /// characters, free of control characters, and parses to itself.
        #[test]
        fn accepted_names_are_clean_and_reparse_to_themselves(raw in proptest::prelude::any::<String>()) {
            if let Ok(name) = PersonName::parse(&raw) {
                let text = name.as_str();
                proptest::prop_assert_eq!(text, text.trim());
                proptest::prop_assert!((1..=PersonName::MAX_CHARS).contains(&text.chars().count()));
                proptest::prop_assert!(!text.chars().any(char::is_control));
                proptest::prop_assert_eq!(PersonName::parse(text), Ok(name.clone()));
            }
            if let Ok(company) = CompanyName::parse(&raw) {
                proptest::prop_assert_eq!(CompanyName::parse(company.as_str()), Ok(company.clone()));
                proptest::prop_assert!(!company.as_str().chars().any(char::is_control));
            }
            proptest::prop_assert!(!PersonName::initials(&raw).is_empty());
        }

        /// A control character anywhere inside is refused, whatever surrounds it.
        #[test]
        fn control_characters_are_always_refused(
            before in "[a-zA-Z ]{0,20}",
            control in proptest::char::range('\0', '\u{1f}'),
            after in "[a-zA-Z ]{1,20}",
        ) {
            let raw = format!("x{before}{control}{after}x");
            proptest::prop_assert!(PersonName::parse(&raw).is_err());
            proptest::prop_assert!(CompanyName::parse(&raw).is_err());
        }
    }
}
