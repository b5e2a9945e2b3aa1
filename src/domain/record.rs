//! Records as the evaluator sees them, and the entity scores that scoring writes.
//!
//! A record's values are stored positionally, aligned with its module's `ModuleSchema::fields`,
//! so evaluating a condition is an index, not a hash lookup. Dates are days and date-times are
//! seconds since the Unix epoch (UTC) for the same reason.

use serde::{Deserialize, Serialize};

use super::id::Id;

#[derive(Clone, Debug, PartialEq)]
pub enum FieldValue {
    Null,
    Text(String),
    Number(f64),
    Bool(bool),
    /// Days since 1970-01-01.
    Date(i32),
    /// Seconds since 1970-01-01T00:00:00Z.
    DateTime(i64),
    /// A multi-select picklist's chosen values.
    Multi(Vec<String>),
    Lookup(LookupValue),
    MultiLookup(Vec<LookupValue>),
}

impl FieldValue {
    pub fn is_empty(&self) -> bool {
        match self {
            FieldValue::Null => true,
            FieldValue::Text(s) => s.is_empty(),
            FieldValue::Multi(v) => v.is_empty(),
            FieldValue::MultiLookup(v) => v.is_empty(),
            _ => false,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LookupValue {
    pub id: Id,
    pub name: String,
}

/// How many times a signal (email opened, survey answered, …) happened for a record in the
/// scoring window. A signal rule contributes its score once per event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SignalEvents {
    pub namespace: String,
    pub count: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    pub id: Id,
    /// Aligned with the module's field list.
    pub values: Vec<FieldValue>,
    pub signals: Vec<SignalEvents>,
}

/// One row of `Entity_Scores__s`: the scores one rule gave one record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EntityScore {
    pub id: Id,
    #[serde(rename = "Positive_Score", default)]
    pub positive_score: Option<i64>,
    #[serde(rename = "Negative_Score", default)]
    pub negative_score: Option<i64>,
    #[serde(rename = "Touch_Point_Score", default)]
    pub touch_point_score: Option<i64>,
    #[serde(rename = "Touch_Point_Positive_Score", default)]
    pub touch_point_positive_score: Option<i64>,
    #[serde(rename = "Touch_Point_Negative_Score", default)]
    pub touch_point_negative_score: Option<i64>,
    #[serde(rename = "Score", default)]
    pub score: Option<i64>,
    #[serde(rename = "Scoring_Rule", default)]
    pub scoring_rule: Option<NamedRef>,
    #[serde(rename = "Entity", default, skip_serializing_if = "Option::is_none")]
    pub entity: Option<EntityRef>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NamedRef {
    #[serde(default)]
    pub name: Option<String>,
    pub id: Id,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EntityRef {
    #[serde(default)]
    pub name: Option<String>,
    pub id: Id,
    pub module: super::rule::ModuleRef,
}
