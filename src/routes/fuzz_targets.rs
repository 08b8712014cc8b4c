//! The bodies of the fuzz targets, in the library so that the `cargo fuzz`
//! targets in `fuzz/` (nightly, libFuzzer) and an ordinary test on stable
//! (`fuzz_corpus_replays_cleanly` below, over `fuzz/corpus/`) run exactly the
//! same code. Each function takes arbitrary bytes, must never panic, and
//! asserts the invariants the handlers rely on.
//!
//! See docs/SECURITY.md, "Fuzzing", for the commands.

use serde::de::DeserializeOwned;

use crate::domain::{CompanyName, EmailAddress, NewPassword, PersonName, Role, TwoFactorStatus, login_candidate};
use crate::routes::{account, activity, email, home, confirm_identity, login, notice_text, setup};
use crate::web::redirect::safe_next;
use crate::web::forms::decode_fields;

/// Deserialising must end in a value or an error, never a panic.
fn deserialize_quietly<T: DeserializeOwned>(text: &str) {
    let _ = serde_urlencoded::from_str::<T>(text);
}

/// Every field-level parser a handler applies to a decoded value, with the
/// invariants of what it accepts.
fn check_field(name: &str, value: &str) {
    if let Ok(email) = EmailAddress::parse(value) {
        assert_eq!(EmailAddress::parse(email.as_str()).as_ref(), Ok(&email), "an accepted email re-parses to itself");
        assert!(!email.as_str().chars().any(|c| c.is_control() || c.is_whitespace()));
        assert!(email.as_str().len() <= 254);
        let _ = email.masked();
    }
    let account = EmailAddress::parse("agent@example.com").expect("a valid address");
    if let Ok(password) = NewPassword::parse(value, &account) {
        assert_eq!(login_candidate(value).as_deref(), Some(password.expose()), "a new password works at login");
    }
    if let Ok(person) = PersonName::parse(value) {
        assert!(!person.as_str().chars().any(char::is_control));
        assert_eq!(PersonName::parse(person.as_str()).as_ref(), Ok(&person));
    }
    if let Ok(company) = CompanyName::parse(value) {
        assert!(!company.as_str().chars().any(char::is_control));
    }
    let _ = PersonName::initials(value);
    if let Some(candidate) = login_candidate(value) {
        assert!(candidate.chars().count() <= crate::domain::MAX_PASSWORD_CHARS);
    }
    if let Some(role) = Role::parse(value) {
        assert_eq!(role.as_str(), value);
    }
    if let Some(status) = TwoFactorStatus::parse(value) {
        assert_eq!(status.as_str(), value);
    }
    match name {
        "next" => {
            if let Some(next) = safe_next(Some(value)) {
                assert!(next.starts_with('/') && !next.starts_with("//") && !next.contains('\\'));
                assert!(!next.chars().any(char::is_control));
            }
        }
        "notice" => {
            let _ = notice_text(Some(value));
        }
        "event" => {
            let _ = activity::parse_event(Some(value));
        }
        _ => {}
    }
}

/// A urlencoded form body, as `CsrfForm` reads it: the strict decoder, then
/// every form of the app, then every field parser on every value.
pub fn form_body(data: &[u8]) {
    let Ok(fields) = decode_fields(data) else {
        // Refused: it must not have been UTF-8 text with valid escapes.
        return;
    };
    let text = std::str::from_utf8(data).expect("decode_fields accepts only UTF-8");
    deserialize_quietly::<login::LoginForm>(text);
    deserialize_quietly::<crate::web::forms::NoFields>(text);
    deserialize_quietly::<setup::SetupForm>(text);
    deserialize_quietly::<account::SettingsForm>(text);
    deserialize_quietly::<confirm_identity::PasswordForm>(text);
    deserialize_quietly::<confirm_identity::CodeForm>(text);
    deserialize_quietly::<email::ChangeForm>(text);
    deserialize_quietly::<crate::web::forms::CodeForm>(text);
    for (name, value) in &fields {
        check_field(name, value);
    }
}

/// A query string, as the pages read it: every query of the app, and every
/// field parser on every value.
pub fn query_string(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    deserialize_quietly::<login::LoginQuery>(text);
    deserialize_quietly::<home::NoticeQuery>(text);
    deserialize_quietly::<account::SettingsQuery>(text);
    deserialize_quietly::<setup::SetupQuery>(text);
    deserialize_quietly::<activity::ActivityQuery>(text);
    deserialize_quietly::<confirm_identity::IdentityQuery>(text);
    for (name, value) in form_urlencoded_pairs(text) {
        check_field(&name, &value);
    }
}

/// The lenient decoding actix's `web::Query` uses (invalid escapes replaced).
fn form_urlencoded_pairs(text: &str) -> Vec<(String, String)> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(text).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    /// The stable fallback for `cargo fuzz`: every input in the checked-in
    /// corpus of each target (and whatever a fuzzing run added there) goes
    /// through the same function the fuzzer calls.
    #[test]
    fn fuzz_corpus_replays_cleanly() {
        let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz").join("corpus");
        for (target, run) in [("form_body", form_body as fn(&[u8])), ("query_string", query_string)] {
            let dir = corpus.join(target);
            let mut inputs = 0;
            for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
                let path = entry.unwrap().path();
                if path.is_file() {
                    run(&std::fs::read(&path).unwrap());
                    inputs += 1;
                }
            }
            assert!(inputs >= 5, "the {target} corpus has seeds");
        }
    }

    proptest::proptest! {
        /// Random inputs on stable, between fuzzing runs.
        #[test]
        fn random_bytes_never_panic(data in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300)) {
            form_body(&data);
            query_string(&data);
        }

        /// Random forms that decode, with hostile characters in their values.
        #[test]
        fn random_forms_never_panic(
            fields in proptest::collection::vec(
                (
                    proptest::sample::select(vec!["email", "password", "next", "name", "company", "token", "csrf_token", "event", "notice", "page", "role", "new_email", "current_password", "code"]),
                    "(.|\r|\n|\u{0}|%|&|=|\\+){0,40}",
                ),
                0..6,
            ),
        ) {
            let body = serde_urlencoded::to_string(&fields).unwrap();
            form_body(body.as_bytes());
            query_string(body.as_bytes());
        }
    }
}
