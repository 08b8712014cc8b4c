//! Tests of `Config::from_env`.
use super::*;
use std::collections::HashMap;

fn config_with(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db.sqlite3").display().to_string();
    let mut map: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    map.entry("DATABASE_URL".into()).or_insert(db);
    let lookup = move |name: &str| map.get(name).cloned();
    Config::from_env(&lookup)
}

#[test]
fn defaults_are_the_spec_defaults() {
    let config = config_with(&[]).unwrap();
    assert_eq!(config.bind.to_string(), "127.0.0.1:8080");
    assert_eq!(config.base_url(), "http://127.0.0.1:8080");
    assert_eq!(config.mail, MailTransportKind::Mailbox);
    assert_eq!(config.trusted_days, 30);
    assert_eq!(config.session_idle_timeout, Duration::from_secs(3600));
    assert_eq!(config.session_absolute_timeout, Duration::from_secs(12 * 3600));
    assert_eq!(config.codes, CodePolicy::default());
    assert_eq!(config.codes.code_lifetime, chrono::Duration::minutes(10));
    assert_eq!(config.codes.lock_until_reset_after, 100);
    assert_eq!(config.mail_retry, MailRetryPolicy::default());
}

#[test]
fn smtp_urls_are_checked_by_lettre_at_start() {
    for url in ["smtp://127.0.0.1:2525", "smtp://user:pass@mail.example.com:587?tls=required", "smtps://user:pass@mail.example.com"] {
        let config = config_with(&[("AGENTGATE_MAIL", "smtp"), ("SMTP_URL", url), FROM]).unwrap();
        assert_eq!(config.mail, MailTransportKind::Smtp { url: url.to_owned() });
    }
    for url in ["http://mail.example.com", "smtp://mail.example.com?tls=sometimes", "smtp:///nohost"] {
        assert_eq!(config_with(&[("AGENTGATE_MAIL", "smtp"), ("SMTP_URL", url), FROM]).unwrap_err().variable, "SMTP_URL", "{url}");
    }
}

const FROM: (&str, &str) = ("MAIL_FROM", "AgentGate <no-reply@example.com>");

#[test]
fn smtp_credentials_without_tls_are_refused_unless_the_relay_is_local() {
    for url in ["smtp://user:pass@mail.example.com:587", "smtp://user:pass@mail.example.com:587?tls=opportunistic", "smtp://user@mail.example.com"] {
        let err = config_with(&[("AGENTGATE_MAIL", "smtp"), ("SMTP_URL", url), FROM]).unwrap_err();
        assert_eq!(err.variable, "SMTP_URL", "{url}");
        assert!(err.problem.contains("smtps://USER:PASSWORD@mail.example.com:465"), "{}", err.problem);
        assert!(err.problem.contains("?tls=required"), "{}", err.problem);
    }
    for url in ["smtp://user:pass@127.0.0.1:25", "smtp://user:pass@localhost:2525", "smtp://mail.example.com:25"] {
        let config = config_with(&[("AGENTGATE_MAIL", "smtp"), ("SMTP_URL", url), FROM]);
        assert!(config.is_ok(), "{url}: {:?}", config.err());
    }
}

#[test]
fn smtp_needs_a_sender_and_says_how_to_encode_a_password() {
    let err = config_with(&[("AGENTGATE_MAIL", "smtp"), ("SMTP_URL", "smtp://127.0.0.1:2525")]).unwrap_err();
    assert_eq!(err.variable, "MAIL_FROM");
    let err = config_with(&[("AGENTGATE_MAIL", "smtp"), ("SMTP_URL", "smtps://user:pa/ss@mail.example.com"), FROM]).unwrap_err();
    assert_eq!(err.variable, "SMTP_URL");
    assert!(err.problem.contains("percent-encoded"), "{}", err.problem);
}

#[test]
fn the_smtp_deadline_defaults_to_thirty_seconds_and_is_bounded() {
    assert_eq!(config_with(&[]).unwrap().smtp_timeout, Duration::from_secs(30));
    assert_eq!(config_with(&[("AGENTGATE_SMTP_TIMEOUT_SECONDS", "5")]).unwrap().smtp_timeout, Duration::from_secs(5));
    for value in ["0", "601", "soon"] {
        assert_eq!(config_with(&[("AGENTGATE_SMTP_TIMEOUT_SECONDS", value)]).unwrap_err().variable, "AGENTGATE_SMTP_TIMEOUT_SECONDS", "{value}");
    }
}

