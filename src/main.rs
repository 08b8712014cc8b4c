use clap::Parser;
use tracing_subscriber::EnvFilter;

use agentgate::cli::{Cli, run};

fn main() {
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
