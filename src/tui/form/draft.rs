//! Drafts: the open form written to the data directory on every change, so a crash, a killed
//! process or a dropped SSH session loses nothing. One file per org connection (profile or
//! sandbox address), written atomically (temp file, fsync, rename) so a kill mid-write leaves
//! the previous draft, never half of one. A draft is removed only after a successful save or an
//! explicit discard; a file that cannot be read is renamed aside, never fatal.
//!
//! An fsync costs milliseconds, too much for every keystroke on the event loop, so writes go to
//! a `DraftWriter` thread. Each request carries the whole state, so the thread only performs
//! the latest one pending: a burst of typing costs one write, and the order is kept.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::model::FormData;
use crate::domain::Id;
use crate::domain::rule::ScoringRule;

const VERSION: u32 = 1;

/// Everything needed to reopen the form as it was.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub version: u32,
    pub module: String,
    pub layout: Option<Id>,
    /// The rule as loaded (its `modified_time` included) when editing; `None` for a new rule.
    pub base: Option<ScoringRule>,
    pub data: FormData,
    /// RFC 3339, for the restore dialog. `DraftWriter::write` stamps it as the draft leaves for
    /// the disk: `App::update` makes drafts and reads no clock, so until then it is empty.
    pub saved_at: String,
}

impl Draft {
    pub fn new(
        module: &str,
        layout: Option<&Id>,
        base: Option<&ScoringRule>,
        data: &FormData,
    ) -> Draft {
        Draft {
            version: VERSION,
            module: module.to_string(),
            layout: layout.cloned(),
            base: base.cloned(),
            data: data.clone(),
            saved_at: String::new(),
        }
    }

