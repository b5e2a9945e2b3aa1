//! Ctrl-Z / Ctrl-Y in the form: typing into one input is one step, commands are steps of
//! their own, a removed field rule comes back, and undoing every edit leaves nothing to save.

use super::*;

fn field_rules(app: &App) -> usize {
    form(app).data.field_rules.len()
}

#[test]
fn typing_is_undone_as_one_step_and_redone() {
    let mut app = editing_enterprise_fit();
    typed(&mut app, "ABC");
    assert_eq!(form(&app).data.name, "Enterprise FitABC");
    ctrl(&mut app, 'z');
    assert_eq!(form(&app).data.name, "Enterprise Fit");
    assert!(!form(&app).dirty(), "every edit undone: nothing to save");
    ctrl(&mut app, 'y');
    assert_eq!(form(&app).data.name, "Enterprise FitABC");
    // Nothing further either way says so, and changes nothing.
    ctrl(&mut app, 'y');
    assert!(
        app.notice
            .as_ref()
            .is_some_and(|n| n.text == "nothing to redo"),
        "{:?}",
        app.notice
    );
    ctrl(&mut app, 'z');
    ctrl(&mut app, 'z');
    assert_eq!(form(&app).data.name, "Enterprise Fit");
    assert!(
        app.notice
            .as_ref()
            .is_some_and(|n| n.text == "nothing to undo"),
        "{:?}",
        app.notice
    );
}

#[test]
fn typing_in_two_inputs_and_a_command_are_three_steps() {
    let mut app = editing_enterprise_fit();
    typed(&mut app, "X");
    to_first_score(&mut app);
    clear_and_type(&mut app, "40");
    ctrl(&mut app, 'r');
    let conditions = form(&app).data.field_rules[0].rows().len();
    assert_eq!(conditions, 4, "Ctrl-R added a condition");
    ctrl(&mut app, 'z');
    assert_eq!(form(&app).data.field_rules[0].rows().len(), 3);
    assert_eq!(form(&app).data.field_rules[0].score, "40");
    ctrl(&mut app, 'z');
    assert_eq!(form(&app).data.field_rules[0].score, "25");
    assert_eq!(form(&app).data.name, "Enterprise FitX");
    ctrl(&mut app, 'z');
    assert_eq!(form(&app).data.name, "Enterprise Fit");
    // A new edit after undoing drops what could be redone.
    typed(&mut app, "Y");
    ctrl(&mut app, 'y');
    assert_eq!(form(&app).data.name, "Enterprise FitY");
    assert_eq!(form(&app).data.field_rules[0].score, "25");
}

#[test]
fn a_field_rule_removed_after_the_question_comes_back() {
    let mut app = editing_enterprise_fit();
    to_first_score(&mut app);
    let before = field_rules(&app);
    ctrl(&mut app, 'd');
    assert!(
        matches!(form(&app).stage, Stage::Ask(_)),
        "{:?}",
        form(&app).stage
    );
    key(&mut app, KeyCode::Char('y'));
    assert_eq!(field_rules(&app), before - 1);
    ctrl(&mut app, 'z');
    assert_eq!(field_rules(&app), before);
    assert_eq!(
        form(&app).data.field_rules[0].criteria.pattern,
        "1 OR (2 AND 3)"
    );
    assert!(!form(&app).dirty());
}
