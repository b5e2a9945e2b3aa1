//! Reading an export directory back: `DIR/<module>/<layout>/*.json` plus the sidecar.
//!
//! Only the org-independent checks happen here (JSON shape, directory agreement, names unique
//! in the set); whether the module, layout, fields and signals exist is for `plan`, against the
//! target org. Hidden entries (`.git`, `.DS_Store`) and files that are not `.json` are skipped,
//! so the directory can be a repository with a README; a `.json` file anywhere but in a layout
//! directory is an error, since it was surely meant as a rule.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::error::Category;

use super::error::TransferError;
use super::export::ExportFile;
use super::format::{RuleFile, SIDECAR, Sidecar};
use super::names::ALL_LAYOUTS;
use super::normal::label_key;
use crate::display::quote;

/// Largest rule file read. The biggest rule Zoho allows is far smaller; this only keeps a
/// mistaken `DIR` (a disk image, a log) from being loaded whole.
const MAX_FILE_BYTES: u64 = 16 << 20;

/// One rule file as read.
#[derive(Clone, Debug, PartialEq)]
pub struct FileRule {
    /// `Leads/Standard/Hot web leads.json`.
    pub rel_path: String,
    /// The module directory: the module's api_name.
    pub module_dir: String,
    /// The layout directory: a layout api_name or `_all`; resolved against the org by `plan`.
    pub layout_dir: String,
    pub rule: RuleFile,
}

/// An export directory as read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ExportSet {
    /// Sorted by `rel_path`.
    pub rules: Vec<FileRule>,
    /// Every module directory, also those without files, sorted.
    pub modules: Vec<String>,
    /// Every (module directory, layout directory), also those without files, sorted: the
    /// places whose org rules without a file `import --prune` deletes.
    pub layouts: Vec<(String, String)>,
    /// The sidecar; empty when there is none.
    pub ids: Sidecar,
}

impl ExportSet {
    /// Reads files held in memory (`export`'s output, say) as `read_dir` reads a directory.
    /// Module directories are those the files' paths name.
    pub fn from_files(files: &[ExportFile]) -> Result<ExportSet, TransferError> {
        let mut raw = Raw::default();
        let mut errs = Vec::new();
        for f in files {
            let parts: Vec<&str> = f.rel_path.split('/').collect();
            if parts.iter().any(|p| p.starts_with('.')) && f.rel_path != SIDECAR {
                continue;
            }
            match parts.as_slice() {
                [name] if *name == SIDECAR => raw.sidecar = Some(f.contents.clone()),
                [m, l, name] if is_json(name) => {
                    raw.add_module(m);
                    raw.add_layout(m, l);
                    raw.files.push((
                        (*m).to_string(),
                        (*l).to_string(),
                        f.rel_path.clone(),
                        f.contents.clone(),
                    ));
                }
                _ if is_json(&f.rel_path) => errs.push(misplaced(&f.rel_path)),
                _ => {}
            }
        }
        TransferError::collect(errs)?;
        raw.parse()
    }
}

/// What the walk does with a symbolic link that resolves outside the directory.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Links {
    /// Refused, naming its target: an export directory from elsewhere (a cloned repository, an
    /// archive) must not make zscore read other files of this machine.
    #[default]
    StayInside,
    /// Followed (`import --follow-links`); the files they reach are still read as rule files
    /// only if they are regular files of a bounded size.
    Follow,
}

/// Reads an export directory. Every problem found is reported, each naming its file and, inside
/// it, the JSON path. Links leading out of `dir` are refused.
pub fn read_dir(dir: &Path) -> Result<ExportSet, TransferError> {
    read_dir_with(dir, Links::StayInside)
}

/// `read_dir`, with the choice of following links that lead out of `dir`.
pub fn read_dir_with(dir: &Path, links: Links) -> Result<ExportSet, TransferError> {
    let mut raw = Raw::default();
    let mut errs = Vec::new();
    let walk = Walk {
        root: fs::canonicalize(dir).map_err(|source| TransferError::Io {
            place: dir.display().to_string(),
            source,
        })?,
        links,
    };
    for (name, is_dir) in walk.entries(dir, "", &mut errs)? {
        if name == SIDECAR && !is_dir {
            match read_text(&dir.join(&name), &name) {
                Ok(text) => raw.sidecar = Some(text),
                Err(e) => errs.push(e),
            }
        } else if name.starts_with('.') {
            continue;
        } else if !is_dir {
            if is_json(&name) {
                errs.push(misplaced(&name));
            }
        } else {
            raw.add_module(&name);
            let module_dir = dir.join(&name);
            for (layout, is_dir) in walk.entries(&module_dir, &format!("{name}/"), &mut errs)? {
                let rel = format!("{name}/{layout}");
                if layout.starts_with('.') {
                    continue;
                } else if !is_dir {
                    if is_json(&layout) {
                        errs.push(misplaced(&rel));
                    }
                    continue;
                }
                raw.add_layout(&name, &layout);
                let layout_path = module_dir.join(&layout);
                for (file, is_dir) in walk.entries(&layout_path, &format!("{rel}/"), &mut errs)? {
                    let rel_file = format!("{rel}/{file}");
                    if file.starts_with('.') {
                        continue;
                    } else if is_dir {
                        errs.push(TransferError::invalid(
                            format!("{rel_file}/"),
                            "",
                            "unexpected directory: rule files are DIR/<module>/<layout>/<name>.json",
                        ));
                    } else if is_json(&file) {
                        match read_text(&layout_path.join(&file), &rel_file) {
                            Ok(text) => {
                                raw.files
                                    .push((name.clone(), layout.clone(), rel_file, text))
                            }
                            Err(e) => errs.push(e),
                        }
                    }
                }
            }
        }
    }
    TransferError::collect(errs)?;
    raw.parse()
}

