//! Custom-field checks: the score field each one maps, its label, repeats within the rule, and
//! the module-wide number of scoring custom fields.
//!
//! A custom field with an `id` is one the rule already created; only its label can change, so a
//! missing `reference_field` or `field_label` on it (stored rules may keep just `{id,
//! api_name}`) is not a finding.

use serde_json::json;

use super::criteria::is_rule_score_field;
use super::rule::INVALID;
use super::shape::{MANDATORY_MESSAGE, SCHEMA_MESSAGE};
use super::text::{char_count, describe_char, first_forbidden};
use super::{Fresh, RuleContext, Section};
use crate::display::quote;
use crate::domain::edition::MAX_CUSTOM_FIELDS_PER_RULE;
use crate::domain::metadata::SCORE_FIELDS;
use crate::domain::rule::{ReferenceField, ScoringRule};
use crate::domain::violation::{RulePath, Violation, codes};

/// Longest field label (OAS-new schema and example `postScoringRules` InvalidDataResponse19).
pub const MAX_LABEL_CHARS: usize = 100;

pub fn check_custom_fields(
    rule: &ScoringRule,
    ctx: &RuleContext,
    fresh: Fresh,
    out: &mut Vec<Violation>,
) {
    let root = RulePath::root().key("custom_fields");
    let n = rule.custom_fields.len();
    if n > MAX_CUSTOM_FIELDS_PER_RULE {
        out.push(
            Violation::new(codes::INVALID_DATA, SCHEMA_MESSAGE, root.clone())
                .detail("maximum_length", MAX_CUSTOM_FIELDS_PER_RULE)
                .hint(format!(
                    "at most {MAX_CUSTOM_FIELDS_PER_RULE} custom fields per rule ({n})"
                )),
        );
    }
    let mut refs: Vec<Option<&'static str>> = Vec::with_capacity(n);
    let mut labels: Vec<Option<String>> = Vec::with_capacity(n);
    for (i, cf) in rule.custom_fields.iter().enumerate() {
        let at = root.index(i);
        let stored = cf.id.is_some();
        refs.push(match &cf.reference_field {
            Some(r) => reference(r, &at.key("reference_field"), ctx, out),
            None if stored => None,
            None => missing(at.key("reference_field"), out),
        });
        labels.push(match &cf.field_label {
            Some(l) => {
                check_label(l, at.key("field_label"), ctx, out);
                Some(l.trim().to_lowercase())
            }
            None if stored => None,
            None => missing(at.key("field_label"), out),
        });
    }
    for (at, _) in fresh.duplicates(Section::CustomFields, &refs) {
        let name = refs.get(at).copied().flatten().unwrap_or("score field");
        out.push(
            Violation::new(
                codes::ALREADY_USED,
                "Duplicate reference field",
                root.index(at).key("reference_field"),
            )
            .hint(format!(
                "another custom field of this rule already holds {name}"
            )),
        );
    }
    for (at, _) in fresh.duplicates(Section::CustomFields, &labels) {
        let label = rule
            .custom_fields
            .get(at)
            .and_then(|c| c.field_label.as_deref());
        out.push(
            Violation::new(
                codes::DUPLICATE_DATA,
                "Field label duplicate",
                root.index(at).key("field_label"),
            )
            .hint(format!(
                "another custom field of this rule is labelled {}",
                quote(label.unwrap_or_default())
            )),
        );
    }
    check_module_total(rule, ctx, out);
}

fn missing<T>(path: RulePath, out: &mut Vec<Violation>) -> Option<T> {
    let hint = format!("{} is required", path.last_key().unwrap_or("a value"));
    out.push(Violation::new(codes::MANDATORY_NOT_FOUND, MANDATORY_MESSAGE, path).hint(hint));
    None
}

