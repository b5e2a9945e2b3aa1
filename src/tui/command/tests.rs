//! The command line and `:find` driven by keys into `App`, on the sandbox's seeded demo org.

use crossterm::event::KeyCode;

use super::Target;
use crate::tui::app::{App, Pane, Popup};
use crate::tui::effects::Effect;
use crate::tui::event::Msg;
use crate::tui::test_support::{code as key, ctrl, loaded_at as loaded, screen, seeded, typed};

fn labels(app: &App) -> Vec<String> {
    let line = app
        .commands
        .line
        .as_ref()
        .expect("the command line is open");
    line.completions
        .iter()
        .map(|c| format!("{} | {}", c.label, c.note))
        .collect()
}

#[test]
fn colon_lists_the_commands_and_a_rule_name_completes_with_its_place() {
    let mut app = loaded(80, 24);
    typed(&mut app, ":");
    let all = labels(&app);
    assert!(all[0].starts_with(":find TEXT"), "{all:?}");
    assert!(all.iter().any(|l| l.starts_with(":audit")), "{all:?}");
    typed(&mut app, "custhealth");
    let found = labels(&app);
    assert_eq!(
        found.first().map(String::as_str),
        Some("Customer Health | Contacts / Customer Success"),
        "{found:?}"
    );
}

#[test]
fn enter_on_a_contacts_rule_selects_module_layout_and_rule_and_shows_its_detail() {
    let mut app = loaded(80, 24);
    // A filter that would hide the rule is dropped on the way.
    typed(&mut app, "/zzz");
    key(&mut app, KeyCode::Enter);
    typed(&mut app, ":Customer Health");
    key(&mut app, KeyCode::Enter);
    assert!(app.commands.line.is_none());
    assert_eq!(app.sel_module.as_deref(), Some("Contacts"));
    assert_eq!(app.current_rule().unwrap().name, "Customer Health");
    assert_eq!(app.current_layout().unwrap().label, "Customer Success");
    assert_eq!(app.focus, Pane::Rules);
    assert!(screen(&app, 80, 24).contains("Promoters on premium plans"));
}

#[test]
fn tab_fills_the_pick_and_steps_on_and_ctrl_u_clears_the_line() {
    let mut app = loaded(80, 24);
    typed(&mut app, ":fi");
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.commands.line.as_ref().unwrap().input, "find ");
    ctrl(&mut app, 'u');
    assert_eq!(app.commands.line.as_ref().unwrap().input, "");
    assert!(labels(&app).len() > 5, "every command listed again");
    key(&mut app, KeyCode::Esc);
    assert!(app.commands.line.is_none());
}

#[test]
fn find_lists_rules_of_every_module_with_the_part_that_matched_and_enter_jumps() {
    let mut app = loaded(80, 24);
    typed(&mut app, ":find partner");
    key(&mut app, KeyCode::Enter);
    let Some(Popup::Found(view)) = &app.popup else {
        panic!("no results: {:?}", app.popup);
    };
    let hits: Vec<(String, String, String)> = view
        .hits
        .iter()
        .map(|h| (h.name.clone(), h.place.clone(), h.part.clone()))
        .collect();
    // A name, and a condition ("Partner Tier in (…)"), in two modules.
    assert!(
        hits.iter().any(|(n, p, part)| n == "Partner Referrals"
            && p == "Leads / Partner Referral"
            && part == "name"),
        "{hits:?}"
    );
    assert!(
        hits.iter().any(|(_, p, part)| p.starts_with("Partners /")
            && part.starts_with("condition: Partner Tier in (")),
        "{hits:?}"
    );
    let target = hits
        .iter()
        .position(|h| h.0 == "Partner Referrals")
        .unwrap();
    for _ in 0..target {
        typed(&mut app, "j");
    }
    key(&mut app, KeyCode::Enter);
    assert!(app.popup.is_none());
    assert_eq!(app.current_rule().unwrap().name, "Partner Referrals");
}

#[test]
fn find_names_a_matching_condition_and_signal() {
    let snap = seeded();
    let rule = snap
        .rules
        .iter()
        .find(|r| r.name == "Enterprise Fit")
        .unwrap();
    let schema = snap.module("Leads");
    let text = super::search::RuleText::of(rule, schema, &snap);
    let part = text.find("industry").expect("a condition on Industry");
    assert!(
        part.describe().starts_with("condition: Industry"),
        "{part:?}"
    );
    let signals = snap
        .rules
        .iter()
        .find(|r| !r.signal_rules.is_empty())
        .unwrap();
    let label = snap
        .signal(&signals.signal_rules[0].signal.id)
        .unwrap()
        .display_label
        .clone();
    let part = super::search::find(
        signals,
        snap.module(&signals.module.api_name),
        &snap,
        &label.to_uppercase(),
    );
    assert!(
        matches!(part, Some(super::search::Part::Signal(ref l)) if *l == label)
            || matches!(
                part,
                Some(super::search::Part::Name | super::search::Part::Description(_))
            ),
        "{part:?}"
    );
    assert_eq!(text.find("no such text anywhere"), None);
}

