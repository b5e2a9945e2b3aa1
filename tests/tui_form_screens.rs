//! Screen snapshots of the rule form on ratatui's `TestBackend`, at 80×24 (it scrolls) and
//! 160×48: inline errors with the name counter, the diff shown before saving, and the
//! restore-draft dialog at start; plus the error style with and without colour.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::tui::{loaded, press, render, screen, seeded, snap, typed};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Color;
use zscore::tui::app::{App, Source};
use zscore::tui::event::Msg;
use zscore::tui::form::Stage;
use zscore::tui::form::draft::{Draft, Startup};
use zscore::tui::form::model::FormData;
use zscore::tui::view::Theme;

/// Enterprise Fit open in the form with a 26-character name and a score of 150.
fn with_errors() -> App {
    let mut app = loaded();
    press(&mut app, KeyCode::Enter);
    typed(&mut app, "j");
    press(&mut app, KeyCode::Enter);
    typed(&mut app, "je");
    typed(&mut app, "ABCDEFGHIJKL");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Backspace);
    press(&mut app, KeyCode::Backspace);
    typed(&mut app, "150");
    app
}

#[test]
fn form_with_inline_errors() {
    let app = with_errors();
    let small = screen(&app, 80, 24);
    assert!(small.contains("score: score must be an integer from -100 to 100 (150)"));
    snap!("form_errors_80x24", small);
    let big = screen(&app, 160, 48);
    assert!(big.contains("26/25") && big.contains("✗ 2 errors"));
    snap!("form_errors_160x48", big);
}

#[test]
fn diff_before_saving() {
    let mut app = with_errors();
    press(&mut app, KeyCode::Backspace);
    press(&mut app, KeyCode::Backspace);
    press(&mut app, KeyCode::Backspace);
    typed(&mut app, "40");
    press(&mut app, KeyCode::BackTab);
    press(&mut app, KeyCode::BackTab);
    for _ in 0..12 {
        press(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, " v2");
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('s'),
        KeyModifiers::CONTROL,
    )));
    let small = screen(&app, 80, 24);
    assert!(small.contains("field rule 1: score +25 → +40"), "{small}");
    snap!("form_diff_80x24", small);
    snap!("form_diff_160x48", screen(&app, 160, 48));
}

/// Appending " (edited)" to a long description: the review shows where the texts part (the
/// end), not both sides cut at the same column.
#[test]
fn a_long_description_edit_shows_the_change() {
    let mut snap = seeded();
    let long = "Leads that came to us on their own through the website, a chat or the online \
                store, sized for our sweet spot.";
    let rule = snap
        .rules
        .iter_mut()
        .find(|r| r.name == "Inbound Demand")
        .unwrap();
    rule.description = Some(long.into());
    let mut app = App::new(Source {
        label: "built-in sandbox".into(),
        sandbox: true,
    });
    app.start();
    app.update(Msg::SnapshotLoaded {
        request: 1,
        result: Ok(snap),
    });
    // Leads → Standard → Inbound Demand, e, Tab to the description, type at its end.
    press(&mut app, KeyCode::Enter);
    typed(&mut app, "j");
    press(&mut app, KeyCode::Enter);
    typed(&mut app, "e");
    press(&mut app, KeyCode::Tab);
    typed(&mut app, " (edited)");
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('s'),
        KeyModifiers::CONTROL,
    )));
    let Stage::Review(lines) = &app.form.as_ref().unwrap().stage else {
        panic!("no review")
    };
    let texts: Vec<String> = lines.iter().map(|l| l.signed()).collect();
    assert_eq!(
        texts,
        ["~ description “… our sweet spot.” → “… our sweet spot. (edited)”"]
    );
    let small = screen(&app, 80, 24);
    assert!(small.contains("(edited)”"), "{small}");
    snap!("form_diff_description_80x24", small);
    snap!("form_diff_description_160x48", screen(&app, 160, 48));
}

