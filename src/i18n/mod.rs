//! Every word a person reads, in their language, and every time, in their
//! time zone. The words live in the Fluent catalogues under `locales/`
//! (compiled in), one folder per language with the same keys; the code names
//! a key and its arguments, the catalogue decides the sentence and its plural
//! forms (Polish has one, few and many).
//!
//! A request runs in a [`scope`] holding its [`Tr`]: the browser's
//! `Accept-Language` before login, the agent's own choice once the signed-in
//! guard has read them. Emails do not use the scope: they are written in the
//! recipient's language ([`Tr::for_agent`]).

mod dates;

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use chrono_tz::Tz;
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, langid, static_loader};

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // No Unicode isolation marks around arguments: the pages and emails
        // are left-to-right, and the marks would end up in copied codes.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static ENGLISH: LanguageIdentifier = langid!("en");
static POLISH: LanguageIdentifier = langid!("pl");

/// A language AgentGate speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Language {
    #[default]
    English,
    Polish,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::English, Language::Polish];

    /// The code stored in the database and written in `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::Polish => "pl",
        }
    }

    pub fn parse(code: &str) -> Option<Language> {
        Language::ALL.into_iter().find(|language| language.code() == code.trim())
    }

    /// The stored code, or English for one this version does not know.
    pub fn from_stored(code: &str) -> Language {
        Language::parse(code).unwrap_or_default()
    }

    fn id(self) -> &'static LanguageIdentifier {
        match self {
            Language::English => &ENGLISH,
            Language::Polish => &POLISH,
        }
    }

    /// The language's own name ("English", "Polski"), as a language menu shows it.
    pub fn own_name(self) -> String {
        Tr::new(self, Tz::UTC).t("language-own-name")
    }

    /// The language of the command line: `LC_ALL`, `LC_MESSAGES` or `LANG`
    /// ("pl_PL.UTF-8"), else English.
    pub fn from_environment() -> Language {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .find_map(|name| std::env::var(name).ok().filter(|value| !value.is_empty()))
            .and_then(|value| Language::parse(&value.chars().take_while(|c| c.is_ascii_alphabetic()).collect::<String>().to_ascii_lowercase()))
            .unwrap_or_default()
    }

    /// The best language for an `Accept-Language` header: the first one we
    /// speak in the browser's order of preference (q values), else English.
    pub fn from_accept_language(header: &str) -> Language {
        let mut offered: Vec<(f32, usize, Language)> = header
            .split(',')
            .enumerate()
            .filter_map(|(position, item)| {
                let mut parts = item.split(';');
                let tag = parts.next()?.trim();
                let primary = tag.split('-').next()?.to_ascii_lowercase();
                let quality = parts
                    .find_map(|p| p.trim().strip_prefix("q=").map(|q| q.trim().parse::<f32>().unwrap_or(0.0)))
                    .unwrap_or(1.0);
                let language = Language::parse(&primary)?;
                (quality > 0.0).then_some((quality, position, language))
            })
            .collect();
        offered.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        offered.first().map(|&(_, _, language)| language).unwrap_or_default()
    }
}

/// A time zone an agent or company may choose: an IANA name ("Europe/Warsaw").
pub fn parse_time_zone(name: &str) -> Option<Tz> {
    name.trim().parse::<Tz>().ok()
}

/// The zones a settings page offers: UTC and every "Region/City" zone.
pub fn time_zones() -> impl Iterator<Item = &'static str> {
    std::iter::once("UTC").chain(
        chrono_tz::TZ_VARIANTS
            .iter()
            .map(|tz| tz.name())
            .filter(|name| ["Africa/", "America/", "Antarctica/", "Asia/", "Atlantic/", "Australia/", "Europe/", "Indian/", "Pacific/"].iter().any(|region| name.starts_with(region))),
    )
}

/// A reader's language and time zone: every message and time of a page or
/// an email goes through one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tr {
    pub language: Language,
    pub zone: Tz,
}

impl Default for Tr {
    fn default() -> Tr {
        Tr::new(Language::English, Tz::UTC)
    }
}

/// A value for a message's `{ $name }`: numbers stay numbers, so that the
/// catalogue can choose a plural form.
pub trait Arg {
    fn into_value(self) -> FluentValue<'static>;
}

impl Arg for &str {
    fn into_value(self) -> FluentValue<'static> {
        FluentValue::from(self.to_owned())
    }
}

impl Arg for String {
    fn into_value(self) -> FluentValue<'static> {
        FluentValue::from(self)
    }
}

/// Templates hand over references (to references): they read the value.
impl<T: Arg + Clone> Arg for &T {
    fn into_value(self) -> FluentValue<'static> {
        self.clone().into_value()
    }
}

