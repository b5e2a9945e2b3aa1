//! The rule form driven by keys through `App::update`, on the sandbox's seeded org: what the
//! user sees in state (errors at inputs, the counter, the diff) and the effects asked for (the
//! save request's JSON, draft writes).

use crossterm::event::{KeyCode, KeyModifiers};
use serde_json::json;

use super::draft::{DraftStore, startup};
use super::target::Target;
use super::{Ask, Stage};
use crate::api::{ApiError, ZohoError};
use crate::domain::Edition;
use crate::journal::writes::WriteError;
use crate::tui::app::{App, Popup, Source};
use crate::tui::effects::Effect;
use crate::tui::event::Msg;
use crate::tui::outcome::Failure;
use crate::tui::test_support::{code as key, ctrl, loaded, screen, seeded, send, typed};

/// Leads → Standard → "Enterprise Fit", then `e`.
fn editing_enterprise_fit() -> App {
    let mut app = loaded();
    key(&mut app, KeyCode::Enter);
    typed(&mut app, "j");
    key(&mut app, KeyCode::Enter);
    typed(&mut app, "j");
    assert_eq!(app.current_rule().unwrap().name, "Enterprise Fit");
    typed(&mut app, "e");
    assert!(app.form.is_some(), "e opens the form");
    app
}

fn form(app: &App) -> &super::Form {
    app.form.as_deref().unwrap()
}

fn errors(app: &App, target: Target) -> Vec<String> {
    form(app)
        .errors_at(target)
        .map(|e| e.text.clone())
        .collect()
}

/// Enterprise Fit's first score set to 40, reviewed and sent: the save is in flight (request 2).
fn saving_a_score_of_40() -> App {
    let mut app = editing_enterprise_fit();
    to_first_score(&mut app);
    clear_and_type(&mut app, "40");
    ctrl(&mut app, 's');
    key(&mut app, KeyCode::Enter);
    app
}

/// Tab from the name to the first field rule's score (edit forms have no active switch).
fn to_first_score(app: &mut App) {
    key(app, KeyCode::Tab);
    key(app, KeyCode::Tab);
    assert_eq!(form(app).focused(), Target::Score(0));
}

fn clear_and_type(app: &mut App, text: &str) {
    for _ in 0..30 {
        key(app, KeyCode::Backspace);
    }
    typed(app, text);
}

#[test]
fn a_26_character_name_is_an_error_with_a_counter_and_backspace_fixes_it() {
    let mut app = editing_enterprise_fit();
    assert_eq!(form(&app).data.name, "Enterprise Fit");
    assert!(form(&app).errors.is_empty(), "{:?}", form(&app).errors);
    typed(&mut app, "ABCDEFGHIJKL");
    assert_eq!(form(&app).data.name.chars().count(), 26);
    assert_eq!(
        errors(&app, Target::Name),
        vec!["name: at most 25 characters (26)"]
    );
    let s = screen(&app, 80, 24);
    assert!(s.contains("26/25"), "{s}");
    assert!(s.contains("✗ name: at most 25 characters (26)"), "{s}");
    assert!(s.contains("1 error"), "{s}");

    key(&mut app, KeyCode::Backspace);
    assert!(errors(&app, Target::Name).is_empty());
    assert!(screen(&app, 80, 24).contains("25/25"));
}

#[test]
fn a_score_of_150_is_an_error_and_40_is_fine() {
    let mut app = editing_enterprise_fit();
    to_first_score(&mut app);
    clear_and_type(&mut app, "150");
    assert_eq!(
        errors(&app, Target::Score(0)),
        vec!["score: score must be an integer from -100 to 100 (150)"]
    );
    clear_and_type(&mut app, "4o");
    assert_eq!(errors(&app, Target::Score(0)).len(), 1, "not a number");
    clear_and_type(&mut app, "40");
    assert!(form(&app).errors.is_empty(), "{:?}", form(&app).errors);
}

#[test]
fn ctrl_s_is_refused_while_errors_remain() {
    let mut app = editing_enterprise_fit();
    typed(&mut app, "ABCDEFGHIJKL");
    let effects = ctrl(&mut app, 's');
    assert!(effects.is_empty());
    assert_eq!(form(&app).stage, Stage::Editing);
    let notice = app.notice.clone().unwrap();
    assert!(
        notice.error && notice.text.contains("1 error"),
        "{notice:?}"
    );
}

