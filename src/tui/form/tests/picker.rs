//! The type-ahead lists of a condition, driven by keys: the field list narrowed by "lead so",
//! the comparators in words, a picklist's values marked with Space for `in`, dead values kept
//! and flagged, and Zoho's date placeholders with the number typed after.

use super::*;
use crate::tui::keys::Mode;

/// A new field rule (score 5) on Enterprise Fit, the focus on its first condition's field.
fn new_condition() -> (App, usize) {
    let mut app = editing_enterprise_fit();
    ctrl(&mut app, 'f');
    let i = form(&app).data.field_rules.len() - 1;
    focus_on(&mut app, Target::Score(i));
    typed(&mut app, "5");
    focus_on(&mut app, Target::Field(i, 0));
    (app, i)
}

fn row(app: &App, i: usize) -> crate::tui::form::model::CondForm {
    form(app).data.field_rules[i].rows()[0].clone()
}

fn highlighted(app: &App) -> String {
    let p = form(app).picker.as_ref().expect("a list is open");
    p.highlighted().map(|x| x.label.clone()).unwrap_or_default()
}

fn shown_labels(app: &App) -> Vec<String> {
    let p = form(app).picker.as_ref().expect("a list is open");
    p.shown.iter().map(|&k| p.items[k].label.clone()).collect()
}

/// Picks a field by typing into its list, then Enter.
fn pick_field(app: &mut App, query: &str) {
    typed(app, query);
    key(app, KeyCode::Enter);
}

#[test]
fn typing_lead_so_on_a_field_lists_lead_source_first_and_enter_picks_it() {
    let (mut app, i) = new_condition();
    typed(&mut app, "lead so");
    assert_eq!(app.mode(), Mode::FormPicker);
    assert_eq!(highlighted(&app), "Lead Source");
    let p = form(&app).picker.as_ref().unwrap();
    assert!(p.shown.len() < p.items.len(), "the list narrowed");
    assert_eq!(p.items[p.shown[0]].note, "Picklist", "the field's type");
    // Nothing changes until Enter.
    assert_eq!(row(&app, i).field, "");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.mode(), Mode::Form);
    assert_eq!(row(&app, i).field, "Lead_Source");
    assert_eq!(form(&app).focused(), Target::Field(i, 0));
    // The comparator is one a picklist takes.
    assert_eq!(row(&app, i).comparator, "equal");
}

#[test]
fn arrows_move_backspace_widens_and_esc_leaves_the_field_as_it_was() {
    let (mut app, i) = new_condition();
    pick_field(&mut app, "rating");
    assert_eq!(row(&app, i).field, "Rating");
    key(&mut app, KeyCode::Enter);
    assert_eq!(
        highlighted(&app),
        "Rating",
        "the list opens on the field chosen"
    );
    typed(&mut app, "lead");
    let narrowed = form(&app).picker.as_ref().unwrap().shown.len();
    key(&mut app, KeyCode::Down);
    let second = highlighted(&app);
    key(&mut app, KeyCode::Up);
    assert_ne!(highlighted(&app), second);
    key(&mut app, KeyCode::Backspace);
    assert!(form(&app).picker.as_ref().unwrap().shown.len() >= narrowed);
    key(&mut app, KeyCode::Esc);
    assert!(form(&app).picker.is_none());
    assert_eq!(row(&app, i).field, "Rating", "Esc changes nothing");
    assert!(app.form.is_some(), "Esc closed the list, not the form");
}

#[test]
fn nothing_matching_keeps_the_list_open_and_says_so() {
    let (mut app, i) = new_condition();
    typed(&mut app, "zzzq");
    assert!(shown_labels(&app).is_empty());
    key(&mut app, KeyCode::Enter);
    assert!(form(&app).picker.is_some());
    assert!(
        app.notice
            .as_ref()
            .unwrap()
            .text
            .contains("nothing matches")
    );
    assert_eq!(row(&app, i).field, "");
}

#[test]
fn a_new_field_of_another_type_resets_the_comparator_and_the_value() {
    let (mut app, i) = new_condition();
    pick_field(&mut app, "annual rev");
    assert_eq!(row(&app, i).field, "Annual_Revenue");
    focus_on(&mut app, Target::Comparator(i, 0));
    typed(&mut app, "at least");
    key(&mut app, KeyCode::Enter);
    assert_eq!(row(&app, i).comparator, "greater_equal");
    focus_on(&mut app, Target::Value(i, 0));
    typed(&mut app, "5000");
    focus_on(&mut app, Target::Field(i, 0));
    pick_field(&mut app, "lead so");
    let r = row(&app, i);
    assert_eq!(
        (r.field.as_str(), r.comparator.as_str(), r.value.as_str()),
        ("Lead_Source", "equal", "")
    );
}

