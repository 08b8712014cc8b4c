//! The CSV export of the Agents tab: RFC 4180 (CRLF line ends, fields quoted
//! when they hold a comma, quote or line break, quotes doubled), and no cell
//! that a spreadsheet would run as a formula.

use crate::agents::view::AgentRow;

/// The header row. The methods (SPEC §7) come last, so the earlier columns
/// keep their places in spreadsheets built on older exports.
pub const HEADER: [&str; 11] = [
    "Name",
    "Email",
    "Role",
    "Two-factor authentication",
    "Trusted computers",
    "Last login (UTC)",
    "Status",
    "Email codes",
    "Authenticator app",
    "Recovery codes left",
    "Passkeys",
];

/// One cell made safe for spreadsheets: a value that begins with `=`, `+`,
/// `-`, `@`, a tab or a carriage return would be read as a formula (OWASP
/// "CSV injection"), so it gets a leading apostrophe, which spreadsheets hide.
pub fn inert(value: &str) -> std::borrow::Cow<'_, str> {
    match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{value}").into(),
        _ => value.into(),
    }
}

/// One field, quoted when RFC 4180 requires it.
pub fn field(value: &str) -> std::borrow::Cow<'_, str> {
    if value.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", value.replace('"', "\"\"")).into()
    } else {
        value.into()
    }
}

/// Appends one record: every cell made inert, then quoted.
pub fn push_record<'a>(out: &mut String, cells: impl IntoIterator<Item = &'a str>) {
    for (i, cell) in cells.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&field(&inert(cell)));
    }
    out.push_str("\r\n");
}

/// The header record.
pub fn header() -> String {
    let mut out = String::new();
    push_record(&mut out, HEADER);
    out
}

/// The records of these rows, to follow the header.
pub fn records(rows: &[AgentRow]) -> String {
    let mut out = String::with_capacity(96 * rows.len());
    for row in rows {
        let trusted = row.trusted_computers.to_string();
        let last_login = row.last_login_at.map(crate::domain::dates::second).unwrap_or_default();
        let recovery_codes = row.recovery_codes_left.max(0).to_string();
        let passkeys = row.passkey_count.max(0).to_string();
        push_record(
            &mut out,
            [
                row.name.as_str(),
                row.email.as_str(),
                row.role().label(),
                row.two_factor_status().label(),
                trusted.as_str(),
                last_login.as_str(),
                row.status_label(),
                row.email_two_factor.label(),
                if row.app_enabled { "Enabled" } else { "Disabled" },
                recovery_codes.as_str(),
                passkeys.as_str(),
            ],
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_as_rfc_4180_says() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("Lovelace, Ada"), "\"Lovelace, Ada\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
    }

    #[test]
    fn formulas_are_made_inert() {
        for risky in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(inert(risky), format!("'{risky}"), "{risky:?}");
        }
        assert_eq!(inert("Ada"), "Ada");
        assert_eq!(inert(""), "");
        let mut out = String::new();
        push_record(&mut out, ["=HYPERLINK(\"http://x\",\"y\")", "ok"]);
        assert_eq!(out, "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",ok\r\n");
    }
}