#[test]
fn code_numbers_are_configurable() {
    let config = config_with(&[("AGENTGATE_CODE_LIFETIME_MINUTES", "3"), ("AGENTGATE_CODE_ATTEMPTS", "7")]).unwrap();
    assert_eq!(config.codes.code_lifetime, chrono::Duration::minutes(3));
    assert_eq!(config.codes.attempts_per_login, 7);
    assert_eq!(config_with(&[("AGENTGATE_CODE_ATTEMPTS", "0")]).unwrap_err().variable, "AGENTGATE_CODE_ATTEMPTS");
    assert_eq!(
        config_with(&[("AGENTGATE_CODE_LOCK_UNTIL_RESET_AFTER", "5")]).unwrap_err().variable,
        "AGENTGATE_CODE_LOCK_UNTIL_RESET_AFTER"
    );
}

#[test]
fn wrong_values_name_the_variable() {
    for (variable, value) in [
        ("AGENTGATE_BIND", "localhost"),
        ("AGENTGATE_PUBLIC_URL", "ftp://example.com"),
        ("AGENTGATE_SECRET_KEY", "c2hvcnQ="),
        ("AGENTGATE_MAIL", "pigeon"),
        ("AGENTGATE_TRUSTED_DAYS", "thirty"),
        ("MAIL_FROM", "not an address"),
    ] {
        let err = config_with(&[(variable, value)]).unwrap_err();
        assert_eq!(err.variable, variable, "{value}");
    }
    assert_eq!(config_with(&[("AGENTGATE_MAIL", "smtp")]).unwrap_err().variable, "SMTP_URL");
}

#[test]
fn the_mailbox_transport_is_refused_off_loopback() {
    for (url, bind) in [
        ("https://helpdesk.example.com", "127.0.0.1:8080"),
        ("http://192.0.2.10:8080", "192.0.2.10:8080"),
        ("http://localhost:8080", "0.0.0.0:8080"),
    ] {
        let err = config_with(&[("AGENTGATE_PUBLIC_URL", url), ("AGENTGATE_BIND", bind), ("AGENTGATE_TLS_TERMINATED_BY_PROXY", "true")])
            .unwrap_err();
        assert_eq!(err.variable, "AGENTGATE_MAIL", "{url} {bind}");
        assert!(err.problem.contains("/dev/mailbox"), "{}", err.problem);
    }
    // The default bind and public URL are loopback, where the mailbox is allowed.
    for url in ["http://127.0.0.1:8080", "http://localhost:8080", "http://[::1]:8080", "http://agentgate.localhost:8080"] {
        assert!(config_with(&[("AGENTGATE_PUBLIC_URL", url)]).is_ok(), "{url}");
    }
    let file = config_with(&[("AGENTGATE_PUBLIC_URL", "https://helpdesk.example.com"), ("AGENTGATE_MAIL", "file:/tmp/agentgate-mail")]);
    assert!(file.is_ok());
}

#[test]
fn plain_http_off_loopback_needs_a_tls_proxy() {
    let smtp = [("AGENTGATE_MAIL", "smtp"), ("SMTP_URL", "smtp://127.0.0.1:2525"), FROM];
    let with = |extra: &[(&'static str, &'static str)]| {
        let mut vars = smtp.to_vec();
        vars.extend_from_slice(extra);
        config_with(&vars)
    };
    let err = with(&[("AGENTGATE_PUBLIC_URL", "http://helpdesk.example.com")]).unwrap_err();
    assert_eq!(err.variable, "AGENTGATE_PUBLIC_URL");
    assert!(err.problem.contains("AGENTGATE_TLS_TERMINATED_BY_PROXY"), "{}", err.problem);

    let behind_proxy = with(&[("AGENTGATE_PUBLIC_URL", "http://helpdesk.example.com"), ("AGENTGATE_TLS_TERMINATED_BY_PROXY", "true")]).unwrap();
    assert!(behind_proxy.is_https(), "browsers use https through the proxy: cookies get Secure");

    let https = with(&[("AGENTGATE_PUBLIC_URL", "https://helpdesk.example.com")]).unwrap();
    assert!(https.is_https() && !https.tls_terminated_by_proxy);
    let local = with(&[("AGENTGATE_PUBLIC_URL", "http://127.0.0.1:8080")]).unwrap();
    assert!(!local.is_https());

    let err = with(&[("AGENTGATE_TLS_TERMINATED_BY_PROXY", "yes")]).unwrap_err();
    assert_eq!(err.variable, "AGENTGATE_TLS_TERMINATED_BY_PROXY");
}

