//! Background work that cannot vanish. A panic in a spawned task would otherwise end that task
//! silently: the app would wait forever for its answer (a save "in flight" for good, a spinner
//! that never stops), and the default panic hook would print over the screen or, through
//! ratatui's hook, restore the terminal under a TUI that keeps running — keys then seem ignored
//! and the screen stays. So a panic off the UI thread is logged, not printed, and the task's
//! effect is answered with the same failure message a failed request gets.

use std::any::Any;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::thread::ThreadId;

use futures::FutureExt;
use tokio::sync::mpsc::UnboundedSender;

use super::effects::Effect;
use super::event::Msg;
use super::lab::{LabEffect, LabMsg};
use super::outcome::{Change, Failure};

/// Installs the panic hook for the TUI's lifetime. Call it on the UI thread, after the terminal
/// is set up: a panic there still restores the terminal and prints (the hooks installed before),
/// a panic on any other thread is only logged.
pub fn install_panic_hook() {
    let ui: ThreadId = std::thread::current().id();
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if std::thread::current().id() == ui {
            previous(info);
            return;
        }
        let place = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        tracing::error!(
            place,
            "background work panicked: {}",
            panic_text(info.payload())
        );
    }));
}

/// Builds the message that answers an effect as failed, from the reason.
pub type Failed = Box<dyn FnOnce(String) -> Msg + Send>;

/// Spawns `work`, which sends its own answer on `tx`. If it panics instead, `failed` turns the
/// panic into the answer the app is waiting for.
pub fn spawn(
    tx: UnboundedSender<Msg>,
    failed: Option<Failed>,
    work: impl Future<Output = ()> + Send + 'static,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        if let Err(panic) = AssertUnwindSafe(work).catch_unwind().await
            && let Some(failed) = failed
        {
            let text = format!(
                "zscore failed inside ({}); details are in zscore.log",
                panic_text(panic.as_ref())
            );
            let _ = tx.send(failed(text));
        }
    })
}

fn panic_text(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic".to_string()
    }
}

/// The message that answers `effect` as a failure with `text`, for the effects the app waits on.
pub fn failure(effect: &Effect) -> Option<Failed> {
    let changed = |request: u64, change: Change| -> Failed {
        Box::new(move |text| Msg::RuleChanged {
            request,
            change,
            result: Err(Failure::Other(text)),
        })
    };
    Some(match effect {
        Effect::LoadSnapshot { request } => {
            let request = *request;
            Box::new(move |text| Msg::SnapshotLoaded {
                request,
                result: Err(text),
            })
        }
        Effect::SetActive {
            request,
            name,
            active,
            ..
        } => changed(
            *request,
            Change::SetActive {
                name: name.clone(),
                active: *active,
            },
        ),
        Effect::DeleteRule { request, name, .. } => {
            changed(*request, Change::Delete { name: name.clone() })
        }
        Effect::CloneRule { request, name, .. } => {
            changed(*request, Change::Clone { name: name.clone() })
        }
        Effect::MoveRule { request, req } => changed(*request, Change::Move(req.clone())),
        Effect::MoveRules { request, reqs } => changed(*request, Change::MoveMany(reqs.clone())),
        Effect::Undo { request, .. } => changed(*request, Change::Undo),
        Effect::PrepareUndo { request } => {
            let request = *request;
            Box::new(move |text| Msg::UndoReady {
                request,
                result: Err(Failure::Other(text)),
            })
        }
        Effect::Bulk { request, .. } => {
            let request = *request;
            Box::new(move |text| Msg::BulkDone {
                request,
                result: Err(text),
            })
        }
        Effect::LoadHistory { request, .. } => {
            let request = *request;
            Box::new(move |text| Msg::HistoryLoaded {
                request,
                result: Err(Failure::Other(text)),
            })
        }
        Effect::SaveRule { request, .. } => {
            let request = *request;
            Box::new(move |text| Msg::FormSaved {
                request,
                result: Err(Failure::Other(text)),
            })
        }
        Effect::Execute { request, .. } => {
            let request = *request;
            Box::new(move |_| Msg::ExecDone { request })
        }
        Effect::Lab(LabEffect::Preview(job)) => {
            let (request, module) = (job.request, job.schema.module.api_name.clone());
            Box::new(move |text| {
                Msg::Lab(LabMsg::Done {
                    request,
                    module,
                    result: Err(text),
                })
            })
        }
        Effect::ApplyEdit { request, names, .. } => changed(
            *request,
            Change::Edit {
                names: names.clone(),
            },
        ),
        Effect::KeepEditText { .. } => Box::new(|text| Msg::EditKept(Err(text))),
        Effect::RunEditor { request, .. } => {
            let request = *request;
            Box::new(move |text| Msg::EditorDone {
                request,
                result: Err(text),
            })
        }
        Effect::Export { request, dir } => {
            let (request, dir) = (*request, dir.clone());
            Box::new(move |text| Msg::Exported {
                request,
                dir,
                result: Err(text),
            })
        }
        Effect::StopExecution { .. }
        | Effect::CloseExecution { .. }
        | Effect::WriteDraft(_)
        | Effect::RemoveDraft
        | Effect::SaveCommands { .. }
        | Effect::SwitchProfile(_)
        | Effect::Lab(LabEffect::Cancel { .. }) => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_save_that_panics_is_answered_as_a_failed_save() {
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let effect = Effect::SaveRule {
            request: 7,
            base: None,
            item: serde_json::json!({}),
            name: "x".into(),
        };
        spawn(tx, failure(&effect), async {
            panic!("index out of bounds")
        });
        match rx.recv().await {
            Some(Msg::FormSaved {
                request: 7,
                result: Err(f),
            }) => assert!(f.text().contains("index out of bounds"), "{}", f.text()),
            other => panic!("expected a failed save, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn work_that_answers_itself_sends_nothing_more() {
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let effect = Effect::LoadSnapshot { request: 3 };
        let own = tx.clone();
        let task = spawn(tx, failure(&effect), async move {
            let _ = own.send(Msg::Tick);
        });
        task.await.unwrap();
        assert!(matches!(rx.recv().await, Some(Msg::Tick)));
        assert!(rx.try_recv().is_err());
    }
}
