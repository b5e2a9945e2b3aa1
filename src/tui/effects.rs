//! Side effects the app asks for, as plain data, and the runner that turns each into a tokio
//! task calling the API client. Results come back as `Msg`s carrying the request id, so the app
//! can drop answers to questions it no longer asks.

use std::sync::Arc;

use std::collections::HashMap;
use std::sync::Mutex;

use tokio::sync::mpsc::{self, UnboundedSender};
use tokio::sync::watch;

use super::event::Msg;
use crate::api::{ApiError, Client};
use crate::display::sanitize;
use crate::domain::{Edition, Id};
use crate::jobs::execute::{self, ExecPlan};

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
    DeleteRule {
        request: u64,
        rule: Id,
        name: String,
    },
    CloneRule {
        request: u64,
        rule: Id,
        name: String,
    },
    Execute {
        request: u64,
        plan: ExecPlan,
    },
    /// Send no further chunks of that run (Zoho cannot cancel what it scheduled).
    StopExecution {
        request: u64,
    },
    /// Score-lab work: a preview to run or cancel.
    Lab(super::lab::LabEffect),
}

pub struct Runner {
    client: Arc<Client>,
    /// Stop switches of the execution runs in progress, by request id.
    stops: Arc<Mutex<HashMap<u64, watch::Sender<bool>>>>,
    edition: Option<Edition>,
    tx: UnboundedSender<Msg>,
    lab: super::lab::run::LabTasks,
}

impl Runner {
    pub fn new(client: Client, edition: Option<Edition>, tx: UnboundedSender<Msg>) -> Runner {
        Runner {
            client: Arc::new(client),
            stops: Arc::default(),
            edition,
            tx,
            lab: Default::default(),
        }
    }

    pub fn spawn(&self, effect: Effect) {
        match effect {
            Effect::Execute { request, plan } => return self.execute(request, plan),
            Effect::Lab(lab) => {
                return self
                    .lab
                    .spawn(Arc::clone(&self.client), self.tx.clone(), lab);
            }
            Effect::StopExecution { request } => {
                if let Ok(stops) = self.stops.lock()
                    && let Some(stop) = stops.get(&request)
                {
                    let _ = stop.send(true);
                }
                return;
            }
            _ => {}
        }
        let client = Arc::clone(&self.client);
        let tx = self.tx.clone();
        let edition = self.edition;
        tokio::spawn(async move {
            let msg = match effect {
                Effect::LoadSnapshot { request } => {
                    let result = client
                        .load_snapshot(edition, &[])
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
                    let outcome = if active {
                        client.activate(&rule).await
                    } else {
                        client.deactivate(&rule).await
                    };
                    let verb = if active { "activated" } else { "deactivated" };
                    let result = match outcome {
                        Ok(_) => Ok(format!("{verb} “{}”", sanitize(&name))),
                        Err(e) => Err(format!(
                            "not {verb}: {} — “{}”",
                            readable(&e),
                            sanitize(&name)
                        )),
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
                } => {
                    let result = match client.delete_rule(&rule).await {
                        Ok(_) => Ok(format!("deleted “{}”", sanitize(&name))),
                        Err(e) => Err(format!(
                            "not deleted: {} — “{}”",
                            readable(&e),
                            sanitize(&name)
                        )),
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
                } => match client.clone_rule(&rule).await {
                    Ok(done) => Msg::RuleChanged {
                        request,
                        result: Ok(format!(
                            "cloned “{}” (clones start active)",
                            sanitize(&name)
                        )),
                        select: done.id(),
                    },
                    Err(e) => Msg::RuleChanged {
                        request,
                        result: Err(format!(
                            "not cloned: {} — “{}”",
                            readable(&e),
                            sanitize(&name)
                        )),
                        select: None,
                    },
                },
                Effect::Execute { .. } | Effect::StopExecution { .. } | Effect::Lab(_) => return,
            };
            // The app may have quit meanwhile; nobody is left to tell.
            let _ = tx.send(msg);
        });
    }
}

impl Runner {
    fn execute(&self, request: u64, plan: ExecPlan) {
        let (stop_tx, stop_rx) = watch::channel(false);
        if let Ok(mut stops) = self.stops.lock() {
            stops.insert(request, stop_tx);
        }
        let client = Client::clone(&self.client);
        let stops = Arc::clone(&self.stops);
        let tx = self.tx.clone();
        tokio::spawn(async move {
            let (events_tx, mut events_rx) = mpsc::unbounded_channel();
            let forward_tx = tx.clone();
            let forward = tokio::spawn(async move {
                while let Some(event) = events_rx.recv().await {
                    let _ = forward_tx.send(Msg::Exec { request, event });
                }
            });
            execute::run(client, plan, events_tx, stop_rx).await;
            // Every event is delivered before the run is reported done.
            let _ = forward.await;
            if let Ok(mut stops) = stops.lock() {
                stops.remove(&request);
            }
            let _ = tx.send(Msg::ExecDone { request });
        });
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