#[test]
fn comparators_are_listed_in_words_beside_their_api_names() {
    let (mut app, i) = new_condition();
    pick_field(&mut app, "lead so");
    focus_on(&mut app, Target::Comparator(i, 0));
    key(&mut app, KeyCode::Enter);
    let p = form(&app).picker.as_ref().unwrap();
    let pairs: Vec<(String, String)> = p
        .items
        .iter()
        .map(|x| (x.label.clone(), x.value.clone()))
        .collect();
    assert!(pairs.contains(&("is".into(), "equal".into())), "{pairs:?}");
    assert!(
        pairs.contains(&("is not".into(), "not_equal".into())),
        "{pairs:?}"
    );
    assert!(
        pairs.contains(&("is one of".into(), "in".into())),
        "{pairs:?}"
    );
    assert!(
        !pairs.iter().any(|(_, v)| v == "greater_than"),
        "a picklist takes no greater_than: {pairs:?}"
    );
    // The API name matches too.
    typed(&mut app, "not_in");
    assert_eq!(highlighted(&app), "is none of");
    key(&mut app, KeyCode::Enter);
    assert_eq!(row(&app, i).comparator, "not_in");
    let s = screen(&app, 120, 40);
    assert!(s.contains("is none of (not_in)"), "{s}");
}

/// Lead Source `in`: Space marks two values, Enter takes both; reopening shows them marked.
#[test]
fn space_marks_several_picklist_values_for_in_and_enter_takes_them() {
    let (mut app, i) = new_condition();
    pick_field(&mut app, "lead so");
    focus_on(&mut app, Target::Comparator(i, 0));
    typed(&mut app, "one of");
    key(&mut app, KeyCode::Enter);
    assert_eq!(row(&app, i).comparator, "in");
    focus_on(&mut app, Target::Value(i, 0));
    key(&mut app, KeyCode::Enter);
    let p = form(&app).picker.as_ref().unwrap();
    assert!(p.multi);
    let first = p.items[p.shown[0]].value.clone();
    let third = p.items[p.shown[2]].value.clone();
    typed(&mut app, " ");
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Down);
    typed(&mut app, " ");
    assert_eq!(
        form(&app).picker.as_ref().unwrap().query,
        "",
        "Space marks, it does not type"
    );
    key(&mut app, KeyCode::Enter);
    assert_eq!(row(&app, i).value, format!("{first}, {third}"));
    assert!(form(&app).errors.is_empty(), "{:?}", form(&app).errors);
    key(&mut app, KeyCode::Enter);
    let p = form(&app).picker.as_ref().unwrap();
    let marked: Vec<&str> = p
        .items
        .iter()
        .zip(&p.marked)
        .filter(|(_, m)| **m)
        .map(|(x, _)| x.value.as_str())
        .collect();
    assert_eq!(marked, [first.as_str(), third.as_str()]);
    // Unmarking one and Enter leaves the other.
    typed(&mut app, " ");
    key(&mut app, KeyCode::Enter);
    assert_eq!(row(&app, i).value, third);
}

#[test]
fn a_value_the_field_no_longer_has_stays_in_the_list_marked_dead() {
    let (mut app, i) = new_condition();
    pick_field(&mut app, "lead so");
    focus_on(&mut app, Target::Comparator(i, 0));
    typed(&mut app, "one of");
    key(&mut app, KeyCode::Enter);
    focus_on(&mut app, Target::Value(i, 0));
    typed(&mut app, "Carrier Pigeon");
    key(&mut app, KeyCode::Enter);
    let p = form(&app).picker.as_ref().unwrap();
    let dead: Vec<(&str, bool)> = p
        .items
        .iter()
        .zip(&p.marked)
        .filter(|(x, _)| x.dead)
        .map(|(x, m)| (x.value.as_str(), *m))
        .collect();
    assert_eq!(dead, [("Carrier Pigeon", true)]);
    let s = screen(&app, 120, 40);
    assert!(s.contains("✗ no longer a value of this field"), "{s}");
}

#[test]
fn equal_on_a_picklist_picks_one_value_and_offers_empty() {
    let (mut app, i) = new_condition();
    pick_field(&mut app, "lead so");
    focus_on(&mut app, Target::Value(i, 0));
    key(&mut app, KeyCode::Enter);
    let p = form(&app).picker.as_ref().unwrap();
    assert!(!p.multi);
    let values: Vec<&str> = p.items.iter().map(|x| x.value.as_str()).collect();
    assert!(
        values.contains(&"${EMPTY}") && values.contains(&"${NOTEMPTY}"),
        "{values:?}"
    );
    assert!(!values.contains(&"${CURRENTUSER}"), "{values:?}");
    typed(&mut app, "empty");
    assert_eq!(highlighted(&app), "${EMPTY}");
    key(&mut app, KeyCode::Enter);
    assert_eq!(row(&app, i).value, "${EMPTY}");
    assert!(form(&app).errors.is_empty(), "{:?}", form(&app).errors);
}

