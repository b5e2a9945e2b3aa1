//! The built-in sandbox: the demo org that the TUI and every command use when no profile and
//! no `--sandbox-url` is configured. It lives in `<data dir>/sandbox/demo-org.sqlite` (the
//! `--state` machinery), so it persists across launches like a real org: rule ids and
//! timestamps stay put, a draft restored after a crash finds the rule it was based on, and
//! `history` / `revert` act on the org the journal recorded. `zscore sandbox --reset` puts the
//! seed back.
//!
//! One process at a time can have the file open. A process that finds it held:
//! - by one that serves others until it stops (the TUI, `zscore sandbox --state` on this file)
//!   uses that sandbox over HTTP, as another client of the same org;
//! - by a command, which stops soon, waits for it (saying so once), then opens the file itself.
//!
//! Either way exactly one process writes the file, and every process sees one org.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::config::Paths;
use crate::sandbox::holder::Holder;
use crate::sandbox::persist::PersistError;
use crate::sandbox::{Role, RunningSandbox, SandboxError, SandboxOptions};

/// The state file's name in `<data dir>/sandbox/`.
pub const FILE: &str = "demo-org.sqlite";

/// How long a file locked by a process that has not said who it is (it may be restoring the
/// org still) is waited for before the wait is announced.
const SILENT_WAIT: Duration = Duration::from_secs(3);
const POLL: Duration = Duration::from_millis(200);

/// Where the built-in sandbox keeps its org.
pub fn state_path() -> Result<PathBuf, String> {
    let paths = Paths::discover().map_err(|e| e.to_string())?;
    Ok(paths.data_dir.join("sandbox").join(FILE))
}

/// The built-in sandbox as this process reaches it.
pub enum Builtin {
    /// Opened here; serves until dropped.
    Own(RunningSandbox),
    /// Held by another process that serves others.
    Joined(Holder),
}

impl Builtin {
    pub fn url(&self) -> &str {
        match self {
            Builtin::Own(s) => &s.url,
            Builtin::Joined(h) => &h.url,
        }
    }

    /// The identity of the org the state file holds.
    pub fn identity(&self) -> &str {
        match self {
            Builtin::Own(s) => s.state.identity(),
            Builtin::Joined(h) => &h.identity,
        }
    }
}

/// Opens the built-in sandbox, or joins or waits for the process holding it. `on_wait` is
/// told, once, whom it waits for.
pub async fn open(role: Role, on_wait: &mut dyn FnMut(&str)) -> Result<Builtin, String> {
    let path = state_path()?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let started = Instant::now();
    let mut told = false;
    loop {
        let options = SandboxOptions {
            state_file: Some(path.clone()),
            role: role.clone(),
            ..SandboxOptions::default()
        };
        match RunningSandbox::start("127.0.0.1:0", options).await {
            Ok(s) => return Ok(Builtin::Own(s)),
            Err(SandboxError::InUse { holder, .. }) if holder.serves_others => {
                return Ok(Builtin::Joined(*holder));
            }
            Err(SandboxError::InUse { holder, .. }) => {
                if !told {
                    told = true;
                    on_wait(&format!(
                        "waiting for {} to finish with the built-in sandbox ({})",
                        holder.describe(),
                        path.display()
                    ));
                }
            }
            // Held by a process not (yet) saying who it is: one restoring the org writes its
            // holder file once the org is open.
            Err(SandboxError::State(PersistError::Busy { .. })) => {
                if !told && started.elapsed() >= SILENT_WAIT {
                    told = true;
                    on_wait(&format!(
                        "waiting for another process to release the built-in sandbox ({})",
                        path.display()
                    ));
                }
            }
            Err(
                e
                @ SandboxError::State(PersistError::Corrupt { .. } | PersistError::Version { .. }),
            ) => {
                return Err(format!(
                    "{e}; `zscore sandbox --reset` starts the built-in sandbox over from the seeded demo org"
                ));
            }
            Err(e) => return Err(e.to_string()),
        }
        tokio::time::sleep(POLL).await;
    }
}