#[test]
fn ctrl_s_shows_the_diff_and_enter_sends_only_what_changed() {
    let mut app = editing_enterprise_fit();
    let base = form(&app).base.clone().unwrap();
    to_first_score(&mut app);
    clear_and_type(&mut app, "40");
    assert!(ctrl(&mut app, 's').is_empty());
    let Stage::Review(lines) = &form(&app).stage else {
        panic!("no diff: {:?}", form(&app).stage);
    };
    let texts: Vec<String> = lines.iter().map(|l| l.text.clone()).collect();
    assert_eq!(texts, vec!["field rule 1: score +25 → +40"]);
    assert!(screen(&app, 80, 24).contains("~ field rule 1: score +25 → +40"));

    // Esc goes back to the form with everything kept; Ctrl-S again, then Enter sends.
    key(&mut app, KeyCode::Esc);
    assert_eq!(form(&app).stage, Stage::Editing);
    assert_eq!(form(&app).data.field_rules[0].score, "40");
    ctrl(&mut app, 's');
    let effects = key(&mut app, KeyCode::Enter);
    let fr_id = base.field_rules[0].id.clone().unwrap();
    assert_eq!(
        effects,
        vec![Effect::SaveRule {
            request: 2,
            base: Some(Box::new(base.clone())),
            item: json!({"id": base.id, "field_rules": [{"id": fr_id, "score": 40}]}),
            name: "Enterprise Fit".into(),
        }]
    );
    assert!(matches!(form(&app).stage, Stage::Saving { request: 2, .. }));
    assert!(app.busy());

    let effects = app.update(Msg::FormSaved {
        request: 2,
        result: Ok(base.id.clone()),
    });
    assert!(app.form.is_none());
    assert_eq!(
        effects,
        vec![Effect::RemoveDraft, Effect::LoadSnapshot { request: 3 }]
    );
    assert_eq!(app.sel_rule, base.id);
    assert!(app.notice.unwrap().text.contains("saved “Enterprise Fit”"));
}

#[test]
fn a_server_error_naming_a_field_lands_on_that_input_and_others_in_a_dialog() {
    let mut app = saving_a_score_of_40();
    app.update(Msg::FormSaved {
        request: 2,
        result: Err(Failure::Write(WriteError::Api(ApiError::Zoho(ZohoError {
            status: 400,
            code: "INVALID_DATA".into(),
            message: "invalid data".into(),
            details: json!({
                "api_name": "score",
                "json_path": "$.scoring_rules[0].field_rules[0].score",
            }),
        })))),
    });
    assert_eq!(form(&app).stage, Stage::Editing);
    assert_eq!(
        errors(&app, Target::Score(0)),
        vec!["score: invalid data (INVALID_DATA)"]
    );
    assert_eq!(
        form(&app).data.field_rules[0].score,
        "40",
        "typed text kept"
    );
    assert!(app.notice.as_ref().unwrap().error);
    // Editing clears the server's verdict (it was about the old text).
    key(&mut app, KeyCode::Backspace);
    assert!(form(&app).server_errors.is_empty());

    typed(&mut app, "0");
    ctrl(&mut app, 's');
    key(&mut app, KeyCode::Enter);
    app.update(Msg::FormSaved {
        request: 3,
        result: Err(Failure::Other("network error: connection reset".into())),
    });
    assert!(matches!(&form(&app).stage, Stage::Failed(t) if t.contains("connection reset")));
    key(&mut app, KeyCode::Esc);
    assert_eq!(form(&app).stage, Stage::Editing);
}

#[test]
fn every_change_writes_the_draft_and_undoing_it_removes_the_draft() {
    let mut app = editing_enterprise_fit();
    let effects = typed(&mut app, "X");
    let [Effect::WriteDraft(d)] = effects.as_slice() else {
        panic!("{effects:?}");
    };
    assert_eq!(d.data.name, "Enterprise FitX");
    assert_eq!(d.base.as_ref().unwrap().name, "Enterprise Fit");
    let stored = app
        .snapshot
        .as_ref()
        .unwrap()
        .rule(d.base.as_ref().unwrap().id.as_ref().unwrap());
    assert_eq!(
        d.base.as_ref(),
        stored,
        "the base is the rule as loaded, whole"
    );
    // Moving around changes nothing: no write.
    assert!(key(&mut app, KeyCode::Tab).is_empty());
    key(&mut app, KeyCode::BackTab);
    assert_eq!(key(&mut app, KeyCode::Backspace), vec![Effect::RemoveDraft]);
}

#[test]
fn a_draft_is_offered_at_start_restored_with_its_text_or_discarded() {
    let dir = tempfile::tempdir().unwrap();
    let store = DraftStore::new(dir.path(), "built-in-sandbox");
    let mut app = editing_enterprise_fit();
    let Effect::WriteDraft(d) = typed(&mut app, "ABCDEFGHIJKL").pop().unwrap() else {
        panic!("no draft");
    };
    store.save(&d).unwrap();

    // The next start: the org loads, the draft is offered.
    let mut app = loaded();
    app.offer_draft(startup(&store));
    assert!(matches!(app.popup, Some(Popup::RestoreDraft(_))));
    assert!(screen(&app, 80, 24).contains("r restore · d discard"));
    typed(&mut app, "r");
    assert_eq!(form(&app).data.name, "Enterprise FitABCDEFGHIJKL");
    assert!(form(&app).dirty());
    assert_eq!(
        errors(&app, Target::Name),
        vec!["name: at most 25 characters (26)"]
    );

    let mut app = loaded();
    app.offer_draft(startup(&store));
    assert_eq!(typed(&mut app, "d"), vec![Effect::RemoveDraft]);
    assert!(app.popup.is_none() && app.form.is_none());
}

