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
    match &command {
        Command::Completions(args) => return done("completions", shell::completions(args)),
        Command::Man(args) => return done("man", shell::man(args)),
        _ => {}
    }
    if let Command::Profiles(args) = &command {
        let code = zscore::cli::profiles::run(args);
        report_calls(verbose, &target);
        return code;
    }
    if let Command::Sandbox(args) = command {
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
        return match runtime.block_on(zscore::cli::sandbox::run(args)) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                zscore::cli::output::err_line(&format!("zscore sandbox: {e}"));
                ExitCode::FAILURE
            }
        };
    }
    zscore::cli::logging::init_file_logging();
    let (name, outcome) = runtime.block_on(async {
        match command {
            Command::Audit(args) => ("audit", zscore::cli::audit::audit(&target, args).await),
            Command::Execute(args) => (
                "execute",
                zscore::cli::execute::execute(&target, args).await,
            ),
            Command::Export(args) => ("export", zscore::cli::transfer::export(&target, args).await),
            Command::Import(args) => ("import", zscore::cli::transfer::import(&target, args).await),
            Command::History(args) => (
                "history",
                zscore::cli::history::history(&target, args).await,
            ),
            Command::Revert(args) => ("revert", zscore::cli::history::revert(&target, args).await),
            Command::Preview(args) => (
                "preview",
                zscore::cli::preview::preview(&target, args).await,
            ),
            Command::Edit(args) => ("edit", zscore::cli::edit::edit(&target, args).await),
            Command::Lint(args) => ("lint", zscore::cli::lint::lint(&target, args).await),
            Command::Login(args) => ("login", zscore::cli::login::login(&target, args).await),
            Command::Activate(args) => ("activate", bulk::activate(&target, args).await),
            Command::Deactivate(args) => ("deactivate", bulk::deactivate(&target, args).await),
            Command::Delete(args) => ("delete", bulk::delete(&target, args).await),
            Command::Clone(args) => ("clone", bulk::clone(&target, args).await),
            Command::SetScore(args) => ("set-score", bulk::set_score(&target, args).await),
            Command::Sandbox(_)
            | Command::Profiles(_)
            | Command::Completions(_)
            | Command::Man(_) => ("", Ok(true)),
        }
    });
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
