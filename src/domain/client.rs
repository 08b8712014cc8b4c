//! Who is on the other end of a request, as every layer records it: the
//! client IP and the User-Agent (built from the request by `web::client`).

use crate::i18n::Tr;

/// The longest User-Agent kept: enough to name a browser, no more.
pub const MAX_USER_AGENT: usize = 256;

/// The client of a request: its IP address (already resolved through trusted
/// proxies) and its User-Agent, without control characters.
#[derive(Debug, Clone)]
pub struct ClientInfo {
    pub ip: String,
    pub user_agent: String,
}

impl ClientInfo {
    /// A client from raw values: the User-Agent loses its control characters
    /// and is cut to [`MAX_USER_AGENT`] characters.
    pub fn new(ip: impl Into<String>, raw_user_agent: &str) -> ClientInfo {
        let user_agent = raw_user_agent.chars().filter(|c| !c.is_control()).take(MAX_USER_AGENT).collect();
        ClientInfo { ip: ip.into(), user_agent }
    }
}

/// A short, human name for a browser from its User-Agent ("Firefox on Linux"),
/// for lists, in the request's language; an unknown one is shown as given,
/// shortened.
pub fn browser_label(user_agent: &str) -> String {
    browser_label_in(&crate::i18n::current(), user_agent)
}

/// [`browser_label`] in the language of `tr` (an email's recipient).
pub fn browser_label_in(tr: &Tr, user_agent: &str) -> String {
    let ua = user_agent;
    let browser = if ua.contains("Edg/") || ua.contains("Edge/") {
        "Edge"
    } else if ua.contains("OPR/") || ua.contains("Opera") {
        "Opera"
    } else if ua.contains("Firefox/") || ua.contains("FxiOS/") {
        "Firefox"
    } else if ua.contains("Chrome/") || ua.contains("CriOS/") || ua.contains("Chromium/") {
        "Chrome"
    } else if ua.contains("Safari/") {
        "Safari"
    } else {
        ""
    };
    let system = if ua.contains("iPhone") || ua.contains("iPad") {
        "iOS"
    } else if ua.contains("Android") {
        "Android"
    } else if ua.contains("Windows") {
        "Windows"
    } else if ua.contains("Mac OS X") || ua.contains("Macintosh") {
        "macOS"
    } else if ua.contains("CrOS") {
        "ChromeOS"
    } else if ua.contains("Linux") {
        "Linux"
    } else {
        ""
    };
    match (browser, system) {
        ("", "") if ua.trim().is_empty() => tr.t("browser-unknown"),
        ("", "") => ua.chars().filter(|c| !c.is_control()).take(60).collect(),
        ("", system) => tr.t1("browser-on-unknown-system", "system", system),
        (browser, "") => browser.to_owned(),
        (browser, system) => tr.t2("browser-on-system", "browser", browser, "system", system),
    }
}

#[cfg(test)]
mod tests {
    use super::browser_label;

    #[test]
    fn names_common_browsers() {
        let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
        let chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";
        let edge = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36 Edg/126.0";
        let safari = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
        assert_eq!(browser_label(firefox), "Firefox on Linux");
        assert_eq!(browser_label(chrome), "Chrome on Windows");
        assert_eq!(browser_label(edge), "Edge on Windows");
        assert_eq!(browser_label(safari), "Safari on iOS");
        assert_eq!(browser_label(""), "an unknown browser");
        assert_eq!(browser_label("curl/8.5.0"), "curl/8.5.0");
    }
}
