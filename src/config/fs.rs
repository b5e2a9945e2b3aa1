//! File plumbing shared by config.toml and secrets.toml: reading text that may not exist yet,
//! and replacing a file atomically so a crash or a full disk never leaves half a file behind.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use super::ConfigError;
use super::error::line_col;

/// The file's text, or `None` when it does not exist (a fresh install).
pub(crate) fn read_optional(path: &Path) -> Result<Option<String>, ConfigError> {
    let bytes = match fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(ConfigError::Read {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    String::from_utf8(bytes).map(Some).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        // The valid prefix is text, so line_col can place the first bad byte.
        let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
        let (line, column) = line_col(&prefix, prefix.len()).unzip();
        ConfigError::Syntax {
            path: path.to_path_buf(),
            line,
            column,
            message: "the file is not UTF-8 text".to_string(),
            hint: Some("re-save it as UTF-8".to_string()),
        }
    })
}

/// Creates `dir` and its missing parents. On Unix the directories created are owner-only: the
/// config directory holds secrets.toml.
pub(crate) fn create_dir(dir: &Path) -> Result<(), ConfigError> {
    super::private::create_dir(dir).map_err(|source| ConfigError::Write {
        path: dir.to_path_buf(),
        source,
    })
}

/// Refuses a config directory others can write to: they could replace config.toml (sending
/// zscore and its secrets to another server) or secrets.toml.
pub(crate) fn check_config_dir(dir: &Path) -> Result<(), ConfigError> {
    match super::private::writable_by_others(dir) {
        Ok(None) => Ok(()),
        Ok(Some(mode)) => Err(ConfigError::InsecureDir {
            path: dir.to_path_buf(),
            mode,
        }),
        Err(source) => Err(ConfigError::Read {
            path: dir.to_path_buf(),
            source,
        }),
    }
}

/// Replaces `path` with `contents`: written to a new temporary file beside it, flushed to disk,
/// then renamed over it. `mode` (Unix) is given to the temporary file when it is created, so the
/// contents are never visible with wider permissions, not even for an instant.
pub(crate) fn write_atomic(path: &Path, contents: &[u8], mode: u32) -> Result<(), ConfigError> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    create_dir(dir)?;
    let write_err = |source| ConfigError::Write {
        path: path.to_path_buf(),
        source,
    };
    let (tmp, mut file) = create_temp(path, mode).map_err(write_err)?;
    let result = file
        .write_all(contents)
        .and_then(|()| file.sync_all())
        .and_then(|()| {
            drop(file);
            fs::rename(&tmp, path)
        });
    if let Err(source) = result {
        let _ = fs::remove_file(&tmp);
        return Err(write_err(source));
    }
    // Makes the rename itself durable. Best effort: not every filesystem lets a directory be
    // opened and synced, and the data is already safe in one file or the other.
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

fn create_temp(path: &Path, mode: u32) -> io::Result<(PathBuf, File)> {
    // Unique per process and per call, so concurrent writers never share a temporary file;
    // `create_new` makes a stale leftover from a crashed run a retry, not a clobber.
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "zscore".to_string());
    let mut last = None;
    for _ in 0..64 {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = path.with_file_name(format!(".{name}.tmp.{}.{n}", std::process::id()));
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(mode);
        }
        #[cfg(not(unix))]
        let _ = mode;
        match options.open(&tmp) {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| io::Error::other("no free temporary file name")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_and_leaves_no_temporary_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("deep/er/f.toml");
        write_atomic(&path, b"one", 0o644).unwrap();
        write_atomic(&path, b"two", 0o644).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "two");
        let names: Vec<_> = fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("f.toml")]);
    }

    #[test]
    fn missing_file_reads_as_none_and_bad_utf8_is_placed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.toml");
        assert!(read_optional(&path).unwrap().is_none());
        fs::write(&path, b"a = 1\nb = \"\xff\"\n").unwrap();
        let err = read_optional(&path).unwrap_err().to_string();
        assert!(err.contains("line 2, column 6"), "{err}");
        assert!(err.contains("UTF-8"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn created_directories_are_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("conf");
        create_dir(&sub).unwrap();
        let mode = fs::metadata(&sub).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700);
    }
}