#[test]
fn login_limits_default_to_the_spec_and_are_configurable() {
    let config = config_with(&[]).unwrap();
    assert_eq!(config.login_limits, LoginLimits::default());
    assert_eq!(config.login_limits.per_account, Limit::per_minutes(10, 15));
    let custom = config_with(&[
        ("AGENTGATE_LOGIN_MAX_FAILURES", "5"),
        ("AGENTGATE_LOGIN_IP_MAX_FAILURES", "50"),
        ("AGENTGATE_LOGIN_WINDOW_MINUTES", "30"),
    ])
    .unwrap();
    assert_eq!(custom.login_limits.per_account, Limit::per_minutes(5, 30));
    assert_eq!(custom.login_limits.per_ip, Limit::per_minutes(50, 30));
    for (variable, value) in [
        ("AGENTGATE_LOGIN_MAX_FAILURES", "0"),
        ("AGENTGATE_LOGIN_IP_MAX_FAILURES", "many"),
        ("AGENTGATE_LOGIN_WINDOW_MINUTES", "0"),
    ] {
        assert_eq!(config_with(&[(variable, value)]).unwrap_err().variable, variable);
    }
}

#[test]
fn the_reauth_window_and_the_mail_limits_default_and_are_configurable() {
    let config = config_with(&[]).unwrap();
    assert_eq!(config.reauth_window, chrono::Duration::minutes(10));
    assert_eq!(config.mail_limits, MailLimits::default());
    let custom = config_with(&[
        ("AGENTGATE_REAUTH_MINUTES", "5"),
        ("AGENTGATE_CODE_EMAILS_PER_IP", "3"),
        ("AGENTGATE_RESETS_PER_ADDRESS_PER_HOUR", "2"),
        ("AGENTGATE_INVITATIONS_PER_ADDRESS_PER_HOUR", "1"),
    ])
    .unwrap();
    assert_eq!(custom.reauth_window, chrono::Duration::minutes(5));
    assert_eq!(custom.mail_limits.code_emails_per_ip, Limit::per_minutes(3, 15));
    assert_eq!(custom.mail_limits.resets_per_address, Limit::per_minutes(2, 60));
    assert_eq!(custom.mail_limits.invitations_per_address, Limit::per_minutes(1, 60));
    for (variable, value) in [
        ("AGENTGATE_REAUTH_MINUTES", "0"),
        ("AGENTGATE_REAUTH_MINUTES", "1441"),
        ("AGENTGATE_RESETS_PER_IP_PER_HOUR", "0"),
        ("AGENTGATE_EMAIL_CHANGES_PER_HOUR", "lots"),
        ("AGENTGATE_INVITATIONS_PER_IP_PER_HOUR", "99999999999"),
    ] {
        assert_eq!(config_with(&[(variable, value)]).unwrap_err().variable, variable, "{value}");
    }
}

#[test]
fn sent_email_is_kept_a_week_by_default_and_the_retention_is_bounded() {
    assert_eq!(config_with(&[]).unwrap().sent_email_retention, chrono::Duration::hours(168));
    assert_eq!(config_with(&[("AGENTGATE_SENT_EMAIL_RETENTION_HOURS", "24")]).unwrap().sent_email_retention, chrono::Duration::hours(24));
    assert_eq!(config_with(&[("AGENTGATE_SENT_EMAIL_RETENTION_HOURS", "0")]).unwrap().sent_email_retention, chrono::Duration::zero());
    for value in ["-1", "8761", "a week"] {
        let err = config_with(&[("AGENTGATE_SENT_EMAIL_RETENTION_HOURS", value)]).unwrap_err();
        assert_eq!(err.variable, "AGENTGATE_SENT_EMAIL_RETENTION_HOURS", "{value}");
    }
}

#[test]
fn ended_challenges_are_kept_as_long_as_the_code_window_and_the_notice_spacing_read_them() {
    let minutes = chrono::Duration::minutes;
    let horizons = |window: i64| CodePolicy { codes_window: minutes(window), ..CodePolicy::default() }.ended_challenge_horizons();
    // The defaults: a 15-minute code window and the notices' quarter hour, each with two rounds of margin.
    assert_eq!(horizons(15), ChallengeHorizons { after_expiry: minutes(17), after_abandoned_report: minutes(17) });
    // A short window lets most challenges go within minutes; a reported one still spaces the notices.
    assert_eq!(horizons(1), ChallengeHorizons { after_expiry: minutes(3), after_abandoned_report: minutes(17) });
    assert_eq!(horizons(60), ChallengeHorizons { after_expiry: minutes(62), after_abandoned_report: minutes(62) });
    assert_eq!(ABANDONED_NOTICE_SPACING, minutes(15));
}

