//! A file's api_names → the target org's ids, and Zoho's verdict on the result.
//!
//! Resolution reports every name the target lacks, each at its path in the file. The resolved
//! rule is then judged by the same validator the sandbox uses (`validate::check_rule`), so an
//! import that Zoho would refuse half-way is refused whole, before anything is sent; the
//! validator's paths (which follow the request body) are turned back into file paths.

use super::error::TransferError;
use super::format::{FileCriteria, FileCustomField};
use super::names::ALL_LAYOUTS;
use super::read::FileRule;
use crate::display::quote;
use crate::domain::metadata::{Layout, ModuleSchema, SCORE_FIELDS};
use crate::domain::rule::{
    Condition, CustomField, FieldRef, Group, LayoutRef, ModuleRef, ReferenceField, SignalRef,
};
use crate::domain::violation::Seg;
use crate::domain::{
    Criteria, FieldRule, OrgSnapshot, RulePath, ScoringRule, SignalRule, Violation,
};

/// A file's rule with the target's ids, as a create would send it.
pub struct Resolved<'a> {
    pub schema: &'a ModuleSchema,
    /// Sub-items carry no ids; custom fields with an unknown score field have none.
    pub rule: ScoringRule,
}

/// Resolves a file against its module in the target. Err: every unknown name.
pub fn resolve<'a>(
    file: &FileRule,
    schema: &'a ModuleSchema,
    target: &OrgSnapshot,
) -> Result<Resolved<'a>, Vec<TransferError>> {
    let mut errs = Vec::new();
    let here =
        |path: String, message: String| TransferError::invalid(&file.rel_path, path, message);
    let module = &schema.module.api_name;
    let layout = if file.layout_dir == ALL_LAYOUTS {
        None
    } else {
        let found = schema
            .layouts
            .iter()
            .find(|l| l.api_name() == file.layout_dir);
        if found.is_none() {
            let known: Vec<&str> = schema.layouts.iter().map(Layout::api_name).collect();
            errs.push(here(
                "layout".into(),
                format!(
                    "no layout {} in {module} (layouts: {})",
                    quote(&file.layout_dir),
                    known.join(", ")
                ),
            ));
        }
        found
    };
    let r = &file.rule;
    let mut field_rules = Vec::with_capacity(r.field_rules.len());
    for (i, fr) in r.field_rules.iter().enumerate() {
        let at = format!("field_rules[{i}].criteria");
        if let Some(criteria) =
            criteria(&fr.criteria, &at, schema, &mut |p, m| errs.push(here(p, m)))
        {
            field_rules.push(FieldRule {
                id: None,
                score: fr.score,
                criteria,
            });
        }
    }
    let mut signal_rules = Vec::with_capacity(r.signal_rules.len());
    for (i, sr) in r.signal_rules.iter().enumerate() {
        match target.signals.iter().find(|s| s.namespace == sr.signal) {
            Some(s) => signal_rules.push(SignalRule {
                id: None,
                score: sr.score,
                signal: SignalRef {
                    namespace: s.namespace.clone(),
                    id: s.id.clone(),
                },
            }),
            None => errs.push(here(
                format!("signal_rules[{i}].signal"),
                format!("no signal {} in this org", quote(&sr.signal)),
            )),
        }
    }
    if !errs.is_empty() {
        return Err(errs);
    }
    let rule = ScoringRule {
        id: None,
        name: r.name.clone(),
        description: r.description.clone(),
        module: ModuleRef {
            api_name: module.clone(),
            id: Some(schema.module.id.clone()),
        },
        layout: layout.map(|l| LayoutRef {
            id: l.id.clone(),
            api_name: Some(l.api_name().to_string()),
            display_label: None,
        }),
        active: r.active,
        field_rules,
        signal_rules,
        custom_fields: r.custom_fields.iter().map(new_custom_field).collect(),
        created_time: None,
        modified_time: None,
        created_by: None,
        modified_by: None,
        has_signal_rules: None,
    };
    Ok(Resolved { schema, rule })
}

/// A custom field to create. One whose score field is unknown gets no `reference_field`,
/// which the validator reports as missing.
pub fn new_custom_field(cf: &FileCustomField) -> CustomField {
    CustomField {
        id: None,
        api_name: None,
        field_label: Some(cf.field_label.clone()),
        reference_field: cf.reference_field.as_ref().map(|r| ReferenceField {
            api_name: Some(r.clone()),
            id: None,
        }),
    }
}

