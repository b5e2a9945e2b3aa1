//! `E` / `Ctrl-E` as state: keys in, the editor's run as an effect, its text fed back as the
//! `Msg` the event loop sends, and what the app shows and sends then.

use crossterm::event::{KeyCode, KeyModifiers};
use serde_json::{Value, json};

use super::EditStage;
use crate::transfer::Step;
use crate::tui::app::{App, Popup};
use crate::tui::effects::Effect;
use crate::tui::event::Msg;
use crate::tui::form::Stage;
use crate::tui::outcome::{Change, Done};
use crate::tui::test_support::{code as key, loaded, send};

/// Leads → Standard → "Enterprise Fit" selected.
fn on_enterprise_fit() -> App {
    let mut app = loaded();
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('j'));
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('j'));
    assert_eq!(app.current_rule().unwrap().name, "Enterprise Fit");
    app
}

/// The editor's run the app asked for: its request and text.
fn editor_run(effects: &[Effect]) -> (u64, String) {
    match effects {
        [Effect::RunEditor { request, text }] => (*request, text.clone()),
        other => panic!("no editor run: {other:?}"),
    }
}

fn edited(text: &str, change: impl FnOnce(&mut Value)) -> String {
    let mut v: Value = serde_json::from_str(text).unwrap();
    change(&mut v);
    serde_json::to_string_pretty(&v).unwrap()
}

fn stage(app: &App) -> &EditStage {
    match &app.popup {
        Some(Popup::EditFile(s)) => &s.stage,
        other => panic!("no edit dialog: {other:?}"),
    }
}

fn notice(app: &App) -> String {
    app.notice
        .as_ref()
        .map(|n| n.text.clone())
        .unwrap_or_default()
}