#[test]
fn smtp_connections_default_to_eight_and_are_bounded() {
    assert_eq!(config_with(&[]).unwrap().smtp_connections, 8);
    assert_eq!(config_with(&[("AGENTGATE_SMTP_CONNECTIONS", "2")]).unwrap().smtp_connections, 2);
    for value in ["0", "101", "-1", "many"] {
        assert_eq!(config_with(&[("AGENTGATE_SMTP_CONNECTIONS", value)]).unwrap_err().variable, "AGENTGATE_SMTP_CONNECTIONS", "{value}");
    }
}

#[cfg(unix)]
#[test]
fn generated_secret_is_private_and_stable() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("secret.key");
    let first = load_or_generate_secret(&path).unwrap();
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let second = load_or_generate_secret(&path).unwrap();
    assert_eq!(first.bytes(), second.bytes());
}

#[test]
fn a_metrics_token_is_long_enough_or_refused() {
    assert_eq!(config_with(&[]).unwrap().metrics_token, None);
    let error = config_with(&[("AGENTGATE_METRICS_TOKEN", "short")]).unwrap_err().to_string();
    assert!(error.contains("AGENTGATE_METRICS_TOKEN"), "{error}");
    let token = "sixteen-chars-ok";
    assert_eq!(config_with(&[("AGENTGATE_METRICS_TOKEN", token)]).unwrap().metrics_token.as_deref(), Some(token));
}

#[test]
fn the_audit_retention_is_zero_or_between_a_month_and_a_century() {
    assert_eq!(config_with(&[]).unwrap().audit_retention_days, 365);
    assert_eq!(config_with(&[("AGENTGATE_AUDIT_RETENTION_DAYS", "0")]).unwrap().audit_retention_days, 0);
    assert_eq!(config_with(&[("AGENTGATE_AUDIT_RETENTION_DAYS", "36500")]).unwrap().audit_retention_days, 36_500);
    // A date that far back does not exist: the housekeeping would fail every round.
    for value in ["29", "36501", "100000000", "-1"] {
        let err = config_with(&[("AGENTGATE_AUDIT_RETENTION_DAYS", value)]).unwrap_err();
        assert_eq!(err.variable, "AGENTGATE_AUDIT_RETENTION_DAYS", "{value}");
    }
}

#[test]
fn the_pool_defaults_to_the_cores_beside_a_local_postgresql_twice_them_beside_a_remote_one_and_ten_on_sqlite() {
    assert_eq!(default_pool_size(Backend::Postgres, 1, true), 2);
    assert_eq!(default_pool_size(Backend::Postgres, 2, true), 2);
    assert_eq!(default_pool_size(Backend::Postgres, 8, true), 8);
    assert_eq!(default_pool_size(Backend::Postgres, 1, false), 4);
    assert_eq!(default_pool_size(Backend::Postgres, 2, false), 4);
    assert_eq!(default_pool_size(Backend::Postgres, 8, false), 16);
    assert_eq!(default_pool_size(Backend::Sqlite, 2, true), 10);
    assert_eq!(config_with(&[]).unwrap().db_pool_size, 10);
    assert_eq!(config_with(&[("AGENTGATE_DB_POOL_SIZE", "3")]).unwrap().db_pool_size, 3);
}

#[test]
fn a_postgresql_url_names_this_machine_by_a_loopback_host_or_a_unix_socket() {
    for url in [
        "postgres://postgres@127.0.0.1:5432/agentgate",
        "postgres://app:secret@localhost/agentgate",
        "postgresql://app@[::1]:5432/agentgate",
        "postgres:///agentgate",
        "postgres://%2Fvar%2Frun%2Fpostgresql/agentgate",
        "postgres:///agentgate?host=/var/run/postgresql&user=app",
    ] {
        assert!(database_shares_the_cores(url), "{url}");
    }
    for url in [
        "postgres://app@db.internal:5432/agentgate",
        "postgres://app@10.0.0.7/agentgate",
        "postgres://app@localhost/agentgate?host=db.internal",
        "not a url",
    ] {
        assert!(!database_shares_the_cores(url), "{url}");
    }
}
