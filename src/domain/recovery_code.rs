use std::fmt;

/// The letters and digits of a recovery code: Crockford's base 32 in lower
/// case (no i, l, o or u, so nothing reads as another character).
const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";
/// Characters per code: 24 × 5 = 120 bits, past ASVS 5.0 6.5.2's 112, so a
/// keyed hash is as safe to store as a slow one and a login can check it
/// without argon2.
pub const RECOVERY_CODE_CHARS: usize = 24;
/// Characters per group as shown (`k7dq-2mxp-9hta-vw4c-…`).
const GROUP: usize = 4;

/// A recovery code as an agent typed it, in its one canonical spelling.
#[derive(Clone, PartialEq, Eq)]
pub struct RecoveryCode(String);

/// A recovery code that cannot be one; counts as a wrong code.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
#[error("{}", crate::i18n::t1("validation-recovery-code", "example", "k7dq-2mxp-9hta-vw4c-5nry-3bfe"))]
pub struct RecoveryCodeError;

impl RecoveryCode {
    /// A new code from the OS-seeded CSPRNG.
    pub fn generate() -> RecoveryCode {
        use rand::RngExt;
        let mut rng = rand::rng();
        RecoveryCode((0..RECOVERY_CODE_CHARS).map(|_| ALPHABET[rng.random_range(0..32)] as char).collect())
    }

    /// Accepts what a person types or pastes: any case, spaces and hyphens
    /// anywhere, and the letters Crockford reads as digits (o as 0; i, l as 1).
    pub fn parse(raw: &str) -> Result<RecoveryCode, RecoveryCodeError> {
        if raw.len() > 128 {
            return Err(RecoveryCodeError);
        }
        let mut code = String::with_capacity(RECOVERY_CODE_CHARS);
        for c in raw.chars().filter(|c| !c.is_whitespace() && *c != '-') {
            let c = match c.to_ascii_lowercase() {
                'o' => '0',
                'i' | 'l' => '1',
                c => c,
            };
            if !c.is_ascii() || !ALPHABET.contains(&(c as u8)) {
                return Err(RecoveryCodeError);
            }
            code.push(c);
        }
        if code.len() != RECOVERY_CODE_CHARS {
            return Err(RecoveryCodeError);
        }
        Ok(RecoveryCode(code))
    }

    /// The canonical characters, for the keyed hash. Never log it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// As shown to the agent: groups of four joined by hyphens.
    pub fn grouped(&self) -> String {
        self.0.as_bytes().chunks(GROUP).map(|g| std::str::from_utf8(g).unwrap_or_default()).collect::<Vec<_>>().join("-")
    }
}

impl fmt::Debug for RecoveryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RecoveryCode(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_codes_are_24_characters_of_the_alphabet_in_six_groups() {
        let code = RecoveryCode::generate();
        assert_eq!(code.expose().len(), 24);
        assert!(code.expose().bytes().all(|b| ALPHABET.contains(&b)));
        let grouped = code.grouped();
        assert_eq!(grouped.split('-').count(), 6);
        assert_eq!(RecoveryCode::parse(&grouped).unwrap(), code);
        assert_ne!(RecoveryCode::generate(), code);
    }

    #[test]
    fn parsing_forgives_case_spacing_and_lookalikes_but_nothing_else() {
        let code = RecoveryCode::parse("k7dq-2mxp-9hta-vw4c-5nry-3bfe").unwrap();
        assert_eq!(code.expose(), "k7dq2mxp9htavw4c5nry3bfe");
        assert_eq!(RecoveryCode::parse(" K7DQ 2MXP-9HTA vw4c5nry3bfe ").unwrap(), code);
        assert_eq!(RecoveryCode::parse("oooo-iiii-llll-0000-1111-2222").unwrap().expose(), "000011111111000011112222");
        for bad in ["", "k7dq-2mxp-9hta-vw4c", "k7dq-2mxp-9hta-vw4c-5nry-3bfeX", "k7dq-2mxp-9hta-vw4c-5nry-3bf!", "k7dq-2mxp-9hta-vw4c-5nry-3bfu", "ｋ7dq-2mxp-9hta-vw4c-5nry-3bfe"] {
            assert_eq!(RecoveryCode::parse(bad), Err(RecoveryCodeError), "{bad:?}");
        }
        assert!(RecoveryCode::parse(&"a".repeat(1000)).is_err());
    }
}
