//! Searching agents by name or email (SPEC §2.4): the normal form names are
//! stored in, and the parsed search text of the Agents tab.
//!
//! A name is searched word by word: "smi" finds "Ada Smith", "ada smi" too,
//! "o neil" finds "Seán O'Neil". An email is searched by its beginning. Both
//! are case-insensitive, and both are index ranges, never a scan.

use unicode_normalization::UnicodeNormalization;

/// The longest search text accepted.
pub const MAX_SEARCH_CHARS: usize = 100;
/// The most words a search may have.
pub const MAX_SEARCH_WORDS: usize = 5;

/// The name as search and sorting use it: NFKC, lower-case, every run of
/// characters that are not letters or digits folded to one space, trimmed.
/// Stored in `agents.search_name`; its words go to `agent_name_words`.
pub fn search_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len());
    let mut pending_space = false;
    for c in name.nfkc().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            if pending_space && !key.is_empty() {
                key.push(' ');
            }
            pending_space = false;
            key.push(c);
        } else {
            pending_space = true;
        }
    }
    key
}

/// The distinct words of a search key, in order of first appearance.
pub fn search_words(key: &str) -> Vec<&str> {
    let mut words: Vec<&str> = Vec::new();
    for word in key.split(' ').filter(|w| !w.is_empty()) {
        if !words.contains(&word) {
            words.push(word);
        }
    }
    words
}

/// The `q` of the Agents tab, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchText {
    raw: String,
    /// Every one must begin a word of the name.
    words: Vec<String>,
    /// Or the email must begin with this (trimmed, lower-case).
    email_prefix: String,
}

/// Why a search text was refused; shown on the 400 page.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SearchError {
    #[error("{}", crate::i18n::t1("validation-search-too-long", "max", MAX_SEARCH_CHARS))]
    TooLong,
    #[error("{}", crate::i18n::t1("validation-search-too-many-words", "max", MAX_SEARCH_WORDS))]
    TooManyWords,
    #[error("{}", crate::i18n::t("validation-search-control"))]
    ControlCharacter,
}

impl SearchText {
    /// `None` for an empty or blank search.
    pub fn parse(raw: &str) -> Result<Option<SearchText>, SearchError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Ok(None);
        }
        if trimmed.chars().count() > MAX_SEARCH_CHARS {
            return Err(SearchError::TooLong);
        }
        if trimmed.chars().any(char::is_control) {
            return Err(SearchError::ControlCharacter);
        }
        let key = search_key(trimmed);
        let words: Vec<String> = search_words(&key).into_iter().map(str::to_owned).collect();
        if words.len() > MAX_SEARCH_WORDS {
            return Err(SearchError::TooManyWords);
        }
        Ok(Some(SearchText { raw: trimmed.to_owned(), words, email_prefix: trimmed.to_lowercase() }))
    }

    /// What the admin typed (trimmed), to show back in the search box.
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// The words that must each begin a word of the name (none when the search
    /// has no letter or digit: then only the email can match).
    pub fn words(&self) -> &[String] {
        &self.words
    }

    pub fn email_prefix(&self) -> &str {
        &self.email_prefix
    }
}

/// The exclusive upper bound of the strings that begin with `prefix`, in byte
/// (code point) order: `prefix` followed by the largest code point.
pub fn prefix_upper_bound(prefix: &str) -> String {
    format!("{prefix}\u{10FFFF}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_keys_fold_case_width_and_punctuation() {
        assert_eq!(search_key("  Ada   LOVELACE "), "ada lovelace");
        assert_eq!(search_key("Seán O'Neil-Smith"), "seán o neil smith");
        assert_eq!(search_key("ＡＤＡ"), "ada", "NFKC folds full-width letters");
        assert_eq!(search_key("ÉMILE"), "émile");
        assert_eq!(search_key("..."), "");
    }

    #[test]
    fn words_are_distinct_and_in_order() {
        assert_eq!(search_words("ann ann annabel"), vec!["ann", "annabel"]);
        assert!(search_words("").is_empty());
    }

    #[test]
    fn search_text_parses_words_and_email_prefix() {
        let search = SearchText::parse("  Ada Lov ").unwrap().unwrap();
        assert_eq!(search.words(), ["ada", "lov"]);
        assert_eq!(search.email_prefix(), "ada lov");
        assert_eq!(search.as_str(), "Ada Lov");
        let email = SearchText::parse("Ada@Acme").unwrap().unwrap();
        assert_eq!(email.words(), ["ada", "acme"]);
        assert_eq!(email.email_prefix(), "ada@acme");
        assert_eq!(SearchText::parse("   ").unwrap(), None);
        assert!(SearchText::parse("@").unwrap().unwrap().words().is_empty());
    }

    #[test]
    fn search_text_refuses_what_it_cannot_use() {
        assert_eq!(SearchText::parse(&"a".repeat(101)), Err(SearchError::TooLong));
        assert_eq!(SearchText::parse("a b c d e f"), Err(SearchError::TooManyWords));
        assert_eq!(SearchText::parse("a\u{0}b"), Err(SearchError::ControlCharacter));
    }

    #[test]
    fn the_prefix_bound_follows_every_string_with_the_prefix() {
        let upper = prefix_upper_bound("smi");
        assert!("smith".as_bytes() < upper.as_bytes());
        assert!("smj".as_bytes() > upper.as_bytes());
        assert!("smi".as_bytes() < upper.as_bytes());
    }
}
