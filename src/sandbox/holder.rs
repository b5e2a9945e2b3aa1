//! Who holds a state file: a small JSON file beside it (`<state>.holder.json`) naming the
//! process that has the file open, its address and whether it serves other processes.
//!
//! A state file is locked by the one sandbox that has it open (two sandboxes on one file would
//! silently diverge), so another process that wants the same org cannot open it: this file
//! tells it who to talk to or wait for. The lock stays the truth: this file is read only
//! after the lock was refused, and a holder whose process is gone (a crash leaves the file
//! behind) is treated as absent.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// What a holder tells the processes that find its state file locked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holder {
    pub pid: u32,
    /// `http://127.0.0.1:PORT`: where the holder's sandbox answers.
    pub url: String,
    /// What the holder is, for messages: `zscore (terminal UI)`, `zscore import`, …
    pub command: String,
    /// Whether the holder serves others until it stops (the TUI, `zscore sandbox`), or is a
    /// command that will stop soon and is better waited for.
    pub serves_others: bool,
    /// The identity of the org the state file holds (`StateFile::identity`).
    pub identity: String,
}

impl Holder {
    /// `zscore import (pid 4242)`.
    pub fn describe(&self) -> String {
        format!("{} (pid {})", self.command, self.pid)
    }
}

/// Where the holder of `state` is written.
pub fn path_for(state: &Path) -> PathBuf {
    let mut name = state.file_name().unwrap_or_default().to_os_string();
    name.push(".holder.json");
    state.with_file_name(name)
}

/// Writes the holder file (to a temporary name, then renamed, so a reader never sees half).
pub fn write(state: &Path, holder: &Holder) -> std::io::Result<()> {
    let path = path_for(state);
    let mut tmp = path.clone().into_os_string();
    tmp.push(format!(".{}", std::process::id()));
    let text = serde_json::to_string(holder).map_err(std::io::Error::other)?;
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, &path)
}

/// The holder of `state`, when its file names a process that is still running.
pub fn read(state: &Path) -> Option<Holder> {
    let text = std::fs::read_to_string(path_for(state)).ok()?;
    let holder: Holder = serde_json::from_str(&text).ok()?;
    alive(holder.pid).then_some(holder)
}

/// Removes the holder file if it still names this process (a later holder's is left alone).
pub fn remove_own(state: &Path) {
    if read_any(state).is_some_and(|h| h.pid == std::process::id()) {
        let _ = std::fs::remove_file(path_for(state));
    }
}

fn read_any(state: &Path) -> Option<Holder> {
    let text = std::fs::read_to_string(path_for(state)).ok()?;
    serde_json::from_str(&text).ok()
}

/// Whether a process is running. Where /proc does not exist there is no cheap safe way to
/// ask (unsafe code is forbidden here), so the holder is taken at its word.
fn alive(pid: u32) -> bool {
    let proc = Path::new("/proc");
    !proc.is_dir() || proc.join(pid.to_string()).exists()
}

/// Removes this process's holder file when dropped.
pub struct HolderGuard {
    state: PathBuf,
}

impl HolderGuard {
    pub fn new(state: &Path, holder: &Holder) -> std::io::Result<HolderGuard> {
        write(state, holder)?;
        Ok(HolderGuard {
            state: state.to_path_buf(),
        })
    }
}

impl Drop for HolderGuard {
    fn drop(&mut self) {
        remove_own(&self.state);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn holder(pid: u32) -> Holder {
        Holder {
            pid,
            url: "http://127.0.0.1:1".into(),
            command: "zscore audit".into(),
            serves_others: false,
            identity: "abc".into(),
        }
    }

    #[test]
    fn a_holder_is_read_back_while_its_process_runs_and_removed_by_its_guard() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let state = dir.path().join("org.sqlite");
        assert_eq!(read(&state), None, "no file: no holder");
        let me = holder(std::process::id());
        let guard = HolderGuard::new(&state, &me).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(read(&state), Some(me));
        drop(guard);
        assert!(!path_for(&state).exists());
    }

    #[test]
    fn a_holder_whose_process_is_gone_is_absent_and_not_removed_by_another() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let state = dir.path().join("org.sqlite");
        // Beyond any pid_max Linux allows, so never running.
        write(&state, &holder(u32::MAX - 1)).unwrap_or_else(|e| panic!("{e}"));
        if Path::new("/proc").is_dir() {
            assert_eq!(read(&state), None);
        }
        remove_own(&state);
        assert!(path_for(&state).exists(), "not ours to remove");
    }
}
