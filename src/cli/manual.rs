//! `agentgate manpage` and `agentgate completions SHELL` (both hidden): the
//! manual page, roff made from the command line itself with clap_mangen, and
//! shell completions made with clap_complete. `scripts/package` ships both in
//! the Debian package.

use std::io::Write;

use clap::CommandFactory;
use roff::{Roff, bold, roman};

use super::Cli;

/// The whole manual page, agentgate(1): the synopsis, every visible command
/// with its options, the environment, the files the package installs.
pub fn manpage(out: &mut dyn Write) -> std::io::Result<()> {
    // `help` is not a command of the page; nor is `--help` an option of each.
    let command = Cli::command().disable_help_subcommand(true);
    let man = clap_mangen::Man::new(command.clone()).manual("AgentGate").source(format!("AgentGate {}", env!("CARGO_PKG_VERSION")));
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    let mut intro = Roff::new();
    intro.control("PP", []).text([roman(
        "Without a command, agentgate runs the server. Every command reads its configuration from environment variables (see ENVIRONMENT) and a .env file in the working directory if present. Exit status: 0 on success, 2 for bad arguments or input, 1 for any other failure, always with a one-line message.",
    )]);
    intro.to_writer(out)?;
    man.render_options_section(out)?;

    writeln!(out, ".SH COMMANDS")?;
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = format!("agentgate {}", sub.get_name());
        let sub_man = clap_mangen::Man::new(sub.clone().bin_name(&name).disable_help_flag(true));
        let has_options = sub.get_arguments().any(|a| !a.is_hide_set());
        Roff::new().control("SS", [sub.get_name()]).to_writer(out)?;
        let mut body = Vec::new();
        sub_man.render_synopsis_section(&mut body)?;
        body.extend_from_slice(b".PP\n");
        sub_man.render_description_section(&mut body)?;
        if has_options {
            body.extend_from_slice(b".PP\n");
            sub_man.render_options_section(&mut body)?;
        }
        // The sections of a command become paragraphs of its subsection.
        let body = String::from_utf8_lossy(&body);
        for line in body.lines().filter(|line| !line.starts_with(".SH ")) {
            writeln!(out, "{line}")?;
        }
    }

    let mut rest = Roff::new();
    rest.control("SH", ["ENVIRONMENT"]);
    rest.text([roman(
        "All variables are optional; a wrong value stops the start with a message naming the variable. The most used ones:",
    )]);
    for (variable, meaning) in ENVIRONMENT {
        rest.control("TP", []).text([bold(*variable)]).text([roman(*meaning)]);
    }
    rest.control("PP", []);
    rest.text([roman("README.md lists every variable with its default; the package's /etc/agentgate/agentgate.env has them all, commented.")]);
    rest.control("SH", ["FILES"]);
    for (file, meaning) in FILES {
        rest.control("TP", []).text([bold(*file)]).text([roman(*meaning)]);
    }
    rest.control("SH", ["SEE ALSO"]);
    rest.text([roman("systemctl(1), journalctl(1); docs/OPERATIONS.md and docs/DEPLOYMENT.md in the AgentGate sources.")]);
    rest.to_writer(out)
}

const ENVIRONMENT: &[(&str, &str)] = &[
    ("DATABASE_URL", "a SQLite file path (default data/agentgate.sqlite3) or a postgres:// URL"),
    ("AGENTGATE_BIND", "listen address (default 127.0.0.1:8080)"),
    ("AGENTGATE_PUBLIC_URL", "the address browsers use, in emails and for Secure cookies (default http://<bind>)"),
    ("AGENTGATE_SECRET_KEY", "64+ bytes, base64 (default: generated into secret.key beside the SQLite database)"),
    ("AGENTGATE_MAIL", "mailbox (development only), smtp, or file:<dir>"),
    ("SMTP_URL", "the relay, e.g. smtps://user:pass@smtp.example.com:465"),
    ("MAIL_FROM", "the sender address"),
    ("AGENTGATE_METRICS_TOKEN", "serve /metrics to any client with this bearer token (default: loopback only)"),
    ("AGENTGATE_LOG_FORMAT", "text (default) or json, one object per line"),
    ("AGENTGATE_SHUTDOWN_SECONDS", "how long a stopping server waits for requests in flight and email being sent (default 30)"),
    ("RUST_LOG", "log filter (default info)"),
];

const FILES: &[(&str, &str)] = &[
    ("/etc/agentgate/agentgate.env", "the configuration of the packaged service (EnvironmentFile of agentgate.service)"),
    ("/var/lib/agentgate/", "the service's state: the SQLite database and secret.key"),
    ("/usr/lib/systemd/system/agentgate.service", "the systemd unit of the package"),
];

/// Completions for `shell`, for the command line as it is now.
pub fn completions(shell: clap_complete::Shell, out: &mut dyn Write) {
    clap_complete::generate(shell, &mut Cli::command(), "agentgate", out);
}
