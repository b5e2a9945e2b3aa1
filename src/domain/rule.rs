//! Scoring rules as Zoho's `/settings/automation/scoring_rules` API carries them.
//!
//! Serde here is the wire format, read leniently (ids as numbers or strings, `null` lists) and
//! written the way Zoho answers (ids as strings, empty sub-rule lists as `null`, group operators
//! in upper case). Raw request bodies are checked key by key in `validate::parse` before they
//! become these types, so these types never need to carry "wrong type" states.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use super::id::Id;
use super::metadata::UserRef;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModuleRef {
    pub api_name: String,
    #[serde(default)]
    pub id: Option<Id>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LayoutRef {
    pub id: Id,
    #[serde(default)]
    pub api_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_label: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScoringRule {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Id>,
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    pub module: ModuleRef,
    /// `None`: the rule applies to every layout of the module.
    #[serde(default)]
    pub layout: Option<LayoutRef>,
    #[serde(default = "default_true")]
    pub active: bool,
    #[serde(
        default,
        deserialize_with = "null_as_empty",
        serialize_with = "empty_as_null"
    )]
    pub field_rules: Vec<FieldRule>,
    #[serde(
        default,
        deserialize_with = "null_as_empty",
        serialize_with = "empty_as_null"
    )]
    pub signal_rules: Vec<SignalRule>,
    #[serde(
        default,
        deserialize_with = "null_as_empty",
        serialize_with = "empty_as_null"
    )]
    pub custom_fields: Vec<CustomField>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<UserRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified_by: Option<UserRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_signal_rules: Option<bool>,
}

fn default_true() -> bool {
    true
}

impl ScoringRule {
    pub fn layout_id(&self) -> Option<&Id> {
        self.layout.as_ref().map(|l| &l.id)
    }

    /// Leaf conditions across all field rules: what the edition's "criteria per rule" counts.
    pub fn condition_count(&self) -> usize {
        self.field_rules
            .iter()
            .map(|fr| fr.criteria.leaf_count())
            .sum()
    }

    /// Lowest and highest score one record can get from this rule's field rules (signal rules
    /// add per event and are not bounded, so they are left out).
    pub fn field_score_span(&self) -> (i64, i64) {
        let min = self.field_rules.iter().map(|f| f.score.min(0)).sum();
        let max = self.field_rules.iter().map(|f| f.score.max(0)).sum();
        (min, max)
    }

