//! Criteria edited as conditions plus a pattern, saved end to end through the real `Runner`
//! and HTTP to the sandbox, and read back through the API: a new pattern nests as typed, and
//! a save that leaves the criteria alone keeps them exactly as they were.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::Harness;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde_json::{Value, json};
use tokio::sync::mpsc;
use zscore::api::{Client, ClientConfig};
use zscore::journal::Journal;
use zscore::tui::app::{App, Source};
use zscore::tui::effects::{Effect, Runner};
use zscore::tui::event::Msg;
use zscore::tui::form::Stage;
use zscore::tui::form::target::Target;

struct Tui {
    app: App,
    runner: Runner,
    rx: mpsc::UnboundedReceiver<Msg>,
    _dir: tempfile::TempDir,
}

impl Tui {
    async fn start(h: &Harness) -> Tui {
        let client = Client::new(ClientConfig::sandbox(&h.sandbox.url)).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::open(dir.path(), "sandbox-test").unwrap();
        let (tx, rx) = mpsc::unbounded_channel();
        let runner = Runner::new(client, None, tx).with_journal(journal);
        let mut app = App::new(Source {
            label: "built-in sandbox".into(),
            sandbox: true,
        });
        let effects = app.start();
        let mut tui = Tui {
            app,
            runner,
            rx,
            _dir: dir,
        };
        tui.run(effects).await;
        tui
    }

    async fn run(&mut self, effects: Vec<Effect>) {
        for e in effects {
            self.runner.spawn(e);
        }
        while self.app.busy() {
            let msg = tokio::time::timeout(Duration::from_secs(20), self.rx.recv())
                .await
                .expect("an answer in time")
                .expect("the runner is alive");
            for e in self.app.update(msg) {
                self.runner.spawn(e);
            }
        }
    }

    async fn key(&mut self, code: KeyCode, mods: KeyModifiers) {
        let effects = self.app.update(Msg::Key(KeyEvent::new(code, mods)));
        self.run(effects).await;
    }

    async fn typed(&mut self, text: &str) {
        for c in text.chars() {
            self.key(KeyCode::Char(c), KeyModifiers::NONE).await;
        }
    }

    fn form(&self) -> &zscore::tui::form::Form {
        self.app.form.as_deref().expect("the form is open")
    }

    async fn tab_to(&mut self, target: Target) {
        for _ in 0..60 {
            if self.form().focused() == target {
                return;
            }
            self.key(KeyCode::Tab, KeyModifiers::NONE).await;
        }
        panic!("{target:?} is not an input");
    }

    async fn clear_and_type(&mut self, text: &str) {
        for _ in 0..30 {
            self.key(KeyCode::Backspace, KeyModifiers::NONE).await;
        }
        self.typed(text).await;
    }

    /// Leads → Standard → Enterprise Fit, in the form.
    async fn edit_enterprise_fit(&mut self) -> String {
        self.key(KeyCode::Enter, KeyModifiers::NONE).await;
        self.typed("j").await;
        self.key(KeyCode::Enter, KeyModifiers::NONE).await;
        self.typed("j").await;
        let rule = self.app.current_rule().unwrap();
        assert_eq!(rule.name, "Enterprise Fit");
        let id = rule.id.clone().unwrap().to_string();
        self.typed("e").await;
        id
    }

    async fn save(&mut self) {
        self.key(KeyCode::Char('s'), KeyModifiers::CONTROL).await;
        assert!(
            matches!(self.form().stage, Stage::Review(_)),
            "{:?} {:?}",
            self.form().stage,
            self.app.notice
        );
        self.key(KeyCode::Enter, KeyModifiers::NONE).await;
        assert!(self.app.form.is_none(), "saved: {:?}", self.app.notice);
    }
}

/// A condition's field, comparator and value as the API answers them.
fn cond(c: &Value) -> (String, String, Value) {
    (
        c["field"]["api_name"].as_str().unwrap().to_string(),
        c["comparator"].as_str().unwrap().to_string(),
        c["value"].clone(),
    )
}

#[tokio::test]
async fn a_new_pattern_is_saved_with_the_nesting_it_says() {
    let h = Harness::start().await;
    let mut tui = Tui::start(&h).await;
    let id = tui.edit_enterprise_fit().await;
    let before = h.rule(&id).await["field_rules"][0]["criteria"].clone();
    assert_eq!(before["group_operator"], "OR");

    tui.tab_to(Target::Pattern(0)).await;
    tui.clear_and_type("(1 OR 2) AND 3").await;
    tui.save().await;

    let after = h.rule(&id).await["field_rules"][0]["criteria"].clone();
    assert_eq!(after["group_operator"], "AND", "{after:#}");
    let or = &after["group"][0];
    assert_eq!(or["group_operator"], "OR", "{after:#}");
    assert_eq!(cond(&or["group"][0]), cond(&before["group"][0]));
    assert_eq!(cond(&or["group"][1]), cond(&before["group"][1]["group"][0]));
    assert_eq!(
        cond(&after["group"][1]),
        cond(&before["group"][1]["group"][1])
    );
}

#[tokio::test]
async fn saving_a_score_leaves_nested_criteria_exactly_as_they_were() {
    let h = Harness::start().await;
    let mut tui = Tui::start(&h).await;
    let id = tui.edit_enterprise_fit().await;
    let before = h.rule(&id).await;

    tui.tab_to(Target::Score(0)).await;
    tui.clear_and_type("30").await;
    tui.save().await;

    let after = h.rule(&id).await;
    assert_eq!(after["field_rules"][0]["score"], json!(30));
    assert_eq!(
        after["field_rules"][0]["criteria"],
        before["field_rules"][0]["criteria"]
    );
    // And a condition's value edited inside the nested group lands there, nowhere else.
    let mut tui = Tui::start(&h).await;
    tui.edit_enterprise_fit().await;
    tui.tab_to(Target::Value(0, 1)).await;
    tui.clear_and_type("Director").await;
    tui.save().await;
    let edited = h.rule(&id).await["field_rules"][0]["criteria"].clone();
    let mut expected = before["field_rules"][0]["criteria"].clone();
    expected["group"][1]["group"][0]["value"] = json!("Director");
    assert_eq!(edited, expected);
}