/// Texts gathered from a directory or from memory, before parsing.
#[derive(Default)]
struct Raw {
    modules: Vec<String>,
    layouts: Vec<(String, String)>,
    /// (module dir, layout dir, rel path, text)
    files: Vec<(String, String, String, String)>,
    sidecar: Option<String>,
}

impl Raw {
    fn add_module(&mut self, m: &str) {
        if !self.modules.iter().any(|x| x == m) {
            self.modules.push(m.to_string());
        }
    }

    fn add_layout(&mut self, m: &str, l: &str) {
        if !self.layouts.iter().any(|(a, b)| a == m && b == l) {
            self.layouts.push((m.to_string(), l.to_string()));
        }
    }

    fn parse(mut self) -> Result<ExportSet, TransferError> {
        let mut errs = Vec::new();
        let mut rules = Vec::with_capacity(self.files.len());
        self.files.sort_by(|a, b| a.2.cmp(&b.2));
        for (module_dir, layout_dir, rel_path, text) in self.files {
            match parse_rule(&rel_path, &module_dir, &layout_dir, &text) {
                Ok(rule) => rules.push(FileRule {
                    rel_path,
                    module_dir,
                    layout_dir,
                    rule,
                }),
                Err(e) => errs.push(e),
            }
        }
        errs.extend(duplicate_names(&rules));
        let ids = match &self.sidecar {
            None => Sidecar::new(),
            Some(text) => parse_json::<Sidecar>(SIDECAR, text).unwrap_or_else(|e| {
                errs.push(e);
                Sidecar::new()
            }),
        };
        TransferError::collect(errs)?;
        self.modules.sort();
        self.layouts.sort();
        Ok(ExportSet {
            rules,
            modules: self.modules,
            layouts: self.layouts,
            ids,
        })
    }
}

/// Parses one rule file and checks that it sits where its module and layout say.
pub fn parse_rule(
    rel_path: &str,
    module_dir: &str,
    layout_dir: &str,
    text: &str,
) -> Result<RuleFile, TransferError> {
    let mut rule: RuleFile = parse_json(rel_path, text)?;
    if rule.description.as_deref() == Some("") {
        rule.description = None;
    }
    if rule.module != module_dir {
        return Err(TransferError::invalid(
            rel_path,
            "module",
            format!(
                "{} does not match the directory: the file is in {module_dir}/",
                quote(&rule.module)
            ),
        ));
    }
    let expected = (layout_dir != ALL_LAYOUTS).then_some(layout_dir);
    if rule.layout.as_deref() != expected {
        let said = rule
            .layout
            .as_deref()
            .map_or("null (every layout)".into(), quote);
        return Err(TransferError::invalid(
            rel_path,
            "layout",
            format!(
                "{said} does not match the directory: the file is in {module_dir}/{layout_dir}/ \
                 (rules for every layout go in {module_dir}/{ALL_LAYOUTS}/ with \"layout\": null)"
            ),
        ));
    }
    Ok(rule)
}

/// JSON text → `T`, with errors naming the path inside the file and the line.
pub(super) fn parse_json<T: serde::de::DeserializeOwned>(
    place: &str,
    text: &str,
) -> Result<T, TransferError> {
    parse_json_opening(place, text, '{', "a JSON object")
}

/// `parse_json` for a text that must open with `opening`, `what` naming it in errors: a list
/// of rules (`[`) where an edit holds several.
pub(super) fn parse_json_opening<T: serde::de::DeserializeOwned>(
    place: &str,
    text: &str,
    opening: char,
    what: &str,
) -> Result<T, TransferError> {
    // Editors on Windows may start a file with a byte order mark, which JSON does not allow.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(TransferError::Parse {
            place: place.to_string(),
            path: String::new(),
            message: format!("the file is empty; expected {what}"),
            line: 0,
            column: 0,
        });
    }
    // Serde would read a struct from an array too (its fields by position), which no one
    // writes on purpose and which makes for baffling messages.
    if !text.trim_start().starts_with(opening) {
        return Err(TransferError::Parse {
            place: place.to_string(),
            path: String::new(),
            message: format!("expected {what}"),
            line: 1,
            column: 1,
        });
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let inner = e.inner();
        // A syntax error has no meaningful path (it may stop inside a key, shown as `?`); the
        // line and column say where it is.
        let path = match inner.classify() {
            Category::Syntax | Category::Eof => String::new(),
            _ => e.path().to_string(),
        };
        let path = if path == "." { String::new() } else { path };
        json_error(place, path, inner)
    })?;
    de.end().map_err(|e| json_error(place, String::new(), &e))?;
    Ok(value)
}