#[test]
fn restore_draft_dialog() {
    let mut app = loaded();
    let mut data = FormData::new_rule();
    data.name = "Webinar leads".into();
    app.offer_draft(Startup::Offer(Box::new(Draft {
        version: 1,
        module: "Leads".into(),
        layout: None,
        base: None,
        data,
        saved_at: "2026-11-20T09:30:00Z".into(),
    })));
    let small = screen(&app, 80, 24);
    assert!(small.contains("r restore · d discard"));
    snap!("form_restore_draft_80x24", small);
    snap!("form_restore_draft_160x48", screen(&app, 160, 48));
}

/// Errors are red with colour, and still marked `✗` (bold, no colour) under NO_COLOR.
#[test]
fn errors_are_red_and_marked_even_without_colour() {
    let app = with_errors();
    for color in [true, false] {
        let t = render(&app, 160, 48, Theme { color });
        let buf = t.backend().buffer();
        let area = buf.area;
        let at = (0..area.height)
            .flat_map(|y| (0..area.width).map(move |x| (x, y)))
            .find(|&(x, y)| buf[(x, y)].symbol() == "✗")
            .expect("an error mark");
        let fg = buf[at].fg;
        if color {
            assert_eq!(fg, Color::Red);
        } else {
            assert_eq!(fg, Color::Reset);
        }
    }
}

/// `n` on Leads / Standard: an empty rule, every missing piece named at its input.
#[test]
fn new_rule_form() {
    let mut app = loaded();
    press(&mut app, KeyCode::Enter);
    typed(&mut app, "j");
    typed(&mut app, "n");
    let small = screen(&app, 80, 24);
    assert!(small.contains("New rule · Leads / Standard"), "{small}");
    snap!("form_new_80x24", small);
}

/// A diff taller than the screen is cut with a count; the keys stay in its border.
#[test]
fn a_long_diff_keeps_its_keys() {
    let mut app = with_errors();
    for _ in 0..3 {
        press(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, "40");
    press(&mut app, KeyCode::BackTab);
    press(&mut app, KeyCode::BackTab);
    press(&mut app, KeyCode::Backspace);
    // Tab to the first field rule's score; Ctrl-D (and y: removing a field rule asks) twice.
    for _ in 0..2 {
        press(&mut app, KeyCode::Tab);
    }
    let ctrl_d = KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL);
    for _ in 0..2 {
        app.update(Msg::Key(ctrl_d));
        press(&mut app, KeyCode::Char('y'));
    }
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('s'),
        KeyModifiers::CONTROL,
    )));
    let tall = screen(&app, 80, 24);
    assert!(tall.contains("- field rule +25 when Industry in"), "{tall}");
    assert!(
        tall.contains("- field rule +15 when Rating = Active"),
        "{tall}"
    );
    let short = screen(&app, 80, 5);
    assert!(short.contains("Enter: save · Esc: back"), "{short}");
    assert!(short.contains("… and 2 more lines"), "{short}");
}

/// A new Leads rule whose one field rule is `Rating = a AND Rating = b`: valid, never matches.
#[test]
fn form_with_a_lint_warning() {
    let mut app = loaded();
    press(&mut app, KeyCode::Enter);
    typed(&mut app, "j");
    typed(&mut app, "n");
    typed(&mut app, "Rated leads");
    for _ in 0..3 {
        press(&mut app, KeyCode::Tab);
    }
    typed(&mut app, "10");
    press(&mut app, KeyCode::Tab);
    typed(&mut app, "Ra");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Right);
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('r'),
        KeyModifiers::CONTROL,
    )));
    typed(&mut app, "Ra");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Right);
    let big = screen(&app, 160, 48);
    assert!(
        big.contains("⚠ never matches: field rule 1: Rating = "),
        "{big}"
    );
    assert!(big.contains("✓ no errors · ⚠ 1 lint"), "{big}");
    snap!("form_lint_160x48", big);
    // At 80×24 the form scrolls to the focused value; the footer still counts the warning.
    let small = screen(&app, 80, 24);
    assert!(small.contains("⚠ 1 lint"), "{small}");
    snap!("form_lint_80x24", small);
    // Without colour the warning keeps its mark.
    let plain = render(&app, 160, 48, Theme { color: false });
    assert!(plain.backend().to_string().contains("⚠ never matches"));
}

