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

/// "1,234,567": counts on the Agents tab.
fn format_count(n: i64) -> String {
    let digits = n.abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

#[cfg(test)]
mod tests {
    use super::format_count;

    #[test]
    fn counts_have_thousands_separators() {
        assert_eq!(format_count(0), "0");
        assert_eq!(format_count(999), "999");
        assert_eq!(format_count(1000), "1,000");
        assert_eq!(format_count(100000), "100,000");
        assert_eq!(format_count(1234567), "1,234,567");
    }
}
