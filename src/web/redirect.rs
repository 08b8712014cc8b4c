//! Where a browser goes next: the 303 after a form post, and `next`
//! parameters that must stay on this site.

use actix_web::HttpResponse;
use actix_web::http::header;

/// 303 See Other: the answer to a successful form post.
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther().insert_header((header::LOCATION, location.to_owned())).finish()
}

/// `text` as one query parameter's value (`next`, an email address).
pub fn query_value(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// The login page with a notice and the email filled in (after the first-run
/// setup, an accepted invitation or a password reset: the server knows it).
pub fn login_with_email(notice: &str, email: &str) -> String {
    format!("/login?notice={notice}&email={}", query_value(email))
}

/// The longest `next` kept; a longer one is dropped (the login page echoes it).
pub const MAX_NEXT_CHARS: usize = 2048;

/// A `next` that stays on this site: a path, not `//host` or a scheme.
pub fn safe_next(next: Option<&str>) -> Option<String> {
    let next = next?.trim();
    let is_local_path = next.len() <= MAX_NEXT_CHARS
        && next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.chars().any(|c| c.is_control() || c == '\\');
    is_local_path.then(|| next.to_owned())
}

#[cfg(test)]
mod tests {
    use super::{MAX_NEXT_CHARS, safe_next};

    #[test]
    fn next_must_be_a_local_path() {
        assert_eq!(safe_next(Some("/account/settings")).as_deref(), Some("/account/settings"));
        for bad in ["https://evil.example", "//evil.example", "/\\evil.example", "evil", "/a\r\nb"] {
            assert_eq!(safe_next(Some(bad)), None, "{bad}");
        }
    }

    proptest::proptest! {
        /// Any input: no panic; what comes out is a local path (one leading
        /// slash, no backslash, no control character), and a second pass
        /// changes nothing.
        #[test]
        fn next_is_always_a_local_path(raw in proptest::prelude::any::<String>()) {
            if let Some(next) = safe_next(Some(&raw)) {
                proptest::prop_assert!(next.starts_with('/') && next.len() <= MAX_NEXT_CHARS);
                proptest::prop_assert!(!next.starts_with("//"));
                proptest::prop_assert!(!next.contains('\\'));
                proptest::prop_assert!(!next.chars().any(char::is_control));
                proptest::prop_assert_eq!(safe_next(Some(&next)), Some(next.clone()));
            }
        }

        /// Scheme-relative and absolute URLs are always refused, however padded.
        #[test]
        fn other_sites_are_refused(host in "[a-z]{1,10}\\.[a-z]{2,4}", pad in "[ \t]{0,2}", scheme in "(https?:)?") {
            proptest::prop_assert_eq!(safe_next(Some(&format!("{pad}{scheme}//{host}/x"))), None);
            proptest::prop_assert_eq!(safe_next(Some(&format!("{pad}https://{host}"))), None);
        }
    }
}
