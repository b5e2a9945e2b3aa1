//! A small org for the validation tests: Leads (a people module with two layouts and fields of
//! most data types) and Deals (not a people module), a few signals, and rule summaries.

use serde_json::{Value, json};

use super::{RuleContext, RuleSummary};
use crate::domain::edition::Edition;
use crate::domain::id::Id;
use crate::domain::metadata::{
    DataType, FeatureAvailability, Field, FormulaInfo, Layout, Module, ModuleSchema, PickListValue,
    Section, SectionField, Signal, SignalExtension,
};

pub const LEADS_ID: &str = "1000";
pub const STANDARD: &str = "2001";
pub const PARTNER: &str = "2002";
pub const DEALS_ID: &str = "3000";
pub const DEALS_STANDARD: &str = "4001";
pub const OPEN: &str = "5001";
pub const CLICK: &str = "5002";
pub const NOT_PICKED: &str = "5003";
pub const BOUNCE: &str = "5004";

pub fn field(id: u64, api_name: &str, data_type: &str) -> Field {
    Field {
        id: Id::from(id),
        api_name: api_name.into(),
        field_label: Some(api_name.replace('_', " ")),
        display_label: None,
        data_type: DataType::parse(data_type),
        json_type: None,
        custom_field: Some(false),
        read_only: Some(false),
        visible: Some(true),
        system_mandatory: None,
        length: None,
        decimal_place: None,
        pick_list_values: vec![],
        lookup: None,
        formula: None,
        rollup_summary: None,
    }
}

fn picklist(id: u64, api_name: &str, data_type: &str, values: &[&str]) -> Field {
    let mut f = field(id, api_name, data_type);
    f.pick_list_values = values
        .iter()
        .map(|v| PickListValue {
            display_value: (*v).into(),
            actual_value: (*v).into(),
            id: None,
            sequence_number: None,
            kind: None,
        })
        .collect();
    f
}

fn module(id: &str, api_name: &str) -> Module {
    Module {
        id: Id::new(id),
        api_name: api_name.into(),
        module_name: Some(api_name.into()),
        singular_label: None,
        plural_label: Some(api_name.into()),
        generated_type: Some("default".into()),
        api_supported: Some(true),
        scoring_supported: Some(true),
        visible: Some(true),
        creatable: Some(true),
        editable: Some(true),
        status: None,
    }
}

fn layout(id: &str, name: &str, fields: &[&Field]) -> Layout {
    Layout {
        id: Id::new(id),
        name: name.replace(' ', "_"),
        api_name: Some(name.replace(' ', "_")),
        display_label: Some(name.into()),
        status: Some("active".into()),
        visible: Some(true),
        generated_type: None,
        sections: vec![Section {
            id: None,
            name: Some("Info".into()),
            api_name: None,
            display_label: None,
            sequence_number: Some(1),
            column_count: Some(2),
            fields: fields
                .iter()
                .map(|f| SectionField {
                    api_name: f.api_name.clone(),
                    id: Some(f.id.clone()),
                    field_label: f.field_label.clone(),
                    data_type: Some(f.data_type.clone()),
                })
                .collect(),
        }],
    }
}

pub fn leads() -> ModuleSchema {
    let mut revenue_band = field(1113, "Revenue_Band", "formula");
    revenue_band.formula = Some(FormulaInfo {
        return_type: Some("double".into()),
    });
    let mut lead_total = field(1120, "Lead_Total", "integer");
    lead_total.field_label = Some("Lead Total".into());
    lead_total.custom_field = Some(true);
    lead_total.read_only = Some(true);
    let mut budget = field(1121, "Budget", "currency");
    budget.custom_field = Some(true);
    let fields = vec![
        field(1101, "Last_Name", "text"),
        field(1102, "Company", "text"),
        field(1103, "Email", "email"),
        field(1104, "Country", "text"),
        picklist(
            1105,
            "Lead_Status",
            "picklist",
            &["Hot", "Cold", "Contacted"],
        ),
        field(1106, "Annual_Revenue", "currency"),
        field(1107, "No_of_Employees", "integer"),
        field(1108, "Birth_Date", "date"),
        field(1109, "Created_Time", "datetime"),
        field(1110, "Email_Opt_Out", "boolean"),
        field(1111, "Owner", "ownerlookup"),
        picklist(1112, "Skills", "multiselectpicklist", &["Rust", "Go"]),
        revenue_band,
        field(1114, "Assistants", "multiuserlookup"),
        field(1115, "Layout", "layout"),
        field(1116, "Score", "integer"),
        field(1117, "Positive_Score", "integer"),
        field(1118, "Negative_Score", "integer"),
        field(1119, "Touch_Point_Score", "integer"),
        lead_total,
        budget,
        field(1122, "Campaign", "lookup"),
    ];
    let by = |names: &[&str]| -> Vec<Field> {
        fields
            .iter()
            .filter(|f| names.contains(&f.api_name.as_str()))
            .cloned()
            .collect()
    };
    let all: Vec<&str> = fields.iter().map(|f| f.api_name.as_str()).collect();
    let standard = by(&all);
    let partner = by(&["Last_Name", "Company", "Email", "Lead_Status"]);
    ModuleSchema {
        module: module(LEADS_ID, "Leads"),
        layouts: vec![
            layout(STANDARD, "Standard", &standard.iter().collect::<Vec<_>>()),
            layout(
                PARTNER,
                "Partner Leads",
                &partner.iter().collect::<Vec<_>>(),
            ),
        ],
        fields,
    }
}

