//! Writing an export to a directory: the files `export` made from the snapshot, and the old
//! files of the exported modules that no rule wrote removed (a rule deleted from the org must
//! not come back on the next import). The one workflow behind `zscore export` and the TUI's
//! `:export DIR`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::domain::OrgSnapshot;

/// What was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Written {
    /// The rule files, relative to the directory, in order (the sidecar not among them).
    pub rule_files: Vec<String>,
    /// Rules exported.
    pub rules: usize,
    /// Stale files removed.
    pub removed: usize,
}

/// Writes the export of `snapshot` (its `modules`, or all when empty) under `out`, creating
/// directories as needed. The error names the path that could not be written or removed.
pub fn write_export(
    snapshot: &OrgSnapshot,
    modules: &[String],
    out: &Path,
) -> Result<Written, String> {
    let files = super::export(snapshot, modules).map_err(|e| e.to_string())?;
    let written: BTreeSet<PathBuf> = files.iter().map(|f| out.join(&f.rel_path)).collect();
    for f in &files {
        let path = out.join(&f.rel_path);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        std::fs::write(&path, &f.contents)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    let exported: BTreeSet<&str> = snapshot
        .modules
        .iter()
        .map(|m| m.module.api_name.as_str())
        .collect();
    let mut removed = 0;
    for module in exported {
        for stale in json_files(&out.join(module))
            .into_iter()
            .filter(|p| !written.contains(p))
        {
            std::fs::remove_file(&stale)
                .map_err(|e| format!("cannot remove stale {}: {e}", stale.display()))?;
            removed += 1;
        }
    }
    let rule_files = files
        .iter()
        .filter(|f| f.rel_path.ends_with(".json") && !f.rel_path.starts_with('.'))
        .map(|f| f.rel_path.clone())
        .collect();
    Ok(Written {
        rule_files,
        rules: snapshot.rules.len(),
        removed,
    })
}

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(json_files(&p));
        } else if p.extension().is_some_and(|x| x == "json") {
            out.push(p);
        }
    }
    out
}
