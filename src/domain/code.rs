use std::fmt;

/// The number of digits in a one-time code (SPEC §3).
pub const CODE_DIGITS: usize = 6;

/// A one-time code as an agent typed or pasted it: exactly six ASCII digits
/// once spaces and dashes are removed ("123 456" and "123-456" are accepted).
#[derive(Clone, PartialEq, Eq)]
pub struct OneTimeCode(String);

/// Why a submitted code could not even be read; each counts as a wrong code.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum CodeError {
    #[error("{}", crate::i18n::t("validation-code-empty"))]
    Empty,
    #[error("{}", crate::i18n::t("validation-code-malformed"))]
    Malformed,
}

impl OneTimeCode {
    /// Accepts what a person pastes: surrounding and inner whitespace and
    /// dashes are dropped. Other digits than ASCII 0-9 (Arabic-Indic,
    /// full-width ...) are refused, so a code has exactly one spelling.
    pub fn parse(raw: &str) -> Result<OneTimeCode, CodeError> {
        // Bound the work on absurd input before looking at every character.
        if raw.len() > 64 {
            return Err(CodeError::Malformed);
        }
        let compact: String = raw.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
        if compact.is_empty() {
            return Err(CodeError::Empty);
        }
        if compact.len() != CODE_DIGITS || !compact.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CodeError::Malformed);
        }
        Ok(OneTimeCode(compact))
    }

    /// The code for a number below 10^6, zero-padded ("000042").
    pub fn from_number(number: u32) -> OneTimeCode {
        debug_assert!(number < 1_000_000);
        OneTimeCode(format!("{:06}", number % 1_000_000))
    }

    /// The six digits, for the email and the keyed hash. Never log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for OneTimeCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("OneTimeCode(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_pasted_codes_with_spaces_and_dashes() {
        for raw in ["123456", " 123456 ", "123 456", "123-456", "12 34 56", "\t123456\n", "1-2-3-4-5-6"] {
            assert_eq!(OneTimeCode::parse(raw).unwrap().expose(), "123456", "{raw:?}");
        }
        assert_eq!(OneTimeCode::parse("000000").unwrap().expose(), "000000");
    }

    #[test]
    fn refuses_wrong_lengths_letters_and_non_ascii_digits() {
        assert_eq!(OneTimeCode::parse("").unwrap_err(), CodeError::Empty);
        assert_eq!(OneTimeCode::parse(" - ").unwrap_err(), CodeError::Empty);
        for raw in [
            "12345",
            "1234567",
            "12345a",
            "abcdef",
            "+12345",
            "12.456",
            "١٢٣٤٥٦",       // Arabic-Indic digits
            "１２３４５６", // full-width digits
            "12345\u{0660}",
            &"1".repeat(100),
        ] {
            assert_eq!(OneTimeCode::parse(raw).unwrap_err(), CodeError::Malformed, "{raw:?}");
        }
    }

    #[test]
    fn numbers_are_zero_padded() {
        assert_eq!(OneTimeCode::from_number(42).expose(), "000042");
        assert_eq!(OneTimeCode::from_number(999_999).expose(), "999999");
    }

    #[test]
    fn debug_never_shows_the_digits() {
        assert!(!format!("{:?}", OneTimeCode::from_number(123_456)).contains("123"));
    }
}
