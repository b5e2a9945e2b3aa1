//! Files only their owner may read or write: the config and data directories (created 0700)
//! and everything zscore puts in them (0600): secrets and profiles, the log, the change journal,
//! form drafts, and a sandbox's state file. The log and the journal name rules and orgs; drafts
//! hold unsaved work; none of it is anyone else's business.
//!
//! Modes are given when a file is created, so its contents are never visible with wider
//! permissions, not even for an instant; a file an older zscore left wider is narrowed when
//! opened. Directories are made owner-only only when zscore creates them: an existing one is
//! the user's choice, except that a config directory others can write to is refused (see
//! `check_dir`), since whoever can write there can swap the profiles zscore trusts.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::Path;

/// Creates `dir` and its missing parents, owner-only (Unix).
pub fn create_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// Opens `path` for appending, creating it (and its directory) owner-only; an existing file
/// readable or writable by others is narrowed to 0600.
pub fn open_append(path: &Path) -> io::Result<File> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        create_dir(dir)?;
    }
    let mut options = OpenOptions::new();
    options.create(true).append(true);
    owner_only(&mut options);
    let file = options.open(path)?;
    narrow(&file)?;
    Ok(file)
}

/// Creates `path` (replacing any file there) owner-only, for writing.
pub fn create_file(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(true);
    owner_only(&mut options);
    let file = options.open(path)?;
    narrow(&file)?;
    Ok(file)
}

/// Creates an empty owner-only file at `path` unless one exists (so a program that creates the
/// file itself, SQLite say, finds it with the right mode).
pub fn touch(path: &Path) -> io::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    owner_only(&mut options);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// The mode of a directory others can write to (group or world), if `dir` is one; `None` when
/// it is not, or does not exist.
pub fn writable_by_others(dir: &Path) -> io::Result<Option<u32>> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        match fs::metadata(dir) {
            Ok(m) => {
                let mode = m.permissions().mode() & 0o7777;
                Ok((mode & 0o022 != 0).then_some(mode))
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(None)
    }
}

#[cfg(unix)]
fn owner_only(options: &mut OpenOptions) {
    use std::os::unix::fs::OpenOptionsExt;
    options.mode(0o600);
}

#[cfg(not(unix))]
fn owner_only(_: &mut OpenOptions) {}

/// The mode applies only to a file created now; an existing wider one is narrowed.
#[cfg(unix)]
fn narrow(file: &File) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = file.metadata()?.permissions().mode();
    if mode & 0o077 != 0 {
        file.set_permissions(fs::Permissions::from_mode(mode & 0o700))?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn narrow(_: &File) -> io::Result<()> {
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn mode(p: &Path) -> u32 {
        fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn files_are_created_owner_only_and_wider_ones_narrowed() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("a/b/log");
        drop(open_append(&log).unwrap());
        assert_eq!(mode(&log), 0o600);
        assert_eq!(mode(&dir.path().join("a")), 0o700);
        fs::set_permissions(&log, fs::Permissions::from_mode(0o644)).unwrap();
        drop(open_append(&log).unwrap());
        assert_eq!(mode(&log), 0o600);
        let f = dir.path().join("a/f");
        drop(create_file(&f).unwrap());
        assert_eq!(mode(&f), 0o600);
        let t = dir.path().join("a/t");
        touch(&t).unwrap();
        touch(&t).unwrap();
        assert_eq!(mode(&t), 0o600);
    }

    #[test]
    fn a_directory_others_can_write_is_told_apart() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().join("c");
        assert_eq!(writable_by_others(&d).unwrap(), None);
        create_dir(&d).unwrap();
        assert_eq!(writable_by_others(&d).unwrap(), None);
        fs::set_permissions(&d, fs::Permissions::from_mode(0o777)).unwrap();
        assert_eq!(writable_by_others(&d).unwrap(), Some(0o777));
        fs::set_permissions(&d, fs::Permissions::from_mode(0o755)).unwrap();
        assert_eq!(writable_by_others(&d).unwrap(), None);
    }
}
