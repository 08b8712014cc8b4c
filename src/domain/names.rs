/// Errors for free-text names.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum NameError {
    #[error("{}", crate::i18n::t("validation-name-empty"))]
    Empty,
    #[error("{}", crate::i18n::t1("validation-name-too-long", "max", .0))]
    TooLong(usize),
    #[error("{}", crate::i18n::t("validation-name-control"))]
    ControlCharacter,
    /// Bidi controls, zero-width spaces, line separators: they let a name
    /// display as something else (U+202E turns the text around).
    #[error("{}", crate::i18n::t("validation-name-invisible"))]
    InvisibleCharacter,
    #[error("{}", crate::i18n::t("validation-name-nothing-visible"))]
    NothingVisible,
}

/// Characters refused in names: they change how the text around them is
/// shown, or break it into lines, without being seen themselves.
fn is_deceptive(c: char) -> bool {
    matches!(c,
        '\u{061C}' // Arabic letter mark
        | '\u{180E}' // Mongolian vowel separator
        | '\u{200B}' // zero-width space
        | '\u{200E}' | '\u{200F}' // left-to-right and right-to-left marks
        | '\u{2028}' | '\u{2029}' // line and paragraph separators
        | '\u{202A}'..='\u{202E}' // bidi embeddings and overrides
        | '\u{2060}'..='\u{2064}' // word joiner, invisible operators
        | '\u{2066}'..='\u{2069}' // bidi isolates
        | '\u{206A}'..='\u{206F}' // deprecated format characters
        | '\u{FEFF}' // zero-width no-break space
        | '\u{FFF9}'..='\u{FFFB}' // interlinear annotations
    )
}

/// Characters that show nothing by themselves but are allowed inside a name
/// (ZWNJ and ZWJ are needed to spell some Persian and Indic names).
fn shows_nothing(c: char) -> bool {
    c.is_whitespace()
        || matches!(c, '\u{00AD}' | '\u{034F}' | '\u{115F}' | '\u{1160}' | '\u{200C}' | '\u{200D}' | '\u{3164}' | '\u{FFA0}')
        || is_deceptive(c)
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
    if trimmed.chars().any(is_deceptive) {
        return Err(NameError::InvisibleCharacter);
    }
    if trimmed.chars().all(shows_nothing) {
        return Err(NameError::NothingVisible);
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

/// The name an agent gives a passkey ("YubiKey 5", "MacBook Touch ID"):
/// 1 to 60 characters, the rules of a person's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasskeyName(String);

impl PasskeyName {
    pub const MAX_CHARS: usize = 60;

    pub fn parse(raw: &str) -> Result<PasskeyName, NameError> {
        parse_name(raw, Self::MAX_CHARS).map(PasskeyName)
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

    #[test]
    fn names_reject_invisible_and_direction_changing_characters() {
        for deceptive in ["Ada\u{202E}ecalevoL", "Ada\u{200B}Lovelace", "\u{FEFF}", "Ada\u{2028}Lovelace", "Ada\u{2066}x\u{2069}"] {
            assert_eq!(PersonName::parse(deceptive), Err(NameError::InvisibleCharacter), "{deceptive:?}");
            assert_eq!(CompanyName::parse(deceptive), Err(NameError::InvisibleCharacter), "{deceptive:?}");
        }
        for blank in ["\u{3164}", "\u{200D}\u{200C}", "\u{00AD}"] {
            assert_eq!(PersonName::parse(blank), Err(NameError::NothingVisible), "{blank:?}");
        }
        // Joiners inside real names stay allowed.
        assert!(PersonName::parse("Mehr\u{200C}dad").is_ok());
        assert!(PersonName::parse("Zoë O'Neil-Ng").is_ok());
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
                proptest::prop_assert!(!text.chars().any(is_deceptive));
                proptest::prop_assert!(!text.chars().all(shows_nothing));
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
