//! The runner that turns each side effect the app asks for (`Effect`, plain data) into a tokio
//! task calling the API client or a workflow of the core (`jobs`, `journal`). Results come back
//! as `Msg`s carrying the request id, so the app can drop answers to questions it no longer
//! asks, and carry data (`outcome`): the app words them.

use std::sync::{Arc, Mutex};

use futures::future::BoxFuture;
use tokio::sync::mpsc::UnboundedSender;

pub use super::effect::Effect;
use super::event::Msg;
use super::exec_task;
use super::form::draft::{DraftStore, DraftWriter};
use super::outcome::{Change, Done, Failure};
use super::supervise::{self, Failed};
use crate::api::{ApiError, Client};
use crate::domain::{Edition, Id, ScoringRule};
use crate::jobs::move_rule::{self, MoveRequest};
use crate::journal::Journal;
use crate::journal::session::{self, Session};
use crate::journal::writes::{JournaledClient, WriteError};

pub struct Runner {
    client: Client,
    /// Switches of the execution runs in progress, by request id.
    stops: exec_task::Switches,
    edition: Option<Edition>,
    tx: UnboundedSender<Msg>,
    /// Where the form's draft goes; `None` without a data directory (then no drafts).
    drafts: Option<DraftWriter>,
    /// Every rule write goes through it; without one the app is read-only.
    journal: Option<Arc<Journal>>,
    /// Which journal entries each change of this session wrote, for undo.
    session: Arc<Mutex<Session>>,
    lab: super::lab::run::LabTasks,
}

/// Work on the journal: given the writer (which holds the journal) and the session's record.
type JournalWork<T> = Box<
    dyn for<'w> FnOnce(
            &'w JournaledClient<'w>,
            &'w Mutex<Session>,
        ) -> BoxFuture<'w, Result<T, Failure>>
        + Send,
>;

impl Runner {
    pub fn new(client: Client, edition: Option<Edition>, tx: UnboundedSender<Msg>) -> Runner {
        Runner {
            client,
            stops: Arc::default(),
            edition,
            tx,
            drafts: None,
            journal: None,
            session: Arc::default(),
            lab: Default::default(),
        }
    }

    pub fn with_drafts(mut self, drafts: Option<DraftStore>) -> Runner {
        self.drafts = drafts.map(|store| {
            let tx = self.tx.clone();
            DraftWriter::spawn(store, move |text| {
                tracing::warn!("{text}");
                let _ = tx.send(Msg::DraftFailed(text));
            })
        });
        self
    }

    /// Sends every rule write through `journal`.
    pub fn with_journal(mut self, journal: Journal) -> Runner {
        self.journal = Some(Arc::new(journal));
        self
    }

    /// The API calls sent so far through this runner's client.
    pub fn calls(&self) -> crate::api::CallCount {
        self.client.meter().get()
    }

    /// Queues `msg` for the app, as an effect's answer does.
    pub fn tell(&self, msg: Msg) {
        let _ = self.tx.send(msg);
    }

    /// Where answers go, for work spawned outside this file (`edit_file::task`).
    pub(crate) fn sender(&self) -> UnboundedSender<Msg> {
        self.tx.clone()
    }

    pub fn spawn(&self, effect: Effect) {
        let failed = supervise::failure(&effect);
        match effect {
            Effect::LoadSnapshot { request } => self.load_snapshot(request, failed),
            Effect::SetActive {
                request,
                rule,
                name,
                active,
            } => self.set_active(request, rule, name, active, failed),
            Effect::DeleteRule {
                request,
                rule,
                name,
                base,
            } => self.delete_rule(request, rule, name, *base, failed),
            Effect::CloneRule {
                request,
                rule,
                name,
            } => self.clone_rule(request, rule, name, failed),
            Effect::MoveRule { request, req } => self.move_rule(request, req, failed),
            Effect::MoveRules { request, reqs } => self.move_rules(request, reqs, failed),
            Effect::SaveRule {
                request,
                base,
                item,
                name,
            } => self.save_rule(request, base, item, name, failed),
            Effect::PrepareUndo { request } => self.prepare_undo(request, failed),
            Effect::Undo { request, group } => self.undo(request, group, failed),
            Effect::LoadHistory {
                request,
                rule,
                name,
            } => {
                self.load_history(request, rule, name, failed);
            }
            Effect::Execute {
                request,
                plan,
                verify,
            } => exec_task::spawn(
                self.client.clone(),
                self.tx.clone(),
                Arc::clone(&self.stops),
                request,
                plan,
                verify,
                failed,
            ),
            Effect::StopExecution { request } => exec_task::stop(&self.stops, request, false),
            Effect::CloseExecution { request } => exec_task::stop(&self.stops, request, true),
            Effect::WriteDraft(draft) => {
                if let Some(w) = &self.drafts {
                    w.write(draft);
                }
            }
            Effect::RemoveDraft => {
                if let Some(w) = &self.drafts {
                    w.remove();
                }
            }
            Effect::Bulk {
                request,
                plan,
                count,
            } => self.bulk(request, *plan, count, failed),
            Effect::Export { request, dir } => self.export(request, dir, failed),
            Effect::SaveCommands { path, lines } => {
                // Losing the recall list is not worth interrupting anyone: logged only.
                tokio::task::spawn_blocking(move || {
                    if let Err(e) = super::command::history::save(&path, &lines) {
                        tracing::warn!("the command history cannot be kept: {e}");
                    }
                });
            }
            Effect::Lab(lab) => self
                .lab
                .spawn(self.client.clone(), self.tx.clone(), lab, failed),
            Effect::ApplyEdit {
                request,
                plan,
                snapshot,
                names,
            } => self.apply_edit(request, *plan, *snapshot, names, failed),
            Effect::KeepEditText { text } => self.keep_edit_text(text, failed),
            // The event loop swaps the session; a runner cannot replace itself.
            Effect::SwitchProfile(name) => {
                tracing::error!("a profile switch ({name}) reached the runner, not the event loop");
            }
            // The event loop runs the editor (it needs the terminal); nothing to do here.
            Effect::RunEditor { request, .. } => {
                let _ = self.tx.send(Msg::EditorDone {
                    request,
                    result: Err("the editor can only run from the event loop".into()),
                });
            }
        }
    }