/// The score field a custom field maps, by api_name (any case) or by the field's id; touch-point
/// scores exist only on people modules.
fn reference(
    r: &ReferenceField,
    at: &RulePath,
    ctx: &RuleContext,
    out: &mut Vec<Violation>,
) -> Option<&'static str> {
    let allowed: Vec<&'static str> = SCORE_FIELDS
        .into_iter()
        .filter(|f| ctx.schema.is_people() || !f.starts_with("Touch_Point_"))
        .collect();
    let both = || {
        ["id", "api_name"].map(|k| json!({"api_name": k, "json_path": at.key(k).rel_json_path()}))
    };
    match (&r.api_name, &r.id) {
        (None, None) => {
            out.push(
                Violation::new(
                    codes::EXPECTED_FIELD_MISSING,
                    "Specify atleast one field",
                    at.clone(),
                )
                .without_detail("api_name")
                .detail("expected_fields", both().to_vec())
                .unlocated()
                .hint("give the score field's api_name (e.g. Score) or its id"),
            );
            None
        }
        (Some(_), Some(_)) => {
            out.push(
                Violation::new(
                    codes::AMBIGUITY_DURING_PROCESSING,
                    "Ambiguity while processing the request",
                    at.clone(),
                )
                .without_detail("api_name")
                .detail("ambiguity_due_to", both().to_vec())
                .unlocated()
                .hint("give either the score field's api_name or its id, not both"),
            );
            None
        }
        (Some(name), None) => {
            let found = allowed
                .iter()
                .find(|f| f.eq_ignore_ascii_case(name))
                .copied();
            if found.is_none() {
                let why = if SCORE_FIELDS.iter().any(|f| f.eq_ignore_ascii_case(name)) {
                    "touch-point scores exist only on Leads and Contacts"
                } else {
                    "not a score field"
                };
                out.push(
                    Violation::new(
                        codes::INVALID_DATA,
                        "Reference field api_name given seems to be invalid",
                        at.key("api_name"),
                    )
                    .detail("supported_values", allowed.clone())
                    .hint(format!(
                        "{}: {why}; use one of {}",
                        quote(name),
                        allowed.join(", ")
                    )),
                );
            }
            found
        }
        (None, Some(id)) => {
            let found = ctx
                .schema
                .fields
                .iter()
                .filter(|f| f.id == *id)
                .find_map(|f| allowed.iter().find(|a| a.eq_ignore_ascii_case(&f.api_name)))
                .copied();
            if found.is_none() {
                out.push(
                    Violation::new(
                        codes::INVALID_DATA,
                        "The id given seems to be invalid",
                        at.key("id"),
                    )
                    .hint(format!(
                        "{id} is not the id of a score field of {}",
                        quote(&ctx.schema.module.api_name)
                    )),
                );
            }
            found
        }
    }
}

fn check_label(label: &str, path: RulePath, ctx: &RuleContext, out: &mut Vec<Violation>) {
    if label.trim().is_empty() {
        out.push(Violation::new(codes::INVALID_DATA, INVALID, path).hint("a label is required"));
        return;
    }
    let n = char_count(label);
    if n > MAX_LABEL_CHARS {
        out.push(
            Violation::new(codes::INVALID_DATA, SCHEMA_MESSAGE, path.clone())
                .detail("maximum_length", MAX_LABEL_CHARS)
                .hint(format!("at most {MAX_LABEL_CHARS} characters ({n})")),
        );
    }
    if let Some(c) = first_forbidden(label) {
        out.push(
            Violation::new(
                codes::INVALID_DATA,
                "Special characters in field label",
                path.clone(),
            )
            .hint(format!(
                "{} is not allowed in a field label",
                describe_char(c)
            )),
        );
    }
    if let Some(field) = system_keyword(label, ctx) {
        out.push(
            Violation::new(
                codes::NOT_ALLOWED,
                "System keyword not allowed in field label",
                path,
            )
            .hint(format!(
                "{} is already a field of {}; choose another label",
                quote(field),
                quote(&ctx.schema.module.api_name)
            )),
        );
    }
}

/// A label is a system keyword when it names an existing field of the module (its api_name or
/// label, ignoring case, surrounding spaces and `_` versus space), or a score field or the
/// layout field even when the schema does not list them. Custom fields that scoring rules
/// created are the exception: a label may name one of those to map scores onto it.
fn system_keyword<'a>(label: &str, ctx: &'a RuleContext) -> Option<&'a str> {
    let key = keyword_key(label);
    let fixed = SCORE_FIELDS.iter().chain(&["Layout"]).copied();
    if let Some(f) = fixed.into_iter().find(|f| keyword_key(f) == key) {
        return Some(f);
    }
    ctx.schema
        .fields
        .iter()
        .filter(|f| !is_rule_score_field(f))
        .find(|f| {
            [
                Some(f.api_name.as_str()),
                f.field_label.as_deref(),
                f.display_label.as_deref(),
            ]
            .into_iter()
            .flatten()
            .any(|n| keyword_key(n) == key)
        })
        .map(|f| f.label())
}

fn keyword_key(s: &str) -> String {
    s.replace('_', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Custom fields of all the module's rules against the edition's limit. Reported only when this
/// rule creates new ones (those without an id), so that an org already over its limit (say,
/// after a downgrade) can still edit its rules' other parts.
fn check_module_total(rule: &ScoringRule, ctx: &RuleContext, out: &mut Vec<Violation>) {
    let limit = ctx.edition.limits().custom_fields as usize;
    let module = &ctx.schema.module.api_name;
    let elsewhere: usize = ctx
        .others
        .iter()
        .filter(|o| o.module == *module)
        .map(|o| o.custom_fields)
        .sum();
    let total = elsewhere + rule.custom_fields.len();
    let creates = rule.custom_fields.iter().any(|c| c.id.is_none());
    if total > limit && creates {
        out.push(
            Violation::new(
                codes::FIELD_LIMIT_EXCEEDED,
                "Field limit reached for the given field type in the given module",
                RulePath::root().key("custom_fields"),
            )
            .without_detail("api_name")
            .detail("limit", limit)
            .unlocated()
            .hint(format!(
                "the {} edition allows {limit} scoring custom fields in {}; other rules already use {elsewhere}",
                ctx.edition.label(),
                quote(module)
            )),
        );
    }
}
