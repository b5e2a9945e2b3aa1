//! The shapes of the seed files in `assets/seed/`. They mirror Zoho's JSON but leave out ids
//! (assigned at load) and add a few seed-only keys (`gen`, `weight`, `record_count`, …) that
//! drive the record generator. Unknown keys are rejected so a typo in a hand-edited seed is an
//! error, not a silently ignored setting.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{Map, Value};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestFile {
    #[serde(default)]
    #[allow(dead_code, reason = "a note for people editing the seed")]
    pub about: Option<String>,
    /// The 13 digits every id starts with.
    pub id_prefix: String,
    pub random_seed: u64,
    /// Module files, in the order the modules are listed by the API.
    pub modules: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrgFile {
    #[serde(default)]
    #[allow(dead_code, reason = "a note for people editing the seed")]
    pub about: Option<String>,
    /// UTC offset of the org's time zone, e.g. `+05:30`: rule timestamps are written with it.
    pub utc_offset: String,
    pub org: Map<String, Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UsersFile {
    #[serde(default)]
    #[allow(dead_code, reason = "a note for people editing the seed")]
    pub about: Option<String>,
    pub users: Vec<UserEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserEntry {
    pub name: String,
    pub email: String,
    pub zuid: String,
    pub role: String,
    pub profile: String,
    #[serde(default = "one")]
    pub owner_weight: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignalsFile {
    #[serde(default)]
    #[allow(dead_code, reason = "a note for people editing the seed")]
    pub about: Option<String>,
    pub extensions: Vec<ExtensionEntry>,
    pub signals: Vec<SignalEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtensionEntry {
    pub namespace: String,
    pub display_label: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignalEntry {
    pub namespace: String,
    pub display_label: String,
    /// The extension's namespace.
    pub extension: String,
    pub scoring: bool,
    pub signals: bool,
    pub chat_enabled: bool,
    pub enabled: bool,
    #[serde(default)]
    pub negative_signal: bool,
    /// How often generated people records carry this signal; 0 = never.
    #[serde(default)]
    pub record_weight: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModuleFile {
    #[serde(default)]
    #[allow(dead_code, reason = "a note for people editing the seed")]
    pub about: Option<String>,
    pub module: ModuleEntry,
    /// The field whose value names a record in lookups to this module.
    pub display_field: String,
    pub record_count: usize,
    pub fields: Vec<FieldEntry>,
    pub layouts: Vec<LayoutEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModuleEntry {
    pub api_name: String,
    pub module_name: String,
    pub singular_label: String,
    pub plural_label: String,
    pub generated_type: String,
    #[serde(default = "yes")]
    pub api_supported: bool,
    #[serde(default = "yes")]
    pub scoring_supported: bool,
    #[serde(default = "yes")]
    pub visible: bool,
    #[serde(default = "yes")]
    pub creatable: bool,
    #[serde(default = "yes")]
    pub editable: bool,
    #[serde(default = "visible")]
    pub status: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldEntry {
    pub api_name: String,
    pub field_label: String,
    pub data_type: String,
    #[serde(default)]
    pub json_type: Option<String>,
    #[serde(default)]
    pub custom_field: bool,
    #[serde(default)]
    pub read_only: bool,
    #[serde(default)]
    pub system_mandatory: bool,
    #[serde(default)]
    pub length: Option<i64>,
    #[serde(default)]
    pub decimal_place: Option<i64>,
    #[serde(default)]
    pub pick_list_values: Vec<PickEntry>,
    /// Target module of a lookup or multi-select lookup.
    #[serde(default)]
    pub lookup: Option<String>,
    #[serde(default)]
    pub formula: Option<ComputedEntry>,
    #[serde(default)]
    pub rollup_summary: Option<ComputedEntry>,
    /// How records get a value; absent = a default for the data type.
    #[serde(default)]
    pub r#gen: Option<Gen>,
    /// Share of records (among those whose layout has the field) left empty.
    #[serde(default)]
    pub null_rate: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum PickEntry {
    Plain(String),
    Full(PickObject),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PickObject {
    pub display_value: String,
    #[serde(default)]
    pub actual_value: Option<String>,
    #[serde(default = "one")]
    pub weight: u32,
}

impl PickEntry {
    pub fn display(&self) -> &str {
        match self {
            PickEntry::Plain(s) => s,
            PickEntry::Full(p) => &p.display_value,
        }
    }

    pub fn actual(&self) -> &str {
        match self {
            PickEntry::Plain(s) => s,
            PickEntry::Full(p) => p.actual_value.as_deref().unwrap_or(&p.display_value),
        }
    }

    pub fn weight(&self) -> u32 {
        match self {
            PickEntry::Plain(_) => 1,
            PickEntry::Full(p) => p.weight,
        }
    }
}

/// A formula or roll-up: only `return_type` reaches the API; the rest documents the seed.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComputedEntry {
    pub return_type: String,
    #[serde(default)]
    #[allow(
        dead_code,
        reason = "documents the seed; Zoho's field JSON is not modelled that far"
    )]
    pub expression: Option<String>,
    #[serde(default)]
    #[allow(
        dead_code,
        reason = "documents the seed; Zoho's field JSON is not modelled that far"
    )]
    pub based_on_module: Option<String>,
}

/// Value generators. Relative dates are in days from `now` (negative = past).
#[derive(Debug, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Gen {
    FirstName,
    LastName,
    FullName,
    Company,
    JobTitle,
    Department,
    City,
    Country,
    Email,
    PersonalEmail,
    Website,
    Phone,
    Sentence,
    Ticker,
    DealName,
    Choice {
        values: Vec<String>,
        #[serde(default)]
        weights: Vec<u32>,
    },
    /// For (multi-)picklists: how many values a multi-select gets.
    Picks {
        min: u32,
        max: u32,
    },
    Number {
        min: f64,
        max: f64,
        /// Log-uniform: most values small, a long tail of large ones (revenue, headcount).
        #[serde(default)]
        log: bool,
        /// Round to a multiple of this (≥ 1), e.g. 1000 for revenue.
        #[serde(default)]
        step: Option<f64>,
        /// Else round to this many decimals (default 0 for integers, 2 otherwise).
        #[serde(default)]
        decimals: Option<u32>,
    },
    Date {
        from: i64,
        to: i64,
    },
    Bool {
        p: f64,
    },
    /// The product of two numeric fields of the same record, times `scale`.
    Product {
        of: Vec<String>,
        #[serde(default = "unit_scale")]
        scale: f64,
    },
    /// A number looked up from another field's value.
    Map {
        from: String,
        map: BTreeMap<String, f64>,
        #[serde(default)]
        default: Option<f64>,
    },
    Autonumber {
        #[serde(default)]
        prefix: String,
        #[serde(default = "one_u64")]
        start: u64,
        #[serde(default)]
        width: usize,
    },
    Owner,
    User,
    Users {
        min: u32,
        max: u32,
    },
    Record,
    Records {
        min: u32,
        max: u32,
    },
    Created,
    Modified,
    Activity,
    Layout,
    /// Always empty: score fields, which only scoring fills.
    Empty,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayoutEntry {
    pub api_name: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub display_label: Option<String>,
    #[serde(default = "active")]
    pub status: String,
    #[serde(default = "yes")]
    pub visible: bool,
    #[serde(default = "custom")]
    pub generated_type: String,
    /// Relative share of the module's records in this layout.
    #[serde(default = "one")]
    pub weight: u32,
    pub sections: Vec<SectionEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionEntry {
    pub display_label: String,
    #[serde(default = "two")]
    pub column_count: i64,
    pub fields: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesFile {
    #[serde(default)]
    #[allow(dead_code, reason = "a note for people editing the seed")]
    pub about: Option<String>,
    pub rules: Vec<RuleEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleEntry {
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    pub module: String,
    /// `None`: the rule applies to every layout.
    pub layout: Option<String>,
    #[serde(default = "yes")]
    pub active: bool,
    /// A user's email.
    pub created_by: String,
    pub created_days_ago: u32,
    #[serde(default)]
    pub modified_by: Option<String>,
    #[serde(default)]
    pub modified_days_ago: Option<u32>,
    #[serde(default)]
    pub field_rules: Vec<FieldRuleEntry>,
    #[serde(default)]
    pub signal_rules: Vec<SignalRuleEntry>,
    #[serde(default)]
    pub custom_fields: Vec<CustomFieldEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldRuleEntry {
    pub score: i64,
    /// Zoho's criteria JSON, fields by api_name; checked and typed at load.
    pub criteria: Value,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignalRuleEntry {
    pub score: i64,
    /// The signal's namespace.
    pub signal: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomFieldEntry {
    pub api_name: String,
    pub field_label: String,
    pub reference_field: ReferenceEntry,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferenceEntry {
    pub api_name: String,
}

fn yes() -> bool {
    true
}
fn one() -> u32 {
    1
}
fn one_u64() -> u64 {
    1
}
fn two() -> i64 {
    2
}
fn unit_scale() -> f64 {
    1.0
}
fn visible() -> String {
    "visible".into()
}
fn active() -> String {
    "active".into()
}
fn custom() -> String {
    "custom".into()
}