#[test]
fn esc_and_quit_ask_before_losing_changes() {
    let mut app = editing_enterprise_fit();
    // Unchanged: Esc just closes.
    assert_eq!(key(&mut app, KeyCode::Esc), vec![Effect::RemoveDraft]);
    assert!(app.form.is_none());

    typed(&mut app, "e");
    typed(&mut app, "Z");
    key(&mut app, KeyCode::Esc);
    assert_eq!(form(&app).stage, Stage::Ask(Ask::Discard));
    typed(&mut app, "n");
    assert_eq!(form(&app).data.name, "Enterprise FitZ");
    ctrl(&mut app, 'c');
    assert!(!app.quit);
    assert_eq!(form(&app).stage, Stage::Ask(Ask::Quit));
    assert!(screen(&app, 80, 24).contains("next start offers to restore"));
    typed(&mut app, "y");
    assert!(app.quit, "quitting keeps the draft: no RemoveDraft");

    let mut app = editing_enterprise_fit();
    typed(&mut app, "Z");
    key(&mut app, KeyCode::Esc);
    assert_eq!(typed(&mut app, "y"), vec![Effect::RemoveDraft]);
    assert!(app.form.is_none());
}

#[test]
fn n_builds_a_new_rule_from_pickers_and_sends_a_create() {
    let mut app = loaded();
    key(&mut app, KeyCode::Enter);
    typed(&mut app, "j");
    typed(&mut app, "n");
    assert!(form(&app).is_create());
    // An empty form: a name is required, the first criterion has no field yet.
    assert_eq!(errors(&app, Target::Name), vec!["name: a name is required"]);
    assert!(!errors(&app, Target::Field(0, 0)).is_empty());
    typed(&mut app, "Rated leads");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "Hot ");
    key(&mut app, KeyCode::Enter);
    typed(&mut app, "leads");
    assert_eq!(form(&app).data.description, "Hot \nleads");
    key(&mut app, KeyCode::Tab);
    assert_eq!(form(&app).focused(), Target::Active);
    typed(&mut app, " ");
    assert!(!form(&app).data.active);
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "10");
    key(&mut app, KeyCode::Tab);
    // Typing opens the field list narrowed by it, Enter picks; then the comparator list
    // follows the field's type.
    typed(&mut app, "Ra");
    key(&mut app, KeyCode::Enter);
    assert_eq!(form(&app).data.field_rules[0].rows()[0].field, "Rating");
    key(&mut app, KeyCode::Tab);
    assert_eq!(form(&app).data.field_rules[0].rows()[0].comparator, "equal");
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Right);
    let value = form(&app).data.field_rules[0].rows()[0].value.clone();
    assert!(!value.is_empty(), "→ picks a picklist value");
    assert!(form(&app).errors.is_empty(), "{:?}", form(&app).errors);

    // A second criterion makes a group; AND / OR appears.
    ctrl(&mut app, 'r');
    assert_eq!(form(&app).focused(), Target::Field(0, 1));
    typed(&mut app, "Ra");
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Right);
    // The same condition twice is the validator's duplicate finding… unless the value differs.
    key(&mut app, KeyCode::Right);
    assert!(form(&app).errors.is_empty(), "{:?}", form(&app).errors);

    ctrl(&mut app, 's');
    assert!(matches!(form(&app).stage, Stage::Review(_)));
    let effects = key(&mut app, KeyCode::Enter);
    let [
        Effect::SaveRule {
            base: None, item, ..
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:?}");
    };
    assert_eq!(item["name"], "Rated leads");
    assert_eq!(item["description"], "Hot \nleads");
    assert_eq!(item["active"], false);
    assert_eq!(item["module"]["api_name"], "Leads");
    assert_eq!(item["field_rules"][0]["score"], 10);
    assert_eq!(item["field_rules"][0]["criteria"]["group_operator"], "AND");
    assert_eq!(
        item["field_rules"][0]["criteria"]["group"][0]["field"]["api_name"],
        "Rating"
    );
}

#[test]
fn removing_the_only_field_rule_reports_that_something_must_score() {
    let mut app = loaded();
    key(&mut app, KeyCode::Enter);
    typed(&mut app, "j");
    typed(&mut app, "n");
    typed(&mut app, "Nothing");
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    assert_eq!(form(&app).focused(), Target::Score(0));
    ctrl(&mut app, 'd');
    // Removing a whole field rule asks first.
    assert_eq!(form(&app).stage, Stage::Ask(Ask::RemoveFieldRule(0)));
    assert_eq!(form(&app).data.field_rules.len(), 1);
    typed(&mut app, "y");
    assert!(form(&app).data.field_rules.is_empty());
    assert_eq!(
        errors(&app, Target::Rule),
        vec!["rule: add at least one field rule or signal rule"]
    );
}

