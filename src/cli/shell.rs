//! Fitting the shell: `zscore completions SHELL` prints a completion script, `zscore man` a man
//! page.
//!
//! The default script is clap_complete's dynamic one: on Tab the shell calls zscore itself
//! (with `ZSCORE_COMPLETE=<shell>` set, answered by [`complete_from_env`] before anything else
//! runs), so values that depend on this machine complete too: profile names from config.toml,
//! and module names from the modules zscore has loaded before (remembered by [`remember_modules`]
//! in the data directory; the four standard scoring modules until then). Completing never
//! touches the network. `--static` prints a fixed script instead (no dynamic values), for
//! packaging.

use std::collections::BTreeSet;
use std::path::PathBuf;

use clap::{Args, CommandFactory, ValueEnum};
use clap_complete::env::Shells;
use clap_complete::{ArgValueCandidates, CompleteEnv, CompletionCandidate};

use super::Cli;
use crate::config::{Config, Paths};
use crate::domain::OrgSnapshot;

/// The environment variable that turns a zscore run into a completion request.
const COMPLETE_VAR: &str = "ZSCORE_COMPLETE";
/// Offered for `--module` before zscore has loaded any org: the modules Zoho scores by default.
const STANDARD_MODULES: [&str; 4] = ["Leads", "Contacts", "Accounts", "Deals"];

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
    Elvish,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    pub shell: Shell,
    /// A fixed script: subcommands and options, without profile and module names.
    #[arg(long = "static")]
    pub static_script: bool,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write zscore.1 and one page per subcommand (zscore-audit.1, …) into DIR instead of
    /// printing zscore.1.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// The command line as clap sees it, with the dynamic value completers attached.
pub fn command() -> clap::Command {
    let profiles = ArgValueCandidates::new(profile_candidates);
    let modules = ArgValueCandidates::new(module_candidates);
    with_module_completer(
        Cli::command().mut_arg("profile", |a| a.add(profiles)),
        &modules,
    )
}

/// Every `--module` of every subcommand, however deep.
fn with_module_completer(cmd: clap::Command, modules: &ArgValueCandidates) -> clap::Command {
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    let ids: Vec<String> = cmd
        .get_arguments()
        .filter(|a| a.get_long() == Some("module"))
        .map(|a| a.get_id().to_string())
        .collect();
    let mut cmd = cmd;
    for id in ids {
        cmd = cmd.mut_arg(id, |a| a.add(modules.clone()));
    }
    for name in names {
        cmd = cmd.mut_subcommand(name, |s| with_module_completer(s, modules));
    }
    cmd
}

/// Answers a completion request (the shell calling back on Tab) and exits; returns at once on
/// an ordinary run.
pub fn complete_from_env() {
    CompleteEnv::with_factory(command)
        .var(COMPLETE_VAR)
        .complete();
}

pub fn completions(args: &CompletionsArgs) -> Result<(), String> {
    // Written whole through the one output path (the script holds the binary's path).
    let mut out = Vec::new();
    if args.static_script {
        let shell = match args.shell {
            Shell::Bash => clap_complete::Shell::Bash,
            Shell::Zsh => clap_complete::Shell::Zsh,
            Shell::Fish => clap_complete::Shell::Fish,
            Shell::Powershell => clap_complete::Shell::PowerShell,
            Shell::Elvish => clap_complete::Shell::Elvish,
        };
        clap_complete::generate(shell, &mut command(), "zscore", &mut out);
        super::output::out(&String::from_utf8_lossy(&out));
        return Ok(());
    }
    let name = match args.shell {
        Shell::Bash => "bash",
        Shell::Zsh => "zsh",
        Shell::Fish => "fish",
        Shell::Powershell => "powershell",
        Shell::Elvish => "elvish",
    };
    let shells = Shells::builtins();
    let shell = shells
        .completer(name)
        .ok_or_else(|| format!("no completion support for {name}"))?;
    // The script calls this very binary back, wherever it is installed.
    let me = std::env::current_exe()
        .map_err(|e| format!("cannot tell where zscore is installed: {e}"))?;
    shell
        .write_registration(
            COMPLETE_VAR,
            "zscore",
            "zscore",
            &me.to_string_lossy(),
            &mut out,
        )
        .map_err(|e| e.to_string())?;
    super::output::out(&String::from_utf8_lossy(&out));
    Ok(())
}

