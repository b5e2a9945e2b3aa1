//! The command line: clap definitions and one module per subcommand. Subcommands never enter
//! raw mode; stdout is data, stderr is progress and errors; exit codes 0 ok, 1 failure, 2 usage.

pub mod audit;
pub mod connect;
pub mod execute;
pub mod logging;
pub mod login;
pub mod profiles;
pub mod sandbox;

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
    #[command(subcommand)]
    pub command: Option<Command>,
}

impl Cli {
    pub fn target(&self) -> connect::Target {
        connect::Target {
            profile: self.profile.clone(),
            sandbox_url: self.sandbox_url.clone(),
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
    /// Sign in with a Zoho self-client grant code and store the profile.
    Login(login::LoginArgs),
    /// List sign-in profiles and whether their secrets are stored (never the secrets).
    #[command(long_about = profiles::LONG_ABOUT)]
    Profiles(profiles::ProfilesArgs),
}
