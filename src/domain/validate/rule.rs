//! Rule-level checks: module, layout, name, description, the presence of something to score
//! with, and name uniqueness.

use serde_json::json;

use super::RuleContext;
use super::text::{
    NAME_REGEX, char_count, describe_char, first_forbidden, first_unsafe_in_description,
};
use crate::display::quote;
use crate::domain::edition::{MAX_DESCRIPTION_CHARS, MAX_NAME_CHARS};
use crate::domain::rule::ScoringRule;
use crate::domain::violation::{RulePath, Violation, codes};

/// Zoho's message for semantic value problems (lengths, characters, ranges).
pub const INVALID: &str = "invalid data";

pub fn check_module(rule: &ScoringRule, ctx: &RuleContext, out: &mut Vec<Violation>) {
    let module = &ctx.schema.module;
    if let Some(id) = &rule.module.id
        && *id != module.id
    {
        let path = RulePath::root().key("module").key("id");
        out.push(
            Violation::new(
                codes::INVALID_DATA,
                "Module specified seems to be invalid",
                path,
            )
            .hint(format!(
                "{id} is not the id of module {} ({})",
                quote(&module.api_name),
                module.id
            )),
        );
    }
}

pub fn check_layout(rule: &ScoringRule, ctx: &RuleContext, out: &mut Vec<Violation>) {
    if let Some(id) = rule.layout_id()
        && ctx.schema.layout(id).is_none()
    {
        let path = RulePath::root().key("layout").key("id");
        out.push(
            Violation::new(codes::INVALID_DATA, "Layout id seems to be invalid", path).hint(
                format!(
                    "module {} has no layout with id {id}",
                    quote(&ctx.schema.module.api_name)
                ),
            ),
        );
    }
}

/// 1–25 characters (counted as Unicode characters), none of Zoho's forbidden special characters
/// and no control or bidi characters (Part A #5). Length is counted on the name as given, the
/// way it is stored and shown.
pub fn check_name(name: &str, out: &mut Vec<Violation>) {
    let path = RulePath::root().key("name");
    if name.trim().is_empty() {
        out.push(Violation::new(codes::INVALID_DATA, INVALID, path).hint("a name is required"));
        return;
    }
    let n = char_count(name);
    if n > MAX_NAME_CHARS {
        out.push(
            Violation::new(codes::INVALID_DATA, INVALID, path.clone())
                .detail("maximum_length", MAX_NAME_CHARS)
                .hint(format!("at most {MAX_NAME_CHARS} characters ({n})")),
        );
    }
    if let Some(c) = first_forbidden(name) {
        out.push(
            Violation::new(codes::INVALID_DATA, INVALID, path)
                .detail("regex", NAME_REGEX)
                .hint(format!("{} is not allowed in a name", describe_char(c))),
        );
    }
}

/// At most 500 characters; line breaks and tabs are fine, other control characters are not.
pub fn check_description(description: Option<&str>, out: &mut Vec<Violation>) {
    let Some(d) = description else { return };
    let path = RulePath::root().key("description");
    let n = char_count(d);
    if n > MAX_DESCRIPTION_CHARS {
        out.push(
            Violation::new(codes::INVALID_DATA, INVALID, path.clone())
                .detail("maximum_length", MAX_DESCRIPTION_CHARS)
                .hint(format!("at most {MAX_DESCRIPTION_CHARS} characters ({n})")),
        );
    }
    if let Some(c) = first_unsafe_in_description(d) {
        out.push(
            Violation::new(codes::INVALID_DATA, INVALID, path).hint(format!(
                "{} is not allowed in a description",
                describe_char(c)
            )),
        );
    }
}

/// A rule must score something: people modules need field rules or signal rules, other modules
/// field rules (both official EXPECTED_FIELD_MISSING examples).
pub fn check_something_scores(rule: &ScoringRule, ctx: &RuleContext, out: &mut Vec<Violation>) {
    if !rule.field_rules.is_empty() {
        return;
    }
    let expected = |keys: &[&str]| {
        keys.iter()
            .map(|k| json!({"api_name": k, "json_path": format!("$.{k}")}))
            .collect::<Vec<_>>()
    };
    // Signal rules on a non-people module are reported as NOT_SUPPORTED, which says more
    // than "field rules expected" to someone who gave only signal rules.
    if !rule.signal_rules.is_empty() {
        return;
    }
    let path = RulePath::root().key("field_rules");
    let v = if ctx.schema.is_people() {
        Violation::new(
            codes::EXPECTED_FIELD_MISSING,
            "field_rules or signal_rules is expected",
            path,
        )
        .detail(
            "expected_fields",
            expected(&["field_rules", "signal_rules"]),
        )
        .hint("add at least one field rule or signal rule")
    } else {
        Violation::new(
            codes::EXPECTED_FIELD_MISSING,
            "Field_Rules is expected",
            path,
        )
        .detail("expected_fields", expected(&["field_rules"]))
        .hint(format!(
            "add at least one field rule ({} takes no signal rules)",
            quote(&ctx.schema.module.api_name)
        ))
    };
    out.push(v.without_detail("api_name").unlocated());
}

/// Names are unique in the org, compared case-insensitively and without surrounding spaces.
pub fn check_name_unique(name: &str, ctx: &RuleContext, out: &mut Vec<Violation>) {
    if name.trim().is_empty() {
        return;
    }
    if let Some(other) = ctx.others.iter().find(|o| same_name(&o.name, name)) {
        let path = RulePath::root().key("name");
        out.push(
            Violation::new(
                codes::DUPLICATE_DATA,
                "The data is already given in the name",
                path,
            )
            .hint(format!(
                "another rule is already called {}",
                quote(&other.name)
            )),
        );
    }
}

/// Names compare trimmed and ignoring case, without allocating: an org may have thousands
/// of rules to compare a name with.
fn same_name(a: &str, b: &str) -> bool {
    let lower = |s: &str| {
        s.trim()
            .chars()
            .flat_map(char::to_lowercase)
            .collect::<Vec<_>>()
    };
    let (a, b) = (a.trim(), b.trim());
    if a.len() == b.len() && a.eq_ignore_ascii_case(b) {
        return true;
    }
    if a.is_ascii() && b.is_ascii() {
        return false;
    }
    lower(a) == lower(b)
}
