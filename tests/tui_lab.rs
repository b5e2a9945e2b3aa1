//! The score lab in the TUI: `p` opens a preview and asks for it as an effect, results arrive
//! and render, `w` explains a mover, `+` / `-` resize the sample (reusing the session's records
//! when they suffice), Esc cancels a running preview; lint findings in the detail pane; and
//! the effect itself, run against a sandbox, reports back without blocking the UI task.
//! Screens are insta snapshots at 80×24 and 160×48.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::tui::{
    keys, loaded, loaded_from, press, sandbox, screen, seeded, seeded_at, snap, typed,
};
use std::sync::Arc;
use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use zscore::domain::Id;
use zscore::domain::evaluate::EvalContext;
use zscore::domain::record::FieldValue;
use zscore::lab::names::record_name;
use zscore::lab::preview::{SampleRecord, preview};
use zscore::tui::app::{App, Pane, Source};
use zscore::tui::effects::Effect;
use zscore::tui::event::Msg;
use zscore::tui::keys::Mode;
use zscore::tui::lab::{CachedSample, LabEffect, LabMsg, Phase, PreviewJob, Ready};

/// Focus the Rules pane on the Leads module's rule named `name`.
fn select_rule(app: &mut App, name: &str) {
    let rule = app
        .snapshot
        .as_ref()
        .unwrap()
        .rules_of("Leads")
        .find(|r| r.name == name)
        .unwrap()
        .clone();
    app.sel_module = Some("Leads".into());
    app.sel_layout = Some(rule.layout_id().cloned());
    app.sel_rule = rule.id.clone();
    app.focus = Pane::Rules;
    assert_eq!(app.current_rule().map(|r| r.name.as_str()), Some(name));
}

fn first_leads_rule(app: &App) -> String {
    app.snapshot
        .as_ref()
        .unwrap()
        .rules_of("Leads")
        .find(|r| r.active && !r.field_rules.is_empty())
        .unwrap()
        .name
        .clone()
}

/// What the effect runner would send back: the job scored over the seeded records (each with
/// its layout), with fixed times so screens are stable.
fn result_for(job: &PreviewJob) -> Box<Ready> {
    let org = zscore::sandbox::seed::load_embedded(seeded_at()).unwrap();
    let schema = &job.schema;
    let layout_at = schema.fields.iter().position(|f| f.api_name == "Layout");
    let records: Vec<SampleRecord> = org.records["Leads"]
        .iter()
        .take(job.size)
        .map(|r| SampleRecord {
            name: record_name(schema, r),
            layout: layout_at
                .and_then(|i| r.values.get(i))
                .and_then(|v| match v {
                    FieldValue::Lookup(l) => Some(l.id.clone()),
                    _ => None,
                }),
            // The records API carries no signal events: touch points come from entity scores.
            record: zscore::domain::record::Record {
                signals: vec![],
                ..r.clone()
            },
            rows: Default::default(),
        })
        .collect();
    let ctx = EvalContext {
        now: seeded_at().timestamp(),
        current_user: None,
        current_role: None,
    };
    let report = preview("Leads", schema, &job.before, &job.after, &records, &ctx);
    Box::new(Ready {
        report,
        sample: CachedSample {
            records: Arc::new(records),
            fields: job.fields.clone(),
            size: job.size,
            fetch_time: Duration::from_millis(1_240),
            fetched_at: seeded_at().timestamp(),
        },
        cached: false,
        outside_window: 0,
        compute_time: Duration::from_millis(3),
        ctx,
    })
}

/// The last preview asked for.
fn the_job(effects: &[Effect]) -> PreviewJob {
    effects
        .iter()
        .rev()
        .find_map(|e| match e {
            Effect::Lab(LabEffect::Preview(job)) => Some((**job).clone()),
            _ => None,
        })
        .expect("a preview effect")
}

/// `p` on a rule, and the result delivered.
fn previewed() -> (App, PreviewJob) {
    let mut app = loaded();
    let name = first_leads_rule(&app);
    select_rule(&mut app, &name);
    let job = the_job(&keys(&mut app, "p"));
    let result = result_for(&job);
    app.update(Msg::Lab(LabMsg::Done {
        request: job.request,
        module: "Leads".into(),
        result: Ok(result),
    }));
    (app, job)
}

