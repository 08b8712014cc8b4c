//! The CSV export of the Agents tab: RFC 4180 (CRLF line ends, fields quoted
//! when they hold a comma, quote or line break, quotes doubled), and no cell
//! that a spreadsheet would run as a formula. The words are in the admin's
//! language; every time is UTC in ISO 8601 (`2026-12-06T14:05:09Z`), whatever
//! the admin's zone, and the header says so.

use chrono::NaiveDateTime;

use crate::agents::view::{AgentRow, role_label, two_factor_label};
use crate::i18n::Tr;

/// The header row, in the reader's language. The methods (SPEC §7) come
/// last, so the earlier columns keep their places in spreadsheets built on
/// older exports.
pub fn header_cells(tr: &Tr) -> [String; 11] {
    [
        tr.t("agents-column-name"),
        tr.t("agents-column-email"),
        tr.t("agents-column-role"),
        tr.t("agents-column-two-factor"),
        tr.t("agents-column-trusted-computers"),
        tr.t("agents-csv-last-login"),
        tr.t("agents-column-status"),
        tr.t("agents-csv-email-codes"),
        tr.t("agents-csv-app"),
        tr.t("agents-csv-recovery-codes"),
        tr.t("agents-csv-passkeys"),
    ]
}

/// A time as a spreadsheet cell: UTC, ISO 8601, to the second.
pub fn utc_iso8601(at: NaiveDateTime) -> String {
    at.and_utc().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

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

/// The header record, in the reader's language.
pub fn header(tr: &Tr) -> String {
    let mut out = String::new();
    push_record(&mut out, header_cells(tr).iter().map(String::as_str));
    out
}

/// The words a CSV repeats on every row, looked up once per export.
#[derive(Debug, Clone)]
pub struct Words {
    agent: String,
    admin: String,
    enabled: String,
    pending: String,
    disabled: String,
    active: String,
    invited: String,
    deactivated: String,
    app_enabled: String,
    app_disabled: String,
}

impl Words {
    pub fn new(tr: &Tr) -> Words {
        use crate::domain::{Role, TwoFactorStatus};
        Words {
            agent: role_label(tr, Role::Agent),
            admin: role_label(tr, Role::Admin),
            enabled: two_factor_label(tr, TwoFactorStatus::Enabled),
            pending: two_factor_label(tr, TwoFactorStatus::Pending),
            disabled: two_factor_label(tr, TwoFactorStatus::Disabled),
            active: tr.t("agents-status-active"),
            invited: tr.t("agents-status-invited"),
            deactivated: tr.t("agents-status-deactivated"),
            app_enabled: tr.t("agents-csv-app-enabled"),
            app_disabled: tr.t("agents-csv-app-disabled"),
        }
    }

    fn role(&self, role: crate::domain::Role) -> &str {
        match role {
            crate::domain::Role::Agent => &self.agent,
            crate::domain::Role::Admin => &self.admin,
        }
    }

    fn two_factor(&self, status: crate::domain::TwoFactorStatus) -> &str {
        match status {
            crate::domain::TwoFactorStatus::Enabled => &self.enabled,
            crate::domain::TwoFactorStatus::Pending => &self.pending,
            crate::domain::TwoFactorStatus::Disabled => &self.disabled,
        }
    }

    fn status(&self, row: &AgentRow) -> &str {
        match (row.active, row.invited) {
            (false, _) => &self.deactivated,
            (true, true) => &self.invited,
            (true, false) => &self.active,
        }
    }
}

/// The records of these rows, to follow the header.
pub fn records(words: &Words, rows: &[AgentRow]) -> String {
    let mut out = String::with_capacity(96 * rows.len());
    for row in rows {
        let trusted = row.trusted_computers.to_string();
        let last_login = row.last_login_at.map(utc_iso8601).unwrap_or_default();
        let recovery_codes = row.recovery_codes_left.max(0).to_string();
        let passkeys = row.passkey_count.max(0).to_string();
        push_record(
            &mut out,
            [
                row.name.as_str(),
                row.email.as_str(),
                words.role(row.role()),
                words.two_factor(row.two_factor_status()),
                trusted.as_str(),
                last_login.as_str(),
                words.status(row),
                words.two_factor(row.email_two_factor),
                if row.app_enabled { &words.app_enabled } else { &words.app_disabled },
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
    fn times_are_utc_in_iso_8601_and_the_header_says_so() {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 12, 6).unwrap().and_hms_opt(14, 5, 9).unwrap();
        assert_eq!(utc_iso8601(at), "2026-12-06T14:05:09Z");
        // A reader in Warsaw gets the same UTC cells; only the words are theirs.
        let pl = Tr::new(crate::i18n::Language::Polish, "Europe/Warsaw".parse().unwrap());
        assert!(header(&pl).contains("\"Ostatnie logowanie (UTC, ISO 8601)\""), "{}", header(&pl));
        assert!(header(&Tr::default()).starts_with("Name,Email,Role,Two-factor authentication,Trusted computers,\"Last login (UTC, ISO 8601)\",Status,"));
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
