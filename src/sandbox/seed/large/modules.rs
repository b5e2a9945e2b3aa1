//! The large org's module files: the demo's four standard modules and its custom Partners
//! module, widened to 7 layouts and re-sized, then generated custom modules from one template.

use serde_json::{Value, json};

use super::super::SeedError;
use super::super::rng::SplitMix64;
use super::{LAYOUTS, LargeOrg};

/// The demo's module files the large org starts from, in the order the API lists them.
const DEMO_MODULES: [&str; 5] = [
    "modules/leads.json",
    "modules/contacts.json",
    "modules/accounts.json",
    "modules/deals.json",
    "modules/partners.json",
];

/// Layouts added to a demo module to reach 7 (copies of its first layout, as admins make them).
const EXTRA_LAYOUTS: [&str; 6] = [
    "North_America",
    "EMEA",
    "APAC",
    "LATAM",
    "Inside_Sales",
    "Key_Accounts",
];

/// Custom modules are named from these, then again with a region: 33 × 3 = 99 names.
const NOUNS: [&str; 33] = [
    "Projects",
    "Vendors",
    "Tickets",
    "Subscriptions",
    "Invoices",
    "Shipments",
    "Warranties",
    "Assets",
    "Licenses",
    "Trainings",
    "Events",
    "Memberships",
    "Donations",
    "Grants",
    "Properties",
    "Leases",
    "Policies",
    "Claims",
    "Patients",
    "Students",
    "Courses",
    "Vehicles",
    "Orders",
    "Returns",
    "Suppliers",
    "Contracts",
    "Renewals",
    "Referrals",
    "Sponsors",
    "Tenders",
    "Audits",
    "Inspections",
    "Installations",
];
const REGIONS: [&str; 3] = ["", "EMEA", "APAC"];

/// `(file name, module file)` for every module, standard ones first.
pub(super) fn module_files(
    spec: &LargeOrg,
    rng: &mut SplitMix64,
) -> Result<Vec<(String, Value)>, SeedError> {
    if spec.custom_modules == 0 || spec.custom_modules > 1 + NOUNS.len() * REGIONS.len() {
        return Err(SeedError::invalid(
            "large org",
            "custom_modules",
            format!(
                "between 1 (the demo's Partners, which the standard modules look up) and {} custom modules",
                1 + NOUNS.len() * REGIONS.len()
            ),
        ));
    }
    let mut out = Vec::with_capacity(4 + spec.custom_modules);
    for name in DEMO_MODULES {
        let mut m = super::super::embedded_json(name)?;
        m["record_count"] = json!(if name == "modules/leads.json" {
            spec.leads
        } else {
            spec.records_per_module
        });
        widen_layouts(&mut m);
        out.push((name.to_string(), m));
    }
    for i in 0..spec.custom_modules - 1 {
        let noun = NOUNS[i % NOUNS.len()];
        let region = REGIONS[i / NOUNS.len()];
        let (api_name, label) = if region.is_empty() {
            (noun.to_string(), noun.to_string())
        } else {
            (format!("{noun}_{region}"), format!("{noun} {region}"))
        };
        let m = custom_module(&api_name, &label, spec.records_per_module, rng);
        out.push((
            format!("modules/generated/{}.json", api_name.to_lowercase()),
            m,
        ));
    }
    Ok(out)
}

/// Adds copies of the first layout until the module has `LAYOUTS`.
fn widen_layouts(m: &mut Value) {
    let Some(layouts) = m["layouts"].as_array_mut() else {
        return;
    };
    let Some(first) = layouts.first().cloned() else {
        return;
    };
    let mut extra = EXTRA_LAYOUTS.iter();
    while layouts.len() < LAYOUTS {
        let Some(name) = extra.next() else { break };
        let mut l = first.clone();
        l["api_name"] = json!(name);
        l["name"] = json!(name.replace('_', " "));
        l["display_label"] = json!(name.replace('_', " "));
        l["generated_type"] = json!("custom");
        l["weight"] = json!(4);
        layouts.push(l);
    }
}

fn picks(values: &[&str], rng: &mut SplitMix64) -> Value {
    Value::Array(
        values
            .iter()
            .map(|v| json!({"display_value": v, "weight": 1 + rng.below(20)}))
            .collect(),
    )
}

