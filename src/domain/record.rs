//! Records as the evaluator sees them, and the entity scores that scoring writes.
//!
//! A record's values are stored positionally, aligned with its module's `ModuleSchema::fields`,
//! so evaluating a condition is an index, not a hash lookup. Dates are days and date-times are
//! seconds since the Unix epoch (UTC) for the same reason.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::id::Id;

/// Text is shared (`Arc`), not owned: an org holds hundreds of thousands of values, most of
/// them repeats (picklist choices, owners, cities), so a record generator or loader can hand the
/// same string to every record, and a copy of a record (a scoring run's snapshot) costs
/// reference counts instead of string copies. It also keeps a value at 24 bytes instead of 48,
/// which is most of what a seeded org weighs.
#[derive(Clone, Debug, PartialEq)]
pub enum FieldValue {
    Null,
    Text(Arc<str>),
    Number(f64),
    Bool(bool),
    /// Days since 1970-01-01.
    Date(i32),
    /// Seconds since 1970-01-01T00:00:00Z.
    DateTime(i64),
    /// A multi-select picklist's chosen values.
    Multi(Arc<[Arc<str>]>),
    Lookup(Arc<LookupValue>),
    MultiLookup(Arc<[LookupValue]>),
}

impl FieldValue {
    pub fn text(s: impl Into<Arc<str>>) -> Self {
        FieldValue::Text(s.into())
    }

    pub fn multi<S: Into<Arc<str>>>(items: impl IntoIterator<Item = S>) -> Self {
        FieldValue::Multi(items.into_iter().map(Into::into).collect())
    }

    pub fn lookup(l: LookupValue) -> Self {
        FieldValue::Lookup(Arc::new(l))
    }

    pub fn multi_lookup(items: impl IntoIterator<Item = LookupValue>) -> Self {
        FieldValue::MultiLookup(items.into_iter().collect())
    }

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

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
