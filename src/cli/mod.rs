//! The command line: clap definitions and one module per subcommand. Subcommands never enter
//! raw mode; stdout is data, stderr is progress and errors; exit codes 0 ok, 1 failure, 2 usage.

pub mod audit;
pub mod connect;
pub mod execute;
pub mod history;
pub mod lint;
pub mod logging;
pub mod login;
pub mod preview;
pub mod profiles;
pub mod sandbox;
pub mod transfer;

use clap::{Parser, Subcommand};

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
    /// Apply a directory written by `export`: shows the plan, asks, then creates, updates and deletes.
    Import(transfer::ImportArgs),
    /// The change journal: every write zscore sent to this org, with what it changed.
    History(history::HistoryArgs),
    /// Put a journal entry's "before" state back (re-creating a deleted rule under a new id).
    Revert(history::RevertArgs),
    /// What a rule draft, a rule or a layout's active rules do to a sample of records.
    Preview(preview::PreviewArgs),
    /// Rules that cannot work as meant: dead criteria, duplicates, cancelling scores.
    Lint(lint::LintArgs),
    /// Sign in with a Zoho self-client grant code and store the profile.
    Login(login::LoginArgs),
    /// List sign-in profiles and whether their secrets are stored (never the secrets).
    #[command(long_about = profiles::LONG_ABOUT)]
    Profiles(profiles::ProfilesArgs),
}
