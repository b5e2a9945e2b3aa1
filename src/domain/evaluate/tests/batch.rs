//! The batch evaluator agrees with `CompiledRule::score` record for record: random rules over
//! the seeded org's schemas (every field, every comparator its type takes, operands drawn from
//! the records' own values, special values and junk), on the seeded records plus copies with
//! values swapped for Null, empty values and other fields' values of other kinds.

use chrono::DateTime;
use proptest::prelude::*;
use serde_json::{Value, json};

use super::{NOW, condition, ctx, group, rule};
use crate::domain::evaluate::CompiledRule;
use crate::domain::evaluate::batch::Batch;
use crate::domain::metadata::ModuleSchema;
use crate::domain::operand::comparators_for;
use crate::domain::record::{FieldValue, Record};
use crate::domain::rule::Criteria;
use crate::sandbox::http::records::value_json;
use crate::sandbox::seed::{SeedOrg, load_embedded};

/// SplitMix64: the property draws one seed and builds the whole case from it.
pub(super) struct Rng(pub(super) u64);

impl Rng {
    pub(super) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub(super) fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    pub(super) fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len()))
    }
}

pub(super) fn seed() -> &'static SeedOrg {
    static SEED: std::sync::OnceLock<SeedOrg> = std::sync::OnceLock::new();
    SEED.get_or_init(|| {
        let now = DateTime::from_timestamp(NOW, 0).unwrap();
        load_embedded(now).unwrap()
    })
}

const SPECIAL: &[&str] = &[
    "${EMPTY}",
    "${NOTEMPTY}",
    "${TODAY}",
    "${YESTERDAY}",
    "${THISWEEK}",
    "${THISMONTH}",
    "${LASTYEAR}",
    "${LAST_N_DAYS:30}",
    "${NEXT_N_MONTHS:2}",
    "${AGEINDAYS}+10",
    "${CURRENTUSER}",
    "",
];

/// One operand for `field`: mostly a value some record has (so conditions do match), else a
/// special value, a wildcard fragment or a number.
fn operand(rng: &mut Rng, records: &[Record], field: usize) -> Value {
    let from_record = |rng: &mut Rng| {
        let r = rng.pick(records)?;
        Some(value_json(r.values.get(field)?))
    };
    match rng.below(10) {
        0..=4 => match from_record(rng) {
            Some(Value::String(s)) if rng.below(3) == 0 => {
                let cut: String = s.chars().take(1 + rng.below(4)).collect();
                json!(format!("{cut}%"))
            }
            Some(Value::Object(o)) => o.get("id").cloned().unwrap_or(Value::Null),
            Some(v) => v,
            None => Value::Null,
        },
        5 => {
            let a = from_record(rng).unwrap_or(Value::Null);
            let b = from_record(rng).unwrap_or(Value::Null);
            json!([a, b])
        }
        6 | 7 => json!(rng.pick(SPECIAL).copied().unwrap_or("")),
        8 => json!(rng.below(200_000) as i64 - 1000),
        _ => json!([rng.below(50), rng.below(100_000)]),
    }
}

pub(super) fn criteria(
    rng: &mut Rng,
    schema: &ModuleSchema,
    records: &[Record],
    depth: u32,
) -> Criteria {
    if depth == 0 || rng.below(3) == 0 {
        let field = rng.below(schema.fields.len());
        let Some(f) = schema.fields.get(field) else {
            return condition("Nope", "equal", json!("x"));
        };
        let comparators = comparators_for(&f.effective_type());
        let comparator = rng
            .pick(comparators)
            .map_or_else(|| "equal".to_string(), |c| c.as_str().to_string());
        // Now and then a field the schema lacks: never matches, on both sides.
        let api = if rng.below(30) == 0 {
            "Missing_Field"
        } else {
            f.api_name.as_str()
        };
        return condition(api, &comparator, operand(rng, records, field));
    }
    let members = (0..rng.below(4))
        .map(|_| criteria(rng, schema, records, depth - 1))
        .collect();
    group(if rng.below(2) == 0 { "and" } else { "or" }, members)
}

