//! The order of the Rules pane, which `s` cycles: as Zoho lists them, by name, by score span,
//! active first, or most recently modified first. The order is part of what the lists are
//! derived from (`select`), so sorting happens once per change, never per frame.

use std::cmp::Ordering;

use super::select::score_span;
use crate::domain::ScoringRule;
use crate::domain::stamp::instant;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RuleOrder {
    /// The API's order: what Zoho's web UI shows.
    #[default]
    Zoho,
    Name,
    /// Highest possible total first.
    ScoreSpan,
    ActiveFirst,
    /// Most recently modified first; rules without a stamp last.
    Modified,
}

impl RuleOrder {
    /// The order after this one, round to the API's.
    pub fn next(self) -> RuleOrder {
        match self {
            RuleOrder::Zoho => RuleOrder::Name,
            RuleOrder::Name => RuleOrder::ScoreSpan,
            RuleOrder::ScoreSpan => RuleOrder::ActiveFirst,
            RuleOrder::ActiveFirst => RuleOrder::Modified,
            RuleOrder::Modified => RuleOrder::Zoho,
        }
    }

    /// How the pane's border and the notice name it.
    pub fn label(self) -> &'static str {
        match self {
            RuleOrder::Zoho => "as Zoho lists them",
            RuleOrder::Name => "by name",
            RuleOrder::ScoreSpan => "by score",
            RuleOrder::ActiveFirst => "active first",
            RuleOrder::Modified => "by modified",
        }
    }

    /// Sorts `rules` (indices into `all`); a stable sort, so ties keep the API's order.
    pub fn sort(self, rules: &mut [usize], all: &[ScoringRule]) {
        let by_name = |a: &ScoringRule, b: &ScoringRule| {
            a.name
                .to_lowercase()
                .cmp(&b.name.to_lowercase())
                .then_with(|| a.name.cmp(&b.name))
        };
        let compare: fn(&ScoringRule, &ScoringRule) -> Ordering = match self {
            RuleOrder::Zoho => return,
            RuleOrder::Name => |_, _| Ordering::Equal,
            RuleOrder::ScoreSpan => |a, b| {
                let (alo, ahi) = score_span(a);
                let (blo, bhi) = score_span(b);
                bhi.cmp(&ahi).then(blo.cmp(&alo))
            },
            RuleOrder::ActiveFirst => |a, b| b.active.cmp(&a.active),
            RuleOrder::Modified => |a, b| {
                let at = a.modified_time.as_deref().and_then(instant);
                let bt = b.modified_time.as_deref().and_then(instant);
                // Newest first; a rule with no readable stamp goes last.
                match (at, bt) {
                    (Some(a), Some(b)) => b.cmp(&a),
                    (Some(_), None) => Ordering::Less,
                    (None, Some(_)) => Ordering::Greater,
                    (None, None) => Ordering::Equal,
                }
            },
        };
        rules.sort_by(|&a, &b| match (all.get(a), all.get(b)) {
            (Some(a), Some(b)) => compare(a, b).then_with(|| by_name(a, b)),
            _ => Ordering::Equal,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::RuleOrder;
    use crate::domain::ScoringRule;
    use serde_json::json;

    fn rule(name: &str, active: bool, score: i64, modified: Option<&str>) -> ScoringRule {
        serde_json::from_value(json!({
            "name": name,
            "active": active,
            "module": {"api_name": "Leads", "id": "1"},
            "modified_time": modified,
            "field_rules": [{"score": score, "criteria": {
                "comparator": "equal", "field": {"api_name": "City", "id": "2"}, "value": "Pune"
            }}],
            "signal_rules": [],
        }))
        .unwrap()
    }

    fn names(order: RuleOrder, all: &[ScoringRule]) -> Vec<&str> {
        let mut idx: Vec<usize> = (0..all.len()).collect();
        order.sort(&mut idx, all);
        idx.iter().map(|&i| all[i].name.as_str()).collect()
    }

    #[test]
    fn each_order_sorts_as_its_label_says() {
        let all = vec![
            rule("beta", false, 10, Some("2026-03-01T00:00:00+05:30")),
            rule("Alpha", true, -5, None),
            rule("gamma", true, 40, Some("2026-05-01T00:00:00Z")),
        ];
        assert_eq!(names(RuleOrder::Zoho, &all), ["beta", "Alpha", "gamma"]);
        assert_eq!(names(RuleOrder::Name, &all), ["Alpha", "beta", "gamma"]);
        assert_eq!(
            names(RuleOrder::ScoreSpan, &all),
            ["gamma", "beta", "Alpha"]
        );
        assert_eq!(
            names(RuleOrder::ActiveFirst, &all),
            ["Alpha", "gamma", "beta"]
        );
        assert_eq!(names(RuleOrder::Modified, &all), ["gamma", "beta", "Alpha"]);
    }

    #[test]
    fn the_cycle_visits_every_order_once() {
        let mut seen = vec![RuleOrder::Zoho];
        let mut o = RuleOrder::Zoho.next();
        while o != RuleOrder::Zoho {
            assert!(!seen.contains(&o), "{o:?} twice");
            seen.push(o);
            o = o.next();
        }
        assert_eq!(seen.len(), 5);
    }

    #[test]
    fn s_sorts_the_rules_pane_keeping_the_cursor_on_its_rule() {
        use crate::tui::app::Pane;
        use crate::tui::test_support::{loaded_at, press, screen};
        let mut app = loaded_at(120, 36);
        // Leads → Standard → its rules.
        press(&mut app, "ljl");
        assert_eq!(app.focus, Pane::Rules);
        let zoho: Vec<String> = app.rules().iter().map(|r| r.name.clone()).collect();
        press(&mut app, "j");
        let cursor = app.current_rule().map(|r| r.name.clone());
        press(&mut app, "s");
        let by_name: Vec<String> = app.rules().iter().map(|r| r.name.clone()).collect();
        let mut expected = zoho.clone();
        expected.sort_by_key(|n| n.to_lowercase());
        assert_eq!(by_name, expected);
        assert_ne!(
            by_name, zoho,
            "the demo's Standard rules are not in name order already"
        );
        assert_eq!(app.current_rule().map(|r| r.name.clone()), cursor);
        let shown = screen(&app, 120, 36);
        assert!(shown.contains("Rules · Leads / Standard"), "{shown}");
        assert!(shown.contains(" sorted by name ┘"), "{shown}");
        assert!(shown.contains("rules sorted by name"), "{shown}");
        // Round the cycle back to Zoho's order, which the title does not name.
        press(&mut app, "ssss");
        let back: Vec<String> = app.rules().iter().map(|r| r.name.clone()).collect();
        assert_eq!(back, zoho);
        let shown = screen(&app, 120, 36);
        assert!(!shown.contains("sorted by"), "{shown}");
        assert!(shown.contains("rules sorted as Zoho lists them"), "{shown}");
    }
}