    /// "a new rule in Leads" / "changes to “Enterprise Fit”".
    pub fn describe(&self) -> String {
        match &self.base {
            Some(b) => format!("changes to “{}”", crate::display::sanitize(&b.name)),
            None => format!("a new rule in {}", crate::display::sanitize(&self.module)),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DraftError {
    #[error("cannot read the draft {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the draft {path} is damaged ({reason})")]
    Corrupt { path: PathBuf, reason: String },
}

/// Where one connection's draft lives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DraftStore {
    path: PathBuf,
}

impl DraftStore {
    /// The draft of connection `key` under `data_dir/drafts/`. The key becomes a file name, so
    /// anything but letters, digits, `-` and `.` is replaced.
    pub fn new(data_dir: &Path, key: &str) -> DraftStore {
        let safe: String = key
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        DraftStore {
            path: data_dir.join("drafts").join(format!("{safe}.json")),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn save(&self, draft: &Draft) -> std::io::Result<()> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        crate::config::private::create_dir(dir)?;
        let json = serde_json::to_vec_pretty(draft).map_err(std::io::Error::other)?;
        let tmp = self
            .path
            .with_extension(format!("tmp-{}", std::process::id()));
        let mut f = crate::config::private::create_file(&tmp)?;
        f.write_all(&json)?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, &self.path)
    }

    pub fn load(&self) -> Result<Option<Draft>, DraftError> {
        let bytes = match std::fs::read(&self.path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => {
                return Err(DraftError::Io {
                    path: self.path.clone(),
                    source,
                });
            }
        };
        let corrupt = |reason: String| DraftError::Corrupt {
            path: self.path.clone(),
            reason,
        };
        let draft: Draft = serde_json::from_slice(&bytes).map_err(|e| corrupt(e.to_string()))?;
        if draft.version != VERSION {
            return Err(corrupt(format!("unknown version {}", draft.version)));
        }
        Ok(Some(draft))
    }

    pub fn discard(&self) -> std::io::Result<()> {
        match std::fs::remove_file(&self.path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    /// Renames an unreadable draft out of the way (kept for a person to look at).
    pub fn set_aside(&self) -> std::io::Result<PathBuf> {
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S");
        let aside = self.path.with_extension(format!("corrupt-{stamp}.json"));
        std::fs::rename(&self.path, &aside)?;
        Ok(aside)
    }
}

enum Job {
    Write(Box<Draft>),
    Remove,
}

/// Writes (or removes) the draft on its own thread, latest request wins. Dropping it waits for
/// the pending request, so quitting never loses the last keystrokes.
pub struct DraftWriter {
    path: PathBuf,
    tx: Option<std::sync::mpsc::Sender<Job>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl DraftWriter {
    /// `failed` hears about every write or removal that did not happen (with the file and why).
    pub fn spawn(store: DraftStore, failed: impl Fn(String) + Send + 'static) -> DraftWriter {
        let (tx, rx) = std::sync::mpsc::channel::<Job>();
        let path = store.path.clone();
        let thread = std::thread::spawn(move || {
            while let Ok(mut job) = rx.recv() {
                while let Ok(newer) = rx.try_recv() {
                    job = newer;
                }
                let (what, outcome) = match job {
                    Job::Write(d) => ("write", store.save(&d)),
                    Job::Remove => ("remove", store.discard()),
                };
                if let Err(e) = outcome {
                    failed(format!(
                        "cannot {what} the draft {}: {e}",
                        store.path().display()
                    ));
                }
            }
        });
        DraftWriter {
            path,
            tx: Some(tx),
            thread: Some(thread),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Sends `draft` to the disk, stamped with the time now (the event loop calls this when it
    /// runs the app's `Effect::WriteDraft`).
    pub fn write(&self, mut draft: Box<Draft>) {
        draft.saved_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        self.send(Job::Write(draft));
    }

    pub fn remove(&self) {
        self.send(Job::Remove);
    }

    fn send(&self, job: Job) {
        if let Some(tx) = &self.tx {
            // The thread only ends when this sender is dropped, so sending cannot fail.
            let _ = tx.send(job);
        }
    }
}

impl Drop for DraftWriter {
    fn drop(&mut self) {
        self.tx = None;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// What the TUI finds at start.
#[derive(Clone, Debug, PartialEq)]
pub enum Startup {
    Nothing,
    /// Offer to restore it.
    Offer(Box<Draft>),
    /// A notice: the draft could not be read (and where it was put).
    Unreadable(String),
}

/// Looks for a draft left behind; an unreadable one is set aside and reported.
pub fn startup(store: &DraftStore) -> Startup {
    match store.load() {
        Ok(None) => Startup::Nothing,
        Ok(Some(d)) => Startup::Offer(Box::new(d)),
        Err(e @ DraftError::Corrupt { .. }) => match store.set_aside() {
            Ok(aside) => Startup::Unreadable(format!(
                "{e}; it was moved to {} and nothing was restored",
                aside.display()
            )),
            Err(io) => Startup::Unreadable(format!("{e}; it could not be moved aside: {io}")),
        },
        Err(e) => Startup::Unreadable(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> Draft {
        let mut data = FormData::new_rule();
        data.name = "Half typed".into();
        Draft::new("Leads", None, None, &data)
    }

    #[test]
    fn a_saved_draft_loads_back_and_discard_removes_it() {
        let dir = tempfile::tempdir().unwrap();
        let store = DraftStore::new(dir.path(), "sandbox-127.0.0.1:7878");
        assert_eq!(startup(&store), Startup::Nothing);
        let d = draft();
        store.save(&d).unwrap();
        assert!(store.path().ends_with("drafts/sandbox-127.0.0.1_7878.json"));
        assert_eq!(startup(&store), Startup::Offer(Box::new(d)));
        store.discard().unwrap();
        assert_eq!(store.load().unwrap(), None);
        store.discard().unwrap();
    }

    #[test]
    fn the_writer_leaves_the_latest_request_on_disk_when_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let store = DraftStore::new(dir.path(), "k");
        let writer = DraftWriter::spawn(store.clone(), |e| panic!("{e}"));
        let mut d = draft();
        for n in 0..50 {
            d.data.name = format!("name {n}");
            writer.write(Box::new(d.clone()));
        }
        drop(writer);
        let written = store.load().unwrap().unwrap();
        assert_eq!(written.data.name, "name 49");
        assert!(
            chrono::DateTime::parse_from_rfc3339(&written.saved_at).is_ok(),
            "stamped on its way to the disk: {:?}",
            written.saved_at
        );

        let writer = DraftWriter::spawn(store.clone(), |e| panic!("{e}"));
        writer.write(Box::new(d));
        writer.remove();
        drop(writer);
        assert_eq!(store.load().unwrap(), None);
    }

    #[test]
    fn a_draft_made_by_the_app_carries_no_clock_reading() {
        assert_eq!(draft().saved_at, "");
        assert_eq!(draft(), draft());
    }

    #[test]
    fn a_write_that_fails_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        // The drafts directory cannot be created: a file is in its way.
        std::fs::write(dir.path().join("drafts"), b"").unwrap();
        let store = DraftStore::new(dir.path(), "k");
        let (tx, rx) = std::sync::mpsc::channel();
        let writer = DraftWriter::spawn(store, move |e| {
            let _ = tx.send(e);
        });
        writer.write(Box::new(draft()));
        drop(writer);
        let e = rx.recv().unwrap();
        assert!(
            e.starts_with("cannot write the draft") && e.contains("drafts"),
            "{e}"
        );
    }

    #[test]
    fn a_corrupt_draft_is_set_aside_with_a_notice() {
        let dir = tempfile::tempdir().unwrap();
        let store = DraftStore::new(dir.path(), "profile-prod");
        std::fs::create_dir_all(store.path().parent().unwrap()).unwrap();
        std::fs::write(store.path(), b"{\"version\": 1, \"modu").unwrap();
        let Startup::Unreadable(text) = startup(&store) else {
            panic!("expected a notice");
        };
        assert!(
            text.contains("damaged") && text.contains("moved to"),
            "{text}"
        );
        assert!(!store.path().exists());
        let aside: Vec<_> = std::fs::read_dir(store.path().parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
        assert!(aside.iter().any(|n| n.contains("corrupt")), "{aside:?}");
        assert_eq!(startup(&store), Startup::Nothing);
    }
}