/// Copies of some records with a few values replaced by Null, an empty value, or another
/// record's value of another field (a kind the field may not store).
pub(super) fn mutated(rng: &mut Rng, records: &[Record]) -> Vec<Record> {
    (0..records.len() / 4)
        .filter_map(|_| {
            let mut r = rng.pick(records)?.clone();
            for _ in 0..1 + rng.below(4) {
                let at = rng.below(r.values.len());
                let replacement = match rng.below(4) {
                    0 => FieldValue::Null,
                    1 => FieldValue::text(""),
                    2 => FieldValue::multi(Vec::<String>::new()),
                    _ => {
                        let other = rng.pick(records)?;
                        other.values.get(rng.below(other.values.len()))?.clone()
                    }
                };
                if let Some(v) = r.values.get_mut(at) {
                    *v = replacement;
                }
            }
            Some(r)
        })
        .collect()
}

/// A case's data: a module of the seeded org picked by `rng`, up to `n` of its records plus
/// mutated copies of some, and the org's signal namespaces.
pub(super) fn sample(rng: &mut Rng, n: usize) -> (&'static ModuleSchema, Vec<Record>, Vec<String>) {
    let org = seed();
    let schema = rng.pick(&org.modules).unwrap();
    let seeded = org
        .records
        .get(&schema.module.api_name)
        .cloned()
        .unwrap_or_default();
    let mut records: Vec<Record> = seeded.iter().take(n).cloned().collect();
    records.extend(mutated(rng, &records));
    let namespaces: Vec<String> = org.signals.iter().map(|s| s.namespace.clone()).collect();
    (schema, records, namespaces)
}

fn check(case: u64) -> Result<(), TestCaseError> {
    let mut rng = Rng(case);
    let (schema, records, namespaces) = sample(&mut rng, 600);
    let rules: Vec<CompiledRule> = (0..1 + rng.below(3))
        .map(|_| {
            let field_rules = (0..rng.below(6))
                .map(|_| {
                    let score = rng.below(200) as i64 - 100;
                    (score, criteria(&mut rng, schema, &records, 3))
                })
                .collect();
            let signals = (0..rng.below(3))
                .filter_map(|_| Some((rng.below(40) as i64 - 20, rng.pick(&namespaces)?.as_str())))
                .collect();
            CompiledRule::compile(&rule(field_rules, signals), schema, &ctx())
        })
        .collect();
    let mut batch = Batch::new(&records);
    batch.prepare(&rules);
    for (i, compiled) in rules.iter().enumerate() {
        let scores = batch.score(compiled);
        prop_assert_eq!(scores.len(), records.len());
        for (record, got) in records.iter().zip(&scores) {
            prop_assert_eq!(
                *got,
                compiled.score(record),
                "rule {} record {} of {}",
                i,
                record.id,
                schema.module.api_name
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn batch_scores_equal_record_by_record_scores(case in any::<u64>()) {
        check(case)?;
    }
}

/// Many field rules take the scatter path instead of the combination table.
#[test]
fn rules_with_many_field_rules_agree_too() {
    let org = seed();
    let schema = org.modules.first().unwrap();
    let records = org.records.get(&schema.module.api_name).unwrap();
    let mut rng = Rng(7);
    let field_rules = (0..20)
        .map(|i| (i * 7 - 60, criteria(&mut rng, schema, records, 2)))
        .collect();
    let compiled = CompiledRule::compile(&rule(field_rules, vec![]), schema, &ctx());
    let scores = Batch::new(records).score(&compiled);
    for (record, got) in records.iter().zip(&scores) {
        assert_eq!(*got, compiled.score(record));
    }
    assert!(scores.iter().any(|s| s.matched_field_rules > 0));
}