pub fn deals() -> ModuleSchema {
    let fields = vec![
        field(3101, "Deal_Name", "text"),
        picklist(3102, "Stage", "picklist", &["Qualification", "Closed Won"]),
        field(3103, "Amount", "currency"),
        field(3104, "Closing_Date", "date"),
        field(3105, "Score", "integer"),
        field(3106, "Positive_Score", "integer"),
    ];
    ModuleSchema {
        module: module(DEALS_ID, "Deals"),
        layouts: vec![layout(
            DEALS_STANDARD,
            "Standard",
            &fields.iter().collect::<Vec<_>>(),
        )],
        fields,
    }
}

fn signal(id: &str, namespace: &str, source: &str, label: &str, scoring: bool) -> Signal {
    Signal {
        id: Id::new(id),
        namespace: namespace.into(),
        display_label: label.into(),
        extension: Some(SignalExtension {
            display_label: source.into(),
            namespace: source.into(),
            id: Id::new("9"),
            kind: 2,
        }),
        feature_availability: Some(FeatureAvailability {
            scoring,
            signals: true,
        }),
        chat_enabled: Some(false),
        enabled: Some(true),
        negative_signal: None,
    }
}

pub fn signals() -> Vec<Signal> {
    vec![
        signal(OPEN, "EmailInsight_Open__s", "Email", "Open", true),
        signal(CLICK, "EmailInsight_Click__s", "Email", "Click", true),
        signal(
            NOT_PICKED,
            "Telephony_NotPicked__s",
            "Telephony",
            "Not picked",
            false,
        ),
        signal(BOUNCE, "zoho.emailinsight.bounce", "Email", "Bounce", true),
    ]
}

pub fn summary(
    id: u64,
    name: &str,
    module: &str,
    layout: Option<&str>,
    active: bool,
) -> RuleSummary {
    RuleSummary {
        id: Id::from(id),
        name: name.into(),
        module: module.into(),
        layout: layout.map(Id::new),
        active,
        custom_fields: 0,
        criteria: None,
    }
}

/// Owns what a `RuleContext` borrows.
pub struct Org {
    pub edition: Edition,
    pub leads: ModuleSchema,
    pub deals: ModuleSchema,
    pub signals: Vec<Signal>,
    pub others: Vec<RuleSummary>,
}

impl Org {
    pub fn new(edition: Edition) -> Org {
        Org {
            edition,
            leads: leads(),
            deals: deals(),
            signals: signals(),
            others: vec![summary(9001, "Existing Rule", "Deals", None, true)],
        }
    }

    pub fn leads(&self) -> RuleContext<'_> {
        self.ctx(&self.leads)
    }

    pub fn deals(&self) -> RuleContext<'_> {
        self.ctx(&self.deals)
    }

    fn ctx<'a>(&'a self, schema: &'a ModuleSchema) -> RuleContext<'a> {
        RuleContext {
            edition: self.edition,
            schema,
            signals: &self.signals,
            others: &self.others,
        }
    }
}

pub fn enterprise() -> Org {
    Org::new(Edition::Enterprise)
}

pub fn cond(field: &str, comparator: &str, value: Value) -> Value {
    json!({"field": {"api_name": field}, "comparator": comparator, "value": value})
}

/// A valid Leads create item touching every part of a rule.
pub fn leads_item() -> Value {
    json!({
        "name": "Hot leads",
        "description": "Scores engaged leads",
        "module": {"api_name": "Leads", "id": LEADS_ID},
        "layout": {"id": STANDARD, "api_name": "Standard"},
        "active": true,
        "field_rules": [
            {"score": 10, "criteria": {"group_operator": "or", "group": [
                cond("Company", "contains", json!("zoho")),
                cond("Lead_Status", "equal", json!("Hot"))
            ]}},
            {"score": -5, "criteria": cond("Country", "not_equal", json!("${EMPTY}"))}
        ],
        "signal_rules": [
            {"score": 7, "signal": {"namespace": "EmailInsight_Open__s", "id": OPEN}}
        ],
        "custom_fields": [
            {"field_label": "Engagement Score", "reference_field": {"api_name": "Score"}}
        ]
    })
}

/// A valid Deals create item.
pub fn deals_item() -> Value {
    json!({
        "name": "Big deals",
        "module": {"api_name": "Deals"},
        "field_rules": [{"score": 20, "criteria": cond("Amount", "greater_than", json!(10000))}]
    })
}
