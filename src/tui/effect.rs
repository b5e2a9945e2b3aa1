//! Side effects the app asks for, as plain data: `App::update` returns them and
//! `effects::Runner` carries them out, each in a task that answers with a `Msg`.

use super::form::draft::Draft;
use crate::domain::{Id, ScoringRule};
use crate::jobs::execute::ExecPlan;
use crate::jobs::move_rule::MoveRequest;

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
        base: Box<ScoringRule>,
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
        base: Option<Box<ScoringRule>>,
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
    /// Send the plan's first `count` steps (`bulk::run`): one journal group, one undo.
    Bulk {
        request: u64,
        plan: Box<crate::bulk::Plan>,
        count: usize,
    },
    /// Open `text` in the user's editor: the event loop does it, since the editor needs the
    /// terminal (`edit_file::terminal`); the text saved comes back as `Msg::EditorDone`.
    RunEditor {
        request: u64,
        text: String,
    },
    /// Move the marked rules to one layout, one after another (`jobs::move_rule::run_all`):
    /// one change, so `u` undoes them all.
    MoveRules {
        request: u64,
        reqs: Vec<MoveRequest>,
    },
    /// `:profile NAME`: the event loop replaces the session (client, journal, drafts, app)
    /// with one on that profile (`tui::session`).
    SwitchProfile(String),
    /// Send an edit's steps guarded and journaled (`transfer::apply`, as `zscore edit` does):
    /// a rule changed in the org since `snapshot` was loaded is left alone and reported.
    ApplyEdit {
        request: u64,
        plan: Box<crate::transfer::Plan>,
        snapshot: Box<crate::domain::OrgSnapshot>,
        /// The rules' names, for the notice and the undo group.
        names: Vec<String>,
    },
    /// Keep an edit that was not sent in a file (`Msg::EditKept` says where).
    KeepEditText {
        text: String,
    },
    /// `:export DIR`: load the org afresh and write its export under `dir` (`zscore export`'s
    /// workflow, `transfer::write`).
    Export {
        request: u64,
        dir: std::path::PathBuf,
    },
    /// Keep the command line's history: `lines` become the file at `path`.
    SaveCommands {
        path: std::path::PathBuf,
        lines: Vec<String>,
    },
}
