//! The user's editor, as `git` and `kubectl edit` find it: `$VISUAL`, then `$EDITOR`, then
//! `vi`. The variable may carry arguments (`code --wait`), split at whitespace; the file's path
//! is passed as one argument of its own, never through a shell.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The editor command and its arguments, from `visual` and `editor` (the variables' values).
pub fn command_from(visual: Option<String>, editor: Option<String>) -> Vec<String> {
    [visual, editor]
        .into_iter()
        .flatten()
        .map(|v| v.split_whitespace().map(String::from).collect::<Vec<_>>())
        .find(|words| !words.is_empty())
        .unwrap_or_else(|| vec!["vi".to_string()])
}

/// The editor this process would run.
pub fn command() -> Vec<String> {
    command_from(std::env::var("VISUAL").ok(), std::env::var("EDITOR").ok())
}

/// Opens `path` in the editor on this terminal and waits for it to exit. Err says why the
/// editor could not run or that it failed (the file is left as the editor left it).
pub fn open(path: &Path) -> Result<(), String> {
    let words = command();
    let (program, args) = words.split_first().ok_or("no editor")?;
    let status = Command::new(program)
        .args(args)
        .arg(path)
        .status()
        .map_err(|e| format!("cannot run the editor {program:?}: {e} (set VISUAL or EDITOR)"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("the editor {program:?} exited with {status}"))
    }
}

/// The file the editor opens: owner-only, in the temporary directory, removed when the edit
/// is over unless `keep` (an edit that was not sent stays for the user).
pub struct EditFile {
    pub path: PathBuf,
    pub keep: bool,
}

impl EditFile {
    pub fn create(id: &str, text: &str) -> Result<EditFile, String> {
        let path = std::env::temp_dir().join(format!(
            "zscore-edit-{}-{}.json",
            std::process::id(),
            id.chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
        ));
        let _ = std::fs::remove_file(&path);
        crate::config::private::create_file(&path)
            .and_then(|mut f| f.write_all(text.as_bytes()))
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        Ok(EditFile { path, keep: false })
    }
}

impl Drop for EditFile {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::command_from;

    #[test]
    fn visual_then_editor_then_vi() {
        let s = |v: &str| Some(v.to_string());
        assert_eq!(command_from(s("nvim"), s("nano")), ["nvim"]);
        assert_eq!(command_from(None, s("code --wait")), ["code", "--wait"]);
        assert_eq!(command_from(s("  "), s("nano")), ["nano"]);
        assert_eq!(command_from(None, None), ["vi"]);
    }
}
