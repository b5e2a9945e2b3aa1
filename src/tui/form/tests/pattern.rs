//! Criteria as numbered conditions plus a pattern, driven by keys: nested criteria load and
//! edit, the pattern's errors point at their column, adding and removing conditions keep the
//! pattern valid, and an unchanged rule sends the criteria it loaded.

use super::*;
use crate::domain::rule::Criteria;
use crate::tui::form::body::{self, Mode};
use crate::tui::form::model::CriteriaForm;

/// Tab (or Shift-Tab) until `target` has the focus.
fn tab_to(app: &mut App, target: Target) {
    for _ in 0..60 {
        let inputs = form(app).inputs();
        let at = inputs.iter().position(|t| *t == form(app).focused());
        match (at, inputs.iter().position(|t| *t == target)) {
            (Some(a), Some(b)) if a == b => return,
            (Some(a), Some(b)) if b < a => key(app, KeyCode::BackTab),
            _ => key(app, KeyCode::Tab),
        };
    }
    panic!("{target:?} is not an input: {:?}", form(app).inputs());
}

fn pattern(app: &App, i: usize) -> String {
    form(app).data.field_rules[i].criteria.pattern.clone()
}

#[test]
fn nested_criteria_load_as_numbered_rows_and_a_pattern_and_can_be_edited() {
    let mut app = editing_enterprise_fit();
    let fr = &form(&app).data.field_rules[0];
    let fields: Vec<&str> = fr.rows().iter().map(|r| r.field.as_str()).collect();
    assert_eq!(fields, ["Industry", "Designation", "Country"]);
    assert_eq!(pattern(&app, 0), "1 OR (2 AND 3)");
    // Every condition is an input now, the pattern too.
    tab_to(&mut app, Target::Value(0, 2));
    tab_to(&mut app, Target::Pattern(0));
    assert!(form(&app).errors.is_empty(), "{:?}", form(&app).errors);
}

#[test]
fn a_wrong_pattern_is_reported_at_its_column_and_blocks_the_save() {
    let mut app = editing_enterprise_fit();
    tab_to(&mut app, Target::Pattern(0));
    clear_and_type(&mut app, "1 AND 2 OR 3");
    assert_eq!(
        errors(&app, Target::Pattern(0)),
        vec![
            "pattern: column 9: AND and OR are mixed at one level; group them with \
             parentheses: (1 AND 2) OR 3"
        ]
    );
    ctrl(&mut app, 's');
    assert_eq!(form(&app).stage, Stage::Editing);
    assert!(
        app.notice
            .as_ref()
            .is_some_and(|n| n.text.contains("not saved")),
        "{:?}",
        app.notice
    );
    clear_and_type(&mut app, "1 AND 4");
    assert_eq!(
        errors(&app, Target::Pattern(0)),
        vec!["pattern: column 7: there is no condition 4: the conditions are 1 to 3"]
    );
    clear_and_type(&mut app, "(1 OR 2) AND 3");
    assert!(form(&app).errors.is_empty(), "{:?}", form(&app).errors);

    // The review says what changes in words; the request nests as the pattern does.
    ctrl(&mut app, 's');
    let Stage::Review(lines) = &form(&app).stage else {
        panic!("{:?} {:?}", form(&app).stage, app.notice);
    };
    let words: Vec<String> = lines.iter().map(|l| l.text.clone()).collect();
    assert!(
        words
            .iter()
            .any(|l| l == "field rule 1: pattern 1 OR (2 AND 3) → (1 OR 2) AND 3"),
        "{words:#?}"
    );
    let snap = app.snapshot.as_ref().unwrap();
    let c = &form(&app).request(snap).unwrap().item["field_rules"][0]["criteria"];
    assert_eq!(c["group_operator"], "AND");
    assert_eq!(c["group"][0]["group_operator"], "OR");
    assert_eq!(
        c["group"][0]["group"][1]["field"]["api_name"],
        "Designation"
    );
    assert_eq!(c["group"][1]["field"]["api_name"], "Country");
}

#[test]
fn adding_and_removing_conditions_renumber_and_keep_the_pattern_valid() {
    let mut app = editing_enterprise_fit();
    tab_to(&mut app, Target::Field(0, 1));
    // A new condition joins the top level with its operator.
    ctrl(&mut app, 'r');
    assert_eq!(form(&app).focused(), Target::Field(0, 3));
    assert_eq!(pattern(&app, 0), "1 OR (2 AND 3) OR 4");
    // Removing condition 2 renumbers 3 → 2 and 4 → 3; the group of one collapses.
    tab_to(&mut app, Target::Field(0, 1));
    ctrl(&mut app, 'd');
    assert_eq!(form(&app).stage, Stage::Editing);
    assert_eq!(pattern(&app, 0), "1 OR 2 OR 3");
    assert_eq!(form(&app).data.field_rules[0].rows()[1].field, "Country");
    assert!(errors(&app, Target::Pattern(0)).is_empty());
    // Ctrl-O switches the top level.
    ctrl(&mut app, 'o');
    assert_eq!(pattern(&app, 0), "1 AND 2 AND 3");
}

