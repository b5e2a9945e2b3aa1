//! Deterministic bench data: a 17-field Leads schema, records drawn with SplitMix64, and
//! rules built from the same JSON shapes the API takes.

// Fixtures are literals: a broken one should abort the bench loudly.
#![allow(clippy::expect_used)]

use serde_json::{Value, json};
use zscore::domain::evaluate::EvalContext;
use zscore::domain::id::Id;
use zscore::domain::metadata::{DataType, Field, Module, ModuleSchema};
use zscore::domain::record::{FieldValue, LookupValue, Record, SignalEvents};
use zscore::domain::rule::ScoringRule;

/// 2026-11-23T10:00:00Z.
pub const NOW: i64 = 1_795_428_000;
pub const DAY: i64 = 86_400;

pub struct SplitMix64(pub u64);

impl SplitMix64 {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

pub const FIELDS: [(&str, DataType); 17] = [
    ("Last_Name", DataType::Text),
    ("Company", DataType::Text),
    ("Designation", DataType::Text),
    ("Email", DataType::Email),
    ("City", DataType::Text),
    ("Lead_Source", DataType::Picklist),
    ("Industry", DataType::Picklist),
    ("Lead_Status", DataType::Picklist),
    ("Rating", DataType::Picklist),
    ("Interests", DataType::Multiselectpicklist),
    ("Annual_Revenue", DataType::Currency),
    ("No_of_Employees", DataType::Integer),
    ("Probability", DataType::Double),
    ("Last_Activity_Date", DataType::Date),
    ("Created_Time", DataType::Datetime),
    ("Email_Opt_Out", DataType::Boolean),
    ("Owner", DataType::Ownerlookup),
];

pub const NAMES: &[&str] = &[
    "Smith", "García", "Müller", "Tanaka", "Okafor", "Dubois", "Rossi",
];
pub const COMPANIES: &[&str] = &[
    "Acme Bank",
    "Globex",
    "Initech",
    "Umbrella Corp",
    "Société Générale",
    "Northwind Traders",
    "Contoso",
    "Fabrikam Bank",
];
pub const DESIGNATIONS: &[&str] = &[
    "Sales Manager",
    "Regional Manager",
    "Director of Sales",
    "VP Marketing",
    "CEO",
    "Analyst",
    "Software Engineer",
    "Head of Procurement",
    "Directrice Générale",
    "Purchasing Officer",
];
pub const DOMAINS: &[&str] = &[
    "gmail.com",
    "example.com",
    "acme.io",
    "globex.com",
    "yahoo.co.uk",
];
pub const CITIES: &[&str] = &[
    "München",
    "Paris",
    "London",
    "Tokyo",
    "New York",
    "São Paulo",
    "Chennai",
    "Berlin",
];
pub const SOURCES: &[&str] = &[
    "Web",
    "Cold Call",
    "Trade Show",
    "Partner",
    "Advertisement",
    "Referral",
];
pub const INDUSTRIES: &[&str] = &[
    "Banking",
    "Retail",
    "Manufacturing",
    "Healthcare",
    "Education",
];
pub const STATUSES: &[&str] = &["New", "Contacted", "Qualified", "Junk", "Lost"];
pub const RATINGS: &[&str] = &["Hot", "Warm", "Cold"];
pub const INTERESTS: &[&str] = &["Golf", "Tennis", "Chess", "Sailing", "Running"];
pub const SIGNALS: &[&str] = &[
    "EmailInsight_Open__s",
    "EmailInsight_Click__s",
    "Survey_Responded__s",
];

pub fn schema() -> ModuleSchema {
    let module: Module =
        serde_json::from_value(json!({"id": "1", "api_name": "Leads"})).expect("module fixture");
    let fields = FIELDS
        .iter()
        .enumerate()
        .map(|(i, (api, dt))| {
            serde_json::from_value::<Field>(json!({
                "id": format!("{}", 100 + i),
                "api_name": api,
                "field_label": api.replace('_', " "),
                "data_type": dt.as_str(),
            }))
            .expect("field fixture")
        })
        .collect();
    ModuleSchema {
        module,
        layouts: vec![],
        fields,
    }
}

pub fn records(n: usize) -> Vec<Record> {
    let mut rng = SplitMix64(0x5EED_2026);
    (0..n).map(|i| record(&mut rng, i)).collect()
}

/// Optional text fields are Null about 5% of the time.
pub fn record(rng: &mut SplitMix64, i: usize) -> Record {
    let name = rng.pick(NAMES);
    let company = format!("{} {}", rng.pick(COMPANIES), rng.below(100));
    let designation = rng.pick(DESIGNATIONS).to_string();
    let email = format!("{}{i}@{}", name.to_lowercase(), rng.pick(DOMAINS));
    let city = rng.pick(CITIES).to_string();
    let source = rng.pick(SOURCES).to_string();
    let industry = rng.pick(INDUSTRIES).to_string();
    let rating = rng.pick(RATINGS).to_string();
    let mut optional = [company, designation, email, city, source, industry, rating]
        .map(|s| {
            if rng.chance(5) {
                FieldValue::Null
            } else {
                FieldValue::text(s)
            }
        })
        .into_iter();
    let mut next = || optional.next().unwrap_or(FieldValue::Null);
    let values = vec![
        FieldValue::text(name),
        next(),
        next(),
        next(),
        next(),
        next(),
        next(),
        FieldValue::text(rng.pick(STATUSES).to_string()),
        next(),
        FieldValue::multi(INTERESTS.iter().copied().filter(|_| rng.chance(30))),
        FieldValue::Number(10f64.powi(3 + rng.below(6) as i32) * (1 + rng.below(9)) as f64),
        FieldValue::Number((1 + rng.below(10_000)) as f64),
        FieldValue::Number(rng.below(101) as f64),
        FieldValue::Date((NOW / DAY - rng.below(730) as i64) as i32),
        FieldValue::DateTime(NOW - rng.below(730 * DAY as u64) as i64),
        FieldValue::Bool(rng.chance(10)),
        FieldValue::lookup(LookupValue {
            id: Id::from(1001 + rng.below(10)),
            name: "Owner".into(),
        }),
    ];
    let mut signals = Vec::new();
    for ns in SIGNALS {
        if rng.chance(40) {
            signals.push(SignalEvents {
                namespace: ns.to_string(),
                count: rng.below(5) as u32,
            });
        }
    }
    Record {
        id: Id::from(i as u64 + 1),
        values,
        signals,
    }
}

pub fn c(field: &str, comparator: &str, value: Value) -> Value {
    json!({"field": {"api_name": field}, "comparator": comparator, "value": value})
}

pub fn all(members: Vec<Value>) -> Value {
    json!({"group_operator": "AND", "group": members})
}

pub fn any(members: Vec<Value>) -> Value {
    json!({"group_operator": "OR", "group": members})
}

pub fn scoring_rule(field_rules: Vec<(i64, Value)>) -> ScoringRule {
    let field_rules: Vec<Value> = field_rules
        .into_iter()
        .map(|(score, criteria)| json!({"score": score, "criteria": criteria}))
        .collect();
    let signal_rules: Vec<Value> = SIGNALS
        .iter()
        .enumerate()
        .map(|(i, ns)| json!({"score": 3 - 2 * i as i64, "signal": {"namespace": ns, "id": "9"}}))
        .collect();
    serde_json::from_value(json!({
        "name": "Bench", "module": {"api_name": "Leads"},
        "field_rules": field_rules, "signal_rules": signal_rules,
    }))
    .expect("rule fixture")
}

/// 6 field rules × 5 conditions, nested AND / OR, values rotated by `k` so rules differ.
pub fn wide_rule(k: usize) -> ScoringRule {
    let at = |items: &[&'static str], j: usize| items[(k + j) % items.len()];
    let k64 = k as i64;
    scoring_rule(vec![
        (
            20,
            all(vec![
                c(
                    "Lead_Source",
                    "in",
                    json!([at(SOURCES, 0), at(SOURCES, 1), at(SOURCES, 2)]),
                ),
                c("Industry", "equal", json!(at(INDUSTRIES, 0))),
                c("Annual_Revenue", "greater_than", json!(10_000 * (k64 + 1))),
                c("No_of_Employees", "between", json!([50, 5000])),
                c("Email_Opt_Out", "equal", json!(false)),
            ]),
        ),
        (
            15,
            any(vec![
                c("Designation", "contains", json!("manager")),
                c("Designation", "contains", json!("director")),
                c("Designation", "starts_with", json!("vp")),
                c("Company", "contains", json!("bank")),
                c("City", "equal", json!(at(CITIES, 0))),
            ]),
        ),
        (
            10,
            all(vec![
                c(
                    "Last_Activity_Date",
                    "equal",
                    json!(format!("${{LAST_N_DAYS:{}}}", 60 + 10 * k)),
                ),
                c("Lead_Status", "not_in", json!(["Junk", "Lost"])),
                c("Rating", "in", json!([at(RATINGS, 0), at(RATINGS, 1)])),
                c("Probability", "greater_equal", json!((10 * k64) % 60)),
                c(
                    "Created_Time",
                    "greater_equal",
                    json!(format!("${{LAST_N_MONTHS:{}}}", 6 + k)),
                ),
            ]),
        ),
        (
            25,
            any(vec![
                all(vec![
                    c("Rating", "equal", json!("Hot")),
                    c("Probability", "greater_than", json!(50)),
                ]),
                all(vec![
                    c(
                        "Interests",
                        "in",
                        json!([at(INTERESTS, 0), at(INTERESTS, 1)]),
                    ),
                    c(
                        "Owner",
                        "equal",
                        json!({"id": format!("{}", 1001 + k % 10)}),
                    ),
                ]),
                c("Created_Time", "equal", json!("${THISMONTH}")),
            ]),
        ),
        (
            -15,
            all(vec![
                c("Email", "not_contains", json!("gmail")),
                c(
                    "Email",
                    "ends_with",
                    json!(format!(".{}", ["com", "io", "uk"][k % 3])),
                ),
                any(vec![
                    c(
                        "City",
                        "in",
                        json!([at(CITIES, 1), at(CITIES, 2), at(CITIES, 3)]),
                    ),
                    c("Company", "like", json!("%bank%")),
                ]),
                c("Designation", "not_equal", json!("${EMPTY}")),
            ]),
        ),
        (
            -5,
            any(vec![
                c("Annual_Revenue", "between", json!([1000, 5000 * (k64 + 1)])),
                c("No_of_Employees", "greater_than", json!(9000 - 100 * k64)),
                c("Probability", "less_than", json!(5)),
                c(
                    "Last_Activity_Date",
                    "less_than",
                    json!(format!("${{AGEINDAYS}}+{}", 300 + 10 * k)),
                ),
                c("Lead_Source", "not_equal", json!(at(SOURCES, 3))),
            ]),
        ),
    ])
}

/// 20 one-condition field rules of one kind: every leaf runs on every record.
pub fn flat_rule(conditions: impl Fn(usize) -> Value) -> ScoringRule {
    scoring_rule((0..20).map(|i| (1, conditions(i))).collect())
}

pub fn ctx() -> EvalContext {
    EvalContext {
        now: NOW,
        current_user: Some(Id::new("1001")),
        current_role: None,
    }
}
