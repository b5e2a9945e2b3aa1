//! The rule file: one JSON object per rule, keys in a fixed order, 2-space indent, a trailing
//! newline, no ids and no timestamps, so files diff cleanly and mean the same in any org.
//!
//! ```json
//! { "name": "Hot web leads", "description": null, "module": "Leads", "layout": "Standard",
//!   "active": true,
//!   "field_rules": [ { "score": 10, "criteria": { "field": "Lead_Source",
//!                      "comparator": "equal", "value": "Web Download" } } ],
//!   "signal_rules": [ { "score": 5, "signal": "EmailInsight_Open__s" } ],
//!   "custom_fields": [ { "field_label": "Partner Referral Score", "reference_field": "Score" } ] }
//! ```
//!
//! Fields are named by api_name, signals by namespace, layouts by api_name (`null`: every
//! layout), score fields by api_name. A condition's `type` is written only when it is not the
//! default `value`. Reading is strict about keys and types (an unknown key is an error naming its
//! path, since a typo such as `"scroe"` would otherwise silently drop a score) and lenient about
//! what a person may leave out: `description`, `layout` (`null`), `active` (`true`, as in Zoho)
//! and the three lists (empty; `null` is read as empty too).

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Unexpected, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::domain::id::Id;
use crate::domain::rule::{Comparator, GroupOperator};

/// The sidecar's file name, at the top of the export directory.
pub const SIDECAR: &str = ".zscore-ids.json";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    pub module: String,
    #[serde(default)]
    pub layout: Option<String>,
    #[serde(default = "yes")]
    pub active: bool,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub field_rules: Vec<FileFieldRule>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub signal_rules: Vec<FileSignalRule>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub custom_fields: Vec<FileCustomField>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileFieldRule {
    pub score: i64,
    pub criteria: FileCriteria,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSignalRule {
    pub score: i64,
    /// The signal's namespace, e.g. `EmailInsight_Open__s`.
    pub signal: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileCustomField {
    pub field_label: String,
    /// The score field it holds (`Score`, `Positive_Score`, …). `null` when the source org did
    /// not say (Zoho's GET answers a custom field with only its api_name and id): such a field
    /// can be kept in the org it came from, but not created anywhere.
    #[serde(default)]
    pub reference_field: Option<String>,
}

/// A condition or a group, told apart by their keys (as on the wire).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum FileCriteria {
    Group(FileGroup),
    Condition(FileCondition),
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FileGroup {
    pub group_operator: GroupOperator,
    pub group: Vec<FileCriteria>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FileCondition {
    /// The field's api_name.
    pub field: String,
    pub comparator: Comparator,
    pub value: Value,
    /// `None` is Zoho's default, `value`; reading turns an explicit `"value"` into `None`.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

/// Where a file's rule lives in the org it was exported from. Keys are written sorted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdEntry {
    #[serde(default)]
    pub layout_id: Option<Id>,
    /// Recorded so a client can warn that the org's rule changed since the export.
    #[serde(default)]
    pub modified_time: Option<String>,
    #[serde(default)]
    pub module_id: Option<Id>,
    pub rule_id: Id,
}

/// The sidecar: rel path of each file → its origin.
pub type Sidecar = BTreeMap<String, IdEntry>;

/// Pretty JSON with a trailing newline, the one way files are written.
pub fn to_pretty<T: Serialize>(v: &T) -> Result<String, serde_json::Error> {
    let mut s = serde_json::to_string_pretty(v)?;
    s.push('\n');
    Ok(s)
}

fn yes() -> bool {
    true
}

fn null_as_empty<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// Condition `type`s besides the default (OAS-new).
const KINDS: [&str; 4] = ["value", "merge_field", "pre_defined", "field"];
const CONDITION_KEYS: [&str; 4] = ["field", "comparator", "value", "type"];
const GROUP_KEYS: [&str; 2] = ["group_operator", "group"];
const ALL_KEYS: [&str; 6] = [
    "field",
    "comparator",
    "value",
    "type",
    "group_operator",
    "group",
];

/// A criteria key. Read through its own `Deserialize` so that an unknown key fails while the
/// key is being read, which is when serde_path_to_error puts the key on the path.
#[derive(Clone, Copy, PartialEq)]
enum Key {
    Field,
    Comparator,
    Value,
    Type,
    GroupOperator,
    Group,
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a criteria key")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Key, E> {
                Ok(match s {
                    "field" => Key::Field,
                    "comparator" => Key::Comparator,
                    "value" => Key::Value,
                    "type" => Key::Type,
                    "group_operator" => Key::GroupOperator,
                    "group" => Key::Group,
                    other => return Err(E::unknown_field(other, &ALL_KEYS)),
                })
            }
        }
        d.deserialize_identifier(V)
    }
}

/// Reads a string that must be one of a fixed set, failing inside the value (so the path
/// names the key) with the allowed spellings.
fn one_of<'de, D: Deserializer<'de>>(d: D, allowed: &'static str) -> Result<String, D::Error> {
    struct V(&'static str);
    impl Visitor<'_> for V {
        type Value = String;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str(self.0)
        }
        fn visit_str<E: de::Error>(self, s: &str) -> Result<String, E> {
            Ok(s.to_string())
        }
    }
    d.deserialize_str(V(allowed))
}