#[test]
fn an_edit_sends_removals_and_additions_and_errors_map_back_through_them() {
    let mut app = editing_enterprise_fit();
    let base = form(&app).base.clone().unwrap();
    to_first_score(&mut app);
    // Remove field rule #1 (the nested one), then add a new one at the end.
    ctrl(&mut app, 'd');
    typed(&mut app, "y");
    assert_eq!(form(&app).data.field_rules.len(), 2);
    ctrl(&mut app, 'f');
    assert_eq!(form(&app).focused(), Target::Score(2));
    typed(&mut app, "150");
    // The new rule's errors land on its own inputs although the request lists it first.
    assert_eq!(
        errors(&app, Target::Score(2)),
        vec!["score: score must be an integer from -100 to 100 (150)"]
    );
    assert_eq!(
        errors(&app, Target::Field(2, 0)),
        vec!["field: field is required"]
    );
    assert!(errors(&app, Target::Score(0)).is_empty());

    let snap = app.snapshot.as_ref().unwrap();
    let body = form(&app).request(snap).unwrap();
    let removed = base.field_rules[0].id.clone().unwrap();
    assert_eq!(body.item["field_rules"][0]["score"], 150);
    assert!(body.item["field_rules"][0].get("id").is_none());
    assert_eq!(
        body.item["field_rules"][1],
        json!({"id": removed, "_delete": null})
    );
    assert_eq!(body.map.field_rules, vec![Some(2), None]);
}

#[test]
fn every_key_with_every_modifier_never_panics_and_never_saves_an_invalid_form() {
    let codes: Vec<KeyCode> = [
        KeyCode::Enter,
        KeyCode::Esc,
        KeyCode::Tab,
        KeyCode::BackTab,
        KeyCode::Backspace,
        KeyCode::Delete,
        KeyCode::Left,
        KeyCode::Right,
        KeyCode::Up,
        KeyCode::Down,
        KeyCode::Home,
        KeyCode::End,
        KeyCode::PageUp,
        KeyCode::PageDown,
        KeyCode::F(1),
    ]
    .into_iter()
    .chain("aZ9 -,{[é✓\u{1b}\u{202e}".chars().map(KeyCode::Char))
    .chain("sfrgudcqp".chars().map(KeyCode::Char))
    .collect();
    let mods = [
        KeyModifiers::NONE,
        KeyModifiers::SHIFT,
        KeyModifiers::CONTROL,
        KeyModifiers::ALT,
    ];
    let mut app = editing_enterprise_fit();
    typed(&mut app, "ABCDEFGHIJKLMNOP");
    for round in 0..3 {
        for code in &codes {
            for m in mods {
                let effects = send(&mut app, *code, m);
                let invalid = app.form.as_ref().is_some_and(|f| f.error_count() > 0);
                assert!(
                    !(invalid && effects.iter().any(|e| matches!(e, Effect::SaveRule { .. }))),
                    "saved an invalid form (round {round}, {code:?} {m:?})"
                );
                screen(&app, 80, 24);
                if app.form.is_none() || app.quit {
                    app = editing_enterprise_fit();
                    typed(&mut app, "ABCDEFGHIJKLMNOP");
                }
            }
        }
    }
}

#[test]
fn the_focused_input_stays_on_screen_at_80x24() {
    let mut app = editing_enterprise_fit();
    ctrl(&mut app, 'u');
    typed(&mut app, "Fit score");
    key(&mut app, KeyCode::Tab);
    assert_eq!(form(&app).focused(), Target::CustomRef(0));
    let s = screen(&app, 80, 24);
    assert!(s.contains("▶      maps"), "{s}");
    assert!(s.contains("Fit score"), "{s}");
    assert!(!s.contains("Description"), "scrolled down: {s}");
    key(&mut app, KeyCode::Right);
    assert!(form(&app).errors.is_empty(), "{:?}", form(&app).errors);
    assert_eq!(form(&app).data.custom_fields[0].reference, "Positive_Score");
}

#[test]
fn the_editions_rule_limits_are_checked_on_create() {
    let mut app = App::new(Source {
        label: "x".into(),
        sandbox: true,
    });
    app.start();
    let mut snap = seeded();
    snap.edition = Edition::Professional;
    app.update(Msg::SnapshotLoaded {
        request: 1,
        result: Ok(snap),
    });
    key(&mut app, KeyCode::Enter);
    typed(&mut app, "j");
    typed(&mut app, "n");
    assert_eq!(
        errors(&app, Target::Rule),
        vec!["rule: layout \"Standard\" already has 3 rules; the Professional edition allows 1"]
    );
    assert!(screen(&app, 80, 24).contains("✗ rule: layout \"Standard\" already has 3 rules"));
}

