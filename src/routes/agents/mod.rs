//! The Agents tab (SPEC §2.4, §4): the table, its CSV, adding agents by
//! invitation, the per-agent actions behind a confirmation page, and the
//! company policy, one file per page. Admins only (the `Admin` guard); every
//! query is scoped to the admin's company, so another company's agent id
//! answers 404, and a path segment that is not an id answers 404 unread.

mod actions;
mod agent;
mod list;
mod new;
mod policy;

pub use actions::{action_page, action_submit, resend_invitation_submit, role_submit};
pub use agent::detail;
pub use list::{export_csv, list};
pub use new::{new_page, new_submit};
pub use policy::{policy_page, policy_submit};

/// A count on the Agents tab as the reader writes numbers: "1,234,567" in
/// English; "1234" and "12 345" (a no-break space, none in four digits) in
/// Polish. The catalogue gets the number too, to choose the plural.
fn format_count(n: i64) -> String {
    format_count_in(crate::i18n::current().language, n)
}

fn format_count_in(language: crate::i18n::Language, n: i64) -> String {
    let (separator, min_digits) = match language {
        crate::i18n::Language::English => (',', 4),
        crate::i18n::Language::Polish => ('\u{a0}', 5),
    };
    let digits = n.abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && digits.len() >= min_digits && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

#[cfg(test)]
mod tests {
    use super::{format_count, format_count_in};
    use crate::i18n::Language;

    #[test]
    fn counts_have_thousands_separators() {
        assert_eq!(format_count(0), "0");
        assert_eq!(format_count(999), "999");
        assert_eq!(format_count(1000), "1,000");
        assert_eq!(format_count(100000), "100,000");
        assert_eq!(format_count(1234567), "1,234,567");
        assert_eq!(format_count_in(Language::Polish, 1234), "1234");
        assert_eq!(format_count_in(Language::Polish, 12345), "12\u{a0}345");
        assert_eq!(format_count_in(Language::Polish, -1234567), "-1\u{a0}234\u{a0}567");
    }
}