/// One custom module: a record name, four picklists, two numbers, a flag, a date, a lookup to
/// Accounts and the system fields; 7 layouts over the same fields in different sections.
fn custom_module(api_name: &str, label: &str, records: usize, rng: &mut SplitMix64) -> Value {
    let singular = label.trim_end_matches('s');
    let fields = json!([
        {"api_name": "Owner", "field_label": format!("{singular} Owner"), "data_type": "ownerlookup", "gen": {"kind": "owner"}},
        {"api_name": "Name", "field_label": format!("{singular} Name"), "data_type": "text", "system_mandatory": true, "gen": {"kind": "company"}},
        {"api_name": "Reference", "field_label": "Reference", "data_type": "autonumber", "custom_field": true, "read_only": true,
         "gen": {"kind": "autonumber", "prefix": "REF-", "start": 1, "width": 5}},
        {"api_name": "Tier", "field_label": "Tier", "data_type": "picklist", "custom_field": true,
         "pick_list_values": picks(&["Bronze", "Silver", "Gold", "Platinum"], rng)},
        {"api_name": "Stage", "field_label": "Stage", "data_type": "picklist", "custom_field": true, "null_rate": 0.02,
         "pick_list_values": picks(&["New", "Qualified", "Active", "Dormant", "Closed"], rng)},
        {"api_name": "Region", "field_label": "Region", "data_type": "picklist", "custom_field": true, "null_rate": 0.03,
         "pick_list_values": picks(&["North America", "EMEA", "APAC", "LATAM"], rng)},
        {"api_name": "Channel", "field_label": "Channel", "data_type": "picklist", "custom_field": true,
         "pick_list_values": picks(&["Direct", "Partner", "Online"], rng)},
        {"api_name": "Amount", "field_label": "Amount", "data_type": "currency", "custom_field": true, "decimal_place": 2,
         "gen": {"kind": "number", "min": 1000, "max": 500000, "log": true, "step": 100}, "null_rate": 0.05},
        {"api_name": "Units", "field_label": "Units", "data_type": "integer", "custom_field": true,
         "gen": {"kind": "number", "min": 0, "max": 500}},
        {"api_name": "Priority", "field_label": "Priority", "data_type": "boolean", "custom_field": true, "gen": {"kind": "bool", "p": 0.3}},
        {"api_name": "Start_Date", "field_label": "Start Date", "data_type": "date", "custom_field": true,
         "gen": {"kind": "date", "from": -900, "to": -1}, "null_rate": 0.05},
        {"api_name": "Account", "field_label": "Account", "data_type": "lookup", "custom_field": true, "lookup": "Accounts", "null_rate": 0.2},
        {"api_name": "Created_By", "field_label": "Created By", "data_type": "ownerlookup", "read_only": true, "gen": {"kind": "user"}},
        {"api_name": "Modified_By", "field_label": "Modified By", "data_type": "ownerlookup", "read_only": true, "gen": {"kind": "user"}},
        {"api_name": "Created_Time", "field_label": "Created Time", "data_type": "datetime", "read_only": true, "gen": {"kind": "created"}},
        {"api_name": "Modified_Time", "field_label": "Modified Time", "data_type": "datetime", "read_only": true, "gen": {"kind": "modified"}},
        {"api_name": "Last_Activity_Time", "field_label": "Last Activity Time", "data_type": "datetime", "read_only": true, "gen": {"kind": "activity"}},
        {"api_name": "Layout", "field_label": "Layout", "data_type": "layout", "json_type": "jsonobject", "gen": {"kind": "layout"}},
        {"api_name": "Score", "field_label": "Score", "data_type": "integer", "read_only": true, "gen": {"kind": "empty"}},
        {"api_name": "Positive_Score", "field_label": "Positive Score", "data_type": "integer", "read_only": true, "gen": {"kind": "empty"}},
        {"api_name": "Negative_Score", "field_label": "Negative Score", "data_type": "integer", "read_only": true, "gen": {"kind": "empty"}}
    ]);
    let system = json!({"display_label": "System Information",
        "fields": ["Created_By", "Modified_By", "Created_Time", "Modified_Time", "Last_Activity_Time"]});
    let layouts: Vec<Value> = ["Standard", "Direct", "Partner", "Online", "Enterprise", "SMB", "Public_Sector"]
        .iter()
        .enumerate()
        .map(|(i, name)| {
            json!({
                "api_name": name,
                "name": name.replace('_', " "),
                "display_label": name.replace('_', " "),
                "generated_type": if i == 0 { "default" } else { "custom" },
                "weight": if i == 0 { 40 } else { 10 },
                "sections": [
                    {"display_label": format!("{singular} Information"),
                     "fields": ["Owner", "Name", "Reference", "Tier", "Stage", "Region", "Channel", "Account"]},
                    {"display_label": "Commercials", "fields": ["Amount", "Units", "Priority", "Start_Date"]},
                    system.clone()
                ]
            })
        })
        .collect();
    json!({
        "about": "Generated for the large org.",
        "module": {
            "api_name": api_name,
            "module_name": api_name,
            "singular_label": singular,
            "plural_label": label,
            "generated_type": "custom"
        },
        "display_field": "Name",
        "record_count": records,
        "fields": fields,
        "layouts": layouts,
    })
}
