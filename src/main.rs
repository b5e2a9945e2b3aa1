//! The `zscore` binary: parses the command line and runs a subcommand.

use std::process::ExitCode;

use clap::Parser;
use zscore::cli::{Cli, Command, bulk, shell};

fn main() -> ExitCode {
    // A shell asking for completions (on Tab) is answered here, and the process ends.
    zscore::cli::shell::complete_from_env();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            zscore::cli::output::err_line(&format!("zscore: cannot start the async runtime: {e}"));
            return ExitCode::FAILURE;
        }
    };
    let target = cli.target();
    let verbose = cli.verbose;
    let Some(command) = cli.command else {
        zscore::cli::logging::init_file_logging();
        let code = match runtime.block_on(zscore::tui::run(&target)) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                zscore::cli::output::err_line(&format!("zscore: {e}"));
                ExitCode::FAILURE
            }
        };
        // The terminal is already restored; a preview still scoring on a blocking thread must
        // not hold the exit (dropping the runtime would wait for it to finish).
        runtime.shutdown_timeout(std::time::Duration::from_millis(200));
        return code;
    };
    // Commands that need no org return here; the rest run on the runtime with file logging.
    let (name, outcome) = match command {
        Command::Completions(args) => return done("completions", shell::completions(&args)),
        Command::Man(args) => return done("man", shell::man(&args)),
        Command::Profiles(args) => {
            let code = zscore::cli::profiles::run(&args);
            report_calls(verbose, &target);
            return code;
        }
        Command::Sandbox(args) => return sandbox(&runtime, args),
        Command::Audit(args) => org(&runtime, "audit", zscore::cli::audit::audit(&target, args)),
        Command::Execute(args) => org(
            &runtime,
            "execute",
            zscore::cli::execute::execute(&target, args),
        ),
        Command::Export(args) => org(
            &runtime,
            "export",
            zscore::cli::transfer::export(&target, args),
        ),
        Command::Import(args) => org(
            &runtime,
            "import",
            zscore::cli::transfer::import(&target, args),
        ),
        Command::History(args) => org(
            &runtime,
            "history",
            zscore::cli::history::history(&target, args),
        ),
        Command::Revert(args) => org(
            &runtime,
            "revert",
            zscore::cli::history::revert(&target, args),
        ),
        Command::Preview(args) => org(
            &runtime,
            "preview",
            zscore::cli::preview::preview(&target, args),
        ),
        Command::Edit(args) => org(&runtime, "edit", zscore::cli::edit::edit(&target, args)),
        Command::Lint(args) => org(&runtime, "lint", zscore::cli::lint::lint(&target, args)),
        Command::Login(args) => org(&runtime, "login", zscore::cli::login::login(&target, args)),
        Command::Activate(args) => org(&runtime, "activate", bulk::activate(&target, args)),
        Command::Deactivate(args) => org(&runtime, "deactivate", bulk::deactivate(&target, args)),
        Command::Delete(args) => org(&runtime, "delete", bulk::delete(&target, args)),
        Command::Clone(args) => org(&runtime, "clone", bulk::clone(&target, args)),
        Command::SetScore(args) => org(&runtime, "set-score", bulk::set_score(&target, args)),
    };
    report_calls(verbose, &target);
    match outcome {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            zscore::cli::output::err_line(&format!("zscore {name}: {e}"));
            ExitCode::FAILURE
        }
    }
}

/// `zscore sandbox`: a server, logging to stderr.
fn sandbox(runtime: &tokio::runtime::Runtime, args: zscore::cli::sandbox::SandboxArgs) -> ExitCode {
    init_stderr_logging();
    if let Err(e) = args.check() {
        zscore::cli::output::err_line(&format!("zscore sandbox: {e}"));
        return ExitCode::FAILURE;
    }
    if args.reset {
        return match zscore::cli::sandbox::reset(&args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                zscore::cli::output::err_line(&format!("zscore sandbox: {e}"));
                ExitCode::FAILURE
            }
        };
    }
    match runtime.block_on(zscore::cli::sandbox::run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            zscore::cli::output::err_line(&format!("zscore sandbox: {e}"));
            ExitCode::FAILURE
        }
    }
}

/// A command that talks to an org: run on the runtime, logging to the log file.
fn org<F: Future<Output = Result<bool, String>>>(
    runtime: &tokio::runtime::Runtime,
    name: &'static str,
    work: F,
) -> (&'static str, Result<bool, String>) {
    zscore::cli::logging::init_file_logging();
    (name, runtime.block_on(work))
}

/// A command that needs no org and no runtime.
fn done(name: &str, outcome: Result<(), String>) -> ExitCode {
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            zscore::cli::output::err_line(&format!("zscore {name}: {e}"));
            ExitCode::FAILURE
        }
    }
}

/// `-v`: the API calls the command sent, so an admin can budget Zoho's daily API credits.
fn report_calls(verbose: bool, target: &zscore::cli::connect::Target) {
    if verbose {
        zscore::cli::output::err_line(&format!("zscore: {}", target.meter.get()));
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