struct KnownComparator(Comparator);

impl<'de> Deserialize<'de> for KnownComparator {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        const EXPECTED: &str = "a comparator: equal, not_equal, like, not_like, starts_with, \
            ends_with, contains, not_contains, less_than, less_equal, greater_than, \
            greater_equal, between, not_between, in, not_in, include_all, include_any, \
            exclude_all or exclude_any";
        let s = one_of(d, EXPECTED)?;
        match Comparator::parse(&s) {
            Comparator::Unknown(_) => Err(de::Error::invalid_value(Unexpected::Str(&s), &EXPECTED)),
            known => Ok(KnownComparator(known)),
        }
    }
}

struct KnownOperator(GroupOperator);

impl<'de> Deserialize<'de> for KnownOperator {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        const EXPECTED: &str = "AND or OR";
        let s = one_of(d, EXPECTED)?;
        GroupOperator::parse(&s)
            .map(KnownOperator)
            .ok_or_else(|| de::Error::invalid_value(Unexpected::Str(&s), &EXPECTED))
    }
}

/// `None` for the default kind, `value`.
struct Kind(Option<String>);

impl<'de> Deserialize<'de> for Kind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        const EXPECTED: &str = "value, merge_field, pre_defined or field";
        let s = one_of(d, EXPECTED)?;
        if !KINDS.contains(&s.as_str()) {
            return Err(de::Error::invalid_value(Unexpected::Str(&s), &EXPECTED));
        }
        Ok(Kind((s != "value").then_some(s)))
    }
}

struct FieldName(String);

impl<'de> Deserialize<'de> for FieldName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Files name a field by its api_name alone; the message says so to someone who pasted
        // the wire form `{"api_name": …}`.
        one_of(d, "a field api_name as a string, e.g. \"Lead_Source\"").map(FieldName)
    }
}

impl<'de> Deserialize<'de> for FileCriteria {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(CriteriaVisitor)
    }
}

struct CriteriaVisitor;

#[derive(Default)]
struct Parts {
    field: Option<String>,
    comparator: Option<Comparator>,
    value: Option<Value>,
    kind: Option<Option<String>>,
    operator: Option<GroupOperator>,
    group: Option<Vec<FileCriteria>>,
}

impl<'de> Visitor<'de> for CriteriaVisitor {
    type Value = FileCriteria;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a condition {field, comparator, value} or a group {group_operator, group}")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<FileCriteria, A::Error> {
        fn dup<E: de::Error>(seen: bool, key: &'static str) -> Result<(), E> {
            if seen {
                Err(E::duplicate_field(key))
            } else {
                Ok(())
            }
        }
        let mut p = Parts::default();
        while let Some(key) = map.next_key::<Key>()? {
            match key {
                Key::Field => {
                    dup(p.field.is_some(), "field")?;
                    p.field = Some(map.next_value::<FieldName>()?.0);
                }
                Key::Comparator => {
                    dup(p.comparator.is_some(), "comparator")?;
                    p.comparator = Some(map.next_value::<KnownComparator>()?.0);
                }
                Key::Value => {
                    dup(p.value.is_some(), "value")?;
                    p.value = Some(map.next_value()?);
                }
                Key::Type => {
                    dup(p.kind.is_some(), "type")?;
                    p.kind = Some(map.next_value::<Kind>()?.0);
                }
                Key::GroupOperator => {
                    dup(p.operator.is_some(), "group_operator")?;
                    p.operator = Some(map.next_value::<KnownOperator>()?.0);
                }
                Key::Group => {
                    dup(p.group.is_some(), "group")?;
                    p.group = Some(map.next_value()?);
                }
            }
        }
        p.finish()
    }
}

impl Parts {
    fn finish<E: de::Error>(self) -> Result<FileCriteria, E> {
        let is_group = self.operator.is_some() || self.group.is_some();
        let is_condition = self.field.is_some()
            || self.comparator.is_some()
            || self.value.is_some()
            || self.kind.is_some();
        if is_group && is_condition {
            return Err(E::custom(format!(
                "a criterion is either a condition ({}) or a group ({}), not both",
                CONDITION_KEYS.join(", "),
                GROUP_KEYS.join(", ")
            )));
        }
        if is_group {
            return Ok(FileCriteria::Group(FileGroup {
                group_operator: self
                    .operator
                    .ok_or_else(|| E::missing_field("group_operator"))?,
                group: self.group.ok_or_else(|| E::missing_field("group"))?,
            }));
        }
        Ok(FileCriteria::Condition(FileCondition {
            field: self.field.ok_or_else(|| E::missing_field("field"))?,
            comparator: self
                .comparator
                .ok_or_else(|| E::missing_field("comparator"))?,
            value: self.value.ok_or_else(|| E::missing_field("value"))?,
            kind: self.kind.flatten(),
        }))
    }
}
