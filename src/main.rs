//! The `zscore` binary: parses the command line and runs a subcommand.

use std::process::ExitCode;

use clap::Parser;
use zscore::cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("zscore: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match cli.command {
        Some(Command::Sandbox(args)) => {
            init_stderr_logging();
            match runtime.block_on(zscore::cli::sandbox::run(args)) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("zscore sandbox: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Some(Command::Profiles(args)) => zscore::cli::profiles::run(&args),
        None => {
            eprintln!(
                "zscore: the terminal UI is not built yet; try `zscore sandbox` or `zscore --help`"
            );
            ExitCode::from(2)
        }
    }
}

/// The sandbox is a server: its logs go to stderr, filtered by `ZSCORE_LOG` (default `warn`).
fn init_stderr_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("ZSCORE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