/// `None` when a field is unknown (reported through `err`, with the path in the file).
fn criteria(
    c: &FileCriteria,
    at: &str,
    schema: &ModuleSchema,
    err: &mut dyn FnMut(String, String),
) -> Option<Criteria> {
    match c {
        FileCriteria::Condition(cond) => {
            let Some(field) = schema.field(&cond.field) else {
                err(
                    format!("{at}.field"),
                    format!(
                        "no field {} in {}",
                        quote(&cond.field),
                        schema.module.api_name
                    ),
                );
                return None;
            };
            Some(Criteria::Condition(Condition {
                field: FieldRef {
                    api_name: field.api_name.clone(),
                    id: Some(field.id.clone()),
                },
                comparator: cond.comparator.clone(),
                value: cond.value.clone(),
                kind: cond.kind.clone(),
                disrupted: None,
            }))
        }
        FileCriteria::Group(g) => {
            // Every member is resolved, so every unknown field is reported, not just the first.
            let members: Vec<Option<Criteria>> = g
                .group
                .iter()
                .enumerate()
                .map(|(j, m)| criteria(m, &format!("{at}.group[{j}]"), schema, err))
                .collect();
            Some(Criteria::Group(Group {
                group_operator: g.group_operator,
                group: members.into_iter().collect::<Option<_>>()?,
            }))
        }
    }
}

/// A custom field to create whose score field the file does not name (exported from an org
/// that did not say).
pub fn unknown_reference(file: &str, index: usize) -> TransferError {
    TransferError::invalid(
        file,
        format!("custom_fields[{index}].reference_field"),
        unknown_reference_message(),
    )
}

pub fn unknown_reference_message() -> String {
    format!(
        "unknown: the org this was exported from did not say which score the field holds, and \
         a new field needs one; set it to one of {}",
        SCORE_FIELDS.join(", ")
    )
}

/// A validator finding as an error about the file of rule `rule`.
pub fn violation_error(file: &str, rule: &str, v: &Violation) -> TransferError {
    TransferError::invalid(file, file_path(&v.path), explained(rule, v))
}

/// The finding's hint; for a criteria value the field does not take (most often a picklist
/// value deleted from the field after the rule was saved: Zoho keeps such a rule, and refuses
/// to create or update one) also the rule, what the field takes and the two ways forward, since
/// the file cannot be imported as it is.
fn explained(rule: &str, v: &Violation) -> String {
    let supported = v.details.get("supported_values").and_then(|s| s.as_array());
    match supported {
        Some(values) if v.path.last_key() == Some("value") => {
            let values: Vec<&str> = values.iter().filter_map(|s| s.as_str()).collect();
            format!(
                "rule {}: {} (the field takes {}); edit the value in this file to one of \
                 those, or remove the file to import without this rule",
                quote(rule),
                v.hint,
                values.join(", ")
            )
        }
        _ => v.hint.clone(),
    }
}

/// Several findings as one error (the validator never refuses without a finding; should it,
/// the error still says which file).
pub fn violations_error(file: &str, rule: &str, found: &[Violation]) -> TransferError {
    let errs: Vec<TransferError> = found
        .iter()
        .map(|v| violation_error(file, rule, v))
        .collect();
    match TransferError::collect(errs) {
        Err(e) => e,
        Ok(()) => TransferError::invalid(file, "", "Zoho would refuse this rule"),
    }
}

/// A request-body path as the file's path: where the body has `field.api_name`,
/// `signal.id`, `reference_field.api_name` or `layout.id`, the file has one string.
pub fn file_path(p: &RulePath) -> String {
    let mut segs = p.0.clone();
    let n = segs.len();
    if n >= 2
        && let (Seg::Key(parent), Seg::Key(last)) = (&segs[n - 2], &segs[n - 1])
        && matches!(
            parent.as_str(),
            "field" | "signal" | "reference_field" | "layout" | "module"
        )
        && matches!(last.as_str(), "id" | "api_name" | "namespace")
    {
        segs.pop();
    }
    RulePath(segs).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_paths_become_file_paths() {
        let p = RulePath::root()
            .key("field_rules")
            .index(1)
            .key("criteria")
            .key("group")
            .index(0)
            .key("field")
            .key("api_name");
        assert_eq!(file_path(&p), "field_rules[1].criteria.group[0].field");
        let s = RulePath::root()
            .key("signal_rules")
            .index(2)
            .key("signal")
            .key("id");
        assert_eq!(file_path(&s), "signal_rules[2].signal");
        assert_eq!(
            file_path(&RulePath::root().key("layout").key("id")),
            "layout"
        );
        assert_eq!(file_path(&RulePath::root().key("name")), "name");
        assert_eq!(file_path(&RulePath::root()), "");
    }
}