#[test]
fn p_opens_the_preview_of_the_selected_rule_and_asks_for_it() {
    let mut app = loaded();
    let name = first_leads_rule(&app);
    select_rule(&mut app, &name);
    let effects = keys(&mut app, "p");
    let job = the_job(&effects);
    assert_eq!(job.after.len(), 1);
    assert_eq!(job.after[0].name, name);
    assert_eq!(
        job.before,
        job.after[0].id.iter().cloned().collect::<Vec<_>>()
    );
    assert_eq!(job.size, 2_000);
    assert!(job.cached.is_none(), "nothing cached yet");
    assert_eq!(app.mode(), Mode::Lab);
    assert!(app.busy(), "the spinner turns while it runs");
    let view = app.lab.view.as_ref().unwrap();
    assert!(matches!(view.phase, Phase::Fetching { .. }));
    // Keys of the main screen do nothing under the preview.
    assert!(keys(&mut app, "x").is_empty());
    snap!("lab_fetching_80x24", screen(&app, 80, 24));
}

#[test]
fn results_arrive_and_render() {
    let (app, _) = previewed();
    let ready = app.lab.view.as_ref().unwrap().ready().unwrap();
    assert!(ready.report.sampled > 100);
    assert!(
        ready.report.changed > 0,
        "before is 0 here, so matches move"
    );
    assert!(!app.busy());
    let small = screen(&app, 80, 24);
    assert!(small.contains("top movers"), "{small}");
    assert!(
        small.contains("before") && small.contains("after"),
        "{small}"
    );
    snap!("lab_preview_80x24", small);
    snap!("lab_preview_160x48", screen(&app, 160, 48));
}

#[test]
fn w_explains_the_selected_mover_and_esc_goes_back() {
    let (mut app, _) = previewed();
    keys(&mut app, "jw");
    let view = app.lab.view.as_ref().unwrap();
    assert!(view.list_is_movers);
    let mover = view.ready().unwrap().report.top_movers[1].clone();
    assert_eq!(view.list[1], mover);
    let e = &view
        .explanation
        .as_ref()
        .expect("an explanation")
        .explanation;
    assert_eq!(e.record, mover.id);
    assert_eq!(
        e.score, mover.after,
        "the contributions add up to the after-score"
    );
    assert_eq!(app.mode(), Mode::LabExplain);
    let name = mover.name.clone().expect("seeded leads have names");
    let text = screen(&app, 80, 24);
    assert!(
        text.contains(&format!("record {name} · {}", mover.id)),
        "{text}"
    );
    assert!(
        text.contains(" ✓ ") && text.contains("decided by"),
        "{text}"
    );
    snap!("lab_explain_80x24", text);
    snap!("lab_explain_160x48", screen(&app, 160, 48));
    keys(&mut app, "\x1b");
    assert!(app.lab.view.as_ref().unwrap().explanation.is_none());
    keys(&mut app, "\x1b");
    assert!(app.lab.view.is_none());
    assert_eq!(app.mode(), Mode::Normal);
}

#[test]
fn movers_are_listed_by_name_then_id() {
    let (app, _) = previewed();
    let view = app.lab.view.as_ref().unwrap();
    let first = &view.list[0];
    let head: String = first.name.clone().unwrap().chars().take(12).collect();
    for (w, h) in [(80, 24), (160, 48)] {
        let text = screen(&app, w, h);
        let row = text
            .lines()
            .find(|l| l.contains(&head))
            .unwrap_or_else(|| panic!("{head} not listed:\n{text}"));
        assert!(row.contains(first.id.as_str()), "{row}");
        assert!(row.find(&head) < row.find(first.id.as_str()), "{row}");
    }
}