#[test]
fn ctrl_d_on_the_last_condition_asks_before_removing_the_field_rule() {
    let mut app = editing_enterprise_fit();
    // Field rule 2 has one condition.
    tab_to(&mut app, Target::Value(1, 0));
    ctrl(&mut app, 'd');
    assert_eq!(form(&app).stage, Stage::Ask(Ask::RemoveFieldRule(1)));
    let s = screen(&app, 80, 24);
    assert!(
        s.contains("Remove field rule #2 with its 1 condition?"),
        "{s}"
    );
    typed(&mut app, "n");
    assert_eq!(form(&app).data.field_rules.len(), 3);
    assert!(!form(&app).dirty());
    ctrl(&mut app, 'd');
    typed(&mut app, "y");
    assert_eq!(form(&app).data.field_rules.len(), 2);
}

#[test]
fn a_nested_rule_with_a_pattern_error_on_screen() {
    let mut app = editing_enterprise_fit();
    tab_to(&mut app, Target::Pattern(0));
    clear_and_type(&mut app, "1 OR 2 AND (3");
    insta::assert_snapshot!("nested_pattern_error_80x24", screen(&app, 80, 24));
    insta::assert_snapshot!("nested_pattern_error_160x48", screen(&app, 160, 48));
}

mod trees {
    use proptest::prelude::*;

    use super::*;
    use crate::domain::rule::{Comparator, Condition, FieldRef, Group, GroupOperator};

    fn condition() -> impl Strategy<Value = Criteria> {
        (
            prop::sample::select(vec!["Industry", "Rating", "Annual_Revenue", "Country"]),
            prop::sample::select(vec![Comparator::Equal, Comparator::NotEqual]),
            "[a-z]{1,6}",
            prop::option::of(Just(5_725_767_000_000_002_001u64)),
        )
            .prop_map(|(field, comparator, value, id)| {
                Criteria::Condition(Condition {
                    field: FieldRef {
                        api_name: field.into(),
                        id: id.map(Into::into),
                    },
                    comparator,
                    value: serde_json::json!(value),
                    kind: None,
                    disrupted: None,
                })
            })
    }

    /// Criteria trees up to depth 4, groups of one to four members (a group of one and a
    /// group nested in one of the same operator included: Zoho stores both).
    fn tree() -> impl Strategy<Value = Criteria> {
        condition().prop_recursive(4, 40, 4, |inner| {
            (prop::bool::ANY, prop::collection::vec(inner, 1..=4)).prop_map(|(and, group)| {
                Criteria::Group(Group {
                    group_operator: if and {
                        GroupOperator::And
                    } else {
                        GroupOperator::Or
                    },
                    group,
                })
            })
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// Loaded into the form and sent unchanged, any criteria are the request's criteria.
        #[test]
        fn any_criteria_tree_goes_through_the_form_unchanged(c in tree()) {
            let snap = seeded();
            let schema = snap.module("Leads").unwrap();
            let form = CriteriaForm::from_criteria(&c);
            let sent = body::criteria(&form, schema, Mode::Exact);
            prop_assert_eq!(sent, serde_json::to_value(&c).unwrap());
            // The pattern as shown reads back over the rows.
            prop_assert!(form.structure().is_ok());
        }
    }
}

/// Drafts written before patterns (one level as `Flat`, nested criteria as `Kept`) still
/// restore, as rows plus a pattern.
#[test]
fn drafts_from_before_patterns_still_restore() {
    use crate::tui::form::model::FieldRuleForm;
    let flat: FieldRuleForm = serde_json::from_value(json!({
        "id": null, "score": "5",
        "criteria": {"Flat": {"and": false, "rows": [
            {"field": "Rating", "comparator": "equal", "value": "Hot", "loaded": null, "kind": null},
            {"field": "Country", "comparator": "equal", "value": "US", "loaded": null, "kind": null}
        ]}}
    }))
    .unwrap();
    assert_eq!(flat.criteria.pattern, "1 OR 2");
    assert_eq!(flat.rows()[1].field, "Country");
    let kept: FieldRuleForm = serde_json::from_value(json!({
        "id": null, "score": "5",
        "criteria": {"Kept": {"group_operator": "OR", "group": [
            {"field": {"api_name": "Rating"}, "comparator": "equal", "value": "Hot"},
            {"group_operator": "AND", "group": [
                {"field": {"api_name": "Country"}, "comparator": "equal", "value": "US"},
                {"field": {"api_name": "City"}, "comparator": "equal", "value": "Oslo"}
            ]}
        ]}}
    }))
    .unwrap();
    assert_eq!(kept.criteria.pattern, "1 OR (2 AND 3)");
    assert_eq!(kept.rows().len(), 3);
    // And today's shape reads back as written.
    let again: FieldRuleForm =
        serde_json::from_value(serde_json::to_value(&kept).unwrap()).unwrap();
    assert_eq!(again, kept);
}
