//! Side effects the app asks for, as plain data, and the runner that turns each into a tokio
//! task calling the API client. Results come back as `Msg`s carrying the request id, so the app
//! can drop answers to questions it no longer asks.

use std::sync::Arc;

use std::sync::Mutex;

use tokio::sync::mpsc::UnboundedSender;

use super::event::Msg;
use super::exec_task;
use super::form::draft::{Draft, DraftStore, DraftWriter};
use super::form::{Refused, SaveFailure};
use super::history::{self, Session};
use super::move_rule::{self, MoveRequest};
use super::supervise::{self, Failed};
use crate::api::{ApiError, Client};
use crate::display::sanitize;
use crate::domain::{Edition, Id};
use crate::jobs::execute::ExecPlan;
use crate::journal::Journal;
use crate::journal::writes::{JournaledClient, WriteError};

#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    LoadSnapshot {
        request: u64,
    },
    SetActive {
        request: u64,
        rule: Id,
        name: String,
        active: bool,
    },
    /// Delete `rule` only if the org's rule is still `base` (as loaded): a guarded delete,
    /// refused unsent when someone changed or deleted it since.
    DeleteRule {
        request: u64,
        rule: Id,
        name: String,
        base: Box<crate::domain::ScoringRule>,
    },
    CloneRule {
        request: u64,
        rule: Id,
        name: String,
    },
    /// Execute `plan`, then verify it when `verify` holds what the prediction needs.
    Execute {
        request: u64,
        plan: ExecPlan,
        verify: Option<Box<super::exec_task::VerifyInput>>,
    },
    /// Send no further chunks of that run (Zoho cannot cancel what it scheduled; the run
    /// goes on following the scheduled jobs).
    StopExecution {
        request: u64,
    },
    /// The run's view was closed: send nothing more and stop following its jobs.
    CloseExecution {
        request: u64,
    },
    /// Save the rule form through the journal: create (`base` is `None`) or update the rule
    /// loaded as `base` with `item`, refused when the org's rule changed since (a guarded
    /// update, `JournaledClient::update_guarded`).
    SaveRule {
        request: u64,
        base: Option<Box<crate::domain::ScoringRule>>,
        item: serde_json::Value,
        name: String,
    },
    /// The open form changed: write its draft (done in order, before the next key).
    WriteDraft(Box<Draft>),
    /// The form was saved or discarded: its draft goes.
    RemoveDraft,
    MoveRule {
        request: u64,
        req: MoveRequest,
    },
    /// Read what undoing the session's last change would do.
    PrepareUndo {
        request: u64,
    },
    Undo {
        request: u64,
        group: u64,
    },
    LoadHistory {
        request: u64,
        rule: Id,
        name: String,
    },
    /// Score-lab work: a preview to run or cancel.
    Lab(super::lab::LabEffect),
}