/// `w`, then typing part of another record's name: the matches narrow as it is typed, Enter
/// explains the picked one, Esc clears the search and then closes the explanation.
#[test]
fn typing_part_of_a_name_finds_and_explains_another_record() {
    let (mut app, _) = previewed();
    keys(&mut app, "w");
    let view = app.lab.view.as_ref().unwrap();
    let ready = view.ready().unwrap();
    let first = view.list[0].id.clone();
    // A record outside the movers list, found by a piece of its name.
    let target = ready
        .report
        .records
        .iter()
        .rev()
        .find(|r| !view.list.iter().any(|m| m.id == r.id) && r.name.is_some())
        .unwrap()
        .clone();
    let name = target.name.clone().unwrap();
    let piece: String = name
        .chars()
        .skip(1)
        .take(6)
        .collect::<String>()
        .to_uppercase();
    typed(&mut app, &piece);
    let e = app.lab.view.as_ref().unwrap().explanation.as_ref().unwrap();
    assert_eq!(e.query, piece);
    assert_eq!(
        e.explanation.record, first,
        "typing alone explains nothing new"
    );
    assert!(e.match_count >= 1);
    let at = e
        .matches
        .iter()
        .position(|(_, id, _)| *id == target.id)
        .expect("the record is among the matches");
    let finding = screen(&app, 80, 24);
    assert!(
        finding.contains(&format!("find a record: {piece}")),
        "{finding}"
    );
    snap!("lab_explain_finding_80x24", finding);
    snap!("lab_explain_finding_160x48", screen(&app, 160, 48));
    for _ in 0..at {
        press(&mut app, KeyCode::Down);
    }
    press(&mut app, KeyCode::Enter);
    let e = app.lab.view.as_ref().unwrap().explanation.as_ref().unwrap();
    assert_eq!(e.explanation.record, target.id);
    assert_eq!(e.explanation.score, target.after);
    let text = screen(&app, 160, 48);
    assert!(
        text.contains(&format!("record {name} · {}", target.id)),
        "{text}"
    );
    // A query nothing matches says so, and Enter leaves the explanation as it is.
    keys(&mut app, "zzzzqqq");
    press(&mut app, KeyCode::Enter);
    let e = app.lab.view.as_ref().unwrap().explanation.as_ref().unwrap();
    assert_eq!((e.match_count, &e.explanation.record), (0, &target.id));
    assert!(screen(&app, 80, 24).contains("no match"));
    // Esc clears the search first, then closes the explanation; q was typed, not quit.
    press(&mut app, KeyCode::Esc);
    let e = app.lab.view.as_ref().unwrap().explanation.as_ref().unwrap();
    assert!(e.query.is_empty());
    press(&mut app, KeyCode::Esc);
    assert!(app.lab.view.as_ref().unwrap().explanation.is_none());
    assert_eq!(app.mode(), Mode::Lab);
}

/// A long explanation scrolls with ↓ and PgDn and stops at its last line.
#[test]
fn an_explanation_scrolls() {
    let (mut app, _) = previewed();
    keys(&mut app, "w");
    press(&mut app, KeyCode::PageDown);
    press(&mut app, KeyCode::Down);
    let e = app.lab.view.as_ref().unwrap().explanation.as_ref().unwrap();
    let lines = e.lines.len();
    assert_eq!(e.scroll, 11.min(lines - 1));
    for _ in 0..lines + 5 {
        press(&mut app, KeyCode::Down);
    }
    let e = app.lab.view.as_ref().unwrap().explanation.as_ref().unwrap();
    assert_eq!(e.scroll, lines - 1);
    press(&mut app, KeyCode::PageUp);
    let e = app.lab.view.as_ref().unwrap().explanation.as_ref().unwrap();
    assert_eq!(e.scroll, (lines - 1).saturating_sub(10));
}

#[test]
fn a_record_that_matches_nothing_says_so() {
    let (app, job) = previewed();
    let ready = app.lab.view.as_ref().unwrap().ready().unwrap();
    let nothing = ready
        .sample
        .records
        .iter()
        .find(|s| {
            !ready
                .report
                .records
                .iter()
                .any(|r| r.id == s.record.id && r.matched)
        })
        .unwrap();
    let schema = app.snapshot.as_ref().unwrap().module("Leads").unwrap();
    let e = zscore::lab::explain::explain(schema, &job.after, nothing, &ready.ctx);
    assert_eq!(e.score, 0);
    assert!(zscore::lab::explain::render_text(&e).contains("matches nothing"));
}

#[test]
fn esc_cancels_a_running_preview() {
    let mut app = loaded();
    let name = first_leads_rule(&app);
    select_rule(&mut app, &name);
    let job = the_job(&keys(&mut app, "p"));
    let effects = keys(&mut app, "\x1b");
    assert_eq!(
        effects,
        vec![Effect::Lab(LabEffect::Cancel {
            request: job.request
        })]
    );
    assert!(app.lab.view.is_none());
    assert!(!app.busy());
    // A result that was already on its way is not shown.
    app.update(Msg::Lab(LabMsg::Done {
        request: job.request,
        module: "Leads".into(),
        result: Ok(result_for(&job)),
    }));
    assert!(app.lab.view.is_none());
}

