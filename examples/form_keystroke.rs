//! How long one keystroke in the rule form costs on the event loop: the app's update (which
//! re-runs the domain validator on the whole request and builds the draft) and drawing the
//! frame, on the demo org. Writing the draft (temp file, fsync, rename) happens on the
//! `DraftWriter` thread, off the loop; its cost is measured separately. The target is a frame budget: well under 16 ms per key, so typing never lags, also over
//! SSH. Run: `cargo run --release --example form_keystroke`.

use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use zscore::domain::Edition;
use zscore::tui::app::{App, Source};
use zscore::tui::event::Msg;
use zscore::tui::view::{self, Theme};

const KEYS: usize = 2_000;
const BUDGET: Duration = Duration::from_millis(16);

fn key(app: &mut App, code: KeyCode) {
    app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).copied().unwrap_or_default()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let now = chrono::Utc::now();
    let snapshot = zscore::sandbox::seed::load_embedded(now)?.snapshot(Edition::Enterprise);
    let mut app = App::new(Source {
        label: "bench".into(),
        sandbox: true,
    });
    app.start();
    app.update(Msg::SnapshotLoaded {
        request: 1,
        result: Ok(snapshot),
    });
    // Leads → Standard → Enterprise Fit, edit; type into the first score.
    for code in [
        KeyCode::Enter,
        KeyCode::Char('j'),
        KeyCode::Enter,
        KeyCode::Char('j'),
    ] {
        key(&mut app, code);
    }
    key(&mut app, KeyCode::Char('e'));
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    let mut terminal = Terminal::new(TestBackend::new(160, 48))?;
    let theme = Theme { color: true };
    let dir = std::env::temp_dir().join(format!("zscore-form-bench-{}", std::process::id()));
    let store = zscore::tui::form::draft::DraftStore::new(&dir, "bench");
    let mut update = Vec::with_capacity(KEYS);
    let mut draft = Vec::with_capacity(KEYS);
    let mut total = Vec::with_capacity(KEYS);
    for i in 0..KEYS {
        // Alternate typing and deleting so every key changes the form and re-validates.
        let code = if i % 2 == 0 {
            KeyCode::Char('7')
        } else {
            KeyCode::Backspace
        };
        let start = Instant::now();
        let effects = app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
        let updated = start.elapsed();
        terminal.draw(|f| view::draw(f, &app, theme))?;
        total.push(start.elapsed());
        update.push(updated);
        let write = Instant::now();
        for effect in effects {
            match effect {
                zscore::tui::effects::Effect::WriteDraft(d) => store.save(&d)?,
                zscore::tui::effects::Effect::RemoveDraft => store.discard()?,
                _ => {}
            }
        }
        draft.push(write.elapsed());
    }
    let _ = std::fs::remove_dir_all(&dir);
    update.sort();
    draft.sort();
    total.sort();
    println!("form keystroke on the demo org ({KEYS} keys, 160x48 frame):");
    for (name, v) in [
        ("update + validate", &update),
        ("+ draw (the loop)", &total),
        ("draft write (thread)", &draft),
    ] {
        println!(
            "  {name:<20} p50 {:>9.3?}  p99 {:>9.3?}  max {:>9.3?}",
            percentile(v, 0.5),
            percentile(v, 0.99),
            v.last().copied().unwrap_or_default()
        );
    }
    // The first condition's field list: typing narrows it, ↓/↑ move, Backspace widens; each
    // key re-ranks the layout's fields (fuzzy) and draws the list.
    key(&mut app, KeyCode::Tab);
    let cycle: Vec<KeyCode> = "lead so"
        .chars()
        .map(KeyCode::Char)
        .chain([KeyCode::Down, KeyCode::Up])
        .chain(std::iter::repeat_n(KeyCode::Backspace, 7))
        .collect();
    let mut picker_update = Vec::with_capacity(KEYS);
    let mut picker_total = Vec::with_capacity(KEYS);
    for code in cycle.iter().cycle().take(KEYS) {
        let start = Instant::now();
        app.update(Msg::Key(KeyEvent::new(*code, KeyModifiers::NONE)));
        let updated = start.elapsed();
        terminal.draw(|f| view::draw(f, &app, theme))?;
        picker_total.push(start.elapsed());
        picker_update.push(updated);
    }
    if app.form.as_ref().is_none_or(|f| f.picker.is_none()) {
        eprintln!("the field list did not open: the picker keys measured nothing");
        std::process::exit(1);
    }
    picker_update.sort();
    picker_total.sort();
    println!("field list keystroke ({KEYS} keys: type, move, erase):");
    for (name, v) in [
        ("update + rank", &picker_update),
        ("+ draw (the loop)", &picker_total),
    ] {
        println!(
            "  {name:<20} p50 {:>9.3?}  p99 {:>9.3?}  max {:>9.3?}",
            percentile(v, 0.5),
            percentile(v, 0.99),
            v.last().copied().unwrap_or_default()
        );
    }
    let p99 = percentile(&total, 0.99).max(percentile(&picker_total, 0.99));
    if p99 > BUDGET {
        eprintln!("over budget: p99 {p99:?} > {BUDGET:?}");
        std::process::exit(1);
    }
    println!("  within the {BUDGET:?} frame budget at p99");
    Ok(())
}
