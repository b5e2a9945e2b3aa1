//! The large org's structure, at a tenth of its records (the records come from the same
//! generator as the demo's; their number is only `record_count`).

use std::collections::{BTreeMap, HashSet};
use std::sync::OnceLock;

use chrono::{TimeZone, Utc};

use super::{FULL_EVERY, LAYOUTS, LargeOrg};
use crate::domain::validate::{self, Op, RuleContext};
use crate::domain::{Edition, ScoringRule};
use crate::sandbox::seed::{SeedOrg, load_large};

fn small(seed: u64) -> LargeOrg {
    LargeOrg {
        leads: 300,
        records_per_module: 12,
        ..LargeOrg::full(seed)
    }
}

fn org() -> &'static SeedOrg {
    static ORG: OnceLock<SeedOrg> = OnceLock::new();
    ORG.get_or_init(|| {
        let now = Utc.with_ymd_and_hms(2026, 5, 1, 8, 0, 0).unwrap();
        load_large(&small(LargeOrg::DEFAULT_SEED), now).unwrap()
    })
}

fn rules_by_module(org: &SeedOrg) -> BTreeMap<&str, Vec<&ScoringRule>> {
    let mut out: BTreeMap<&str, Vec<&ScoringRule>> = BTreeMap::new();
    for r in &org.rules {
        out.entry(r.module.api_name.as_str()).or_default().push(r);
    }
    out
}

#[test]
fn full_size_is_what_the_issue_asks_for() {
    let full = LargeOrg::full(7);
    assert_eq!(
        (full.custom_modules, full.leads, full.records_per_module),
        (100, 100_000, 2_000)
    );
}

#[test]
fn four_standard_and_a_hundred_custom_modules_of_seven_layouts() {
    let org = org();
    assert_eq!(org.modules.len(), 104);
    let names: Vec<&str> = org
        .modules
        .iter()
        .take(4)
        .map(|m| m.module.api_name.as_str())
        .collect();
    assert_eq!(names, ["Leads", "Contacts", "Accounts", "Deals"]);
    let custom = org
        .modules
        .iter()
        .filter(|m| m.module.generated_type.as_deref() == Some("custom"))
        .count();
    assert_eq!(custom, 100);
    for m in &org.modules {
        assert_eq!(m.layouts.len(), LAYOUTS, "{}", m.module.api_name);
        let n = org.records[&m.module.api_name].len();
        let want = if m.module.api_name == "Leads" {
            300
        } else {
            12
        };
        assert_eq!(n, want, "{}", m.module.api_name);
    }
}

#[test]
fn every_module_has_30_to_80_rules_within_ultimates_limits() {
    let org = org();
    let by_module = rules_by_module(org);
    assert_eq!(by_module.len(), 104);
    let limits = Edition::Ultimate.limits();
    let mut full = 0;
    for (i, m) in org.modules.iter().enumerate() {
        let rules = &by_module[m.module.api_name.as_str()];
        let active = rules.iter().filter(|r| r.active).count();
        assert!(
            (30..=80).contains(&rules.len()),
            "{}: {}",
            m.module.api_name,
            rules.len()
        );
        assert!(rules.len() as u32 <= limits.total_per_module);
        assert!(active as u32 <= limits.active_per_module);
        if i % FULL_EVERY == 0 {
            assert_eq!((rules.len(), active), (80, 40), "{}", m.module.api_name);
            full += 1;
        }
        let mut buckets: BTreeMap<Option<String>, (u32, u32)> = BTreeMap::new();
        for r in rules {
            let b = buckets
                .entry(r.layout_id().map(|l| l.to_string()))
                .or_default();
            b.0 += 1;
            b.1 += u32::from(r.active);
        }
        assert_eq!(
            buckets.len(),
            LAYOUTS + 1,
            "every layout and all layouts have rules"
        );
        for (total, active) in buckets.values() {
            assert!(*total <= limits.total_per_layout && *active <= limits.active_per_layout);
        }
    }
    assert!(
        full >= 4,
        "a few modules at exactly 80 rules and 40 active ({full})"
    );
    let total: usize = by_module.values().map(Vec::len).sum();
    assert!(total > 104 * 40, "{total} rules");
    let names: HashSet<String> = org.rules.iter().map(|r| r.name.to_lowercase()).collect();
    assert_eq!(names.len(), org.rules.len(), "names are unique in the org");
}

/// Every rule is one the sandbox would accept if it were created now, next to all the others:
/// fields in its layout, values of the right type, names unique, no other rule of its bucket
/// with the same criteria, limits kept. The standard modules, Partners and every tenth
/// generated module (they all come from one template), to keep the debug test path quick.
#[test]
fn every_rule_passes_the_validator_against_all_the_others() {
    let org = org();
    for (_, m) in org
        .modules
        .iter()
        .enumerate()
        .filter(|(i, _)| *i < 5 || i % 10 == 0)
    {
        let module = m.module.api_name.as_str();
        let mut summaries = validate::summaries(&org.rules, module);
        let mine: Vec<usize> = (0..org.rules.len())
            .filter(|&i| org.rules[i].module.api_name == module)
            .collect();
        let last = summaries.len() - 1;
        for i in mine {
            // The rule's own summary moved to the end and left out.
            summaries.swap(i, last);
            let ctx = RuleContext {
                edition: Edition::Ultimate,
                schema: m,
                signals: &org.signals,
                others: &summaries[..last],
            };
            let found = validate::check_rule(&org.rules[i], &ctx, Op::Create);
            assert!(found.is_empty(), "{}: {found:#?}", org.rules[i].name);
            summaries.swap(i, last);
        }
    }
}

#[test]
fn the_same_seed_gives_the_same_org_and_another_seed_another() {
    let now = Utc.with_ymd_and_hms(2026, 5, 1, 8, 0, 0).unwrap();
    let tiny = |seed| LargeOrg {
        custom_modules: 12,
        leads: 20,
        records_per_module: 5,
        ..LargeOrg::full(seed)
    };
    let a = load_large(&tiny(1), now).unwrap();
    let b = load_large(&tiny(1), now).unwrap();
    let c = load_large(&tiny(2), now).unwrap();
    assert_eq!(a, b);
    assert_ne!(a.rules, c.rules);
}