#[test]
fn the_sample_is_cached_per_module_and_resized_with_plus_and_minus() {
    let (mut app, first) = previewed();
    assert!(app.lab.cache.contains_key("Leads"));
    // Bigger than what is cached: fetched again.
    let bigger = the_job(&keys(&mut app, "+"));
    assert_eq!(bigger.size, 5_000);
    assert!(bigger.cached.is_none());
    assert!(bigger.request > first.request);
    // Smaller: the session's 2,000 records serve it.
    let smaller = the_job(&keys(&mut app, "--"));
    assert_eq!(smaller.size, 1_000);
    assert_eq!(smaller.cached.as_ref().map(|c| c.size), Some(2_000));
    // r refetches whatever is cached.
    let again = the_job(&keys(&mut app, "r"));
    assert!(again.cached.is_none());
    // Another rule of the module reuses the sample too.
    keys(&mut app, "\x1b");
    app.update(Msg::Lab(LabMsg::Done {
        request: again.request,
        module: "Leads".into(),
        result: Ok(result_for(&again)),
    }));
    keys(&mut app, "\x1b");
    assert!(app.lab.view.is_none());
    app.focus = Pane::Rules;
    keys(&mut app, "j");
    let other = the_job(&keys(&mut app, "p"));
    assert!(
        other.cached.is_some(),
        "the session's Leads sample is reused"
    );
}

#[test]
fn lint_findings_show_in_the_detail_pane_with_their_reasons() {
    // A copy of a rule in the same layout: every criteria of it is a duplicate.
    let mut snapshot = seeded();
    let original = snapshot
        .rules_of("Leads")
        .find(|r| r.active && !r.field_rules.is_empty())
        .unwrap()
        .clone();
    let mut copy = original.clone();
    copy.id = Some(Id::new("5843104000009999001"));
    copy.name = format!("{} (copy)", original.name);
    snapshot.rules.push(copy);
    let mut app = loaded_from(sandbox(), snapshot.clone());
    let findings = zscore::lab::lint::snapshot_findings(&snapshot, &["Leads".to_string()]);
    let f = findings
        .iter()
        .find(|f| f.rule_id.is_some())
        .expect("the seeded org has a rule with a lint finding");
    let rule = snapshot
        .rules_of("Leads")
        .find(|r| r.id == f.rule_id)
        .unwrap();
    select_rule(&mut app, &rule.name.clone());
    app.focus = Pane::Detail;
    let wide = screen(&app, 160, 48);
    assert!(wide.contains("Lint ("), "{wide}");
    let first_words: String = f.message.chars().take(20).collect();
    assert!(wide.contains(&first_words), "{wide}");
    snap!("lab_detail_lint_160x48", wide);
    snap!("lab_detail_lint_80x24", screen(&app, 80, 24));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_preview_effect_runs_against_the_org_and_reports_back() {
    let h = common::Harness::start().await;
    let client =
        zscore::api::Client::new(zscore::api::ClientConfig::sandbox(&h.sandbox.url)).unwrap();
    let snapshot = client.load_snapshot(None, &[]).await.unwrap();
    let mut app = loaded_from(
        Source {
            label: "sandbox".into(),
            sandbox: true,
        },
        snapshot,
    );
    let name = first_leads_rule(&app);
    select_rule(&mut app, &name);
    let effects = keys(&mut app, "p");
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let runner = zscore::tui::effects::Runner::new(client, None, tx);
    for e in effects {
        runner.spawn(e);
    }
    let mut phases = 0;
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(60), rx.recv())
            .await
            .unwrap()
            .unwrap();
        let done = matches!(msg, Msg::Lab(LabMsg::Done { .. }));
        phases += usize::from(matches!(msg, Msg::Lab(LabMsg::Progress { .. })));
        app.update(msg);
        if done {
            break;
        }
    }
    assert!(phases >= 2, "fetching and scoring are reported");
    let ready = app.lab.view.as_ref().unwrap().ready().unwrap();
    assert!(ready.report.sampled > 0);
    assert_eq!(ready.sample.records.len(), 2_000);
    assert!(app.lab.cache.contains_key("Leads"));
    let rule_id: Option<Id> = app.current_rule().and_then(|r| r.id.clone());
    assert!(ready.report.rules.iter().any(|r| r.id == rule_id));
}

