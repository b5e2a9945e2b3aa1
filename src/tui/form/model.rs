//! What the rule form holds, as plain serialisable data: the text of every input, exactly as
//! typed. This is what a draft stores and what the request JSON is built from; whether it makes
//! a valid rule is the domain validator's call, never this module's.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::domain::Id;
use crate::domain::metadata::ModuleSchema;
use crate::domain::pattern::{self, Pattern, PatternError};
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

/// A field rule's criteria as Zoho's web UI edits them: numbered condition rows and a pattern
/// joining them (`1 OR (2 AND 3)`). Any criteria, at any depth, load as rows plus a pattern.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(from = "CriteriaWire")]
pub struct CriteriaForm {
    pub rows: Vec<CondForm>,
    /// The pattern as typed.
    pub pattern: String,
    /// The pattern as loaded, text and structure. While the text and the row count are as
    /// loaded, the loaded structure is sent: Zoho's own shapes (a group of one) survive.
    pub loaded: Option<(String, Pattern)>,
}

/// What a draft may hold: today's criteria, or the one-level shape drafts were written in
/// before patterns (read so an upgrade never loses a draft).
#[derive(Deserialize)]
#[serde(untagged)]
enum CriteriaWire {
    Now {
        rows: Vec<CondForm>,
        pattern: String,
        loaded: Option<(String, Pattern)>,
    },
    Before(OldCriteria),
}

#[derive(Deserialize)]
enum OldCriteria {
    Flat { and: bool, rows: Vec<CondForm> },
    Kept(Criteria),
}

impl From<CriteriaWire> for CriteriaForm {
    fn from(w: CriteriaWire) -> CriteriaForm {
        match w {
            CriteriaWire::Now {
                rows,
                pattern,
                loaded,
            } => CriteriaForm {
                rows,
                pattern,
                loaded,
            },
            CriteriaWire::Before(OldCriteria::Flat { and, rows }) => {
                let op = if and {
                    GroupOperator::And
                } else {
                    GroupOperator::Or
                };
                CriteriaForm {
                    pattern: pattern::flat(rows.len(), op),
                    rows,
                    loaded: None,
                }
            }
            CriteriaWire::Before(OldCriteria::Kept(c)) => CriteriaForm::from_criteria(&c),
        }
    }
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
            criteria: CriteriaForm {
                rows: vec![CondForm::default()],
                pattern: "1".into(),
                loaded: None,
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

    /// Its condition rows.
    pub fn rows(&self) -> &[CondForm] {
        &self.criteria.rows
    }
}

impl CriteriaForm {
    pub fn from_criteria(c: &Criteria) -> CriteriaForm {
        let (conditions, structure) = pattern::split(c);
        let rows = conditions
            .iter()
            .map(|cond| {
                let text = value_text(&cond.value);
                CondForm {
                    field: cond.field.api_name.clone(),
                    comparator: cond.comparator.as_str().to_string(),
                    value: text.clone(),
                    loaded: Some((text, cond.value.clone())),
                    kind: cond.kind.clone(),
                    field_id: cond.field.id.clone(),
                }
            })
            .collect();
        let text = pattern::text(&structure);
        CriteriaForm {
            rows,
            pattern: text.clone(),
            loaded: Some((text, structure)),
        }
    }

    /// The structure the rows are joined by: the loaded one while its text and row count are
    /// unchanged, else the typed pattern read over the rows.
    pub fn structure(&self) -> Result<Pattern, PatternError> {
        if let Some((text, p)) = &self.loaded
            && *text == self.pattern
            && pattern::parse(text, self.rows.len()).is_ok()
        {
            return Ok(p.clone());
        }
        pattern::parse(&self.pattern, self.rows.len())
    }

    /// The structure, or, while the pattern cannot be read, the rows joined by AND so the
    /// rest of the rule can still be judged (the pattern's own error blocks the save).
    pub fn structure_or_flat(&self) -> Pattern {
        self.structure().unwrap_or_else(|_| {
            match pattern::parse(
                &pattern::flat(self.rows.len(), GroupOperator::And),
                self.rows.len(),
            ) {
                Ok(p) => p,
                Err(_) => Pattern::Group(GroupOperator::And, Vec::new()),
            }
        })
    }

    /// Appends an empty condition, its number joined at the pattern's top level.
    pub fn push_row(&mut self) {
        self.rows.push(CondForm::default());
        let n = self.rows.len();
        self.pattern = match pattern::parse(&self.pattern, n - 1) {
            Ok(p) => pattern::text(&pattern::append(&p, n)),
            // Unreadable (or there were no rows): the new number is joined by AND to what
            // was typed, and the pattern's inline error still says what to fix.
            Err(_) if n == 1 => "1".into(),
            Err(_) => format!("{} AND {n}", self.pattern.trim()),
        };
    }

    /// Removes condition row `j` (0-based): the rest renumber and the pattern loses its number.
    /// `false` when the pattern could not be read, so it was left as typed for the user to fix.
    pub fn remove_row(&mut self, j: usize) -> bool {
        if j >= self.rows.len() {
            return true;
        }
        let before = pattern::parse(&self.pattern, self.rows.len());
        self.rows.remove(j);
        match before {
            Ok(p) => {
                self.pattern = pattern::remove(&p, j + 1)
                    .map(|p| pattern::text(&p))
                    .unwrap_or_default();
                true
            }
            Err(_) => false,
        }
    }

    /// Switches the pattern's top level between AND and OR (nested groups keep theirs).
    /// `false` when the pattern cannot be read.
    pub fn switch_operator(&mut self) -> bool {
        match pattern::parse(&self.pattern, self.rows.len()) {
            Ok(p) => {
                self.pattern = pattern::text(&pattern::switch_top(&p));
                true
            }
            Err(_) => false,
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
