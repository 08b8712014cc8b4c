use clap::Parser;
use tracing_subscriber::EnvFilter;

use agentgate::cli::{Cli, run};

fn main() {
    keep_hash_memory_out_of_the_heap();
    let cli = Cli::parse();
    let _ = dotenvy::dotenv();
    if let Err(message) = init_logs() {
        eprintln!("agentgate: {message}");
        std::process::exit(2);
    }
    let runtime = actix_web::rt::System::new();
    if let Err(error) = runtime.block_on(run(cli)) {
        eprintln!("agentgate: {error}");
        std::process::exit(error.exit_code());
    }
}

/// `AGENTGATE_LOG_FORMAT`: `text` (the default) or `json`, one object per
/// line. Text has colours only on a terminal, and never with `NO_COLOR` set.
fn init_logs() -> Result<(), String> {
    use std::io::IsTerminal;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    match std::env::var("AGENTGATE_LOG_FORMAT").as_deref() {
        Ok("json") => tracing_subscriber::fmt()
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .init(),
        Ok("text") | Err(_) => {
            let colours = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
            tracing_subscriber::fmt().with_ansi(colours).with_env_filter(filter).with_writer(std::io::stderr).init()
        }
        Ok(other) => return Err(format!("AGENTGATE_LOG_FORMAT must be text or json, not {other:?}")),
    }
    Ok(())
}

/// Each argon2 hash allocates 19 MiB. glibc raises its mmap threshold after
/// the first such block is freed, after which the blocks come from the heap
/// arenas and stay resident; a fixed threshold keeps them mmapped, so their
/// memory goes back to the system when the hash ends.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn keep_hash_memory_out_of_the_heap() {
    // SAFETY: mallopt only tunes the allocator; called before any thread starts.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn keep_hash_memory_out_of_the_heap() {}