pub struct Runner {
    client: Arc<Client>,
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

impl Runner {
    pub fn new(client: Client, edition: Option<Edition>, tx: UnboundedSender<Msg>) -> Runner {
        Runner {
            client: Arc::new(client),
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

    pub fn spawn(&self, effect: Effect) {
        let failed = supervise::failure(&effect);
        match effect {
            Effect::Execute {
                request,
                plan,
                verify,
            } => {
                let tx = self.tx.clone();
                let switches = Arc::clone(&self.stops);
                let client = Client::clone(&self.client);
                return exec_task::spawn(client, tx, switches, request, plan, verify, failed);
            }
            Effect::Lab(lab) => {
                return self
                    .lab
                    .spawn(Arc::clone(&self.client), self.tx.clone(), lab, failed);
            }
            Effect::StopExecution { request } => {
                return exec_task::stop(&self.stops, request, false);
            }
            Effect::CloseExecution { request } => {
                return exec_task::stop(&self.stops, request, true);
            }
            Effect::WriteDraft(draft) => {
                if let Some(w) = &self.drafts {
                    w.write(draft);
                }
                return;
            }
            Effect::RemoveDraft => {
                if let Some(w) = &self.drafts {
                    w.remove();
                }
                return;
            }
            Effect::SaveRule {
                request,
                base,
                item,
                name,
            } => return self.save_rule(request, base, item, name, failed),
            _ => {}
        }
        let client = Arc::clone(&self.client);
        let tx = self.tx.clone();
        let edition = self.edition;
        let journal = self.journal.clone();
        let session = Arc::clone(&self.session);
        supervise::spawn(self.tx.clone(), failed, async move {
            // Writes need the journal; the app is read-only without one, so this is a backstop.
            let no_journal = || "not sent: the change journal is not open".to_string();
            let msg = match effect {
                Effect::LoadSnapshot { request } => {
                    let result = super::loading::load(&client, edition, request, &tx)
                        .await
                        .map_err(|e| e.to_string());
                    Msg::SnapshotLoaded { request, result }
                }
                Effect::SetActive {
                    request,
                    rule,
                    name,
                    active,
                } => {
                    let verb = if active { "activated" } else { "deactivated" };
                    let label = format!("{verb} “{}”", sanitize(&name));
                    let result = match &journal {
                        None => Err(no_journal()),
                        Some(j) => {
                            let writer = JournaledClient {
                                client: &client,
                                journal: j,
                            };
                            let first = j.next_seq();
                            let outcome = writer.set_active(&rule, active).await;
                            history::record(&session, j, &label, first);
                            match outcome {
                                Ok(_) => Ok(label),
                                Err(e) => Err(format!(
                                    "not {verb}: {} — “{}”",
                                    write_readable(&e),
                                    sanitize(&name)
                                )),
                            }
                        }
                    };
                    Msg::RuleChanged {
                        request,
                        result,
                        select: None,
                    }
                }
                Effect::DeleteRule {
                    request,
                    rule,
                    name,
                    base,
                } => {
                    let label = format!("deleted “{}”", sanitize(&name));
                    let result = match &journal {
                        None => Err(no_journal()),
                        Some(j) => {
                            let writer = JournaledClient {
                                client: &client,
                                journal: j,
                            };
                            let first = j.next_seq();
                            let outcome = writer.delete_guarded(&rule, &base).await;
                            history::record(&session, j, &label, first);
                            match outcome {
                                Ok(_) => Ok(format!("{label} (u re-creates it under a new id)")),
                                // Who changed what, so the user can judge before deleting again.
                                Err(WriteError::Conflict(c)) => Err(format!(
                                    "not deleted: “{}” was {} since it was loaded; nothing was deleted — reloaded, check it and delete again if still wanted",
                                    sanitize(&name),
                                    c.describe()
                                )),
                                Err(WriteError::Deleted { .. }) => Err(format!(
                                    "not deleted: “{}” was already deleted by someone else",
                                    sanitize(&name)
                                )),
                                Err(e) => Err(format!(
                                    "not deleted: {} — “{}”",
                                    write_readable(&e),
                                    sanitize(&name)
                                )),
                            }
                        }
                    };
                    Msg::RuleChanged {
                        request,
                        result,
                        select: None,
                    }
                }
                Effect::CloneRule {
                    request,
                    rule,
                    name,
                } => {
                    let label = format!("cloned “{}”", sanitize(&name));
                    let outcome = match &journal {
                        None => Err(no_journal()),
                        Some(j) => {
                            let writer = JournaledClient {
                                client: &client,
                                journal: j,
                            };
                            let first = j.next_seq();
                            let outcome = writer.clone_rule(&rule).await;
                            history::record(&session, j, &label, first);
                            outcome.map_err(|e| write_readable(&e))
                        }
                    };
                    match outcome {
                        Ok(done) => Msg::RuleChanged {
                            request,
                            result: Ok(format!("{label} (clones start active)")),
                            select: done.id(),
                        },
                        Err(e) => Msg::RuleChanged {
                            request,
                            result: Err(format!("not cloned: {e} — “{}”", sanitize(&name))),
                            select: None,
                        },
                    }
                }
                Effect::MoveRule { request, req } => {
                    let label = format!(
                        "the move of “{}” to {}",
                        sanitize(&req.name),
                        sanitize(&req.target_label)
                    );
                    let outcome = match &journal {
                        None => Err(no_journal()),
                        Some(j) => {
                            let writer = JournaledClient {
                                client: &client,
                                journal: j,
                            };
                            let first = j.next_seq();
                            let outcome = move_rule::run(&writer, &req).await;
                            history::record(&session, j, &label, first);
                            outcome
                        }
                    };
                    match outcome {
                        Ok((id, text)) => Msg::RuleChanged {
                            request,
                            result: Ok(text),
                            select: Some(id),
                        },
                        Err(text) => Msg::RuleChanged {
                            request,
                            result: Err(text),
                            select: None,
                        },
                    }
                }
                Effect::PrepareUndo { request } => {
                    let result = match &journal {
                        None => Err(no_journal()),
                        Some(j) => history::prepare_undo(&session, j),
                    };
                    Msg::UndoReady { request, result }
                }
                Effect::Undo { request, group } => {
                    let result = match &journal {
                        None => Err(no_journal()),
                        Some(j) => {
                            let writer = JournaledClient {
                                client: &client,
                                journal: j,
                            };
                            history::undo(&session, &writer, group).await
                        }
                    };
                    Msg::RuleChanged {
                        request,
                        result,
                        select: None,
                    }
                }
                Effect::LoadHistory {
                    request,
                    rule,
                    name,
                } => {
                    let result = match &journal {
                        None => Err("the change journal is not open".to_string()),
                        Some(j) => history::history(j, &rule, &name),
                    };
                    Msg::HistoryLoaded { request, result }
                }
                Effect::Execute { .. }
                | Effect::StopExecution { .. }
                | Effect::CloseExecution { .. }
                | Effect::SaveRule { .. }
                | Effect::WriteDraft(_)
                | Effect::RemoveDraft
                | Effect::Lab(_) => return,
            };
            // The app may have quit meanwhile; nobody is left to tell.
            let _ = tx.send(msg);
        });
    }
}

impl Runner {
    /// Saves the form through the journal, like every write (so `u` undoes it and `H` shows
    /// it); an edit is guarded: refused, unsent, when the rule changed since it was loaded.
    fn save_rule(
        &self,
        request: u64,
        base: Option<Box<crate::domain::ScoringRule>>,
        item: serde_json::Value,
        name: String,
        failed: Option<Failed>,
    ) {
        let client = Arc::clone(&self.client);
        let tx = self.tx.clone();
        let journal = self.journal.clone();
        let session = Arc::clone(&self.session);
        supervise::spawn(self.tx.clone(), failed, async move {
            let failure = |e: &WriteError| SaveFailure {
                text: write_readable(e),
                details: match e {
                    WriteError::Api(a) => a.zoho().map(|z| z.details.clone()),
                    _ => None,
                },
                refused: match e {
                    WriteError::Conflict(c) => Some(Refused::Changed {
                        theirs: Box::new(c.theirs.clone()),
                    }),
                    WriteError::Deleted { .. } => Some(Refused::Deleted),
                    _ => None,
                },
            };
            let result = match &journal {
                None => Err(SaveFailure {
                    text: "not sent: the change journal is not open".into(),
                    details: None,
                    refused: None,
                }),
                Some(j) => {
                    let writer = JournaledClient {
                        client: &client,
                        journal: j,
                    };
                    let first = j.next_seq();
                    let target = base.as_deref().and_then(|b| Some((b, b.id.clone()?)));
                    let (label, outcome) = match target {
                        Some((base, id)) => (
                            format!("edited “{}”", sanitize(&name)),
                            writer
                                .update_guarded(&id, &item, base)
                                .await
                                .map(|_| Some(id)),
                        ),
                        None => (
                            format!("created “{}”", sanitize(&name)),
                            match writer.create(&item).await {
                                Ok(Ok(done)) => Ok(done.id()),
                                Ok(Err(z)) => Err(WriteError::Api(ApiError::Zoho(z))),
                                Err(e) => Err(e),
                            },
                        ),
                    };
                    history::record(&session, j, &label, first);
                    outcome.map_err(|e| failure(&e))
                }
            };
            let _ = tx.send(Msg::FormSaved { request, result });
        });
    }
}

fn write_readable(e: &WriteError) -> String {
    match e {
        WriteError::Api(a) => readable(a),
        other => sanitize(&other.to_string()),
    }
}

/// The reason first, in Zoho's own words, since the status line may cut the end: a refused
/// change says why ("More than 5 active scoring rules …") before the code that names it.
fn readable(e: &ApiError) -> String {
    let Some(z) = e.zoho() else {
        return sanitize(&e.to_string());
    };
    let hint = match z.code.as_str() {
        c if c.contains("LIMIT") => "; deactivate or delete another rule first",
        _ => "",
    };
    if z.message.trim().is_empty() {
        sanitize(&z.code)
    } else {
        sanitize(&format!(
            "{}{hint} ({})",
            z.message.trim_end_matches('.'),
            z.code
        ))
    }
}
