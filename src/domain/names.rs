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
}