#[test]
fn e_opens_the_rule_as_its_export_file_and_a_valid_edit_is_reviewed_then_sent() {
    let mut app = on_enterprise_fit();
    let (request, text) = editor_run(&key(&mut app, KeyCode::Char('E')));
    assert_eq!(stage(&app), &EditStage::Editing);
    let file: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(file["name"], "Enterprise Fit");
    assert_eq!(file["module"], "Leads");
    // Keys while the editor runs do nothing (the reader is paused; a stray one is ignored).
    assert_eq!(key(&mut app, KeyCode::Enter), vec![]);
    let new = edited(&text, |v| v["field_rules"][0]["score"] = json!(77));
    assert_eq!(
        app.update(Msg::EditorDone {
            request,
            result: Ok(new)
        }),
        vec![]
    );
    let EditStage::Review { rules, plan } = stage(&app) else {
        panic!("no review: {:?}", stage(&app))
    };
    assert_eq!(rules.len(), 1);
    assert_eq!(rules[0].0, "Enterprise Fit");
    let words: Vec<String> = rules[0].1.iter().map(|d| d.signed()).collect();
    assert!(words.iter().any(|w| w.contains("77")), "{words:?}");
    assert_eq!(plan.plan.steps.len(), 1);
    let effects = key(&mut app, KeyCode::Enter);
    let [
        Effect::ApplyEdit {
            request,
            plan,
            names,
            ..
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    assert!(matches!(plan.steps[..], [Step::Update { .. }]));
    assert_eq!(names, &["Enterprise Fit".to_string()]);
    assert_eq!(app.popup, None);
    assert!(app.busy());
    let after = app.update(Msg::RuleChanged {
        request: *request,
        change: Change::Edit {
            names: names.clone(),
        },
        result: Ok(Done::Written),
    });
    assert_eq!(notice(&app), "edited “Enterprise Fit”");
    assert!(matches!(after[..], [Effect::LoadSnapshot { .. }]));
}

#[test]
fn an_unchanged_file_sends_nothing_and_says_so() {
    let mut app = on_enterprise_fit();
    let (request, text) = editor_run(&key(&mut app, KeyCode::Char('E')));
    let effects = app.update(Msg::EditorDone {
        request,
        result: Ok(text),
    });
    assert_eq!(effects, vec![]);
    assert_eq!(app.popup, None);
    assert_eq!(notice(&app), "the file is unchanged: nothing sent");
}

#[test]
fn invalid_json_lists_the_line_then_enter_reopens_the_text_as_typed() {
    let mut app = on_enterprise_fit();
    let (request, text) = editor_run(&key(&mut app, KeyCode::Char('E')));
    let broken = text
        .replacen("\"module\"", "\"module\" ", 1)
        .replacen(',', "", 1);
    app.update(Msg::EditorDone {
        request,
        result: Ok(broken.clone()),
    });
    let EditStage::Errors(errors) = stage(&app) else {
        panic!("no errors: {:?}", stage(&app))
    };
    assert!(errors[0].contains("(line 3, column"), "{errors:?}");
    // Enter: the editor again, on the text as typed.
    let (again, reopened) = editor_run(&key(&mut app, KeyCode::Enter));
    assert_ne!(again, request);
    assert_eq!(reopened, broken);
    // The answer to the first run is stale now.
    app.update(Msg::EditorDone {
        request,
        result: Ok(text.clone()),
    });
    assert_eq!(stage(&app), &EditStage::Editing);
    let fixed = edited(&text, |v| v["description"] = json!("fixed"));
    app.update(Msg::EditorDone {
        request: again,
        result: Ok(fixed),
    });
    assert!(matches!(stage(&app), EditStage::Review { .. }));
}

#[test]
fn esc_on_the_errors_keeps_the_text_in_a_file_and_says_where() {
    let mut app = on_enterprise_fit();
    let (request, _) = editor_run(&key(&mut app, KeyCode::Char('E')));
    app.update(Msg::EditorDone {
        request,
        result: Ok("{ not json".into()),
    });
    let effects = key(&mut app, KeyCode::Esc);
    assert_eq!(
        effects,
        vec![Effect::KeepEditText {
            text: "{ not json".into()
        }]
    );
    assert_eq!(app.popup, None);
    app.update(Msg::EditKept(Ok("/tmp/zscore-edit-1-kept.json".into())));
    assert_eq!(
        notice(&app),
        "nothing sent; your edit is kept in /tmp/zscore-edit-1-kept.json"
    );
}

#[test]
fn an_editor_that_cannot_run_leaves_nothing_open() {
    let mut app = on_enterprise_fit();
    let (request, _) = editor_run(&key(&mut app, KeyCode::Char('E')));
    let effects = app.update(Msg::EditorDone {
        request,
        result: Err("cannot run the editor \"nope\": not found (set VISUAL or EDITOR)".into()),
    });
    assert_eq!(effects, vec![]);
    assert_eq!(app.popup, None);
    assert!(
        notice(&app).contains("set VISUAL or EDITOR"),
        "{}",
        notice(&app)
    );
}

#[test]
fn e_is_a_write_refused_read_only() {
    let mut app = on_enterprise_fit();
    app.readonly = Some("started with --readonly".into());
    assert_eq!(key(&mut app, KeyCode::Char('E')), vec![]);
    assert_eq!(app.popup, None);
    assert!(
        notice(&app).starts_with("read-only: editing is off"),
        "{}",
        notice(&app)
    );
}

#[test]
fn ctrl_e_opens_the_forms_current_draft_and_its_edit_goes_to_the_forms_review() {
    let mut app = on_enterprise_fit();
    key(&mut app, KeyCode::Char('e'));
    assert!(app.form.is_some());
    // An unsaved edit in the form: the name gets a suffix.
    key(&mut app, KeyCode::End);
    key(&mut app, KeyCode::Char('!'));
    assert_eq!(app.form.as_ref().unwrap().data.name, "Enterprise Fit!");
    let (request, text) = editor_run(&send(&mut app, KeyCode::Char('e'), KeyModifiers::CONTROL));
    let file: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        file["name"], "Enterprise Fit!",
        "the draft, unsaved edits included"
    );
    let new = edited(&text, |v| v["field_rules"][0]["score"] = json!(66));
    let effects = app.update(Msg::EditorDone {
        request,
        result: Ok(new),
    });
    assert_eq!(app.popup, None);
    let form = app.form.as_ref().unwrap();
    assert_eq!(form.data.field_rules[0].score, "66");
    assert_eq!(form.data.name, "Enterprise Fit!");
    let Stage::Review(lines) = &form.stage else {
        panic!("no review: {:?}", form.stage)
    };
    let words: Vec<String> = lines.iter().map(|d| d.signed()).collect();
    assert!(words.iter().any(|w| w.contains("66")), "{words:?}");
    assert!(
        effects.iter().any(|e| matches!(e, Effect::WriteDraft(_))),
        "the draft follows: {effects:?}"
    );
    // Enter saves as Ctrl-S's review does: the form's guarded save.
    let effects = key(&mut app, KeyCode::Enter);
    assert!(
        matches!(effects[..], [Effect::SaveRule { .. }]),
        "{effects:?}"
    );
}