#[test]
fn arrows_pick_picklist_values_and_relative_dates_and_add_to_a_list() {
    let mut app = editing_enterprise_fit();
    let value3 = form(&app)
        .inputs()
        .iter()
        .position(|t| *t == Target::Value(2, 0))
        .unwrap();
    while form(&app).focus < value3 {
        key(&mut app, KeyCode::Tab);
    }
    assert_eq!(
        form(&app).data.field_rules[2].rows()[0].value,
        "Not Qualified, Lost Lead"
    );
    // `in`: ←/→ changes the last value; ", " then → adds one.
    key(&mut app, KeyCode::Right);
    let v = form(&app).data.field_rules[2].rows()[0].value.clone();
    assert!(
        v.starts_with("Not Qualified, ") && !v.ends_with("Lost Lead"),
        "{v}"
    );
    typed(&mut app, ",");
    key(&mut app, KeyCode::Right);
    let v2 = form(&app).data.field_rules[2].rows()[0].value.clone();
    assert_eq!(v2.matches(", ").count(), 2, "{v2}");
    assert!(form(&app).errors.is_empty(), "{:?}", form(&app).errors);

    // A date field offers relative dates.
    ctrl(&mut app, 'r');
    typed(&mut app, "Last Activity");
    key(&mut app, KeyCode::Enter);
    assert_eq!(
        form(&app).data.field_rules[2].rows()[1].field,
        "Last_Activity_Time"
    );
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Right);
    assert_eq!(form(&app).data.field_rules[2].rows()[1].value, "${TODAY}");
    assert!(form(&app).errors.is_empty(), "{:?}", form(&app).errors);
}

#[test]
fn e_outside_the_rules_says_what_to_do() {
    let mut app = loaded();
    typed(&mut app, "e");
    assert!(app.form.is_none());
    assert!(app.notice.unwrap().text.contains("select a rule"));
}

#[test]
fn one_line_inputs_edit_at_a_cursor() {
    let mut app = editing_enterprise_fit();
    key(&mut app, KeyCode::Home);
    typed(&mut app, "New ");
    assert_eq!(form(&app).data.name, "New Enterprise Fit");
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Delete);
    assert_eq!(form(&app).data.name, "New Eterprise Fit");
    key(&mut app, KeyCode::Backspace);
    assert_eq!(form(&app).data.name, "New terprise Fit");
    assert!(screen(&app, 80, 24).contains("New ▏terprise Fit"));
    key(&mut app, KeyCode::End);
    typed(&mut app, "!");
    assert_eq!(form(&app).data.name, "New terprise Fit!");
}

mod any_text {
    use proptest::prelude::*;

    use super::super::check::{Subject, check};
    use super::super::model::{CondForm, CriteriaForm, FieldRuleForm, FormData, SignalRuleForm};
    use super::seeded;

    static ORG: std::sync::LazyLock<crate::domain::OrgSnapshot> = std::sync::LazyLock::new(seeded);

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Whatever is typed, validation answers with readable errors, never a panic, and an
        /// empty error list only for a form the domain accepts.
        #[test]
        fn any_typed_text_gets_errors_not_a_panic(
            name in "\\PC{0,40}",
            description in "(\\PC|\n){0,30}",
            score in "\\PC{0,6}",
            field in prop::sample::select(vec!["", "Rating", "Annual_Revenue", "Last_Activity_Time", "Nope"]),
            comparator in prop::sample::select(vec!["", "equal", "in", "between", "greater_than", "contains"]),
            value in "\\PC{0,12}",
            signal in prop::sample::select(vec!["", "1", "x"]),
        ) {
            let snap = &*ORG;
            let rows = vec![CondForm {
                field: field.to_string(),
                comparator: comparator.to_string(),
                value,
                ..CondForm::default()
            }];
            let data = FormData {
                name,
                description,
                active: false,
                field_rules: vec![FieldRuleForm {
                    id: None,
                    score,
                    criteria: CriteriaForm { rows, pattern: "1".into(), loaded: None },
                }],
                signal_rules: vec![SignalRuleForm {
                    signal: signal.to_string(),
                    score: "5".into(),
                    ..SignalRuleForm::default()
                }],
                custom_fields: vec![],
            };
            let subject = Subject { module: "Leads", layout: None, base: None };
            let errors = check(&data, subject, snap);
            for e in &errors {
                prop_assert!(e.text.len() > e.target.label().len() + 2, "{e:?}");
            }
            if errors.is_empty() {
                let schema = snap.module("Leads").unwrap();
                let body = super::super::check::request(&data, subject, schema, super::super::body::Mode::Exact);
                prop_assert!(crate::domain::validate::parse_create(&body.item).is_ok());
            }
        }
    }
}

#[test]
fn a_read_only_app_opens_no_form_and_restores_no_draft() {
    let mut app = loaded();
    app.readonly = Some("--readonly".into());
    key(&mut app, KeyCode::Enter);
    typed(&mut app, "jn");
    assert!(app.form.is_none());
    assert!(app.notice.as_ref().unwrap().text.contains("read-only"));
    let mut data = super::model::FormData::new_rule();
    data.name = "x".into();
    app.offer_draft(super::draft::Startup::Offer(Box::new(
        super::draft::Draft::new("Leads", None, None, &data),
    )));
    typed(&mut app, "r");
    assert!(app.form.is_none());
}

