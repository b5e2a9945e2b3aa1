//! What the rule form holds, as plain serialisable data: the text of every input, exactly as
//! typed. This is what a draft stores and what the request JSON is built from; whether it makes
//! a valid rule is the domain validator's call, never this module's.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::domain::Id;
use crate::domain::metadata::ModuleSchema;
use crate::domain::rule::{
    Criteria, CustomField, FieldRule, GroupOperator, ScoringRule, SignalRule,
};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FormData {
    pub name: String,
    pub description: String,
    /// Only sent on create: Zoho ignores `active` in an update.
    pub active: bool,
    pub field_rules: Vec<FieldRuleForm>,
    pub signal_rules: Vec<SignalRuleForm>,
    pub custom_fields: Vec<CustomFieldForm>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldRuleForm {
    /// The stored field rule this row edits; `None` for a new one.
    pub id: Option<Id>,
    pub score: String,
    pub criteria: CriteriaForm,
}

/// A field rule's criteria. The form edits one level (rows joined by AND or OR); criteria
/// nested deeper, which only the API builds, are kept whole and shown read-only.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum CriteriaForm {
    Flat { and: bool, rows: Vec<CondForm> },
    Kept(Criteria),
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CondForm {
    pub field: String,
    pub comparator: String,
    /// The value as typed: one value, or several separated by commas (`between`, `in`).
    pub value: String,
    /// The loaded value and its text: while the text is unchanged the value is sent as it was
    /// (lookups, arrays and other shapes the text cannot express survive an edit of the score).
    pub loaded: Option<(String, Value)>,
    /// The condition's `type`, kept from the loaded rule.
    pub kind: Option<String>,
    /// The loaded field's id, sent while the field is unchanged (a new pick drops it).
    #[serde(default)]
    pub field_id: Option<Id>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SignalRuleForm {
    pub id: Option<Id>,
    /// The signal's id ("" until one is picked).
    pub signal: String,
    pub namespace: String,
    pub score: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CustomFieldForm {
    /// A stored custom field: only its label can change.
    pub id: Option<Id>,
    pub label: String,
    /// The score field it maps (`reference_field.api_name`) on a new custom field.
    pub reference: String,
}

impl FormData {
    pub fn new_rule() -> FormData {
        FormData {
            active: true,
            ..FormData::default()
        }
    }

    pub fn from_rule(rule: &ScoringRule) -> FormData {
        FormData {
            name: rule.name.clone(),
            description: rule.description.clone().unwrap_or_default(),
            active: rule.active,
            field_rules: rule
                .field_rules
                .iter()
                .map(FieldRuleForm::from_rule)
                .collect(),
            signal_rules: rule
                .signal_rules
                .iter()
                .map(SignalRuleForm::from_rule)
                .collect(),
            custom_fields: rule
                .custom_fields
                .iter()
                .map(CustomFieldForm::from_rule)
                .collect(),
        }
    }
}

impl Default for FieldRuleForm {
    /// A new field rule: no score yet, one empty criterion.
    fn default() -> FieldRuleForm {
        FieldRuleForm {
            id: None,
            score: String::new(),
            criteria: CriteriaForm::Flat {
                and: true,
                rows: vec![CondForm::default()],
            },
        }
    }
}

impl FieldRuleForm {
    fn from_rule(fr: &FieldRule) -> FieldRuleForm {
        FieldRuleForm {
            id: fr.id.clone(),
            score: fr.score.to_string(),
            criteria: CriteriaForm::from_criteria(&fr.criteria),
        }
    }

    /// Its editable rows (none when the criteria are kept whole).
    pub fn rows(&self) -> &[CondForm] {
        match &self.criteria {
            CriteriaForm::Flat { rows, .. } => rows,
            CriteriaForm::Kept(_) => &[],
        }
    }
}

impl CriteriaForm {
    fn from_criteria(c: &Criteria) -> CriteriaForm {
        let row = |c: &Criteria| match c {
            Criteria::Condition(cond) => {
                let text = value_text(&cond.value);
                Some(CondForm {
                    field: cond.field.api_name.clone(),
                    comparator: cond.comparator.as_str().to_string(),
                    value: text.clone(),
                    loaded: Some((text, cond.value.clone())),
                    kind: cond.kind.clone(),
                    field_id: cond.field.id.clone(),
                })
            }
            Criteria::Group(_) => None,
        };
        match c {
            Criteria::Condition(_) => CriteriaForm::Flat {
                and: true,
                rows: row(c).into_iter().collect(),
            },
            Criteria::Group(g) => match g.group.iter().map(row).collect::<Option<Vec<_>>>() {
                Some(rows) => CriteriaForm::Flat {
                    and: g.group_operator == GroupOperator::And,
                    rows,
                },
                None => CriteriaForm::Kept(c.clone()),
            },
        }
    }
}

impl SignalRuleForm {
    fn from_rule(s: &SignalRule) -> SignalRuleForm {
        SignalRuleForm {
            id: s.id.clone(),
            signal: s.signal.id.to_string(),
            namespace: s.signal.namespace.clone(),
            score: s.score.to_string(),
        }
    }
}

impl CustomFieldForm {
    fn from_rule(c: &CustomField) -> CustomFieldForm {
        CustomFieldForm {
            id: c.id.clone(),
            label: c.field_label.clone().unwrap_or_default(),
            reference: c
                .reference_field
                .as_ref()
                .and_then(|r| r.api_name.clone())
                .unwrap_or_default(),
        }
    }
}

/// How a loaded value reads in a text input: scalars as themselves, a list of scalars joined
/// by commas, anything else as JSON.
pub fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => String::new(),
        Value::Array(items) if items.iter().all(is_scalar) => {
            items.iter().map(value_text).collect::<Vec<_>>().join(", ")
        }
        other => other.to_string(),
    }
}

fn is_scalar(v: &Value) -> bool {
    matches!(v, Value::String(_) | Value::Number(_) | Value::Bool(_))
}

/// Comparators whose value is a list.
pub fn takes_list(comparator: &str) -> bool {
    matches!(
        comparator,
        "between"
            | "not_between"
            | "in"
            | "not_in"
            | "include_all"
            | "include_any"
            | "exclude_all"
            | "exclude_any"
    )
}

impl CondForm {
    /// The JSON `value` this row sends. Typed text becomes numbers for numeric fields and
    /// booleans for boolean fields, a picklist value typed in any case becomes the picklist's
    /// own spelling, and nothing typed is no value (reported as required, whatever the field);
    /// the validator judges the result like any request.
    pub fn value_json(&self, schema: &ModuleSchema) -> Value {
        if let Some((text, v)) = &self.loaded
            && *text == self.value
        {
            return v.clone();
        }
        let field = schema.field(&self.field);
        let dt = field.map(|f| f.effective_type());
        let scalar = |s: &str| -> Value {
            let s = s.trim();
            if let Some(p) = field.and_then(|f| picklist_value(f, s)) {
                return Value::String(p.to_string());
            }
            if let Some(dt) = &dt {
                if dt.is_numeric()
                    && let Ok(n) = serde_json::from_str::<serde_json::Number>(s)
                {
                    return Value::Number(n);
                }
                if *dt == crate::domain::DataType::Boolean
                    && let Ok(b) = s.parse::<bool>()
                {
                    return Value::Bool(b);
                }
            }
            Value::String(s.to_string())
        };
        let text = self.value.trim();
        if (text.starts_with('{') || text.starts_with('['))
            && let Ok(v) = serde_json::from_str::<Value>(text)
        {
            return v;
        }
        if takes_list(&self.comparator) {
            Value::Array(
                text.split(',')
                    .filter(|s| !s.trim().is_empty())
                    .map(scalar)
                    .collect(),
            )
        } else if text.is_empty() {
            Value::Null
        } else {
            scalar(text)
        }
    }
}

/// The picklist's own value for `typed`, matched without regard to case against its values
/// and their display labels.
fn picklist_value<'a>(field: &'a crate::domain::metadata::Field, typed: &str) -> Option<&'a str> {
    let typed = typed.to_lowercase();
    field
        .pick_list_values
        .iter()
        .find(|p| p.actual_value.to_lowercase() == typed || p.display_value.to_lowercase() == typed)
        .map(|p| p.actual_value.as_str())
}

/// Row kinds the form can hold, for the add/remove keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowKind {
    FieldRule,
    Criterion,
    SignalRule,
    CustomField,
}