/// The demo's Regional Focus (Partners / Reseller) holds "ANZ", removed from the Region picklist
/// after the rule was saved. Saving the rule untouched is accepted (Zoho does not re-judge a
/// stored condition an update leaves alone), so the form shows no error, but warns that the
/// condition can never match; changing the value to another the field lacks is an error at
/// the value, not said twice.
#[test]
fn form_on_a_rule_with_a_removed_picklist_value() {
    let mut app = loaded();
    typed(&mut app, "G");
    press(&mut app, KeyCode::Enter);
    typed(&mut app, "G");
    press(&mut app, KeyCode::Enter);
    typed(&mut app, "j");
    typed(&mut app, "e");
    let warning = "⚠ dead value: field rule 1: criterion on \"Region\" can never match: \"ANZ\" is not a value of Region";
    let big = screen(&app, 160, 48);
    assert!(big.contains("Edit rule “Regional Focus”"), "{big}");
    assert!(big.contains(warning), "{big}");
    assert!(big.contains("✓ no errors · ⚠ 1 lint"), "{big}");
    snap!("form_removed_value_160x48", big);
    let small = screen(&app, 80, 24);
    assert!(small.contains("⚠ 1 lint"), "{small}");
    snap!("form_removed_value_80x24", small);
    // name, description, score, field, comparator, value: the value input.
    for _ in 0..5 {
        press(&mut app, KeyCode::Tab);
    }
    typed(&mut app, "X");
    let big = screen(&app, 160, 48);
    assert!(
        big.contains("value: \"ANZX\" is not a value of Region"),
        "{big}"
    );
    assert!(!big.contains("⚠ dead value"), "{big}");
}

/// A new Leads rule, score 10, the focus on its first condition's field.
fn new_rule_at_its_first_field() -> App {
    let mut app = loaded();
    press(&mut app, KeyCode::Enter);
    typed(&mut app, "j");
    typed(&mut app, "n");
    typed(&mut app, "Sourced leads");
    for _ in 0..3 {
        press(&mut app, KeyCode::Tab);
    }
    typed(&mut app, "10");
    press(&mut app, KeyCode::Tab);
    app
}

/// The field list narrowed by "lead so": Lead Source first, each field's type beside it, the
/// list's keys in the footer.
#[test]
fn field_list_narrowed_by_typing() {
    let mut app = new_rule_at_its_first_field();
    typed(&mut app, "lead so");
    let small = screen(&app, 80, 24);
    assert!(small.contains("fields › lead so"), "{small}");
    assert!(small.contains("▶ Lead Source"), "{small}");
    assert!(small.contains("Enter pick"), "{small}");
    snap!("form_field_list_80x24", small);
    let big = screen(&app, 160, 48);
    assert!(big.contains("Picklist"), "{big}");
    snap!("form_field_list_160x48", big);
}

/// Lead Source `in`, its values listed with two marked by Space.
#[test]
fn picklist_values_marked_for_in() {
    let mut app = new_rule_at_its_first_field();
    typed(&mut app, "lead so");
    press(&mut app, KeyCode::Tab);
    typed(&mut app, "one of");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Enter);
    typed(&mut app, " ");
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Down);
    typed(&mut app, " ");
    let small = screen(&app, 80, 24);
    assert_eq!(small.matches("[✓]").count(), 2, "{small}");
    assert!(small.contains("Space mark"), "{small}");
    snap!("form_picklist_marks_80x24", small);
    let big = screen(&app, 160, 48);
    snap!("form_picklist_marks_160x48", big);
}

/// A date field's value list: Zoho's placeholders, each with what it means.
#[test]
fn date_placeholder_list() {
    let mut app = new_rule_at_its_first_field();
    typed(&mut app, "last activ");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Enter);
    let small = screen(&app, 80, 24);
    assert!(
        small.contains("${TODAY}") && small.contains("today"),
        "{small}"
    );
    snap!("form_date_list_80x24", small);
    let big = screen(&app, 160, 48);
    assert!(
        big.contains("${LAST_N_DAYS:n}") && big.contains("the last n days"),
        "{big}"
    );
    snap!("form_date_list_160x48", big);
}
