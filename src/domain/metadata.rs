//! Org metadata as Zoho's settings APIs describe it: modules, layouts, fields, signals, org.
//!
//! These are the wire types of `GET /crm/v8/settings/{modules,layouts,fields,signals}` and
//! `GET /crm/v8/org`. Keys Zoho marks nullable are `Option`; unknown keys are ignored on read so
//! a richer real org still parses.

use serde::{Deserialize, Serialize};

use super::id::Id;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Module {
    pub id: Id,
    pub api_name: String,
    #[serde(default)]
    pub module_name: Option<String>,
    #[serde(default)]
    pub singular_label: Option<String>,
    #[serde(default)]
    pub plural_label: Option<String>,
    #[serde(default)]
    pub generated_type: Option<String>,
    #[serde(default)]
    pub api_supported: Option<bool>,
    #[serde(default)]
    pub scoring_supported: Option<bool>,
    #[serde(default)]
    pub visible: Option<bool>,
    #[serde(default)]
    pub creatable: Option<bool>,
    #[serde(default)]
    pub editable: Option<bool>,
    #[serde(default)]
    pub status: Option<String>,
}

impl Module {
    /// Zoho's "people" modules: the only ones that take signal rules (Part A #7).
    pub fn is_people(&self) -> bool {
        is_people_module(&self.api_name)
    }
}

