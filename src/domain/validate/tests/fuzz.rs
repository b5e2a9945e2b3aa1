//! Property: no input makes validation panic. A tiny deterministic mutator (xorshift) breaks valid
//! create and update items in a few hundred ways; every stage runs on whatever still parses.

use serde_json::{Map, Value, json};

use super::super::fixtures::{OPEN, cond, deals_item, enterprise, leads_item};
use super::super::{Op, apply_patch, check_capacity, check_rule, parse_create, parse_update};
use crate::domain::id::Id;
use crate::domain::violation::Violation;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<T: Clone>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())].clone()
    }
}

fn scalars() -> Vec<Value> {
    vec![
        Value::Null,
        json!(true),
        json!(0),
        json!(-1),
        json!(101),
        json!(-101),
        json!(i64::MIN),
        json!(u64::MAX),
        json!(1.5),
        json!(1e300),
        json!(""),
        json!(" "),
        json!("x"),
        json!("\u{1b}[2J\u{202E}"),
        json!("${EMPTY}"),
        json!("${NOTEMPTY}"),
        json!("${LAST_N_DAYS:99999999999}"),
        json!("${AGEINDAYS}+-"),
        json!("é".repeat(30)),
        json!("12345678901234567890"),
        json!("2025-02-30"),
        json!("AND"),
        json!("between"),
        json!({"id": "${CURRENTUSER}"}),
        json!({"id": OPEN}),
        json!([]),
        json!({}),
        json!([1, "a", null]),
    ]
}

/// Pointers to every node of `v`, the root included.
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => m
            .iter()
            .for_each(|(k, x)| pointers(x, format!("{at}/{k}"), out)),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, x)| pointers(x, format!("{at}/{i}"), out)),
        _ => {}
    }
    out.push(at);
}

fn nested(depth: usize) -> Value {
    let mut c = cond("Company", "equal", json!("x"));
    for _ in 0..depth {
        c = json!({"group_operator": "or", "group": [c]});
    }
    c
}

fn mutate(doc: &mut Value, rng: &mut Rng) {
    let mut all = Vec::new();
    pointers(doc, String::new(), &mut all);
    let target = rng.pick(&all);
    let donor = doc.pointer(&rng.pick(&all)).cloned().unwrap_or(Value::Null);
    let keys = [
        "_delete",
        "group",
        "group_operator",
        "field",
        "id",
        "value",
        "score",
        "signal",
    ];
    let Some(node) = doc.pointer_mut(&target) else {
        return;
    };
    match rng.below(9) {
        0 | 1 => *node = rng.pick(&scalars()),
        2 => *node = json!([node.take()]),
        3 => *node = donor,
        4 => *node = nested(rng.below(40)),
        5 => match node {
            Value::Object(m) if !m.is_empty() => {
                let k = m
                    .keys()
                    .nth(rng.below(m.len()))
                    .cloned()
                    .unwrap_or_default();
                let v = m.remove(&k).unwrap_or(Value::Null);
                m.insert(rng.pick(&keys).to_string(), v);
            }
            Value::Array(a) if !a.is_empty() => {
                let i = rng.below(a.len());
                a.remove(i);
            }
            other => *other = Value::Object(Map::new()),
        },
        6 => match node {
            Value::Array(a) if !a.is_empty() => {
                let x = a[rng.below(a.len())].clone();
                a.extend(std::iter::repeat_n(x, 1 + rng.below(30)));
            }
            Value::Object(m) => {
                m.insert(rng.pick(&keys).to_string(), rng.pick(&scalars()));
            }
            other => *other = json!([other.take(), other.clone()]),
        },
        7 => {
            if let Value::Object(m) = node {
                m.clear();
            }
        }
        _ => {
            *node = json!({"field": {"api_name": "Lead_Status", "id": 1105}, "comparator": rng.pick(&["in", "between", "include_all", "equal"]), "value": rng.pick(&scalars())})
        }
    }
}

fn stored() -> crate::domain::rule::ScoringRule {
    let mut r = parse_create(&leads_item()).unwrap();
    r.id = Some(Id::new("10"));
    r.field_rules[0].id = Some(Id::new("11"));
    r.field_rules[1].id = Some(Id::new("12"));
    r.signal_rules[0].id = Some(Id::new("21"));
    r.custom_fields[0].id = Some(Id::new("31"));
    r
}

fn well_formed(vs: &[Violation]) {
    for v in vs {
        let wire = v.to_wire(0);
        assert!(
            wire["code"].is_string() && wire["message"].is_string() && wire["status"] == "error"
        );
        assert!(!v.hint.is_empty(), "{v:?} has no hint");
        assert!(
            !v.hint.chars().any(super::super::text::is_unsafe),
            "hint echoes a control character: {:?}",
            v.hint
        );
    }
}

#[test]
fn no_input_makes_validation_panic() {
    let org = enterprise();
    let update = json!({"id": "10", "name": "n", "description": null,
        "field_rules": [{"id": "11", "score": 3}, {"id": "12", "_delete": null},
                        {"score": 4, "criteria": cond("Email", "contains", json!("@"))}],
        "signal_rules": [{"id": "21", "signal": {"id": OPEN, "namespace": "EmailInsight_Open__s"}}],
        "custom_fields": [{"id": "31", "field_label": "Renamed"}]});
    let seeds = [leads_item(), deals_item(), update];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let (mut parsed, mut refused) = (0, 0);
    for round in 0..600 {
        let mut doc = seeds[round % seeds.len()].clone();
        for _ in 0..=rng.below(4) {
            mutate(&mut doc, &mut rng);
        }
        match parse_create(&doc) {
            Ok(rule) => {
                parsed += 1;
                for ctx in [org.leads(), org.deals()] {
                    for op in [Op::Create, Op::Update] {
                        well_formed(&check_rule(&rule, &ctx, op));
                    }
                    well_formed(check_capacity(rule.layout_id(), true, true, &ctx).as_slice());
                }
            }
            Err(e) => {
                refused += 1;
                assert!(!e.is_empty(), "an Err always says why");
                well_formed(&e);
            }
        }
        match parse_update(&doc) {
            Ok(patch) => match apply_patch(&stored(), &patch) {
                Ok(p) => well_formed(&p.check(&org.leads())),
                Err(e) => well_formed(&e),
            },
            Err(e) => well_formed(&e),
        }
    }
    assert!(
        parsed > 30 && refused > 30,
        "mutations should both keep and break rules ({parsed} parsed, {refused} refused)"
    );
}
