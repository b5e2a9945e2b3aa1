//! The command line's history: the last commands run, newest last, kept across launches in
//! one small file of the data directory (`commands`, a command a line). Bounded both ways:
//! at most `KEEP` commands are kept and written, and at most `READ_LIMIT` bytes are read, so a
//! file grown or damaged by something else cannot slow the start.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Commands kept.
pub const KEEP: usize = 100;
/// Bytes read from the file at start; `KEEP` lines of `MAX_LINE` fit well within.
const READ_LIMIT: u64 = 64 * 1024;
/// A longer command is not kept (nobody recalls a paste that long).
const MAX_LINE: usize = 400;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct History {
    entries: Vec<String>,
    /// Where it is kept; `None`: this session's only (no data directory, or a test).
    path: Option<PathBuf>,
}

impl History {
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entry `i` places back from the newest (0: the newest).
    pub fn back(&self, i: usize) -> Option<&str> {
        let at = self.entries.len().checked_sub(i + 1)?;
        self.entries.get(at).map(String::as_str)
    }

    /// Adds a command run (not again when it repeats the last one, not one that is too long
    /// or spans lines), keeping the last `KEEP`; the effect that writes the file when it is
    /// kept in one.
    pub fn push(&mut self, command: &str) -> Option<super::super::effects::Effect> {
        let command = command.trim();
        if command.is_empty() || command.len() > MAX_LINE || command.contains(['\n', '\r']) {
            return None;
        }
        if self.entries.last().map(String::as_str) != Some(command) {
            self.entries.push(command.to_string());
        }
        let over = self.entries.len().saturating_sub(KEEP);
        self.entries.drain(..over);
        let path = self.path.clone()?;
        Some(super::super::effects::Effect::SaveCommands {
            path,
            lines: self.entries.clone(),
        })
    }

    /// The history kept at `path`: what can be read of it (a missing or unreadable file is an
    /// empty history; the first write makes it anew).
    pub fn load(path: PathBuf) -> History {
        let entries = read(&path).unwrap_or_default();
        History {
            entries,
            path: Some(path),
        }
    }

    /// The file under `data_dir`.
    pub fn path_in(data_dir: &Path) -> PathBuf {
        data_dir.join("commands")
    }
}

fn read(path: &Path) -> std::io::Result<Vec<String>> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(READ_LIMIT)
        .read_to_end(&mut bytes)?;
    let text = String::from_utf8_lossy(&bytes);
    let lines: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && l.len() <= MAX_LINE)
        .map(str::to_string)
        .collect();
    let over = lines.len().saturating_sub(KEEP);
    Ok(lines.into_iter().skip(over).collect())
}

/// Writes `lines` to `path` whole (a temporary file renamed over it, so a crash mid-write
/// leaves the old history): run off the UI thread by the effects runner.
pub fn save(path: &Path, lines: &[String]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        crate::config::private::create_dir(dir)?;
    }
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    let mut f = crate::config::private::create_file(&tmp)?;
    for line in lines {
        writeln!(f, "{line}")?;
    }
    f.sync_all()?;
    drop(f);
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_last_hundred_across_a_save_and_a_load() {
        let dir = tempfile::tempdir().unwrap();
        let path = History::path_in(dir.path());
        let mut h = History::load(path.clone());
        assert!(h.is_empty());
        let mut last = None;
        for n in 0..130 {
            last = h.push(&format!("find rule {n}"));
        }
        h.push("find rule 129");
        assert_eq!(h.len(), KEEP);
        let Some(crate::tui::effects::Effect::SaveCommands { path: p, lines }) = last else {
            panic!("no save asked for");
        };
        save(&p, &lines).unwrap();
        let again = History::load(path);
        assert_eq!(again.len(), KEEP);
        assert_eq!(again.back(0), Some("find rule 129"));
        assert_eq!(again.back(99), Some("find rule 30"));
        assert_eq!(again.back(100), None);
    }

    #[test]
    fn a_huge_or_garbled_file_is_read_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let path = History::path_in(dir.path());
        let mut junk = vec![0xffu8; 10];
        junk.extend(std::iter::repeat_n(b'x', 1_000_000));
        junk.extend(b"\nreload\n");
        std::fs::write(&path, junk).unwrap();
        let h = History::load(path);
        // The megabyte line is over the limit, and "reload" lies past the bytes read.
        assert!(h.is_empty());
    }
}
