//! A save over another admin's change, end to end through the real `Runner` and HTTP to the
//! sandbox: the three-way view opens instead of a silent overwrite; re-applying keeps both
//! changes, and when both changed the same field, overwrite gives mine.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::{Harness, RULES};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tokio::sync::mpsc;
use zscore::api::rules::RuleFilter;
use zscore::api::{Client, ClientConfig};
use zscore::domain::ScoringRule;
use zscore::journal::Journal;
use zscore::tui::app::{App, Source};
use zscore::tui::effects::{Effect, Runner};
use zscore::tui::event::Msg;
use zscore::tui::form::Stage;

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

    /// Sends the effects and feeds every answer back into the app until nothing is in flight.
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

    async fn keys(&mut self, keys: &[(KeyCode, KeyModifiers)]) {
        let mut effects = Vec::new();
        for (code, mods) in keys {
            effects.extend(self.app.update(Msg::Key(KeyEvent::new(*code, *mods))));
        }
        self.run(effects).await;
    }

    async fn typed(&mut self, text: &str) {
        let keys: Vec<_> = text
            .chars()
            .map(|c| (KeyCode::Char(c), KeyModifiers::NONE))
            .collect();
        self.keys(&keys).await;
    }

    async fn key(&mut self, code: KeyCode) {
        self.keys(&[(code, KeyModifiers::NONE)]).await;
    }

    async fn save(&mut self) {
        self.keys(&[(KeyCode::Char('s'), KeyModifiers::CONTROL)])
            .await;
        assert!(
            matches!(self.app.form.as_ref().unwrap().stage, Stage::Review(_)),
            "{:?}",
            self.app.notice
        );
        self.key(KeyCode::Enter).await;
    }

    fn stage(&self) -> &Stage {
        &self.app.form.as_ref().expect("the form is open").stage
    }
}

async fn rule_named(h: &Harness, name: &str) -> Option<ScoringRule> {
    Client::new(ClientConfig::sandbox(&h.sandbox.url))
        .unwrap()
        .list_rules(&RuleFilter::default())
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.name == name)
}

/// Leads → Standard → Enterprise Fit, in the form; `name` typed over its name if given, then
/// its first score set to 40.
async fn a_edits(tui: &mut Tui, name: Option<&str>) {
    tui.key(KeyCode::Enter).await;
    tui.typed("j").await;
    tui.key(KeyCode::Enter).await;
    tui.typed("j").await;
    assert_eq!(tui.app.current_rule().unwrap().name, "Enterprise Fit");
    tui.typed("e").await;
    if let Some(name) = name {
        for _ in 0..30 {
            tui.key(KeyCode::Backspace).await;
        }
        tui.typed(name).await;
    }
    tui.key(KeyCode::Tab).await;
    tui.key(KeyCode::Tab).await;
    tui.key(KeyCode::Backspace).await;
    tui.key(KeyCode::Backspace).await;
    tui.typed("40").await;
}

async fn b_changes(h: &Harness, id: &str, change: serde_json::Value) {
    let r = h
        .put(
            &format!("{RULES}/{id}"),
            Some(serde_json::json!({ "scoring_rules": [change] })),
        )
        .await;
    assert_eq!(r.code(0), "SUCCESS", "{}", r.body);
}

#[tokio::test(flavor = "multi_thread")]
async fn re_applying_after_another_admins_description_change_keeps_both_changes() {
    let h = Harness::start().await;
    let id = rule_named(&h, "Enterprise Fit").await.unwrap().id.unwrap();
    let mut tui = Tui::start(&h).await;
    a_edits(&mut tui, None).await;
    b_changes(
        &h,
        id.as_str(),
        serde_json::json!({"description": "B's words"}),
    )
    .await;

    tui.save().await;
    let Stage::Conflict(view) = tui.stage() else {
        panic!("no three-way view: {:?}", tui.stage())
    };
    assert!(view.merge.merged.is_some());
    let now = rule_named(&h, "Enterprise Fit").await.unwrap();
    assert_eq!(now.field_rules[0].score, 25, "nothing was sent");

    tui.typed("r").await;
    assert_eq!(tui.app.form.as_ref().unwrap().data.description, "B's words");
    tui.save().await;
    assert!(tui.app.form.is_none(), "saved: {:?}", tui.app.notice);
    let now = rule_named(&h, "Enterprise Fit").await.unwrap();
    assert_eq!(now.field_rules[0].score, 40);
    assert_eq!(now.description.as_deref(), Some("B's words"));
}

#[tokio::test(flavor = "multi_thread")]
async fn when_both_change_the_name_no_merge_is_offered_and_overwrite_gives_mine() {
    let h = Harness::start().await;
    let id = rule_named(&h, "Enterprise Fit").await.unwrap().id.unwrap();
    let mut tui = Tui::start(&h).await;
    a_edits(&mut tui, Some("Fit by A")).await;
    b_changes(&h, id.as_str(), serde_json::json!({"name": "Fit by B"})).await;

    tui.save().await;
    let Stage::Conflict(view) = tui.stage() else {
        panic!("no three-way view: {:?}", tui.stage())
    };
    assert!(view.merge.merged.is_none());
    tui.typed("r").await;
    assert!(matches!(tui.stage(), Stage::Conflict(_)), "no re-apply");
    assert!(rule_named(&h, "Fit by B").await.is_some());

    tui.typed("o").await;
    assert!(tui.app.form.is_none(), "saved: {:?}", tui.app.notice);
    let mine = rule_named(&h, "Fit by A").await.expect("A's name won");
    assert_eq!(mine.field_rules[0].score, 40);
    assert!(rule_named(&h, "Fit by B").await.is_none());
}

/// Two TUIs (each its own client, runner and journal) open the same rule; the first saves, then
/// the second: its save is refused with the three-way view instead of overwriting, nothing of
/// it is sent, and re-applying keeps both.
#[tokio::test(flavor = "multi_thread")]
async fn two_tuis_saving_the_same_rule_the_second_is_shown_the_first_ones_change() {
    let h = Harness::start().await;
    let mut first = Tui::start(&h).await;
    let mut second = Tui::start(&h).await;
    a_edits(&mut first, None).await;
    a_edits(&mut second, Some("Fit by the second")).await;

    first.save().await;
    assert!(first.app.form.is_none(), "saved: {:?}", first.app.notice);
    let now = rule_named(&h, "Enterprise Fit").await.unwrap();
    assert_eq!(now.field_rules[0].score, 40);

    second.save().await;
    let Stage::Conflict(view) = second.stage() else {
        panic!("the second save was not stopped: {:?}", second.stage())
    };
    assert!(view.merge.merged.is_some(), "different fields merge");
    assert!(
        rule_named(&h, "Fit by the second").await.is_none(),
        "nothing of the second was sent"
    );

    second.typed("r").await;
    second.save().await;
    assert!(second.app.form.is_none(), "saved: {:?}", second.app.notice);
    let both = rule_named(&h, "Fit by the second")
        .await
        .expect("the second's name");
    assert_eq!(both.field_rules[0].score, 40, "the first's score kept");
}