pub(super) fn json_error(place: &str, path: String, e: &serde_json::Error) -> TransferError {
    let full = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let message = full.strip_suffix(&suffix).unwrap_or(&full).to_string();
    TransferError::Parse {
        place: place.to_string(),
        path,
        message,
        line: e.line(),
        column: e.column(),
    }
}

/// Names are unique in an org ignoring case and surrounding spaces, so two files naming the
/// same rule cannot both be imported.
fn duplicate_names(rules: &[FileRule]) -> Vec<TransferError> {
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    let mut errs = Vec::new();
    for r in rules {
        let key = label_key(&r.rule.name);
        match seen.get(&key) {
            Some(first) => errs.push(TransferError::invalid(
                &r.rel_path,
                "name",
                format!(
                    "{} is also the rule in {first}; rule names are unique in an org, ignoring case",
                    quote(&r.rule.name)
                ),
            )),
            None => {
                seen.insert(key, &r.rel_path);
            }
        }
    }
    errs
}

fn is_json(name: &str) -> bool {
    Path::new(name)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
}

fn misplaced(rel: &str) -> TransferError {
    TransferError::invalid(
        rel,
        "",
        format!(
            "a rule file belongs in <module>/<layout api_name or {ALL_LAYOUTS}>/; this one is not read"
        ),
    )
}

/// The directory being read, resolved, and what to do with links that leave it.
struct Walk {
    root: PathBuf,
    links: Links,
}

impl Walk {
    /// A directory's entries as (name, is a directory), sorted by name. `rel` is how errors
    /// name the directory. Hidden entries are listed unexamined (every caller skips them), the
    /// sidecar excepted; a link leading out of the directory is left out and reported in
    /// `errs`, naming its target.
    fn entries(
        &self,
        dir: &Path,
        rel: &str,
        errs: &mut Vec<TransferError>,
    ) -> Result<Vec<(String, bool)>, TransferError> {
        let place = if rel.is_empty() {
            dir.display().to_string()
        } else {
            rel.to_string()
        };
        let io = |source| TransferError::Io {
            place: place.clone(),
            source,
        };
        let mut out = Vec::new();
        for entry in fs::read_dir(dir).map_err(io)? {
            let entry = entry.map_err(io)?;
            let name = entry.file_name().into_string().map_err(|raw| {
                TransferError::invalid(
                    format!("{rel}{}", raw.to_string_lossy()),
                    "",
                    "the name is not valid UTF-8",
                )
            })?;
            if name.starts_with('.') && name != SIDECAR {
                out.push((name, false));
                continue;
            }
            let place = format!("{rel}{name}");
            let path = entry.path();
            let entry_io = |source| TransferError::Io {
                place: place.clone(),
                source,
            };
            if entry.file_type().map_err(entry_io)?.is_symlink() {
                let target = fs::canonicalize(&path).map_err(entry_io)?;
                if self.links == Links::StayInside && !target.starts_with(&self.root) {
                    errs.push(TransferError::invalid(
                        &place,
                        "",
                        format!(
                            "a symbolic link to {}, outside the directory; not read \
                             (--follow-links reads it)",
                            target.display()
                        ),
                    ));
                    continue;
                }
            }
            // Follows links (inside the directory, or any with `Links::Follow`), so a linked
            // module or layout directory is read like a real one; the walk is three levels
            // deep, so a link cycle cannot trap it.
            let meta = fs::metadata(&path).map_err(entry_io)?;
            out.push((name, meta.is_dir()));
        }
        out.sort();
        Ok(out)
    }
}

/// A rule file or the sidecar: a regular file (a device, a FIFO or a socket is refused without
/// being opened for a blocking read) of at most `MAX_FILE_BYTES`, read no further than that.
pub(super) fn read_text(path: &Path, rel: &str) -> Result<String, TransferError> {
    use crate::files::{ReadError, read_text_limited};
    read_text_limited(path, MAX_FILE_BYTES).map_err(|e| match e {
        ReadError::Io(source) => TransferError::Io {
            place: rel.to_string(),
            source,
        },
        ReadError::TooLarge { limit } => TransferError::invalid(
            rel,
            "",
            format!("larger than {limit} bytes, too large for a rule file; not read"),
        ),
        other => TransferError::invalid(rel, "", other.to_string()),
    })
}
