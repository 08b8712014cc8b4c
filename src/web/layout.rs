//! What the shared page frame (templates/base.html) needs, and rendering.

use std::sync::LazyLock;

use actix_web::HttpResponse;
use askama::Template;
use sha2::{Digest, Sha256};

use crate::agents::policy::{Missing, TwoFactorRequirement};
use crate::domain::PersonName;
use crate::error::AppError;
use crate::i18n::Tr;
use crate::web::guards::SignedIn;

/// The signed-in agent as the top bar shows them.
pub struct UserMenu {
    pub name: String,
    pub initials: String,
    pub is_admin: bool,
    pub company_name: String,
}

/// The frame around every page: title, top bar, notice, and the CSRF token
/// that the Log out button needs.
pub struct Layout {
    pub title: String,
    pub user: Option<UserMenu>,
    pub csrf_token: String,
    pub notice: Option<String>,
    /// Which tab of the top bar is current ("home", "agents", "account").
    pub current: &'static str,
    /// The company requires 2FA and this agent has not turned it on yet.
    pub two_factor_reminder: Option<String>,
    /// The reader's language and time zone: every word of the page comes through it.
    pub tr: Tr,
}

impl Layout {
    /// The frame of a page for anonymous visitors.
    pub fn anonymous(title: impl Into<String>, csrf_token: String) -> Layout {
        Layout { title: title.into(), user: None, csrf_token, notice: None, current: "", two_factor_reminder: None, tr: crate::i18n::current() }
    }

    /// The frame of a signed-in page.
    pub fn signed_in(title: impl Into<String>, signed_in: &SignedIn, current: &'static str) -> Layout {
        let agent = &signed_in.agent;
        Layout {
            title: title.into(),
            user: Some(UserMenu {
                name: agent.name.clone(),
                initials: PersonName::initials(&agent.name),
                is_admin: agent.is_admin(),
                company_name: signed_in.company.name.clone(),
            }),
            csrf_token: crate::web::csrf::mask(&signed_in.session.csrf_token().unwrap_or_default()),
            notice: None,
            current,
            two_factor_reminder: two_factor_reminder(signed_in),
            tr: crate::i18n::current(),
        }
    }

    /// The message `key` in the reader's language (templates: `layout.t("key")`).
    pub fn t(&self, key: &str) -> String {
        self.tr.t(key)
    }

    /// The message `key` with one argument.
    pub fn t1(&self, key: &str, name: &'static str, value: impl crate::i18n::Arg) -> String {
        self.tr.t1(key, name, value)
    }

    /// The message `key` with two arguments.
    pub fn t2(&self, key: &str, name: &'static str, value: impl crate::i18n::Arg, name2: &'static str, value2: impl crate::i18n::Arg) -> String {
        self.tr.t2(key, name, value, name2, value2)
    }

    pub fn with_notice(mut self, notice: Option<String>) -> Layout {
        self.notice = notice;
        self
    }
}

/// What the top of every page says to an agent the company's 2FA requirement
/// applies to: before the grace date a reminder (the date in the reader's
/// zone), after it the reason they are kept on Account Setting.
fn two_factor_reminder(signed_in: &SignedIn) -> Option<String> {
    let tr = crate::i18n::current();
    let company = signed_in.company.name.as_str();
    match signed_in.two_factor_requirement {
        TwoFactorRequirement::Grace { from, missing } => {
            let date = tr.date(from);
            Some(match missing {
                Missing::AnyFactor => tr.t2("reminder-grace-any", "company", company, "date", date),
                Missing::AppOrPasskey => tr.t2("reminder-grace-app-or-passkey", "company", company, "date", date),
                Missing::Passkey => tr.t2("reminder-grace-passkey", "company", company, "date", date),
            })
        }
        TwoFactorRequirement::Enforced { missing } => Some(match missing {
            Missing::AnyFactor => tr.t1("reminder-enforced-any", "company", company),
            Missing::AppOrPasskey => tr.t1("reminder-enforced-app-or-passkey", "company", company),
            Missing::Passkey => tr.t1("reminder-enforced-passkey", "company", company),
        }),
        TwoFactorRequirement::NotRequired | TwoFactorRequirement::Met => None,
    }
}

/// Renders a page with status 200.
pub fn render(page: &impl Template) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().content_type("text/html; charset=utf-8").body(page.render()?))
}

/// Renders a page with another status (a form shown again with its errors: 422 or 400).
pub fn render_with_status(status: actix_web::http::StatusCode, page: &impl Template) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::build(status).content_type("text/html; charset=utf-8").body(page.render()?))
}

/// One file under `static/`, compiled into the binary (no file IO per request
/// and no dependence on the working directory).
pub struct StaticAsset {
    /// Its plain name, `app.css`.
    pub name: &'static str,
    /// Its content-hashed name, `app.3f9a1c2b.css`: a new name whenever the
    /// bytes change, so browsers may keep it for a year (`immutable`).
    pub hashed_name: String,
    /// `/static/` + the hashed name: what pages link to.
    pub url: String,
    pub content_type: &'static str,
    pub body: &'static [u8],
}

const EMBEDDED: &[(&str, &str, &[u8])] = &[
    ("app.css", "text/css; charset=utf-8", include_bytes!("../../static/app.css")),
    ("favicon.svg", "image/svg+xml", include_bytes!("../../static/favicon.svg")),
    ("menu.js", "text/javascript; charset=utf-8", include_bytes!("../../static/menu.js")),
    ("print.js", "text/javascript; charset=utf-8", include_bytes!("../../static/print.js")),
    ("passkeys.js", "text/javascript; charset=utf-8", include_bytes!("../../static/passkeys.js")),
    ("timezone.js", "text/javascript; charset=utf-8", include_bytes!("../../static/timezone.js")),
];

/// Every static file with its hashed name, computed once from the embedded bytes.
pub static STATIC_ASSETS: LazyLock<Vec<StaticAsset>> = LazyLock::new(|| {
    EMBEDDED
        .iter()
        .map(|&(name, content_type, body)| {
            let hash = crate::crypto::to_hex(&Sha256::digest(body)[..4]);
            let hashed_name = match name.rsplit_once('.') {
                Some((stem, extension)) => format!("{stem}.{hash}.{extension}"),
                None => format!("{name}.{hash}"),
            };
            let url = format!("/static/{hashed_name}");
            StaticAsset { name, hashed_name, url, content_type, body }
        })
        .collect()
});

/// The address pages use for a static file: `asset("app.css")` is
/// `/static/app.3f9a1c2b.css`. Templates call it as
/// `{{ crate::web::layout::asset("app.css") }}`, so no template spells a hash.
/// A name that is not under `static/` (a typo in a template) gives its
/// unhashed address, which answers 404, and fails debug builds.
pub fn asset(name: &str) -> std::borrow::Cow<'static, str> {
    match STATIC_ASSETS.iter().find(|a| a.name == name) {
        Some(found) => std::borrow::Cow::Borrowed(found.url.as_str()),
        None => {
            debug_assert!(false, "no static asset named {name:?}");
            std::borrow::Cow::Owned(format!("/static/{name}"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_keep_the_extension_and_change_with_the_bytes() {
        let css = asset("app.css");
        assert!(css.starts_with("/static/app.") && css.ends_with(".css"), "{css}");
        assert_eq!(css.len(), "/static/app.12345678.css".len(), "{css}");
        let names: std::collections::HashSet<_> = STATIC_ASSETS.iter().map(|a| a.hashed_name.as_str()).collect();
        assert_eq!(names.len(), STATIC_ASSETS.len());
    }
}
