//! The Debian package's parts that live in the source tree (scripts/package
//! builds the package itself): the man page made from the command line, the
//! hardened systemd unit, and the example configuration file.

use std::path::Path;
use std::process::Command;

use clap::CommandFactory;

fn source(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

/// How clap_mangen writes a word in roff (a hyphen is `\-`).
fn roff(word: &str) -> String {
    word.replace('-', "\\-")
}

#[test]
fn the_manpage_is_roff_naming_every_command_and_option() {
    let output = Command::new(env!("CARGO_BIN_EXE_agentgate")).arg("manpage").env_clear().output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let page = String::from_utf8(output.stdout).unwrap();
    assert!(page.contains("\n.TH agentgate 1 "), "a roff page for section 1: {}", &page[..page.len().min(300)]);
    for section in ["NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS", "ENVIRONMENT", "FILES"] {
        assert!(page.contains(&format!("\n.SH {section}\n")), "no {section} section");
    }
    let cli = agentgate::cli::Cli::command();
    let visible: Vec<_> = cli.get_subcommands().filter(|c| !c.is_hide_set()).collect();
    assert!(visible.len() >= 9, "serve, migrate, create-admin, …");
    for command in visible {
        let name = command.get_name();
        assert!(page.contains(&format!("\n.SS {name}\n")), "no subsection for {name}");
        assert!(page.contains(&format!("agentgate {}", roff(name))), "no synopsis for {name}");
        for long in command.get_arguments().filter(|a| !a.is_hide_set()).filter_map(|a| a.get_long()).filter(|l| *l != "help") {
            assert!(page.contains(&format!("\\-\\-{}", roff(long))), "{name}: --{long} is not in the page");
        }
    }
    for hidden in ["manpage", "completions"] {
        assert!(!page.contains(&format!(".SS {hidden}")), "{hidden} is hidden");
    }
    assert!(page.contains("AGENTGATE_SHUTDOWN_SECONDS") && page.contains("/etc/agentgate/agentgate.env"));
}

#[test]
fn completions_are_made_for_the_packaged_shells() {
    for (shell, marker) in [("bash", "complete -F"), ("zsh", "#compdef agentgate"), ("fish", "complete -c agentgate")] {
        let output = Command::new(env!("CARGO_BIN_EXE_agentgate")).args(["completions", shell]).env_clear().output().unwrap();
        assert_eq!(output.status.code(), Some(0));
        let script = String::from_utf8(output.stdout).unwrap();
        assert!(script.contains(marker) && script.contains("create-admin"), "{shell}: {script:.200}");
    }
}

const HARDENING: &[&str] = &[
    "ExecStart=/usr/bin/agentgate serve",
    "EnvironmentFile=/etc/agentgate/agentgate.env",
    "DynamicUser=yes",
    "StateDirectory=agentgate",
    "WorkingDirectory=/var/lib/agentgate",
    "ProtectSystem=strict",
    "ProtectHome=yes",
    "PrivateTmp=yes",
    "NoNewPrivileges=yes",
    "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX",
    "CapabilityBoundingSet=",
    "SystemCallFilter=@system-service",
    "Restart=on-failure",
    "TimeoutStopSec=45",
];

#[test]
fn the_systemd_unit_is_hardened_and_valid() {
    let unit = source("packaging/agentgate.service");
    let lines: Vec<&str> = unit.lines().map(str::trim).collect();
    for line in HARDENING {
        assert!(lines.contains(line), "packaging/agentgate.service lacks the line {line}");
    }
    // The stop timeout outlasts the server's own grace period (default 30 s).
    let timeout: u64 = lines.iter().find_map(|l| l.strip_prefix("TimeoutStopSec=")).unwrap().parse().unwrap();
    assert!(timeout > 30);

    let Ok(analyze) = which("systemd-analyze") else {
        eprintln!("SKIPPED systemd-analyze verify: systemd-analyze is not installed");
        return;
    };
    // The unit as written, with ExecStart pointing at the binary under test.
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("agentgate.service");
    std::fs::write(&copy, unit.replace("/usr/bin/agentgate", env!("CARGO_BIN_EXE_agentgate"))).unwrap();
    let output = Command::new(analyze).args(["verify", "--man=no"]).arg(&copy).output().unwrap();
    let said = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success() && said.trim().is_empty(), "systemd-analyze verify: {said}");
}

fn which(program: &str) -> Result<std::path::PathBuf, ()> {
    std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()).map(|d| d.join(program)).find(|p| p.is_file()).ok_or(())
}

#[test]
fn the_example_configuration_names_every_variable_of_the_readme() {
    let env_file = source("packaging/agentgate.env");
    let readme = source("README.md");
    let table = readme.split("## Configuration").nth(1).unwrap().split("\n## ").next().unwrap();
    let mut variables = Vec::new();
    for row in table.lines().filter(|l| l.starts_with("| `")) {
        let first_cell = row.split(" | ").next().unwrap();
        variables.extend(first_cell.split('`').skip(1).step_by(2).map(str::to_owned));
    }
    assert!(variables.len() > 40, "{variables:?}");
    for variable in variables {
        let set = env_file.lines().any(|l| l.trim_start_matches('#').starts_with(&format!("{variable}=")));
        assert!(set, "packaging/agentgate.env does not show {variable} (commented with its default)");
    }
    assert!(env_file.lines().any(|l| l == "DATABASE_URL=/var/lib/agentgate/agentgate.sqlite3"));
}
