//! The message catalogues (`locales/`): every language has the same keys,
//! every key the templates and the code ask for exists, and no template
//! carries English words of its own.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const LANGUAGES: [&str; 2] = ["en", "pl"];

fn files(dir: &Path, extensions: &[&str], out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, extensions, out);
        } else if path.extension().is_some_and(|e| extensions.iter().any(|x| e == *x)) {
            out.push(path);
        }
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The message ids of one language: every `id =` at the start of a line.
fn keys_of(language: &str) -> BTreeSet<String> {
    let mut paths = Vec::new();
    files(&root().join("locales").join(language), &["ftl"], &mut paths);
    assert!(!paths.is_empty(), "no catalogue for {language}");
    let mut keys = BTreeSet::new();
    for path in paths {
        for line in std::fs::read_to_string(&path).unwrap().lines() {
            let Some((id, _)) = line.split_once(" =") else { continue };
            if !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') && id.starts_with(|c: char| c.is_ascii_lowercase()) {
                assert!(keys.insert(id.to_owned()), "{id} is defined twice in {language}");
            }
        }
    }
    keys
}

/// Every key named in a `t("…")`, `t1("…"`, `t2("…"`, `tn("…"` or `key("…")` call of
/// the templates and the code.
fn keys_used() -> BTreeSet<(String, String)> {
    let mut paths = Vec::new();
    files(&root().join("templates"), &["html", "txt"], &mut paths);
    files(&root().join("src"), &["rs"], &mut paths);
    let mut used = BTreeSet::new();
    for path in paths {
        let text = std::fs::read_to_string(&path).unwrap();
        for call in ["t(\"", "t1(\"", "t2(\"", "tn(\"", "key(\""] {
            for (at, _) in text.match_indices(call) {
                let before = text[..at].chars().last();
                let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
                if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') || text[line_start..at].trim_start().starts_with("//") {
                    continue;
                }
                let rest = &text[at + call.len()..];
                let key: String = rest.chars().take_while(|c| *c != '"').collect();
                if !key.is_empty() && key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
                    used.insert((key, path.strip_prefix(root()).unwrap().display().to_string()));
                }
            }
        }
    }
    used
}

/// Every message of one language, key → text, with the `{ $name }`
/// placeables kept and the plural variants joined (good enough to find a
/// page's words and to check none of another language's show).
pub fn messages_of(language: &str) -> BTreeMap<String, String> {
    let mut paths = Vec::new();
    files(&root().join("locales").join(language), &["ftl"], &mut paths);
    let mut messages = BTreeMap::new();
    let mut current: Option<String> = None;
    for path in paths {
        for line in std::fs::read_to_string(&path).unwrap().lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            if let Some((id, value)) = line.split_once(" =")
                && !id.starts_with(' ')
                && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            {
                messages.insert(id.to_owned(), value.trim().to_owned());
                current = Some(id.to_owned());
            } else if let Some(id) = &current {
                let text = messages.get_mut(id).unwrap();
                text.push(' ');
                text.push_str(line.trim());
            }
        }
    }
    messages
}

/// The text of a message without arguments, as a page shows it.
pub fn message(language: &str, key: &str) -> String {
    messages_of(language).remove(key).unwrap_or_else(|| panic!("no {key} in {language}"))
}

/// The words (three letters or more, lowercase) of a language's messages,
/// leaving out `{ … }` placeables and selectors.
pub fn words_of(language: &str) -> BTreeSet<String> {
    let mut words = BTreeSet::new();
    for text in messages_of(language).values() {
        let mut depth = 0;
        let mut plain = String::new();
        for c in text.chars() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                '[' | ']' if depth > 0 => {}
                _ if depth == 0 => plain.push(c),
                _ => plain.push(' '),
            }
        }
        // A selector's variants sit inside { }: read them too, without their keys.
        let variants: String = text.split(['[', ']']).enumerate().filter(|(i, _)| i % 2 == 0).map(|(_, part)| part).collect::<Vec<_>>().join(" ");
        // Without the `$names` of arguments.
        let variants: String = variants.split('$').enumerate().map(|(i, part)| if i == 0 { part } else { part.trim_start_matches(|c: char| c.is_alphanumeric() || c == '_' || c == '-') }).collect::<Vec<_>>().join(" ");
        for source in [plain, variants] {
            for word in source.split(|c: char| !c.is_alphabetic()) {
                if word.chars().count() >= 3 && !word.starts_with('$') {
                    words.insert(word.to_lowercase());
                }
            }
        }
    }
    words
}

/// Words of the English catalogue that the Polish one never uses: none of
/// them should be on a page shown in Polish.
pub fn english_only_words() -> BTreeSet<String> {
    let polish = words_of("pl");
    words_of("en").into_iter().filter(|word| !polish.contains(word)).collect()
}

#[test]
fn every_language_has_the_same_keys() {
    let english = keys_of("en");
    for language in &LANGUAGES[1..] {
        let other = keys_of(language);
        let missing: Vec<_> = english.difference(&other).collect();
        let extra: Vec<_> = other.difference(&english).collect();
        assert!(missing.is_empty() && extra.is_empty(), "{language}: missing {missing:?}, not in English {extra:?}");
    }
}

#[test]
fn every_key_the_pages_and_code_ask_for_exists() {
    let used = keys_used();
    assert!(used.len() > 20, "the scan found only {} keys", used.len());
    for language in LANGUAGES {
        let defined = keys_of(language);
        let missing: Vec<_> = used.iter().filter(|(key, _)| !defined.contains(key)).collect();
        assert!(missing.is_empty(), "not in locales/{language}: {missing:?}");
    }
}