    fn load_snapshot(&self, request: u64, failed: Option<Failed>) {
        let client = self.client.clone();
        let edition = self.edition;
        let tx = self.tx.clone();
        supervise::spawn(self.tx.clone(), failed, async move {
            let result = super::loading::load(&client, edition, request, &tx)
                .await
                .map_err(|e| e.to_string());
            // The app may have quit meanwhile; nobody is left to tell.
            let _ = tx.send(Msg::SnapshotLoaded { request, result });
        });
    }

    fn set_active(
        &self,
        request: u64,
        rule: Id,
        name: String,
        active: bool,
        failed: Option<Failed>,
    ) {
        let change = Change::SetActive { name, active };
        self.journaled(request, change, failed, move |w| {
            Box::pin(async move {
                w.set_active(&rule, active)
                    .await
                    .map(|_| Done::Written)
                    .map_err(Failure::Write)
            })
        });
    }

    /// Guarded: refused, unsent, when the rule changed since `base` was loaded.
    fn delete_rule(
        &self,
        request: u64,
        rule: Id,
        name: String,
        base: ScoringRule,
        failed: Option<Failed>,
    ) {
        self.journaled(request, Change::Delete { name }, failed, move |w| {
            Box::pin(async move {
                w.delete_guarded(&rule, &base)
                    .await
                    .map(|_| Done::Written)
                    .map_err(Failure::Write)
            })
        });
    }

    fn clone_rule(&self, request: u64, rule: Id, name: String, failed: Option<Failed>) {
        self.journaled(request, Change::Clone { name }, failed, move |w| {
            Box::pin(async move {
                w.clone_rule(&rule)
                    .await
                    .map(|done| Done::Cloned(done.id()))
                    .map_err(Failure::Write)
            })
        });
    }

    fn move_rule(&self, request: u64, req: MoveRequest, failed: Option<Failed>) {
        let change = Change::Move(req.clone());
        self.journaled(request, change, failed, move |w| {
            Box::pin(async move {
                move_rule::run(w, &req)
                    .await
                    .map(Done::Moved)
                    .map_err(Failure::Move)
            })
        });
    }

    fn move_rules(&self, request: u64, reqs: Vec<MoveRequest>, failed: Option<Failed>) {
        let change = Change::MoveMany(reqs.clone());
        self.journaled(request, change, failed, move |w| {
            Box::pin(async move {
                move_rule::run_all(w, &reqs)
                    .await
                    .map(Done::MovedMany)
                    .map_err(|(moved, error)| Failure::MoveMany {
                        moved: moved.len(),
                        error,
                    })
            })
        });
    }

    /// Saves the form through the journal, like every write (so `u` undoes it and `H` shows
    /// it); an edit is guarded: refused, unsent, when the rule changed since it was loaded.
    fn save_rule(
        &self,
        request: u64,
        base: Option<Box<ScoringRule>>,
        item: serde_json::Value,
        name: String,
        failed: Option<Failed>,
    ) {
        let target = base.and_then(|b| Some((b.id.clone()?, b)));
        let label = super::outcome::save_label(&name, target.is_some());
        self.on_journal(
            failed,
            Box::new(move |w, session| {
                Box::pin(async move {
                    let first = w.journal.next_seq();
                    let outcome = match target {
                        Some((id, base)) => {
                            w.update_guarded(&id, &item, &base).await.map(|_| Some(id))
                        }
                        None => match w.create(&item).await {
                            Ok(Ok(done)) => Ok(done.id()),
                            Ok(Err(z)) => Err(WriteError::Api(ApiError::Zoho(z))),
                            Err(e) => Err(e),
                        },
                    };
                    session::record(session, w.journal, &label, first);
                    outcome.map_err(Failure::Write)
                })
            }),
            move |result| Msg::FormSaved { request, result },
        );
    }