#[test]
fn ctrl_p_previews_the_draft_over_the_form_and_esc_returns_to_it() {
    use crate::tui::keys::Mode;
    use crate::tui::lab::LabEffect;
    let mut app = editing_enterprise_fit();
    let base_id = form(&app).base.as_ref().unwrap().id.clone().unwrap();
    to_first_score(&mut app);
    clear_and_type(&mut app, "40");
    let effects = ctrl(&mut app, 'p');
    let [Effect::Lab(LabEffect::Preview(job))] = effects.as_slice() else {
        panic!("{effects:?}");
    };
    // After is the draft as the domain reads it, keeping the rule's id: before is the saved
    // rule's scores.
    assert_eq!(job.before, vec![base_id.clone()]);
    let [draft] = job.after.as_slice() else {
        panic!("{:?}", job.after);
    };
    assert_eq!(draft.id, Some(base_id));
    assert_eq!(draft.name, "Enterprise Fit");
    assert_eq!(draft.field_rules[0].score, 40);
    let saved = app.current_rule().unwrap();
    assert_eq!(
        saved.field_rules[0].score, 25,
        "the saved rule is untouched"
    );
    assert_eq!(draft.field_rules[1..], saved.field_rules[1..]);
    assert_eq!(app.mode(), Mode::Lab);
    let s = screen(&app, 80, 24);
    assert!(s.contains("Preview of draft “Enterprise Fit”"), "{s}");
    assert!(s.contains("Esc cancels"), "{s}");

    // Esc cancels the running preview and shows the form again, everything typed kept.
    let effects = key(&mut app, KeyCode::Esc);
    assert!(
        matches!(effects.as_slice(), [Effect::Lab(LabEffect::Cancel { .. })]),
        "{effects:?}"
    );
    assert!(app.lab.view.is_none());
    assert_eq!(app.mode(), Mode::Form);
    assert_eq!(form(&app).data.field_rules[0].score, "40");
    assert_eq!(form(&app).focused(), Target::Score(0));
    assert!(form(&app).dirty());
    let s = screen(&app, 80, 24);
    assert!(s.contains("40▏"), "{s}");
    assert!(!s.contains("Preview of draft"), "{s}");

    // A draft the domain cannot read yet says why instead of previewing.
    clear_and_type(&mut app, "forty");
    let effects = ctrl(&mut app, 'p');
    assert!(effects.is_empty(), "{effects:?}");
    assert!(app.lab.view.is_none());
    let notice = app.notice.as_ref().unwrap();
    assert!(
        notice.error && notice.text.starts_with("cannot preview yet: "),
        "{notice:?}"
    );
}

#[test]
fn lint_findings_of_the_draft_show_as_warnings_that_do_not_block_saving() {
    let mut app = loaded();
    key(&mut app, KeyCode::Enter);
    typed(&mut app, "j");
    typed(&mut app, "n");
    typed(&mut app, "Rated leads");
    for _ in 0..3 {
        key(&mut app, KeyCode::Tab);
    }
    typed(&mut app, "10");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "Ra");
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Right);
    assert!(form(&app).lint.is_empty(), "{:?}", form(&app).lint);
    // Rating = one value AND Rating = another: valid, but it can never match.
    ctrl(&mut app, 'r');
    typed(&mut app, "Ra");
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Right);
    assert!(form(&app).errors.is_empty(), "{:?}", form(&app).errors);
    let lint = &form(&app).lint;
    assert_eq!(lint.len(), 1, "{lint:?}");
    assert_eq!(lint[0].0, "never matches");
    assert!(lint[0].1.contains("can never both hold"), "{lint:?}");
    let s = screen(&app, 160, 48);
    assert!(s.contains("Lint (1)"), "{s}");
    assert!(
        s.contains("⚠ never matches: field rule 1: Rating = "),
        "{s}"
    );
    assert!(s.contains("✓ no errors · ⚠ 1 lint"), "{s}");

    // A warning, not an error: saving goes on to the review.
    ctrl(&mut app, 's');
    assert!(matches!(form(&app).stage, Stage::Review(_)));
    key(&mut app, KeyCode::Esc);
    // Removing the second criterion clears the warning.
    ctrl(&mut app, 'd');
    assert!(form(&app).lint.is_empty(), "{:?}", form(&app).lint);
    assert!(form(&app).errors.is_empty(), "{:?}", form(&app).errors);
    assert!(!screen(&app, 160, 48).contains("Lint ("));
}

/// Enterprise Fit edited (first score typed as 40) and sent; the answer is that someone else
/// changed the rule: `theirs` is `change` applied to the rule as loaded, with a new time.
fn refused_with(change: impl FnOnce(&mut crate::domain::ScoringRule)) -> App {
    let mut app = saving_a_score_of_40();
    let mut theirs = form(&app).base.clone().unwrap();
    change(&mut theirs);
    theirs.modified_time = Some("2026-11-23T16:00:00+00:00".into());
    let base = form(&app).base.clone().unwrap();
    app.update(Msg::FormSaved {
        request: 2,
        result: Err(Failure::Write(WriteError::Conflict(Box::new(
            crate::api::Conflict { base, theirs },
        )))),
    });
    assert!(matches!(form(&app).stage, Stage::Conflict(_)));
    app
}