#[test]
fn a_draft_previews_against_the_rule_it_edits() {
    let mut app = loaded();
    let name = first_leads_rule(&app);
    select_rule(&mut app, &name);
    let mut draft = app.current_rule().unwrap().clone();
    draft.field_rules[0].score += 25;
    let job = the_job(&zscore::tui::lab::preview_draft(&mut app, draft.clone()));
    assert_eq!(job.after, vec![draft.clone()]);
    assert_eq!(job.before, vec![draft.id.clone().unwrap()]);
    assert_eq!(app.mode(), Mode::Lab);
    // Before is the saved rule's scores: give each record the row the saved rule would write,
    // and the draft's change shows as movers of exactly +25.
    let mut result = result_for(&job);
    let saved = app.current_rule().unwrap().clone();
    let schema = app.snapshot.as_ref().unwrap().module("Leads").unwrap();
    let with_rows: Vec<SampleRecord> = result
        .sample
        .records
        .iter()
        .map(|s| {
            let mut s = s.clone();
            let before = preview(
                "Leads",
                schema,
                &[],
                std::slice::from_ref(&saved),
                std::slice::from_ref(&s),
                &result.ctx,
            );
            s.rows.insert(
                saved.id.clone().unwrap(),
                zscore::lab::preview::ExistingRow {
                    score: before.records[0].after,
                    touch_point: 0,
                },
            );
            s
        })
        .collect();
    result.report = preview(
        "Leads",
        schema,
        &job.before,
        &job.after,
        &with_rows,
        &result.ctx,
    );
    assert!(result.report.changed > 0);
    assert!(result.report.top_movers.iter().all(|m| m.delta() == 25));
    app.update(Msg::Lab(LabMsg::Done {
        request: job.request,
        module: "Leads".into(),
        result: Ok(result),
    }));
    let text = screen(&app, 160, 48);
    assert!(text.contains("Preview of draft"), "{text}");
    assert!(text.contains("+25"), "{text}");
}

#[test]
fn a_failed_preview_says_why_and_r_retries() {
    let mut app = loaded();
    let name = first_leads_rule(&app);
    select_rule(&mut app, &name);
    let job = the_job(&keys(&mut app, "p"));
    app.update(Msg::Lab(LabMsg::Done {
        request: job.request,
        module: "Leads".into(),
        result: Err("network error: connection refused".into()),
    }));
    let text = screen(&app, 80, 24);
    assert!(text.contains("preview failed"), "{text}");
    assert!(text.contains("connection refused"), "{text}");
    let again = the_job(&keys(&mut app, "r"));
    assert!(again.request > job.request);
    assert!(app.lab.view.as_ref().unwrap().running());
}

/// The rule form's Ctrl-P: the draft, typed but unsaved, previewed over the form; Esc closes the
/// preview and the form is back with what was typed.
#[test]
fn ctrl_p_in_the_rule_form_previews_the_draft_over_it() {
    let mut app = loaded();
    let name = first_leads_rule(&app);
    select_rule(&mut app, &name);
    keys(&mut app, "e");
    assert_eq!(app.mode(), Mode::Form);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    for _ in 0..4 {
        press(&mut app, KeyCode::Backspace);
    }
    keys(&mut app, "7");
    let effects = app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('p'),
        KeyModifiers::CONTROL,
    )));
    let job = the_job(&effects);
    assert_eq!(job.after[0].field_rules[0].score, 7);
    assert_eq!(job.before, vec![job.after[0].id.clone().unwrap()]);
    app.update(Msg::Lab(LabMsg::Done {
        request: job.request,
        module: "Leads".into(),
        result: Ok(result_for(&job)),
    }));
    let small = screen(&app, 80, 24);
    assert!(small.contains("Preview of draft"), "{small}");
    assert!(small.contains("top movers"), "{small}");
    snap!("lab_form_draft_preview_80x24", small);
    snap!("lab_form_draft_preview_160x48", screen(&app, 160, 48));

    // `w` explains a mover of the draft, Esc goes back to the preview, then to the form.
    keys(&mut app, "w");
    assert!(app.lab.view.as_ref().unwrap().explanation.is_some());
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    assert!(app.lab.view.is_none());
    assert_eq!(app.mode(), Mode::Form);
    let form = app.form.as_deref().unwrap();
    assert_eq!(form.data.field_rules[0].score, "7");
    assert!(form.dirty());
    let back = screen(&app, 80, 24);
    assert!(
        back.contains("7▏") && !back.contains("Preview of draft"),
        "{back}"
    );
}
