//! Hostile request bodies: hundreds of deterministic mutations of valid create and update
//! bodies. None may get a 5xx or a non-JSON answer, and a refused request changes nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Harness, RULES, leads_rule};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// SplitMix64: deterministic, so a failure reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn junk(rng: &mut Rng) -> Value {
    match rng.below(12) {
        0 => Value::Null,
        1 => json!(true),
        2 => json!(-1),
        3 => json!(1e308),
        4 => json!("\u{1b}[2J\u{202e}evil"),
        5 => json!("x".repeat(600)),
        6 => json!([]),
        7 => json!({}),
        8 => json!([1, "a", null]),
        9 => json!({"group_operator": "XOR", "group": [1]}),
        10 => json!("${EMPTY}"),
        _ => json!(9_999_999_999_999_999_999u64),
    }
}

/// Replaces, removes or wraps one node somewhere in the value.
fn mutate(v: &mut Value, rng: &mut Rng, depth: usize) {
    let here = depth > 6 || rng.below(4) == 0;
    match v {
        Value::Object(map) if !here && !map.is_empty() => {
            let keys: Vec<String> = map.keys().cloned().collect();
            let k = &keys[rng.below(keys.len())];
            if rng.below(5) == 0 {
                map.remove(k);
            } else if let Some(child) = map.get_mut(k) {
                mutate(child, rng, depth + 1);
            }
        }
        Value::Array(items) if !here && !items.is_empty() => {
            let i = rng.below(items.len());
            if rng.below(5) == 0 {
                let copy = items[i].clone();
                items.push(copy);
            } else {
                mutate(&mut items[i], rng, depth + 1);
            }
        }
        _ => *v = junk(rng),
    }
}

#[tokio::test]
async fn mutated_bodies_never_get_a_5xx_nor_change_state_when_refused() {
    let h = Harness::start().await;
    let (layout, _) = h.layout("Leads", "Standard").await;
    let existing = h.create(leads_rule("Hostile target", &layout)).await;
    let mut base = leads_rule("Hostile", &layout);
    base["field_rules"]
        .as_array_mut()
        .unwrap()
        .push(json!({"score": -5, "criteria": {"group_operator": "or", "group": [
            {"field": {"api_name": "Country"}, "comparator": "in", "value": ["India", "Japan"]},
            {"field": {"api_name": "Annual_Revenue"}, "comparator": "between", "value": [1000, 5000]}]}}));
    let mut rng = Rng(42);
    let mut refused = 0;
    for round in 0..300 {
        let snapshot = h.get(&format!("{RULES}?per_page=200")).await.body;
        let mut body = json!({"scoring_rules": [base.clone()]});
        for _ in 0..=rng.below(3) {
            mutate(&mut body, &mut rng, 0);
        }
        let r = if round % 2 == 0 {
            h.post(RULES, body.clone()).await
        } else {
            if let Some(item) = body
                .get_mut("scoring_rules")
                .and_then(|l| l.get_mut(0))
                .and_then(Value::as_object_mut)
            {
                item.insert("id".into(), json!(existing));
            }
            h.put(RULES, Some(body.clone())).await
        };
        assert!(
            r.status.as_u16() < 500,
            "round {round}: {} for {body}",
            r.status
        );
        assert!(
            r.content_type
                .as_deref()
                .unwrap_or("")
                .starts_with("application/json"),
            "round {round}"
        );
        if r.status == StatusCode::BAD_REQUEST {
            refused += 1;
            let after = h.get(&format!("{RULES}?per_page=200")).await.body;
            assert_eq!(
                snapshot, after,
                "round {round}: a refused request changed the org: {body}"
            );
        } else if r.status == StatusCode::CREATED {
            // A mutation that is still a valid rule: remove it so names stay free.
            h.delete(&format!("{RULES}/{}", r.id(0))).await;
        }
    }
    assert!(
        refused > 100,
        "the mutations exercise the error paths ({refused} refused)"
    );
}