pub fn is_people_module(api_name: &str) -> bool {
    api_name == "Leads" || api_name == "Contacts"
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Layout {
    pub id: Id,
    pub name: String,
    #[serde(default)]
    pub api_name: Option<String>,
    #[serde(default)]
    pub display_label: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub visible: Option<bool>,
    #[serde(default)]
    pub generated_type: Option<String>,
    #[serde(default)]
    pub sections: Vec<Section>,
}

impl Layout {
    /// The name rules and criteria use to refer to the layout.
    pub fn api_name(&self) -> &str {
        self.api_name.as_deref().unwrap_or(&self.name)
    }

    pub fn label(&self) -> &str {
        self.display_label.as_deref().unwrap_or(&self.name)
    }

    pub fn has_field(&self, api_name: &str) -> bool {
        self.sections
            .iter()
            .any(|s| s.fields.iter().any(|f| f.api_name == api_name))
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Section {
    #[serde(default)]
    pub id: Option<Id>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub api_name: Option<String>,
    #[serde(default)]
    pub display_label: Option<String>,
    #[serde(default)]
    pub sequence_number: Option<i64>,
    #[serde(default)]
    pub column_count: Option<i64>,
    #[serde(default)]
    pub fields: Vec<SectionField>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SectionField {
    pub api_name: String,
    #[serde(default)]
    pub id: Option<Id>,
    #[serde(default)]
    pub field_label: Option<String>,
    #[serde(default)]
    pub data_type: Option<DataType>,
}

/// A field's `data_type`. Zoho leaves it an open string; the variants are the types the
/// criteria schemas name, and anything else is kept verbatim.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum DataType {
    Text,
    Textarea,
    Email,
    Phone,
    Website,
    Autonumber,
    Picklist,
    Multiselectpicklist,
    Date,
    Datetime,
    Integer,
    Bigint,
    Currency,
    Double,
    Decimal,
    Boolean,
    Lookup,
    Ownerlookup,
    Userlookup,
    Multiuserlookup,
    Multiselectlookup,
    Formula,
    RollupSummary,
    Other(String),
}

impl DataType {
    pub fn as_str(&self) -> &str {
        match self {
            DataType::Text => "text",
            DataType::Textarea => "textarea",
            DataType::Email => "email",
            DataType::Phone => "phone",
            DataType::Website => "website",
            DataType::Autonumber => "autonumber",
            DataType::Picklist => "picklist",
            DataType::Multiselectpicklist => "multiselectpicklist",
            DataType::Date => "date",
            DataType::Datetime => "datetime",
            DataType::Integer => "integer",
            DataType::Bigint => "bigint",
            DataType::Currency => "currency",
            DataType::Double => "double",
            DataType::Decimal => "decimal",
            DataType::Boolean => "boolean",
            DataType::Lookup => "lookup",
            DataType::Ownerlookup => "ownerlookup",
            DataType::Userlookup => "userlookup",
            DataType::Multiuserlookup => "multiuserlookup",
            DataType::Multiselectlookup => "multiselectlookup",
            DataType::Formula => "formula",
            DataType::RollupSummary => "rollup_summary",
            DataType::Other(s) => s,
        }
    }

    pub fn parse(s: &str) -> DataType {
        match s.to_ascii_lowercase().as_str() {
            "text" => DataType::Text,
            "textarea" => DataType::Textarea,
            "email" => DataType::Email,
            "phone" => DataType::Phone,
            "website" => DataType::Website,
            "autonumber" => DataType::Autonumber,
            "picklist" => DataType::Picklist,
            "multiselectpicklist" => DataType::Multiselectpicklist,
            "date" => DataType::Date,
            "datetime" => DataType::Datetime,
            "integer" => DataType::Integer,
            "bigint" => DataType::Bigint,
            "currency" => DataType::Currency,
            "double" => DataType::Double,
            "decimal" => DataType::Decimal,
            "boolean" => DataType::Boolean,
            "lookup" => DataType::Lookup,
            "ownerlookup" => DataType::Ownerlookup,
            "userlookup" => DataType::Userlookup,
            "multiuserlookup" => DataType::Multiuserlookup,
            "multiselectlookup" => DataType::Multiselectlookup,
            "formula" => DataType::Formula,
            "rollup_summary" => DataType::RollupSummary,
            _ => DataType::Other(s.to_string()),
        }
    }

    /// Text-like types: compared as case-insensitive strings.
    pub fn is_textual(&self) -> bool {
        matches!(
            self,
            DataType::Text
                | DataType::Textarea
                | DataType::Email
                | DataType::Phone
                | DataType::Website
                | DataType::Autonumber
                | DataType::Picklist
                | DataType::Multiselectpicklist
        )
    }

    pub fn is_numeric(&self) -> bool {
        matches!(
            self,
            DataType::Integer
                | DataType::Bigint
                | DataType::Currency
                | DataType::Double
                | DataType::Decimal
        )
    }

    pub fn is_temporal(&self) -> bool {
        matches!(self, DataType::Date | DataType::Datetime)
    }

    pub fn is_lookup(&self) -> bool {
        matches!(
            self,
            DataType::Lookup | DataType::Ownerlookup | DataType::Userlookup
        )
    }

    pub fn is_multi_lookup(&self) -> bool {
        matches!(
            self,
            DataType::Multiuserlookup | DataType::Multiselectlookup
        )
    }
}

impl serde::Serialize for DataType {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for DataType {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Ok(DataType::parse(&s))
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Field {
    pub id: Id,
    pub api_name: String,
    #[serde(default)]
    pub field_label: Option<String>,
    #[serde(default)]
    pub display_label: Option<String>,
    pub data_type: DataType,
    #[serde(default)]
    pub json_type: Option<String>,
    #[serde(default)]
    pub custom_field: Option<bool>,
    #[serde(default)]
    pub read_only: Option<bool>,
    #[serde(default)]
    pub visible: Option<bool>,
    #[serde(default)]
    pub system_mandatory: Option<bool>,
    #[serde(default)]
    pub length: Option<i64>,
    #[serde(default)]
    pub decimal_place: Option<i64>,
    #[serde(default)]
    pub pick_list_values: Vec<PickListValue>,
    #[serde(default)]
    pub lookup: Option<serde_json::Value>,
    #[serde(default)]
    pub formula: Option<FormulaInfo>,
    #[serde(default)]
    pub rollup_summary: Option<FormulaInfo>,
}

impl Field {
    pub fn label(&self) -> &str {
        self.display_label
            .as_deref()
            .or(self.field_label.as_deref())
            .unwrap_or(&self.api_name)
    }

    /// The type criteria on this field are checked and evaluated as: formula and rollup fields
    /// behave as their return type (OAS-new `FilterFieldBase`).
    pub fn effective_type(&self) -> DataType {
        let via = match self.data_type {
            DataType::Formula => self.formula.as_ref(),
            DataType::RollupSummary => self.rollup_summary.as_ref(),
            _ => None,
        };
        via.and_then(|f| f.return_type.as_deref())
            .map(DataType::parse)
            .unwrap_or_else(|| self.data_type.clone())
    }

    /// Score fields (and the custom fields that map a rule's scores) and the layout field may
    /// not appear in criteria.
    pub fn is_score_or_layout(&self) -> bool {
        is_score_or_layout_field(&self.api_name)
    }
}

/// The score fields of a scored record, as `reference_field.api_name` accepts them.
pub const SCORE_FIELDS: [&str; 6] = [
    "Positive_Score",
    "Negative_Score",
    "Touch_Point_Positive_Score",
    "Touch_Point_Negative_Score",
    "Touch_Point_Score",
    "Score",
];

pub fn is_score_or_layout_field(api_name: &str) -> bool {
    api_name == "Layout"
        || SCORE_FIELDS
            .iter()
            .any(|s| s.eq_ignore_ascii_case(api_name))
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FormulaInfo {
    #[serde(default)]
    pub return_type: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PickListValue {
    pub display_value: String,
    pub actual_value: String,
    #[serde(default)]
    pub id: Option<Id>,
    #[serde(default)]
    pub sequence_number: Option<i64>,
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Signal {
    pub id: Id,
    pub namespace: String,
    pub display_label: String,
    #[serde(default)]
    pub extension: Option<SignalExtension>,
    #[serde(default)]
    pub feature_availability: Option<FeatureAvailability>,
    #[serde(default)]
    pub chat_enabled: Option<bool>,
    #[serde(default)]
    pub enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub negative_signal: Option<bool>,
}

impl Signal {
    /// Only signals Zoho marks available for scoring can appear in signal rules.
    pub fn usable_for_scoring(&self) -> bool {
        self.feature_availability
            .as_ref()
            .is_some_and(|f| f.scoring)
    }

    /// "Email · Open": the source and the event, as a picker shows it.
    pub fn full_label(&self) -> String {
        match &self.extension {
            Some(ext) => format!("{} · {}", ext.display_label, self.display_label),
            None => self.display_label.clone(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SignalExtension {
    pub display_label: String,
    pub namespace: String,
    pub id: Id,
    #[serde(rename = "type")]
    pub kind: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeatureAvailability {
    pub scoring: bool,
    pub signals: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UserRef {
    pub name: String,
    pub id: Id,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zuid: Option<String>,
}

/// One module with everything the rule editor and the validator need about it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModuleSchema {
    pub module: Module,
    pub layouts: Vec<Layout>,
    pub fields: Vec<Field>,
}

impl ModuleSchema {
    pub fn field(&self, api_name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.api_name == api_name)
    }

    pub fn layout(&self, id: &Id) -> Option<&Layout> {
        self.layouts.iter().find(|l| &l.id == id)
    }

    pub fn is_people(&self) -> bool {
        self.module.is_people()
    }
}
