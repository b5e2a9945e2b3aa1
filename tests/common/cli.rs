//! Running the real binary from a CLI test: its output as text, an export to edit, rule files
//! read and written as JSON.

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

/// Bytes the binary printed, as text (lossy: a test asserts on what a user would read).
pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

pub fn stdout(o: &Output) -> String {
    text(&o.stdout)
}

pub fn stderr(o: &Output) -> String {
    text(&o.stderr)
}

/// `zscore export --out HOME/rules` (of `module` alone when given) against `url`, which must
/// succeed; the directory it wrote.
pub async fn export_to_home(url: &str, home: &Path, module: Option<&str>) -> PathBuf {
    let dir = home.join("rules");
    let mut args = vec!["export", "--out", dir.to_str().unwrap()];
    if let Some(m) = module {
        args.extend(["--module", m]);
    }
    let out = super::run_cli(url, home, &args).await;
    assert!(out.status.success(), "{}", stderr(&out));
    dir
}

/// A rule file (or any JSON file) as JSON.
pub fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Writes `value` to `path` as a person's editor would leave it: pretty-printed.
pub fn write_json(path: &Path, value: &Value) {
    std::fs::write(path, serde_json::to_string_pretty(value).unwrap()).unwrap();
}
