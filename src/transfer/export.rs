//! Org rules → files. The same conversion (`to_file`) gives the target side of every
//! comparison in `plan`, so exporting an org and planning against it finds nothing to do.

use std::collections::BTreeMap;

use super::error::TransferError;
use super::format::{
    FileCondition, FileCriteria, FileCustomField, FileFieldRule, FileGroup, FileSignalRule,
    IdEntry, RuleFile, SIDECAR, Sidecar, to_pretty,
};
use super::names::{ALL_LAYOUTS, UniqueNames, file_stem, is_safe_dir_name};
use crate::display::quote;
use crate::domain::metadata::{ModuleSchema, SCORE_FIELDS};
use crate::domain::rule::{Comparator, Criteria, CustomField};
use crate::domain::{OrgSnapshot, ScoringRule};

/// One file to write, at `rel_path` under the export directory (`/`-separated).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportFile {
    /// `Leads/Standard/Hot web leads.json`, or the sidecar `.zscore-ids.json`.
    pub rel_path: String,
    pub contents: String,
}

/// Every rule of `modules` (all modules when empty) as files, plus the sidecar last. Output is
/// sorted by path and byte-for-byte the same for the same snapshot, whatever order the API
/// listed the rules in.
pub fn export(
    snapshot: &OrgSnapshot,
    modules: &[String],
) -> Result<Vec<ExportFile>, TransferError> {
    let mut errs = Vec::new();
    for m in modules {
        if snapshot.module(m).is_none() {
            let known: Vec<&str> = snapshot
                .modules
                .iter()
                .map(|s| s.module.api_name.as_str())
                .collect();
            errs.push(TransferError::invalid(
                format!("module {}", quote(m)),
                "",
                format!("no such module in this org (modules: {})", known.join(", ")),
            ));
        }
    }
    let mut rules: Vec<(&ScoringRule, RuleFile)> = Vec::new();
    for rule in &snapshot.rules {
        if !modules.is_empty() && !modules.contains(&rule.module.api_name) {
            continue;
        }
        match to_file(rule, snapshot).and_then(|f| check_dirs(rule, f)) {
            Ok(f) => rules.push((rule, f)),
            Err(e) => errs.push(e),
        }
    }
    TransferError::collect(errs)?;

    // Collision suffixes go to rules in a fixed order (by name, then id) so they do not
    // depend on the order the API happened to list the rules in.
    rules.sort_by(|(ra, a), (rb, b)| {
        (&a.module, layout_dir(a), &a.name, &ra.id).cmp(&(
            &b.module,
            layout_dir(b),
            &b.name,
            &rb.id,
        ))
    });
    let mut names: BTreeMap<(String, String), UniqueNames> = BTreeMap::new();
    let mut files = Vec::with_capacity(rules.len() + 1);
    let mut sidecar = Sidecar::new();
    for (rule, file) in rules {
        let dir = (file.module.clone(), layout_dir(&file).to_string());
        let name = names
            .entry(dir.clone())
            .or_default()
            .claim(&file_stem(&file.name));
        let rel_path = format!("{}/{}/{name}", dir.0, dir.1);
        if let Some(rule_id) = &rule.id {
            let module_id = rule.module.id.clone().or_else(|| {
                snapshot
                    .module(&rule.module.api_name)
                    .map(|m| m.module.id.clone())
            });
            sidecar.insert(
                rel_path.clone(),
                IdEntry {
                    layout_id: rule.layout_id().cloned(),
                    modified_time: rule.modified_time.clone(),
                    module_id,
                    rule_id: rule_id.clone(),
                },
            );
        }
        let contents = to_pretty(&file).map_err(|e| {
            TransferError::invalid(rel_path.clone(), "", format!("cannot write: {e}"))
        })?;
        files.push(ExportFile { rel_path, contents });
    }
    files.sort_by(|a, b| a.rel_path.cmp(&b.rel_path));
    let contents = to_pretty(&sidecar)
        .map_err(|e| TransferError::invalid(SIDECAR, "", format!("cannot write: {e}")))?;
    files.push(ExportFile {
        rel_path: SIDECAR.to_string(),
        contents,
    });
    Ok(files)
}

/// The directory a rule file belongs in, under its module's.
pub fn layout_dir(f: &RuleFile) -> &str {
    f.layout.as_deref().unwrap_or(ALL_LAYOUTS)
}

/// How errors name a rule of an org.
pub fn rule_place(rule: &ScoringRule) -> String {
    format!("{} rule {}", rule.module.api_name, quote(&rule.name))
}

/// Module and layout api_names become directory names as they are, so one that could escape
/// the export directory or hide (`../x`, `.git`) is refused rather than renamed.
fn check_dirs(rule: &ScoringRule, f: RuleFile) -> Result<RuleFile, TransferError> {
    let bad = [("module", Some(&f.module)), ("layout", f.layout.as_ref())]
        .into_iter()
        .find_map(|(k, v)| v.filter(|v| !is_safe_dir_name(v)).map(|v| (k, v)));
    match bad {
        Some((key, v)) => Err(TransferError::invalid(
            rule_place(rule),
            key,
            format!("{} cannot be used as a directory name", quote(v)),
        )),
        None => Ok(f),
    }
}

