use clap::Parser;
use tracing_subscriber::EnvFilter;

use agentgate::cli::{Cli, run};

fn main() {
    keep_hash_memory_out_of_the_heap();
    let cli = Cli::parse();
    let _ = dotenvy::dotenv();
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")))
        .with_writer(std::io::stderr)
        .init();
    let runtime = actix_web::rt::System::new();
    if let Err(error) = runtime.block_on(run(cli)) {
        eprintln!("agentgate: {error}");
        std::process::exit(error.exit_code());
    }
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
