//! One rule read from one file, for the commands that take a rule file (`preview --file`):
//! the export format (`zscore export`'s files, everything named by api_name) or the API's own
//! rule JSON (a rule object, or `{"scoring_rules": [rule]}`), with or without ids. Names are
//! resolved against the target org, so an API rule written by hand may leave out the layout's
//! and the signals' ids. Every error names the file and the JSON path inside it.

use std::path::Path;

use serde_json::Value;

use super::error::TransferError;
use super::format::RuleFile;
use super::names::ALL_LAYOUTS;
use super::normal::label_key;
use super::read::{FileRule, json_error, parse_json, read_text};
use super::resolve::resolve;
use crate::display::quote;
use crate::domain::{OrgSnapshot, ScoringRule, find_layout};

/// Reads the rule file at `path` against `target`.
pub fn read_rule_file(path: &Path, target: &OrgSnapshot) -> Result<ScoringRule, TransferError> {
    let place = path.display().to_string();
    let text = read_text(path, &place)?;
    read_rule(&place, &text, target)
}

/// A rule file's text (`place` names it in errors) as a rule of `target`. A rule in the export
/// format, which carries no id, is the org rule of the same name in its module when there is
/// one (as `import` matches files without its sidecar), else a new rule; an API rule keeps the
/// id it gives.
pub fn read_rule(
    place: &str,
    text: &str,
    target: &OrgSnapshot,
) -> Result<ScoringRule, TransferError> {
    let whole: Value = parse_json(place, text)?;
    let (item, prefix) = match whole.get("scoring_rules") {
        Some(Value::Array(list)) if list.len() == 1 => (list[0].clone(), "scoring_rules[0]."),
        Some(Value::Array(list)) => {
            return Err(TransferError::invalid(
                place,
                "scoring_rules",
                format!("holds {} rules; one is expected", list.len()),
            ));
        }
        Some(_) => {
            return Err(TransferError::invalid(
                place,
                "scoring_rules",
                "expected a list of one rule",
            ));
        }
        None => (whole, ""),
    };
    if item.get("module").is_some_and(Value::is_string) {
        export_format(place, prefix, item, target)
    } else {
        api_format(place, prefix, item, target)
    }
}

/// `T` from `v`, an error naming the JSON path (after `prefix`) otherwise.
fn from_value<T: serde::de::DeserializeOwned>(
    place: &str,
    prefix: &str,
    v: Value,
) -> Result<T, TransferError> {
    serde_path_to_error::deserialize(v).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." { String::new() } else { path };
        let path = format!("{prefix}{path}").trim_end_matches('.').to_string();
        match json_error(place, path, e.inner()) {
            TransferError::Parse {
                place,
                path,
                message,
                ..
            } => TransferError::invalid(place, path, message),
            other => other,
        }
    })
}

fn export_format(
    place: &str,
    prefix: &str,
    item: Value,
    target: &OrgSnapshot,
) -> Result<ScoringRule, TransferError> {
    let rule: RuleFile = from_value(place, prefix, item)?;
    let at = |key: &str| format!("{prefix}{key}");
    let schema = target.module(&rule.module).ok_or_else(|| {
        TransferError::invalid(
            place,
            at("module"),
            format!("no module {} in this org", quote(&rule.module)),
        )
    })?;
    let layout_dir = match &rule.layout {
        None => ALL_LAYOUTS.to_string(),
        Some(name) => find_layout(&schema.layouts, &rule.module, name)
            .map_err(|m| TransferError::invalid(place, at("layout"), m))?
            .api_name()
            .to_string(),
    };
    let file = FileRule {
        rel_path: place.to_string(),
        module_dir: rule.module.clone(),
        layout_dir,
        rule,
    };
    let mut resolved = resolve(&file, schema, target)
        .map_err(|errs| match TransferError::collect(errs) {
            Err(e) => e,
            Ok(()) => TransferError::invalid(place, "", "the rule could not be resolved"),
        })?
        .rule;
    let key = label_key(&resolved.name);
    resolved.id = target
        .rules_of(&schema.module.api_name)
        .find(|r| label_key(&r.name) == key)
        .and_then(|r| r.id.clone());
    Ok(resolved)
}

/// The API's rule JSON; a layout named without its id gets it from the org (by id, API name
/// or label), and so does a signal named by its namespace alone.
fn api_format(
    place: &str,
    prefix: &str,
    mut item: Value,
    target: &OrgSnapshot,
) -> Result<ScoringRule, TransferError> {
    let module = item
        .pointer("/module/api_name")
        .and_then(Value::as_str)
        .map(str::to_string);
    if let (Some(module), Some(layout)) = (&module, item.get_mut("layout")) {
        let name = match layout {
            Value::String(s) => Some(s.clone()),
            Value::Object(o) if !o.contains_key("id") => ["api_name", "display_label", "name"]
                .iter()
                .find_map(|k| o.get(*k).and_then(Value::as_str))
                .map(str::to_string),
            _ => None,
        };
        if let Some(name) = name {
            let schema = target.module(module).ok_or_else(|| {
                TransferError::invalid(
                    place,
                    format!("{prefix}module.api_name"),
                    format!("no module {} in this org", quote(module)),
                )
            })?;
            let found = find_layout(&schema.layouts, module, &name)
                .map_err(|m| TransferError::invalid(place, format!("{prefix}layout"), m))?;
            *layout = serde_json::json!({"id": found.id, "api_name": found.api_name()});
        }
    }
    if let Some(Value::Array(signals)) = item.get_mut("signal_rules") {
        for (i, sr) in signals.iter_mut().enumerate() {
            let Some(signal) = sr.get_mut("signal").and_then(Value::as_object_mut) else {
                continue;
            };
            if signal.contains_key("id") {
                continue;
            }
            let Some(namespace) = signal.get("namespace").and_then(Value::as_str) else {
                continue;
            };
            let found = target
                .signals
                .iter()
                .find(|s| s.namespace == namespace)
                .ok_or_else(|| {
                    TransferError::invalid(
                        place,
                        format!("{prefix}signal_rules[{i}].signal.namespace"),
                        format!("no signal {} in this org", quote(namespace)),
                    )
                })?;
            signal.insert("id".into(), Value::String(found.id.to_string()));
        }
    }
    from_value(place, prefix, item)
}