/// A rule as its file says it. Errors only when the rule cannot be described without ids: a
/// layout or custom field the snapshot cannot name, or a comparator zscore does not know.
pub fn to_file(rule: &ScoringRule, snapshot: &OrgSnapshot) -> Result<RuleFile, TransferError> {
    let place = || rule_place(rule);
    let schema = snapshot.module(&rule.module.api_name);
    let layout = match &rule.layout {
        None => None,
        Some(l) => Some(
            l.api_name
                .clone()
                .or_else(|| {
                    schema
                        .and_then(|s| s.layout(&l.id))
                        .map(|x| x.api_name().to_string())
                })
                .ok_or_else(|| {
                    TransferError::invalid(place(), "layout", format!("no layout with id {}", l.id))
                })?,
        ),
    };
    let mut field_rules = Vec::with_capacity(rule.field_rules.len());
    for (i, fr) in rule.field_rules.iter().enumerate() {
        let at = format!("field_rules[{i}].criteria");
        field_rules.push(FileFieldRule {
            score: fr.score,
            criteria: criteria(&fr.criteria)
                .map_err(|(sub, m)| TransferError::invalid(place(), format!("{at}{sub}"), m))?,
        });
    }
    let signal_rules = rule
        .signal_rules
        .iter()
        .map(|sr| FileSignalRule {
            score: sr.score,
            signal: snapshot
                .signal(&sr.signal.id)
                .map_or_else(|| sr.signal.namespace.clone(), |s| s.namespace.clone()),
        })
        .collect();
    let mut custom_fields = Vec::with_capacity(rule.custom_fields.len());
    for (i, cf) in rule.custom_fields.iter().enumerate() {
        custom_fields.push(custom_field(cf, schema).ok_or_else(|| {
            TransferError::invalid(
                place(),
                format!("custom_fields[{i}]"),
                "a custom field with neither a label, an api_name nor a known id",
            )
        })?);
    }
    Ok(RuleFile {
        name: rule.name.clone(),
        description: rule.description.clone().filter(|d| !d.is_empty()),
        module: rule.module.api_name.clone(),
        layout,
        active: rule.active,
        field_rules,
        signal_rules,
        custom_fields,
    })
}

/// Err: (path below the criteria, problem).
fn criteria(c: &Criteria) -> Result<FileCriteria, (String, String)> {
    match c {
        Criteria::Condition(cond) => {
            if let Comparator::Unknown(s) = &cond.comparator {
                return Err((
                    ".comparator".into(),
                    format!("comparator {} is unknown to zscore", quote(s)),
                ));
            }
            Ok(FileCriteria::Condition(FileCondition {
                field: cond.field.api_name.clone(),
                comparator: cond.comparator.clone(),
                value: cond.value.clone(),
                kind: cond.kind.clone().filter(|k| k != "value"),
            }))
        }
        Criteria::Group(g) => {
            let mut group = Vec::with_capacity(g.group.len());
            for (j, m) in g.group.iter().enumerate() {
                group.push(criteria(m).map_err(|(sub, e)| (format!(".group[{j}]{sub}"), e))?);
            }
            Ok(FileCriteria::Group(FileGroup {
                group_operator: g.group_operator,
                group,
            }))
        }
    }
}

/// Zoho answers a rule's custom fields with only `{api_name, id}`; the module's field list
/// supplies the label then. The score field it holds may stay unknown (`None`).
fn custom_field(cf: &CustomField, schema: Option<&ModuleSchema>) -> Option<FileCustomField> {
    let field = schema.and_then(|s| {
        s.fields.iter().find(|f| {
            cf.id.as_ref() == Some(&f.id) || cf.api_name.as_deref() == Some(f.api_name.as_str())
        })
    });
    let field_label = cf
        .field_label
        .clone()
        .or_else(|| field.and_then(|f| f.field_label.clone().or(f.display_label.clone())))
        .or_else(|| cf.api_name.clone())?;
    let reference = cf.reference_field.as_ref().and_then(|r| {
        r.api_name.clone().or_else(|| {
            let id = r.id.as_ref()?;
            schema?
                .fields
                .iter()
                .find(|f| &f.id == id)
                .map(|f| f.api_name.clone())
        })
    });
    // Zoho accepts score field names in any case; files spell them canonically.
    let reference_field = reference.map(|r| {
        SCORE_FIELDS
            .iter()
            .find(|s| s.eq_ignore_ascii_case(&r))
            .map_or(r, |s| (*s).to_string())
    });
    Some(FileCustomField {
        field_label,
        reference_field,
    })
}
