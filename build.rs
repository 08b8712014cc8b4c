//! Sets `AGENTGATE_GIT_COMMIT` for `agentgate --version` and `/healthz`: the
//! short hash of the commit being built, or `unknown` outside a git checkout
//! (a source tarball, a vendored copy). A packager can set
//! `AGENTGATE_GIT_COMMIT` in the build's environment to name it instead.

use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=AGENTGATE_GIT_COMMIT");
    let commit = std::env::var("AGENTGATE_GIT_COMMIT").ok().filter(|c| !c.trim().is_empty()).or_else(git_commit).unwrap_or_else(|| "unknown".to_owned());
    println!("cargo:rustc-env=AGENTGATE_GIT_COMMIT={}", commit.trim());
}

fn git_commit() -> Option<String> {
    let git = Path::new(".git");
    if !git.exists() {
        return None;
    }
    // Rebuilt when HEAD moves: a checkout changes HEAD, a commit changes the
    // branch's ref (loose, or packed by `git gc`).
    // (Only files that exist: cargo counts a missing one as always changed.)
    if git.is_dir() {
        let mut watched = vec![".git/HEAD".to_owned(), ".git/packed-refs".to_owned(), ".git/refs/heads".to_owned()];
        if let Ok(head) = std::fs::read_to_string(git.join("HEAD"))
            && let Some(reference) = head.strip_prefix("ref:") {
                watched.push(format!(".git/{}", reference.trim()));
            }
        for path in watched.iter().filter(|p| Path::new(p).exists()) {
            println!("cargo:rerun-if-changed={path}");
        }
    } else {
        // A worktree or submodule: `.git` is a file naming the real directory.
        println!("cargo:rerun-if-changed=.git");
    }
    let output = Command::new("git").args(["rev-parse", "--short", "HEAD"]).output().ok()?;
    if !output.status.success() {
        return None;
    }
    let commit = String::from_utf8(output.stdout).ok()?.trim().to_owned();
    (!commit.is_empty() && commit.chars().all(|c| c.is_ascii_hexdigit())).then_some(commit)
}