fn their_description(r: &mut crate::domain::ScoringRule) {
    r.description = Some("B's description".into());
}

#[test]
fn a_conflict_re_applied_holds_theirs_plus_mine_on_their_rule_as_base() {
    let mut app = refused_with(their_description);
    let Stage::Conflict(view) = &form(&app).stage else {
        panic!()
    };
    assert!(view.merge.merged.is_some());
    let effects = typed(&mut app, "r");
    let f = form(&app);
    assert_eq!(f.stage, Stage::Editing);
    assert_eq!(f.data.description, "B's description");
    assert_eq!(f.data.field_rules[0].score, "40");
    assert_eq!(
        f.base.as_ref().unwrap().description.as_deref(),
        Some("B's description"),
        "theirs is the new base"
    );
    assert!(f.dirty());
    assert!(matches!(effects.as_slice(), [Effect::WriteDraft(_)]));
    // Saving again goes through the diff, guarded against theirs.
    ctrl(&mut app, 's');
    assert!(matches!(form(&app).stage, Stage::Review(_)));
    let effects = key(&mut app, KeyCode::Enter);
    let [Effect::SaveRule { base, item, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(
        base.as_ref().unwrap().modified_time.as_deref(),
        Some("2026-11-23T16:00:00+00:00")
    );
    assert!(
        item.get("description").is_none(),
        "theirs is not re-sent: {item}"
    );
}

#[test]
fn a_real_conflict_offers_no_merge_and_overwrite_sends_yours_guarded_by_theirs() {
    let mut app = refused_with(|r| r.field_rules[0].score = 5);
    let Stage::Conflict(view) = &form(&app).stage else {
        panic!()
    };
    assert!(view.merge.merged.is_none());
    assert!(typed(&mut app, "r").is_empty());
    assert!(app.notice.as_ref().unwrap().error);
    assert!(matches!(form(&app).stage, Stage::Conflict(_)));
    let effects = typed(&mut app, "o");
    let [Effect::SaveRule { base, item, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(base.as_ref().unwrap().field_rules[0].score, 5);
    assert_eq!(item["field_rules"][0]["score"], 40);
    assert!(matches!(form(&app).stage, Stage::Saving { .. }));
}

#[test]
fn discard_asks_first_then_closes_the_form_removes_the_draft_and_reloads() {
    let mut app = refused_with(their_description);
    assert!(typed(&mut app, "d").is_empty());
    assert!(typed(&mut app, "n").is_empty());
    assert!(app.form.is_some(), "n keeps the edits");
    typed(&mut app, "d");
    let effects = typed(&mut app, "y");
    assert!(app.form.is_none());
    assert!(matches!(
        effects.as_slice(),
        [Effect::RemoveDraft, Effect::LoadSnapshot { .. }]
    ));
}

#[test]
fn esc_from_the_conflict_view_returns_to_the_form_with_everything_typed() {
    let mut app = refused_with(their_description);
    key(&mut app, KeyCode::Esc);
    let f = form(&app);
    assert_eq!(f.stage, Stage::Editing);
    assert_eq!(f.data.field_rules[0].score, "40");
    assert_eq!(
        f.base.as_ref().unwrap().description,
        seeded_fit().description
    );
}

fn seeded_fit() -> crate::domain::ScoringRule {
    seeded()
        .rules
        .into_iter()
        .find(|r| r.name == "Enterprise Fit")
        .unwrap()
}

#[test]
fn a_rule_deleted_meanwhile_can_be_re_created_as_a_new_rule() {
    let mut app = saving_a_score_of_40();
    app.update(Msg::FormSaved {
        request: 2,
        result: Err(Failure::Write(WriteError::Deleted {
            id: crate::domain::Id::new("5843104000000002407"),
        })),
    });
    assert!(matches!(form(&app).stage, Stage::Deleted(_)));
    assert!(screen(&app, 80, 24).contains("Rule deleted meanwhile"));
    let effects = typed(&mut app, "c");
    assert!(matches!(effects.as_slice(), [Effect::WriteDraft(_)]));
    let f = form(&app);
    assert!(f.is_create());
    assert_eq!(f.data.field_rules[0].score, "40");
    assert_eq!(f.data.name, "Enterprise Fit");
}

#[test]
fn the_conflict_view_scrolls_to_its_last_page_and_back_at_once() {
    let mut app = refused_with(their_description);
    // 80×14: the stacked fields do not fit.
    app.update(Msg::Resize {
        width: 80,
        height: 14,
    });
    let [_, body, _] = crate::tui::view::layout::conflict_parts(app.screen);
    let scroll = |app: &App| match &form(app).stage {
        Stage::Conflict(v) => (v.scroll, crate::tui::view::conflict_rows(v, body.width)),
        other => panic!("{other:?}"),
    };
    let (_, rows) = scroll(&app);
    let last_page = u16::try_from(rows).unwrap() - body.height;
    assert!(last_page > 1, "{rows} rows in {}", body.height);
    typed(&mut app, "G");
    assert_eq!(scroll(&app).0, last_page);
    typed(&mut app, "k");
    assert_eq!(scroll(&app).0, last_page - 1);
    typed(&mut app, &"j".repeat(300));
    assert_eq!(scroll(&app).0, last_page, "j stops at the end");
    key(&mut app, KeyCode::PageUp);
    assert_eq!(scroll(&app).0, last_page.saturating_sub(body.height - 1));
    key(&mut app, KeyCode::Home);
    assert_eq!(scroll(&app).0, 0);
    assert!(screen(&app, 80, 14).contains("▼ more below"));
}

/// Tabs until `target` is focused.
fn focus_on(app: &mut App, target: Target) {
    let at = form(app)
        .inputs()
        .iter()
        .position(|t| *t == target)
        .unwrap_or_else(|| panic!("{target:?} is not an input"));
    while form(app).focus != at {
        let step = if form(app).focus < at {
            KeyCode::Tab
        } else {
            KeyCode::BackTab
        };
        key(app, step);
    }
}

#[test]
fn an_empty_number_input_says_required() {
    let mut app = editing_enterprise_fit();
    ctrl(&mut app, 'f');
    let i = form(&app).data.field_rules.len() - 1;
    assert_eq!(errors(&app, Target::Score(i)), ["score: score is required"]);
    focus_on(&mut app, Target::Field(i, 0));
    typed(&mut app, "Annual");
    key(&mut app, KeyCode::Enter);
    assert_eq!(
        form(&app).data.field_rules[i].rows()[0].field,
        "Annual_Revenue"
    );
    let value = errors(&app, Target::Value(i, 0));
    assert_eq!(value.len(), 1, "{value:?}");
    assert!(value[0].contains("required"), "{value:?}");
    assert!(!value[0].contains("not a number"), "{value:?}");
    // Spaces are nothing typed too; a number clears it.
    focus_on(&mut app, Target::Value(i, 0));
    typed(&mut app, "  ");
    assert!(errors(&app, Target::Value(i, 0))[0].contains("required"));
    typed(&mut app, "5000");
    assert!(errors(&app, Target::Value(i, 0)).is_empty());
    // The first field rule's score cleared.
    focus_on(&mut app, Target::Score(0));
    clear_and_type(&mut app, "");
    assert_eq!(errors(&app, Target::Score(0)), ["score: score is required"]);
}

#[test]
fn a_picklist_value_typed_in_any_case_is_saved_in_the_picklists_spelling() {
    let mut app = editing_enterprise_fit();
    ctrl(&mut app, 'f');
    let i = form(&app).data.field_rules.len() - 1;
    focus_on(&mut app, Target::Score(i));
    typed(&mut app, "5");
    focus_on(&mut app, Target::Field(i, 0));
    typed(&mut app, "Rating");
    key(&mut app, KeyCode::Enter);
    assert_eq!(form(&app).data.field_rules[i].rows()[0].field, "Rating");
    focus_on(&mut app, Target::Value(i, 0));
    typed(&mut app, "market FAILED");
    assert!(form(&app).errors.is_empty(), "{:?}", form(&app).errors);
    ctrl(&mut app, 's');
    let effects = key(&mut app, KeyCode::Enter);
    let [Effect::SaveRule { item, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    let added = item["field_rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f.get("id").is_none())
        .unwrap();
    assert_eq!(added["criteria"]["value"], "Market Failed", "{item}");
}

/// A new rule whose criteria repeat another rule's of the same layout (Inbound Demand's, under
/// another name and scores) is an error in the form, and Ctrl-S refuses to send it; the same
/// criteria for all layouts are fine.
#[test]
fn criteria_another_rule_of_the_layout_has_are_an_error_before_sending() {
    let mut app = loaded();
    let snap = app.snapshot.clone().unwrap();
    let inbound = snap
        .rules
        .iter()
        .find(|r| r.name == "Inbound Demand")
        .unwrap()
        .clone();
    let mut draft = super::Form::create("Leads", inbound.layout_id().cloned());
    draft.data = super::model::FormData::from_rule(&inbound);
    draft.data.name = "Inbound Again".into();
    draft.revalidate(Some(&snap));
    let texts: Vec<&str> = draft.errors.iter().map(|e| e.text.as_str()).collect();
    assert_eq!(texts.len(), 1, "{texts:?}");
    assert!(
        texts[0].contains("rule \"Inbound Demand\" (")
            && texts[0].contains("in the same layout already has exactly these criteria"),
        "{texts:?}"
    );
    app.form = Some(Box::new(draft));
    assert!(ctrl(&mut app, 's').is_empty());
    assert_eq!(form(&app).stage, Stage::Editing);

    let mut everywhere = super::Form::create("Leads", None);
    everywhere.data = super::model::FormData::from_rule(&inbound);
    everywhere.data.name = "Inbound Everywhere".into();
    everywhere.revalidate(Some(&snap));
    assert!(everywhere.errors.is_empty(), "{:?}", everywhere.errors);
}

mod pattern;
mod picker;
mod undo;