#[test]
fn slash_in_the_rules_pane_matches_descriptions_and_criteria_not_only_names() {
    let mut app = loaded(80, 24);
    typed(&mut app, "ljl");
    assert_eq!(app.focus, Pane::Rules);
    assert_eq!(app.current_layout().unwrap().label, "Standard");
    // "executive" is in Enterprise Fit's description only.
    typed(&mut app, "/executive");
    let names: Vec<&str> = app.rules().iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["Enterprise Fit"]);
    // Ctrl-U erases the filter and typing goes on.
    ctrl(&mut app, 'u');
    assert_eq!(app.filter(Pane::Rules), "");
    assert!(app.filtering);
    typed(&mut app, "industry");
    let names: Vec<&str> = app.rules().iter().map(|r| r.name.as_str()).collect();
    assert!(names.contains(&"Enterprise Fit"), "{names:?}");
}

#[test]
fn commands_of_keys_go_through_the_same_gate_and_readonly_cannot_be_undone() {
    let mut app = loaded(80, 24);
    typed(&mut app, ":reload");
    let effects = key(&mut app, KeyCode::Enter);
    assert!(
        effects.contains(&Effect::LoadSnapshot { request: 2 }),
        "{effects:?}"
    );
    app.update(Msg::SnapshotLoaded {
        request: 2,
        result: Ok(seeded()),
    });
    typed(&mut app, ":readonly");
    key(&mut app, KeyCode::Enter);
    assert!(app.readonly());
    typed(&mut app, "ll:execute");
    let effects = key(&mut app, KeyCode::Enter);
    assert!(effects.is_empty(), "{effects:?}");
    let notice = app.notice.clone().unwrap();
    assert!(
        notice.text.starts_with("read-only: executing is off"),
        "{notice:?}"
    );
    typed(&mut app, ":readonly");
    key(&mut app, KeyCode::Enter);
    assert!(
        app.notice
            .as_ref()
            .unwrap()
            .text
            .contains("cannot be turned off")
    );
    typed(&mut app, ":help");
    key(&mut app, KeyCode::Enter);
    assert!(matches!(app.popup, Some(Popup::Help(0))));
}

#[test]
fn up_recalls_earlier_commands_newest_first() {
    let mut app = loaded(80, 24);
    for c in [":find acme", ":lint"] {
        typed(&mut app, c);
        key(&mut app, KeyCode::Enter);
        app.popup = None;
    }
    typed(&mut app, ":");
    key(&mut app, KeyCode::Up);
    assert_eq!(app.commands.line.as_ref().unwrap().input, "lint");
    key(&mut app, KeyCode::Up);
    assert_eq!(app.commands.line.as_ref().unwrap().input, "find acme");
    key(&mut app, KeyCode::Up);
    assert_eq!(app.commands.line.as_ref().unwrap().input, "find acme");
    key(&mut app, KeyCode::Down);
    assert_eq!(app.commands.line.as_ref().unwrap().input, "lint");
    key(&mut app, KeyCode::Down);
    assert_eq!(app.commands.line.as_ref().unwrap().input, "");
}

#[test]
fn audit_and_lint_show_what_the_cli_prints() {
    let mut app = loaded(120, 36);
    typed(&mut app, ":audit");
    key(&mut app, KeyCode::Enter);
    let Some(Popup::Report(r)) = &app.popup else {
        panic!("{:?}", app.popup);
    };
    let snap = seeded();
    let rows = crate::audit::audit(&snap, &crate::audit::AuditOptions::default()).unwrap();
    let cli = crate::audit::render_table(&rows, &snap, 98);
    assert_eq!(r.lines, cli.lines().map(str::to_string).collect::<Vec<_>>());
    typed(&mut app, "j");
    key(&mut app, KeyCode::Esc);
    typed(&mut app, ":lint");
    key(&mut app, KeyCode::Enter);
    let Some(Popup::Report(r)) = &app.popup else {
        panic!("{:?}", app.popup);
    };
    let cli = crate::lab::lint::render_text(&crate::lab::lint::snapshot_findings(&snap, &[]));
    // The same words; a finding longer than the box wraps.
    let shown = r.lines.join(" ");
    let shown: Vec<&str> = shown.split_whitespace().collect();
    let printed: Vec<&str> = cli.split_whitespace().collect();
    assert!(shown.starts_with(&printed), "{shown:?}");
    assert!(
        r.lines.len() > cli.lines().count(),
        "a long finding wrapped"
    );
    assert!(
        r.lines
            .iter()
            .all(|l| crate::display::display_width(l) <= 98)
    );
}