#[test]
fn a_date_field_lists_zohos_placeholders_and_the_n_is_typed_after() {
    let (mut app, i) = new_condition();
    pick_field(&mut app, "last activ");
    assert_eq!(row(&app, i).field, "Last_Activity_Time");
    focus_on(&mut app, Target::Value(i, 0));
    key(&mut app, KeyCode::Enter);
    let p = form(&app).picker.as_ref().unwrap();
    let today = p.items.iter().find(|x| x.value == "${TODAY}").unwrap();
    assert_eq!(today.note, "today");
    assert_eq!(
        p.items
            .iter()
            .filter(|x| x.value.starts_with("${")
                && x.value != "${EMPTY}"
                && x.value != "${NOTEMPTY}")
            .count(),
        22,
        "every date placeholder of B §1.3"
    );
    typed(&mut app, "last n days");
    assert_eq!(highlighted(&app), "${LAST_N_DAYS:n}");
    key(&mut app, KeyCode::Enter);
    assert_eq!(row(&app, i).value, "${LAST_N_DAYS:}");
    assert!(
        app.notice
            .as_ref()
            .unwrap()
            .text
            .contains("type the number")
    );
    typed(&mut app, "14");
    assert_eq!(row(&app, i).value, "${LAST_N_DAYS:14}");
    assert!(form(&app).errors.is_empty(), "{:?}", form(&app).errors);
    // A literal date is still typed as text.
    key(&mut app, KeyCode::End);
    clear_and_type(&mut app, "2026-01-31");
    assert!(form(&app).errors.is_empty(), "{:?}", form(&app).errors);
}

/// The validator decides what is offered: `${EMPTY}` only with equal / not_equal.
#[test]
fn placeholders_are_offered_only_where_the_validator_takes_them() {
    let (mut app, i) = new_condition();
    pick_field(&mut app, "last activ");
    focus_on(&mut app, Target::Comparator(i, 0));
    typed(&mut app, "greater_than");
    key(&mut app, KeyCode::Enter);
    assert_eq!(row(&app, i).comparator, "greater_than");
    focus_on(&mut app, Target::Value(i, 0));
    key(&mut app, KeyCode::Enter);
    let p = form(&app).picker.as_ref().unwrap();
    let values: Vec<&str> = p.items.iter().map(|x| x.value.as_str()).collect();
    assert!(values.contains(&"${AGEINDAYS}+n"), "{values:?}");
    assert!(!values.contains(&"${EMPTY}"), "{values:?}");
    for v in &values {
        let sample = v.replace(":n", ":1").replace("+n", "+1");
        let f = app
            .snapshot
            .as_ref()
            .unwrap()
            .module("Leads")
            .unwrap()
            .field("Last_Activity_Time")
            .unwrap();
        assert!(
            crate::domain::operand::parse_operand(
                &crate::domain::rule::Comparator::GreaterThan,
                f,
                &serde_json::Value::String(sample.clone())
            )
            .is_ok(),
            "{sample}"
        );
    }
}

#[test]
fn tab_in_a_list_picks_and_moves_to_the_next_input() {
    let (mut app, i) = new_condition();
    typed(&mut app, "lead so");
    key(&mut app, KeyCode::Tab);
    assert_eq!(row(&app, i).field, "Lead_Source");
    assert_eq!(form(&app).focused(), Target::Comparator(i, 0));
    assert_eq!(app.mode(), Mode::Form);
}

#[test]
fn picking_from_a_list_is_one_undo_step() {
    let (mut app, i) = new_condition();
    pick_field(&mut app, "lead so");
    ctrl(&mut app, 'z');
    assert_eq!(row(&app, i).field, "");
}

#[test]
fn the_footer_shows_the_lists_keys_while_it_is_open() {
    let (mut app, _) = new_condition();
    let closed = screen(&app, 160, 48);
    assert!(closed.contains("Enter list"), "{closed}");
    typed(&mut app, "lead so");
    let open = screen(&app, 160, 48);
    assert!(
        open.contains("Enter pick") && open.contains("Esc close"),
        "{open}"
    );
    assert!(
        !open.contains("Space mark"),
        "no marks in a single pick: {open}"
    );
}

/// The values the picker offers once Enter opens it on condition `i`'s value.
fn offered_values(app: &mut App, i: usize) -> Vec<String> {
    focus_on(app, Target::Value(i, 0));
    key(app, KeyCode::Enter);
    form(app)
        .picker
        .as_ref()
        .unwrap()
        .items
        .iter()
        .map(|x| x.value.clone())
        .collect()
}

/// A text field takes `${CURRENTUSER}` as literal words: only a user field is offered it.
#[test]
fn current_user_is_offered_on_user_fields_only() {
    let (mut app, i) = new_condition();
    pick_field(&mut app, "website");
    assert_eq!(row(&app, i).field, "Website");
    let values = offered_values(&mut app, i);
    assert_eq!(values, ["${EMPTY}", "${NOTEMPTY}"]);
    key(&mut app, KeyCode::Esc);
    focus_on(&mut app, Target::Field(i, 0));
    pick_field(&mut app, "lead owner");
    assert_eq!(row(&app, i).field, "Owner");
    let values = offered_values(&mut app, i);
    assert!(values.contains(&"${CURRENTUSER}".to_string()), "{values:?}");
    typed(&mut app, "current user");
    key(&mut app, KeyCode::Enter);
    assert_eq!(row(&app, i).value, "${CURRENTUSER}");
    assert!(form(&app).errors.is_empty(), "{:?}", form(&app).errors);
}