macro_rules! number_args {
    ($($t:ty),*) => {$(
        impl Arg for $t {
            fn into_value(self) -> FluentValue<'static> {
                FluentValue::from(self as f64)
            }
        }
    )*};
}
number_args!(i16, u16, i32, i64, u32, u64, usize);

impl Tr {
    pub fn new(language: Language, zone: Tz) -> Tr {
        Tr { language, zone }
    }

    /// A stored language and zone (`agents.language`, `agents.time_zone`,
    /// falling back to the company's zone), parsed leniently: what this
    /// version does not know reads as English and UTC.
    pub fn from_stored(language: &str, zone: Option<&str>, fallback_zone: &str) -> Tr {
        let zone = zone.and_then(parse_time_zone).or_else(|| parse_time_zone(fallback_zone));
        Tr::new(Language::from_stored(language), zone.unwrap_or(Tz::UTC))
    }

    /// The message `key`.
    pub fn t(&self, key: &str) -> String {
        // A message without arguments always reads the same: each thread
        // keeps the ones it has said (only keys of the catalogue, so at most
        // a few hundred per language), and a table of 50 rows formats each
        // of its words once instead of 50 times.
        thread_local! {
            static SAID: RefCell<[HashMap<String, String>; Language::ALL.len()]> = RefCell::new(Default::default());
        }
        let language = self.language as usize;
        if let Some(message) = SAID.with_borrow(|said| said[language].get(key).cloned()) {
            return message;
        }
        let message = self.find(key, None);
        if let Some(message) = &message {
            SAID.with_borrow_mut(|said| said[language].insert(key.to_owned(), message.clone()));
        }
        message.unwrap_or_else(|| Tr::missing(self.language, key))
    }

    /// The message `key` with one argument.
    pub fn t1(&self, key: &str, name: &'static str, value: impl Arg) -> String {
        self.lookup(key, Some(&HashMap::from([(Cow::Borrowed(name), value.into_value())])))
    }

    /// The message `key` with two arguments.
    pub fn t2(&self, key: &str, name: &'static str, value: impl Arg, name2: &'static str, value2: impl Arg) -> String {
        let args = HashMap::from([(Cow::Borrowed(name), value.into_value()), (Cow::Borrowed(name2), value2.into_value())]);
        self.lookup(key, Some(&args))
    }

    /// The message `key` with any number of arguments.
    pub fn tn(&self, key: &str, args: Vec<(&'static str, FluentValue<'static>)>) -> String {
        let args = args.into_iter().map(|(name, value)| (Cow::Borrowed(name), value)).collect();
        self.lookup(key, Some(&args))
    }

    fn lookup(&self, key: &str, args: Option<&HashMap<Cow<'static, str>, FluentValue<'static>>>) -> String {
        self.find(key, args).unwrap_or_else(|| Tr::missing(self.language, key))
    }

    /// The message in the reader's catalogue, else in English. Straight to
    /// the catalogue: the loader's own `try_lookup_complete` negotiates the
    /// language list again on every word, which was a fifth of the server's
    /// CPU on a page of 50 agents.
    fn find(&self, key: &str, args: Option<&HashMap<Cow<'static, str>, FluentValue<'static>>>) -> Option<String> {
        LOCALES.lookup_single_language(self.language.id(), key, args).ok().or_else(|| {
            (self.language != Language::English).then(|| LOCALES.lookup_single_language(&ENGLISH, key, args).ok()).flatten()
        })
    }

    /// A missing key is a bug the catalogue test catches; in production the
    /// reader sees the key rather than a blank.
    fn missing(language: Language, key: &str) -> String {
        debug_assert!(false, "missing message {key} in {}", language.code());
        tracing::error!(key, language = language.code(), "missing message");
        key.to_owned()
    }
}

/// A catalogue key named ahead of the reader (a page's description in a
/// `const`): said in their language when the page is rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key(&'static str);

/// The key `name` (the catalogue test checks it like any `t("…")`).
pub const fn key(name: &'static str) -> Key {
    Key(name)
}

impl Tr {
    /// The message of a [`Key`].
    pub fn say(&self, key: Key) -> String {
        self.t(key.0)
    }
}

/// A value for [`Tr::tn`].
pub fn arg(value: impl Arg) -> FluentValue<'static> {
    value.into_value()
}

tokio::task_local! {
    static CURRENT: Cell<Tr>;
}

/// Runs `future` with `tr` as the request's language and zone.
pub async fn scope<F: std::future::Future>(tr: Tr, future: F) -> F::Output {
    CURRENT.scope(Cell::new(tr), future).await
}