#[test]
fn an_unknown_command_says_so_and_keeps_the_line() {
    let mut app = loaded(80, 24);
    typed(&mut app, ":zzzq");
    key(&mut app, KeyCode::Enter);
    assert!(app.commands.line.is_some());
    assert!(app.notice.as_ref().unwrap().error);
    let line = app.commands.line.as_ref().unwrap();
    assert!(
        line.completions
            .iter()
            .all(|c| matches!(c.target, Target::Rule(_) | Target::Command(_)))
    );
}

#[test]
fn screens_of_the_command_line_and_of_find() {
    for (w, h) in [(80, 24), (160, 48)] {
        let mut app = loaded(w, h);
        typed(&mut app, ":re");
        insta::assert_snapshot!(format!("command_line_{w}x{h}"), screen(&app, w, h));
        key(&mut app, KeyCode::Esc);
        typed(&mut app, ":find partner");
        key(&mut app, KeyCode::Enter);
        insta::assert_snapshot!(format!("find_results_{w}x{h}"), screen(&app, w, h));
    }
}

#[test]
fn export_runs_as_a_task_and_says_where_it_wrote() {
    let mut app = loaded(80, 24);
    typed(&mut app, ":export /tmp/rules-out");
    let effects = key(&mut app, KeyCode::Enter);
    let Some(Effect::Export { request, dir }) = effects
        .iter()
        .find(|e| matches!(e, Effect::Export { .. }))
        .cloned()
    else {
        panic!("{effects:?}");
    };
    assert_eq!(dir, std::path::PathBuf::from("/tmp/rules-out"));
    assert!(app.busy());
    assert!(app.notice.as_ref().unwrap().text.contains("/tmp/rules-out"));
    // What the task reports is what the CLI's workflow wrote.
    let out = tempfile::tempdir().unwrap();
    let written = crate::transfer::write::write_export(&seeded(), &[], out.path()).unwrap();
    assert_eq!(written.rules, 18);
    app.update(Msg::Exported {
        request,
        dir,
        result: Ok(written),
    });
    assert!(!app.busy());
    let notice = app.notice.clone().unwrap();
    assert_eq!(
        notice.text,
        "exported 18 rule(s) to /tmp/rules-out (18 file(s))"
    );
    // Without its directory the line waits for it.
    typed(&mut app, ":export");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.commands.line.as_ref().unwrap().input, "export ");
}

#[test]
fn profile_completes_the_configured_names_and_enter_switches_to_the_one_picked() {
    let mut app = loaded(80, 24);
    app.commands.profiles = vec!["prod-eu".into(), "staging".into()];
    typed(&mut app, ":profile st");
    assert_eq!(labels(&app), vec![":profile staging | switch to this org"]);
    let effects = key(&mut app, KeyCode::Enter);
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::SwitchProfile(n) if n == "staging")),
        "{effects:?}"
    );
    assert_eq!(
        app.notice.as_ref().map(|n| n.text.as_str()),
        Some("switching to profile staging…")
    );
    // Recalled as the name it switched to, not the letters typed.
    typed(&mut app, ":");
    key(&mut app, KeyCode::Up);
    assert_eq!(
        app.commands.line.as_ref().map(|l| l.input.as_str()),
        Some("profile staging")
    );
}

/// `:profile NAME` and Enter: no switch, and `why` in the status bar.
fn switch_refused(app: &mut App, name: &str, why: &str) {
    typed(app, &format!(":profile {name}"));
    let effects = key(app, KeyCode::Enter);
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, Effect::SwitchProfile(_))),
        "{effects:?}"
    );
    assert_eq!(app.notice.as_ref().map(|n| n.text.as_str()), Some(why));
}

#[test]
fn profile_is_refused_while_a_write_is_in_flight_and_on_the_profile_in_use() {
    let mut app = loaded(80, 24);
    app.source.label = "profile prod-eu".into();
    app.commands.profiles = vec!["prod-eu".into(), "staging".into()];
    switch_refused(&mut app, "prod-eu", "already on profile prod-eu");

    // `a` on the selected rule sends a write; until it is answered the org stays.
    key(&mut app, KeyCode::Char('l'));
    key(&mut app, KeyCode::Char('l'));
    let sent = key(&mut app, KeyCode::Char('a'));
    assert!(
        sent.iter().any(|e| matches!(e, Effect::SetActive { .. })),
        "{sent:?}"
    );
    switch_refused(
        &mut app,
        "staging",
        "work is in flight on this org: switch when the spinner stops",
    );
}