    /// Reads what undoing the session's last change would do.
    fn prepare_undo(&self, request: u64, failed: Option<Failed>) {
        self.on_journal(
            failed,
            Box::new(|w, session| {
                Box::pin(
                    async move { session::prepare_undo(session, w.journal).map_err(Failure::Undo) },
                )
            }),
            move |result| Msg::UndoReady { request, result },
        );
    }

    fn undo(&self, request: u64, group: u64, failed: Option<Failed>) {
        self.on_journal(
            failed,
            Box::new(move |w, session| {
                Box::pin(async move {
                    session::undo(session, w, group)
                        .await
                        .map(Done::Undone)
                        .map_err(Failure::Undo)
                })
            }),
            move |result| Msg::RuleChanged {
                request,
                change: Change::Undo,
                result,
            },
        );
    }

    /// Drives the core's bulk run, forwarding its progress; the run's writes are recorded as
    /// one session group, so `u` undoes them as one.
    fn bulk(&self, request: u64, plan: crate::bulk::Plan, count: usize, failed: Option<Failed>) {
        let tx = self.tx.clone();
        self.on_journal(
            failed,
            Box::new(move |w, session| {
                Box::pin(async move {
                    let (events, mut rx) = tokio::sync::mpsc::unbounded_channel();
                    let forward = tokio::spawn(async move {
                        while let Some(event) = rx.recv().await {
                            let _ = tx.send(Msg::Bulk { request, event });
                        }
                    });
                    let first = w.journal.next_seq();
                    let report = crate::bulk::run(w.client, w.journal, &plan, count, &events).await;
                    session::record(session, w.journal, &plan.label(count), first);
                    // Every step's event is on screen before the report.
                    drop(events);
                    let _ = forward.await;
                    Ok(report)
                })
            }),
            move |result| Msg::BulkDone {
                request,
                result: result.map_err(|f| f.text()).and_then(|r| r),
            },
        );
    }

    fn export(&self, request: u64, dir: std::path::PathBuf, failed: Option<Failed>) {
        let client = self.client.clone();
        let edition = self.edition;
        let tx = self.tx.clone();
        supervise::spawn(self.tx.clone(), failed, async move {
            let result = match client.load_snapshot(edition, &[]).await {
                Ok(snapshot) => {
                    let to = dir.clone();
                    // Files are written off the async workers.
                    tokio::task::spawn_blocking(move || {
                        crate::transfer::write::write_export(&snapshot, &[], &to)
                    })
                    .await
                    .unwrap_or_else(|e| Err(e.to_string()))
                }
                Err(e) => Err(e.to_string()),
            };
            let _ = tx.send(Msg::Exported {
                request,
                dir,
                result,
            });
        });
    }

    fn load_history(&self, request: u64, rule: Id, name: String, failed: Option<Failed>) {
        self.on_journal(
            failed,
            Box::new(move |w, _| {
                Box::pin(async move {
                    w.journal
                        .rule_history(&rule, &name)
                        .map_err(Failure::Journal)
                })
            }),
            move |result| Msg::HistoryLoaded { request, result },
        );
    }

    /// Runs `work` through the journal as one change the user made: its writes are recorded as
    /// one undoable group named after `change`, which the answer (`RuleChanged`) carries back.
    pub(crate) fn journaled(
        &self,
        request: u64,
        change: Change,
        failed: Option<Failed>,
        work: impl for<'w> FnOnce(&'w JournaledClient<'w>) -> BoxFuture<'w, Result<Done, Failure>>
        + Send
        + 'static,
    ) {
        let label = change.label();
        self.on_journal(
            failed,
            Box::new(move |w, session| {
                Box::pin(async move {
                    let first = w.journal.next_seq();
                    let outcome = work(w).await;
                    session::record(session, w.journal, &label, first);
                    outcome
                })
            }),
            move |result| Msg::RuleChanged {
                request,
                change,
                result,
            },
        );
    }

    /// Runs `work` off the UI task with the journal and sends what `reply` makes of its
    /// outcome; without a journal `work` does not run and the outcome is `Failure::NoJournal`.
    fn on_journal<T: Send + 'static>(
        &self,
        failed: Option<Failed>,
        work: JournalWork<T>,
        reply: impl FnOnce(Result<T, Failure>) -> Msg + Send + 'static,
    ) {
        let client = self.client.clone();
        let journal = self.journal.clone();
        let session = Arc::clone(&self.session);
        let tx = self.tx.clone();
        supervise::spawn(self.tx.clone(), failed, async move {
            let result = match &journal {
                None => Err(Failure::NoJournal),
                Some(j) => {
                    let writer = JournaledClient {
                        client: &client,
                        journal: j,
                    };
                    work(&writer, &session).await
                }
            };
            // The app may have quit meanwhile; nobody is left to tell.
            let _ = tx.send(reply(result));
        });
    }
}