/// Runs blocking `work` (on a blocking thread) with `tr` as the current one.
pub fn sync_scope<T>(tr: Tr, work: impl FnOnce() -> T) -> T {
    CURRENT.sync_scope(Cell::new(tr), work)
}

/// The language and zone of the request being handled (English and UTC
/// outside a request).
pub fn current() -> Tr {
    CURRENT.try_with(Cell::get).unwrap_or_default()
}

/// The message `key` in the current request's language: for the words of
/// pages and of errors (`#[error("{}", t("key"))]`). Emails use the
/// recipient's [`Tr`] instead.
pub fn t(key: &str) -> String {
    current().t(key)
}

/// [`t`] with one argument.
pub fn t1(key: &str, name: &'static str, value: impl Arg) -> String {
    current().t1(key, name, value)
}

/// [`t`] with two arguments.
pub fn t2(key: &str, name: &'static str, value: impl Arg, name2: &'static str, value2: impl Arg) -> String {
    current().t2(key, name, value, name2, value2)
}

/// [`t`] with any number of arguments.
pub fn tn(key: &str, args: Vec<(&'static str, FluentValue<'static>)>) -> String {
    current().tn(key, args)
}

/// From here on the request speaks `tr` (the signed-in guard, once it knows the agent).
pub fn set_current(tr: Tr) {
    let _ = CURRENT.try_with(|cell| cell.set(tr));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_browser_order_of_preference_decides() {
        assert_eq!(Language::from_accept_language("pl-PL,pl;q=0.9,en-US;q=0.8,en;q=0.7"), Language::Polish);
        assert_eq!(Language::from_accept_language("de-DE,de;q=0.9,pl;q=0.5,en;q=0.8"), Language::English);
        assert_eq!(Language::from_accept_language("en;q=0.2, PL"), Language::Polish);
        assert_eq!(Language::from_accept_language("fr, pl;q=0"), Language::English);
        assert_eq!(Language::from_accept_language(""), Language::English);
        assert_eq!(Language::from_accept_language(";;,q=,=,,pl;q=abc"), Language::English);
    }

    #[test]
    fn polish_plurals_come_from_the_catalogue() {
        let pl = Tr::new(Language::Polish, Tz::UTC);
        let forms: Vec<String> = [1, 2, 5, 22, 25].iter().map(|n| pl.t1("minutes", "count", *n)).collect();
        assert_eq!(forms, ["1 minuta", "2 minuty", "5 minut", "22 minuty", "25 minut"]);
        let en = Tr::default();
        assert_eq!(en.t1("minutes", "count", 1), "1 minute");
        assert_eq!(en.t1("minutes", "count", 5), "5 minutes");
    }

    /// A line Fluent cannot parse is dropped from its bundle without a word:
    /// every message of every file must resolve in its own language (given
    /// a number for each of its arguments).
    #[test]
    fn every_message_of_every_catalogue_parses() {
        let is_id = |id: &str| !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') && id.starts_with(|c: char| c.is_ascii_lowercase());
        for language in Language::ALL {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("locales").join(language.code());
            for file in std::fs::read_dir(&dir).unwrap() {
                let path = file.unwrap().path();
                let text = std::fs::read_to_string(&path).unwrap();
                if let Err((_, errors)) = fluent_templates::fluent_bundle::FluentResource::try_new(text.clone()) {
                    panic!("{} does not parse: {errors:?}", path.display());
                }
                let mut messages: Vec<(String, String)> = Vec::new();
                for line in text.lines() {
                    match line.split_once(" =") {
                        Some((id, rest)) if is_id(id) => messages.push((id.to_owned(), rest.to_owned())),
                        _ => {
                            if let Some((_, body)) = messages.last_mut() {
                                body.push_str(line);
                            }
                        }
                    }
                }
                for (id, body) in messages {
                    let args: HashMap<Cow<'static, str>, FluentValue<'static>> = body
                        .split('$')
                        .skip(1)
                        .map(|rest| rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-').collect::<String>())
                        .map(|name| (Cow::Owned(name), FluentValue::from(3)))
                        .collect();
                    let found = LOCALES.lookup_single_language(language.id(), &id, Some(&args));
                    assert!(found.is_ok(), "{id} does not resolve in {}: {found:?}", language.code());
                }
            }
        }
    }

    #[test]
    fn every_offered_time_zone_parses() {
        let zones: Vec<&str> = time_zones().collect();
        assert!(zones.contains(&"Europe/Warsaw") && zones.contains(&"UTC") && zones.len() > 300);
        assert!(zones.iter().all(|zone| parse_time_zone(zone).is_some()));
        assert_eq!(parse_time_zone("Mars/Olympus"), None);
    }
}
