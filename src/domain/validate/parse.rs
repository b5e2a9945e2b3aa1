//! One item of a POST body → a `ScoringRule`, or every shape problem in it.
//!
//! Only JSON shape is judged here (presence, types, list lengths, enumerations); whether the
//! values make sense for the org is `check_rule`'s job. Sub-item ids in a create body are
//! ignored: new field rules, signal rules and custom fields get their ids from the sandbox.

use serde_json::{Map, Value};

use super::parse_criteria::criteria;
use super::shape::Shape;
use crate::domain::edition::{MAX_CUSTOM_FIELDS_PER_RULE, MAX_FIELD_RULES, MAX_SIGNAL_RULES};
use crate::domain::rule::{
    CustomField, FieldRule, LayoutRef, ModuleRef, ReferenceField, ScoringRule, SignalRef,
    SignalRule,
};
use crate::domain::violation::{RulePath, Violation};

/// Reads one item of a POST body into a rule. Err = every shape/type/missing-key violation.
pub fn parse_create(item: &Value) -> Result<ScoringRule, Vec<Violation>> {
    let mut sh = Shape::default();
    let root = RulePath::root();
    let Some(m) = sh.object(item, &root) else {
        return Err(sh.errs);
    };
    let name = sh
        .required(m, "name", &root)
        .and_then(|v| sh.text(v, &root.key("name")));
    let description = sh.opt_text(m, "description", &root);
    let module = sh
        .required(m, "module", &root)
        .and_then(|v| module_ref(&mut sh, v, &root.key("module")));
    let layout = layout_ref(&mut sh, m, &root);
    let active = match m.get("active") {
        None => Some(true),
        Some(v) => sh.boolean(v, &root.key("active")),
    };
    let field_rules = sh
        .opt_list(m, "field_rules", &root, MAX_FIELD_RULES)
        .map(|items| each(&mut sh, items, &root.key("field_rules"), field_rule));
    let signal_rules = sh
        .opt_list(m, "signal_rules", &root, MAX_SIGNAL_RULES)
        .map(|items| each(&mut sh, items, &root.key("signal_rules"), signal_rule));
    let custom_fields = sh
        .opt_list(m, "custom_fields", &root, MAX_CUSTOM_FIELDS_PER_RULE)
        .map(|items| each(&mut sh, items, &root.key("custom_fields"), custom_field));

    let rule = (|| {
        Some(ScoringRule {
            id: None,
            name: name?,
            description,
            module: module?,
            layout: layout?,
            active: active?,
            field_rules: field_rules??,
            signal_rules: signal_rules??,
            custom_fields: custom_fields??,
            created_time: None,
            modified_time: None,
            created_by: None,
            modified_by: None,
            has_signal_rules: None,
        })
    })();
    sh.into_result(rule)
}

/// Reads every item of a list; `None` when any item could not be read.
pub fn each<T>(
    sh: &mut Shape,
    items: &[Value],
    at: &RulePath,
    read: impl Fn(&mut Shape, &Value, &RulePath) -> Option<T>,
) -> Option<Vec<T>> {
    let parsed: Vec<Option<T>> = items
        .iter()
        .enumerate()
        .map(|(i, v)| read(sh, v, &at.index(i)))
        .collect();
    parsed.into_iter().collect()
}

fn module_ref(sh: &mut Shape, v: &Value, at: &RulePath) -> Option<ModuleRef> {
    let m = sh.object(v, at)?;
    let api_name = sh
        .required(m, "api_name", at)
        .and_then(|v| sh.text(v, &at.key("api_name")));
    let id = sh.opt_id(m, "id", at);
    Some(ModuleRef {
        api_name: api_name?,
        id,
    })
}

/// `Some(None)`: no layout (omitted or `null`, the rule applies to every layout).
fn layout_ref(
    sh: &mut Shape,
    m: &Map<String, Value>,
    root: &RulePath,
) -> Option<Option<LayoutRef>> {
    let at = root.key("layout");
    let v = match m.get("layout") {
        None | Some(Value::Null) => return Some(None),
        Some(v) => v,
    };
    let l = sh.object(v, &at)?;
    let id = sh
        .required(l, "id", &at)
        .and_then(|v| sh.id(v, &at.key("id")));
    let api_name = sh.opt_text(l, "api_name", &at);
    let display_label = sh.opt_text(l, "display_label", &at);
    Some(Some(LayoutRef {
        id: id?,
        api_name,
        display_label,
    }))
}

pub fn score(sh: &mut Shape, m: &Map<String, Value>, at: &RulePath) -> Option<i64> {
    sh.required(m, "score", at)
        .and_then(|v| sh.integer(v, &at.key("score")))
}

pub fn field_rule(sh: &mut Shape, v: &Value, at: &RulePath) -> Option<FieldRule> {
    let m = sh.object(v, at)?;
    let score = score(sh, m, at);
    let criteria = sh
        .required(m, "criteria", at)
        .and_then(|c| criteria(sh, c, &at.key("criteria"), 1));
    Some(FieldRule {
        id: None,
        score: score?,
        criteria: criteria?,
    })
}

pub fn signal_ref(sh: &mut Shape, m: &Map<String, Value>, at: &RulePath) -> Option<SignalRef> {
    let v = sh.required(m, "signal", at)?;
    let at = at.key("signal");
    let s = sh.object(v, &at)?;
    let id = sh
        .required(s, "id", &at)
        .and_then(|v| sh.id(v, &at.key("id")));
    let namespace = sh
        .required(s, "namespace", &at)
        .and_then(|v| sh.text(v, &at.key("namespace")));
    Some(SignalRef {
        id: id?,
        namespace: namespace?,
    })
}

pub fn signal_rule(sh: &mut Shape, v: &Value, at: &RulePath) -> Option<SignalRule> {
    let m = sh.object(v, at)?;
    let score = score(sh, m, at);
    let signal = signal_ref(sh, m, at);
    Some(SignalRule {
        id: None,
        score: score?,
        signal: signal?,
    })
}

pub fn field_label(sh: &mut Shape, m: &Map<String, Value>, at: &RulePath) -> Option<String> {
    sh.required(m, "field_label", at)
        .and_then(|v| sh.text(v, &at.key("field_label")))
}

/// A new custom field: `{field_label, reference_field: {api_name?, id?}}`. Giving neither or
/// both of `api_name` and `id` is a semantic finding (`check_rule`), not a shape one.
pub fn custom_field(sh: &mut Shape, v: &Value, at: &RulePath) -> Option<CustomField> {
    let m = sh.object(v, at)?;
    let label = field_label(sh, m, at);
    let reference = sh.required(m, "reference_field", at).and_then(|v| {
        let at = at.key("reference_field");
        let r = sh.object(v, &at)?;
        let api_name = sh.opt_text(r, "api_name", &at);
        let id = sh.opt_id(r, "id", &at);
        Some(ReferenceField { api_name, id })
    });
    Some(CustomField {
        id: None,
        api_name: None,
        field_label: Some(label?),
        reference_field: Some(reference?),
    })
}
