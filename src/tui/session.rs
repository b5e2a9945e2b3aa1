//! One connection's worth of TUI: the app set up for the org (accent, read-only, confirmations,
//! drafts) and the runner whose client and journal do its work. `:profile NAME` swaps the whole
//! session for another profile's without restarting; what belongs to the person rather than the
//! org (keys, command history, the screen, the request counter) carries over.

use tokio::sync::mpsc::UnboundedSender;

use super::app::{App, Notice, Source};
use super::effects::Runner;
use super::event::Msg;
use super::form;
use crate::connect::{Connection, Target, connect_telling};
use crate::display::sanitize;
use crate::sandbox::RunningSandbox;

pub(crate) struct Session {
    pub app: App,
    pub runner: Runner,
    /// Keeps the embedded sandbox serving while this session uses it.
    _embedded: Option<RunningSandbox>,
}

/// What the status bar names: the connection's label, and whether it is a sandbox.
pub(crate) fn source(conn: &Connection) -> Source {
    Source {
        sandbox: conn.sandbox,
        label: conn.label.clone(),
    }
}

impl Session {
    /// The session of `conn`, with `app` (made for it, keys and history already in) set up
    /// from the connection.
    pub(crate) async fn open(conn: Connection, mut app: App, tx: &UnboundedSender<Msg>) -> Session {
        app.accent = conn.accent;
        app.confirm_writes = conn.confirm;
        app.readonly = conn.readonly.clone();
        // Every write is journaled; a journal that cannot be opened leaves the TUI read-only
        // rather than writing unrecorded.
        let journal = match conn.journal().await {
            Ok(j) => Some(j),
            Err(e) => {
                tracing::warn!("the change journal cannot be opened: {e}");
                app.readonly
                    .get_or_insert_with(|| format!("the change journal cannot be opened: {e}"));
                None
            }
        };
        // One draft per connection; without a data directory the form works without drafts.
        let drafts = match crate::config::Paths::discover() {
            Ok(p) => Some(form::draft::DraftStore::new(
                &p.data_dir,
                &conn.journal_key().await,
            )),
            Err(e) => {
                app.notice = Some(Notice {
                    text: format!("forms keep no drafts: {e}"),
                    error: true,
                });
                None
            }
        };
        if let Some(store) = &drafts {
            app.offer_draft(form::draft::startup(store));
        }
        let retries = tx.clone();
        conn.client
            .on_retry(std::sync::Arc::new(move |n: &crate::api::RetryNotice| {
                let _ = retries.send(Msg::Retrying(n.text()));
            }));
        let mut runner = Runner::new(conn.client, conn.edition, tx.clone()).with_drafts(drafts);
        if let Some(j) = journal {
            runner = runner.with_journal(j);
        }
        Session {
            app,
            runner,
            _embedded: conn.embedded,
        }
    }

    /// Sends the app's first work (loading the org).
    pub(crate) fn start(&mut self) {
        for effect in self.app.start() {
            self.runner.spawn(effect);
        }
    }
}

/// Opens other profiles' sessions the way the first one was opened.
pub(crate) struct Switcher {
    /// The first session's target: the budget, `--readonly` and the in-flight limit hold for
    /// every profile.
    pub target: Target,
    pub tx: UnboundedSender<Msg>,
}

impl Switcher {
    /// Replaces `session` with one on profile `name`. When the profile cannot be used (unknown,
    /// no stored sign-in) the current session stays, and its status bar says why.
    pub(crate) async fn switch(&self, session: &mut Session, name: &str) {
        let target = Target {
            profile: Some(name.to_string()),
            sandbox_url: None,
            // Zoho counts API credits per org: the meter starts again with the org.
            meter: crate::api::CallMeter::default(),
            ..self.target.clone()
        };
        let conn = match connect_telling(&target, &mut |_| {}).await {
            Ok(c) => c,
            Err(e) => {
                session.app.notice = Some(Notice {
                    text: sanitize(&format!(
                        "cannot switch to profile {name}: {e}; still on {}",
                        session.app.source.label
                    )),
                    error: true,
                });
                return;
            }
        };
        let mut app = App::new(source(&conn));
        carry_over(&mut session.app, &mut app);
        let label = app.source.label.clone();
        *session = Session::open(conn, app, &self.tx).await;
        session.app.notice.get_or_insert_with(|| Notice {
            text: sanitize(&format!("switched to {label}")),
            error: false,
        });
        session.start();
    }
}

/// What stays when the org changes: it belongs to the person and the terminal, not the org.
/// The request counter carries on so that an answer still on its way to the old session never
/// passes for one the new session asked for.
fn carry_over(old: &mut App, new: &mut App) {
    new.keys = old.keys.clone();
    new.commands.history = std::mem::take(&mut old.commands.history);
    new.commands.profiles = std::mem::take(&mut old.commands.profiles);
    new.next_request = old.next_request;
    new.resized(old.screen.width, old.screen.height);
}
