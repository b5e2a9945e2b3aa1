//! The command line: clap definitions and one module per subcommand. Subcommands never enter
//! raw mode; stdout is data, stderr is progress and errors; exit codes 0 ok, 1 failure, 2 usage.

pub mod ask;
pub mod audit;
pub mod bulk;
mod bulk_revert;
pub mod connect;
pub use crate::connect::builtin;
pub mod edit;
pub mod execute;
pub mod history;
pub mod lint;
pub mod logging;
pub mod login;
pub mod output;
pub mod preview;
pub mod profiles;
pub mod sandbox;
pub mod shell;
pub mod transfer;
pub mod verify;

use std::time::Duration;

use clap::{Parser, Subcommand};

use crate::api::Budget;

pub use crate::connect::DEFAULT_TIMEOUT_SECS;

/// `90s`, `10m`, `1h`, or plain seconds; never zero.
fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let (digits, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("{s:?} is not a duration like 90s, 10m or 1h"))?;
    let secs = match unit {
        "" | "s" => n,
        "m" => n.saturating_mul(60),
        "h" => n.saturating_mul(3600),
        _ => return Err(format!("{s:?}: the unit is s, m or h")),
    };
    if secs == 0 {
        return Err("a time budget of 0 leaves no time to do anything".into());
    }
    Ok(Duration::from_secs(secs))
}

#[derive(Debug, Parser)]
#[command(
    name = "zscore",
    version,
    about = "Manage Zoho CRM lead-scoring rules from the terminal"
)]
pub struct Cli {
    /// Sign-in profile to use (default: the configured default profile).
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,
    /// Talk to a running zscore sandbox at this URL instead of Zoho (any credentials work).
    #[arg(long, global = true, value_name = "URL")]
    pub sandbox_url: Option<String>,
    /// Requests to Zoho in flight at once (default: as many as the org's edition allows, 10 to
    /// 25 per app; 8 until the edition is known).
    #[arg(long, global = true, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=25))]
    pub max_in_flight: Option<u16>,
    /// Refuse every change: the TUI disables its write keys, write commands stop before sending.
    #[arg(long, global = true)]
    pub readonly: bool,
    /// Give a command this long in all (90s, 10m, 1h or seconds), retries, rate-limit waits
    /// and `execute --verify` included (in the TUI: each request); when it runs out the command
    /// stops and says so (default 10m).
    #[arg(long, global = true, value_name = "DURATION", value_parser = parse_duration)]
    pub timeout: Option<Duration>,
    /// Largest answer read from Zoho, in MiB; a longer one fails its request (default 16).
    #[arg(long, global = true, value_name = "MIB", value_parser = clap::value_parser!(u64).range(1..=4096))]
    pub max_response_mb: Option<u64>,
    /// At the end, say on stderr how many API calls the command sent (Zoho's daily credits).
    #[arg(short, long, global = true)]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

impl Cli {
    pub fn target(&self) -> connect::Target {
        connect::Target {
            profile: self.profile.clone(),
            sandbox_url: self.sandbox_url.clone(),
            max_in_flight: self.max_in_flight.map(usize::from),
            readonly: self.readonly,
            quiet: false,
            budget: Budget::Command(
                self.timeout
                    .unwrap_or(Duration::from_secs(DEFAULT_TIMEOUT_SECS)),
            ),
            max_response_bytes: self.max_response_mb.map(|mb| mb << 20),
            command: match &self.command {
                None => "zscore (terminal UI)".into(),
                Some(c) => format!("zscore {}", c.name()),
            },
            serves_others: self.command.is_none(),
            meter: crate::api::CallMeter::new(),
        }
    }
}

impl Command {
    /// The subcommand as typed.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Sandbox(_) => "sandbox",
            Command::Audit(_) => "audit",
            Command::Execute(_) => "execute",
            Command::Export(_) => "export",
            Command::Import(_) => "import",
            Command::History(_) => "history",
            Command::Revert(_) => "revert",
            Command::Preview(_) => "preview",
            Command::Lint(_) => "lint",
            Command::Login(_) => "login",
            Command::Profiles(_) => "profiles",
            Command::Activate(_) => "activate",
            Command::Deactivate(_) => "deactivate",
            Command::Delete(_) => "delete",
            Command::Clone(_) => "clone",
            Command::SetScore(_) => "set-score",
            Command::Completions(_) => "completions",
            Command::Man(_) => "man",
            Command::Edit(_) => "edit",
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a local emulator of Zoho CRM's scoring-rules API with a seeded demo org.
    Sandbox(sandbox::SandboxArgs),
    /// Active rules per module and layout, with issues and usage against the edition's limits.
    Audit(audit::AuditArgs),
    /// Schedule scoring rules to run, and follow them.
    Execute(execute::ExecuteArgs),
    /// Write every rule as a file (DIR/<module>/<layout>/<rule>.json) that moves between orgs.
    Export(transfer::ExportArgs),
    /// Apply a directory written by `export`: shows the plan, asks, then creates and updates
    /// (and, with --prune, deletes the rules of its layouts that have no file).
    Import(transfer::ImportArgs),
    /// The change journal: every write zscore sent to this org, with what it changed.
    History(history::HistoryArgs),
    /// Put a journal entry's "before" state back (re-creating a deleted rule under a new id); a
    /// group entry (a bulk change) reverts every write of the group.
    Revert(history::RevertArgs),
    /// Open a rule in $VISUAL / $EDITOR as its export file; a valid edit is shown, asked
    /// about (--yes skips it) and saved. Exit 0 saved or unchanged, 1 refused or failed.
    Edit(edit::EditArgs),
    /// What a rule draft, a rule or a layout's active rules do to a sample of records.
    Preview(preview::PreviewArgs),
    /// Rules that cannot work as meant: dead criteria, duplicates, cancelling scores.
    Lint(lint::LintArgs),
    /// Activate rules (--rules ID,… or a filter): shows the plan with the edition's limits, asks, sends.
    Activate(bulk::FitArgs),
    /// Deactivate rules (--rules ID,… or a filter): shows the plan, asks, sends as one undoable group.
    Deactivate(bulk::SelectArgs),
    /// Delete rules and the custom fields that go with them: shows the plan, asks for `delete`.
    Delete(bulk::SelectArgs),
    /// Clone rules (each copy starts active): shows the plan with the edition's limits, asks, sends.
    Clone(bulk::FitArgs),
    /// Change one criterion's score across many rules: --criteria-field F [--from N] --to M.
    SetScore(bulk::SetScoreArgs),
    /// Sign in with a Zoho self-client grant code and store the profile.
    Login(login::LoginArgs),
    /// Print a completion script: `source <(zscore completions bash)` (profiles and modules too).
    Completions(shell::CompletionsArgs),
    /// Print the man page (or write every page into --dir).
    Man(shell::ManArgs),
    /// List sign-in profiles and whether their secrets are stored (never the secrets).
    #[command(long_about = profiles::LONG_ABOUT)]
    Profiles(profiles::ProfilesArgs),
}

#[cfg(test)]
mod duration_tests {
    use super::parse_duration;

    #[test]
    fn timeouts_read_like_people_write_them() {
        let secs = |s: &str| parse_duration(s).map(|d| d.as_secs());
        assert_eq!(secs("90"), Ok(90));
        assert_eq!(secs("90s"), Ok(90));
        assert_eq!(secs("10m"), Ok(600));
        assert_eq!(secs(" 1h "), Ok(3600));
        assert!(secs("0").is_err());
        assert!(secs("10 minutes").is_err());
        assert!(secs("m").is_err());
        assert!(secs("-5s").is_err());
    }
}
