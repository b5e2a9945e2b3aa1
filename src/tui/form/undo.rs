//! Undo and redo of the form's own edits (Ctrl-Z / Ctrl-Y), so an accidental key never costs
//! typed work: each change keeps the content before it. Typing into one input is one step (a
//! word typed is undone at once, as in an editor); every command (a row added or removed, the
//! operator switched) is a step of its own. A new edit after an undo drops what could be redone.

use super::model::FormData;
use super::{Form, Outcome};
use crate::domain::OrgSnapshot;

/// Steps kept: far beyond any form's edits, small enough that a held key cannot grow it
/// without bound.
const MAX_STEPS: usize = 500;

#[derive(Clone, Debug, Default)]
pub struct History {
    /// Content before each step, the latest last, with the input focused then.
    past: Vec<(FormData, usize)>,
    future: Vec<(FormData, usize)>,
    /// The input the latest step typed into: more typing there joins that step.
    typing_in: Option<usize>,
}

/// How a change came about, for grouping.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edit {
    /// Typing or picking in the focused input.
    Typing,
    /// A command: a row added or removed, the operator switched.
    Command,
}

impl Form {
    /// Records that the content was `before` ahead of a change of kind `edit`.
    pub(super) fn record(&mut self, before: FormData, focus: usize, edit: Edit) {
        let history = &mut self.history;
        history.future.clear();
        let joins = edit == Edit::Typing && history.typing_in == Some(focus);
        history.typing_in = (edit == Edit::Typing).then_some(focus);
        if joins {
            return;
        }
        history.past.push((before, focus));
        if history.past.len() > MAX_STEPS {
            history.past.remove(0);
        }
    }

    pub(super) fn undo(&mut self, snap: Option<&OrgSnapshot>) -> Outcome {
        match self.history.past.pop() {
            Some(step) => {
                let now = (self.data.clone(), self.focus);
                self.history.future.push(now);
                self.put_back(step, snap)
            }
            None => super::keys::notice("nothing to undo", false),
        }
    }

    pub(super) fn redo(&mut self, snap: Option<&OrgSnapshot>) -> Outcome {
        match self.history.future.pop() {
            Some(step) => {
                let now = (self.data.clone(), self.focus);
                self.history.past.push(now);
                self.put_back(step, snap)
            }
            None => super::keys::notice("nothing to redo", false),
        }
    }

    fn put_back(
        &mut self,
        (data, focus): (FormData, usize),
        snap: Option<&OrgSnapshot>,
    ) -> Outcome {
        self.history.typing_in = None;
        self.description = super::description_area(&data.description);
        self.data = data;
        self.cursor = None;
        let n = self.inputs().len();
        self.focus = focus.min(n.saturating_sub(1));
        self.server_errors.clear();
        self.revalidate(snap);
        Outcome::Changed
    }
}