    /// The rule as a create item: what Zoho assigns (the rule's and its sub-items' ids,
    /// timestamps, authors) dropped, custom fields kept by their labels and references so
    /// Zoho makes new ones. Re-creating a deleted rule and copying one into another layout
    /// both send this.
    pub fn create_item(&self) -> Value {
        let mut r = self.clone();
        r.id = None;
        r.created_time = None;
        r.modified_time = None;
        r.created_by = None;
        r.modified_by = None;
        r.has_signal_rules = None;
        r.field_rules.iter_mut().for_each(|f| f.id = None);
        r.signal_rules.iter_mut().for_each(|s| s.id = None);
        r.custom_fields.iter_mut().for_each(|c| {
            c.id = None;
            c.api_name = None;
        });
        serde_json::to_value(&r).unwrap_or(Value::Null)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldRule {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Id>,
    pub score: i64,
    pub criteria: Criteria,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SignalRule {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Id>,
    pub score: i64,
    pub signal: SignalRef,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SignalRef {
    pub namespace: String,
    pub id: Id,
}

/// A score-holding field of a rule. Requests give `field_label` and `reference_field`;
/// responses give the created field's `api_name` and `id`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomField {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field_label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_field: Option<ReferenceField>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReferenceField {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Id>,
}

/// A criterion: one condition, or a group of criteria joined by AND / OR (nesting allowed).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Criteria {
    Group(Group),
    Condition(Condition),
}

impl Criteria {
    pub fn leaf_count(&self) -> usize {
        match self {
            Criteria::Condition(_) => 1,
            Criteria::Group(g) => g.group.iter().map(Criteria::leaf_count).sum(),
        }
    }

    /// Every leaf condition, depth first.
    pub fn conditions(&self) -> Vec<&Condition> {
        let mut out = Vec::new();
        fn walk<'a>(c: &'a Criteria, out: &mut Vec<&'a Condition>) {
            match c {
                Criteria::Condition(x) => out.push(x),
                Criteria::Group(g) => g.group.iter().for_each(|m| walk(m, out)),
            }
        }
        walk(self, &mut out);
        out
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Group {
    pub group_operator: GroupOperator,
    pub group: Vec<Criteria>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GroupOperator {
    And,
    Or,
}

impl GroupOperator {
    pub fn as_str(self) -> &'static str {
        match self {
            GroupOperator::And => "AND",
            GroupOperator::Or => "OR",
        }
    }

    /// Zoho accepts `AND`/`OR` in any case (Part A #3).
    pub fn parse(s: &str) -> Option<Self> {
        if s.eq_ignore_ascii_case("and") {
            Some(GroupOperator::And)
        } else if s.eq_ignore_ascii_case("or") {
            Some(GroupOperator::Or)
        } else {
            None
        }
    }
}

impl Serialize for GroupOperator {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for GroupOperator {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        GroupOperator::parse(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown group_operator {s:?}")))
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Condition {
    pub field: FieldRef,
    pub comparator: Comparator,
    #[serde(default)]
    pub value: Value,
    /// `value` (default), `merge_field`, `pre_defined` or `field`.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Set in responses when the criterion refers to a field or value that no longer resolves.
    #[serde(
        default,
        rename = "$disrupted",
        skip_serializing_if = "Option::is_none"
    )]
    pub disrupted: Option<bool>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldRef {
    pub api_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Id>,
}

/// Criteria comparators, spelled as in the v8 spec (Part A #2). Unknown spellings are kept so a
/// client can show them instead of failing to parse a whole rule.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Comparator {
    Equal,
    NotEqual,
    Like,
    NotLike,
    StartsWith,
    EndsWith,
    Contains,
    NotContains,
    LessThan,
    LessEqual,
    GreaterThan,
    GreaterEqual,
    Between,
    NotBetween,
    In,
    NotIn,
    IncludeAll,
    IncludeAny,
    ExcludeAll,
    ExcludeAny,
    Unknown(String),
}

impl Comparator {
    pub const ALL: [Comparator; 20] = [
        Comparator::Equal,
        Comparator::NotEqual,
        Comparator::Like,
        Comparator::NotLike,
        Comparator::StartsWith,
        Comparator::EndsWith,
        Comparator::Contains,
        Comparator::NotContains,
        Comparator::LessThan,
        Comparator::LessEqual,
        Comparator::GreaterThan,
        Comparator::GreaterEqual,
        Comparator::Between,
        Comparator::NotBetween,
        Comparator::In,
        Comparator::NotIn,
        Comparator::IncludeAll,
        Comparator::IncludeAny,
        Comparator::ExcludeAll,
        Comparator::ExcludeAny,
    ];

    pub fn as_str(&self) -> &str {
        match self {
            Comparator::Equal => "equal",
            Comparator::NotEqual => "not_equal",
            Comparator::Like => "like",
            Comparator::NotLike => "not_like",
            Comparator::StartsWith => "starts_with",
            Comparator::EndsWith => "ends_with",
            Comparator::Contains => "contains",
            Comparator::NotContains => "not_contains",
            Comparator::LessThan => "less_than",
            Comparator::LessEqual => "less_equal",
            Comparator::GreaterThan => "greater_than",
            Comparator::GreaterEqual => "greater_equal",
            Comparator::Between => "between",
            Comparator::NotBetween => "not_between",
            Comparator::In => "in",
            Comparator::NotIn => "not_in",
            Comparator::IncludeAll => "include_all",
            Comparator::IncludeAny => "include_any",
            Comparator::ExcludeAll => "exclude_all",
            Comparator::ExcludeAny => "exclude_any",
            Comparator::Unknown(s) => s,
        }
    }

    pub fn parse(s: &str) -> Comparator {
        Comparator::ALL
            .iter()
            .find(|c| c.as_str() == s)
            .cloned()
            .unwrap_or_else(|| Comparator::Unknown(s.to_string()))
    }

    /// How a person reads it in a criteria line: `Country = India`.
    pub fn symbol(&self) -> &str {
        match self {
            Comparator::Equal => "=",
            Comparator::NotEqual => "≠",
            Comparator::Like => "like",
            Comparator::NotLike => "not like",
            Comparator::StartsWith => "starts with",
            Comparator::EndsWith => "ends with",
            Comparator::Contains => "contains",
            Comparator::NotContains => "does not contain",
            Comparator::LessThan => "<",
            Comparator::LessEqual => "≤",
            Comparator::GreaterThan => ">",
            Comparator::GreaterEqual => "≥",
            Comparator::Between => "between",
            Comparator::NotBetween => "not between",
            Comparator::In => "in",
            Comparator::NotIn => "not in",
            Comparator::IncludeAll => "includes all of",
            Comparator::IncludeAny => "includes any of",
            Comparator::ExcludeAll => "excludes all of",
            Comparator::ExcludeAny => "excludes any of",
            Comparator::Unknown(s) => s,
        }
    }
}

impl Serialize for Comparator {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Comparator {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Ok(Comparator::parse(&s))
    }
}

fn null_as_empty<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

fn empty_as_null<S, T>(v: &[T], s: S) -> Result<S::Ok, S::Error>
where
    S: Serializer,
    T: Serialize,
{
    if v.is_empty() {
        s.serialize_none()
    } else {
        v.serialize(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_official_get_example() {
        let j = r#"{"created_time":"2025-11-19T19:56:51+05:30","has_signal_rules":false,
 "module":{"api_name":"Leads","id":"111114000000002628"},"active":false,"description":null,
 "created_by":{"name":"Vignesh SR","id":"111114000000057344","zuid":"43249796"},
 "layout":{"display_label":"Standard","api_name":"Standard","id":"111114000000003626"},
 "modified_time":"2025-11-21T11:26:40+05:30",
 "field_rules":[{"score":-10,"criteria":{"comparator":"not_equal","field":{"api_name":"Country","id":"111114000000004892"},"type":"value","value":"${EMPTY}"},"id":"111114000000314012"}],
 "name":"Lead - Scoring","modified_by":null,"id":"111114000000314009",
 "signal_rules":[{"score":-100,"id":"111114000000316001","signal":{"namespace":"zoho.emailinsight.bounce","id":"111114000000034755"}}]}"#;
        let r: ScoringRule = serde_json::from_str(j).unwrap();
        assert_eq!(r.name, "Lead - Scoring");
        assert_eq!(r.field_rules[0].criteria.leaf_count(), 1);
        assert!(
            matches!(&r.field_rules[0].criteria, Criteria::Condition(c) if c.comparator == Comparator::NotEqual)
        );
        let back = serde_json::to_value(&r).unwrap();
        let again: ScoringRule = serde_json::from_value(back).unwrap();
        assert_eq!(r, again);
    }

    #[test]
    fn groups_accept_any_case_and_answer_upper_case() {
        let c: Criteria = serde_json::from_str(
            r#"{"group_operator":"or","group":[{"field":{"api_name":"A"},"comparator":"equal","value":"x"},
               {"field":{"api_name":"B","id":123},"comparator":"contains","value":"y"}]}"#,
        )
        .unwrap();
        assert_eq!(c.leaf_count(), 2);
        let v = serde_json::to_value(&c).unwrap();
        assert_eq!(v["group_operator"], "OR");
        assert_eq!(v["group"][1]["field"]["id"], "123");
    }

    #[test]
    fn empty_sub_rule_lists_are_null_on_the_wire() {
        let r = ScoringRule {
            id: None,
            name: "x".into(),
            description: None,
            module: ModuleRef {
                api_name: "Deals".into(),
                id: None,
            },
            layout: None,
            active: true,
            field_rules: vec![],
            signal_rules: vec![],
            custom_fields: vec![],
            created_time: None,
            modified_time: None,
            created_by: None,
            modified_by: None,
            has_signal_rules: None,
        };
        let v = serde_json::to_value(&r).unwrap();
        assert!(v["signal_rules"].is_null() && v["layout"].is_null());
    }
}