pub fn man(args: &ManArgs) -> Result<(), String> {
    let cmd = Cli::command();
    match &args.dir {
        None => {
            let mut page = Vec::new();
            clap_mangen::Man::new(cmd)
                .render(&mut page)
                .map_err(|e| e.to_string())?;
            super::output::out(&String::from_utf8_lossy(&page));
            Ok(())
        }
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
            clap_mangen::generate_to(cmd, dir)
                .map_err(|e| format!("cannot write the man pages to {}: {e}", dir.display()))?;
            super::output::errln!("wrote the man pages to {}", dir.display());
            Ok(())
        }
    }
}

fn profile_candidates() -> Vec<CompletionCandidate> {
    let Ok(paths) = Paths::discover() else {
        return Vec::new();
    };
    let Ok(config) = Config::load(&paths) else {
        return Vec::new();
    };
    config
        .profiles
        .iter()
        .map(|p| CompletionCandidate::new(&p.name))
        .collect()
}

fn module_candidates() -> Vec<CompletionCandidate> {
    let mut names: BTreeSet<String> = STANDARD_MODULES.iter().map(|m| m.to_string()).collect();
    if let Some(path) = modules_file()
        && let Ok(text) = std::fs::read_to_string(path)
    {
        names.extend(
            text.lines()
                .map(str::trim)
                .filter(|l| is_api_name(l))
                .map(str::to_string),
        );
    }
    names.into_iter().map(CompletionCandidate::new).collect()
}

/// Module API names are identifiers; anything else in the file is not offered to a shell.
fn is_api_name(s: &str) -> bool {
    !s.is_empty() && s.len() <= 100 && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn modules_file() -> Option<PathBuf> {
    Paths::discover()
        .ok()
        .map(|p| p.data_dir.join("completion").join("modules"))
}

/// Remembers the scoring modules of a loaded org for `--module` completion. Best effort: a
/// completion hint is not worth failing a command for.
pub fn remember_modules(snapshot: &OrgSnapshot) {
    let Some(path) = modules_file() else { return };
    let mut names: BTreeSet<String> = std::fs::read_to_string(&path)
        .map(|t| t.lines().map(str::to_string).collect())
        .unwrap_or_default();
    let before = names.len();
    names.extend(
        snapshot
            .modules
            .iter()
            .map(|m| m.module.api_name.clone())
            .filter(|n| is_api_name(n)),
    );
    if names.len() == before {
        return;
    }
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let text: String = names.into_iter().map(|n| n + "\n").collect();
    if let Err(e) = std::fs::write(&path, text) {
        tracing::debug!(error = %e, "cannot remember module names for completion");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_module_option_completes_module_names_and_the_profile_option_profiles() {
        let mut cmd = command();
        cmd.build();
        let mut with = Vec::new();
        fn walk(c: &clap::Command, path: &str, out: &mut Vec<String>) {
            for a in c.get_arguments() {
                let long = a.get_long().unwrap_or_default();
                if long == "module" || long == "profile" {
                    let has = a.get::<ArgValueCandidates>().is_some();
                    out.push(format!("{path} --{long}: {has}"));
                }
            }
            for s in c.get_subcommands() {
                walk(s, &format!("{path} {}", s.get_name()), out);
            }
        }
        walk(&cmd, "zscore", &mut with);
        assert!(
            with.iter().any(|l| l == "zscore audit --module: true"),
            "{with:?}"
        );
        assert!(
            with.iter().any(|l| l == "zscore deactivate --module: true"),
            "{with:?}"
        );
        assert!(with.iter().all(|l| l.ends_with("true")), "{with:?}");
        assert!(is_api_name("Partners__c") && !is_api_name("a b") && !is_api_name("$(x)"));
    }
}
