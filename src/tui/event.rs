//! Everything that can happen to the app arrives as one `Msg` on one channel: keys and resizes
//! from the terminal, signals, and the results of background work tagged with the request id
//! that asked for them.

use crossterm::event::{Event, EventStream, KeyEvent, MouseEvent, MouseEventKind};
use futures::StreamExt;
use tokio::sync::mpsc::UnboundedSender;

use crate::domain::OrgSnapshot;

#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    /// The terminal's size, at start and whenever it changes: the app lays its scrolled views
    /// out from it.
    Resize {
        width: u16,
        height: u16,
    },
    /// Animates the spinner while work is pending; never sent when idle.
    Tick,
    /// SIGTERM, SIGHUP or the input stream ending: leave cleanly.
    Shutdown,
    /// One part of the org while it loads (see `loading`); `SnapshotLoaded` ends the load.
    SnapshotPart {
        request: u64,
        part: super::loading::Part,
    },
    SnapshotLoaded {
        request: u64,
        result: Result<OrgSnapshot, String>,
    },
    /// A change to rules (activate, deactivate, delete, clone, move, undo) finished: the
    /// change as asked for, and how it ended; the app words the notice.
    RuleChanged {
        request: u64,
        change: super::outcome::Change,
        result: Result<super::outcome::Done, super::outcome::Failure>,
    },
    /// A step of a change to the marked rules changed state (`bulk::run`'s events).
    Bulk {
        request: u64,
        event: crate::bulk::BulkEvent,
    },
    /// That change ended: its report, or why nothing was sent.
    BulkDone {
        request: u64,
        result: Result<crate::bulk::Report, String>,
    },
    /// Progress of an execution run.
    Exec {
        request: u64,
        event: crate::jobs::execute::ExecEvent,
    },
    /// A step of verifying that execution (prediction, polls, the report).
    Verify {
        request: u64,
        step: crate::tui::exec_verify::VerifyStep,
    },
    /// The run ended: its requests, the jobs it followed and its verification.
    ExecDone {
        request: u64,
    },
    /// A save from the rule form finished: the rule's id, or why not (as the work reported
    /// it; the form words it).
    FormSaved {
        request: u64,
        result: Result<Option<crate::domain::Id>, crate::tui::outcome::Failure>,
    },
    /// Writing or removing the form's draft failed (the text says which file and why).
    DraftFailed(String),
    /// `:export DIR` finished: what was written, or why not.
    Exported {
        request: u64,
        dir: std::path::PathBuf,
        result: Result<crate::transfer::write::Written, String>,
    },
    /// A click or a wheel turn; `area` is the terminal's size then, to find what was hit.
    Mouse {
        event: MouseEvent,
        area: ratatui::layout::Rect,
    },
    /// What undoing the session's last change would do, read from the journal.
    UndoReady {
        request: u64,
        result: Result<crate::journal::session::UndoTarget, super::outcome::Failure>,
    },
    /// A rule's journal entries, oldest first.
    HistoryLoaded {
        request: u64,
        result: Result<Vec<crate::journal::Entry>, super::outcome::Failure>,
    },
    /// Progress and results of a score-lab preview.
    Lab(super::lab::LabMsg),
    /// The API calls this session has sent so far (the client's meter, read by the event loop
    /// after each batch of messages), for the status bar.
    Calls(crate::api::CallCount),
    /// The client is retrying a request or waiting out a rate limit (its retry hook), e.g.
    /// `Zoho is not answering (HTTP 503), retry 2 of 6 in 0.4 s…`.
    Retrying(String),
    /// The editor exited (`E` / `Ctrl-E`): the text it saved, or why it could not run or failed.
    EditorDone {
        request: u64,
        result: Result<String, String>,
    },
    /// An edit dropped unsent was kept in a file: where, or why not.
    EditKept(Result<String, String>),
}

/// Pauses and resumes the input reader (`spawn_input`), for a program that needs the terminal
/// meanwhile (the editor): while paused nothing reads the terminal.
pub struct InputControl {
    commands: UnboundedSender<InputCommand>,
}

enum InputCommand {
    /// Stop reading; the sender is told once nothing reads any more.
    Pause(tokio::sync::oneshot::Sender<()>),
    Resume,
}

impl InputControl {
    /// Returns once the reader has stopped reading the terminal.
    pub async fn pause(&self) {
        let (told, stopped) = tokio::sync::oneshot::channel();
        if self.commands.send(InputCommand::Pause(told)).is_ok() {
            let _ = stopped.await;
        }
    }

    pub fn resume(&self) {
        let _ = self.commands.send(InputCommand::Resume);
    }
}

/// Forwards terminal input until the receiver is gone. The stream ending (stdin closed) means
/// nobody can drive the app any more, so it shuts down. Paused, the stream is dropped, which
/// stops crossterm's reading thread; resuming opens a new one.
pub fn spawn_input(tx: UnboundedSender<Msg>) -> InputControl {
    let (commands, mut control) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        let mut events = Some(EventStream::new());
        let mut controlled = true;
        loop {
            let event = match &mut events {
                Some(stream) => tokio::select! {
                    command = control.recv(), if controlled => {
                        match command {
                            Some(InputCommand::Pause(told)) => {
                                events = None;
                                let _ = told.send(());
                            }
                            Some(InputCommand::Resume) => {}
                            None => controlled = false,
                        }
                        continue;
                    }
                    event = stream.next() => event,
                },
                None => {
                    match control.recv().await {
                        Some(InputCommand::Pause(told)) => {
                            let _ = told.send(());
                        }
                        Some(InputCommand::Resume) | None => events = Some(EventStream::new()),
                    }
                    continue;
                }
            };
            let Some(event) = event else { break };
            let msg = match event {
                Ok(Event::Key(key)) => Msg::Key(key),
                Ok(Event::Resize(width, height)) => Msg::Resize { width, height },
                // Moves and drags would cost a frame each and mean nothing here.
                Ok(Event::Mouse(m)) if wanted(m.kind) => match crossterm::terminal::size() {
                    Ok((w, h)) => Msg::Mouse {
                        event: m,
                        area: ratatui::layout::Rect::new(0, 0, w, h),
                    },
                    Err(_) => continue,
                },
                Ok(_) => continue,
                Err(e) => {
                    tracing::warn!("terminal input failed: {e}");
                    break;
                }
            };
            if tx.send(msg).is_err() {
                return;
            }
        }
        let _ = tx.send(Msg::Shutdown);
    });
    InputControl { commands }
}

fn wanted(kind: MouseEventKind) -> bool {
    matches!(
        kind,
        MouseEventKind::Down(_) | MouseEventKind::ScrollUp | MouseEventKind::ScrollDown
    )
}

/// SIGTERM and SIGHUP become a `Shutdown`, so the terminal is restored by the normal exit path.
#[cfg(unix)]
pub fn spawn_signals(tx: UnboundedSender<Msg>) {
    use tokio::signal::unix::{SignalKind, signal};
    let (Ok(mut term), Ok(mut hup)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::hangup()),
    ) else {
        tracing::warn!("cannot install signal handlers");
        return;
    };
    tokio::spawn(async move {
        tokio::select! {
            _ = term.recv() => {}
            _ = hup.recv() => {}
        }
        let _ = tx.send(Msg::Shutdown);
    });
}

#[cfg(not(unix))]
pub fn spawn_signals(_tx: UnboundedSender<Msg>) {}
