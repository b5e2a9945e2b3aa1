//! The command line: clap definitions and one module per subcommand. Subcommands never enter
//! raw mode; stdout is data, stderr is progress and errors.

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
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a local emulator of Zoho CRM's scoring-rules API with a seeded demo org.
    Sandbox(sandbox::SandboxArgs),

    /// List sign-in profiles and whether their secrets are stored (never the secrets).
    #[command(long_about = profiles::LONG_ABOUT)]
    Profiles(profiles::ProfilesArgs),
}
